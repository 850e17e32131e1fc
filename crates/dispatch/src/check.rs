//! The independent checker: validates any [`Solution`] against its [`Problem`].
//!
//! It shares no code with the solver nor with [`Solution::from_visits`]: it replays each route from
//! the reported steps and recomputes locations, loads (every dimension), setups, times, distances,
//! driving times and costs from the problem alone, so a bug in the solver's incremental bookkeeping
//! cannot hide itself.
//!
//! Every violation carries a stable code and the path of the offending field:
//!
//! | code | what is wrong |
//! |---|---|
//! | `route.vehicle`, `route.vehicle_reused` | unknown vehicle, or one vehicle driving twice |
//! | `route.shape`, `route.job`, `route.shipment`, `route.break` | not start, visits, end; unknown index |
//! | `route.depot` | start or end step not at the vehicle's start or end (`None` only for an open route) |
//! | `route.location` | a job, pickup or delivery step not at its stop's location |
//! | `capacity`, `load.reported` | load over capacity in some dimension; reported load differs |
//! | `compatibility` | the vehicle does not meet the job's or shipment's needs |
//! | `time.travel`, `time.order`, `time.service` | arrival before the travel (with the speed factor) is done; service before arrival; departure before setup and service are done |
//! | `time_window`, `setup`, `shift` | service outside the windows; wrong setup; outside the shift |
//! | `max_duration`, `max_tasks`, `max_travel_time`, `max_distance` | a route limit exceeded |
//! | `break.count`, `break.window`, `break.location`, `break.max_load` | a break missing or repeated, outside its windows, away from where the vehicle is, over its load limit |
//! | `route.distance`, `route.driving`, `route.duration`, `route.cost` | reported figure differs from the recomputed one |
//! | `coverage`, `shipment.split`, `shipment.order` | not served once nor unassigned once; pickup and delivery on two routes; delivery first |
//! | `unassigned.job`, `unassigned.shipment`, `unassigned.reason` | unknown index; a reason the data contradicts |
//! | `summary.distance` | reported total distance differs from the routes |

use serde::{Deserialize, Serialize};
use wuliu_model::{Meters, Violation, Violations};

use crate::problem::{Break, Job, JobKind, Needs, Problem, Shipment, TimeWindow, Vehicle, DIMS};
use crate::solution::{Route, Solution, Step, StepKind, Unassigned, UnassignedReason};

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

/// Tolerance around `x`: relative for large values, absolute near zero.
fn tol(x: f64) -> f64 {
    EPS * x.abs().max(1.0)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

/// `a > limit` beyond the tolerance; true when either is NaN.
fn exceeds(a: f64, limit: f64) -> bool {
    a.partial_cmp(&(limit + tol(limit)))
        .is_none_or(|o| o == std::cmp::Ordering::Greater)
}

/// `a < floor` beyond the tolerance; true when either is NaN.
fn before(a: f64, floor: f64) -> bool {
    a.partial_cmp(&(floor - tol(floor)))
        .is_none_or(|o| o == std::cmp::Ordering::Less)
}

fn over(load: &[f64; DIMS], cap: &[f64; DIMS]) -> bool {
    (0..DIMS).any(|k| exceeds(load[k], cap[k]))
}

fn in_windows(windows: &[TimeWindow], t: f64) -> bool {
    windows.is_empty()
        || windows
            .iter()
            .any(|w| !before(t, w.start.0) && !exceeds(t, w.end.0))
}

// ---------------------------------------------------------------------------------------------
// Unassigned reasons
// ---------------------------------------------------------------------------------------------

/// One item of a route of its own: a stop of the job or shipment, or a break (no location: it is
/// taken where the vehicle is).
#[derive(Clone, Copy)]
struct SoloItem<'a> {
    location: Option<usize>,
    setup: f64,
    service: f64,
    windows: &'a [TimeWindow],
    delta: [f64; DIMS],
    max_load: Option<[f64; DIMS]>,
}

/// What serving one job or shipment demands of a vehicle.
struct Demand<'a> {
    needs: Needs<'a>,
    /// Loads that must each fit the capacity (a job's delivery and its backhaul, a shipment's load).
    loads: Vec<[f64; DIMS]>,
    /// Load on board when leaving the start (a job's delivery).
    start_load: [f64; DIMS],
    /// The stops in visiting order.
    stops: Vec<SoloItem<'a>>,
}

