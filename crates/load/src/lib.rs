//! Wuliu loading engine (装箱算法): 3D loading of containers and truck bodies. No IO.
//!
//! # Tour
//! - [`LoadRequest`] describes one container ([`Container`]: inner size in mm, door, payload,
//!   optional axles), the shipment list ([`ItemSpec`]: size, weight, quantity, allowed orientations,
//!   fragility, stackability, delivery stop) and the [`Constraints`] to enforce, each switchable.
//! - [`solve`] builds blocks of boxes (simple and general blocks), keeps the free room as maximal
//!   residual spaces and runs a beam search with greedy look-ahead on all threads until the time
//!   budget in [`LoadConfig`] ends. The answer is a [`LoadPlan`]: placements in loading order, a
//!   step-by-step instruction list, unloaded items with reasons, and utilisation figures.
//! - [`plan_shipment`] spreads a [`ShipmentRequest`] over as few containers as it can.
//! - [`check`] is an independent checker: it validates any plan against every enabled constraint
//!   (containment, overlap, orientation, payload, support share, load-bearing, multi-drop order,
//!   centre of gravity, axle loads) and returns a [`CheckReport`].
//! - [`br::parse`] reads the Bischoff–Ratcliff benchmark format.
//!
//! All request and answer types are serde types, so a JSON request can be solved in one call.
//!
//! # Example
//! ```
//! use wuliu_load::{check, solve, Constraints, Container, ItemSpec, LoadConfig, LoadRequest};
//!
//! let mut pallet = ItemSpec::new("pallet", 1200, 1000, 1100);
//! pallet.quantity = 4;
//! let request = LoadRequest {
//!     container: Container {
//!         id: "truck-1".into(),
//!         length: 2400,
//!         width: 2000,
//!         height: 1100,
//!         max_payload: None,
//!         door: Default::default(),
//!         axles: None,
//!     },
//!     items: vec![pallet],
//!     constraints: Constraints::default(),
//! };
//! let plan = solve(&request, &LoadConfig::with_time(0.5)).unwrap();
//! assert_eq!(plan.placements.len(), 4);
//! assert!((plan.stats.utilisation - 1.0).abs() < 1e-9);
//! assert!(check(&request, &plan).ok);
//! ```

#![warn(missing_docs)]

pub mod br;
mod check;
mod config;
mod error;
mod model;
mod plan;
mod sequence;
mod shipment;
mod solver;
mod validate;

pub use check::{check, CheckReport, CheckViolation};
pub use config::LoadConfig;
pub use error::LoadError;
pub use model::{
    AllowedOrientations, Axles, CogEnvelope, Constraints, Container, Door, ItemSpec, LoadRequest,
    Orientation,
};
pub use plan::{LoadPlan, LoadStep, Placement, PlanStats, Unloaded, UnloadedReason};
pub use sequence::{sequence, steps};
pub use shipment::{plan_shipment, ContainerOption, ShipmentPlan, ShipmentRequest};
pub use solver::solve;
pub use validate::validate;
