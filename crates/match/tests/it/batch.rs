//! Batch matching scenarios; every plan goes through the independent checker.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use wuliu_match::{check, match_batch, MatchError, MatchPlan, MatchRequest, RuleName};
use wuliu_model::{BodyType, CargoClass, Celsius, StraightLine, TemperatureRange, TimeWindow};

use crate::exactness::random_request;
use crate::fixtures::*;

/// Expressway-like straight-line costs (Liuzhou–Nanning ≈ 3.3 h).
fn costs() -> StraightLine {
    StraightLine {
        detour_factor: 1.25,
        speed_kmh: 75.0,
    }
}

fn run(req: &MatchRequest) -> MatchPlan {
    let costs = costs();
    let plan = match_batch(req, &costs).unwrap();
    let report = check(req, &plan, &costs);
    assert!(report.is_ok(), "checker: {:?}", report.violations);
    plan
}

fn backhaul() -> MatchRequest {
    let mut out = load("lod_parts", off(LIUZHOU, 3.0, 2.0), NANNING, 8000.0, 2600.0);
    out.load.goods = "auto parts".into();
    let mut back = load(
        "lod_produce",
        off(NANNING, 2.0, -1.0),
        off(LIUZHOU, 1.0, 1.0),
        6000.0,
        2200.0,
    );
    back.load.goods = "produce".into();
    back.load.pickup_window = TimeWindow {
        start: at(4.0),
        end: at(12.0),
    };
    back.load.delivery_window = TimeWindow {
        start: at(4.0),
        end: at(20.0),
    };
    let v = vehicle("veh_1", LIUZHOU, BodyType::Box, 10_000.0);
    request(vec![out, back], vec![v])
}

#[test]
fn chaining_takes_the_backhaul_and_cuts_empty_km() {
    let mut req = backhaul();
    let chained = run(&req);
    assert_eq!(chained.totals.served, 2);
    assert_eq!(chained.chains.len(), 1);
    assert_eq!(
        chained.chains[0]
            .loads
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>(),
        ["lod_parts", "lod_produce"]
    );
    assert!(!chained.bound.exact);
    assert!(chained.bound.upper_bound >= chained.bound.achieved);
    req.config.max_chain = 1;
    let single = run(&req);
    assert_eq!(single.totals.served, 1);
    assert!(single.bound.exact);
    // One vehicle, one load: it must return empty from Nanning, ~200 km.
    assert!(single.totals.empty_km > 150.0, "{}", single.totals.empty_km);
    assert!(chained.totals.empty_km < single.totals.empty_km / 5.0);
    assert!(chained.totals.margin > single.totals.margin);
}

#[test]
fn unmatched_load_is_explained_by_its_nearest_vehicles() {
    let mut cold = load("lod_cold", off(LIUZHOU, 1.0, 0.0), GUILIN, 3000.0, 2000.0);
    cold.load.cargo = CargoClass::ColdChain {
        temperature: TemperatureRange {
            min: Celsius(0.0),
            max: Celsius(4.0),
        },
    };
    let mut far = vehicle(
        "veh_late",
        off(LIUZHOU, 30.0, 0.0),
        BodyType::Refrigerated,
        5000.0,
    );
    far.vehicle.refrigeration = Some(TemperatureRange {
        min: Celsius(-20.0),
        max: Celsius(10.0),
    });
    far.free_from = at(5.9); // cannot reach the pickup by 6:00
    let near = vehicle("veh_box", LIUZHOU, BodyType::Box, 10_000.0);
    let plan = run(&request(vec![cold], vec![near, far]));
    assert_eq!(plan.totals.served, 0);
    let u = &plan.unmatched[0];
    assert_eq!(u.load.as_str(), "lod_cold");
    assert_eq!(u.nearest[0].vehicle.as_str(), "veh_box");
    let rules0: Vec<_> = u.nearest[0].excluded_by.iter().map(|r| r.rule).collect();
    assert!(rules0.contains(&RuleName::BodyType) && rules0.contains(&RuleName::Refrigeration));
    let rules1: Vec<_> = u.nearest[1].excluded_by.iter().map(|r| r.rule).collect();
    assert_eq!(rules1, vec![RuleName::PickupReachable]);
}

