//! Batch matching: exact assignment, then backhaul chaining, then explanations.
//!
//! With `max_chain = 1` the plan is one exact assignment ([`crate::assignment`]) of loads to
//! vehicles on the candidate graph: optimal, as the brute-force tests check. With chaining
//! (`max_chain > 1`):
//! 1. **time slices**: loads are assigned in slices of `slice_h` hours of pickup start (plus what
//!    earlier slices left open), each slice an exact assignment against every vehicle's state at
//!    the end of its chain so far, with weights that credit the return leg a follow-on load saves;
//! 2. **rounds**: whatever is still open is assigned again, round by round, from the chain ends;
//! 3. **joins** ([`crate::chaining`]): chains are joined end-to-start when that saves empty running.
//!
//! Chaining is a heuristic for the sequencing problem; [`Bound`] reports how far from optimal the
//! result can be.

use std::collections::{HashMap, HashSet};

use wuliu_model::{Leg, TravelCosts};

use crate::assignment::{max_weight_matching, Edge};
use crate::candidates::{open_slots, priced, straight_km, Candidate};
use crate::chaining::{join_chains, Trip};
use crate::economics::Economics;
use crate::error::MatchError;
use crate::grid::{Grid, Ring};
use crate::input::Sequencing;
use crate::legs::pair_legs;
use crate::plan::{Assignment, Bound, Chain, MatchPlan, Totals, Unmatched, VehicleVerdict};
use crate::rules::{self, Pair, VehicleState};
use crate::search::search;
use crate::sequencing::sequence;
use crate::verdicts::pair_reasons;
use crate::MatchRequest;

