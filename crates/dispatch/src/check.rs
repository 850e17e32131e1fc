//! The independent checker: validates any [`Solution`] against its [`Problem`].
//!
//! It shares no code with the solver: it replays each route from the reported steps and recomputes
//! loads, times, distances and costs from the problem alone, so a bug in the solver's incremental
//! bookkeeping cannot hide itself.

use serde::{Deserialize, Serialize};
use wuliu_model::{Meters, Violation, Violations};

use crate::problem::{Job, JobKind, Problem, Vehicle};
use crate::solution::{Solution, StepKind, UnassignedReason};

/// Result of [`check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// `true` when no violation was found.
    pub feasible: bool,
    /// Every violation found, each with a stable code (`capacity`, `time_window`, …).
    pub violations: Vec<Violation>,
    /// Total distance recomputed from the matrix.
    pub distance: Meters,
    /// Total cost recomputed from the vehicle costs.
    pub cost: f64,
}

const EPS: f64 = 1e-6;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

fn compatible(v: &Vehicle, j: &Job) -> bool {
    let body = j.body.as_ref().is_none_or(|b| v.body.as_ref() == Some(b));
    let temp = j.temperature.is_none_or(|t| {
        v.temperature
            .is_some_and(|r| r.min.0 <= t.min.0 && t.max.0 <= r.max.0)
    });
    let class = j
        .cargo_class
        .as_ref()
        .is_none_or(|c| v.cargo_classes.is_empty() || v.cargo_classes.contains(c));
    let skills = j.skills.iter().all(|s| v.skills.contains(s));
    body && temp && class && skills
}

fn fits(v: &Vehicle, j: &Job) -> bool {
    j.load.weight.0 <= v.capacity.weight.0 + EPS && j.load.volume.0 <= v.capacity.volume.0 + EPS
}

/// Whether `v` can serve `j` on a route of its own (windows, shift, maximum duration).
fn solo_feasible(p: &Problem, v: &Vehicle, j: &Job) -> bool {
    let m = &p.matrix;
    let arr = v.shift.start.0 + m.duration(v.start, j.location);
    let windows: Vec<(f64, f64)> = if j.time_windows.is_empty() {
        vec![(f64::NEG_INFINITY, f64::INFINITY)]
    } else {
        j.time_windows
            .iter()
            .map(|w| (w.start.0, w.end.0))
            .collect()
    };
    windows.iter().any(|&(a, b)| {
        let s = arr.max(a);
        if s > b + EPS {
            return false;
        }
        let back = s + j.service.0 + m.duration(j.location, v.end);
        let depart = s - m.duration(v.start, j.location);
        back <= v.shift.end.0 + EPS && v.max_duration.is_none_or(|d| back - depart <= d.0 + EPS)
    })
}

/// The reason the checker accepts for leaving job `j` out: no compatible vehicle, too large for every
/// compatible one, unreachable in its windows even alone, or else the fleet had no room for it.
pub fn unassigned_reason(problem: &Problem, j: usize) -> UnassignedReason {
    let job = &problem.jobs[j];
    let compat: Vec<&Vehicle> = problem
        .vehicles
        .iter()
        .filter(|veh| compatible(veh, job))
        .collect();
    if compat.is_empty() {
        UnassignedReason::NoCompatibleVehicle
    } else if !compat.iter().any(|veh| fits(veh, job)) {
        UnassignedReason::ExceedsCapacity
    } else if compat
        .iter()
        .filter(|veh| fits(veh, job))
        .all(|veh| !solo_feasible(problem, veh, job))
    {
        UnassignedReason::TimeWindowUnreachable
    } else {
        UnassignedReason::FleetFull
    }
}

