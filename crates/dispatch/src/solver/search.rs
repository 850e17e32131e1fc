//! Slack Induction by String Removals (SISR, Christiaens & Vanden Berghe, Transportation Science 2020):
//! ruin a few strings of consecutive jobs from neighbouring routes, recreate by cheapest insertion with
//! "blinks" (randomly skipped positions), accept by simulated annealing.

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::instance::Instance;
use super::replay::replay;
use super::route::{Insertion, RouteState};
use crate::solution::Visit;

/// Average number of jobs removed per ruin (SISR's c̄).
const AVG_REMOVED: f64 = 10.0;
/// Longest string removed from one route (SISR's L_max).
const MAX_STRING: f64 = 10.0;
/// Probability of skipping an insertion position (SISR's β).
const BLINK: f64 = 0.01;
/// Annealing temperature at the start and at the end of the budget, as multiples of the average arc
/// cost of the first solution (so the schedule is scale-free). Chosen on 8 Solomon instances at 5 s
/// (R103, R107, R202, R207, R211, RC103, RC204, RC207): mean gap 1.15 % with (0.5, 0.005), 0.81 % with
/// (1, 0.01), 0.41 % with (2, 0.02), 0.72 % with (3, 0.01).
const T_START: f64 = 2.0;
const T_END: f64 = 0.02;
/// Probability of growing the preserved part of a split string.
const SPLIT_GROW: f64 = 0.5;

/// A complete assignment: one route per vehicle, plus unassigned jobs.
pub(crate) struct Sol {
    pub routes: Vec<RouteState>,
    pub unassigned: Vec<usize>,
    /// Route costs plus penalties of unassigned jobs.
    pub cost: f64,
    /// `(route, position)` of each job; `usize::MAX` route when unassigned or excluded.
    place: Vec<(usize, usize)>,
}

impl Clone for Sol {
    fn clone(&self) -> Self {
        Sol {
            routes: self.routes.clone(),
            unassigned: self.unassigned.clone(),
            cost: self.cost,
            place: self.place.clone(),
        }
    }

    fn clone_from(&mut self, o: &Self) {
        self.routes.clone_from(&o.routes);
        self.unassigned.clone_from(&o.unassigned);
        self.cost = o.cost;
        self.place.clone_from(&o.place);
    }
}

impl Sol {
    pub fn empty(inst: &Instance) -> Self {
        let routes = (0..inst.v_start.len())
            .map(|v| {
                let mut r = RouteState::new(v);
                r.update(inst);
                r
            })
            .collect();
        Sol {
            routes,
            unassigned: Vec::new(),
            cost: 0.0,
            place: vec![(usize::MAX, 0); inst.loc.len()],
        }
    }

    /// Cost of the routes without fixed vehicle costs: the scale of the annealing temperature.
    pub fn travel_cost(&self, inst: &Instance) -> f64 {
        (self.routes.iter())
            .filter(|r| !r.is_empty())
            .map(|r| r.cost - inst.fixed[r.v])
            .sum()
    }

    /// Number of non-empty routes.
    pub fn vehicles(&self) -> usize {
        self.routes.iter().filter(|r| !r.is_empty()).count()
    }

    /// Puts the feasible routes of `initial` in place; returns the units of `servable` still to
    /// insert.
    pub fn seed_routes(
        &mut self,
        inst: &Instance,
        initial: &[(usize, Vec<Visit>)],
        servable: &[usize],
    ) -> Vec<usize> {
        let mut placed = vec![false; inst.nu];
        let mut ok_unit = vec![false; inst.nu];
        servable.iter().for_each(|&u| ok_unit[u] = true);
        for (v, visits) in initial {
            let Some(tasks) = tasks_of(inst, *v, visits, &placed, &ok_unit) else {
                continue;
            };
            if replay(inst, *v, &tasks).is_none() {
                continue;
            }
            tasks.iter().for_each(|&t| placed[inst.unit(t)] = true);
            self.routes[*v].jobs = tasks;
            self.refresh(inst, *v);
        }
        self.recompute_cost(inst);
        servable.iter().copied().filter(|&u| !placed[u]).collect()
    }

