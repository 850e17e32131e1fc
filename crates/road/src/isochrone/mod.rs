//! Isochrones: the area reachable from a point within some minutes (or, `reverse`, the area from
//! which the point can be reached), as GeoJSON polygons like Valhalla's `/isochrone`.
//!
//! [`PreparedNetwork::isochrone`] snaps the point, runs one bounded Dijkstra on the edge-based
//! graph for the largest contour (`search.rs`; closed roads under the live metric are never
//! entered, so closures shrink the area), then turns the reached road stretches, including the
//! part of the last edge driven before time ran out, into polygons (`polygon.rs`: a raster of
//! earliest times, marching squares, Douglas–Peucker). Geometry is our own (about 300 lines)
//! rather than the `geo`/`contour` crates: neither is in the workspace's lock file, and what is
//! needed here (a boolean raster, nested contours from one raster, ring orientation) is small.
//!
//! Bounds: at most [`MAX_CONTOURS`] contours of at most [`MAX_CONTOUR_MINUTES`] minutes; the
//! search settles only what is reachable within the largest, and the raster has at most
//! [`MAX_CELLS`] cells.

mod polygon;
mod search;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_model::GeoPoint;

use crate::error::{Result, RoadError};
use crate::prepared::PreparedNetwork;
use crate::profile::Vehicle;

/// At most this many contours per request.
pub const MAX_CONTOURS: usize = 4;
/// The largest contour allowed, minutes.
pub const MAX_CONTOUR_MINUTES: f64 = 120.0;
/// The raster behind the outlines never has more cells than this (its cells grow instead).
pub const MAX_CELLS: usize = 4_000_000;
/// The largest `generalize_m` allowed, metres.
pub const MAX_GENERALIZE_M: f64 = 1_000.0;

/// A request for [`PreparedNetwork::isochrone`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IsochroneRequest {
    /// The centre.
    pub point: GeoPoint,
    /// Contours in minutes (1 to [`MAX_CONTOURS`], each above 0 and at most
    /// [`MAX_CONTOUR_MINUTES`], no repeats), e.g. `[5, 10, 15]`.
    pub contours_minutes: Vec<f64>,
    /// `false` (default): where one can get from the point; `true`: from where one can get to it.
    #[serde(default)]
    pub reverse: bool,
    /// Drop areas smaller than this share (0–1) of a contour's largest area. Default 0: every
    /// area is kept (Valhalla defaults to 1, the largest only).
    #[serde(default)]
    pub denoise: f64,
    /// Douglas–Peucker tolerance in metres (default: 40 % of the grid cell, 12–80 m).
    #[serde(default)]
    pub generalize_m: Option<f64>,
    /// The requesting vehicle; must fit within the prepared class.
    #[serde(default)]
    pub vehicle: Option<Vehicle>,
}

/// One contour: the area within `minutes`, as polygons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contour {
    /// The contour's time, minutes.
    pub minutes: f64,
    /// Polygons, largest first: the outer ring (counter-clockwise) then its holes (clockwise);
    /// rings are closed lists of `[lon, lat]`.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// The result of [`PreparedNetwork::isochrone`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Isochrone {
    /// The snapped centre, `[lon, lat]`.
    pub location: [f64; 2],
    /// Whether the contours are times *to* the centre.
    pub reverse: bool,
    /// Side of the raster's cells, metres (the outlines' resolution).
    pub cell_m: f64,
    /// Road stretches reached within the largest contour.
    pub reached: usize,
    /// Contours, largest first (Valhalla's order, so smaller ones draw on top).
    pub contours: Vec<Contour>,
}

fn ring_contains(ring: &[[f64; 2]], p: GeoPoint) -> bool {
    let r: Vec<(f64, f64)> = ring.iter().map(|c| (c[0], c[1])).collect();
    polygon::contains(&r, (p.lon, p.lat))
}

impl Contour {
    /// Whether `p` lies inside the contour (inside an outer ring and none of its holes).
    pub fn contains(&self, p: GeoPoint) -> bool {
        self.polygons.iter().any(|poly| {
            ring_contains(&poly[0], p) && !poly[1..].iter().any(|h| ring_contains(h, p))
        })
    }
}

const COLOURS: [&str; MAX_CONTOURS] = ["bf4040", "bfaa40", "40bf55", "406abf"];

impl Isochrone {
    /// A GeoJSON `FeatureCollection` like Valhalla's: one feature per contour, largest first,
    /// with `properties.contour` (minutes) and `metric: "time"`. `polygons`: `Polygon` or
    /// `MultiPolygon` geometries; otherwise the rings as `LineString`/`MultiLineString`.
    pub fn geojson(&self, polygons: bool) -> Value {
        let features: Vec<Value> = self
            .contours
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let colour = format!("#{}", COLOURS[i % COLOURS.len()]);
                let geometry = match (polygons, c.polygons.len()) {
                    (true, 1) => json!({"type": "Polygon", "coordinates": c.polygons[0]}),
                    (true, _) => json!({"type": "MultiPolygon", "coordinates": c.polygons}),
                    (false, _) => {
                        let rings: Vec<&Vec<[f64; 2]>> = c.polygons.iter().flatten().collect();
                        if rings.len() == 1 {
                            json!({"type": "LineString", "coordinates": rings[0]})
                        } else {
                            json!({"type": "MultiLineString", "coordinates": rings})
                        }
                    }
                };
                json!({
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {
                        "contour": c.minutes, "metric": "time",
                        "color": colour, "fill": colour, "fillColor": colour,
                        "opacity": 0.33, "fill-opacity": 0.33, "fillOpacity": 0.33,
                    },
                })
            })
            .collect();
        json!({"type": "FeatureCollection", "features": features})
    }
}

