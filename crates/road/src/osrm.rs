//! OSRM-compatible `route/v1` and `table/v1` responses, with OSRM's documented field names, so
//! that existing OSRM clients work unchanged.
//!
//! The server passes the `{coordinates}` path segment (`lon,lat;lon,lat...`) and the
//! deserialized query string to [`route`] or [`table`] and returns the JSON of the response with
//! [`RouteResponse::http_status`]/[`TableResponse::http_status`]. Differences from OSRM:
//! `overview=simplified` applies Douglas–Peucker with a tolerance of 1/500 of the route's
//! bounding-box diagonal (1–100 m) instead of OSRM's zoom-level table; `alternatives` is accepted
//! and ignored;
//! `weight` equals `duration` (`weight_name` is `duration`); `hint` is not produced.

use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::error::RoadError;
use crate::prepared::PreparedNetwork;
use crate::route::{Route as OurRoute, RouteRequest};
use crate::table::TableRequest;

/// An OSRM waypoint (snapped input coordinate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    /// Opaque hint (not produced by Wuliu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Distance from the input coordinate to the snapped one, metres.
    pub distance: f64,
    /// Name of the road snapped to.
    pub name: String,
    /// `[lon, lat]` of the snapped point.
    pub location: [f64; 2],
}

/// A GeoJSON `LineString`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineString {
    /// Always `LineString`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `[lon, lat]` points.
    pub coordinates: Vec<[f64; 2]>,
}

/// A geometry as OSRM returns it: an encoded polyline string or a GeoJSON line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Geometry {
    /// `geometries=polyline` or `polyline6`.
    Polyline(String),
    /// `geometries=geojson`.
    GeoJson(LineString),
}

/// An OSRM step maneuver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepManeuver {
    /// `[lon, lat]` of the maneuver.
    pub location: [f64; 2],
    /// Bearing before the maneuver, degrees.
    pub bearing_before: u16,
    /// Bearing after the maneuver, degrees.
    pub bearing_after: u16,
    /// Maneuver type (`depart`, `turn`, `new name`, `arrive`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Direction modifier (`left`, `slight right`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
}

/// An OSRM intersection (only the maneuver location is reported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intersection {
    /// `[lon, lat]`.
    pub location: [f64; 2],
    /// Bearings of the roads at the intersection that the route uses.
    pub bearings: Vec<u16>,
    /// Whether each bearing may be entered.
    pub entry: Vec<bool>,
}

/// An OSRM route step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteStep {
    /// Metres.
    pub distance: f64,
    /// Seconds.
    pub duration: f64,
    /// Equal to `duration`.
    pub weight: f64,
    /// Road name.
    pub name: String,
    /// Always `driving`.
    pub mode: String,
    /// Always `right` (Wuliu targets right-hand traffic).
    pub driving_side: String,
    /// Geometry of the step.
    pub geometry: Geometry,
    /// The maneuver that starts the step.
    pub maneuver: StepManeuver,
    /// Intersections passed (the maneuver's only).
    pub intersections: Vec<Intersection>,
}

/// An OSRM route leg.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteLeg {
    /// Metres.
    pub distance: f64,
    /// Seconds.
    pub duration: f64,
    /// Equal to `duration`.
    pub weight: f64,
    /// Main road names.
    pub summary: String,
    /// Steps (empty unless `steps=true`).
    pub steps: Vec<RouteStep>,
}

/// An OSRM route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Metres.
    pub distance: f64,
    /// Seconds.
    pub duration: f64,
    /// Equal to `duration`.
    pub weight: f64,
    /// `duration`.
    pub weight_name: String,
    /// The route line; absent with `overview=false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geometry: Option<Geometry>,
    /// One leg per pair of consecutive coordinates.
    pub legs: Vec<RouteLeg>,
}

/// The body of a `route/v1` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteResponse {
    /// `Ok`, `InvalidQuery`, `InvalidValue`, `InvalidOptions`, `NoSegment` or `NoRoute`.
    pub code: String,
    /// Error message when `code` is not `Ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Routes (one).
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Snapped input coordinates.
    #[serde(default)]
    pub waypoints: Vec<Waypoint>,
}

/// The body of a `table/v1` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableResponse {
    /// `Ok` or an error code.
    pub code: String,
    /// Error message when `code` is not `Ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Seconds, `null` for unreachable pairs; present unless only distances were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durations: Option<Vec<Vec<Option<f64>>>>,
    /// Metres, `null` for unreachable pairs; present when `annotations` includes `distance`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distances: Option<Vec<Vec<Option<f64>>>>,
    /// Snapped sources.
    #[serde(default)]
    pub sources: Vec<Waypoint>,
    /// Snapped destinations.
    #[serde(default)]
    pub destinations: Vec<Waypoint>,
}

fn default_geometries() -> String {
    "polyline".into()
}
fn default_overview() -> String {
    "simplified".into()
}

