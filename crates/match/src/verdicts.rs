//! Why a pair does not match: every rule a (load, vehicle) pair fails, and the verdicts of the
//! nearest counterparts when a load or a vehicle gets no suggestion.
//!
//! Batch matching explains each unmatched load by its nearest vehicles ([`crate::Unmatched`]); the
//! online suggestions do the same when their list is empty ([`nearest_vehicle_verdicts`],
//! [`nearest_load_verdicts`]), so that "no vehicle" or "no load" always comes with the rules that
//! excluded the nearest candidates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, Leg, Load, LoadId, TravelCosts};

use crate::candidates::straight_km;
use crate::error::MatchError;
use crate::input::{AvailableVehicle, MatchConfig, OpenLoad};
use crate::legs::pair_legs;
use crate::plan::VehicleVerdict;
use crate::rules::{self, Pair, Reason, RuleName, Timing, VehicleState};

/// Every rule that `vehicle`, free as it is now, fails for `load` on trip date `date`: the static
/// rules, then the timed ones over the deadhead leg `dh` and the loaded leg `loaded` (a
/// `road_route` reason when either leg has no route).
pub(crate) fn pair_reasons(
    load: &Load,
    vehicle: &AvailableVehicle,
    date: NaiveDate,
    dh: Option<Leg>,
    loaded: Option<Leg>,
    config: &MatchConfig,
) -> Vec<Reason> {
    let pair = Pair {
        load,
        vehicle,
        date,
    };
    let mut out = rules::check_static(&pair);
    match (dh, loaded) {
        (Some(dh), Some(loaded)) => {
            let state = VehicleState::initial(vehicle);
            let t = Timing::compute(load, &state, dh, loaded, config);
            out.extend(rules::check_timed(&pair, &state, &t));
        }
        _ => out.push(Reason::new(
            RuleName::RoadRoute,
            "road_route.none",
            "no road route from the vehicle to the pickup or from pickup to destination",
        )),
    }
    out
}

/// Note for a pair that passes every rule but was not suggested.
fn unpriced_note(config: &MatchConfig) -> String {
    let nearest = match config.candidates_per_load {
        0 => String::new(),
        k => format!(", not among the {k} nearest candidates"),
    };
    format!(
        "passes every rule, but was not priced: more than {} km empty to the pickup{nearest}, or \
         below the margin floor",
        config.max_deadhead_km
    )
}

/// A load's verdict for one vehicle: what keeps the vehicle from taking it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadVerdict {
    /// The load.
    pub load: LoadId,
    /// Straight-line km from the vehicle to the pickup.
    pub straight_km: f64,
    /// The rules that exclude the pair (empty: it passes every rule).
    pub excluded_by: Vec<Reason>,
    /// For a pair that passes every rule: why it was still not suggested.
    pub note: Option<String>,
}

/// `(straight km, index)` of the `n` points nearest to `from`, nearest first.
fn nearest(from: &GeoPoint, points: impl Iterator<Item = GeoPoint>, n: usize) -> Vec<(f64, usize)> {
    let mut near: Vec<(f64, usize)> = points
        .enumerate()
        .map(|(i, p)| (straight_km(from, &p), i))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    near.truncate(n);
    near
}

/// A pair's failed rules, and a note when it fails none.
type Judged = (Vec<Reason>, Option<String>);

/// The reasons of each (load, vehicle) pair on trip date `date`, given each pair's loaded leg, and
/// a note for a pair that passes every rule. One matrix call, for the deadhead legs.
fn judge(
    pairs: &[(&OpenLoad, &AvailableVehicle)],
    loaded: &[Option<Leg>],
    date: NaiveDate,
    costs: &dyn TravelCosts,
    config: &MatchConfig,
) -> Result<Vec<Judged>, MatchError> {
    let dh: Vec<_> = pairs
        .iter()
        .map(|(l, v)| (v.position, l.load.origin.point))
        .collect();
    let dh = pair_legs(costs, &dh)?;
    Ok(pairs
        .iter()
        .zip(dh.into_iter().zip(loaded.iter().copied()))
        .map(|((l, v), (dh, loaded))| {
            let reasons = pair_reasons(&l.load, v, date, dh, loaded, config);
            let note = reasons.is_empty().then(|| unpriced_note(config));
            (reasons, note)
        })
        .collect())
}

/// The verdicts of the `n` vehicles nearest to `load`'s pickup (straight line), nearest first,
/// on the pickup date: what [`crate::suggest_vehicles`] found wrong with each.
pub fn nearest_vehicle_verdicts(
    load: &OpenLoad,
    vehicles: &[AvailableVehicle],
    costs: &dyn TravelCosts,
    config: &MatchConfig,
    n: usize,
) -> Result<Vec<VehicleVerdict>, MatchError> {
    let near = nearest(
        &load.load.origin.point,
        vehicles.iter().map(|v| v.position),
        n,
    );
    let pairs: Vec<_> = near.iter().map(|&(_, i)| (load, &vehicles[i])).collect();
    // One load: its loaded leg is the same for every vehicle.
    let leg = pair_legs(
        costs,
        &[(load.load.origin.point, load.load.destination.point)],
    )?[0];
    let date = load.load.pickup_window.start.date_naive();
    let judged = judge(&pairs, &vec![leg; pairs.len()], date, costs, config)?;
    Ok(near
        .iter()
        .zip(judged)
        .map(|(&(km, i), (excluded_by, note))| VehicleVerdict {
            vehicle: vehicles[i].id.clone(),
            straight_km: km,
            excluded_by,
            note,
        })
        .collect())
}

/// The verdicts of the `n` open loads whose pickups are nearest to `vehicle` (straight line),
/// nearest first, on the day it becomes free: what [`crate::suggest_loads`] found wrong with each.
pub fn nearest_load_verdicts(
    vehicle: &AvailableVehicle,
    loads: &[OpenLoad],
    costs: &dyn TravelCosts,
    config: &MatchConfig,
    n: usize,
) -> Result<Vec<LoadVerdict>, MatchError> {
    let near = nearest(
        &vehicle.position,
        loads.iter().map(|l| l.load.origin.point),
        n,
    );
    let pairs: Vec<_> = near.iter().map(|&(_, i)| (&loads[i], vehicle)).collect();
    let od: Vec<_> = pairs
        .iter()
        .map(|(l, _)| (l.load.origin.point, l.load.destination.point))
        .collect();
    let loaded = pair_legs(costs, &od)?;
    let judged = judge(
        &pairs,
        &loaded,
        vehicle.free_from.date_naive(),
        costs,
        config,
    )?;
    Ok(near
        .iter()
        .zip(judged)
        .map(|(&(km, i), (excluded_by, note))| LoadVerdict {
            load: loads[i].id.clone(),
            straight_km: km,
            excluded_by,
            note,
        })
        .collect())
}
