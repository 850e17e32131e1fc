//! Node contraction: ordering by edge difference with lazy updates, witness searches.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::space::SearchSpace;
use super::{ChArc, Hierarchy};

/// Settled-node limit of one witness search. A search that gives up early only adds a
/// shortcut that was not strictly needed; correctness never depends on it.
const WITNESS_SETTLE_LIMIT: usize = 300;
/// Settled-node limit when only estimating a node's priority (cheaper, slightly pessimistic).
const SIMULATION_SETTLE_LIMIT: usize = 15;

#[derive(Debug, Clone, Copy)]
struct Link {
    node: u32,
    weight: u32,
    dist: u32,
    id: u32,
}

struct Contractor {
    out: Vec<Vec<Link>>,
    inc: Vec<Vec<Link>>,
    contracted: Vec<bool>,
    deleted_neighbours: Vec<u32>,
    level: Vec<u32>,
    shortcuts: Vec<[u32; 2]>,
    n_orig: u32,
    space: SearchSpace,
}

/// An input arc `(tail, head, weight, dist)`; its index is its id.
pub(crate) type InputArc = (u32, u32, u32, u32);

fn upsert(list: &mut Vec<Link>, link: Link) -> bool {
    if let Some(l) = list.iter_mut().find(|l| l.node == link.node) {
        if link.weight < l.weight {
            *l = link;
            return true;
        }
        return false;
    }
    list.push(link);
    true
}

impl Contractor {
    fn new(n: usize, arcs: &[InputArc]) -> Self {
        let mut c = Contractor {
            out: vec![Vec::new(); n],
            inc: vec![Vec::new(); n],
            contracted: vec![false; n],
            deleted_neighbours: vec![0; n],
            level: vec![0; n],
            shortcuts: Vec::new(),
            n_orig: arcs.len() as u32,
            space: SearchSpace::default(),
        };
        for (i, &(t, h, w, d)) in arcs.iter().enumerate() {
            if t == h {
                continue;
            }
            let id = i as u32;
            c.add(t, h, w, d, id);
        }
        c
    }

    fn add(&mut self, t: u32, h: u32, weight: u32, dist: u32, id: u32) {
        let fwd = Link {
            node: h,
            weight,
            dist,
            id,
        };
        if upsert(&mut self.out[t as usize], fwd) {
            let bwd = Link { node: t, ..fwd };
            upsert(&mut self.inc[h as usize], bwd);
        }
    }

