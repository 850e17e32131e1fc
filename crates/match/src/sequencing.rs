//! Chaining by successor assignment: the day's loads are sequenced the way vehicle scheduling
//! problems are solved, as ONE assignment in which every load chooses its predecessor.
//!
//! Rows are predecessors: each vehicle (at the end of its chain so far) and each open load (at its
//! destination, when it is done). Columns are the open loads. A vehicle → load edge is a priced,
//! rule-checked candidate pair ([`crate::candidates`]); a load → load edge `i → j` says "the
//! vehicle that carries `i` drives empty from `i`'s destination to `j`'s pickup and carries `j`
//! next". An exact maximum-weight assignment ([`crate::assignment`]) then fixes all successors at
//! once, so every vehicle's whole sequence is chosen jointly with every other's, instead of load by
//! load. Following the successors from each vehicle row gives its chain.
//!
//! Load → load edges are kept when (1) some vehicle passes every static rule for both loads,
//! (2) `j`'s pickup starts later than `i`'s (so the successor graph has no cycles), (3) leaving
//! `i`'s destination when `i` is done at the earliest, the vehicle reaches `j` before its window
//! closes and delivers it in time. For each load only the `successors_per_load` nearest such loads
//! are priced. These conditions are necessary, not sufficient (the chain's vehicle may be a
//! different one, or arrive at `i` later), so every chain is replayed trip by trip against every
//! rule with the real vehicle; it is cut at the first trip that fails and the rest go back to the
//! open loads, which the next pass (from the chains' new ends) or the later phases take up.

use std::collections::HashMap;

use wuliu_model::{Leg, TravelCosts};

use crate::assignment::{max_weight_matching, Edge};
use crate::candidates::{open_slots, priced, straight_km, Candidate, Slot};
use crate::chaining::Trip;
use crate::economics::Economics;
use crate::error::MatchError;
use crate::grid::{Grid, Ring};
use crate::legs::pair_legs;
use crate::profiles::{ProfileMask, Profiles};
use crate::rules::{self, add_s, Pair, Timing, VehicleState};
use crate::MatchRequest;

use crate::chaining::empty_cost;
pub use crate::chaining::ChainEnd;

/// Runs up to `passes` successor assignments over `open`, appending to `chains`; returns how many
/// loads were added. `open` keeps what is still unserved.
pub fn sequence(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    loaded_legs: &[Option<Leg>],
    chains: &mut [Vec<Trip>],
    ends: &mut [ChainEnd],
    open: &mut Vec<usize>,
    passes: usize,
) -> Result<usize, MatchError> {
    let mut added = 0;
    for _ in 0..passes {
        let n = one_pass(req, costs, loaded_legs, chains, ends, open)?;
        added += n;
        if n == 0 || open.is_empty() {
            break;
        }
    }
    Ok(added)
}

