//! Encoded polylines (Google's algorithm, as OSRM's `polyline` and `polyline6` geometries).

/// Encodes `[lon, lat]` points with `precision` decimal digits (5 or 6).
pub fn encode(points: &[[f64; 2]], precision: u32) -> String {
    let factor = 10f64.powi(precision as i32);
    let mut out = String::new();
    let (mut plat, mut plon) = (0i64, 0i64);
    for p in points {
        let lat = (p[1] * factor).round() as i64;
        let lon = (p[0] * factor).round() as i64;
        push(&mut out, lat - plat);
        push(&mut out, lon - plon);
        plat = lat;
        plon = lon;
    }
    out
}

fn push(out: &mut String, v: i64) {
    let mut v = if v < 0 { !(v << 1) } else { v << 1 } as u64;
    while v >= 0x20 {
        out.push(char::from((((v & 0x1f) | 0x20) + 63) as u8));
        v >>= 5;
    }
    out.push(char::from((v + 63) as u8));
}

/// Decodes a polyline into `[lon, lat]` points; `None` on malformed input.
pub fn decode(s: &str, precision: u32) -> Option<Vec<[f64; 2]>> {
    let factor = 10f64.powi(precision as i32);
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut next = || -> Option<i64> {
        let (mut result, mut shift) = (0u64, 0);
        loop {
            let b = u64::from(*bytes.get(i)?).checked_sub(63)?;
            i += 1;
            result |= (b & 0x1f) << shift;
            shift += 5;
            if b < 0x20 {
                break;
            }
            if shift > 60 {
                return None;
            }
        }
        let v = (result >> 1) as i64;
        Some(if result & 1 == 1 { !v } else { v })
    };
    let mut out = Vec::new();
    let (mut lat, mut lon) = (0i64, 0i64);
    while let Some(dlat) = next() {
        lat += dlat;
        lon += next()?;
        out.push([lon as f64 / factor, lat as f64 / factor]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn google_reference_example() {
        // The example from Google's polyline documentation.
        let pts = [[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]];
        assert_eq!(encode(&pts, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
        let back = decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5).unwrap();
        for (a, b) in back.iter().zip(&pts) {
            assert!((a[0] - b[0]).abs() < 1e-9 && (a[1] - b[1]).abs() < 1e-9);
        }
    }
}

/// Douglas–Peucker simplification of `[lon, lat]` points: drops points closer than
/// `tolerance_m` to the simplified line. First and last points are always kept.
pub fn simplify(points: &[[f64; 2]], tolerance_m: f64) -> Vec<[f64; 2]> {
    if points.len() <= 2 {
        return points.to_vec();
    }
    let lat0 = points[0][1].to_radians().cos();
    const M: f64 = 111_195.0;
    let xy: Vec<(f64, f64)> = points.iter().map(|p| (p[0] * lat0 * M, p[1] * M)).collect();
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0usize, points.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (ax, ay) = xy[a];
        let (bx, by) = xy[b];
        let (dx, dy) = (bx - ax, by - ay);
        let l2 = dx * dx + dy * dy;
        let mut worst = (0.0, a);
        for (i, &(px, py)) in xy.iter().enumerate().take(b).skip(a + 1) {
            let t = if l2 > 0.0 {
                (((px - ax) * dx + (py - ay) * dy) / l2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let (qx, qy) = (ax + t * dx - px, ay + t * dy - py);
            let d = (qx * qx + qy * qy).sqrt();
            if d > worst.0 {
                worst = (d, i);
            }
        }
        if worst.0 > tolerance_m {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

#[cfg(test)]
mod simplify_tests {
    use super::simplify;

    #[test]
    fn keeps_corners_drops_collinear_points() {
        let line: Vec<[f64; 2]> = (0..=10)
            .map(|i| [7.0 + f64::from(i) * 0.001, 43.0])
            .chain((1..=10).map(|i| [7.01, 43.0 + f64::from(i) * 0.001]))
            .collect();
        let s = simplify(&line, 1.0);
        assert_eq!(s, vec![[7.0, 43.0], [7.01, 43.0], [7.01, 43.01]]);
        // A point about 5.5 m off a straight line survives 1 m but not 10 m.
        let bent = [[7.0, 43.0], [7.001, 43.00005], [7.002, 43.0]];
        assert_eq!(simplify(&bent, 1.0).len(), 3);
        assert_eq!(simplify(&bent, 10.0).len(), 2);
    }
}
