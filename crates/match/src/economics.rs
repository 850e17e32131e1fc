//! Money: operating cost, margin and the objective score of a trip.
//!
//! operating cost = `cost_per_km` × (deadhead + loaded + return km) + `cost_per_hour` × driving hours;
//! margin = shipper price − operating cost; score = margin − `empty_km_penalty` × empty km.
//! When a load is appended to a chain, the previous load's planned return leg is dropped, so its
//! cost is credited back ([`Economics::marginal`]).

use serde::{Deserialize, Serialize};
use wuliu_model::Leg;

use crate::input::MatchConfig;

/// Kilometres and money of one trip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Economics {
    /// Empty km to the pickup.
    pub deadhead_km: f64,
    /// Loaded km.
    pub loaded_km: f64,
    /// Empty km back to base after the trip (0 when another load follows).
    pub return_km: f64,
    /// Price − operating cost, CNY.
    pub margin: f64,
    /// Margin − empty-km penalty, CNY.
    pub score: f64,
}

fn km(l: &Leg) -> f64 {
    l.distance.0 / 1000.0
}

fn h(l: &Leg) -> f64 {
    l.duration.0 / 3600.0
}

impl Economics {
    /// Economics of a trip: deadhead, loaded leg, and (if last of the day) the return leg.
    pub fn of(
        price: f64,
        deadhead: &Leg,
        loaded: &Leg,
        ret: Option<&Leg>,
        c: &MatchConfig,
    ) -> Self {
        let (rk, rh) = ret.map_or((0.0, 0.0), |r| (km(r), h(r)));
        let total_km = km(deadhead) + km(loaded) + rk;
        let hours = h(deadhead) + h(loaded) + rh;
        let margin = price - c.cost_per_km * total_km - c.cost_per_hour * hours;
        let empty = km(deadhead) + rk;
        Self {
            deadhead_km: km(deadhead),
            loaded_km: km(loaded),
            return_km: rk,
            margin,
            score: margin - c.empty_km_penalty * empty,
        }
    }

    /// Change in the vehicle's total score when this trip is appended after a trip whose return
    /// leg `prev_return` is thereby dropped.
    pub fn marginal(&self, prev_return: Option<&Leg>, c: &MatchConfig) -> f64 {
        let saved = prev_return.map_or(0.0, |r| {
            c.cost_per_km * km(r) + c.cost_per_hour * h(r) + c.empty_km_penalty * km(r)
        });
        self.score + saved
    }
}
