//! The tracker's settings: how far ahead a deadline warns, how often a task without a due date
//! reports, and from which day reports are owed.

use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wuliu_model::Violations;

/// The longest grace after a period, in days.
pub const MAX_GRACE_DAYS: u32 = 90;
/// The longest warning window, in days.
pub const MAX_DUE_SOON_DAYS: u32 = 365;

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
    /// The day the region started tracking on the platform: periodic reports are owed from the
    /// later of a document's issue date and this day (default none: from the issue date). A
    /// region that adopts the tracker years after 2022 sets it to its first day, so the quarters
    /// before are not all flagged missing; `wuliu gov load` stores the load day when the region
    /// has no settings yet.
    pub tracking_from: Option<NaiveDate>,
}

impl TrackerConfig {
    /// The first day `issued`'s tasks owe periodic reports under these settings.
    pub fn tracking_start(&self, issued: NaiveDate) -> NaiveDate {
        self.tracking_from.map_or(issued, |d| d.max(issued))
    }

    /// Every out-of-range setting, each naming its field.
    pub fn validate(&self) -> Violations {
        let mut v = Violations::default();
        if self.grace_days > MAX_GRACE_DAYS {
            v.push(
                "out_of_range",
                "grace_days",
                format!("grace_days: 0 to {MAX_GRACE_DAYS}"),
            );
        }
        if self.due_soon_days > MAX_DUE_SOON_DAYS {
            v.push(
                "out_of_range",
                "due_soon_days",
                format!("due_soon_days: 0 to {MAX_DUE_SOON_DAYS}"),
            );
        }
        v
    }
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            due_soon_days: 15,
            cadence: Cadence::Quarterly,
            grace_days: 10,
            undated_periodic: true,
            tracking_from: None,
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
    fn tracking_starts_at_the_later_day() {
        let mut c = TrackerConfig::default();
        assert_eq!(c.tracking_start(d("2022-07-31")), d("2022-07-31"));
        c.tracking_from = Some(d("2026-12-05"));
        assert_eq!(c.tracking_start(d("2022-07-31")), d("2026-12-05"));
        assert_eq!(c.tracking_start(d("2027-01-10")), d("2027-01-10"));
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let c = TrackerConfig {
            grace_days: 91,
            due_soon_days: 400,
            ..TrackerConfig::default()
        };
        let v = c.validate();
        let fields: Vec<_> = v.0.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, ["grace_days", "due_soon_days"]);
        assert!(TrackerConfig::default().validate().is_empty());
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
