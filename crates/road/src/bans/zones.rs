//! A city's own truck-ban zones (货车限行区): a polygon, the hours, and the vehicle classes
//! banned, loadable from GeoJSON.
//!
//! ```json
//! {"type": "FeatureCollection", "features": [{
//!   "type": "Feature",
//!   "properties": {"id": "core-peak", "name": "城中区高峰限行",
//!                  "hours": "Mo-Fr 07:00-09:00,17:00-19:30", "vehicles": ["heavy", "medium"]},
//!   "geometry": {"type": "Polygon", "coordinates": [[[109.40, 24.31], [109.43, 24.31], ...]]}}]}
//! ```
//!
//! `vehicles` defaults to every truck class. Classes follow the Chinese registration classes by
//! gross weight: `light` below 4.5 t, `medium` 4.5 t to below 12 t, `heavy` 12 t and above.

use serde::{Deserialize, Serialize};

use super::hours::BanHours;
use crate::closures::{ChangeEffect, ChangeTarget, RoadChange, MAX_POLYGON_POINTS};
use crate::error::{Result, RoadError};
use crate::profile::Vehicle;

/// Most ban zones in force at once.
pub const MAX_ZONES: usize = 1_000;

/// A truck class by gross weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VehicleClass {
    /// Below 4.5 t (轻型).
    Light,
    /// 4.5 t to below 12 t (中型).
    Medium,
    /// 12 t and above (重型).
    Heavy,
}

impl VehicleClass {
    /// Every class.
    pub const ALL: [VehicleClass; 3] = [
        VehicleClass::Light,
        VehicleClass::Medium,
        VehicleClass::Heavy,
    ];

    /// The class of `vehicle`.
    pub fn of(vehicle: &Vehicle) -> VehicleClass {
        let t = vehicle.gross_weight.0 / 1000.0;
        if t >= 12.0 {
            VehicleClass::Heavy
        } else if t >= 4.5 {
            VehicleClass::Medium
        } else {
            VehicleClass::Light
        }
    }
}

/// One ban zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BanZone {
    /// Identifier, unique among the zones in force.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// When the ban applies, `opening_hours` syntax.
    pub hours: String,
    /// Classes banned.
    pub vehicles: Vec<VehicleClass>,
    /// The outer ring, `[lon, lat]` points.
    pub polygon: Vec<[f64; 2]>,
}

impl BanZone {
    /// The zone as a live road change: its polygon, banned by its hours for its classes.
    pub fn into_change(self) -> RoadChange {
        RoadChange {
            id: self.id,
            target: ChangeTarget::Polygon(self.polygon),
            effect: ChangeEffect::Banned {
                hours: self.hours,
                vehicles: self.vehicles,
            },
        }
    }
}

fn bad(at: String, why: impl std::fmt::Display) -> RoadError {
    RoadError::InvalidRequest(format!("{at}: {why}"))
}

/// Reads zones from a GeoJSON `FeatureCollection` of `Polygon` or `MultiPolygon` features
/// (one zone per polygon; the polygons of a MultiPolygon get ids `id#1`, `id#2`, …). An error
/// names the feature and the field (`features[3].properties.hours: …`); nothing is returned
/// unless every feature is valid.
pub fn zones_from_geojson(doc: &serde_json::Value) -> Result<Vec<BanZone>> {
    let features = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| {
            bad(
                "features".into(),
                "a FeatureCollection needs a features array",
            )
        })?;
    let mut zones = Vec::new();
    for (i, f) in features.iter().enumerate() {
        zones.extend(zone_of_feature(i, f)?);
    }
    check_zones(&zones)?;
    Ok(zones)
}

fn zone_of_feature(i: usize, f: &serde_json::Value) -> Result<Vec<BanZone>> {
    let at = |field: &str| format!("features[{i}].{field}");
    let props = &f["properties"];
    let id = props["id"]
        .as_str()
        .ok_or_else(|| bad(at("properties.id"), "a string is required"))?;
    let hours = props["hours"].as_str().ok_or_else(|| {
        bad(
            at("properties.hours"),
            "an opening_hours string is required",
        )
    })?;
    let vehicles = match &props["vehicles"] {
        serde_json::Value::Null => VehicleClass::ALL.to_vec(),
        v => serde_json::from_value(v.clone()).map_err(|e| {
            bad(
                at("properties.vehicles"),
                format!("{e} (expected a list of light, medium, heavy)"),
            )
        })?,
    };
    BanHours::parse(hours).map_err(|e| bad(at("properties.hours"), e))?;
    let name = props["name"].as_str().unwrap_or_default().to_string();
    let coords = &f["geometry"]["coordinates"];
    let polygons: Vec<&serde_json::Value> = match f["geometry"]["type"].as_str() {
        Some("Polygon") => vec![coords],
        Some("MultiPolygon") => coords
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        other => {
            return Err(bad(
                at("geometry.type"),
                format!("{other:?}: a Polygon or MultiPolygon is required"),
            ))
        }
    };
    let mut out = Vec::new();
    for (k, poly) in polygons.iter().enumerate() {
        let ring: Vec<[f64; 2]> = serde_json::from_value(poly[0].clone()).map_err(|e| {
            bad(
                at("geometry.coordinates"),
                format!("{e} (expected rings of [lon, lat])"),
            )
        })?;
        let id = if polygons.len() > 1 {
            format!("{id}#{}", k + 1)
        } else {
            id.to_string()
        };
        out.push(BanZone {
            id,
            name: name.clone(),
            hours: hours.to_string(),
            vehicles: vehicles.clone(),
            polygon: ring,
        });
    }
    Ok(out)
}

