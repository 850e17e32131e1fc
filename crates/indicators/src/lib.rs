//! # wuliu-indicators: the indicator engine
//!
//! Pure functions behind the console's plan supervision, prosperity index and risk warnings. No
//! HTTP, no SQL, no clock: callers pass the evaluation day and the numbers.
//!
//! 1. [`plan`]: the status of a plan target (on track, at risk, off track, no data) from its
//!    baseline and observed values, with the expected value now, the progress, a projection for
//!    the target year and a bilingual reason.
//! 2. [`index`]: a logistics prosperity index in the diffusion form of China's LPI
//!    (中国物流业景气指数): per component, the share of reporting units up plus half the share
//!    unchanged, ×100; the composite is a weighted mean. [`index::METHOD_ZH`] and
//!    [`index::METHOD_EN`] explain it for the console's method page.
//! 3. [`warnings`]: rules that turn indicator series into [`warnings::Warning`]s: outside a
//!    forecast interval, a plan target off track, a county's volume collapsing, monitoring alerts
//!    per waybill spiking. Thresholds are configurable ([`warnings::Thresholds`]).
//!
//! Every output is serde-serialisable with `snake_case` enums.
//!
//! ```
//! use chrono::NaiveDate;
//! use wuliu_indicators::plan::{assess, Baseline, Observation, Status, Target};
//! use wuliu_indicators::warnings;
//!
//! let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
//! let target = Target::parse(">=", Some(200.0), "200", 2025).unwrap();
//! let observed = [Observation { as_of: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(), value: 130.0 }];
//! let a = assess(&target, Some(Baseline { value: 100.0, year: 2020 }), &observed, day).unwrap();
//! assert_eq!(a.status, Status::OffTrack);
//!
//! let w = warnings::target_status("T03", "铁路货运量", "Rail freight volume", day, &a);
//! assert_eq!(w[0].rule, "plan.off_track");
//! assert_eq!(serde_json::to_value(&w[0]).unwrap()["severity"], "critical");
//! ```
#![warn(missing_docs)]

mod format;
pub mod index;
pub mod plan;
pub mod warnings;
