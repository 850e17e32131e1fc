//! Risk warnings (风险预警): rules that turn indicator numbers into [`Warning`]s, one rule per file.
//!
//! | rule | function | fires when |
//! |---|---|---|
//! | `indicator.outside_interval` | [`outside_interval`] | the actual value leaves the forecast's 80 % (warning) or 95 % (critical) interval |
//! | `plan.off_track`, `plan.at_risk` | [`target_status`] | a plan target's assessment is off track (critical) or at risk (warning) |
//! | `county.volume_collapse` | [`county_collapse`] | a county's recent daily waybills fall below (1 − drop) × the previous mean |
//! | `indicator.alert_rate` | [`alert_rate`] | monitoring alerts per 100 waybills exceed the statistical limit (warning) or the ceiling (critical) |
//!
//! Each function returns an empty vector when nothing is wrong, and also when its input cannot
//! support a judgement (no values, NaN, too few waybills): a warning must rest on evidence. The
//! evidence is kept as JSON so the console can show the numbers behind it.
//!
//! ```
//! use chrono::NaiveDate;
//! use wuliu_indicators::warnings::{county_collapse, Severity, Thresholds};
//!
//! let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
//! let w = county_collapse("450221", "柳江区", day, &[4.0; 7], &[40.0; 28], &Thresholds::default());
//! assert_eq!(w[0].rule, "county.volume_collapse");
//! assert_eq!(w[0].severity, Severity::Critical); // down 90 %
//! ```

mod alert_rate;
mod county;
mod interval;
mod target;
mod thresholds;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use alert_rate::{alert_rate, RateBaseline, RULE as ALERT_RATE, SUBJECT as ALERT_RATE_SUBJECT};
pub use county::{county_collapse, RULE as COUNTY_COLLAPSE};
pub use interval::{outside_interval, Interval, RULE as OUTSIDE_INTERVAL};
pub use target::{target_status, AT_RISK as PLAN_AT_RISK, OFF_TRACK as PLAN_OFF_TRACK};
pub use thresholds::{Thresholds, ThresholdsError};

/// How serious a warning is; JSON `info`, `warning`, `critical`. Ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Needs attention.
    Warning,
    /// Needs action.
    Critical,
}

/// A risk warning, ready to be stored as an alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    /// The rule, e.g. `county.volume_collapse`; starts with `indicator.`, `plan.` or `county.`.
    pub rule: String,
    /// How serious.
    pub severity: Severity,
    /// The message in Chinese, with the numbers.
    pub message_zh: String,
    /// The message in English, with the numbers.
    pub message_en: String,
    /// What it is about: an indicator key, a target ID or a county code.
    pub subject: String,
    /// The day it refers to.
    pub day: NaiveDate,
    /// The numbers the rule looked at.
    pub evidence: serde_json::Value,
}

/// The mean of `xs`, or `None` when empty or any value is not finite.
pub(crate) fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    Some(xs.iter().sum::<f64>() / xs.len() as f64)
}
