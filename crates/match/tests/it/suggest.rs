//! Online suggestions.

use wuliu_match::{
    nearest_load_verdicts, nearest_vehicle_verdicts, suggest_loads, suggest_vehicles, MatchConfig,
};
use wuliu_model::{BodyType, StraightLine};

use crate::fixtures::*;

#[test]
fn top_vehicles_for_a_load_are_compatible_and_ranked() {
    let l = load("lod_1", LIUZHOU, NANNING, 8000.0, 3000.0);
    let vehicles = vec![
        vehicle("veh_far", off(LIUZHOU, 40.0, 0.0), BodyType::Box, 10_000.0),
        vehicle("veh_near", off(LIUZHOU, 2.0, 0.0), BodyType::Box, 10_000.0),
        vehicle("veh_small", LIUZHOU, BodyType::Box, 5000.0),
        vehicle("veh_tank", LIUZHOU, BodyType::Tanker, 20_000.0),
        vehicle(
            "veh_mid",
            off(LIUZHOU, 10.0, 0.0),
            BodyType::Flatbed,
            12_000.0,
        ),
    ];
    let s = suggest_vehicles(
        &l,
        &vehicles,
        &StraightLine::default(),
        &MatchConfig::default(),
        2,
    )
    .unwrap();
    let ids: Vec<_> = s.iter().map(|x| x.vehicle.as_str()).collect();
    assert_eq!(ids, ["veh_near", "veh_mid"]);
    assert!(s[0].score >= s[1].score);
    assert!(s[0].deadhead_km < s[1].deadhead_km);
}

#[test]
fn top_loads_for_a_free_vehicle_prefer_the_way_home() {
    // A vehicle based in Liuzhou is free in Nanning: the load back to Liuzhou beats one to Guilin's
    // direction only if it saves the return; both pay the same.
    let mut v = vehicle("veh_1", NANNING, BodyType::Box, 10_000.0);
    v.vehicle.home_base = Some(LIUZHOU);
    let home = load(
        "lod_home",
        off(NANNING, 1.0, 0.0),
        off(LIUZHOU, 1.0, 0.0),
        5000.0,
        1800.0,
    );
    let away = load(
        "lod_away",
        off(NANNING, 1.0, 0.0),
        off(NANNING, -120.0, -60.0),
        5000.0,
        1800.0,
    );
    let heavy = load(
        "lod_heavy",
        off(NANNING, 1.0, 0.0),
        LIUZHOU,
        50_000.0,
        9000.0,
    );
    let s = suggest_loads(
        &v,
        &[away, heavy, home],
        &StraightLine::default(),
        &MatchConfig::default(),
        5,
    )
    .unwrap();
    let ids: Vec<_> = s.iter().map(|x| x.load.as_str()).collect();
    assert_eq!(ids, ["lod_home", "lod_away"]);
    assert!(s[0].return_km < 5.0);
}

#[test]
fn json_request_round_trip() {
    let req = wuliu_match::SuggestVehiclesRequest {
        load: load("lod_1", LIUZHOU, NANNING, 8000.0, 3000.0),
        vehicles: vec![vehicle(
            "veh_1",
            off(LIUZHOU, 2.0, 0.0),
            BodyType::Box,
            10_000.0,
        )],
        config: MatchConfig::default(),
        n: 3,
    };
    let json = serde_json::to_string(&req).unwrap();
    let back: wuliu_match::SuggestVehiclesRequest = serde_json::from_str(&json).unwrap();
    let s = back.run(&StraightLine::default()).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].vehicle.as_str(), "veh_1");
    let plan_json = serde_json::to_value(&s[0]).unwrap();
    assert!(plan_json["deadhead_km"].as_f64().unwrap() > 2.0);
}

#[test]
fn an_empty_list_is_explained_by_the_rules_the_nearest_candidates_fail() {
    // The only vehicles are a tanker next door and a small box truck 5 km away; the load is 8 t of
    // general cargo.
    let l = load("lod_1", LIUZHOU, NANNING, 8000.0, 3000.0);
    let vehicles = vec![
        vehicle("veh_small", off(LIUZHOU, 5.0, 0.0), BodyType::Box, 5000.0),
        vehicle(
            "veh_tank",
            off(LIUZHOU, 1.0, 0.0),
            BodyType::Tanker,
            20_000.0,
        ),
        vehicle("veh_far", off(LIUZHOU, 300.0, 0.0), BodyType::Box, 10_000.0),
    ];
    let c = MatchConfig::default();
    let costs = StraightLine::default();
    assert!(suggest_vehicles(&l, &vehicles, &costs, &c, 5)
        .unwrap()
        .is_empty());
    let why = nearest_vehicle_verdicts(&l, &vehicles, &costs, &c, 2).unwrap();
    let seen: Vec<_> = why
        .iter()
        .map(|v| (v.vehicle.as_str(), v.excluded_by[0].code.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("veh_tank", "body_type.unsuitable"),
            ("veh_small", "capacity.weight")
        ]
    );
    assert!(why[0].straight_km < why[1].straight_km);

    // The other way round: a vehicle free after the load's pickup window has closed is told so.
    let mut late = vehicle("veh_late", LIUZHOU, BodyType::Box, 10_000.0);
    late.free_from = l.load.pickup_window.end + chrono::Duration::hours(1);
    let loads = [l];
    assert!(suggest_loads(&late, &loads, &costs, &c, 5)
        .unwrap()
        .is_empty());
    let why = nearest_load_verdicts(&late, &loads, &costs, &c, 3).unwrap();
    assert_eq!(why.len(), 1);
    assert_eq!(why[0].load.as_str(), "lod_1");
    let codes: Vec<_> = why[0].excluded_by.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.contains(&"pickup.too_late"), "{codes:?}");
    assert!(why[0].note.is_none());

    // A vehicle that passes every rule but lies beyond the deadhead limit gets a note instead.
    let strict = MatchConfig {
        max_deadhead_km: 0.5,
        ..MatchConfig::default()
    };
    let ok = vehicle("veh_ok", off(LIUZHOU, 3.0, 0.0), BodyType::Box, 10_000.0);
    assert!(suggest_loads(&ok, &loads, &costs, &strict, 5)
        .unwrap()
        .is_empty());
    let why = nearest_load_verdicts(&ok, &loads, &costs, &strict, 3).unwrap();
    assert!(why[0].excluded_by.is_empty());
    assert!(
        why[0]
            .note
            .as_deref()
            .unwrap()
            .contains("more than 0.5 km empty"),
        "{:?}",
        why[0].note
    );
}
