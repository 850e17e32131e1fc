//! The synthetic network: deterministic for a seed, a valid PBF that the road engine imports like a
//! real extract, and connected: every demo place in Liuzhou snaps to it and is reachable from (and
//! back to) the main depot by a 40 t truck.

use std::sync::OnceLock;

use wuliu_demo::places::DISTRICTS;
use wuliu_demo::{generate, DemoConfig};
use wuliu_model::{FacilityKind, GeoPoint};
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, TableRequest, Vehicle};
use wuliu_synthroad::{SynthConfig, SynthNetwork};

fn demo_net() -> &'static (SynthNetwork, PreparedNetwork) {
    static NET: OnceLock<(SynthNetwork, PreparedNetwork)> = OnceLock::new();
    NET.get_or_init(|| {
        let synth = SynthNetwork::generate(&SynthConfig::default());
        let dir = tempfile::tempdir().unwrap();
        let pbf = dir.path().join("liuzhou.osm.pbf");
        synth.write_pbf(&pbf).unwrap();
        let road = RoadNetwork::import_pbf(&pbf, Profile::Truck, |_| {}).unwrap();
        let prepared = PreparedNetwork::prepare(road, Some(Vehicle::heavy_truck()));
        (synth, prepared)
    })
}

#[test]
fn same_seed_same_file_other_seed_other_file() {
    let a = SynthNetwork::generate(&SynthConfig::default());
    let b = SynthNetwork::generate(&SynthConfig::default());
    assert_eq!(a, b);
    assert_eq!(a.pbf_bytes(), b.pbf_bytes());
    let c = SynthNetwork::generate(&SynthConfig {
        seed: 7,
        ..Default::default()
    });
    assert_ne!(a.pbf_bytes(), c.pbf_bytes());
}

#[test]
fn the_pbf_reads_back_as_written() {
    let (synth, _) = demo_net();
    let bytes = synth.pbf_bytes();
    let reader = osmpbf::ElementReader::new(std::io::Cursor::new(bytes));
    let (mut nodes, mut ways, mut signals, mut named) = (0usize, 0usize, 0usize, 0usize);
    reader
        .for_each(|el| match el {
            osmpbf::Element::DenseNode(n) => {
                nodes += 1;
                signals += usize::from(n.tags().any(|t| t == ("highway", "traffic_signals")));
            }
            osmpbf::Element::Way(w) => {
                ways += 1;
                assert!(w.id() < 0, "synthetic ways have negative IDs");
                assert!(w.tags().any(|t| t == ("source", "wuliu-synthroad")));
                named += usize::from(w.tags().any(|(k, _)| k == "name"));
            }
            _ => {}
        })
        .unwrap();
    assert_eq!(nodes, synth.nodes.len());
    assert_eq!(ways, synth.ways.len());
    assert_eq!(
        signals,
        synth.nodes.iter().filter(|n| n.traffic_signals).count()
    );
    assert!(named > ways / 2);
    // The file and the in-memory elements give the same network.
    let from_mem = RoadNetwork::from_osm(&synth.to_osm_data(), Profile::Truck).unwrap();
    let (_, prepared) = demo_net();
    assert_eq!(from_mem.node_count(), prepared.network().node_count());
    assert_eq!(from_mem.edge_count(), prepared.network().edge_count());
    assert!(prepared.network().is_synthetic());
}

#[test]
fn it_has_the_city_features() {
    let (synth, _) = demo_net();
    for class in [
        "motorway",
        "motorway_link",
        "trunk",
        "primary",
        "secondary",
        "residential",
    ] {
        assert!(synth.count_highway(class) > 0, "{class}");
    }
    let tagged = |k: &str, v: Option<&str>| {
        synth
            .ways
            .iter()
            .filter(|w| {
                w.tags
                    .iter()
                    .any(|(a, b)| a == k && v.is_none_or(|v| b == v))
            })
            .count()
    };
    assert!(tagged("oneway", Some("yes")) > 20, "one-way streets");
    assert!(tagged("maxweight", None) > 0, "weight limits");
    assert!(tagged("hgv", Some("no")) > 0, "truck bans");
    // The river is crossed only at a limited number of bridges.
    let bridges = tagged("bridge", Some("yes"));
    assert!((4..=40).contains(&bridges), "{bridges} bridges");
    assert_eq!(bridges, synth.bridges);
    assert!(synth.interchanges >= 4);
}

/// Points to check: every demo facility and every load end and vehicle base in Liuzhou, plus a 5 × 5
/// lattice over each district's square (where the demo draws its random places).
fn demo_points() -> (GeoPoint, Vec<GeoPoint>) {
    let data = generate(&DemoConfig::default(), &|_, e| e.to_string());
    let depot = data
        .facilities
        .iter()
        .find(|f| f.kind == FacilityKind::Depot)
        .or(data.facilities.first())
        .expect("demo facilities")
        .location;
    let mut points: Vec<GeoPoint> = data.facilities.iter().map(|f| f.location).collect();
    for l in &data.loads {
        for p in [&l.origin, &l.destination] {
            if p.division_code.0.starts_with("4502") {
                points.push(p.point);
            }
        }
    }
    points.extend(
        data.vehicles
            .iter()
            .filter_map(|v| v.home_base)
            .filter(|p| DISTRICTS.iter().any(|d| d.contains(p))),
    );
    for d in DISTRICTS {
        for i in 0..5 {
            for j in 0..5 {
                let f = |k: usize| (k as f64 / 2.0 - 1.0) * d.spread;
                points.push(GeoPoint {
                    lat: d.lat + f(i),
                    lon: d.lon + f(j),
                });
            }
        }
    }
    (depot, points)
}

#[test]
fn every_demo_place_snaps_and_is_reachable_from_the_depot_by_truck() {
    let (_, net) = demo_net();
    let (depot, points) = demo_points();
    assert!(points.len() > 300);
    for (i, p) in points.iter().enumerate() {
        let s = net.snap(i, *p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
        assert!(
            s.distance_m < 1_500.0,
            "{p:?} is {} m from a road",
            s.distance_m
        );
    }
    let table = |sources: Vec<GeoPoint>, targets: Vec<GeoPoint>| {
        net.table(&TableRequest {
            sources,
            targets: Some(targets),
            vehicle: Some(Vehicle::heavy_truck()),
            departure: None,
        })
        .unwrap()
    };
    let out = table(vec![depot], points.clone());
    let back = table(points.clone(), vec![depot]);
    for (i, p) in points.iter().enumerate() {
        assert!(out.durations_s[0][i].is_some(), "depot → {p:?} unreachable");
        assert!(
            back.durations_s[i][0].is_some(),
            "{p:?} → depot unreachable"
        );
    }
    // Road travel is longer than a straight line, but not absurdly (the network is connected sensibly).
    let far = points
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.haversine(&depot).0.total_cmp(&b.1.haversine(&depot).0))
        .unwrap();
    let road_m = out.distances_m[0][far.0].unwrap();
    let air_m = far.1.haversine(&depot).0;
    assert!(
        road_m > air_m && road_m < 2.0 * air_m,
        "{road_m} m by road, {air_m} m by air"
    );
}
