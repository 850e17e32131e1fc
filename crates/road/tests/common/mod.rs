//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::OnceLock;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::GeoPoint;
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, Vehicle};

pub fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

pub fn prepared(file: &str, profile: Profile, vehicle: Option<Vehicle>) -> PreparedNetwork {
    let net = RoadNetwork::import_pbf(data(file), profile, |_| {}).expect("import");
    PreparedNetwork::prepare(net, vehicle)
}

pub fn monaco_car() -> &'static PreparedNetwork {
    static N: OnceLock<PreparedNetwork> = OnceLock::new();
    N.get_or_init(|| prepared("monaco.osm.pbf", Profile::Car, None))
}

pub fn andorra_car() -> &'static PreparedNetwork {
    static N: OnceLock<PreparedNetwork> = OnceLock::new();
    N.get_or_init(|| prepared("andorra.osm.pbf", Profile::Car, None))
}

/// Random points near the network: random intersections moved by up to ~200 m.
pub fn random_points(p: &PreparedNetwork, n: usize, seed: u64) -> Vec<GeoPoint> {
    let net = p.network();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let g = net.node_location(rng.gen_range(0..net.node_count()));
            GeoPoint {
                lat: g.lat + rng.gen_range(-0.002..0.002),
                lon: g.lon + rng.gen_range(-0.002..0.002),
            }
        })
        .collect()
}

/// Number of random pairs for oracle comparisons: thousands in release, fewer in debug builds.
pub fn pair_count() -> usize {
    if cfg!(debug_assertions) {
        150
    } else {
        2000
    }
}
