//! The problem model: a travel matrix, a heterogeneous fleet and the jobs to serve.
//!
//! Locations are indices into the [`TravelMatrix`]; depots are simply the start and end locations of
//! vehicles, so several depots are several start locations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Kg, Seconds, TemperatureRange, M3};

use crate::error::DispatchError;
use crate::matrix::TravelMatrix;

/// A load in both dimensions the planner tracks: weight and volume.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Load {
    /// Weight.
    #[serde(default)]
    pub weight: Kg,
    /// Volume.
    #[serde(default)]
    pub volume: M3,
}

impl Load {
    /// A load of `weight` kilograms and no volume (the Solomon convention: one demand dimension).
    pub fn weight(weight: f64) -> Self {
        Self {
            weight: Kg(weight),
            volume: M3(0.0),
        }
    }
    /// The two dimensions as an array, weight first.
    pub fn to_array(self) -> [f64; 2] {
        [self.weight.0, self.volume.0]
    }
    /// Builds a load from `[weight, volume]`.
    pub fn from_array(a: [f64; 2]) -> Self {
        Self {
            weight: Kg(a[0]),
            volume: M3(a[1]),
        }
    }
}

/// A closed interval of time `[start, end]` in seconds from the planning origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeWindow {
    /// Earliest time.
    pub start: Seconds,
    /// Latest time.
    pub end: Seconds,
}

impl TimeWindow {
    /// Builds a window from raw seconds.
    pub fn new(start: f64, end: f64) -> Self {
        Self {
            start: Seconds(start),
            end: Seconds(end),
        }
    }
}

/// Costs of running one vehicle. The objective minimised is the sum over used vehicles of
/// `fixed + per_km × distance_km + per_hour × driving_hours` (waiting time is not costed).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VehicleCosts {
    /// Cost incurred once when the vehicle is used.
    #[serde(default)]
    pub fixed: f64,
    /// Cost per kilometre driven (matrix distances are in metres).
    #[serde(default)]
    pub per_km: f64,
    /// Cost per hour of driving (matrix durations are in seconds).
    #[serde(default)]
    pub per_hour: f64,
}

impl Default for VehicleCosts {
    /// Distance only: 1 per km.
    fn default() -> Self {
        Self {
            fixed: 0.0,
            per_km: 1.0,
            per_hour: 0.0,
        }
    }
}

/// One vehicle of the fleet with its driver shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Caller's identifier, echoed in the solution.
    pub id: String,
    /// Start location (matrix index), usually a depot.
    pub start: usize,
    /// End location (matrix index); often equal to `start`.
    pub end: usize,
    /// Capacity in weight and volume; the load on board may never exceed it.
    pub capacity: Load,
    /// The vehicle leaves `start` no earlier than `shift.start` and reaches `end` no later than `shift.end`.
    pub shift: TimeWindow,
    /// Longest allowed route duration (from departure to arrival at `end`; the vehicle leaves as late as
    /// it can without delaying its first service).
    #[serde(default)]
    pub max_duration: Option<Seconds>,
    /// Body type, e.g. `van`, `box`, `flatbed`, `tanker`; jobs may require one.
    #[serde(default)]
    pub body: Option<String>,
    /// Temperature range the cargo space can hold (refrigerated vehicles); `None` for ambient only.
    #[serde(default)]
    pub temperature: Option<TemperatureRange>,
    /// Cargo classes the vehicle may carry; empty means every class.
    #[serde(default)]
    pub cargo_classes: BTreeSet<String>,
    /// Free-form skills (e.g. a tail lift or a hazardous-goods licence); a job's skills must be a subset.
    #[serde(default)]
    pub skills: BTreeSet<String>,
    /// Running costs.
    #[serde(default)]
    pub costs: VehicleCosts,
}

/// Whether a job brings goods to its location or takes them away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Goods loaded at the vehicle's start and unloaded here.
    #[default]
    Delivery,
    /// Goods loaded here and carried to the vehicle's end.
    Pickup,
}