fn stop_item(location: usize, setup: f64, service: f64, windows: &[TimeWindow]) -> SoloItem<'_> {
    SoloItem {
        location: Some(location),
        setup,
        service,
        windows,
        delta: [0.0; DIMS],
        max_load: None,
    }
}

fn job_demand(job: &Job) -> Demand<'_> {
    let (load, back) = (job.load.dims(), job.backhaul.dims());
    let mut stop = stop_item(job.location, job.setup.0, job.service.0, &job.time_windows);
    let (loads, start_load) = match job.kind {
        JobKind::Delivery => {
            stop.delta = std::array::from_fn(|k| back[k] - load[k]);
            (vec![load, back], load)
        }
        JobKind::Pickup => {
            stop.delta = load;
            (vec![load], [0.0; DIMS])
        }
    };
    Demand {
        needs: job.needs(),
        loads,
        start_load,
        stops: vec![stop],
    }
}

fn shipment_item(sh: &Shipment, pickup: bool) -> SoloItem<'_> {
    let (s, sign) = if pickup {
        (&sh.pickup, 1.0)
    } else {
        (&sh.delivery, -1.0)
    };
    SoloItem {
        delta: sh.load.dims().map(|x| sign * x),
        ..stop_item(s.location, s.setup.0, s.service.0, &s.time_windows)
    }
}

fn shipment_demand(sh: &Shipment) -> Demand<'_> {
    Demand {
        needs: sh.needs(),
        loads: vec![sh.load.dims()],
        start_load: [0.0; DIMS],
        stops: vec![shipment_item(sh, true), shipment_item(sh, false)],
    }
}

fn break_item(b: &Break) -> SoloItem<'_> {
    SoloItem {
        location: None,
        setup: 0.0,
        service: b.service.0,
        windows: &b.time_windows,
        delta: [0.0; DIMS],
        max_load: b.max_load.map(|m| m.dims()),
    }
}

fn fits(v: &Vehicle, d: &Demand) -> bool {
    let cap = v.capacity.dims();
    d.loads.iter().all(|l| !over(l, &cap))
}

