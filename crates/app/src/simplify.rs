//! Track simplification (Douglas–Peucker) in metres. Written here rather than taken from the `geo`
//! crate: it is one short function over our own `Position`s, and `geo` would bring a dozen crates
//! for it.

use wuliu_model::Position;

/// Indices of the fixes to keep so that no dropped fix lies farther than `tolerance_m` metres from
/// the simplified line; the first and last are always kept. Iterative, so long tracks cannot
/// overflow the stack.
pub fn douglas_peucker(fixes: &[Position], tolerance_m: f64) -> Vec<usize> {
    if fixes.len() <= 2 {
        return (0..fixes.len()).collect();
    }
    let xy = project(fixes);
    let mut keep = vec![false; fixes.len()];
    keep[0] = true;
    keep[fixes.len() - 1] = true;
    let mut stack = vec![(0, fixes.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (mut far, mut far_d) = (a, 0.0);
        for i in a + 1..b {
            let d = segment_distance(xy[i], xy[a], xy[b]);
            if d > far_d {
                (far, far_d) = (i, d);
            }
        }
        if far_d > tolerance_m {
            keep[far] = true;
            stack.push((a, far));
            stack.push((far, b));
        }
    }
    (0..fixes.len()).filter(|&i| keep[i]).collect()
}

/// Local equirectangular metres around the first fix (accurate to well under 1 % over a city or
/// a province).
fn project(fixes: &[Position]) -> Vec<(f64, f64)> {
    let lat0 = fixes[0].point.lat.to_radians();
    let m = wuliu_model::geo::EARTH_RADIUS_M;
    fixes
        .iter()
        .map(|p| {
            (
                p.point.lon.to_radians() * lat0.cos() * m,
                p.point.lat.to_radians() * m,
            )
        })
        .collect()
}

fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use wuliu_model::{GeoPoint, PositionSource, VehicleId};

    fn at(lat: f64, lon: f64) -> Position {
        Position {
            vehicle_id: VehicleId::new("veh_1"),
            time: Utc.timestamp_opt(0, 0).unwrap(),
            point: GeoPoint { lat, lon },
            speed_kmh: 0.0,
            heading: 0,
            altitude_m: 0,
            alarm: 0,
            status: 0,
            mileage_km: None,
            fuel_l: None,
            source: PositionSource::Upload,
        }
    }

    #[test]
    fn a_straight_line_keeps_its_ends_and_a_corner_survives() {
        let line: Vec<_> = (0..50)
            .map(|i| at(24.3, 109.4 + f64::from(i) * 1e-3))
            .collect();
        assert_eq!(douglas_peucker(&line, 5.0), vec![0, 49]);
        let mut corner = line.clone();
        corner.extend((1..50).map(|i| at(24.3 + f64::from(i) * 1e-3, 109.449)));
        assert_eq!(douglas_peucker(&corner, 5.0), vec![0, 49, 98]);
    }

    #[test]
    fn every_dropped_fix_is_within_the_tolerance() {
        let zigzag: Vec<_> = (0..200)
            .map(|i| {
                at(
                    24.3 + if i % 2 == 0 { 0.0 } else { 2e-5 },
                    109.4 + f64::from(i) * 1e-4,
                )
            })
            .collect();
        let kept = douglas_peucker(&zigzag, 5.0);
        assert!(
            kept.len() < 10,
            "a 2 m zigzag collapses at 5 m: kept {}",
            kept.len()
        );
        assert_eq!(
            douglas_peucker(&zigzag, 1.0).len(),
            200,
            "nothing is dropped at 1 m"
        );
    }
}
