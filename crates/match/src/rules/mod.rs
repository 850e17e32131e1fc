//! Compatibility rules, one named feature per file. Each returns a [`Reason`] when a pair fails.
//!
//! *Static* rules need only the load, the vehicle and the trip date; *timed* rules also need the
//! [`Timing`] of the trip computed from road travel times. [`check_static`] and [`check_timed`] run
//! every rule and return all failures at once.

pub mod body;
pub mod capacity;
pub mod certificates;
pub mod dangerous;
pub mod declined;
pub mod delivery;
pub mod dimensions;
pub mod pickup;
pub mod refrigeration;
pub mod working_time;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Leg, Load, Seconds};

use crate::input::{AvailableVehicle, MatchConfig};

/// The name of a rule; stable in JSON (`snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleName {
    /// Weight and volume within the vehicle's rated load and cargo volume.
    Capacity,
    /// Body type suits the cargo class.
    BodyType,
    /// Refrigeration unit covers the load's temperature range.
    Refrigeration,
    /// Vehicle approved for the dangerous-goods class, and a qualified driver on board.
    DangerousGoods,
    /// Largest package fits the inner dimensions.
    Dimensions,
    /// Transport certificate, driving licence and qualification valid on the trip date.
    Certificates,
    /// The vehicle reaches the pickup before the pickup window closes.
    PickupReachable,
    /// The goods arrive before the delivery window closes.
    DeliveryWindow,
    /// The trip fits the crew's remaining driving time.
    WorkingTime,
    /// No road route between the points.
    RoadRoute,
    /// The vehicle's carrier declined the load.
    Declined,
}

/// Why a vehicle cannot take a load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule that failed.
    pub rule: RuleName,
    /// Stable code, e.g. `capacity.weight`.
    pub code: String,
    /// Human-readable explanation with the numbers.
    pub message: String,
}

/// Two instants for a reason's message, in UTC and marked so: times of day when both fall on the
/// same date, else dates and times, so that a window that closed on an earlier day (a stale load, or
/// a run for the wrong date) does not read as "arrives 00:00, window closes 02:44".
pub(crate) fn two_instants(a: DateTime<Utc>, b: DateTime<Utc>) -> (String, String) {
    let f = if a.date_naive() == b.date_naive() {
        "%H:%M UTC"
    } else {
        "%Y-%m-%d %H:%M UTC"
    };
    (a.format(f).to_string(), b.format(f).to_string())
}

impl Reason {
    /// Builds a reason.
    pub fn new(rule: RuleName, code: &str, message: impl Into<String>) -> Self {
        Self {
            rule,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

/// Where and when a vehicle is free, and how much driving is left: its state before a trip.
/// Chaining moves the state to the end of the previous load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VehicleState {
    /// Position when free.
    pub position: GeoPoint,
    /// Time when free.
    pub free_from: DateTime<Utc>,
    /// Driving time left.
    pub remaining_driving: Seconds,
}

impl VehicleState {
    /// The state of a vehicle before its first load.
    pub fn initial(v: &AvailableVehicle) -> Self {
        Self {
            position: v.position,
            free_from: v.free_from,
            remaining_driving: v.remaining_driving,
        }
    }
}

/// A (load, vehicle) pair to check.
#[derive(Debug, Clone, Copy)]
pub struct Pair<'a> {
    /// The load.
    pub load: &'a Load,
    /// The vehicle with its crew.
    pub vehicle: &'a AvailableVehicle,
    /// The trip date, for certificates.
    pub date: NaiveDate,
}

/// The schedule of one trip: deadhead to the pickup, loading, loaded drive, unloading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Empty drive from the vehicle's position to the pickup.
    pub deadhead: Leg,
    /// Loaded drive from pickup to delivery.
    pub loaded: Leg,
    /// Arrival at the pickup.
    pub arrive_pickup: DateTime<Utc>,
    /// Start of loading (arrival, or the window start if early).
    pub start_loading: DateTime<Utc>,
    /// Arrival at the destination.
    pub arrive_delivery: DateTime<Utc>,
    /// Start of unloading (arrival, or the window start if early).
    pub start_unloading: DateTime<Utc>,
    /// When the vehicle is free again at the destination.
    pub done: DateTime<Utc>,
    /// Driving time of the trip (deadhead + loaded).
    pub driving: Seconds,
}