/// Validates `solution` against `problem`: route shape, capacities at every step (weight and volume,
/// pickups and deliveries), time windows, shifts, maximum durations, vehicle/cargo compatibility,
/// every job served exactly once or reported unassigned with a reason consistent with the data, and
/// the reported distances and costs.
pub fn check(problem: &Problem, solution: &Solution) -> Report {
    let mut v = Violations::default();
    let m = &problem.matrix;
    let nj = problem.jobs.len();
    let mut seen = vec![0usize; nj];
    let mut used = vec![false; problem.vehicles.len()];
    let mut total_distance = 0.0;
    let mut total_cost = 0.0;
    for (ri, route) in solution.routes.iter().enumerate() {
        let f = format!("routes[{ri}]");
        let Some(veh) = problem.vehicles.get(route.vehicle) else {
            v.push("route.vehicle", &f, format!("no vehicle {}", route.vehicle));
            continue;
        };
        if std::mem::replace(&mut used[route.vehicle], true) {
            v.push(
                "route.vehicle_reused",
                &f,
                format!("vehicle {} drives twice", veh.id),
            );
        }
        let n = route.steps.len();
        if n < 2
            || route.steps[0].kind != StepKind::Start
            || route.steps[n - 1].kind != StepKind::End
            || route.steps[1..n - 1]
                .iter()
                .any(|s| s.kind != StepKind::Job)
        {
            v.push("route.shape", &f, "a route is start, jobs, end");
            continue;
        }
        if route.steps[0].location != veh.start || route.steps[n - 1].location != veh.end {
            v.push(
                "route.depot",
                &f,
                "route must start and end at the vehicle's locations",
            );
        }
        // Loads: every delivery is on board at the start.
        let mut load = [0.0f64; 2];
        let mut jobs = Vec::new();
        for (si, s) in route.steps[1..n - 1].iter().enumerate() {
            match s.job.and_then(|j| problem.jobs.get(j).map(|job| (j, job))) {
                Some((j, job)) => {
                    if job.location != s.location {
                        v.push(
                            "route.location",
                            format!("{f}.steps[{}]", si + 1),
                            "step is not at its job's location",
                        );
                    }
                    if job.kind == JobKind::Delivery {
                        load[0] += job.load.weight.0;
                        load[1] += job.load.volume.0;
                    }
                    seen[j] += 1;
                    jobs.push(job);
                }
                None => v.push("route.job", format!("{f}.steps[{}]", si + 1), "unknown job"),
            }
        }
        if jobs.len() != n - 2 {
            continue;
        }
        let cap = [veh.capacity.weight.0, veh.capacity.volume.0];
        let over = |l: &[f64; 2]| l[0] > cap[0] + EPS || l[1] > cap[1] + EPS;
        if over(&load) {
            v.push(
                "capacity",
                format!("{f}.steps[0]"),
                format!("start load {load:?} exceeds capacity {cap:?}"),
            );
        }
        let start = &route.steps[0];
        if start.departure.0 < veh.shift.start.0 - EPS {
            v.push(
                "shift",
                format!("{f}.steps[0]"),
                "departs before the shift starts",
            );
        }
        let mut distance = 0.0;
        let mut driving = 0.0;
        let mut prev = start;
        for (k, s) in route.steps.iter().enumerate().skip(1) {
            let sf = format!("{f}.steps[{k}]");
            let travel = m.duration(prev.location, s.location);
            distance += m.distance(prev.location, s.location);
            driving += travel;
            if s.arrival.0 < prev.departure.0 + travel - EPS * travel.max(1.0) {
                v.push(
                    "time.travel",
                    &sf,
                    "arrives before the travel time has elapsed",
                );
            }
            if s.service_start.0 < s.arrival.0 - EPS {
                v.push("time.order", &sf, "service starts before arrival");
            }
            if k < n - 1 {
                let job = jobs[k - 1];
                if !compatible(veh, job) {
                    v.push(
                        "compatibility",
                        &sf,
                        format!("vehicle {} cannot carry job {}", veh.id, job.id),
                    );
                }
                let in_window = job.time_windows.is_empty()
                    || job.time_windows.iter().any(|w| {
                        s.service_start.0 >= w.start.0 - EPS && s.service_start.0 <= w.end.0 + EPS
                    });
                if !in_window {
                    v.push(
                        "time_window",
                        &sf,
                        format!(
                            "job {} served at {} outside its windows",
                            job.id, s.service_start.0
                        ),
                    );
                }
                if s.departure.0 < s.service_start.0 + job.service.0 - EPS {
                    v.push("time.service", &sf, "leaves before the service is done");
                }
                let sign = if job.kind == JobKind::Delivery {
                    -1.0
                } else {
                    1.0
                };
                load[0] += sign * job.load.weight.0;
                load[1] += sign * job.load.volume.0;
                if over(&load) {
                    v.push(
                        "capacity",
                        &sf,
                        format!("load {load:?} exceeds capacity {cap:?}"),
                    );
                }
                if !close(s.load.weight.0, load[0]) || !close(s.load.volume.0, load[1]) {
                    v.push(
                        "load.reported",
                        &sf,
                        "reported load differs from the recomputed load",
                    );
                }
            }
            prev = s;
        }
        let end = &route.steps[n - 1];
        if end.arrival.0 > veh.shift.end.0 + EPS {
            v.push(
                "shift",
                format!("{f}.steps[{}]", n - 1),
                format!(
                    "returns at {} after the shift ends at {}",
                    end.arrival.0, veh.shift.end.0
                ),
            );
        }
        let duration = end.arrival.0 - start.departure.0;
        if let Some(max) = veh.max_duration {
            if duration > max.0 + EPS {
                v.push(
                    "max_duration",
                    &f,
                    format!("route lasts {duration} s, more than {} s", max.0),
                );
            }
        }
        let c = &veh.costs;
        let cost = c.fixed + c.per_km * distance / 1000.0 + c.per_hour * driving / 3600.0;
        if !close(route.distance.0, distance) {
            v.push(
                "route.distance",
                &f,
                format!("reported {} but recomputed {distance}", route.distance.0),
            );
        }
        if !close(route.cost, cost) {
            v.push(
                "route.cost",
                &f,
                format!("reported {} but recomputed {cost}", route.cost),
            );
        }
        total_distance += distance;
        total_cost += cost;
    }
    for (k, u) in solution.unassigned.iter().enumerate() {
        let f = format!("unassigned[{k}]");
        let Some(job) = problem.jobs.get(u.job) else {
            v.push("unassigned.job", &f, "unknown job");
            continue;
        };
        seen[u.job] += 1;
        let compat: Vec<&Vehicle> = problem
            .vehicles
            .iter()
            .filter(|veh| compatible(veh, job))
            .collect();
        let ok = match u.reason {
            UnassignedReason::NoCompatibleVehicle => compat.is_empty(),
            UnassignedReason::ExceedsCapacity => {
                !compat.is_empty() && !compat.iter().any(|veh| fits(veh, job))
            }
            UnassignedReason::TimeWindowUnreachable => compat
                .iter()
                .filter(|veh| fits(veh, job))
                .all(|veh| !solo_feasible(problem, veh, job)),
            UnassignedReason::FleetFull => compat
                .iter()
                .any(|veh| fits(veh, job) && solo_feasible(problem, veh, job)),
        };
        if !ok {
            v.push(
                "unassigned.reason",
                &f,
                format!("reason {:?} does not hold for job {}", u.reason, job.id),
            );
        }
    }
    for (j, &count) in seen.iter().enumerate() {
        if count != 1 {
            v.push(
                "coverage",
                format!("jobs[{j}]"),
                format!("job {} appears {count} times (must be served once or reported unassigned once)", problem.jobs[j].id),
            );
        }
    }
    if !close(solution.summary.distance.0, total_distance) {
        v.push(
            "summary.distance",
            "summary",
            "reported total distance differs from the routes",
        );
    }
    Report {
        feasible: v.is_empty(),
        violations: v.0,
        distance: Meters(total_distance),
        cost: total_cost,
    }
}
