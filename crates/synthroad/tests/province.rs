//! The synthetic province: deterministic for a seed, the size asked for, a valid PBF carrying the
//! tags benchmarks need (restrictions, truck limits, conditional bans), read by the road importer
//! with its restrictions applied, and strongly connected for cars and 40 t trucks.

use std::collections::HashMap;
use std::sync::OnceLock;

use wuliu_model::GeoPoint;
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, TableRequest, Vehicle};
use wuliu_synthroad::{
    ProvinceConfig, ProvinceError, ProvinceNetwork, ProvincePhase, SettlementKind,
    DAYTIME_WEIGHT_LIMIT, RUSH_HOUR_BAN,
};

const TARGET: u64 = 100_000;

struct Fixture {
    net: ProvinceNetwork,
    bytes: Vec<u8>,
    car: RoadNetwork,
    truck: RoadNetwork,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut phases = Vec::new();
        let net =
            ProvinceNetwork::generate(&ProvinceConfig::new(7, TARGET), |p| phases.push(p.phase))
                .unwrap();
        assert_eq!(phases.len(), 7, "a progress report per phase: {phases:?}");
        assert_eq!(phases.last(), Some(&ProvincePhase::Shape));
        let dir = tempfile::tempdir().unwrap();
        let pbf = dir.path().join("province.osm.pbf");
        let mut writes = 0;
        let size = net.write_pbf(&pbf, |_| writes += 1).unwrap();
        assert!(writes > 0);
        let bytes = std::fs::read(&pbf).unwrap();
        assert_eq!(size, bytes.len() as u64);
        let car = RoadNetwork::import_pbf(&pbf, Profile::Car, |_| {}).unwrap();
        let truck = RoadNetwork::import_pbf(&pbf, Profile::Truck, |_| {}).unwrap();
        Fixture {
            net,
            bytes,
            car,
            truck,
        }
    })
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let f = fixture();
    let again = ProvinceNetwork::generate(&ProvinceConfig::new(7, TARGET), |_| {}).unwrap();
    assert_eq!(again.pbf_bytes(), f.bytes);
    let other = ProvinceNetwork::generate(&ProvinceConfig::new(8, TARGET), |_| {}).unwrap();
    assert_ne!(other.pbf_bytes(), f.bytes);
}

#[test]
fn sizes_meet_the_target_within_ten_per_cent() {
    let f = fixture();
    let within = |n: u64, target: u64| (n as f64 / target as f64 - 1.0).abs() <= 0.10;
    assert!(within(f.net.node_count() as u64, TARGET));
    for (seed, target) in [(1, 150_000), (2, 420_000), (3, 777_000)] {
        let net = ProvinceNetwork::generate(&ProvinceConfig::new(seed, target), |_| {}).unwrap();
        assert!(
            within(net.stats().nodes, target),
            "{target}: {:?}",
            net.stats()
        );
        assert!(net.stats().shape_nodes > 0);
    }
}

#[test]
fn configurations_out_of_range_are_refused() {
    let small = ProvinceNetwork::generate(&ProvinceConfig::new(1, 5_000), |_| {});
    assert!(matches!(
        small,
        Err(ProvinceError::TargetNodes { given: 5_000, .. })
    ));
    let few = ProvinceConfig {
        cities: 2,
        ..ProvinceConfig::default()
    };
    assert!(matches!(
        few.validate(),
        Err(ProvinceError::Cities { given: 2, .. })
    ));
    assert!(ProvinceConfig::default().validate().is_ok());
}

/// Everything the file holds, read back with `osmpbf` (an independent reader).
#[derive(Default)]
struct Read {
    node_ids: Vec<i64>,
    coords: Vec<(f64, f64)>,
    signals: usize,
    way_ids: Vec<i64>,
    longest_way: usize,
    tags: HashMap<(String, String), usize>,
    restrictions: HashMap<String, usize>,
    relation_members_ok: bool,
}

fn read(bytes: &[u8]) -> Read {
    let mut r = Read {
        relation_members_ok: true,
        ..Read::default()
    };
    osmpbf::ElementReader::new(std::io::Cursor::new(bytes))
        .for_each(|el| match el {
            osmpbf::Element::DenseNode(n) => {
                r.node_ids.push(n.id());
                r.coords.push((n.lat(), n.lon()));
                r.signals += usize::from(n.tags().any(|t| t == ("highway", "traffic_signals")));
            }
            osmpbf::Element::Way(w) => {
                r.way_ids.push(w.id());
                r.longest_way = r.longest_way.max(w.refs().count());
                for (k, v) in w.tags() {
                    let v = if k == "name" || k == "ref" || k == "destination" {
                        "*"
                    } else {
                        v
                    };
                    *r.tags.entry((k.to_string(), v.to_string())).or_default() += 1;
                }
            }
            osmpbf::Element::Relation(rel) => {
                let tags: HashMap<&str, &str> = rel.tags().collect();
                assert_eq!(tags.get("type"), Some(&"restriction"));
                *r.restrictions
                    .entry(tags["restriction"].to_string())
                    .or_default() += 1;
                let members: Vec<(String, osmpbf::RelMemberType)> = rel
                    .members()
                    .map(|m| (m.role().unwrap().to_string(), m.member_type.clone()))
                    .collect();
                r.relation_members_ok &= members
                    == vec![
                        ("from".to_string(), osmpbf::RelMemberType::Way),
                        ("via".to_string(), osmpbf::RelMemberType::Node),
                        ("to".to_string(), osmpbf::RelMemberType::Way),
                    ];
            }
            osmpbf::Element::Node(_) => panic!("nodes are written dense"),
        })
        .unwrap();
    r
}

