//! The problem model: a travel matrix, a heterogeneous fleet and the jobs to serve.
//!
//! Locations are indices into the [`TravelMatrix`]; depots are simply the start and end locations of
//! vehicles, so several depots are several start locations.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Kg, Seconds, TemperatureRange, M3};

use crate::error::DispatchError;
use crate::matrix::TravelMatrix;

/// How many capacity dimensions the planner tracks: weight, volume and two more.
pub const DIMS: usize = 4;

/// A load in every dimension the planner tracks: weight, volume, and up to two further dimensions
/// (pallets, pieces, seats…: what a VROOM document's third and fourth amounts mean is up to its author).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Load {
    /// Weight.
    #[serde(default)]
    pub weight: Kg,
    /// Volume.
    #[serde(default)]
    pub volume: M3,
    /// Further dimensions, in the caller's units; zero when unused.
    #[serde(default, skip_serializing_if = "no_extra")]
    pub extra: [f64; 2],
}

fn no_extra(e: &[f64; 2]) -> bool {
    e.iter().all(|&x| x == 0.0)
}

impl Load {
    /// A load of `weight` kilograms and no volume (the Solomon convention: one demand dimension).
    pub fn weight(weight: f64) -> Self {
        Self {
            weight: Kg(weight),
            volume: M3(0.0),
            extra: [0.0; 2],
        }
    }
    /// Weight and volume as an array, weight first.
    pub fn to_array(self) -> [f64; 2] {
        [self.weight.0, self.volume.0]
    }
    /// Builds a load from `[weight, volume]`.
    pub fn from_array(a: [f64; 2]) -> Self {
        Self::from_dims([a[0], a[1], 0.0, 0.0])
    }
    /// Every dimension as an array: weight, volume, then the extra dimensions.
    pub fn dims(self) -> [f64; DIMS] {
        [self.weight.0, self.volume.0, self.extra[0], self.extra[1]]
    }
    /// Builds a load from all [`DIMS`] dimensions.
    pub fn from_dims(a: [f64; DIMS]) -> Self {
        Self {
            weight: Kg(a[0]),
            volume: M3(a[1]),
            extra: [a[2], a[3]],
        }
    }
    /// A capacity without limit in any dimension.
    pub fn unlimited() -> Self {
        Self::from_dims([f64::MAX; DIMS])
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

/// A driver break: a pause of `service` seconds starting inside one of `time_windows`, taken where
/// the vehicle is (after its previous stop). VROOM's `breaks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Break {
    /// Caller's identifier, echoed in the solution.
    pub id: String,
    /// The break must start inside one of these windows.
    pub time_windows: Vec<TimeWindow>,
    /// Length of the break.
    #[serde(default)]
    pub service: Seconds,
    /// Most the vehicle may have on board during the break (e.g. cash or dangerous goods rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_load: Option<Load>,
}

/// One vehicle of the fleet with its driver shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vehicle {
    /// Caller's identifier, echoed in the solution.
    pub id: String,
    /// Start location (matrix index), usually a depot; `None` for a route that starts at its first
    /// stop (an open route).
    #[serde(default)]
    pub start: Option<usize>,
    /// End location (matrix index), often equal to `start`; `None` for a route that ends at its last
    /// stop.
    #[serde(default)]
    pub end: Option<usize>,
    /// Capacity in every dimension; the load on board may never exceed it.
    pub capacity: Load,
    /// The vehicle leaves `start` no earlier than `shift.start` and reaches `end` no later than `shift.end`.
    pub shift: TimeWindow,
    /// Longest allowed route duration (from departure to arrival at `end`; the vehicle leaves as late as
    /// it can without delaying its first service).
    #[serde(default)]
    pub max_duration: Option<Seconds>,
    /// Most stops (jobs, pickups and deliveries) on the route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tasks: Option<usize>,
    /// Most driving time on the route (waiting and service excluded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_travel_time: Option<Seconds>,
    /// Most distance on the route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_distance: Option<wuliu_model::Meters>,
    /// Travel times of this vehicle are the matrix's divided by this factor (VROOM's
    /// `speed_factor`; 1 by default, e.g. 0.8 for a heavy truck).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub speed_factor: f64,
    /// Driver breaks; every break is taken on a used route.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<Break>,
    /// Free-form vehicle type echoed in the solution (VROOM's `type`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<String>,
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

fn one() -> f64 {
    1.0
}
fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// What a job or shipment needs from the vehicle that carries it.
#[derive(Debug, Clone, Copy)]
pub struct Needs<'a> {
    /// Required body type.
    pub body: Option<&'a String>,
    /// Temperature the goods must be kept at.
    pub temperature: Option<&'a TemperatureRange>,
    /// Cargo class.
    pub cargo_class: Option<&'a String>,
    /// Required skills.
    pub skills: &'a BTreeSet<String>,
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
    /// For a delivery, goods also picked up here and carried to the vehicle's end (returns, empty
    /// pallets: VROOM's job with both `delivery` and `pickup`); zero otherwise.
    #[serde(default, skip_serializing_if = "is_zero_load")]
    pub backhaul: Load,
    /// Time spent on site.
    #[serde(default)]
    pub service: Seconds,
    /// Time spent on arrival when the vehicle comes from another location (parking, check-in); not
    /// spent again for a second stop at the same place.
    #[serde(default, skip_serializing_if = "is_zero_s")]
    pub setup: Seconds,
    /// Service (setup included) must *start* inside one of these windows; empty means any time.
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
    /// Set when this job is one part of a larger job split over several vehicles
    /// (see [`crate::split::split_oversized`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}

/// Which part of a split job a job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The id of the job that was split.
    pub of: String,
    /// This part's number, from 1.
    pub index: usize,
    /// How many parts the job was split into.
    pub count: usize,
}

