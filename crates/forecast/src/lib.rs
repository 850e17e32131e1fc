//! Forecasting engine for Wuliu's statistics pages: monthly or daily
//! volumes (waybills, tonnes, vehicles) in, a forecast with prediction
//! intervals and the evidence for its model out.
//!
//! # A short tour
//!
//! - A [`Series`] is a regular sequence of values per [`Interval`] (day or
//!   month) from a start date; the season is a week or a year.
//! - Three models compete ([`ModelKind`]): seasonal naive (the baseline),
//!   exponential smoothing (augurs `AutoETS`; augurs 0.10 has no seasonal
//!   ETS, so it models level and trend only) and a seasonal-trend model
//!   (augurs MSTL with `AutoETS` on the seasonally adjusted series).
//! - [`backtest`] refits each model at several rolling forecast origins near
//!   the end of the series (6 for months, 14 for days, each training on at
//!   least two seasons) and scores MAE, sMAPE and MASE.
//! - [`forecast`] picks the model with the lowest mean MASE, refits it on
//!   the whole series and returns points with 80 % and 95 % intervals.
//!   Models that cannot be fitted are skipped and listed with the reason.
//! - [`public_series`] ships real published series for demonstrations.
//!
//! The crate does no IO, no async and knows nothing of HTTP or SQL.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use wuliu_forecast::{forecast, Interval, ModelKind, Series};
//!
//! // Four years of a monthly volume with a yearly pattern and growth.
//! let values = (0..48)
//!     .map(|i| 100.0 + i as f64 + [0.0, -8.0, 5.0, 9.0, 3.0, 0.0, -4.0, -6.0, 2.0, 7.0, 12.0, -20.0][i % 12])
//!     .collect();
//! let series = Series { interval: Interval::Month, start: NaiveDate::from_ymd_opt(2022, 1, 1).unwrap(), values };
//!
//! let f = forecast(&series, 6)?;
//! assert_eq!(f.points.len(), 6);
//! assert_eq!(f.points[0].period, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
//! assert!(f.points.iter().all(|p| p.lo95 <= p.lo80 && p.lo80 <= p.mean && p.mean <= p.hi80 && p.hi80 <= p.hi95));
//! assert_eq!(f.backtest.iter().filter(|s| s.chosen).count(), 1);
//! assert_eq!(serde_json::to_value(ModelKind::SeasonalNaive)?, "seasonal_naive");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod backtest;
mod error;
mod forecast;
mod interval;
mod metrics;
mod models;
mod public;
mod series;

pub use backtest::{backtest, Backtest, BacktestPlan, BacktestScore};
pub use error::ForecastError;
pub use forecast::{forecast, Forecast, ForecastPoint};
pub use models::ModelKind;
pub use public::{public_series, PublicSeries};
pub use series::{Interval, Series};
