//! The chordal supergraph of the routing graph in a nested-dissection order: every arc the
//! customisation may need, computed once, without looking at weights.

use super::order::Cell;

/// Arcs of the filled graph in rank space, each owned by its lower endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Topology {
    /// Rank → node.
    pub order: Vec<u32>,
    /// Node → rank.
    pub rank: Vec<u32>,
    /// `first[r]..first[r + 1]`: arcs owned by rank `r`.
    pub first: Vec<u32>,
    /// Upper endpoint (rank) of each arc; ascending within an owner.
    pub head: Vec<u32>,
    /// Lower endpoint (rank) of each arc.
    pub tail: Vec<u32>,
    /// `down_first[r]..down_first[r + 1]`: indices into `down` of arcs whose upper end is `r`.
    pub down_first: Vec<u32>,
    /// Arc ids, grouped by upper endpoint, ascending by lower endpoint within a group.
    pub down: Vec<u32>,
    /// Per input arc: `2 * arc + dir` (dir 0: lower → upper, 1: upper → lower), or `u32::MAX`
    /// for a self-loop.
    pub input: Vec<u32>,
    /// The dissection tree over ranks (drives parallel customisation).
    pub tree: Cell,
}

impl Topology {
    /// Orders and fills the graph of `n` nodes with directed `arcs` (`(tail, head)`) and planar
    /// coordinates `xy`.
    #[cfg(test)]
    pub fn build(arcs: &[(u32, u32)], xy: &[[f32; 2]]) -> Topology {
        let (order, tree) = super::order::dissect_arcs(arcs, xy);
        Self::from_order(order, tree, arcs)
    }

    /// Fills the graph with directed `arcs` in the nested-dissection `order` with `tree`.
    pub fn from_order(order: Vec<u32>, tree: Cell, arcs: &[(u32, u32)]) -> Topology {
        let n = order.len();
        let (first, adj) = undirected(n, arcs);
        let mut rank = vec![0u32; n];
        for (r, &v) in order.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        let (first, head) = fill(n, &first, &adj, &rank);
        Self::try_from_parts(order, rank, first, head, arcs, tree)
            .expect("the filled graph holds every arc")
    }

    /// Completes a topology from its order and upward arcs (also used when loading a file);
    /// `None` when some arc of `arcs` has no filled arc.
    pub fn try_from_parts(
        order: Vec<u32>,
        rank: Vec<u32>,
        first: Vec<u32>,
        head: Vec<u32>,
        arcs: &[(u32, u32)],
        tree: Cell,
    ) -> Option<Topology> {
        let n = order.len();
        let mut tail = vec![0u32; head.len()];
        for r in 0..n {
            tail[first[r] as usize..first[r + 1] as usize].fill(r as u32);
        }
        let mut down_first = vec![0u32; n + 1];
        head.iter().for_each(|&h| down_first[h as usize + 1] += 1);
        for r in 0..n {
            down_first[r + 1] += down_first[r];
        }
        let mut fill_at = down_first.clone();
        let mut down = vec![0u32; head.len()];
        for (e, &h) in head.iter().enumerate() {
            down[fill_at[h as usize] as usize] = e as u32;
            fill_at[h as usize] += 1;
        }
        let mut t = Topology {
            order,
            rank,
            first,
            head,
            tail,
            down_first,
            down,
            input: Vec::new(),
            tree,
        };
        t.input = arcs
            .iter()
            .map(|&(a, b)| {
                let (ra, rb) = (t.rank[a as usize], t.rank[b as usize]);
                if ra == rb {
                    return Some(u32::MAX);
                }
                let e = t.find(ra.min(rb), ra.max(rb))?;
                Some(2 * e + u32::from(ra > rb))
            })
            .collect::<Option<Vec<u32>>>()?;
        Some(t)
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.order.len()
    }
    /// Arcs owned by rank `r`.
    #[inline]
    pub fn arcs_of(&self, r: u32) -> std::ops::Range<usize> {
        self.first[r as usize] as usize..self.first[r as usize + 1] as usize
    }
    /// The arc between ranks `lo < hi`, if the filled graph has it.
    pub fn find(&self, lo: u32, hi: u32) -> Option<u32> {
        let range = self.arcs_of(lo);
        let start = range.start;
        self.head[range]
            .binary_search(&hi)
            .ok()
            .map(|i| (start + i) as u32)
    }
}

/// Symmetric adjacency without self-loops or duplicates.
pub(crate) fn undirected(n: usize, arcs: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut deg = vec![0u32; n + 1];
    for &(a, b) in arcs {
        if a != b {
            deg[a as usize + 1] += 1;
            deg[b as usize + 1] += 1;
        }
    }
    for i in 0..n {
        deg[i + 1] += deg[i];
    }
    let mut adj = vec![0u32; deg[n] as usize];
    let mut at = deg.clone();
    for &(a, b) in arcs {
        if a != b {
            adj[at[a as usize] as usize] = b;
            at[a as usize] += 1;
            adj[at[b as usize] as usize] = a;
            at[b as usize] += 1;
        }
    }
    let mut first = Vec::with_capacity(n + 1);
    let mut out = Vec::with_capacity(adj.len());
    first.push(0);
    for v in 0..n {
        let list = &mut adj[deg[v] as usize..deg[v + 1] as usize];
        list.sort_unstable();
        let mut last = u32::MAX;
        for &u in list.iter() {
            if u != last {
                out.push(u);
                last = u;
            }
        }
        first.push(out.len() as u32);
    }
    (first, out)
}

/// Elimination in rank order: the upper neighbours of each rank, with fill-in (each rank's
/// upper neighbours, minus the lowest, become neighbours of that lowest one).
fn fill(n: usize, first: &[u32], adj: &[u32], rank: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut up: Vec<Vec<u32>> = vec![Vec::new(); n];
    for v in 0..n {
        let rv = rank[v];
        for &u in &adj[first[v] as usize..first[v + 1] as usize] {
            let ru = rank[u as usize];
            if ru > rv {
                up[rv as usize].push(ru);
            }
        }
    }
    let mut out_first = Vec::with_capacity(n + 1);
    let mut head = Vec::new();
    out_first.push(0u32);
    for r in 0..n {
        let mut list = std::mem::take(&mut up[r]);
        list.sort_unstable();
        list.dedup();
        if let Some((&p, rest)) = list.split_first() {
            up[p as usize].extend_from_slice(rest);
        }
        head.extend_from_slice(&list);
        out_first.push(head.len() as u32);
    }
    (out_first, head)
}
