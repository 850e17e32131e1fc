//! Routes: path search between snapped points, geometry and turn-by-turn steps.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::bans::legs::BanWait;
use crate::bans::ActiveBans;
use crate::error::{Result, RoadError};
use crate::graph::weight_ms;
use crate::network::dist;
use crate::polyline;
use crate::prepared::{out_seeds, seeds, PreparedNetwork};
use crate::profile::Vehicle;
use crate::snap::Snapped;

/// A request for [`PreparedNetwork::route`] (our own JSON API).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RouteRequest {
    /// Points to visit in order (at least two).
    pub points: Vec<GeoPoint>,
    /// Compute turn-by-turn steps (default `false`).
    #[serde(default)]
    pub steps: bool,
    /// The requesting vehicle; must fit within the prepared class (default: the class itself).
    #[serde(default)]
    pub vehicle: Option<Vehicle>,
    /// Departure, with its UTC offset (`2026-12-07T07:30:00+08:00`), read on the network's
    /// local clock ([`PreparedNetwork::utc_offset`]): truck bans by time are honoured (the
    /// vehicle waits or goes round). Without it, bans by time are ignored.
    #[serde(default)]
    pub departure: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Where a requested point was snapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Waypoint {
    /// `[lon, lat]` of the snapped point (GeoJSON/OSRM order).
    pub location: [f64; 2],
    /// Name of the road snapped to.
    pub name: String,
    /// Distance from the requested point to the road, metres.
    pub distance_m: f64,
}

/// What a driver does at the start of a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Maneuver {
    /// OSRM maneuver type: `depart`, `turn`, `new name`, `continue`, `arrive`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `uturn`, `sharp right`, `right`, `slight right`, `straight`, `slight left`, `left`,
    /// `sharp left`; absent for depart/arrive.
    pub modifier: Option<String>,
    /// `[lon, lat]` of the maneuver.
    pub location: [f64; 2],
    /// Bearing (degrees clockwise from north) arriving at the maneuver.
    pub bearing_before: u16,
    /// Bearing leaving the maneuver.
    pub bearing_after: u16,
}

/// One turn-by-turn instruction: follow `name` for `distance_m`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Length, metres.
    pub distance_m: f64,
    /// Travel time, seconds.
    pub duration_s: f64,
    /// Road name (or `ref`), possibly empty.
    pub name: String,
    /// The maneuver that starts the step.
    pub maneuver: Maneuver,
    /// `[lon, lat]` points of the step.
    pub coordinates: Vec<[f64; 2]>,
}

/// The part of a route between two consecutive requested points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteLeg {
    /// Length, metres.
    pub distance_m: f64,
    /// Travel time, seconds.
    pub duration_s: f64,
    /// Names of the two longest roads used.
    pub summary: String,
    /// Steps (empty unless requested).
    pub steps: Vec<Step>,
    /// Stops to wait for truck bans to lift (routes with a departure time only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waits: Vec<BanWait>,
}

/// A computed route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Total length, metres.
    pub distance_m: f64,
    /// Total travel time, seconds.
    pub duration_s: f64,
    /// The route line, `[lon, lat]` points.
    pub coordinates: Vec<[f64; 2]>,
    /// One leg per pair of consecutive points.
    pub legs: Vec<RouteLeg>,
    /// Snapped request points.
    pub waypoints: Vec<Waypoint>,
}

impl Route {
    /// The line as a GeoJSON `LineString` geometry.
    pub fn geojson(&self) -> serde_json::Value {
        serde_json::json!({"type": "LineString", "coordinates": self.coordinates})
    }
    /// The line as an encoded polyline (precision 5 like Google/OSRM, or 6 for `polyline6`).
    pub fn polyline(&self, precision: u32) -> String {
        polyline::encode(&self.coordinates, precision)
    }
}

/// A piece of one edge travelled from offset `from_m` to `to_m` (metres from its `from` node).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Piece {
    pub edge: u32,
    pub from_m: f64,
    pub to_m: f64,
    /// Turn delay paid when entering this piece, milliseconds.
    pub delay_ms: u32,
}

