//! Metric customisation: weights of every filled arc from the input arcs' weights, by lower
//! triangles in rank order, in parallel over the dissection tree; then the query hierarchy.

use rayon::prelude::*;

use super::order::Cell;
use super::topology::Topology;
use crate::ch::{ChArc, Hierarchy};

const INF: u32 = u32::MAX;
/// Below this many ranks a cell is customised on one thread.
const SEQUENTIAL: u32 = 4_096;

/// Both directions of one filled arc: weight, length and where the value came from
/// (`u32::MAX`: nothing yet; `< n_input`: an input arc; else `n_input + e` for the triangle
/// through the lower end of arc `e`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArcWeight {
    pub up: u32,
    pub down: u32,
    pub up_dist: u32,
    pub down_dist: u32,
    pub up_via: u32,
    pub down_via: u32,
}

const EMPTY: ArcWeight = ArcWeight {
    up: INF,
    down: INF,
    up_dist: 0,
    down_dist: 0,
    up_via: INF,
    down_via: INF,
};

struct Shared(*mut ArcWeight);
// SAFETY: tasks on sibling cells write only the arcs owned by their own ranks and read only arcs
// owned by ranks of their own cell (lower neighbours of a rank lie in its cell), so no two
// threads touch the same element while one of them writes.
unsafe impl Sync for Shared {}
unsafe impl Send for Shared {}

/// Customises `topo` for input arc weights and lengths (`weight[i] == u32::MAX`: arc closed).
pub(crate) fn customize(topo: &Topology, weight: &[u32], dist: &[u32]) -> Vec<ArcWeight> {
    let mut w = vec![EMPTY; topo.head.len()];
    for (i, &code) in topo.input.iter().enumerate() {
        if code == INF || weight[i] == INF {
            continue;
        }
        let a = &mut w[(code / 2) as usize];
        if code % 2 == 0 && weight[i] < a.up {
            (a.up, a.up_dist, a.up_via) = (weight[i], dist[i], i as u32);
        } else if code % 2 == 1 && weight[i] < a.down {
            (a.down, a.down_dist, a.down_via) = (weight[i], dist[i], i as u32);
        }
    }
    let shared = Shared(w.as_mut_ptr());
    run_cell(topo, &topo.tree, &shared, weight.len() as u32);
    w
}

fn run_cell(topo: &Topology, cell: &Cell, w: &Shared, n_input: u32) {
    if cell.hi - cell.lo < SEQUENTIAL || cell.children.is_empty() {
        for r in cell.lo..cell.hi {
            relax_node(topo, r, w, n_input);
        }
        return;
    }
    cell.children
        .par_iter()
        .for_each(|c| run_cell(topo, c, w, n_input));
    for r in cell.sep..cell.hi {
        relax_node(topo, r, w, n_input);
    }
}

/// Pulls every lower triangle `x < u < v` into the arcs owned by `u`.
fn relax_node(topo: &Topology, u: u32, w: &Shared, n_input: u32) {
    let mine = topo.arcs_of(u);
    let downs =
        &topo.down[topo.down_first[u as usize] as usize..topo.down_first[u as usize + 1] as usize];
    for &exu in downs {
        let x = topo.tail[exu as usize];
        // SAFETY: see `Shared`; arcs of x are final (x < u, same cell).
        let a = unsafe { *w.0.add(exu as usize) };
        if a.up == INF && a.down == INF {
            continue;
        }
        let mut k = mine.start;
        for exv in exu as usize + 1..topo.arcs_of(x).end {
            let v = topo.head[exv];
            while topo.head[k] != v {
                k += 1;
            }
            let b = unsafe { *w.0.add(exv) };
            // SAFETY: arc k is owned by u, which only this task processes.
            let t = unsafe { &mut *w.0.add(k) };
            let via = n_input + exu;
            let up = a.down.saturating_add(b.up);
            if up < t.up {
                (t.up, t.up_dist, t.up_via) = (up, a.down_dist + b.up_dist, via);
            }
            let down = b.down.saturating_add(a.up);
            if down < t.down {
                (t.down, t.down_dist, t.down_via) = (down, b.down_dist + a.up_dist, via);
            }
        }
    }
}

/// The query hierarchy for customised weights `w`: upward graphs over the original node ids,
/// closed arcs left out, triangles as shortcuts (ids `n_input + 2 * arc + dir`).
pub(crate) fn hierarchy(topo: &Topology, w: &[ArcWeight], n_input: u32) -> Hierarchy {
    let id = |e: u32, dir: u32| {
        let via = if dir == 0 {
            w[e as usize].up_via
        } else {
            w[e as usize].down_via
        };
        if via < n_input {
            via
        } else {
            n_input + 2 * e + dir
        }
    };
    let mut shortcuts = vec![[0u32; 2]; 2 * w.len()];
    shortcuts
        .par_chunks_mut(2)
        .enumerate()
        .for_each(|(e, pair)| {
            let a = &w[e];
            for dir in 0..2u32 {
                let via = if dir == 0 { a.up_via } else { a.down_via };
                if via == INF || via < n_input {
                    continue;
                }
                let exu = via - n_input;
                let x = topo.tail[exu as usize];
                let exv = topo.find(x, topo.head[e]).expect("triangle arc");
                pair[dir as usize] = if dir == 0 {
                    [id(exu, 1), id(exv, 0)]
                } else {
                    [id(exv, 1), id(exu, 0)]
                };
            }
        });
    let n = topo.node_count();
    let (mut fwd_first, mut bwd_first) = (vec![0u32; n + 1], vec![0u32; n + 1]);
    for (e, a) in w.iter().enumerate() {
        let s = topo.order[topo.tail[e] as usize] as usize;
        fwd_first[s + 1] += u32::from(a.up != INF);
        bwd_first[s + 1] += u32::from(a.down != INF);
    }
    for i in 0..n {
        fwd_first[i + 1] += fwd_first[i];
        bwd_first[i + 1] += bwd_first[i];
    }
    let blank = ChArc {
        node: 0,
        weight: 0,
        dist: 0,
        id: 0,
    };
    let mut fwd = vec![blank; fwd_first[n] as usize];
    let mut bwd = vec![blank; bwd_first[n] as usize];
    let (mut fa, mut ba) = (fwd_first.clone(), bwd_first.clone());
    for (e, a) in w.iter().enumerate() {
        let s = topo.order[topo.tail[e] as usize] as usize;
        let t = topo.order[topo.head[e] as usize];
        if a.up != INF {
            fwd[fa[s] as usize] = ChArc {
                node: t,
                weight: a.up,
                dist: a.up_dist,
                id: id(e as u32, 0),
            };
            fa[s] += 1;
        }
        if a.down != INF {
            bwd[ba[s] as usize] = ChArc {
                node: t,
                weight: a.down,
                dist: a.down_dist,
                id: id(e as u32, 1),
            };
            ba[s] += 1;
        }
    }
    Hierarchy {
        rank: topo.rank.clone(),
        fwd_first,
        fwd,
        bwd_first,
        bwd,
        shortcuts,
        n_orig: n_input,
    }
}
