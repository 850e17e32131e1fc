//! Scenario tests: expiry, closures, fleet, green passes, priorities, and the checker's own attacks.

use wuliu_emergency::*;

fn item(id: &str, kg: f64) -> Item {
    Item {
        id: id.into(),
        name: id.into(),
        unit: "件".into(),
        unit_weight_kg: kg,
        unit_volume_m3: 0.01,
        shelf_life_days: None,
    }
}

fn stockpile(id: &str, lots: &[(&str, u64, Option<u32>)]) -> Stockpile {
    Stockpile {
        id: id.into(),
        name: id.into(),
        lon: 109.4,
        lat: 24.3,
        holder: Holder::Government,
        lots: lots
            .iter()
            .map(|&(item, quantity, expires_day)| Lot {
                item: item.into(),
                quantity,
                expires_day,
            })
            .collect(),
    }
}

fn request(id: &str, priority: u8, deadline_h: u64, lines: &[(&str, u64)]) -> Request {
    Request {
        id: id.into(),
        name: id.into(),
        lon: 109.5,
        lat: 24.4,
        priority,
        deadline_s: deadline_h * 3600,
        lines: lines
            .iter()
            .map(|&(item, quantity)| RequestLine {
                item: item.into(),
                quantity,
            })
            .collect(),
    }
}

fn truck(id: &str, stockpile: &str, kg: f64) -> Vehicle {
    Vehicle {
        id: id.into(),
        stockpile: stockpile.into(),
        capacity_kg: kg,
        capacity_m3: 100.0,
        green_pass: true,
        available_from_s: 0,
    }
}

fn leg(minutes: u32) -> Option<Leg> {
    Some(Leg {
        seconds: minutes * 60,
        metres: minutes * 700,
    })
}

fn problem(
    stockpiles: Vec<Stockpile>,
    requests: Vec<Request>,
    vehicles: Vec<Vehicle>,
    from_stockpile: Vec<Vec<Option<Leg>>>,
) -> Problem {
    Problem {
        items: vec![item("water", 10.0), item("tent", 20.0)],
        stockpiles,
        requests,
        vehicles,
        travel: TravelTimes {
            from_stockpile,
            between_requests: Vec::new(),
        },
        green_pass_required: false,
        horizon_s: None,
        handling_s: 1800,
    }
}

/// Allocates exactly and with the greedy; both must pass the independent checker.
fn both(p: &Problem) -> (Allocation, Allocation) {
    let exact = allocate(
        p,
        &AllocateOptions {
            mip_rel_gap: 0.0,
            ..Default::default()
        },
    )
    .unwrap();
    let base = greedy(p).unwrap();
    for a in [&exact, &base] {
        let e = evaluate(p, &a.flows).unwrap();
        assert!(e.violations.is_empty(), "{:?}", e.violations);
        assert!((e.objective - a.objective).abs() < 1e-9);
    }
    (exact, base)
}

fn shipped(a: &Allocation, from: &str) -> u64 {
    a.flows
        .iter()
        .filter(|f| f.stockpile == from)
        .map(|f| f.quantity)
        .sum()
}

#[test]
fn expired_lots_are_never_used() {
    // The near stockpile holds only an expired lot; the far one holds good water.
    let p = problem(
        vec![
            stockpile("near", &[("water", 50, Some(0))]),
            stockpile("far", &[("water", 30, None)]),
        ],
        vec![request("R", 1, 4, &[("water", 40)])],
        vec![truck("T1", "near", 5000.0), truck("T2", "far", 5000.0)],
        vec![vec![leg(10)], vec![leg(90)]],
    );
    let (exact, base) = both(&p);
    for a in [&exact, &base] {
        assert_eq!(shipped(a, "near"), 0);
        assert_eq!(shipped(a, "far"), 30);
        assert_eq!(
            a.unmet,
            vec![Unmet {
                request: "R".into(),
                item: "water".into(),
                quantity: 10
            }]
        );
    }
}

