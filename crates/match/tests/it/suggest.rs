//! Online suggestions.

use wuliu_match::{suggest_loads, suggest_vehicles, MatchConfig};
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
