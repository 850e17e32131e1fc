//! OSRM-compatible `trip/v1` responses: the fastest order to visit the given coordinates.
//!
//! `GET /trip/v1/{profile}/{coordinates}?roundtrip=&source=&destination=&steps=&geometries=&overview=`
//! answers OSRM's body: `trips` (one route, legs in visiting order, a round trip's last leg
//! back to the start) and `waypoints` in input order, each with `trips_index` (always 0) and
//! `waypoint_index` (its position in the trip). Differences from OSRM: every combination of
//! `roundtrip`, `source` and `destination` is answered (OSRM refuses an open trip with both ends
//! free as `NotImplemented`); points that cannot all reach one another answer `NoTrips` rather
//! than one trip per connected group; at most [`MAX_TRIP_POINTS`] coordinates.

use serde::{Deserialize, Serialize};

use crate::error::RoadError;
use crate::osrm::{parse_coordinates, to_osrm_route, Route, RouteOptions};
use crate::prepared::PreparedNetwork;
use crate::trip::{TripRequest, TripShape, MAX_TRIP_POINTS};

fn yes() -> bool {
    true
}
fn any() -> String {
    "any".into()
}
fn polyline() -> String {
    "polyline".into()
}
fn simplified() -> String {
    "simplified".into()
}

/// Query options of `trip/v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripOptions {
    /// Return to the first coordinate (default `true`).
    #[serde(default = "yes")]
    pub roundtrip: bool,
    /// `any` (default) or `first`: start at the first coordinate.
    #[serde(default = "any")]
    pub source: String,
    /// `any` (default) or `last`: end at the last coordinate.
    #[serde(default = "any")]
    pub destination: String,
    /// Return steps (default `false`).
    #[serde(default)]
    pub steps: bool,
    /// `polyline` (default), `polyline6` or `geojson`.
    #[serde(default = "polyline")]
    pub geometries: String,
    /// `simplified` (default), `full` or `false`.
    #[serde(default = "simplified")]
    pub overview: String,
    /// Accepted and ignored.
    #[serde(default)]
    pub annotations: Option<String>,
}

impl Default for TripOptions {
    fn default() -> Self {
        TripOptions {
            roundtrip: true,
            source: any(),
            destination: any(),
            steps: false,
            geometries: polyline(),
            overview: simplified(),
            annotations: None,
        }
    }
}

/// An input coordinate snapped, with its place in the trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripWaypoint {
    /// Opaque hint (not produced by Wuliu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Distance from the input coordinate to the snapped one, metres.
    pub distance: f64,
    /// Name of the road snapped to.
    pub name: String,
    /// `[lon, lat]` of the snapped point.
    pub location: [f64; 2],
    /// Index of the trip in `trips` (always 0).
    pub trips_index: usize,
    /// Position of the point within its trip.
    pub waypoint_index: usize,
}

/// The body of a `trip/v1` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripResponse {
    /// `Ok`, `InvalidQuery`, `InvalidValue`, `InvalidOptions`, `NoSegment` or `NoTrips`.
    pub code: String,
    /// Error message when `code` is not `Ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The trip (one), as an OSRM route.
    #[serde(default)]
    pub trips: Vec<Route>,
    /// Input coordinates in input order.
    #[serde(default)]
    pub waypoints: Vec<TripWaypoint>,
}

impl TripResponse {
    /// HTTP status OSRM uses for this response: 200 for `Ok`, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        if self.code == "Ok" {
            200
        } else {
            400
        }
    }
    fn error(code: &str, message: String) -> Self {
        TripResponse {
            code: code.into(),
            message: Some(message),
            trips: vec![],
            waypoints: vec![],
        }
    }
}

/// The trip's shape from the options, or the option at fault.
fn shape(opts: &TripOptions) -> Result<TripShape, String> {
    let fix_first = match opts.source.as_str() {
        "any" => false,
        "first" => true,
        s => return Err(format!("source: {s} is neither any nor first")),
    };
    let fix_last = match opts.destination.as_str() {
        "any" => false,
        "last" => true,
        s => return Err(format!("destination: {s} is neither any nor last")),
    };
    if !matches!(
        opts.geometries.as_str(),
        "polyline" | "polyline6" | "geojson"
    ) {
        return Err(format!("geometries: {} is not supported", opts.geometries));
    }
    if !matches!(opts.overview.as_str(), "simplified" | "full" | "false") {
        return Err(format!("overview: {} is not supported", opts.overview));
    }
    Ok(TripShape {
        roundtrip: opts.roundtrip,
        fix_first,
        fix_last,
    })
}

/// Answers `GET /trip/v1/{profile}/{coordinates}?{options}`. Never fails: errors become an
/// OSRM error response (`code` ≠ `Ok`).
pub fn trip(net: &PreparedNetwork, coordinates: &str, opts: &TripOptions) -> TripResponse {
    let shape = match shape(opts) {
        Ok(s) => s,
        Err(m) => return TripResponse::error("InvalidOptions", m),
    };
    let points = match parse_coordinates(coordinates) {
        Ok(p) if (2..=MAX_TRIP_POINTS).contains(&p.len()) => p,
        Ok(p) => {
            return TripResponse::error(
                "InvalidQuery",
                format!(
                    "coordinates: 2 to {MAX_TRIP_POINTS} are needed, got {}",
                    p.len()
                ),
            )
        }
        Err(m) => return TripResponse::error("InvalidQuery", m),
    };
    let req = TripRequest {
        points,
        shape,
        steps: opts.steps,
        vehicle: None,
    };
    let t = match net.trip(&req) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return TripResponse::error(
                "NoTrips",
                "the coordinates cannot all be reached from one another".into(),
            )
        }
        Err(e) => {
            let code = match e {
                RoadError::NoRoadNearby { .. } => "NoSegment",
                RoadError::InvalidPoint { .. } => "InvalidValue",
                _ => "InvalidQuery",
            };
            return TripResponse::error(code, e.to_string());
        }
    };
    let mut position = vec![0; t.order.len()];
    for (k, &i) in t.order.iter().enumerate() {
        position[i] = k;
    }
    let route_opts = RouteOptions {
        steps: opts.steps,
        geometries: opts.geometries.clone(),
        overview: opts.overview.clone(),
        ..RouteOptions::default()
    };
    TripResponse {
        code: "Ok".into(),
        message: None,
        trips: vec![to_osrm_route(&t.route, &route_opts)],
        waypoints: t
            .waypoints
            .iter()
            .zip(position)
            .map(|(w, k)| TripWaypoint {
                hint: None,
                distance: (w.distance_m * 10.0).round() / 10.0,
                name: w.name.clone(),
                location: w.location,
                trips_index: 0,
                waypoint_index: k,
            })
            .collect(),
    }
}