#[test]
fn a_lot_expiring_before_arrival_is_not_used() {
    // Expires at day 1 (86 400 s); the truck is loaded at 80 000 s and drives 2 hours.
    let mut p = problem(
        vec![stockpile(
            "S",
            &[("water", 50, Some(1)), ("water", 5, Some(2))],
        )],
        vec![request("R", 2, 30, &[("water", 40)])],
        vec![Vehicle {
            available_from_s: 80_000,
            ..truck("T", "S", 5000.0)
        }],
        vec![vec![leg(120)]],
    );
    let (exact, base) = both(&p);
    assert_eq!(shipped(&exact, "S"), 5);
    assert_eq!(shipped(&base, "S"), 5);
    // A truck available earlier arrives in time to use the day-1 lot.
    p.vehicles[0].available_from_s = 0;
    let (exact, _) = both(&p);
    assert_eq!(shipped(&exact, "S"), 40);
}

#[test]
fn unreachable_pairs_are_never_used() {
    let p = problem(
        vec![
            stockpile("cut", &[("water", 100, None)]),
            stockpile("open", &[("tent", 5, None)]),
        ],
        vec![request("village", 1, 4, &[("water", 10), ("tent", 2)])],
        vec![truck("T1", "cut", 5000.0), truck("T2", "open", 5000.0)],
        vec![vec![None], vec![leg(30)]],
    );
    let (exact, base) = both(&p);
    for a in [&exact, &base] {
        assert_eq!(shipped(a, "cut"), 0);
        assert_eq!(a.unmet.len(), 1);
        assert_eq!(
            (a.unmet[0].item.as_str(), a.unmet[0].quantity),
            ("water", 10)
        );
    }
    // The water no stockpile can bring is unmet whatever the plan: the bound counts it too, so
    // the exact plan is proven optimal with no gap (it once reported a gap near 100 %).
    assert_eq!(exact.status, Status::Optimal);
    assert!(exact.gap.unwrap() <= 1e-9, "gap {:?}", exact.gap);
    assert!((exact.bound.unwrap() - exact.objective).abs() <= 1e-6 * exact.objective);
}

#[test]
fn fleet_time_limits_the_truckloads_and_priority_decides() {
    // One 100 kg truck, 1 h each way + 0.5 h handling: 2.5 h per load; horizon 5 h → 2 loads.
    let mut p = problem(
        vec![stockpile("S", &[("water", 100, None)])],
        vec![
            request("shelter", 3, 4, &[("water", 30)]),
            request("hospital", 1, 4, &[("water", 30)]),
        ],
        vec![truck("T", "S", 100.0)],
        vec![vec![leg(60), leg(60)]],
    );
    p.horizon_s = Some(5 * 3600);
    let (exact, base) = both(&p);
    for a in [&exact, &base] {
        let to = |r: &str| {
            a.flows
                .iter()
                .filter(|f| f.request == r)
                .map(|f| f.quantity)
                .sum::<u64>()
        };
        assert_eq!(to("hospital"), 20, "{a:#?}");
        assert_eq!(a.truckloads.iter().map(|t| t.trucks).sum::<u64>(), 2);
    }
    // With a longer horizon the fleet serves both in full.
    p.horizon_s = Some(20 * 3600);
    let (exact, _) = both(&p);
    assert!(exact.unmet.is_empty());
}

#[test]
fn green_pass_required_leaves_other_vehicles_out() {
    let mut p = problem(
        vec![stockpile("S", &[("water", 100, None)])],
        vec![request("R", 1, 4, &[("water", 10)])],
        vec![Vehicle {
            green_pass: false,
            ..truck("T", "S", 5000.0)
        }],
        vec![vec![leg(30)]],
    );
    assert!(both(&p).0.unmet.is_empty());
    p.green_pass_required = true;
    let (exact, base) = both(&p);
    assert_eq!(exact.unmet.len(), 1);
    assert_eq!(base.unmet.len(), 1);
    assert!(exact.flows.is_empty());
}