#[test]
fn the_file_has_what_benchmarks_need() {
    let f = fixture();
    let r = read(&f.bytes);
    assert_eq!(r.node_ids.len(), f.net.node_count());
    assert_eq!(r.way_ids.len(), f.net.way_count());
    // Synthetic objects: negative IDs, -1, -2, … in order.
    assert!(r
        .node_ids
        .iter()
        .enumerate()
        .all(|(k, &id)| id == -(k as i64 + 1)));
    assert!(r
        .way_ids
        .iter()
        .enumerate()
        .all(|(k, &id)| id == -(k as i64 + 1)));
    assert!(r.longest_way <= 2_000);
    for &(lat, lon) in &r.coords {
        assert!(
            (22.0..26.0).contains(&lat) && (104.0..112.0).contains(&lon),
            "{lat},{lon}"
        );
    }
    let count = |k: &str, v: &str| {
        r.tags
            .get(&(k.to_string(), v.to_string()))
            .copied()
            .unwrap_or(0)
    };
    for class in [
        "motorway",
        "motorway_link",
        "trunk",
        "primary",
        "secondary",
        "tertiary",
        "unclassified",
        "residential",
    ] {
        assert!(count("highway", class) > 0, "{class}");
    }
    assert!(count("highway", "track") == 0);
    assert!(
        count("oneway", "yes") > 100,
        "one-way streets and carriageways"
    );
    assert!(count("hgv", "no") > 10);
    assert!(r.tags.keys().any(|(k, v)| k == "maxweight" && v == "10"));
    assert!(r.tags.keys().any(|(k, _)| k == "maxheight"));
    assert!(count("hgv:conditional", RUSH_HOUR_BAN) > 5);
    assert!(count("maxweight:conditional", DAYTIME_WEIGHT_LIMIT) > 5);
    assert!(count("name", "*") > f.net.way_count() / 2);
    assert_eq!(count("source", "wuliu-synthroad"), f.net.way_count());
    assert!(r.signals > 50);
    assert_eq!(r.signals as u64, f.net.stats().traffic_signals);
    // Turn restrictions of both kinds, from a way via a node to a way.
    assert!(r.relation_members_ok);
    assert!(r.restrictions.get("no_left_turn").copied().unwrap_or(0) > 20);
    assert!(r.restrictions.get("only_straight_on").copied().unwrap_or(0) > 5);
    assert_eq!(
        r.restrictions.values().sum::<usize>(),
        f.net.relation_count()
    );
    // Shape nodes: most nodes are not intersections in the importer's view.
    assert!(f.car.node_count() < f.net.node_count() / 2);
    let s = f.net.settlements();
    assert_eq!(
        s.iter().filter(|s| s.kind == SettlementKind::City).count(),
        12
    );
    assert!(s.iter().filter(|s| s.kind == SettlementKind::Town).count() >= 25);
    assert!(
        s.iter()
            .filter(|s| s.kind == SettlementKind::Village)
            .count()
            > 500
    );
}

#[test]
fn the_road_importer_reads_it_with_its_restrictions() {
    let f = fixture();
    for net in [&f.car, &f.truck] {
        let st = net.stats();
        assert_eq!(st.restrictions, f.net.relation_count() as u64, "{st:?}");
        assert_eq!(st.restrictions_skipped, 0, "{st:?}");
        assert_eq!(st.missing_nodes, 0, "{st:?}");
        assert!(net.is_synthetic());
    }
    assert_eq!(f.car.stats().ways, f.net.way_count() as u64);
    // `hgv=no` ways are not in the truck network.
    assert!(f.truck.stats().ways < f.car.stats().ways);
    assert!(f.car.node_count() > 20_000, "{}", f.car.node_count());
}

