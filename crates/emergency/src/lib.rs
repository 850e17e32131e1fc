//! Wuliu emergency logistics engine (应急物流): who sends what relief goods where when floods cut the
//! roads.
//!
//! # Tour
//! * [`model`]: the input — item catalogue, stockpiles (government and agreement reserves) with lots
//!   and expiry, requests with priority (1 = life-critical … 4 = routine) and deadline, the emergency
//!   fleet, and a travel table the caller fills from the road engine with closures applied. The
//!   engine knows no road network: an unreachable pair is `None` in the table.
//! * [`validate`]: every input problem reported at once, each naming its field and index
//!   (`requests[3].lines[1].item: unknown item 'x'`), and documented bounds ([`MAX_REQUESTS`] …).
//! * [`allocate`]: the exact model (integer units and truckloads, stock with expiry, fleet time),
//!   solved with HiGHS; reports the objective, the solver's bound and the gap.
//! * [`greedy`]: the nearest-stockpile baseline, same output.
//! * [`evaluate`]: the one objective and feasibility check used by both, and by the tests' brute
//!   force. Weights: [`priority_weight`]; lateness and transport terms in [`evaluate`](mod@evaluate).
//! * [`plan_routes`]: delivery trips for an allocation from the dispatch engine, per stockpile, loads
//!   split where larger than a truck, several trips per vehicle, with ETAs and lateness per request.
//! * [`drill`]: a scenario of requests arriving and areas closing over time, replayed with the exact
//!   or the greedy policy, and a report by priority (time to serve, unmet, lateness, truck-km).
//! * [`geometry`]: whether a straight leg enters a closed area (flood polygon).
//!
//! * [`replan`]: after a closure or new requests, keeps the trips that can still run (trucks on the
//!   road first), plans only what is left, and says for each request what changed and why.
//!
//! The engine is synchronous and does no IO; call it from a blocking task in a server.
//!
//! # Example
//! ```
//! use wuliu_emergency::{allocate, greedy, AllocateOptions, Problem};
//!
//! let problem: Problem = serde_json::from_str(r#"{
//!   "items": [{"id": "water", "name": "瓶装水", "unit": "箱",
//!              "unit_weight_kg": 12, "unit_volume_m3": 0.02}],
//!   "stockpiles": [
//!     {"id": "city", "name": "市级储备库", "lon": 109.41, "lat": 24.31,
//!      "holder": {"kind": "government"},
//!      "lots": [{"item": "water", "quantity": 300, "expires_day": 90}]},
//!     {"id": "firm", "name": "协议储备（超市）", "lon": 109.45, "lat": 24.35,
//!      "holder": {"kind": "agreement", "enterprise": "柳州某超市"},
//!      "lots": [{"item": "water", "quantity": 300}]}],
//!   "requests": [
//!     {"id": "hospital", "name": "人民医院", "lon": 109.42, "lat": 24.33, "priority": 1,
//!      "deadline_s": 3600, "lines": [{"item": "water", "quantity": 400}]},
//!     {"id": "village", "name": "受灾村", "lon": 109.6, "lat": 24.5, "priority": 3,
//!      "deadline_s": 14400, "lines": [{"item": "water", "quantity": 300}]}],
//!   "vehicles": [
//!     {"id": "T1", "stockpile": "city", "capacity_kg": 5000, "capacity_m3": 30, "green_pass": true},
//!     {"id": "T2", "stockpile": "firm", "capacity_kg": 5000, "capacity_m3": 30, "green_pass": true}],
//!   "travel": {"from_stockpile": [
//!     [{"seconds": 900, "metres": 9000}, null],
//!     [{"seconds": 600, "metres": 6000}, {"seconds": 3000, "metres": 40000}]]}
//! }"#).unwrap();
//!
//! let exact = allocate(&problem, &AllocateOptions::default()).unwrap();
//! // The village can only be reached from the enterprise's stock, so the city reserve serves the
//! // hospital first and the enterprise tops it up: 100 cases stay unmet, at the village.
//! assert_eq!(exact.unmet.len(), 1);
//! assert_eq!((exact.unmet[0].request.as_str(), exact.unmet[0].quantity), ("village", 100));
//! assert!(exact.gap.unwrap() <= 1e-4);
//! // The greedy takes the hospital's water from the nearest stockpile (the enterprise) first.
//! let baseline = greedy(&problem).unwrap();
//! assert!(baseline.objective >= exact.objective);
//! ```

pub mod allocate;
pub mod drill;
pub mod error;
pub mod evaluate;
pub mod geometry;
pub mod greedy;
pub mod model;
mod prepare;
pub mod replan;
pub mod routes;
mod stock;
pub mod validate;

pub use allocate::{allocate, AllocateOptions, Allocation, Status};
pub use error::{Error, Invalid};
pub use evaluate::{evaluate, Evaluation, Flow, Truckloads, Unmet, Violation};
pub use greedy::greedy;
pub use model::*;
pub use replan::{replan, PlanInForce, Replan, ReplanOptions};
pub use routes::{plan_routes, Eta, RouteOptions, RoutePlan, TruckRoute};
pub use validate::validate;
