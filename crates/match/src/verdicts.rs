//! Why a pair does not match: every rule a (load, vehicle) pair fails, and the verdicts of the
//! nearest counterparts when a load or a vehicle gets no suggestion.
//!
//! Batch matching explains each unmatched load by its nearest vehicles ([`crate::Unmatched`]); the
//! online suggestions do the same when their list is empty ([`nearest_vehicle_verdicts`],
//! [`nearest_load_verdicts`]), so that "no vehicle" or "no load" always comes with the rules that
//! excluded the nearest candidates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wuliu_model::{Leg, Load, LoadId, TravelCosts};

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
    format!(
        "passes every rule, but was not priced: more than {} km empty to the pickup, not among \
         the {} nearest candidates, or below the margin floor",
        config.max_deadhead_km, config.candidates_per_load
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

/// The verdicts of the `n` vehicles nearest to `load`'s pickup (straight line), nearest first,
/// on the pickup date: what [`crate::suggest_vehicles`] found wrong with each.
pub fn nearest_vehicle_verdicts(
    load: &OpenLoad,
    vehicles: &[AvailableVehicle],
    costs: &dyn TravelCosts,
    config: &MatchConfig,
    n: usize,
) -> Result<Vec<VehicleVerdict>, MatchError> {
    let pickup = load.load.origin.point;
    let mut near: Vec<(f64, usize)> = vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| (straight_km(&v.position, &pickup), i))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    near.truncate(n);
    let dh = pair_legs(
        costs,
        &near
            .iter()
            .map(|&(_, i)| (vehicles[i].position, pickup))
            .collect::<Vec<_>>(),
    )?;
    let loaded = pair_legs(costs, &[(pickup, load.load.destination.point)])?[0];
    let date = load.load.pickup_window.start.date_naive();
    Ok(near
        .iter()
        .zip(dh)
        .map(|(&(km, i), dh)| {
            let excluded_by = pair_reasons(&load.load, &vehicles[i], date, dh, loaded, config);
            let note = excluded_by.is_empty().then(|| unpriced_note(config));
            VehicleVerdict {
                vehicle: vehicles[i].id.clone(),
                straight_km: km,
                excluded_by,
                note,
            }
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
    let mut near: Vec<(f64, usize)> = loads
        .iter()
        .enumerate()
        .map(|(i, l)| (straight_km(&vehicle.position, &l.load.origin.point), i))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    near.truncate(n);
    let dh = pair_legs(
        costs,
        &near
            .iter()
            .map(|&(_, i)| (vehicle.position, loads[i].load.origin.point))
            .collect::<Vec<_>>(),
    )?;
    let loaded = pair_legs(
        costs,
        &near
            .iter()
            .map(|&(_, i)| (loads[i].load.origin.point, loads[i].load.destination.point))
            .collect::<Vec<_>>(),
    )?;
    let date = vehicle.free_from.date_naive();
    Ok(near
        .iter()
        .zip(dh.into_iter().zip(loaded))
        .map(|(&(km, i), (dh, loaded))| {
            let excluded_by = pair_reasons(&loads[i].load, vehicle, date, dh, loaded, config);
            let note = excluded_by.is_empty().then(|| unpriced_note(config));
            LoadVerdict {
                load: loads[i].id.clone(),
                straight_km: km,
                excluded_by,
                note,
            }
        })
        .collect())
}
