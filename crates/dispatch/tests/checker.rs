//! Unit tests of the independent checker: each rule is broken on purpose and must be reported.

use wuliu_dispatch::{
    check, Job, JobKind, Load, Problem, Rounding, Solution, TimeWindow, TravelMatrix, Unassigned,
    UnassignedReason, Vehicle,
};
use wuliu_model::{Celsius, Seconds, TemperatureRange};

/// Depot at x=0, customers at x=10, 20, 30; travel time = distance.
fn line() -> Problem {
    let matrix = TravelMatrix::euclidean(
        &[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 0.0)],
        Rounding::Exact,
    );
    let cap = Load::from_array([10.0, 10.0]);
    let vehicles = vec![
        Vehicle::new("a", 0, cap, TimeWindow::new(0.0, 200.0)),
        Vehicle::new("b", 0, cap, TimeWindow::new(0.0, 200.0)),
    ];
    let mut jobs: Vec<Job> = (1..=3)
        .map(|i| Job::delivery(format!("j{i}"), i, 4.0))
        .collect();
    jobs[0].time_windows = vec![TimeWindow::new(0.0, 50.0)];
    jobs[1].time_windows = vec![TimeWindow::new(15.0, 60.0)];
    jobs[2].service = Seconds(5.0);
    Problem::new(matrix, vehicles, jobs)
}

fn codes(p: &Problem, s: &Solution) -> Vec<String> {
    check(p, s).violations.into_iter().map(|v| v.code).collect()
}

#[test]
fn a_valid_plan_passes_and_is_measured() {
    let p = line();
    let s = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    let r = check(&p, &s);
    assert!(r.feasible, "{:?}", r.violations);
    assert!((r.distance.0 - 100.0).abs() < 1e-9);
    // Default costs are 1 per km and distances are metres.
    assert!((r.cost - 0.1).abs() < 1e-12);
    // j2 opens at 15 but the vehicle arrives at 20: no waiting; the start is shifted to leave at 0.
    assert_eq!(s.routes[0].steps[2].service_start.0, 20.0);
}

#[test]
fn capacity_is_checked_at_every_step() {
    let p = line();
    let s = Solution::from_sequences(&p, &[(0, vec![0, 1, 2])], vec![]);
    assert!(codes(&p, &s).contains(&"capacity".to_string()));
}

#[test]
fn pickups_after_deliveries_fit_but_not_before() {
    let mut p = line();
    p.jobs[0].load = Load::weight(6.0);
    p.jobs[1].kind = JobKind::Pickup;
    p.jobs[1].load = Load::weight(6.0);
    p.jobs[1].time_windows.clear();
    let ok = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    assert!(check(&p, &ok).feasible);
    let bad = Solution::from_sequences(&p, &[(0, vec![1, 0]), (1, vec![2])], vec![]);
    assert_eq!(codes(&p, &bad), vec!["capacity"]);
}

#[test]
fn volume_is_a_capacity_too() {
    let mut p = line();
    p.jobs[0].load.volume = wuliu_model::M3(11.0);
    let s = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    assert!(codes(&p, &s).contains(&"capacity".to_string()));
}

#[test]
fn late_service_breaks_the_window() {
    let mut p = line();
    p.jobs[0].time_windows = vec![TimeWindow::new(0.0, 40.0)];
    // Going to x=30 first means reaching x=10 at 30 + 5 + 20 = 55.
    let s = Solution::from_sequences(&p, &[(0, vec![2, 0]), (1, vec![1])], vec![]);
    assert_eq!(codes(&p, &s), vec!["time_window"]);
}

#[test]
fn several_windows_any_one_will_do() {
    let mut p = line();
    p.jobs[0].time_windows = vec![TimeWindow::new(0.0, 5.0), TimeWindow::new(50.0, 60.0)];
    let s = Solution::from_sequences(&p, &[(0, vec![2, 0]), (1, vec![1])], vec![]);
    assert!(check(&p, &s).feasible);
    assert_eq!(s.routes[0].steps[2].service_start.0, 55.0);
}

#[test]
fn tampered_times_are_caught() {
    let p = line();
    let mut s = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    s.routes[0].steps[1].arrival = Seconds(5.0);
    s.routes[0].steps[1].service_start = Seconds(5.0);
    assert!(codes(&p, &s).contains(&"time.travel".to_string()));
}

#[test]
fn shift_end_and_max_duration() {
    let mut p = line();
    p.vehicles[1].shift = TimeWindow::new(0.0, 60.0);
    let s = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    assert_eq!(codes(&p, &s), vec!["shift"]);
    let mut p = line();
    p.vehicles[0].max_duration = Some(Seconds(39.0));
    assert_eq!(codes(&p, &s), vec!["max_duration"]);
}

#[test]
fn cold_chain_needs_a_refrigerated_vehicle() {
    let mut p = line();
    let chilled = TemperatureRange {
        min: Celsius(0.0),
        max: Celsius(4.0),
    };
    p.jobs[2].temperature = Some(chilled);
    let s = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    assert_eq!(codes(&p, &s), vec!["compatibility"]);
    p.vehicles[1].temperature = Some(TemperatureRange {
        min: Celsius(-20.0),
        max: Celsius(8.0),
    });
    assert!(check(&p, &s).feasible);
}

#[test]
fn every_job_once_or_unassigned_once() {
    let p = line();
    let missing = Solution::from_sequences(&p, &[(0, vec![0, 1])], vec![]);
    assert_eq!(codes(&p, &missing), vec!["coverage"]);
    let twice = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2, 1])], vec![]);
    assert!(codes(&p, &twice).contains(&"coverage".to_string()));
    let reused = Solution::from_sequences(&p, &[(0, vec![0]), (0, vec![1, 2])], vec![]);
    assert!(codes(&p, &reused).contains(&"route.vehicle_reused".to_string()));
}

#[test]
fn unassigned_reasons_must_hold() {
    let mut p = line();
    let un = |reason| {
        vec![Unassigned {
            job: 2,
            shipment: false,
            job_id: "j3".into(),
            reason,
        }]
    };
    let s = Solution::from_sequences(&p, &[(0, vec![0, 1])], un(UnassignedReason::FleetFull));
    assert!(check(&p, &s).feasible);
    let s = Solution::from_sequences(
        &p,
        &[(0, vec![0, 1])],
        un(UnassignedReason::NoCompatibleVehicle),
    );
    assert_eq!(codes(&p, &s), vec!["unassigned.reason"]);
    p.jobs[2].load = Load::weight(11.0);
    let s = Solution::from_sequences(
        &p,
        &[(0, vec![0, 1])],
        un(UnassignedReason::ExceedsCapacity),
    );
    assert!(check(&p, &s).feasible);
    let s = Solution::from_sequences(
        &p,
        &[(0, vec![0, 1])],
        un(UnassignedReason::TimeWindowUnreachable),
    );
    assert!(
        check(&p, &s).feasible,
        "no vehicle fits, so none can reach it either"
    );
}

#[test]
fn reported_distance_must_match() {
    let p = line();
    let mut s = Solution::from_sequences(&p, &[(0, vec![0, 1]), (1, vec![2])], vec![]);
    s.routes[1].distance.0 -= 1.0;
    assert!(codes(&p, &s).contains(&"route.distance".to_string()));
}
