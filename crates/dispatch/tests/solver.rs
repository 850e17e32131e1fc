//! Solver scenarios. Every solution is validated by the independent checker.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_dispatch::{
    check, solomon, solve, Job, JobKind, Load, Problem, Rounding, Solution, SolverConfig,
    TimeWindow, TravelMatrix, UnassignedReason, Vehicle,
};
use wuliu_model::{Celsius, Seconds, TemperatureRange, M3};

fn solve_checked(p: &Problem, config: &SolverConfig) -> Solution {
    let s = solve(p, config).unwrap();
    let r = check(p, &s);
    assert!(
        r.feasible,
        "solver output fails the checker: {:?}",
        r.violations
    );
    assert!((r.cost - s.summary.cost).abs() < 1e-6);
    s
}

/// Exact optimum by enumeration: best feasible sequence for every subset of jobs, then the best
/// partition into at most `k` routes. Homogeneous fleet, cost = distance.
fn oracle(p: &Problem) -> Option<f64> {
    let n = p.jobs.len();
    let k = p.vehicles.len();
    let full = (1usize << n) - 1;
    let mut best_route = vec![f64::INFINITY; 1 << n];
    best_route[0] = 0.0;
    fn rec(p: &Problem, seq: &mut Vec<usize>, used: usize, best: &mut [f64]) {
        if !seq.is_empty() {
            let s = Solution::from_sequences(p, &[(0, seq.clone())], vec![]);
            // Jobs outside `seq` are reported as missing; every other violation makes `seq` infeasible.
            if check(p, &s).violations.iter().any(|v| v.code != "coverage") {
                return;
            }
            let c = s.routes[0].cost;
            if c < best[used] {
                best[used] = c;
            }
        }
        for j in 0..p.jobs.len() {
            if used & (1 << j) == 0 {
                seq.push(j);
                rec(p, seq, used | (1 << j), best);
                seq.pop();
            }
        }
    }
    rec(p, &mut Vec::new(), 0, &mut best_route);
    // f[m][mask]: best cost covering mask with at most m routes.
    let mut f = best_route.clone();
    for _ in 1..k {
        let mut g = f.clone();
        for mask in 1..=full {
            let mut sub = mask;
            while sub > 0 {
                let c = best_route[sub] + f[mask ^ sub];
                if c < g[mask] {
                    g[mask] = c;
                }
                sub = (sub - 1) & mask;
            }
        }
        f = g;
    }
    f[full].is_finite().then_some(f[full])
}

fn random_problem(seed: u64, n: usize) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pts: Vec<(f64, f64)> = (0..=n)
        .map(|_| (rng.gen_range(0.0..100.0), rng.gen_range(0.0..100.0)))
        .collect();
    let matrix = TravelMatrix::euclidean(&pts, Rounding::Exact);
    let vehicles = (0..3)
        .map(|i| {
            Vehicle::new(
                format!("v{i}"),
                0,
                Load::from_array([20.0, 20.0]),
                TimeWindow::new(0.0, 600.0),
            )
        })
        .collect();
    let jobs = (1..=n)
        .map(|i| {
            let mut j = Job::delivery(format!("j{i}"), i, rng.gen_range(1.0..9.0));
            if rng.gen_bool(0.3) {
                j.kind = JobKind::Pickup;
            }
            j.load.volume = M3(rng.gen_range(0.0..8.0));
            j.service = Seconds(10.0);
            let a = rng.gen_range(0.0..350.0);
            j.time_windows = vec![TimeWindow::new(a, a + rng.gen_range(40.0..200.0))];
            j
        })
        .collect();
    Problem::new(matrix, vehicles, jobs)
}

#[test]
fn finds_the_exact_optimum_of_small_random_instances() {
    let mut compared = 0;
    for seed in 0..12 {
        let p = random_problem(seed, 7);
        let Some(opt) = oracle(&p) else { continue };
        let s = solve_checked(&p, &SolverConfig::iterations(3_000, 1, seed));
        assert!(s.unassigned.is_empty(), "seed {seed}: {:?}", s.unassigned);
        assert!(
            (s.summary.cost - opt).abs() < 1e-9,
            "seed {seed}: solver {} vs optimum {opt}",
            s.summary.cost
        );
        compared += 1;
    }
    assert!(
        compared >= 8,
        "only {compared} random instances were feasible"
    );
}

fn solomon25(name: &str) -> Problem {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/solomon/{name}.txt"));
    let mut inst = solomon::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    // Solomon's 25-customer instances are the first 25 customers of the 100-customer files.
    inst.nodes.truncate(26);
    inst.to_problem(Rounding::TruncateOneDecimal)
}