/// The result of a leg search.
#[derive(Debug, Clone)]
pub(crate) struct LegPath {
    pub weight: u32,
    pub dist: u32,
    pub pieces: Vec<Piece>,
    /// Waits for bans: before `pieces[piece]`, at `from_ms` after the leg's start.
    pub waits: Vec<PieceWait>,
}

impl LegPath {
    /// A leg that stays on the one edge `s` and `t` share, costing `weight` ms over `dist` dm.
    pub(crate) fn along_one_edge(s: &Snapped, t: &Snapped, weight: u32, dist: u32) -> LegPath {
        LegPath {
            weight,
            dist,
            pieces: vec![Piece {
                edge: s.edge,
                from_m: s.offset_m,
                to_m: t.offset_m,
                delay_ms: 0,
            }],
            waits: Vec::new(),
        }
    }
}

/// A wait for a ban before a piece of a leg.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PieceWait {
    pub piece: usize,
    pub from_ms: u32,
    pub wait_ms: u32,
    pub ban: u32,
}

fn bearing(a: [f64; 2], b: [f64; 2]) -> f64 {
    // a, b are [lon, lat]
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dl = (b[0] - a[0]).to_radians();
    let y = dl.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

fn modifier(turn: f64) -> &'static str {
    let a = turn.abs();
    let side = if turn >= 0.0 { "right" } else { "left" };
    if a < 20.0 {
        "straight"
    } else if a < 60.0 {
        if side == "right" {
            "slight right"
        } else {
            "slight left"
        }
    } else if a < 140.0 {
        side
    } else if a < 170.0 {
        if side == "right" {
            "sharp right"
        } else {
            "sharp left"
        }
    } else {
        "uturn"
    }
}

impl PreparedNetwork {
    /// Shortest path between two snapped points; `None` when unreachable.
    pub(crate) fn leg_path(&self, s: &Snapped, t: &Snapped, want_path: bool) -> Option<LegPath> {
        let m = self.metric();
        let ps = self.phantom(&m, *s);
        let pt = self.phantom(&m, *t);
        let found =
            m.ch.shortest_path(&out_seeds(&ps.out), &seeds(&pt.inc), want_path);
        let direct = self.direct(&m, s, t);
        match (found, direct) {
            (None, None) => None,
            (found, Some((w, d, _))) if found.as_ref().is_none_or(|f| w <= f.weight) => {
                Some(LegPath::along_one_edge(s, t, w, d))
            }
            (Some(f), _) => {
                let pieces = if want_path {
                    let (_, fwd, pending) = ps.out[f.source_seed];
                    self.pieces_along(s, t, (fwd, pending), &f.arcs, pt.inc[f.target_seed].1)
                } else {
                    Vec::new()
                };
                Some(LegPath {
                    weight: f.weight,
                    dist: f.dist,
                    pieces,
                    waits: Vec::new(),
                })
            }
            (None, Some(_)) => unreachable!("handled by the guard above"),
        }
    }

    /// The pieces of a path leaving `s`'s edge in direction `out.0` (turn delay `out.1` into the
    /// first arc), following graph `arcs`, and arriving on `t`'s edge in direction `inc_fwd`.
    pub(crate) fn pieces_along(
        &self,
        s: &Snapped,
        t: &Snapped,
        (fwd, mut pending): (bool, u32),
        arcs: &[u32],
        inc_fwd: bool,
    ) -> Vec<Piece> {
        let len_of = |e: u32| self.net.edges[e as usize].length_m;
        let mut pieces = vec![Piece {
            edge: s.edge,
            from_m: s.offset_m,
            to_m: if fwd { len_of(s.edge) } else { 0.0 },
            delay_ms: 0,
        }];
        for &a in arcs {
            let arc = self.graph.arcs[a as usize];
            let l = len_of(arc.edge);
            let (from_m, to_m) = if arc.forward { (0.0, l) } else { (l, 0.0) };
            pieces.push(Piece {
                edge: arc.edge,
                from_m,
                to_m,
                delay_ms: pending,
            });
            let full = self.graph.state[arc.tail as usize][0];
            pending = arc.weight - full;
        }
        pieces.push(Piece {
            edge: t.edge,
            from_m: if inc_fwd { 0.0 } else { len_of(t.edge) },
            to_m: t.offset_m,
            delay_ms: pending,
        });
        pieces
    }

