//! `wuliu dispatch solve FILE --time 5s`: vehicle routing from a VROOM JSON problem or a Solomon /
//! Gehring–Homberger instance.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use wuliu_dispatch::vroom::{Input, Output};
use wuliu_dispatch::{check, solomon, solve, Rounding, SolverConfig};

/// Dispatch subcommands.
#[derive(Subcommand)]
pub enum DispatchCommand {
    /// Solve a problem. FILE is VROOM JSON (answer: VROOM output JSON) or a Solomon `.txt` instance
    /// (answer: our solution JSON with the checker's report).
    Solve {
        /// The problem file.
        file: PathBuf,
        /// Time budget, e.g. `5s`.
        #[arg(long, default_value = "5s")]
        time: String,
        /// Search threads.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Runs a dispatch subcommand.
pub fn run(cmd: DispatchCommand) -> Result<()> {
    let DispatchCommand::Solve {
        file,
        time,
        threads,
        seed,
    } = cmd;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let config = SolverConfig {
        time_limit_s: super::parse_seconds(&time)?,
        threads,
        seed,
        ..Default::default()
    };
    if file.extension().is_some_and(|e| e == "json") {
        let input: Input = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a VROOM problem", file.display()))?;
        let straight = wuliu_model::StraightLine::default();
        let problem = input
            .to_problem(Some(&straight))
            .with_context(|| format!("{}", file.display()))?;
        let solution = solve(&problem, &config)?;
        let report = check(&problem, &solution);
        eprintln!(
            "wuliu dispatch: cost {}, checker: {}",
            solution.summary.cost,
            if report.feasible {
                "feasible"
            } else {
                "VIOLATIONS"
            }
        );
        println!(
            "{}",
            serde_json::to_string_pretty(&Output::from_solution(&input, &problem, &solution))?
        );
    } else {
        let instance = solomon::parse(&text)
            .with_context(|| format!("{}: not a Solomon instance", file.display()))?;
        let problem = instance.to_problem(Rounding::Exact);
        let solution = solve(&problem, &config)?;
        let report = check(&problem, &solution);
        eprintln!(
            "wuliu dispatch: {} vehicles, distance {:.2}, {} unassigned, checker: {}",
            solution.summary.vehicles,
            solution.summary.distance.0,
            solution.summary.unassigned,
            if report.feasible {
                "feasible"
            } else {
                "VIOLATIONS"
            }
        );
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "solution": solution, "check": report })
            )?
        );
    }
    Ok(())
}
