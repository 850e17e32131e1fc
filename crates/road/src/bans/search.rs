//! Earliest arrival under time-dependent bans on the edge-based graph: A* with a consistent
//! lower bound (see [`super::potential`]); with no bound (`None`) it is plain time-dependent
//! Dijkstra, which the tests use as the reference.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::potential::ChPotential;
use super::ActiveBans;
use crate::ch::query::Seed;
use crate::graph::Graph;
use crate::metric::Metric;

const INF: u32 = u32::MAX;

/// A wait before entering a road because of a ban.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Wait {
    /// Position in the path: the wait happens before driving the edge of `arcs[at]`'s tail, or
    /// before the target's edge when `at == arcs.len()`.
    pub at: usize,
    /// Milliseconds after departure at which the vehicle stops.
    pub from_ms: u32,
    /// How long it waits.
    pub wait_ms: u32,
    /// The ban (index into the network's bans).
    pub ban: u32,
}

/// The earliest-arrival path between seed sets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TdPath {
    /// Arrival, milliseconds after departure (driving and waiting).
    pub arrival_ms: u32,
    /// Length in decimetres.
    pub dist: u32,
    /// Graph arcs in travel order.
    pub arcs: Vec<u32>,
    pub source_seed: usize,
    pub target_seed: usize,
    pub waits: Vec<Wait>,
}

/// Searches from `sources` (seed weight = time from departure to the seed's state) to
/// `targets` (seed weight = time from the state to the point).
pub(crate) fn earliest_arrival(
    graph: &Graph,
    m: &Metric,
    bans: &ActiveBans,
    sources: &[Seed],
    targets: &[Seed],
    mut potential: Option<&mut ChPotential>,
) -> Option<TdPath> {
    let n = graph.state.len();
    let mut arrive = vec![INF; n];
    let mut parent = vec![INF; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::new();
    let mut pot = |v: u32| potential.as_mut().map_or(0, |p| p.get(v));
    for (i, s) in sources.iter().enumerate() {
        let h = pot(s.node);
        if h != INF && s.weight < arrive[s.node as usize] {
            arrive[s.node as usize] = s.weight;
            parent[s.node as usize] = INF - 1 - i as u32;
            heap.push(Reverse((s.weight.saturating_add(h), s.node)));
        }
    }
    let target_of = |v: u32| targets.iter().position(|t| t.node == v);
    let mut best: Option<(u32, u32, usize)> = None; // arrival, state, target seed
    while let Some(Reverse((key, v))) = heap.pop() {
        if best.is_some_and(|(b, _, _)| key >= b) {
            break;
        }
        if std::mem::replace(&mut done[v as usize], true) {
            continue;
        }
        let t = arrive[v as usize];
        let (enter, _) = bans.enter(v / 2, t);
        if let Some(k) = target_of(v) {
            let at = enter.saturating_add(targets[k].weight);
            if best.is_none_or(|(b, _, _)| at < b) {
                best = Some((at, v, k));
            }
        }
        for a in graph.first_out[v as usize]..graph.first_out[v as usize + 1] {
            let arc = &graph.arcs[a as usize];
            let w = m.arc_weight(graph, arc);
            if w == INF || done[arc.head as usize] {
                continue;
            }
            let at = enter.saturating_add(w);
            if at < arrive[arc.head as usize] {
                let h = pot(arc.head);
                if h == INF {
                    continue;
                }
                arrive[arc.head as usize] = at;
                parent[arc.head as usize] = a;
                heap.push(Reverse((at.saturating_add(h), arc.head)));
            }
        }
    }
    let (arrival_ms, last, target_seed) = best?;
    let ends = (sources, targets);
    Some(unwind(
        graph,
        bans,
        &arrive,
        &parent,
        (arrival_ms, last, target_seed),
        ends,
    ))
}

/// Rebuilds arcs, length and waits from the parent pointers.
fn unwind(
    graph: &Graph,
    bans: &ActiveBans,
    arrive: &[u32],
    parent: &[u32],
    (arrival_ms, last, target_seed): (u32, u32, usize),
    (sources, targets): (&[Seed], &[Seed]),
) -> TdPath {
    let mut arcs = Vec::new();
    let mut states = vec![last];
    let mut v = last;
    while parent[v as usize] < graph.arcs.len() as u32 {
        let a = parent[v as usize];
        arcs.push(a);
        v = graph.arcs[a as usize].tail;
        states.push(v);
    }
    let source_seed = (INF - 1 - parent[v as usize]) as usize;
    debug_assert!(source_seed < sources.len());
    arcs.reverse();
    states.reverse();
    let mut waits = Vec::new();
    for (at, &s) in states.iter().enumerate() {
        let t = arrive[s as usize];
        if let (enter, Some(ban)) = bans.enter(s / 2, t) {
            waits.push(Wait {
                at,
                from_ms: t,
                wait_ms: enter - t,
                ban,
            });
        }
    }
    let dist = arcs
        .iter()
        .map(|&a| graph.arcs[a as usize].dist)
        .sum::<u32>()
        + sources[source_seed].dist
        + targets[target_seed].dist;
    TdPath {
        arrival_ms,
        dist,
        arcs,
        source_seed,
        target_seed,
        waits,
    }
}
