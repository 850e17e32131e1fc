//! Solves one Li & Lim PDPTW file and prints a JSON line (used by bench/dispatch/pdptw.py).
//!
//! `solve_pdptw FILE SECONDS [--threads N] [--seed S] [--objective min-vehicles|min-cost]` solves on the
//! ceil(100 × d) integer matrix shared with the peers (default: 2 threads, seed 1, vehicles first as the
//! best-known table ranks) and prints `{"instance", "distance", "vehicles", "served", "shipments",
//! "feasible", "violations", "iterations", "routes"}`: the plan is re-checked by `wuliu_dispatch::check`
//! on the exact double-precision matrix, which gives `distance` and `feasible` (every shipment served,
//! no violation); `feasible_scaled` is the checker's verdict on the matrix the solver used.
//!
//! `solve_pdptw --eval FILE ROUTES_JSON` checks routes found by a peer, written as task ids
//! (`[[11, 1, 5, 3], [2, 4]]`), and prints the same fields.
use std::process::ExitCode;

use wuliu_dispatch::lilim::{self, Instance};
use wuliu_dispatch::problem::Objective;
use wuliu_dispatch::solution::Visit;
use wuliu_dispatch::{check, solve, Problem, Rounding, Solution, SolverConfig};

const USAGE: &str = "usage: solve_pdptw FILE SECONDS [--threads N] [--seed S] [--objective min-vehicles|min-cost]\n       solve_pdptw --eval FILE ROUTES_JSON";

/// What the command line asks for.
enum Mode {
    Solve {
        file: String,
        config: SolverConfig,
        objective: Objective,
    },
    Eval {
        file: String,
        routes: String,
    },
}

