//! VROOM's JSON problem and solution format (<https://github.com/VROOM-Project/vroom/blob/master/docs/API.md>),
//! so VROOM users can switch without changing their files.
//!
//! [`Input`] and [`Output`] mirror VROOM's documents field by field (unknown optional fields are kept
//! out, absent ones stay absent, so a document survives a read/write round trip). [`Input::to_problem`]
//! converts into our [`Problem`], [`Output::from_solution`] converts our [`Solution`] back, and
//! [`Input::from_problem`] / [`Output::to_sequences`] go the other way.
//!
//! Supported: jobs (delivery *or* pickup, service and setup, several time windows, skills, priority),
//! vehicles with start/end, capacity in up to two dimensions (weight, volume), time window, skills and
//! costs (`fixed`, `per_hour`, `per_km`), and matrices (`durations`, `distances`, `costs`) or
//! coordinates resolved through a [`TravelCosts`] provider. Not supported yet (reported as
//! [`DispatchError::Unsupported`]): shipments, breaks, open routes without start or end, `max_tasks`,
//! `max_travel_time`, `max_distance`, jobs with both pickup and delivery.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Kg, Seconds, TravelCosts, M3};

use crate::error::DispatchError;
use crate::matrix::TravelMatrix;
use crate::problem::{Job, JobKind, Load, Problem, TimeWindow, Vehicle, VehicleCosts};
use crate::solution::{Solution, StepKind};

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
    /// Pickup-and-delivery pairs (read and written, but not solved yet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipments: Vec<serde_json::Value>,
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
    /// Capacity per dimension (here: weight, then volume).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<Vec<u64>>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<u32>>,
    /// Working hours `[start, end]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_window: Option<[u64; 2]>,
    /// Breaks (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaks: Option<Vec<serde_json::Value>>,
    /// Costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costs: Option<InputCosts>,
    /// Maximum number of tasks (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tasks: Option<u64>,
    /// Maximum travel time (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_travel_time: Option<u64>,
    /// Maximum distance (not supported yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_distance: Option<u64>,
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
    /// Setup time (added to the service time here).
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

fn unsupported(what: &str) -> DispatchError {
    DispatchError::Unsupported(format!("VROOM input uses {what}"))
}

fn load_of(v: &[u64], what: &str) -> Result<Load, DispatchError> {
    if v.len() > 2 {
        return Err(unsupported(&format!(
            "{what} with more than two dimensions"
        )));
    }
    Ok(Load {
        weight: Kg(v.first().copied().unwrap_or(0) as f64),
        volume: M3(v.get(1).copied().unwrap_or(0) as f64),
    })
}

fn to_f64_rows(m: &[Vec<u64>]) -> Vec<Vec<f64>> {
    m.iter()
        .map(|r| r.iter().map(|&x| x as f64).collect())
        .collect()
}

