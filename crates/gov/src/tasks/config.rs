//! The tracker's settings: how far ahead a deadline warns, and how often a task without a due
//! date reports.

use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How often a task without a due date must report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Every calendar month.
    Monthly,
    /// Every calendar quarter (the default).
    Quarterly,
    /// Every half year (January–June, July–December).
    HalfYearly,
}

impl Cadence {
    /// Months in one period.
    pub fn months(self) -> u32 {
        match self {
            Cadence::Monthly => 1,
            Cadence::Quarterly => 3,
            Cadence::HalfYearly => 6,
        }
    }

    /// The first day of the period holding `day`.
    pub fn period_start(self, day: NaiveDate) -> NaiveDate {
        let m = self.months();
        let month = (day.month0() / m) * m + 1;
        NaiveDate::from_ymd_opt(day.year(), month, 1).expect("the first of a month exists")
    }

    /// The last day of the period starting on `start`.
    pub fn period_end(self, start: NaiveDate) -> NaiveDate {
        (start + Months::new(self.months()))
            .pred_opt()
            .expect("a day before a representable day")
    }
}

/// The tracker's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TrackerConfig {
    /// A due date this many days ahead or fewer raises the `due_soon` warning (default 15).
    pub due_soon_days: u32,
    /// The reporting period of tasks without a due date (default quarterly).
    pub cadence: Cadence,
    /// Days after a period ends by which its report is due (default 10).
    pub grace_days: u32,
    /// Whether tasks with an unstated or unread deadline report periodically like ongoing ones
    /// (default true); when false they have no reporting duty and are never stale.
    pub undated_periodic: bool,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            due_soon_days: 15,
            cadence: Cadence::Quarterly,
            grace_days: 10,
            undated_periodic: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods() {
        let q = Cadence::Quarterly;
        assert_eq!(q.period_start(d("2022-08-15")), d("2022-07-01"));
        assert_eq!(q.period_end(d("2022-07-01")), d("2022-09-30"));
        assert_eq!(q.period_end(d("2022-10-01")), d("2022-12-31"));
        assert_eq!(
            Cadence::Monthly.period_end(d("2024-02-01")),
            d("2024-02-29")
        );
        assert_eq!(
            Cadence::HalfYearly.period_start(d("2022-12-31")),
            d("2022-07-01")
        );
    }
}
