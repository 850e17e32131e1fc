//! The solution: timed routes, unassigned jobs with reasons, and totals.

use serde::{Deserialize, Serialize};
use wuliu_model::{Meters, Seconds};

use crate::problem::{JobKind, Load, Problem, DIMS};

/// What happens at a step of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Leaving the vehicle's start location.
    Start,
    /// Serving a job.
    Job,
    /// Loading a shipment.
    Pickup,
    /// Unloading a shipment.
    Delivery,
    /// A driver break, where the vehicle is.
    Break,
    /// Arriving at the vehicle's end location.
    End,
}

/// Visit sequences per vehicle: `(vehicle index, visits in order)`.
pub type Sequences = Vec<(usize, Vec<Visit>)>;

/// One visit of a route, as the solver or a caller sequences it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "index")]
pub enum Visit {
    /// Job `i` of [`Problem::jobs`].
    Job(usize),
    /// The pickup of shipment `i` of [`Problem::shipments`].
    Pickup(usize),
    /// The delivery of shipment `i`.
    Delivery(usize),
    /// Break `i` of the route's vehicle.
    Break(usize),
}

/// One step of a route with its schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Start, job, pickup, delivery, break or end.
    pub kind: StepKind,
    /// Index of the job in [`Problem::jobs`] for job steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<usize>,
    /// Index of the shipment in [`Problem::shipments`] for pickup and delivery steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment: Option<usize>,
    /// Index of the break in the vehicle's [`crate::Vehicle::breaks`] for break steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub break_index: Option<usize>,
    /// The id of the job, shipment stop or break, for readability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Location (matrix index); `None` only at the start or end of an open route (and for a break
    /// taken before an open route's first stop, which is at that stop's location).
    pub location: Option<usize>,
    /// Arrival time.
    pub arrival: Seconds,
    /// Start of setup and service (after any waiting).
    pub service_start: Seconds,
    /// Setup time spent here (zero when the previous stop was at the same location).
    #[serde(default)]
    pub setup: Seconds,
    /// Departure time.
    pub departure: Seconds,
    /// Load on board when leaving this step.
    pub load: Load,
}

/// The route driven by one vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Index of the vehicle in [`Problem::vehicles`].
    pub vehicle: usize,
    /// The vehicle's id.
    pub vehicle_id: String,
    /// Start, the jobs in order, end.
    pub steps: Vec<Step>,
    /// Distance driven.
    pub distance: Meters,
    /// From departure to arrival at the end.
    pub duration: Seconds,
    /// Time spent driving.
    #[serde(default)]
    pub driving: Seconds,
    /// Cost under the vehicle's [`crate::VehicleCosts`].
    pub cost: f64,
}

impl Route {
    /// The job indices in visiting order.
    pub fn jobs(&self) -> Vec<usize> {
        self.steps.iter().filter_map(|s| s.job).collect()
    }

    /// The visits in order (everything but start and end).
    pub fn visits(&self) -> Vec<Visit> {
        self.steps.iter().filter_map(Step::visit).collect()
    }
}

impl Step {
    /// What this step visits; `None` for the start and the end.
    pub fn visit(&self) -> Option<Visit> {
        match self.kind {
            StepKind::Job => self.job.map(Visit::Job),
            StepKind::Pickup => self.shipment.map(Visit::Pickup),
            StepKind::Delivery => self.shipment.map(Visit::Delivery),
            StepKind::Break => self.break_index.map(Visit::Break),
            StepKind::Start | StepKind::End => None,
        }
    }
}

/// Why a job was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnassignedReason {
    /// No vehicle has the body type, temperature range, cargo class or skills the job needs.
    NoCompatibleVehicle,
    /// The job is heavier or bulkier than every compatible vehicle.
    ExceedsCapacity,
    /// No compatible vehicle can reach the job inside its windows and get back within its shift
    /// (or its maximum duration), even on a route of its own.
    TimeWindowUnreachable,
    /// The job could be served alone, but the fleet had no room left for it in the best plan found.
    FleetFull,
}

/// A job or shipment that is not served, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// Index of the job in [`Problem::jobs`], or of the shipment in [`Problem::shipments`] when
    /// `shipment` is set.
    pub job: usize,
    /// Whether `job` indexes a shipment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shipment: bool,
    /// The job's or shipment's id.
    pub job_id: String,
    /// Why it was left out.
    pub reason: UnassignedReason,
}

