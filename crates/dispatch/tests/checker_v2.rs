//! The checker on the extended model: shipments, four load dimensions, backhauls, setup, open
//! routes, speed factors, route limits, breaks, unassigned shipments and costs. Each test builds a
//! feasible plan with `Solution::from_visits` that the checker accepts, then breaks one rule and
//! expects its code.

use wuliu_dispatch::check::{unassigned_reason, unassigned_shipment_reason};
use wuliu_dispatch::problem::{Break, Shipment};
use wuliu_dispatch::solution::Visit;
use wuliu_dispatch::{
    check, Job, Load, Problem, Rounding, Solution, TimeWindow, TravelMatrix, Unassigned,
    UnassignedReason, Vehicle, VehicleCosts,
};
use wuliu_model::{Meters, Seconds};

use Visit::{Break as B, Delivery as D, Job as J, Pickup as P};

/// Depot at x=0, locations 1..=4 at x=10, 20, 30, 40; travel time = distance.
fn line(vehicles: usize) -> Problem {
    let pts: Vec<(f64, f64)> = (0..5).map(|i| (10.0 * i as f64, 0.0)).collect();
    let matrix = TravelMatrix::euclidean(&pts, Rounding::Exact);
    let vehicles = (0..vehicles)
        .map(|i| {
            let shift = TimeWindow::new(0.0, 1000.0);
            Vehicle::new(format!("v{i}"), 0, Load::weight(10.0), shift)
        })
        .collect();
    Problem::new(matrix, vehicles, Vec::new())
}

fn plan(p: &Problem, routes: &[(usize, Vec<Visit>)]) -> Solution {
    Solution::from_visits(p, routes, Vec::new())
}

fn codes(p: &Problem, s: &Solution) -> Vec<String> {
    check(p, s).violations.into_iter().map(|v| v.code).collect()
}

fn assert_feasible(p: &Problem, s: &Solution) {
    let r = check(p, s);
    assert!(r.feasible, "{:#?}", r.violations);
}

fn unassigned_shipment(s: usize, reason: UnassignedReason) -> Unassigned {
    Unassigned {
        job: s,
        shipment: true,
        job_id: format!("s{s}"),
        reason,
    }
}

// ----- 1. shipments --------------------------------------------------------------------------

/// Shipment s0 from x=10 to x=30 (6 kg) and a 2 kg delivery at x=20.
fn shipments() -> Problem {
    let mut p = line(2);
    p.shipments = vec![Shipment::new("s0", 1, 3, 6.0)];
    p.jobs = vec![Job::delivery("j0", 2, 2.0)];
    p
}

#[test]
fn shipment_load_rises_at_pickup_and_falls_at_delivery() {
    let p = shipments();
    let s = plan(&p, &[(0, vec![P(0), J(0), D(0)])]);
    assert_feasible(&p, &s);
    let loads: Vec<f64> = s.routes[0].steps.iter().map(|x| x.load.weight.0).collect();
    assert_eq!(loads, vec![2.0, 8.0, 6.0, 0.0, 0.0]);
    let mut bad = s.clone();
    bad.routes[0].steps[1].load.weight.0 = 2.0;
    assert_eq!(codes(&p, &bad), vec!["load.reported"]);
}

#[test]
fn shipment_delivered_before_pickup() {
    let p = shipments();
    let s = plan(&p, &[(0, vec![D(0), P(0), J(0)])]);
    assert_eq!(codes(&p, &s), vec!["shipment.order"]);
}

#[test]
fn shipment_split_across_two_vehicles() {
    let p = shipments();
    assert_feasible(&p, &plan(&p, &[(0, vec![J(0)]), (1, vec![P(0), D(0)])]));
    let s = plan(&p, &[(0, vec![P(0), J(0)]), (1, vec![D(0)])]);
    assert_eq!(codes(&p, &s), vec!["shipment.split"]);
}

