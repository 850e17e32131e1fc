//! WGS-84 coordinates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::units::Meters;
use crate::validation::Violations;

/// Mean Earth radius used for great-circle distances (IUGG), in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point on the WGS-84 ellipsoid, in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude in degrees, −90 to 90.
    pub lat: f64,
    /// Longitude in degrees, −180 to 180.
    pub lon: f64,
}

impl GeoPoint {
    /// Builds a point, returning `None` when the coordinates are out of range or not finite.
    pub fn new(lat: f64, lon: f64) -> Option<Self> {
        let p = Self { lat, lon };
        p.is_valid().then_some(p)
    }

    /// Whether latitude and longitude are finite and within range.
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }

    /// Great-circle (haversine) distance to another point.
    pub fn haversine(&self, other: &GeoPoint) -> Meters {
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = la2 - la1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
        Meters(2.0 * EARTH_RADIUS_M * a.sqrt().asin())
    }

    /// Records a violation at `path` when the point is out of range.
    pub fn check(&self, path: &str, v: &mut Violations) {
        if !self.lat.is_finite() || !(-90.0..=90.0).contains(&self.lat) {
            v.push(
                "geo.latitude_out_of_range",
                format!("{path}.lat"),
                format!("latitude {} is not within -90..90", self.lat),
            );
        }
        if !self.lon.is_finite() || !(-180.0..=180.0).contains(&self.lon) {
            v.push(
                "geo.longitude_out_of_range",
                format!("{path}.lon"),
                format!("longitude {} is not within -180..180", self.lon),
            );
        }
    }
}
