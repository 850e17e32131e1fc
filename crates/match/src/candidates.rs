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
use wuliu_model::{Leg, TravelCosts};

use crate::economics::Economics;
use crate::error::MatchError;
use crate::grid::{Grid, Ring};
use crate::input::{AvailableVehicle, MatchConfig, OpenLoad};
use crate::legs::pair_legs;
use crate::rules::{self, Pair, Timing, VehicleState};

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
    let mut out = Vec::new();
    let mut found: Vec<(f64, usize)> = Vec::new();
    for &li in load_ix {
        let load = &loads[li].load;
        let o = load.origin.point;
        found.clear();
        grid.rings(&o, c.max_deadhead_km, |ev| match ev {
            Ring::Cell(ids) => {
                for &si in ids {
                    let s = &slots[si];
                    let d = straight_km(&s.state.position, &o);
                    if d > c.max_deadhead_km {
                        continue;
                    }
                    let lb_s = d / c.prune_speed_kmh * 3600.0;
                    if rules::add_s(s.state.free_from, lb_s) > load.pickup_window.end
                        || lb_s > s.state.remaining_driving.0
                    {
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
        out.extend(found.iter().map(|&(_, si)| (li, si)));
    }
    out
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
    let mut out = Vec::with_capacity(pairs.len());
    for (i, &(l, s)) in pairs.iter().enumerate() {
        let (Some(d), Some(loaded)) = (dh[i], loaded_legs[l]) else {
            continue;
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
            continue;
        }
        let econ = Economics::of(load.price_offered.0, &d, &loaded, rt[i].as_ref(), c);
        if c.min_margin.is_some_and(|m| econ.margin < m) {
            continue;
        }
        let wait_h = (timing.start_loading - timing.arrive_pickup).num_seconds() as f64 / 3600.0;
        let weight = c.serve_bonus + econ.marginal(slot.prev_return.as_ref(), c)
            - c.waiting_cost_per_hour * wait_h;
        out.push(Candidate {
            load: l,
            slot: s,
            timing,
            ret: rt[i],
            econ,
            weight,
        });
    }
    Ok(out)
}