    /// Takes every task out of route `r` and reports its units as unassigned.
    pub fn drop_route(&mut self, inst: &Instance, r: usize) {
        let tasks = std::mem::take(&mut self.routes[r].jobs);
        for &t in &tasks {
            self.place[t] = (usize::MAX, 0);
            if t < inst.nj || inst.is_shipment_pickup(t) {
                self.unassigned.push(inst.unit(t));
            }
        }
        self.refresh(inst, r);
        self.recompute_cost(inst);
    }

    pub(crate) fn recompute_cost(&mut self, inst: &Instance) {
        self.cost = self.routes.iter().map(|r| r.cost).sum::<f64>()
            + self
                .unassigned
                .iter()
                .map(|&u| inst.penalty[u])
                .sum::<f64>();
    }

    fn refresh(&mut self, inst: &Instance, r: usize) {
        self.routes[r].update(inst);
        for (k, &t) in self.routes[r].jobs.iter().enumerate() {
            self.place[t] = (r, k);
        }
    }

    /// Inserts every unit in `units` at its cheapest feasible position (with blinks when `blink > 0`).
    pub fn recreate(&mut self, inst: &Instance, units: &[usize], blink: f64, rng: &mut ChaCha8Rng) {
        self.recreate_in(inst, units, blink, true, rng);
    }

    /// [`Sol::recreate`], opening empty routes only when `open` (fleet minimisation keeps the fleet).
    pub fn recreate_in(
        &mut self,
        inst: &Instance,
        units: &[usize],
        blink: f64,
        open: bool,
        rng: &mut ChaCha8Rng,
    ) {
        let mut tried_types: Vec<usize> = Vec::new();
        // Blinks: each position is skipped with probability `blink`. Drawing the gap to the next blink
        // from the geometric distribution needs one random number per blink instead of per position.
        let log_keep = (1.0 - blink).ln();
        let draw = |rng: &mut ChaCha8Rng| -> usize {
            if blink <= 0.0 {
                usize::MAX
            } else {
                (rng.gen::<f64>().max(1e-300).ln() / log_keep) as usize
            }
        };
        let mut countdown = draw(rng);
        let mut skip = || {
            if countdown == 0 {
                countdown = draw(rng);
                true
            } else {
                countdown -= 1;
                false
            }
        };
        for &u in units {
            let mut best: Option<(Insertion, usize)> = None;
            tried_types.clear();
            for (ri, r) in self.routes.iter().enumerate() {
                if !inst.allowed(r.v, u) {
                    continue;
                }
                if r.is_empty() {
                    if !open {
                        continue;
                    }
                    let t = inst.v_type[r.v];
                    if tried_types.contains(&t) {
                        continue;
                    }
                    tried_types.push(t);
                }
                if let Some(ins) = r.best_insertion(inst, u, &mut skip) {
                    if best.is_none_or(|b| ins.delta < b.0.delta) {
                        best = Some((ins, ri));
                    }
                }
            }
            match best {
                Some((ins, ri)) => {
                    self.routes[ri].apply(inst, u, ins);
                    self.refresh(inst, ri);
                }
                None => {
                    for t in inst.tasks(u) {
                        self.place[t] = (usize::MAX, 0);
                    }
                    self.unassigned.push(u);
                }
            }
        }
        self.recompute_cost(inst);
    }

