//! `solve_from`: the search starts from given routes (a dispatcher's plan, VROOM's vehicle steps).

use wuliu_dispatch::{
    check, solve_from, Job, Load, Problem, Rounding, Shipment, SolverConfig, TimeWindow,
    TravelMatrix, Vehicle, Visit,
};

/// A depot and five places on a line, 1 apart.
fn problem() -> Problem {
    let pts: Vec<(f64, f64)> = (0..6).map(|i| (i as f64, 0.0)).collect();
    let matrix = TravelMatrix::euclidean(&pts, Rounding::Exact);
    let vehicles = (0..2)
        .map(|i| {
            Vehicle::new(
                format!("v{i}"),
                0,
                Load::weight(10.0),
                TimeWindow::new(0.0, 100.0),
            )
        })
        .collect();
    let jobs = (1..=3)
        .map(|i| Job::delivery(format!("j{i}"), i, 1.0))
        .collect();
    let mut p = Problem::new(matrix, vehicles, jobs);
    p.shipments = vec![Shipment::new("s", 4, 5, 1.0)];
    p
}

#[test]
fn a_feasible_initial_route_is_kept_when_there_is_no_search() {
    let p = problem();
    // A poor but feasible order on the second vehicle.
    let initial = vec![(
        1,
        vec![
            Visit::Job(2),
            Visit::Pickup(0),
            Visit::Job(0),
            Visit::Delivery(0),
        ],
    )];
    let s = solve_from(&p, &SolverConfig::iterations(0, 1, 1), &initial).unwrap();
    assert!(check(&p, &s).feasible);
    let r = s
        .routes
        .iter()
        .find(|r| r.vehicle == 1)
        .expect("the given route");
    let given: Vec<Visit> = r
        .visits()
        .into_iter()
        .filter(|x| initial[0].1.contains(x))
        .collect();
    assert_eq!(given, initial[0].1, "the given order is the start");
    assert_eq!(s.summary.served, 4, "the other job is inserted");
}

#[test]
fn an_infeasible_initial_route_is_dropped_and_its_tasks_planned() {
    let p = problem();
    // Delivery before pickup: not a route; the plan is made without it.
    let initial = vec![(0, vec![Visit::Delivery(0), Visit::Pickup(0)])];
    let s = solve_from(&p, &SolverConfig::iterations(200, 1, 1), &initial).unwrap();
    let report = check(&p, &s);
    assert!(report.feasible, "{:?}", report.violations);
    assert_eq!(s.summary.served, 4);
    assert_eq!(
        s.summary.distance.0, 10.0,
        "one truck to the end of the line and back"
    );
}
