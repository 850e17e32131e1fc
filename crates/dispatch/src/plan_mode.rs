//! Vehicle `steps`: VROOM's plan mode (`vroom -c`) and its use of steps when solving.
//!
//! # What VROOM does with `steps`
//!
//! Read from VROOM's `docs/API.md` ("Vehicle steps", "Solving mode", "Violation"), its changelog and
//! its sources (`src/algorithms/validation/{check,choose_ETA}.cpp`, `src/problems/vrp.h`,
//! `src/algorithms/heuristics/heuristics.cpp`, `set_route`):
//!
//! - A `vehicle_step` is `{type, id, service_at, service_after, service_before}`, `type` one of
//!   `start`, `job`, `pickup`, `delivery`, `break`, `end` (`id` for the four task and break types).
//! - **Plan mode** (`-c`, since 1.9): "choosing ETA" for routes given in full. Every vehicle with
//!   non-empty `steps` gets exactly that route (start and end added when missing); vehicles without
//!   steps get no route; tasks in no route are reported unassigned. All constraints of the problem
//!   become soft: the answer keeps the order and reports violations on the steps, the route and the
//!   summary, with the causes `delay` and `lead_time` (each with a `duration`: lateness after a
//!   window's end, earliness before its start), `load`, `max_tasks`, `skills`, `precedence` (a
//!   delivery before or without its pickup, a pickup without its delivery), `missing_break`,
//!   `max_travel_time`, `max_distance` and `max_load`. Times are chosen by a MIP (glpk) that minimises
//!   the total violation, then the makespan, then starts services as early as possible. The
//!   `service_*` keys are the only **hard** constraints: VROOM answers "Infeasible route for
//!   vehicle N" (an input error) when they cannot be met.
//! - **Solving mode** (since 1.11, #376 and #606): the steps are the initial solution. Only `job`,
//!   `pickup` and `delivery` steps are used (breaks and the `service_*` keys are ignored); the given
//!   routes must be valid, else VROOM refuses the input ("Missing skill or step out of reach",
//!   "Route over capacity", "Invalid shipment in route", "Route over max_travel_time", "Route over
//!   max_distance", "Too many tasks", "Infeasible route for vehicle N"). VROOM 1.11–1.14 then
//!   follows a single search path from that solution instead of its several concurrent heuristics;
//!   since #977 (unreleased after 1.14) the heuristics first insert the remaining tasks into the
//!   given routes, then local search runs. Nothing is pinned: the search may move any task, so the
//!   answer is only guaranteed to be no worse than the start.
//!
//! # What Wuliu does
//!
//! - [`check_given`] is plan mode: routes given as steps (or as job lists, our older re-check form)
//!   are timed by [`Solution::from_visits`] (every service as early as its windows allow: waiting,
//!   never early), re-timed for `service_at` / `service_after` / `service_before`, checked by the
//!   independent [`crate::check()`], and answered in VROOM's shape. The `service_*` keys are honoured as
//!   constraints that win over time windows (the vehicle waits for `service_after` and `service_at`;
//!   a window missed because of them is reported), and a `service_at` or `service_before` the route
//!   cannot make is reported as a `delay` (VROOM refuses such a route instead). Differences from
//!   VROOM's MIP: we never serve before a window opens to save a later delay, a vehicle never leaves
//!   before its shift, a break is taken where the vehicle is, not in the middle of a drive, and
//!   steps with no task (only breaks) give no route. Each violation also carries our checker's
//!   `code` and a `description`, which VROOM clients ignore.
//! - [`solve_from_steps`] is solving mode: the steps are validated as VROOM does (same refusals,
//!   ignoring break placement, which the solver does), then the search starts from them
//!   ([`crate::solve_from`]: the other tasks are inserted around them, nothing is pinned), so the
//!   answer is no worse than the given routes.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};
use wuliu_model::{Violation, Violations};

use crate::check::{check, unassigned_reason, unassigned_shipment_reason, Report};
use crate::error::DispatchError;
use crate::problem::{Problem, TimeWindow};
use crate::solution::{earliest_in, Route, Solution, StepKind, Unassigned, Visit};
use crate::solver::{solve_from, SolverConfig};
use crate::vroom::{Input, Output, VehicleStep};

/// Visit sequences per vehicle: `(vehicle index, visits)`, as [`Solution::from_visits`] takes them.
pub type Routes = Vec<(usize, Vec<Visit>)>;