/// Every order of `items` (only the given one beyond four, where the count explodes).
fn orders<T: Copy>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 || items.len() > 4 {
        return vec![items.to_vec()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in orders(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

/// Every merge of `a` and `b` keeping the order within each.
fn interleavings<T: Copy>(a: &[T], b: &[T]) -> Vec<Vec<T>> {
    let (Some((&x, ra)), Some((&y, rb))) = (a.split_first(), b.split_first()) else {
        return vec![[a, b].concat()];
    };
    let mut out = Vec::new();
    for (first, rest) in [(x, interleavings(ra, b)), (y, interleavings(a, rb))] {
        for mut tail in rest {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}

/// Whether `v` can serve the demand alone: task count, then some placement of its breaks (every
/// order and position, up to four breaks) with the stops that keeps loads, limits and times.
fn solo_feasible(p: &Problem, v: &Vehicle, d: &Demand) -> bool {
    if v.max_tasks.is_some_and(|t| t < d.stops.len()) {
        return false;
    }
    let breaks: Vec<SoloItem> = v.breaks.iter().map(break_item).collect();
    orders(&breaks)
        .iter()
        .flat_map(|order| interleavings(&d.stops, order))
        .any(|seq| sequence_feasible(p, v, d.start_load, &seq))
}

/// Where each item is: a stop at its location, a break where the vehicle is (before the first stop
/// of an open route, at that stop).
fn solo_locations(v: &Vehicle, seq: &[SoloItem]) -> Vec<Option<usize>> {
    let mut here = v.start;
    let mut locs = Vec::with_capacity(seq.len());
    for (i, it) in seq.iter().enumerate() {
        let next_stop = || seq[i..].iter().find_map(|s| s.location);
        here = it.location.or(here).or_else(next_stop);
        locs.push(here);
    }
    locs
}

/// Whether one sequence of stops and breaks keeps the break load limits, the distance and travel
/// time limits, and fits some choice of windows.
fn sequence_feasible(p: &Problem, v: &Vehicle, start_load: [f64; DIMS], seq: &[SoloItem]) -> bool {
    let mut load = start_load;
    for it in seq {
        (0..DIMS).for_each(|k| load[k] += it.delta[k]);
        if it.max_load.is_some_and(|m| over(&load, &m)) {
            return false;
        }
    }
    let locs = solo_locations(v, seq);
    let mut path = vec![v.start];
    path.extend(&locs);
    path.push(v.end);
    let m = &p.matrix;
    let (mut legs, mut distance) = (Vec::with_capacity(path.len()), 0.0);
    for w in path.windows(2) {
        if let (Some(a), Some(b)) = (w[0], w[1]) {
            legs.push(m.duration(a, b) / v.speed_factor);
            distance += m.distance(a, b);
        } else {
            legs.push(0.0);
        }
    }
    let travel: f64 = legs.iter().sum();
    if v.max_distance.is_some_and(|d| exceeds(distance, d.0))
        || v.max_travel_time.is_some_and(|t| exceeds(travel, t.0))
    {
        return false;
    }
    // Time spent at each item: setup when a stop is reached from elsewhere, then service.
    let busy: Vec<f64> = seq
        .iter()
        .enumerate()
        .map(|(i, it)| {
            it.service
                + if it.location.is_some() && path[i] != locs[i] {
                    it.setup
                } else {
                    0.0
                }
        })
        .collect();
    window_choices(seq)
        .iter()
        .any(|w| schedule_fits(v, &legs, &busy, w))
}

/// Every way to pick one window per item (an empty list means any time).
fn window_choices(seq: &[SoloItem]) -> Vec<Vec<(f64, f64)>> {
    let mut out = vec![Vec::new()];
    for s in seq {
        let ws: Vec<(f64, f64)> = if s.windows.is_empty() {
            vec![(f64::NEG_INFINITY, f64::INFINITY)]
        } else {
            s.windows.iter().map(|w| (w.start.0, w.end.0)).collect()
        };
        out = out
            .into_iter()
            .flat_map(|prefix| {
                ws.iter().map(move |&w| {
                    let mut p = prefix.clone();
                    p.push(w);
                    p
                })
            })
            .collect();
    }
    out
}

/// Whether a solo route fits the shift and the maximum duration with service `i` inside window
/// `w[i]`. `legs[i]` leads to stop `i` (the last leg to the end); `busy[i]` is setup plus service.
fn schedule_fits(v: &Vehicle, legs: &[f64], busy: &[f64], w: &[(f64, f64)]) -> bool {
    let n = w.len();
    // Earliest schedule from the shift start.
    let mut t = v.shift.start.0 + legs[0];
    for i in 0..n {
        let s = t.max(w[i].0);
        if exceeds(s, w[i].1) {
            return false;
        }
        t = s + busy[i] + legs[i + 1];
    }
    if exceeds(t, v.shift.end.0) {
        return false;
    }
    let Some(max) = v.max_duration else {
        return true;
    };
    // Latest first service that keeps every later window and the shift end: leaving then gives
    // the shortest route (a later start never lengthens it).
    let mut latest = v.shift.end.0 - legs[n];
    for i in (0..n).rev() {
        latest = (latest - busy[i]).min(w[i].1);
        if i > 0 {
            latest -= legs[i];
        }
    }
    let mut t = latest;
    for i in 0..n {
        t = t.max(w[i].0) + busy[i] + legs[i + 1];
    }
    !exceeds(t - (latest - legs[0]), max.0)
}

/// Whether `reason` holds for the demand: no compatible vehicle; too large for every compatible one;
/// no compatible vehicle it fits can serve it alone; or some can (the fleet had no room).
fn reason_holds(p: &Problem, d: &Demand, reason: UnassignedReason) -> bool {
    let compat: Vec<&Vehicle> = p.vehicles.iter().filter(|v| v.meets(d.needs)).collect();
    let mut fitting = compat.iter().filter(|v| fits(v, d));
    match reason {
        UnassignedReason::NoCompatibleVehicle => compat.is_empty(),
        UnassignedReason::ExceedsCapacity => !compat.is_empty() && fitting.next().is_none(),
        UnassignedReason::TimeWindowUnreachable => fitting.all(|v| !solo_feasible(p, v, d)),
        UnassignedReason::FleetFull => fitting.any(|v| solo_feasible(p, v, d)),
    }
}

fn expected_reason(p: &Problem, d: &Demand) -> UnassignedReason {
    [
        UnassignedReason::NoCompatibleVehicle,
        UnassignedReason::ExceedsCapacity,
        UnassignedReason::TimeWindowUnreachable,
    ]
    .into_iter()
    .find(|&r| reason_holds(p, d, r))
    .unwrap_or(UnassignedReason::FleetFull)
}

/// The reason the checker accepts for leaving job `j` out: no compatible vehicle, too large for every
/// compatible one (delivery or backhaul, any dimension), unreachable in its windows even alone (with
/// setup, speed factor, shift, maximum duration, travel time, distance, task count and the vehicle's
/// breaks wherever they fit), or else the fleet had no room for it.
pub fn unassigned_reason(problem: &Problem, j: usize) -> UnassignedReason {
    expected_reason(problem, &job_demand(&problem.jobs[j]))
}

/// [`unassigned_reason`] for shipment `s`: compatibility via [`Vehicle::meets`], its load against
/// the capacity, and its pickup then delivery alone on a vehicle's route.
pub fn unassigned_shipment_reason(problem: &Problem, s: usize) -> UnassignedReason {
    expected_reason(problem, &shipment_demand(&problem.shipments[s]))
}

// ---------------------------------------------------------------------------------------------
// Route replay
// ---------------------------------------------------------------------------------------------

/// What a step visits, resolved against the problem.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Start,
    End,
    Job(usize),
    Pickup(usize),
    Delivery(usize),
    Break(usize),
}

/// A step resolved against the problem: where it must be, how long it takes, what it loads.
struct Stop<'a> {
    kind: Kind,
    /// The stop's own location; `None` for breaks and for an open start or end.
    location: Option<usize>,
    setup: f64,
    service: f64,
    windows: &'a [TimeWindow],
    delta: [f64; DIMS],
    needs: Option<Needs<'a>>,
    brk: Option<&'a Break>,
    id: &'a str,
}

impl<'a> Stop<'a> {
    fn bare(kind: Kind, location: Option<usize>) -> Self {
        Stop {
            kind,
            location,
            setup: 0.0,
            service: 0.0,
            windows: &[],
            delta: [0.0; DIMS],
            needs: None,
            brk: None,
            id: "",
        }
    }
    fn is_task(&self) -> bool {
        matches!(
            self.kind,
            Kind::Job(_) | Kind::Pickup(_) | Kind::Delivery(_)
        )
    }
}

fn job_stop(j: usize, job: &Job) -> Stop<'_> {
    let (load, back) = (job.load.dims(), job.backhaul.dims());
    let delta = match job.kind {
        JobKind::Delivery => std::array::from_fn(|k| back[k] - load[k]),
        JobKind::Pickup => load,
    };
    Stop {
        setup: job.setup.0,
        service: job.service.0,
        windows: &job.time_windows,
        delta,
        needs: Some(job.needs()),
        id: &job.id,
        ..Stop::bare(Kind::Job(j), Some(job.location))
    }
}

fn shipment_stop(p: &Problem, s: usize, pickup: bool) -> Option<Stop<'_>> {
    let sh = p.shipments.get(s)?;
    let (stop, kind, sign) = if pickup {
        (&sh.pickup, Kind::Pickup(s), 1.0)
    } else {
        (&sh.delivery, Kind::Delivery(s), -1.0)
    };
    let load = sh.load.dims();
    Some(Stop {
        setup: stop.setup.0,
        service: stop.service.0,
        windows: &stop.time_windows,
        delta: std::array::from_fn(|k| sign * load[k]),
        needs: Some(sh.needs()),
        id: &stop.id,
        ..Stop::bare(kind, Some(stop.location))
    })
}

fn break_stop(veh: &Vehicle, b: usize) -> Option<Stop<'_>> {
    let br = veh.breaks.get(b)?;
    Some(Stop {
        service: br.service.0,
        windows: &br.time_windows,
        brk: Some(br),
        id: &br.id,
        ..Stop::bare(Kind::Break(b), None)
    })
}

