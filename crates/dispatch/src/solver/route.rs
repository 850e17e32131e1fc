//! One route under construction, with the cached forward/backward data that makes an insertion check
//! O(1) for a job and O(route) for a shipment: earliest service starts (forward), latest feasible
//! service starts (backward), and the load on board with its prefix/suffix maxima.
//!
//! Vehicles with breaks or a maximum duration are checked by replaying the candidate route
//! ([`super::replay`]), only for candidates cheaper than the best found so far.

use super::instance::{earliest, latest, Amount, Instance};
use super::replay::replay;
use crate::problem::DIMS;

const EPS: f64 = 1e-7;

/// Where a unit goes: its first task after node `p`, and (shipments) its second after node `q >= p`
/// of the route before insertion.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Insertion {
    pub delta: f64,
    pub p: usize,
    pub q: usize,
}

/// A route and its caches. Node 0 is the start, nodes `1..=m` the tasks, node `m + 1` the end.
#[derive(Debug)]
pub(crate) struct RouteState {
    pub v: usize,
    /// Task indices in visiting order.
    pub jobs: Vec<usize>,
    loc: Vec<usize>,
    /// Earliest service start per node (departure time at node 0).
    es: Vec<f64>,
    /// Time spent at each node (setup included when arriving from elsewhere).
    dur: Vec<f64>,
    /// Latest service start per node that keeps the rest of the route feasible.
    ls: Vec<f64>,
    /// Load on board when leaving each node, and its prefix and suffix maxima.
    load: Vec<Amount>,
    pre: Vec<Amount>,
    suf: Vec<Amount>,
    distance: f64,
    travel: f64,
    pub cost: f64,
}

fn add(a: Amount, b: Amount) -> Amount {
    std::array::from_fn(|k| a[k] + b[k])
}
fn max(a: Amount, b: Amount) -> Amount {
    std::array::from_fn(|k| a[k].max(b[k]))
}
/// Whether `load + extra` exceeds `cap` in one of the first `dims` dimensions.
#[inline]
fn over(dims: usize, load: &Amount, extra: &Amount, cap: &Amount) -> bool {
    (0..dims).any(|k| load[k] + extra[k] > cap[k] + EPS)
}

impl Clone for RouteState {
    fn clone(&self) -> Self {
        let mut r = RouteState::new(self.v);
        r.clone_from(self);
        r
    }

    /// Reuses this route's buffers: the search copies whole solutions every iteration.
    fn clone_from(&mut self, o: &Self) {
        self.v = o.v;
        self.jobs.clone_from(&o.jobs);
        self.loc.clone_from(&o.loc);
        self.es.clone_from(&o.es);
        self.dur.clone_from(&o.dur);
        self.ls.clone_from(&o.ls);
        self.load.clone_from(&o.load);
        self.pre.clone_from(&o.pre);
        self.suf.clone_from(&o.suf);
        (self.distance, self.travel, self.cost) = (o.distance, o.travel, o.cost);
    }
}

