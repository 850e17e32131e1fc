//! Contraction hierarchies, written for this crate.
//!
//! * [`contract`]: node ordering by edge difference (plus deleted neighbours and level), lazy
//!   priority updates, witness searches bounded by the shortcut weight and a settled-node limit.
//! * [`query`]: bidirectional upward Dijkstra with stall-on-demand, multi-seed (snapped points
//!   enter the graph at both ends of their edge), path unpacking to original arcs.
//! * [`matrix`]: bucket-based many-to-many (backward searches fill buckets, forward searches scan
//!   them), rows in parallel with rayon.

pub(crate) mod contract;
pub(crate) mod matrix;
pub(crate) mod query;
pub(crate) mod space;

/// One arc of the upward graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChArc {
    /// The other node (head in the forward graph, tail in the backward graph).
    pub node: u32,
    /// Weight in milliseconds.
    pub weight: u32,
    /// Length in decimetres.
    pub dist: u32,
    /// Original arc index when `< n_orig`, else `n_orig + shortcut index`.
    pub id: u32,
}

/// A prepared hierarchy: upward forward and backward graphs in CSR form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Hierarchy {
    pub rank: Vec<u32>,
    pub fwd_first: Vec<u32>,
    pub fwd: Vec<ChArc>,
    pub bwd_first: Vec<u32>,
    pub bwd: Vec<ChArc>,
    /// Children of each shortcut (ids as in [`ChArc::id`]).
    pub shortcuts: Vec<[u32; 2]>,
    pub n_orig: u32,
}

impl Hierarchy {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.rank.len()
    }
    /// Upward arcs leaving `v`.
    #[inline]
    pub fn up_out(&self, v: u32) -> &[ChArc] {
        &self.fwd[self.fwd_first[v as usize] as usize..self.fwd_first[v as usize + 1] as usize]
    }
    /// Upward arcs entering `v` (from higher nodes), as `(tail, ...)`.
    #[inline]
    pub fn up_in(&self, v: u32) -> &[ChArc] {
        &self.bwd[self.bwd_first[v as usize] as usize..self.bwd_first[v as usize + 1] as usize]
    }
    /// Appends the original arcs that arc `id` stands for, in travel order.
    pub fn unpack(&self, id: u32, out: &mut Vec<u32>) {
        let mut stack = vec![id];
        while let Some(x) = stack.pop() {
            if x < self.n_orig {
                out.push(x);
            } else {
                let [a, b] = self.shortcuts[(x - self.n_orig) as usize];
                stack.push(b);
                stack.push(a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::query::Seed;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    fn dijkstra(n: usize, arcs: &[(u32, u32, u32, u32)], s: u32) -> Vec<u32> {
        let mut d = vec![u32::MAX; n];
        let mut h = BinaryHeap::new();
        d[s as usize] = 0;
        h.push(Reverse((0, s)));
        while let Some(Reverse((dv, v))) = h.pop() {
            if dv > d[v as usize] {
                continue;
            }
            for &(t, hd, w, _) in arcs {
                if t == v && dv + w < d[hd as usize] {
                    d[hd as usize] = dv + w;
                    h.push(Reverse((dv + w, hd)));
                }
            }
        }
        d
    }

    fn seed(node: u32) -> Vec<Seed> {
        vec![Seed {
            node,
            weight: 0,
            dist: 0,
        }]
    }

    #[test]
    fn random_graphs_match_dijkstra() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for round in 0..40 {
            let n = rng.gen_range(2..60usize);
            let m = rng.gen_range(0..n * 4);
            let arcs: Vec<(u32, u32, u32, u32)> = (0..m)
                .map(|_| {
                    let w = rng.gen_range(0..100);
                    (
                        rng.gen_range(0..n as u32),
                        rng.gen_range(0..n as u32),
                        w,
                        w * 3,
                    )
                })
                .collect();
            let h = super::contract::build(n, &arcs);
            let sources: Vec<u32> = (0..n as u32).collect();
            let matrix = h.many_to_many(
                &sources.iter().map(|&s| seed(s)).collect::<Vec<_>>(),
                &sources.iter().map(|&s| seed(s)).collect::<Vec<_>>(),
            );
            for s in 0..n as u32 {
                let d = dijkstra(n, &arcs, s);
                for t in 0..n as u32 {
                    let expect = (d[t as usize] != u32::MAX).then_some(d[t as usize]);
                    let got = h.shortest_path(&seed(s), &seed(t), true);
                    assert_eq!(
                        got.as_ref().map(|f| f.weight),
                        expect,
                        "round {round}: {s}->{t} in graph {arcs:?}"
                    );
                    assert_eq!(matrix[s as usize * n + t as usize].map(|x| x.0), expect);
                    if let Some(f) = got {
                        // The unpacked path is a real chain of input arcs with the same weight.
                        let mut at = s;
                        let mut total = 0;
                        for &a in &f.arcs {
                            let (t0, h0, w, _) = arcs[a as usize];
                            assert_eq!(t0, at);
                            at = h0;
                            total += w;
                        }
                        assert_eq!(at, t);
                        assert_eq!(total, f.weight);
                    }
                }
            }
        }
    }
}
