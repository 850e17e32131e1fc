//! From reached road stretches to contour polygons.
//!
//! 1. **Raster**: the reached roads are sampled every half cell on a local metric grid (cell
//!    30–200 m, 1/300 of the extent, larger only to keep the grid under [`MAX_CELLS`]); a cell
//!    keeps the earliest time of any road in it. The raster is dilated by one cell (3 × 3
//!    minimum), so every cell with a reached road lies well inside its contour.
//! 2. **Mask** per contour: cells with a time within it; holes (outside areas enclosed by it)
//!    smaller than [`SMALL_HOLE_CELLS`] are filled. One raster serves every contour, so the
//!    contours are nested by construction.
//! 3. **Outline**: marching squares over the cell centres (diagonal neighbours joined), linked
//!    into closed rings with the inside on the left, i.e. outer rings counter-clockwise and holes
//!    clockwise, as RFC 7946 wants.
//! 4. **Simplify** each ring (Douglas–Peucker), drop areas smaller than `denoise` × the largest
//!    (Valhalla's meaning) and attach each hole to the outer ring around it.

use std::collections::HashMap;

use super::search::Reach;
use crate::network::RoadNetwork;

use super::MAX_CELLS;
/// Enclosed holes of at most this many cells are filled.
pub(crate) const SMALL_HOLE_CELLS: usize = 12;
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// A polygon: outer ring first, then its holes; each ring closed, `[lon, lat]` points.
pub(crate) type Polygon = Vec<Vec<[f64; 2]>>;
/// A closed ring in metres.
type Ring = Vec<(f64, f64)>;

/// The earliest time per cell of a local metric grid.
pub(crate) struct Raster {
    lat0: f64,
    lon0: f64,
    coslat: f64,
    /// Metric coordinates of the grid's lower-left corner.
    x0: f64,
    y0: f64,
    /// Cell side, metres.
    pub cell: f64,
    nx: usize,
    ny: usize,
    time: Vec<u32>,
}

impl Raster {
    fn to_xy(&self, p: [f64; 2]) -> (f64, f64) {
        (
            (p[1] - self.lon0) * self.coslat * M_PER_DEG,
            (p[0] - self.lat0) * M_PER_DEG,
        )
    }
    fn to_lon_lat(&self, x: f64, y: f64) -> [f64; 2] {
        let r6 = |v: f64| (v * 1e6).round() / 1e6;
        [
            r6(self.lon0 + x / (self.coslat * M_PER_DEG)),
            r6(self.lat0 + y / M_PER_DEG),
        ]
    }
}

