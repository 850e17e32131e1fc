//! Scenario tests on small generated networks: turn restrictions, truck limits, unreachable
//! pairs, and random grids checked against the turn-aware Dijkstra oracle.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::{GeoPoint, Kg};
use wuliu_road::*;

fn tags(kv: &[(&str, &str)]) -> Vec<(String, String)> {
    kv.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn way(id: i64, nodes: &[i64], kv: &[(&str, &str)]) -> OsmWay {
    OsmWay {
        id,
        nodes: nodes.to_vec(),
        tags: tags(kv),
    }
}

fn restriction(id: i64, from: i64, via: i64, to: i64, kind: &str) -> OsmRelation {
    OsmRelation {
        id,
        members: vec![
            (MemberKind::Way, from, "from".into()),
            (MemberKind::Node, via, "via".into()),
            (MemberKind::Way, to, "to".into()),
        ],
        tags: tags(&[("type", "restriction"), ("restriction", kind)]),
    }
}

fn pt(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint { lat, lon }
}

/// Node `r * 10 + c + 1` of a grid with 0.002° spacing.
fn grid_node(r: i64, c: i64) -> (i64, f64, f64) {
    (
        r * 10 + c + 1,
        24.3 + r as f64 * 0.002,
        109.4 + c as f64 * 0.002,
    )
}

fn route_between(p: &PreparedNetwork, a: GeoPoint, b: GeoPoint) -> Option<Route> {
    p.route(&RouteRequest {
        points: vec![a, b],
        steps: true,
        vehicle: None,
        departure: None,
    })
    .unwrap()
}

/// A—B direct (short, 7.5 t limit) and A—C—B around (long, no limit).
fn weight_limited() -> OsmData {
    OsmData {
        nodes: vec![
            (1, 24.300, 109.400),
            (2, 24.300, 109.410),
            (3, 24.310, 109.405),
        ],
        ways: vec![
            way(10, &[1, 2], &[("highway", "primary"), ("maxweight", "7.5")]),
            way(11, &[1, 3], &[("highway", "primary")]),
            way(12, &[3, 2], &[("highway", "primary")]),
        ],
        ..OsmData::default()
    }
}

#[test]
fn heavy_truck_avoids_maxweight_road_light_van_uses_it() {
    let (a, b) = (pt(24.300, 109.4005), pt(24.300, 109.4095));
    let heavy = PreparedNetwork::prepare(
        RoadNetwork::from_osm(&weight_limited(), Profile::Truck).unwrap(),
        Some(Vehicle::heavy_truck()),
    );
    let van = PreparedNetwork::prepare(
        RoadNetwork::from_osm(&weight_limited(), Profile::Truck).unwrap(),
        Some(Vehicle::light_van()),
    );
    let rh = route_between(&heavy, a, b).expect("detour exists");
    let rv = route_between(&van, a, b).expect("direct road");
    assert!(rv.distance_m < 1000.0, "van goes direct: {}", rv.distance_m);
    assert!(rh.distance_m > 2000.0, "truck detours: {}", rh.distance_m);
    // The truck's line passes the northern node C, the van's does not.
    assert!(rh.coordinates.iter().any(|c| c[1] > 24.309));
    assert!(rv.coordinates.iter().all(|c| c[1] < 24.301));
    // A bigger vehicle than the prepared class is refused, not silently routed.
    let mut too_heavy = Vehicle::light_van();
    too_heavy.gross_weight = Kg(12_000.0);
    let err = van
        .route(&RouteRequest {
            points: vec![a, b],
            steps: false,
            vehicle: Some(too_heavy),
            departure: None,
        })
        .unwrap_err();
    assert!(matches!(err, RoadError::VehicleExceedsPreparedClass(_)));
}

#[test]
fn height_width_length_and_hgv_no() {
    for (k, v) in [
        ("maxheight", "3.5"),
        ("maxwidth", "2.3"),
        ("maxlength", "10"),
        ("hgv", "no"),
    ] {
        let mut data = weight_limited();
        data.ways[0].tags = tags(&[("highway", "primary"), (k, v)]);
        let heavy = PreparedNetwork::prepare(
            RoadNetwork::from_osm(&data, Profile::Truck).unwrap(),
            Some(Vehicle::heavy_truck()),
        );
        let r = route_between(&heavy, pt(24.300, 109.4005), pt(24.300, 109.4095)).unwrap();
        assert!(r.distance_m > 2000.0, "{k}={v}: {}", r.distance_m);
        let car =
            PreparedNetwork::prepare(RoadNetwork::from_osm(&data, Profile::Car).unwrap(), None);
        let r = route_between(&car, pt(24.300, 109.4005), pt(24.300, 109.4095)).unwrap();
        assert!(r.distance_m < 1000.0, "car ignores {k}: {}", r.distance_m);
    }
}

/// A plus-shaped junction X (node 5) with arms W (1), E (2), N (3), S (4), plus a ring road
/// 1-3-2-4-1 so that every turn has a detour.
fn junction(relations: Vec<OsmRelation>) -> PreparedNetwork {
    let data = OsmData {
        nodes: vec![
            (1, 24.300, 109.398),
            (2, 24.300, 109.402),
            (3, 24.302, 109.400),
            (4, 24.298, 109.400),
            (5, 24.300, 109.400),
        ],
        ways: vec![
            way(
                101,
                &[1, 5],
                &[("highway", "primary"), ("name", "West Road")],
            ),
            way(
                102,
                &[5, 2],
                &[("highway", "primary"), ("name", "East Road")],
            ),
            way(
                103,
                &[5, 3],
                &[("highway", "primary"), ("name", "North Road")],
            ),
            way(
                104,
                &[5, 4],
                &[("highway", "primary"), ("name", "South Road")],
            ),
            way(201, &[1, 3, 2, 4, 1], &[("highway", "residential")]),
        ],
        relations,
        ..OsmData::default()
    };
    PreparedNetwork::prepare(RoadNetwork::from_osm(&data, Profile::Car).unwrap(), None)
}

#[test]
fn turn_restrictions_no_and_only() {
    let (west, north, east) = (
        pt(24.300, 109.3985),
        pt(24.3015, 109.400),
        pt(24.300, 109.4015),
    );
    let free = junction(vec![]);
    let base = route_between(&free, west, north).unwrap();
    // no_left_turn from W arm to N arm forces the ring road.
    let no_left = junction(vec![restriction(1, 101, 5, 103, "no_left_turn")]);
    let r = route_between(&no_left, west, north).unwrap();
    assert!(
        r.duration_s > base.duration_s + 5.0,
        "{} vs {}",
        r.duration_s,
        base.duration_s
    );
    // Straight on is unaffected.
    let straight = route_between(&no_left, west, east).unwrap();
    assert!(
        (straight.duration_s - route_between(&free, west, east).unwrap().duration_s).abs() < 0.01
    );
    // only_straight_on from W forbids the left turn too.
    let only = junction(vec![restriction(2, 101, 5, 102, "only_straight_on")]);
    let r2 = route_between(&only, west, north).unwrap();
    assert!(r2.duration_s > base.duration_s + 5.0);
    // A restriction for another vehicle class does not apply.
    let mut other = restriction(3, 101, 5, 103, "no_left_turn");
    other.tags.push(("except".into(), "motorcar".into()));
    let r3 = route_between(&junction(vec![other]), west, north).unwrap();
    assert!((r3.duration_s - base.duration_s).abs() < 0.01);
}

#[test]
fn unreachable_pairs_are_none_not_zero() {
    // Two separate equal grids: both are "big" components, so both are snappable.
    let mut data = OsmData::default();
    for (offset, id0) in [(0.0, 0i64), (0.05, 1000)] {
        for r in 0..3 {
            for c in 0..3 {
                let (id, lat, lon) = grid_node(r, c);
                data.nodes.push((id + id0, lat, lon + offset));
            }
        }
        for r in 0..3 {
            let ids: Vec<i64> = (0..3).map(|c| grid_node(r, c).0 + id0).collect();
            data.ways
                .push(way(id0 + r, &ids, &[("highway", "residential")]));
            let ids: Vec<i64> = (0..3).map(|c| grid_node(c, r).0 + id0).collect();
            data.ways
                .push(way(id0 + 10 + r, &ids, &[("highway", "residential")]));
        }
    }
    let p = PreparedNetwork::prepare(RoadNetwork::from_osm(&data, Profile::Car).unwrap(), None);
    let a = pt(24.301, 109.401);
    let b = pt(24.301, 109.451);
    assert!(route_between(&p, a, b).is_none());
    let t = p
        .table(&TableRequest {
            sources: vec![a, b],
            targets: None,
            vehicle: None,
            departure: None,
        })
        .unwrap();
    assert_eq!(t.durations_s[0][1], None);
    assert_eq!(t.distances_m[1][0], None);
    assert_eq!(t.durations_s[0][0], Some(0.0));
    let osrm = osrm::route(
        &p,
        "109.401,24.301;109.451,24.301",
        &osrm::RouteOptions::default(),
    );
    assert_eq!(osrm.code, "NoRoute");
    // Far from any road: a typed error naming the point.
    let far = p.snap(7, pt(25.0, 110.0)).unwrap_err();
    assert!(matches!(far, RoadError::NoRoadNearby { index: 7, .. }));
}

/// Random grids with random oneways, classes, weight limits and restrictions: the hierarchy must
/// match the turn-aware Dijkstra exactly, for cars and for a heavy truck.
#[test]
fn random_grids_with_restrictions_match_oracle() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let classes = ["primary", "secondary", "residential", "service", "tertiary"];
    for round in 0..12 {
        let k = rng.gen_range(3..8i64);
        let mut data = OsmData::default();
        for r in 0..k {
            for c in 0..k {
                data.nodes.push(grid_node(r, c));
            }
        }
        let mut id = 1;
        let mut segments = Vec::new();
        for r in 0..k {
            for c in 0..k {
                for (dr, dc) in [(0, 1), (1, 0)] {
                    if r + dr >= k || c + dc >= k {
                        continue;
                    }
                    let mut kv = vec![("highway", classes[rng.gen_range(0..classes.len())])];
                    if rng.gen_bool(0.3) {
                        kv.push(("oneway", if rng.gen_bool(0.5) { "yes" } else { "-1" }));
                    }
                    if rng.gen_bool(0.2) {
                        kv.push(("maxweight", "10"));
                    }
                    let (a, b) = (grid_node(r, c).0, grid_node(r + dr, c + dc).0);
                    data.ways.push(way(id, &[a, b], &kv));
                    segments.push((id, a, b));
                    id += 1;
                }
            }
        }
        for rid in 0..rng.gen_range(0..k * 3) {
            let v = grid_node(rng.gen_range(0..k), rng.gen_range(0..k)).0;
            let at: Vec<i64> = segments
                .iter()
                .filter(|s| s.1 == v || s.2 == v)
                .map(|s| s.0)
                .collect();
            let (f, t) = (
                at[rng.gen_range(0..at.len())],
                at[rng.gen_range(0..at.len())],
            );
            let kind = if rng.gen_bool(0.5) {
                "no_right_turn"
            } else {
                "only_left_turn"
            };
            data.relations.push(restriction(rid, f, v, t, kind));
        }
        for (profile, vehicle) in [
            (Profile::Car, None),
            (Profile::Truck, Some(Vehicle::heavy_truck())),
        ] {
            let p =
                PreparedNetwork::prepare(RoadNetwork::from_osm(&data, profile).unwrap(), vehicle);
            let pts: Vec<_> = (0..30)
                .map(|_| {
                    pt(
                        24.3 + rng.gen_range(0.0..(k - 1) as f64 * 0.002),
                        109.4 + rng.gen_range(0.0..(k - 1) as f64 * 0.002),
                    )
                })
                .collect();
            let snapped: Vec<_> = pts.iter().map(|g| p.snap(0, *g).ok()).collect();
            let ok: Vec<_> = snapped.into_iter().flatten().collect();
            for s in &ok {
                for t in &ok {
                    let ch = p.shortest(s, t).map(|x| x.0);
                    let oracle = oracle::turn_aware_dijkstra(&p, s, t);
                    assert_eq!(ch, oracle, "round {round} {profile}: {s:?} -> {t:?}");
                }
            }
        }
    }
}

