//! Re-planning after a closure or a new request: trucks on the road keep what they can still
//! deliver, cut ones turn back (or are stranded), trips not yet departed are kept where their legs
//! are open, and only what is left is planned again — never shipping stock twice nor covering
//! demand twice. Checked against the problem independently of the re-planner.

use std::collections::BTreeMap;

use wuliu_emergency::geometry::close_area;
use wuliu_emergency::replan::{Fate, Reason, Why};
use wuliu_emergency::*;

fn options() -> (AllocateOptions, RouteOptions) {
    let a = AllocateOptions {
        time_limit_s: 5.0,
        ..AllocateOptions::default()
    };
    let r = RouteOptions {
        time_limit_s: 2.0,
        max_iterations: 2_000,
        ..RouteOptions::default()
    };
    (a, r)
}

fn replan_options() -> ReplanOptions {
    let (allocate, routes) = options();
    ReplanOptions {
        allocate,
        routes,
        keep_pending: true,
    }
}

fn plan(p: &Problem) -> PlanInForce {
    let (a, r) = options();
    let allocation = allocate(p, &a).unwrap();
    let routes = plan_routes(p, &allocation, &r).unwrap();
    PlanInForce { allocation, routes }
}

fn square(lon: f64, lat: f64, half: f64) -> Vec<[f64; 2]> {
    vec![
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
    ]
}

/// A west of two requests on one line, B far to the north-east; water only.
fn line_problem() -> Problem {
    let json = r#"{
      "items": [{"id": "water", "name": "瓶装水", "unit": "箱", "unit_weight_kg": 10, "unit_volume_m3": 0.01}],
      "stockpiles": [
        {"id": "A", "name": "A库", "lon": 109.40, "lat": 24.30, "holder": {"kind": "government"},
         "lots": [{"item": "water", "quantity": 200}]},
        {"id": "B", "name": "B库", "lon": 109.52, "lat": 24.42, "holder": {"kind": "government"},
         "lots": [{"item": "water", "quantity": 200}]}],
      "requests": [
        {"id": "R1", "name": "医院", "lon": 109.43, "lat": 24.301, "priority": 1, "deadline_s": 14400,
         "lines": [{"item": "water", "quantity": 50}]},
        {"id": "R2", "name": "安置点", "lon": 109.50, "lat": 24.30, "priority": 1, "deadline_s": 14400,
         "lines": [{"item": "water", "quantity": 50}]}],
      "vehicles": [
        {"id": "TA", "stockpile": "A", "capacity_kg": 2000, "capacity_m3": 20, "green_pass": true},
        {"id": "TB", "stockpile": "B", "capacity_kg": 2000, "capacity_m3": 20, "green_pass": true}],
      "travel": {"from_stockpile": []},
      "horizon_s": 86400,
      "handling_s": 600
    }"#;
    let mut p: Problem = serde_json::from_str(json).unwrap();
    drill::fill_straight_line(&mut p, 1.3, 40.0);
    p
}

fn trip_of<'a>(plan: &'a PlanInForce, vehicle: &str) -> &'a TruckRoute {
    let trips: Vec<_> = plan
        .routes
        .routes
        .iter()
        .filter(|r| r.vehicle == vehicle)
        .collect();
    assert_eq!(trips.len(), 1, "one trip of {vehicle}: {:?}", plan.routes);
    trips[0]
}

fn new_flow(r: &Replan, from: &str, to: &str) -> u64 {
    r.allocation
        .flows
        .iter()
        .filter(|f| f.stockpile == from && f.request == to)
        .map(|f| f.quantity)
        .sum()
}