/// Query options of `route/v1` (deserialize from the query string).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteOptions {
    /// Return steps (default `false`).
    #[serde(default)]
    pub steps: bool,
    /// `polyline` (default), `polyline6` or `geojson`.
    #[serde(default = "default_geometries")]
    pub geometries: String,
    /// `simplified` (default), `full` or `false`.
    #[serde(default = "default_overview")]
    pub overview: String,
    /// Accepted and ignored (one route is returned).
    #[serde(default)]
    pub alternatives: Option<String>,
    /// Accepted and ignored.
    #[serde(default)]
    pub annotations: Option<String>,
    /// Wuliu extension: departure time (RFC 3339; write `+` as `%2B` in a URL, or use `Z`):
    /// truck bans by time in force along the way are honoured.
    #[serde(default)]
    pub departure: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Default for RouteOptions {
    fn default() -> Self {
        Self {
            steps: false,
            geometries: default_geometries(),
            overview: default_overview(),
            alternatives: None,
            annotations: None,
            departure: None,
        }
    }
}

/// Query options of `table/v1`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TableOptions {
    /// `all` (default) or `;`-separated coordinate indices.
    #[serde(default)]
    pub sources: Option<String>,
    /// `all` (default) or `;`-separated coordinate indices.
    #[serde(default)]
    pub destinations: Option<String>,
    /// `duration` (default), `distance` or `duration,distance`.
    #[serde(default)]
    pub annotations: Option<String>,
}

impl RouteResponse {
    /// HTTP status OSRM uses for this response: 200 for `Ok`, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        if self.code == "Ok" {
            200
        } else {
            400
        }
    }
    fn error(code: &str, message: String) -> Self {
        Self {
            code: code.into(),
            message: Some(message),
            routes: vec![],
            waypoints: vec![],
        }
    }
}

impl TableResponse {
    /// HTTP status OSRM uses for this response: 200 for `Ok`, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        if self.code == "Ok" {
            200
        } else {
            400
        }
    }
    fn error(code: &str, message: String) -> Self {
        Self {
            code: code.into(),
            message: Some(message),
            durations: None,
            distances: None,
            sources: vec![],
            destinations: vec![],
        }
    }
}

/// Parses OSRM's `lon,lat;lon,lat;...` coordinate list.
pub fn parse_coordinates(s: &str) -> Result<Vec<GeoPoint>, String> {
    s.split(';')
        .enumerate()
        .map(|(i, pair)| {
            let (lon, lat) = pair
                .split_once(',')
                .ok_or_else(|| format!("coordinate {i} is not lon,lat"))?;
            let lon: f64 = lon
                .trim()
                .parse()
                .map_err(|_| format!("coordinate {i}: bad longitude"))?;
            let lat: f64 = lat
                .trim()
                .parse()
                .map_err(|_| format!("coordinate {i}: bad latitude"))?;
            GeoPoint::new(lat, lon).ok_or_else(|| format!("coordinate {i} is out of range"))
        })
        .collect()
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn geometry(coords: &[[f64; 2]], kind: &str) -> Geometry {
    match kind {
        "geojson" => Geometry::GeoJson(LineString {
            kind: "LineString".into(),
            coordinates: coords.to_vec(),
        }),
        "polyline6" => Geometry::Polyline(crate::polyline::encode(coords, 6)),
        _ => Geometry::Polyline(crate::polyline::encode(coords, 5)),
    }
}

fn waypoint(w: &crate::route::Waypoint) -> Waypoint {
    Waypoint {
        hint: None,
        distance: w.distance_m,
        name: w.name.clone(),
        location: w.location,
    }
}

fn error_code(e: &RoadError) -> &'static str {
    match e {
        RoadError::NoRoadNearby { .. } => "NoSegment",
        RoadError::InvalidPoint { .. } => "InvalidValue",
        _ => "InvalidQuery",
    }
}

fn simplified(coords: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for c in coords {
        x0 = x0.min(c[0]);
        x1 = x1.max(c[0]);
        y0 = y0.min(c[1]);
        y1 = y1.max(c[1]);
    }
    if coords.is_empty() {
        return Vec::new();
    }
    let diag = GeoPoint { lat: y0, lon: x0 }
        .haversine(&GeoPoint { lat: y1, lon: x1 })
        .0;
    crate::polyline::simplify(coords, (diag / 500.0).clamp(1.0, 100.0))
}

