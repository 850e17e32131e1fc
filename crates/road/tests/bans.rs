//! Truck bans by time: routes with a departure time equal a plain time-dependent Dijkstra (with
//! its own evaluation of every ban) on random networks and on Andorra, and behave as a driver
//! expects: wait or go round during the ban, straight through outside it.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::GeoPoint;
use wuliu_road::*;

fn tags(kv: &[(&str, String)]) -> Vec<(String, String)> {
    kv.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// Monday 2026-12-07 at `h:m`, plus `days`.
fn monday(days: i64, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 7)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap()
        + chrono::Duration::days(days)
}

fn random_hours(rng: &mut ChaCha8Rng) -> String {
    let a = rng.gen_range(5..20);
    let b = a + rng.gen_range(1..4);
    let days = ["Mo-Fr ", "Sa,Su ", "", "Mo,We,Fr "][rng.gen_range(0..4)];
    format!("{days}{a:02}:{:02}-{b:02}:00", rng.gen_range(0..4) * 15)
}

/// A jittered `side`×`side` street grid; about a third of the streets carry an
/// `hgv:conditional` or `maxweight:conditional` ban, some are one-way.
fn random_city(side: i64, rng: &mut ChaCha8Rng) -> OsmData {
    let id = |r: i64, c: i64| r * side + c + 1;
    let nodes = (0..side)
        .flat_map(|r| (0..side).map(move |c| (r, c)))
        .map(|(r, c)| (id(r, c), 24.3 + r as f64 * 0.002, 109.4 + c as f64 * 0.002))
        .map(|(i, la, lo)| {
            (
                i,
                la + rng.gen_range(-0.0003..0.0003),
                lo + rng.gen_range(-0.0003..0.0003),
            )
        })
        .collect();
    let mut ways = Vec::new();
    for line in 0..side {
        for horizontal in [true, false] {
            let pts: Vec<i64> = (0..side)
                .map(|k| if horizontal { id(line, k) } else { id(k, line) })
                .collect();
            for (j, chunk) in pts.chunks(4).enumerate() {
                let mut nodes = chunk.to_vec();
                if j > 0 {
                    nodes.insert(0, pts[j * 4 - 1]);
                }
                let class = ["primary", "secondary", "residential"][rng.gen_range(0..3)];
                let mut kv = vec![("highway", class.to_string())];
                if rng.gen_bool(0.15) {
                    kv.push(("oneway", "yes".into()));
                }
                match rng.gen_range(0..6) {
                    0 => kv.push(("hgv:conditional", format!("no @ ({})", random_hours(rng)))),
                    1 => kv.push((
                        "maxweight:conditional",
                        format!("{} @ ({})", rng.gen_range(3..20), random_hours(rng)),
                    )),
                    _ => {}
                }
                ways.push(OsmWay {
                    id: 1000 + ways.len() as i64,
                    nodes,
                    tags: tags(&kv),
                });
            }
        }
    }
    OsmData {
        nodes,
        ways,
        ..OsmData::default()
    }
}

fn random_zone(i: usize, rng: &mut ChaCha8Rng) -> BanZone {
    let (la, lo) = (
        24.3 + rng.gen_range(0.0..0.02),
        109.4 + rng.gen_range(0.0..0.02),
    );
    let (h, w) = (rng.gen_range(0.002..0.008), rng.gen_range(0.002..0.008));
    let classes = [
        vec![VehicleClass::Heavy],
        vec![VehicleClass::Medium, VehicleClass::Heavy],
        VehicleClass::ALL.to_vec(),
    ];
    BanZone {
        id: format!("z{i}"),
        name: String::new(),
        hours: random_hours(rng),
        vehicles: classes[rng.gen_range(0..3)].clone(),
        polygon: vec![[lo, la], [lo + w, la], [lo + w, la + h], [lo, la + h]],
    }
}

