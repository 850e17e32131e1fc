//! Cold-chain analysis: per lot and per leg, recording gaps, temperature excursions,
//! cumulative time out of range and hand-over checks, rolled up into a status with evidence.
//!
//! The analysis is a pure function of the events (use [`crate::Ledger::lot_report`] to run it
//! over a lot's chain of custody). See [`classes`] for the standards the temperature classes
//! come from.

mod analysis;
pub mod classes;
pub mod report;

pub use analysis::analyse;
pub use classes::{AllowedRange, ColdChainPolicy, Side, TemperatureClass};
pub use report::{
    Excursion, Finding, Gap, HandoverCheck, LegKind, LegReport, LotReport, LotStatus, Severity,
};
