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
