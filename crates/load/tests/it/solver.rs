//! Solver scenarios: every plan passes the checker, and each constraint shapes the plan.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_load::{
    solve, AllowedOrientations, Axles, CogEnvelope, Constraints, Container, ItemSpec, LoadConfig,
    LoadRequest, ShipmentRequest, UnloadedReason,
};
use wuliu_model::Kg;

use crate::helpers::*;

#[test]
fn identical_boxes_filling_the_container_reach_100_percent() {
    for (support, dims, c) in [
        (true, [100, 50, 40], [600, 300, 200]),
        (false, [100, 50, 40], [600, 300, 200]),
        (true, [120, 80, 60], [480, 240, 180]),
    ] {
        let n = (c[0] / dims[0]) * (c[1] / dims[1]) * (c[2] / dims[2]);
        let mut k = Constraints::geometry_only();
        k.support = support.then_some(1.0);
        let req = request(container(c[0], c[1], c[2]), vec![item("b", dims, n)], k);
        let plan = solve_checked(&req, &quick());
        assert_eq!(plan.placements.len() as u32, n);
        assert!((plan.stats.utilisation - 1.0).abs() < 1e-12);
        assert!(plan.unloaded.is_empty());
    }
}

#[test]
fn turned_boxes_can_fill_exactly() {
    // 300×200×100 container, boxes 100×200×300 must be laid down to fit at all.
    let req = request(
        container(300, 200, 100),
        vec![item("b", [100, 200, 300], 1)],
        Constraints::default(),
    );
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 1);
    assert_eq!(plan.placements[0].size, [300, 200, 100]);
}

#[test]
fn this_side_up_is_honoured_and_too_large_items_are_reported() {
    let mut tall = item("tall", [100, 100, 300], 4);
    tall.orientations = AllowedOrientations::THIS_SIDE_UP;
    let req = request(container(400, 400, 200), vec![tall], Constraints::default());
    let plan = solve_checked(&req, &quick());
    assert!(
        plan.placements.is_empty(),
        "standing upright it is too tall"
    );
    assert_eq!(plan.unloaded[0].reason, UnloadedReason::TooLarge);
    assert_eq!(plan.unloaded[0].quantity, 4);
}

#[test]
fn payload_limits_the_load() {
    let mut b = item("b", [100, 100, 100], 8);
    b.weight = Kg(10.0);
    let mut c = container(200, 200, 200);
    c.max_payload = Some(Kg(55.0));
    let req = request(c, vec![b], Constraints::default());
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 5);
    assert_eq!(plan.unloaded[0].reason, UnloadedReason::PayloadReached);
    assert_eq!(plan.stats.loaded_weight, Kg(50.0));
}

#[test]
fn a_support_share_below_one_lets_a_box_bridge_a_gap() {
    // Two upright pillars 48 wide leave 4 of the 100 free; a plank that carries nothing fits only
    // on top of them, where it rests on 96 % of its base.
    let mut pillar = item("pillar", [48, 100, 60], 2);
    pillar.orientations = AllowedOrientations::THIS_SIDE_UP;
    let mut plank = item("plank", [100, 100, 40], 1);
    plank.orientations = AllowedOrientations::THIS_SIDE_UP;
    plank.stackable = false;
    let solve_with = |share: f64| {
        let k = Constraints {
            support: Some(share),
            ..Constraints::default()
        };
        let req = request(
            container(100, 100, 100),
            vec![pillar.clone(), plank.clone()],
            k,
        );
        solve_checked(&req, &quick())
    };
    let full = solve_with(1.0);
    assert_eq!(full.placements.len(), 2, "full support: the pillars only");
    assert!(full.placements.iter().all(|p| p.item == "pillar"));
    let unloaded: Vec<_> = full
        .unloaded
        .iter()
        .map(|u| (u.item.as_str(), u.quantity))
        .collect();
    assert_eq!(unloaded, vec![("plank", 1)]);

    let bridged = solve_with(0.9);
    assert_eq!(
        bridged.placements.len(),
        3,
        "with 90 % the plank goes on top"
    );
    let plank_at = bridged
        .placements
        .iter()
        .find(|p| p.item == "plank")
        .map(|p| p.position);
    assert_eq!(plank_at.map(|p| p[2]), Some(60));
    assert!(bridged.unloaded.is_empty());
}

