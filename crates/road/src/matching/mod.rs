//! Map matching: which roads a GPS track drove, with a hidden Markov model (Newson & Krumm 2009,
//! as OSRM's `match` service does it).
//!
//! * **Candidates** (`candidates.rs`): every road within the search radius of a point (4σ, at
//!   least 30 m), the nearest position on each edge, at most [`MAX_CANDIDATES`] per point.
//!   Points with no candidate are unmatched (`null` tracepoints) and skipped. A point within 4σ
//!   of the previous used point is thinned out (its offset is mostly jitter; Newson & Krumm
//!   thin at 2σ): it is placed on the matched route afterwards, not used as an observation.
//! * **Emission**: Gaussian in the distance to the road, σ = the point's GPS accuracy
//!   (`radiuses`, default [`DEFAULT_GPS_SIGMA_M`] like OSRM).
//! * **Transition**: exponential in |route distance − great-circle distance| with β =
//!   [`BETA_M`]. Route distances come from a local search (Dijkstra by length from each candidate to the
//!   next point's candidates, bounded; see `local`) on the metric in force, so closed roads are avoided, or
//!   along the shared edge. A small step backwards (≤ 4σ + 10 m, GPS jitter) against a one-way
//!   edge, or against the direction just driven, or onto a road just left, is read as standing
//!   still rather than as a loop round the block. Transitions longer than 5 × the straight
//!   distance + 2 km are not considered.
//! * **Viterbi** in log space (`viterbi.rs`). A point none of whose candidates can be reached
//!   from the previous point's, or a time gap over the threshold (`gaps=split`: more than
//!   max(60 s, 10 × the median sampling interval)), ends the current matching and starts a new
//!   one; a matching of a single point is dropped (its point is unmatched).
//! * **Confidence** (ours, not OSRM's trained classifier): the mean, over the matching's points,
//!   of the chosen candidate's share of its point's Viterbi probability mass (1 when every point
//!   had one plausible road, about 0.5 when two parallel roads were equally likely).
//!
//! The driven route of each matching is built leg by leg between its matched points, with the
//! same legs, geometry and steps as [`PreparedNetwork::route`], and carries the OSM way ids
//! driven: [`PreparedNetwork::driven`] is the short form for monitoring (distance driven and
//! ways used by a vehicle's track).
//!
//! Work is bounded: at most [`MAX_MATCH_POINTS`] points and σ at most [`MAX_MATCH_RADIUS_M`].

mod build;
mod candidates;
mod local;
mod viterbi;

use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::error::{Result, RoadError};
use crate::prepared::PreparedNetwork;
use crate::route::Route;
use crate::snap::Snapped;

pub use candidates::MAX_CANDIDATES;

/// At most this many points per match request.
pub const MAX_MATCH_POINTS: usize = 500;
/// Largest accepted GPS accuracy (σ, `radiuses`), metres.
pub const MAX_MATCH_RADIUS_M: f64 = 100.0;
/// GPS accuracy assumed when none is given (OSRM's default), metres.
pub const DEFAULT_GPS_SIGMA_M: f64 = 5.0;
/// Scale of the transition probability, metres (OSRM's default).
pub const BETA_M: f64 = 10.0;
/// Smallest time gap (seconds) that splits a track with `gaps=split`.
pub const MIN_GAP_S: i64 = 60;
/// Tidying: a point within this distance of the last kept one is dropped...
const TIDY_M: f64 = 15.0;
/// ... unless it is at least this much later.
const TIDY_S: i64 = 5;

/// A map-matching request: a GPS track.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MatchRequest {
    /// The track's points in driving order (at least two, at most [`MAX_MATCH_POINTS`]).
    pub points: Vec<GeoPoint>,
    /// UNIX seconds of each point (non-decreasing); enables splitting at time gaps.
    #[serde(default)]
    pub timestamps: Option<Vec<i64>>,
    /// GPS accuracy σ of each point in metres (`None` entries: [`DEFAULT_GPS_SIGMA_M`]).
    #[serde(default)]
    pub radiuses: Option<Vec<Option<f64>>>,
    /// Split the track at large time gaps (default `true`, OSRM's `gaps=split`).
    #[serde(default = "yes")]
    pub split_gaps: bool,
    /// Drop points very close to the previous kept one (OSRM's `tidy`): within 15 m and less
    /// than 5 s later. Dropped points are unmatched.
    #[serde(default)]
    pub tidy: bool,
    /// Compute turn-by-turn steps for the legs.
    #[serde(default)]
    pub steps: bool,
}

fn yes() -> bool {
    true
}

impl MatchRequest {
    /// A request for `points` with the defaults (no timestamps, default accuracy).
    pub fn new(points: Vec<GeoPoint>) -> Self {
        MatchRequest {
            points,
            timestamps: None,
            radiuses: None,
            split_gaps: true,
            tidy: false,
            steps: false,
        }
    }
}

