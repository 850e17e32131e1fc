//! Metric-independent node order by nested dissection with geometric bisection.
//!
//! A part of the graph is split by a straight line (four directions tried: east–west,
//! north–south and both diagonals; the cut position within the middle third of the nodes that
//! crosses the fewest arcs wins), the endpoints of the crossing arcs on the smaller side become
//! the separator, and the two halves are ordered recursively (in parallel) before it. Parts that
//! fall apart into components are ordered component by component. Straight cuts suit road
//! networks, whose cities are grids and whose regions are joined by few roads; and they cost
//! linear time per level, because each part keeps its nodes pre-sorted along the four directions
//! and children inherit the order by filtering.

/// A cell of the dissection tree: ranks `lo..hi`, children covering `lo..sep` one after another,
/// the separator (or a whole leaf) at `sep..hi`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Cell {
    pub lo: u32,
    pub sep: u32,
    pub hi: u32,
    pub children: Vec<Cell>,
}

impl Cell {
    fn shift(&mut self, by: u32) {
        self.lo += by;
        self.sep += by;
        self.hi += by;
        self.children.iter_mut().for_each(|c| c.shift(by));
    }
    fn leaf(n: u32) -> Cell {
        Cell {
            lo: 0,
            sep: 0,
            hi: n,
            children: Vec::new(),
        }
    }
}

/// Parts at most this big are ordered as they are (leaves).
const LEAF: usize = 48;
/// Parts at least this big are split in parallel.
const PARALLEL: usize = 20_000;

/// An induced subgraph with local ids and its nodes pre-sorted along four directions.
struct Part {
    ids: Vec<u32>,
    first: Vec<u32>,
    adj: Vec<u32>,
    sorted: [Vec<u32>; 4],
}

impl Part {
    fn len(&self) -> usize {
        self.ids.len()
    }
    fn neighbours(&self, v: usize) -> &[u32] {
        &self.adj[self.first[v] as usize..self.first[v + 1] as usize]
    }
    /// The part induced by local nodes with `keep[v] == true`, order preserved.
    fn sub(&self, keep: &[bool]) -> Part {
        let mut map = vec![u32::MAX; self.len()];
        let mut ids = Vec::new();
        for v in 0..self.len() {
            if keep[v] {
                map[v] = ids.len() as u32;
                ids.push(self.ids[v]);
            }
        }
        let mut first = Vec::with_capacity(ids.len() + 1);
        let mut adj = Vec::new();
        first.push(0);
        for v in (0..self.len()).filter(|&v| keep[v]) {
            adj.extend(
                self.neighbours(v)
                    .iter()
                    .map(|&u| map[u as usize])
                    .filter(|&u| u != u32::MAX),
            );
            first.push(adj.len() as u32);
        }
        let sorted = std::array::from_fn(|k| {
            self.sorted[k]
                .iter()
                .map(|&v| map[v as usize])
                .filter(|&v| v != u32::MAX)
                .collect()
        });
        Part {
            ids,
            first,
            adj,
            sorted,
        }
    }
}

/// Orders the nodes of a graph with directed `arcs` and planar coordinates `xy` (one per node).
pub(crate) fn dissect_arcs(arcs: &[(u32, u32)], xy: &[[f32; 2]]) -> (Vec<u32>, Cell) {
    let (first, adj) = super::topology::undirected(xy.len(), arcs);
    dissect(first, adj, xy)
}

/// Orders `n` nodes with undirected adjacency `first`/`adj` (symmetric, no self-loops) and planar
/// coordinates `xy`. Returns the order (rank → node) and the dissection tree over ranks.
pub(crate) fn dissect(first: Vec<u32>, adj: Vec<u32>, xy: &[[f32; 2]]) -> (Vec<u32>, Cell) {
    let n = xy.len();
    let dirs: [fn([f32; 2]) -> f32; 4] = [|p| p[0], |p| p[1], |p| p[0] + p[1], |p| p[0] - p[1]];
    let sorted = std::array::from_fn(|k| {
        let mut v: Vec<u32> = (0..n as u32).collect();
        let f = dirs[k];
        v.sort_by(|&a, &b| f(xy[a as usize]).total_cmp(&f(xy[b as usize])));
        v
    });
    let part = Part {
        ids: (0..n as u32).collect(),
        first,
        adj,
        sorted,
    };
    order_part(part)
}

fn order_part(part: Part) -> (Vec<u32>, Cell) {
    let n = part.len();
    if n <= LEAF {
        return (part.ids, Cell::leaf(n as u32));
    }
    let comps = components(&part);
    if comps.iter().any(|&c| c != 0) {
        return order_components(&part, &comps);
    }
    let Some(side) = bisect(&part) else {
        return (part.ids, Cell::leaf(n as u32));
    };
    // side: 0 = left, 1 = right, 2 = separator.
    let a = part.sub(&side.iter().map(|&s| s == 0).collect::<Vec<_>>());
    let b = part.sub(&side.iter().map(|&s| s == 1).collect::<Vec<_>>());
    let sep: Vec<u32> = (0..n)
        .filter(|&v| side[v] == 2)
        .map(|v| part.ids[v])
        .collect();
    drop(part);
    let ((oa, ca), (ob, cb)) = if n >= PARALLEL {
        rayon::join(|| order_part(a), || order_part(b))
    } else {
        (order_part(a), order_part(b))
    };
    combine(vec![(oa, ca), (ob, cb)], sep)
}