#[test]
fn nothing_is_stacked_on_fragile_items() {
    let mut egg = item("egg", [100, 100, 50], 4);
    egg.max_load_on_top = Some(Kg(0.0));
    let mut brick = item("brick", [100, 100, 50], 4);
    brick.weight = Kg(20.0);
    let req = request(
        container(200, 200, 100),
        vec![egg, brick],
        Constraints::default(),
    );
    let plan = solve_checked(&req, &quick());
    // Everything fits only with the eggs on top of the bricks.
    assert_eq!(plan.placements.len(), 8);
    for p in plan.placements.iter().filter(|p| p.item == "egg") {
        assert_eq!(p.position[2], 50);
    }
}

#[test]
fn later_stops_go_deeper() {
    let mut items = Vec::new();
    for stop in 1..=3 {
        let mut it = item(&format!("s{stop}"), [100, 100, 100], 4);
        it.stop = stop;
        items.push(it);
    }
    let req = request(container(300, 200, 200), items, Constraints::default());
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 12);
    // Stop 3 at the front wall, stop 1 at the door.
    for p in &plan.placements {
        let stop: u32 = p.item[1..].parse().unwrap();
        assert_eq!(p.position[0], (3 - stop) * 100, "{p:?}");
    }
}

#[test]
fn centre_of_gravity_and_axles_are_repaired() {
    // Heavy boxes only fill the front half well; the envelope asks for a centred load.
    let mut heavy = item("heavy", [100, 100, 100], 6);
    heavy.weight = Kg(100.0);
    let k = Constraints {
        centre_of_gravity: Some(CogEnvelope {
            x: [0.45, 0.55],
            y: [0.0, 1.0],
            z_max: 1.0,
        }),
        ..Constraints::default()
    };
    let mut c = container(1000, 100, 100);
    c.axles = Some(Axles {
        front_x: 100,
        rear_x: 900,
        front_max: Kg(1000.0),
        rear_max: Kg(1000.0),
    });
    let req = request(c, vec![heavy], k);
    let plan = solve_checked(&req, &quick());
    let g = plan.stats.centre_of_gravity.expect("has weight");
    assert!((450.0..=550.0).contains(&g[0]), "{g:?}");
    let loaded = plan.placements.len() as u32;
    let removed: u32 = plan
        .unloaded
        .iter()
        .filter(|u| u.reason == UnloadedReason::Balance)
        .map(|u| u.quantity)
        .sum();
    assert_eq!(
        loaded
            + removed
            + plan
                .unloaded
                .iter()
                .filter(|u| u.reason != UnloadedReason::Balance)
                .map(|u| u.quantity)
                .sum::<u32>(),
        6
    );
}