#[test]
fn shipment_served_once_or_unassigned_once() {
    let p = shipments();
    let half = plan(&p, &[(0, vec![P(0), J(0)])]);
    assert_eq!(codes(&p, &half), vec!["coverage"]);
    let twice = plan(&p, &[(0, vec![P(0), J(0), D(0)]), (1, vec![P(0), D(0)])]);
    assert_eq!(codes(&p, &twice), vec!["coverage"]);
    let left = vec![unassigned_shipment(0, UnassignedReason::FleetFull)];
    let out = Solution::from_visits(&p, &[(0, vec![J(0)])], left.clone());
    assert_feasible(&p, &out);
    let both = Solution::from_visits(&p, &[(0, vec![P(0), J(0), D(0)])], left);
    assert_eq!(codes(&p, &both), vec!["coverage"]);
}

#[test]
fn shipment_on_board_counts_against_capacity() {
    let mut p = shipments();
    p.shipments[0].load = Load::weight(9.0);
    assert_feasible(&p, &plan(&p, &[(0, vec![J(0), P(0), D(0)])]));
    let s = plan(&p, &[(0, vec![P(0), J(0), D(0)])]);
    assert_eq!(codes(&p, &s), vec!["capacity"]);
}

#[test]
fn shipment_steps_at_their_stops() {
    let p = shipments();
    let mut s = plan(&p, &[(0, vec![P(0), J(0), D(0)])]);
    s.routes[0].steps[3].location = Some(2);
    assert_eq!(codes(&p, &s), vec!["route.location"]);
}

#[test]
fn shipment_stop_windows_setup_and_service() {
    let mut p = shipments();
    p.shipments[0].pickup.setup = Seconds(3.0);
    p.shipments[0].pickup.service = Seconds(5.0);
    p.shipments[0].delivery.time_windows = vec![TimeWindow::new(0.0, 40.0)];
    let s = plan(&p, &[(0, vec![P(0), J(0), D(0)])]);
    assert_feasible(&p, &s);
    // Pickup 10..18, job at 28, delivery at 38.
    assert_eq!(s.routes[0].steps[1].departure.0, 18.0);
    assert_eq!(s.routes[0].steps[3].service_start.0, 38.0);
    let mut short = s.clone();
    short.routes[0].steps[1].departure = Seconds(17.0);
    assert_eq!(codes(&p, &short), vec!["time.service"]);
    p.shipments[0].delivery.time_windows = vec![TimeWindow::new(0.0, 37.0)];
    assert_eq!(codes(&p, &s), vec!["time_window"]);
}

// ----- 2. loads in four dimensions, backhauls ---------------------------------------------------

#[test]
fn every_load_dimension_is_a_capacity() {
    let mut p = line(2);
    p.vehicles
        .iter_mut()
        .for_each(|v| v.capacity = Load::from_dims([10.0, 10.0, 10.0, 3.0]));
    let job = |id, loc| Job {
        load: Load::from_dims([1.0, 1.0, 1.0, 2.0]),
        ..Job::delivery(id, loc, 0.0)
    };
    p.jobs = vec![job("j0", 1), job("j1", 2)];
    assert_feasible(&p, &plan(&p, &[(0, vec![J(0)]), (1, vec![J(1)])]));
    let s = plan(&p, &[(0, vec![J(0), J(1)])]);
    // 4 on board in dimension 3 at the start, 2 after the first stop.
    assert_eq!(s.routes[0].steps[0].load.extra[1], 4.0);
    let found = check(&p, &s).violations;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "capacity");
    assert_eq!(found[0].field, "routes[0].steps[0]");
    let mut tampered = plan(&p, &[(0, vec![J(0)]), (1, vec![J(1)])]);
    tampered.routes[1].steps[1].load.extra[0] = 0.5;
    assert_eq!(codes(&p, &tampered), vec!["load.reported"]);
}

#[test]
fn backhaul_is_picked_up_at_its_delivery() {
    let mut p = line(1);
    p.jobs = vec![
        Job {
            backhaul: Load::weight(8.0),
            ..Job::delivery("j0", 1, 2.0)
        },
        Job::delivery("j1", 2, 4.0),
    ];
    let s = plan(&p, &[(0, vec![J(1), J(0)])]);
    assert_feasible(&p, &s);
    let loads: Vec<f64> = s.routes[0].steps.iter().map(|x| x.load.weight.0).collect();
    assert_eq!(loads, vec![6.0, 2.0, 8.0, 8.0]);
    // Backhaul first: 6 - 2 + 8 = 12 on board.
    let s = plan(&p, &[(0, vec![J(0), J(1)])]);
    assert_eq!(codes(&p, &s), vec!["capacity"]);
}

