//! The objective and the independent feasibility check of an allocation, shared by the exact model,
//! the greedy baseline and the tests' brute force.
//!
//! # Objective (minimised)
//! * **Unmet demand**: Σ [`priority_weight`] × unmet units × unit weight (kg). Demand is compared in
//!   kilograms so that water and medicine are on one scale.
//! * **Lateness**: a shipment from stockpile `s` to request `r` arrives at the depot's earliest dispatch
//!   plus the driving time; past the deadline each shipped kilogram costs
//!   `priority_weight × min(LATE_CAP, LATE_PER_HOUR × hours late)`, so a late delivery always costs
//!   less than none.
//! * **Transport**: [`TRUCK_KM_COST`] per truck-kilometre driven (out and back), truckloads counted
//!   with the depot's representative truck. It only breaks ties between equally good plans.
//!
//! # Feasibility
//! * Quantities shipped from a stockpile never exceed its lots still good on arrival. Lots are nested
//!   by expiry (a later arrival can use a subset of the lots an earlier one can), so for every level
//!   `L` of usable stock the shipments to requests whose usable stock is at most `L` sum to at most `L`
//!   — exactly the condition for a lot-by-lot assignment to exist.
//! * Nothing is shipped over an unreachable pair, from a depot without usable vehicles, or above the
//!   requested quantity.
//! * Fleet time: Σ truckloads × (2 × driving time + handling) ≤ the depot's vehicle-seconds before
//!   the horizon.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::Error as EngineError;
use crate::model::{priority_weight, Problem};
use crate::prepare::{Pair, Prepared};

/// Lateness cost per kilogram and hour late, as a fraction of the unmet cost of that kilogram.
pub const LATE_PER_HOUR: f64 = 0.05;
/// Largest lateness cost of a kilogram, as a fraction of its unmet cost.
pub const LATE_CAP: f64 = 0.5;
/// Cost of one truck-kilometre, in the objective's units (priority-weighted kilograms).
pub const TRUCK_KM_COST: f64 = 0.001;

/// A quantity of one item shipped from a stockpile to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// Stockpile id.
    pub stockpile: String,
    /// Request id.
    pub request: String,
    /// Item id.
    pub item: String,
    /// Units shipped.
    pub quantity: u64,
}

/// Demand left unserved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmet {
    /// Request id.
    pub request: String,
    /// Item id.
    pub item: String,
    /// Units not delivered.
    pub quantity: u64,
}

/// Truckloads on one stockpile–request pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truckloads {
    /// Stockpile id.
    pub stockpile: String,
    /// Request id.
    pub request: String,
    /// Representative truckloads needed (weight or volume, whichever binds).
    pub trucks: u64,
    /// Earliest arrival in seconds from the plan start.
    pub arrival_s: f64,
    /// Weight shipped in kilograms.
    pub weight_kg: f64,
}

/// Why a set of flows is not a feasible allocation.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Violation {
    /// A flow names an id that does not exist.
    #[error("flows[{flow}].{field}: unknown id '{id}'")]
    UnknownId {
        /// Flow index.
        flow: usize,
        /// Field name.
        field: String,
        /// The id.
        id: String,
    },
    /// A flow over a pair that trucks cannot serve (no road, no vehicles, beyond the horizon).
    #[error("flows[{flow}]: {stockpile} → {request} cannot be served")]
    Unreachable {
        /// Flow index.
        flow: usize,
        /// Stockpile id.
        stockpile: String,
        /// Request id.
        request: String,
    },
    /// More shipped than the lots good on arrival hold.
    #[error("stockpile {stockpile} item {item}: {shipped} shipped, {usable} usable")]
    OverStock {
        /// Stockpile id.
        stockpile: String,
        /// Item id.
        item: String,
        /// Units shipped to the requests concerned.
        shipped: u64,
        /// Units usable by them.
        usable: u64,
    },
    /// More shipped than requested.
    #[error("request {request} item {item}: {shipped} shipped, {demand} requested")]
    OverDemand {
        /// Request id.
        request: String,
        /// Item id.
        item: String,
        /// Units shipped.
        shipped: u64,
        /// Units requested (0 when not requested).
        demand: u64,
    },
    /// The depot's trucks cannot make the truckloads before the horizon.
    #[error(
        "stockpile {stockpile}: {needed_s:.0} s of fleet time needed, {available_s:.0} s available"
    )]
    FleetTime {
        /// Stockpile id.
        stockpile: String,
        /// Fleet seconds needed.
        needed_s: f64,
        /// Fleet seconds available.
        available_s: f64,
    },
}