#[test]
fn random_requests_always_pass_the_checker() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..20 {
        let c = container(
            rng.gen_range(400..900),
            rng.gen_range(200..400),
            rng.gen_range(200..400),
        );
        let items = (0..rng.gen_range(1..8))
            .map(|k| {
                let mut it = item(
                    &format!("i{k}"),
                    [
                        rng.gen_range(20..200),
                        rng.gen_range(20..200),
                        rng.gen_range(20..200),
                    ],
                    rng.gen_range(1..30),
                );
                it.weight = Kg(rng.gen_range(1.0..50.0));
                if rng.gen_bool(0.3) {
                    it.orientations = AllowedOrientations::THIS_SIDE_UP;
                }
                if rng.gen_bool(0.2) {
                    it.max_load_on_top = Some(Kg(rng.gen_range(0.0..40.0)));
                }
                if rng.gen_bool(0.1) {
                    it.stackable = false;
                }
                it.stop = rng.gen_range(1..4);
                it
            })
            .collect();
        let k = Constraints {
            support: [None, Some(0.7), Some(1.0)][case % 3],
            multi_drop: rng.gen_bool(0.5),
            ..Constraints::default()
        };
        let mut req = request(c, items, k);
        if rng.gen_bool(0.5) {
            req.container.max_payload = Some(Kg(rng.gen_range(100.0..3000.0)));
        }
        if rng.gen_bool(0.3) {
            req.container.door = wuliu_load::Door::Side;
        }
        let cfg = LoadConfig {
            max_passes: Some(2),
            time_limit_s: 20.0,
            ..LoadConfig::default()
        };
        let plan = solve_checked(&req, &cfg);
        let total: u32 = req.items.iter().map(|i| i.quantity).sum();
        let unloaded: u32 = plan.unloaded.iter().map(|u| u.quantity).sum();
        assert_eq!(
            plan.placements.len() as u32 + unloaded,
            total,
            "case {case}"
        );
        assert_eq!(plan.steps.len(), plan.placements.len());
    }
}

#[test]
fn same_config_gives_the_same_plan() {
    let req = request(
        container(587, 233, 220),
        vec![
            item("a", [108, 76, 30], 40),
            item("b", [110, 43, 25], 33),
            item("c", [92, 81, 55], 39),
        ],
        Constraints::default(),
    );
    let a = solve(&req, &quick()).unwrap();
    let b = solve(&req, &quick()).unwrap();
    assert_eq!(a.placements, b.placements);
    // The thread count does not change the answer either.
    let one = LoadConfig {
        threads: Some(1),
        ..quick()
    };
    let c = solve(&req, &one).unwrap();
    assert_eq!(a.placements, c.placements);
}

#[test]
fn loading_sequence_puts_supports_first() {
    let req = request(
        container(400, 200, 300),
        vec![item("a", [100, 100, 100], 24)],
        Constraints::default(),
    );
    let plan = solve_checked(&req, &quick());
    for (k, p) in plan.placements.iter().enumerate() {
        for q in &plan.placements[k + 1..] {
            let on_top = q.max()[2] <= p.position[2]
                && q.position[0] < p.max()[0]
                && p.position[0] < q.max()[0]
                && q.position[1] < p.max()[1]
                && p.position[1] < q.max()[1];
            assert!(!on_top, "{q:?} supports {p:?} but is loaded later");
        }
    }
    assert!(plan.steps[0].instruction.contains("on the floor"));
    // Cubes need no turning: every step says they stand as labelled.
    assert!(
        plan.steps
            .iter()
            .all(|s| s.instruction.contains("upright as labelled")),
        "{:?}",
        plan.steps[0]
    );
}

#[test]
fn each_step_says_in_words_how_the_item_is_turned() {
    // 300 long, 200 wide, 100 high in a container 100 long, 200 wide, 300 high: it only fits on its
    // end (length up), with its height along the container and its width across.
    let mut it = item("board", [300, 200, 100], 1);
    it.orientations = AllowedOrientations::ANY;
    let req = request(container(100, 200, 300), vec![it], Constraints::default());
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 1);
    assert_eq!(plan.placements[0].size, [100, 200, 300]);
    let text = &plan.steps[0].instruction;
    assert!(
        text.contains("(100×200×300 mm, on its end (length up), height along the container)"),
        "{text}"
    );
}