#[test]
fn reaches_proven_optima_of_solomon_25_customer_instances() {
    // Optimal distances with distances truncated to one decimal (Kohl et al. 1999; Kallehauge et al.).
    for (name, opt, vehicles) in [
        ("C101", 191.3, 3),
        ("R101", 617.1, 8),
        ("RC101", 461.1, 4),
        ("C201", 214.7, 2),
    ] {
        let p = solomon25(name);
        let s = solve_checked(&p, &SolverConfig::iterations(20_000, 1, 7));
        assert!(s.unassigned.is_empty());
        assert!(
            (s.summary.distance.0 - opt).abs() < 1e-6,
            "{name}: found {} vs optimum {opt}",
            s.summary.distance.0
        );
        assert_eq!(s.routes.len(), vehicles, "{name}");
    }
}

#[test]
fn same_seed_same_plan() {
    let p = solomon25("R101");
    let config = SolverConfig::iterations(2_000, 2, 42);
    let a = solve_checked(&p, &config);
    let b = solve_checked(&p, &config);
    assert_eq!(a, b);
}

#[test]
fn anytime_returns_a_feasible_plan_within_a_tiny_budget() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/homberger/r1_2_1.txt");
    let p = solomon::parse(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .to_problem(Rounding::Exact);
    let config = SolverConfig {
        time_limit_s: 0.05,
        ..SolverConfig::default()
    };
    let s = solve_checked(&p, &config);
    assert!(s.unassigned.is_empty());
    assert_eq!(s.summary.served, 200);
}

/// A small city problem: an ambient lorry and a refrigerated van, mixed deliveries and pickups.
fn city() -> Problem {
    let pts: Vec<(f64, f64)> = vec![
        (0.0, 0.0),
        (1000.0, 0.0),
        (2000.0, 0.0),
        (0.0, 1500.0),
        (1500.0, 1500.0),
        (-1000.0, 0.0),
        (0.0, -2000.0),
        (500.0, 500.0),
    ];
    let matrix = TravelMatrix::euclidean(&pts, Rounding::Exact);
    let cold = TemperatureRange {
        min: Celsius(0.0),
        max: Celsius(4.0),
    };
    let mut lorry = Vehicle::new(
        "lorry",
        0,
        Load::from_array([5000.0, 20.0]),
        TimeWindow::new(0.0, 36_000.0),
    );
    lorry.body = Some("box".into());
    lorry.costs.fixed = 100.0;
    let mut van = Vehicle::new(
        "van",
        0,
        Load::from_array([800.0, 4.0]),
        TimeWindow::new(0.0, 36_000.0),
    );
    van.temperature = Some(TemperatureRange {
        min: Celsius(-18.0),
        max: Celsius(8.0),
    });
    van.costs.fixed = 50.0;
    let mut jobs: Vec<Job> = (1..=6)
        .map(|i| Job::delivery(format!("shop{i}"), i, 300.0))
        .collect();
    for j in &mut jobs {
        j.service = Seconds(600.0);
        j.load.volume = M3(1.0);
    }
    jobs[0].temperature = Some(cold);
    jobs[1].temperature = Some(cold);
    jobs[2].kind = JobKind::Pickup;
    jobs[3].time_windows = vec![TimeWindow::new(0.0, 600.0), TimeWindow::new(7200.0, 9000.0)];
    jobs[4].body = Some("box".into());
    // Unservable on purpose: a hazardous load nobody may carry, one too heavy, one too early.
    let mut hazmat = Job::delivery("hazmat", 7, 10.0);
    hazmat.cargo_class = Some("hazmat-3".into());
    lorry.cargo_classes = ["general".to_string()].into();
    van.cargo_classes = ["general".to_string(), "food".to_string()].into();
    jobs.push(hazmat);
    jobs.push(Job::delivery("piano", 7, 9000.0));
    let mut dawn = Job::delivery("dawn", 2, 10.0);
    dawn.time_windows = vec![TimeWindow::new(0.0, 1.0)];
    jobs.push(dawn);
    Problem::new(matrix, vec![lorry, van], jobs)
}

