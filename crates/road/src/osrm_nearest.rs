//! OSRM-compatible `nearest/v1` responses: `GET /nearest/v1/{profile}/{lon,lat}?number=`.
//!
//! `number` is 1 (default) to [`MAX_NEAREST`]. Each waypoint has OSRM's `nodes`, `location`,
//! `distance` and `name`, plus `way_id` (the OSM way). `nodes` are Wuliu's intersection indices
//! of the road edge's ends, not OSM node ids (prepared networks do not keep those).

use serde::{Deserialize, Serialize};

use crate::error::RoadError;
use crate::nearest::MAX_NEAREST;
use crate::osrm::parse_coordinates;
use crate::prepared::PreparedNetwork;

/// Query options of `nearest/v1`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NearestOptions {
    /// How many roads to answer, 1 (default) to 100.
    #[serde(default)]
    pub number: Option<String>,
}

/// One road near the coordinate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearestWaypoint {
    /// The road edge's end intersections (Wuliu indices).
    pub nodes: [u32; 2],
    /// `[lon, lat]` of the nearest position on the road.
    pub location: [f64; 2],
    /// Distance from the coordinate, metres.
    pub distance: f64,
    /// Road name.
    pub name: String,
    /// OSM way id.
    pub way_id: i64,
}

/// The body of a `nearest/v1` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearestResponse {
    /// `Ok` or an error code (`InvalidQuery`, `InvalidValue`, `InvalidOptions`, `NoSegment`).
    pub code: String,
    /// Error message when `code` is not `Ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The roads, nearest first.
    #[serde(default)]
    pub waypoints: Vec<NearestWaypoint>,
}

impl NearestResponse {
    /// HTTP status OSRM uses for this response: 200 for `Ok`, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        if self.code == "Ok" {
            200
        } else {
            400
        }
    }
    fn error(code: &str, message: String) -> Self {
        NearestResponse {
            code: code.into(),
            message: Some(message),
            waypoints: vec![],
        }
    }
}

/// Answers `GET /nearest/v1/{profile}/{coordinates}?number=`. Never fails: errors become an
/// OSRM error response.
pub fn nearest(net: &PreparedNetwork, coordinates: &str, opts: &NearestOptions) -> NearestResponse {
    let point = match parse_coordinates(coordinates) {
        Ok(p) if p.len() == 1 => p[0],
        Ok(p) => {
            return NearestResponse::error(
                "InvalidQuery",
                format!("nearest takes exactly one coordinate, {} given", p.len()),
            )
        }
        Err(m) => return NearestResponse::error("InvalidQuery", m),
    };
    let number = match opts.number.as_deref().map(str::parse::<usize>) {
        None => 1,
        Some(Ok(n)) if (1..=MAX_NEAREST).contains(&n) => n,
        Some(_) => {
            return NearestResponse::error(
                "InvalidOptions",
                format!("number must be an integer from 1 to {MAX_NEAREST}"),
            )
        }
    };
    match net.nearest(point, number) {
        Ok(found) => NearestResponse {
            code: "Ok".into(),
            message: None,
            waypoints: found
                .into_iter()
                .map(|n| NearestWaypoint {
                    nodes: n.nodes,
                    location: n.location,
                    distance: (n.distance_m * 10.0).round() / 10.0,
                    name: n.name,
                    way_id: n.way_id,
                })
                .collect(),
        },
        Err(e @ RoadError::NoRoadNearby { .. }) => {
            NearestResponse::error("NoSegment", e.to_string())
        }
        Err(e) => NearestResponse::error("InvalidValue", e.to_string()),
    }
}