/// Checks IDs and coordinates; lists every problem.
pub fn validate(req: &MatchRequest) -> Result<(), MatchError> {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for l in &req.loads {
        if !seen.insert(l.id.as_str()) {
            problems.push(format!("duplicate load id {}", l.id.as_str()));
        }
        for (what, p) in [
            ("origin", l.load.origin.point),
            ("destination", l.load.destination.point),
        ] {
            if !p.is_valid() {
                problems.push(format!(
                    "load {} {what} is not a valid coordinate",
                    l.id.as_str()
                ));
            }
        }
    }
    let mut seen = HashSet::new();
    for v in &req.vehicles {
        if !seen.insert(v.id.as_str()) {
            problems.push(format!("duplicate vehicle id {}", v.id.as_str()));
        }
        if !v.position.is_valid() || !v.home().is_valid() {
            problems.push(format!(
                "vehicle {} position or home is not a valid coordinate",
                v.id.as_str()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(MatchError::InvalidRequest(problems))
    }
}

/// Matches the request's loads to its vehicles. See the module docs for the method.
///
/// Cost: one candidate search and one batched pricing per round; the assignment is exact on
/// the candidate graph.
pub fn match_batch(req: &MatchRequest, costs: &dyn TravelCosts) -> Result<MatchPlan, MatchError> {
    validate(req)?;
    let c = &req.config;
    let loads = &req.loads;
    let vehicles = &req.vehicles;
    let od: Vec<_> = loads
        .iter()
        .map(|l| (l.load.origin.point, l.load.destination.point))
        .collect();
    let loaded_legs = pair_legs(costs, &od)?;
    let mut chains: Vec<Vec<Trip>> = vec![Vec::new(); vehicles.len()];
    // Each vehicle's state after its chain so far, and the return leg a next load would save.
    let mut states: Vec<(VehicleState, Option<Leg>)> = vehicles
        .iter()
        .map(|v| (VehicleState::initial(v), None))
        .collect();
    let mut open: Vec<usize> = (0..loads.len()).collect();
    let mut objective = 0.0;
    let mut chained = false;
    // Whole-chain sequencing first, when chosen; the rounds and joins below take what is left.
    if c.max_chain > 1 && !open.is_empty() {
        let (chains, states, open) = (&mut chains, &mut states, &mut open);
        let added = match c.sequencing {
            Sequencing::Search => search(req, costs, &loaded_legs, chains, states, open)?,
            Sequencing::Successors => {
                sequence(req, costs, &loaded_legs, chains, states, open, c.max_chain)?
            }
            Sequencing::TimeSlices => 0,
        };
        chained |= added > 0 && chains.iter().any(|ch| ch.len() > 1);
    }
    // One exact assignment of `subset` to every vehicle that may still take a load.
    let mut round = |subset: &[usize],
                     chains: &mut Vec<Vec<Trip>>,
                     states: &mut Vec<(VehicleState, Option<Leg>)>|
     -> Result<HashSet<usize>, MatchError> {
        let slots = open_slots(chains, states, c.max_chain);
        let mut taken = HashSet::new();
        if subset.is_empty() || slots.is_empty() {
            return Ok(taken);
        }
        let cands = priced(req, costs, &loaded_legs, &slots, subset)?;
        let edges: Vec<Edge> = cands
            .iter()
            .map(|k| Edge {
                row: k.load,
                col: k.slot,
                weight: k.weight,
            })
            .collect();
        let m = max_weight_matching(loads.len(), slots.len(), &edges);
        let mut best: HashMap<(usize, usize), &Candidate> = HashMap::new();
        for k in &cands {
            best.insert((k.load, k.slot), k);
        }
        for (l, s) in m.iter().enumerate() {
            let Some(s) = *s else { continue };
            let k = best[&(l, s)];
            objective += k.weight;
            taken.insert(l);
            let slot = &slots[s];
            if !chains[slot.vehicle].is_empty() {
                chained = true;
            }
            chains[slot.vehicle].push(Trip {
                load: l,
                timing: k.timing,
                ret: k.ret,
            });
            states[slot.vehicle] = (k.timing.after(&loads[l].load, &slot.state), k.ret);
        }
        Ok(taken)
    };
    // Phase 1 (chaining only): time slices. Loads are taken in order of their pickup window, one
    // slice of `slice_h` hours at a time (plus what earlier slices left open), so each vehicle's
    // chain grows in time order.
    if c.max_chain > 1
        && c.sequencing == Sequencing::TimeSlices
        && c.slice_h > 0.0
        && !open.is_empty()
    {
        let start = |l: usize| loads[l].load.pickup_window.start;
        let first = open.iter().map(|&l| start(l)).min().unwrap();
        let last = open.iter().map(|&l| start(l)).max().unwrap();
        let step = chrono::Duration::seconds((c.slice_h * 3600.0) as i64)
            .max(chrono::Duration::seconds(60));
        let mut end = first + step;
        while end <= last {
            let subset: Vec<usize> = open.iter().copied().filter(|&l| start(l) < end).collect();
            let taken = round(&subset, &mut chains, &mut states)?;
            open.retain(|l| !taken.contains(l));
            end += step;
        }
    }
    // Phase 2: rounds over everything still open, each vehicle continuing from its chain's end.
    for _ in 0..c.max_chain.max(1) {
        if open.is_empty() {
            break;
        }
        let subset = open.clone();
        let taken = round(&subset, &mut chains, &mut states)?;
        if taken.is_empty() {
            break;
        }
        open.retain(|l| !taken.contains(l));
    }
    let mut rounds_with_chaining = usize::from(chained);
    if c.max_chain > 1 {
        let g = join_chains(req, costs, &mut chains)?;
        if g > 0.0 {
            objective += g;
            rounds_with_chaining += 1;
        }
    }
    if c.max_chain > 1 {
        objective = chain_objective(req, &chains);
    }
    let plan = assemble(
        req,
        costs,
        &chains,
        &open,
        &loaded_legs,
        objective,
        rounds_with_chaining == 0,
    )?;
    Ok(plan)
}

/// Objective of chained plans, recomputed from the final chains: per trip the serve bonus plus
/// its score without return minus the waiting penalty; per chain the return leg of its last trip,
/// weighted by [`crate::AvailableVehicle::return_weight`].
fn chain_objective(req: &MatchRequest, chains: &[Vec<Trip>]) -> f64 {
    let c = &req.config;
    let mut total = 0.0;
    for (v, trips) in chains.iter().enumerate() {
        for t in trips {
            let load = &req.loads[t.load].load;
            let e = Economics::of(
                load.price_offered.0,
                &t.timing.deadhead,
                &t.timing.loaded,
                None,
                c,
            );
            let wait_h =
                (t.timing.start_loading - t.timing.arrive_pickup).num_seconds() as f64 / 3600.0;
            total += c.serve_bonus + e.score - c.waiting_cost_per_hour * wait_h;
        }
        if let Some(r) = trips.last().and_then(|t| t.ret) {
            let zero = Leg {
                distance: wuliu_model::Meters(0.0),
                duration: wuliu_model::Seconds(0.0),
            };
            let with = Economics::of(0.0, &zero, &zero, Some(&r), c);
            let done = trips
                .last()
                .map_or(req.vehicles[v].free_from, |t| t.timing.done);
            total += req.vehicles[v].return_weight(done, c) * with.score;
        }
    }
    total
}

fn assemble(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    chains: &[Vec<Trip>],
    open: &[usize],
    loaded_legs: &[Option<Leg>],
    objective: f64,
    exact: bool,
) -> Result<MatchPlan, MatchError> {
    let c = &req.config;
    let mut assignments = Vec::new();
    let mut out_chains = Vec::new();
    let mut totals = Totals {
        loads: req.loads.len(),
        ..Totals::default()
    };
    let mut load_vehicle: HashMap<usize, usize> = HashMap::new();
    for (vi, trips) in chains.iter().enumerate() {
        if trips.is_empty() {
            continue;
        }
        let v = &req.vehicles[vi];
        let mut ch = Chain {
            vehicle: v.id.clone(),
            loads: Vec::new(),
            empty_km: 0.0,
            loaded_km: 0.0,
            margin: 0.0,
        };
        for (seq, t) in trips.iter().enumerate() {
            let last = seq + 1 == trips.len();
            let load = &req.loads[t.load];
            load_vehicle.insert(t.load, vi);
            let ret = if last { t.ret } else { None };
            let e = Economics::of(
                load.load.price_offered.0,
                &t.timing.deadhead,
                &t.timing.loaded,
                ret.as_ref(),
                c,
            );
            let mut reasons = vec![format!(
                "passes all {} rules",
                rules::STATIC_RULES.len() + rules::TIMED_RULES.len()
            )];
            reasons.push(format!(
                "{:.1} km empty to pickup, {:.1} km loaded, margin {:.0} CNY",
                e.deadhead_km, e.loaded_km, e.margin
            ));
            if seq > 0 {
                reasons.push(format!(
                    "backhaul: follows load {} of the same vehicle",
                    req.loads[trips[seq - 1].load].id.as_str()
                ));
            }
            ch.loads.push(load.id.clone());
            ch.empty_km += e.deadhead_km + e.return_km;
            ch.loaded_km += e.loaded_km;
            ch.margin += e.margin;
            assignments.push(Assignment {
                load: load.id.clone(),
                vehicle: v.id.clone(),
                sequence: seq,
                score: e.score,
                deadhead_km: e.deadhead_km,
                loaded_km: e.loaded_km,
                return_km: e.return_km,
                margin: e.margin,
                pickup_at: t.timing.start_loading,
                delivery_at: t.timing.arrive_delivery,
                done_at: t.timing.done,
                driving_h: t.timing.driving.0 / 3600.0,
                reasons,
            });
        }
        totals.served += ch.loads.len();
        totals.vehicles_used += 1;
        totals.empty_km += ch.empty_km;
        totals.loaded_km += ch.loaded_km;
        totals.margin += ch.margin;
        out_chains.push(ch);
    }
    let all = totals.empty_km + totals.loaded_km;
    totals.empty_share = if all > 0.0 {
        totals.empty_km / all
    } else {
        0.0
    };
    totals.objective = objective;
    let unmatched = explain(req, costs, open, loaded_legs, &load_vehicle)?;
    // Upper bound: every load with a statically compatible vehicle, served with no empty km.
    let mut ub = 0.0;
    for (li, l) in req.loads.iter().enumerate() {
        let Some(leg) = loaded_legs[li] else { continue };
        let compatible = req.vehicles.iter().any(|v| {
            rules::static_ok(&Pair {
                load: &l.load,
                vehicle: v,
                date: req.date,
            })
        });
        if compatible {
            let zero = Leg {
                distance: wuliu_model::Meters(0.0),
                duration: wuliu_model::Seconds(0.0),
            };
            let e = Economics::of(l.load.price_offered.0, &zero, &leg, None, c);
            ub += (c.serve_bonus + e.score).max(0.0);
        }
    }
    let bound = Bound {
        achieved: objective,
        upper_bound: ub,
        gap_pct: if ub > 0.0 {
            100.0 * (ub - objective) / ub
        } else {
            0.0
        },
        exact,
    };
    Ok(MatchPlan {
        assignments,
        chains: out_chains,
        unmatched,
        travel_costs: costs.label(),
        road_network: costs.is_road_network(),
        totals,
        bound,
    })
}

/// For each unmatched load, the verdicts of its nearest vehicles (by straight line).
fn explain(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    open: &[usize],
    loaded_legs: &[Option<Leg>],
    load_vehicle: &HashMap<usize, usize>,
) -> Result<Vec<Unmatched>, MatchError> {
    let c = &req.config;
    let n = c.explain_nearest;
    let pts: Vec<_> = req.vehicles.iter().map(|v| v.position).collect();
    let grid = Grid::new(&pts, c.grid_cell_km);
    let mut near: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
    for &li in open {
        let o = req.loads[li].load.origin.point;
        let mut found: Vec<(usize, f64)> = Vec::new();
        grid.rings(&o, c.max_deadhead_km.max(50.0) * 4.0, |ev| match ev {
            Ring::Cell(ids) => {
                found.extend(ids.iter().map(|&v| (v, straight_km(&pts[v], &o))));
                false
            }
            Ring::Done(min_km) => {
                found.sort_by(|a, b| a.1.total_cmp(&b.1));
                found.len() >= n
                    && found
                        .get(n.saturating_sub(1))
                        .is_some_and(|f| f.1 * 0.98 <= min_km)
            }
        });
        found.sort_by(|a, b| a.1.total_cmp(&b.1));
        found.truncate(n);
        near.push((li, found));
    }
    let mut pairs = Vec::new();
    for (li, f) in &near {
        for (v, _) in f {
            pairs.push((pts[*v], req.loads[*li].load.origin.point));
        }
    }
    let legs = pair_legs(costs, &pairs)?;
    let mut k = 0;
    let mut out = Vec::new();
    let mut busy: HashMap<usize, Vec<usize>> = HashMap::new();
    for (l, v) in load_vehicle {
        busy.entry(*v).or_default().push(*l);
    }
    for (li, found) in near {
        let load = &req.loads[li].load;
        let mut nearest = Vec::new();
        for (vi, d) in found {
            let v = &req.vehicles[vi];
            let excluded_by = pair_reasons(load, v, req.date, legs[k], loaded_legs[li], c);
            k += 1;
            let note = if excluded_by.is_empty() {
                Some(match busy.get(&vi) {
                    Some(ls) => format!(
                        "compatible, but the optimal plan gives it load(s) {}",
                        ls.iter()
                            .map(|l| req.loads[*l].id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => {
                        "compatible, but not among the load's candidates or below the margin floor"
                            .to_string()
                    }
                })
            } else {
                None
            };
            nearest.push(VehicleVerdict {
                vehicle: v.id.clone(),
                straight_km: d,
                excluded_by,
                note,
            });
        }
        out.push(Unmatched {
            load: req.loads[li].id.clone(),
            nearest,
        });
    }
    Ok(out)
}