fn one_pass(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    loaded_legs: &[Option<Leg>],
    chains: &mut [Vec<Trip>],
    ends: &mut [ChainEnd],
    open: &mut Vec<usize>,
) -> Result<usize, MatchError> {
    let c = &req.config;
    let loads = &req.loads;
    let vehicles = &req.vehicles;
    let cap = c.max_chain.max(1);
    let slots = open_slots(chains, ends, cap);
    if slots.is_empty() || open.is_empty() {
        return Ok(0);
    }
    let profiles = Profiles::of(vehicles, loads, req.date);
    // Vehicle -> load candidates, priced and checked against every rule.
    let cands = priced(req, costs, loaded_legs, &slots, open)?;
    // Column of each open load, and the planned return leg of its best candidate (the expected
    // return if it ends a chain).
    let col: HashMap<usize, usize> = open.iter().enumerate().map(|(k, &l)| (l, k)).collect();
    let mut best_ret: Vec<Option<(f64, Leg)>> = vec![None; open.len()];
    for k in &cands {
        let j = col[&k.load];
        if let Some(r) = k.ret {
            if best_ret[j].is_none_or(|(w, _)| k.weight > w) {
                best_ret[j] = Some((k.weight, r));
            }
        }
    }
    let ret_cost = |j: usize| best_ret[j].map_or(0.0, |(_, r)| empty_cost(Some(&r), c));
    // Earliest time each open load can be done: loading starts no earlier than its window and no
    // earlier than its nearest candidate vehicle can arrive.
    let mut earliest_start: Vec<chrono::DateTime<chrono::Utc>> = open
        .iter()
        .map(|&l| loads[l].load.pickup_window.start)
        .collect();
    let mut first_arrival: Vec<Option<chrono::DateTime<chrono::Utc>>> = vec![None; open.len()];
    for k in &cands {
        let j = col[&k.load];
        let a = k.timing.arrive_pickup;
        if first_arrival[j].is_none_or(|f| a < f) {
            first_arrival[j] = Some(a);
        }
    }
    for (j, f) in first_arrival.iter().enumerate() {
        if let Some(f) = f {
            earliest_start[j] = earliest_start[j].max(*f);
        }
    }
    let done: Vec<Option<chrono::DateTime<chrono::Utc>>> = open
        .iter()
        .enumerate()
        .map(|(j, &l)| {
            let loaded = loaded_legs[l]?;
            let load = &loads[l].load;
            let arrive = add_s(earliest_start[j], c.loading_s + loaded.duration.0);
            Some(add_s(arrive.max(load.delivery_window.start), c.unloading_s))
        })
        .collect();
    // Load -> load link candidates: nearest later pickups reachable in time by a shared vehicle.
    let origins: Vec<_> = open.iter().map(|&l| loads[l].load.origin.point).collect();
    let grid = Grid::new(&origins, c.grid_cell_km);
    let k_succ = c.successors_per_load.max(1);
    let masks: Vec<ProfileMask> = open
        .iter()
        .map(|&l| profiles.mask(&loads[l].load, vehicles, req.date))
        .collect();
    let compatible = |a: usize, b: usize| masks[a].meets(&masks[b]);
    let mut links: Vec<(usize, usize)> = Vec::new();
    for (a, &la) in open.iter().enumerate() {
        let Some(done_a) = done[a] else { continue };
        let la_load = &loads[la].load;
        let p = la_load.destination.point;
        let mut found: Vec<(f64, usize)> = Vec::new();
        grid.rings(&p, c.max_deadhead_km, |ev| match ev {
            Ring::Cell(ids) => {
                for &b in ids {
                    if b == a {
                        continue;
                    }
                    let lb = &loads[open[b]].load;
                    let (sa, sb) = (la_load.pickup_window.start, lb.pickup_window.start);
                    if sb < sa || (sb == sa && b < a) {
                        continue;
                    }
                    let d = straight_km(&p, &lb.origin.point);
                    if d > c.max_deadhead_km
                        || add_s(done_a, d / c.prune_speed_kmh * 3600.0) > lb.pickup_window.end
                    {
                        continue;
                    }
                    found.push((d, b));
                }
                false
            }
            Ring::Done(min_km) => {
                if found.len() < k_succ * 2 {
                    return false;
                }
                found.sort_by(|x, y| x.0.total_cmp(&y.0));
                found[k_succ * 2 - 1].0 * 0.98 <= min_km
            }
        });
        found.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut kept = 0;
        for &(_, b) in &found {
            if kept == k_succ {
                break;
            }
            if compatible(a, b) {
                links.push((a, b));
                kept += 1;
            }
        }
    }
    let link_pts: Vec<_> = links
        .iter()
        .map(|&(a, b)| {
            (
                loads[open[a]].load.destination.point,
                loads[open[b]].load.origin.point,
            )
        })
        .collect();
    let link_legs = pair_legs(costs, &link_pts)?;
    // Assignment: rows 0..slots are vehicles, rows slots.. are open loads as predecessors. The
    // done-time estimates start optimistic; after each solve, the chains are replayed with their
    // real vehicles, every served load's estimate moves to its replayed done time (estimates only
    // grow, so links only disappear and the loop settles), and the assignment is solved again.
    // The best replayed plan (most loads, then highest weight) is kept.
    let ns = slots.len();
    let mut vehicle_edges: Vec<Edge> = Vec::with_capacity(cands.len());
    let mut vehicle_edge: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, k) in cands.iter().enumerate() {
        let j = col[&k.load];
        vehicle_edge.insert((k.slot, j), i);
        vehicle_edges.push(Edge {
            row: k.slot,
            col: j,
            weight: k.weight,
        });
    }
    let mut est_done = done.clone();
    let mut best: Option<Replay> = None;
    for _ in 0..c.sequencing_rounds.max(1) {
        let mut edges = vehicle_edges.clone();
        let mut link_of: HashMap<(usize, usize), Leg> = HashMap::new();
        for (i, &(a, b)) in links.iter().enumerate() {
            let (Some(leg), Some(done_a), Some(loaded)) =
                (link_legs[i], est_done[a], loaded_legs[open[b]])
            else {
                continue;
            };
            let lb = &loads[open[b]].load;
            let arrive = add_s(done_a, leg.duration.0);
            if arrive > lb.pickup_window.end {
                continue;
            }
            let start = arrive.max(lb.pickup_window.start);
            if add_s(start, c.loading_s + loaded.duration.0) > lb.delivery_window.end {
                continue;
            }
            let wait_h = (start - arrive).num_seconds() as f64 / 3600.0;
            let e = Economics::of(lb.price_offered.0, &leg, &loaded, None, c);
            let weight = c.serve_bonus + e.score - c.waiting_cost_per_hour * wait_h
                + c.return_weight * (ret_cost(a) - ret_cost(b));
            link_of.insert((a, b), leg);
            edges.push(Edge {
                row: ns + a,
                col: b,
                weight,
            });
        }
        let m = max_weight_matching(ns + open.len(), open.len(), &edges);
        let weight_of: HashMap<(usize, usize), f64> =
            edges.iter().map(|e| ((e.row, e.col), e.weight)).collect();
        let ctx = Ctx {
            req,
            costs,
            loaded_legs,
            slots: &slots,
            open,
            col: &col,
            cands: &cands,
            vehicle_edge: &vehicle_edge,
            link_of: &link_of,
            weight_of: &weight_of,
            chains,
            profiles: &profiles,
            masks: &masks,
        };
        let r = ctx.assign_segments(&m)?;
        let mut changed = false;
        for (j, t) in r.done.iter().enumerate() {
            if let Some(t) = t {
                if est_done[j].is_none_or(|e| *t > e) {
                    est_done[j] = Some(*t);
                    changed = true;
                }
            }
        }
        if best
            .as_ref()
            .is_none_or(|b| (r.served, r.weight) > (b.served, b.weight))
        {
            best = Some(r);
        }
        if !changed {
            break;
        }
    }
    let best = best.expect("at least one round ran");
    let mut served = vec![false; open.len()];
    let mut last_trip: Vec<(usize, usize)> = Vec::new(); // (vehicle, load) whose return leg is needed
    for (v, trips, state) in best.chains {
        for t in &trips {
            served[col[&t.load]] = true;
        }
        chains[v].extend(trips);
        ends[v].0 = state;
        last_trip.push((v, chains[v].last().expect("chain grew").load));
    }
    // The return leg of each chain's new last load, to the vehicle's home.
    let ret_pts: Vec<_> = last_trip
        .iter()
        .map(|&(v, l)| (loads[l].load.destination.point, vehicles[v].home()))
        .collect();
    let rets = pair_legs(costs, &ret_pts)?;
    for (&(v, _), r) in last_trip.iter().zip(rets) {
        if let Some(t) = chains[v].last_mut() {
            t.ret = r;
        }
        ends[v].1 = r;
    }
    let n = served.iter().filter(|&&s| s).count();
    let mut k = 0;
    open.retain(|_| {
        let keep = !served[k];
        k += 1;
        keep
    });
    Ok(n)
}

