//! Distances on raw coordinates, for the inner loops of the track rules.

use wuliu_model::geo::EARTH_RADIUS_M;
use wuliu_model::GeoPoint;

/// Great-circle (haversine) distance in metres between two coordinates in degrees.
pub fn dist_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (la1, la2) = (lat1.to_radians(), lat2.to_radians());
    let dlat = la2 - la1;
    let dlon = (lon2 - lon1).to_radians();
    let a = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Great-circle distance in metres between two points.
pub fn dist(a: GeoPoint, b: GeoPoint) -> f64 {
    dist_m(a.lat, a.lon, b.lat, b.lon)
}

/// Distance in metres from point `p` to the straight segment `a`–`b`, in a local equirectangular
/// projection (accurate to well under 1 % for regional trips).
pub fn dist_to_segment_m(p: GeoPoint, a: GeoPoint, b: GeoPoint) -> f64 {
    let k = (EARTH_RADIUS_M * std::f64::consts::PI) / 180.0;
    let cos = ((a.lat + b.lat) / 2.0).to_radians().cos();
    let xy = |q: GeoPoint| ((q.lon - a.lon) * k * cos, (q.lat - a.lat) * k);
    let (bx, by) = xy(b);
    let (px, py) = xy(p);
    let len2 = bx * bx + by * by;
    let s = if len2 > 0.0 {
        ((px * bx + py * by) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (px - s * bx, py - s * by);
    (dx * dx + dy * dy).sqrt()
}

/// Rounds metres to whole metres for evidence.
pub fn round_m(x: f64) -> f64 {
    x.round()
}

/// Rounds to two decimals for evidence (speeds, ratios, amounts).
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_distance_is_perpendicular_inside_and_to_the_end_outside() {
        let a = GeoPoint {
            lat: 24.0,
            lon: 109.0,
        };
        let b = GeoPoint {
            lat: 24.0,
            lon: 110.0,
        };
        let above = GeoPoint {
            lat: 24.1,
            lon: 109.5,
        };
        assert!((dist_to_segment_m(above, a, b) - 11_119.5).abs() < 50.0);
        let beyond = GeoPoint {
            lat: 24.0,
            lon: 110.1,
        };
        assert!((dist_to_segment_m(beyond, a, b) - dist(beyond, b)).abs() < 50.0);
        assert_eq!(dist_to_segment_m(a, a, a), 0.0);
    }
}