/// Resolves one step, or names what is wrong with it.
fn resolve<'a>(
    p: &'a Problem,
    veh: &'a Vehicle,
    s: &Step,
    first: bool,
    last: bool,
) -> Result<Stop<'a>, (&'static str, String)> {
    let shape = || ("route.shape", "a route is start, visits, end".to_string());
    let unknown = |code, what: &str, i: Option<usize>| (code, format!("unknown {what} {i:?}"));
    match (s.kind, first, last) {
        (StepKind::Start, true, false) => Ok(Stop::bare(Kind::Start, veh.start)),
        (StepKind::End, false, true) => Ok(Stop::bare(Kind::End, veh.end)),
        (StepKind::Start | StepKind::End, ..) | (_, true, _) | (_, _, true) => Err(shape()),
        (StepKind::Job, ..) => s
            .job
            .and_then(|j| p.jobs.get(j).map(|job| job_stop(j, job)))
            .ok_or_else(|| unknown("route.job", "job", s.job)),
        (StepKind::Pickup | StepKind::Delivery, ..) => s
            .shipment
            .and_then(|i| shipment_stop(p, i, s.kind == StepKind::Pickup))
            .ok_or_else(|| unknown("route.shipment", "shipment", s.shipment)),
        (StepKind::Break, ..) => s
            .break_index
            .and_then(|b| break_stop(veh, b))
            .ok_or_else(|| unknown("route.break", "break of this vehicle", s.break_index)),
    }
}

