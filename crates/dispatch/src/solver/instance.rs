//! The solver's flat, index-based view of a [`Problem`], precomputed once per solve.
//!
//! Everything the search places is a *unit*: a job (one task) or a shipment (two tasks, pickup then
//! delivery, on the same route). Tasks are numbered jobs first (task `j` is job `j`), then each
//! shipment's pickup and delivery (`jobs + 2s` and `jobs + 2s + 1`).

use crate::problem::{JobKind, Objective, Problem, DIMS};
use crate::solution::{UnassignedReason, Visit};

/// An amount in every capacity dimension.
pub(crate) type Amount = [f64; DIMS];

/// "No location": the start of a route that begins at its first stop, or the end of one that ends at
/// its last. Travel to or from it is free.
pub(crate) const NONE: usize = usize::MAX;

/// Flat arrays over tasks, units and vehicles; times and amounts as plain `f64` for speed.
pub(crate) struct Instance<'a> {
    pub p: &'a Problem,
    /// Number of jobs (units `0..nj` are jobs, `nj..nu` shipments).
    pub nj: usize,
    /// Number of units.
    pub nu: usize,
    /// Capacity dimensions in use (the highest dimension any amount uses); loads in the others are
    /// always zero.
    pub dims: usize,
    /// Per task: location, service, setup, sorted windows (`(-inf, inf)` when none).
    pub loc: Vec<usize>,
    pub service: Vec<f64>,
    pub setup: Vec<f64>,
    pub windows: Vec<Vec<(f64, f64)>>,
    /// Per unit: amount on board from the start until the stop (job deliveries).
    pub deliv: Vec<Amount>,
    /// Per unit: amount picked up (a job's pickup or backhaul, carried to the end; a shipment's load,
    /// carried from its pickup to its delivery).
    pub pick: Vec<Amount>,
    pub penalty: Vec<f64>,
    /// Per vehicle.
    pub v_start: Vec<usize>,
    pub v_end: Vec<usize>,
    pub shift: Vec<(f64, f64)>,
    pub cap: Vec<Amount>,
    pub fixed: Vec<f64>,
    /// Cost per metre and per second of driving.
    pub per_m: Vec<f64>,
    pub per_s: Vec<f64>,
    /// 1 / speed factor.
    pub slowness: Vec<f64>,
    pub max_tasks: Vec<usize>,
    pub max_travel: Vec<f64>,
    pub max_dist: Vec<f64>,
    /// Vehicles whose insertions are checked by replaying the route (breaks, maximum duration).
    pub replay: Vec<bool>,
    /// Vehicles with identical attributes share a type; only one empty route per type is tried.
    pub v_type: Vec<usize>,
    allowed: Vec<bool>,
    /// For each task, the other tasks by increasing distance.
    pub neighbors: Vec<Vec<usize>>,
    /// Per unit: distance of its first stop from the first vehicle's start, to order insertions.
    pub depot_dist: Vec<f64>,
}

fn sorted_windows(ws: &[crate::TimeWindow]) -> Vec<(f64, f64)> {
    let mut w: Vec<(f64, f64)> = ws.iter().map(|w| (w.start.0, w.end.0)).collect();
    if w.is_empty() {
        w.push((f64::NEG_INFINITY, f64::INFINITY));
    }
    w.sort_by(|a, b| a.0.total_cmp(&b.0));
    w
}

impl<'a> Instance<'a> {
    pub fn new(p: &'a Problem) -> Self {
        let nj = p.jobs.len();
        let nu = nj + p.shipments.len();
        let mut inst = Instance {
            p,
            nj,
            nu,
            dims: DIMS,
            loc: Vec::new(),
            service: Vec::new(),
            setup: Vec::new(),
            windows: Vec::new(),
            deliv: Vec::new(),
            pick: Vec::new(),
            penalty: Vec::new(),
            v_start: p.vehicles.iter().map(|v| v.start.unwrap_or(NONE)).collect(),
            v_end: p.vehicles.iter().map(|v| v.end.unwrap_or(NONE)).collect(),
            shift: p
                .vehicles
                .iter()
                .map(|v| (v.shift.start.0, v.shift.end.0))
                .collect(),
            cap: p.vehicles.iter().map(|v| v.capacity.dims()).collect(),
            fixed: p.vehicles.iter().map(|v| v.costs.fixed).collect(),
            per_m: p.vehicles.iter().map(|v| v.costs.per_km / 1000.0).collect(),
            per_s: p
                .vehicles
                .iter()
                .map(|v| v.costs.per_hour / 3600.0)
                .collect(),
            slowness: p.vehicles.iter().map(|v| 1.0 / v.speed_factor).collect(),
            max_tasks: p
                .vehicles
                .iter()
                .map(|v| v.max_tasks.unwrap_or(usize::MAX))
                .collect(),
            max_travel: p
                .vehicles
                .iter()
                .map(|v| v.max_travel_time.map_or(f64::INFINITY, |t| t.0))
                .collect(),
            max_dist: p
                .vehicles
                .iter()
                .map(|v| v.max_distance.map_or(f64::INFINITY, |d| d.0))
                .collect(),
            replay: p
                .vehicles
                .iter()
                .map(|v| !v.breaks.is_empty() || v.max_duration.is_some())
                .collect(),
            v_type: Vec::new(),
            allowed: Vec::new(),
            neighbors: Vec::new(),
            depot_dist: Vec::new(),
        };
        inst.add_tasks();
        inst.dims = (0..DIMS)
            .rev()
            .find(|&k| (0..nu).any(|u| inst.deliv[u][k] > 0.0 || inst.pick[u][k] > 0.0))
            .map_or(0, |k| k + 1);
        inst.add_compatibility();
        inst.add_neighbors();
        inst.add_penalties();
        inst
    }

