//! Exact static lower bounds to a target from a customised hierarchy ("CH potentials"): one
//! backward upward search from the target, then, lazily per node,
//! `pot(v) = min(back[v], min over upward arcs v→w of weight + pot(w))` — the best up-then-down
//! path in the hierarchy, i.e. the static fastest time from `v` to the target.

use crate::ch::query::Seed;
use crate::ch::Hierarchy;

const UNKNOWN: u32 = u32::MAX - 1;
const INF: u32 = u32::MAX;

/// Lazily evaluated distances to a fixed target set.
pub(crate) struct ChPotential<'a> {
    ch: &'a Hierarchy,
    back: Vec<u32>,
    memo: Vec<u32>,
    stack: Vec<u32>,
}

impl<'a> ChPotential<'a> {
    /// Runs the backward upward search from `targets` (seed weight = cost from the node to the
    /// target point).
    pub fn new(ch: &'a Hierarchy, targets: &[Seed]) -> Self {
        let n = ch.node_count();
        let mut back = vec![INF; n];
        let mut heap = std::collections::BinaryHeap::new();
        for t in targets {
            if t.weight < back[t.node as usize] {
                back[t.node as usize] = t.weight;
                heap.push(std::cmp::Reverse((t.weight, t.node)));
            }
        }
        while let Some(std::cmp::Reverse((d, v))) = heap.pop() {
            if d > back[v as usize] {
                continue;
            }
            for a in ch.up_in(v) {
                let nd = d.saturating_add(a.weight);
                if nd < back[a.node as usize] {
                    back[a.node as usize] = nd;
                    heap.push(std::cmp::Reverse((nd, a.node)));
                }
            }
        }
        ChPotential {
            ch,
            back,
            memo: vec![UNKNOWN; n],
            stack: Vec::new(),
        }
    }

    /// The static fastest time from `v` to the target; `u32::MAX` when unreachable.
    pub fn get(&mut self, v: u32) -> u32 {
        if self.memo[v as usize] != UNKNOWN {
            return self.memo[v as usize];
        }
        self.stack.push(v);
        while let Some(&x) = self.stack.last() {
            if self.memo[x as usize] != UNKNOWN {
                self.stack.pop();
                continue;
            }
            let mut ready = true;
            for a in self.ch.up_out(x) {
                if self.memo[a.node as usize] == UNKNOWN {
                    self.stack.push(a.node);
                    ready = false;
                }
            }
            if ready {
                self.stack.pop();
                let mut best = self.back[x as usize];
                for a in self.ch.up_out(x) {
                    best = best.min(a.weight.saturating_add(self.memo[a.node as usize]));
                }
                // A weight of UNKNOWN is impossible; keep INF for unreachable.
                self.memo[x as usize] = if best >= UNKNOWN { INF } else { best };
            }
        }
        self.memo[v as usize]
    }
}