// ----- 3. setup ---------------------------------------------------------------------------------

/// Two stops at x=10 and one at x=20, each with setup and service.
fn setups() -> Problem {
    let mut p = line(1);
    let job = |id, loc, setup| Job {
        setup: Seconds(setup),
        service: Seconds(2.0),
        ..Job::delivery(id, loc, 1.0)
    };
    p.jobs = vec![job("j0", 1, 5.0), job("j1", 1, 5.0), job("j2", 2, 4.0)];
    p
}

#[test]
fn setup_only_when_arriving_from_elsewhere() {
    let p = setups();
    let s = plan(&p, &[(0, vec![J(0), J(1), J(2)])]);
    assert_feasible(&p, &s);
    let setup: Vec<f64> = s.routes[0].steps.iter().map(|x| x.setup.0).collect();
    assert_eq!(setup, vec![0.0, 5.0, 0.0, 4.0, 0.0]);
    let mut extra = s.clone();
    extra.routes[0].steps[2].setup = Seconds(5.0);
    assert_eq!(codes(&p, &extra), vec!["setup"]);
    let mut skipped = s.clone();
    skipped.routes[0].steps[1].setup = Seconds(0.0);
    assert_eq!(codes(&p, &skipped), vec!["setup"]);
}

#[test]
fn departure_after_setup_and_service() {
    let p = setups();
    let mut s = plan(&p, &[(0, vec![J(0), J(1), J(2)])]);
    // j2 reached at 29: setup 4 and service 2, leaves at 35.
    assert_eq!(s.routes[0].steps[3].departure.0, 35.0);
    s.routes[0].steps[3].departure = Seconds(34.0);
    assert_eq!(codes(&p, &s), vec!["time.service"]);
}

#[test]
fn setup_at_the_first_stop_of_an_open_route() {
    let mut p = setups();
    p.vehicles[0].start = None;
    let s = plan(&p, &[(0, vec![J(0), J(1), J(2)])]);
    assert_feasible(&p, &s);
    assert_eq!(s.routes[0].steps[1].setup.0, 5.0);
    let mut bad = s.clone();
    bad.routes[0].steps[1].setup = Seconds(0.0);
    assert_eq!(codes(&p, &bad), vec!["setup"]);
}

// ----- 4. open routes ---------------------------------------------------------------------------

fn open(start: Option<usize>, end: Option<usize>) -> Problem {
    let mut p = line(1);
    p.vehicles[0].start = start;
    p.vehicles[0].end = end;
    p.jobs = vec![Job::delivery("j0", 1, 1.0), Job::delivery("j1", 3, 1.0)];
    p
}

#[test]
fn open_routes_drive_only_between_stops() {
    for (start, end, distance) in [
        (None, None, 20.0),
        (Some(0), None, 30.0),
        (None, Some(0), 50.0),
    ] {
        let p = open(start, end);
        let s = plan(&p, &[(0, vec![J(0), J(1)])]);
        let r = check(&p, &s);
        assert!(r.feasible, "{start:?} {end:?}: {:?}", r.violations);
        assert_eq!(r.distance.0, distance, "{start:?} {end:?}");
        // Claiming the drive from or to the depot is caught.
        let mut bad = s.clone();
        bad.routes[0].distance = Meters(60.0);
        assert_eq!(codes(&p, &bad), vec!["route.distance"]);
    }
}

#[test]
fn open_route_ends_must_match_the_vehicle() {
    let p = open(None, Some(0));
    let s = plan(&p, &[(0, vec![J(0), J(1)])]);
    let mut at_depot = s.clone();
    at_depot.routes[0].steps[0].location = Some(0);
    let found = check(&p, &at_depot).violations;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].code.as_str(), found[0].field.as_str()),
        ("route.depot", "routes[0].steps[0]")
    );
    let mut nowhere = s.clone();
    nowhere.routes[0].steps[3].location = None;
    assert_eq!(codes(&p, &nowhere), vec!["route.depot"]);
}