impl Input {
    /// Converts into a [`Problem`]. With matrices (`*_index` fields), no provider is needed; with
    /// coordinates, `costs` (normally the road network) computes the matrix. When a `costs` matrix is
    /// given, it is used as the distance matrix with a cost of 1 per unit, so the objective equals
    /// VROOM's; otherwise vehicle costs follow VROOM's defaults (`per_hour` 3600, `per_km` 0).
    pub fn to_problem(&self, costs: Option<&dyn TravelCosts>) -> Result<Problem, DispatchError> {
        if !self.shipments.is_empty() {
            return Err(unsupported("shipments (pickup-and-delivery pairs)"));
        }
        let uses_index = self.jobs.iter().all(|j| j.location_index.is_some())
            && self
                .vehicles
                .iter()
                .all(|v| v.start_index.is_some() || v.start.is_none());
        let mut use_cost_matrix = false;
        let (matrix, coords_to_index) = if uses_index {
            let profile = self
                .vehicles
                .first()
                .and_then(|v| v.profile.clone())
                .unwrap_or_else(|| "car".into());
            let (durations, distances, cost_m) = match (self.matrices.get(&profile), &self.matrix) {
                (Some(pm), _) => (pm.durations.clone(), pm.distances.clone(), pm.costs.clone()),
                (None, Some(m)) => (Some(m.clone()), None, None),
                (None, None) => {
                    return Err(DispatchError::Matrix("no matrix for the profile".into()))
                }
            };
            let durations = durations
                .or_else(|| cost_m.clone())
                .ok_or_else(|| DispatchError::Matrix("no durations matrix".into()))?;
            let distances = match cost_m {
                Some(c) => {
                    use_cost_matrix = true;
                    c
                }
                None => distances.unwrap_or_else(|| durations.clone()),
            };
            (
                TravelMatrix::from_rows(&to_f64_rows(&distances), &to_f64_rows(&durations))?,
                None,
            )
        } else {
            let provider = costs.ok_or_else(|| {
                DispatchError::Matrix("coordinates given but no travel-cost provider".into())
            })?;
            let mut points: Vec<[f64; 2]> = Vec::new();
            let mut add = |p: [f64; 2]| {
                if !points.contains(&p) {
                    points.push(p);
                }
            };
            for v in &self.vehicles {
                v.start.into_iter().chain(v.end).for_each(&mut add);
            }
            for j in &self.jobs {
                j.location.into_iter().for_each(&mut add);
            }
            let geo: Vec<GeoPoint> = points
                .iter()
                .map(|p| GeoPoint {
                    lat: p[1],
                    lon: p[0],
                })
                .collect();
            (
                TravelMatrix::from_travel_costs_at(provider, &geo, self.departure)?,
                Some(points),
            )
        };
        let index = |idx: Option<usize>, coord: Option<[f64; 2]>| -> Option<usize> {
            match &coords_to_index {
                None => idx,
                Some(points) => coord.and_then(|c| points.iter().position(|p| *p == c)),
            }
        };
        let mut vehicles = Vec::with_capacity(self.vehicles.len());
        for v in &self.vehicles {
            if v.breaks.as_ref().is_some_and(|b| !b.is_empty()) {
                return Err(unsupported("vehicle breaks"));
            }
            if v.max_tasks.is_some() || v.max_travel_time.is_some() || v.max_distance.is_some() {
                return Err(unsupported("max_tasks, max_travel_time or max_distance"));
            }
            let start = index(v.start_index, v.start);
            let end = index(v.end_index, v.end);
            let (Some(start), Some(end)) = (start, end) else {
                return Err(unsupported("a vehicle without start or end (open routes)"));
            };
            let cap = match &v.capacity {
                Some(c) => {
                    let mut l = load_of(c, "capacity")?;
                    if c.len() < 2 {
                        l.volume = M3(f64::MAX);
                    }
                    l
                }
                None => Load {
                    weight: Kg(f64::MAX),
                    volume: M3(f64::MAX),
                },
            };
            let tw = v.time_window.map_or(TimeWindow::new(0.0, HORIZON), |w| {
                TimeWindow::new(w[0] as f64, w[1] as f64)
            });
            let mut veh = Vehicle::new(v.id.to_string(), start, cap, tw);
            veh.end = end;
            veh.skills = v.skills.iter().flatten().map(|s| s.to_string()).collect();
            let c = v.costs.clone().unwrap_or_default();
            veh.costs = if use_cost_matrix {
                VehicleCosts {
                    fixed: c.fixed.unwrap_or(0) as f64,
                    per_km: 1000.0,
                    per_hour: 0.0,
                }
            } else {
                VehicleCosts {
                    fixed: c.fixed.unwrap_or(0) as f64,
                    per_km: c.per_km.unwrap_or(0) as f64,
                    per_hour: c.per_hour.unwrap_or(3600) as f64,
                }
            };
            vehicles.push(veh);
        }
        let mut jobs = Vec::with_capacity(self.jobs.len());
        for j in &self.jobs {
            let loc = index(j.location_index, j.location)
                .ok_or_else(|| DispatchError::Matrix(format!("job {} has no location", j.id)))?;
            let delivery = j.delivery.as_ref().or(j.amount.as_ref());
            let has = |v: Option<&Vec<u64>>| v.is_some_and(|v| v.iter().any(|&x| x > 0));
            if has(delivery) && has(j.pickup.as_ref()) {
                return Err(unsupported("a job with both pickup and delivery"));
            }
            let (kind, amount) = if has(j.pickup.as_ref()) {
                (JobKind::Pickup, j.pickup.as_ref())
            } else {
                (JobKind::Delivery, delivery)
            };
            let mut job = Job::delivery(j.id.to_string(), loc, 0.0);
            job.kind = kind;
            job.load = load_of(amount.map_or(&[][..], |v| &v[..]), "amounts")?;
            job.service = Seconds((j.setup.unwrap_or(0) + j.service.unwrap_or(0)) as f64);
            job.time_windows = j
                .time_windows
                .iter()
                .flatten()
                .map(|w| TimeWindow::new(w[0] as f64, w[1] as f64))
                .collect();
            job.skills = j.skills.iter().flatten().map(|s| s.to_string()).collect();
            job.priority = j.priority.unwrap_or(0);
            jobs.push(job);
        }
        let mut p = Problem::new(matrix, vehicles, jobs);
        if let Some(points) = &coords_to_index {
            p.locations = points
                .iter()
                .map(|c| GeoPoint {
                    lat: c[1],
                    lon: c[0],
                })
                .collect();
        }
        p.validate()?;
        Ok(p)
    }