/// A stop to serve: a delivery or a pickup at one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Caller's identifier, echoed in the solution.
    pub id: String,
    /// Location (matrix index).
    pub location: usize,
    /// Delivery or pickup.
    #[serde(default)]
    pub kind: JobKind,
    /// Weight and volume delivered or picked up.
    #[serde(default)]
    pub load: Load,
    /// Time spent on site.
    #[serde(default)]
    pub service: Seconds,
    /// Service must *start* inside one of these windows; empty means any time.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
    /// Cargo class, e.g. `food`, `hazmat-3`; the vehicle must accept it.
    #[serde(default)]
    pub cargo_class: Option<String>,
    /// Temperature the goods must be kept at; the vehicle's range must cover it.
    #[serde(default)]
    pub temperature: Option<TemperatureRange>,
    /// Required vehicle body type.
    #[serde(default)]
    pub body: Option<String>,
    /// Required vehicle skills.
    #[serde(default)]
    pub skills: BTreeSet<String>,
    /// Higher priorities are dropped last when not everything fits (0 = normal).
    #[serde(default)]
    pub priority: u32,
}

impl Job {
    /// A delivery at `location` with one time window, the shape of a Solomon customer.
    pub fn delivery(id: impl Into<String>, location: usize, weight: f64) -> Self {
        Self {
            id: id.into(),
            location,
            kind: JobKind::Delivery,
            load: Load::weight(weight),
            service: Seconds(0.0),
            time_windows: Vec::new(),
            cargo_class: None,
            temperature: None,
            body: None,
            skills: BTreeSet::new(),
            priority: 0,
        }
    }
}

impl Vehicle {
    /// A vehicle with the given capacity, based at `depot` for `shift`, costed by distance only.
    pub fn new(id: impl Into<String>, depot: usize, capacity: Load, shift: TimeWindow) -> Self {
        Self {
            id: id.into(),
            start: depot,
            end: depot,
            capacity,
            shift,
            max_duration: None,
            body: None,
            temperature: None,
            cargo_classes: BTreeSet::new(),
            skills: BTreeSet::new(),
            costs: VehicleCosts::default(),
        }
    }

    /// Whether this vehicle may carry `job` at all (body, temperature, cargo class, skills). Capacity and
    /// time are checked separately.
    pub fn accepts(&self, job: &Job) -> bool {
        if let Some(b) = &job.body {
            if self.body.as_ref() != Some(b) {
                return false;
            }
        }
        if let Some(t) = &job.temperature {
            match &self.temperature {
                Some(v) if v.covers(t) => {}
                _ => return false,
            }
        }
        if let Some(c) = &job.cargo_class {
            if !self.cargo_classes.is_empty() && !self.cargo_classes.contains(c) {
                return false;
            }
        }
        job.skills.is_subset(&self.skills)
    }
}

/// A complete dispatch problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Distances (metres) and durations (seconds) between all locations.
    pub matrix: TravelMatrix,
    /// The fleet; each vehicle drives at most one route.
    pub vehicles: Vec<Vehicle>,
    /// The jobs to serve.
    pub jobs: Vec<Job>,
    /// Coordinates of the matrix locations, when known (for maps); empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<GeoPoint>,
    /// Cost of leaving one job out (times `1 + priority`). Default: per job, ten times the cost
    /// of the dearest route serving it alone, so jobs are served whenever they can be. Set it
    /// when jobs are interchangeable, e.g. loads on a matching platform: with the default a job
    /// that is costly to serve is also costly to leave out, so the search prefers serving it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unassigned_penalty: Option<f64>,
}

impl Problem {
    /// A problem over an existing matrix, without coordinates.
    pub fn new(matrix: TravelMatrix, vehicles: Vec<Vehicle>, jobs: Vec<Job>) -> Self {
        Self {
            matrix,
            vehicles,
            jobs,
            locations: Vec::new(),
            unassigned_penalty: None,
        }
    }

