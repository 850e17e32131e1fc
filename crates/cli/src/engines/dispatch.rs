//! `wuliu dispatch solve FILE --time 5s [--road NETWORK]`: vehicle routing from a VROOM JSON problem
//! or a Solomon / Gehring–Homberger instance.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use wuliu_dispatch::vroom::Input;
use wuliu_dispatch::{check, solomon, solve, Objective, Rounding, SolverConfig};
use wuliu_model::{StraightLine, TravelCosts};

/// Dispatch subcommands.
#[derive(Subcommand)]
pub enum DispatchCommand {
    /// Solve a problem. FILE is VROOM JSON (answer: VROOM output JSON with the checker's report as
    /// `check` and the travel-cost source as `travel_costs`) or a Solomon `.txt` instance (answer:
    /// our solution JSON with the checker's report).
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
        /// Prepared road network for coordinates (and route lines); without it, straight-line
        /// estimates, flagged in `travel_costs`.
        #[arg(long)]
        road: Option<PathBuf>,
        /// `min-cost` (default) or `min-vehicles` (fewest vehicles first); overrides the document's.
        #[arg(long)]
        objective: Option<String>,
    },
}

fn objective(name: &str) -> Result<Objective> {
    match name {
        "min-cost" | "min_cost" => Ok(Objective::MinCost),
        "min-vehicles" | "min_vehicles" => Ok(Objective::MinVehicles),
        other => anyhow::bail!("--objective {other}: expected min-cost or min-vehicles"),
    }
}

/// Runs a dispatch subcommand.
pub fn run(cmd: DispatchCommand) -> Result<()> {
    let DispatchCommand::Solve {
        file,
        time,
        threads,
        seed,
        road,
        objective: goal,
    } = cmd;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let config = SolverConfig {
        time_limit_s: super::parse_seconds(&time)?,
        threads,
        seed,
        ..Default::default()
    };
    let goal = goal.as_deref().map(objective).transpose()?;
    if file.extension().is_some_and(|e| e == "json") {
        let mut input: Input = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a VROOM problem", file.display()))?;
        if goal.is_some() {
            input.objective = goal;
        }
        solve_vroom(&file, &input, &config, road.as_ref())
    } else {
        solve_solomon(&file, &text, &config, goal)
    }
}

/// The same entry point as `POST /api/v1/dispatch/solve?geometry=true`: bounded, solved, checked.
fn solve_vroom(
    file: &std::path::Path,
    input: &Input,
    config: &SolverConfig,
    road: Option<&PathBuf>,
) -> Result<()> {
    let network = road
        .map(|p| {
            wuliu_road::PreparedNetwork::load(p)
                .with_context(|| format!("cannot load {}", p.display()))
        })
        .transpose()?;
    let straight = StraightLine::default();
    let travel: &dyn TravelCosts = match &network {
        Some(n) => n,
        None => &straight,
    };
    let (output, report) = wuliu_app::dispatch::solve_now(input, config, travel)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let feasible = report["feasible"] == true;
    eprintln!(
        "wuliu dispatch: cost {}, {} routes, {} unassigned, checker: {}, travel costs: {}",
        output.summary.cost,
        output.summary.routes,
        output.summary.unassigned,
        if feasible { "feasible" } else { "VIOLATIONS" },
        wuliu_app::dispatch::costs_label(input, travel)["source"]
    );
    let mut out = wuliu_app::dispatch::with_geometry(output, network.as_ref());
    out["check"] = report;
    out["travel_costs"] = wuliu_app::dispatch::costs_label(input, travel);
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn solve_solomon(
    file: &std::path::Path,
    text: &str,
    config: &SolverConfig,
    goal: Option<Objective>,
) -> Result<()> {
    let instance = solomon::parse(text)
        .with_context(|| format!("{}: not a Solomon instance", file.display()))?;
    let mut problem = instance.to_problem(Rounding::Exact);
    problem.objective = goal.unwrap_or_default();
    let solution = solve(&problem, config)?;
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
    Ok(())
}