/// Where each step must be: a task at its stop, the start and end at the vehicle's, a break where
/// the vehicle is (for a break before the first stop of an open route, at that stop).
fn expected_locations(stops: &[Stop]) -> Vec<Option<usize>> {
    let mut locs: Vec<Option<usize>> = Vec::with_capacity(stops.len());
    for (k, s) in stops.iter().enumerate() {
        let loc = match s.kind {
            Kind::Break(_) => locs[k - 1].or_else(|| {
                stops[k..]
                    .iter()
                    .find(|n| n.is_task())
                    .and_then(|n| n.location)
            }),
            _ => s.location,
        };
        locs.push(loc);
    }
    locs
}

/// One route replayed from its steps and the problem alone.
struct RouteReplay<'a, 'v> {
    p: &'a Problem,
    veh: &'a Vehicle,
    route: &'a Route,
    f: String,
    stops: Vec<Stop<'a>>,
    locs: Vec<Option<usize>>,
    v: &'v mut Violations,
    distance: f64,
    driving: f64,
}

impl RouteReplay<'_, '_> {
    fn field(&self, k: usize) -> String {
        format!("{}.steps[{k}]", self.f)
    }

    fn push(&mut self, code: &str, k: usize, msg: impl Into<String>) {
        let field = self.field(k);
        self.v.push(code, field, msg);
    }

    /// Runs every per-route check and returns the recomputed cost.
    fn run(mut self) -> (f64, f64) {
        self.locations();
        self.compatibility();
        self.loads();
        self.times();
        self.breaks();
        self.limits();
        let cost = self.totals();
        (self.distance, cost)
    }

    fn locations(&mut self) {
        for k in 0..self.stops.len() {
            let (want, got) = (self.locs[k], self.route.steps[k].location);
            if want == got {
                continue;
            }
            let code = match self.stops[k].kind {
                Kind::Start | Kind::End => "route.depot",
                Kind::Break(_) => "break.location",
                _ => "route.location",
            };
            self.push(code, k, format!("step at {got:?}, expected at {want:?}"));
        }
    }

    fn compatibility(&mut self) {
        for k in 0..self.stops.len() {
            if let Some(needs) = self.stops[k].needs {
                if !self.veh.meets(needs) {
                    let msg = format!("vehicle {} cannot carry {}", self.veh.id, self.stops[k].id);
                    self.push("compatibility", k, msg);
                }
            }
        }
    }

    /// Loads in every dimension: every job delivery on board at the start, then each step's change.
    fn loads(&mut self) {
        let mut load = [0.0; DIMS];
        for s in &self.stops {
            if let Kind::Job(j) = s.kind {
                let job = &self.p.jobs[j];
                if job.kind == JobKind::Delivery {
                    let d = job.load.dims();
                    (0..DIMS).for_each(|i| load[i] += d[i]);
                }
            }
        }
        let cap = self.veh.capacity.dims();
        for k in 0..self.stops.len() {
            let d = self.stops[k].delta;
            (0..DIMS).for_each(|i| load[i] += d[i]);
            if over(&load, &cap) {
                self.push(
                    "capacity",
                    k,
                    format!("load {load:?} exceeds capacity {cap:?}"),
                );
            }
            if let Some(max) = self.stops[k].brk.and_then(|b| b.max_load) {
                if over(&load, &max.dims()) {
                    let msg = format!("load {load:?} during the break exceeds {:?}", max.dims());
                    self.push("break.max_load", k, msg);
                }
            }
            let got = self.route.steps[k].load.dims();
            if (0..DIMS).any(|i| !close(got[i], load[i])) {
                self.push(
                    "load.reported",
                    k,
                    format!("reported {got:?}, recomputed {load:?}"),
                );
            }
        }
    }