// ----- 5. speed factor --------------------------------------------------------------------------

#[test]
fn speed_factor_scales_travel_time() {
    let mut slow = line(1);
    slow.jobs = vec![Job::delivery("j0", 2, 1.0)];
    slow.vehicles[0].speed_factor = 0.5;
    slow.vehicles[0].costs = VehicleCosts {
        fixed: 0.0,
        per_km: 0.0,
        per_hour: 3600.0,
    };
    let s = plan(&slow, &[(0, vec![J(0)])]);
    let r = check(&slow, &s);
    assert!(r.feasible, "{:?}", r.violations);
    assert_eq!(s.routes[0].steps[1].arrival.0, 40.0);
    assert_eq!(r.cost, 80.0);
    let mut fast = slow.clone();
    fast.vehicles[0].speed_factor = 1.0;
    let ignored = plan(&fast, &[(0, vec![J(0)])]);
    let found = codes(&slow, &ignored);
    for code in ["time.travel", "route.driving", "route.cost"] {
        assert!(
            found.contains(&code.to_string()),
            "{code} missing from {found:?}"
        );
    }
}

// ----- 6. route limits --------------------------------------------------------------------------

fn three_stops() -> Problem {
    let mut p = line(1);
    p.jobs = (1..=3)
        .map(|i| Job::delivery(format!("j{i}"), i, 1.0))
        .collect();
    p.shipments = vec![Shipment::new("s0", 1, 2, 1.0)];
    p
}

#[test]
fn max_tasks_counts_jobs_pickups_and_deliveries() {
    let mut p = three_stops();
    p.vehicles[0].max_tasks = Some(3);
    p.vehicles[0].breaks = vec![brk(0.0, 1000.0, 1.0)];
    let left = |s: usize| vec![unassigned_shipment(s, UnassignedReason::FleetFull)];
    let ok = Solution::from_visits(&p, &[(0, vec![J(0), B(0), J(1), J(2)])], left(0));
    assert_feasible(&p, &ok);
    let jobs = vec![Unassigned {
        job: 2,
        shipment: false,
        job_id: "j3".into(),
        reason: UnassignedReason::FleetFull,
    }];
    let four = Solution::from_visits(&p, &[(0, vec![J(0), P(0), D(0), B(0), J(1)])], jobs);
    assert_eq!(codes(&p, &four), vec!["max_tasks"]);
}

#[test]
fn max_travel_time_with_the_speed_factor() {
    let mut p = three_stops();
    p.shipments.clear();
    p.vehicles[0].speed_factor = 2.0;
    p.vehicles[0].max_travel_time = Some(Seconds(30.0));
    let s = plan(&p, &[(0, vec![J(0), J(1), J(2)])]);
    // 60 of matrix time at twice the speed.
    assert_eq!(s.routes[0].driving.0, 30.0);
    assert_feasible(&p, &s);
    p.vehicles[0].max_travel_time = Some(Seconds(29.0));
    assert_eq!(codes(&p, &s), vec!["max_travel_time"]);
}

#[test]
fn max_distance_ignores_the_speed_factor() {
    let mut p = three_stops();
    p.shipments.clear();
    p.vehicles[0].speed_factor = 2.0;
    p.vehicles[0].max_distance = Some(Meters(60.0));
    let s = plan(&p, &[(0, vec![J(0), J(1), J(2)])]);
    assert_feasible(&p, &s);
    p.vehicles[0].max_distance = Some(Meters(59.0));
    assert_eq!(codes(&p, &s), vec!["max_distance"]);
}

#[test]
fn shift_end_on_an_open_route_is_the_last_stop() {
    let mut p = open(Some(0), None);
    p.vehicles[0].shift = TimeWindow::new(0.0, 30.0);
    let s = plan(&p, &[(0, vec![J(0), J(1)])]);
    assert_feasible(&p, &s);
    p.vehicles[0].shift = TimeWindow::new(0.0, 29.0);
    assert_eq!(codes(&p, &s), vec!["shift"]);
}

