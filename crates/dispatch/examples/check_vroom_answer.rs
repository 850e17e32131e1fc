//! Re-checks a VROOM answer (or Wuliu's, which has the same format) with Wuliu's independent checker
//! and prints one JSON line (used by bench/dispatch/city.py).
//!
//! `check_vroom_answer INPUT.json OUTPUT.json` reads the VROOM problem document and a VROOM solution
//! document, converts the routes to visits ([`Output::to_visits`]: jobs and breaks in the reported
//! order), re-times them with [`Solution::from_visits`] (every service as early as its windows allow),
//! marks the jobs in no route unassigned with the checker's reason and runs [`check`]. It prints
//! `{"feasible", "violations", "violation_codes", "cost", "duration", "distance", "reported_cost",
//! "vehicles", "served", "unassigned", "breaks", "breaks_expected"}`: `cost` is the checker's
//! recomputed cost (with VROOM's default costs, the travel time in seconds), `reported_cost` the
//! answer's own `summary.cost`, `breaks` the break steps on the used routes and `breaks_expected` the
//! breaks the used vehicles have.
use std::collections::BTreeSet;
use std::process::ExitCode;

use serde_json::json;
use wuliu_dispatch::solution::{Unassigned, Visit};
use wuliu_dispatch::vroom::{Input, Output};
use wuliu_dispatch::{check, Problem, Solution};

const USAGE: &str = "usage: check_vroom_answer INPUT.json OUTPUT.json";

fn read_json<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The jobs that no route visits, with the checker's reason for each.
fn unassigned_jobs(problem: &Problem, visits: &[(usize, Vec<Visit>)]) -> Vec<Unassigned> {
    let served: BTreeSet<usize> = visits
        .iter()
        .flat_map(|(_, xs)| xs.iter())
        .filter_map(|x| match x {
            Visit::Job(j) => Some(*j),
            _ => None,
        })
        .collect();
    (0..problem.jobs.len())
        .filter(|j| !served.contains(j))
        .map(|j| Unassigned {
            job: j,
            shipment: false,
            job_id: problem.jobs[j].id.clone(),
            reason: wuliu_dispatch::check::unassigned_reason(problem, j),
        })
        .collect()
}

/// Break steps on the used routes, and the breaks the used vehicles have.
fn break_counts(problem: &Problem, solution: &Solution) -> (usize, usize) {
    let taken = solution
        .routes
        .iter()
        .flat_map(|r| r.visits())
        .filter(|x| matches!(x, Visit::Break(_)))
        .count();
    let expected = solution
        .routes
        .iter()
        .map(|r| problem.vehicles[r.vehicle].breaks.len())
        .sum();
    (taken, expected)
}

fn run(input_path: &str, output_path: &str) -> Result<serde_json::Value, String> {
    let input: Input = read_json(input_path)?;
    let output: Output = read_json(output_path)?;
    let problem = input.to_problem(None).map_err(|e| e.to_string())?;
    let visits = output.to_visits(&input).map_err(|e| e.to_string())?;
    let unassigned = unassigned_jobs(&problem, &visits);
    let solution = Solution::from_visits(&problem, &visits, unassigned);
    let report = check(&problem, &solution);
    let codes: BTreeSet<String> = report.violations.iter().map(|v| v.code.clone()).collect();
    let (breaks, breaks_expected) = break_counts(&problem, &solution);
    Ok(json!({
        "feasible": report.feasible,
        "violations": report.violations.len(),
        "violation_codes": codes,
        "first_violations": report.violations.iter().take(3).map(|v| format!("{} at {}: {}", v.code, v.field, v.message)).collect::<Vec<_>>(),
        "cost": report.cost,
        "duration": solution.summary.duration.0,
        "distance": report.distance.0,
        "reported_cost": output.summary.cost,
        "vehicles": solution.summary.vehicles,
        "served": solution.summary.served,
        "unassigned": solution.unassigned.len(),
        "breaks": breaks,
        "breaks_expected": breaks_expected,
    }))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match run(input, output) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("check_vroom_answer: {e}");
            ExitCode::FAILURE
        }
    }
}