#[test]
fn a_closure_ahead_of_a_truck_on_the_road_turns_it_back_and_the_rest_is_planned_again() {
    let p = line_problem();
    let before = plan(&p);
    let trip = trip_of(&before, "TA");
    assert_eq!(trip.stops.len(), 2, "A serves both requests in one trip");
    // A band between R1 and R2 across the A–R2 line; B's legs pass north of it.
    let band = vec![
        [109.46, 24.25],
        [109.47, 24.25],
        [109.47, 24.33],
        [109.46, 24.33],
    ];
    let mut now = p.clone();
    assert!(close_area(&mut now, &band) >= 2);
    let elapsed = trip.depart_s as u64 + 60;
    let r = replan(&now, &before, elapsed, &replan_options()).unwrap();

    let ta = r.trips.iter().find(|t| t.vehicle == "TA").unwrap();
    let Fate::OnRoadCut {
        dropped, stranded, ..
    } = &ta.fate
    else {
        panic!("TA is cut: {ta:?}");
    };
    assert!(dropped.contains(&"R2".to_string()) && !stranded);
    assert!(matches!(ta.reason, Some(Reason::LegClosed { .. })));
    // R2 is now served from B (A's way to it is closed), in full.
    assert_eq!(new_flow(&r, "B", "R2"), 50);
    assert_eq!(new_flow(&r, "A", "R2"), 0);
    let r2 = r.changes.iter().find(|c| c.request == "R2").unwrap();
    assert!(r2
        .why
        .iter()
        .any(|w| matches!(w, Why::TripChanged { vehicle, .. } if vehicle == "TA")));
    assert!((r2.after_kg - 500.0).abs() < 1e-6, "{r2:?}");
    assert!(r2.after_last_arrival_s > r2.before_last_arrival_s);
    check(&now, &before, &r);
}

#[test]
fn a_truck_that_cannot_get_back_is_stranded_with_its_load() {
    // A holds just what TA carries, and a second truck there is free from 2 h on.
    let mut p = line_problem();
    p.stockpiles[0].lots[0].quantity = 100;
    let mut spare = p.vehicles[0].clone();
    (spare.id, spare.available_from_s) = ("TA2".into(), 7200);
    p.vehicles.push(spare);
    let before = plan(&p);
    let trip = trip_of(&before, "TA");
    assert_eq!(trip.stops.len(), 2, "A serves both requests in one trip");
    let first = &trip.stops[0];
    let (req, lon, lat) = if first.request == "R1" {
        ("R1", 109.43, 24.301)
    } else {
        ("R2", 109.50, 24.30)
    };
    // The water rises around the first stop once the truck is there.
    let mut now = p.clone();
    close_area(&mut now, &square(lon, lat, 0.005));
    let elapsed = first.arrival_s.ceil() as u64 + 30;
    let r = replan(&now, &before, elapsed, &replan_options()).unwrap();
    let ta = r.trips.iter().find(|t| t.vehicle == "TA").unwrap();
    assert!(
        matches!(
            &ta.fate,
            Fate::OnRoadCut {
                delivered: 1,
                stranded: true,
                ..
            }
        ),
        "{ta:?}"
    );
    assert!(r.routes.routes.iter().all(|t| t.vehicle != "TA"));
    // A's stock went with TA: the re-plan sends nothing more from A, though TA2 could go.
    let from_a: u64 = r
        .allocation
        .flows
        .iter()
        .filter(|f| f.stockpile == "A")
        .map(|f| f.quantity)
        .sum();
    assert_eq!(from_a, 0, "units from A");
    let other = if req == "R1" { "R2" } else { "R1" };
    let lacking = r.changes.iter().find(|c| c.request == other).unwrap();
    assert!(lacking
        .why
        .iter()
        .any(|w| matches!(w, Why::TripChanged { .. })));
    check(&now, &before, &r);
}

