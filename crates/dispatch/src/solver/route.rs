//! One route under construction, with the cached forward/backward data that makes an insertion check
//! O(1): earliest service starts (forward), latest feasible service starts (backward), and prefix/suffix
//! maxima of the load on board (so pickups and deliveries can be mixed).

use super::instance::{earliest, latest, Instance};

const EPS: f64 = 1e-7;

/// A route and its caches. Node 0 is the start, nodes `1..=m` the jobs, node `m + 1` the end.
#[derive(Clone, Debug)]
pub(crate) struct RouteState {
    pub v: usize,
    pub jobs: Vec<usize>,
    loc: Vec<usize>,
    svc: Vec<f64>,
    /// Earliest service start per node (departure time at node 0).
    es: Vec<f64>,
    /// Latest service start per node that keeps the rest of the route feasible.
    ls: Vec<f64>,
    /// Load on board when leaving each node.
    load: Vec<[f64; 2]>,
    pre: Vec<[f64; 2]>,
    suf: Vec<[f64; 2]>,
    pub cost: f64,
}

impl RouteState {
    pub fn new(_inst: &Instance, v: usize) -> Self {
        Self {
            v,
            jobs: Vec::new(),
            loc: Vec::new(),
            svc: Vec::new(),
            es: Vec::new(),
            ls: Vec::new(),
            load: Vec::new(),
            pre: Vec::new(),
            suf: Vec::new(),
            cost: 0.0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Recomputes every cache from `jobs`. O(m).
    pub fn update(&mut self, inst: &Instance) {
        let v = self.v;
        let m = self.jobs.len();
        self.loc.clear();
        self.svc.clear();
        self.loc.push(inst.v_start[v]);
        self.svc.push(0.0);
        let mut start_load = [0.0, 0.0];
        for &j in &self.jobs {
            self.loc.push(inst.job_loc[j]);
            self.svc.push(inst.service[j]);
            if !inst.is_pickup[j] {
                start_load[0] += inst.amount[j][0];
                start_load[1] += inst.amount[j][1];
            }
        }
        self.loc.push(inst.v_end[v]);
        self.svc.push(0.0);
        let (s0, s1) = inst.shift[v];
        self.es.clear();
        self.es.push(s0);
        for k in 1..=m {
            let arr = self.es[k - 1] + self.svc[k - 1] + inst.time(self.loc[k - 1], self.loc[k]);
            let j = self.jobs[k - 1];
            self.es
                .push(earliest(&inst.windows[j], arr).unwrap_or(f64::INFINITY));
        }
        self.es
            .push(self.es[m] + self.svc[m] + inst.time(self.loc[m], self.loc[m + 1]));
        self.ls.clear();
        self.ls.resize(m + 2, 0.0);
        self.ls[m + 1] = s1;
        for k in (1..=m).rev() {
            let t = self.ls[k + 1] - self.svc[k] - inst.time(self.loc[k], self.loc[k + 1]);
            self.ls[k] = latest(&inst.windows[self.jobs[k - 1]], t).unwrap_or(f64::NEG_INFINITY);
        }
        self.ls[0] = self.ls[1] - inst.time(self.loc[0], self.loc[1]);
        self.load.clear();
        self.load.push(start_load);
        for k in 1..=m {
            let j = self.jobs[k - 1];
            let s = if inst.is_pickup[j] { 1.0 } else { -1.0 };
            let prev = self.load[k - 1];
            self.load.push([
                prev[0] + s * inst.amount[j][0],
                prev[1] + s * inst.amount[j][1],
            ]);
        }
        self.load.push(self.load[m]);
        self.pre.clear();
        self.pre.push(self.load[0]);
        for k in 1..m + 2 {
            let p = self.pre[k - 1];
            let l = self.load[k];
            self.pre.push([p[0].max(l[0]), p[1].max(l[1])]);
        }
        self.suf.clear();
        self.suf.resize(m + 2, [0.0, 0.0]);
        self.suf[m + 1] = self.load[m + 1];
        for k in (0..=m).rev() {
            let s = self.suf[k + 1];
            let l = self.load[k];
            self.suf[k] = [s[0].max(l[0]), s[1].max(l[1])];
        }
        self.cost = if m == 0 {
            0.0
        } else {
            inst.fixed[v]
                + (0..=m)
                    .map(|k| inst.arc_cost(v, self.loc[k], self.loc[k + 1]))
                    .sum::<f64>()
        };
    }

    /// Cost increase of inserting job `j` between node `p` and node `p + 1`, or `None` if infeasible.
    /// The caller checks vehicle/job compatibility.
    #[inline]
    pub fn insertion(&self, inst: &Instance, j: usize, p: usize) -> Option<f64> {
        let v = self.v;
        let a = inst.amount[j];
        let cap = inst.cap[v];
        if inst.is_pickup[j] {
            let l = self.load[p];
            let s = self.suf[p + 1];
            if l[0].max(s[0]) + a[0] > cap[0] + EPS || l[1].max(s[1]) + a[1] > cap[1] + EPS {
                return None;
            }
        } else {
            let pr = self.pre[p];
            if pr[0] + a[0] > cap[0] + EPS || pr[1] + a[1] > cap[1] + EPS {
                return None;
            }
        }
        let lj = inst.job_loc[j];
        let (lp, ln) = (self.loc[p], self.loc[p + 1]);
        let arr = self.es[p] + self.svc[p] + inst.time(lp, lj);
        let s = earliest(&inst.windows[j], arr)?;
        let arr_next = s + inst.service[j] + inst.time(lj, ln);
        if arr_next > self.ls[p + 1] + EPS {
            return None;
        }
        if let Some(max) = inst.max_duration[v] {
            if self.duration_with(inst, j, p) > max + EPS {
                return None;
            }
        }
        let mut delta =
            inst.arc_cost(v, lp, lj) + inst.arc_cost(v, lj, ln) - inst.arc_cost(v, lp, ln);
        if self.jobs.is_empty() {
            delta += inst.fixed[v];
        }
        Some(delta)
    }

    /// Route duration after inserting `j` after node `p`: the vehicle leaves as late as possible without
    /// delaying its first service. O(m); only used for vehicles with a maximum duration.
    fn duration_with(&self, inst: &Instance, j: usize, p: usize) -> f64 {
        let v = self.v;
        let mut seq: Vec<usize> = self.jobs.clone();
        seq.insert(p, j);
        let mut t = inst.shift[v].0;
        let mut prev = inst.v_start[v];
        let mut first_start = None;
        for &k in &seq {
            let arr = t + inst.time(prev, inst.job_loc[k]);
            let s = earliest(&inst.windows[k], arr).unwrap_or(f64::INFINITY);
            first_start.get_or_insert(s);
            t = s + inst.service[k];
            prev = inst.job_loc[k];
        }
        let end = t + inst.time(prev, inst.v_end[v]);
        let fs = first_start.unwrap_or(t);
        let depart = (fs - inst.time(inst.v_start[v], inst.job_loc[seq[0]])).max(inst.shift[v].0);
        end - depart
    }

    /// Whether a delivery of `j` cannot fit at gap `p` or any later gap: the load before a gap only
    /// grows along the route (prefix maximum), so once it is too full, it stays too full.
    #[inline]
    pub fn full_before(&self, inst: &Instance, j: usize, p: usize) -> bool {
        if inst.is_pickup[j] {
            return false;
        }
        let a = inst.amount[j];
        let cap = inst.cap[self.v];
        let pr = self.pre[p];
        pr[0] + a[0] > cap[0] + EPS || pr[1] + a[1] > cap[1] + EPS
    }

    /// Number of insertion gaps (`m + 1`).
    pub fn gaps(&self) -> usize {
        self.jobs.len() + 1
    }
}
