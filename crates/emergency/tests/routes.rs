//! Routes from an allocation: every allocated kilogram routed or reported, trucks never overloaded,
//! one vehicle's trips never overlap, arrivals no earlier than driving allows, ETAs and lateness.

use std::collections::BTreeMap;

use wuliu_emergency::*;

fn problem(truck_kg: f64, trucks: usize, horizon_h: u64) -> Problem {
    let json = r#"{
      "items": [{"id": "water", "name": "瓶装水", "unit": "箱", "unit_weight_kg": 10, "unit_volume_m3": 0.01},
                {"id": "tent", "name": "帐篷", "unit": "顶", "unit_weight_kg": 25, "unit_volume_m3": 0.1}],
      "stockpiles": [
        {"id": "A", "name": "A库", "lon": 109.4, "lat": 24.3, "holder": {"kind": "government"},
         "lots": [{"item": "water", "quantity": 500}, {"item": "tent", "quantity": 40}]},
        {"id": "B", "name": "B库", "lon": 109.5, "lat": 24.2,
         "holder": {"kind": "agreement", "enterprise": "某物流公司"},
         "lots": [{"item": "water", "quantity": 200}]}],
      "requests": [
        {"id": "hospital", "name": "医院", "lon": 109.41, "lat": 24.31, "priority": 1, "deadline_s": 600,
         "lines": [{"item": "water", "quantity": 150}]},
        {"id": "shelter", "name": "安置点", "lon": 109.45, "lat": 24.35, "priority": 2, "deadline_s": 14400,
         "lines": [{"item": "water", "quantity": 120}, {"item": "tent", "quantity": 30}]},
        {"id": "village", "name": "村", "lon": 109.52, "lat": 24.22, "priority": 3, "deadline_s": 21600,
         "lines": [{"item": "water", "quantity": 100}]}],
      "vehicles": [],
      "travel": {
        "from_stockpile": [
          [{"seconds": 1200, "metres": 15000}, {"seconds": 1800, "metres": 22000}, null],
          [{"seconds": 2400, "metres": 30000}, {"seconds": 2000, "metres": 26000}, {"seconds": 900, "metres": 9000}]],
        "between_requests": [
          [null, {"seconds": 900, "metres": 10000}, null],
          [{"seconds": 900, "metres": 10000}, null, {"seconds": 2500, "metres": 30000}],
          [null, {"seconds": 2500, "metres": 30000}, null]]
      },
      "horizon_s": 0
    }"#;
    let mut p: Problem = serde_json::from_str(json).unwrap();
    p.horizon_s = Some(horizon_h * 3600);
    for s in ["A", "B"] {
        for k in 0..trucks {
            p.vehicles.push(Vehicle {
                id: format!("{s}{k}"),
                stockpile: s.into(),
                capacity_kg: truck_kg,
                capacity_m3: 30.0,
                green_pass: true,
                available_from_s: 0,
            });
        }
    }
    p
}

