//! Validates a peer's Bischoff–Ratcliff packings with the independent checker before they are counted.
//!
//! `cargo run --release -p wuliu-load --example peer_check -- DATA_DIR PEER.jsonl`
//!
//! Each input line is `{"set", "instance", "seconds", "placements": [Placement…]}`. Boxes are taken in the
//! peer's order and kept only when they lie inside the container, have an allowed orientation and the
//! right size, and overlap no box kept before them; the kept volume is what counts. Prints one CSV line
//! per instance: claimed and checked utilisation, the number of boxes dropped, whether the peer's full
//! output passed the checker unchanged, and whether the kept boxes also meet full support.

use std::collections::HashMap;

use serde::Deserialize;
use wuliu_load::{br, check, LoadPlan, Placement, PlanStats};

#[derive(Deserialize)]
struct Line {
    set: u32,
    instance: u32,
    seconds: f64,
    placements: Vec<Placement>,
}

fn plan(placements: Vec<Placement>) -> LoadPlan {
    LoadPlan {
        container: "peer".into(),
        placements,
        steps: Vec::new(),
        unloaded: Vec::new(),
        stats: PlanStats {
            items_loaded: 0,
            items_unloaded: 0,
            loaded_volume: 0,
            container_volume: 0,
            utilisation: 0.0,
            loaded_weight: wuliu_model::Kg(0.0),
            centre_of_gravity: None,
            elapsed_ms: 0,
            passes: 0,
        },
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, file) = (&args[0], &args[1]);
    let mut sets: HashMap<u32, Vec<br::BrInstance>> = HashMap::new();
    println!("set,instance,claimed_pct,checked_pct,dropped,valid_as_is,support_ok,seconds");
    for text in std::fs::read_to_string(file).expect("peer output").lines() {
        let line: Line = serde_json::from_str(text).expect("peer line");
        let insts = sets.entry(line.set).or_insert_with(|| {
            let t = std::fs::read_to_string(format!("{dir}/BR{}.txt", line.set)).expect("BR file");
            br::parse(&t).expect("BR format")
        });
        let inst = insts
            .iter()
            .find(|i| i.number == line.instance)
            .expect("instance");
        let req = inst.to_request(false);
        let cv = req.container.volume() as f64;
        let claimed: u64 = line.placements.iter().map(Placement::volume).sum();
        let valid_as_is = check(&req, &plan(line.placements.clone())).ok;
        let mut kept: Vec<Placement> = Vec::new();
        for p in &line.placements {
            let mut trial = kept.clone();
            trial.push(p.clone());
            if check(&req, &plan(trial.clone())).ok {
                kept = trial;
            }
        }
        let dropped = line.placements.len() - kept.len();
        let checked: u64 = kept.iter().map(Placement::volume).sum();
        let support_ok = check(&inst.to_request(true), &plan(kept)).ok;
        println!(
            "BR{},{},{:.4},{:.4},{},{},{},{:.2}",
            line.set,
            line.instance,
            100.0 * claimed as f64 / cv,
            100.0 * checked as f64 / cv,
            dropped,
            valid_as_is,
            support_ok,
            line.seconds
        );
    }
}
