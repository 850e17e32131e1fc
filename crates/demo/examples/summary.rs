//! Prints what the default demo configuration generates: counts per table, waybill statuses, and one
//! sample of each generated entity as JSON (`cargo run -p wuliu-demo --example summary [seed]`).

use std::collections::BTreeMap;

use wuliu_demo::{generate, DemoConfig};

fn main() {
    let mut config = DemoConfig::default();
    if let Some(seed) = std::env::args().nth(1) {
        config.seed = seed.parse().expect("seed must be an integer");
    }
    let data = generate(&config, &|table, ext| format!("{table}:{ext}"));
    println!(
        "seed {}, start {}, as of {}",
        config.seed,
        config.start,
        config.as_of()
    );
    for (table, n) in [
        ("parties", data.parties.len()),
        ("vehicles", data.vehicles.len()),
        ("drivers", data.drivers.len()),
        ("loads", data.loads.len()),
        ("waybills", data.waybills.len()),
        ("payments", data.payments.len()),
        ("facilities", data.facilities.len()),
        ("events", data.events.len()),
        ("counties", data.counties.len()),
        ("plan_targets", data.plan_targets.len()),
        ("baselines", data.baselines.len()),
    ] {
        println!("{table:>13}: {n}");
    }
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for w in &data.waybills {
        *statuses.entry(format!("{:?}", w.status)).or_default() += 1;
    }
    println!("waybill statuses: {statuses:?}");
    let mut loads: BTreeMap<String, usize> = BTreeMap::new();
    for l in &data.loads {
        *loads.entry(format!("{:?}", l.status)).or_default() += 1;
    }
    println!("load statuses: {loads:?}");
    let json = |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("json");
    println!(
        "{}",
        json(serde_json::json!({
            "party": data.parties[0],
            "vehicle": data.vehicles[0],
            "driver": data.drivers[0],
            "load": data.loads[0],
            "waybill": data.waybills[0],
            "payment": data.payments.first(),
            "facility": data.facilities[2],
            "event": data.events.first(),
        }))
    );
}
