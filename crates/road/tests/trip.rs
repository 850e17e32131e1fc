//! Trips: the exact order against brute force, the heuristic against the exact order, and
//! trips on the Monaco extract.

mod common;

use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_road::trip::{order_cost, solve_exact, solve_heuristic, MAX_TRIP_POINTS};
use wuliu_road::{osrm_trip, RoadError, TripRequest, TripShape};

type Matrix = Vec<Vec<Option<f64>>>;

fn shapes() -> Vec<TripShape> {
    let mut all = Vec::new();
    for roundtrip in [true, false] {
        for fix_first in [false, true] {
            for fix_last in [false, true] {
                all.push(TripShape {
                    roundtrip,
                    fix_first,
                    fix_last,
                });
            }
        }
    }
    all
}

/// Random asymmetric durations; `holes` of the pairs unreachable.
fn random_matrix(rng: &mut ChaCha8Rng, n: usize, holes: f64) -> Matrix {
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    (i == j || !rng.gen_bool(holes)).then(|| {
                        if i == j {
                            0.0
                        } else {
                            rng.gen_range(10.0..1000.0f64).round()
                        }
                    })
                })
                .collect()
        })
        .collect()
}

/// Durations between random points on a plane, with a little asymmetry (one-way streets).
fn euclidean(rng: &mut ChaCha8Rng, n: usize) -> Matrix {
    let p: Vec<(f64, f64)> = (0..n)
        .map(|_| (rng.gen_range(0.0..100.0), rng.gen_range(0.0..100.0)))
        .collect();
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    let d = ((p[i].0 - p[j].0).powi(2) + (p[i].1 - p[j].1).powi(2)).sqrt();
                    Some(d * rng.gen_range(1.0..1.15))
                })
                .collect()
        })
        .collect()
}

fn permutations(items: &mut Vec<usize>, k: usize, out: &mut Vec<Vec<usize>>) {
    if k == items.len() {
        out.push(items.clone());
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permutations(items, k + 1, out);
        items.swap(k, i);
    }
}

/// The best cost over every order the shape allows (a round trip starts at the first point).
fn brute_force(d: &Matrix, shape: TripShape) -> Option<f64> {
    let n = d.len();
    let mut all = Vec::new();
    permutations(&mut (0..n).collect(), 0, &mut all);
    all.into_iter()
        .filter(|o| !(shape.roundtrip || shape.fix_first) || o[0] == 0)
        .filter(|o| !shape.fix_last || o[n - 1] == n - 1 || n == 1)
        .filter_map(|o| order_cost(d, &o, shape))
        .min_by(f64::total_cmp)
}

fn assert_valid(order: &[usize], n: usize, shape: TripShape) {
    let mut seen = order.to_vec();
    seen.sort_unstable();
    assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a permutation");
    if shape.roundtrip || shape.fix_first {
        assert_eq!(order[0], 0, "{shape:?}");
    }
    if shape.fix_last {
        assert_eq!(order[n - 1], n - 1, "{shape:?}");
    }
}

#[test]
fn held_karp_equals_brute_force() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..160 {
        let n = 2 + case % 6;
        let d = random_matrix(&mut rng, n, if case % 3 == 0 { 0.25 } else { 0.0 });
        for shape in shapes() {
            let exact = solve_exact(&d, shape);
            let best = brute_force(&d, shape);
            match (&exact, best) {
                (Some(o), Some(b)) => {
                    assert_valid(o, n, shape);
                    let c = order_cost(&d, o, shape).unwrap();
                    assert!((c - b).abs() < 1e-6, "case {case} {shape:?}: {c} vs {b}");
                }
                (None, None) => {}
                _ => panic!("case {case} {shape:?}: {exact:?} vs {best:?} on {d:?}"),
            }
        }
    }
}

#[test]
fn heuristic_is_within_a_few_percent_of_held_karp() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for shape in shapes() {
        let (mut sum_gap, mut worst, mut runs) = (0.0, 0.0f64, 0);
        for _ in 0..40 {
            let d = euclidean(&mut rng, 10);
            let exact = order_cost(&d, &solve_exact(&d, shape).unwrap(), shape).unwrap();
            let h = solve_heuristic(&d, shape).unwrap();
            assert_valid(&h, 10, shape);
            let gap = order_cost(&d, &h, shape).unwrap() / exact - 1.0;
            assert!(gap > -1e-9, "the heuristic beat the exact order");
            sum_gap += gap;
            worst = worst.max(gap);
            runs += 1;
        }
        let mean = sum_gap / f64::from(runs);
        eprintln!(
            "{shape:?}: mean gap {:.2} %, worst {:.2} %",
            mean * 100.0,
            worst * 100.0
        );
        assert!(mean < 0.01, "{shape:?}: mean gap {mean}");
        assert!(worst < 0.08, "{shape:?}: worst gap {worst}");
    }
}

#[test]
fn heuristic_handles_a_hundred_points() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let d = euclidean(&mut rng, MAX_TRIP_POINTS);
    for shape in shapes() {
        let o = solve_heuristic(&d, shape).unwrap();
        assert_valid(&o, MAX_TRIP_POINTS, shape);
        // A random tour of 100 points on a 100 × 100 square is ~5 200 long; a good one < 900.
        let c = order_cost(&d, &o, shape).unwrap();
        assert!(c < 1_000.0, "{shape:?}: {c}");
    }
}