/// A city-sized random instance: 3 stockpiles, `n` requests, 3 items, 3 trucks per stockpile.
fn random_problem(seed: u64, n: usize) -> Problem {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % 1_000_000) as f64 / 1_000_000.0
    };
    let items = [("water", 10.0), ("food", 15.0), ("tent", 25.0)];
    let mut p: Problem = serde_json::from_str(
        r#"{"items": [], "stockpiles": [], "requests": [], "vehicles": [],
            "travel": {"from_stockpile": []}, "horizon_s": 86400, "handling_s": 600}"#,
    )
    .unwrap();
    for (id, kg) in items {
        p.items.push(Item {
            id: id.into(),
            name: id.into(),
            unit: "件".into(),
            unit_weight_kg: kg,
            unit_volume_m3: 0.02,
            shelf_life_days: None,
        });
    }
    for (k, (lon, lat)) in [(109.38, 24.28), (109.52, 24.30), (109.45, 24.42)]
        .into_iter()
        .enumerate()
    {
        let lots = items
            .iter()
            .map(|(id, _)| Lot {
                item: (*id).into(),
                quantity: 40 + (next() * 120.0) as u64,
                expires_day: None,
            })
            .collect();
        p.stockpiles.push(Stockpile {
            id: format!("S{k}"),
            name: format!("库{k}"),
            lon,
            lat,
            holder: Holder::Government,
            lots,
        });
        for t in 0..3 {
            p.vehicles.push(Vehicle {
                id: format!("S{k}T{t}"),
                stockpile: format!("S{k}"),
                capacity_kg: 800.0,
                capacity_m3: 20.0,
                green_pass: true,
                available_from_s: 0,
            });
        }
    }
    for r in 0..n {
        let item = items[r % 3].0;
        p.requests.push(Request {
            id: format!("R{r}"),
            name: format!("点{r}"),
            lon: 109.35 + next() * 0.2,
            lat: 24.25 + next() * 0.2,
            priority: 1 + (next() * 4.0) as u8 % 4,
            deadline_s: 3600 + (next() * 4.0 * 3600.0) as u64,
            lines: vec![RequestLine {
                item: item.into(),
                quantity: 10 + (next() * 60.0) as u64,
            }],
        });
    }
    drill::fill_straight_line(&mut p, 1.3, 40.0);
    p
}

#[test]
fn random_closures_never_ship_stock_twice_nor_use_a_closed_leg() {
    let mut cut_trips = 0;
    for seed in 1..=12 {
        let p = random_problem(seed, 10);
        let before = plan(&p);
        let Some(first) = before
            .routes
            .routes
            .iter()
            .map(|t| t.depart_s)
            .reduce(f64::min)
        else {
            continue;
        };
        let mut now = p.clone();
        let c = &p.requests[seed as usize % p.requests.len()];
        close_area(&mut now, &square(c.lon + 0.01, c.lat, 0.02));
        let elapsed = first as u64 + 600 + seed * 300;
        let r = replan(&now, &before, elapsed, &replan_options()).unwrap();
        cut_trips += r
            .trips
            .iter()
            .filter(|t| matches!(t.fate, Fate::OnRoadCut { .. }))
            .count();
        check(&now, &before, &r);
    }
    assert!(cut_trips > 0, "the closures cut no truck on the road");
}

#[test]
fn a_new_request_is_planned_alone_and_every_trip_is_kept() {
    let p = random_problem(7, 8);
    let before = plan(&p);
    let mut now = p.clone();
    now.requests.push(Request {
        id: "NEW".into(),
        name: "新增安置点".into(),
        lon: 109.44,
        lat: 24.33,
        priority: 1,
        deadline_s: 4 * 3600,
        lines: vec![RequestLine {
            item: "water".into(),
            quantity: 20,
        }],
    });
    now.travel = TravelTimes::default();
    drill::fill_straight_line(&mut now, 1.3, 40.0);
    let first = before.routes.routes[0].depart_s as u64;
    let r = replan(&now, &before, first + 60, &replan_options()).unwrap();
    for t in &r.trips {
        assert!(
            matches!(t.fate, Fate::Done | Fate::OnRoadKept | Fate::PendingKept),
            "{t:?}"
        );
    }
    let new = r.changes.iter().find(|c| c.request == "NEW").unwrap();
    assert_eq!(new.why, vec![Why::NewRequest]);
    assert!(new.after_kg > 0.0);
    assert!(r
        .changes
        .iter()
        .all(|c| !c.why.iter().any(|w| matches!(w, Why::TripChanged { .. }))));
    check(&now, &before, &r);
}

#[test]
fn a_plan_in_force_naming_an_unknown_vehicle_is_refused_with_its_place() {
    let p = line_problem();
    let mut before = plan(&p);
    before.routes.routes[0].vehicle = "ghost".into();
    let err = replan(&p, &before, 0, &replan_options()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("in_force.routes.routes[0]") && text.contains("ghost"),
        "{text}"
    );
}

