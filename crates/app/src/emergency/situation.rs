//! The situation picture (issue 28, part 3): the flooded or closed areas in force, the area each
//! stockpile reaches within some minutes, and which triaged requests no stockpile reaches.
//!
//! Closed areas are the stored road changes that close roads ([`crate::road_changes`]): they are
//! kept whether or not a road network is loaded, so a flood polygon is not forgotten between
//! calls. [`read`] takes what the caller's region holds now (admins and regulators only);
//! [`compute`] then answers, on the platform's travel costs:
//!
//! - on a **road network** (`model: "road_network"`), each stockpile's reachable area is the road
//!   engine's isochrone from its point, which never enters a closed road; a request is reached
//!   when the network's travel time from the stockpile is within the largest contour;
//! - on **straight lines** (`model: "straight_line"`), the area is a circle of radius
//!   time ÷ (seconds per metre of the straight-line model: 45 km/h over a detour of 1.3 by
//!   default), drawn as a ring of [`CIRCLE_POINTS`] points; a request is reached when the line to
//!   it enters no closed polygon (the same cut as [`super::plan::Snapshot::fill_travel`]) and its
//!   time is within the largest contour. Each stockpile also lists the requests it cannot reach
//!   because the line is cut (`cut_requests`).
//!
//! A request no stockpile reaches within the largest contour is `cut_off`; `no_route` says that
//! none reaches it at all, whatever the time.
//!
//! Bounds: at most [`MAX_SITUATION_STOCKPILES`] stockpiles per call (else a 413 naming
//! `stockpiles`), 1 to [`MAX_CONTOURS`] contours of at most [`MAX_MINUTES`] minutes (on a road
//! network at most the engine's [`wuliu_road::isochrone::MAX_CONTOUR_MINUTES`]).

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use wuliu_emergency::geometry::segment_enters;
use wuliu_model::{GeoPoint, TravelCosts};
use wuliu_road::{ChangeEffect, ChangeTarget, IsochroneRequest, PreparedNetwork, RoadChange};

use super::authorise_manage;
use super::plan::{self, Snapshot};
use crate::caller::Caller;
use crate::error::AppError;
use crate::road_changes::{self, ListedChange};

/// The most stockpiles whose reachable areas one call draws.
pub const MAX_SITUATION_STOCKPILES: usize = 200;
/// The largest contour allowed, minutes.
pub const MAX_MINUTES: f64 = 240.0;
/// The contour when none is asked, minutes.
pub const DEFAULT_MINUTES: f64 = 60.0;
/// The most contours per call.
pub const MAX_CONTOURS: usize = 4;
/// Points of a straight-line reachable circle (the ring repeats the first one at its end).
pub const CIRCLE_POINTS: usize = 48;

const CODE: &str = "emergency.situation";
/// Mean Earth radius, metres (the haversine's).
const EARTH_M: f64 = 6_371_008.8;

