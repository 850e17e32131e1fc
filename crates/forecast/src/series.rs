//! Regular time series: values at consecutive days or months.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ForecastError;

/// The spacing of a regular series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// One value per calendar day; the season is a week (7).
    Day,
    /// One value per calendar month; the season is a year (12).
    Month,
}

impl Interval {
    /// Periods per season: 7 for days (weekly pattern), 12 for months (yearly pattern).
    pub fn season_length(self) -> usize {
        match self {
            Interval::Day => 7,
            Interval::Month => 12,
        }
    }

    /// Number of rolling-origin folds the backtest aims for: 14 for days, 6 for months.
    pub fn target_folds(self) -> usize {
        match self {
            Interval::Day => 14,
            Interval::Month => 6,
        }
    }

    /// `"day"` or `"month"`, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Month => "month",
        }
    }
}

/// A regular series: `values[i]` belongs to the period that starts
/// `i` days or months after `start`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Spacing of the values.
    pub interval: Interval,
    /// First day of the first period (the 1st of a month for monthly series).
    pub start: NaiveDate,
    /// One value per period, oldest first, no gaps (missing periods must be filled by the caller).
    pub values: Vec<f64>,
}

impl Series {
    /// Fewest values [`crate::forecast`] accepts: one season plus two.
    pub fn min_len(interval: Interval) -> usize {
        interval.season_length() + 2
    }

    /// The season length of this series' interval.
    pub fn season_length(&self) -> usize {
        self.interval.season_length()
    }

    /// First day of period `index` (0 = `start`; may lie past the data).
    pub fn period_start(&self, index: usize) -> Result<NaiveDate, ForecastError> {
        let out = ForecastError::DateOutOfRange { index };
        let step = u32::try_from(index).map_err(|_| out.clone())?;
        match self.interval {
            Interval::Day => self.start.checked_add_days(Days::new(step.into())),
            Interval::Month => self.start.checked_add_months(Months::new(step)),
        }
        .ok_or(out)
    }

    /// Checks the start date, that every value is finite and that there are
    /// at least [`Series::min_len`] values.
    pub fn validate(&self) -> Result<(), ForecastError> {
        if self.interval == Interval::Month && self.start.day() != 1 {
            return Err(ForecastError::StartNotPeriodStart { start: self.start });
        }
        if let Some((index, &value)) = self.values.iter().enumerate().find(|(_, v)| !v.is_finite())
        {
            return Err(ForecastError::NonFinite { index, value });
        }
        let min = Self::min_len(self.interval);
        if self.values.len() < min {
            return Err(ForecastError::TooShort {
                len: self.values.len(),
                min,
                interval: self.interval.as_str(),
            });
        }
        Ok(())
    }
}