/// Independent checks of a re-plan against the problem as it is now.
fn check(now: &Problem, before: &PlanInForce, r: &Replan) {
    let weight: BTreeMap<&str, f64> = now
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.unit_weight_kg))
        .collect();
    let max_unit = weight.values().copied().fold(0.0, f64::max);
    let slack = max_unit * before.allocation.flows.len() as f64 + 1e-6;
    // Stock: kilograms out of each stockpile (kept trips, stranded loads, new flows) ≤ its stock.
    let mut out: BTreeMap<&str, f64> = BTreeMap::new();
    for t in &r.kept {
        *out.entry(t.stockpile.as_str()).or_default() +=
            t.stops.iter().map(|s| s.weight_kg).sum::<f64>();
    }
    for (t, change) in before.routes.routes.iter().zip(&r.trips) {
        if let Fate::OnRoadCut {
            delivered,
            stranded: true,
            ..
        } = change.fate
        {
            *out.entry(t.stockpile.as_str()).or_default() += t.stops[delivered..]
                .iter()
                .map(|s| s.weight_kg)
                .sum::<f64>();
        }
    }
    for f in &r.allocation.flows {
        *out.entry(f.stockpile.as_str()).or_default() +=
            f.quantity as f64 * weight[f.item.as_str()];
    }
    for s in &now.stockpiles {
        let stock: f64 = s
            .lots
            .iter()
            .map(|l| l.quantity as f64 * weight[l.item.as_str()])
            .sum();
        let sent = out.get(s.id.as_str()).copied().unwrap_or(0.0);
        assert!(sent <= stock + slack, "{}: {sent} kg out of {stock}", s.id);
    }
    // Demand: kilograms to each request ≤ what it asked.
    for q in &now.requests {
        let asked: f64 = q
            .lines
            .iter()
            .map(|l| l.quantity as f64 * weight[l.item.as_str()])
            .sum();
        let kept: f64 = r
            .kept
            .iter()
            .flat_map(|t| &t.stops)
            .filter(|s| s.request == q.id)
            .map(|s| s.weight_kg)
            .sum();
        let new: f64 = r
            .allocation
            .flows
            .iter()
            .filter(|f| f.request == q.id)
            .map(|f| f.quantity as f64 * weight[f.item.as_str()])
            .sum();
        assert!(
            kept + new <= asked + slack,
            "{}: {kept} + {new} > {asked}",
            q.id
        );
    }
    // New routes: after the re-plan, on open legs, never by a stranded truck, after kept trips.
    let stranded: Vec<&str> = r
        .trips
        .iter()
        .filter(|t| matches!(t.fate, Fate::OnRoadCut { stranded: true, .. }))
        .map(|t| t.vehicle.as_str())
        .collect();
    for t in &r.routes.routes {
        assert!(
            t.depart_s >= r.elapsed_s as f64 - 1e-6,
            "{t:?} departs before the re-plan"
        );
        assert!(
            !stranded.contains(&t.vehicle.as_str()),
            "{} is stranded",
            t.vehicle
        );
        let busy = r
            .kept
            .iter()
            .filter(|k| k.vehicle == t.vehicle)
            .map(|k| k.return_s)
            .fold(0.0, f64::max);
        assert!(
            t.depart_s + 1e-6 >= busy,
            "{} leaves before it is back",
            t.vehicle
        );
        assert_open(now, t);
    }
    // Kept trips use only open legs ahead, and trucks that left are never released.
    for (t, change) in before.routes.routes.iter().zip(&r.trips) {
        assert_eq!((&t.vehicle, t.wave), (&change.vehicle, change.wave));
        if t.depart_s <= r.elapsed_s as f64 {
            assert!(!matches!(
                change.fate,
                Fate::PendingReleased | Fate::PendingKept
            ));
        }
    }
    for t in r.kept.iter().filter(|t| t.depart_s > r.elapsed_s as f64) {
        assert_open(now, t);
    }
}

fn assert_open(p: &Problem, t: &TruckRoute) {
    let s = p
        .stockpiles
        .iter()
        .position(|s| s.id == t.stockpile)
        .unwrap();
    let ix = |id: &str| p.requests.iter().position(|r| r.id == id).unwrap();
    let depot = |r: usize| p.travel.from_stockpile[s][r].is_some();
    let mut at: Option<usize> = None;
    for st in &t.stops {
        let r = ix(&st.request);
        let open = match at {
            None => depot(r),
            Some(a) => p.travel.between_requests[a][r].is_some() || (depot(a) && depot(r)),
        };
        assert!(open, "{} uses a closed leg to {}", t.vehicle, st.request);
        at = Some(r);
    }
}
