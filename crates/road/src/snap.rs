//! Snapping coordinates to the nearest usable road: a uniform grid over road segments.

use serde::{Deserialize, Serialize};

use crate::network::{dist, RoadNetwork};

/// Grid cell size in degrees (about 280 m north–south).
const CELL_DEG: f64 = 0.0025;
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

/// Where a coordinate lands on the network.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Snapped {
    /// Road edge index.
    pub edge: u32,
    /// Distance along the edge from its `from` node, metres.
    pub offset_m: f64,
    /// The point on the road, `[lat, lon]`.
    pub location: [f64; 2],
    /// Distance from the requested coordinate to the road, metres.
    pub distance_m: f64,
}

/// Grid index of road segments: `(edge, shape position of the segment start)` per cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SnapIndex {
    pub keys: Vec<u64>,
    pub first: Vec<u32>,
    pub items: Vec<[u32; 2]>,
}

fn cell(v: f64) -> i32 {
    (v / CELL_DEG).floor() as i32
}

fn key(cx: i32, cy: i32) -> u64 {
    ((cx as u32 as u64) << 32) | cy as u32 as u64
}

impl SnapIndex {
    /// Indexes the segments of the edges for which `keep(edge)` is true.
    pub fn build(net: &RoadNetwork, keep: impl Fn(usize) -> bool) -> SnapIndex {
        let mut pairs: Vec<(u64, [u32; 2])> = Vec::new();
        for (ei, e) in net.edges.iter().enumerate() {
            if !keep(ei) {
                continue;
            }
            for k in e.shape_start..e.shape_end - 1 {
                let a = net.coords[net.shape[k as usize] as usize];
                let b = net.coords[net.shape[k as usize + 1] as usize];
                let (x0, x1) = (cell(a[1].min(b[1])), cell(a[1].max(b[1])));
                let (y0, y1) = (cell(a[0].min(b[0])), cell(a[0].max(b[0])));
                for cx in x0..=x1 {
                    for cy in y0..=y1 {
                        pairs.push((key(cx, cy), [ei as u32, k]));
                    }
                }
            }
        }
        pairs.sort_unstable();
        let mut keys = Vec::new();
        let mut first = Vec::new();
        let mut items = Vec::with_capacity(pairs.len());
        for (k, item) in pairs {
            if keys.last() != Some(&k) {
                keys.push(k);
                first.push(items.len() as u32);
            }
            items.push(item);
        }
        first.push(items.len() as u32);
        SnapIndex { keys, first, items }
    }

    fn cell_items(&self, cx: i32, cy: i32) -> &[[u32; 2]] {
        match self.keys.binary_search(&key(cx, cy)) {
            Ok(i) => &self.items[self.first[i] as usize..self.first[i + 1] as usize],
            Err(_) => &[],
        }
    }

    /// Nearest indexed road to `(lat, lon)` within `radius_m`.
    pub fn nearest(&self, net: &RoadNetwork, lat: f64, lon: f64, radius_m: f64) -> Option<Snapped> {
        let coslat = lat.to_radians().cos().max(0.01);
        let proj = |p: [f64; 2]| ((p[1] - lon) * coslat * M_PER_DEG, (p[0] - lat) * M_PER_DEG);
        let (cx, cy) = (cell(lon), cell(lat));
        let cell_m = CELL_DEG * M_PER_DEG * coslat;
        let max_ring = (radius_m / cell_m).ceil() as i32 + 1;
        let mut best: Option<(f64, u32, u32, f64)> = None;
        for r in 0..=max_ring {
            if let Some((d, ..)) = best {
                if f64::from(r - 1) * cell_m > d {
                    break;
                }
            }
            for dx in -r..=r {
                for dy in -r..=r {
                    if dx.abs() != r && dy.abs() != r {
                        continue;
                    }
                    for &[e, k] in self.cell_items(cx + dx, cy + dy) {
                        let a = proj(net.coords[net.shape[k as usize] as usize]);
                        let b = proj(net.coords[net.shape[k as usize + 1] as usize]);
                        let (vx, vy) = (b.0 - a.0, b.1 - a.1);
                        let l2 = vx * vx + vy * vy;
                        let t = if l2 > 0.0 {
                            (-(a.0 * vx + a.1 * vy) / l2).clamp(0.0, 1.0)
                        } else {
                            0.0
                        };
                        let (px, py) = (a.0 + t * vx, a.1 + t * vy);
                        let d = (px * px + py * py).sqrt();
                        if best
                            .is_none_or(|(bd, be, bk, _)| d < bd || (d == bd && (e, k) < (be, bk)))
                        {
                            best = Some((d, e, k, t));
                        }
                    }
                }
            }
        }
        let (d, e, k, t) = best?;
        if d > radius_m {
            return None;
        }
        let edge = &net.edges[e as usize];
        let mut offset = 0.0;
        for j in edge.shape_start..k {
            offset += dist(
                net.coords[net.shape[j as usize] as usize],
                net.coords[net.shape[j as usize + 1] as usize],
            );
        }
        let a = net.coords[net.shape[k as usize] as usize];
        let b = net.coords[net.shape[k as usize + 1] as usize];
        offset += dist(a, b) * t;
        let location = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
        Some(Snapped {
            edge: e,
            offset_m: offset.min(edge.length_m),
            location,
            distance_m: d,
        })
    }
}

