//! A uniform grid over points in a local flat projection, for nearest-first searches.

use std::collections::HashMap;

use wuliu_model::GeoPoint;

const KM_PER_DEG_LAT: f64 = 110.574;
const KM_PER_DEG_LON_EQ: f64 = 111.320;

/// What [`Grid::rings`] reports.
#[derive(Debug, Clone, Copy)]
pub enum Ring<'a> {
    /// The point indices of one cell.
    Cell(&'a [usize]),
    /// A ring is complete; nothing unvisited is nearer than this many km.
    Done(f64),
}

/// Points bucketed by grid cell; queries visit cells ring by ring, nearest first.
#[derive(Debug)]
pub struct Grid {
    cell_km: f64,
    kx: f64,
    len: usize,
    cells: HashMap<(i32, i32), Vec<usize>>,
}

impl Grid {
    /// Indexes `points` (the index in the slice is what queries return).
    pub fn new(points: &[GeoPoint], cell_km: f64) -> Self {
        let mean_lat = if points.is_empty() {
            0.0
        } else {
            points.iter().map(|p| p.lat).sum::<f64>() / points.len() as f64
        };
        let mut g = Self {
            cell_km: cell_km.max(0.1),
            kx: KM_PER_DEG_LON_EQ * mean_lat.to_radians().cos().max(0.05),
            len: points.len(),
            cells: HashMap::new(),
        };
        for (i, p) in points.iter().enumerate() {
            let c = g.cell(p);
            g.cells.entry(c).or_default().push(i);
        }
        g
    }

    fn cell(&self, p: &GeoPoint) -> (i32, i32) {
        (
            (p.lon * self.kx / self.cell_km).floor() as i32,
            (p.lat * KM_PER_DEG_LAT / self.cell_km).floor() as i32,
        )
    }

    /// Calls `f` with [`Ring::Cell`] for the points of each cell, ring by ring around `p`, ring 0
    /// first. After each ring it calls `f(Ring::Done(min_km))`, where `min_km` is a lower bound on
    /// the flat distance of any point not visited yet; `true` stops the search. Stops by itself
    /// beyond `max_km` or when every point was visited.
    pub fn rings(&self, p: &GeoPoint, max_km: f64, mut f: impl FnMut(Ring) -> bool) {
        let (cx, cy) = self.cell(p);
        let max_r = (max_km / self.cell_km).ceil() as i32 + 1;
        let mut seen = 0;
        for r in 0..=max_r {
            let mut cell = |x: i32, y: i32| {
                if let Some(v) = self.cells.get(&(cx + x, cy + y)) {
                    seen += v.len();
                    f(Ring::Cell(v));
                }
            };
            if r == 0 {
                cell(0, 0);
            } else {
                for d in -r..=r {
                    cell(d, -r);
                    cell(d, r);
                }
                for d in (1 - r)..r {
                    cell(-r, d);
                    cell(r, d);
                }
            }
            // Any unvisited point is in ring r+1 or beyond: at least r cells away.
            if seen >= self.len || f(Ring::Done(r as f64 * self.cell_km)) {
                break;
            }
        }
    }
}