/// Converts one of our routes into OSRM's shape.
pub fn to_osrm_route(r: &OurRoute, opts: &RouteOptions) -> Route {
    let legs = r
        .legs
        .iter()
        .map(|l| RouteLeg {
            distance: round1(l.distance_m),
            duration: round1(l.duration_s),
            weight: round1(l.duration_s),
            summary: l.summary.clone(),
            steps: l
                .steps
                .iter()
                .map(|s| RouteStep {
                    distance: round1(s.distance_m),
                    duration: round1(s.duration_s),
                    weight: round1(s.duration_s),
                    name: s.name.clone(),
                    mode: "driving".into(),
                    driving_side: "right".into(),
                    geometry: geometry(&s.coordinates, &opts.geometries),
                    maneuver: StepManeuver {
                        location: s.maneuver.location,
                        bearing_before: s.maneuver.bearing_before,
                        bearing_after: s.maneuver.bearing_after,
                        kind: s.maneuver.kind.clone(),
                        modifier: s.maneuver.modifier.clone(),
                    },
                    intersections: vec![Intersection {
                        location: s.maneuver.location,
                        bearings: vec![s.maneuver.bearing_after],
                        entry: vec![true],
                    }],
                })
                .collect(),
        })
        .collect();
    Route {
        distance: round1(r.distance_m),
        duration: round1(r.duration_s),
        weight: round1(r.duration_s),
        weight_name: "duration".into(),
        geometry: match opts.overview.as_str() {
            "false" => None,
            "full" => Some(geometry(&r.coordinates, &opts.geometries)),
            _ => Some(geometry(&simplified(&r.coordinates), &opts.geometries)),
        },
        legs,
    }
}

/// Answers `GET /route/v1/{profile}/{coordinates}?{options}`. Never fails: errors become an
/// OSRM error response (`code` ≠ `Ok`).
pub fn route(net: &PreparedNetwork, coordinates: &str, opts: &RouteOptions) -> RouteResponse {
    if !matches!(
        opts.geometries.as_str(),
        "polyline" | "polyline6" | "geojson"
    ) || !matches!(opts.overview.as_str(), "simplified" | "full" | "false")
    {
        return RouteResponse::error(
            "InvalidOptions",
            "unsupported geometries or overview".into(),
        );
    }
    let points = match parse_coordinates(coordinates) {
        Ok(p) if p.len() >= 2 => p,
        Ok(_) => {
            return RouteResponse::error(
                "InvalidQuery",
                "at least two coordinates are needed".into(),
            )
        }
        Err(m) => return RouteResponse::error("InvalidQuery", m),
    };
    let req = RouteRequest {
        points,
        steps: opts.steps,
        vehicle: None,
        departure: opts.departure,
    };
    match net.route(&req) {
        Ok(Some(r)) => RouteResponse {
            code: "Ok".into(),
            message: None,
            waypoints: r.waypoints.iter().map(waypoint).collect(),
            routes: vec![to_osrm_route(&r, opts)],
        },
        Ok(None) => RouteResponse::error("NoRoute", "Impossible route between points".into()),
        Err(e) => RouteResponse::error(error_code(&e), e.to_string()),
    }
}

fn indices(spec: Option<&str>, n: usize) -> Result<Vec<usize>, String> {
    match spec {
        None | Some("all") => Ok((0..n).collect()),
        Some(s) => s
            .split(';')
            .map(|x| {
                x.parse::<usize>()
                    .ok()
                    .filter(|&i| i < n)
                    .ok_or_else(|| format!("index {x} is not a coordinate index"))
            })
            .collect(),
    }
}

/// Answers `GET /table/v1/{profile}/{coordinates}?{options}`. Never fails: errors become an
/// OSRM error response. Unreachable pairs are `null`.
pub fn table(net: &PreparedNetwork, coordinates: &str, opts: &TableOptions) -> TableResponse {
    let points = match parse_coordinates(coordinates) {
        Ok(p) => p,
        Err(m) => return TableResponse::error("InvalidQuery", m),
    };
    let (src, dst) = match (
        indices(opts.sources.as_deref(), points.len()),
        indices(opts.destinations.as_deref(), points.len()),
    ) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(m), _) | (_, Err(m)) => return TableResponse::error("InvalidOptions", m),
    };
    let ann = opts.annotations.as_deref().unwrap_or("duration");
    let (want_dur, want_dist) = (ann.contains("duration"), ann.contains("distance"));
    if !want_dur && !want_dist {
        return TableResponse::error("InvalidOptions", format!("unknown annotations {ann}"));
    }
    let req = TableRequest {
        sources: src.iter().map(|&i| points[i]).collect(),
        targets: Some(dst.iter().map(|&i| points[i]).collect()),
        vehicle: None,
        departure: None,
    };
    match net.table(&req) {
        Ok(t) => {
            let round = |m: Vec<Vec<Option<f64>>>| {
                m.into_iter()
                    .map(|row| row.into_iter().map(|c| c.map(round1)).collect())
                    .collect()
            };
            TableResponse {
                code: "Ok".into(),
                message: None,
                durations: want_dur.then(|| round(t.durations_s)),
                distances: want_dist.then(|| round(t.distances_m)),
                sources: t.sources.iter().map(waypoint).collect(),
                destinations: t.targets.iter().map(waypoint).collect(),
            }
        }
        Err(e) => TableResponse::error(error_code(&e), e.to_string()),
    }
}
