//! The checker detects each kind of violation, and accepts a valid hand-made plan.

use wuliu_load::{check, Axles, CogEnvelope, Constraints, Door, Orientation};
use wuliu_model::Kg;

use crate::helpers::*;

fn two_boxes() -> wuliu_load::LoadRequest {
    let mut a = item("a", [100, 100, 100], 2);
    a.weight = Kg(10.0);
    request(container(300, 100, 200), vec![a], Constraints::default())
}

#[test]
fn valid_stack_passes() {
    let req = two_boxes();
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [0, 0, 100]),
    ]);
    let r = check(&req, &plan);
    assert!(r.ok, "{:?}", r.violations);
    assert_eq!(r.loaded_volume, 2_000_000);
}

#[test]
fn overlap_is_reported() {
    let req = two_boxes();
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [50, 0, 0]),
    ]);
    let r = check(&req, &plan);
    assert!(r.has("overlap"));
    assert_eq!(
        r.violations.iter().filter(|v| v.code == "overlap").count(),
        1
    );
    // Touching faces are not an overlap.
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [100, 0, 0]),
    ]);
    assert!(check(&req, &plan).ok);
}

#[test]
fn outside_is_reported() {
    let req = two_boxes();
    let plan = plan_of(vec![put(&req, "a", 0, [250, 0, 0])]);
    assert!(check(&req, &plan).has("outside"));
}

#[test]
fn identity_and_copies_are_checked() {
    let req = two_boxes();
    let mut p = put(&req, "a", 0, [0, 0, 0]);
    p.item = "zzz".into();
    assert!(check(&req, &plan_of(vec![p])).has("unknown_item"));
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 0, [100, 0, 0]),
    ]);
    assert!(check(&req, &plan).has("too_many_copies"));
    let plan = plan_of(vec![put(&req, "a", 5, [0, 0, 0])]);
    assert!(check(&req, &plan).has("too_many_copies"));
}

#[test]
fn orientation_and_size_are_checked() {
    let mut req = request(
        container(300, 300, 300),
        vec![item("tall", [100, 50, 200], 1)],
        Constraints::default(),
    );
    req.items[0].orientations = wuliu_load::AllowedOrientations::THIS_SIDE_UP;
    let mut p = put(&req, "tall", 0, [0, 0, 0]);
    p.orientation = Orientation::Lhw;
    p.size = Orientation::Lhw.apply(req.items[0].dims());
    let r = check(&req, &plan_of(vec![p.clone()]));
    assert!(r.has("orientation") && !r.has("size_mismatch"));
    req.constraints.orientations = false;
    assert!(check(&req, &plan_of(vec![p.clone()])).ok);
    p.size = [1, 2, 3];
    assert!(check(&req, &plan_of(vec![p])).has("size_mismatch"));
}

#[test]
fn weight_limit_is_checked() {
    let mut req = two_boxes();
    req.container.max_payload = Some(Kg(15.0));
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [100, 0, 0]),
    ]);
    assert!(check(&req, &plan).has("weight_limit"));
    req.constraints.weight_limit = false;
    assert!(check(&req, &plan).ok);
}

#[test]
fn support_share_is_checked() {
    let mut req = two_boxes();
    // Half of the upper box overhangs.
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [50, 0, 100]),
    ]);
    assert!(check(&req, &plan).has("support"));
    req.constraints.support = Some(0.5);
    assert!(check(&req, &plan).ok);
    req.constraints.support = Some(0.51);
    assert!(check(&req, &plan).has("support"));
    // Floating box.
    req.constraints.support = Some(0.1);
    let plan = plan_of(vec![put(&req, "a", 0, [0, 0, 50])]);
    assert!(check(&req, &plan).has("support"));
    req.constraints.support = None;
    assert!(check(&req, &plan).ok);
}