#[test]
fn compatible_but_busy_vehicle_is_noted() {
    // Two loads, one vehicle: the better-paying load wins; the other says why.
    let a = load(
        "lod_a",
        off(LIUZHOU, 1.0, 0.0),
        off(LIUZHOU, 30.0, 0.0),
        5000.0,
        900.0,
    );
    let mut b = load(
        "lod_b",
        off(LIUZHOU, 1.0, 1.0),
        off(LIUZHOU, 30.0, 1.0),
        5000.0,
        400.0,
    );
    b.load.pickup_window.end = at(0.5); // no chaining possible
    let plan = run(&request(
        vec![a, b],
        vec![vehicle("veh_1", LIUZHOU, BodyType::Box, 10_000.0)],
    ));
    assert_eq!(plan.assignments[0].load.as_str(), "lod_a");
    let v = &plan.unmatched[0].nearest[0];
    assert!(
        v.excluded_by.is_empty()
            || v.excluded_by
                .iter()
                .all(|r| r.rule == RuleName::PickupReachable)
    );
}

#[test]
fn straight_line_costs_are_flagged() {
    let plan = run(&backhaul());
    assert!(!plan.road_network);
    assert!(plan.travel_costs.contains("straight-line"));
}

#[test]
fn duplicate_ids_are_rejected_all_at_once() {
    let mut req = backhaul();
    req.loads[1].id = req.loads[0].id.clone();
    req.vehicles.push(req.vehicles[0].clone());
    match match_batch(&req, &StraightLine::default()) {
        Err(MatchError::InvalidRequest(p)) => assert_eq!(p.len(), 2, "{p:?}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
}

#[test]
fn random_plans_pass_the_checker_and_pruning_only_loses_objective() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for _ in 0..4 {
        let mut req = random_request(&mut rng, 150, 60);
        let chained = run(&req);
        assert!(chained.bound.upper_bound >= chained.bound.achieved - 1e-6);
        req.config.max_chain = 1;
        req.config.candidates_per_load = 5;
        let pruned = run(&req);
        req.config.candidates_per_load = 0;
        let full = run(&req);
        assert!(pruned.totals.objective <= full.totals.objective + 1e-6);
        assert!(chained.totals.served >= full.totals.served);
        // Every unserved load is explained.
        assert_eq!(full.unmatched.len() + full.totals.served, req.loads.len());
    }
}

#[test]
fn checker_catches_a_broken_plan() {
    let req = backhaul();
    let costs = costs();
    let mut plan = match_batch(&req, &costs).unwrap();
    // Overload: make the vehicle too small for what it was given.
    let mut small = req.clone();
    small.vehicles[0].vehicle.rated_load.0 = 1000.0;
    let codes: Vec<_> = check(&small, &plan, &costs)
        .violations
        .into_iter()
        .map(|v| v.code)
        .collect();
    assert!(codes.contains(&"check.capacity".to_string()), "{codes:?}");
    // Serve a load twice and lie about kilometres.
    let dup = plan.assignments[0].clone();
    plan.assignments.push(dup);
    plan.assignments[0].deadhead_km += 10.0;
    let codes: Vec<_> = check(&req, &plan, &costs)
        .violations
        .into_iter()
        .map(|v| v.code)
        .collect();
    assert!(codes.contains(&"check.load_twice".to_string()), "{codes:?}");
    assert!(codes.contains(&"check.km".to_string()), "{codes:?}");
}

#[test]
fn joining_chains_saves_two_empty_returns() {
    // V (based in Liuzhou) takes parts to Nanning; W (based in Nanning) is nearest to the produce
    // load back to Liuzhou. Joined on V, neither drives home empty.
    let out = load(
        "lod_parts",
        off(LIUZHOU, 1.0, 0.0),
        off(NANNING, 1.0, 0.0),
        8000.0,
        2600.0,
    );
    let mut back = load(
        "lod_produce",
        off(NANNING, 1.5, 0.0),
        off(LIUZHOU, 0.5, 0.0),
        6000.0,
        2200.0,
    );
    back.load.pickup_window = TimeWindow {
        start: at(4.0),
        end: at(9.0),
    };
    let v = vehicle("veh_lz", LIUZHOU, BodyType::Box, 10_000.0);
    let w = vehicle("veh_nn", NANNING, BodyType::Box, 10_000.0);
    let mut req = request(vec![out, back], vec![v, w]);
    req.config.max_chain = 1;
    let single = run(&req);
    assert_eq!(single.chains.len(), 2);
    req.config.max_chain = 2;
    let joined = run(&req);
    assert_eq!(joined.totals.served, 2);
    assert_eq!(joined.chains.len(), 1, "{:?}", joined.chains);
    assert_eq!(joined.chains[0].vehicle.as_str(), "veh_lz");
    assert!(joined.totals.empty_km < 10.0, "{}", joined.totals.empty_km);
    assert!(single.totals.empty_km > 400.0, "{}", single.totals.empty_km);
    assert!(joined.totals.objective > single.totals.objective);
}

#[test]
fn time_slices_let_chains_grow_in_time_order() {
    // One vehicle; an early short load and a late, better-paid one nearby.
    let mut early = load(
        "lod_early",
        off(LIUZHOU, 1.0, 0.0),
        off(LIUZHOU, 8.0, 0.0),
        3000.0,
        300.0,
    );
    early.load.pickup_window = TimeWindow {
        start: at(0.0),
        end: at(1.0),
    };
    early.load.delivery_window = TimeWindow {
        start: at(0.0),
        end: at(3.0),
    };
    let mut late = load(
        "lod_late",
        off(LIUZHOU, 2.0, 0.0),
        off(LIUZHOU, 20.0, 0.0),
        3000.0,
        900.0,
    );
    late.load.pickup_window = TimeWindow {
        start: at(5.0),
        end: at(6.0),
    };
    late.load.delivery_window = TimeWindow {
        start: at(5.0),
        end: at(9.0),
    };
    let mut req = request(
        vec![early, late],
        vec![vehicle("veh_1", LIUZHOU, BodyType::Box, 10_000.0)],
    );
    req.config.slice_h = 0.0; // plain rounds: the first round hands the vehicle the better load
    let rounds = run(&req);
    assert_eq!(rounds.totals.served, 1);
    assert_eq!(rounds.assignments[0].load.as_str(), "lod_late");
    req.config.slice_h = 1.0;
    let sliced = run(&req);
    assert_eq!(sliced.totals.served, 2);
    let order: Vec<_> = sliced.assignments.iter().map(|a| a.load.as_str()).collect();
    assert_eq!(order, ["lod_early", "lod_late"]);
}

#[test]
fn successor_sequencing_takes_the_backhaul_and_its_plans_pass_the_checker() {
    let mut req = backhaul();
    req.config.sequencing = wuliu_match::Sequencing::Successors;
    let chained = run(&req);
    assert_eq!(chained.totals.served, 2);
    assert_eq!(chained.chains.len(), 1);
    assert_eq!(chained.chains[0].loads[1].as_str(), "lod_produce");
    // On random days every plan passes the independent checker and serves at least as many
    // loads as one exact assignment (each vehicle at most one load) does.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for _ in 0..3 {
        let mut req = random_request(&mut rng, 150, 40);
        req.config.sequencing = wuliu_match::Sequencing::Successors;
        req.config.max_chain = 6;
        let plan = run(&req);
        assert!(plan.bound.upper_bound >= plan.bound.achieved - 1e-6);
        req.config.max_chain = 1;
        let single = run(&req);
        assert!(plan.totals.served >= single.totals.served);
    }
}

