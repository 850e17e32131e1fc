//! `wuliu match FILE [--road NETWORK]`: batch vehicle–cargo matching of a JSON `MatchRequest`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use wuliu_match::{check, match_batch, MatchRequest};
use wuliu_model::{StraightLine, TravelCosts};

/// Arguments of `wuliu match`.
#[derive(Args)]
pub struct MatchArgs {
    /// The request: open loads, available vehicles, date and optional config.
    pub file: PathBuf,
    /// Prepared road network for travel costs; without it, straight-line estimates (flagged).
    #[arg(long)]
    pub road: Option<PathBuf>,
}

/// Runs a batch match and prints the plan with the checker's report.
pub fn run(args: MatchArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let request: MatchRequest = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a matching request", args.file.display()))?;
    let costs: Box<dyn TravelCosts> = match &args.road {
        Some(p) => Box::new(
            wuliu_road::PreparedNetwork::load(p)
                .with_context(|| format!("cannot load {}", p.display()))?,
        ),
        None => Box::new(StraightLine::default()),
    };
    let plan = match_batch(&request, costs.as_ref())?;
    let report = check(&request, &plan, costs.as_ref());
    eprintln!(
        "wuliu match: {} of {} loads served, travel costs: {}",
        plan.totals.served,
        request.loads.len(),
        costs.label()
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({ "plan": plan, "check": report }))?
    );
    Ok(())
}
