//! Bucket-based many-to-many queries (Knopp et al.), rows computed in parallel.

use rayon::prelude::*;

use super::query::Seed;
use super::space::{with_spaces, SearchSpace, INF};
use super::Hierarchy;

/// One bucket entry: target `target` is `weight`/`dist` away from `node` (downwards).
#[derive(Debug, Clone, Copy)]
struct Entry {
    node: u32,
    target: u32,
    weight: u32,
    dist: u32,
}

impl Hierarchy {
    /// Exhaustive upward search from `seeds`, calling `visit(node, weight, dist)` for every
    /// settled node that is not stalled.
    fn upward(
        &self,
        s: &mut SearchSpace,
        seeds: &[Seed],
        forward: bool,
        mut visit: impl FnMut(u32, u32, u32),
    ) {
        s.reset(self.node_count());
        for seed in seeds {
            s.relax(seed.node, seed.weight, seed.dist, u32::MAX, 0);
        }
        while let Some((v, d)) = s.pop() {
            let (relax, stall) = if forward {
                (self.up_out(v), self.up_in(v))
            } else {
                (self.up_in(v), self.up_out(v))
            };
            if stall
                .iter()
                .any(|a| s.get(a.node).saturating_add(a.weight) < d)
            {
                continue;
            }
            let len = s.len[v as usize];
            visit(v, d, len);
            for a in relax {
                s.relax(a.node, d + a.weight, len + a.dist, v, a.id);
            }
        }
    }

    /// `(weight, dist)` from every source seed set to every target seed set, row-major;
    /// `None` for unreachable pairs. Runs on the rayon pool.
    pub fn many_to_many(
        &self,
        sources: &[Vec<Seed>],
        targets: &[Vec<Seed>],
    ) -> Vec<Option<(u32, u32)>> {
        let mut entries: Vec<Entry> = targets
            .par_iter()
            .enumerate()
            .map(|(j, seeds)| {
                let mut out = Vec::new();
                with_spaces(|_, b| {
                    self.upward(b, seeds, false, |node, weight, dist| {
                        out.push(Entry {
                            node,
                            target: j as u32,
                            weight,
                            dist,
                        })
                    })
                });
                out
            })
            .flatten()
            .collect();
        entries.par_sort_unstable_by_key(|e| e.node);
        let nt = targets.len();
        sources
            .par_iter()
            .flat_map_iter(|seeds| {
                let mut row = vec![(INF, 0u32); nt];
                with_spaces(|f, _| {
                    self.upward(f, seeds, true, |node, weight, dist| {
                        let start = entries.partition_point(|e| e.node < node);
                        for e in entries[start..].iter().take_while(|e| e.node == node) {
                            let w = weight.saturating_add(e.weight);
                            let cell = &mut row[e.target as usize];
                            if w < cell.0 {
                                *cell = (w, dist + e.dist);
                            }
                        }
                    })
                });
                row.into_iter().map(|(w, d)| (w != INF).then_some((w, d)))
            })
            .collect()
    }
}
