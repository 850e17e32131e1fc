//! [`WaybillContext`]: everything a rule may look at for one waybill.

use std::cell::OnceCell;
use std::ops::Range;

use wuliu_model::{Driver, TravelCosts, Vehicle, VehicleId, Waybill, WaybillId};

use crate::config::RuleConfig;
use crate::finding::Finding;
use crate::index::{Monitor, Trip};
use crate::input::PaymentRecord;
use crate::rules::track_completeness::{completeness, Completeness};
use crate::rules::RuleInfo;
use crate::track::Track;

/// One waybill with its vehicle, drivers, payments, track and the shared indexes.
pub struct WaybillContext<'a> {
    /// The shared indexes.
    pub monitor: &'a Monitor<'a>,
    /// Position of the waybill in the input.
    pub index: usize,
    /// Its platform ID.
    pub id: &'a WaybillId,
    /// The waybill.
    pub waybill: &'a Waybill,
    /// Vehicle slot in the indexes, when the vehicle is known.
    pub vehicle_slot: Option<u32>,
    /// The vehicle ID, when known.
    pub vehicle_id: Option<&'a VehicleId>,
    /// The vehicle record, when registered.
    pub vehicle: Option<&'a Vehicle>,
    /// The driver record of each waybill driver, in order, when registered.
    pub drivers: Vec<Option<&'a Driver>>,
    /// Fund-flow records paying this waybill.
    pub payments: &'a [&'a PaymentRecord],
    /// Despatch to receipt, when both are given in order.
    pub trip: Option<Trip>,
    /// The vehicle's whole sorted track (empty when it has none).
    pub track: &'a Track,
    /// Fixes from `trip_time_tolerance_s` before despatch to as long after receipt (empty without a trip).
    pub window: Range<usize>,
    /// Fixes from despatch to receipt (empty without a trip).
    pub trip_fixes: Range<usize>,
    /// The thresholds.
    pub config: &'a RuleConfig,
    /// Road distances.
    pub costs: &'a dyn TravelCosts,
    completeness: OnceCell<Option<Completeness>>,
}

static EMPTY_TRACK: Track = Track {
    time: Vec::new(),
    lat: Vec::new(),
    lon: Vec::new(),
    speed_kmh: Vec::new(),
};
static NO_PAYMENTS: [&PaymentRecord; 0] = [];

impl<'a> WaybillContext<'a> {
    /// The context of waybill `index` of the monitor's input.
    pub fn new(monitor: &'a Monitor<'a>, index: usize, costs: &'a dyn TravelCosts) -> Self {
        let rec = &monitor.input.waybills[index];
        let slot = monitor.waybills[index];
        let track: &Track = match slot.vehicle {
            Some(v) => monitor.tracks[v as usize].as_ref(),
            None => &EMPTY_TRACK,
        };
        let tol = monitor.config.trip_time_tolerance_s.max(0);
        let (window, trip_fixes) = match slot.trip {
            Some(t) => (
                track.range(t.start.saturating_sub(tol), t.end.saturating_add(tol)),
                track.range(t.start, t.end),
            ),
            None => (0..0, 0..0),
        };
        Self {
            monitor,
            index,
            id: &rec.id,
            waybill: &rec.waybill,
            vehicle_slot: slot.vehicle,
            vehicle_id: slot.vehicle.map(|v| monitor.vehicle_id(v)),
            vehicle: slot.vehicle.and_then(|v| monitor.vehicle(v)),
            drivers: rec
                .waybill
                .drivers
                .iter()
                .map(|d| monitor.driver(d))
                .collect(),
            payments: monitor
                .payments_by_waybill
                .get(&rec.id)
                .map_or(&NO_PAYMENTS[..], Vec::as_slice),
            trip: slot.trip,
            track,
            window,
            trip_fixes,
            config: monitor.config,
            costs,
            completeness: OnceCell::new(),
        }
    }

    /// Track completeness of the trip (computed once), `None` without a trip.
    pub fn completeness(&self) -> Option<&Completeness> {
        self.completeness
            .get_or_init(|| {
                let trip = self.trip?;
                Some(completeness(
                    self.track,
                    self.trip_fixes.clone(),
                    trip,
                    self.config.max_gap_s,
                ))
            })
            .as_ref()
    }

    /// A finding of `rule` about this waybill.
    pub fn finding(
        &self,
        rule: &RuleInfo,
        message: String,
        evidence: serde_json::Value,
    ) -> Finding {
        Finding {
            rule: rule.code.to_string(),
            severity: rule.severity,
            waybill_id: self.id.clone(),
            message,
            evidence,
        }
    }
}
