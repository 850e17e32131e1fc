//! The county targets of 63号 表2 and what each one asks for.
//!
//! A row has two value cells: the 2025 level and the yearly growth (or, in brackets, the
//! cumulative five-year change). The tracker assesses one goal per row:
//!
//! | row | goal | assessed by |
//! |---|---|---|
//! | a figure in the 2025 column (`500`, `≥6`, `≥66`) | [`CountyGoal::Level`]: the level by the end of 2025 | the logistics plan's assessment (`wuliu_indicators::plan::assess`: the straight line from the start to the target, the least-squares projection, on track / at risk / off track), which the app layer calls |
//! | a dash in the 2025 column and a yearly figure beside it (`≥8`, `6.5`, `<6.8`) | [`CountyGoal::Rate`]: each year's growth rate | [`assess_rate`] here: a yearly rate has no trajectory to a 2025 level, so the plan's line does not fit; the latest entered year is compared with the rate |
//! | `按自治区下达指标`, dashes or empty cells only, or only a bracketed cumulative figure | [`CountyGoal::NotSet`] | not assessed (`no_target`); values may still be entered |
//!
//! Comparators: `≥`/`>` read as at least, `≤`/`<` as at most (the plan's assessment knows no
//! strict bound; a value equal to a strict bound is reported as met). A level printed without a
//! comparator is a value to reach (`=`, whose direction the plan reads from the start); a rate
//! printed without one is a floor (the table's growth rates are all "at least" targets except
//! the unemployment rate, which prints `<`).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wuliu_model::gov_tasks::{Comparator, CountyTarget, TargetCell};

/// The target year of 63号 表2.
pub const TARGET_YEAR: i32 = 2025;

/// Share of the rate by which a value may fall short and still be `at_risk` (the plan's 10 %).
pub const AT_RISK_FRACTION: f64 = 0.1;

/// Which side of a bound is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// At least the value.
    AtLeast,
    /// At most the value.
    AtMost,
}

/// Why a row sets no goal the tracker can assess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotSet {
    /// `按自治区下达指标`: the region assigns the figure.
    AssignedByRegion,
    /// Only a cumulative five-year change is printed.
    CumulativeOnly,
    /// Dashes or empty cells only.
    Blank,
}

/// What a county target asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CountyGoal {
    /// A level by the end of [`TARGET_YEAR`]: `comparator` is `>=`, `<=` or `=` (the plan's).
    Level {
        /// `>=`, `<=` or `=`.
        comparator: String,
        /// The value.
        value: f64,
        /// The year.
        year: i32,
        /// As printed.
        text: String,
    },
    /// A yearly rate, each year.
    Rate {
        /// Which side is good.
        bound: Bound,
        /// The rate.
        value: f64,
        /// As printed.
        text: String,
    },
    /// Nothing to assess.
    NotSet {
        /// Why.
        reason: NotSet,
    },
}

/// The goal of a 63号 row (rules in the module docs).
pub fn goal(t: &CountyTarget) -> CountyGoal {
    if let TargetCell::Figure {
        comparator,
        value,
        cumulative: false,
        text,
    } = &t.target_2025
    {
        let c = match comparator {
            Some(Comparator::Ge | Comparator::Gt) => ">=",
            Some(Comparator::Le | Comparator::Lt) => "<=",
            None => "=",
        };
        return CountyGoal::Level {
            comparator: c.to_string(),
            value: *value,
            year: TARGET_YEAR,
            text: text.clone(),
        };
    }
    match (&t.target_2025, &t.growth_or_cumulative) {
        (
            _,
            TargetCell::Figure {
                comparator,
                value,
                cumulative: false,
                text,
            },
        ) => CountyGoal::Rate {
            bound: match comparator {
                Some(Comparator::Le | Comparator::Lt) => Bound::AtMost,
                _ => Bound::AtLeast,
            },
            value: *value,
            text: text.clone(),
        },
        (TargetCell::AssignedByRegion, _) | (_, TargetCell::AssignedByRegion) => {
            CountyGoal::NotSet {
                reason: NotSet::AssignedByRegion,
            }
        }
        (_, TargetCell::Figure { .. }) => CountyGoal::NotSet {
            reason: NotSet::CumulativeOnly,
        },
        _ => CountyGoal::NotSet {
            reason: NotSet::Blank,
        },
    }
}

/// The assessment of a rate goal; `status` is `on_track`, `at_risk`, `off_track` or `no_data`
/// (the plan's names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RateAssessment {
    /// The status.
    pub status: String,
    /// The latest value's day.
    pub as_of: Option<NaiveDate>,
    /// The latest value.
    pub current: Option<f64>,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
}

/// Assesses a yearly rate from the values entered (any order; the latest day counts): met is
/// `on_track`; short by at most [`AT_RISK_FRACTION`] of the rate (or 0.1 point for a zero rate)
/// `at_risk`; else `off_track`.
pub fn assess_rate(bound: Bound, rate: f64, values: &[(NaiveDate, f64)]) -> RateAssessment {
    let Some(&(as_of, v)) = values.iter().max_by_key(|(d, _)| *d) else {
        return RateAssessment {
            status: "no_data".into(),
            as_of: None,
            current: None,
            reason_zh: "尚无数据".into(),
            reason_en: "no value yet".into(),
        };
    };
    let short = match bound {
        Bound::AtLeast => rate - v,
        Bound::AtMost => v - rate,
    };
    let tolerance = (rate.abs() * AT_RISK_FRACTION).max(0.1);
    let (status, zh, en) = if short <= 0.0 {
        ("on_track", "达到", "meets")
    } else if short <= tolerance {
        ("at_risk", "略低于", "falls just short of")
    } else {
        ("off_track", "未达到", "falls short of")
    };
    let sign = match bound {
        Bound::AtLeast => "≥",
        Bound::AtMost => "≤",
    };
    RateAssessment {
        status: status.into(),
        as_of: Some(as_of),
        current: Some(v),
        reason_zh: format!("{as_of} 的数值 {v} {zh}年度目标 {sign}{rate}"),
        reason_en: format!("the value {v} of {as_of} {en} the yearly target {sign}{rate}"),
    }
}