    /// A problem over `points`, with travel costs from `costs` (normally the road engine; never straight
    /// lines when a network is loaded). Location `i` of vehicles and jobs is `points[i]`.
    pub fn from_points(
        costs: &dyn wuliu_model::TravelCosts,
        points: Vec<GeoPoint>,
        vehicles: Vec<Vehicle>,
        jobs: Vec<Job>,
    ) -> Result<Self, DispatchError> {
        let matrix = TravelMatrix::from_travel_costs(costs, &points)?;
        Ok(Self {
            matrix,
            vehicles,
            jobs,
            locations: points,
            unassigned_penalty: None,
        })
    }

    /// Checks indices, windows and numbers; returns every problem found at once.
    pub fn validate(&self) -> Result<(), DispatchError> {
        let mut v = wuliu_model::Violations::default();
        let n = self.matrix.size();
        if self.vehicles.is_empty() {
            v.push("dispatch.no_vehicles", "vehicles", "the fleet is empty");
        }
        if let Some(p) = self.unassigned_penalty {
            if !(p >= 0.0 && p.is_finite()) {
                v.push(
                    "dispatch.bad_number",
                    "unassigned_penalty",
                    "must be finite and >= 0",
                );
            }
        }
        for (i, veh) in self.vehicles.iter().enumerate() {
            let f = format!("vehicles[{i}]");
            if veh.start >= n || veh.end >= n {
                v.push(
                    "dispatch.location_out_of_range",
                    format!("{f}.start"),
                    format!("start/end location must be < {n}"),
                );
            }
            if !ordered(veh.shift.start.0, veh.shift.end.0) {
                v.push(
                    "dispatch.bad_window",
                    format!("{f}.shift"),
                    "shift start after end",
                );
            }
            for (name, x) in [
                ("capacity.weight", veh.capacity.weight.0),
                ("capacity.volume", veh.capacity.volume.0),
            ] {
                if !(x >= 0.0 && x.is_finite()) {
                    v.push(
                        "dispatch.bad_number",
                        format!("{f}.{name}"),
                        "must be finite and >= 0",
                    );
                }
            }
        }
        for (j, job) in self.jobs.iter().enumerate() {
            let f = format!("jobs[{j}]");
            if job.location >= n {
                v.push(
                    "dispatch.location_out_of_range",
                    format!("{f}.location"),
                    format!("location must be < {n}"),
                );
            }
            for (k, w) in job.time_windows.iter().enumerate() {
                if !ordered(w.start.0, w.end.0) {
                    v.push(
                        "dispatch.bad_window",
                        format!("{f}.time_windows[{k}]"),
                        "window start after end",
                    );
                }
            }
            for (name, x) in [
                ("load.weight", job.load.weight.0),
                ("load.volume", job.load.volume.0),
                ("service", job.service.0),
            ] {
                if !(x >= 0.0 && x.is_finite()) {
                    v.push(
                        "dispatch.bad_number",
                        format!("{f}.{name}"),
                        "must be finite and >= 0",
                    );
                }
            }
        }
        if !self.locations.is_empty() && self.locations.len() != n {
            v.push(
                "dispatch.locations_size",
                "locations",
                format!(
                    "{} coordinates for a {n}-location matrix",
                    self.locations.len()
                ),
            );
        }
        let mut seen = BTreeSet::new();
        for (j, job) in self.jobs.iter().enumerate() {
            if !seen.insert(&job.id) {
                v.push(
                    "dispatch.duplicate_id",
                    format!("jobs[{j}].id"),
                    format!("job id {} is used twice", job.id),
                );
            }
        }
        v.into_result().map_err(DispatchError::Invalid)
    }
}

/// `a <= b`, false when either is NaN.
fn ordered(a: f64, b: f64) -> bool {
    matches!(
        a.partial_cmp(&b),
        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
    )
}
