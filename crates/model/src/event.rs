//! Transport and warehouse events exchanged between TMS/WMS systems.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::{FacilityId, PartyId, VehicleId, WaybillId};
use crate::units::Celsius;
use crate::validation::{Validate, Violations};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Goods picked up at origin.
    PickedUp,
    /// Vehicle departed a place.
    Departed,
    /// Vehicle arrived at a place.
    Arrived,
    /// Goods delivered to the consignee.
    Delivered,
    /// Goods received into a warehouse (入库).
    WarehouseIn,
    /// Goods shipped out of a warehouse (出库).
    WarehouseOut,
    /// A position report.
    Position,
    /// Something went wrong (damage, delay, accident).
    Exception,
}

/// A transport or warehouse event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransportEvent {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Party that reports the event (carrier or warehouse operator).
    pub reporter_id: PartyId,
    /// What happened.
    pub kind: EventKind,
    /// When it happened.
    pub time: DateTime<Utc>,
    /// Waybill concerned, if any.
    #[serde(default)]
    pub waybill_id: Option<WaybillId>,
    /// Vehicle concerned, if any.
    #[serde(default)]
    pub vehicle_id: Option<VehicleId>,
    /// Facility where it happened, if any.
    #[serde(default)]
    pub facility_id: Option<FacilityId>,
    /// Where it happened.
    #[serde(default)]
    pub point: Option<GeoPoint>,
    /// Cargo temperature reading, for cold chain.
    #[serde(default)]
    pub temperature: Option<Celsius>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

impl Validate for TransportEvent {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("reporter_id", self.reporter_id.as_str());
        if let Some(p) = &self.point {
            p.check("point", v);
        }
        if self.waybill_id.is_none() && self.vehicle_id.is_none() && self.facility_id.is_none() {
            v.push(
                "event.subject_required",
                "waybill_id",
                "an event needs a waybill, vehicle or facility",
            );
        }
    }
}
