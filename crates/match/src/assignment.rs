//! Exact maximum-weight assignment on a sparse bipartite graph (rows = loads, columns = vehicles),
//! where every row may stay unassigned.
//!
//! The method is the shortest augmenting path algorithm of Jonker–Volgenant in the rectangular form
//! of Crouse (2016, "On implementing 2D rectangular assignment algorithms"), with Dijkstra over a
//! binary heap so only existing edges are scanned. "Unassigned" is a private zero-cost column per
//! row, so every row has a feasible path and the result is optimal among all partial matchings:
//! it maximises the sum of edge weights (edges with weight ≤ 0 are never worth taking and are
//! dropped). Cost: one Dijkstra per row, O(rows · E log V) worst case, far less in practice.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A candidate edge: row `row` can take column `col` for `weight` (higher is better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Row (load) index.
    pub row: usize,
    /// Column (vehicle) index.
    pub col: usize,
    /// Weight to maximise.
    pub weight: f64,
}

#[derive(PartialEq)]
struct Item(f64, usize);
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Item {
    fn cmp(&self, o: &Self) -> Ordering {
        o.0.total_cmp(&self.0).then(o.1.cmp(&self.1))
    }
}

/// Maximum-weight matching: for each row, `Some(col)` or `None`. Each column is used at most once.
pub fn max_weight_matching(rows: usize, cols: usize, edges: &[Edge]) -> Vec<Option<usize>> {
    // Adjacency: row -> (col, cost = -weight); column `cols + r` is row r's private dummy (cost 0).
    let mut start = vec![0usize; rows + 1];
    for e in edges {
        if e.weight > 0.0 {
            start[e.row + 1] += 1;
        }
    }
    for r in 0..rows {
        start[r + 1] += start[r];
    }
    let mut fill = start.clone();
    let mut adj = vec![(0usize, 0f64); start[rows]];
    for e in edges {
        if e.weight > 0.0 {
            adj[fill[e.row]] = (e.col, -e.weight);
            fill[e.row] += 1;
        }
    }
    let ncol = cols + rows;
    let mut u = vec![0f64; rows];
    let mut v = vec![0f64; ncol];
    let mut row4col = vec![usize::MAX; ncol];
    let mut col4row = vec![usize::MAX; rows];
    let mut spc = vec![f64::INFINITY; ncol];
    let mut path = vec![usize::MAX; ncol];
    let mut done_col = vec![false; ncol];
    let mut touched: Vec<usize> = Vec::new();
    let mut sr: Vec<usize> = Vec::new();
    let mut heap = BinaryHeap::new();
    // Row reduction (as in Jonker–Volgenant's initialisation): u_i = the row's cheapest cost
    // (its dummy costs 0), v = 0, so every reduced cost is ≥ 0; a row whose cheapest column is
    // still free takes it (a tight edge). The duals stay feasible with v ≤ 0, which is the
    // invariant the shortest-path phase needs; only the remaining rows are augmented.
    let mut pending = Vec::new();
    for r in 0..rows {
        let mut best = (0.0, cols + r);
        for &(j, c) in &adj[start[r]..start[r + 1]] {
            if c < best.0 {
                best = (c, j);
            }
        }
        u[r] = best.0;
        if row4col[best.1] == usize::MAX {
            row4col[best.1] = r;
            col4row[r] = best.1;
        } else {
            pending.push(r);
        }
    }
    for cur in pending {
        // Dijkstra from `cur` over reduced costs.
        let mut i = cur;
        let mut min_val = 0.0;
        let sink;
        sr.clear();
        heap.clear();
        loop {
            sr.push(i);
            let relax = |j: usize,
                         c: f64,
                         spc: &mut Vec<f64>,
                         path: &mut Vec<usize>,
                         touched: &mut Vec<usize>,
                         heap: &mut BinaryHeap<Item>| {
                if done_col[j] {
                    return;
                }
                let r = min_val + c - u[i] - v[j];
                if r < spc[j] {
                    if spc[j] == f64::INFINITY {
                        touched.push(j);
                    }
                    spc[j] = r;
                    path[j] = i;
                    heap.push(Item(r, j));
                }
            };
            for &(j, c) in &adj[start[i]..start[i + 1]] {
                relax(j, c, &mut spc, &mut path, &mut touched, &mut heap);
            }
            relax(cols + i, 0.0, &mut spc, &mut path, &mut touched, &mut heap);
            // Lowest unscanned column.
            let j = loop {
                let Item(d, j) = heap
                    .pop()
                    .expect("a private dummy column is always reachable");
                if !done_col[j] && d == spc[j] {
                    break j;
                }
            };
            min_val = spc[j];
            done_col[j] = true;
            if row4col[j] == usize::MAX {
                sink = j;
                break;
            }
            i = row4col[j];
        }
        // Update potentials.
        u[cur] += min_val;
        for &r in &sr[1..] {
            u[r] += min_val - spc[col4row[r]];
        }
        for &j in &touched {
            if done_col[j] {
                v[j] -= min_val - spc[j];
            }
        }
        // Augment along the path.
        let mut j = sink;
        loop {
            let r = path[j];
            row4col[j] = r;
            let prev = col4row[r];
            col4row[r] = j;
            if r == cur {
                break;
            }
            j = prev;
        }
        for &j in &touched {
            spc[j] = f64::INFINITY;
            done_col[j] = false;
            path[j] = usize::MAX;
        }
        touched.clear();
    }
    col4row
        .into_iter()
        .map(|c| (c < cols).then_some(c))
        .collect()
}

/// Total weight of a matching under `edges` (the best edge for each chosen pair).
pub fn matching_weight(matching: &[Option<usize>], edges: &[Edge]) -> f64 {
    let mut total = 0.0;
    for (r, c) in matching.iter().enumerate() {
        if let Some(c) = c {
            total += edges
                .iter()
                .filter(|e| e.row == r && e.col == *c)
                .map(|e| e.weight)
                .fold(f64::NEG_INFINITY, f64::max);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_better_pairing() {
        // Row 0 likes col 0 (10) and col 1 (9); row 1 only col 0 (8). Optimum: 0-1, 1-0 = 17.
        let e = [
            Edge {
                row: 0,
                col: 0,
                weight: 10.0,
            },
            Edge {
                row: 0,
                col: 1,
                weight: 9.0,
            },
            Edge {
                row: 1,
                col: 0,
                weight: 8.0,
            },
        ];
        let m = max_weight_matching(2, 2, &e);
        assert_eq!(m, vec![Some(1), Some(0)]);
    }

    #[test]
    fn leaves_rows_unassigned_when_no_positive_edge() {
        let e = [Edge {
            row: 1,
            col: 0,
            weight: -3.0,
        }];
        assert_eq!(max_weight_matching(2, 1, &e), vec![None, None]);
    }
}