    /// SISR ruin: removes strings of consecutive jobs from routes near a random seed job.
    pub fn ruin(&mut self, inst: &Instance, rng: &mut ChaCha8Rng, removed: &mut Vec<usize>) {
        removed.clear();
        let nonempty = self.routes.iter().filter(|r| !r.is_empty()).count();
        if nonempty == 0 {
            return;
        }
        let served: usize = self.routes.iter().map(|r| r.jobs.len()).sum();
        let ls_max = MAX_STRING.min(served as f64 / nonempty as f64);
        let ks_max = 4.0 * AVG_REMOVED / (1.0 + ls_max) - 1.0;
        let ks = (rng.gen_range(1.0..ks_max.max(1.0) + 1.0)).floor() as usize;
        // A random served job as the seed.
        let seed = loop {
            let t = rng.gen_range(0..inst.loc.len());
            if self.place[t].0 != usize::MAX {
                break t;
            }
        };
        let mut ruined: Vec<usize> = Vec::with_capacity(ks);
        for &c in std::iter::once(&seed).chain(inst.neighbors[seed].iter()) {
            if ruined.len() >= ks {
                break;
            }
            let (r, pos) = self.place[c];
            if r == usize::MAX || ruined.contains(&r) {
                continue;
            }
            let card = self.routes[r].jobs.len();
            let lt_max = (card as f64).min(ls_max);
            let lt = (rng.gen_range(1.0..lt_max + 1.0).floor() as usize).clamp(1, card);
            let jobs = &mut self.routes[r].jobs;
            if lt == card || rng.gen::<bool>() {
                let lo = (pos + 1).saturating_sub(lt);
                let hi = pos.min(card - lt);
                let s = rng.gen_range(lo..=hi);
                removed.extend(jobs.drain(s..s + lt));
            } else {
                let mut keep = 1;
                while lt + keep < card && rng.gen::<f64>() < SPLIT_GROW {
                    keep += 1;
                }
                let len = lt + keep;
                let lo = (pos + 1).saturating_sub(len);
                let hi = pos.min(card - len);
                let s = rng.gen_range(lo..=hi);
                let off = rng.gen_range(0..=lt);
                let kept: Vec<usize> = jobs[s + off..s + off + keep].to_vec();
                let string: Vec<usize> = jobs.splice(s..s + len, kept).collect();
                removed.extend(
                    string[..off]
                        .iter()
                        .chain(string[off + keep..].iter())
                        .copied(),
                );
            }
            ruined.push(r);
        }
        for &t in removed.iter() {
            self.place[t] = (usize::MAX, 0);
        }
        self.remove_partners(inst, removed, &mut ruined);
        for &r in &ruined {
            self.empty_if_unreplayable(inst, r, removed);
            self.refresh(inst, r);
        }
        // From tasks to units, each once.
        removed.retain(|&t| t < inst.nj || inst.is_shipment_pickup(t));
        for t in removed.iter_mut() {
            *t = inst.unit(*t);
        }
    }

    /// Removing stops can break what a replay checks (a greedy break placement, a maximum duration):
    /// such a route is emptied, its tasks added to `removed`.
    fn empty_if_unreplayable(&mut self, inst: &Instance, r: usize, removed: &mut Vec<usize>) {
        let route = &mut self.routes[r];
        if !inst.replay[route.v] || replay(inst, route.v, &route.jobs).is_some() {
            return;
        }
        for &t in &route.jobs {
            self.place[t] = (usize::MAX, 0);
        }
        removed.append(&mut route.jobs);
    }

    /// Takes out the other half of every shipment whose pickup or delivery was removed.
    fn remove_partners(
        &mut self,
        inst: &Instance,
        removed: &mut Vec<usize>,
        ruined: &mut Vec<usize>,
    ) {
        let n = removed.len();
        for i in 0..n {
            let Some(other) = inst.partner(removed[i]) else {
                continue;
            };
            let (r, _) = self.place[other];
            if r == usize::MAX {
                continue;
            }
            self.routes[r].jobs.retain(|&t| t != other);
            self.place[other] = (usize::MAX, 0);
            removed.push(other);
            if !ruined.contains(&r) {
                ruined.push(r);
            }
        }
    }

    /// Orders units for insertion as SISR does: random, by demand, far or close to the depot.
    pub fn sort_for_insertion(inst: &Instance, jobs: &mut [usize], rng: &mut ChaCha8Rng) {
        jobs.shuffle(rng);
        let w = rng.gen_range(0..11);
        let size = |u: usize| -> f64 { inst.deliv[u].iter().chain(&inst.pick[u]).sum() };
        if w < 4 {
        } else if w < 8 {
            jobs.sort_by(|&a, &b| size(b).total_cmp(&size(a)));
        } else if w < 10 {
            jobs.sort_by(|&a, &b| inst.depot_dist[b].total_cmp(&inst.depot_dist[a]));
        } else {
            jobs.sort_by(|&a, &b| inst.depot_dist[a].total_cmp(&inst.depot_dist[b]));
        }
    }
}

