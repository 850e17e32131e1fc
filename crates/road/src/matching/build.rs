//! The driven route of a matching: legs between its matched points, on the roads.

use crate::metric::Metric;
use crate::prepared::PreparedNetwork;
use crate::route::{Route, RouteLeg};
use crate::snap::Snapped;

use super::candidates::jitter_m;
use super::{MatchedPoint, Matching, Track};

impl PreparedNetwork {
    /// Whether moving from `cur` to `t` is GPS jitter rather than driving: a short step back
    /// against the direction of travel on the same edge (or against a one-way edge).
    fn is_jitter(
        &self,
        m: &Metric,
        cur: &Snapped,
        t: &Snapped,
        heading: Option<bool>,
        tol: f64,
    ) -> bool {
        if cur.edge != t.edge || (t.offset_m - cur.offset_m).abs() > tol {
            return false;
        }
        let dir = t.offset_m >= cur.offset_m;
        match heading {
            Some(h) => dir != h,
            None => m.cost_of(&self.graph, t.edge, dir).is_none(),
        }
    }

    /// Whether `t`, on another edge than `cur`, lies a short way back (within `tol` metres of
    /// driving from `t` to `cur`) while going on to it takes a detour (`ahead_dm` decimetres).
    fn is_step_back(&self, cur: &Snapped, t: &Snapped, ahead_dm: u32, tol: f64) -> bool {
        let ahead = f64::from(ahead_dm) / 10.0;
        cur.edge != t.edge
            && ahead > 2.0 * tol
            && self.shortest(t, cur).is_some_and(|(_, back)| back <= tol)
    }

    /// Builds the route driven through the chain's matched points and the ways it uses; also
    /// the edges of each leg.
    pub(super) fn driven_route(
        &self,
        m: &Metric,
        chain: &[MatchedPoint],
        track: &Track,
        steps: bool,
    ) -> (Matching, Vec<Vec<u32>>) {
        let mut route = Route {
            distance_m: 0.0,
            duration_s: 0.0,
            coordinates: Vec::new(),
            legs: Vec::new(),
            waypoints: chain.iter().map(|p| self.waypoint_of(&p.snapped)).collect(),
        };
        let mut way_ids: Vec<i64> = Vec::new();
        let mut leg_edges: Vec<Vec<u32>> = Vec::new();
        let (mut cur, mut cur_point) = (chain[0].snapped, chain[0].point);
        let mut heading: Option<bool> = None;
        for p in &chain[1..] {
            let tol = jitter_m(track.sigma[cur_point], track.sigma[p.point]);
            let path = if p.held || self.is_jitter(m, &cur, &p.snapped, heading, tol) {
                None
            } else {
                self.leg_path(&cur, &p.snapped, true)
                    .filter(|f| !self.is_step_back(&cur, &p.snapped, f.dist, tol))
            };
            let Some(path) = path else {
                route.legs.push(RouteLeg {
                    distance_m: 0.0,
                    duration_s: 0.0,
                    summary: String::new(),
                    steps: Vec::new(),
                    waits: Vec::new(),
                });
                leg_edges.push(vec![cur.edge, p.snapped.edge]);
                continue;
            };
            let leg = self.build_leg(&path, steps, &mut route.coordinates);
            leg_edges.push(path.pieces.iter().map(|x| x.edge).collect());
            for piece in &path.pieces {
                let id = self.net.ways[self.net.edges[piece.edge as usize].way as usize].osm_id;
                if way_ids.last() != Some(&id) && piece.from_m != piece.to_m {
                    way_ids.push(id);
                }
            }
            if let Some(last) = path.pieces.iter().rev().find(|x| x.from_m != x.to_m) {
                heading = (last.edge == p.snapped.edge).then_some(last.to_m > last.from_m);
            }
            route.distance_m += leg.distance_m;
            route.duration_s += leg.duration_s;
            route.legs.push(leg);
            (cur, cur_point) = (p.snapped, p.point);
        }
        if route.coordinates.len() < 2 {
            let at = [cur.location[1], cur.location[0]];
            route.coordinates = vec![at, at];
        }
        let matching = Matching {
            confidence: chain.iter().map(|p| p.share).sum::<f64>() / chain.len() as f64,
            route,
            points: chain.iter().map(|p| p.point).collect(),
            way_ids,
        };
        (matching, leg_edges)
    }
}
