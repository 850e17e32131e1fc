//! The solution: timed routes, unassigned jobs with reasons, and totals.

use serde::{Deserialize, Serialize};
use wuliu_model::{Meters, Seconds};

use crate::problem::{JobKind, Load, Problem};

/// What happens at a step of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Leaving the vehicle's start location.
    Start,
    /// Serving a job.
    Job,
    /// Arriving at the vehicle's end location.
    End,
}

/// One step of a route with its schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Start, job or end.
    pub kind: StepKind,
    /// Index of the job in [`Problem::jobs`] for job steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<usize>,
    /// The job's id, for readability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Location (matrix index).
    pub location: usize,
    /// Arrival time.
    pub arrival: Seconds,
    /// Start of service (after any waiting).
    pub service_start: Seconds,
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
    /// Cost under the vehicle's [`crate::VehicleCosts`].
    pub cost: f64,
}

impl Route {
    /// The job indices in visiting order.
    pub fn jobs(&self) -> Vec<usize> {
        self.steps.iter().filter_map(|s| s.job).collect()
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

/// A job that is not served, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unassigned {
    /// Index of the job in [`Problem::jobs`].
    pub job: usize,
    /// The job's id.
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
    /// Jobs served.
    pub served: usize,
    /// Jobs not served.
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
    /// Builds a timed solution from job sequences `(vehicle index, job indices)`: every service starts as
    /// early as its windows allow, and the vehicle leaves its start as late as possible without delaying
    /// the first service. Use it to import routes found elsewhere, then validate with [`crate::check`].
    /// Indices must be in range (it panics otherwise); feasibility is *not* checked here.
    pub fn from_sequences(
        problem: &Problem,
        sequences: &[(usize, Vec<usize>)],
        unassigned: Vec<Unassigned>,
    ) -> Solution {
        let mut routes = Vec::new();
        for (v, jobs) in sequences {
            if jobs.is_empty() {
                continue;
            }
            routes.push(build_route(problem, *v, jobs));
        }
        routes.sort_by_key(|r| r.vehicle);
        let summary = Summary {
            cost: routes.iter().map(|r| r.cost).sum(),
            distance: Meters(routes.iter().map(|r| r.distance.0).sum()),
            duration: Seconds(routes.iter().map(|r| r.duration.0).sum()),
            vehicles: routes.len(),
            served: routes.iter().map(|r| r.steps.len() - 2).sum(),
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

fn build_route(p: &Problem, v: usize, jobs: &[usize]) -> Route {
    let veh = &p.vehicles[v];
    let m = &p.matrix;
    // Start load: every delivery is on board.
    let mut load = [0.0f64; 2];
    for &j in jobs {
        if p.jobs[j].kind == JobKind::Delivery {
            let a = p.jobs[j].load.to_array();
            load[0] += a[0];
            load[1] += a[1];
        }
    }
    let mut steps = Vec::with_capacity(jobs.len() + 2);
    let mut t = veh.shift.start.0;
    let mut prev = veh.start;
    let mut distance = 0.0;
    let mut driving = 0.0;
    steps.push(Step {
        kind: StepKind::Start,
        job: None,
        job_id: None,
        location: veh.start,
        arrival: Seconds(t),
        service_start: Seconds(t),
        departure: Seconds(t),
        load: Load::from_array(load),
    });
    for &j in jobs {
        let job = &p.jobs[j];
        let arr = t + m.duration(prev, job.location);
        distance += m.distance(prev, job.location);
        driving += m.duration(prev, job.location);
        let s = earliest_in(&job.time_windows, arr).unwrap_or(arr);
        let a = job.load.to_array();
        let sign = if job.kind == JobKind::Delivery {
            -1.0
        } else {
            1.0
        };
        load[0] += sign * a[0];
        load[1] += sign * a[1];
        t = s + job.service.0;
        steps.push(Step {
            kind: StepKind::Job,
            job: Some(j),
            job_id: Some(job.id.clone()),
            location: job.location,
            arrival: Seconds(arr),
            service_start: Seconds(s),
            departure: Seconds(t),
            load: Load::from_array(load),
        });
        prev = job.location;
    }
    let arr = t + m.duration(prev, veh.end);
    distance += m.distance(prev, veh.end);
    driving += m.duration(prev, veh.end);
    steps.push(Step {
        kind: StepKind::End,
        job: None,
        job_id: None,
        location: veh.end,
        arrival: Seconds(arr),
        service_start: Seconds(arr),
        departure: Seconds(arr),
        load: Load::from_array(load),
    });
    // Leave as late as possible without delaying the first service.
    let first_start = steps[1].service_start.0;
    let depart = (first_start - m.duration(veh.start, steps[1].location)).max(veh.shift.start.0);
    steps[0].arrival = Seconds(depart);
    steps[0].service_start = Seconds(depart);
    steps[0].departure = Seconds(depart);
    steps[1].arrival = Seconds(depart + m.duration(veh.start, steps[1].location));
    let duration = arr - depart;
    let c = &veh.costs;
    let cost = c.fixed + c.per_km * distance / 1000.0 + c.per_hour * driving / 3600.0;
    Route {
        vehicle: v,
        vehicle_id: veh.id.clone(),
        steps,
        distance: Meters(distance),
        duration: Seconds(duration),
        cost,
    }
}
