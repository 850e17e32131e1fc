//! From our [`Solution`] to VROOM's solution document.

use serde::{Deserialize, Serialize};

use super::Input;
use crate::error::DispatchError;
use crate::problem::{JobKind, Problem, DIMS};
use crate::solution::{Route, Solution, StepKind, UnassignedReason, Visit};

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
    /// The vehicle's type, when it has one.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub vehicle_type: Option<String>,
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
    /// `start`, `job`, `pickup`, `delivery`, `break` or `end`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Matrix index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_index: Option<usize>,
    /// Coordinates `[lon, lat]` when the input had them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<[f64; 2]>,
    /// The job's, shipment step's or break's id.
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
    /// Job id, or the shipment step's id.
    pub id: u64,
    /// `job`, `pickup` or `delivery`.
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
    pub reason: Option<UnassignedReason>,
}

fn r(x: f64) -> u64 {
    x.max(0.0).round() as u64
}

/// Per-dimension totals, cut to the document's number of dimensions.
#[derive(Default, Clone, Copy)]
struct Amounts([f64; DIMS]);

impl Amounts {
    fn add(&mut self, a: [f64; DIMS]) {
        (0..DIMS).for_each(|k| self.0[k] += a[k]);
    }
    fn out(&self, dims: usize) -> Vec<u64> {
        self.0[..dims.min(DIMS)].iter().map(|&x| r(x)).collect()
    }
}

impl Output {
    /// Writes `solution` (of the problem made by [`Input::to_problem`] from `input`) in VROOM's shape,
    /// with VROOM's ids, locations, amounts in the document's dimensions, and integer times. Distances
    /// are given when known (a `distances` matrix, or coordinates).
    pub fn from_solution(input: &Input, problem: &Problem, solution: &Solution) -> Output {
        let origin = job_origins(input, problem);
        let routes: Vec<OutputRoute> = solution
            .routes
            .iter()
            .map(|route| output_route(input, problem, &origin, route))
            .collect();
        let dims = input.dims();
        let sum = |f: &dyn Fn(&OutputRoute) -> u64| routes.iter().map(f).sum::<u64>();
        let sumv = |f: &dyn Fn(&OutputRoute) -> &Vec<u64>| -> Vec<u64> {
            (0..dims)
                .map(|k| routes.iter().map(|x| f(x)[k]).sum())
                .collect()
        };
        let known = input.distances_known();
        let summary = OutputSummary {
            cost: sum(&|x| x.cost),
            routes: routes.len(),
            unassigned: 0,
            delivery: sumv(&|x| &x.delivery),
            pickup: sumv(&|x| &x.pickup),
            setup: sum(&|x| x.setup),
            service: sum(&|x| x.service),
            duration: sum(&|x| x.duration),
            waiting_time: sum(&|x| x.waiting_time),
            priority: sum(&|x| x.priority),
            distance: known.then(|| sum(&|x| x.distance.unwrap_or(0))),
            violations: Vec::new(),
        };
        let mut unassigned: Vec<OutputUnassigned> = Vec::new();
        for u in &solution.unassigned {
            for x in unassigned_of(input, problem, &origin, u.job, u.shipment, u.reason) {
                // The parts of a split job answer once, under the job's id.
                if !unassigned.iter().any(|y| y.id == x.id && y.kind == x.kind) {
                    unassigned.push(x);
                }
            }
        }
        Output {
            code: 0,
            summary: OutputSummary {
                unassigned: unassigned.len(),
                ..summary
            },
            unassigned,
            routes,
        }
    }

    /// Reads the routes back as `(vehicle index, job indices)` of `input`, e.g. to check a solution VROOM
    /// produced with [`crate::check`] after [`Solution::from_sequences`]. Routes with shipments or
    /// breaks need [`Output::to_visits`].
    pub fn to_sequences(&self, input: &Input) -> Result<Vec<(usize, Vec<usize>)>, DispatchError> {
        let visits = self.to_visits(input)?;
        Ok(visits
            .into_iter()
            .map(|(v, xs)| {
                let jobs = xs
                    .into_iter()
                    .filter_map(|x| match x {
                        Visit::Job(j) => Some(j),
                        _ => None,
                    })
                    .collect();
                (v, jobs)
            })
            .collect())
    }