    /// Writes a [`Problem`] as a VROOM document with `car` matrices (durations and distances rounded to
    /// whole seconds and metres). Ids that are not integers are replaced by their position + 1.
    pub fn from_problem(p: &Problem) -> Input {
        let n = p.matrix.size();
        let rows = |f: &dyn Fn(usize, usize) -> f64| -> Vec<Vec<u64>> {
            (0..n)
                .map(|i| (0..n).map(|j| f(i, j).round() as u64).collect())
                .collect()
        };
        let id = |s: &str, i: usize| s.parse::<u64>().unwrap_or(i as u64 + 1);
        let amount =
            |l: &Load| -> Vec<u64> { vec![l.weight.0.round() as u64, l.volume.0.round() as u64] };
        let cap = |x: f64| {
            if x >= f64::MAX {
                u64::MAX
            } else {
                x.round() as u64
            }
        };
        let vehicles = p
            .vehicles
            .iter()
            .enumerate()
            .map(|(i, v)| InputVehicle {
                id: id(&v.id, i),
                start_index: Some(v.start),
                end_index: Some(v.end),
                capacity: Some(vec![cap(v.capacity.weight.0), cap(v.capacity.volume.0)]),
                skills: (!v.skills.is_empty())
                    .then(|| v.skills.iter().filter_map(|s| s.parse().ok()).collect()),
                time_window: Some([v.shift.start.0.round() as u64, v.shift.end.0.round() as u64]),
                costs: Some(InputCosts {
                    fixed: Some(v.costs.fixed.round() as u64),
                    per_hour: Some(v.costs.per_hour.round() as u64),
                    per_km: Some(v.costs.per_km.round() as u64),
                }),
                ..Default::default()
            })
            .collect();
        let jobs = p
            .jobs
            .iter()
            .enumerate()
            .map(|(i, j)| {
                let (delivery, pickup) = match j.kind {
                    JobKind::Delivery => (Some(amount(&j.load)), None),
                    JobKind::Pickup => (None, Some(amount(&j.load))),
                };
                InputJob {
                    id: id(&j.id, i),
                    location_index: Some(j.location),
                    service: Some(j.service.0.round() as u64),
                    delivery,
                    pickup,
                    skills: (!j.skills.is_empty())
                        .then(|| j.skills.iter().filter_map(|s| s.parse().ok()).collect()),
                    priority: (j.priority > 0).then_some(j.priority),
                    time_windows: (!j.time_windows.is_empty()).then(|| {
                        j.time_windows
                            .iter()
                            .map(|w| [w.start.0.round() as u64, w.end.0.round() as u64])
                            .collect()
                    }),
                    ..Default::default()
                }
            })
            .collect();
        let mut matrices = BTreeMap::new();
        matrices.insert(
            "car".to_string(),
            ProfileMatrices {
                durations: Some(rows(&|i, j| p.matrix.duration(i, j))),
                distances: Some(rows(&|i, j| p.matrix.distance(i, j))),
                costs: None,
            },
        );
        Input {
            vehicles,
            jobs,
            shipments: Vec::new(),
            matrix: None,
            matrices,
            departure: None,
        }
    }
}

