//! OSRM-compatible `match/v1` responses: the server passes the `{coordinates}` path segment and
//! the query string ([`MatchOptions`]) to [`match_trace`] and returns the JSON of the
//! [`MatchResponse`] with [`MatchResponse::http_status`].
//!
//! Parameters as OSRM documents them: `timestamps` (UNIX seconds, `;`-separated, one per
//! coordinate), `radiuses` (GPS accuracy σ in metres, empty entries take the default 5 m; at most
//! 100 m), `geometries`, `overview`, `steps`, `gaps` (`split` or `ignore`), `tidy`;
//! `annotations` and `waypoints` are accepted and ignored (every matched point is a waypoint).
//! Codes: `Ok`, `NoMatch` (nothing could be matched), `TooBig` (more than
//! [`MAX_MATCH_POINTS`](crate::matching::MAX_MATCH_POINTS) coordinates), `InvalidQuery`,
//! `InvalidValue`, `InvalidOptions` (the message names the parameter). `confidence` is ours (see
//! [`crate::matching`]), not OSRM's trained classifier.

use serde::{Deserialize, Serialize};

use crate::error::RoadError;
use crate::matching::{MatchRequest, Tracepoint as OurTracepoint};
use crate::osrm::{parse_coordinates, to_osrm_route, Route, RouteOptions};
use crate::prepared::PreparedNetwork;

fn default_geometries() -> String {
    "polyline".into()
}
fn default_overview() -> String {
    "simplified".into()
}

/// Query options of `match/v1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchOptions {
    /// UNIX seconds per coordinate, `;`-separated.
    #[serde(default)]
    pub timestamps: Option<String>,
    /// GPS accuracy (σ, metres) per coordinate, `;`-separated; empty entries: default.
    #[serde(default)]
    pub radiuses: Option<String>,
    /// `polyline` (default), `polyline6` or `geojson`.
    #[serde(default = "default_geometries")]
    pub geometries: String,
    /// `simplified` (default), `full` or `false`.
    #[serde(default = "default_overview")]
    pub overview: String,
    /// Return steps for each leg (default `false`).
    #[serde(default)]
    pub steps: bool,
    /// `split` (default: split at large time gaps) or `ignore`.
    #[serde(default)]
    pub gaps: Option<String>,
    /// Drop points very close to the previous one (default `false`).
    #[serde(default)]
    pub tidy: bool,
    /// Accepted and ignored.
    #[serde(default)]
    pub annotations: Option<String>,
    /// Accepted and ignored (every matched point is a waypoint).
    #[serde(default)]
    pub waypoints: Option<String>,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            timestamps: None,
            radiuses: None,
            geometries: default_geometries(),
            overview: default_overview(),
            steps: false,
            gaps: None,
            tidy: false,
            annotations: None,
            waypoints: None,
        }
    }
}

/// An OSRM tracepoint: where one input coordinate was matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracepoint {
    /// Distance from the coordinate to the matched position, metres.
    pub distance: f64,
    /// Name of the road.
    pub name: String,
    /// `[lon, lat]` of the matched position.
    pub location: [f64; 2],
    /// Index of the matching.
    pub matchings_index: usize,
    /// Index of the waypoint within the matching.
    pub waypoint_index: usize,
    /// Number of probable alternative positions (0: unambiguous).
    pub alternatives_count: usize,
}

/// An OSRM matching: a route with a confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// 0–1.
    pub confidence: f64,
    /// Distance, duration, weight, geometry and legs, as in `route/v1`.
    #[serde(flatten)]
    pub route: Route,
}

/// The body of a `match/v1` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    /// `Ok` or an error code.
    pub code: String,
    /// Error message when `code` is not `Ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The matchings, in track order.
    #[serde(default)]
    pub matchings: Vec<Matching>,
    /// One per input coordinate; `null` when unmatched.
    #[serde(default)]
    pub tracepoints: Vec<Option<Tracepoint>>,
}

impl MatchResponse {
    /// HTTP status OSRM uses for this response: 200 for `Ok`, 400 otherwise.
    pub fn http_status(&self) -> u16 {
        if self.code == "Ok" {
            200
        } else {
            400
        }
    }
    fn error(code: &str, message: String) -> Self {
        MatchResponse {
            code: code.into(),
            message: Some(message),
            matchings: vec![],
            tracepoints: vec![],
        }
    }
}