/// Checks a whole set of zones: ids unique and non-empty, hours parse, polygons sane.
pub fn check_zones(zones: &[BanZone]) -> Result<()> {
    if zones.len() > MAX_ZONES {
        return Err(RoadError::TooBig {
            what: "ban zones",
            count: zones.len(),
            limit: MAX_ZONES,
        });
    }
    let mut ids = std::collections::HashSet::new();
    for (i, z) in zones.iter().enumerate() {
        let at = |field: &str| format!("zones[{i}] ({:?}).{field}", z.id);
        if z.id.trim().is_empty() || z.id.len() > 200 {
            return Err(bad(at("id"), "must be 1 to 200 characters"));
        }
        if !ids.insert(z.id.as_str()) {
            return Err(bad(at("id"), "is used twice"));
        }
        BanHours::parse(&z.hours).map_err(|e| bad(at("hours"), e))?;
        if z.vehicles.is_empty() {
            return Err(bad(at("vehicles"), "names no vehicle class"));
        }
        if z.polygon.len() < 3 || z.polygon.len() > MAX_POLYGON_POINTS {
            return Err(bad(
                at("polygon"),
                format!(
                    "needs 3 to {MAX_POLYGON_POINTS} points, got {}",
                    z.polygon.len()
                ),
            ));
        }
        if let Some(p) = z.polygon.iter().find(|p| {
            !(p[0].is_finite() && p[1].is_finite() && p[0].abs() <= 180.0 && p[1].abs() <= 90.0)
        }) {
            return Err(bad(
                at("polygon"),
                format!("{p:?} is not a [lon, lat] point"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square() -> serde_json::Value {
        json!([[
            [109.40, 24.30],
            [109.41, 24.30],
            [109.41, 24.31],
            [109.40, 24.31],
            [109.40, 24.30]
        ]])
    }

    #[test]
    fn a_feature_collection_becomes_zones() {
        let doc = json!({"type": "FeatureCollection", "features": [{
            "type": "Feature",
            "properties": {"id": "core", "name": "城中", "hours": "Mo-Fr 07:00-09:00", "vehicles": ["heavy"]},
            "geometry": {"type": "Polygon", "coordinates": square()}}]});
        let z = zones_from_geojson(&doc).unwrap();
        assert_eq!(z.len(), 1);
        assert_eq!(z[0].vehicles, vec![VehicleClass::Heavy]);
        assert_eq!(z[0].polygon.len(), 5);
    }

    #[test]
    fn errors_name_the_feature_and_field() {
        let doc = json!({"features": [
            {"properties": {"id": "a", "hours": "07:00-09:00"}, "geometry": {"type": "Polygon", "coordinates": square()}},
            {"properties": {"id": "b", "hours": "whenever"}, "geometry": {"type": "Polygon", "coordinates": square()}}]});
        let e = zones_from_geojson(&doc).unwrap_err().to_string();
        assert!(e.contains("features[1].properties.hours"), "{e}");
        let doc = json!({"features": [{"properties": {"id": "a", "hours": "07:00-09:00", "vehicles": ["bus"]},
            "geometry": {"type": "Polygon", "coordinates": square()}}]});
        let e = zones_from_geojson(&doc).unwrap_err().to_string();
        assert!(e.contains("features[0].properties.vehicles"), "{e}");
        let doc = json!({"features": [{"properties": {"id": "a", "hours": "07:00-09:00"},
            "geometry": {"type": "Point", "coordinates": [109.4, 24.3]}}]});
        let e = zones_from_geojson(&doc).unwrap_err().to_string();
        assert!(e.contains("features[0].geometry.type"), "{e}");
    }

    #[test]
    fn classes_by_gross_weight() {
        assert_eq!(VehicleClass::of(&Vehicle::light_van()), VehicleClass::Light);
        assert_eq!(
            VehicleClass::of(&Vehicle::heavy_truck()),
            VehicleClass::Heavy
        );
    }
}
