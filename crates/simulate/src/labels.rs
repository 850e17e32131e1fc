//! The labels file: for every trip its waybill, vehicle and injected anomaly, the rule codes each
//! anomaly kind should fire, and the run's summary.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::anomaly::{AnomalyKind, RULE_CODES};
use crate::scenario::{Expired, Geometry, Scenario};

/// One trip's label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TripLabel {
    /// Trip index.
    pub trip: usize,
    /// Platform waybill ID.
    pub waybill_id: Option<String>,
    /// Shipping note number.
    pub shipping_note_number: String,
    /// Vehicle ID.
    pub vehicle_id: Option<String>,
    /// Plate.
    pub plate: String,
    /// Driver ID.
    pub driver_id: Option<String>,
    /// Injected anomaly, `null` for a clean trip.
    pub anomaly: Option<AnomalyKind>,
    /// For `expired_certificate`: `vehicle` or `driver`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired: Option<Expired>,
    /// For `borrowed_track`: the waybill whose track was copied (that trip is clean, though
    /// `track.borrowed` may name it too, as the other vehicle).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub borrowed_from: Option<String>,
    /// Despatch time.
    pub despatch: DateTime<Utc>,
    /// Receipt time.
    pub receipt: DateTime<Utc>,
    /// Fixes reported.
    pub fixes: usize,
    /// Route length, km.
    pub path_km: f64,
    /// Consignor–consignee great-circle distance, km.
    pub straight_km: f64,
    /// Where the route came from.
    pub geometry: Geometry,
}

/// What the run achieved.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Trips created.
    pub trips: usize,
    /// Fresh vehicle and driver records created.
    pub fresh_records: usize,
    /// Terminals that registered and reported.
    pub terminals: usize,
    /// Positions the gateway acknowledged.
    pub positions_acked: u64,
    /// Anomalous trips by kind.
    pub anomalies: BTreeMap<String, usize>,
    /// Terminals that failed, with the reason.
    pub terminal_failures: Vec<String>,
}

/// The labels file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labels {
    /// `replay` or `live`.
    pub mode: String,
    /// Seed.
    pub seed: u64,
    /// Run tag (prefix of external IDs).
    pub tag: String,
    /// Beijing date of the first despatch.
    pub day: chrono::NaiveDate,
    /// How routes were made: `road network` or `great circle …`.
    pub geometry: String,
    /// Anomaly kind → rule codes expected to fire.
    pub rules: BTreeMap<String, Vec<String>>,
    /// Every trip.
    pub trips: Vec<TripLabel>,
    /// The summary.
    pub summary: Summary,
}

/// The anomaly kind → rule codes map of [`RULE_CODES`], by name.
pub fn rule_map() -> BTreeMap<String, Vec<String>> {
    RULE_CODES
        .iter()
        .map(|(k, codes)| (k.to_string(), codes.iter().map(|c| c.to_string()).collect()))
        .collect()
}

/// Anomalous trips by kind.
pub fn anomaly_counts(scenario: &Scenario) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for a in scenario.trips.iter().filter_map(|t| t.anomaly) {
        *out.entry(a.to_string()).or_default() += 1;
    }
    out
}

/// The labels of a realised (and uploaded) scenario.
pub fn labels(scenario: &Scenario, mode: &str, geometry: &str, summary: Summary) -> Labels {
    let trips = scenario
        .trips
        .iter()
        .map(|t| TripLabel {
            trip: t.index,
            waybill_id: t.waybill_id.clone(),
            shipping_note_number: t.shipping_note_number.clone(),
            vehicle_id: t.vehicle.id.clone(),
            plate: t.vehicle.record.plate.clone(),
            driver_id: t.driver.id.clone(),
            anomaly: t.anomaly,
            expired: t.expired,
            borrowed_from: t
                .borrowed_from
                .and_then(|d| scenario.trips[d].waybill_id.clone()),
            despatch: t.despatch,
            receipt: t.receipt,
            fixes: t.fixes.len(),
            path_km: (t.path_m / 100.0).round() / 10.0,
            straight_km: (t.straight_m() / 100.0).round() / 10.0,
            geometry: t.geometry,
        })
        .collect();
    Labels {
        mode: mode.to_string(),
        seed: scenario.config.seed,
        tag: scenario.config.tag.clone(),
        day: scenario.config.day(),
        geometry: geometry.to_string(),
        rules: rule_map(),
        trips,
        summary,
    }
}
