//! Candidate generation: which vehicles are worth pricing for which load.
//!
//! For each load, vehicles are visited nearest first through a [`Grid`] of their positions and
//! kept when (1) the straight-line distance is within `max_deadhead_km`, (2) every static rule
//! passes, (3) even at `prune_speed_kmh` on a straight line the vehicle could reach the pickup
//! before the window closes (a safe bound: roads are never shorter, trucks never faster). The
//! search stops once `candidates_per_load` vehicles are kept and no unvisited cell can be nearer.
//! The kept pairs are then priced with road legs (batched, see [`crate::legs`]) and checked
//! against the timed rules.

use chrono::NaiveDate;
use rayon::prelude::*;
use wuliu_model::{Leg, TravelCosts};

use crate::chaining::{ChainEnd, Trip};
use crate::economics::Economics;
use crate::error::MatchError;
use crate::grid::{Grid, Ring};
use crate::input::{AvailableVehicle, MatchConfig, OpenLoad};
use crate::legs::pair_legs;
use crate::rules::{self, Pair, Timing, VehicleState};
use crate::MatchRequest;

/// A vehicle as seen by one matching round: its state and the return leg it would drop.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// Index into the request's vehicles.
    pub vehicle: usize,
    /// State before the next load.
    pub state: VehicleState,
    /// The planned return leg of its previous load (saved if it takes another).
    pub prev_return: Option<Leg>,
}

/// A priced, feasible (load, slot) pair.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Index into the request's loads.
    pub load: usize,
    /// Index into the round's slots.
    pub slot: usize,
    /// The trip's schedule.
    pub timing: Timing,
    /// Return leg from the destination to the vehicle's home.
    pub ret: Option<Leg>,
    /// Economics with the return leg.
    pub econ: Economics,
    /// Assignment weight: serve bonus + marginal score − waiting penalty.
    pub weight: f64,
}

/// Straight-line (haversine) km.
pub fn straight_km(a: &wuliu_model::GeoPoint, b: &wuliu_model::GeoPoint) -> f64 {
    a.haversine(b).0 / 1000.0
}

/// Nearest statically compatible slots for each load in `load_ix` (pre-pricing).
pub fn nearby(
    loads: &[OpenLoad],
    load_ix: &[usize],
    vehicles: &[AvailableVehicle],
    slots: &[Slot],
    date: NaiveDate,
    c: &MatchConfig,
) -> Vec<(usize, usize)> {
    let pts: Vec<_> = slots.iter().map(|s| s.state.position).collect();
    let grid = Grid::new(&pts, c.grid_cell_km);
    let k = if c.candidates_per_load == 0 {
        usize::MAX
    } else {
        c.candidates_per_load
    };
    // Seconds since the epoch, so the time bound is plain arithmetic.
    let free: Vec<f64> = slots
        .iter()
        .map(|s| s.state.free_from.timestamp_millis() as f64 / 1000.0)
        .collect();
    // Flat (equirectangular) km: within 0.5 % of great-circle distance at city-region scale and
    // far cheaper; shrunk by 1 % so the reachability bound stays safe.
    let kx = 111.32 * pts.first().map_or(0.0, |p| p.lat.to_radians().cos());
    let flat = |a: &wuliu_model::GeoPoint, b: &wuliu_model::GeoPoint| {
        let dx = (a.lon - b.lon) * kx;
        let dy = (a.lat - b.lat) * 110.574;
        0.99 * (dx * dx + dy * dy).sqrt()
    };
    let per_load = |li: usize| -> Vec<(usize, usize)> {
        let mut found: Vec<(f64, usize)> = Vec::new();
        let load = &loads[li].load;
        let o = load.origin.point;
        let end = load.pickup_window.end.timestamp_millis() as f64 / 1000.0;
        grid.rings(&o, c.max_deadhead_km, |ev| match ev {
            Ring::Cell(ids) => {
                for &si in ids {
                    let s = &slots[si];
                    let d = flat(&s.state.position, &o);
                    if d > c.max_deadhead_km {
                        continue;
                    }
                    let lb_s = d / c.prune_speed_kmh * 3600.0;
                    if free[si] + lb_s > end + 1.0 || lb_s > s.state.remaining_driving.0 {
                        continue;
                    }
                    let pair = Pair {
                        load,
                        vehicle: &vehicles[s.vehicle],
                        date,
                    };
                    if rules::static_ok(&pair) {
                        found.push((d, si));
                    }
                }
                false
            }
            Ring::Done(min_km) => {
                if found.len() < k {
                    return false;
                }
                found.sort_by(|a, b| a.0.total_cmp(&b.0));
                found.truncate(k);
                found[k - 1].0 * 0.98 <= min_km
            }
        });
        found.sort_by(|a, b| a.0.total_cmp(&b.0));
        found.truncate(k);
        found.iter().map(|&(_, si)| (li, si)).collect()
    };
    // Loads are independent: split them over rayon's pool, keeping the input order.
    load_ix
        .par_chunks(256)
        .flat_map_iter(|ch| ch.iter().flat_map(|&li| per_load(li)).collect::<Vec<_>>())
        .collect()
}