#[test]
fn json_round_trip_and_invalid_requests() {
    let json = r#"{
        "container": {"id": "truck", "length": 600, "width": 240, "height": 240},
        "items": [{"id": "box", "length": 120, "width": 80, "height": 60, "quantity": 10, "weight": 5}]
    }"#;
    let req: LoadRequest = serde_json::from_str(json).unwrap();
    assert_eq!(req.constraints, Constraints::default());
    let plan = solve_checked(&req, &quick());
    let text = serde_json::to_string(&plan).unwrap();
    let back: wuliu_load::LoadPlan = serde_json::from_str(&text).unwrap();
    assert_eq!(back, plan);

    let mut bad = req.clone();
    bad.items.push(bad.items[0].clone());
    bad.items[1].length = 0;
    bad.constraints.support = Some(1.5);
    match solve(&bad, &quick()) {
        Err(e @ wuliu_load::LoadError::Invalid(_)) => {
            // The message (what the CLI prints) names every problem with its field path.
            let text = e.to_string();
            assert!(
                text.contains("items[1].length: item length must be positive")
                    && text.contains("items[1].id")
                    && text.contains("constraints.support"),
                "{text}"
            );
            let wuliu_load::LoadError::Invalid(v) = e else {
                unreachable!()
            };
            let codes: Vec<&str> = v.0.iter().map(|x| x.code.as_str()).collect();
            assert!(
                codes.contains(&"duplicate") && codes.contains(&"out_of_range"),
                "{codes:?}"
            );
            assert!(v.0.len() >= 3);
        }
        other => panic!("expected invalid, got {other:?}"),
    }
}

#[test]
fn realistic_truck_request_from_json() {
    let path = format!(
        "{}/tests/data/sample_request.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let req: LoadRequest = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(req.container.door, wuliu_load::Door::Rear);
    assert!(
        req.constraints.multi_drop,
        "defaults apply to omitted switches"
    );
    let plan = solve_checked(&req, &quick());
    let total: u32 = req.items.iter().map(|i| i.quantity).sum();
    let unloaded: u32 = plan.unloaded.iter().map(|u| u.quantity).sum();
    assert_eq!(plan.placements.len() as u32 + unloaded, total);
    // Everything fits by volume and weight; only balance may leave something behind.
    assert!(
        plan.unloaded
            .iter()
            .all(|u| u.reason == UnloadedReason::Balance),
        "{:?}",
        plan.unloaded
    );
    assert!(plan.stats.loaded_weight.0 <= 18000.0);
}

#[test]
fn a_field_the_model_does_not_know_is_refused_by_name_not_ignored() {
    // A shipper who writes `"fragile": true` must learn that it means nothing here (fragility is
    // `max_load_on_top`), instead of getting a plan that stacks on the glass.
    let item = r#"{"id": "glass", "length": 1500, "width": 300, "height": 1200, "fragile": true}"#;
    let err = serde_json::from_str::<ItemSpec>(item)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `fragile`"), "{err}");
    assert!(
        err.contains("max_load_on_top"),
        "the known fields are listed: {err}"
    );

    let container =
        r#"{"id": "c", "length": 9600, "width": 2400, "height": 2500, "max_weight": 18000}"#;
    let err = serde_json::from_str::<Container>(container)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `max_weight`"), "{err}");

    let request = r#"{"container": {"id": "c", "length": 10, "width": 10, "height": 10},
        "items": [], "constraints": {"suport": 1.0}}"#;
    let err = serde_json::from_str::<LoadRequest>(request)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `suport`"), "{err}");
    assert!(err.contains("line 2"), "the position is given: {err}");

    let shipment = r#"{"containers": [{"container": {"id": "c", "length": 10, "width": 10,
        "height": 10}, "count": 2}], "items": []}"#;
    let err = serde_json::from_str::<ShipmentRequest>(shipment)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `count`"), "{err}");
    assert!(err.contains("available"), "{err}");
}

