//! Fleet minimisation (SISR's vehicle-minimisation phase, Christiaens & Vanden Berghe 2020, §5):
//! take the shortest route out of the best complete plan, then ruin and recreate *without opening
//! routes*, accepting a plan that leaves fewer units out, or units that have been out less often
//! (each unit's absence counter grows every iteration it is out). When every unit is back in,
//! that plan has one vehicle fewer; repeat until the phase's budget is spent.

use std::time::Instant;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::instance::Instance;
use super::search::{Budget, Sol};

/// Probability of skipping an insertion position during fleet minimisation.
const BLINK: f64 = 0.01;

/// Removes as many routes from `best` (a plan that leaves nothing servable out) as the budget
/// allows; returns the plan with the fewest vehicles found and the iterations run.
pub(crate) fn minimise(
    inst: &Instance,
    mut best: Sol,
    budget: &Budget,
    rng: &mut ChaCha8Rng,
) -> (Sol, u64) {
    let mut absences = vec![0u64; inst.nu];
    let mut it = 0u64;
    let absent = |s: &Sol, a: &[u64]| s.unassigned.iter().map(|&u| a[u]).sum::<u64>();
    let mut removed = Vec::new();
    'routes: while best.vehicles() > 1 && best.unassigned.is_empty() {
        let mut cur = best.clone();
        cur.drop_route(inst, shortest_route(&cur, rng));
        let mut trial = cur.clone();
        loop {
            if budget.spent(it, Instant::now()) {
                break 'routes;
            }
            trial.clone_from(&cur);
            trial.ruin(inst, rng, &mut removed);
            removed.append(&mut trial.unassigned);
            Sol::sort_for_insertion(inst, &mut removed, rng);
            trial.recreate_in(inst, &removed, BLINK, false, rng);
            let fewer = trial.unassigned.len() < cur.unassigned.len();
            if fewer || absent(&trial, &absences) < absent(&cur, &absences) {
                std::mem::swap(&mut cur, &mut trial);
            }
            for &u in &cur.unassigned {
                absences[u] += 1;
            }
            it += 1;
            if cur.unassigned.is_empty() {
                best = cur;
                continue 'routes;
            }
        }
    }
    (best, it)
}

/// The route with the fewest tasks (ties broken at random).
fn shortest_route(s: &Sol, rng: &mut ChaCha8Rng) -> usize {
    let used: Vec<usize> = (0..s.routes.len())
        .filter(|&r| !s.routes[r].is_empty())
        .collect();
    let min = used
        .iter()
        .map(|&r| s.routes[r].jobs.len())
        .min()
        .unwrap_or(0);
    let shortest: Vec<usize> = used
        .into_iter()
        .filter(|&r| s.routes[r].jobs.len() == min)
        .collect();
    shortest[rng.gen_range(0..shortest.len())]
}