#[test]
fn rich_constraints_and_unassigned_reasons() {
    let p = city();
    let s = solve_checked(&p, &SolverConfig::iterations(2_000, 2, 1));
    let reason = |id: &str| {
        s.unassigned
            .iter()
            .find(|u| u.job_id == id)
            .map(|u| u.reason)
    };
    assert_eq!(
        reason("hazmat"),
        Some(UnassignedReason::NoCompatibleVehicle)
    );
    assert_eq!(reason("piano"), Some(UnassignedReason::ExceedsCapacity));
    assert_eq!(
        reason("dawn"),
        Some(UnassignedReason::TimeWindowUnreachable)
    );
    assert_eq!(s.summary.served, 6);
    let route_of = |id: &str| {
        s.routes
            .iter()
            .find(|r| r.steps.iter().any(|st| st.job_id.as_deref() == Some(id)))
            .unwrap()
    };
    assert_eq!(route_of("shop1").vehicle_id, "van");
    assert_eq!(route_of("shop2").vehicle_id, "van");
    assert_eq!(route_of("shop5").vehicle_id, "lorry");
    // shop4's first window closes before anyone can arrive with the other stops; any service is in a window.
    let st = route_of("shop4")
        .steps
        .iter()
        .find(|st| st.job_id.as_deref() == Some("shop4"))
        .unwrap();
    assert!(st.service_start.0 <= 600.0 || (7200.0..=9000.0).contains(&st.service_start.0));
}

#[test]
fn a_full_fleet_leaves_jobs_out_and_says_so() {
    let mut p = city();
    p.jobs.truncate(6);
    for j in &mut p.jobs {
        j.temperature = None;
        j.body = None;
        j.load.weight = wuliu_model::Kg(700.0);
    }
    p.vehicles.truncate(1);
    p.vehicles[0].capacity = Load::from_array([1500.0, 20.0]);
    let s = solve_checked(&p, &SolverConfig::iterations(1_000, 1, 1));
    // At most two 700 kg deliveries fit in 1500 kg; the pickup adds load after deliveries are made.
    assert!(s.summary.served <= 3);
    assert!(s
        .unassigned
        .iter()
        .all(|u| u.reason == UnassignedReason::FleetFull));
    assert_eq!(s.summary.served + s.unassigned.len(), 6);
}

#[test]
fn maximum_route_duration_is_respected() {
    let mut p = random_problem(3, 7);
    for v in &mut p.vehicles {
        v.max_duration = Some(Seconds(250.0));
    }
    let s = solve_checked(&p, &SolverConfig::iterations(2_000, 1, 5));
    assert!(s.routes.iter().all(|r| r.duration.0 <= 250.0 + 1e-9));
}

#[test]
fn invalid_problems_are_rejected_with_all_violations() {
    let mut p = city();
    p.jobs[0].location = 99;
    p.vehicles[0].shift = TimeWindow::new(10.0, 0.0);
    match solve(&p, &SolverConfig::default()) {
        Err(e @ wuliu_dispatch::DispatchError::Invalid(_)) => {
            // The message (what the CLI prints) names each problem with its field path.
            let text = e.to_string();
            assert!(
                text.contains("jobs[0]") && text.contains("vehicles[0]"),
                "{text}"
            );
            let wuliu_dispatch::DispatchError::Invalid(v) = e else {
                unreachable!()
            };
            assert_eq!(v.0.len(), 2);
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

/// One vehicle whose shift holds one job: job 0 is 50 km out, job 1 is 5 km out.
fn one_job_fits(uniform_penalty: Option<f64>) -> Solution {
    let km = [0.0, 50_000.0, 5_000.0];
    let mut dist = vec![0.0; 9];
    for a in 0..3 {
        for b in 0..3 {
            if a != b {
                dist[a * 3 + b] = km[a] + km[b];
            }
        }
    }
    let dur = dist.iter().map(|d| d / 20.0).collect();
    let matrix = TravelMatrix::from_flat(3, dist, dur).unwrap();
    let shift = TimeWindow::new(0.0, 12.0 * 3600.0);
    let vehicle = Vehicle::new("v", 0, Load::default(), shift);
    let jobs: Vec<Job> = (1..3)
        .map(|loc| {
            let mut j = Job::delivery(format!("j{loc}"), loc, 0.0);
            j.service = Seconds(8.0 * 3600.0);
            j
        })
        .collect();
    let mut p = Problem::new(matrix, vec![vehicle], jobs);
    p.unassigned_penalty = uniform_penalty;
    solve_checked(&p, &SolverConfig::iterations(500, 1, 3))
}

#[test]
fn a_uniform_penalty_makes_jobs_interchangeable() {
    // By default leaving a job out costs ten times its own lone route, so the dear job is kept.
    let s = one_job_fits(None);
    assert_eq!(s.routes[0].jobs(), vec![0]);
    // With one penalty for every job, the cheap job is served instead.
    let s = one_job_fits(Some(1.0e6));
    assert_eq!(s.routes[0].jobs(), vec![1]);
    assert_eq!(s.unassigned.len(), 1);
}
