//! # wuliu-match: vehicle–cargo matching (车货匹配)
//!
//! A pure synchronous library that gives open loads to available vehicles so that empty running
//! (货运车辆空返) goes down. The tour:
//!
//! 1. **Inputs** ([`input`]): an [`OpenLoad`] wraps a stored [`wuliu_model::Load`] with its ID; an
//!    [`AvailableVehicle`] wraps a stored [`wuliu_model::Vehicle`] with its position, free-from
//!    time, driver(s) and remaining driving time. [`MatchConfig`] holds costs and limits.
//! 2. **Rules** ([`rules`]): one named feature per file (capacity, body type, refrigeration,
//!    dangerous goods, dimensions, certificates, declined by the carrier, pickup reachability,
//!    delivery window, working time); each returns a [`rules::Reason`] when a pair fails.
//! 3. **Costs** come from a [`wuliu_model::TravelCosts`] provider in a few batched matrix calls
//!    ([`legs`]); with [`wuliu_model::StraightLine`] the plan says so (`road_network: false`).
//!    The objective is margin (price − operating cost) minus a penalty per empty km ([`economics`]).
//! 4. **Batch matching** ([`match_batch`]): candidate pruning with a spatial grid and time windows
//!    ([`candidates`]), an exact sparse assignment ([`assignment`], Jonker–Volgenant shortest
//!    augmenting paths), then backhaul chaining (time-sliced assignments, rounds from chain ends,
//!    savings joins of chains; [`chaining`]) with a reported optimality bound. Opt-in
//!    alternatives: [`Sequencing::Search`] solves the loads as a vehicle routing problem with the
//!    dispatch engine's ruin-and-recreate search ([`search`]; best for day plans and rolling
//!    batches of up to a few hundred loads), and [`Sequencing::Successors`] builds whole chains
//!    from one successor assignment ([`sequencing`]). Both use the vehicle profiles that can
//!    carry each load ([`profiles`]).
//!    [`outlook`] learns from past loads where vehicles pile up (sites receiving more loads than
//!    they send) and how far they must then drive empty; the search sequencing then avoids ending
//!    chains there early in the day ([`MatchConfig::outlook`]).
//! 5. **Online suggestions** ([`suggest_vehicles`], [`suggest_loads`]); when a list is empty,
//!    [`nearest_vehicle_verdicts`] and [`nearest_load_verdicts`] say which rules excluded the
//!    nearest candidates.
//! 6. **Checker** ([`check`]): an independent validation of any plan.
//!
//! Every public type is serde-ready so a server can deserialize a [`MatchRequest`], call
//! [`match_batch`] and return the [`MatchPlan`] as JSON.
//!
//! ```
//! use wuliu_match::{check, match_batch, MatchRequest};
//! use wuliu_model::StraightLine;
//!
//! let req: MatchRequest = serde_json::from_value(serde_json::json!({
//!   "date": "2026-03-02",
//!   "loads": [{ "id": "lod_1", "load": {
//!     "shipper_id": "pty_s", "goods": "auto parts", "cargo": {"kind": "general"},
//!     "origin": {"point": {"lat": 24.33, "lon": 109.40}, "address": "柳东新区", "division_code": "450206"},
//!     "destination": {"point": {"lat": 22.82, "lon": 108.37}, "address": "南宁", "division_code": "450103"},
//!     "pickup_window": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-02T04:00:00Z"},
//!     "delivery_window": {"start": "2026-03-02T00:00:00Z", "end": "2026-03-02T12:00:00Z"},
//!     "weight": 8000.0, "volume": 30.0, "packages": 20, "price_offered": 2600.0 }}],
//!   "vehicles": [{ "id": "veh_1", "position": {"lat": 24.30, "lon": 109.42},
//!     "free_from": "2026-03-02T00:00:00Z",
//!     "vehicle": { "carrier_id": "pty_c", "plate": "桂B12345", "plate_colour": "yellow",
//!       "body_type": "box", "rated_load": 10000.0, "cargo_volume": 45.0,
//!       "transport_certificate": {"number": "450200001", "expires": "2028-01-01"} },
//!     "drivers": [{ "carrier_id": "pty_c", "name": "Li", "id_number": "11010519491231002X",
//!       "phone": "13800138000",
//!       "licence": {"number": "1", "class": "B2", "expires": "2030-01-01"},
//!       "qualification": {"number": "Q1", "expires": "2030-01-01"} }] }]
//! })).unwrap();
//! let plan = match_batch(&req, &StraightLine::default()).unwrap();
//! assert_eq!(plan.totals.served, 1);
//! assert!(!plan.road_network); // straight-line estimates are flagged
//! assert!(check(&req, &plan, &StraightLine::default()).is_ok());
//! ```
#![warn(missing_docs)]

pub mod assignment;
pub mod batch;
pub mod candidates;
pub mod chaining;
pub mod checker;
pub mod economics;
pub mod error;
pub mod grid;
pub mod input;
pub mod legs;
pub mod outlook;
pub mod plan;
pub mod profiles;
pub mod rules;
pub mod search;
pub mod sequencing;
pub mod suggest;
pub mod talent;
pub mod verdicts;

pub use batch::match_batch;
pub use checker::{check, CheckReport, CheckViolation};
pub use error::MatchError;
pub use input::{AvailableVehicle, MatchConfig, MatchRequest, OpenLoad, Sequencing};
pub use plan::{Assignment, Bound, Chain, MatchPlan, Totals, Unmatched, VehicleVerdict};
pub use rules::{Reason, RuleName};
pub use suggest::{
    suggest_loads, suggest_vehicles, SuggestLoadsRequest, SuggestVehiclesRequest, Suggestion,
};
pub use verdicts::{nearest_load_verdicts, nearest_vehicle_verdicts, LoadVerdict};
