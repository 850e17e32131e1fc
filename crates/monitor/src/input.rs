//! What the engine checks: waybills, fund-flow records, vehicles, drivers and tracks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use wuliu_model::{
    Driver, DriverId, Payment, PaymentId, Position, Vehicle, VehicleId, Waybill, WaybillId,
};

use crate::track::Track;

/// A waybill with its platform ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaybillRecord {
    /// Platform waybill ID; fund-flow records refer to it.
    pub id: WaybillId,
    /// The waybill as uploaded.
    pub waybill: Waybill,
}

/// A fund-flow record with its platform ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaymentRecord {
    /// Platform payment ID.
    pub id: PaymentId,
    /// The record as uploaded.
    pub payment: Payment,
}

/// Everything one evaluation looks at. Cross-record rules (shared accounts, borrowed tracks, a vehicle on
/// two trips at once) look across the whole input, so give a whole day (or period) at once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitorInput {
    /// The waybills to check.
    pub waybills: Vec<WaybillRecord>,
    /// Fund-flow records paying them (records of waybills not in the input are used for the account index).
    pub payments: Vec<PaymentRecord>,
    /// Vehicle records by ID.
    pub vehicles: HashMap<VehicleId, Vehicle>,
    /// Driver records by ID.
    pub drivers: HashMap<DriverId, Driver>,
    /// Each vehicle's fixes, sorted by time (see [`Track`]).
    pub tracks: HashMap<VehicleId, Track>,
}

impl MonitorInput {
    /// Adds positions of any vehicles in any order, grouping them per vehicle and keeping each track sorted.
    pub fn add_positions<'a>(&mut self, positions: impl IntoIterator<Item = &'a Position>) {
        for p in positions {
            match self.tracks.get_mut(&p.vehicle_id) {
                Some(track) => track.push_position(p),
                None => {
                    let mut track = Track::default();
                    track.push_position(p);
                    self.tracks.insert(p.vehicle_id.clone(), track);
                }
            }
        }
        for track in self.tracks.values_mut() {
            if !track.is_well_formed() {
                track.normalise();
            }
        }
    }

    /// Number of fixes over all tracks.
    pub fn position_count(&self) -> usize {
        self.tracks.values().map(Track::len).sum()
    }
}