impl Job {
    /// A delivery at `location` with one time window, the shape of a Solomon customer.
    pub fn delivery(id: impl Into<String>, location: usize, weight: f64) -> Self {
        Self {
            id: id.into(),
            location,
            kind: JobKind::Delivery,
            load: Load::weight(weight),
            backhaul: Load::default(),
            service: Seconds(0.0),
            setup: Seconds(0.0),
            time_windows: Vec::new(),
            cargo_class: None,
            temperature: None,
            body: None,
            skills: BTreeSet::new(),
            priority: 0,
            part: None,
        }
    }
}

fn is_zero_load(l: &Load) -> bool {
    l.dims().iter().all(|&x| x == 0.0)
}
fn is_zero_s(s: &Seconds) -> bool {
    s.0 == 0.0
}

impl Job {
    /// What the job needs from its vehicle.
    pub fn needs(&self) -> Needs<'_> {
        Needs {
            body: self.body.as_ref(),
            temperature: self.temperature.as_ref(),
            cargo_class: self.cargo_class.as_ref(),
            skills: &self.skills,
        }
    }
}

/// One end of a [`Shipment`]: where, when and how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShipmentStop {
    /// Caller's identifier of this stop, echoed in the solution.
    pub id: String,
    /// Location (matrix index).
    pub location: usize,
    /// Time spent on site.
    #[serde(default)]
    pub service: Seconds,
    /// Time spent on arrival from another location (see [`Job::setup`]).
    #[serde(default, skip_serializing_if = "is_zero_s")]
    pub setup: Seconds,
    /// Service must start inside one of these windows; empty means any time.
    #[serde(default)]
    pub time_windows: Vec<TimeWindow>,
}

impl ShipmentStop {
    /// A stop at `location` with no service time and no window.
    pub fn at(id: impl Into<String>, location: usize) -> Self {
        Self {
            id: id.into(),
            location,
            service: Seconds(0.0),
            setup: Seconds(0.0),
            time_windows: Vec::new(),
        }
    }
}

