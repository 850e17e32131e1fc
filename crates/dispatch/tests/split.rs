//! Split deliveries over a mixed fleet: every part fits one vehicle in every dimension at once,
//! the parts add up, and there are no more of them than needed.

use wuliu_dispatch::split::{parts_needed, split_oversized};
use wuliu_dispatch::{
    solve, Job, Load, Problem, Rounding, SolverConfig, TimeWindow, TravelMatrix, Vehicle,
};

fn truck(id: &str, kg: f64, m3: f64) -> Vehicle {
    Vehicle::new(
        id.to_string(),
        0,
        Load::from_array([kg, m3]),
        TimeWindow::new(0.0, 10_000.0),
    )
}

fn job(kg: f64, m3: f64) -> Job {
    let mut j = Job::delivery("shelter", 1, kg);
    j.load = Load::from_array([kg, m3]);
    j
}

fn problem(vehicles: Vec<Vehicle>, jobs: Vec<Job>) -> Problem {
    let matrix = TravelMatrix::euclidean(&[(0.0, 0.0), (10.0, 0.0)], Rounding::Exact);
    Problem::new(matrix, vehicles, jobs)
}

fn fits_one(p: &Problem, part: &Job) -> bool {
    let l = part.load.dims();
    p.vehicles.iter().any(|v| {
        let c = v.capacity.dims();
        (0..l.len()).all(|k| l[k] <= c[k] + 1e-9)
    })
}

#[test]
fn parts_fit_one_truck_in_weight_and_volume_at_once() {
    // A heavy truck with a small box and a light one with a big box: no 10 t, 40 m³ truck exists.
    let fleet = vec![
        truck("heavy", 10_000.0, 12.0),
        truck("light", 5_000.0, 40.0),
    ];
    let p = problem(fleet.clone(), vec![job(10_205.0, 49.9)]);
    // Taking 10 t and 40 m³ from different trucks gave 2 parts of 5.1 t / 25 m³: none fits.
    assert_eq!(parts_needed(&p, &p.jobs[0]), 3);
    let split = split_oversized(&p);
    assert_eq!(split.jobs.len(), 3);
    for part in &split.jobs {
        assert!(fits_one(&split, part), "{:?} fits no truck", part.load);
    }
    let kg: f64 = split.jobs.iter().map(|j| j.load.weight.0).sum();
    assert!((kg - 10_205.0).abs() < 1e-9);
    // With three of the light trucks every part is delivered.
    let fleet = vec![
        truck("l1", 5_000.0, 40.0),
        truck("l2", 5_000.0, 40.0),
        truck("l3", 5_000.0, 40.0),
        truck("heavy", 10_000.0, 12.0),
    ];
    let split = split_oversized(&problem(fleet, vec![job(10_205.0, 49.9)]));
    let config = SolverConfig {
        time_limit_s: 1.0,
        threads: 1,
        ..SolverConfig::default()
    };
    let solution = solve(&split, &config).unwrap();
    assert!(solution.unassigned.is_empty(), "{:?}", solution.unassigned);
}

#[test]
fn random_mixed_fleets_get_the_fewest_parts_that_each_fit_a_truck() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    for _ in 0..300 {
        let fleet: Vec<Vehicle> = (0..1 + next(4))
            .map(|k| {
                truck(
                    &format!("t{k}"),
                    1_000.0 * (1 + next(10)) as f64,
                    (5 + next(40)) as f64,
                )
            })
            .collect();
        let j = job((1 + next(40_000)) as f64, (1 + next(200)) as f64);
        let p = problem(fleet, vec![j.clone()]);
        let split = split_oversized(&p);
        for part in &split.jobs {
            assert!(
                fits_one(&p, part),
                "{:?} of {:?} fits no truck",
                part.load,
                j.load
            );
        }
        let kg: f64 = split.jobs.iter().map(|j| j.load.weight.0).sum();
        assert!((kg - j.load.weight.0).abs() < 1e-6);
        // One part fewer would not fit any truck.
        let n = split.jobs.len();
        if n > 1 {
            let fewer = (1..n).any(|m| {
                let w = (j.load.weight.0 / m as f64).ceil();
                let v = (j.load.volume.0 / m as f64).ceil();
                p.vehicles.iter().any(|t| {
                    let c = t.capacity.dims();
                    w <= c[0] && v <= c[1]
                })
            });
            assert!(!fewer, "{n} parts for {:?} where fewer fit", j.load);
        }
    }
}