/// Parses a `;`-separated list; empty entries are `None` when `allow_empty`.
fn parse_list<T: std::str::FromStr>(
    name: &str,
    s: &str,
    allow_empty: bool,
) -> Result<Vec<Option<T>>, String> {
    s.split(';')
        .enumerate()
        .map(|(i, x)| match x.trim() {
            "" if allow_empty => Ok(None),
            x => x
                .parse()
                .map(Some)
                .map_err(|_| format!("{name}[{i}]: '{x}' is not a valid value")),
        })
        .collect()
}

fn request(coordinates: &str, opts: &MatchOptions) -> Result<MatchRequest, (&'static str, String)> {
    if !matches!(
        opts.geometries.as_str(),
        "polyline" | "polyline6" | "geojson"
    ) {
        return Err((
            "InvalidOptions",
            format!(
                "geometries: '{}' is not polyline, polyline6 or geojson",
                opts.geometries
            ),
        ));
    }
    if !matches!(opts.overview.as_str(), "simplified" | "full" | "false") {
        return Err((
            "InvalidOptions",
            format!(
                "overview: '{}' is not simplified, full or false",
                opts.overview
            ),
        ));
    }
    let split_gaps = match opts.gaps.as_deref() {
        None | Some("split") => true,
        Some("ignore") => false,
        Some(g) => {
            return Err((
                "InvalidOptions",
                format!("gaps: '{g}' is not split or ignore"),
            ))
        }
    };
    let points = parse_coordinates(coordinates).map_err(|m| ("InvalidQuery", m))?;
    let bad = |m| ("InvalidOptions", m);
    let timestamps = match &opts.timestamps {
        None => None,
        Some(t) => Some(
            parse_list::<i64>("timestamps", t, false)
                .map_err(bad)?
                .into_iter()
                .flatten()
                .collect(),
        ),
    };
    let radiuses = match &opts.radiuses {
        None => None,
        Some(r) => Some(parse_list::<f64>("radiuses", r, true).map_err(bad)?),
    };
    Ok(MatchRequest {
        points,
        timestamps,
        radiuses,
        split_gaps,
        tidy: opts.tidy,
        steps: opts.steps,
    })
}

fn tracepoint(t: &OurTracepoint) -> Tracepoint {
    Tracepoint {
        distance: (t.distance_m * 10.0).round() / 10.0,
        name: t.name.clone(),
        location: t.location,
        matchings_index: t.matchings_index,
        waypoint_index: t.waypoint_index,
        alternatives_count: t.alternatives_count,
    }
}

/// Answers `GET /match/v1/{profile}/{coordinates}?{options}`. Never fails: errors become an
/// OSRM error response (`code` ≠ `Ok`).
pub fn match_trace(net: &PreparedNetwork, coordinates: &str, opts: &MatchOptions) -> MatchResponse {
    let req = match request(coordinates, opts) {
        Ok(r) => r,
        Err((code, m)) => return MatchResponse::error(code, m),
    };
    let result = match net.match_trace(&req) {
        Ok(r) => r,
        Err(e) => {
            let code = match e {
                RoadError::TooBig { .. } => "TooBig",
                RoadError::InvalidPoint { .. } => "InvalidValue",
                _ => "InvalidOptions",
            };
            return MatchResponse::error(code, e.to_string());
        }
    };
    if result.matchings.is_empty() {
        return MatchResponse::error("NoMatch", "Could not match the trace.".into());
    }
    let route_opts = RouteOptions {
        steps: opts.steps,
        geometries: opts.geometries.clone(),
        overview: opts.overview.clone(),
        ..RouteOptions::default()
    };
    MatchResponse {
        code: "Ok".into(),
        message: None,
        matchings: result
            .matchings
            .iter()
            .map(|m| Matching {
                confidence: (m.confidence * 1000.0).round() / 1000.0,
                route: to_osrm_route(&m.route, &route_opts),
            })
            .collect(),
        tracepoints: result
            .tracepoints
            .iter()
            .map(|t| t.as_ref().map(tracepoint))
            .collect(),
    }
}
