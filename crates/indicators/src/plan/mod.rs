//! Plan supervision: the status of a plan target (规划目标) from its observed trajectory.
//!
//! # Method
//!
//! * **Deadline.** A target for year *Y* must be met by 31 December *Y*; a baseline for year *B*
//!   is the value at 31 December *B*.
//! * **Planned trajectory.** The straight line from the *start* — the baseline, or without one the
//!   first observation — to the target on the deadline. For a range the line heads for the nearest
//!   bound (a start inside the range is a flat line). After the deadline the line stays at the
//!   target.
//! * **Expected now** (`expected_now`): the planned line on the latest observation's date.
//! * **Progress**: (current − start) / (target − start), the share of the planned change
//!   achieved; `None` when the planned change is zero.
//! * **Projection** (`projected_at_target_year`): the least-squares line through the observations
//!   (two dates or more) evaluated on the deadline; with one observation, the latest value
//!   continued with the planned slope.
//! * **Direction.** `>=` means higher is better, `<=` lower is better; `=` means higher is better
//!   when the target lies above the start and lower when below (overshooting in that direction
//!   counts as met); a range must contain the value on the deadline.
//! * **Status before the deadline.** *Behind* is how far the current value trails the expected
//!   value in the better direction (0 when at or beyond it); *miss* is how far the projection
//!   falls short of the target. The tolerance is [`AT_RISK_FRACTION`] (10 %) of the planned change
//!   (of the range's width or the target's magnitude when the planned change is zero).
//!   - [`Status::OnTrack`]: behind = 0 and miss = 0;
//!   - [`Status::AtRisk`]: otherwise, when behind ≤ tolerance **or** miss ≤ tolerance;
//!   - [`Status::OffTrack`]: both beyond the tolerance.
//! * **Status after the deadline** (the evaluation day is past the deadline, or the latest
//!   observation is on or after it): the latest value is compared with the target directly —
//!   met is [`Status::OnTrack`], missed is [`Status::OffTrack`].
//! * [`Status::NoData`] without any observation.
//!
//! Every assessment carries a reason in Chinese and English naming the numbers.
//!
//! ```
//! use chrono::NaiveDate;
//! use wuliu_indicators::plan::{assess, Baseline, Observation, Status, Target};
//!
//! let target = Target::parse("=", Some(7603.0), "7603", 2025).unwrap();
//! let baseline = Baseline { value: 4698.0, year: 2020 };
//! let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let obs = [
//!     Observation { as_of: day("2023-12-31"), value: 6300.0 },
//!     Observation { as_of: day("2024-12-31"), value: 7100.0 },
//! ];
//! let a = assess(&target, Some(baseline), &obs, day("2025-03-01")).unwrap();
//! assert_eq!(a.status, Status::OnTrack);
//! assert!(a.progress.unwrap() > 0.75);
//! ```

mod goal;
mod reason;
#[cfg(test)]
mod tests;
mod trajectory;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use goal::{Direction, Goal, Target};

use goal::{finite, year_end};
use reason::Facts;

/// Share of the planned change by which a target may trail and still be [`Status::AtRisk`]
/// rather than [`Status::OffTrack`].
pub const AT_RISK_FRACTION: f64 = 0.1;

/// One observed value of a target's indicator.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The day the value refers to.
    pub as_of: NaiveDate,
    /// The value, in the target's unit.
    pub value: f64,
}

/// The plan's baseline: the value at the end of the baseline year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// The value at 31 December of `year`.
    pub value: f64,
    /// The baseline year, e.g. 2020.
    pub year: i32,
}

/// A target's status; JSON `on_track`, `at_risk`, `off_track`, `no_data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or ahead of the planned line and projected to meet the target (or met after the deadline).
    OnTrack,
    /// Behind or projected short, but within [`AT_RISK_FRACTION`] of the planned change.
    AtRisk,
    /// Behind and projected short beyond the tolerance (or missed after the deadline).
    OffTrack,
    /// No observation yet.
    NoData,
}