// ----- 7. breaks --------------------------------------------------------------------------------

fn brk(from: f64, to: f64, service: f64) -> Break {
    Break {
        id: "lunch".into(),
        time_windows: vec![TimeWindow::new(from, to)],
        service: Seconds(service),
        max_load: None,
    }
}

/// Deliveries at x=10 and x=20 and a break from 15 to 25 lasting 5.
fn with_break() -> Problem {
    let mut p = line(1);
    p.jobs = vec![Job::delivery("j0", 1, 2.0), Job::delivery("j1", 2, 2.0)];
    p.vehicles[0].breaks = vec![brk(15.0, 25.0, 5.0)];
    p
}

#[test]
fn break_taken_where_the_vehicle_is_inside_its_window() {
    let p = with_break();
    let s = plan(&p, &[(0, vec![J(0), B(0), J(1)])]);
    assert_feasible(&p, &s);
    let b = &s.routes[0].steps[2];
    assert_eq!(
        (b.location, b.service_start.0, b.departure.0),
        (Some(1), 15.0, 20.0)
    );
    let mut moved = s.clone();
    moved.routes[0].steps[2].location = Some(2);
    assert_eq!(codes(&p, &moved), vec!["break.location"]);
    let mut short = s.clone();
    short.routes[0].steps[2].departure = Seconds(19.0);
    assert_eq!(codes(&p, &short), vec!["time.service"]);
}

#[test]
fn break_outside_its_window() {
    let p = with_break();
    // With j1 open from 30, a break after j1 starts at 30, past its window [15, 25].
    let mut late = p.clone();
    late.jobs[1].time_windows = vec![TimeWindow::new(30.0, 40.0)];
    assert_feasible(&late, &plan(&late, &[(0, vec![J(0), B(0), J(1)])]));
    let s = plan(&late, &[(0, vec![J(0), J(1), B(0)])]);
    assert_eq!(codes(&late, &s), vec!["break.window"]);
}

#[test]
fn every_break_exactly_once() {
    let p = with_break();
    let none = plan(&p, &[(0, vec![J(0), J(1)])]);
    let found = check(&p, &none).violations;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].code.as_str(), found[0].field.as_str()),
        ("break.count", "vehicles[0].breaks[0]")
    );
    let mut q = p.clone();
    q.vehicles[0].breaks[0].time_windows = vec![TimeWindow::new(0.0, 100.0)];
    let twice = plan(&q, &[(0, vec![J(0), B(0), J(1), B(0)])]);
    assert_eq!(codes(&q, &twice), vec!["break.count"]);
}

#[test]
fn break_before_the_first_stop_of_an_open_route() {
    let mut p = with_break();
    p.vehicles[0].start = None;
    p.vehicles[0].breaks[0] = brk(0.0, 100.0, 5.0);
    let s = plan(&p, &[(0, vec![B(0), J(0), J(1)])]);
    assert_feasible(&p, &s);
    assert_eq!(s.routes[0].steps[1].location, Some(1));
    let mut nowhere = s.clone();
    nowhere.routes[0].steps[1].location = None;
    assert_eq!(codes(&p, &nowhere), vec!["break.location"]);
}

#[test]
fn break_load_limit() {
    let mut p = with_break();
    p.vehicles[0].breaks[0] = Break {
        max_load: Some(Load::weight(3.0)),
        ..brk(0.0, 100.0, 5.0)
    };
    assert_feasible(&p, &plan(&p, &[(0, vec![J(0), B(0), J(1)])]));
    let s = plan(&p, &[(0, vec![B(0), J(0), J(1)])]);
    assert_eq!(codes(&p, &s), vec!["break.max_load"]);
}

// ----- 8. unassigned reasons for shipments --------------------------------------------------------