/// Goods picked up at one place and delivered at another by the same vehicle, pickup first, on
/// board in between (VROOM's `shipments`, the pickup-and-delivery problem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shipment {
    /// Caller's identifier, echoed in the solution.
    pub id: String,
    /// Where the goods are loaded.
    pub pickup: ShipmentStop,
    /// Where they are unloaded.
    pub delivery: ShipmentStop,
    /// What is carried.
    #[serde(default)]
    pub load: Load,
    /// Cargo class; the vehicle must accept it.
    #[serde(default)]
    pub cargo_class: Option<String>,
    /// Temperature the goods must be kept at.
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

impl Shipment {
    /// A shipment of `weight` from `pickup` to `delivery` (matrix indices); the stops' ids are the
    /// shipment's id with `-p` and `-d`.
    pub fn new(id: impl Into<String>, pickup: usize, delivery: usize, weight: f64) -> Self {
        let id = id.into();
        Self {
            pickup: ShipmentStop::at(format!("{id}-p"), pickup),
            delivery: ShipmentStop::at(format!("{id}-d"), delivery),
            id,
            load: Load::weight(weight),
            cargo_class: None,
            temperature: None,
            body: None,
            skills: BTreeSet::new(),
            priority: 0,
        }
    }

    /// What the shipment needs from its vehicle.
    pub fn needs(&self) -> Needs<'_> {
        Needs {
            body: self.body.as_ref(),
            temperature: self.temperature.as_ref(),
            cargo_class: self.cargo_class.as_ref(),
            skills: &self.skills,
        }
    }
}

/// What the planner minimises.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Total cost of the routes (VROOM's objective): fixed, per km and per hour costs.
    #[default]
    MinCost,
    /// Fewest vehicles first, then cost (fleet minimisation, as the hierarchical best-known tables
    /// of Solomon, Gehring–Homberger and Li & Lim rank).
    MinVehicles,
}