impl SnapIndex {
    /// Up to `k` indexed roads within `radius_m` of `(lat, lon)`, nearest first: the nearest
    /// point of each edge (one candidate per edge), ties broken by edge index.
    ///
    /// Cost: scans the grid cells the radius covers, so callers must bound `radius_m` (map
    /// matching caps it at a few hundred metres).
    pub fn within(
        &self,
        net: &RoadNetwork,
        lat: f64,
        lon: f64,
        radius_m: f64,
        k: usize,
    ) -> Vec<Snapped> {
        let coslat = lat.to_radians().cos().max(0.01);
        let proj = |p: [f64; 2]| ((p[1] - lon) * coslat * M_PER_DEG, (p[0] - lat) * M_PER_DEG);
        let (cx, cy) = (cell(lon), cell(lat));
        let ring_x = (radius_m / (CELL_DEG * M_PER_DEG * coslat)).ceil() as i32 + 1;
        let ring_y = (radius_m / (CELL_DEG * M_PER_DEG)).ceil() as i32 + 1;
        // Best (distance, segment, t) per edge.
        let mut best: std::collections::HashMap<u32, (f64, u32, f64)> = Default::default();
        for dx in -ring_x..=ring_x {
            for dy in -ring_y..=ring_y {
                for &[e, k] in self.cell_items(cx + dx, cy + dy) {
                    let a = proj(net.coords[net.shape[k as usize] as usize]);
                    let b = proj(net.coords[net.shape[k as usize + 1] as usize]);
                    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
                    let l2 = vx * vx + vy * vy;
                    let t = if l2 > 0.0 {
                        (-(a.0 * vx + a.1 * vy) / l2).clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    let (px, py) = (a.0 + t * vx, a.1 + t * vy);
                    let d = (px * px + py * py).sqrt();
                    if d > radius_m {
                        continue;
                    }
                    let slot = best.entry(e).or_insert((d, k, t));
                    if d < slot.0 || (d == slot.0 && k < slot.1) {
                        *slot = (d, k, t);
                    }
                }
            }
        }
        let mut found: Vec<(f64, u32, u32, f64)> = best
            .into_iter()
            .map(|(e, (d, k, t))| (d, e, k, t))
            .collect();
        found.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        found.truncate(k);
        found
            .into_iter()
            .map(|(d, e, k, t)| snapped_at(net, e, k, t, d))
            .collect()
    }
}

/// The point at fraction `t` of segment `k` (shape position) of edge `e`, `d` metres away.
fn snapped_at(net: &RoadNetwork, e: u32, k: u32, t: f64, d: f64) -> Snapped {
    let edge = &net.edges[e as usize];
    let mut offset = 0.0;
    for j in edge.shape_start..k {
        offset += dist(
            net.coords[net.shape[j as usize] as usize],
            net.coords[net.shape[j as usize + 1] as usize],
        );
    }
    let a = net.coords[net.shape[k as usize] as usize];
    let b = net.coords[net.shape[k as usize + 1] as usize];
    offset += dist(a, b) * t;
    Snapped {
        edge: e,
        offset_m: offset.min(edge.length_m),
        location: [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t],
        distance_m: d,
    }
}