#[test]
fn traffic_signals_add_two_seconds_each() {
    let mut data = OsmData {
        nodes: vec![
            (1, 24.300, 109.400),
            (2, 24.300, 109.405),
            (3, 24.300, 109.410),
        ],
        ways: vec![way(10, &[1, 2, 3], &[("highway", "primary")])],
        ..OsmData::default()
    };
    let (a, b) = (pt(24.300, 109.4001), pt(24.300, 109.4099));
    let plain = PreparedNetwork::prepare(RoadNetwork::from_osm(&data, Profile::Car).unwrap(), None);
    data.traffic_signals = vec![2];
    let signal =
        PreparedNetwork::prepare(RoadNetwork::from_osm(&data, Profile::Car).unwrap(), None);
    let d0 = route_between(&plain, a, b).unwrap().duration_s;
    let d1 = route_between(&signal, a, b).unwrap().duration_s;
    assert!((d1 - d0 - 2.0).abs() < 0.05, "{d0} -> {d1}");
}

#[test]
fn left_turns_cost_more_than_right_turns() {
    let p = junction(vec![]);
    let west = pt(24.300, 109.3985);
    let north = route_between(&p, west, pt(24.3015, 109.400)).unwrap();
    let south = route_between(&p, west, pt(24.2985, 109.400)).unwrap();
    assert!((north.distance_m - south.distance_m).abs() < 1.0);
    // car.lua's sigmoid: about 5.4 s for a 90° left, 2.1 s for a 90° right turn.
    let extra = north.duration_s - south.duration_s;
    assert!((2.5..4.5).contains(&extra), "left - right = {extra}");
    let steps = &north.legs[0].steps;
    assert_eq!(steps[1].maneuver.modifier.as_deref(), Some("left"));
    assert_eq!(
        south.legs[0].steps[1].maneuver.modifier.as_deref(),
        Some("right")
    );
}
