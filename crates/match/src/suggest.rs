//! Online suggestions: the best vehicles for a newly posted load, the best loads for a vehicle
//! that has just become free. Same rules and economics as batch matching, one load or vehicle
//! at a time, with two or three batched matrix calls per suggestion.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{LoadId, TravelCosts, VehicleId};

use crate::candidates::{nearby, price, straight_km, Candidate, Slot};
use crate::error::MatchError;
use crate::input::{AvailableVehicle, MatchConfig, OpenLoad};
use crate::legs::pair_legs;
use crate::rules::{self, Pair, VehicleState};

/// One suggested (load, vehicle) pair with its economics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The load.
    pub load: LoadId,
    /// The vehicle.
    pub vehicle: VehicleId,
    /// Margin − empty-km penalty, CNY (higher is better; suggestions are sorted by it).
    pub score: f64,
    /// Empty km to the pickup.
    pub deadhead_km: f64,
    /// Loaded km.
    pub loaded_km: f64,
    /// Empty km back to base.
    pub return_km: f64,
    /// Price − operating cost, CNY.
    pub margin: f64,
    /// Planned start of loading.
    pub pickup_at: DateTime<Utc>,
    /// Planned arrival at the destination.
    pub delivery_at: DateTime<Utc>,
    /// When the vehicle is free again at the destination (after unloading).
    pub done_at: DateTime<Utc>,
    /// Driving hours of the trip (deadhead + loaded).
    pub driving_h: f64,
    /// Why it is suggested.
    pub reasons: Vec<String>,
}

fn to_suggestion(k: &Candidate, load: &OpenLoad, v: &AvailableVehicle) -> Suggestion {
    Suggestion {
        load: load.id.clone(),
        vehicle: v.id.clone(),
        score: k.econ.score,
        deadhead_km: k.econ.deadhead_km,
        loaded_km: k.econ.loaded_km,
        return_km: k.econ.return_km,
        margin: k.econ.margin,
        pickup_at: k.timing.start_loading,
        delivery_at: k.timing.arrive_delivery,
        done_at: k.timing.done,
        driving_h: k.timing.driving.0 / 3600.0,
        reasons: vec![
            format!(
                "passes all {} rules",
                rules::STATIC_RULES.len() + rules::TIMED_RULES.len()
            ),
            format!(
                "{:.1} km empty to pickup, {:.1} km return, margin {:.0} CNY",
                k.econ.deadhead_km, k.econ.return_km, k.econ.margin
            ),
        ],
    }
}

fn sort_top(mut v: Vec<Suggestion>, n: usize) -> Vec<Suggestion> {
    v.sort_by(|a, b| b.score.total_cmp(&a.score));
    v.truncate(n);
    v
}

/// The top `n` vehicles for `load`, best score first. The trip date is the pickup date.
///
/// Cost: a grid over the vehicles, the nearest `candidates_per_load` compatible ones priced with
/// three matrix calls.
pub fn suggest_vehicles(
    load: &OpenLoad,
    vehicles: &[AvailableVehicle],
    costs: &dyn TravelCosts,
    config: &MatchConfig,
    n: usize,
) -> Result<Vec<Suggestion>, MatchError> {
    let date = load.load.pickup_window.start.date_naive();
    let loads = std::slice::from_ref(load);
    let slots: Vec<Slot> = vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| Slot {
            vehicle: i,
            state: VehicleState::initial(v),
            prev_return: None,
        })
        .collect();
    let pairs = nearby(loads, &[0], vehicles, &slots, date, config);
    let ll = pair_legs(
        costs,
        &[(load.load.origin.point, load.load.destination.point)],
    )?;
    let cands = price(loads, &ll, vehicles, &slots, &pairs, date, config, costs)?;
    let out = cands
        .iter()
        .map(|k| to_suggestion(k, load, &vehicles[k.slot]))
        .collect();
    Ok(sort_top(out, n))
}

/// The top `n` loads for `vehicle`, best score first. The trip date is the day it becomes free.
///
/// Cost: a linear scan of the loads with the static rules and a straight-line reachability bound,
/// the nearest `candidates_per_load` priced with three matrix calls.
pub fn suggest_loads(
    vehicle: &AvailableVehicle,
    loads: &[OpenLoad],
    costs: &dyn TravelCosts,
    config: &MatchConfig,
    n: usize,
) -> Result<Vec<Suggestion>, MatchError> {
    let date = vehicle.free_from.date_naive();
    let state = VehicleState::initial(vehicle);
    let mut near: Vec<(f64, usize)> = loads
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let d = straight_km(&vehicle.position, &l.load.origin.point);
            let lb = d / config.prune_speed_kmh * 3600.0;
            let ok = d <= config.max_deadhead_km
                && rules::add_s(state.free_from, lb) <= l.load.pickup_window.end
                && rules::static_ok(&Pair {
                    load: &l.load,
                    vehicle,
                    date,
                });
            ok.then_some((d, i))
        })
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    if config.candidates_per_load > 0 {
        near.truncate(config.candidates_per_load.max(n));
    }
    let od: Vec<_> = loads
        .iter()
        .map(|l| (l.load.origin.point, l.load.destination.point))
        .collect();
    // Only the loads priced need their loaded leg.
    let mut ll = vec![None; loads.len()];
    let picked: Vec<_> = near.iter().map(|&(_, i)| od[i]).collect();
    for (leg, &(_, i)) in pair_legs(costs, &picked)?.into_iter().zip(&near) {
        ll[i] = leg;
    }
    let slots = [Slot {
        vehicle: 0,
        state,
        prev_return: None,
    }];
    let pairs: Vec<_> = near.iter().map(|&(_, i)| (i, 0)).collect();
    let cands = price(
        loads,
        &ll,
        std::slice::from_ref(vehicle),
        &slots,
        &pairs,
        date,
        config,
        costs,
    )?;
    let out = cands
        .iter()
        .map(|k| to_suggestion(k, &loads[k.load], vehicle))
        .collect();
    Ok(sort_top(out, n))
}

fn default_n() -> usize {
    5
}

/// JSON request for [`suggest_vehicles`]: a newly posted load and the vehicles to rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestVehiclesRequest {
    /// The load.
    pub load: OpenLoad,
    /// Candidate vehicles.
    pub vehicles: Vec<AvailableVehicle>,
    /// Costs and limits.
    #[serde(default)]
    pub config: MatchConfig,
    /// How many suggestions (default 5).
    #[serde(default = "default_n")]
    pub n: usize,
}

impl SuggestVehiclesRequest {
    /// Runs [`suggest_vehicles`].
    pub fn run(&self, costs: &dyn TravelCosts) -> Result<Vec<Suggestion>, MatchError> {
        suggest_vehicles(&self.load, &self.vehicles, costs, &self.config, self.n)
    }
}

/// JSON request for [`suggest_loads`]: a vehicle that has become free and the open loads to rank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestLoadsRequest {
    /// The vehicle.
    pub vehicle: AvailableVehicle,
    /// Open loads.
    pub loads: Vec<OpenLoad>,
    /// Costs and limits.
    #[serde(default)]
    pub config: MatchConfig,
    /// How many suggestions (default 5).
    #[serde(default = "default_n")]
    pub n: usize,
}

impl SuggestLoadsRequest {
    /// Runs [`suggest_loads`].
    pub fn run(&self, costs: &dyn TravelCosts) -> Result<Vec<Suggestion>, MatchError> {
        suggest_loads(&self.vehicle, &self.loads, costs, &self.config, self.n)
    }
}