#[test]
fn load_bearing_and_stackability_are_checked() {
    let mut heavy = item("heavy", [100, 100, 100], 2);
    heavy.weight = Kg(30.0);
    let mut egg = item("egg", [100, 100, 100], 1);
    egg.weight = Kg(1.0);
    egg.max_load_on_top = Some(Kg(50.0));
    let mut req = request(
        container(300, 100, 300),
        vec![heavy, egg],
        Constraints::default(),
    );
    // egg carries heavy(0), which carries heavy(1): 60 kg > 50 kg.
    let plan = plan_of(vec![
        put(&req, "egg", 0, [0, 0, 0]),
        put(&req, "heavy", 0, [0, 0, 100]),
        put(&req, "heavy", 1, [0, 0, 200]),
    ]);
    assert!(check(&req, &plan).has("load_bearing"));
    // One heavy box only: 30 kg ≤ 50 kg.
    let plan1 = plan_of(vec![
        put(&req, "egg", 0, [0, 0, 0]),
        put(&req, "heavy", 0, [0, 0, 100]),
    ]);
    assert!(check(&req, &plan1).ok);
    req.items[1].stackable = false;
    assert!(check(&req, &plan1).has("not_stackable"));
    req.constraints.load_bearing = false;
    assert!(check(&req, &plan).ok);
}

#[test]
fn load_is_shared_between_supports() {
    let mut a = item("a", [100, 100, 100], 2);
    a.max_load_on_top = Some(Kg(10.0));
    let mut top = item("top", [200, 100, 100], 1);
    top.weight = Kg(18.0);
    let req = request(
        container(200, 100, 200),
        vec![a, top],
        Constraints::default(),
    );
    // 18 kg shared evenly: 9 kg each, within 10 kg.
    let plan = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [100, 0, 0]),
        put(&req, "top", 0, [0, 0, 100]),
    ]);
    assert!(check(&req, &plan).ok, "{:?}", check(&req, &plan).violations);
}

#[test]
fn multi_drop_order_is_checked() {
    let mut first = item("first", [100, 100, 100], 1);
    first.stop = 1;
    let mut last = item("last", [100, 100, 100], 1);
    last.stop = 2;
    let mut req = request(
        container(300, 100, 100),
        vec![first, last],
        Constraints::default(),
    );
    // Door at x = 300: stop 2 between stop 1 and the door blocks it.
    let bad = plan_of(vec![
        put(&req, "first", 0, [0, 0, 0]),
        put(&req, "last", 0, [100, 0, 0]),
    ]);
    assert!(check(&req, &bad).has("multi_drop"));
    let good = plan_of(vec![
        put(&req, "last", 0, [0, 0, 0]),
        put(&req, "first", 0, [100, 0, 0]),
    ]);
    assert!(check(&req, &good).ok);
    // With a side door (y = width) neither blocks the other here.
    req.container.door = Door::Side;
    assert!(check(&req, &bad).ok);
    req.container.door = Door::Rear;
    req.constraints.multi_drop = false;
    assert!(check(&req, &bad).ok);
}

#[test]
fn centre_of_gravity_is_checked() {
    let mut req = two_boxes();
    req.constraints.centre_of_gravity = Some(CogEnvelope {
        x: [0.3, 0.7],
        y: [0.0, 1.0],
        z_max: 1.0,
    });
    // Both boxes at the front: centre at x = 100 of 300 (0.33) is inside.
    let ok = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [100, 0, 0]),
    ]);
    assert!(check(&req, &ok).ok);
    // One box at the front wall: centre at x = 50 (0.17) is outside.
    let bad = plan_of(vec![put(&req, "a", 0, [0, 0, 0])]);
    assert!(check(&req, &bad).has("centre_of_gravity"));
}

#[test]
fn axle_loads_are_checked() {
    let mut req = two_boxes();
    req.container.axles = Some(Axles {
        front_x: 0,
        rear_x: 300,
        front_max: Kg(12.0),
        rear_max: Kg(100.0),
    });
    // Centre at x = 50: front axle carries 20 × 250/300 ≈ 16.7 kg > 12 kg.
    let front_heavy = plan_of(vec![
        put(&req, "a", 0, [0, 0, 0]),
        put(&req, "a", 1, [0, 0, 100]),
    ]);
    assert!(check(&req, &front_heavy).has("axle_load"));
    let balanced = plan_of(vec![
        put(&req, "a", 0, [100, 0, 0]),
        put(&req, "a", 1, [200, 0, 0]),
    ]);
    assert!(check(&req, &balanced).ok);
}