/// Adds fractional seconds to a time.
pub fn add_s(t: DateTime<Utc>, s: f64) -> DateTime<Utc> {
    t + chrono::Duration::milliseconds((s * 1000.0).round() as i64)
}

impl Timing {
    /// Schedules `load` for a vehicle in `state`, with the given legs.
    pub fn compute(
        load: &Load,
        state: &VehicleState,
        deadhead: Leg,
        loaded: Leg,
        config: &MatchConfig,
    ) -> Self {
        let arrive_pickup = add_s(state.free_from, deadhead.duration.0);
        let start_loading = arrive_pickup.max(load.pickup_window.start);
        let arrive_delivery = add_s(start_loading, config.loading_s + loaded.duration.0);
        let start_unloading = arrive_delivery.max(load.delivery_window.start);
        Self {
            deadhead,
            loaded,
            arrive_pickup,
            start_loading,
            arrive_delivery,
            start_unloading,
            done: add_s(start_unloading, config.unloading_s),
            driving: Seconds(deadhead.duration.0 + loaded.duration.0),
        }
    }

    /// The vehicle's state after this trip.
    pub fn after(&self, load: &Load, state: &VehicleState) -> VehicleState {
        VehicleState {
            position: load.destination.point,
            free_from: self.done,
            remaining_driving: Seconds(state.remaining_driving.0 - self.driving.0),
        }
    }
}

type StaticRule = fn(&Pair) -> Result<(), Reason>;
type TimedRule = fn(&Pair, &VehicleState, &Timing) -> Result<(), Reason>;

/// The static rules, in the order they are checked.
pub const STATIC_RULES: &[(RuleName, StaticRule)] = &[
    (RuleName::Capacity, capacity::check),
    (RuleName::BodyType, body::check),
    (RuleName::Refrigeration, refrigeration::check),
    (RuleName::DangerousGoods, dangerous::check),
    (RuleName::Dimensions, dimensions::check),
    (RuleName::Certificates, certificates::check),
    (RuleName::Declined, declined::check),
];

/// The timed rules, in the order they are checked.
pub const TIMED_RULES: &[(RuleName, TimedRule)] = &[
    (RuleName::PickupReachable, pickup::check),
    (RuleName::DeliveryWindow, delivery::check),
    (RuleName::WorkingTime, working_time::check),
];

/// Every static failure of a pair (empty: compatible).
pub fn check_static(pair: &Pair) -> Vec<Reason> {
    STATIC_RULES
        .iter()
        .filter_map(|(_, r)| r(pair).err())
        .collect()
}

/// Whether every static rule passes (stops at the first failure). The two most common failures,
/// capacity and body type, are tested first without building a [`Reason`].
pub fn static_ok(pair: &Pair) -> bool {
    let (l, v) = (pair.load, &pair.vehicle.vehicle);
    if l.weight.0 > v.rated_load.0 || l.volume.0 > v.cargo_volume.0 {
        return false;
    }
    if !body::suits(v.body_type, &l.cargo, &l.goods) {
        return false;
    }
    STATIC_RULES.iter().all(|(_, r)| r(pair).is_ok())
}

/// Every timed failure of a scheduled pair (empty: feasible).
pub fn check_timed(pair: &Pair, state: &VehicleState, timing: &Timing) -> Vec<Reason> {
    TIMED_RULES
        .iter()
        .filter_map(|(_, r)| r(pair, state, timing).err())
        .collect()
}