    fn add_tasks(&mut self) {
        let p = self.p;
        for job in &p.jobs {
            self.loc.push(job.location);
            self.service.push(job.service.0);
            self.setup.push(job.setup.0);
            self.windows.push(sorted_windows(&job.time_windows));
            let (d, k) = match job.kind {
                JobKind::Delivery => (job.load.dims(), job.backhaul.dims()),
                JobKind::Pickup => ([0.0; DIMS], job.load.dims()),
            };
            self.deliv.push(d);
            self.pick.push(k);
        }
        for sh in &p.shipments {
            for stop in [&sh.pickup, &sh.delivery] {
                self.loc.push(stop.location);
                self.service.push(stop.service.0);
                self.setup.push(stop.setup.0);
                self.windows.push(sorted_windows(&stop.time_windows));
            }
            self.deliv.push([0.0; DIMS]);
            self.pick.push(sh.load.dims());
        }
    }

    fn add_compatibility(&mut self) {
        let p = self.p;
        let (nv, nu) = (p.vehicles.len(), self.nu);
        self.allowed = vec![false; nv * nu];
        for (vi, v) in p.vehicles.iter().enumerate() {
            for u in 0..nu {
                let needs = if u < self.nj {
                    p.jobs[u].needs()
                } else {
                    p.shipments[u - self.nj].needs()
                };
                self.allowed[vi * nu + u] = v.meets(needs);
            }
        }
        for (vi, v) in p.vehicles.iter().enumerate() {
            let same = (0..vi).find(|&u| {
                let w = &p.vehicles[u];
                w.start == v.start
                    && w.end == v.end
                    && w.capacity == v.capacity
                    && w.shift == v.shift
                    && w.max_duration == v.max_duration
                    && w.max_tasks == v.max_tasks
                    && w.max_travel_time == v.max_travel_time
                    && w.max_distance == v.max_distance
                    && w.speed_factor == v.speed_factor
                    && w.breaks == v.breaks
                    && w.costs == v.costs
                    && (0..nu).all(|k| self.allowed[u * nu + k] == self.allowed[vi * nu + k])
            });
            let t = same.map_or(vi, |u| self.v_type[u]);
            self.v_type.push(t);
        }
        if p.objective == Objective::MinVehicles {
            // Vehicles first: one vehicle costs more than any plan's travel.
            let big = 1.0 + self.total_solo_cost();
            self.fixed.iter_mut().for_each(|f| *f += big);
        }
    }

    /// Sum over units of the cheapest route serving the unit alone (ignoring windows): more than the
    /// travel cost of any sensible plan.
    fn total_solo_cost(&self) -> f64 {
        (0..self.nu)
            .map(|u| {
                (0..self.v_start.len())
                    .map(|v| self.solo_cost(v, u))
                    .fold(f64::INFINITY, f64::min)
            })
            .filter(|c| c.is_finite())
            .sum()
    }

    /// Cost of vehicle `v` serving unit `u` alone (no windows).
    fn solo_cost(&self, v: usize, u: usize) -> f64 {
        let tasks = self.tasks(u);
        let mut path = vec![self.v_start[v]];
        path.extend(tasks.map(|t| self.loc[t]));
        path.push(self.v_end[v]);
        self.fixed[v]
            + path
                .windows(2)
                .map(|w| self.arc_cost(v, w[0], w[1]))
                .sum::<f64>()
    }

    fn add_neighbors(&mut self) {
        let nt = self.loc.len();
        let loc = &self.loc;
        let m = &self.p.matrix;
        self.neighbors = (0..nt)
            .map(|i| {
                let mut o: Vec<usize> = (0..nt).filter(|&k| k != i).collect();
                o.sort_by(|&a, &b| {
                    m.distance(loc[i], loc[a])
                        .total_cmp(&m.distance(loc[i], loc[b]))
                });
                o
            })
            .collect();
        let depot = self.v_start.iter().copied().find(|&s| s != NONE);
        self.depot_dist = (0..self.nu)
            .map(|u| depot.map_or(0.0, |d| self.dist(d, self.loc[self.tasks(u).start])))
            .collect();
    }

