//! A uniform grid over points in a local flat projection, for nearest-first searches and radius
//! lookups.

use std::collections::HashMap;

use wuliu_model::geo::EARTH_RADIUS_M;
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
    /// Largest |latitude| among the points, degrees (bounds the longitude span of a radius).
    max_abs_lat: f64,
    /// Whether every point has valid coordinates (then cells follow great-circle nearness).
    all_valid: bool,
}

impl Grid {
    /// Indexes `points` (the index in the slice is what queries return).
    pub fn new(points: &[GeoPoint], cell_km: f64) -> Self {
        let mut g = Self::empty_for(points, cell_km);
        for p in points {
            g.insert(p);
        }
        g
    }

    /// An empty grid whose flat projection suits `points` (it is taken at their mean latitude);
    /// fill it with [`Grid::insert`]. The points themselves are not indexed.
    pub fn empty_for(points: &[GeoPoint], cell_km: f64) -> Self {
        let mean_lat = if points.is_empty() {
            0.0
        } else {
            points.iter().map(|p| p.lat).sum::<f64>() / points.len() as f64
        };
        Self {
            cell_km: cell_km.max(0.1),
            kx: KM_PER_DEG_LON_EQ * mean_lat.to_radians().cos().max(0.05),
            len: 0,
            cells: HashMap::new(),
            max_abs_lat: 0.0,
            all_valid: true,
        }
    }

    /// Indexes one more point and returns its index: the number of points indexed before it.
    pub fn insert(&mut self, p: &GeoPoint) -> usize {
        let i = self.len;
        let c = self.cell(p);
        self.cells.entry(c).or_default().push(i);
        self.len += 1;
        self.max_abs_lat = self.max_abs_lat.max(p.lat.abs());
        self.all_valid &= p.is_valid();
        i
    }

    /// Calls `f` with the point indices of cells that together hold every point whose
    /// great-circle distance ([`GeoPoint::haversine`]) from `p` is at most `km`; they may hold
    /// farther points too, so the caller checks the distance itself. Each cell is passed once,
    /// in no particular order. Where the flat cells cannot bound a great-circle radius (near a
    /// pole, across the antimeridian, or with coordinates out of range) every cell is passed.
    pub fn within(&self, p: &GeoPoint, km: f64, mut f: impl FnMut(&[usize])) {
        match self.reach_km(p, km) {
            Some(reach) => self.rings(p, reach, |ev| match ev {
                Ring::Cell(ids) => {
                    f(ids);
                    false
                }
                Ring::Done(min_km) => min_km > reach,
            }),
            None => self.cells.values().for_each(|ids| f(ids)),
        }
    }

    /// How far, in flat km along either axis, a point within great-circle `km` of `p` can lie;
    /// `None` when the flat projection cannot bound it.
    ///
    /// With `θ` the angular radius, `haversine` gives |Δlat| ≤ θ and
    /// sin(|Δlon| / 2) ≤ sin(θ / 2) / cos(φ) for the largest |latitude| φ of the two points.
    fn reach_km(&self, p: &GeoPoint, km: f64) -> Option<f64> {
        // Relative slack for rounding in `haversine` and in the cell arithmetic.
        const SLACK: f64 = 1e-9;
        if !(self.all_valid && p.is_valid() && km.is_finite()) {
            return None;
        }
        let theta = km.max(0.0) * 1000.0 / EARTH_RADIUS_M * (1.0 + SLACK);
        if theta >= std::f64::consts::PI {
            return None;
        }
        let cos_lat = self.max_abs_lat.max(p.lat.abs()).to_radians().cos();
        let s = (theta / 2.0).sin() / cos_lat;
        if s.is_nan() || s >= 1.0 {
            return None;
        }
        let dlon = (2.0 * s.asin()).to_degrees() * (1.0 + SLACK);
        // The grid does not wrap: a radius across ±180° would miss the other side.
        if p.lon - dlon < -180.0 || p.lon + dlon > 180.0 {
            return None;
        }
        let dlat = theta.to_degrees();
        let reach = (dlat * KM_PER_DEG_LAT).max(dlon * self.kx);
        Some(reach * (1.0 + SLACK) + 1e-6)
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
