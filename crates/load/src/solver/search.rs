//! Beam search with greedy look-ahead (in the manner of Araya & Riff's BSG, 2014).
//!
//! Each pass runs a beam search of width `w`: every node expands its `4w` best-scored blocks for the
//! chosen space, every child is completed greedily, and the `w` children with the best completions
//! form the next level. Every greedy completion is a full packing; the best one is kept. Passes double `w`
//! until the time budget or the pass limit ends the search. Children are evaluated in parallel.

use std::time::Instant;

use rayon::prelude::*;

use super::state::{Ctx, State};

/// Result of a search.
pub(crate) struct Found {
    pub(crate) best: State,
    pub(crate) passes: u32,
}

/// Children per node, as a multiple of the beam width (tuned on BR1–BR13 samples: 4 beat 1 and 16).
const BRANCHING: usize = 4;

pub(crate) fn search(ctx: &Ctx<'_>, deadline: Instant, max_passes: Option<u32>) -> Found {
    let root = State::new(ctx);
    let mut best = root.clone().greedy(ctx);
    let mut passes = 0;
    let mut w = 1usize;
    let total = ctx.p.types.iter().map(|t| t.qty as usize).sum::<usize>();

    loop {
        if max_passes.is_some_and(|m| passes >= m) || Instant::now() >= deadline {
            break;
        }
        if all_loaded(&best) {
            break;
        }
        let mut beam = vec![root.clone()];
        let mut cut_short = false;
        while !beam.is_empty() {
            let mut children: Vec<State> = Vec::new();
            for mut s in beam {
                if let Some(cands) = s.expand(ctx, w * BRANCHING) {
                    for (k, at) in cands {
                        let mut c = s.clone();
                        c.place(ctx, k, at);
                        children.push(c);
                    }
                }
            }
            if children.is_empty() {
                break;
            }
            let evals: Vec<Option<State>> = children
                .par_iter()
                .map(|c| (Instant::now() < deadline).then(|| c.clone().greedy(ctx)))
                .collect();
            if evals.iter().any(Option::is_none) {
                cut_short = true;
            }
            let mut order: Vec<(u64, usize)> = evals
                .iter()
                .enumerate()
                .filter_map(|(k, e)| e.as_ref().map(|e| (e.volume, k)))
                .collect();
            order.sort_by_key(|&(v, k)| (std::cmp::Reverse(v), k));
            if let Some(&(v, k)) = order.first() {
                if v > best.volume {
                    best = evals[k].clone().unwrap_or_else(|| best.clone());
                }
            }
            if cut_short {
                break;
            }
            let mut take = vec![false; children.len()];
            for &(_, k) in order.iter().take(w) {
                take[k] = true;
            }
            beam = children
                .into_iter()
                .zip(take)
                .filter_map(|(c, t)| t.then_some(c))
                .collect();
        }
        if cut_short {
            break;
        }
        passes += 1;
        if w > total * 4 + 64 {
            break; // the tree is exhausted long before this
        }
        w *= 2;
    }
    Found { best, passes }
}

fn all_loaded(s: &State) -> bool {
    s.remaining.iter().all(|&r| r == 0)
}