fn compare(
    p: &PreparedNetwork,
    pts: &[GeoPoint],
    departures: &[NaiveDateTime],
    vehicles: &[Option<Vehicle>],
) -> usize {
    let snapped: Vec<_> = pts
        .iter()
        .enumerate()
        .map(|(i, g)| p.snap(i, *g).unwrap())
        .collect();
    let mut delayed = 0;
    for (k, pair) in snapped.chunks(2).enumerate() {
        let (s, t) = (&pair[0], &pair[1]);
        let depart = departures[k % departures.len()];
        let vehicle = vehicles[k % vehicles.len()];
        let fast = p.shortest_at(s, t, depart, vehicle).map(|x| x.0);
        let oracle = oracle::td_dijkstra(p, s, t, depart, vehicle);
        assert_eq!(
            fast, oracle,
            "pair {k} at {depart} with {vehicle:?}: {s:?} -> {t:?}"
        );
        let free = p.shortest(s, t).map(|x| x.0);
        assert!(fast >= free, "bans never make a trip faster");
        delayed += usize::from(fast > free);
    }
    delayed
}

#[test]
fn random_networks_with_bans_equal_time_dependent_dijkstra() {
    let mut delayed = 0;
    for seed in 0..6 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let data = random_city(12, &mut rng);
        let net = RoadNetwork::from_osm(&data, Profile::Truck).unwrap();
        let p = PreparedNetwork::prepare(net, Some(Vehicle::heavy_truck()));
        let zones: Vec<BanZone> = (0..3).map(|i| random_zone(i, &mut rng)).collect();
        let report = p
            .set_changes(zones.into_iter().map(BanZone::into_change).collect())
            .unwrap();
        assert!(report.edges_banned > 10, "{report:?}");
        let pts: Vec<GeoPoint> = (0..160)
            .map(|_| GeoPoint {
                lat: 24.3 + rng.gen_range(0.0..0.022),
                lon: 109.4 + rng.gen_range(0.0..0.022),
            })
            .collect();
        let departures: Vec<NaiveDateTime> = (0..17)
            .map(|_| {
                monday(
                    rng.gen_range(0..7),
                    rng.gen_range(4..22),
                    rng.gen_range(0..60),
                )
            })
            .collect();
        let vehicles = [
            None,
            Some(Vehicle::light_van()),
            Some(Vehicle::heavy_truck()),
        ];
        delayed += compare(&p, &pts, &departures, &vehicles);
    }
    assert!(
        delayed >= 20,
        "only {delayed} trips were affected by bans: the test proves little"
    );
}

fn andorra_truck() -> PreparedNetwork {
    let p = common::prepared(
        "andorra.osm.pbf",
        Profile::Truck,
        Some(Vehicle::heavy_truck()),
    );
    p.set_utc_offset(chrono::FixedOffset::east_opt(3600).unwrap());
    p
}

/// Andorra la Vella's centre (the valley floor the CG-1 runs through).
fn andorra_centre_zone(hours: &str) -> BanZone {
    BanZone {
        id: "centre".into(),
        name: "Andorra la Vella".into(),
        hours: hours.into(),
        vehicles: vec![VehicleClass::Heavy],
        polygon: vec![
            [1.515, 42.503],
            [1.540, 42.503],
            [1.540, 42.515],
            [1.515, 42.515],
        ],
    }
}

#[test]
fn andorra_with_a_ban_zone_equals_time_dependent_dijkstra() {
    let p = andorra_truck();
    p.set_changes(vec![andorra_centre_zone("Mo-Fr 07:00-09:30").into_change()])
        .unwrap();
    let pts = common::random_points(&p, 2 * common::pair_count().min(400), 5);
    let departures = [
        monday(0, 6, 55),
        monday(0, 7, 30),
        monday(0, 12, 0),
        monday(5, 8, 0),
    ];
    let vehicles = [Some(Vehicle::heavy_truck()), Some(Vehicle::light_van())];
    let delayed = compare(&p, &pts, &departures, &vehicles);
    assert!(delayed >= 5, "the zone delayed only {delayed} trips");
}