    /// Reads the routes back as `(vehicle index, visits)` of `input`: jobs, shipment pickups and
    /// deliveries, breaks.
    pub fn to_visits(&self, input: &Input) -> Result<Vec<(usize, Vec<Visit>)>, DispatchError> {
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
                let visits = route
                    .steps
                    .iter()
                    .filter(|s| s.kind != "start" && s.kind != "end")
                    .map(|s| {
                        let id = s.id.unwrap_or(u64::MAX);
                        input
                            .step_visit(&input.vehicles[v], &s.kind, Some(id))
                            .map_err(|_| unknown(&s.kind, id))
                            .map(|x| x.expect("not start or end"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((v, visits))
            })
            .collect()
    }
}

/// For each job of `problem`, the index of the document's job it comes from (itself, or the job a
/// part was split from).
fn job_origins(input: &Input, problem: &Problem) -> Vec<usize> {
    let by_id: std::collections::HashMap<String, usize> = (input.jobs.iter().enumerate())
        .map(|(i, j)| (j.id.to_string(), i))
        .collect();
    (problem.jobs.iter().enumerate())
        .map(|(k, j)| {
            let id = j.part.as_ref().map_or(&j.id, |p| &p.of);
            by_id.get(id).copied().unwrap_or(k)
        })
        .collect()
}

fn unassigned_of(
    input: &Input,
    problem: &Problem,
    origin: &[usize],
    index: usize,
    shipment: bool,
    reason: UnassignedReason,
) -> Vec<OutputUnassigned> {
    let one = |id, kind: &str, location_index, location| OutputUnassigned {
        id,
        kind: kind.into(),
        location_index: Some(location_index),
        location,
        reason: Some(reason),
    };
    if shipment {
        let (s, p) = (&input.shipments[index], &problem.shipments[index]);
        vec![
            one(s.pickup.id, "pickup", p.pickup.location, s.pickup.location),
            one(
                s.delivery.id,
                "delivery",
                p.delivery.location,
                s.delivery.location,
            ),
        ]
    } else {
        let j = &input.jobs[origin[index]];
        vec![one(j.id, "job", problem.jobs[index].location, j.location)]
    }
}

/// What a step is in VROOM's terms: type, id, coordinates, and its amounts and priority.
struct StepInfo {
    kind: &'static str,
    id: Option<u64>,
    location: Option<[f64; 2]>,
    delivered: [f64; DIMS],
    picked: [f64; DIMS],
    priority: u64,
}

fn step_info(
    input: &Input,
    problem: &Problem,
    origin: &[usize],
    (v, x, kind): (usize, Option<Visit>, StepKind),
) -> StepInfo {
    let vin = &input.vehicles[v];
    let zero = [0.0; DIMS];
    let mut info = StepInfo {
        kind: "start",
        id: None,
        location: None,
        delivered: zero,
        picked: zero,
        priority: 0,
    };
    match (kind, x) {
        (StepKind::Start, _) => info.location = vin.start,
        (StepKind::End, _) => {
            info.kind = "end";
            info.location = vin.end;
        }
        (_, Some(Visit::Job(j))) => {
            let (ij, job) = (&input.jobs[origin[j]], &problem.jobs[j]);
            info.kind = "job";
            (info.id, info.location, info.priority) =
                (Some(ij.id), ij.location, job.priority as u64);
            match job.kind {
                JobKind::Delivery => {
                    (info.delivered, info.picked) = (job.load.dims(), job.backhaul.dims())
                }
                JobKind::Pickup => info.picked = job.load.dims(),
            }
        }
        (_, Some(Visit::Pickup(s))) => {
            let step = &input.shipments[s].pickup;
            info.kind = "pickup";
            (info.id, info.location) = (Some(step.id), step.location);
            info.picked = problem.shipments[s].load.dims();
            info.priority = problem.shipments[s].priority as u64;
        }
        (_, Some(Visit::Delivery(s))) => {
            let step = &input.shipments[s].delivery;
            info.kind = "delivery";
            (info.id, info.location) = (Some(step.id), step.location);
            info.delivered = problem.shipments[s].load.dims();
        }
        (_, Some(Visit::Break(b))) => {
            info.kind = "break";
            info.id = vin.breaks.as_ref().and_then(|bs| bs.get(b)).map(|b| b.id);
        }
        (_, None) => {}
    }
    info
}

fn output_route(input: &Input, problem: &Problem, origin: &[usize], route: &Route) -> OutputRoute {
    let v = route.vehicle;
    let vin = &input.vehicles[v];
    let slowness = 1.0 / problem.vehicles[v].speed_factor;
    let rows = input.distance_rows();
    let known = input.distances_known();
    let leg_distance = |a: usize, b: usize| match rows {
        Some(rows) => rows[a][b] as f64,
        None => problem.matrix.distance(a, b),
    };
    let dims = input.dims();
    let (mut travel, mut dist, mut waiting, mut service, mut setup, mut prio) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0);
    let (mut delivery, mut pickup) = (Amounts::default(), Amounts::default());
    let mut prev: Option<usize> = None;
    let mut steps = Vec::with_capacity(route.steps.len());
    for s in &route.steps {
        if let (Some(p), Some(l)) = (prev, s.location) {
            travel += problem.matrix.duration(p, l) * slowness;
            dist += leg_distance(p, l);
        }
        prev = s.location.or(prev);
        let info = step_info(input, problem, origin, (v, s.visit(), s.kind));
        delivery.add(info.delivered);
        pickup.add(info.picked);
        prio += info.priority;
        let wait = (s.service_start.0 - s.arrival.0).max(0.0);
        let svc = (s.departure.0 - s.service_start.0 - s.setup.0).max(0.0);
        waiting += wait;
        service += svc;
        setup += s.setup.0;
        steps.push(OutputStep {
            kind: info.kind.into(),
            location_index: s.location,
            location: info.location,
            id: info.id,
            setup: r(s.setup.0),
            service: r(svc),
            waiting_time: r(wait),
            load: Amounts(s.load.dims()).out(dims),
            arrival: r(s.arrival.0),
            duration: r(travel),
            distance: known.then(|| r(dist)),
            violations: Vec::new(),
        });
    }
    OutputRoute {
        vehicle: vin.id,
        vehicle_type: vin.vehicle_type.clone(),
        cost: r(route.cost),
        delivery: delivery.out(dims),
        pickup: pickup.out(dims),
        setup: r(setup),
        service: r(service),
        duration: r(travel),
        waiting_time: r(waiting),
        priority: prio,
        distance: known.then(|| r(dist)),
        steps,
        violations: Vec::new(),
    }
}