/// Totals over the whole solution.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    /// Total cost (the objective, without penalties).
    pub cost: f64,
    /// Total distance.
    pub distance: Meters,
    /// Sum of route durations.
    pub duration: Seconds,
    /// Vehicles used.
    pub vehicles: usize,
    /// Jobs and shipments served.
    pub served: usize,
    /// Jobs and shipments not served.
    pub unassigned: usize,
    /// Search iterations run (0 when the solution was not produced by the solver).
    pub iterations: u64,
}

/// A plan: routes, unassigned jobs and totals.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Solution {
    /// Non-empty routes, in vehicle order.
    pub routes: Vec<Route>,
    /// Jobs not served.
    pub unassigned: Vec<Unassigned>,
    /// Totals.
    pub summary: Summary,
}

impl Solution {
    /// Builds a timed solution from job sequences `(vehicle index, job indices)`; see
    /// [`Solution::from_visits`], which also takes shipments and breaks.
    pub fn from_sequences(
        problem: &Problem,
        sequences: &[(usize, Vec<usize>)],
        unassigned: Vec<Unassigned>,
    ) -> Solution {
        let visits: Vec<(usize, Vec<Visit>)> = sequences
            .iter()
            .map(|(v, jobs)| (*v, jobs.iter().map(|&j| Visit::Job(j)).collect()))
            .collect();
        Self::from_visits(problem, &visits, unassigned)
    }

    /// Builds a timed solution from visit sequences `(vehicle index, visits)`: every service starts as
    /// early as its windows allow, and the vehicle leaves its start as late as possible without delaying
    /// the first service. Use it to import routes found elsewhere, then validate with [`crate::check`].
    /// Indices must be in range (it panics otherwise); feasibility is *not* checked here.
    pub fn from_visits(
        problem: &Problem,
        sequences: &[(usize, Vec<Visit>)],
        unassigned: Vec<Unassigned>,
    ) -> Solution {
        let mut routes = Vec::new();
        for (v, visits) in sequences {
            if visits.iter().all(|x| matches!(x, Visit::Break(_))) {
                continue;
            }
            routes.push(build_route(problem, *v, visits));
        }
        routes.sort_by_key(|r| r.vehicle);
        let served = problem.jobs.len() + problem.shipments.len() - unassigned.len();
        let summary = Summary {
            cost: routes.iter().map(|r| r.cost).sum(),
            distance: Meters(routes.iter().map(|r| r.distance.0).sum()),
            duration: Seconds(routes.iter().map(|r| r.duration.0).sum()),
            vehicles: routes.len(),
            served: served.min(problem.jobs.len() + problem.shipments.len()),
            unassigned: unassigned.len(),
            iterations: 0,
        };
        Solution {
            routes,
            unassigned,
            summary,
        }
    }
}

/// Earliest time `>= t` that lies in one of `windows` (any time when empty).
pub(crate) fn earliest_in(windows: &[crate::TimeWindow], t: f64) -> Option<f64> {
    if windows.is_empty() {
        return Some(t);
    }
    windows
        .iter()
        .filter(|w| w.end.0 >= t)
        .map(|w| t.max(w.start.0))
        .min_by(|a, b| a.total_cmp(b))
}

/// Where, how long and when a visit can happen, and how it changes the load.
struct VisitData<'a> {
    location: Option<usize>,
    setup: f64,
    service: f64,
    windows: &'a [crate::TimeWindow],
    delta: [f64; DIMS],
    id: String,
}

fn visit_data<'a>(p: &'a Problem, v: usize, x: Visit) -> VisitData<'a> {
    let sub = |a: [f64; DIMS], b: [f64; DIMS]| std::array::from_fn(|k| a[k] - b[k]);
    match x {
        Visit::Job(j) => {
            let job = &p.jobs[j];
            let delta = match job.kind {
                JobKind::Delivery => sub(job.backhaul.dims(), job.load.dims()),
                JobKind::Pickup => job.load.dims(),
            };
            VisitData {
                location: Some(job.location),
                setup: job.setup.0,
                service: job.service.0,
                windows: &job.time_windows,
                delta,
                id: job.id.clone(),
            }
        }
        Visit::Pickup(s) | Visit::Delivery(s) => {
            let sh = &p.shipments[s];
            let (stop, delta) = match x {
                Visit::Pickup(_) => (&sh.pickup, sh.load.dims()),
                _ => (&sh.delivery, sub([0.0; DIMS], sh.load.dims())),
            };
            VisitData {
                location: Some(stop.location),
                setup: stop.setup.0,
                service: stop.service.0,
                windows: &stop.time_windows,
                delta,
                id: stop.id.clone(),
            }
        }
        Visit::Break(b) => {
            let br = &p.vehicles[v].breaks[b];
            VisitData {
                location: None,
                setup: 0.0,
                service: br.service.0,
                windows: &br.time_windows,
                delta: [0.0; DIMS],
                id: br.id.clone(),
            }
        }
    }
}

