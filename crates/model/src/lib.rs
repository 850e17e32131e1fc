//! Wuliu domain model: the shared vocabulary of the platform. No IO.
//!
//! - Identifiers are newtypes ([`VehicleId`], [`PartyId`], …) and quantities carry units ([`Kg`], [`M3`],
//!   [`Meters`], [`Seconds`], [`Celsius`], [`Yuan`]).
//! - Entities: [`Party`], [`Vehicle`], [`Driver`], [`Load`], [`Waybill`], [`Payment`], [`Facility`],
//!   [`TransportEvent`]. Each implements [`Validate`], which reports every problem at once with a stable
//!   code, a field path and a message.
//! - National identifiers are checked with their check characters ([`codes`]).
//! - [`TravelCosts`] is the trait through which engines ask for road distances and times.
//!
//! ```
//! use wuliu_model::{codes, Validate, Vehicle};
//!
//! assert!(codes::validate_resident_id("11010519491231002X").is_ok());
//! let vehicle: Vehicle = serde_json::from_value(serde_json::json!({
//!     "carrier_id": "pty_1", "plate": "桂B12345", "plate_colour": "yellow", "body_type": "box",
//!     "rated_load": 18000.0, "cargo_volume": 55.0
//! })).unwrap();
//! let problems = vehicle.validate().unwrap_err();
//! assert_eq!(problems.0[0].field, "transport_certificate");
//! assert_eq!(problems.0[0].code, "vehicle.certificate_required");
//! ```
#![warn(missing_docs)]
pub mod alert;
pub mod cancel;
pub mod codes;
pub mod common;
pub mod driver;
pub mod event;
pub mod facility;
pub mod geo;
pub mod gov_tasks;
pub mod ids;
pub mod load;
pub mod party;
pub mod position;
pub mod reference;
pub mod supervision;
pub mod terminal;
pub mod travel;
pub mod units;
pub mod validation;
pub mod vehicle;
pub mod waybill;

pub use alert::{Alert, AlertStatus};
pub use cancel::{Cancel, CancelOnDrop};
pub use common::{Certificate, Place, TimeWindow};
pub use driver::{Driver, DrivingLicence};
pub use event::{EventKind, TransportEvent};
pub use facility::{Facility, FacilityKind, FacilityStatus};
pub use geo::GeoPoint;
pub use ids::*;
pub use load::{CargoClass, Load, LoadStatus};
pub use party::{Party, PartyRole};
pub use position::{Position, PositionSource};
pub use reference::{Baseline, County, PlanTarget};
pub use supervision::{IndicatorValue, ProjectReport};
pub use terminal::{Terminal, TerminalStatus};
pub use travel::{CostMatrix, Leg, StraightLine, TravelCostError, TravelCosts};
pub use units::*;
pub use validation::{Validate, Violation, Violations};
pub use vehicle::{BodyType, PlateColour, Vehicle, VehicleStatus};
pub use waybill::{Payment, Waybill, WaybillStatus};