/// Chains replayed with their real vehicles from one assignment.
struct Replay {
    /// (vehicle, new trips, state after them).
    chains: Vec<(usize, Vec<Trip>, VehicleState)>,
    /// Replayed done time of each open load that was served.
    done: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    served: usize,
    weight: f64,
}

/// What one pass shares between its steps.
struct Ctx<'a> {
    req: &'a MatchRequest,
    costs: &'a dyn TravelCosts,
    loaded_legs: &'a [Option<Leg>],
    slots: &'a [Slot],
    open: &'a [usize],
    col: &'a HashMap<usize, usize>,
    cands: &'a [Candidate],
    vehicle_edge: &'a HashMap<(usize, usize), usize>,
    link_of: &'a HashMap<(usize, usize), Leg>,
    weight_of: &'a HashMap<(usize, usize), f64>,
    chains: &'a [Vec<Trip>],
    profiles: &'a Profiles,
    masks: &'a [ProfileMask],
}

/// One vehicle running one segment: its trips, state after them, and their weight.
struct Run {
    trips: Vec<Trip>,
    state: VehicleState,
    weight: f64,
}

impl Ctx<'_> {
    /// Turns the successor assignment into chains. The successor paths (from vehicle rows, and
    /// from loads that no row precedes) are cut into segments whose loads share a vehicle profile;
    /// each segment is then run by every candidate vehicle of its first load whose profile fits,
    /// and an exact assignment gives segments to vehicles. A vehicle runs a segment until a load
    /// breaks a rule; the rest stays open.
    fn assign_segments(&self, m: &[Option<usize>]) -> Result<Replay, MatchError> {
        let ns = self.slots.len();
        let nl = self.open.len();
        let mut has_pred = vec![false; nl];
        for next in m.iter().flatten() {
            has_pred[*next] = true;
        }
        // Successor paths, each cut where the running profile intersection would become empty.
        let mut segments: Vec<Vec<usize>> = Vec::new();
        let mut head_slot: Vec<Option<usize>> = Vec::new();
        let mut seen = vec![false; nl];
        let heads = (0..ns)
            .filter_map(|s| m[s].map(|j| (Some(s), j)))
            .chain((0..nl).filter(|&j| !has_pred[j]).map(|j| (None, j)));
        for (slot, first) in heads {
            if seen[first] {
                continue;
            }
            let mut seg = vec![first];
            seen[first] = true;
            let mut common = self.masks[first].clone();
            let mut slot = slot;
            let mut j = first;
            while let Some(next) = m[ns + j] {
                if seen[next] {
                    break;
                }
                seen[next] = true;
                let both = common.and(&self.masks[next]);
                if both.is_empty() {
                    segments.push(std::mem::take(&mut seg));
                    head_slot.push(slot.take());
                    common = self.masks[next].clone();
                } else {
                    common = both;
                }
                seg.push(next);
                j = next;
            }
            segments.push(seg);
            head_slot.push(slot);
        }
        // Candidate runs: (segment, slot) for every priced vehicle of the segment's first load
        // whose profile serves the whole segment.
        let mut firsts: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, k) in self.cands.iter().enumerate() {
            firsts.entry(self.col[&k.load]).or_default().push(i);
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for (g, seg) in segments.iter().enumerate() {
            let common = seg
                .iter()
                .skip(1)
                .fold(self.masks[seg[0]].clone(), |acc, &j| {
                    acc.and(&self.masks[j])
                });
            for &ci in firsts.get(&seg[0]).map_or(&[][..], |v| v.as_slice()) {
                let s = self.cands[ci].slot;
                let p = self.profiles.of_vehicle[self.slots[s].vehicle];
                if common.contains(p) || seg.len() == 1 || head_slot[g] == Some(s) {
                    pairs.push((g, s));
                }
            }
        }
        let runs: Vec<Run> = pairs
            .iter()
            .map(|&(g, s)| self.run(s, &segments[g]))
            .collect::<Result<_, _>>()?;
        let edges: Vec<Edge> = runs
            .iter()
            .zip(&pairs)
            .map(|(r, &(g, s))| Edge {
                row: g,
                col: s,
                weight: r.weight,
            })
            .collect();
        let pick = max_weight_matching(segments.len(), ns, &edges);
        let run_of: HashMap<(usize, usize), usize> =
            pairs.iter().enumerate().map(|(i, &p)| (p, i)).collect();
        let mut out = Replay {
            chains: Vec::new(),
            done: vec![None; nl],
            served: 0,
            weight: 0.0,
        };
        let mut runs: Vec<Option<Run>> = runs.into_iter().map(Some).collect();
        for (g, s) in pick.iter().enumerate() {
            let Some(s) = *s else { continue };
            let run = runs[run_of[&(g, s)]]
                .take()
                .expect("each run is picked once");
            for t in &run.trips {
                out.done[self.col[&t.load]] = Some(t.timing.done);
            }
            out.served += run.trips.len();
            out.weight += run.weight;
            out.chains
                .push((self.slots[s].vehicle, run.trips, run.state));
        }
        Ok(out)
    }

    /// Vehicle slot `s` runs `seg` from its first load until a load breaks a rule (or the chain
    /// limit is reached).
    fn run(&self, s: usize, seg: &[usize]) -> Result<Run, MatchError> {
        let req = self.req;
        let c = &req.config;
        let ns = self.slots.len();
        let slot = &self.slots[s];
        let v = slot.vehicle;
        let vehicle = &req.vehicles[v];
        let cap = c.max_chain.max(1);
        let mut out = Run {
            trips: Vec::new(),
            state: slot.state,
            weight: 0.0,
        };
        let first = &self.cands[self.vehicle_edge[&(s, seg[0])]];
        for (k, &j) in seg.iter().enumerate() {
            if self.chains[v].len() + out.trips.len() >= cap {
                break;
            }
            let l = self.open[j];
            let load = &req.loads[l].load;
            let pair = Pair {
                load,
                vehicle,
                date: req.date,
            };
            let (timing, ret, weight) = if k == 0 {
                (first.timing, first.ret, first.weight)
            } else {
                if !rules::static_ok(&pair) {
                    break;
                }
                let (Some(dh), Some(loaded)) =
                    (self.link_of.get(&(seg[k - 1], j)), self.loaded_legs[l])
                else {
                    break;
                };
                let timing = Timing::compute(load, &out.state, *dh, loaded, c);
                if rules::TIMED_RULES
                    .iter()
                    .any(|(_, r)| r(&pair, &out.state, &timing).is_err())
                {
                    break;
                }
                let w = self.weight_of[&(ns + seg[k - 1], j)];
                (timing, None, w)
            };
            out.weight += weight;
            out.state = timing.after(load, &out.state);
            out.trips.push(Trip {
                load: l,
                timing,
                ret,
            });
        }
        let _ = self.costs;
        Ok(out)
    }
}