#[test]
fn the_return_leg_counts_more_towards_the_end_of_the_working_day() {
    let c = wuliu_match::MatchConfig {
        return_weight: 0.2,
        return_ramp_h: 2.0,
        ..Default::default()
    };
    let mut v = vehicle("veh_1", LIUZHOU, BodyType::Box, 10_000.0);
    assert_eq!(v.return_weight(at(10.0), &c), 0.2, "no end of day known");
    v.available_until = Some(at(18.0));
    assert_eq!(v.return_weight(at(10.0), &c), 0.2);
    assert!((v.return_weight(at(17.0), &c) - 0.6).abs() < 1e-9);
    assert_eq!(v.return_weight(at(19.0), &c), 1.0);
}

#[test]
fn search_sequencing_takes_the_backhaul_and_its_plans_pass_the_checker() {
    let mut req = backhaul();
    req.config.sequencing = wuliu_match::Sequencing::Search;
    req.config.search_time_s = 0.2;
    let chained = run(&req);
    assert_eq!(chained.totals.served, 2);
    assert_eq!(chained.chains.len(), 1);
    assert_eq!(chained.chains[0].loads[1].as_str(), "lod_produce");
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    for _ in 0..2 {
        let mut req = random_request(&mut rng, 120, 40);
        req.config.sequencing = wuliu_match::Sequencing::Search;
        req.config.search_time_s = 0.3;
        req.config.max_chain = 8;
        let plan = run(&req);
        req.config.max_chain = 1;
        let single = run(&req);
        assert!(plan.totals.served >= single.totals.served);
    }
}

#[test]
fn search_sequencing_refuses_a_batch_too_large_for_its_matrix() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut req = random_request(&mut rng, 2000, 300);
    req.config.sequencing = wuliu_match::Sequencing::Search;
    match match_batch(&req, &costs()) {
        Err(MatchError::InvalidRequest(p)) => assert!(p[0].contains("time_slices"), "{p:?}"),
        other => panic!("expected InvalidRequest, got {:?}", other.map(|p| p.totals)),
    }
}
