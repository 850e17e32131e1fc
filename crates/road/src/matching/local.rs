//! Route distances between consecutive track points' candidates by a local search: one Dijkstra
//! by length on the edge-based graph from each source candidate, stopped at the transition's
//! distance limit, once every target is settled, or once the nearest target is more than
//! [`SLACK_DM`] behind (a transition that much longer than the best one from the same candidate
//! has a probability below e⁻⁴⁰ of it, so it is left out).
//!
//! Consecutive fixes lie metres to a few kilometres apart, so the search stays in a small
//! neighbourhood whatever the size of the network, where a hierarchy query would climb to the
//! top of the hierarchy for every pair.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::BETA_M;
use crate::ch::query::Seed;
use crate::graph::Graph;
use crate::metric::Metric;

/// Searches stop this far (decimetres) beyond the nearest target found: 40 β.
const SLACK_DM: u32 = (40.0 * BETA_M * 10.0) as u32;

/// Per-thread search buffers: tentative lengths by state (`u32::MAX`: untouched) and the
/// states touched, reset after each search.
#[derive(Default)]
struct Buffers {
    dist: Vec<u32>,
    touched: Vec<u32>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

/// Shortest lengths (decimetres) from `source` seeds to each target's seeds (seed `dist` =
/// length from the point to the state or from the state to the point), `None` beyond `limit_dm`
/// or left out by the slack rule.
pub(super) fn distances(
    graph: &Graph,
    m: &Metric,
    source: &[Seed],
    targets: &[Vec<Seed>],
    limit_dm: u32,
) -> Vec<Option<u32>> {
    BUFFERS.with(|b| {
        let mut b = b.borrow_mut();
        if b.dist.len() != graph.state.len() {
            b.dist = vec![u32::MAX; graph.state.len()];
        }
        let out = search(graph, m, source, targets, limit_dm, &mut b);
        let Buffers { dist, touched } = &mut *b;
        for v in touched.drain(..) {
            dist[v as usize] = u32::MAX;
        }
        out
    })
}

fn search(
    graph: &Graph,
    m: &Metric,
    source: &[Seed],
    targets: &[Vec<Seed>],
    limit_dm: u32,
    b: &mut Buffers,
) -> Vec<Option<u32>> {
    // (state, target, length from the state to the target point), sorted by state.
    let mut wanted: Vec<(u32, usize, u32)> = targets
        .iter()
        .enumerate()
        .flat_map(|(j, seeds)| seeds.iter().map(move |s| (s.node, j, s.dist)))
        .collect();
    wanted.sort_unstable();
    let mut left = wanted.len();
    let mut out: Vec<Option<u32>> = vec![None; targets.len()];
    let mut heap = BinaryHeap::new();
    let Buffers { dist, touched } = b;
    for s in source {
        relax(dist, touched, &mut heap, s.node, s.dist);
    }
    let mut nearest = u32::MAX;
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > limit_dm || d > nearest.saturating_add(SLACK_DM) || left == 0 {
            break;
        }
        if dist[v as usize] < d {
            continue;
        }
        let from = wanted.partition_point(|w| w.0 < v);
        for &(_, j, extra) in wanted[from..].iter().take_while(|w| w.0 == v) {
            left -= 1;
            let total = d.saturating_add(extra);
            if total <= limit_dm && out[j].is_none_or(|x| total < x) {
                out[j] = Some(total);
            }
            nearest = nearest.min(total);
        }
        let arcs = graph.first_out[v as usize] as usize..graph.first_out[v as usize + 1] as usize;
        for arc in &graph.arcs[arcs] {
            if m.arc_weight(graph, arc) != u32::MAX {
                relax(
                    dist,
                    touched,
                    &mut heap,
                    arc.head,
                    d.saturating_add(arc.dist),
                );
            }
        }
    }
    out
}

fn relax(
    dist: &mut [u32],
    touched: &mut Vec<u32>,
    heap: &mut BinaryHeap<Reverse<(u32, u32)>>,
    v: u32,
    d: u32,
) {
    let x = &mut dist[v as usize];
    if d < *x {
        if *x == u32::MAX {
            touched.push(v);
        }
        *x = d;
        heap.push(Reverse((d, v)));
    }
}
