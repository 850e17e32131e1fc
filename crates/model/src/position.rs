//! Vehicle positions: one GNSS fix reported by a truck's terminal (JT/T 808 0x0200) or uploaded by a
//! platform that already collects tracks.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::geo::GeoPoint;
use crate::ids::VehicleId;
use crate::validation::{Validate, Violations};

/// Highest speed a position may report, in km/h (JT/T 808 carries 0.1 km/h in a `u16`).
pub const MAX_SPEED_KMH: f64 = 300.0;

/// Where a position came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PositionSource {
    /// A terminal speaking JT/T 808 to Wuliu's gateway.
    Jt808,
    /// A platform's batch upload through `POST /api/v1/positions`.
    Upload,
}

impl PositionSource {
    /// The stable name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jt808 => "jt808",
            Self::Upload => "upload",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "jt808" => Some(Self::Jt808),
            "upload" => Some(Self::Upload),
            _ => None,
        }
    }
}

/// One GNSS fix of one vehicle. A vehicle has at most one position per instant: a second report for
/// the same `(vehicle_id, time)` is the same fix delivered twice and is stored once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// The vehicle record the terminal is bound to.
    pub vehicle_id: VehicleId,
    /// GNSS time of the fix.
    pub time: DateTime<Utc>,
    /// WGS-84 position.
    pub point: GeoPoint,
    /// Ground speed in km/h.
    #[serde(default)]
    pub speed_kmh: f64,
    /// Heading in degrees clockwise from north, 0–359.
    #[serde(default)]
    pub heading: u16,
    /// Altitude in metres.
    #[serde(default)]
    pub altitude_m: i32,
    /// JT/T 808 alarm flags (bit 0 emergency, bit 1 overspeed, bit 2 fatigue, …).
    #[serde(default)]
    pub alarm: u32,
    /// JT/T 808 status flags (bit 0 ACC on, bit 1 positioned, …).
    #[serde(default)]
    pub status: u32,
    /// Odometer in km (additional item 0x01), when reported.
    #[serde(default)]
    pub mileage_km: Option<f64>,
    /// Fuel in litres (additional item 0x02), when reported.
    #[serde(default)]
    pub fuel_l: Option<f64>,
    /// Where the fix came from.
    #[serde(default = "default_source")]
    pub source: PositionSource,
}

fn default_source() -> PositionSource {
    PositionSource::Upload
}

impl Validate for Position {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("vehicle_id", self.vehicle_id.as_str());
        self.point.check("point", v);
        if !self.speed_kmh.is_finite() || !(0.0..=MAX_SPEED_KMH).contains(&self.speed_kmh) {
            v.push(
                "position.speed_out_of_range",
                "speed_kmh",
                format!(
                    "speed {} km/h is not within 0..{MAX_SPEED_KMH}",
                    self.speed_kmh
                ),
            );
        }
        if self.heading >= 360 {
            v.push(
                "position.heading_out_of_range",
                "heading",
                format!("heading {} is not within 0..359", self.heading),
            );
        }
        for (field, value) in [("mileage_km", self.mileage_km), ("fuel_l", self.fuel_l)] {
            if let Some(x) = value {
                if !x.is_finite() || x < 0.0 {
                    v.push(
                        "position.negative_reading",
                        field,
                        format!("{field} {x} must be a finite number ≥ 0"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix() -> Position {
        serde_json::from_value(serde_json::json!({
            "vehicle_id": "veh_1", "time": "2026-12-03T08:00:00Z",
            "point": {"lat": 24.3, "lon": 109.4}, "speed_kmh": 62.5, "heading": 90
        }))
        .unwrap()
    }

    #[test]
    fn a_plain_fix_is_valid_and_defaults_to_an_upload() {
        let p = fix();
        assert!(p.validate().is_ok());
        assert_eq!(p.source, PositionSource::Upload);
    }

    #[test]
    fn out_of_range_readings_are_named() {
        let mut p = fix();
        p.speed_kmh = 512.0;
        p.heading = 400;
        p.fuel_l = Some(-1.0);
        let fields: Vec<_> = p
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|x| x.field)
            .collect();
        assert_eq!(fields, ["speed_kmh", "heading", "fuel_l"]);
    }
}