#[test]
fn cartons_with_a_load_limit_stack_as_high_as_the_limit_allows() {
    // 600×400×400 cartons of 10 kg, upright, in a van 4 200×2 000×1 900: 35 per layer, 4 layers fit.
    let van = || container(4200, 2000, 1900);
    let cartons = |limit: f64| {
        let mut it = item("carton", [600, 400, 400], 100);
        it.weight = Kg(10.0);
        it.max_load_on_top = Some(Kg(limit));
        it.orientations = AllowedOrientations::THIS_SIDE_UP;
        vec![it]
    };
    // A limit of 40 kg carries four cartons above, so every column may be 4 high: all 100 load.
    let req = request(van(), cartons(40.0), Constraints::default());
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 100, "{:?}", plan.unloaded);
    assert!(plan.placements.iter().any(|p| p.position[2] == 1200));
    // A limit of 15 kg carries one carton: two layers, 70 cartons, none higher.
    let req = request(van(), cartons(15.0), Constraints::default());
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 70);
    assert!(plan.placements.iter().all(|p| p.position[2] <= 400));
    // A limit of 0: one layer, as before.
    let req = request(van(), cartons(0.0), Constraints::default());
    assert_eq!(solve_checked(&req, &quick()).placements.len(), 35);
}

#[test]
fn an_item_with_a_load_limit_carries_other_items_up_to_it() {
    // A 300 kg crate that may carry 100 kg fills the floor of a 1.2 × 1.0 m body; four cartons fit on
    // top of it, and the cartons (limit 50 kg) cannot carry the crate.
    let body = || container(1200, 1000, 1400);
    let load = |carton_kg: f64| {
        let mut crate_ = item("crate", [1200, 1000, 800], 1);
        crate_.weight = Kg(300.0);
        crate_.max_load_on_top = Some(Kg(100.0));
        crate_.orientations = AllowedOrientations::THIS_SIDE_UP;
        let mut carton = item("carton", [600, 500, 600], 4);
        carton.weight = Kg(carton_kg);
        carton.max_load_on_top = Some(Kg(50.0));
        carton.orientations = AllowedOrientations::THIS_SIDE_UP;
        request(body(), vec![crate_, carton], Constraints::default())
    };
    // Four 20 kg cartons weigh 80 kg: all five items load, the cartons on the crate.
    let plan = solve_checked(&load(20.0), &quick());
    assert_eq!(plan.placements.len(), 5, "{:?}", plan.unloaded);
    assert!(plan
        .placements
        .iter()
        .all(|p| (p.item == "crate") == (p.position[2] == 0)));
    // Four 30 kg cartons weigh 120 kg: they cannot all go on the crate (the checker agrees).
    let plan = solve_checked(&load(30.0), &quick());
    assert!(plan.placements.len() < 5);
}

#[test]
fn the_search_puts_items_on_a_placed_item_with_a_load_limit_until_it_is_reached() {
    // The same crate (bears 100 kg) and three 30 kg cartons: no block joins the crate with cartons
    // (the pair would leave too much of its bounding box empty), so the cartons must be put on the
    // placed crate one block at a time: 90 kg in all.
    let mut crate_ = item("crate", [1200, 1000, 800], 1);
    crate_.weight = Kg(300.0);
    crate_.max_load_on_top = Some(Kg(100.0));
    crate_.orientations = AllowedOrientations::THIS_SIDE_UP;
    let mut carton = item("carton", [600, 500, 600], 3);
    carton.weight = Kg(30.0);
    carton.max_load_on_top = Some(Kg(50.0));
    carton.orientations = AllowedOrientations::THIS_SIDE_UP;
    let req = request(
        container(1200, 1000, 1400),
        vec![crate_.clone(), carton.clone()],
        Constraints::default(),
    );
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 4, "{:?}", plan.unloaded);
    // A fourth carton would bring the crate to 120 kg: one of four stays behind.
    carton.quantity = 4;
    let req = request(
        container(1200, 1000, 1400),
        vec![crate_, carton],
        Constraints::default(),
    );
    let plan = solve_checked(&req, &quick());
    assert_eq!(plan.placements.len(), 4, "{:?}", plan.unloaded);
}