    /// Travel time and distance from `a` to `b` for this vehicle; nothing from or to `None`.
    fn leg(&self, a: Option<usize>, b: Option<usize>) -> (f64, f64) {
        match (a, b) {
            (Some(a), Some(b)) => {
                let m = &self.p.matrix;
                (m.duration(a, b) / self.veh.speed_factor, m.distance(a, b))
            }
            _ => (0.0, 0.0),
        }
    }

    fn times(&mut self) {
        let start = &self.route.steps[0];
        if before(start.departure.0, self.veh.shift.start.0) {
            self.push("shift", 0, "departs before the shift starts");
        }
        for k in 1..self.stops.len() {
            let (travel, dist) = self.leg(self.locs[k - 1], self.locs[k]);
            self.driving += travel;
            self.distance += dist;
            let route = self.route;
            let (prev, s) = (&route.steps[k - 1], &route.steps[k]);
            if before(s.arrival.0, prev.departure.0 + travel) {
                let msg = format!("arrives at {} but travel takes {travel} s", s.arrival.0);
                self.push("time.travel", k, msg);
            }
            if self.stops[k].kind == Kind::End {
                self.end_time(k);
            } else {
                self.service_time(k);
            }
        }
    }

    fn end_time(&mut self, k: usize) {
        let arrival = self.route.steps[k].arrival.0;
        if exceeds(arrival, self.veh.shift.end.0) {
            let msg = format!(
                "returns at {arrival} after the shift ends at {}",
                self.veh.shift.end.0
            );
            self.push("shift", k, msg);
        }
    }

    /// Windows, setup and service of a task or break step.
    fn service_time(&mut self, k: usize) {
        let (s, stop) = (&self.route.steps[k], &self.stops[k]);
        let start = s.service_start.0;
        let setup = if stop.is_task() && self.locs[k - 1] != self.locs[k] {
            stop.setup
        } else {
            0.0
        };
        let mut found = Vec::new();
        if before(start, s.arrival.0) {
            found.push(("time.order", "service starts before arrival".to_string()));
        }
        if !in_windows(stop.windows, start) {
            let code = if stop.brk.is_some() {
                "break.window"
            } else {
                "time_window"
            };
            found.push((
                code,
                format!("{} starts at {start}, outside its windows", stop.id),
            ));
        }
        if !close(s.setup.0, setup) {
            found.push(("setup", format!("setup {} but expected {setup}", s.setup.0)));
        }
        if before(s.departure.0, start + setup + stop.service) {
            let msg = format!("leaves at {} before setup and service end", s.departure.0);
            found.push(("time.service", msg));
        }
        for (code, msg) in found {
            self.push(code, k, msg);
        }
    }

    /// Every break of the vehicle exactly once.
    fn breaks(&mut self) {
        for b in 0..self.veh.breaks.len() {
            let n = self
                .stops
                .iter()
                .filter(|s| s.kind == Kind::Break(b))
                .count();
            if n != 1 {
                let field = format!("vehicles[{}].breaks[{b}]", self.route.vehicle);
                let msg = format!(
                    "break {} appears {n} times in {}",
                    self.veh.breaks[b].id, self.f
                );
                self.v.push("break.count", field, msg);
            }
        }
    }