/// Concatenates children's orders, then `sep`, into one cell.
fn combine(children: Vec<(Vec<u32>, Cell)>, sep: Vec<u32>) -> (Vec<u32>, Cell) {
    let mut order = Vec::new();
    let mut cells = Vec::new();
    for (o, mut c) in children {
        if o.is_empty() {
            continue;
        }
        c.shift(order.len() as u32);
        order.extend(o);
        cells.push(c);
    }
    let sep_at = order.len() as u32;
    order.extend(sep);
    let cell = Cell {
        lo: 0,
        sep: sep_at,
        hi: order.len() as u32,
        children: cells,
    };
    (order, cell)
}

/// Component label per local node (0-based, in order of first appearance).
fn components(part: &Part) -> Vec<u32> {
    let n = part.len();
    let mut comp = vec![u32::MAX; n];
    let mut next = 0;
    let mut stack = Vec::new();
    for s in 0..n {
        if comp[s] != u32::MAX {
            continue;
        }
        comp[s] = next;
        stack.push(s as u32);
        while let Some(v) = stack.pop() {
            for &u in part.neighbours(v as usize) {
                if comp[u as usize] == u32::MAX {
                    comp[u as usize] = next;
                    stack.push(u);
                }
            }
        }
        next += 1;
    }
    comp
}

/// Orders each big component on its own; small ones share one leaf (they are independent).
fn order_components(part: &Part, comp: &[u32]) -> (Vec<u32>, Cell) {
    let count = comp.iter().max().map_or(0, |&c| c as usize + 1);
    let mut size = vec![0usize; count];
    comp.iter().for_each(|&c| size[c as usize] += 1);
    let small: Vec<u32> = (0..part.len())
        .filter(|&v| size[comp[v] as usize] <= LEAF)
        .map(|v| part.ids[v])
        .collect();
    let big: Vec<u32> = (0..count as u32)
        .filter(|&c| size[c as usize] > LEAF)
        .collect();
    let parts: Vec<Part> = big
        .iter()
        .map(|&c| part.sub(&comp.iter().map(|&x| x == c).collect::<Vec<_>>()))
        .collect();
    use rayon::prelude::*;
    let mut children: Vec<(Vec<u32>, Cell)> = parts.into_par_iter().map(order_part).collect();
    let n_small = small.len() as u32;
    children.insert(0, (small, Cell::leaf(n_small)));
    combine(children, Vec::new())
}

/// Best straight cut over the four directions; `None` when no cut leaves both sides non-empty.
fn bisect(part: &Part) -> Option<Vec<u8>> {
    let n = part.len();
    let (lo, hi) = (n / 3, n - n / 3);
    let mut best: Option<(usize, usize, usize)> = None; // (cut, |mid - j|, dir) ...
    let mut best_j = 0;
    let mut pos = vec![0u32; n];
    for (k, sorted) in part.sorted.iter().enumerate() {
        for (i, &v) in sorted.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
        let mut diff = vec![0i64; n + 2];
        for v in 0..n {
            for &u in part.neighbours(v) {
                if (u as usize) > v {
                    let (a, b) = (pos[v].min(pos[u as usize]), pos[v].max(pos[u as usize]));
                    if a != b {
                        diff[a as usize + 1] += 1;
                        diff[b as usize + 1] -= 1;
                    }
                }
            }
        }
        let mut cut = 0i64;
        for (j, d) in diff.iter().enumerate().take(hi + 1) {
            cut += d;
            if j >= lo.max(1) {
                let key = (cut as usize, j.abs_diff(n / 2), k);
                if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                    best = Some(key);
                    best_j = j;
                }
            }
        }
    }
    let (_, _, k) = best?;
    let mut side = vec![1u8; n];
    for &v in &part.sorted[k][..best_j] {
        side[v as usize] = 0;
    }
    separator(part, &mut side);
    let has = |s: u8| side.contains(&s);
    (has(0) && has(1)).then_some(side)
}

/// Turns a two-sided cut into a vertex separator: the endpoints of crossing arcs on the side
/// that has fewer of them are marked 2.
fn separator(part: &Part, side: &mut [u8]) {
    let mut ends: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    for v in 0..part.len() {
        let sv = side[v];
        if part.neighbours(v).iter().any(|&u| side[u as usize] != sv) {
            ends[sv as usize].push(v as u32);
        }
    }
    let pick = if ends[0].len() <= ends[1].len() { 0 } else { 1 };
    for &v in &ends[pick] {
        side[v as usize] = 2;
    }
}