/// Cost and feasibility of a set of flows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Total: `unmet_cost + lateness_cost + transport_cost`.
    pub objective: f64,
    /// Priority-weighted unmet kilograms.
    pub unmet_cost: f64,
    /// Priority-weighted lateness cost.
    pub lateness_cost: f64,
    /// Truck-kilometre cost.
    pub transport_cost: f64,
    /// Unmet demand by request line, in request order.
    pub unmet: Vec<Unmet>,
    /// Truckloads by pair.
    pub truckloads: Vec<Truckloads>,
    /// Empty when the flows are feasible.
    pub violations: Vec<Violation>,
}

/// Costs and checks `flows` against `problem` (see the module docs for the objective).
///
/// # Errors
/// [`EngineError::Invalid`] when the problem itself is invalid; problems with the flows are reported
/// as [`Evaluation::violations`].
pub fn evaluate(problem: &Problem, flows: &[Flow]) -> Result<Evaluation, EngineError> {
    let prep = Prepared::new(problem)?;
    Ok(evaluate_prepared(&prep, flows))
}

/// Per-unit cost of leaving item `i` of request `r` unmet.
pub(crate) fn unmet_coef(prep: &Prepared, r: usize, i: usize) -> f64 {
    priority_weight(prep.p.requests[r].priority) * prep.p.items[i].unit_weight_kg
}

/// Per-unit lateness cost of shipping item `i` over `pair`.
pub(crate) fn late_coef(prep: &Prepared, pair: &Pair, i: usize) -> f64 {
    let late_h = (pair.arrival_s - prep.p.requests[pair.r].deadline_s as f64).max(0.0) / 3600.0;
    unmet_coef(prep, pair.r, i) * (LATE_PER_HOUR * late_h).min(LATE_CAP)
}

/// Cost of one truckload over `pair`.
pub(crate) fn truck_coef(pair: &Pair) -> f64 {
    TRUCK_KM_COST * 2.0 * pair.metres / 1000.0
}

/// Truckloads needed to carry `kg` and `m3` with the depot's representative truck.
pub(crate) fn trucks_for(prep: &Prepared, s: usize, kg: f64, m3: f64) -> u64 {
    let d = &prep.depots[s];
    let loads = (kg / d.cap_kg).max(m3 / d.cap_m3);
    (loads - 1e-9).ceil().max(0.0) as u64
}

type Key = (usize, usize, usize);

pub(crate) fn evaluate_prepared(prep: &Prepared, flows: &[Flow]) -> Evaluation {
    let mut violations = Vec::new();
    let shipped = index_flows(prep, flows, &mut violations);
    let mut eval = Evaluation {
        objective: 0.0,
        unmet_cost: 0.0,
        lateness_cost: 0.0,
        transport_cost: 0.0,
        unmet: Vec::new(),
        truckloads: Vec::new(),
        violations,
    };
    demand(prep, &shipped, &mut eval);
    stock(prep, &shipped, &mut eval.violations);
    fleet(prep, &shipped, &mut eval);
    eval.objective = eval.unmet_cost + eval.lateness_cost + eval.transport_cost;
    eval
}

/// Sums flows by (pair, item); flags unknown ids and unusable pairs.
fn index_flows(prep: &Prepared, flows: &[Flow], out: &mut Vec<Violation>) -> BTreeMap<Key, u64> {
    let mut shipped = BTreeMap::new();
    for (k, f) in flows.iter().enumerate() {
        let unknown = |field: &str, id: &str| Violation::UnknownId {
            flow: k,
            field: field.into(),
            id: id.into(),
        };
        let s = prep.stock_ix.get(f.stockpile.as_str());
        let r = prep.req_ix.get(f.request.as_str());
        let i = prep.item_ix.get(f.item.as_str());
        let (Some(&s), Some(&r), Some(&i)) = (s, r, i) else {
            s.is_none()
                .then(|| out.push(unknown("stockpile", &f.stockpile)));
            r.is_none()
                .then(|| out.push(unknown("request", &f.request)));
            i.is_none().then(|| out.push(unknown("item", &f.item)));
            continue;
        };
        if f.quantity == 0 {
            continue;
        }
        if !prep.pair_of.contains_key(&(s, r)) {
            let (stockpile, request) = (f.stockpile.clone(), f.request.clone());
            out.push(Violation::Unreachable {
                flow: k,
                stockpile,
                request,
            });
            continue;
        }
        *shipped.entry((s, r, i)).or_insert(0) += f.quantity;
    }
    shipped
}