impl RouteState {
    pub fn new(v: usize) -> Self {
        Self {
            v,
            jobs: Vec::new(),
            loc: Vec::new(),
            es: Vec::new(),
            dur: Vec::new(),
            ls: Vec::new(),
            load: Vec::new(),
            pre: Vec::new(),
            suf: Vec::new(),
            distance: 0.0,
            travel: 0.0,
            cost: 0.0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Load change at task `t`.
    fn delta(inst: &Instance, t: usize) -> Amount {
        let u = inst.unit(t);
        if u < inst.nj {
            std::array::from_fn(|k| inst.pick[u][k] - inst.deliv[u][k])
        } else if inst.is_shipment_pickup(t) {
            inst.pick[u]
        } else {
            std::array::from_fn(|k| -inst.pick[u][k])
        }
    }

    /// Recomputes every cache from `jobs`. O(m).
    pub fn update(&mut self, inst: &Instance) {
        let v = self.v;
        let m = self.jobs.len();
        self.loc.clear();
        self.loc.push(inst.v_start[v]);
        self.loc.extend(self.jobs.iter().map(|&t| inst.loc[t]));
        self.loc.push(inst.v_end[v]);
        self.es.clear();
        self.dur.clear();
        self.es.push(inst.shift[v].0);
        self.dur.push(0.0);
        (self.distance, self.travel) = (0.0, 0.0);
        for k in 1..=m + 1 {
            let (a, b) = (self.loc[k - 1], self.loc[k]);
            let tt = inst.time(v, a, b);
            self.distance += inst.dist(a, b);
            self.travel += tt;
            let arr = self.es[k - 1] + self.dur[k - 1] + tt;
            if k == m + 1 {
                self.es.push(arr);
                self.dur.push(0.0);
            } else {
                let t = self.jobs[k - 1];
                self.es
                    .push(earliest(&inst.windows[t], arr).unwrap_or(f64::INFINITY));
                self.dur.push(inst.duration_at(t, a));
            }
        }
        self.ls.clear();
        self.ls.resize(m + 2, 0.0);
        self.ls[m + 1] = inst.shift[v].1;
        for k in (1..=m).rev() {
            let t = self.ls[k + 1] - self.dur[k] - inst.time(v, self.loc[k], self.loc[k + 1]);
            self.ls[k] = latest(&inst.windows[self.jobs[k - 1]], t).unwrap_or(f64::NEG_INFINITY);
        }
        self.ls[0] = self.ls.get(1).copied().unwrap_or(f64::INFINITY);
        self.update_loads(inst);
        self.cost = if m == 0 {
            0.0
        } else {
            inst.fixed[v] + inst.per_m[v] * self.distance + inst.per_s[v] * self.travel
        };
    }

    fn update_loads(&mut self, inst: &Instance) {
        let m = self.jobs.len();
        let mut start = [0.0; DIMS];
        for &t in &self.jobs {
            if t < inst.nj {
                start = add(start, inst.deliv[t]);
            }
        }
        self.load.clear();
        self.load.push(start);
        for k in 1..=m {
            let l = add(self.load[k - 1], Self::delta(inst, self.jobs[k - 1]));
            self.load.push(l);
        }
        self.load.push(self.load[m]);
        self.pre.clear();
        self.pre.push(self.load[0]);
        for k in 1..m + 2 {
            let p = max(self.pre[k - 1], self.load[k]);
            self.pre.push(p);
        }
        self.suf.clear();
        self.suf.resize(m + 2, [0.0; DIMS]);
        self.suf[m + 1] = self.load[m + 1];
        for k in (0..=m).rev() {
            self.suf[k] = max(self.suf[k + 1], self.load[k]);
        }
    }

    /// Time task `t` is done when the vehicle leaves `prev` at `ready`, or `None` past its windows.
    #[inline]
    fn visit(&self, inst: &Instance, prev: usize, ready: f64, t: usize) -> Option<f64> {
        let arr = ready + inst.time(self.v, prev, inst.loc[t]);
        let s = earliest(&inst.windows[t], arr)?;
        Some(s + inst.duration_at(t, prev))
    }

    /// Whether node `k` (and so the rest of the route) can still be served when the vehicle leaves
    /// `prev` at `ready`.
    #[inline]
    fn reach(&self, inst: &Instance, k: usize, prev: usize, ready: f64) -> bool {
        let v = self.v;
        let arr = ready + inst.time(v, prev, self.loc[k]);
        if k == self.jobs.len() + 1 {
            return arr <= self.ls[k] + EPS;
        }
        let t = self.jobs[k - 1];
        let d = inst.duration_at(t, prev);
        if d == self.dur[k] {
            return arr <= self.ls[k] + EPS;
        }
        let after = self.ls[k + 1] - d - inst.time(v, self.loc[k], self.loc[k + 1]);
        latest(&inst.windows[t], after).is_some_and(|l| arr <= l + EPS)
    }

    /// Distance and travel time added by putting location `x` between nodes `p` and `p + 1`.
    #[inline(always)]
    fn detour(&self, inst: &Instance, p: usize, x: usize) -> (f64, f64) {
        let (a, b, v) = (self.loc[p], self.loc[p + 1], self.v);
        (
            inst.dist(a, x) + inst.dist(x, b) - inst.dist(a, b),
            inst.time(v, a, x) + inst.time(v, x, b) - inst.time(v, a, b),
        )
    }

    /// Cost of a detour, or `None` when it breaks the distance or travel-time limit.
    #[inline]
    fn price(&self, inst: &Instance, dd: f64, dt: f64) -> Option<f64> {
        let v = self.v;
        if self.distance + dd > inst.max_dist[v] + EPS
            || self.travel + dt > inst.max_travel[v] + EPS
        {
            return None;
        }
        let fixed = if self.jobs.is_empty() {
            inst.fixed[v]
        } else {
            0.0
        };
        Some(inst.per_m[v] * dd + inst.per_s[v] * dt + fixed)
    }

    /// The cheapest feasible insertion of unit `u`, skipping the positions for which `skip` says so
    /// (SISR's blinks). The caller checks vehicle/unit compatibility.
    pub fn best_insertion(
        &self,
        inst: &Instance,
        u: usize,
        skip: &mut impl FnMut() -> bool,
    ) -> Option<Insertion> {
        let size = if u < inst.nj { 1 } else { 2 };
        if self.jobs.len() + size > inst.max_tasks[self.v] {
            return None;
        }
        if u < inst.nj {
            self.best_single(inst, u, skip)
        } else {
            self.best_pair(inst, u, skip)
        }
    }

    fn best_single(
        &self,
        inst: &Instance,
        t: usize,
        skip: &mut impl FnMut() -> bool,
    ) -> Option<Insertion> {
        let cap = inst.cap[self.v];
        let (d, k) = (inst.deliv[t], inst.pick[t]);
        let lx = inst.loc[t];
        let mut best: Option<Insertion> = None;
        for p in 0..=self.jobs.len() {
            if skip() {
                continue;
            }
            if over(inst.dims, &self.pre[p], &d, &cap) {
                break; // the load before a gap only grows along the route
            }
            if over(inst.dims, &max(self.load[p], self.suf[p + 1]), &k, &cap) {
                continue;
            }
            let replay = inst.replay[self.v];
            if !replay {
                let ready = self.es[p] + self.dur[p];
                let on_time = self
                    .visit(inst, self.loc[p], ready, t)
                    .is_some_and(|fin| self.reach(inst, p + 1, lx, fin));
                if !on_time {
                    continue;
                }
            }
            let (dd, dt) = self.detour(inst, p, lx);
            let Some(delta) = self.price(inst, dd, dt) else {
                continue;
            };
            if best.is_some_and(|b| delta >= b.delta) {
                continue;
            }
            let feasible = !replay || self.replays(inst, &[(p, t)]);
            if feasible {
                best = Some(Insertion { delta, p, q: p });
            }
        }
        best
    }

    fn best_pair(
        &self,
        inst: &Instance,
        u: usize,
        skip: &mut impl FnMut() -> bool,
    ) -> Option<Insertion> {
        let (a, b) = {
            let r = inst.tasks(u);
            (r.start, r.start + 1)
        };
        let (la, lb) = (inst.loc[a], inst.loc[b]);
        let (cap, c) = (inst.cap[self.v], inst.pick[u]);
        let m = self.jobs.len();
        let mut best: Option<Insertion> = None;
        for p in 0..=m {
            if over(inst.dims, &self.load[p], &c, &cap) {
                continue;
            }
            let ready = self.es[p] + self.dur[p];
            let Some(fin_a) = self.visit(inst, self.loc[p], ready, a) else {
                break;
            };
            let (da, ta) = self.detour(inst, p, la);
            // Delivery right after the pickup.
            if !skip() {
                let (ln, lp) = (self.loc[p + 1], self.loc[p]);
                let dd =
                    inst.dist(lp, la) + inst.dist(la, lb) + inst.dist(lb, ln) - inst.dist(lp, ln);
                let v = self.v;
                let dt = inst.time(v, lp, la) + inst.time(v, la, lb) + inst.time(v, lb, ln)
                    - inst.time(v, lp, ln);
                if let Some(delta) = self.price(inst, dd, dt) {
                    if best.is_none_or(|x| delta < x.delta) {
                        let ok = if inst.replay[v] {
                            self.replays(inst, &[(p, a), (p, b)])
                        } else {
                            self.visit(inst, la, fin_a, b)
                                .is_some_and(|fin| self.reach(inst, p + 1, lb, fin))
                        };
                        if ok {
                            best = Some(Insertion { delta, p, q: p });
                        }
                    }
                }
            }
            self.later_deliveries(inst, (a, b), p, fin_a, (da, ta), skip, &mut best);
        }
        best
    }

    /// Tries the delivery `ab.1` after every node `q > p` once the pickup `ab.0` is after node `p`
    /// (done at `fin_a`, detour `pick_detour`), keeping the cheapest in `best`.
    #[allow(clippy::too_many_arguments)]
    fn later_deliveries(
        &self,
        inst: &Instance,
        (a, b): (usize, usize),
        p: usize,
        fin_a: f64,
        pick_detour: (f64, f64),
        skip: &mut impl FnMut() -> bool,
        best: &mut Option<Insertion>,
    ) {
        let (cap, c) = (inst.cap[self.v], inst.pick[inst.unit(a)]);
        let lb = inst.loc[b];
        let mut prev = inst.loc[a];
        let mut done = fin_a;
        for q in p + 1..=self.jobs.len() {
            if over(inst.dims, &self.load[q], &c, &cap) {
                break;
            }
            let t = self.jobs[q - 1];
            let Some(fin) = self.visit(inst, prev, done, t) else {
                break;
            };
            let d = inst.duration_at(t, prev);
            if d >= self.dur[q] && fin - d > self.ls[q] + EPS {
                break; // already later than the rest of the route allows
            }
            prev = self.loc[q];
            done = fin;
            if skip() {
                continue;
            }
            let (dd, dt) = self.detour(inst, q, lb);
            let Some(delta) = self.price(inst, pick_detour.0 + dd, pick_detour.1 + dt) else {
                continue;
            };
            if best.is_some_and(|x| delta >= x.delta) {
                continue;
            }
            let ok = if inst.replay[self.v] {
                self.replays(inst, &[(p, a), (q, b)])
            } else {
                self.visit(inst, prev, done, b)
                    .is_some_and(|fin_b| self.reach(inst, q + 1, lb, fin_b))
            };
            if ok {
                *best = Some(Insertion { delta, p, q });
            }
        }
    }

    /// Whether the route with `inserts` (task after node, in order) passes a full replay.
    fn replays(&self, inst: &Instance, inserts: &[(usize, usize)]) -> bool {
        let mut seq = Vec::with_capacity(self.jobs.len() + inserts.len());
        let mut it = inserts.iter().peekable();
        for k in 0..=self.jobs.len() {
            if k > 0 {
                seq.push(self.jobs[k - 1]);
            }
            while let Some(&&(p, t)) = it.peek() {
                if p != k {
                    break;
                }
                seq.push(t);
                it.next();
            }
        }
        replay(inst, self.v, &seq).is_some()
    }

    /// Applies an insertion found by [`Self::best_insertion`] for unit `u`.
    pub fn apply(&mut self, inst: &Instance, u: usize, ins: Insertion) {
        let r = inst.tasks(u);
        if r.len() == 1 {
            self.jobs.insert(ins.p, r.start);
        } else {
            self.jobs.insert(ins.q, r.start + 1);
            self.jobs.insert(ins.p, r.start);
        }
        self.update(inst);
    }
}
