//! Benchmark (not a test) of routes with a departure time under truck bans:
//!
//! ```text
//! cargo run --release -p wuliu-road --example bench_bans -- <extract.osm.pbf> [pairs] [seed]
//! ```
//!
//! Imports the extract for the truck profile, prepares it for a heavy truck, bans heavy trucks
//! 07:00–09:00 from a zone over the middle tenth of the network's bounding box, then routes the
//! same random pairs three ways: without a departure (the static hierarchy query), leaving at
//! 12:00 (bans known, none in force) and leaving at 07:45 (the zone in force: wait or go
//! round). Prints p50/p99 per way, the share of trips the ban delayed, and a 100×100 table at
//! 07:45 (the first pays the customisation with the zone closed, the second reuses it).

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::GeoPoint;
use wuliu_road::*;

fn pct(mut v: Vec<f64>, q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pbf = args
        .get(1)
        .expect("usage: bench_bans <extract.osm.pbf> [pairs] [seed]");
    let pairs: usize = args.get(2).map_or(1000, |s| s.parse().expect("pairs"));
    let seed: u64 = args.get(3).map_or(42, |s| s.parse().expect("seed"));
    let t = Instant::now();
    let net = RoadNetwork::import_pbf(pbf, Profile::Truck, |_| {}).expect("import");
    eprintln!(
        "imported in {:.1} s; preparing for a heavy truck",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let p = PreparedNetwork::prepare(net, Some(Vehicle::heavy_truck()));
    eprintln!("prepared in {:.1} s", t.elapsed().as_secs_f64());
    let n = p.network().node_count();
    let locs: Vec<GeoPoint> = (0..n).map(|i| p.network().node_location(i)).collect();
    let (lo_lat, hi_lat) = locs
        .iter()
        .fold((90.0f64, -90.0f64), |a, g| (a.0.min(g.lat), a.1.max(g.lat)));
    let (lo_lon, hi_lon) = locs.iter().fold((180.0f64, -180.0f64), |a, g| {
        (a.0.min(g.lon), a.1.max(g.lon))
    });
    let (cl, cn) = ((lo_lat + hi_lat) / 2.0, (lo_lon + hi_lon) / 2.0);
    let (dl, dn) = ((hi_lat - lo_lat) * 0.158, (hi_lon - lo_lon) * 0.158);
    let zone = BanZone {
        id: "middle".into(),
        name: String::new(),
        hours: "07:00-09:00".into(),
        vehicles: vec![VehicleClass::Heavy],
        polygon: vec![
            [cn - dn, cl - dl],
            [cn + dn, cl - dl],
            [cn + dn, cl + dl],
            [cn - dn, cl + dl],
        ],
    };
    let report = p.set_changes(vec![zone.into_change()]).expect("zone");
    eprintln!(
        "zone: {} road edges banned 07:00-09:00",
        report.edges_banned
    );
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let snapped: Vec<_> = (0..2 * pairs)
        .map(|i| loop {
            if let Ok(s) = p.snap(i, locs[rng.gen_range(0..n)]) {
                break s;
            }
        })
        .collect();
    let day = |h: u32, m: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    };
    let mut rows = Vec::new();
    let mut delayed = 0;
    for (label, at) in [
        ("no departure", None),
        ("12:00, no ban in force", Some(day(12, 0))),
        ("07:45, zone in force", Some(day(7, 45))),
    ] {
        let mut ms = Vec::with_capacity(pairs);
        for (k, pair) in snapped.chunks(2).enumerate() {
            let t = Instant::now();
            let got = match at {
                None => p.shortest(&pair[0], &pair[1]).map(|x| x.0),
                Some(d) => p.shortest_at(&pair[0], &pair[1], d, None).map(|x| x.0),
            };
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            if at == Some(day(7, 45)) && got > p.shortest(&pair[0], &pair[1]).map(|x| x.0) {
                delayed += 1;
            }
            if k % 200 == 0 {
                eprint!("\r{label}: {k}/{pairs}   ");
            }
        }
        eprintln!();
        rows.push((label, pct(ms.clone(), 0.5), pct(ms, 0.99)));
    }
    println!("| route | p50 ms | p99 ms |\n|---|---:|---:|");
    for (label, p50, p99) in &rows {
        println!("| {label} | {p50:.3} | {p99:.3} |");
    }
    println!(
        "\n{delayed} of {pairs} trips delayed by the zone at 07:45; {} road edges banned.",
        report.edges_banned
    );
    let pts: Vec<GeoPoint> = (0..100).map(|_| locs[rng.gen_range(0..n)]).collect();
    let offset = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    for run in [
        "first (customises with the zone closed)",
        "second (reuses it)",
    ] {
        let t = Instant::now();
        p.table(&TableRequest {
            sources: pts.clone(),
            targets: None,
            vehicle: None,
            departure: Some(day(7, 45).and_local_timezone(offset).unwrap()),
        })
        .expect("table");
        println!(
            "100×100 table at 07:45, {run}: {:.3} s",
            t.elapsed().as_secs_f64()
        );
    }
}