fn reason_of(p: &Problem) -> UnassignedReason {
    let r = unassigned_shipment_reason(p, 0);
    // The checker accepts exactly that reason among the four.
    for other in [
        UnassignedReason::NoCompatibleVehicle,
        UnassignedReason::ExceedsCapacity,
        UnassignedReason::TimeWindowUnreachable,
        UnassignedReason::FleetFull,
    ] {
        let s = Solution::from_visits(p, &[], vec![unassigned_shipment(0, other)]);
        let ok = check(p, &s).feasible;
        if other == r {
            assert!(ok, "{r:?} rejected: {:?}", check(p, &s).violations);
        } else if other != UnassignedReason::TimeWindowUnreachable
            || r == UnassignedReason::FleetFull
        {
            // (TimeWindowUnreachable also holds vacuously when no vehicle is compatible or fits.)
            assert_eq!(
                codes(p, &s),
                vec!["unassigned.reason"],
                "{other:?} accepted for {r:?}"
            );
        }
    }
    r
}

#[test]
fn shipment_reasons_follow_the_data() {
    let mut p = line(1);
    p.shipments = vec![Shipment::new("s0", 1, 3, 6.0)];
    assert_eq!(reason_of(&p), UnassignedReason::FleetFull);
    let mut q = p.clone();
    q.shipments[0].skills.insert("tail-lift".into());
    assert_eq!(reason_of(&q), UnassignedReason::NoCompatibleVehicle);
    q.vehicles[0].skills.insert("tail-lift".into());
    assert_eq!(reason_of(&q), UnassignedReason::FleetFull);
    let mut q = p.clone();
    q.shipments[0].load.extra[0] = 1.0;
    assert_eq!(reason_of(&q), UnassignedReason::ExceedsCapacity);
    let mut q = p.clone();
    q.shipments[0].delivery.time_windows = vec![TimeWindow::new(0.0, 29.0)];
    assert_eq!(reason_of(&q), UnassignedReason::TimeWindowUnreachable);
    let mut q = p.clone();
    q.vehicles[0].max_tasks = Some(1);
    assert_eq!(reason_of(&q), UnassignedReason::TimeWindowUnreachable);
}

#[test]
fn shipment_solo_route_may_leave_late_for_max_duration() {
    // Pickup at x=10 any time, delivery at x=20 in [50, 60], back at x=0: leaving at 30 or later
    // takes 40 (leaving at 0 would take 70).
    let mut p = line(1);
    p.shipments = vec![Shipment::new("s0", 1, 2, 1.0)];
    p.shipments[0].delivery.time_windows = vec![TimeWindow::new(50.0, 60.0)];
    p.vehicles[0].max_duration = Some(Seconds(40.0));
    assert_eq!(reason_of(&p), UnassignedReason::FleetFull);
    p.vehicles[0].max_duration = Some(Seconds(39.0));
    assert_eq!(reason_of(&p), UnassignedReason::TimeWindowUnreachable);
}

#[test]
fn job_reasons_use_speed_factor_setup_and_backhaul() {
    let mut p = line(1);
    p.jobs = vec![Job {
        time_windows: vec![TimeWindow::new(0.0, 30.0)],
        ..Job::delivery("j0", 3, 1.0)
    }];
    assert_eq!(unassigned_reason(&p, 0), UnassignedReason::FleetFull);
    p.vehicles[0].speed_factor = 0.5;
    assert_eq!(
        unassigned_reason(&p, 0),
        UnassignedReason::TimeWindowUnreachable
    );
    p.vehicles[0].speed_factor = 1.0;
    p.vehicles[0].shift = TimeWindow::new(0.0, 62.0);
    p.jobs[0].setup = Seconds(2.0);
    assert_eq!(unassigned_reason(&p, 0), UnassignedReason::FleetFull);
    p.jobs[0].setup = Seconds(3.0);
    assert_eq!(
        unassigned_reason(&p, 0),
        UnassignedReason::TimeWindowUnreachable
    );
    p.jobs[0].backhaul = Load::weight(11.0);
    assert_eq!(unassigned_reason(&p, 0), UnassignedReason::ExceedsCapacity);
}

