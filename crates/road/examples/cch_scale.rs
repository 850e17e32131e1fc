//! Scale probe (not a test): a perturbed `side × side` street grid with one-way streets, prepared
//! with progress, then timings of random routes and of one re-customisation.
//!
//! ```text
//! cargo run --release -p wuliu-road --example cch_scale -- 700
//! ```

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::GeoPoint;
use wuliu_road::{OsmData, OsmWay, PreparedNetwork, Profile, RoadNetwork};

fn grid(side: usize, rng: &mut ChaCha8Rng) -> OsmData {
    let id = |r: usize, c: usize| (r * side + c) as i64 + 1;
    let step = 0.002;
    let nodes = (0..side * side)
        .map(|k| {
            let (r, c) = (k / side, k % side);
            let j = || 0.0004 * (rand::random::<f64>() - 0.5);
            (
                id(r, c),
                22.0 + r as f64 * step + j(),
                108.0 + c as f64 * step + j(),
            )
        })
        .collect();
    let mut ways = Vec::new();
    let mut way = |nodes: Vec<i64>, class: &str, oneway: bool| {
        let mut tags = vec![("highway".to_string(), class.to_string())];
        if oneway {
            tags.push(("oneway".into(), "yes".into()));
        }
        ways.push(OsmWay {
            id: ways.len() as i64 + 1,
            nodes,
            tags,
        });
    };
    for r in 0..side {
        for c in 0..side - 1 {
            if rng.gen_bool(0.04) {
                continue;
            }
            let class = if r % 8 == 0 { "primary" } else { "residential" };
            let pair = if r % 2 == 1 && rng.gen_bool(0.3) && c % 2 == 0 {
                vec![id(r, c + 1), id(r, c)]
            } else {
                vec![id(r, c), id(r, c + 1)]
            };
            way(pair, class, r % 4 == 1);
        }
    }
    for c in 0..side {
        for r in 0..side - 1 {
            if rng.gen_bool(0.04) {
                continue;
            }
            let class = if c % 8 == 0 { "primary" } else { "residential" };
            way(vec![id(r, c), id(r + 1, c)], class, c % 4 == 3);
        }
    }
    OsmData {
        nodes,
        ways,
        ..OsmData::default()
    }
}

fn main() {
    let side: usize = std::env::args().nth(1).map_or(300, |s| s.parse().unwrap());
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let t = Instant::now();
    let data = grid(side, &mut rng);
    let net = RoadNetwork::from_osm(&data, Profile::Car).unwrap();
    eprintln!(
        "grid {side}x{side}: {} intersections, {:.2}s",
        net.node_count(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let p = PreparedNetwork::prepare_with_progress(net, None, |pr| {
        eprintln!("  {:?}: {:.2}s (size {})", pr.phase, pr.seconds, pr.size)
    });
    eprintln!(
        "prepared in {:.2}s, sizes {:?}",
        t.elapsed().as_secs_f64(),
        p.sizes()
    );
    let pt = |rng: &mut ChaCha8Rng| GeoPoint {
        lat: 22.0 + rng.gen_range(0.0..(side - 1) as f64 * 0.002),
        lon: 108.0 + rng.gen_range(0.0..(side - 1) as f64 * 0.002),
    };
    let pts: Vec<(GeoPoint, GeoPoint)> = (0..1000).map(|_| (pt(&mut rng), pt(&mut rng))).collect();
    let snapped: Vec<_> = pts
        .iter()
        .map(|(a, b)| (p.snap(0, *a).unwrap(), p.snap(1, *b).unwrap()))
        .collect();
    let mut times: Vec<f64> = snapped
        .iter()
        .map(|(a, b)| {
            let t = Instant::now();
            std::hint::black_box(p.shortest(a, b));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    eprintln!(
        "shortest p50 {:.3} ms, p99 {:.3} ms",
        times[500], times[990]
    );
    // Close 100 random ways, then lift them.
    let ways: Vec<i64> = (0..100)
        .map(|_| rng.gen_range(1..(2 * side * side) as i64))
        .collect();
    let change = wuliu_road::RoadChange {
        id: "probe".into(),
        target: wuliu_road::ChangeTarget::Ways(ways),
        effect: wuliu_road::ChangeEffect::Closed,
    };
    let t = Instant::now();
    let r = p.upsert_change(change).unwrap();
    eprintln!(
        "close 100 ways: {:.3}s wall ({:.3}s re-customisation, {} edges)",
        t.elapsed().as_secs_f64(),
        r.seconds,
        r.edges_closed
    );
}
