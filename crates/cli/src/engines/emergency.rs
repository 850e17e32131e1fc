//! `wuliu emergency drill [FILE] [--road NETWORK] [--plan-seconds 10]`: replays a drill scenario
//! (the demo's flood drill when no FILE is given) with the exact allocation and the greedy
//! baseline, through the same entry point as HTTP, and prints both reports side by side.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use wuliu_emergency::drill::{Scenario, DEMO_DRILL};
use wuliu_model::{StraightLine, TravelCosts};

/// Emergency logistics subcommands.
#[derive(Subcommand)]
pub enum EmergencyCommand {
    /// Replay a drill scenario with both policies and compare them.
    Drill {
        /// Scenario file (JSON); the demo's flood drill over Liuzhou's counties when absent.
        file: Option<PathBuf>,
        /// Prepared road network for travel times; the straight-line estimate without it.
        #[arg(long)]
        road: Option<PathBuf>,
        /// Time limit of each exact re-plan, seconds.
        #[arg(long, default_value_t = 10.0)]
        plan_seconds: f64,
    },
}

/// Runs an emergency subcommand.
pub fn run(cmd: EmergencyCommand) -> Result<()> {
    match cmd {
        EmergencyCommand::Drill {
            file,
            road,
            plan_seconds,
        } => drill(file, road, plan_seconds),
    }
}

fn drill(file: Option<PathBuf>, road: Option<PathBuf>, plan_seconds: f64) -> Result<()> {
    let (name, text) = match &file {
        Some(f) => (
            f.display().to_string(),
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?,
        ),
        None => ("the demo flood drill".to_string(), DEMO_DRILL.to_string()),
    };
    let scenario: Scenario = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{name}: line {}, column {}: {e}", e.line(), e.column()))?;
    let network = road
        .map(|p| {
            wuliu_road::PreparedNetwork::load(&p)
                .with_context(|| format!("cannot load {}", p.display()))
        })
        .transpose()?;
    let straight = StraightLine::default();
    let travel: &dyn TravelCosts = match &network {
        Some(n) => n,
        None => &straight,
    };
    eprintln!("wuliu emergency drill: {name}: replaying with the exact and the greedy policy");
    let report = wuliu_app::emergency::drill::compare(scenario, travel, plan_seconds)
        .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    let c = &report["comparison"];
    eprintln!(
        "wuliu emergency drill: weighted unmet kg exact {} greedy {}; weighted late kg·h exact {} greedy {}",
        c["weighted_unmet_kg"]["exact"],
        c["weighted_unmet_kg"]["greedy"],
        c["weighted_late_kg_h"]["exact"],
        c["weighted_late_kg_h"]["greedy"]
    );
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
