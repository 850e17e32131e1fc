//! Generates a synthetic province, writes it, and imports it with the road engine, printing sizes
//! and times: `cargo run --release -p wuliu-synthroad --example province -- [target_nodes] [seed]`.

use std::time::Instant;

use wuliu_road::{Profile, RoadNetwork};
use wuliu_synthroad::{ProvinceConfig, ProvinceNetwork};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut config = ProvinceConfig::default();
    if let Some(s) = args.next() {
        config.target_nodes = s.parse().expect("target nodes");
    }
    if let Some(s) = args.next() {
        config.seed = s.parse().expect("seed");
    }
    let t = Instant::now();
    let net = ProvinceNetwork::generate(&config, |p| eprintln!("{p}")).expect("generate");
    let pbf = std::env::temp_dir().join(format!(
        "province-{}-{}.osm.pbf",
        config.target_nodes, config.seed
    ));
    let bytes = net.write_pbf(&pbf, |p| eprintln!("{p}")).expect("write");
    println!(
        "generated and wrote {} nodes, {} ways, {} relations ({bytes} bytes, {}) in {:.2} s",
        net.node_count(),
        net.way_count(),
        net.relation_count(),
        pbf.display(),
        t.elapsed().as_secs_f64()
    );
    println!("{:#?}", net.stats());
    for s in net.settlements().iter().take(3) {
        println!("{s:?}");
    }
    for profile in [Profile::Car, Profile::Truck] {
        let t = Instant::now();
        let road = RoadNetwork::import_pbf(&pbf, profile, |_| {}).expect("import");
        println!(
            "imported ({profile}) {} nodes, {} edges in {:.2} s: {:?}",
            road.node_count(),
            road.edge_count(),
            t.elapsed().as_secs_f64(),
            road.stats()
        );
    }
}