#[test]
fn the_exact_model_beats_greedy_when_nearest_first_is_wrong() {
    // Greedy serves the hospital (priority 1) from the nearest stockpile A, which is the only one
    // that reaches the village; the exact plan sends B's water to the hospital instead.
    let p = problem(
        vec![
            stockpile("A", &[("water", 10, None)]),
            stockpile("B", &[("water", 10, None)]),
        ],
        vec![
            request("hospital", 1, 4, &[("water", 10)]),
            request("village", 2, 4, &[("water", 10)]),
        ],
        vec![truck("TA", "A", 5000.0), truck("TB", "B", 5000.0)],
        vec![vec![leg(10), leg(40)], vec![leg(20), None]],
    );
    let (exact, base) = both(&p);
    assert!(exact.unmet.is_empty());
    assert_eq!(base.unmet.len(), 1);
    assert!(base.objective > exact.objective);
    assert!(exact.gap.unwrap() <= 1e-9);
    assert!(base.gap.is_none() && base.bound.is_none());
}

/// Regression: with the greedy warm start, HiGHS once returned the start's columns while reporting the
/// optimal objective (presolve finished the model). Found by the brute-force test, case 325.
#[test]
fn the_warm_start_is_not_returned_in_place_of_the_optimum() {
    let json = include_str!("data/warm_start_case.json");
    let p: Problem = serde_json::from_str(json).unwrap();
    let exact = allocate(
        &p,
        &AllocateOptions {
            mip_rel_gap: 0.0,
            ..Default::default()
        },
    )
    .unwrap();
    assert!((exact.objective - 3.72).abs() < 1e-9, "{exact:#?}");
    assert!(!exact
        .flows
        .iter()
        .any(|f| f.stockpile == "s0" && f.request == "r0"));
}

#[test]
fn bad_options_are_refused() {
    let p = problem(vec![], vec![], vec![], vec![]);
    let bad = AllocateOptions {
        time_limit_s: 0.0,
        ..Default::default()
    };
    assert!(matches!(
        allocate(&p, &bad),
        Err(Error::Option {
            name: "time_limit_s",
            ..
        })
    ));
    let bad = AllocateOptions {
        mip_rel_gap: 1.5,
        ..Default::default()
    };
    assert!(matches!(
        allocate(&p, &bad),
        Err(Error::Option {
            name: "mip_rel_gap",
            ..
        })
    ));
    // An empty problem is fine: nothing to do.
    let a = allocate(&p, &AllocateOptions::default()).unwrap();
    assert_eq!((a.objective, a.status), (0.0, Status::Optimal));
}

#[test]
fn the_checker_catches_every_kind_of_bad_plan() {
    let mut p = problem(
        vec![
            stockpile("A", &[("water", 10, None)]),
            stockpile("B", &[("water", 10, Some(0))]),
        ],
        vec![request("R", 1, 4, &[("water", 10)])],
        vec![truck("TA", "A", 100.0), truck("TB", "B", 100.0)],
        vec![vec![leg(60)], vec![leg(60)]],
    );
    p.horizon_s = Some(4 * 3600);
    let flow = |s: &str, r: &str, i: &str, q: u64| Flow {
        stockpile: s.into(),
        request: r.into(),
        item: i.into(),
        quantity: q,
    };
    let kinds = |p: &Problem, flows: &[Flow]| -> Vec<String> {
        let e = evaluate(p, flows).unwrap();
        e.violations
            .iter()
            .map(|v| {
                format!("{v:?}")
                    .split([' ', '{'])
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(
        kinds(&p, &[flow("A", "R", "water", 10)]),
        Vec::<String>::new()
    );
    assert_eq!(kinds(&p, &[flow("X", "R", "water", 1)]), ["UnknownId"]);
    assert_eq!(
        kinds(&p, &[flow("A", "R", "water", 11)]),
        ["OverDemand", "OverStock", "FleetTime"]
    );
    assert_eq!(
        kinds(&p, &[flow("A", "R", "tent", 1)]),
        ["OverDemand", "OverStock"]
    );
    assert_eq!(kinds(&p, &[flow("B", "R", "water", 1)]), ["OverStock"]);
    // 10 kg per unit, 100 kg per load, 2.5 h per load, 4 h of fleet time: one load at most.
    assert_eq!(
        kinds(
            &p,
            &[flow("A", "R", "water", 9), flow("A", "R", "water", 2)]
        ),
        ["OverDemand", "OverStock", "FleetTime"]
    );
    p.travel.from_stockpile[0][0] = None;
    assert_eq!(kinds(&p, &[flow("A", "R", "water", 1)]), ["Unreachable"]);
}