    fn limits(&mut self) {
        let (veh, f) = (self.veh, self.f.clone());
        let tasks = self.stops.iter().filter(|s| s.is_task()).count();
        if let Some(max) = veh.max_tasks.filter(|&m| tasks > m) {
            self.v
                .push("max_tasks", &f, format!("{tasks} tasks, more than {max}"));
        }
        if let Some(max) = veh.max_travel_time.filter(|m| exceeds(self.driving, m.0)) {
            let msg = format!("drives {} s, more than {} s", self.driving, max.0);
            self.v.push("max_travel_time", &f, msg);
        }
        if let Some(max) = veh.max_distance.filter(|m| exceeds(self.distance, m.0)) {
            let msg = format!("drives {} m, more than {} m", self.distance, max.0);
            self.v.push("max_distance", &f, msg);
        }
        let duration = self.duration();
        if let Some(max) = veh.max_duration.filter(|m| exceeds(duration, m.0)) {
            let msg = format!("route lasts {duration} s, more than {} s", max.0);
            self.v.push("max_duration", &f, msg);
        }
    }

    fn duration(&self) -> f64 {
        let steps = &self.route.steps;
        steps[steps.len() - 1].arrival.0 - steps[0].departure.0
    }

    /// Compares the reported distance, driving time, duration and cost with the recomputed ones.
    fn totals(&mut self) -> f64 {
        let c = &self.veh.costs;
        let cost = c.fixed + c.per_km * self.distance / 1000.0 + c.per_hour * self.driving / 3600.0;
        let r = self.route;
        let figures = [
            ("route.distance", r.distance.0, self.distance),
            ("route.driving", r.driving.0, self.driving),
            ("route.duration", r.duration.0, self.duration()),
            ("route.cost", r.cost, cost),
        ];
        for (code, got, want) in figures {
            if !close(got, want) {
                let f = self.f.clone();
                self.v
                    .push(code, f, format!("reported {got} but recomputed {want}"));
            }
        }
        cost
    }
}

// ---------------------------------------------------------------------------------------------
// Whole solution
// ---------------------------------------------------------------------------------------------

/// Where a shipment stop was served: route and step.
type Place = (usize, usize);

/// State gathered over all routes.
struct Checker<'a> {
    p: &'a Problem,
    v: Violations,
    used: Vec<bool>,
    jobs: Vec<usize>,
    pickups: Vec<Vec<Place>>,
    deliveries: Vec<Vec<Place>>,
    unassigned_shipments: Vec<usize>,
    /// Whether every route could be replayed (else the totals are partial).
    complete: bool,
    distance: f64,
    cost: f64,
}

impl<'a> Checker<'a> {
    fn new(p: &'a Problem) -> Self {
        let ns = p.shipments.len();
        Checker {
            p,
            v: Violations::default(),
            used: vec![false; p.vehicles.len()],
            jobs: vec![0; p.jobs.len()],
            pickups: vec![Vec::new(); ns],
            deliveries: vec![Vec::new(); ns],
            unassigned_shipments: vec![0; ns],
            complete: true,
            distance: 0.0,
            cost: 0.0,
        }
    }

    fn route(&mut self, ri: usize, route: &Route) {
        let f = format!("routes[{ri}]");
        let Some(veh) = self.p.vehicles.get(route.vehicle) else {
            self.v
                .push("route.vehicle", &f, format!("no vehicle {}", route.vehicle));
            self.complete = false;
            return;
        };
        if std::mem::replace(&mut self.used[route.vehicle], true) {
            self.v.push(
                "route.vehicle_reused",
                &f,
                format!("vehicle {} drives twice", veh.id),
            );
        }
        let Some(stops) = self.resolve_route(ri, veh, route) else {
            self.complete = false;
            return;
        };
        let locs = expected_locations(&stops);
        let replay = RouteReplay {
            p: self.p,
            veh,
            route,
            f,
            stops,
            locs,
            v: &mut self.v,
            distance: 0.0,
            driving: 0.0,
        };
        let (distance, cost) = replay.run();
        self.distance += distance;
        self.cost += cost;
    }

