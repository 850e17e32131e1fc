//! Small spherical-geometry helpers on WGS-84 points.

use wuliu_model::geo::EARTH_RADIUS_M;
use wuliu_model::GeoPoint;

/// Great-circle distance in metres.
pub fn dist_m(a: GeoPoint, b: GeoPoint) -> f64 {
    a.haversine(&b).0
}

/// Initial bearing from `a` to `b`, degrees clockwise from north in `0..360`.
pub fn bearing_deg(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlon = (b.lon - a.lon).to_radians();
    let y = dlon.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dlon.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// The point `distance_m` from `p` along `bearing` (degrees).
pub fn offset(p: GeoPoint, bearing: f64, distance_m: f64) -> GeoPoint {
    let d = distance_m / EARTH_RADIUS_M;
    let (la1, lo1, b) = (p.lat.to_radians(), p.lon.to_radians(), bearing.to_radians());
    let la2 = (la1.sin() * d.cos() + la1.cos() * d.sin() * b.cos()).asin();
    let lo2 = lo1 + (b.sin() * d.sin() * la1.cos()).atan2(d.cos() - la1.sin() * la2.sin());
    GeoPoint {
        lat: la2.to_degrees(),
        lon: (lo2.to_degrees() + 540.0) % 360.0 - 180.0,
    }
}

/// The point a fraction `f` (0–1) of the way from `a` to `b` along the great circle.
pub fn intermediate(a: GeoPoint, b: GeoPoint, f: f64) -> GeoPoint {
    let d = dist_m(a, b) / EARTH_RADIUS_M;
    if d < 1e-12 {
        return a;
    }
    let (la1, lo1) = (a.lat.to_radians(), a.lon.to_radians());
    let (la2, lo2) = (b.lat.to_radians(), b.lon.to_radians());
    let (ka, kb) = (((1.0 - f) * d).sin() / d.sin(), (f * d).sin() / d.sin());
    let x = ka * la1.cos() * lo1.cos() + kb * la2.cos() * lo2.cos();
    let y = ka * la1.cos() * lo1.sin() + kb * la2.cos() * lo2.sin();
    let z = ka * la1.sin() + kb * la2.sin();
    GeoPoint {
        lat: z.atan2((x * x + y * y).sqrt()).to_degrees(),
        lon: y.atan2(x).to_degrees(),
    }
}

/// Length of a polyline in metres.
pub fn path_length_m(path: &[GeoPoint]) -> f64 {
    path.windows(2).map(|w| dist_m(w[0], w[1])).sum()
}

/// A polyline with its cumulative distances, for walking along it.
#[derive(Debug, Clone)]
pub struct Walk {
    points: Vec<GeoPoint>,
    cumulative: Vec<f64>,
}

impl Walk {
    /// Prepares `points` (at least one) for walking.
    pub fn new(points: Vec<GeoPoint>) -> Walk {
        let mut cumulative = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                total += dist_m(points[i - 1], *p);
            }
            cumulative.push(total);
        }
        Walk { points, cumulative }
    }

    /// Total length in metres.
    pub fn length_m(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }

    /// The point `s` metres along the polyline (clamped to its ends) and the heading there.
    pub fn at(&self, s: f64) -> (GeoPoint, f64) {
        let n = self.points.len();
        if n < 2 {
            return (self.points[0], 0.0);
        }
        let s = s.clamp(0.0, self.length_m());
        let i = self.cumulative.partition_point(|&c| c <= s).clamp(1, n - 1);
        let (a, b) = (self.points[i - 1], self.points[i]);
        let seg = self.cumulative[i] - self.cumulative[i - 1];
        let f = if seg > 0.0 {
            (s - self.cumulative[i - 1]) / seg
        } else {
            0.0
        };
        let p = GeoPoint {
            lat: a.lat + (b.lat - a.lat) * f,
            lon: a.lon + (b.lon - a.lon) * f,
        };
        (p, bearing_deg(a, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_walks_agree_with_distances() {
        let a = GeoPoint {
            lat: 24.33,
            lon: 109.42,
        };
        let b = offset(a, 90.0, 10_000.0);
        assert!((dist_m(a, b) - 10_000.0).abs() < 1.0);
        assert!((bearing_deg(a, b) - 90.0).abs() < 0.1);
        let m = intermediate(a, b, 0.5);
        assert!((dist_m(a, m) - 5_000.0).abs() < 1.0);
        let w = Walk::new(vec![a, m, b]);
        assert!((w.length_m() - 10_000.0).abs() < 1.0);
        let (p, h) = w.at(2_500.0);
        assert!((dist_m(a, p) - 2_500.0).abs() < 5.0);
        assert!((h - 90.0).abs() < 0.5);
    }
}