/// Prices `pairs` (load, slot) with road legs and keeps the feasible ones.
#[allow(clippy::too_many_arguments)]
pub fn price(
    loads: &[OpenLoad],
    loaded_legs: &[Option<Leg>],
    vehicles: &[AvailableVehicle],
    slots: &[Slot],
    pairs: &[(usize, usize)],
    date: NaiveDate,
    c: &MatchConfig,
    costs: &dyn TravelCosts,
) -> Result<Vec<Candidate>, MatchError> {
    let dh: Vec<_> = pairs
        .iter()
        .map(|&(l, s)| (slots[s].state.position, loads[l].load.origin.point))
        .collect();
    let dh = pair_legs(costs, &dh)?;
    let rt: Vec<_> = pairs
        .iter()
        .map(|&(l, s)| {
            (
                loads[l].load.destination.point,
                vehicles[slots[s].vehicle].home(),
            )
        })
        .collect();
    let rt = pair_legs(costs, &rt)?;
    let one = |i: usize| -> Option<Candidate> {
        let (l, s) = pairs[i];
        let (Some(d), Some(loaded)) = (dh[i], loaded_legs[l]) else {
            return None;
        };
        let load = &loads[l].load;
        let slot = &slots[s];
        let timing = Timing::compute(load, &slot.state, d, loaded, c);
        let pair = Pair {
            load,
            vehicle: &vehicles[slot.vehicle],
            date,
        };
        if rules::TIMED_RULES
            .iter()
            .any(|(_, r)| r(&pair, &slot.state, &timing).is_err())
        {
            return None;
        }
        let econ = Economics::of(load.price_offered.0, &d, &loaded, rt[i].as_ref(), c);
        if c.min_margin.is_some_and(|m| econ.margin < m) {
            return None;
        }
        let wait_h = (timing.start_loading - timing.arrive_pickup).num_seconds() as f64 / 3600.0;
        // The return leg counts with `return_weight` (1: the trip is the vehicle's last today),
        // more towards the end of the vehicle's working day.
        let no_ret = Economics::of(load.price_offered.0, &d, &loaded, None, c);
        let rw = vehicles[slot.vehicle].return_weight(timing.done, c);
        let ret_part = (econ.score - no_ret.score) * rw;
        let weight = c.serve_bonus + no_ret.marginal(slot.prev_return.as_ref(), c) + ret_part
            - c.waiting_cost_per_hour * wait_h;
        Some(Candidate {
            load: l,
            slot: s,
            timing,
            ret: rt[i],
            econ,
            weight,
        })
    };
    let out = (0..pairs.len())
        .into_par_iter()
        .with_min_len(512)
        .filter_map(one)
        .collect();
    Ok(out)
}

/// A slot for every vehicle whose chain is still shorter than `max_chain`, at its chain's end.
pub fn open_slots(chains: &[Vec<Trip>], ends: &[ChainEnd], max_chain: usize) -> Vec<Slot> {
    (0..chains.len())
        .filter(|&v| chains[v].len() < max_chain.max(1))
        .map(|v| Slot {
            vehicle: v,
            state: ends[v].0,
            prev_return: ends[v].1,
        })
        .collect()
}

/// The priced, rule-checked candidates of the loads in `subset` for `slots`: [`nearby`], then
/// [`price`].
pub fn priced(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    loaded_legs: &[Option<Leg>],
    slots: &[Slot],
    subset: &[usize],
) -> Result<Vec<Candidate>, MatchError> {
    let (c, loads, vehicles) = (&req.config, &req.loads, &req.vehicles);
    let pairs = nearby(loads, subset, vehicles, slots, req.date, c);
    price(
        loads,
        loaded_legs,
        vehicles,
        slots,
        &pairs,
        req.date,
        c,
        costs,
    )
}
