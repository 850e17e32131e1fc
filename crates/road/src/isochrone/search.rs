//! The isochrone search: a one-to-all Dijkstra on the edge-based graph, bounded by the largest
//! contour, under the live metric (closed roads are never entered).
//!
//! Labels are per *state* (one direction of one edge): the time at the state's tail (entering
//! the edge) and at its head (leaving it). Forward, time grows along the edge; reverse (which
//! points can reach the centre), it shrinks. Either way the time at a point of the edge is linear
//! between the two ends, which is what [`Reach`] records for the rasteriser.

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};

use crate::graph::Graph;
use crate::metric::Metric;
use crate::prepared::PreparedNetwork;
use crate::snap::Snapped;

/// A stretch of one edge that was reached: from offset `a_m` to `b_m` (metres from the edge's
/// `from` node) the time goes linearly from `t_a` to `t_b` (milliseconds from or to the centre).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reach {
    pub edge: u32,
    pub a_m: f64,
    pub b_m: f64,
    pub t_a: u32,
    pub t_b: u32,
}

fn part(w: u32, frac: f64) -> u32 {
    (f64::from(w) * frac.clamp(0.0, 1.0)).round() as u32
}

/// Offsets of the tail and head of `state`'s edge in its direction of travel.
fn ends(p: &PreparedNetwork, state: u32) -> (u32, f64, f64) {
    let edge = state / 2;
    let len = p.net.edges[edge as usize].length_m;
    if state.is_multiple_of(2) {
        (edge, 0.0, len)
    } else {
        (edge, len, 0.0)
    }
}

/// Everything reachable from `s` within `limit_ms`.
pub(crate) fn forward(p: &PreparedNetwork, m: &Metric, s: &Snapped, limit_ms: u32) -> Vec<Reach> {
    let len = p.net.edges[s.edge as usize].length_m.max(1e-9);
    let mut out = Vec::new();
    for fwd in [true, false] {
        if let Some((w, _)) = m.cost_of(&p.graph, s.edge, fwd) {
            let end = if fwd { len } else { 0.0 };
            out.push(Reach {
                edge: s.edge,
                a_m: s.offset_m,
                b_m: end,
                t_a: 0,
                t_b: part(w, (end - s.offset_m).abs() / len),
            });
        }
    }
    let mut best: HashMap<u32, u32> = HashMap::new();
    let mut heap = BinaryHeap::new();
    for (seed, _, _) in &p.phantom(m, *s).out {
        push(&mut best, &mut heap, seed.node, seed.weight, limit_ms);
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if best.get(&v) != Some(&d) {
            continue;
        }
        let (edge, a_m, b_m) = ends(p, v);
        let Some((w, _)) = m.cost_of(&p.graph, edge, v.is_multiple_of(2)) else {
            continue; // closed: entering it is not reaching it
        };
        out.push(Reach {
            edge,
            a_m,
            b_m,
            t_a: d,
            t_b: d.saturating_add(w),
        });
        for a in p.graph.out(v) {
            let aw = m.arc_weight(&p.graph, a);
            if aw != u32::MAX {
                push(&mut best, &mut heap, a.head, d.saturating_add(aw), limit_ms);
            }
        }
    }
    out
}

fn push(
    best: &mut HashMap<u32, u32>,
    heap: &mut BinaryHeap<Reverse<(u32, u32)>>,
    v: u32,
    d: u32,
    limit: u32,
) {
    if d > limit {
        return;
    }
    match best.entry(v) {
        Entry::Occupied(mut o) if d < *o.get() => {
            o.insert(d);
        }
        Entry::Vacant(e) => {
            e.insert(d);
        }
        Entry::Occupied(_) => return,
    }
    heap.push(Reverse((d, v)));
}

/// Turn arcs grouped by head state: `(first, arc indices)`.
///
/// Built per reverse query in O(arcs) (two counting passes, a few milliseconds on a province);
/// the prepared network keeps no reverse graph.
fn arcs_by_head(graph: &Graph) -> (Vec<u32>, Vec<u32>) {
    let n = graph.node_count();
    let mut first = vec![0u32; n + 1];
    for a in &graph.arcs {
        first[a.head as usize + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut fill = first.clone();
    let mut idx = vec![0u32; graph.arcs.len()];
    for (i, a) in graph.arcs.iter().enumerate() {
        let slot = &mut fill[a.head as usize];
        idx[*slot as usize] = i as u32;
        *slot += 1;
    }
    (first, idx)
}

/// Everything from which `s` can be reached within `limit_ms`.
pub(crate) fn backward(p: &PreparedNetwork, m: &Metric, s: &Snapped, limit_ms: u32) -> Vec<Reach> {
    let len = p.net.edges[s.edge as usize].length_m.max(1e-9);
    let mut out = Vec::new();
    for fwd in [true, false] {
        if let Some((w, _)) = m.cost_of(&p.graph, s.edge, fwd) {
            let start = if fwd { 0.0 } else { len };
            out.push(Reach {
                edge: s.edge,
                a_m: start,
                b_m: s.offset_m,
                t_a: part(w, (s.offset_m - start).abs() / len),
                t_b: 0,
            });
        }
    }
    let (first, idx) = arcs_by_head(&p.graph);
    // `tail`: time from entering the state to the centre (the search key); `head`: from leaving it.
    let mut tail: HashMap<u32, u32> = HashMap::new();
    let mut head: HashMap<u32, u32> = HashMap::new();
    let mut heap = BinaryHeap::new();
    for (seed, _) in &p.phantom(m, *s).inc {
        push(&mut tail, &mut heap, seed.node, seed.weight, limit_ms);
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if tail.get(&v) != Some(&d) {
            continue;
        }
        for &ai in &idx[first[v as usize] as usize..first[v as usize + 1] as usize] {
            let a = &p.graph.arcs[ai as usize];
            let aw = m.arc_weight(&p.graph, a);
            let Some((w, _)) = m.cost_of(&p.graph, a.edge, a.forward) else {
                continue;
            };
            if aw == u32::MAX {
                continue;
            }
            let h = d.saturating_add(aw - w);
            if h > limit_ms {
                continue;
            }
            let e = head.entry(a.tail).or_insert(u32::MAX);
            *e = (*e).min(h);
            push(&mut tail, &mut heap, a.tail, h.saturating_add(w), limit_ms);
        }
    }
    for (&v, &h) in &head {
        let (edge, a_m, b_m) = ends(p, v);
        let (w, _) = m
            .cost_of(&p.graph, edge, v.is_multiple_of(2))
            .expect("only open states get a head time");
        out.push(Reach {
            edge,
            a_m,
            b_m,
            t_a: h.saturating_add(w),
            t_b: h,
        });
    }
    out
}
