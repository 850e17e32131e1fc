//! Point-to-point queries on the hierarchy.

use super::space::{with_spaces, SearchSpace, INF};
use super::Hierarchy;

/// A way into or out of the graph: a node with the cost of reaching it from the snapped point
/// (sources) or of reaching the snapped point from it (targets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seed {
    pub node: u32,
    pub weight: u32,
    pub dist: u32,
}

/// Result of a point-to-point query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub weight: u32,
    pub dist: u32,
    /// Original arcs in travel order.
    pub arcs: Vec<u32>,
    /// Index of the source seed and target seed used.
    pub source_seed: usize,
    pub target_seed: usize,
}

/// Whether `v`, settled at `d` in a search using `opposite_dir` arcs, is stalled.
#[inline]
fn stalled(space: &SearchSpace, arcs: &[super::ChArc], d: u32) -> bool {
    arcs.iter()
        .any(|a| space.get(a.node).saturating_add(a.weight) < d)
}

impl Hierarchy {
    /// Shortest path between seed sets; `None` when unreachable.
    pub fn shortest_path(
        &self,
        sources: &[Seed],
        targets: &[Seed],
        want_path: bool,
    ) -> Option<Found> {
        with_spaces(|f, b| self.shortest_path_in(f, b, sources, targets, want_path))
    }

    fn shortest_path_in(
        &self,
        f: &mut SearchSpace,
        b: &mut SearchSpace,
        sources: &[Seed],
        targets: &[Seed],
        want_path: bool,
    ) -> Option<Found> {
        let n = self.node_count();
        f.reset(n);
        b.reset(n);
        // Seed index is kept in parent_arc with parent = u32::MAX.
        for (i, s) in sources.iter().enumerate() {
            f.relax(s.node, s.weight, s.dist, u32::MAX, i as u32);
        }
        for (i, s) in targets.iter().enumerate() {
            b.relax(s.node, s.weight, s.dist, u32::MAX, i as u32);
        }
        let mut best = INF;
        let mut meet = u32::MAX;
        let mut forward = true;
        loop {
            let (fk, bk) = (f.min_key(), b.min_key());
            if fk.min(bk) >= best || (fk == INF && bk == INF) {
                break;
            }
            // Alternate, but never pick an exhausted or finished direction.
            let go_f = if fk >= best {
                false
            } else if bk >= best {
                true
            } else {
                forward
            };
            forward = !forward;
            let (me, other, out_arcs) = if go_f {
                (&mut *f, &*b, true)
            } else {
                (&mut *b, &*f, false)
            };
            let Some((v, d)) = me.pop() else { continue };
            let od = other.get(v);
            if od != INF && d.saturating_add(od) < best {
                best = d + od;
                meet = v;
            }
            let (relax_arcs, stall_arcs) = if out_arcs {
                (self.up_out(v), self.up_in(v))
            } else {
                (self.up_in(v), self.up_out(v))
            };
            if stalled(me, stall_arcs, d) {
                continue;
            }
            let len = me.len[v as usize];
            for a in relax_arcs {
                me.relax(a.node, d + a.weight, len + a.dist, v, a.id);
            }
        }
        if best == INF {
            return None;
        }
        let dist = f.len[meet as usize] + b.len[meet as usize];
        let mut arcs = Vec::new();
        let (mut x, mut chain) = (meet, Vec::new());
        while f.parent[x as usize] != u32::MAX {
            chain.push(f.parent_arc[x as usize]);
            x = f.parent[x as usize];
        }
        let source_seed = f.parent_arc[x as usize] as usize;
        if want_path {
            for id in chain.iter().rev() {
                self.unpack(*id, &mut arcs);
            }
        }
        let mut x = meet;
        while b.parent[x as usize] != u32::MAX {
            if want_path {
                self.unpack(b.parent_arc[x as usize], &mut arcs);
            }
            x = b.parent[x as usize];
        }
        let target_seed = b.parent_arc[x as usize] as usize;
        Some(Found {
            weight: best,
            dist,
            arcs,
            source_seed,
            target_seed,
        })
    }
}