    /// Resolves every step and records what the route serves; `None` when a step is malformed.
    fn resolve_route(
        &mut self,
        ri: usize,
        veh: &'a Vehicle,
        route: &Route,
    ) -> Option<Vec<Stop<'a>>> {
        let n = route.steps.len();
        if n < 2 {
            self.v.push(
                "route.shape",
                format!("routes[{ri}]"),
                "a route is start, visits, end",
            );
            return None;
        }
        let mut stops = Vec::with_capacity(n);
        let mut ok = true;
        for (k, s) in route.steps.iter().enumerate() {
            match resolve(self.p, veh, s, k == 0, k == n - 1) {
                Ok(stop) => {
                    self.record(stop.kind, (ri, k));
                    stops.push(stop);
                }
                Err((code, msg)) => {
                    self.v.push(code, format!("routes[{ri}].steps[{k}]"), msg);
                    ok = false;
                }
            }
        }
        ok.then_some(stops)
    }

    fn record(&mut self, kind: Kind, at: Place) {
        match kind {
            Kind::Job(j) => self.jobs[j] += 1,
            Kind::Pickup(s) => self.pickups[s].push(at),
            Kind::Delivery(s) => self.deliveries[s].push(at),
            _ => {}
        }
    }

    fn unassigned(&mut self, k: usize, u: &Unassigned) {
        let f = format!("unassigned[{k}]");
        let demand = if u.shipment {
            let Some(sh) = self.p.shipments.get(u.job) else {
                self.v.push("unassigned.shipment", &f, "unknown shipment");
                return;
            };
            self.unassigned_shipments[u.job] += 1;
            shipment_demand(sh)
        } else {
            let Some(job) = self.p.jobs.get(u.job) else {
                self.v.push("unassigned.job", &f, "unknown job");
                return;
            };
            self.jobs[u.job] += 1;
            job_demand(job)
        };
        if !reason_holds(self.p, &demand, u.reason) {
            let msg = format!("reason {:?} does not hold for {}", u.reason, u.job_id);
            self.v.push("unassigned.reason", &f, msg);
        }
    }

    fn job_coverage(&mut self) {
        for (j, &count) in self.jobs.iter().enumerate() {
            if count != 1 {
                let msg = format!(
                    "job {} appears {count} times (must be served once or reported unassigned once)",
                    self.p.jobs[j].id
                );
                self.v.push("coverage", format!("jobs[{j}]"), msg);
            }
        }
    }

    /// Every shipment served once (pickup, then delivery on the same route) or unassigned once.
    fn shipment_coverage(&mut self) {
        for s in 0..self.p.shipments.len() {
            let (p, d) = (&self.pickups[s], &self.deliveries[s]);
            let u = self.unassigned_shipments[s];
            let f = format!("shipments[{s}]");
            let id = &self.p.shipments[s].id;
            match (p.as_slice(), d.as_slice(), u) {
                ([], [], 1) => {}
                ([a], [b], 0) if a.0 != b.0 => {
                    let msg = format!(
                        "shipment {id}: pickup on routes[{}], delivery on routes[{}]",
                        a.0, b.0
                    );
                    self.v.push("shipment.split", f, msg);
                }
                ([a], [b], 0) if a.1 > b.1 => {
                    self.v.push(
                        "shipment.order",
                        f,
                        format!("shipment {id} delivered before its pickup"),
                    );
                }
                ([_], [_], 0) => {}
                _ => {
                    let msg = format!(
                        "shipment {id}: {} pickups, {} deliveries, unassigned {u} times",
                        p.len(),
                        d.len()
                    );
                    self.v.push("coverage", f, msg);
                }
            }
        }
    }

    fn report(mut self, solution: &Solution) -> Report {
        self.job_coverage();
        self.shipment_coverage();
        if self.complete && !close(solution.summary.distance.0, self.distance) {
            self.v.push(
                "summary.distance",
                "summary",
                "reported total distance differs from the routes",
            );
        }
        Report {
            feasible: self.v.is_empty(),
            violations: self.v.0,
            distance: Meters(self.distance),
            cost: self.cost,
        }
    }
}

/// Validates `solution` against `problem`: route shape and locations (open routes included), loads
/// in every dimension at every step (job deliveries on board from the start, backhauls, shipments on
/// board from pickup to delivery), time windows, setups, travel times with the vehicle's speed
/// factor, shifts, maximum duration, task count, travel time and distance, breaks (each once, in a
/// window, where the vehicle is, under its load limit), compatibility, every job and shipment served
/// exactly once or reported unassigned with a reason consistent with the data, and the reported
/// distances, driving times, durations and costs. See the module documentation for the codes.
pub fn check(problem: &Problem, solution: &Solution) -> Report {
    let mut c = Checker::new(problem);
    for (ri, route) in solution.routes.iter().enumerate() {
        c.route(ri, route);
    }
    for (k, u) in solution.unassigned.iter().enumerate() {
        c.unassigned(k, u);
    }
    c.report(solution)
}