/// Tolerance on times, in seconds.
const EPS: f64 = 1e-6;

/// The time constraints a step puts on its service (VROOM's `service_at`, `service_after`,
/// `service_before`). At a route's start they bound the departure, at its end the arrival.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Forced {
    /// Service starts exactly then.
    pub at: Option<f64>,
    /// Service starts no earlier.
    pub after: Option<f64>,
    /// Service starts no later.
    pub before: Option<f64>,
}

impl Forced {
    /// The constraints of a VROOM step.
    pub fn of(step: &VehicleStep) -> Self {
        let f = |x: Option<u64>| x.map(|x| x as f64);
        Forced {
            at: f(step.service_at),
            after: f(step.service_after),
            before: f(step.service_before),
        }
    }

    fn is_free(&self) -> bool {
        *self == Forced::default()
    }

    /// Earliest allowed service start.
    fn lo(&self) -> f64 {
        self.at
            .into_iter()
            .chain(self.after)
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Latest allowed service start.
    fn hi(&self) -> f64 {
        self.at
            .into_iter()
            .chain(self.before)
            .fold(f64::INFINITY, f64::min)
    }
}

/// A route as the caller gave it: the vehicle, its visits in order, and the forced service times of
/// its start (`forced[0]`), of each visit (`forced[1..=n]`) and of its end (`forced[n + 1]`).
#[derive(Debug, Clone, PartialEq)]
pub struct GivenRoute {
    /// Index of the vehicle in the document.
    pub vehicle: usize,
    /// Jobs, pickups, deliveries and breaks in order.
    pub visits: Vec<Visit>,
    /// Forced service times, `visits.len() + 2` of them.
    pub forced: Vec<Forced>,
}

impl GivenRoute {
    /// A route without forced times.
    pub fn free(vehicle: usize, visits: Vec<Visit>) -> Self {
        let forced = vec![Forced::default(); visits.len() + 2];
        GivenRoute {
            vehicle,
            visits,
            forced,
        }
    }
}

/// Tasks already placed in a route, to refuse a second visit.
#[derive(Default)]
pub(crate) struct Used(HashSet<Visit>);

impl Used {
    /// Records `x`; `Err` with the refusal's code and message when a task is visited twice.
    pub(crate) fn insert(&mut self, input: &Input, x: Visit) -> Result<(), (&'static str, String)> {
        if matches!(x, Visit::Break(_)) || self.0.insert(x) {
            return Ok(());
        }
        Err(match x {
            Visit::Job(j) => (
                "dispatch.job_twice",
                format!("job {} is visited twice", input.jobs[j].id),
            ),
            Visit::Pickup(s) => {
                let id = input.shipments[s].pickup.id;
                (
                    "dispatch.task_twice",
                    format!("pickup {id} is visited twice"),
                )
            }
            Visit::Delivery(s) => {
                let id = input.shipments[s].delivery.id;
                (
                    "dispatch.task_twice",
                    format!("delivery {id} is visited twice"),
                )
            }
            Visit::Break(_) => unreachable!("breaks are not recorded"),
        })
    }
}

/// Resolves one vehicle's steps into a [`GivenRoute`], recording refusals under `field[k]`: unknown
/// ids or types, tasks visited twice, `start` elsewhere than first or `end` elsewhere than last.
pub(crate) fn resolve_steps(
    input: &Input,
    vehicle: usize,
    steps: &[VehicleStep],
    field: &str,
    used: &mut Used,
    bad: &mut Violations,
) -> GivenRoute {
    let v = &input.vehicles[vehicle];
    let mut route = GivenRoute::free(vehicle, Vec::new());
    route.forced.clear();
    let (mut start, mut end) = (Forced::default(), Forced::default());
    for (k, s) in steps.iter().enumerate() {
        let f = format!("{field}[{k}]");
        match s.kind.as_str() {
            "start" if k == 0 => start = Forced::of(s),
            "end" if k + 1 == steps.len() => end = Forced::of(s),
            "start" | "end" => bad.push(
                "dispatch.step_order",
                f,
                format!(
                    "a `{}` step must come {}",
                    s.kind,
                    if s.kind == "start" { "first" } else { "last" }
                ),
            ),
            _ => match input.step_visit(v, &s.kind, s.id) {
                Ok(Some(x)) => match used.insert(input, x) {
                    Ok(()) => {
                        route.visits.push(x);
                        route.forced.push(Forced::of(s));
                    }
                    Err((code, msg)) => bad.push(code, f, msg),
                },
                Ok(None) => {}
                Err(msg) => bad.push("dispatch.unknown_step", f, msg),
            },
        }
    }
    route.forced.insert(0, start);
    route.forced.push(end);
    route
}

/// Plan mode's routes: one per vehicle with non-empty `steps`, or `Ok(None)` when no vehicle has any.
/// Field paths are prefixed by `prefix` (e.g. `problem.`).
pub fn routes_from_steps(
    input: &Input,
    prefix: &str,
) -> Result<Option<Vec<GivenRoute>>, DispatchError> {
    if input
        .vehicles
        .iter()
        .all(|v| v.steps.as_ref().is_none_or(Vec::is_empty))
    {
        return Ok(None);
    }
    let (mut used, mut bad) = (Used::default(), Violations::default());
    let routes = (input.vehicles.iter().enumerate())
        .filter_map(|(i, v)| v.steps.as_ref().filter(|s| !s.is_empty()).map(|s| (i, s)))
        .map(|(i, s)| {
            resolve_steps(
                input,
                i,
                s,
                &format!("{prefix}vehicles[{i}].steps"),
                &mut used,
                &mut bad,
            )
        })
        .collect();
    bad.into_result().map_err(DispatchError::Invalid)?;
    Ok(Some(routes))
}

/// Jobs and shipments in no route, each with the reason the checker accepts. A shipment counts as
/// routed when either end is (a lone end is a `precedence` violation, not an unassigned task).
pub fn unassigned_of(problem: &Problem, routed: &[(usize, Vec<Visit>)]) -> Vec<Unassigned> {
    let mut jobs = vec![false; problem.jobs.len()];
    let mut shipments = vec![false; problem.shipments.len()];
    for x in routed.iter().flat_map(|r| &r.1) {
        match *x {
            Visit::Job(j) => jobs[j] = true,
            Visit::Pickup(s) | Visit::Delivery(s) => shipments[s] = true,
            Visit::Break(_) => {}
        }
    }
    let jobs = (0..jobs.len()).filter(|&j| !jobs[j]).map(|j| Unassigned {
        job: j,
        shipment: false,
        job_id: problem.jobs[j].id.clone(),
        reason: unassigned_reason(problem, j),
    });
    let shipments = (0..shipments.len())
        .filter(|&s| !shipments[s])
        .map(|s| Unassigned {
            job: s,
            shipment: true,
            job_id: problem.shipments[s].id.clone(),
            reason: unassigned_shipment_reason(problem, s),
        });
    jobs.chain(shipments).collect()
}

// ---------------------------------------------------------------------------------------------
// Timing with forced service times
// ---------------------------------------------------------------------------------------------

/// The service start for a visit arriving at `arrival`: the earliest time in its windows within
/// the forced bounds; when none, the forced lower bound (a forced time wins over the windows).
fn service_start(arrival: f64, windows: &[TimeWindow], f: &Forced) -> f64 {
    let t0 = arrival.max(f.lo());
    earliest_in(windows, t0)
        .filter(|&t| t <= f.hi() + EPS)
        .unwrap_or(t0)
}

/// The windows a step's service should start in (none for start and end).
fn step_windows<'a>(p: &'a Problem, route: &Route, k: usize) -> &'a [TimeWindow] {
    match route.steps[k].visit() {
        Some(Visit::Job(j)) => &p.jobs[j].time_windows,
        Some(Visit::Pickup(s)) => &p.shipments[s].pickup.time_windows,
        Some(Visit::Delivery(s)) => &p.shipments[s].delivery.time_windows,
        Some(Visit::Break(b)) => &p.vehicles[route.vehicle].breaks[b].time_windows,
        None => &[],
    }
}

