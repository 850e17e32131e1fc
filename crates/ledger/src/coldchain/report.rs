//! The lot report returned by the cold-chain analysis.

use super::classes::{AllowedRange, Side, TemperatureClass};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{Celsius, Seconds};

/// Overall verdict for a lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LotStatus {
    /// Every rule held.
    Compliant,
    /// Something weakens the evidence (gaps, short excursions, unchecked hand-overs).
    AtRisk,
    /// A rule was broken (long or deep excursion, too much time out of range, out-of-range
    /// temperature at a hand-over).
    Violated,
}

/// Severity of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Lowers the status to at-risk.
    Risk,
    /// Lowers the status to violated.
    Violation,
}

/// One piece of evidence behind the status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// How bad.
    pub severity: Severity,
    /// Stable code: `excursion.long`, `excursion.deep`, `excursion.short`,
    /// `out_of_range.cumulative`, `gap`, `handover.no_reading`, `handover.out_of_range`,
    /// `handover.destination_mismatch`, `no_readings`, `no_events`.
    pub code: String,
    /// Explanation with the numbers.
    pub message: String,
    /// When it started.
    pub time: Option<DateTime<Utc>>,
    /// Leg it belongs to.
    pub leg: Option<usize>,
    /// Events that show it.
    pub event_ids: Vec<String>,
}

/// A maximal run of out-of-range readings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excursion {
    /// First out-of-range reading.
    pub start: DateTime<Utc>,
    /// First reading back in range, or the last reading when it never came back.
    pub end: DateTime<Utc>,
    /// `end − start`.
    pub duration: Seconds,
    /// Largest distance beyond the violated bound.
    pub peak_deviation: Celsius,
    /// Warmer or colder than allowed.
    pub side: Side,
    /// Whether readings ended while still out of range.
    pub open: bool,
    /// Leg in which it started.
    pub leg: usize,
    /// Events carrying the out-of-range readings.
    pub event_ids: Vec<String>,
}

/// A period without temperature records longer than the recording interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// Last record (or start of custody) before the gap.
    pub start: DateTime<Utc>,
    /// Next record (or end of custody) after the gap.
    pub end: DateTime<Utc>,
    /// Length.
    pub duration: Seconds,
    /// Leg in which it started.
    pub leg: usize,
}

/// Stage of the journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegKind {
    /// Held at one place (after receiving, before shipping).
    Storage,
    /// On the move (after shipping or departing).
    Transit,
}

/// One leg of the journey, delimited by hand-over events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegReport {
    /// Position (0-based).
    pub index: usize,
    /// Storage or transit.
    pub kind: LegKind,
    /// Start time.
    pub start: DateTime<Utc>,
    /// End time.
    pub end: DateTime<Utc>,
    /// Business location or read point of the event opening the leg.
    pub location: Option<String>,
    /// For transit legs: the destination named by the shipping event.
    pub destination: Option<String>,
    /// Temperature readings in the leg.
    pub readings: usize,
    /// Lowest temperature.
    pub min_temperature: Option<Celsius>,
    /// Highest temperature.
    pub max_temperature: Option<Celsius>,
    /// Time out of range inside the leg.
    pub out_of_range: Seconds,
    /// Excursions starting in the leg.
    pub excursions: usize,
    /// Recording gaps starting in the leg.
    pub gaps: usize,
}

/// Temperature check at a hand-over event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverCheck {
    /// The hand-over event.
    pub event_id: String,
    /// Business step (`shipping`, `receiving`, …).
    pub biz_step: String,
    /// When.
    pub time: DateTime<Utc>,
    /// Where.
    pub location: Option<String>,
    /// Nearest temperature within the window.
    pub temperature: Option<Celsius>,
    /// Whether that temperature was in range.
    pub in_range: Option<bool>,
    /// Problems found (`no_reading`, `out_of_range`, `destination_mismatch`).
    pub issues: Vec<String>,
}

/// Cold-chain analysis of one lot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotReport {
    /// The lot analysed.
    pub subject: String,
    /// Verdict.
    pub status: LotStatus,
    /// Product class.
    pub class: TemperatureClass,
    /// Allowed band.
    pub range: AllowedRange,
    /// Where the band comes from.
    pub reference: String,
    /// Events considered.
    pub events: usize,
    /// Temperature readings considered.
    pub readings: usize,
    /// Start of custody (first event).
    pub start: Option<DateTime<Utc>>,
    /// End of custody (last event).
    pub end: Option<DateTime<Utc>>,
    /// Total time out of range.
    pub cumulative_out_of_range: Seconds,
    /// Journey legs.
    pub legs: Vec<LegReport>,
    /// Excursions.
    pub excursions: Vec<Excursion>,
    /// Recording gaps.
    pub gaps: Vec<Gap>,
    /// Hand-over checks.
    pub handovers: Vec<HandoverCheck>,
    /// Evidence behind the status, worst first.
    pub findings: Vec<Finding>,
}
