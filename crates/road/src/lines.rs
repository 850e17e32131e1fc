//! The network's roads inside a box, as polylines for drawing (the console's base map).

use crate::network::{RoadNetwork, WayInfo};

/// One road edge (between two intersections) as a polyline.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadLine<'a> {
    /// `[lon, lat]` points, GeoJSON order.
    pub coords: Vec<[f64; 2]>,
    /// The way it belongs to.
    pub way: &'a WayInfo,
    /// Drivable in one direction only.
    pub oneway: bool,
}

impl RoadNetwork {
    /// The edges meeting `bbox` = `[west, south, east, north]` whose way `rank` gives a rank to (lower
    /// first; `None` leaves it out), at most `limit` of them, lowest ranks kept when more match.
    /// Returns the lines and whether some were left out.
    ///
    /// Cost: one pass over the edges' shape points (no index), then a sort of the matches.
    pub fn lines_in_bbox(
        &self,
        bbox: [f64; 4],
        rank: impl Fn(&WayInfo) -> Option<u8>,
        limit: usize,
    ) -> (Vec<RoadLine<'_>>, bool) {
        let [w, s, e, n] = bbox;
        let mut hits: Vec<(u8, usize)> = Vec::new();
        for (i, edge) in self.edges.iter().enumerate() {
            let Some(r) = rank(&self.ways[edge.way as usize]) else {
                continue;
            };
            let pts = &self.shape[edge.shape_start as usize..edge.shape_end as usize];
            let (mut lo_lat, mut lo_lon, mut hi_lat, mut hi_lon) = (90.0, 180.0, -90.0, -180.0);
            for &p in pts {
                let [lat, lon] = self.coords[p as usize];
                lo_lat = f64::min(lo_lat, lat);
                hi_lat = f64::max(hi_lat, lat);
                lo_lon = f64::min(lo_lon, lon);
                hi_lon = f64::max(hi_lon, lon);
            }
            if hi_lon >= w && lo_lon <= e && hi_lat >= s && lo_lat <= n {
                hits.push((r, i));
            }
        }
        let truncated = hits.len() > limit;
        if truncated {
            hits.sort_unstable();
            hits.truncate(limit);
        }
        let lines = hits
            .into_iter()
            .map(|(_, i)| {
                let edge = &self.edges[i];
                let coords = self.shape[edge.shape_start as usize..edge.shape_end as usize]
                    .iter()
                    .map(|&p| {
                        let [lat, lon] = self.coords[p as usize];
                        [lon, lat]
                    })
                    .collect();
                RoadLine {
                    coords,
                    way: &self.ways[edge.way as usize],
                    oneway: edge.forward != edge.backward,
                }
            })
            .collect();
        (lines, truncated)
    }

    /// Whether the network is synthetic: every way has a negative OSM ID, which in OSM means "not in
    /// the database" (the `wuliu-synthroad` generator's networks).
    pub fn is_synthetic(&self) -> bool {
        !self.ways.is_empty() && self.ways.iter().all(|w| w.osm_id < 0)
    }
}