/// A—B—C straight along a way with `hgv:conditional=no @ (07:00-09:00)` on B—C, and a long
/// detour B—D—C; the trip runs from A—B to C—E.
fn banned_middle() -> PreparedNetwork {
    let kv = |extra: Option<(&str, &str)>| {
        let mut t = vec![("highway", "primary".to_string())];
        if let Some((k, v)) = extra {
            t.push((k, v.to_string()));
        }
        tags(&t)
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
                tags: kv(None),
            },
            OsmWay {
                id: 11,
                nodes: vec![2, 3],
                tags: kv(Some(("hgv:conditional", "no @ (07:00-09:00)"))),
            },
            OsmWay {
                id: 12,
                nodes: vec![2, 4, 3],
                tags: kv(None),
            },
            OsmWay {
                id: 13,
                nodes: vec![3, 5],
                tags: kv(None),
            },
        ],
        ..OsmData::default()
    };
    let net = RoadNetwork::from_osm(&data, Profile::Truck).unwrap();
    PreparedNetwork::prepare(net, Some(Vehicle::heavy_truck()))
}

/// From A—B to C—E, leaving at `at` (local time, UTC+8) with `vehicle` (default: the class).
fn trip(at: Option<NaiveDateTime>, vehicle: Option<Vehicle>) -> RouteRequest {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let pt = |lon: f64| GeoPoint { lat: 24.30, lon };
    RouteRequest {
        points: vec![pt(109.401), pt(109.425)],
        steps: false,
        vehicle,
        departure: at.map(|t| t.and_local_timezone(offset).unwrap()),
    }
}

fn route_at(p: &PreparedNetwork, at: Option<NaiveDateTime>) -> Route {
    p.route(&trip(at, None)).unwrap().unwrap()
}

#[test]
fn a_truck_goes_round_or_waits_during_the_ban_and_straight_through_outside_it() {
    let p = banned_middle();
    let free = route_at(&p, None);
    let early = route_at(&p, Some(monday(0, 6, 0)));
    assert_eq!(
        early.distance_m.round(),
        free.distance_m.round(),
        "no ban at 06:00"
    );
    assert!(early.legs[0].waits.is_empty());
    // 08:58: the ban lifts in two minutes, sooner than the ~7 km detour: wait.
    let wait = route_at(&p, Some(monday(0, 8, 58)));
    assert_eq!(wait.distance_m.round(), free.distance_m.round());
    let w = &wait.legs[0].waits[0];
    assert!(w.wait_s > 0.0 && w.wait_s <= 120.0, "{w:?}");
    assert_eq!(w.hours, "07:00-09:00");
    assert_eq!(w.ban["osm_id"], 11);
    assert!((wait.duration_s - free.duration_s - w.wait_s).abs() < 1.0);
    // 07:10: waiting would take almost two hours: the detour is faster.
    let round = route_at(&p, Some(monday(0, 7, 10)));
    assert!(
        round.distance_m > free.distance_m + 3_000.0,
        "{}",
        round.distance_m
    );
    assert!(round.legs[0].waits.is_empty());
    // A light van is not stopped by a maxweight ban, but is by hgv=no: same as the heavy truck.
    let zones = vec![BanZone {
        polygon: vec![
            [109.405, 24.29],
            [109.425, 24.29],
            [109.425, 24.31],
            [109.405, 24.31],
        ],
        ..andorra_centre_zone("Mo-Su 10:00-11:00")
    }];
    p.set_changes(zones.into_iter().map(BanZone::into_change).collect())
        .unwrap();
    let heavy = route_at(&p, Some(monday(0, 10, 30)));
    assert!(!heavy.legs[0].waits.is_empty() || heavy.distance_m > free.distance_m + 3_000.0);
    let mut van = trip(Some(monday(0, 10, 30)), Some(Vehicle::light_van()));
    let light = p.route(&van).unwrap().unwrap();
    assert!(
        light.legs[0].waits.is_empty(),
        "the zone bans heavy trucks only"
    );
    assert_eq!(light.distance_m.round(), free.distance_m.round());
    van.departure = None;
    assert_eq!(
        p.route(&van).unwrap().unwrap().distance_m.round(),
        free.distance_m.round()
    );
}