/// Re-times `route` (built by [`Solution::from_visits`]) under `forced`: same legs, setups and
/// services; each service at [`service_start`]; the departure as late as the first service and a
/// forced start allow.
fn retime(p: &Problem, route: &mut Route, forced: &[Forced]) {
    let n = route.steps.len() - 1;
    let travel: Vec<f64> = (1..=n)
        .map(|k| route.steps[k].arrival.0 - route.steps[k - 1].departure.0)
        .collect();
    let work: Vec<f64> = route
        .steps
        .iter()
        .map(|s| s.departure.0 - s.service_start.0)
        .collect();
    let shift = p.vehicles[route.vehicle].shift.start.0;
    let earliest = shift.max(forced[0].lo());
    let mut t = earliest;
    for k in 1..n {
        let arrival = t + travel[k - 1];
        let s = service_start(arrival, step_windows(p, route, k), &forced[k]);
        let step = &mut route.steps[k];
        (step.arrival.0, step.service_start.0, step.departure.0) = (arrival, s, s + work[k]);
        t = s + work[k];
    }
    let end = (t + travel[n - 1]).max(forced[n].lo());
    let last = &mut route.steps[n];
    (last.arrival.0, last.service_start.0, last.departure.0) = (end, end, end);
    let mut depart = earliest;
    if n >= 2 {
        let latest = route.steps[1].service_start.0 - travel[0];
        depart = earliest.max(latest.min(forced[0].hi()));
        route.steps[1].arrival.0 = depart + travel[0];
    }
    let start = &mut route.steps[0];
    (start.arrival.0, start.service_start.0, start.departure.0) = (depart, depart, depart);
    route.duration.0 = end - depart;
}