/// Where one track point was matched. A point within 4σ of the previous matched point is not
/// used as a waypoint (it carries jitter, not movement): it is placed on the nearest road of the
/// leg it lies on, with the `waypoint_index` of the waypoint starting that leg.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracepoint {
    /// Index of the matching the point belongs to.
    pub matchings_index: usize,
    /// Index of the point among its matching's waypoints.
    pub waypoint_index: usize,
    /// Other candidates that kept at least 1 % of the point's probability (0: unambiguous).
    pub alternatives_count: usize,
    /// `[lon, lat]` of the matched position on the road.
    pub location: [f64; 2],
    /// Name of the road.
    pub name: String,
    /// Distance from the GPS point to the matched position, metres.
    pub distance_m: f64,
}

/// One unbroken part of the track and the route driven along it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// How sure the match is, 0–1 (see the [module docs](self)).
    pub confidence: f64,
    /// The driven route: one leg per pair of consecutive matched points, geometry on the roads;
    /// its waypoints are the matched points.
    pub route: Route,
    /// Request indices of the matched points, in order.
    pub points: Vec<usize>,
    /// OSM ids of the ways driven, in driving order (consecutive repeats removed).
    pub way_ids: Vec<i64>,
}

/// The answer of [`PreparedNetwork::match_trace`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// The matchings, in track order.
    pub matchings: Vec<Matching>,
    /// One entry per request point; `None` when unmatched (no road near it, tidied away,
    /// alone between breaks, or part of a track that never moved further than 4σ).
    pub tracepoints: Vec<Option<Tracepoint>>,
}

impl MatchResult {
    /// Total distance driven over all matchings, metres (gaps between matchings not counted).
    pub fn distance_m(&self) -> f64 {
        self.matchings.iter().map(|m| m.route.distance_m).sum()
    }
}

/// What a vehicle's GPS track drove: the short answer for monitoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driven {
    /// Distance driven on the roads, metres (parts of the track that could not be matched and
    /// time gaps are not counted).
    pub distance_m: f64,
    /// OSM ids of the ways driven, in order, consecutive repeats removed.
    pub way_ids: Vec<i64>,
    /// How many of the track's points were matched to a road.
    pub matched_points: usize,
    /// The lowest confidence among the matchings (1 when there are none).
    pub confidence: f64,
}

/// The validated inputs of a match.
pub(crate) struct Track {
    pub points: Vec<GeoPoint>,
    pub times: Option<Vec<i64>>,
    pub sigma: Vec<f64>,
    /// Points to use (tidying drops some).
    pub keep: Vec<bool>,
    /// Split when consecutive used points are more than this many seconds apart.
    pub gap_s: Option<i64>,
}

fn validate(req: &MatchRequest) -> Result<Track> {
    let n = req.points.len();
    if n > MAX_MATCH_POINTS {
        return Err(RoadError::TooBig {
            what: "points",
            count: n,
            limit: MAX_MATCH_POINTS,
        });
    }
    if n < 2 {
        return Err(RoadError::InvalidRequest(
            "points: a match needs at least two points".into(),
        ));
    }
    for (i, p) in req.points.iter().enumerate() {
        if !p.is_valid() {
            return Err(RoadError::InvalidPoint {
                index: i,
                lat: p.lat,
                lon: p.lon,
            });
        }
    }
    if let Some(ts) = &req.timestamps {
        if ts.len() != n {
            return Err(RoadError::InvalidRequest(format!(
                "timestamps: {} given for {n} points",
                ts.len()
            )));
        }
        if let Some(i) = (1..n).find(|&i| ts[i] < ts[i - 1]) {
            return Err(RoadError::InvalidRequest(format!(
                "timestamps[{i}] ({}) is earlier than timestamps[{}] ({})",
                ts[i],
                i - 1,
                ts[i - 1]
            )));
        }
    }
    let sigma = sigmas(req.radiuses.as_deref(), n)?;
    let keep = if req.tidy {
        tidy(&req.points, req.timestamps.as_deref())
    } else {
        vec![true; n]
    };
    let gap_s = match (&req.timestamps, req.split_gaps) {
        (Some(ts), true) => Some(gap_threshold(ts)),
        _ => None,
    };
    Ok(Track {
        points: req.points.clone(),
        times: req.timestamps.clone(),
        sigma,
        keep,
        gap_s,
    })
}

fn sigmas(radiuses: Option<&[Option<f64>]>, n: usize) -> Result<Vec<f64>> {
    let Some(rs) = radiuses else {
        return Ok(vec![DEFAULT_GPS_SIGMA_M; n]);
    };
    if rs.len() != n {
        return Err(RoadError::InvalidRequest(format!(
            "radiuses: {} given for {n} points",
            rs.len()
        )));
    }
    rs.iter()
        .enumerate()
        .map(|(i, r)| match *r {
            None => Ok(DEFAULT_GPS_SIGMA_M),
            Some(r) if r.is_finite() && r > 0.0 && r <= MAX_MATCH_RADIUS_M => Ok(r),
            Some(r) => Err(RoadError::InvalidRequest(format!(
                "radiuses[{i}] = {r}: must be above 0 and at most {MAX_MATCH_RADIUS_M} m"
            ))),
        })
        .collect()
}