fn invalid(field: &str, reason: impl std::fmt::Display) -> RoadError {
    RoadError::InvalidRequest(format!("{field}: {reason}"))
}

/// Checks the request's numbers; returns the contours in minutes, ascending.
fn validate(req: &IsochroneRequest) -> Result<Vec<f64>> {
    let c = &req.contours_minutes;
    if c.is_empty() || c.len() > MAX_CONTOURS {
        return Err(invalid(
            "contours_minutes",
            format!("1 to {MAX_CONTOURS} contours are allowed, got {}", c.len()),
        ));
    }
    for (i, &m) in c.iter().enumerate() {
        if !(m.is_finite() && m > 0.0 && m <= MAX_CONTOUR_MINUTES) {
            return Err(invalid(
                &format!("contours_minutes[{i}]"),
                format!("{m} is not above 0 and at most {MAX_CONTOUR_MINUTES} minutes"),
            ));
        }
        if c[..i].contains(&m) {
            return Err(invalid(
                &format!("contours_minutes[{i}]"),
                format!("{m} is repeated"),
            ));
        }
    }
    if !(0.0..=1.0).contains(&req.denoise) {
        return Err(invalid(
            "denoise",
            format!("{} is not within 0 to 1", req.denoise),
        ));
    }
    if let Some(g) = req.generalize_m {
        if !(0.0..=MAX_GENERALIZE_M).contains(&g) {
            return Err(invalid(
                "generalize_m",
                format!("{g} is not within 0 to {MAX_GENERALIZE_M} metres"),
            ));
        }
    }
    let mut sorted = c.clone();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

fn ms(minutes: f64) -> u32 {
    (minutes * 60_000.0).round() as u32
}

impl PreparedNetwork {
    /// The area reachable from `req.point` within each contour (or, with `reverse`, from which
    /// the point is reachable), under the roads open now.
    ///
    /// Cost: a Dijkstra over what the largest contour reaches (a 60-minute isochrone of a small
    /// country settles all of it in milliseconds) plus a raster of at most
    /// [`MAX_CELLS`] cells; `reverse` also indexes the turns by head in O(turns).
    pub fn isochrone(&self, req: &IsochroneRequest) -> Result<Isochrone> {
        self.check_vehicle(req.vehicle.as_ref())?;
        let contours = validate(req)?;
        let centre = self.snap(0, req.point)?;
        let m = self.metric();
        let limit = ms(*contours.last().expect("validated: at least one"));
        let reaches = if req.reverse {
            search::backward(self, &m, &centre, limit)
        } else {
            search::forward(self, &m, &centre, limit)
        };
        let raster = polygon::raster(&self.net, &reaches, limit, centre.location);
        let tolerance = req.generalize_m.unwrap_or(raster.cell * 0.4);
        Ok(Isochrone {
            location: [centre.location[1], centre.location[0]],
            reverse: req.reverse,
            cell_m: raster.cell,
            reached: reaches.len(),
            contours: contours
                .iter()
                .rev()
                .map(|&minutes| Contour {
                    minutes,
                    polygons: raster.polygons(ms(minutes), tolerance, req.denoise),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::metric::Metric;
    use crate::{OsmData, OsmWay, Profile, RoadNetwork};

    const fn at(lon: f64) -> GeoPoint {
        GeoPoint { lat: 24.30, lon }
    }

    /// A straight primary road of four ~1 km edges eastwards from 109.40.
    fn line() -> PreparedNetwork {
        let tags = vec![("highway".to_string(), "primary".to_string())];
        let data = OsmData {
            nodes: (0..5)
                .map(|i| (i + 1, 24.30, 109.40 + 0.01 * i as f64))
                .collect(),
            ways: (0..4)
                .map(|i| OsmWay {
                    id: 10 + i,
                    nodes: vec![i + 1, i + 2],
                    tags: tags.clone(),
                })
                .collect(),
            ..OsmData::default()
        };
        PreparedNetwork::prepare(RoadNetwork::from_osm(&data, Profile::Car).unwrap(), None)
    }

    /// Closing a road (in the live metric, as run-time closures do) shrinks the area both ways.
    #[test]
    fn a_closed_road_shrinks_the_area() {
        let p = line();
        for reverse in [false, true] {
            let req = IsochroneRequest {
                point: at(109.40),
                contours_minutes: vec![10.0],
                reverse,
                denoise: 0.0,
                generalize_m: None,
                vehicle: None,
            };
            let open = p.isochrone(&req).unwrap();
            assert!(open.contours[0].contains(at(109.435)));
            let closed_edge = p.snap(0, at(109.425)).unwrap().edge as usize;
            let m = p.metric();
            let mut w = m.state_weight.clone();
            w[2 * closed_edge] = u32::MAX;
            w[2 * closed_edge + 1] = u32::MAX;
            *p.metric.write().unwrap() = Arc::new(Metric {
                state_weight: w,
                ..(*m).clone()
            });
            let closed = p.isochrone(&req).unwrap();
            assert!(
                !closed.contours[0].contains(at(109.435)),
                "beyond the closure"
            );
            assert!(closed.contours[0].contains(at(109.415)), "before it");
            assert!(closed.reached < open.reached);
            *p.metric.write().unwrap() = m;
        }
    }
}
