//! Drill mode: the scenario replayed with the exact policy and the greedy baseline; closures cut
//! legs from the moment they close, late requests compete for what is left, and stock is never
//! used twice.

use std::collections::HashMap;

use wuliu_emergency::drill::{fill_straight_line, replay, Arrival, Closure, Policy, Scenario};
use wuliu_emergency::{AllocateOptions, Problem};

fn demo() -> Scenario {
    let text = include_str!("../data/drill_liuzhou_flood.json");
    let mut s: Scenario = serde_json::from_str(text).expect("demo drill parses");
    fill_straight_line(&mut s.problem, 1.3, 40.0);
    s
}

fn opts() -> AllocateOptions {
    AllocateOptions {
        time_limit_s: 20.0,
        ..AllocateOptions::default()
    }
}

/// Units of each (stockpile, item) at the start, and shipped in the report.
fn stock_and_shipped(s: &Scenario, deliveries: &[wuliu_emergency::drill::Delivery]) {
    let mut stock: HashMap<(&str, &str), u64> = HashMap::new();
    for p in &s.problem.stockpiles {
        for l in &p.lots {
            *stock.entry((p.id.as_str(), l.item.as_str())).or_default() += l.quantity;
        }
    }
    let mut shipped: HashMap<(&str, &str), u64> = HashMap::new();
    for d in deliveries {
        *shipped
            .entry((d.stockpile.as_str(), d.item.as_str()))
            .or_default() += d.quantity;
    }
    for (k, q) in shipped {
        assert!(q <= stock[&k], "{k:?}: shipped {q} of {}", stock[&k]);
    }
}

#[test]
fn the_demo_flood_drill_runs_with_both_policies_and_never_ships_stock_twice() {
    let s = demo();
    let exact = replay(&s, Policy::Exact, &opts()).unwrap();
    let greedy = replay(&s, Policy::Greedy, &opts()).unwrap();
    for r in [&exact, &greedy] {
        stock_and_shipped(&s, &r.deliveries);
        // One plan at the start and one per distinct event time with open requests.
        assert!(r.plans >= 2, "{:?}", r.plans);
        let asked: u64 = s
            .problem
            .requests
            .iter()
            .flat_map(|q| &q.lines)
            .map(|l| l.quantity)
            .sum();
        let got: u64 = r.by_priority.iter().map(|f| f.units_delivered).sum();
        let delivered: u64 = r.deliveries.iter().map(|d| d.quantity).sum();
        assert_eq!(got, delivered);
        assert!(got <= asked);
        // Nothing arrives before the plan that sent it was made.
        assert!(r
            .deliveries
            .iter()
            .all(|d| d.arrives_s >= d.planned_at_s as f64));
    }
    // Re-planning is myopic for both policies (what is sent now is not kept for requests not yet
    // made), so over a whole drill the exact policy is not bound to beat the greedy one; the
    // benchmark reports both side by side. Each of its plans is optimal for what was known.
    assert_eq!(exact.policy, Policy::Exact);
    assert_eq!(greedy.policy, Policy::Greedy);
}

/// One stockpile, two villages; the road to the second village floods at t = 600 s and the
/// second village asks only at t = 1 200 s: nothing can reach it.
fn two_villages() -> Scenario {
    let p: Problem = serde_json::from_value(serde_json::json!({
        "items": [{"id": "water", "name": "水", "unit": "箱", "unit_weight_kg": 10, "unit_volume_m3": 0.02}],
        "stockpiles": [{"id": "depot", "name": "库", "lon": 109.40, "lat": 24.30,
            "holder": {"kind": "government"}, "lots": [{"item": "water", "quantity": 100}]}],
        "requests": [
            {"id": "east", "name": "东村", "lon": 109.50, "lat": 24.30, "priority": 2,
             "deadline_s": 7200, "lines": [{"item": "water", "quantity": 30}]},
            {"id": "north", "name": "北村", "lon": 109.40, "lat": 24.40, "priority": 1,
             "deadline_s": 7200, "lines": [{"item": "water", "quantity": 30}]}],
        "vehicles": [{"id": "t1", "stockpile": "depot", "capacity_kg": 5000, "capacity_m3": 30, "green_pass": true}],
        "travel": {"from_stockpile": []}
    }))
    .unwrap();
    let mut s = Scenario {
        name: "two villages".into(),
        problem: p,
        arrivals: vec![Arrival {
            at_s: 1200,
            request: "north".into(),
        }],
        closures: vec![Closure {
            at_s: 600,
            name: "河段水淹".into(),
            area: vec![
                [109.35, 24.34],
                [109.45, 24.34],
                [109.45, 24.36],
                [109.35, 24.36],
            ],
        }],
    };
    fill_straight_line(&mut s.problem, 1.3, 40.0);
    s
}

#[test]
fn a_closure_before_a_request_arrives_leaves_it_unserved_and_known_requests_are_served() {
    let r = replay(&two_villages(), Policy::Exact, &opts()).unwrap();
    let to = |id: &str| {
        r.deliveries
            .iter()
            .filter(|d| d.request == id)
            .map(|d| d.quantity)
            .sum::<u64>()
    };
    assert_eq!(to("east"), 30);
    assert_eq!(to("north"), 0);
    let p1 = &r.by_priority[0];
    assert_eq!((p1.requests, p1.served_in_full, p1.unmet_kg), (1, 0, 300.0));
    let p2 = &r.by_priority[1];
    assert_eq!(p2.served_in_full, 1);
    assert!(p2.median_time_to_serve_s.unwrap() > 0.0);
}

#[test]
fn without_the_closure_the_late_request_is_served_from_what_is_left() {
    let mut s = two_villages();
    s.closures.clear();
    let r = replay(&s, Policy::Exact, &opts()).unwrap();
    let north: Vec<_> = r
        .deliveries
        .iter()
        .filter(|d| d.request == "north")
        .collect();
    assert_eq!(north.iter().map(|d| d.quantity).sum::<u64>(), 30);
    // It was planned when it arrived, not before.
    assert!(north.iter().all(|d| d.planned_at_s == 1200));
    assert_eq!(r.plans, 2);
}

#[test]
fn a_scenario_naming_an_unknown_request_is_refused_with_its_path() {
    let mut s = two_villages();
    s.arrivals.push(Arrival {
        at_s: 5,
        request: "nowhere".into(),
    });
    s.closures[0].area[1] = [200.0, 24.0];
    let e = replay(&s, Policy::Greedy, &opts()).unwrap_err().to_string();
    assert!(e.contains("arrivals[1].request"), "{e}");
    assert!(e.contains("closures[0].area[1]"), "{e}");
}
