//! Solves one Solomon/Gehring–Homberger file and prints a JSON line (used by bench/dispatch).
//!
//! `solve_vrptw FILE SECONDS [THREADS] [SEED] [min-cost|min-vehicles]` prints `{"instance", "distance", "vehicles", "feasible",
//! "iterations", "routes"}` where distance is recomputed in full double precision, and the solver
//! itself ran on the ceil(100 × d) integer matrix shared with the peers.
//!
//! `solve_vrptw --eval FILE ROUTES_JSON` checks routes found by a peer (`[[1, 5, 3], [2, 4]]`, customer
//! numbers) and prints the same fields.
use wuliu_dispatch::{check, solomon, solve, Rounding, Solution, SolverConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (file, mode) = if args[1] == "--eval" {
        (&args[2], "eval")
    } else {
        (&args[1], "solve")
    };
    let text = std::fs::read_to_string(file).expect("read instance");
    let inst = solomon::parse(&text).expect("parse instance");
    let exact = inst.to_problem(Rounding::Exact);
    let sequences: Vec<Vec<usize>> = if mode == "solve" {
        let mut scaled = inst.to_problem(Rounding::CeilScaled { scale: 100.0 });
        if args.get(5).is_some_and(|o| o == "min-vehicles") {
            scaled.objective = wuliu_dispatch::Objective::MinVehicles;
        }
        let config = SolverConfig {
            time_limit_s: args[2].parse().expect("seconds"),
            threads: args.get(3).map_or(2, |t| t.parse().expect("threads")),
            seed: args.get(4).map_or(1, |t| t.parse().expect("seed")),
            max_iterations: None,
            ..SolverConfig::default()
        };
        let sol = solve(&scaled, &config).expect("solve");
        let report = check(&scaled, &sol);
        assert!(
            report.feasible,
            "solver output failed the checker on the scaled matrix: {:?}",
            report.violations
        );
        eprintln!("iterations {}", sol.summary.iterations);
        sol.routes.iter().map(|r| r.jobs()).collect()
    } else {
        let routes: Vec<Vec<usize>> =
            serde_json::from_str(&std::fs::read_to_string(&args[3]).expect("read routes"))
                .expect("routes json");
        routes
            .into_iter()
            .map(|r| r.into_iter().map(|c| c - 1).collect())
            .collect()
    };
    let seqs: Vec<(usize, Vec<usize>)> = sequences.into_iter().enumerate().collect();
    let served: usize = seqs.iter().map(|s| s.1.len()).sum();
    let sol = Solution::from_sequences(&exact, &seqs, vec![]);
    let report = check(&exact, &sol);
    let routes: Vec<Vec<usize>> = seqs
        .iter()
        .map(|s| s.1.iter().map(|j| j + 1).collect())
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "instance": inst.name,
            "distance": report.distance.0,
            "vehicles": sol.routes.len(),
            "served": served,
            "feasible": report.feasible && served == exact.jobs.len(),
            "violations": report.violations.iter().take(3).map(|v| format!("{} {} {}", v.code, v.field, v.message)).collect::<Vec<_>>(),
            "routes": routes,
        })
    );
}
