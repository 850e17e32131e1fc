//! Typed errors of the engine.

use thiserror::Error;

/// Why a series could not be forecast or backtested.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum ForecastError {
    /// The series has fewer values than the engine needs (one season plus two
    /// values, so that seasonal-naive residuals have a spread).
    #[error("series too short: {len} values, at least {min} needed for a {interval} series")]
    TooShort {
        /// Number of values in the series.
        len: usize,
        /// Minimum number of values.
        min: usize,
        /// The series' interval, for the message.
        interval: &'static str,
    },
    /// A value is NaN or infinite; the engine does not impute gaps.
    #[error("value at index {index} is not finite ({value})")]
    NonFinite {
        /// Zero-based index of the first offending value.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A monthly series must start on the first day of a month.
    #[error("a monthly series must start on the 1st of a month, got {start}")]
    StartNotPeriodStart {
        /// The start date given.
        start: chrono::NaiveDate,
    },
    /// The forecast horizon was zero.
    #[error("the horizon must be at least one period")]
    ZeroHorizon,
    /// The period dates run past the calendar `chrono` supports.
    #[error("period {index} lies outside the supported calendar")]
    DateOutOfRange {
        /// Index of the period (0 = the series' first period).
        index: usize,
    },
}
