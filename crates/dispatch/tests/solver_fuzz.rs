//! The solver against the independent checker on random instances with every feature.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_dispatch::problem::{Break, Shipment};
use wuliu_dispatch::*;
use wuliu_model::{Meters, Seconds};

fn problem(seed: u64) -> Problem {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let n = 14;
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (r.gen_range(0.0..100.0), r.gen_range(0.0..100.0)))
        .collect();
    let matrix = TravelMatrix::euclidean(&pts, Rounding::Exact);
    let nv = r.gen_range(1..4);
    let vehicles = (0..nv)
        .map(|i| {
            let cap = Load::from_dims([
                r.gen_range(10.0..30.0),
                r.gen_range(10.0..30.0),
                r.gen_range(3.0..8.0),
                100.0,
            ]);
            let mut v = Vehicle::new(
                format!("v{i}"),
                0,
                cap,
                TimeWindow::new(0.0, r.gen_range(300.0..800.0)),
            );
            if r.gen_bool(0.3) {
                v.start = None;
            }
            if r.gen_bool(0.3) {
                v.end = None;
            }
            if r.gen_bool(0.3) {
                v.start = Some(r.gen_range(0..n));
            }
            v.speed_factor = [1.0, 0.7, 1.5][r.gen_range(0..3)];
            if r.gen_bool(0.3) {
                v.max_tasks = Some(r.gen_range(2..8));
            }
            if r.gen_bool(0.3) {
                v.max_travel_time = Some(Seconds(r.gen_range(100.0..400.0)));
            }
            if r.gen_bool(0.3) {
                v.max_distance = Some(Meters(r.gen_range(100.0..400.0)));
            }
            if r.gen_bool(0.3) {
                v.max_duration = Some(Seconds(r.gen_range(150.0..500.0)));
            }
            v.costs.per_hour = r.gen_range(0.0..3.0);
            v.costs.fixed = r.gen_range(0.0..5.0);
            for b in 0..r.gen_range(0..3) {
                let s = r.gen_range(0.0..300.0);
                v.breaks.push(Break {
                    id: format!("b{b}"),
                    time_windows: vec![TimeWindow::new(s, s + r.gen_range(10.0..200.0))],
                    service: Seconds(r.gen_range(5.0..30.0)),
                    max_load: if r.gen_bool(0.3) {
                        Some(Load::from_dims([
                            r.gen_range(5.0..20.0),
                            100.0,
                            100.0,
                            100.0,
                        ]))
                    } else {
                        None
                    },
                });
            }
            v
        })
        .collect();
    let jobs = (0..r.gen_range(3..9))
        .map(|i| {
            let mut j = Job::delivery(format!("j{i}"), r.gen_range(1..n), r.gen_range(1.0..8.0));
            j.load.volume.0 = r.gen_range(0.0..5.0);
            j.load.extra[0] = r.gen_range(0.0..2.0);
            if r.gen_bool(0.3) {
                j.kind = JobKind::Pickup;
            }
            if r.gen_bool(0.3) && j.kind == JobKind::Delivery {
                j.backhaul = Load::from_dims([r.gen_range(0.0..6.0), 0.0, 0.0, 0.0]);
            }
            j.service = Seconds(r.gen_range(0.0..15.0));
            j.setup = Seconds(r.gen_range(0.0..8.0));
            if r.gen_bool(0.5) {
                let s = r.gen_range(0.0..400.0);
                j.time_windows = vec![TimeWindow::new(s, s + r.gen_range(20.0..150.0))];
            }
            j
        })
        .collect();
    let mut p = Problem::new(matrix, vehicles, jobs);
    p.shipments = (0..r.gen_range(0..5))
        .map(|i| {
            let mut s = Shipment::new(
                format!("s{i}"),
                r.gen_range(1..n),
                r.gen_range(1..n),
                r.gen_range(1.0..8.0),
            );
            s.pickup.service = Seconds(r.gen_range(0.0..10.0));
            s.delivery.setup = Seconds(r.gen_range(0.0..8.0));
            if r.gen_bool(0.5) {
                let t = r.gen_range(100.0..400.0);
                s.delivery.time_windows = vec![TimeWindow::new(t, t + r.gen_range(20.0..150.0))];
            }
            s
        })
        .collect();
    p
}

/// Random instances with every feature at once (shipments, backhauls, open routes, breaks,
/// limits, speed factors, setup, four dimensions): every plan the solver returns passes the
/// independent checker, unassigned reasons included.
#[test]
fn every_plan_on_random_instances_with_every_feature_passes_the_checker() {
    let (mut solved, mut rejected, mut unassigned) = (0, Vec::new(), 0);
    for seed in 0..400 {
        let p = problem(seed);
        if p.validate().is_err() {
            continue;
        }
        let s = solve(&p, &SolverConfig::iterations(300, 1, seed)).unwrap();
        solved += 1;
        unassigned += s.unassigned.len();
        let r = check(&p, &s);
        if !r.feasible {
            rejected.push((seed, r.violations));
        }
    }
    assert!(solved >= 250, "only {solved} valid instances");
    assert!(
        unassigned > 0,
        "the instances should be tight enough to leave something out"
    );
    assert!(
        rejected.is_empty(),
        "{} rejected, first: {:?}",
        rejected.len(),
        rejected.first()
    );
}
