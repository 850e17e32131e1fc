//! The single-container solver: block building, residual spaces and beam search.

mod balance;
mod blocks;
mod problem;
mod refill;
mod search;
mod spaces;
mod state;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::config::LoadConfig;
use crate::error::LoadError;
use crate::model::LoadRequest;
use crate::plan::{LoadPlan, Placement, PlanStats, Unloaded, UnloadedReason};
use crate::sequence::sequence;
use crate::validate::validate;

use problem::Problem;

use state::Ctx;

/// Loads as much item volume as possible into `request.container`, honouring every enabled
/// constraint, within `config.time_limit_s` seconds (plus a few milliseconds to build the answer).
///
/// Uses all threads of the current rayon pool (or `config.threads`). With [`LoadConfig::max_passes`]
/// set, the plan is the same on every run, whatever the number of threads; without it the beam widths
/// adapt to the time left, so the plan may depend on the machine's speed.
///
/// How each constraint is met (the solver is conservative; [`crate::check`] verifies the result):
/// - support: with a share of 1, blocks stand only on fully covered tops (packing areas). With a
///   share below 1 the room above blocks stays open and each placement is checked: every box at
///   the bottom of a block must rest on packing areas over at least the share. Afterwards,
///   leftover boxes go into gaps where they stand on at least the share;
/// - load bearing: non-stackable items get nothing on top. Items with a load limit
///   (`max_load_on_top`) carry what every box below can still bear, each part put on top counted in
///   full on every box below it: inside a block (columns of their own kind or other items) and, with
///   support, later blocks put on the placed block, down through whatever it stands on. The refill
///   pass adds nothing above them;
/// - multi-drop: blocks hold one stop each, later stops are loaded first, from the front wall;
/// - payload: tracked during the search;
/// - centre of gravity and axle loads: after the search, top items (nothing rests on them) are
///   removed from the heavy side until the load balances; they are reported as `balance`.
///
/// Cost: block generation takes at most a fifth of the budget; the rest is beam search.
pub fn solve(request: &LoadRequest, config: &LoadConfig) -> Result<LoadPlan, LoadError> {
    validate(request)?;
    let start = Instant::now();
    let budget = Duration::from_secs_f64(config.time_limit_s.clamp(0.0, 1e6));
    let deadline = start + budget;
    let run = || solve_inner(request, config, start, deadline);
    match config.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        },
        None => run(),
    }
}

fn solve_inner(
    request: &LoadRequest,
    config: &LoadConfig,
    start: Instant,
    deadline: Instant,
) -> Result<LoadPlan, LoadError> {
    let p = Problem::new(request);
    let gen_deadline = start + (deadline - start) / 5;
    let blocks = blocks::generate(
        &p,
        config.max_blocks.max(1),
        config.min_fill,
        config.seed,
        gen_deadline,
    );
    let k = &request.constraints;
    let ctx = Ctx::new(&p, &blocks);
    let found = search::search(&ctx, deadline, config.max_passes);

    // Expand blocks into boxes and give each box a copy number.
    let mut boxes = Vec::new();
    for &(b, at) in &found.best.placed {
        blocks::expand(&p, &blocks, b as usize, at, &mut boxes);
    }
    // Leftover boxes into gaps the blocks left (only support can leave such gaps; see `refill`).
    if p.support {
        refill::refill(&p, &mut boxes, &found.best.remaining, found.best.weight);
    }
    let mut next_copy = vec![0u32; request.items.len()];
    let mut items: Vec<(Placement, f64)> = boxes
        .into_iter()
        .map(|(t, o, at)| {
            let ty = &p.types[t as usize];
            let spec = &request.items[ty.spec];
            let (orientation, size) = ty.orients[o as usize];
            let copy = next_copy[ty.spec];
            next_copy[ty.spec] += 1;
            (
                Placement {
                    item: spec.id.clone(),
                    copy,
                    position: at,
                    size,
                    orientation,
                },
                spec.weight.0,
            )
        })
        .collect();

    let axles = k.axle_loads && request.container.axles.is_some();
    let removed = if k.centre_of_gravity.is_some() || axles {
        balance::repair(
            &request.container,
            k.centre_of_gravity.as_ref(),
            axles,
            &mut items,
        )
    } else {
        Vec::new()
    };

    let loaded_weight: f64 = items.iter().map(|(_, w)| w).sum();
    let mut cog = [0.0; 3];
    for (pl, w) in &items {
        for (a, c) in cog.iter_mut().enumerate() {
            *c += w * (f64::from(pl.position[a]) + f64::from(pl.size[a]) / 2.0);
        }
    }
    let placements: Vec<Placement> = items.into_iter().map(|(pl, _)| pl).collect();
    let unloaded = unloaded(request, &p, &placements, &removed, loaded_weight);
    let loaded_volume: u64 = placements.iter().map(Placement::volume).sum();
    let (placements, steps) = sequence(request.container.door, placements);
    let container_volume = request.container.volume();
    let stats = PlanStats {
        items_loaded: placements.len() as u32,
        items_unloaded: unloaded.iter().map(|u| u.quantity).sum(),
        loaded_volume,
        container_volume,
        utilisation: loaded_volume as f64 / container_volume.max(1) as f64,
        loaded_weight: wuliu_model::Kg(loaded_weight),
        centre_of_gravity: (loaded_weight > 0.0).then(|| cog.map(|c| c / loaded_weight)),
        elapsed_ms: start.elapsed().as_millis() as u64,
        passes: found.passes,
    };
    Ok(LoadPlan {
        container: request.container.id.clone(),
        placements,
        steps,
        unloaded,
        stats,
    })
}

fn unloaded(
    req: &LoadRequest,
    p: &Problem,
    placed: &[Placement],
    removed: &[Placement],
    loaded_weight: f64,
) -> Vec<Unloaded> {
    let mut loaded: HashMap<&str, u32> = HashMap::new();
    for pl in placed {
        *loaded.entry(pl.item.as_str()).or_default() += 1;
    }
    let mut balance: HashMap<&str, u32> = HashMap::new();
    for pl in removed {
        *balance.entry(pl.item.as_str()).or_default() += 1;
    }
    let usable: std::collections::HashSet<usize> = p.types.iter().map(|t| t.spec).collect();
    let mut out = Vec::new();
    for (k, it) in req.items.iter().enumerate() {
        let n = loaded.get(it.id.as_str()).copied().unwrap_or(0);
        let b = balance.get(it.id.as_str()).copied().unwrap_or(0);
        let rest = it.quantity.saturating_sub(n + b);
        if b > 0 {
            out.push(Unloaded {
                item: it.id.clone(),
                quantity: b,
                reason: UnloadedReason::Balance,
            });
        }
        if rest == 0 {
            continue;
        }
        let reason = if !usable.contains(&k) {
            if p.payload.is_some_and(|m| it.weight.0 > m) {
                UnloadedReason::TooHeavy
            } else {
                UnloadedReason::TooLarge
            }
        } else if p
            .payload
            .is_some_and(|m| loaded_weight + it.weight.0 > m + 1e-9)
        {
            UnloadedReason::PayloadReached
        } else {
            UnloadedReason::NoSpace
        };
        out.push(Unloaded {
            item: it.id.clone(),
            quantity: rest,
            reason,
        });
    }
    out
}
