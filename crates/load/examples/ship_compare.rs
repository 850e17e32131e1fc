//! Random shipments over three truck bodies (4.2 m and 7.6 m any number, 9.6 m one or two): the
//! containers each plan uses and the items it leaves, one CSV line per shipment, so two builds of
//! `plan_shipment` can be compared side by side.
//!
//! `cargo run --release -p wuliu-load --example ship_compare -- 40` (shipments; default 40).
//! `HEAVY=0.6` sets the share of item lines as dense as steel (1 000–3 000 kg/m³; default 0.3),
//! the rest being 50–400 kg/m³. `LIMITS=0.5` gives that share of item lines a load limit of one to
//! six times the item's weight (default 0: none). Each plan runs 2 fixed passes per container, so
//! the output repeats.
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_load::{
    check, plan_shipment, Constraints, Container, ContainerOption, ItemSpec, LoadConfig,
    ShipmentRequest,
};
use wuliu_model::Kg;

fn main() {
    let n: u64 = std::env::args().nth(1).map_or(40, |a| a.parse().unwrap());
    println!("seed,containers,left,util,ok");
    for seed in 0..n {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let types = [
            ("4.2m", 4200, 2000, 1900, 4000.0),
            ("7.6m", 7600, 2300, 2300, 10000.0),
            ("9.6m", 9600, 2400, 2500, 18000.0),
        ];
        let containers = types
            .iter()
            .map(|&(id, l, w, h, p)| ContainerOption {
                container: Container {
                    id: id.into(),
                    length: l,
                    width: w,
                    height: h,
                    max_payload: Some(Kg(p)),
                    door: Default::default(),
                    axles: None,
                },
                available: if id == "9.6m" {
                    Some(rng.gen_range(1..3))
                } else {
                    None
                },
            })
            .collect();
        let lines = rng.gen_range(3..8);
        let limits = std::env::var("LIMITS").map_or(0.0, |v| v.parse().unwrap());
        let items = (0..lines)
            .map(|i| {
                let mut it = ItemSpec::new(
                    format!("i{i}"),
                    rng.gen_range(300..1500),
                    rng.gen_range(300..1200),
                    rng.gen_range(200..1200),
                );
                it.quantity = rng.gen_range(2..30);
                // densities from 50 kg/m3 (cartons) to 3000 kg/m3 (steel)
                let heavy = std::env::var("HEAVY").map_or(0.3, |v| v.parse().unwrap());
                let dens = if rng.gen_bool(heavy) {
                    rng.gen_range(1000.0..3000.0)
                } else {
                    rng.gen_range(50.0..400.0)
                };
                it.weight = Kg((it.volume() as f64 / 1e9 * dens).round());
                if rng.gen_bool(limits) {
                    // What one item may carry: one to six times its own weight.
                    it.max_load_on_top = Some(Kg((it.weight.0 * rng.gen_range(1.0..6.0)).round()));
                }
                it
            })
            .collect();
        let req = ShipmentRequest {
            containers,
            items,
            constraints: Constraints::default(),
        };
        let cfg = LoadConfig {
            max_passes: Some(2),
            time_limit_s: 60.0,
            ..LoadConfig::default()
        };
        let plan = plan_shipment(&req, &cfg).unwrap();
        let left: u32 = plan.unloaded.iter().map(|u| u.quantity).sum();
        let ok = plan
            .containers
            .iter()
            .all(|p| check(&req.request_for(p).unwrap(), p).ok);
        println!(
            "{seed},{},{left},{:.4},{ok}",
            plan.containers.len(),
            plan.utilisation
        );
        eprint!("\rshipment {}/{n}", seed + 1);
    }
    eprintln!();
}
