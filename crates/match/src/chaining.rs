//! Backhaul chaining by savings: join one vehicle's chain onto the end of another's when the
//! empty running it saves is positive (the Clarke–Wright savings idea applied to day chains).
//!
//! For a chain ending with load A on vehicle V and a chain starting with load B on vehicle W,
//! joining W's loads after A on V saves
//! `empty(W → B) + empty(W's return) + empty(V's return after A) − empty(A → B) − empty(V's new return)`,
//! where `empty(leg)` prices a leg at operating cost plus the empty-km penalty. Candidate joins
//! come from a grid over chain starts near each chain end; their legs are priced in two batched
//! calls; joins are applied best saving first, each re-scheduled and checked against every rule.
//! A vehicle freed by a join is available again. Repeated while joins are found (at most
//! `max_chain` passes).

use std::collections::HashSet;

use wuliu_model::{Leg, TravelCosts};

use crate::candidates::straight_km;
use crate::error::MatchError;
use crate::grid::{Grid, Ring};
use crate::input::MatchConfig;
use crate::legs::pair_legs;
use crate::rules::{self, Pair, Timing, VehicleState};
use crate::MatchRequest;

/// Per-vehicle state during chaining: where and when it is free, and the return leg its chain's
/// last load planned (credited back when another load follows).
pub type ChainEnd = (VehicleState, Option<Leg>);

/// One scheduled trip of a chain.
#[derive(Debug, Clone, Copy)]
pub struct Trip {
    /// Index into the request's loads.
    pub load: usize,
    /// Its schedule.
    pub timing: Timing,
    /// Return leg from its destination to the vehicle's home (used when it ends the chain).
    pub ret: Option<Leg>,
}

/// Cost of an empty leg in the objective: operating cost plus the empty-km penalty (0 for none).
pub(crate) fn empty_cost(l: Option<&Leg>, c: &MatchConfig) -> f64 {
    l.map_or(0.0, |l| {
        (c.cost_per_km + c.empty_km_penalty) * l.distance.0 / 1000.0
            + c.cost_per_hour * l.duration.0 / 3600.0
    })
}

/// State of vehicle `v` after its whole chain.
fn end_state(req: &MatchRequest, v: usize, chain: &[Trip]) -> VehicleState {
    let mut s = VehicleState::initial(&req.vehicles[v]);
    for t in chain {
        s = t.timing.after(&req.loads[t.load].load, &s);
    }
    s
}

/// Joins chains while it saves empty running; returns the total objective gained.
pub fn join_chains(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    chains: &mut [Vec<Trip>],
) -> Result<f64, MatchError> {
    let c = &req.config;
    let mut gained = 0.0;
    for _pass in 0..c.max_chain {
        let starts: Vec<usize> = (0..chains.len())
            .filter(|&w| !chains[w].is_empty())
            .collect();
        let pts: Vec<_> = starts
            .iter()
            .map(|&w| req.loads[chains[w][0].load].load.origin.point)
            .collect();
        let grid = Grid::new(&pts, c.grid_cell_km);
        let mut cand: Vec<(usize, usize)> = Vec::new();
        for (v, ch) in chains.iter().enumerate() {
            let Some(a) = ch.last() else { continue };
            if ch.len() >= c.max_chain {
                continue;
            }
            let end = end_state(req, v, ch);
            let p = req.loads[a.load].load.destination.point;
            let mut found: Vec<(f64, usize)> = Vec::new();
            grid.rings(&p, c.max_deadhead_km, |ev| match ev {
                Ring::Cell(ids) => {
                    for &k in ids {
                        let w = starts[k];
                        if w == v || ch.len() + chains[w].len() > c.max_chain {
                            continue;
                        }
                        let b = &req.loads[chains[w][0].load].load;
                        let d = straight_km(&p, &b.origin.point);
                        let lb = d / c.prune_speed_kmh * 3600.0;
                        if d > c.max_deadhead_km
                            || rules::add_s(end.free_from, lb) > b.pickup_window.end
                        {
                            continue;
                        }
                        let ok = chains[w].iter().all(|t| {
                            rules::static_ok(&Pair {
                                load: &req.loads[t.load].load,
                                vehicle: &req.vehicles[v],
                                date: req.date,
                            })
                        });
                        if ok {
                            found.push((d, w));
                        }
                    }
                    false
                }
                Ring::Done(min_km) => {
                    found.sort_by(|a, b| a.0.total_cmp(&b.0));
                    found.len() >= 8 && found[7].0 * 0.98 <= min_km
                }
            });
            found.sort_by(|a, b| a.0.total_cmp(&b.0));
            cand.extend(found.iter().take(8).map(|&(_, w)| (v, w)));
        }
        if cand.is_empty() {
            break;
        }
        let links: Vec<_> = cand
            .iter()
            .map(|&(v, w)| {
                (
                    req.loads[chains[v].last().unwrap().load]
                        .load
                        .destination
                        .point,
                    req.loads[chains[w][0].load].load.origin.point,
                )
            })
            .collect();
        let links = pair_legs(costs, &links)?;
        let rets: Vec<_> = cand
            .iter()
            .map(|&(v, w)| {
                (
                    req.loads[chains[w].last().unwrap().load]
                        .load
                        .destination
                        .point,
                    req.vehicles[v].home(),
                )
            })
            .collect();
        let rets = pair_legs(costs, &rets)?;
        let mut order: Vec<(f64, usize)> = Vec::new();
        for (i, &(v, w)) in cand.iter().enumerate() {
            let Some(link) = links[i] else { continue };
            let old = empty_cost(Some(&chains[w][0].timing.deadhead), c)
                + empty_cost(chains[w].last().unwrap().ret.as_ref(), c)
                + empty_cost(chains[v].last().unwrap().ret.as_ref(), c);
            let new = empty_cost(Some(&link), c) + empty_cost(rets[i].as_ref(), c);
            if old - new > 1e-6 {
                order.push((old - new, i));
            }
        }
        order.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut touched = HashSet::new();
        let mut joined = 0;
        for (saving, i) in order {
            let (v, w) = cand[i];
            if touched.contains(&v) || touched.contains(&w) {
                continue;
            }
            // Re-schedule W's loads after V's chain and check every timed rule.
            let mut state = end_state(req, v, &chains[v]);
            let mut new_trips = Vec::new();
            let mut ok = true;
            for (k, t) in chains[w].iter().enumerate() {
                let load = &req.loads[t.load].load;
                let dh = if k == 0 {
                    links[i].unwrap()
                } else {
                    t.timing.deadhead
                };
                let timing = Timing::compute(load, &state, dh, t.timing.loaded, c);
                let pair = Pair {
                    load,
                    vehicle: &req.vehicles[v],
                    date: req.date,
                };
                if !rules::check_timed(&pair, &state, &timing).is_empty() {
                    ok = false;
                    break;
                }
                state = timing.after(load, &state);
                new_trips.push(Trip {
                    load: t.load,
                    timing,
                    ret: None,
                });
            }
            if !ok {
                continue;
            }
            if let Some(last) = new_trips.last_mut() {
                last.ret = rets[i];
            }
            chains[v].extend(new_trips);
            chains[w].clear();
            touched.insert(v);
            touched.insert(w);
            gained += saving;
            joined += 1;
        }
        if joined == 0 {
            break;
        }
    }
    Ok(gained)
}
