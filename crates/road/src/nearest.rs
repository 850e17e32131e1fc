//! The nearest roads to a point (OSRM's `nearest` service).

use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::error::{Result, RoadError};
use crate::prepared::PreparedNetwork;

/// At most this many roads per nearest request (OSRM's `number` is unbounded by default).
pub const MAX_NEAREST: usize = 100;
/// The first search radius; it grows fourfold until enough roads are found or the network's
/// snapping radius is reached, metres.
const FIRST_RADIUS_M: f64 = 100.0;

/// One road near a point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nearest {
    /// `[lon, lat]` of the nearest position on the road.
    pub location: [f64; 2],
    /// Distance from the point to that position, metres.
    pub distance_m: f64,
    /// Road name (or `ref`), possibly empty.
    pub name: String,
    /// OSM id of the way.
    pub way_id: i64,
    /// The road edge's end intersections (Wuliu's intersection indices, see
    /// [`crate::RoadNetwork::node_location`]; OSM node ids are not kept in prepared networks).
    pub nodes: [u32; 2],
}

impl PreparedNetwork {
    /// The `number` (1 to [`MAX_NEAREST`]) roads nearest to `point` within the snapping radius,
    /// nearest first, one position per road edge.
    ///
    /// Errors: an invalid point, `number` outside 1–100 (the message names `number`), or no
    /// usable road within the snapping radius ([`RoadError::NoRoadNearby`]).
    pub fn nearest(&self, point: GeoPoint, number: usize) -> Result<Vec<Nearest>> {
        if !point.is_valid() {
            return Err(RoadError::InvalidPoint {
                index: 0,
                lat: point.lat,
                lon: point.lon,
            });
        }
        if number == 0 || number > MAX_NEAREST {
            return Err(RoadError::InvalidRequest(format!(
                "number = {number}: must be 1 to {MAX_NEAREST}"
            )));
        }
        let mut radius = FIRST_RADIUS_M.min(self.snap_radius_m);
        let found = loop {
            let found = self
                .snap
                .within(&self.net, point.lat, point.lon, radius, number);
            if found.len() >= number || radius >= self.snap_radius_m {
                break found;
            }
            radius = (radius * 4.0).min(self.snap_radius_m);
        };
        if found.is_empty() {
            return Err(RoadError::NoRoadNearby {
                index: 0,
                radius_m: self.snap_radius_m,
            });
        }
        Ok(found
            .iter()
            .map(|s| {
                let e = &self.net.edges[s.edge as usize];
                let w = self.waypoint_of(s);
                Nearest {
                    location: w.location,
                    distance_m: w.distance_m,
                    name: w.name,
                    way_id: self.net.ways[e.way as usize].osm_id,
                    nodes: [e.from, e.to],
                }
            })
            .collect())
    }
}
