//! Dispatch passes its departure to the road engine: a VROOM input whose time 0 falls in a
//! truck ban plans on the roads open then (here: the long way round), and the same input at
//! another hour drives straight through.

use serde_json::json;
use wuliu_dispatch::{vroom::Input, SolverConfig};
use wuliu_road::*;

/// A—B—C straight, with `hgv:conditional=no @ (07:00-09:00)` on B—C, and a detour B—D—C; C—E on.
fn network() -> PreparedNetwork {
    let t = |extra: &[(&str, &str)]| {
        let mut v = vec![("highway".to_string(), "primary".to_string())];
        v.extend(extra.iter().map(|(k, x)| (k.to_string(), x.to_string())));
        v
    };
    let data = OsmData {
        nodes: vec![
            (1, 24.30, 109.40),
            (2, 24.30, 109.41),
            (3, 24.30, 109.42),
            (4, 24.33, 109.415),
            (5, 24.30, 109.43),
        ],
        ways: vec![
            OsmWay {
                id: 10,
                nodes: vec![1, 2],
                tags: t(&[]),
            },
            OsmWay {
                id: 11,
                nodes: vec![2, 3],
                tags: t(&[("hgv:conditional", "no @ (07:00-09:00)")]),
            },
            OsmWay {
                id: 12,
                nodes: vec![2, 4, 3],
                tags: t(&[]),
            },
            OsmWay {
                id: 13,
                nodes: vec![3, 5],
                tags: t(&[]),
            },
        ],
        ..OsmData::default()
    };
    let net = RoadNetwork::from_osm(&data, Profile::Truck).unwrap();
    PreparedNetwork::prepare(net, Some(Vehicle::heavy_truck()))
}

fn travel_time(net: &PreparedNetwork, departure: &str) -> u64 {
    let input: Input = serde_json::from_value(json!({
        "departure": departure,
        "vehicles": [{"id": 1, "start": [109.401, 24.30], "end": [109.401, 24.30]}],
        "jobs": [{"id": 7, "location": [109.425, 24.30]}]
    }))
    .unwrap();
    let config = SolverConfig {
        time_limit_s: 1.0,
        max_iterations: Some(200),
        ..SolverConfig::default()
    };
    let (out, _) = wuliu_app::dispatch::solve_now(&input, &config, net).unwrap();
    assert_eq!(out.summary.unassigned, 0);
    out.summary.duration
}

#[test]
fn a_plan_leaving_in_the_ban_goes_round_and_one_leaving_after_it_does_not() {
    let net = network();
    let free = travel_time(&net, "2026-12-07T06:00:00+08:00");
    let banned = travel_time(&net, "2026-12-07T07:30:00+08:00");
    assert!(banned > free + 120, "ban {banned} s vs free {free} s");
    assert_eq!(travel_time(&net, "2026-12-07T09:30:00+08:00"), free);
}