fn tidy(points: &[GeoPoint], times: Option<&[i64]>) -> Vec<bool> {
    let mut keep = vec![false; points.len()];
    let mut last = 0;
    keep[0] = true;
    for i in 1..points.len() {
        let near = points[i].haversine(&points[last]).0 < TIDY_M;
        let soon = times.is_none_or(|t| t[i] - t[last] < TIDY_S);
        if !(near && soon) || i == points.len() - 1 {
            keep[i] = true;
            last = i;
        }
    }
    keep
}

/// max(60 s, 10 × the median interval between timestamps).
fn gap_threshold(ts: &[i64]) -> i64 {
    let mut dt: Vec<i64> = ts.windows(2).map(|w| w[1] - w[0]).collect();
    dt.sort_unstable();
    let median = dt.get(dt.len() / 2).copied().unwrap_or(0);
    MIN_GAP_S.max(10 * median)
}

impl PreparedNetwork {
    /// Matches a GPS track to the roads (see the [module docs](crate::matching) for the model).
    ///
    /// Errors: more than [`MAX_MATCH_POINTS`] points ([`RoadError::TooBig`]), fewer than two,
    /// an invalid coordinate, timestamps or radiuses of the wrong count, decreasing timestamps,
    /// or a radius outside (0, [`MAX_MATCH_RADIUS_M`]]; the message names the parameter.
    /// A track far from every road is not an error: its tracepoints are all `None`.
    ///
    /// Cost: one small many-to-many hierarchy query per pair of consecutive points (at most
    /// [`MAX_CANDIDATES`] × [`MAX_CANDIDATES`]), then one route query per matched leg.
    pub fn match_trace(&self, req: &MatchRequest) -> Result<MatchResult> {
        let track = validate(req)?;
        let m = self.metric();
        let chains = candidates::match_chains(self, &m, &track);
        let mut result = MatchResult {
            matchings: Vec::new(),
            tracepoints: vec![None; track.points.len()],
        };
        for chain in chains.into_iter().filter(|c| c.points.len() >= 2) {
            let mi = result.matchings.len();
            for (wi, p) in chain.points.iter().enumerate() {
                result.tracepoints[p.point] =
                    Some(self.tracepoint(mi, wi, p.alternatives, &p.snapped));
            }
            let (matching, leg_edges) = self.driven_route(&m, &chain.points, &track, req.steps);
            for (point, wi) in chain.thinned {
                let near = |e: &u32| {
                    leg_edges.get(wi).is_some_and(|l| l.contains(e))
                        || *e == chain.points[wi].snapped.edge
                };
                let on_route = candidates::candidates_of(self, &track, point)
                    .into_iter()
                    .find(|c| near(&c.edge));
                result.tracepoints[point] = on_route.map(|c| self.tracepoint(mi, wi, 0, &c));
            }
            result.matchings.push(matching);
        }
        Ok(result)
    }

    fn tracepoint(&self, mi: usize, wi: usize, alternatives: usize, s: &Snapped) -> Tracepoint {
        let w = self.waypoint_of(s);
        Tracepoint {
            matchings_index: mi,
            waypoint_index: wi,
            alternatives_count: alternatives,
            location: w.location,
            name: w.name,
            distance_m: w.distance_m,
        }
    }

    /// Distance driven and ways used by a vehicle's GPS track, for monitoring: `points[i]` was
    /// recorded at `timestamps[i]` (UNIX seconds, non-decreasing), with GPS accuracy `sigma_m`
    /// (`None`: [`DEFAULT_GPS_SIGMA_M`]). Time gaps split the track (not counted), as
    /// [`PreparedNetwork::match_trace`] does. Call it on chunks of at most [`MAX_MATCH_POINTS`]
    /// points (overlap chunks by one point so no stretch is lost).
    pub fn driven(
        &self,
        timestamps: &[i64],
        points: &[GeoPoint],
        sigma_m: Option<f64>,
    ) -> Result<Driven> {
        let req = MatchRequest {
            points: points.to_vec(),
            timestamps: Some(timestamps.to_vec()),
            radiuses: sigma_m.map(|s| vec![Some(s); points.len()]),
            ..MatchRequest::new(Vec::new())
        };
        let r = self.match_trace(&req)?;
        let mut way_ids: Vec<i64> = Vec::new();
        for id in r.matchings.iter().flat_map(|m| m.way_ids.iter().copied()) {
            if way_ids.last() != Some(&id) {
                way_ids.push(id);
            }
        }
        Ok(Driven {
            distance_m: r.distance_m(),
            way_ids,
            matched_points: r.tracepoints.iter().flatten().count(),
            confidence: r.matchings.iter().map(|m| m.confidence).fold(1.0, f64::min),
        })
    }
}

/// One matched point of a chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MatchedPoint {
    /// Request index.
    pub point: usize,
    pub snapped: Snapped,
    /// The chosen candidate's share of the point's probability.
    pub share: f64,
    pub alternatives: usize,
    /// Whether the step from the previous matched point was read as standing still.
    pub held: bool,
}
