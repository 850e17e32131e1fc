//! Wuliu domain model. No IO.
pub mod geo;
pub mod ids;
pub mod travel;
pub mod units;
pub mod validation;

pub use geo::GeoPoint;
pub use ids::*;
pub use travel::{CostMatrix, Leg, StraightLine, TravelCostError, TravelCosts};
pub use units::*;
pub use validation::{Validate, Violation, Violations};
