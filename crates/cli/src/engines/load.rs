//! `wuliu load solve FILE --time 5s`: container loading from a JSON request or a Bischoff–Ratcliff file.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use wuliu_load::{br, check, solve, LoadConfig, LoadRequest};

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
}

/// Runs a loading subcommand, printing the plan and the checker's verdict as JSON.
pub fn run(cmd: LoadCommand) -> Result<()> {
    let LoadCommand::Solve {
        file,
        time,
        instance,
        support,
        seed,
    } = cmd;
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
    let mut config = LoadConfig::with_time(super::parse_seconds(&time)?);
    config.seed = seed;
    let plan = solve(&request, &config)?;
    let report = check(&request, &plan);
    eprintln!(
        "wuliu load: {} placed, {} left, volume utilisation {:.2} %, checker: {}",
        plan.placements.len(),
        plan.unloaded.len(),
        plan.stats.utilisation * 100.0,
        if report.ok { "ok" } else { "VIOLATIONS" }
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({ "plan": plan, "check": report }))?
    );
    Ok(())
}
