//! The matching result: assignments, chains, unmatched loads with explanations, totals, bound.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{LoadId, VehicleId};

use crate::rules::Reason;

/// One load given to one vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The load.
    pub load: LoadId,
    /// The vehicle.
    pub vehicle: VehicleId,
    /// Position in the vehicle's chain (0 = first load of the day).
    pub sequence: usize,
    /// Objective score of this trip (margin − empty-km penalty), CNY.
    pub score: f64,
    /// Empty km from the vehicle's previous position to the pickup.
    pub deadhead_km: f64,
    /// Loaded km.
    pub loaded_km: f64,
    /// Empty km back to base after this trip (0 unless it is the last of the chain).
    pub return_km: f64,
    /// Shipper price − operating cost of this trip, CNY.
    pub margin: f64,
    /// Planned start of loading.
    pub pickup_at: DateTime<Utc>,
    /// Planned arrival at the destination.
    pub delivery_at: DateTime<Utc>,
    /// When the vehicle is free again at the destination (after unloading).
    pub done_at: DateTime<Utc>,
    /// Driving hours of the trip (deadhead + loaded).
    pub driving_h: f64,
    /// Why this pair: the rules it passed and what made it attractive.
    pub reasons: Vec<String>,
}

/// The loads one vehicle takes in sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    /// The vehicle.
    pub vehicle: VehicleId,
    /// Its loads in order.
    pub loads: Vec<LoadId>,
    /// Empty km (deadheads + final return).
    pub empty_km: f64,
    /// Loaded km.
    pub loaded_km: f64,
    /// Total margin, CNY.
    pub margin: f64,
}

/// What one nearby vehicle says about an unmatched load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VehicleVerdict {
    /// The vehicle.
    pub vehicle: VehicleId,
    /// Straight-line km from its position to the pickup.
    pub straight_km: f64,
    /// The rules that exclude it (empty: it was compatible).
    pub excluded_by: Vec<Reason>,
    /// For a compatible vehicle: why it was not used (e.g. it serves another load).
    pub note: Option<String>,
}

/// A load left without a vehicle, explained by its nearest vehicles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unmatched {
    /// The load.
    pub load: LoadId,
    /// Verdicts of the nearest vehicles, nearest first.
    pub nearest: Vec<VehicleVerdict>,
}

/// Plan totals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Totals {
    /// Loads in the request.
    pub loads: usize,
    /// Loads served.
    pub served: usize,
    /// Vehicles with at least one load.
    pub vehicles_used: usize,
    /// Empty km (deadheads + returns of used vehicles).
    pub empty_km: f64,
    /// Loaded km.
    pub loaded_km: f64,
    /// Empty km ÷ all km.
    pub empty_share: f64,
    /// Total margin, CNY.
    pub margin: f64,
    /// Objective value: Σ (serve bonus + score).
    pub objective: f64,
}

/// How far the plan can be from optimal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    /// Objective of the plan.
    pub achieved: f64,
    /// An upper bound on any plan's objective: every load that has a compatible vehicle served
    /// with zero empty km.
    pub upper_bound: f64,
    /// (upper bound − achieved) ÷ upper bound, in percent.
    pub gap_pct: f64,
    /// `true` when no chaining took place: the plan is then an exact optimum on the candidate graph.
    pub exact: bool,
}

/// A complete matching plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchPlan {
    /// Every load given to a vehicle, grouped by vehicle in chain order.
    pub assignments: Vec<Assignment>,
    /// Per-vehicle sequences.
    pub chains: Vec<Chain>,
    /// Loads left open, with the rules that excluded their nearest vehicles.
    pub unmatched: Vec<Unmatched>,
    /// Label of the travel-cost source.
    pub travel_costs: String,
    /// `false` when costs are straight-line estimates, not a road network.
    pub road_network: bool,
    /// Totals.
    pub totals: Totals,
    /// Optimality bound of the heuristic chaining.
    pub bound: Bound,
}
