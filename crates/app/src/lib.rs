//! Wuliu's application layer, between the engines and storage on one side and the transports
//! (HTTP, CLI, gateway) on the other. It holds what the platform *means*: the collections and their
//! specs, who may set which field and which fields freeze when ([`rules`]), the workflows that
//! change several records at once (atomic, with optimistic concurrency), the audit trail, and one
//! bounded entry point per engine. It knows no HTTP: transports map [`AppError`] to their own
//! answers.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use wuliu_app::{spec, Caller, Role, Service};
//!
//! let store = wuliu_store::SqlStore::open("sqlite::memory:").await.unwrap();
//! let service = Service::new(Arc::new(store));
//! let admin = Caller::system("450200", "doc");
//! let party = serde_json::json!({"name": "柳州示例汽车配件有限公司", "roles": ["shipper"],
//!     "credit_code": "91450200MA5K00000G", "division_code": "450202"});
//! let stored = service.create(&admin, spec::by_collection("parties").unwrap(), party, "450200").await;
//! assert!(stored.is_ok(), "{stored:?}");
//! # });
//! ```
#![warn(missing_docs)]
pub mod accounts;
pub mod audit;
pub mod caller;
pub mod csvflat;
pub mod dispatch;
pub mod emergency;
pub mod engines;
pub mod error;
pub mod exchange;
pub mod export;
pub mod forecasts;
pub mod gov;
pub mod import;
pub mod limits;
pub mod links;
pub mod map;
pub mod matching;
pub mod monitoring;
pub mod plan;
pub mod prosperity;
pub mod risk;
pub mod road_changes;
pub mod roads_layer;
pub mod rules;
pub mod service;
pub mod shipment;
pub mod simplify;
pub mod spec;
pub mod stats;
pub mod stats_names;
pub mod terminals;
pub mod tracks;
pub mod workflows;

pub use caller::{Caller, Role};
pub use error::AppError;
pub use service::{ImportReport, Service};