/// Unmet demand, over-delivery and lateness.
fn demand(prep: &Prepared, shipped: &BTreeMap<Key, u64>, eval: &mut Evaluation) {
    let mut got: HashMap<(usize, usize), u64> = HashMap::new();
    for (&(s, r, i), &q) in shipped {
        *got.entry((r, i)).or_insert(0) += q;
        let pair = &prep.pairs[prep.pair_of[&(s, r)]];
        eval.lateness_cost += q as f64 * late_coef(prep, pair, i);
    }
    for (r, lines) in prep.lines.iter().enumerate() {
        for &(i, want) in lines {
            let have = got.remove(&(r, i)).unwrap_or(0);
            let (request, item) = (prep.p.requests[r].id.clone(), prep.p.items[i].id.clone());
            if have > want {
                let v = Violation::OverDemand {
                    request,
                    item,
                    shipped: have,
                    demand: want,
                };
                eval.violations.push(v);
            } else if have < want {
                eval.unmet_cost += (want - have) as f64 * unmet_coef(prep, r, i);
                eval.unmet.push(Unmet {
                    request,
                    item,
                    quantity: want - have,
                });
            }
        }
    }
    let mut extra: Vec<_> = got.into_iter().collect();
    extra.sort();
    for ((r, i), have) in extra {
        let (request, item) = (prep.p.requests[r].id.clone(), prep.p.items[i].id.clone());
        eval.violations.push(Violation::OverDemand {
            request,
            item,
            shipped: have,
            demand: 0,
        });
    }
}

/// The nested stock condition for every (stockpile, item).
fn stock(prep: &Prepared, shipped: &BTreeMap<Key, u64>, out: &mut Vec<Violation>) {
    let mut by_si: BTreeMap<(usize, usize), Vec<(u64, u64)>> = BTreeMap::new();
    for (&(s, r, i), &q) in shipped {
        let pair = &prep.pairs[prep.pair_of[&(s, r)]];
        by_si
            .entry((s, i))
            .or_default()
            .push((prep.usable(s, i, pair.arrival_s), q));
    }
    for ((s, i), mut list) in by_si {
        list.sort();
        let mut sum = 0;
        for (k, &(level, q)) in list.iter().enumerate() {
            sum += q;
            let last_of_level = list.get(k + 1).is_none_or(|n| n.0 != level);
            if last_of_level && sum > level {
                out.push(Violation::OverStock {
                    stockpile: prep.p.stockpiles[s].id.clone(),
                    item: prep.p.items[i].id.clone(),
                    shipped: sum,
                    usable: level,
                });
                break;
            }
        }
    }
}

/// Truckloads, transport cost and the fleet-time limit.
fn fleet(prep: &Prepared, shipped: &BTreeMap<Key, u64>, eval: &mut Evaluation) {
    let mut load: BTreeMap<(usize, usize), (f64, f64)> = BTreeMap::new();
    for (&(s, r, i), &q) in shipped {
        let item = &prep.p.items[i];
        let e = load.entry((s, r)).or_insert((0.0, 0.0));
        e.0 += q as f64 * item.unit_weight_kg;
        e.1 += q as f64 * item.unit_volume_m3;
    }
    let mut needed = vec![0.0; prep.depots.len()];
    for (&(s, r), &(kg, m3)) in &load {
        let pair = &prep.pairs[prep.pair_of[&(s, r)]];
        let trucks = trucks_for(prep, s, kg, m3);
        needed[s] += trucks as f64 * pair.round_trip_s;
        eval.transport_cost += trucks as f64 * truck_coef(pair);
        eval.truckloads.push(Truckloads {
            stockpile: prep.p.stockpiles[s].id.clone(),
            request: prep.p.requests[r].id.clone(),
            trucks,
            arrival_s: pair.arrival_s,
            weight_kg: kg,
        });
    }
    for (s, &needed_s) in needed.iter().enumerate() {
        let available_s = prep.depots[s].budget_s;
        if needed_s > available_s + 1e-6 {
            let stockpile = prep.p.stockpiles[s].id.clone();
            eval.violations.push(Violation::FleetTime {
                stockpile,
                needed_s,
                available_s,
            });
        }
    }
}
