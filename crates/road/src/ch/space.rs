//! Reusable per-thread Dijkstra state with generation stamps (no O(n) reset per query).

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(crate) const INF: u32 = u32::MAX;

/// Labels of one search direction.
#[derive(Debug, Default)]
pub(crate) struct SearchSpace {
    stamp: Vec<u32>,
    cur: u32,
    pub dist: Vec<u32>,
    pub len: Vec<u32>,
    pub parent: Vec<u32>,
    pub parent_arc: Vec<u32>,
    pub heap: BinaryHeap<Reverse<(u32, u32)>>,
}

impl SearchSpace {
    /// Prepares for a new search on a graph with `n` nodes.
    pub fn reset(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.stamp.resize(n, 0);
            self.dist.resize(n, INF);
            self.len.resize(n, 0);
            self.parent.resize(n, u32::MAX);
            self.parent_arc.resize(n, u32::MAX);
        }
        self.cur = self.cur.wrapping_add(1);
        if self.cur == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.cur = 1;
        }
        self.heap.clear();
    }
    /// Tentative distance of `v` (`INF` when unreached).
    #[inline]
    pub fn get(&self, v: u32) -> u32 {
        if self.stamp[v as usize] == self.cur {
            self.dist[v as usize]
        } else {
            INF
        }
    }
    /// Lowers the label of `v` when `d` is better; returns whether it did.
    #[inline]
    pub fn relax(&mut self, v: u32, d: u32, len: u32, parent: u32, arc: u32) -> bool {
        let i = v as usize;
        if self.stamp[i] != self.cur || d < self.dist[i] {
            self.stamp[i] = self.cur;
            self.dist[i] = d;
            self.len[i] = len;
            self.parent[i] = parent;
            self.parent_arc[i] = arc;
            self.heap.push(Reverse((d, v)));
            true
        } else {
            false
        }
    }
    /// Smallest key in the queue, `INF` when empty.
    #[inline]
    pub fn min_key(&self) -> u32 {
        self.heap.peek().map_or(INF, |Reverse((d, _))| *d)
    }
    /// Pops the next settled node, skipping stale entries.
    #[inline]
    pub fn pop(&mut self) -> Option<(u32, u32)> {
        while let Some(Reverse((d, v))) = self.heap.pop() {
            if d == self.get(v) {
                return Some((v, d));
            }
        }
        None
    }
}

thread_local! {
    static SPACES: RefCell<(SearchSpace, SearchSpace)> = RefCell::new(Default::default());
}

/// Runs `f` with this thread's pair of search spaces.
pub(crate) fn with_spaces<R>(f: impl FnOnce(&mut SearchSpace, &mut SearchSpace) -> R) -> R {
    SPACES.with(|s| {
        let mut s = s.borrow_mut();
        let (a, b) = &mut *s;
        f(a, b)
    })
}