    /// Penalty for leaving a unit out: more than any route serving it alone could cost.
    fn add_penalties(&mut self) {
        let p = self.p;
        self.penalty = (0..self.nu)
            .map(|u| {
                let priority = if u < self.nj {
                    p.jobs[u].priority
                } else {
                    p.shipments[u - self.nj].priority
                } as f64;
                if let Some(uniform) = p.unassigned_penalty {
                    return uniform * (1.0 + priority);
                }
                let worst = (0..self.v_start.len())
                    .map(|v| self.solo_cost(v, u))
                    .fold(0.0, f64::max);
                (10.0 * worst + 1.0) * (1.0 + priority)
            })
            .collect();
    }

    /// The tasks of unit `u`: one for a job, pickup then delivery for a shipment.
    #[inline]
    pub fn tasks(&self, u: usize) -> std::ops::Range<usize> {
        if u < self.nj {
            u..u + 1
        } else {
            let t = self.nj + 2 * (u - self.nj);
            t..t + 2
        }
    }

    /// The unit task `t` belongs to.
    #[inline]
    pub fn unit(&self, t: usize) -> usize {
        if t < self.nj {
            t
        } else {
            self.nj + (t - self.nj) / 2
        }
    }

    /// The other task of a shipment, or `None` for a job.
    #[inline]
    pub fn partner(&self, t: usize) -> Option<usize> {
        (t >= self.nj).then(|| self.nj + ((t - self.nj) ^ 1))
    }

    /// Whether task `t` is a shipment's pickup.
    #[inline]
    pub fn is_shipment_pickup(&self, t: usize) -> bool {
        t >= self.nj && (t - self.nj).is_multiple_of(2)
    }

    /// The visit task `t` stands for.
    pub fn visit(&self, t: usize) -> Visit {
        if t < self.nj {
            Visit::Job(t)
        } else if self.is_shipment_pickup(t) {
            Visit::Pickup((t - self.nj) / 2)
        } else {
            Visit::Delivery((t - self.nj) / 2)
        }
    }

    #[inline]
    pub fn allowed(&self, v: usize, u: usize) -> bool {
        self.allowed[v * self.nu + u]
    }

    #[inline]
    pub fn dist(&self, a: usize, b: usize) -> f64 {
        if a == NONE || b == NONE {
            0.0
        } else {
            self.p.matrix.distance(a, b)
        }
    }

    /// Travel time of vehicle `v` from `a` to `b`.
    #[inline]
    pub fn time(&self, v: usize, a: usize, b: usize) -> f64 {
        if a == NONE || b == NONE {
            0.0
        } else {
            self.p.matrix.duration(a, b) * self.slowness[v]
        }
    }

    #[inline]
    pub fn arc_cost(&self, v: usize, a: usize, b: usize) -> f64 {
        self.per_m[v] * self.dist(a, b) + self.per_s[v] * self.time(v, a, b)
    }

    /// Time spent at task `t` when arriving from location `prev`.
    #[inline]
    pub fn duration_at(&self, t: usize, prev: usize) -> f64 {
        self.service[t]
            + if prev == self.loc[t] {
                0.0
            } else {
                self.setup[t]
            }
    }

    /// Why a unit can never be served, or `None` when some vehicle can serve it on its own route.
    pub fn unservable(&self, u: usize) -> Option<UnassignedReason> {
        let nv = self.v_start.len();
        let compat: Vec<usize> = (0..nv).filter(|&v| self.allowed(v, u)).collect();
        if compat.is_empty() {
            return Some(UnassignedReason::NoCompatibleVehicle);
        }
        let fits = |v: usize| {
            (0..DIMS).all(|k| {
                self.deliv[u][k] <= self.cap[v][k] + 1e-9
                    && self.pick[u][k] <= self.cap[v][k] + 1e-9
            })
        };
        let fit: Vec<usize> = compat.into_iter().filter(|&v| fits(v)).collect();
        if fit.is_empty() {
            return Some(UnassignedReason::ExceedsCapacity);
        }
        let ok = fit.iter().any(|&v| {
            let mut r = super::route::RouteState::new(v);
            r.update(self);
            r.best_insertion(self, u, &mut || false).is_some()
        });
        (!ok).then_some(UnassignedReason::TimeWindowUnreachable)
    }
}

/// Earliest time `>= t` inside one of the sorted `windows`.
#[inline]
pub(crate) fn earliest(windows: &[(f64, f64)], t: f64) -> Option<f64> {
    windows.iter().find(|w| w.1 >= t).map(|w| t.max(w.0))
}

/// Latest time `<= t` inside one of the sorted `windows`.
#[inline]
pub(crate) fn latest(windows: &[(f64, f64)], t: f64) -> Option<f64> {
    windows
        .iter()
        .take_while(|w| w.0 <= t)
        .map(|w| t.min(w.1))
        .max_by(|a, b| a.total_cmp(b))
}
