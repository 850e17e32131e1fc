//! Map matching on simulated GPS tracks over the Monaco and Andorra extracts: a real route is
//! driven, sampled every few seconds, blurred with seeded Gaussian noise, and matched back.

mod common;

use std::time::Instant;

use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::GeoPoint;
use wuliu_road::matching::MAX_MATCH_POINTS;
use wuliu_road::{MatchRequest, PreparedNetwork, RoadError, RouteRequest};

const M_PER_DEG: f64 = 111_195.0;

/// A simulated drive: noisy GPS points, their times, and the true line between the first and
/// last sample (`[lon, lat]`).
struct Drive {
    points: Vec<GeoPoint>,
    times: Vec<i64>,
    truth: Vec<[f64; 2]>,
    truth_m: f64,
}

fn gauss(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn seg_len(a: [f64; 2], b: [f64; 2]) -> f64 {
    GeoPoint {
        lat: a[1],
        lon: a[0],
    }
    .haversine(&GeoPoint {
        lat: b[1],
        lon: b[0],
    })
    .0
}

/// Drives a random route of at least `min_m` metres, sampled every `interval_s` seconds of
/// driving with `noise_m` of Gaussian noise per axis.
fn simulate(p: &PreparedNetwork, seed: u64, interval_s: i64, noise_m: f64, min_m: f64) -> Drive {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let route = (0..)
        .find_map(|k| {
            let pts = random_points(p, 2, seed * 1000 + k);
            let req = RouteRequest {
                points: pts,
                steps: false,
                vehicle: None,
                departure: None,
            };
            p.route(&req)
                .ok()
                .flatten()
                .filter(|r| r.distance_m >= min_m)
        })
        .unwrap();
    let line = &route.coordinates;
    let speed = route.distance_m / route.duration_s;
    let mut cum = vec![0.0];
    for w in line.windows(2) {
        cum.push(cum.last().unwrap() + seg_len(w[0], w[1]));
    }
    let total = *cum.last().unwrap();
    let at = |s: f64| -> ([f64; 2], usize) {
        let k = cum.partition_point(|&c| c <= s).clamp(1, line.len() - 1);
        let l = cum[k] - cum[k - 1];
        let t = if l > 0.0 { (s - cum[k - 1]) / l } else { 0.0 };
        let (a, b) = (line[k - 1], line[k]);
        ([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t], k)
    };
    let (mut points, mut times) = (Vec::new(), Vec::new());
    let mut s_last = 0.0;
    for k in 0..MAX_MATCH_POINTS as i64 {
        let s = (k * interval_s) as f64 * speed;
        if s > total {
            break;
        }
        s_last = s;
        let (c, _) = at(s);
        let coslat = c[1].to_radians().cos();
        points.push(GeoPoint {
            lat: c[1] + gauss(&mut rng) * noise_m / M_PER_DEG,
            lon: c[0] + gauss(&mut rng) * noise_m / (M_PER_DEG * coslat),
        });
        times.push(1_700_000_000 + k * interval_s);
    }
    let (end, k_end) = at(s_last);
    let mut truth = line[..k_end].to_vec();
    truth.push(end);
    Drive {
        points,
        times,
        truth,
        truth_m: s_last,
    }
}

/// Distance from `c` to the polyline, metres (local plane).
fn to_line(c: [f64; 2], line: &[[f64; 2]]) -> f64 {
    let coslat = c[1].to_radians().cos();
    let xy = |p: [f64; 2]| {
        (
            (p[0] - c[0]) * coslat * M_PER_DEG,
            (p[1] - c[1]) * M_PER_DEG,
        )
    };
    line.windows(2)
        .map(|w| {
            let (a, b) = (xy(w[0]), xy(w[1]));
            let (vx, vy) = (b.0 - a.0, b.1 - a.1);
            let l2 = vx * vx + vy * vy;
            let t = if l2 > 0.0 {
                (-(a.0 * vx + a.1 * vy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            ((a.0 + t * vx).powi(2) + (a.1 + t * vy).powi(2)).sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}

/// `(matched length on the true roads, matched length)`: the matched lines are cut into ~2 m
/// pieces and a piece counts as correct when its middle lies within 3 m of the true line.
fn on_truth(lines: &[Vec<[f64; 2]>], truth: &[[f64; 2]]) -> (f64, f64) {
    let (mut good, mut all) = (0.0, 0.0);
    for line in lines {
        for w in line.windows(2) {
            let l = seg_len(w[0], w[1]);
            let n = (l / 2.0).ceil().max(1.0) as usize;
            for i in 0..n {
                let t = (i as f64 + 0.5) / n as f64;
                let c = [
                    w[0][0] + (w[1][0] - w[0][0]) * t,
                    w[0][1] + (w[1][1] - w[0][1]) * t,
                ];
                all += l / n as f64;
                if to_line(c, truth) <= 3.0 {
                    good += l / n as f64;
                }
            }
        }
    }
    (good, all)
}

struct Score {
    /// Share of the matched length on the true roads.
    precision: f64,
    /// Median |matched − true| / true distance.
    median_err: f64,
    /// Milliseconds per 100 points.
    ms_per_100: f64,
}

fn score(p: &PreparedNetwork, interval_s: i64, noise_m: f64, runs: u64, min_m: f64) -> Score {
    let (mut good, mut all, mut points, mut ms) = (0.0, 0.0, 0usize, 0.0);
    let mut errs = Vec::new();
    for seed in 0..runs {
        let d = simulate(p, seed + 1, interval_s, noise_m, min_m);
        let req = MatchRequest {
            timestamps: Some(d.times.clone()),
            radiuses: Some(vec![Some(noise_m); d.points.len()]),
            ..MatchRequest::new(d.points.clone())
        };
        let t0 = Instant::now();
        let r = p.match_trace(&req).unwrap();
        ms += t0.elapsed().as_secs_f64() * 1000.0;
        points += d.points.len();
        let lines: Vec<_> = r
            .matchings
            .iter()
            .map(|m| m.route.coordinates.clone())
            .collect();
        let (g, a) = on_truth(&lines, &d.truth);
        good += g;
        all += a;
        errs.push((r.distance_m() - d.truth_m).abs() / d.truth_m);
    }
    errs.sort_by(f64::total_cmp);
    Score {
        precision: good / all.max(1e-9),
        median_err: errs[errs.len() / 2],
        ms_per_100: ms * 100.0 / points as f64,
    }
}

#[test]
fn low_noise_tracks_are_matched_on_the_right_roads() {
    for (name, p, min_m) in [
        ("monaco", monaco_car(), 1_500.0),
        ("andorra", andorra_car(), 4_000.0),
    ] {
        for (noise, interval) in [(5.0, 1), (5.0, 10), (10.0, 5), (10.0, 30)] {
            let s = score(p, interval, noise, 8, min_m);
            eprintln!(
                "{name} noise {noise} m every {interval} s: {:.1} % on the true roads, median \
                 distance error {:.1} %, {:.1} ms per 100 points",
                s.precision * 100.0,
                s.median_err * 100.0,
                s.ms_per_100
            );
            assert!(
                s.precision >= 0.9,
                "{name} {noise} m {interval} s: {:.3}",
                s.precision
            );
            assert!(
                s.median_err <= 0.05,
                "{name} {noise} m {interval} s: {:.3}",
                s.median_err
            );
        }
    }
}

/// The accuracy table of the report (5, 15, 30 m noise × 1, 10, 60 s sampling).
#[test]
fn accuracy_table_over_noise_and_sampling() {
    let p = andorra_car();
    for noise in [5.0, 15.0, 30.0] {
        for interval in [1, 10, 60] {
            let s = score(p, interval, noise, 6, 4_000.0);
            eprintln!(
                "andorra noise {noise:>4} m every {interval:>2} s: {:5.1} % on the true roads, \
                 median distance error {:4.1} %, {:.1} ms per 100 points",
                s.precision * 100.0,
                s.median_err * 100.0,
                s.ms_per_100
            );
            assert!(
                s.precision >= 0.9,
                "{noise} m {interval} s: {:.3}",
                s.precision
            );
            // Dense samples at high noise overstate the distance most (detours into side streets).
            let max_err = if noise >= 30.0 && interval == 1 {
                0.2
            } else {
                0.05
            };
            assert!(
                s.median_err <= max_err,
                "{noise} m {interval} s: {:.3}",
                s.median_err
            );
        }
    }
}

#[test]
fn a_point_far_from_roads_is_unmatched() {
    let p = monaco_car();
    let d = simulate(p, 3, 5, 5.0, 1_000.0);
    let mut pts = d.points.clone();
    let k = pts.len() / 2;
    pts[k] = GeoPoint {
        lat: 43.70,
        lon: 7.45,
    }; // in the sea, kilometres from any road
    let r = p.match_trace(&MatchRequest::new(pts)).unwrap();
    assert!(r.tracepoints[k].is_none());
    assert_eq!(r.matchings.len(), 1, "one outlier does not split the track");
    let matched = r.tracepoints.iter().flatten().count();
    assert_eq!(matched, d.points.len() - 1);
    // Tracepoints index into their matching's waypoints; points thinned out as jitter (within
    // 4σ of the previous waypoint) lie on the leg that starts at their waypoint index.
    let mut thinned = 0;
    for (i, tp) in r.tracepoints.iter().enumerate() {
        let Some(tp) = tp else { continue };
        let m = &r.matchings[tp.matchings_index];
        if m.points[tp.waypoint_index] == i {
            assert_eq!(m.route.waypoints[tp.waypoint_index].location, tp.location);
        } else {
            thinned += 1;
            assert!(m.points[tp.waypoint_index] < i);
        }
        assert!(tp.distance_m <= 30.0);
    }
    assert!(thinned < matched / 2, "{thinned} of {matched}");
    let m = &r.matchings[0];
    assert_eq!(m.route.legs.len(), m.points.len() - 1);
    assert!(m.confidence > 0.5 && m.confidence <= 1.0);
}

#[test]
fn a_time_gap_splits_the_matchings() {
    let p = andorra_car();
    let d = simulate(p, 4, 10, 5.0, 4_000.0);
    let mut times = d.times.clone();
    let k = times.len() / 2;
    for t in &mut times[k..] {
        *t += 1_800; // half an hour parked
    }
    let req = MatchRequest {
        timestamps: Some(times.clone()),
        ..MatchRequest::new(d.points.clone())
    };
    let r = p.match_trace(&req).unwrap();
    assert_eq!(r.matchings.len(), 2);
    assert_eq!(r.tracepoints[k - 1].as_ref().unwrap().matchings_index, 0);
    let second = r.tracepoints[k].as_ref().unwrap();
    assert_eq!((second.matchings_index, second.waypoint_index), (1, 0));
    // The stretch across the gap is not counted as driven.
    let whole = p
        .match_trace(&MatchRequest {
            timestamps: Some(d.times.clone()),
            ..MatchRequest::new(d.points.clone())
        })
        .unwrap();
    assert_eq!(whole.matchings.len(), 1);
    assert!(r.distance_m() < whole.distance_m());
    // With gaps=ignore the track stays whole.
    let ignore = p
        .match_trace(&MatchRequest {
            split_gaps: false,
            ..req
        })
        .unwrap();
    assert_eq!(ignore.matchings.len(), 1);
}

#[test]
fn parameter_errors_name_the_parameter() {
    let p = monaco_car();
    let d = simulate(p, 5, 5, 5.0, 1_000.0);
    let n = d.points.len();
    let msg = |req: MatchRequest| p.match_trace(&req).unwrap_err().to_string();
    let base = MatchRequest::new(d.points.clone());
    assert!(msg(MatchRequest {
        timestamps: Some(d.times[1..].to_vec()),
        ..base.clone()
    })
    .contains("timestamps"));
    let mut back = d.times.clone();
    back.swap(1, 2);
    assert!(msg(MatchRequest {
        timestamps: Some(back),
        ..base.clone()
    })
    .contains("timestamps[2]"));
    let mut radiuses = vec![None; n];
    radiuses[3] = Some(150.0);
    let m = msg(MatchRequest {
        radiuses: Some(radiuses),
        ..base.clone()
    });
    assert!(m.contains("radiuses[3]") && m.contains("100"), "{m}");
    assert!(msg(MatchRequest::new(d.points[..1].to_vec())).contains("points"));
    let many = vec![d.points[0]; MAX_MATCH_POINTS + 1];
    match p.match_trace(&MatchRequest::new(many)) {
        Err(e @ RoadError::TooBig { limit, .. }) => {
            assert_eq!(limit, MAX_MATCH_POINTS);
            assert!(e.to_string().contains("500"));
        }
        other => panic!("expected TooBig, got {other:?}"),
    }
}

#[test]
fn driven_reports_distance_and_ways_for_monitoring() {
    let p = monaco_car();
    let d = simulate(p, 6, 5, 5.0, 1_500.0);
    let driven = p.driven(&d.times, &d.points, Some(5.0)).unwrap();
    assert!((driven.distance_m - d.truth_m).abs() / d.truth_m < 0.05);
    assert_eq!(driven.matched_points, d.points.len());
    assert!(!driven.way_ids.is_empty());
    assert!(driven.way_ids.windows(2).all(|w| w[0] != w[1]));
    assert!(driven.way_ids.iter().all(|&id| id > 0), "OSM ids");
}

#[test]
fn nearest_lists_roads_nearest_first() {
    let p = monaco_car();
    let pt = random_points(p, 1, 11)[0];
    let snapped = p.snap(0, pt).unwrap();
    let found = p.nearest(pt, 5).unwrap();
    assert_eq!(found.len(), 5);
    // The first is what snapping finds; the list is sorted and one entry per road edge.
    assert!((found[0].distance_m - snapped.distance_m).abs() < 1e-6);
    assert!(found.windows(2).all(|w| w[0].distance_m <= w[1].distance_m));
    let mut nodes: Vec<_> = found.iter().map(|n| n.nodes).collect();
    nodes.sort_unstable();
    nodes.dedup();
    assert_eq!(nodes.len(), 5);
    for n in &found {
        let d = GeoPoint {
            lat: n.location[1],
            lon: n.location[0],
        }
        .haversine(&pt)
        .0;
        assert!((d - n.distance_m).abs() < 1.0, "{d} vs {}", n.distance_m);
        assert!(n.way_id > 0);
        for node in n.nodes {
            assert!((node as usize) < p.network().node_count());
        }
    }
    assert_eq!(p.nearest(pt, 1).unwrap()[0], found[0]);
    let e = p.nearest(pt, 101).unwrap_err().to_string();
    assert!(e.contains("number"), "{e}");
    assert!(p.nearest(pt, 0).is_err());
    // Far out at sea: no road within the snapping radius.
    assert!(matches!(
        p.nearest(
            GeoPoint {
                lat: 43.0,
                lon: 7.0
            },
            3
        ),
        Err(RoadError::NoRoadNearby { .. })
    ));
}

#[test]
fn osrm_bodies_for_match_and_nearest() {
    use wuliu_road::{osrm_match, osrm_nearest};
    let p = monaco_car();
    let d = simulate(p, 7, 5, 5.0, 1_500.0);
    let coords: Vec<String> = d
        .points
        .iter()
        .map(|g| format!("{},{}", g.lon, g.lat))
        .collect();
    let times: Vec<String> = d.times.iter().map(i64::to_string).collect();
    let opts = osrm_match::MatchOptions {
        timestamps: Some(times.join(";")),
        geometries: "geojson".into(),
        overview: "full".into(),
        ..Default::default()
    };
    let r = osrm_match::match_trace(p, &coords.join(";"), &opts);
    assert_eq!(r.code, "Ok", "{:?}", r.message);
    let v = serde_json::to_value(&r).unwrap();
    let m = &v["matchings"][0];
    for key in [
        "confidence",
        "distance",
        "duration",
        "weight",
        "geometry",
        "legs",
    ] {
        assert!(!m[key].is_null(), "matching has {key}");
    }
    assert_eq!(m["geometry"]["type"], "LineString");
    let tp = &v["tracepoints"][0];
    for key in [
        "matchings_index",
        "waypoint_index",
        "alternatives_count",
        "location",
        "name",
        "distance",
    ] {
        assert!(!tp[key].is_null(), "tracepoint has {key}");
    }
    assert_eq!(v["tracepoints"].as_array().unwrap().len(), d.points.len());
    // Errors name the parameter, with OSRM's codes.
    let bad = |o: osrm_match::MatchOptions| osrm_match::match_trace(p, &coords.join(";"), &o);
    let r = bad(osrm_match::MatchOptions {
        timestamps: Some("1;x".into()),
        ..Default::default()
    });
    assert_eq!(r.code, "InvalidOptions");
    assert!(r.message.unwrap().contains("timestamps[1]"));
    let r = bad(osrm_match::MatchOptions {
        gaps: Some("sometimes".into()),
        ..Default::default()
    });
    assert!(r.message.unwrap().contains("gaps"));
    let many = vec![coords[0].clone(); 501].join(";");
    let r = osrm_match::match_trace(p, &many, &Default::default());
    assert_eq!(r.code, "TooBig");
    assert_eq!(r.http_status(), 400);
    let r = osrm_match::match_trace(p, "7.0,43.0;7.001,43.0", &Default::default());
    assert_eq!(r.code, "NoMatch");

    let n = osrm_nearest::nearest(
        p,
        &coords[0],
        &osrm_nearest::NearestOptions {
            number: Some("3".into()),
        },
    );
    assert_eq!(n.code, "Ok");
    let v = serde_json::to_value(&n).unwrap();
    assert_eq!(v["waypoints"].as_array().unwrap().len(), 3);
    for key in ["nodes", "location", "distance", "name"] {
        assert!(!v["waypoints"][0][key].is_null(), "waypoint has {key}");
    }
    let n = osrm_nearest::nearest(
        p,
        &coords[0],
        &osrm_nearest::NearestOptions {
            number: Some("1000".into()),
        },
    );
    assert_eq!(n.code, "InvalidOptions");
    assert!(n.message.unwrap().contains("number"));
}

#[test]
fn tidy_drops_clustered_points_and_a_parked_track_is_unmatched() {
    let p = monaco_car();
    let d = simulate(p, 8, 10, 5.0, 1_500.0);
    // Ten points at the start, one second apart, then the drive ten seconds apart.
    let mut pts = vec![d.points[0]; 10];
    pts.extend(d.points.iter().copied());
    let times: Vec<i64> = (0..pts.len() as i64)
        .map(|i| 1_700_000_000 + if i < 10 { i } else { 9 + 10 * (i - 9) })
        .collect();
    let mut req = MatchRequest {
        timestamps: Some(times),
        tidy: true,
        ..MatchRequest::new(pts.clone())
    };
    let r = p.match_trace(&req).unwrap();
    // Within 15 m and 5 s of the last kept point: 1–4 and 6–9 go, 5 stays.
    let tidied = |i: usize| (1..10).contains(&i) && i != 5;
    for (i, tp) in r.tracepoints.iter().enumerate().take(10) {
        assert_eq!(tp.is_none(), tidied(i), "point {i}");
    }
    let none: Vec<usize> = (10..pts.len())
        .filter(|&i| r.tracepoints[i].is_none())
        .collect();
    assert!(
        none.is_empty(),
        "{none:?} of {}: {:?}",
        pts.len(),
        r.matchings
            .iter()
            .map(|m| m.points.clone())
            .collect::<Vec<_>>()
    );
    req.tidy = false;
    let r = p.match_trace(&req).unwrap();
    assert!(r.tracepoints.iter().all(Option::is_some));
    // A vehicle that never moves further than the GPS noise drove nothing.
    let parked = p
        .match_trace(&MatchRequest::new(vec![d.points[0]; 20]))
        .unwrap();
    assert!(parked.matchings.is_empty());
    assert_eq!(parked.distance_m(), 0.0);
}

/// Monitoring measures a sparse track on the roads: the matched distance is the route's, while
/// the straight lines between fixes cut the corners.
#[test]
fn monitoring_distance_follows_the_roads_between_sparse_fixes() {
    use wuliu_model::TravelCosts;
    let p = andorra_car();
    let d = simulate(p, 21, 45, 5.0, 8_000.0);
    let matched = p
        .driven_m(&d.times, &d.points)
        .expect("a road track matches");
    assert!(
        (matched - d.truth_m).abs() / d.truth_m < 0.05,
        "{matched} vs {}",
        d.truth_m
    );
    let chords: f64 = d.points.windows(2).map(|w| w[0].haversine(&w[1]).0).sum();
    assert!(
        chords < 0.97 * d.truth_m,
        "sparse fixes cut corners: {chords} vs {}",
        d.truth_m
    );
    // A track far from any road is not claimed.
    let off: Vec<GeoPoint> = d
        .points
        .iter()
        .map(|g| GeoPoint {
            lat: g.lat + 1.0,
            lon: g.lon,
        })
        .collect();
    assert_eq!(p.driven_m(&d.times, &off), None);
}
