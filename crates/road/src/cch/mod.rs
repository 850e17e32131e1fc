//! Customisable contraction hierarchies (Dibbelt, Strasser and Wagner), written for this crate.
//!
//! Preparation is split in two:
//! * **metric-independent** ([`topology`]): a nested-dissection order ([`order`], geometric
//!   bisection, parallel) and the chordal supergraph of the routing graph in that order — every
//!   shortcut any metric could need. Done once per network and saved with it.
//! * **customisation** ([`customize`]): weights of every arc from the current input weights, by
//!   lower triangles, in parallel over the dissection tree; a closed road is an infinite input
//!   weight. It yields an ordinary [`Hierarchy`](crate::ch::Hierarchy), so routes and matrices
//!   run the same searches as before. Closing or reopening roads re-runs only this step.

pub(crate) mod customize;
pub(crate) mod order;
pub(crate) mod topology;

pub(crate) use customize::{customize, hierarchy};
pub(crate) use order::Cell;
pub(crate) use topology::Topology;

#[cfg(test)]
mod tests {
    use crate::ch::query::Seed;
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
                if t == v && w != u32::MAX && dv + w < d[hd as usize] {
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

    /// Random graphs, some arcs closed (infinite weight): the customised hierarchy answers
    /// exactly what Dijkstra answers, and unpacked paths are chains of open input arcs.
    #[test]
    fn customised_hierarchy_matches_dijkstra() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for round in 0..60 {
            let n = rng.gen_range(2..300usize);
            let m = rng.gen_range(0..n * 3);
            let xy: Vec<[f32; 2]> = (0..n).map(|_| [rng.gen(), rng.gen()]).collect();
            // Mostly short arcs (a planar-ish graph), a few long ones.
            let arcs: Vec<(u32, u32, u32, u32)> = (0..m)
                .map(|_| {
                    let a = rng.gen_range(0..n as u32);
                    let b = if rng.gen_bool(0.9) {
                        (a + rng.gen_range(1..4)).min(n as u32 - 1)
                    } else {
                        rng.gen_range(0..n as u32)
                    };
                    let w = if rng.gen_bool(0.1) {
                        u32::MAX
                    } else {
                        rng.gen_range(0..100)
                    };
                    (a, b, w, w.wrapping_mul(3))
                })
                .collect();
            let pairs: Vec<(u32, u32)> = arcs.iter().map(|a| (a.0, a.1)).collect();
            let topo = super::Topology::build(&pairs, &xy);
            let weight: Vec<u32> = arcs.iter().map(|a| a.2).collect();
            let dist: Vec<u32> = arcs.iter().map(|a| a.3).collect();
            let w = super::customize(&topo, &weight, &dist);
            let h = super::hierarchy(&topo, &w, arcs.len() as u32);
            let all: Vec<Vec<Seed>> = (0..n as u32).map(seed).collect();
            let matrix = h.many_to_many(&all, &all);
            for s in (0..n as u32).step_by(7) {
                let d = dijkstra(n, &arcs, s);
                for t in 0..n as u32 {
                    let expect = (d[t as usize] != u32::MAX).then_some(d[t as usize]);
                    let got = h.shortest_path(&seed(s), &seed(t), true);
                    assert_eq!(
                        got.as_ref().map(|f| f.weight),
                        expect,
                        "round {round}: {s}->{t}"
                    );
                    assert_eq!(matrix[s as usize * n + t as usize].map(|x| x.0), expect);
                    if let Some(f) = got {
                        let (mut at, mut total) = (s, 0);
                        for &a in &f.arcs {
                            let (t0, h0, wt, _) = arcs[a as usize];
                            assert_eq!(t0, at, "round {round}: broken chain");
                            assert_ne!(wt, u32::MAX, "round {round}: closed arc used");
                            at = h0;
                            total += wt;
                        }
                        assert_eq!((at, total), (t, f.weight));
                    }
                }
            }
        }
    }
}
