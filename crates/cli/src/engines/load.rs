//! `wuliu load solve FILE --time 5s`: container loading from a JSON request or a Bischoff–Ratcliff file;
//! `wuliu load shipment FILE --time 10s`: a shipment list spread over as few containers as it can.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use wuliu_load::{br, check, plan_shipment, solve, LoadConfig, LoadRequest, ShipmentRequest};

/// Loading subcommands.
#[derive(Subcommand)]
pub enum LoadCommand {
    /// Load one container. FILE is a JSON `LoadRequest`, or a Bischoff–Ratcliff `.txt` file with `--instance`.
    Solve {
        /// The request file.
        file: PathBuf,
        /// Time budget, e.g. `5s`.
        #[arg(long, default_value = "5s")]
        time: String,
        /// For Bischoff–Ratcliff files: which problem (1-based).
        #[arg(long, default_value_t = 1)]
        instance: usize,
        /// For Bischoff–Ratcliff files: enforce full support (every box rests fully on what is below).
        #[arg(long)]
        support: bool,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Spread a shipment list over as few containers or trucks as it can. FILE is a JSON
    /// `ShipmentRequest` (the container types on offer, the items, the constraints).
    Shipment {
        /// The request file.
        file: PathBuf,
        /// Time budget for the whole shipment, e.g. `10s`.
        #[arg(long, default_value = "10s")]
        time: String,
        /// Random seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

/// Runs a loading subcommand, printing the plan and the checker's verdict as JSON.
pub fn run(cmd: LoadCommand) -> Result<()> {
    match cmd {
        LoadCommand::Solve {
            file,
            time,
            instance,
            support,
            seed,
        } => solve_one(file, &time, instance, support, seed),
        LoadCommand::Shipment { file, time, seed } => solve_shipment(file, &time, seed),
    }
}

fn config(time: &str, seed: u64) -> Result<LoadConfig> {
    let mut config = LoadConfig::with_time(super::parse_seconds(time)?);
    config.seed = seed;
    Ok(config)
}

fn solve_one(file: PathBuf, time: &str, instance: usize, support: bool, seed: u64) -> Result<()> {
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let request: LoadRequest = if file.extension().is_some_and(|e| e == "txt") {
        let all = br::parse(&text)
            .with_context(|| format!("{}: not a Bischoff–Ratcliff file", file.display()))?;
        let count = all.len();
        let inst = all
            .into_iter()
            .nth(instance.wrapping_sub(1))
            .with_context(|| {
                format!(
                    "{}: --instance {instance} is not between 1 and {count}",
                    file.display()
                )
            })?;
        inst.to_request(support)
    } else {
        serde_json::from_str(&text)
            .with_context(|| format!("{}: not a loading request", file.display()))?
    };
    let plan = solve(&request, &config(time, seed)?)?;
    let report = check(&request, &plan);
    eprintln!(
        "wuliu load: {} placed, {} left, volume utilisation {:.2} %, checker: {}",
        plan.placements.len(),
        plan.unloaded.iter().map(|u| u.quantity).sum::<u32>(),
        plan.stats.utilisation * 100.0,
        if report.ok { "ok" } else { "VIOLATIONS" }
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({ "plan": plan, "check": report }))?
    );
    Ok(())
}

/// Plans the shipment, checks every container's plan with the independent checker, and prints
/// the plan with one report per container.
fn solve_shipment(file: PathBuf, time: &str, seed: u64) -> Result<()> {
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let request: ShipmentRequest = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a shipment request", file.display()))?;
    let plan = plan_shipment(&request, &config(time, seed)?)?;
    let checks = request.check(&plan);
    let placed: usize = plan.containers.iter().map(|p| p.placements.len()).sum();
    let left: u32 = plan.unloaded.iter().map(|u| u.quantity).sum();
    let used: Vec<&str> = plan
        .containers
        .iter()
        .map(|p| p.container.as_str())
        .collect();
    eprintln!(
        "wuliu load: {} container(s) ({}), {placed} items placed, {left} left, volume utilisation {:.2} %, checker: {}",
        used.len(),
        used.join(", "),
        plan.utilisation * 100.0,
        if checks.iter().all(|c| c.ok) { "ok" } else { "VIOLATIONS" }
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({ "plan": plan, "checks": checks }))?
    );
    Ok(())
}
