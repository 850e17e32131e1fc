//! Loads (freight orders) posted by shippers, with their lifecycle.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::common::{Place, TimeWindow};
use crate::ids::{PartyId, VehicleId};
use crate::units::{Dimensions, Kg, TemperatureRange, Yuan, M3};
use crate::validation::{Validate, Violations};

/// What kind of cargo a load is, with what that implies for the vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CargoClass {
    /// Ordinary goods.
    General,
    /// Temperature-controlled goods that must stay within `temperature`.
    ColdChain {
        /// Required temperature range.
        temperature: TemperatureRange,
    },
    /// Dangerous goods (GB 6944 class, e.g. "3" for flammable liquids), with the UN number.
    DangerousGoods {
        /// GB 6944 / UN class, "1" to "9" with optional division (e.g. "2.1").
        class: String,
        /// UN number, e.g. "UN1203".
        #[serde(default)]
        un_number: Option<String>,
    },
}

/// Lifecycle of a load: open → matched → in_transit → delivered, or cancelled before transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum LoadStatus {
    /// Posted, waiting for a vehicle.
    #[default]
    Open,
    /// A vehicle has accepted it.
    Matched,
    /// Picked up and on the road.
    InTransit,
    /// Handed over at destination.
    Delivered,
    /// Withdrawn.
    Cancelled,
}

impl LoadStatus {
    /// The statuses this one may move to.
    pub fn next(self) -> &'static [LoadStatus] {
        use LoadStatus::*;
        match self {
            Open => &[Matched, Cancelled],
            Matched => &[InTransit, Open, Cancelled],
            InTransit => &[Delivered],
            Delivered | Cancelled => &[],
        }
    }
}

/// A freight order: goods to move from an origin to a destination within time windows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Load {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Shipper party that posted the load.
    pub shipper_id: PartyId,
    /// Pickup place.
    pub origin: Place,
    /// Delivery place.
    pub destination: Place,
    /// When the goods can be picked up.
    pub pickup_window: TimeWindow,
    /// When the goods must be delivered.
    pub delivery_window: TimeWindow,
    /// Description of the goods.
    pub goods: String,
    /// Cargo class.
    pub cargo: CargoClass,
    /// Gross weight.
    pub weight: Kg,
    /// Volume.
    pub volume: M3,
    /// Number of packages.
    pub packages: u32,
    /// Dimensions of the largest single package, if any exceeds a pallet.
    #[serde(default)]
    pub largest_package: Option<Dimensions>,
    /// Freight price offered by the shipper.
    pub price_offered: Yuan,
    /// Vehicles whose carrier declined this load (车货匹配 "拒单"): matching no longer offers the
    /// load to them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined_by: Vec<VehicleId>,
    /// Lifecycle state.
    #[serde(default)]
    pub status: LoadStatus,
}

impl Validate for Load {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("shipper_id", self.shipper_id.as_str());
        self.origin.check("origin", v);
        self.destination.check("destination", v);
        self.pickup_window.check("pickup_window", v);
        self.delivery_window.check("delivery_window", v);
        if self.delivery_window.end < self.pickup_window.start {
            v.push(
                "load.delivery_before_pickup",
                "delivery_window.end",
                "delivery window ends before the pickup window starts",
            );
        }
        v.require_text("goods", &self.goods);
        v.require_positive("weight", self.weight.0, false);
        v.require_positive("volume", self.volume.0, false);
        if self.packages == 0 {
            v.push("out_of_range", "packages", "packages must be at least 1");
        }
        v.require_positive("price_offered", self.price_offered.0, true);
        match &self.cargo {
            CargoClass::ColdChain { temperature } if temperature.min.0 > temperature.max.0 => v
                .push(
                    "temperature_range.reversed",
                    "cargo.temperature.min",
                    "cargo temperature min is above max",
                ),
            CargoClass::DangerousGoods { class, .. } => {
                let ok = class
                    .chars()
                    .next()
                    .is_some_and(|c| ('1'..='9').contains(&c))
                    && class.chars().all(|c| c.is_ascii_digit() || c == '.');
                if !ok {
                    v.push(
                        "load.dangerous_class_invalid",
                        "cargo.class",
                        format!("'{class}' is not a GB 6944 class (1-9)"),
                    );
                }
            }
            _ => {}
        }
    }
}