    /// Dijkstra from `src` avoiding `skip`, until `max`, the settle limit, or every node in
    /// `targets` is settled.
    fn witness(&mut self, src: u32, skip: u32, max: u32, targets: &[u32], limit: usize) {
        let n = self.out.len();
        self.space.reset(n);
        self.space.relax(src, 0, 0, u32::MAX, u32::MAX);
        let mut settled = 0;
        let mut left = targets.len();
        while let Some((v, d)) = self.space.pop() {
            if d > max || settled >= limit {
                break;
            }
            settled += 1;
            if targets.contains(&v) {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            for l in &self.out[v as usize] {
                if l.node == skip || self.contracted[l.node as usize] {
                    continue;
                }
                let nd = d.saturating_add(l.weight);
                if nd <= max {
                    self.space.relax(l.node, nd, 0, 0, 0);
                }
            }
        }
    }

    /// Shortcuts needed to contract `v`, as `(u, w, weight, dist, in_id, out_id)`.
    fn needed_shortcuts(&mut self, v: u32, limit: usize) -> Vec<(u32, u32, u32, u32, u32, u32)> {
        let ins = self.inc[v as usize].clone();
        let outs = self.out[v as usize].clone();
        let out_nodes: Vec<u32> = outs.iter().map(|o| o.node).collect();
        let mut result = Vec::new();
        for i in &ins {
            let max_out = outs
                .iter()
                .filter(|o| o.node != i.node)
                .map(|o| o.weight)
                .max();
            let Some(max_out) = max_out else { continue };
            self.witness(
                i.node,
                v,
                i.weight.saturating_add(max_out),
                &out_nodes,
                limit,
            );
            for o in &outs {
                if o.node == i.node {
                    continue;
                }
                let via = i.weight.saturating_add(o.weight);
                if self.space.get(o.node) > via {
                    result.push((
                        i.node,
                        o.node,
                        via,
                        i.dist.saturating_add(o.dist),
                        i.id,
                        o.id,
                    ));
                }
            }
        }
        result
    }

    fn priority(&mut self, v: u32) -> i64 {
        let added = self.needed_shortcuts(v, SIMULATION_SETTLE_LIMIT).len() as i64;
        let removed = (self.out[v as usize].len() + self.inc[v as usize].len()) as i64;
        // Edge quotient (shortcuts added per edge removed) plus hierarchy depth, as in
        // fast_paths; it keeps the contraction spread out and the core sparse.
        1000 * added / removed.max(1)
            + 100 * i64::from(self.level[v as usize])
            + 10 * i64::from(self.deleted_neighbours[v as usize])
    }

    fn contract(&mut self, v: u32) -> (Vec<ChArc>, Vec<ChArc>) {
        for (u, w, weight, dist, a, b) in self.needed_shortcuts(v, WITNESS_SETTLE_LIMIT) {
            let id = self.n_orig + self.shortcuts.len() as u32;
            self.shortcuts.push([a, b]);
            self.add(u, w, weight, dist, id);
        }
        self.contracted[v as usize] = true;
        let to_ch = |l: &Link| ChArc {
            node: l.node,
            weight: l.weight,
            dist: l.dist,
            id: l.id,
        };
        let up_out: Vec<ChArc> = self.out[v as usize].iter().map(to_ch).collect();
        let up_in: Vec<ChArc> = self.inc[v as usize].iter().map(to_ch).collect();
        let lv = self.level[v as usize] + 1;
        for l in up_out.iter().chain(&up_in) {
            let x = l.node as usize;
            self.inc[x].retain(|k| k.node != v);
            self.out[x].retain(|k| k.node != v);
            self.deleted_neighbours[x] += 1;
            self.level[x] = self.level[x].max(lv);
        }
        self.out[v as usize] = Vec::new();
        self.inc[v as usize] = Vec::new();
        (up_out, up_in)
    }
}

/// Contracts a graph of `n` nodes. Parallel arcs keep the lightest; self-loops are dropped.
pub(crate) fn build(n: usize, arcs: &[InputArc]) -> Hierarchy {
    let mut c = Contractor::new(n, arcs);
    let mut prio: Vec<i64> = (0..n as u32).map(|v| c.priority(v)).collect();
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = prio
        .iter()
        .enumerate()
        .map(|(v, &p)| Reverse((p, v as u32)))
        .collect();
    let mut rank = vec![0u32; n];
    let mut ups: Vec<(Vec<ChArc>, Vec<ChArc>)> = vec![Default::default(); n];
    let mut next_rank = 0u32;
    while let Some(Reverse((p, v))) = heap.pop() {
        if c.contracted[v as usize] || p != prio[v as usize] {
            continue;
        }
        // Lazy update: re-evaluate; contract only if still the minimum.
        let fresh = c.priority(v);
        if let Some(Reverse((next, _))) = heap.peek() {
            if fresh > *next {
                prio[v as usize] = fresh;
                heap.push(Reverse((fresh, v)));
                continue;
            }
        }
        let (up_out, up_in) = c.contract(v);
        rank[v as usize] = next_rank;
        next_rank += 1;
        let mut neighbours: Vec<u32> = up_out.iter().chain(&up_in).map(|l| l.node).collect();
        neighbours.sort_unstable();
        neighbours.dedup();
        ups[v as usize] = (up_out, up_in);
        for x in neighbours {
            let np = c.priority(x);
            prio[x as usize] = np;
            heap.push(Reverse((np, x)));
        }
    }
    let mut fwd_first = Vec::with_capacity(n + 1);
    let mut bwd_first = Vec::with_capacity(n + 1);
    let mut fwd = Vec::new();
    let mut bwd = Vec::new();
    for (up_out, up_in) in ups {
        fwd_first.push(fwd.len() as u32);
        bwd_first.push(bwd.len() as u32);
        fwd.extend(up_out);
        bwd.extend(up_in);
    }
    fwd_first.push(fwd.len() as u32);
    bwd_first.push(bwd.len() as u32);
    Hierarchy {
        rank,
        fwd_first,
        fwd,
        bwd_first,
        bwd,
        shortcuts: c.shortcuts,
        n_orig: c.n_orig,
    }
}