/// A VROOM solution document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Output {
    /// 0 on success.
    pub code: u32,
    /// Totals.
    pub summary: OutputSummary,
    /// Jobs left out.
    #[serde(default)]
    pub unassigned: Vec<OutputUnassigned>,
    /// Routes.
    #[serde(default)]
    pub routes: Vec<OutputRoute>,
}

/// Totals of a VROOM solution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutputSummary {
    /// Total cost.
    pub cost: u64,
    /// Number of routes.
    pub routes: usize,
    /// Number of unassigned jobs.
    pub unassigned: usize,
    /// Total delivered per dimension.
    #[serde(default)]
    pub delivery: Vec<u64>,
    /// Total picked up per dimension.
    #[serde(default)]
    pub pickup: Vec<u64>,
    /// Total setup time.
    #[serde(default)]
    pub setup: u64,
    /// Total service time.
    #[serde(default)]
    pub service: u64,
    /// Total travel time.
    #[serde(default)]
    pub duration: u64,
    /// Total waiting time.
    #[serde(default)]
    pub waiting_time: u64,
    /// Sum of priorities of served jobs.
    #[serde(default)]
    pub priority: u64,
    /// Total distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<u64>,
    /// Constraint violations (always empty here).
    #[serde(default)]
    pub violations: Vec<serde_json::Value>,
}

/// One route of a VROOM solution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutputRoute {
    /// Vehicle id.
    pub vehicle: u64,
    /// Route cost.
    pub cost: u64,
    /// Delivered per dimension.
    #[serde(default)]
    pub delivery: Vec<u64>,
    /// Picked up per dimension.
    #[serde(default)]
    pub pickup: Vec<u64>,
    /// Setup time.
    #[serde(default)]
    pub setup: u64,
    /// Service time.
    #[serde(default)]
    pub service: u64,
    /// Travel time.
    #[serde(default)]
    pub duration: u64,
    /// Waiting time.
    #[serde(default)]
    pub waiting_time: u64,
    /// Sum of priorities.
    #[serde(default)]
    pub priority: u64,
    /// Distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<u64>,
    /// Steps: start, jobs, end.
    pub steps: Vec<OutputStep>,
    /// Constraint violations (always empty here).
    #[serde(default)]
    pub violations: Vec<serde_json::Value>,
}

/// One step of a VROOM route.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutputStep {
    /// `start`, `job` or `end`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Coordinates `[lon, lat]` when the input had them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
    /// Job id for job steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Setup time.
    #[serde(default)]
    pub setup: u64,
    /// Service time.
    #[serde(default)]
    pub service: u64,
    /// Waiting time before service.
    #[serde(default)]
    pub waiting_time: u64,
    /// Load after the step.
    #[serde(default)]
    pub load: Vec<u64>,
    /// Arrival time.
    pub arrival: u64,
    /// Cumulated travel time.
    pub duration: u64,
    /// Cumulated distance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<u64>,
    /// Constraint violations (always empty here).
    #[serde(default)]
    pub violations: Vec<serde_json::Value>,
}

/// A job VROOM could not place.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OutputUnassigned {
    /// Job id.
    pub id: u64,
    /// `job`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Coordinates `[lon, lat]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
    /// Why the job was left out (our extension; VROOM gives no reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<crate::solution::UnassignedReason>,
}

fn r(x: f64) -> u64 {
    x.max(0.0).round() as u64
}