/// The assessment of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetAssessment {
    /// The latest observation.
    pub current: Option<Observation>,
    /// The planned line's value on the latest observation's date.
    pub expected_now: Option<f64>,
    /// Share of the planned change achieved: (current − start) / (target − start).
    pub progress: Option<f64>,
    /// The status.
    pub status: Status,
    /// The value projected for the deadline.
    pub projected_at_target_year: Option<f64>,
    /// Why, in Chinese, with the numbers.
    pub reason_zh: String,
    /// Why, in English, with the numbers.
    pub reason_en: String,
}

/// Nonsense input to [`assess`] or [`Target::parse`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The comparator is none of `>=`, `<=`, `=`, `range`.
    #[error("unknown comparator {0:?}; expected >=, <=, = or range")]
    UnknownComparator(String),
    /// `>=`, `<=` and `=` need a target value.
    #[error("comparator {comparator} needs a target value")]
    MissingTargetValue {
        /// The comparator given.
        comparator: String,
    },
    /// The range text cannot be read, or its bounds are reversed.
    #[error("cannot read a range from {text:?}; expected e.g. \"6-8\" with lo <= hi")]
    InvalidRange {
        /// The text given.
        text: String,
    },
    /// A number is NaN or infinite.
    #[error("the {what} is not a finite number")]
    NotFinite {
        /// Which number.
        what: &'static str,
    },
    /// A year chrono cannot represent.
    #[error("year {0} is out of range")]
    InvalidYear(i32),
    /// The baseline year is not before the target year.
    #[error("baseline year {baseline} is not before target year {target}")]
    BaselineNotBeforeTarget {
        /// The baseline year.
        baseline: i32,
        /// The target year.
        target: i32,
    },
    /// Observations must be sorted by date.
    #[error("observations are not sorted by date: {later} is listed before {earlier}")]
    Unsorted {
        /// The date listed first.
        later: NaiveDate,
        /// The earlier date listed after it.
        earlier: NaiveDate,
    },
}

/// Assesses `target` on `today` from its baseline and observations (sorted by date; several on
/// one date are allowed). See the [module docs](self) for the method.
///
/// # Errors
/// [`PlanError::Unsorted`], [`PlanError::NotFinite`], [`PlanError::InvalidYear`] and
/// [`PlanError::BaselineNotBeforeTarget`].
pub fn assess(
    target: &Target,
    baseline: Option<Baseline>,
    observations: &[Observation],
    today: NaiveDate,
) -> Result<TargetAssessment, PlanError> {
    let deadline = target.deadline()?;
    check_observations(observations)?;
    let base = baseline
        .map(|b| baseline_point(b, target.year))
        .transpose()?;
    let (Some(start), Some(current)) =
        (base.or(observations.first().copied()), observations.last())
    else {
        let (reason_zh, reason_en) = reason::no_data(target);
        return Ok(TargetAssessment {
            current: None,
            expected_now: None,
            progress: None,
            status: Status::NoData,
            projected_at_target_year: None,
            reason_zh,
            reason_en,
        });
    };
    let facts = Facts::new(target, start, *current, observations, deadline);
    let passed = today > deadline || current.as_of >= deadline;
    let status = if passed {
        facts.final_status()
    } else {
        facts.status()
    };
    let (reason_zh, reason_en) = facts.reason(status, passed);
    Ok(TargetAssessment {
        current: Some(*current),
        expected_now: Some(facts.expected),
        progress: facts.progress(),
        status,
        projected_at_target_year: facts.projected,
        reason_zh,
        reason_en,
    })
}

fn check_observations(observations: &[Observation]) -> Result<(), PlanError> {
    for o in observations {
        finite(o.value, "observed value")?;
    }
    match observations.windows(2).find(|w| w[1].as_of < w[0].as_of) {
        Some(w) => Err(PlanError::Unsorted {
            later: w[0].as_of,
            earlier: w[1].as_of,
        }),
        None => Ok(()),
    }
}

fn baseline_point(b: Baseline, target_year: i32) -> Result<Observation, PlanError> {
    finite(b.value, "baseline value")?;
    if b.year >= target_year {
        return Err(PlanError::BaselineNotBeforeTarget {
            baseline: b.year,
            target: target_year,
        });
    }
    Ok(Observation {
        as_of: year_end(b.year)?,
        value: b.value,
    })
}