#[test]
fn solo_routes_take_the_breaks_wherever_they_fit() {
    // A 5 kg delivery at x=30 and back: 60 of driving.
    let mut p = line(1);
    p.jobs = vec![Job::delivery("j0", 3, 5.0)];
    p.vehicles[0].shift = TimeWindow::new(0.0, 70.0);
    p.vehicles[0].breaks = vec![brk(0.0, 100.0, 10.0)];
    assert_eq!(unassigned_reason(&p, 0), UnassignedReason::FleetFull);
    p.vehicles[0].breaks[0].service = Seconds(11.0);
    assert_eq!(
        unassigned_reason(&p, 0),
        UnassignedReason::TimeWindowUnreachable
    );
    // At most 3 kg on board during the break: only after the delivery, so not before 30.
    p.vehicles[0].breaks[0] = Break {
        max_load: Some(Load::weight(3.0)),
        ..brk(0.0, 29.0, 1.0)
    };
    assert_eq!(
        unassigned_reason(&p, 0),
        UnassignedReason::TimeWindowUnreachable
    );
    p.vehicles[0].breaks[0].time_windows = vec![TimeWindow::new(0.0, 30.0)];
    assert_eq!(unassigned_reason(&p, 0), UnassignedReason::FleetFull);
    // Two breaks, the late one listed first, taken in the other order: the early one at the
    // depot, the late one at x=30 (a break is taken where the vehicle is), back by 91.
    p.vehicles[0].shift = TimeWindow::new(0.0, 100.0);
    let mut late = brk(60.0, 65.0, 1.0);
    late.id = "late".into();
    p.vehicles[0].breaks = vec![late, brk(0.0, 5.0, 1.0)];
    assert_eq!(unassigned_reason(&p, 0), UnassignedReason::FleetFull);
    p.vehicles[0].breaks[0].time_windows = vec![TimeWindow::new(70.0, 75.0)];
    assert_eq!(
        unassigned_reason(&p, 0),
        UnassignedReason::TimeWindowUnreachable
    );
}

// ----- 9. costs ---------------------------------------------------------------------------------

#[test]
fn cost_is_fixed_plus_distance_plus_driving_time() {
    let mut p = three_stops();
    p.shipments.clear();
    p.jobs.truncate(2);
    p.vehicles[0].speed_factor = 2.0;
    p.vehicles[0].costs = VehicleCosts {
        fixed: 10.0,
        per_km: 2.0,
        per_hour: 3600.0,
    };
    let s = plan(&p, &[(0, vec![J(0), J(1)])]);
    let r = check(&p, &s);
    assert!(r.feasible, "{:?}", r.violations);
    // 40 m and 20 s of driving: 10 + 2 * 0.04 + 20.
    assert!((r.cost - 30.08).abs() < 1e-9, "{}", r.cost);
    let mut cost = s.clone();
    cost.routes[0].cost += 1.0;
    assert_eq!(codes(&p, &cost), vec!["route.cost"]);
    let mut driving = s.clone();
    driving.routes[0].driving = Seconds(40.0);
    assert_eq!(codes(&p, &driving), vec!["route.driving"]);
}

// ----- malformed steps --------------------------------------------------------------------------

#[test]
fn malformed_steps_are_named() {
    let mut p = shipments();
    p.vehicles[0].breaks = vec![brk(0.0, 100.0, 1.0)];
    let s = plan(&p, &[(0, vec![P(0), B(0), J(0), D(0)])]);
    assert_feasible(&p, &s);
    let field = |s: &Solution| {
        let found = check(&p, s).violations;
        found
            .iter()
            .map(|v| format!("{} {}", v.code, v.field))
            .collect::<Vec<_>>()
    };
    let mut ship = s.clone();
    ship.routes[0].steps[1].shipment = Some(7);
    assert_eq!(
        field(&ship),
        vec!["route.shipment routes[0].steps[1]", "coverage shipments[0]"]
    );
    let mut brk = s.clone();
    brk.routes[0].steps[2].break_index = Some(1);
    assert_eq!(field(&brk), vec!["route.break routes[0].steps[2]"]);
    let mut start = s.clone();
    start.routes[0].steps[3].kind = wuliu_dispatch::StepKind::Start;
    assert_eq!(
        field(&start),
        vec!["route.shape routes[0].steps[3]", "coverage jobs[0]"]
    );
}
