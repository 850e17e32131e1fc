//! Full replay of one route: every constraint, and where the driver's breaks go.
//!
//! Breaks are placed greedily while driving the route: a pending break is taken before leaving for
//! the next stop when it fits in the waiting time there, when postponing it past that stop would
//! miss its last window, or at the end of the route. The same schedule is what the solution reports.

use super::instance::{earliest, Amount, Instance};
use crate::problem::DIMS;
use crate::solution::Visit;

const EPS: f64 = 1e-7;

/// When a pending break is taken.
#[derive(Clone, Copy, PartialEq)]
enum Policy {
    /// As late as possible: in idle time before a stop, or when postponing would miss its windows.
    Late,
    /// Also as soon as it can start without waiting.
    Early,
}

/// The schedule state while replaying a route.
struct Drive<'i, 'p> {
    inst: &'i Instance<'p>,
    policy: Policy,
    v: usize,
    t: f64,
    here: usize,
    load: Amount,
    pending: Vec<usize>,
    visits: Vec<Visit>,
}

impl Drive<'_, '_> {
    fn break_windows(&self, b: usize) -> Vec<(f64, f64)> {
        let mut w: Vec<(f64, f64)> = self.inst.p.vehicles[self.v].breaks[b]
            .time_windows
            .iter()
            .map(|w| (w.start.0, w.end.0))
            .collect();
        w.sort_by(|a, b| a.0.total_cmp(&b.0));
        w
    }

    fn load_allows(&self, b: usize) -> bool {
        let br = &self.inst.p.vehicles[self.v].breaks[b];
        br.max_load.is_none_or(|m| {
            let m = m.dims();
            (0..DIMS).all(|k| self.load[k] <= m[k] + EPS)
        })
    }

    /// Takes the pending breaks that are due before leaving for task `next` (`None`: the end).
    fn breaks_before(&mut self, next: Option<usize>) -> Option<()> {
        let inst = self.inst;
        let mut i = 0;
        while i < self.pending.len() {
            let b = self.pending[i];
            let windows = self.break_windows(b);
            let service = inst.p.vehicles[self.v].breaks[b].service.0;
            let start = earliest(&windows, self.t)?;
            let take = match next {
                None => true,
                Some(n) => {
                    let travel = inst.time(self.v, self.here, inst.loc[n]);
                    let next_start = earliest(&inst.windows[n], self.t + travel)?;
                    let idle = start + service + travel <= next_start + EPS;
                    let next_done = next_start + inst.duration_at(n, self.here);
                    let now = self.policy == Policy::Early && start <= self.t + EPS;
                    idle || now || earliest(&windows, next_done).is_none()
                }
            };
            if take {
                if !self.load_allows(b) {
                    return None;
                }
                self.t = start + service;
                self.visits.push(Visit::Break(b));
                self.pending.remove(i);
            } else {
                i += 1;
            }
        }
        Some(())
    }
}

/// Replays vehicle `v` serving `tasks` in order; returns the visits with breaks placed, or `None`
/// when a window, the shift, a capacity, a limit or a break cannot be met. Breaks are placed late
/// first, and early when that fails.
pub(crate) fn replay(inst: &Instance, v: usize, tasks: &[usize]) -> Option<Vec<Visit>> {
    let late = replay_with(inst, v, tasks, Policy::Late);
    if late.is_some() || inst.p.vehicles[v].breaks.is_empty() {
        return late;
    }
    replay_with(inst, v, tasks, Policy::Early)
}

fn replay_with(inst: &Instance, v: usize, tasks: &[usize], policy: Policy) -> Option<Vec<Visit>> {
    let mut load = [0.0; DIMS];
    for &t in tasks.iter().filter(|&&t| t < inst.nj) {
        (0..DIMS).for_each(|k| load[k] += inst.deliv[t][k]);
    }
    let mut pending: Vec<usize> = (0..inst.p.vehicles[v].breaks.len()).collect();
    let first = |b: &usize| {
        let ws = &inst.p.vehicles[v].breaks[*b].time_windows;
        ws.iter().map(|w| w.start.0).fold(f64::INFINITY, f64::min)
    };
    pending.sort_by(|a, b| first(a).total_cmp(&first(b)));
    let mut d = Drive {
        inst,
        policy,
        v,
        t: inst.shift[v].0,
        here: inst.v_start[v],
        load,
        pending,
        visits: Vec::with_capacity(tasks.len() + 2),
    };
    let (mut distance, mut travel, mut first_start) = (0.0, 0.0, None);
    for &t in tasks {
        d.breaks_before(Some(t))?;
        let l = inst.loc[t];
        let tt = inst.time(v, d.here, l);
        let s = earliest(&inst.windows[t], d.t + tt)?;
        if d.visits.is_empty() {
            first_start = Some(s - tt);
        }
        distance += inst.dist(d.here, l);
        travel += tt;
        d.t = s + inst.duration_at(t, d.here);
        d.here = l;
        d.load = add_delta(inst, t, d.load);
        if (0..DIMS).any(|k| d.load[k] > inst.cap[v][k] + EPS) {
            return None;
        }
        d.visits.push(inst.visit(t));
    }
    d.breaks_before(None)?;
    let tt = inst.time(v, d.here, inst.v_end[v]);
    let end = d.t + tt;
    distance += inst.dist(d.here, inst.v_end[v]);
    travel += tt;
    let depart = first_start.unwrap_or(inst.shift[v].0).max(inst.shift[v].0);
    let within = |x: f64, max: f64| x <= max + EPS;
    let max_duration = inst.p.vehicles[v]
        .max_duration
        .map_or(f64::INFINITY, |m| m.0);
    (within(end, inst.shift[v].1)
        && within(distance, inst.max_dist[v])
        && within(travel, inst.max_travel[v])
        && within(end - depart, max_duration))
    .then_some(d.visits)
}

fn add_delta(inst: &Instance, t: usize, load: Amount) -> Amount {
    let u = inst.unit(t);
    std::array::from_fn(|k| {
        if u < inst.nj {
            load[k] + inst.pick[u][k] - inst.deliv[u][k]
        } else if inst.is_shipment_pickup(t) {
            load[k] + inst.pick[u][k]
        } else {
            load[k] - inst.pick[u][k]
        }
    })
}