#[test]
fn round_trip_returns_to_the_start_in_the_fastest_order() {
    let p = monaco_car();
    let points = random_points(p, 7, 21);
    let req = TripRequest {
        points: points.clone(),
        shape: TripShape::default(),
        steps: true,
        vehicle: None,
    };
    let t = p.trip(&req).unwrap().expect("Monaco is connected");
    assert!(t.exact);
    assert_valid(&t.order, 7, req.shape);
    assert_eq!(t.route.legs.len(), 7, "a leg back to the start");
    assert_eq!(t.route.coordinates.first(), t.route.coordinates.last());
    assert_eq!(t.waypoints.len(), 7);
    // The route's duration is the matrix's for that order, and no other order is faster.
    let m = p
        .table(&wuliu_road::TableRequest {
            sources: points,
            targets: None,
            vehicle: None,
            departure: None,
        })
        .unwrap();
    let cost = order_cost(&m.durations_s, &t.order, req.shape).unwrap();
    assert!(
        (t.route.duration_s - cost).abs() < 1.0,
        "{} vs {cost}",
        t.route.duration_s
    );
    let best = brute_force(&m.durations_s, req.shape).unwrap();
    assert!((cost - best).abs() < 1e-6);
}

#[test]
fn fixed_first_and_last_are_honoured() {
    let p = monaco_car();
    for (n, seed) in [(6, 4), (15, 5)] {
        let shape = TripShape {
            roundtrip: false,
            fix_first: true,
            fix_last: true,
        };
        let req = TripRequest {
            points: random_points(p, n, seed),
            shape,
            steps: false,
            vehicle: None,
        };
        let t = p.trip(&req).unwrap().unwrap();
        assert_eq!(t.exact, n <= 12);
        assert_valid(&t.order, n, shape);
        assert_eq!(t.route.legs.len(), n - 1);
        let (start, end) = (t.waypoints[0].location, t.waypoints[n - 1].location);
        assert_eq!(t.route.waypoints.first().unwrap().location, start);
        assert_eq!(t.route.waypoints.last().unwrap().location, end);
    }
}

#[test]
fn too_many_or_too_few_points_are_refused() {
    let p = monaco_car();
    for n in [1, MAX_TRIP_POINTS + 1] {
        let req = TripRequest {
            points: random_points(p, n, 1),
            shape: TripShape::default(),
            steps: false,
            vehicle: None,
        };
        match p.trip(&req) {
            Err(RoadError::InvalidRequest(m)) => assert!(m.starts_with("points:"), "{m}"),
            other => panic!("{n} points: {other:?}"),
        }
    }
}

#[test]
fn osrm_trip_body() {
    let p = monaco_car();
    let pts = random_points(p, 5, 8);
    let coords: Vec<String> = pts.iter().map(|g| format!("{},{}", g.lon, g.lat)).collect();
    let opts = osrm_trip::TripOptions {
        source: "first".into(),
        destination: "last".into(),
        roundtrip: false,
        geometries: "geojson".into(),
        ..Default::default()
    };
    let res = osrm_trip::trip(p, &coords.join(";"), &opts);
    assert_eq!(res.code, "Ok", "{:?}", res.message);
    let v = serde_json::to_value(&res).unwrap();
    assert_eq!(v["trips"].as_array().unwrap().len(), 1);
    assert_eq!(v["trips"][0]["legs"].as_array().unwrap().len(), 4);
    assert_eq!(v["trips"][0]["geometry"]["type"], "LineString");
    let idx: Vec<u64> = v["waypoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            assert_eq!(w["trips_index"], 0);
            w["waypoint_index"].as_u64().unwrap()
        })
        .collect();
    assert_eq!(idx[0], 0);
    assert_eq!(idx[4], 4);
    let mut sorted = idx.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
    let bad = osrm_trip::trip(
        p,
        &coords.join(";"),
        &osrm_trip::TripOptions {
            source: "middle".into(),
            ..Default::default()
        },
    );
    assert_eq!(bad.code, "InvalidOptions");
    assert!(bad.message.unwrap().starts_with("source:"));
}

/// Not a test: ordering and trip times for the report (`-- --ignored --nocapture`).
#[test]
#[ignore]
fn trip_timings() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for n in [12, 50, 100] {
        let d = euclidean(&mut rng, n);
        let t = std::time::Instant::now();
        let o = wuliu_road::trip::solve(&d, TripShape::default()).unwrap();
        eprintln!("order of {n}: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(o.len(), n);
    }
    let p = andorra_car();
    for n in [12, 100] {
        let req = TripRequest {
            points: random_points(p, n, 9),
            shape: TripShape::default(),
            steps: false,
            vehicle: None,
        };
        let t = std::time::Instant::now();
        let trip = p.trip(&req).unwrap();
        eprintln!(
            "Andorra trip of {n}: {:.1} ms, found {}",
            t.elapsed().as_secs_f64() * 1e3,
            trip.is_some()
        );
    }
}