impl Vehicle {
    /// A vehicle with the given capacity, based at `depot` for `shift`, costed by distance only.
    pub fn new(id: impl Into<String>, depot: usize, capacity: Load, shift: TimeWindow) -> Self {
        Self {
            id: id.into(),
            start: Some(depot),
            end: Some(depot),
            capacity,
            shift,
            max_duration: None,
            max_tasks: None,
            max_travel_time: None,
            max_distance: None,
            speed_factor: 1.0,
            breaks: Vec::new(),
            vehicle_type: None,
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
        self.meets(job.needs())
    }

    /// Whether this vehicle meets `needs` (body, temperature, cargo class, skills).
    pub fn meets(&self, needs: Needs<'_>) -> bool {
        if let Some(b) = needs.body {
            if self.body.as_ref() != Some(b) {
                return false;
            }
        }
        if let Some(t) = needs.temperature {
            match &self.temperature {
                Some(v) if v.covers(t) => {}
                _ => return false,
            }
        }
        if let Some(c) = needs.cargo_class {
            if !self.cargo_classes.is_empty() && !self.cargo_classes.contains(c) {
                return false;
            }
        }
        needs.skills.is_subset(&self.skills)
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
    /// Pickup-and-delivery pairs to serve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipments: Vec<Shipment>,
    /// What to minimise (default: cost).
    #[serde(default)]
    pub objective: Objective,
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
            shipments: Vec::new(),
            objective: Objective::default(),
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
            shipments: Vec::new(),
            objective: Objective::default(),
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
            non_negative(&mut v, "unassigned_penalty", p);
        }
        for (i, veh) in self.vehicles.iter().enumerate() {
            validate_vehicle(&mut v, &format!("vehicles[{i}]"), veh, n);
        }
        for (j, job) in self.jobs.iter().enumerate() {
            let f = format!("jobs[{j}]");
            location(&mut v, &format!("{f}.location"), job.location, n);
            windows(&mut v, &f, &job.time_windows);
            load(&mut v, &format!("{f}.load"), &job.load);
            load(&mut v, &format!("{f}.backhaul"), &job.backhaul);
            non_negative(&mut v, &format!("{f}.service"), job.service.0);
            non_negative(&mut v, &format!("{f}.setup"), job.setup.0);
        }
        for (k, sh) in self.shipments.iter().enumerate() {
            let f = format!("shipments[{k}]");
            load(&mut v, &format!("{f}.load"), &sh.load);
            for (name, stop) in [("pickup", &sh.pickup), ("delivery", &sh.delivery)] {
                let g = format!("{f}.{name}");
                location(&mut v, &format!("{g}.location"), stop.location, n);
                windows(&mut v, &g, &stop.time_windows);
                non_negative(&mut v, &format!("{g}.service"), stop.service.0);
                non_negative(&mut v, &format!("{g}.setup"), stop.setup.0);
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
        let ids = self.jobs.iter().map(|j| ("jobs", &j.id));
        let ids = ids.chain(self.shipments.iter().map(|s| ("shipments", &s.id)));
        for (k, (list, id)) in ids.enumerate() {
            if !seen.insert(id) {
                let k = if list == "jobs" {
                    k
                } else {
                    k - self.jobs.len()
                };
                v.push(
                    "dispatch.duplicate_id",
                    format!("{list}[{k}].id"),
                    format!("id {id} is used twice"),
                );
            }
        }
        v.into_result().map_err(DispatchError::Invalid)
    }
}

fn validate_vehicle(v: &mut wuliu_model::Violations, f: &str, veh: &Vehicle, n: usize) {
    for (name, loc) in [("start", veh.start), ("end", veh.end)] {
        if let Some(l) = loc {
            location(v, &format!("{f}.{name}"), l, n);
        }
    }
    if !ordered(veh.shift.start.0, veh.shift.end.0) {
        v.push(
            "dispatch.bad_window",
            format!("{f}.shift"),
            "shift start after end",
        );
    }
    load(v, &format!("{f}.capacity"), &veh.capacity);
    if !(veh.speed_factor > 0.0 && veh.speed_factor.is_finite()) {
        v.push(
            "dispatch.bad_number",
            format!("{f}.speed_factor"),
            "must be finite and > 0",
        );
    }
    for (name, x) in [
        ("max_duration", veh.max_duration.map(|d| d.0)),
        ("max_travel_time", veh.max_travel_time.map(|d| d.0)),
        ("max_distance", veh.max_distance.map(|d| d.0)),
    ] {
        if let Some(x) = x {
            non_negative(v, &format!("{f}.{name}"), x);
        }
    }
    for (b, br) in veh.breaks.iter().enumerate() {
        let g = format!("{f}.breaks[{b}]");
        if br.time_windows.is_empty() {
            v.push(
                "dispatch.bad_window",
                format!("{g}.time_windows"),
                "a break needs a window",
            );
        }
        windows(v, &g, &br.time_windows);
        non_negative(v, &format!("{g}.service"), br.service.0);
        if let Some(m) = &br.max_load {
            load(v, &format!("{g}.max_load"), m);
        }
    }
}

fn location(v: &mut wuliu_model::Violations, field: &str, loc: usize, n: usize) {
    if loc >= n {
        v.push(
            "dispatch.location_out_of_range",
            field,
            format!("location {loc} is not a matrix index (the matrix has {n} locations)"),
        );
    }
}

fn windows(v: &mut wuliu_model::Violations, f: &str, ws: &[TimeWindow]) {
    for (k, w) in ws.iter().enumerate() {
        if !ordered(w.start.0, w.end.0) {
            v.push(
                "dispatch.bad_window",
                format!("{f}.time_windows[{k}]"),
                "window start after end",
            );
        }
    }
}

fn load(v: &mut wuliu_model::Violations, f: &str, l: &Load) {
    for (name, x) in ["weight", "volume", "extra[0]", "extra[1]"]
        .iter()
        .zip(l.dims())
    {
        non_negative(v, &format!("{f}.{name}"), x);
    }
}

fn non_negative(v: &mut wuliu_model::Violations, field: &str, x: f64) {
    if !(x >= 0.0 && !x.is_nan() && (x.is_finite() || x == f64::INFINITY)) {
        v.push("dispatch.bad_number", field, "must be a number >= 0");
    }
}

/// `a <= b`, false when either is NaN.
fn ordered(a: f64, b: f64) -> bool {
    matches!(
        a.partial_cmp(&b),
        Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
    )
}