/// The load on board when a route leaves its start: every job delivery (shipments are picked up on
/// the way).
pub(crate) fn start_load(p: &Problem, visits: &[Visit]) -> [f64; DIMS] {
    let mut load = [0.0; DIMS];
    for x in visits {
        if let Visit::Job(j) = *x {
            let job = &p.jobs[j];
            if job.kind == JobKind::Delivery {
                let a = job.load.dims();
                (0..DIMS).for_each(|k| load[k] += a[k]);
            }
        }
    }
    load
}

fn build_route(p: &Problem, v: usize, visits: &[Visit]) -> Route {
    let veh = &p.vehicles[v];
    let m = &p.matrix;
    let speed = veh.speed_factor;
    let leg = |a: Option<usize>, b: Option<usize>| match (a, b) {
        (Some(a), Some(b)) => (m.distance(a, b), m.duration(a, b) / speed),
        _ => (0.0, 0.0),
    };
    let mut load = start_load(p, visits);
    let mut steps = Vec::with_capacity(visits.len() + 2);
    let mut t = veh.shift.start.0;
    // Where the vehicle is; an open route is at its first stop.
    let first_loc = visits.iter().find_map(|&x| visit_data(p, v, x).location);
    let mut here = veh.start;
    let (mut distance, mut driving) = (0.0, 0.0);
    let step = |kind, visit: Option<Visit>, id, location, arr, s, setup, dep, load| Step {
        kind,
        job: match visit {
            Some(Visit::Job(j)) => Some(j),
            _ => None,
        },
        shipment: match visit {
            Some(Visit::Pickup(i) | Visit::Delivery(i)) => Some(i),
            _ => None,
        },
        break_index: match visit {
            Some(Visit::Break(b)) => Some(b),
            _ => None,
        },
        job_id: id,
        location,
        arrival: Seconds(arr),
        service_start: Seconds(s),
        setup: Seconds(setup),
        departure: Seconds(dep),
        load: Load::from_dims(load),
    };
    steps.push(step(
        StepKind::Start,
        None,
        None,
        veh.start,
        t,
        t,
        0.0,
        t,
        load,
    ));
    for &x in visits {
        let d = visit_data(p, v, x);
        let loc = d.location.or(here).or(first_loc);
        let (dd, dt) = leg(here.or(loc), loc);
        let arr = t + dt;
        distance += dd;
        driving += dt;
        let setup = if d.location.is_some() && here != d.location {
            d.setup
        } else {
            0.0
        };
        let s = earliest_in(d.windows, arr).unwrap_or(arr);
        (0..DIMS).for_each(|k| load[k] += d.delta[k]);
        t = s + setup + d.service;
        let kind = match x {
            Visit::Job(_) => StepKind::Job,
            Visit::Pickup(_) => StepKind::Pickup,
            Visit::Delivery(_) => StepKind::Delivery,
            Visit::Break(_) => StepKind::Break,
        };
        steps.push(step(kind, Some(x), Some(d.id), loc, arr, s, setup, t, load));
        here = loc;
    }
    let end = veh.end.or(here);
    let (dd, dt) = leg(here, end);
    let arr = t + dt;
    distance += dd;
    driving += dt;
    steps.push(step(
        StepKind::End,
        None,
        None,
        veh.end,
        arr,
        arr,
        0.0,
        arr,
        load,
    ));
    // Leave as late as possible without delaying the first service.
    if let (Some(first), true) = (steps.get(1), steps.len() > 2) {
        let (_, dt) = leg(veh.start, first.location);
        let depart = (first.service_start.0 - dt).max(veh.shift.start.0);
        steps[0].arrival = Seconds(depart);
        steps[0].service_start = Seconds(depart);
        steps[0].departure = Seconds(depart);
        steps[1].arrival = Seconds(depart + dt);
    }
    let depart = steps[0].departure.0;
    let c = &veh.costs;
    let cost = c.fixed + c.per_km * distance / 1000.0 + c.per_hour * driving / 3600.0;
    Route {
        vehicle: v,
        vehicle_id: veh.id.clone(),
        steps,
        distance: Meters(distance),
        duration: Seconds(arr - depart),
        driving: Seconds(driving),
        cost,
    }
}