/// The tasks of a given route, or `None` when it names a vehicle or task that does not exist, a
/// task already placed or not servable, a shipment's delivery before (or without) its pickup, or a
/// unit the vehicle may not carry. Breaks are ignored: the replay places them.
fn tasks_of(
    inst: &Instance,
    v: usize,
    visits: &[Visit],
    placed: &[bool],
    ok_unit: &[bool],
) -> Option<Vec<usize>> {
    if v >= inst.v_start.len() {
        return None;
    }
    let mut tasks = Vec::with_capacity(visits.len());
    for &x in visits {
        let t = match x {
            Visit::Job(j) if j < inst.nj => j,
            Visit::Pickup(s) if inst.nj + s < inst.nu => inst.nj + 2 * s,
            Visit::Delivery(s) if inst.nj + s < inst.nu => inst.nj + 2 * s + 1,
            Visit::Break(_) => continue,
            _ => return None,
        };
        let u = inst.unit(t);
        let first = !tasks.iter().any(|&k| inst.unit(k) == u);
        let order_ok = match inst.partner(t) {
            Some(p) if !inst.is_shipment_pickup(t) => tasks.contains(&p),
            _ => first,
        };
        if placed[u] || !ok_unit[u] || !inst.allowed(v, u) || !order_ok {
            return None;
        }
        tasks.push(t);
    }
    let complete = tasks
        .iter()
        .all(|&t| inst.partner(t).is_none_or(|p| tasks.contains(&p)));
    complete.then_some(tasks)
}

/// Limits of one search run.
pub(crate) struct Budget {
    pub deadline: Instant,
    pub start: Instant,
    pub max_iterations: Option<u64>,
    pub cancel: wuliu_model::Cancel,
}

impl Budget {
    /// Whether `it` iterations at `now` use the budget up (or the caller cancelled).
    pub fn spent(&self, it: u64, now: Instant) -> bool {
        self.max_iterations.is_some_and(|m| it >= m)
            || now >= self.deadline
            || self.cancel.is_cancelled()
    }

    /// The first `fraction` of this budget.
    pub fn share(&self, fraction: f64) -> Budget {
        let span = self.deadline.saturating_duration_since(self.start);
        Budget {
            start: self.start,
            deadline: self.start + span.mul_f64(fraction),
            max_iterations: self.max_iterations.map(|m| (m as f64 * fraction) as u64),
            cancel: self.cancel.clone(),
        }
    }

    /// What is left after `used` iterations, from now.
    pub fn rest(&self, used: u64) -> Budget {
        Budget {
            start: Instant::now().min(self.deadline),
            deadline: self.deadline,
            max_iterations: self.max_iterations.map(|m| m.saturating_sub(used)),
            cancel: self.cancel.clone(),
        }
    }
}

/// Runs SISR with simulated annealing from `init` until the budget is spent; returns the best solution
/// and the number of iterations.
pub(crate) fn run(inst: &Instance, init: Sol, budget: &Budget, rng: &mut ChaCha8Rng) -> (Sol, u64) {
    let avg_arc = init.travel_cost(inst) / inst.loc.len().max(1) as f64;
    let avg_arc = avg_arc.max(1e-9);
    let t0 = T_START * avg_arc;
    let t1 = T_END * avg_arc;
    let mut cur = init;
    let mut best = cur.clone();
    let mut trial = cur.clone();
    let mut removed = Vec::new();
    let total = budget
        .deadline
        .saturating_duration_since(budget.start)
        .as_secs_f64()
        .max(1e-9);
    let mut it: u64 = 0;
    loop {
        if let Some(max) = budget.max_iterations {
            if it >= max {
                break;
            }
        }
        let now = Instant::now();
        if now >= budget.deadline || budget.cancel.is_cancelled() {
            break;
        }
        let progress = match budget.max_iterations {
            Some(max) => it as f64 / max as f64,
            None => (now - budget.start).as_secs_f64() / total,
        };
        let temp = t0 * (t1 / t0).powf(progress.min(1.0));
        trial.clone_from(&cur);
        trial.ruin(inst, rng, &mut removed);
        removed.append(&mut trial.unassigned);
        Sol::sort_for_insertion(inst, &mut removed, rng);
        trial.recreate(inst, &removed, BLINK, rng);
        let threshold = cur.cost - temp * rng.gen::<f64>().max(1e-300).ln();
        if trial.cost < threshold {
            std::mem::swap(&mut cur, &mut trial);
            if cur.cost < best.cost - 1e-9 {
                best.clone_from(&cur);
            }
        }
        it += 1;
    }
    (best, it)
}