/// Reads `?minutes=` (`60`, or a list like `30,60`): 1 to [`MAX_CONTOURS`] distinct numbers above
/// 0 and at most [`MAX_MINUTES`], answered ascending; absent means [`DEFAULT_MINUTES`]. A bad
/// value is a 400 naming `minutes`.
pub fn parse_minutes(text: Option<&str>) -> Result<Vec<f64>, AppError> {
    let bad = |message: String| AppError::bad(CODE, "minutes", message);
    let Some(text) = text else {
        return Ok(vec![DEFAULT_MINUTES]);
    };
    let mut out: Vec<f64> = Vec::new();
    for part in text.split(',') {
        let m: f64 = part
            .trim()
            .parse()
            .map_err(|_| bad(format!("{part:?} is not a number of minutes")))?;
        if !(m.is_finite() && m > 0.0 && m <= MAX_MINUTES) {
            return Err(bad(format!(
                "{m} is not above 0 and at most {MAX_MINUTES} minutes"
            )));
        }
        if out.contains(&m) {
            return Err(bad(format!("{m} is repeated")));
        }
        out.push(m);
    }
    if out.len() > MAX_CONTOURS {
        return Err(bad(format!(
            "{} contours asked, at most {MAX_CONTOURS}",
            out.len()
        )));
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

/// What [`compute`] answers from: the region's records and the stored road changes.
#[derive(Debug, Clone)]
pub struct SituationInput {
    /// The stockpiles and triaged requests (with the stored polygon closures).
    pub snapshot: Snapshot,
    /// The stored road changes that close roads.
    pub closures: Vec<ListedChange>,
    /// The contours, minutes, ascending.
    pub minutes: Vec<f64>,
}

/// Reads the caller's region (admins and regulators only) and the closures stored; refuses more
/// than [`MAX_SITUATION_STOCKPILES`] stockpiles with a 413 naming `stockpiles`.
pub async fn read(
    repo: &dyn wuliu_store::Repository,
    caller: &Caller,
    minutes: Vec<f64>,
    at: DateTime<Utc>,
) -> Result<SituationInput, AppError> {
    authorise_manage(caller, "read the emergency situation")?;
    let snapshot = plan::snapshot(repo, caller, at).await?;
    let n = snapshot.problem.stockpiles.len();
    if n > MAX_SITUATION_STOCKPILES {
        return Err(AppError::too_large(
            "stockpiles",
            format!("{n} stockpiles in the region, at most {MAX_SITUATION_STOCKPILES} per call"),
        ));
    }
    let closures = road_changes::list(repo)
        .await?
        .changes
        .into_iter()
        .filter(|c| closes(c).is_some())
        .collect();
    Ok(SituationInput {
        snapshot,
        closures,
        minutes,
    })
}

/// The stored change as the engine reads it, when it closes roads.
fn closes(c: &ListedChange) -> Option<RoadChange> {
    serde_json::from_value::<RoadChange>(c.change.clone())
        .ok()
        .filter(|r| r.effect == ChangeEffect::Closed)
}

/// The situation on `travel` (with `network`, the same road network, for its isochrones).
/// Synchronous (isochrones run here): call it from a blocking thread.
pub fn compute(
    input: &SituationInput,
    travel: &dyn TravelCosts,
    network: Option<&PreparedNetwork>,
) -> Result<Value, AppError> {
    let road = travel.is_road_network();
    let minutes = &input.minutes;
    let largest = *minutes.last().expect("parse_minutes: at least one");
    if road && largest > wuliu_road::isochrone::MAX_CONTOUR_MINUTES {
        return Err(AppError::bad(
            CODE,
            "minutes",
            format!(
                "{largest} minutes: the road network's isochrones go to {} minutes",
                wuliu_road::isochrone::MAX_CONTOUR_MINUTES
            ),
        ));
    }
    let problem = &input.snapshot.problem;
    let areas: &[Vec<[f64; 2]>] = if road {
        &[]
    } else {
        &input.snapshot.closed_in_force
    };
    let piles: Vec<GeoPoint> = problem
        .stockpiles
        .iter()
        .map(|s| GeoPoint {
            lat: s.lat,
            lon: s.lon,
        })
        .collect();
    let reqs: Vec<GeoPoint> = problem
        .requests
        .iter()
        .map(|r| GeoPoint {
            lat: r.lat,
            lon: r.lon,
        })
        .collect();
    let is_cut = |a: GeoPoint, b: GeoPoint| {
        areas
            .iter()
            .any(|ring| segment_enters(ring, [a.lon, a.lat], [b.lon, b.lat]))
    };
    let legs = plan::legs(travel, &piles, &reqs, is_cut)?;
    let limit_s = largest * 60.0;
    let within = |i: usize, j: usize| legs[i][j].filter(|l| f64::from(l.seconds) <= limit_s);
    let mut stockpiles = Vec::with_capacity(piles.len());
    for (i, s) in problem.stockpiles.iter().enumerate() {
        let reached: Vec<Value> = (0..reqs.len())
            .filter_map(|j| within(i, j).map(|l| (j, l)))
            .map(|(j, l)| json!({"request": problem.requests[j].id, "minutes": l.seconds as f64 / 60.0}))
            .collect();
        let mut entry = json!({
            "id": s.id, "name": s.name, "location": {"lon": s.lon, "lat": s.lat},
            "reachable_requests": reached,
        });
        match reachable_area(piles[i], minutes, travel, network) {
            Ok(area) => entry["reachable_area"] = area,
            Err(why) => {
                entry["reachable_area"] = Value::Null;
                entry["error"] = json!(why);
            }
        }
        if !road {
            let cut: Vec<&str> = (0..reqs.len())
                .filter(|&j| is_cut(piles[i], reqs[j]))
                .map(|j| problem.requests[j].id.as_str())
                .collect();
            entry["cut_requests"] = json!(cut);
        }
        stockpiles.push(entry);
    }
    let requests: Vec<Value> = problem
        .requests
        .iter()
        .enumerate()
        .map(|(j, r)| {
            let from: Vec<Value> = (0..piles.len())
                .filter_map(|i| within(i, j).map(|l| (i, l)))
                .map(|(i, l)| json!({"stockpile": problem.stockpiles[i].id, "minutes": l.seconds as f64 / 60.0}))
                .collect();
            let no_route = (0..piles.len()).all(|i| legs[i][j].is_none());
            json!({
                "id": r.id, "name": r.name, "priority": r.priority,
                "location": {"lon": r.lon, "lat": r.lat},
                "reachable_from": from, "cut_off": from.is_empty(), "no_route": no_route,
            })
        })
        .collect();
    let (closed_areas, closed_roads) = closures_geojson(&input.closures);
    let cut_off = requests.iter().filter(|r| r["cut_off"] == true).count();
    Ok(json!({
        "at": input.snapshot.at,
        "model": model(road),
        "travel_costs": {"source": travel.label(), "road_network": road},
        "minutes": minutes,
        "closed_areas": closed_areas,
        "closed_roads": closed_roads,
        "stockpiles": stockpiles,
        "requests": requests,
        "counts": {"stockpiles": stockpiles.len(), "requests": requests.len(),
            "cut_off": cut_off, "closed_areas": input.closures.len()},
    }))
}

fn model(road: bool) -> &'static str {
    if road {
        "road_network"
    } else {
        "straight_line"
    }
}

/// The closures as a GeoJSON `FeatureCollection` of their polygons (closed rings), and the
/// closures by way or edge (no geometry without the network's shapes) as a list.
fn closures_geojson(closures: &[ListedChange]) -> (Value, Vec<Value>) {
    let mut features = Vec::new();
    let mut roads = Vec::new();
    for c in closures {
        let Some(change) = closes(c) else { continue };
        let props = json!({"id": change.id, "effect": "closed", "set_by": c.set_by,
            "set_at": c.set_at, "source": "road_change"});
        match change.target {
            ChangeTarget::Polygon(mut ring) => {
                if ring.first() != ring.last() {
                    ring.push(ring[0]);
                }
                features.push(json!({"type": "Feature", "id": change.id,
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": props}));
            }
            ChangeTarget::Ways(ways) => roads.push(json!({"id": change.id, "ways": ways,
                "set_by": c.set_by, "set_at": c.set_at})),
            ChangeTarget::Edges(edges) => roads.push(json!({"id": change.id, "edges": edges,
                "set_by": c.set_by, "set_at": c.set_at})),
        }
    }
    let fc = json!({"type": "FeatureCollection", "features": features});
    (fc, roads)
}

/// The area reachable from `p` within each of `minutes` as a GeoJSON `FeatureCollection`, largest
/// contour first, each feature's `properties` giving `contour` (minutes) and `model`.
fn reachable_area(
    p: GeoPoint,
    minutes: &[f64],
    travel: &dyn TravelCosts,
    network: Option<&PreparedNetwork>,
) -> Result<Value, String> {
    let mut fc = if travel.is_road_network() {
        let net = network.ok_or("no road network at hand for isochrones")?;
        let req = IsochroneRequest {
            point: p,
            contours_minutes: minutes.to_vec(),
            reverse: false,
            denoise: 0.0,
            generalize_m: None,
            vehicle: None,
        };
        net.isochrone(&req)
            .map_err(|e| e.to_string())?
            .geojson(true)
    } else {
        let per_m = seconds_per_metre(p, travel)?;
        let features: Vec<Value> = minutes
            .iter()
            .rev()
            .map(|&m| {
                let ring = circle(p, m * 60.0 / per_m);
                json!({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": {"contour": m, "metric": "time", "radius_m": m * 60.0 / per_m}})
            })
            .collect();
        json!({"type": "FeatureCollection", "features": features})
    };
    let road = travel.is_road_network();
    for f in fc["features"].as_array_mut().into_iter().flatten() {
        f["properties"]["model"] = json!(model(road));
    }
    Ok(fc)
}

/// Seconds the straight-line model takes per metre of great-circle distance (its detour over its
/// speed), probed from `p` so the answer follows whatever model `travel` is.
fn seconds_per_metre(p: GeoPoint, travel: &dyn TravelCosts) -> Result<f64, String> {
    let q = GeoPoint {
        lat: if p.lat > 0.0 {
            p.lat - 0.01
        } else {
            p.lat + 0.01
        },
        lon: p.lon,
    };
    let leg = travel
        .leg(p, q)
        .map_err(|e| e.to_string())?
        .ok_or("the straight-line model knows no leg")?;
    let d = p.haversine(&q).0;
    let s = leg.duration.0 / d;
    if s.is_finite() && s > 0.0 {
        Ok(s)
    } else {
        Err(format!(
            "the straight-line model's speed is unusable ({s} s/m)"
        ))
    }
}

/// A closed counter-clockwise ring of [`CIRCLE_POINTS`] points `radius_m` around `c` (on the
/// sphere), `[lon, lat]`.
fn circle(c: GeoPoint, radius_m: f64) -> Vec<[f64; 2]> {
    let (lat1, lon1) = (c.lat.to_radians(), c.lon.to_radians());
    let d = radius_m / EARTH_M;
    let mut ring: Vec<[f64; 2]> = (0..CIRCLE_POINTS)
        .map(|k| {
            // Bearing clockwise from north; going from east through north keeps the ring
            // counter-clockwise as GeoJSON wants outer rings.
            let bearing = std::f64::consts::FRAC_PI_2
                - 2.0 * std::f64::consts::PI * k as f64 / CIRCLE_POINTS as f64;
            let lat = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * bearing.cos()).asin();
            let lon = lon1
                + (bearing.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat.sin());
            [lon.to_degrees(), lat.to_degrees()]
        })
        .collect();
    ring.push(ring[0]);
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_default_list_and_bounds() {
        assert_eq!(parse_minutes(None).unwrap(), vec![60.0]);
        assert_eq!(parse_minutes(Some("60,30")).unwrap(), vec![30.0, 60.0]);
        for bad in ["0", "500", "x", "10,10", "1,2,3,4,5", "-5"] {
            let e = parse_minutes(Some(bad)).unwrap_err();
            assert!(format!("{e:?}").contains("\"minutes\""), "{bad}: {e:?}");
        }
    }

    #[test]
    fn a_circle_is_a_closed_counter_clockwise_ring_of_the_radius() {
        let c = GeoPoint {
            lat: 24.3,
            lon: 109.4,
        };
        let ring = circle(c, 10_000.0);
        assert_eq!(ring.len(), CIRCLE_POINTS + 1);
        assert_eq!(ring[0], ring[CIRCLE_POINTS]);
        for p in &ring {
            let d = c
                .haversine(&GeoPoint {
                    lat: p[1],
                    lon: p[0],
                })
                .0;
            assert!((d - 10_000.0).abs() < 1.0, "{d}");
        }
        // Shoelace: positive area is counter-clockwise.
        let area: f64 = ring
            .windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum();
        assert!(area > 0.0);
    }
}