#[test]
fn conditional_restrictions_survive_save_and_load() {
    let p = banned_middle();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.wuliu");
    p.save(&path).unwrap();
    let q = PreparedNetwork::load(&path).unwrap();
    let way = q
        .network()
        .ways()
        .iter()
        .find(|w| w.osm_id == 11)
        .unwrap()
        .clone();
    assert_eq!(way.conditional.len(), 1);
    assert_eq!(way.conditional[0].hours, "07:00-09:00");
    assert!(route_at(&q, Some(monday(0, 8, 58))).legs[0].waits.len() == 1);
}

/// A matrix leaving while a zone's ban is in force equals the matrix with the zone's roads
/// closed (the live closures, themselves checked against Dijkstra); outside the ban hours, and
/// for a vehicle class the zone does not ban, it equals the free matrix.
#[test]
fn matrices_at_a_departure_close_the_roads_under_bans_in_force() {
    let p = andorra_truck();
    let zone = andorra_centre_zone("Mo-Fr 07:00-09:30");
    p.set_changes(vec![zone.clone().into_change()]).unwrap();
    let pts = common::random_points(&p, 60, 8);
    let offset = chrono::FixedOffset::east_opt(3600).unwrap();
    let table = |at: Option<NaiveDateTime>, vehicle: Option<Vehicle>| {
        p.table(&TableRequest {
            sources: pts[..30].to_vec(),
            targets: Some(pts[30..].to_vec()),
            vehicle,
            departure: at.map(|t| t.and_local_timezone(offset).unwrap()),
        })
        .unwrap()
        .durations_s
    };
    let free = table(None, None);
    // The same instant given in UTC is read on Andorra's clock (07:00 UTC = 08:00 local).
    let utc = p.table(&TableRequest {
        sources: pts[..30].to_vec(),
        targets: Some(pts[30..].to_vec()),
        vehicle: None,
        departure: Some(monday(0, 7, 0).and_utc().fixed_offset()),
    });
    let in_ban = table(Some(monday(0, 8, 0)), None);
    assert_eq!(table(Some(monday(0, 12, 0)), None), free, "no ban at noon");
    assert_eq!(
        table(Some(monday(0, 8, 0)), Some(Vehicle::light_van())),
        free,
        "vans pass"
    );
    assert_ne!(in_ban, free, "the zone changes some trips");
    assert_eq!(utc.unwrap().durations_s, in_ban);
    p.set_changes(vec![RoadChange {
        id: "zone-as-closure".into(),
        target: ChangeTarget::Polygon(zone.polygon.clone()),
        effect: ChangeEffect::Closed,
    }])
    .unwrap();
    assert_eq!(table(None, None), in_ban);
    p.set_changes(Vec::new()).unwrap();
    assert_eq!(table(None, None), free);
}

/// OSRM's `route/v1` takes the departure as a Wuliu extension and answers the same durations as
/// our own route API.
#[test]
fn osrm_route_takes_a_departure() {
    let p = banned_middle();
    let coords = "109.401,24.30;109.425,24.30";
    let opts = |at: Option<NaiveDateTime>| osrm::RouteOptions {
        departure: at.map(|t| {
            t.and_local_timezone(chrono::FixedOffset::east_opt(8 * 3600).unwrap())
                .unwrap()
        }),
        ..osrm::RouteOptions::default()
    };
    let duration = |at| {
        serde_json::to_value(osrm::route(&p, coords, &opts(at))).unwrap()["routes"][0]["duration"]
            .as_f64()
            .unwrap()
    };
    let free = duration(None);
    assert_eq!(duration(Some(monday(0, 6, 0))), free);
    let peak = duration(Some(monday(0, 7, 10)));
    assert!(peak > free + 60.0, "{peak} vs {free}");
    let ours = route_at(&p, Some(monday(0, 7, 10))).duration_s;
    assert!((peak - ours).abs() < 0.11, "{peak} vs {ours}");
}
