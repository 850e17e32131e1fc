//! Queries on a contraction hierarchy, written for this crate. The hierarchy itself comes from
//! customisation ([`crate::cch`]).
//!
//! * [`query`]: bidirectional upward Dijkstra with stall-on-demand, multi-seed (snapped points
//!   enter the graph at both ends of their edge), path unpacking to original arcs.
//! * [`matrix`]: bucket-based many-to-many (backward searches fill buckets, forward searches scan
//!   them), rows in parallel with rayon.

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