/// The reached parts of each stretch as metric polylines with times, clipped to `limit_ms`.
fn polylines(net: &RoadNetwork, reaches: &[Reach], limit_ms: u32) -> Vec<Vec<([f64; 2], f64)>> {
    let limit = f64::from(limit_ms);
    let mut lines = Vec::with_capacity(reaches.len());
    for r in reaches {
        let e = &net.edges[r.edge as usize];
        let (lo, hi) = (r.a_m.min(r.b_m), r.a_m.max(r.b_m));
        let time_at = |x: f64| {
            if (r.b_m - r.a_m).abs() < 1e-9 {
                f64::from(r.t_a)
            } else {
                let f = (x - r.a_m) / (r.b_m - r.a_m);
                f64::from(r.t_a) + (f64::from(r.t_b) - f64::from(r.t_a)) * f.clamp(0.0, 1.0)
            }
        };
        let mut line: Vec<([f64; 2], f64)> = Vec::new();
        let mut acc = 0.0;
        for k in e.shape_start..e.shape_end - 1 {
            let a = net.coords[net.shape[k as usize] as usize];
            let b = net.coords[net.shape[k as usize + 1] as usize];
            let l = crate::network::dist(a, b);
            let (s0, s1) = (acc, acc + l);
            acc = s1;
            if s1 < lo || s0 > hi {
                continue;
            }
            let at = |x: f64| {
                let t = if l > 0.0 {
                    ((x - s0) / l).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
            };
            for x in [lo.max(s0), hi.min(s1)] {
                line.push((at(x), time_at(x)));
            }
        }
        // Clip where the time passes the limit (time is monotonic along a stretch).
        let mut clipped: Vec<([f64; 2], f64)> = Vec::with_capacity(line.len());
        for w in line.windows(2) {
            let ((p, tp), (q, tq)) = (w[0], w[1]);
            if tp <= limit && tq <= limit {
                clipped.extend([(p, tp), (q, tq)]);
            } else if tp <= limit || tq <= limit {
                let f = (limit - tp) / (tq - tp);
                let c = [p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f];
                if tp <= limit {
                    clipped.extend([(p, tp), (c, limit)]);
                } else {
                    clipped.extend([(c, limit), (q, tq)]);
                }
            }
        }
        if line.len() == 1 && line[0].1 <= limit {
            clipped.push(line[0]);
        }
        if !clipped.is_empty() {
            lines.push(clipped);
        }
    }
    lines
}

/// Rasterises the stretches reached within `limit_ms` around `centre` (`[lat, lon]`).
pub(crate) fn raster(
    net: &RoadNetwork,
    reaches: &[Reach],
    limit_ms: u32,
    centre: [f64; 2],
) -> Raster {
    let lines = polylines(net, reaches, limit_ms);
    let mut r = Raster {
        lat0: centre[0],
        lon0: centre[1],
        coslat: centre[0].to_radians().cos().max(0.01),
        x0: 0.0,
        y0: 0.0,
        cell: 50.0,
        nx: 0,
        ny: 0,
        time: Vec::new(),
    };
    let (mut xa, mut xb, mut ya, mut yb) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for &(p, _) in lines.iter().flatten() {
        let (x, y) = r.to_xy(p);
        (xa, xb, ya, yb) = (xa.min(x), xb.max(x), ya.min(y), yb.max(y));
    }
    let extent = (xb - xa).max(yb - ya);
    r.cell = (extent / 300.0).clamp(30.0, 200.0);
    let cells_for = |c: f64| ((xb - xa) / c + 7.0) * ((yb - ya) / c + 7.0);
    while cells_for(r.cell) > MAX_CELLS as f64 {
        r.cell *= 1.25;
    }
    // Three empty cells on each side: one for the dilation, the rest stays outside.
    r.x0 = xa - 3.0 * r.cell;
    r.y0 = ya - 3.0 * r.cell;
    r.nx = ((xb - xa) / r.cell).ceil() as usize + 7;
    r.ny = ((yb - ya) / r.cell).ceil() as usize + 7;
    r.time = vec![u32::MAX; r.nx * r.ny];
    for line in &lines {
        for w in line.windows(2).chain(std::iter::once(&line[..1])) {
            sample(&mut r, w);
        }
    }
    r.time = dilate(&r.time, r.nx, r.ny);
    r
}

/// Marks the cells along a segment (or a single point) with their earliest time.
fn sample(r: &mut Raster, w: &[([f64; 2], f64)]) {
    let (p, tp) = w[0];
    let (q, tq) = *w.last().unwrap();
    let ((px, py), (qx, qy)) = (r.to_xy(p), r.to_xy(q));
    let len = ((qx - px).powi(2) + (qy - py).powi(2)).sqrt();
    let steps = (len / (r.cell * 0.5)).ceil().max(1.0) as usize;
    for k in 0..=steps {
        let f = k as f64 / steps as f64;
        let (x, y) = (px + (qx - px) * f, py + (qy - py) * f);
        let t = (tp + (tq - tp) * f).round() as u32;
        let i = ((x - r.x0) / r.cell) as usize;
        let j = ((y - r.y0) / r.cell) as usize;
        let c = &mut r.time[j * r.nx + i];
        *c = (*c).min(t);
    }
}

/// 3 × 3 minimum filter.
fn dilate(t: &[u32], nx: usize, ny: usize) -> Vec<u32> {
    let mut rows = vec![u32::MAX; t.len()];
    for j in 0..ny {
        for i in 0..nx {
            let (a, b) = (i.saturating_sub(1), (i + 1).min(nx - 1));
            rows[j * nx + i] = t[j * nx + a..=j * nx + b].iter().copied().min().unwrap();
        }
    }
    let mut out = vec![u32::MAX; t.len()];
    for j in 0..ny {
        let (a, b) = (j.saturating_sub(1), (j + 1).min(ny - 1));
        for i in 0..nx {
            out[j * nx + i] = (a..=b).map(|jj| rows[jj * nx + i]).min().unwrap();
        }
    }
    out
}

impl Raster {
    /// Cells reached within `limit_ms`, with small enclosed holes filled.
    fn mask(&self, limit_ms: u32) -> Vec<bool> {
        let mut inside: Vec<bool> = self.time.iter().map(|&t| t <= limit_ms).collect();
        // Outside areas, 4-connected (the inside is 8-connected at saddles).
        let mut seen = vec![false; inside.len()];
        let mut stack = Vec::new();
        for start in 0..inside.len() {
            if inside[start] || seen[start] {
                continue;
            }
            let mut comp = vec![start];
            let mut touches_border = false;
            seen[start] = true;
            stack.push(start);
            while let Some(c) = stack.pop() {
                let (i, j) = (c % self.nx, c / self.nx);
                let (nx, ny) = (self.nx, self.ny);
                if i == 0 || j == 0 || i + 1 == nx || j + 1 == ny {
                    touches_border = true;
                }
                let around = [
                    (i > 0).then(|| c - 1),
                    (i + 1 < nx).then(|| c + 1),
                    (j > 0).then(|| c - nx),
                    (j + 1 < ny).then(|| c + nx),
                ];
                for n in around.into_iter().flatten() {
                    if !inside[n] && !seen[n] {
                        seen[n] = true;
                        stack.push(n);
                        if comp.len() <= SMALL_HOLE_CELLS {
                            comp.push(n);
                        }
                    }
                }
            }
            if !touches_border && comp.len() <= SMALL_HOLE_CELLS {
                for c in comp {
                    inside[c] = true;
                }
            }
        }
        inside
    }

    /// The contour `limit_ms` as polygons (outer ring counter-clockwise, holes clockwise),
    /// simplified with `tolerance_m`; areas smaller than `denoise` × the largest are dropped.
    pub(crate) fn polygons(&self, limit_ms: u32, tolerance_m: f64, denoise: f64) -> Vec<Polygon> {
        let inside = self.mask(limit_ms);
        let rings: Vec<Ring> = trace(&inside, self.nx, self.ny)
            .into_iter()
            .map(|ring| {
                let pts: Vec<(f64, f64)> = ring
                    .into_iter()
                    .map(|(gx, gy)| (self.x0 + gx * self.cell, self.y0 + gy * self.cell))
                    .collect();
                simplify_ring(&pts, tolerance_m)
            })
            .filter(|r| r.len() >= 4 && area(r) != 0.0)
            .collect();
        let (outers, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| area(r) > 0.0);
        let largest = outers.iter().map(|r| area(r)).fold(0.0, f64::max);
        let mut polys: Vec<(f64, Vec<Ring>)> = outers
            .into_iter()
            .filter(|r| area(r) >= denoise * largest)
            .map(|r| (area(&r), vec![r]))
            .collect();
        for h in holes {
            let p = h[0];
            let owner = polys
                .iter_mut()
                .filter(|(_, rings)| contains(&rings[0], p))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, rings)) = owner {
                rings.push(h);
            }
        }
        polys.sort_by(|a, b| b.0.total_cmp(&a.0));
        polys
            .into_iter()
            .map(|(_, rings)| {
                rings
                    .iter()
                    .map(|r| r.iter().map(|&(x, y)| self.to_lon_lat(x, y)).collect())
                    .collect()
            })
            .collect()
    }
}

