//! The solver: [`solve`] and its [`SolverConfig`].

mod fleet;
mod instance;
mod replay;
mod route;
mod search;

use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::DispatchError;
use crate::problem::{Objective, Problem};
use crate::solution::{Solution, Unassigned, Visit};
use instance::Instance;
use search::{Budget, Sol};

/// Share of the budget spent removing vehicles when the objective is [`Objective::MinVehicles`];
/// the rest lowers the cost of the smaller fleet.
const FLEET_SHARE: f64 = 0.6;

/// How long and how wide to search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SolverConfig {
    /// Wall-clock budget in seconds (default 5). The best solution found so far is returned when it
    /// runs out.
    #[serde(default = "default_time")]
    pub time_limit_s: f64,
    /// Optional cap on iterations per thread. When set, the annealing schedule follows iterations
    /// instead of the clock, and the result depends only on the seed, the thread count and this cap
    /// (as long as the time limit is not reached first).
    #[serde(default)]
    pub max_iterations: Option<u64>,
    /// Independent search threads (default 2); the best result wins, ties go to the lowest thread.
    #[serde(default = "default_threads")]
    pub threads: usize,
    /// Random seed (default 1). Thread `i` uses `seed + i`.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Stops the search early (with the best solution so far) when set by the caller, e.g. when
    /// the client that asked has gone. Not part of a stored configuration.
    #[serde(skip)]
    pub cancel: wuliu_model::Cancel,
}

fn default_time() -> f64 {
    5.0
}
fn default_threads() -> usize {
    2
}
fn default_seed() -> u64 {
    1
}

impl Default for SolverConfig {
    fn default() -> Self {
        Self {
            time_limit_s: default_time(),
            max_iterations: None,
            threads: default_threads(),
            seed: default_seed(),
            cancel: wuliu_model::Cancel::default(),
        }
    }
}

impl SolverConfig {
    /// A configuration that stops after `iterations` per thread (and at most `time_limit_s`), so results
    /// are reproducible for a seed.
    pub fn iterations(iterations: u64, threads: usize, seed: u64) -> Self {
        Self {
            time_limit_s: 3600.0,
            max_iterations: Some(iterations),
            threads,
            seed,
            cancel: wuliu_model::Cancel::default(),
        }
    }
}

/// Plans routes for `problem` within `config`'s budget and returns the best solution found.
///
/// Jobs that no vehicle can serve (incompatible, too large, or unreachable in their windows even on a
/// route of their own) are reported unassigned with that reason and left out of the search; jobs that
/// fit no route of the best plan are reported as [`UnassignedReason::FleetFull`].
///
/// Cost: O(jobs²) set-up for neighbour lists, then `threads` threads until the budget is spent. Pure and
/// synchronous; call it from a blocking thread in async code.
pub fn solve(problem: &Problem, config: &SolverConfig) -> Result<Solution, DispatchError> {
    solve_from(problem, config, &[])
}

/// [`solve`] starting from `initial` routes (e.g. yesterday's plan, or VROOM's vehicle `steps`):
/// each given route that is feasible on its own is kept as the starting point (breaks in it are
/// placed anew), the other jobs are inserted around them, and the search goes on from there. A
/// route that is not feasible, or that names a task twice or a task that cannot be served, is
/// dropped and its tasks inserted like the rest.
pub fn solve_from(
    problem: &Problem,
    config: &SolverConfig,
    initial: &[(usize, Vec<Visit>)],
) -> Result<Solution, DispatchError> {
    problem.validate()?;
    let start = Instant::now();
    let budget = Budget {
        start,
        deadline: start + Duration::from_secs_f64(config.time_limit_s.clamp(0.0, 1e7)),
        max_iterations: config.max_iterations,
        cancel: config.cancel.clone(),
    };
    let inst = Instance::new(problem);
    let mut excluded = Vec::new();
    let mut servable = Vec::new();
    for j in 0..inst.nu {
        match inst.unservable(j) {
            Some(reason) => excluded.push((j, reason)),
            None => servable.push(j),
        }
    }
    let threads = config.threads.max(1);
    let results: Vec<(Sol, u64)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let inst = &inst;
                let budget = &budget;
                let servable = &servable;
                let seed = config.seed.wrapping_add(t as u64);
                s.spawn(move || {
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    let mut init = Sol::empty(inst);
                    let mut order = init.seed_routes(inst, initial, servable);
                    Sol::sort_for_insertion(inst, &mut order, &mut rng);
                    init.recreate(inst, &order, 0.0, &mut rng);
                    if servable.is_empty() {
                        return (init, 0);
                    }
                    if problem.objective != Objective::MinVehicles {
                        return search::run(inst, init, budget, &mut rng);
                    }
                    let phase = budget.share(FLEET_SHARE);
                    let (fewer, used) = fleet::minimise(inst, init, &phase, &mut rng);
                    let (best, more) = search::run(inst, fewer, &budget.rest(used), &mut rng);
                    (best, used + more)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("solver thread panicked"))
            .collect()
    });
    let iterations = results.iter().map(|r| r.1).sum();
    let best = results
        .into_iter()
        .map(|r| r.0)
        .reduce(|a, b| if b.cost < a.cost - 1e-9 { b } else { a })
        .expect("at least one thread");
    let mut left: Vec<usize> = excluded.into_iter().map(|(u, _)| u).collect();
    left.extend(&best.unassigned);
    left.sort_unstable();
    let unassigned = left
        .into_iter()
        .map(|u| unassigned_unit(problem, u))
        .collect();
    let visits: Vec<(usize, Vec<Visit>)> = best
        .routes
        .iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let visits = replay::replay(&inst, r.v, &r.jobs)
                .unwrap_or_else(|| r.jobs.iter().map(|&t| inst.visit(t)).collect());
            (r.v, visits)
        })
        .collect();
    let mut solution = Solution::from_visits(problem, &visits, unassigned);
    solution.summary.iterations = iterations;
    Ok(solution)
}

/// The report of unit `u` (a job, or a shipment after the jobs) left out. The reason comes from the
/// checker's exact test on the data, which tries every break placement and departure time where
/// the solver's own screening is greedy, so the answer says what the checker accepts.
fn unassigned_unit(problem: &Problem, u: usize) -> Unassigned {
    let nj = problem.jobs.len();
    let (job, shipment, id, reason) = if u < nj {
        let reason = crate::check::unassigned_reason(problem, u);
        (u, false, problem.jobs[u].id.clone(), reason)
    } else {
        let s = u - nj;
        let reason = crate::check::unassigned_shipment_reason(problem, s);
        (s, true, problem.shipments[s].id.clone(), reason)
    };
    Unassigned {
        job,
        shipment,
        job_id: id,
        reason,
    }
}
