//! Generates, writes, imports and prepares the network, printing sizes and times:
//! `cargo run --release -p wuliu-synthroad --example measure -- [seed] [core_spacing_m]`.

use std::time::Instant;

use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, Vehicle};
use wuliu_synthroad::{SynthConfig, SynthNetwork};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut config = SynthConfig::default();
    if let Some(s) = args.next() {
        config.seed = s.parse().expect("seed");
    }
    if let Some(s) = args.next() {
        config.core_spacing_m = s.parse().expect("spacing");
    }
    let t = Instant::now();
    let net = SynthNetwork::generate(&config);
    println!(
        "generated {} nodes, {} ways ({} km, {} bridges, {} interchanges) in {:.2} s",
        net.nodes.len(),
        net.ways.len(),
        net.length_km().round(),
        net.bridges,
        net.interchanges,
        t.elapsed().as_secs_f64()
    );
    let dir = std::env::temp_dir();
    let pbf = dir.join(format!("synthroad-{}.osm.pbf", config.seed));
    let bytes = net.write_pbf(&pbf).expect("write");
    println!("wrote {} ({} bytes)", pbf.display(), bytes);
    let t = Instant::now();
    let road = RoadNetwork::import_pbf(&pbf, Profile::Truck, |_| {}).expect("import");
    println!(
        "imported {} nodes, {} edges in {:.2} s",
        road.node_count(),
        road.edge_count(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let prepared = PreparedNetwork::prepare(road, Some(Vehicle::heavy_truck()));
    println!(
        "prepared {:?} (states, arcs, shortcuts) in {:.2} s",
        prepared.sizes(),
        t.elapsed().as_secs_f64()
    );
    let out = dir.join(format!("synthroad-{}.road", config.seed));
    prepared.save(&out).expect("save");
    println!(
        "saved {} ({} bytes)",
        out.display(),
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0)
    );
}