/// Marching squares over a boolean grid whose border cells are all outside. Returns closed
/// rings in grid units (cell centre `(i, j)` at `(i + 0.5, j + 0.5)`), inside on the left.
fn trace(inside: &[bool], nx: usize, ny: usize) -> Vec<Vec<(f64, f64)>> {
    // Edge ids: 2 × cell for the edge to the right neighbour, 2 × cell + 1 for the one above.
    let at = |i: usize, j: usize| inside[j * nx + i];
    let h = |i: usize, j: usize| 2 * (j * nx + i);
    let v = |i: usize, j: usize| 2 * (j * nx + i) + 1;
    let mut next: HashMap<usize, usize> = HashMap::new();
    for j in 0..ny - 1 {
        for i in 0..nx - 1 {
            let c = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
            let n = c.iter().filter(|&&b| b).count();
            if n == 0 || n == 4 {
                continue;
            }
            // Square edges counter-clockwise: bottom, right, top, left.
            let e = [h(i, j), v(i + 1, j), h(i, j + 1), v(i, j)];
            let leaves: Vec<usize> = (0..4).filter(|&k| c[k] && !c[(k + 1) % 4]).collect();
            let enters: Vec<usize> = (0..4).filter(|&k| !c[k] && c[(k + 1) % 4]).collect();
            if leaves.len() == 2 {
                // Saddle: join the two inside corners, cutting off each outside corner.
                for &k in &leaves {
                    next.insert(e[k], e[(k + 1) % 4]);
                }
            } else {
                next.insert(e[leaves[0]], e[enters[0]]);
            }
        }
    }
    let point = |id: usize| {
        let (cell, up) = (id / 2, id % 2 == 1);
        let (i, j) = ((cell % nx) as f64, (cell / nx) as f64);
        if up {
            (i + 0.5, j + 1.0)
        } else {
            (i + 1.0, j + 0.5)
        }
    };
    let mut starts: Vec<usize> = next.keys().copied().collect();
    starts.sort_unstable();
    let mut rings = Vec::new();
    for s in starts {
        if !next.contains_key(&s) {
            continue;
        }
        let mut ring = vec![point(s)];
        let mut cur = s;
        while let Some(n) = next.remove(&cur) {
            ring.push(point(n));
            cur = n;
        }
        rings.push(ring);
    }
    rings
}

