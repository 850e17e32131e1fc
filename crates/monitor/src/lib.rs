//! Wuliu network-freight monitoring (网络货运监测): the rule engine the regulator uses to cross-check
//! what network-freight platforms upload — waybills, fund-flow records, vehicles, drivers — against where
//! the trucks really were, and to catch fake or abnormal records. No IO: no HTTP, SQL or files.
//!
//! # Tour
//!
//! - [`MonitorInput`] holds the waybills to check ([`WaybillRecord`]), fund-flow records
//!   ([`PaymentRecord`]), vehicle and driver records by ID, and each vehicle's [`Track`] — columnar fixes
//!   sorted by time, so a day of millions of positions stays compact.
//! - [`evaluate`] runs every rule of [`rules::RULES`] on every waybill, in parallel, and returns a
//!   [`MonitorReport`]: per waybill its [`Finding`]s with structured evidence, a risk score and the track
//!   completeness rate; per carrier and per carrier per day the abnormal rate ([`rollup`]).
//!   [`evaluate_waybill`] (or [`Monitor::evaluate_waybill`] on prebuilt indexes) checks one waybill.
//! - Rules live one per file in [`rules`], each with a stable code, a [`Severity`] and a description in
//!   Chinese and English; [`rules::catalogue`] lists them. Every threshold is in [`RuleConfig`].
//! - Cross-record rules use indexes built once over the whole input ([`Monitor`]): quantised track
//!   signatures find one track claimed by two vehicles, payees per account find pooled accounts, trips
//!   per vehicle find a vehicle on two trips at once.
//! - [`rollup::onboarding_check`] runs the provinces' onboarding check (10 consecutive days, at least 5
//!   waybills a day, daily abnormal rate under 1 %) over daily figures.
//! - Times of day are Beijing time (UTC+8), see [`time`].
//! - [`fixture`] builds clean trips for tests and benchmarks.
//!
//! # Example
//!
//! ```
//! use wuliu_model::StraightLine;
//! use wuliu_monitor::{evaluate, fixture::TripSpec, RuleConfig};
//!
//! // A clean trip: straight 120 km, a fix every 30 s, paid to its driver.
//! let trip = TripSpec::clean(0);
//! let mut input = trip.input();
//! let report = evaluate(&input, &StraightLine::default(), &RuleConfig::default());
//! assert!(report.waybills[0].findings.is_empty());
//! assert_eq!(report.waybills[0].track_completeness, Some(1.0));
//!
//! // The same waybill without any track is a ghost waybill.
//! input.tracks.clear();
//! let report = evaluate(&input, &StraightLine::default(), &RuleConfig::default());
//! let w = &report.waybills[0];
//! assert_eq!(w.findings[0].rule, "track.ghost");
//! assert_eq!(w.risk_score, 60);
//! assert_eq!(report.carrier_days[0].abnormal_rate, 1.0);
//! ```
#![warn(missing_docs)]

pub mod config;
pub mod context;
pub mod engine;
pub mod finding;
pub mod fixture;
pub mod geo;
pub mod index;
pub mod input;
pub mod rollup;
pub mod rules;
mod signature;
pub mod time;
pub mod track;

pub use config::{RiskWeights, RuleConfig};
pub use context::WaybillContext;
pub use engine::{evaluate, evaluate_waybill, MonitorReport, WaybillReport};
pub use finding::{Finding, Severity};
pub use index::{Monitor, Trip};
pub use input::{MonitorInput, PaymentRecord, WaybillRecord};
pub use rollup::{
    onboarding_check, CarrierDay, CarrierSummary, OnboardingConfig, OnboardingDay, OnboardingReport,
};
pub use rules::{catalogue, Rule, RuleInfo};
pub use track::Track;