impl Output {
    /// Writes `solution` (of the problem made by [`Input::to_problem`] from `input`) in VROOM's shape,
    /// with VROOM's ids, locations and integer amounts and times.
    pub fn from_solution(input: &Input, problem: &Problem, solution: &Solution) -> Output {
        let mut routes = Vec::new();
        let dims = |l: &Load| vec![r(l.weight.0), r(l.volume.0)];
        for route in &solution.routes {
            let vin = &input.vehicles[route.vehicle];
            let mut steps = Vec::new();
            let (mut travel, mut dist, mut waiting, mut service, mut prio) =
                (0.0, 0.0, 0.0, 0.0, 0u64);
            let mut delivery = Load::default();
            let mut pickup = Load::default();
            let mut prev: Option<usize> = None;
            for s in &route.steps {
                if let Some(p) = prev {
                    travel += problem.matrix.duration(p, s.location);
                    dist += problem.matrix.distance(p, s.location);
                }
                prev = Some(s.location);
                let wait = s.service_start.0 - s.arrival.0;
                let (kind, id, location, svc) = match s.kind {
                    StepKind::Start => ("start", None, vin.start, 0.0),
                    StepKind::End => ("end", None, vin.end, 0.0),
                    StepKind::Job => {
                        let j = s.job.unwrap_or(0);
                        let ij = &input.jobs[j];
                        let job = &problem.jobs[j];
                        prio += job.priority as u64;
                        let l = job.load.to_array();
                        let target = if job.kind == JobKind::Pickup {
                            &mut pickup
                        } else {
                            &mut delivery
                        };
                        *target =
                            Load::from_array([target.weight.0 + l[0], target.volume.0 + l[1]]);
                        ("job", Some(ij.id), ij.location, job.service.0)
                    }
                };
                waiting += wait.max(0.0);
                service += svc;
                steps.push(OutputStep {
                    kind: kind.into(),
                    location_index: Some(s.location),
                    location,
                    id,
                    setup: 0,
                    service: r(svc),
                    waiting_time: r(wait),
                    load: dims(&s.load),
                    arrival: r(s.arrival.0),
                    duration: r(travel),
                    distance: Some(r(dist)),
                    violations: Vec::new(),
                });
            }
            routes.push(OutputRoute {
                vehicle: vin.id,
                cost: r(route.cost),
                delivery: dims(&delivery),
                pickup: dims(&pickup),
                setup: 0,
                service: r(service),
                duration: r(travel),
                waiting_time: r(waiting),
                priority: prio,
                distance: Some(r(dist)),
                steps,
                violations: Vec::new(),
            });
        }
        let sum = |f: &dyn Fn(&OutputRoute) -> u64| routes.iter().map(f).sum::<u64>();
        let sumv = |f: &dyn Fn(&OutputRoute) -> &Vec<u64>| -> Vec<u64> {
            (0..2)
                .map(|k| routes.iter().map(|x| f(x)[k]).sum())
                .collect()
        };
        let summary = OutputSummary {
            cost: sum(&|x| x.cost),
            routes: routes.len(),
            unassigned: solution.unassigned.len(),
            delivery: sumv(&|x| &x.delivery),
            pickup: sumv(&|x| &x.pickup),
            setup: 0,
            service: sum(&|x| x.service),
            duration: sum(&|x| x.duration),
            waiting_time: sum(&|x| x.waiting_time),
            priority: sum(&|x| x.priority),
            distance: Some(sum(&|x| x.distance.unwrap_or(0))),
            violations: Vec::new(),
        };
        let unassigned = solution
            .unassigned
            .iter()
            .map(|u| OutputUnassigned {
                id: input.jobs[u.job].id,
                kind: "job".into(),
                location_index: Some(problem.jobs[u.job].location),
                location: input.jobs[u.job].location,
                reason: Some(u.reason),
            })
            .collect();
        Output {
            code: 0,
            summary,
            unassigned,
            routes,
        }
    }

    /// Reads the routes back as `(vehicle index, job indices)` of `input`, e.g. to check a solution VROOM
    /// produced with [`crate::check`] after [`Solution::from_sequences`].
    pub fn to_sequences(&self, input: &Input) -> Result<Vec<(usize, Vec<usize>)>, DispatchError> {
        let unknown =
            |what: &str, id: u64| DispatchError::Unsupported(format!("unknown {what} id {id}"));
        self.routes
            .iter()
            .map(|route| {
                let v = input
                    .vehicles
                    .iter()
                    .position(|v| v.id == route.vehicle)
                    .ok_or_else(|| unknown("vehicle", route.vehicle))?;
                let jobs = route
                    .steps
                    .iter()
                    .filter(|s| s.kind == "job")
                    .map(|s| {
                        let id = s.id.unwrap_or(u64::MAX);
                        input
                            .jobs
                            .iter()
                            .position(|j| j.id == id)
                            .ok_or_else(|| unknown("job", id))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((v, jobs))
            })
            .collect()
    }
}
