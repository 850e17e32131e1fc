//! Vehicles: plate, body, capacities, refrigeration and certificates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::validate_plate;
use crate::common::Certificate;
use crate::geo::GeoPoint;
use crate::ids::PartyId;
use crate::units::{Dimensions, Kg, TemperatureRange, M3};
use crate::validation::{Validate, Violations};

/// Rated load above which a road transport certificate (道路运输证) is required.
pub const CERTIFICATE_THRESHOLD: Kg = Kg(4500.0);

/// Plate colour with the code used by the national network-freight records (JT/T 697.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlateColour {
    /// 蓝色, code 1.
    Blue,
    /// 黄色, code 2.
    Yellow,
    /// 黑色, code 3.
    Black,
    /// 白色, code 4.
    White,
    /// 绿色, code 5.
    Green,
    /// 黄绿色 (large new-energy vehicles), code 93.
    YellowGreen,
    /// 渐变绿 (small new-energy vehicles), code 94.
    GradientGreen,
    /// 其他, code 9.
    Other,
}

impl PlateColour {
    /// The numeric colour code of the national records.
    pub fn code(self) -> u8 {
        match self {
            Self::Blue => 1,
            Self::Yellow => 2,
            Self::Black => 3,
            Self::White => 4,
            Self::Green => 5,
            Self::YellowGreen => 93,
            Self::GradientGreen => 94,
            Self::Other => 9,
        }
    }

    /// The colour with a numeric code (JT/T 808 and the national records use the same codes).
    pub fn from_code(code: u8) -> Option<Self> {
        [
            Self::Blue,
            Self::Yellow,
            Self::Black,
            Self::White,
            Self::Green,
            Self::YellowGreen,
            Self::GradientGreen,
            Self::Other,
        ]
        .into_iter()
        .find(|c| c.code() == code)
    }
}

/// Body type of a goods vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BodyType {
    /// Closed box (厢式).
    Box,
    /// Flatbed (平板).
    Flatbed,
    /// Open high-sided (高栏).
    HighSided,
    /// Tanker (罐式).
    Tanker,
    /// Refrigerated box (冷藏).
    Refrigerated,
    /// Container chassis (集装箱).
    Container,
    /// Car carrier (轿运车), for finished vehicles.
    CarCarrier,
    /// Light van (面包车/小型厢货).
    Van,
    /// Dump truck (自卸).
    Dump,
}

/// Operational state of a vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum VehicleStatus {
    /// Free for new loads.
    #[default]
    Available,
    /// On a trip.
    Busy,
    /// In the workshop.
    Maintenance,
    /// Out of service.
    Retired,
}

/// A goods vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vehicle {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Carrier party that operates the vehicle.
    pub carrier_id: PartyId,
    /// Plate number, e.g. `桂B12345`.
    pub plate: String,
    /// Plate colour.
    pub plate_colour: PlateColour,
    /// Body type.
    pub body_type: BodyType,
    /// Rated (approved) load.
    pub rated_load: Kg,
    /// Cargo space volume.
    pub cargo_volume: M3,
    /// Inner dimensions of the cargo space.
    #[serde(default)]
    pub inner_dimensions: Option<Dimensions>,
    /// Temperature range the refrigeration unit can hold; required for refrigerated bodies.
    #[serde(default)]
    pub refrigeration: Option<TemperatureRange>,
    /// Dangerous-goods classes (GB 6944, e.g. "3", "8") the vehicle is approved for.
    #[serde(default)]
    pub dangerous_goods_classes: Vec<String>,
    /// Road transport certificate (道路运输证); required above 4.5 t rated load.
    #[serde(default)]
    pub transport_certificate: Option<Certificate>,
    /// Home base.
    #[serde(default)]
    pub home_base: Option<GeoPoint>,
    /// Operational state.
    #[serde(default)]
    pub status: VehicleStatus,
}

impl Validate for Vehicle {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("carrier_id", self.carrier_id.as_str());
        if let Err(e) = validate_plate(&self.plate) {
            v.push(
                "vehicle.plate_invalid",
                "plate",
                format!("plate number: {e}"),
            );
        }
        v.require_positive("rated_load", self.rated_load.0, false);
        v.require_positive("cargo_volume", self.cargo_volume.0, false);
        if let Some(d) = &self.inner_dimensions {
            v.require_positive("inner_dimensions.length", d.length.0, false);
            v.require_positive("inner_dimensions.width", d.width.0, false);
            v.require_positive("inner_dimensions.height", d.height.0, false);
            if d.volume().0 > 0.0 && self.cargo_volume.0 > d.volume().0 * 1.01 {
                v.push(
                    "vehicle.volume_exceeds_dimensions",
                    "cargo_volume",
                    format!(
                        "cargo volume {} exceeds the inner dimensions' {:.2} m³",
                        self.cargo_volume,
                        d.volume().0
                    ),
                );
            }
        }
        match (&self.refrigeration, self.body_type) {
            (None, BodyType::Refrigerated) => v.push(
                "vehicle.refrigeration_required",
                "refrigeration",
                "a refrigerated body needs its temperature range",
            ),
            (Some(r), _) if r.min.0 > r.max.0 => v.push(
                "temperature_range.reversed",
                "refrigeration.min",
                "refrigeration min is above max",
            ),
            _ => {}
        }
        match &self.transport_certificate {
            Some(c) => c.check("transport_certificate", v),
            None if self.rated_load.0 > CERTIFICATE_THRESHOLD.0 => v.push(
                "vehicle.certificate_required",
                "transport_certificate",
                format!("vehicles above {CERTIFICATE_THRESHOLD} rated load need a road transport certificate"),
            ),
            None => {}
        }
        if let Some(p) = &self.home_base {
            p.check("home_base", v);
        }
    }
}
