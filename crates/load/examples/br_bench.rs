//! Runs the solver on Bischoff–Ratcliff instances and prints one CSV line per run.
//!
//! `cargo run --release -p wuliu-load --example br_bench -- DIR [--sets 1-15] [--skip K] [--first N]
//! [--time SECONDS] [--passes N] [--variants nosupport,support] [--share S]`
//!
//! `--share` is the support share of the `support` variant (default 1.0, full support).
//!
//! Every plan is validated by the independent checker; the `ok` column reports the verdict.

use std::time::Instant;

use wuliu_load::{br, check, solve, LoadConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir = String::from("bench/load/data");
    let mut sets = (1u32, 15u32);
    let mut first = usize::MAX;
    let mut skip = 0usize;
    let mut time = 5.0;
    let mut blocks = LoadConfig::default().max_blocks;
    let mut fill = LoadConfig::default().min_fill;
    let mut passes: Option<u32> = None;
    let mut share = 1.0;
    let mut variants = vec!["nosupport".to_string(), "support".to_string()];
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--sets" => {
                let (a, b) = v.split_once('-').unwrap_or((&v, &v));
                sets = (
                    a.parse().expect("--sets A-B"),
                    b.parse().expect("--sets A-B"),
                );
                i += 1;
            }
            "--skip" => {
                skip = v.parse().expect("--skip K");
                i += 1;
            }
            "--first" => {
                first = v.parse().expect("--first N");
                i += 1;
            }
            "--time" => {
                time = v.parse().expect("--time SECONDS");
                i += 1;
            }
            "--passes" => {
                passes = Some(v.parse().expect("--passes N"));
                i += 1;
            }
            "--share" => {
                share = v.parse().expect("--share SHARE");
                i += 1;
            }
            "--blocks" => {
                blocks = v.parse().expect("--blocks N");
                i += 1;
            }
            "--fill" => {
                fill = v.parse().expect("--fill SHARE");
                i += 1;
            }
            "--variants" => {
                variants = v.split(',').map(str::to_string).collect();
                i += 1;
            }
            other => dir = other.to_string(),
        }
        i += 1;
    }
    println!("set,instance,variant,utilisation_pct,ok,boxes_loaded,passes,elapsed_s");
    for set in sets.0..=sets.1 {
        let path = format!("{dir}/BR{set}.txt");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let problems = br::parse(&text).expect("BR file");
        for inst in problems.iter().skip(skip).take(first) {
            for variant in &variants {
                let mut req = inst.to_request(variant == "support");
                if variant == "support" {
                    req.constraints.support = Some(share);
                }
                let cfg = LoadConfig {
                    max_blocks: blocks,
                    min_fill: fill,
                    max_passes: passes,
                    ..LoadConfig::with_time(time)
                };
                let t = Instant::now();
                let plan = solve(&req, &cfg).expect("valid request");
                let el = t.elapsed().as_secs_f64();
                let rep = check(&req, &plan);
                println!(
                    "BR{set},{},{variant},{:.4},{},{},{},{:.2}",
                    inst.number,
                    100.0 * rep.utilisation,
                    rep.ok,
                    plan.placements.len(),
                    plan.stats.passes,
                    el
                );
                eprintln!(
                    "BR{set} #{:>2} {variant:<9} {:6.2} % ok={} passes={} {:.1}s",
                    inst.number,
                    100.0 * rep.utilisation,
                    rep.ok,
                    plan.stats.passes,
                    el
                );
            }
        }
    }
}