/// Number of strongly connected components among the intersections of the importer's edges that
/// `usable` accepts (Kosaraju).
fn components(net: &RoadNetwork, usable: impl Fn(&wuliu_road::WayInfo) -> bool) -> (usize, usize) {
    let (lines, truncated) = net.lines_in_bbox(
        [-180.0, -90.0, 180.0, 90.0],
        |w| Some(u8::from(!usable(w))),
        usize::MAX,
    );
    assert!(!truncated);
    let mut id: HashMap<(i64, i64), usize> = HashMap::new();
    let mut key = |c: [f64; 2]| {
        let k = ((c[0] * 1e7).round() as i64, (c[1] * 1e7).round() as i64);
        let n = id.len();
        *id.entry(k).or_insert(n)
    };
    let mut arcs = Vec::new();
    for l in lines.iter().filter(|l| usable(l.way)) {
        let (a, b) = (key(l.coords[0]), key(*l.coords.last().unwrap()));
        arcs.push((a, b));
        if !l.oneway {
            arcs.push((b, a));
        }
    }
    let n = id.len();
    let mut out = vec![Vec::new(); n];
    let mut inc = vec![Vec::new(); n];
    for &(a, b) in &arcs {
        out[a].push(b);
        inc[b].push(a);
    }
    let mut seen = vec![false; n];
    let mut order = Vec::new();
    for s in 0..n {
        if seen[s] {
            continue;
        }
        seen[s] = true;
        let mut stack = vec![(s, 0)];
        while let Some((v, i)) = stack.pop() {
            if i < out[v].len() {
                stack.push((v, i + 1));
                let w = out[v][i];
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                order.push(v);
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut count = 0;
    for &s in order.iter().rev() {
        if comp[s] != usize::MAX {
            continue;
        }
        comp[s] = count;
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            for &w in &inc[v] {
                if comp[w] == usize::MAX {
                    comp[w] = count;
                    stack.push(w);
                }
            }
        }
        count += 1;
    }
    (count, n)
}

#[test]
fn it_is_strongly_connected_for_cars_and_heavy_trucks() {
    let f = fixture();
    let (comps, nodes) = components(&f.car, |_| true);
    assert_eq!(
        comps, 1,
        "car: {comps} components over {nodes} intersections"
    );
    let truck = Vehicle::heavy_truck();
    let (comps, nodes) = components(&f.truck, |w| w.limits.allows(&truck));
    assert_eq!(
        comps, 1,
        "40 t truck: {comps} components over {nodes} intersections"
    );
}

#[test]
fn routes_join_cities_towns_and_villages_in_both_directions_despite_restrictions() {
    let f = fixture();
    let prepared = PreparedNetwork::prepare(f.car.clone(), None);
    let s = f.net.settlements();
    let point = |k: usize| GeoPoint {
        lat: s[k].lat,
        lon: s[k].lon,
    };
    let cities: Vec<GeoPoint> = (0..3).map(point).collect();
    let others: Vec<GeoPoint> = (0..40)
        .map(|k| point(12 + k * (s.len() - 12) / 40))
        .collect();
    let table = |sources: &[GeoPoint], targets: &[GeoPoint]| {
        prepared
            .table(&TableRequest {
                sources: sources.to_vec(),
                targets: Some(targets.to_vec()),
                vehicle: None,
                departure: None,
            })
            .unwrap()
    };
    let out = table(&cities, &others);
    let back = table(&others, &cities);
    for (i, city) in cities.iter().enumerate() {
        for (j, other) in others.iter().enumerate() {
            let d = out.distances_m[i][j].unwrap_or_else(|| panic!("city {i} → {other:?}"));
            assert!(back.durations_s[j][i].is_some(), "{other:?} → city {i}");
            let air = city.haversine(other).0;
            assert!(d >= air * 0.99, "{d} m by road, {air} m by air");
        }
    }
}

/// Other seeds and sizes (slower; `cargo test --release -p wuliu-synthroad -- --ignored`).
#[test]
#[ignore]
fn other_seeds_and_sizes_are_connected_too() {
    let truck = Vehicle::heavy_truck();
    for (seed, target) in [(1, 100_000), (2, 250_000), (3, 500_000), (4, 1_000_000)] {
        let net = ProvinceNetwork::generate(&ProvinceConfig::new(seed, target), |_| {}).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pbf = dir.path().join("p.osm.pbf");
        net.write_pbf(&pbf, |_| {}).unwrap();
        let car = RoadNetwork::import_pbf(&pbf, Profile::Car, |_| {}).unwrap();
        let hgv = RoadNetwork::import_pbf(&pbf, Profile::Truck, |_| {}).unwrap();
        assert_eq!(car.stats().restrictions_skipped, 0);
        assert_eq!(components(&car, |_| true).0, 1, "car, seed {seed}");
        assert_eq!(
            components(&hgv, |w| w.limits.allows(&truck)).0,
            1,
            "truck, seed {seed}"
        );
        let n = net.node_count() as f64 / target as f64;
        assert!((0.9..=1.1).contains(&n), "seed {seed}: {n}");
    }
}
