//! The solver's flat, index-based view of a [`Problem`], precomputed once per solve.

use crate::problem::{JobKind, Problem};
use crate::solution::UnassignedReason;

/// Flat arrays over jobs and vehicles; times and amounts as plain `f64` for speed.
pub(crate) struct Instance<'a> {
    pub p: &'a Problem,
    pub n: usize,
    pub job_loc: Vec<usize>,
    pub service: Vec<f64>,
    /// Sorted, merged windows; `(-inf, inf)` when the job has none.
    pub windows: Vec<Vec<(f64, f64)>>,
    pub is_pickup: Vec<bool>,
    pub amount: Vec<[f64; 2]>,
    pub penalty: Vec<f64>,
    pub v_start: Vec<usize>,
    pub v_end: Vec<usize>,
    pub shift: Vec<(f64, f64)>,
    pub cap: Vec<[f64; 2]>,
    pub fixed: Vec<f64>,
    /// Cost per metre and per second of driving.
    pub per_m: Vec<f64>,
    pub per_s: Vec<f64>,
    pub max_duration: Vec<Option<f64>>,
    /// Vehicles with identical attributes share a type; only one empty route per type is tried.
    pub v_type: Vec<usize>,
    allowed: Vec<bool>,
    /// For each job, the other jobs by increasing distance.
    pub neighbors: Vec<Vec<usize>>,
    /// Distance from the first vehicle's start, used to order insertions.
    pub depot_dist: Vec<f64>,
}

impl<'a> Instance<'a> {
    pub fn new(p: &'a Problem) -> Self {
        let n = p.jobs.len();
        let m = &p.matrix;
        let windows = p
            .jobs
            .iter()
            .map(|j| {
                let mut w: Vec<(f64, f64)> = j
                    .time_windows
                    .iter()
                    .map(|w| (w.start.0, w.end.0))
                    .collect();
                if w.is_empty() {
                    w.push((f64::NEG_INFINITY, f64::INFINITY));
                }
                w.sort_by(|a, b| a.0.total_cmp(&b.0));
                w
            })
            .collect();
        let nv = p.vehicles.len();
        let mut allowed = vec![false; nv * n];
        for (vi, v) in p.vehicles.iter().enumerate() {
            for (j, job) in p.jobs.iter().enumerate() {
                allowed[vi * n + j] = v.accepts(job);
            }
        }
        let mut v_type = Vec::with_capacity(nv);
        for (vi, v) in p.vehicles.iter().enumerate() {
            let same = (0..vi).find(|&u| {
                let w = &p.vehicles[u];
                w.start == v.start
                    && w.end == v.end
                    && w.capacity == v.capacity
                    && w.shift == v.shift
                    && w.max_duration == v.max_duration
                    && w.costs == v.costs
                    && (0..n).all(|j| allowed[u * n + j] == allowed[vi * n + j])
            });
            v_type.push(same.map_or(vi, |u| v_type[u]));
        }
        let job_loc: Vec<usize> = p.jobs.iter().map(|j| j.location).collect();
        let neighbors = (0..n)
            .map(|i| {
                let mut o: Vec<usize> = (0..n).filter(|&k| k != i).collect();
                o.sort_by(|&a, &b| {
                    m.distance(job_loc[i], job_loc[a])
                        .total_cmp(&m.distance(job_loc[i], job_loc[b]))
                });
                o
            })
            .collect();
        let depot = p.vehicles.first().map_or(0, |v| v.start);
        let per_m: Vec<f64> = p.vehicles.iter().map(|v| v.costs.per_km / 1000.0).collect();
        let per_s: Vec<f64> = p
            .vehicles
            .iter()
            .map(|v| v.costs.per_hour / 3600.0)
            .collect();
        // Penalty for leaving a job out: more than any route serving it alone could cost.
        let penalty = p
            .jobs
            .iter()
            .map(|job| {
                if let Some(uniform) = p.unassigned_penalty {
                    return uniform * (1.0 + job.priority as f64);
                }
                let worst = p
                    .vehicles
                    .iter()
                    .enumerate()
                    .map(|(vi, v)| {
                        let d = m.distance(v.start, job.location) + m.distance(job.location, v.end);
                        let t = m.duration(v.start, job.location) + m.duration(job.location, v.end);
                        v.costs.fixed + per_m[vi] * d + per_s[vi] * t
                    })
                    .fold(0.0, f64::max);
                (10.0 * worst + 1.0) * (1.0 + job.priority as f64)
            })
            .collect();
        Instance {
            p,
            n,
            service: p.jobs.iter().map(|j| j.service.0).collect(),
            windows,
            is_pickup: p.jobs.iter().map(|j| j.kind == JobKind::Pickup).collect(),
            amount: p.jobs.iter().map(|j| j.load.to_array()).collect(),
            penalty,
            v_start: p.vehicles.iter().map(|v| v.start).collect(),
            v_end: p.vehicles.iter().map(|v| v.end).collect(),
            shift: p
                .vehicles
                .iter()
                .map(|v| (v.shift.start.0, v.shift.end.0))
                .collect(),
            cap: p.vehicles.iter().map(|v| v.capacity.to_array()).collect(),
            fixed: p.vehicles.iter().map(|v| v.costs.fixed).collect(),
            per_m,
            per_s,
            max_duration: p
                .vehicles
                .iter()
                .map(|v| v.max_duration.map(|d| d.0))
                .collect(),
            v_type,
            allowed,
            depot_dist: job_loc.iter().map(|&l| m.distance(depot, l)).collect(),
            neighbors,
            job_loc,
        }
    }

    #[inline]
    pub fn allowed(&self, v: usize, j: usize) -> bool {
        self.allowed[v * self.n + j]
    }

    #[inline]
    pub fn dist(&self, a: usize, b: usize) -> f64 {
        self.p.matrix.distance(a, b)
    }

    #[inline]
    pub fn time(&self, a: usize, b: usize) -> f64 {
        self.p.matrix.duration(a, b)
    }

    #[inline]
    pub fn arc_cost(&self, v: usize, a: usize, b: usize) -> f64 {
        self.per_m[v] * self.dist(a, b) + self.per_s[v] * self.time(a, b)
    }

    /// Why a job can never be served, or `None` when some vehicle can serve it on its own route.
    pub fn unservable(&self, j: usize) -> Option<UnassignedReason> {
        let nv = self.v_start.len();
        let compat: Vec<usize> = (0..nv).filter(|&v| self.allowed(v, j)).collect();
        if compat.is_empty() {
            return Some(UnassignedReason::NoCompatibleVehicle);
        }
        let a = self.amount[j];
        let fit: Vec<usize> = compat
            .into_iter()
            .filter(|&v| a[0] <= self.cap[v][0] + 1e-9 && a[1] <= self.cap[v][1] + 1e-9)
            .collect();
        if fit.is_empty() {
            return Some(UnassignedReason::ExceedsCapacity);
        }
        let ok = fit.iter().any(|&v| {
            let mut r = super::route::RouteState::new(self, v);
            r.update(self);
            r.insertion(self, j, 0).is_some()
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