fn parse_args(args: &[String]) -> Result<Mode, String> {
    if args.first().map(String::as_str) == Some("--eval") {
        return match args {
            [_, file, routes] => Ok(Mode::Eval {
                file: file.clone(),
                routes: routes.clone(),
            }),
            _ => Err("--eval takes FILE ROUTES_JSON".into()),
        };
    }
    let [file, seconds, rest @ ..] = args else {
        return Err("missing FILE or SECONDS".into());
    };
    let mut config = SolverConfig {
        time_limit_s: seconds
            .parse()
            .map_err(|_| format!("bad SECONDS '{seconds}'"))?,
        threads: 2,
        seed: 1,
        max_iterations: None,
        ..SolverConfig::default()
    };
    let mut objective = Objective::MinVehicles;
    for pair in rest.chunks(2) {
        let [flag, value] = pair else {
            return Err(format!("{} needs a value", pair[0]));
        };
        let bad = || format!("bad value '{value}' for {flag}");
        match flag.as_str() {
            "--threads" => config.threads = value.parse().map_err(|_| bad())?,
            "--seed" => config.seed = value.parse().map_err(|_| bad())?,
            "--objective" => {
                objective = match value.as_str() {
                    "min-vehicles" => Objective::MinVehicles,
                    "min-cost" => Objective::MinCost,
                    _ => return Err(bad()),
                }
            }
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(Mode::Solve {
        file: file.clone(),
        config,
        objective,
    })
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

/// Solves on the shared ceil(100 × d) matrix; returns the routes as visits and the search's
/// iteration count and the checker's verdict on that matrix.
fn run_solver(
    inst: &Instance,
    config: &SolverConfig,
    objective: Objective,
) -> Result<(Vec<Vec<Visit>>, u64, bool), String> {
    let mut scaled = inst.to_problem(Rounding::CeilScaled { scale: 100.0 });
    scaled.objective = objective;
    let sol = solve(&scaled, config).map_err(|e| format!("solve: {e}"))?;
    let report = check(&scaled, &sol);
    if !report.feasible {
        eprintln!(
            "solver output failed the checker on the scaled matrix: {:?}",
            report.violations.iter().take(3).collect::<Vec<_>>()
        );
    }
    let routes = sol.routes.iter().map(|r| r.visits()).collect();
    Ok((routes, sol.summary.iterations, report.feasible))
}

/// Turns routes of task ids into visits; an id that is not a task is an error.
fn to_visits(inst: &Instance, routes: Vec<Vec<usize>>) -> Result<Vec<Vec<Visit>>, String> {
    let map = inst.task_visits();
    routes
        .into_iter()
        .map(|r| {
            r.into_iter()
                .map(|t| {
                    map.get(t).copied().flatten().ok_or_else(|| {
                        format!("route names task {t}, which is not a pickup or delivery")
                    })
                })
                .collect()
        })
        .collect()
}

/// Task ids of a route, for the output.
fn task_ids(inst: &Instance, visits: &[Visit]) -> Vec<usize> {
    let pairs = inst.pairs();
    visits
        .iter()
        .filter_map(|v| match *v {
            Visit::Pickup(k) => Some(pairs[k].0),
            Visit::Delivery(k) => Some(pairs[k].1),
            _ => None,
        })
        .collect()
}

/// Shipments whose pickup and delivery each appear exactly once in the routes.
fn served(problem: &Problem, routes: &[Vec<Visit>]) -> usize {
    let mut count = vec![(0, 0); problem.shipments.len()];
    for v in routes.iter().flatten() {
        match *v {
            Visit::Pickup(k) => count[k].0 += 1,
            Visit::Delivery(k) => count[k].1 += 1,
            _ => {}
        }
    }
    count.iter().filter(|c| **c == (1, 1)).count()
}

fn evaluate(inst: &Instance, name: &str, routes: Vec<Vec<Visit>>) -> serde_json::Value {
    let exact = inst.to_problem(Rounding::Exact);
    let seqs: Vec<(usize, Vec<Visit>)> = routes.into_iter().enumerate().collect();
    let routes: Vec<Vec<Visit>> = seqs.iter().map(|s| s.1.clone()).collect();
    let served = served(&exact, &routes);
    let sol = Solution::from_visits(&exact, &seqs, vec![]);
    let report = check(&exact, &sol);
    let ids: Vec<Vec<usize>> = routes.iter().map(|r| task_ids(inst, r)).collect();
    serde_json::json!({
        "instance": name,
        "distance": report.distance.0,
        "vehicles": sol.routes.len(),
        "served": served,
        "shipments": exact.shipments.len(),
        "feasible": report.feasible && served == exact.shipments.len(),
        "violations": report.violations.iter().take(3)
            .map(|v| format!("{} {} {}", v.code, v.field, v.message)).collect::<Vec<_>>(),
        "routes": ids,
    })
}

fn run(args: &[String]) -> Result<serde_json::Value, String> {
    let mode = parse_args(args)?;
    let file = match &mode {
        Mode::Solve { file, .. } | Mode::Eval { file, .. } => file.clone(),
    };
    let inst = lilim::parse_instance(&read(&file)?).map_err(|e| format!("{file}: {e}"))?;
    let name = std::path::Path::new(&file)
        .file_stem()
        .map_or(file.clone(), |s| s.to_string_lossy().into_owned());
    match mode {
        Mode::Solve {
            config, objective, ..
        } => {
            let (routes, iterations, feasible_scaled) = run_solver(&inst, &config, objective)?;
            let mut out = evaluate(&inst, &name, routes);
            out["iterations"] = iterations.into();
            out["feasible_scaled"] = feasible_scaled.into();
            Ok(out)
        }
        Mode::Eval { routes, .. } => {
            let routes: Vec<Vec<usize>> =
                serde_json::from_str(&read(&routes)?).map_err(|e| format!("{routes}: {e}"))?;
            Ok(evaluate(&inst, &name, to_visits(&inst, routes)?))
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("solve_pdptw: {e}\n{USAGE}");
            ExitCode::FAILURE
        }
    }
}
