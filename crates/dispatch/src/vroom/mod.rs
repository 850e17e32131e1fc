//! VROOM's JSON problem and solution format (<https://github.com/VROOM-Project/vroom/blob/master/docs/API.md>),
//! so VROOM users can switch without changing their files.
//!
//! [`Input`] and [`Output`] mirror VROOM's documents field by field (absent optional fields stay
//! absent, so a document survives a read/write round trip). [`Input::to_problem`] converts into our
//! [`crate::Problem`], [`Output::from_solution`] converts our [`crate::Solution`] back, and
//! [`Input::from_problem`] / [`Output::to_sequences`] go the other way.
//!
//! Everything VROOM's API lists is read and honoured: jobs (delivery and/or pickup in up to four
//! dimensions, setup and service, several time windows, skills, priority), shipments, vehicles with
//! or without start and end (open routes), capacity, time window, breaks (windows, service,
//! `max_load`), skills, costs (`fixed`, `per_hour`, `per_km`), `max_tasks`, `max_travel_time`,
//! `max_distance`, `speed_factor`, `type`, and `steps` (the route to check in plan mode, the start of
//! the search when solving: see [`crate::plan_mode`]);
//! matrices (`durations`, `distances`, `costs`) or coordinates resolved through a [`TravelCosts`]
//! provider. With only a `durations` matrix, distances are unknown and left out of the answer, as
//! VROOM does.

mod input;
mod output;

pub use output::{Output, OutputRoute, OutputStep, OutputSummary, OutputUnassigned};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
#[allow(unused_imports)]
use wuliu_model::TravelCosts;

/// VROOM's default horizon when a vehicle has no time window.
const HORIZON: f64 = 4_294_967_295.0;

/// A VROOM problem document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Input {
    /// The fleet.
    #[serde(default)]
    pub vehicles: Vec<InputVehicle>,
    /// Single-location jobs.
    #[serde(default)]
    pub jobs: Vec<InputJob>,
    /// Pickup-and-delivery pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipments: Vec<InputShipment>,
    /// Legacy single duration matrix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Vec<Vec<u64>>>,
    /// Matrices per routing profile (usually `car`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub matrices: BTreeMap<String, ProfileMatrices>,
    /// Wuliu extension: when time 0 is, in local time with its UTC offset
    /// (`2026-12-07T07:30:00+08:00`); with a road network, matrices close the roads under
    /// truck bans in force then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departure: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Wuliu extension: `min_cost` (VROOM's objective, the default) or `min_vehicles` (fewest
    /// vehicles first, then cost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<crate::problem::Objective>,
    /// Wuliu extension: split jobs larger than every vehicle that may carry them into parts served
    /// by several vehicles (see [`crate::split`]); each part answers with the job's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_deliveries: Option<bool>,
}

/// The matrices of one profile.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProfileMatrices {
    /// Travel times in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durations: Option<Vec<Vec<u64>>>,
    /// Distances in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distances: Option<Vec<Vec<u64>>>,
    /// Custom travel costs, used instead of the duration-based cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<Vec<Vec<u64>>>,
}

/// VROOM vehicle costs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputCosts {
    /// Cost of using the vehicle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<u64>,
    /// Cost per hour of travel (VROOM default 3600, i.e. one per second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_hour: Option<u64>,
    /// Cost per km travelled (VROOM default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_km: Option<u64>,
}

/// A VROOM vehicle.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputVehicle {
    /// Identifier.
    pub id: u64,
    /// Routing profile (default `car`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Start coordinates `[lon, lat]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<[f64; 2]>,
    /// Start as a matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_index: Option<usize>,
    /// End coordinates `[lon, lat]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<[f64; 2]>,
    /// End as a matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_index: Option<usize>,
    /// Capacity per dimension (up to four; the first is read as weight, the second as volume).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Vec<u64>>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<u32>>,
    /// Working hours `[start, end]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_window: Option<[u64; 2]>,
    /// Driver breaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Vec<InputBreak>>,
    /// Costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<InputCosts>,
    /// Most tasks (jobs, pickups, deliveries) on the route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tasks: Option<u64>,
    /// Most travel time on the route, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_travel_time: Option<u64>,
    /// Most distance on the route, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_distance: Option<u64>,
    /// Travel times are divided by this factor (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_factor: Option<f64>,
    /// Vehicle type, echoed on its route.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<String>,
    /// The vehicle's route as steps: checked as given in plan mode (VROOM's `-c`), the starting
    /// route when solving (see [`crate::plan_mode`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<VehicleStep>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A VROOM job.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputJob {
    /// Identifier.
    pub id: u64,
    /// Coordinates `[lon, lat]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
    /// Matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Setup time, spent when arriving from another location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<u64>,
    /// Service time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<u64>,
    /// Amount delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Vec<u64>>,
    /// Amount picked up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup: Option<Vec<u64>>,
    /// Legacy name for `delivery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Vec<u64>>,
    /// Required skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<u32>>,
    /// Priority 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// Windows in which service may start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_windows: Option<Vec<[u64; 2]>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A VROOM shipment: a pickup and a delivery by the same vehicle.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputShipment {
    /// Where the goods are loaded.
    pub pickup: InputShipmentStep,
    /// Where they are unloaded.
    pub delivery: InputShipmentStep,
    /// What is carried, per dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Vec<u64>>,
    /// Required skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<u32>>,
    /// Priority 0–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
}

/// One end of a VROOM shipment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputShipmentStep {
    /// Identifier (unique among pickups, and among deliveries).
    pub id: u64,
    /// Coordinates `[lon, lat]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
    /// Matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Setup time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup: Option<u64>,
    /// Service time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<u64>,
    /// Windows in which service may start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_windows: Option<Vec<[u64; 2]>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A VROOM driver break.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InputBreak {
    /// Identifier (unique for the vehicle).
    pub id: u64,
    /// Windows in which the break may start.
    #[serde(default)]
    pub time_windows: Vec<[u64; 2]>,
    /// Length of the break.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<u64>,
    /// Most load on board during the break, per dimension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_load: Option<Vec<u64>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One step of a vehicle's given route (see [`crate::plan_mode`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VehicleStep {
    /// `start`, `job`, `pickup`, `delivery`, `break` or `end`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The task's id (not for `start` and `end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Plan mode: service must start exactly then (VROOM: a hard constraint; here reported as a
    /// violation when the route cannot make it). At `start` it is the departure, at `end` the arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_at: Option<u64>,
    /// Plan mode: service starts no earlier (the vehicle waits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_after: Option<u64>,
    /// Plan mode: service starts no later (reported as a `delay` when missed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_before: Option<u64>,
}
