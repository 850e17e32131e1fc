//! `wuliu simulate`: a network-freight platform's day, on the Wuliu platform.
//!
//! The simulator reads the platform's carriers, shippers, vehicles and drivers through the API,
//! plans trips ([`scenario::plan`], deterministic from a seed), some with one injected and labelled
//! anomaly each ([`AnomalyKind`]), drives them along road-network or great-circle routes
//! ([`Scenario::realise`]), uploads each trip's waybill, lifecycle and fund-flow record
//! ([`runner::upload_all`]), and reports the fixes through one JT/T 808 terminal per vehicle
//! ([`runner::drive_all`]).
//!
//! Planning and driving are pure, so a scenario can be inspected without a platform:
//!
//! ```
//! use std::collections::HashMap;
//! use chrono::NaiveDate;
//! use wuliu_simulate::{scenario, AnomalyKind, Config};
//!
//! let fleet = wuliu_simulate::testing::small_fleet(6);
//! let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
//! let config = Config::replay(day, 6, 0.5, 7, "doc");
//! let mut plan = scenario::plan(&fleet, &config).unwrap();
//! plan.realise(&HashMap::new()); // no road network: great circles
//! assert_eq!(plan.trips.iter().filter(|t| t.anomaly.is_some()).count(), 3);
//! for t in &plan.trips {
//!     match t.anomaly {
//!         Some(AnomalyKind::Ghost) => assert!(t.fixes.is_empty()),
//!         _ => assert!(t.fixes.len() > 10),
//!     }
//! }
//! ```
#![warn(missing_docs)]

pub mod anomaly;
pub mod api;
pub mod drive;
pub mod error;
pub mod fleet;
pub mod geo;
pub mod identity;
pub mod labels;
pub mod realise;
pub mod records;
pub mod runner;
pub mod scenario;
pub mod testing;

pub use anomaly::{AnomalyKind, RULE_CODES};
/// The `chrono` this crate's times use.
pub use chrono;
pub use error::{Error, Result};
pub use fleet::Fleet;
pub use scenario::{Config, Scenario, Trip};