/// A forced time missed: where, our code, VROOM's cause, by how much, and the message.
struct Missed {
    route: usize,
    step: usize,
    code: &'static str,
    cause: &'static str,
    by: f64,
    message: String,
}

/// The time a step's forced constraints apply to: departure at the start, arrival at the end,
/// service start elsewhere.
fn forced_time(route: &Route, k: usize) -> f64 {
    let s = &route.steps[k];
    match s.kind {
        StepKind::Start => s.departure.0,
        StepKind::End => s.arrival.0,
        _ => s.service_start.0,
    }
}

/// Every `service_at` and `service_before` the timed routes miss.
fn missed_forced(solution: &Solution, forced: &HashMap<usize, &[Forced]>) -> Vec<Missed> {
    let mut out = Vec::new();
    for (ri, route) in solution.routes.iter().enumerate() {
        let Some(fs) = forced.get(&route.vehicle) else {
            continue;
        };
        for (k, f) in fs.iter().enumerate() {
            let t = forced_time(route, k);
            if let Some(at) = f.at.filter(|&at| (t - at).abs() > EPS) {
                let (cause, by) = if t > at {
                    ("delay", t - at)
                } else {
                    ("lead_time", at - t)
                };
                let message = format!("service_at {at} but served at {t}");
                out.push(Missed {
                    route: ri,
                    step: k,
                    code: "step.service_at",
                    cause,
                    by,
                    message,
                });
            }
            if let Some(before) = f.before.filter(|&b| t > b + EPS) {
                let message = format!("service_before {before} but served at {t}");
                out.push(Missed {
                    route: ri,
                    step: k,
                    code: "step.service_before",
                    cause: "delay",
                    by: t - before,
                    message,
                });
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Plan mode
// ---------------------------------------------------------------------------------------------

/// Plan mode on given routes: times them (forced service times honoured), runs the independent
/// checker, adds every missed `service_at` / `service_before` to its report (codes
/// `step.service_at`, `step.service_before`, field `routes[i].steps[k]`), and answers in VROOM's
/// shape with each violation where it happens. `vroom_causes` chooses the violation objects:
/// VROOM's (`{cause, duration?, description, code}` with VROOM's cause names, route and summary
/// lists aggregated as VROOM does) or our re-check's (`{cause: code, description}`).
pub fn check_given(
    input: &Input,
    problem: &Problem,
    routes: &[GivenRoute],
    vroom_causes: bool,
) -> (Output, Report) {
    let visits: Vec<(usize, Vec<Visit>)> = routes
        .iter()
        .map(|r| (r.vehicle, r.visits.clone()))
        .collect();
    let mut solution = Solution::from_visits(problem, &visits, unassigned_of(problem, &visits));
    let forced: HashMap<usize, &[Forced]> = routes
        .iter()
        .filter(|r| r.forced.iter().any(|f| !f.is_free()))
        .map(|r| (r.vehicle, r.forced.as_slice()))
        .collect();
    for route in &mut solution.routes {
        if let Some(fs) = forced.get(&route.vehicle) {
            retime(problem, route, fs);
        }
    }
    solution.summary.duration.0 = solution.routes.iter().map(|r| r.duration.0).sum();
    let mut report = check(problem, &solution);
    let missed = missed_forced(&solution, &forced);
    report.violations.extend(missed.iter().map(|m| Violation {
        code: m.code.into(),
        field: format!("routes[{}].steps[{}]", m.route, m.step),
        message: m.message.clone(),
    }));
    report.feasible = report.violations.is_empty();
    let mut output = Output::from_solution(input, problem, &solution);
    if vroom_causes {
        attach_vroom(&mut output, problem, &solution, &report, &missed);
    } else {
        attach_violations(&mut output, &report);
    }
    (output, report)
}

/// Puts each violation of `report` on the step or route its field path names (`routes[i].steps[k]`,
/// `routes[i]`), the rest on the summary, as `{"cause": code, "description": message}`.
pub(crate) fn attach_violations(output: &mut Output, report: &Report) {
    for v in &report.violations {
        let value = json!({ "cause": v.code, "description": v.message });
        let (route, step) = parse_route_path(&v.field);
        slot(output, route, step).push(value);
    }
}

/// The violation list of a step, a route, or else the summary.
fn slot(output: &mut Output, route: Option<usize>, step: Option<usize>) -> &mut Vec<Value> {
    let exists = match (route, step) {
        (Some(r), Some(s)) => output.routes.get(r).is_some_and(|x| s < x.steps.len()),
        (Some(r), None) => r < output.routes.len(),
        _ => false,
    };
    match (route, step) {
        (Some(r), Some(s)) if exists => &mut output.routes[r].steps[s].violations,
        (Some(r), None) if exists => &mut output.routes[r].violations,
        _ => &mut output.summary.violations,
    }
}

/// `routes[3].steps[2]` → `(Some(3), Some(2))`; `routes[3]` → `(Some(3), None)`.
pub(crate) fn parse_route_path(field: &str) -> (Option<usize>, Option<usize>) {
    let index = |s: &str, prefix: &str| -> Option<usize> {
        s.strip_prefix(prefix)?.split(']').next()?.parse().ok()
    };
    let route = index(field, "routes[");
    let step = field
        .split_once("].steps[")
        .and_then(|(_, rest)| rest.split(']').next()?.parse().ok());
    (route, step)
}

/// VROOM's reading of a time outside `windows`: before the first window a `lead_time`, after the
/// last a `delay`, between two the smaller of the delay from the previous and the lead time to the
/// next (as VROOM's `get_violation`). `None` inside a window or without windows.
pub fn window_violation(windows: &[TimeWindow], t: f64) -> Option<(&'static str, f64)> {
    let i = windows.iter().position(|w| t <= w.end.0 + EPS);
    let Some(i) = i else {
        return windows.last().map(|w| ("delay", t - w.end.0));
    };
    let w = &windows[i];
    if t + EPS >= w.start.0 {
        return None;
    }
    let lead = ("lead_time", w.start.0 - t);
    Some(match i.checked_sub(1).map(|p| t - windows[p].end.0) {
        Some(delay) if delay < lead.1 => ("delay", delay),
        _ => lead,
    })
}

/// One violation in VROOM's terms.
struct Cause {
    cause: String,
    duration: Option<f64>,
}

/// VROOM's cause for a checker violation at `routes[r].steps[k]`; `None` for the precedence codes,
/// which [`precedence`] re-derives per step.
fn cause_of(
    p: &Problem,
    solution: &Solution,
    code: &str,
    r: Option<usize>,
    k: Option<usize>,
) -> Option<Cause> {
    let plain = |c: &str| {
        Some(Cause {
            cause: c.into(),
            duration: None,
        })
    };
    let timed = |(c, d): (&str, f64)| {
        Some(Cause {
            cause: c.into(),
            duration: Some(d),
        })
    };
    let at = r
        .zip(k)
        .and_then(|(r, k)| solution.routes.get(r).map(|route| (route, k)));
    match (code, at) {
        ("capacity", _) => plain("load"),
        ("compatibility", _) => plain("skills"),
        ("break.max_load", _) => plain("max_load"),
        ("shipment.order" | "shipment.split" | "coverage", _) => None,
        ("time_window" | "break.window", Some((route, k))) => {
            let t = route.steps[k].service_start.0;
            window_violation(step_windows(p, route, k), t).map_or_else(|| plain(code), timed)
        }
        ("shift", Some((route, 0))) => {
            let shift = p.vehicles[route.vehicle].shift.start.0;
            timed(("lead_time", shift - route.steps[0].departure.0))
        }
        ("shift", Some((route, k))) => {
            let end = p.vehicles[route.vehicle].shift.end.0;
            timed(("delay", route.steps[k].arrival.0 - end))
        }
        _ => plain(code),
    }
}

/// The route index of `vehicles[v]…` fields (`break.count`), if that vehicle has a route.
fn vehicle_route(solution: &Solution, field: &str) -> Option<usize> {
    let v: usize = field
        .strip_prefix("vehicles[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    solution.routes.iter().position(|r| r.vehicle == v)
}

fn cause_json(c: &Cause, code: &str, description: &str) -> Value {
    let mut v = json!({ "cause": c.cause, "description": description, "code": code });
    if let Some(d) = c.duration {
        v["duration"] = json!(d.max(0.0).round() as u64);
    }
    v
}

/// Steps breaking shipment precedence, as VROOM marks them: a delivery before or without its pickup
/// in the same route, a pickup without its delivery after it.
fn precedence(solution: &Solution) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    for (ri, route) in solution.routes.iter().enumerate() {
        let mut open: HashMap<usize, usize> = HashMap::new();
        for (k, s) in route.steps.iter().enumerate() {
            match s.visit() {
                Some(Visit::Pickup(sh)) => {
                    open.insert(sh, k);
                }
                Some(Visit::Delivery(sh)) if open.remove(&sh).is_none() => {
                    out.push((
                        ri,
                        k,
                        format!(
                            "delivery of {} without its pickup before it",
                            s.job_id.as_deref().unwrap_or("")
                        ),
                    ));
                }
                _ => {}
            }
        }
        for (_, k) in open {
            let id = route.steps[k].job_id.as_deref().unwrap_or("");
            out.push((ri, k, format!("pickup {id} without its delivery after it")));
        }
    }
    out
}

/// Step-level `max_tasks` and `max_travel_time`, where VROOM puts them: every task step past the
/// limit, every step reached after driving longer than allowed.
fn step_limits(p: &Problem, output: &mut Output, solution: &Solution) {
    for (ri, route) in solution.routes.iter().enumerate() {
        let veh = &p.vehicles[route.vehicle];
        let mut tasks = 0;
        for (k, s) in output.routes[ri].steps.iter_mut().enumerate() {
            let task = matches!(
                route.steps[k].kind,
                StepKind::Job | StepKind::Pickup | StepKind::Delivery
            );
            tasks += usize::from(task);
            if let Some(max) = veh.max_tasks.filter(|&m| task && tasks > m) {
                let c = Cause {
                    cause: "max_tasks".into(),
                    duration: None,
                };
                s.violations.push(cause_json(
                    &c,
                    "max_tasks",
                    &format!("task {tasks} of at most {max}"),
                ));
            }
            if let Some(max) = veh
                .max_travel_time
                .filter(|m| s.duration as f64 > m.0 + EPS)
            {
                let c = Cause {
                    cause: "max_travel_time".into(),
                    duration: None,
                };
                let msg = format!("{} s driven by here, more than {} s", s.duration, max.0);
                s.violations.push(cause_json(&c, "max_travel_time", &msg));
            }
        }
    }
}

/// VROOM-style violations: steps carry their own; each route lists its route-level ones, then one
/// entry per further cause on its steps (`delay` and `lead_time` with their summed `duration`); the
/// summary aggregates the routes the same way, plus what belongs to no route.
fn attach_vroom(
    output: &mut Output,
    p: &Problem,
    solution: &Solution,
    report: &Report,
    missed: &[Missed],
) {
    let mut summary_only = Vec::new();
    for v in &report.violations {
        if v.code.starts_with("step.service_") {
            continue;
        }
        let (mut r, k) = parse_route_path(&v.field);
        if r.is_none() {
            r = vehicle_route(solution, &v.field);
        }
        let Some(mut c) = cause_of(p, solution, &v.code, r, k) else {
            continue;
        };
        if v.code == "break.count" && v.message.contains(" 0 times") {
            c.cause = "missing_break".into();
        }
        let value = cause_json(&c, &v.code, &v.message);
        match r {
            Some(_) => slot(output, r, k).push(value),
            None => summary_only.push(value),
        }
    }
    for m in missed {
        let c = Cause {
            cause: m.cause.into(),
            duration: Some(m.by),
        };
        slot(output, Some(m.route), Some(m.step)).push(cause_json(&c, m.code, &m.message));
    }
    for (r, k, msg) in precedence(solution) {
        let c = Cause {
            cause: "precedence".into(),
            duration: None,
        };
        slot(output, Some(r), Some(k)).push(cause_json(&c, "shipment.order", &msg));
    }
    step_limits(p, output, solution);
    for route in &mut output.routes {
        let mut list = route.violations.clone();
        merge(&mut list, route.steps.iter().flat_map(|s| &s.violations));
        route.violations = list;
    }
    let mut list = Vec::new();
    merge(&mut list, output.routes.iter().flat_map(|r| &r.violations));
    list.extend(summary_only);
    output.summary.violations = list;
}

/// Adds to `list` one `{cause, duration?}` per cause of `items` not in it yet, summing durations.
fn merge<'a>(list: &mut Vec<Value>, items: impl Iterator<Item = &'a Value>) {
    let mut extra: Vec<Value> = Vec::new();
    for v in items {
        let cause = &v["cause"];
        if list.iter().any(|x| &x["cause"] == cause) {
            continue;
        }
        match extra.iter_mut().find(|x| &x["cause"] == cause) {
            Some(x) => {
                if let (Some(a), Some(b)) = (x["duration"].as_u64(), v["duration"].as_u64()) {
                    x["duration"] = json!(a + b);
                }
            }
            None => {
                let mut x = json!({ "cause": cause });
                if v.get("duration").is_some() {
                    x["duration"] = v["duration"].clone();
                }
                extra.push(x);
            }
        }
    }
    list.extend(extra);
}

// ---------------------------------------------------------------------------------------------
// Solving mode
// ---------------------------------------------------------------------------------------------

/// Solving mode's reading of `steps` (VROOM ≥ 1.11): per vehicle with steps, its `job`, `pickup` and
/// `delivery` visits in order (breaks and `service_*` ignored), or `Ok(None)` when no vehicle has
/// steps. Refuses, as VROOM does, unknown or repeated tasks and routes that break a constraint:
/// skills, capacity, shipment order, `max_tasks`, `max_travel_time`, `max_distance`, time windows and
/// shift (break placement is left to the solver), each named `vehicles[i].steps`.
pub fn initial_routes(input: &Input, problem: &Problem) -> Result<Option<Routes>, DispatchError> {
    let Some(given) = routes_from_steps(input, "")? else {
        return Ok(None);
    };
    let routes: Vec<(usize, Vec<Visit>)> = given
        .into_iter()
        .map(|r| {
            (
                r.vehicle,
                r.visits
                    .into_iter()
                    .filter(|x| !matches!(x, Visit::Break(_)))
                    .collect(),
            )
        })
        .collect();
    let solution = Solution::from_visits(problem, &routes, unassigned_of(problem, &routes));
    let mut bad = Violations::default();
    for (ri, k, msg) in precedence(&solution) {
        let v = solution.routes[ri].vehicle;
        let id = input.vehicles[v].id;
        let msg = format!("invalid shipment in route for vehicle {id} (step {k}): {msg}");
        bad.push(
            "dispatch.infeasible_steps",
            format!("vehicles[{v}].steps"),
            msg,
        );
    }
    let report = check(problem, &solution);
    for v in &report.violations {
        let (r, _) = parse_route_path(&v.field);
        let ignored =
            v.code.starts_with("break.") || v.code.starts_with("shipment.") || v.code == "coverage";
        if let (Some(r), false) = (r, ignored) {
            let route = &solution.routes[r];
            let id = &input.vehicles[route.vehicle].id;
            let msg = format!(
                "infeasible route for vehicle {id}: {} ({})",
                v.message, v.code
            );
            bad.push(
                "dispatch.infeasible_steps",
                format!("vehicles[{}].steps", route.vehicle),
                msg,
            );
        }
    }
    bad.into_result().map_err(DispatchError::Invalid)?;
    Ok(Some(routes))
}

/// Solves a VROOM document's problem the way VROOM uses vehicle `steps` in solving mode: the given
/// routes are validated ([`initial_routes`], refusing invalid ones as VROOM does) and the search
/// starts from them ([`solve_from`]); since the best plan found is returned, the answer is no worse
/// than the given routes. Without steps it is [`crate::solve`].
pub fn solve_from_steps(
    input: &Input,
    problem: &Problem,
    config: &SolverConfig,
) -> Result<Solution, DispatchError> {
    let initial = initial_routes(input, problem)?.unwrap_or_default();
    solve_from(problem, config, &initial)
}