/// Checks the plan against the problem and allocation independently of the planner.
fn check(p: &Problem, a: &Allocation, plan: &RoutePlan) {
    let weight = |item: &str| {
        p.items
            .iter()
            .find(|i| i.id == item)
            .unwrap()
            .unit_weight_kg
    };
    let mut allocated: BTreeMap<(String, String), f64> = BTreeMap::new();
    for f in &a.flows {
        *allocated
            .entry((f.stockpile.clone(), f.request.clone()))
            .or_default() += f.quantity as f64 * weight(&f.item);
    }
    let mut moved: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut trips: BTreeMap<&str, Vec<(usize, f64, f64)>> = BTreeMap::new();
    for r in &plan.routes {
        let v = p.vehicles.iter().find(|v| v.id == r.vehicle).unwrap();
        assert_eq!(v.stockpile, r.stockpile);
        let load: f64 = r.stops.iter().map(|s| s.weight_kg).sum();
        assert!(
            load <= v.capacity_kg + 1e-6,
            "{} carries {load} kg",
            r.vehicle
        );
        let s = p
            .stockpiles
            .iter()
            .position(|s| s.id == r.stockpile)
            .unwrap();
        let first = p
            .requests
            .iter()
            .position(|q| q.id == r.stops[0].request)
            .unwrap();
        let leg = p.travel.from_stockpile[s][first].unwrap();
        assert!(r.stops[0].arrival_s >= r.depart_s + f64::from(leg.seconds) - 1e-6);
        assert!(r.return_s <= p.horizon_s.unwrap() as f64 + 1e-6);
        for stop in &r.stops {
            *moved
                .entry((r.stockpile.clone(), stop.request.clone()))
                .or_default() += stop.weight_kg;
        }
        trips
            .entry(&r.vehicle)
            .or_default()
            .push((r.wave, r.depart_s, r.return_s));
    }
    for u in &plan.unrouted {
        *moved
            .entry((u.stockpile.clone(), u.request.clone()))
            .or_default() += u.weight_kg;
    }
    assert_eq!(
        allocated.keys().collect::<Vec<_>>(),
        moved.keys().collect::<Vec<_>>()
    );
    for (k, kg) in &allocated {
        assert!(
            (kg - moved[k]).abs() < 1e-6,
            "{k:?}: {kg} allocated, {} routed or left",
            moved[k]
        );
    }
    for (v, mut t) in trips {
        t.sort_by_key(|x| x.0);
        for w in t.windows(2) {
            assert_eq!(w[1].0, w[0].0 + 1, "{v}: waves {t:?}");
            assert!(
                w[1].1 >= w[0].2 - 1e-6,
                "{v}: trip {} leaves before trip {} is back",
                w[1].0,
                w[0].0
            );
        }
    }
}

#[test]
fn every_allocated_kilogram_is_routed_with_split_loads_and_several_trips() {
    let p = problem(1000.0, 1, 12);
    let a = allocate(&p, &AllocateOptions::default()).unwrap();
    let plan = plan_routes(&p, &a, &RouteOptions::default()).unwrap();
    check(&p, &a, &plan);
    assert!(plan.unrouted.is_empty(), "{:?}", plan.unrouted);
    // A holds 2 000 kg for the hospital and shelter with one 1 000 kg truck: at least two trips.
    assert!(plan.routes.iter().any(|r| r.wave >= 2), "{plan:#?}");
    let served: Vec<&str> = plan.etas.iter().map(|e| e.request.as_str()).collect();
    assert_eq!(served, ["hospital", "shelter", "village"]);
    // The hospital's deadline (10 min) is shorter than any drive to it: reported late.
    let hospital = &plan.etas[0];
    assert!(hospital.late_s > 0.0 && hospital.last_arrival_s >= hospital.first_arrival_s);
    assert_eq!(hospital.late_s, hospital.last_arrival_s - 600.0);
}

#[test]
fn loads_the_fleet_cannot_carry_before_the_horizon_are_reported() {
    // One 300 kg truck per stockpile and 2 hours: far less than the allocation asks for when the
    // allocation is planned for a larger fleet.
    let big = problem(5000.0, 3, 12);
    let a = allocate(&big, &AllocateOptions::default()).unwrap();
    let small = Problem {
        vehicles: big
            .vehicles
            .iter()
            .filter(|v| v.id.ends_with('0'))
            .cloned()
            .map(|v| Vehicle {
                capacity_kg: 300.0,
                ..v
            })
            .collect(),
        horizon_s: Some(2 * 3600),
        ..big.clone()
    };
    let plan = plan_routes(&small, &a, &RouteOptions::default()).unwrap();
    check(&small, &a, &plan);
    assert!(!plan.unrouted.is_empty());
}

#[test]
fn an_allocation_that_does_not_fit_the_problem_is_refused() {
    let p = problem(1000.0, 1, 12);
    let mut a = greedy(&p).unwrap();
    a.flows.push(Flow {
        stockpile: "A".into(),
        request: "village".into(),
        item: "water".into(),
        quantity: 1,
    });
    let Err(Error::Invalid(list)) = plan_routes(&p, &a, &RouteOptions::default()) else {
        panic!("accepted")
    };
    assert_eq!(list.len(), 1);
    assert!(
        list[0].to_string().contains("A → village cannot be served"),
        "{}",
        list[0]
    );
}