    /// `[lon, lat]` points of edge `e` between two offsets, in travel order.
    fn slice(&self, p: &Piece) -> Vec<[f64; 2]> {
        let e = &self.net.edges[p.edge as usize];
        let pts: Vec<[f64; 2]> = (e.shape_start..e.shape_end)
            .map(|k| self.net.coords[self.net.shape[k as usize] as usize])
            .collect();
        let (lo, hi) = (p.from_m.min(p.to_m), p.from_m.max(p.to_m));
        let mut out: Vec<[f64; 2]> = Vec::new();
        let mut acc = 0.0;
        let lerp =
            |a: [f64; 2], b: [f64; 2], t: f64| [a[1] + (b[1] - a[1]) * t, a[0] + (b[0] - a[0]) * t];
        for w in pts.windows(2) {
            let l = dist(w[0], w[1]);
            let (s0, s1) = (acc, acc + l);
            if s1 >= lo && s0 <= hi {
                let t0 = if l > 0.0 {
                    ((lo - s0) / l).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let t1 = if l > 0.0 {
                    ((hi - s0) / l).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                let a = lerp(w[0], w[1], t0);
                if out.last() != Some(&a) {
                    out.push(a);
                }
                out.push(lerp(w[0], w[1], t1));
            }
            acc = s1;
        }
        if out.is_empty() {
            let c = pts[0];
            out.push([c[1], c[0]]);
        }
        if p.from_m > p.to_m {
            out.reverse();
        }
        out
    }

    pub(crate) fn waypoint_of(&self, s: &Snapped) -> Waypoint {
        Waypoint {
            location: [s.location[1], s.location[0]],
            name: self.net.ways[self.net.edges[s.edge as usize].way as usize]
                .name
                .clone(),
            distance_m: s.distance_m,
        }
    }

    /// Travel time (milliseconds) and length (metres) of the fastest path between two snapped
    /// points, `None` when unreachable. The cheapest query there is: no geometry is built.
    pub fn shortest(&self, s: &Snapped, t: &Snapped) -> Option<(u32, f64)> {
        self.leg_path(s, t, false)
            .map(|p| (p.weight, f64::from(p.dist) / 10.0))
    }

    /// Routes through `points` in order. Returns `Ok(None)` when some leg is unreachable.
    ///
    /// Cost: one hierarchy query per leg (typically well under a millisecond in a city).
    pub fn route(&self, req: &RouteRequest) -> Result<Option<Route>> {
        self.check_vehicle(req.vehicle.as_ref())?;
        if req.points.len() < 2 {
            return Err(RoadError::InvalidRequest(
                "a route needs at least two points".into(),
            ));
        }
        let snapped = req
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| self.snap(i, *p))
            .collect::<Result<Vec<_>>>()?;
        let mut route = Route {
            distance_m: 0.0,
            duration_s: 0.0,
            coordinates: Vec::new(),
            legs: Vec::new(),
            waypoints: snapped.iter().map(|s| self.waypoint_of(s)).collect(),
        };
        let bans = self.bans();
        let vehicle = req.vehicle.or(self.vehicle);
        let active = req
            .departure
            .map(|d| ActiveBans::new(&bans, self.local_time(d), vehicle));
        let mut clock = 0u32;
        for w in snapped.windows(2) {
            let path = match &active {
                Some(a) => self.leg_path_at(&w[0], &w[1], a, clock),
                None => self.leg_path(&w[0], &w[1], true),
            };
            let Some(path) = path else {
                return Ok(None);
            };
            let mut leg = self.build_leg(&path, req.steps, &mut route.coordinates);
            for pw in &path.waits {
                let p = &path.pieces[pw.piece];
                let at = self.slice(p)[0];
                leg.waits.push(self.ban_wait(&bans, pw, at, clock));
                leg.duration_s += f64::from(pw.wait_ms) / 1000.0;
            }
            clock = clock.saturating_add(path.weight);
            route.distance_m += leg.distance_m;
            route.duration_s += leg.duration_s;
            route.legs.push(leg);
        }
        Ok(Some(route))
    }

    /// Routes many requests in parallel (rayon); results in request order.
    pub fn route_batch(&self, reqs: &[RouteRequest]) -> Vec<Result<Option<Route>>> {
        reqs.par_iter().map(|r| self.route(r)).collect()
    }

    pub(crate) fn build_leg(
        &self,
        path: &LegPath,
        want_steps: bool,
        line: &mut Vec<[f64; 2]>,
    ) -> RouteLeg {
        struct Part {
            name: String,
            len: f64,
            dur: f64,
            pts: Vec<[f64; 2]>,
        }
        let mut parts: Vec<Part> = Vec::new();
        for p in &path.pieces {
            let e = &self.net.edges[p.edge as usize];
            let way = &self.net.ways[e.way as usize];
            let len = (p.to_m - p.from_m).abs();
            let full = f64::from(weight_ms(e.length_m, way.speed_kmh) + e.penalty_ms) / 1000.0;
            let dur = if e.length_m > 0.0 {
                full * len / e.length_m
            } else {
                0.0
            } + f64::from(p.delay_ms) / 1000.0;
            let pts = self.slice(p);
            for &c in &pts {
                if line.last() != Some(&c) {
                    line.push(c);
                }
            }
            match parts.last_mut() {
                Some(last) if last.name == way.name => {
                    last.len += len;
                    last.dur += dur;
                    last.pts.extend(pts);
                    last.pts.dedup();
                }
                _ => parts.push(Part {
                    name: way.name.clone(),
                    len,
                    dur,
                    pts,
                }),
            }
        }
        let distance_m: f64 = parts.iter().map(|p| p.len).sum();
        let duration_s: f64 = parts.iter().map(|p| p.dur).sum();
        let mut by_len: Vec<&Part> = parts.iter().filter(|p| !p.name.is_empty()).collect();
        by_len.sort_by(|a, b| b.len.total_cmp(&a.len));
        let mut names: Vec<&str> = Vec::new();
        for p in by_len {
            if !names.contains(&p.name.as_str()) && names.len() < 2 {
                names.push(&p.name);
            }
        }
        let summary = names.join(", ");
        let mut steps = Vec::new();
        if want_steps && !parts.is_empty() {
            let mut prev_bearing = 0.0;
            for (i, p) in parts.iter().enumerate() {
                let after = if p.pts.len() >= 2 {
                    bearing(p.pts[0], p.pts[1])
                } else {
                    prev_bearing
                };
                let (kind, modif) = if i == 0 {
                    ("depart", None)
                } else {
                    let mut turn = after - prev_bearing;
                    if turn > 180.0 {
                        turn -= 360.0;
                    } else if turn <= -180.0 {
                        turn += 360.0;
                    }
                    let m = modifier(turn);
                    (
                        if m == "straight" { "new name" } else { "turn" },
                        Some(m.to_string()),
                    )
                };
                steps.push(Step {
                    distance_m: p.len,
                    duration_s: p.dur,
                    name: p.name.clone(),
                    maneuver: Maneuver {
                        kind: kind.to_string(),
                        modifier: modif,
                        location: p.pts[0],
                        bearing_before: if i == 0 {
                            0
                        } else {
                            prev_bearing.round() as u16 % 360
                        },
                        bearing_after: after.round() as u16 % 360,
                    },
                    coordinates: p.pts.clone(),
                });
                let n = p.pts.len();
                if n >= 2 {
                    prev_bearing = bearing(p.pts[n - 2], p.pts[n - 1]);
                }
            }
            let last = *parts.last().unwrap().pts.last().unwrap();
            steps.push(Step {
                distance_m: 0.0,
                duration_s: 0.0,
                name: parts.last().unwrap().name.clone(),
                maneuver: Maneuver {
                    kind: "arrive".into(),
                    modifier: None,
                    location: last,
                    bearing_before: prev_bearing.round() as u16 % 360,
                    bearing_after: 0,
                },
                coordinates: vec![last, last],
            });
        }
        RouteLeg {
            distance_m,
            duration_s,
            summary,
            steps,
            waits: Vec::new(),
        }
    }
}