/// Signed area (positive = counter-clockwise) of a closed ring.
pub(crate) fn area(r: &[(f64, f64)]) -> f64 {
    r.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum::<f64>()
        / 2.0
}

/// Whether `p` lies inside the closed ring `r` (even–odd rule).
pub(crate) fn contains(r: &[(f64, f64)], p: (f64, f64)) -> bool {
    let mut inside = false;
    for w in r.windows(2) {
        let ((xa, ya), (xb, yb)) = (w[0], w[1]);
        if (ya > p.1) != (yb > p.1) && p.0 < xa + (p.1 - ya) / (yb - ya) * (xb - xa) {
            inside = !inside;
        }
    }
    inside
}

/// Douglas–Peucker on a closed ring: split at the point farthest from the first.
fn simplify_ring(r: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if r.len() < 5 || tol <= 0.0 {
        return r.to_vec();
    }
    let d2 = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2);
    let far = (1..r.len() - 1)
        .max_by(|&a, &b| d2(r[0], r[a]).total_cmp(&d2(r[0], r[b])))
        .unwrap();
    let mut keep = vec![false; r.len()];
    keep[0] = true;
    keep[far] = true;
    keep[r.len() - 1] = true;
    let mut stack = vec![(0, far), (far, r.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (r[a], r[b]);
        let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
        let l2 = dx * dx + dy * dy;
        let mut worst = (0.0, a);
        for (k, &p) in r.iter().enumerate().take(b).skip(a + 1) {
            let t = if l2 > 0.0 {
                (((p.0 - pa.0) * dx + (p.1 - pa.1) * dy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let d = d2(p, (pa.0 + t * dx, pa.1 + t * dy)).sqrt();
            if d > worst.0 {
                worst = (d, k);
            }
        }
        if worst.0 > tol {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    let out: Vec<(f64, f64)> = r
        .iter()
        .zip(&keep)
        .filter_map(|(p, &k)| k.then_some(*p))
        .collect();
    // Simplification must not turn a ring inside out.
    if out.len() < 4 || area(&out).signum() != area(r).signum() {
        r.to_vec()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&str]) -> (Vec<bool>, usize, usize) {
        // Rows top to bottom as written; y grows upwards.
        let ny = rows.len();
        let nx = rows[0].len();
        let mut g = vec![false; nx * ny];
        for (r, row) in rows.iter().enumerate() {
            for (i, ch) in row.chars().enumerate() {
                g[(ny - 1 - r) * nx + i] = ch == '#';
            }
        }
        (g, nx, ny)
    }

    #[test]
    fn outer_rings_are_counter_clockwise_and_holes_clockwise() {
        let (g, nx, ny) = grid(&[
            ".......", ".#####.", ".#...#.", ".#...#.", ".#...#.", ".#####.", ".......",
        ]);
        let rings = trace(&g, nx, ny);
        assert_eq!(rings.len(), 2);
        let mut areas: Vec<f64> = rings.iter().map(|r| area(r)).collect();
        areas.sort_by(f64::total_cmp);
        assert!(areas[0] < 0.0 && areas[1] > 0.0, "{areas:?}");
        for r in &rings {
            assert_eq!(r.first(), r.last(), "closed");
        }
        // The hole's centre is inside the hole ring; the ring cell is inside the outer only.
        let outer = rings.iter().find(|r| area(r) > 0.0).unwrap();
        let hole = rings.iter().find(|r| area(r) < 0.0).unwrap();
        assert!(contains(outer, (3.5, 3.5)) && contains(hole, (3.5, 3.5)));
        assert!(contains(outer, (1.5, 3.5)) && !contains(hole, (1.5, 3.5)));
    }

    #[test]
    fn diagonal_cells_join_and_rings_stay_closed() {
        let (g, nx, ny) = grid(&["....", ".#..", "..#.", "...."]);
        let rings = trace(&g, nx, ny);
        assert_eq!(rings.len(), 1);
        assert!(area(&rings[0]) > 0.0);
        assert!(contains(&rings[0], (1.5, 2.5)) && contains(&rings[0], (2.5, 1.5)));
    }

    #[test]
    fn ring_simplification_keeps_corners() {
        let mut sq: Vec<(f64, f64)> = (0..10).map(|i| (f64::from(i), 0.0)).collect();
        sq.extend((0..10).map(|i| (10.0, f64::from(i))));
        sq.extend((0..10).map(|i| (10.0 - f64::from(i), 10.0)));
        sq.extend((0..=10).map(|i| (0.0, 10.0 - f64::from(i))));
        let s = simplify_ring(&sq, 0.5);
        assert_eq!(s.len(), 5, "{s:?}");
        assert!((area(&s) - 100.0).abs() < 1e-9);
    }
}
