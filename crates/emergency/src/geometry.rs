//! Plane geometry at a city's scale (degrees as planar coordinates): whether a straight leg enters
//! a closed area. Used when legs are straight lines (no road network), and by the drill.

/// Whether the straight segment `a`–`b` (`[lon, lat]`) enters the polygon `ring` (`[lon, lat]`
/// points, closed or not): an end inside it, or a crossing of one of its edges. A segment that
/// only touches a vertex or runs along an edge does not count as entering.
///
/// ```
/// use wuliu_emergency::geometry::segment_enters;
/// let square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
/// assert!(segment_enters(&square, [-1.0, 0.5], [2.0, 0.5]));  // crosses it
/// assert!(segment_enters(&square, [0.5, 0.5], [3.0, 3.0]));   // starts inside
/// assert!(!segment_enters(&square, [-1.0, 2.0], [2.0, 2.0])); // passes above
/// ```
pub fn segment_enters(ring: &[[f64; 2]], a: [f64; 2], b: [f64; 2]) -> bool {
    if inside(ring, a) || inside(ring, b) {
        return true;
    }
    let n = ring.len();
    (0..n).any(|i| crosses(a, b, ring[i], ring[(i + 1) % n]))
}

/// Great-circle distance between two `[lon, lat]` points, metres.
pub fn haversine_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    const R: f64 = 6_371_008.8;
    let (la1, la2) = (a[1].to_radians(), b[1].to_radians());
    let dla = la2 - la1;
    let dlo = (b[0] - a[0]).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().asin()
}

/// Whether `p` is inside `ring` (even–odd rule).
pub fn inside(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut odd = false;
    let n = ring.len();
    for i in 0..n {
        let (u, v) = (ring[i], ring[(i + 1) % n]);
        if (u[1] > p[1]) != (v[1] > p[1]) {
            let x = u[0] + (p[1] - u[1]) / (v[1] - u[1]) * (v[0] - u[0]);
            if p[0] < x {
                odd = !odd;
            }
        }
    }
    odd
}

/// Whether segments `p`–`q` and `u`–`v` cross at a point inside both.
fn crosses(p: [f64; 2], q: [f64; 2], u: [f64; 2], v: [f64; 2]) -> bool {
    let side = |a: [f64; 2], b: [f64; 2], c: [f64; 2]| {
        ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])).signum()
    };
    side(p, q, u) * side(p, q, v) < 0.0 && side(u, v, p) * side(u, v, q) < 0.0
}

/// Cuts every leg of `problem`'s travel table whose straight line enters `ring` (sets it to
/// `None`): stockpile–request legs and request–request legs. Returns how many legs it cut. For
/// travel tables from straight lines; a road network applies closures itself.
pub fn close_area(problem: &mut crate::Problem, ring: &[[f64; 2]]) -> usize {
    let piles: Vec<[f64; 2]> = problem.stockpiles.iter().map(|s| [s.lon, s.lat]).collect();
    let reqs: Vec<[f64; 2]> = problem.requests.iter().map(|r| [r.lon, r.lat]).collect();
    let mut cut = 0;
    let t = &mut problem.travel;
    for (s, row) in t.from_stockpile.iter_mut().enumerate() {
        for (r, leg) in row.iter_mut().enumerate() {
            if leg.is_some() && segment_enters(ring, piles[s], reqs[r]) {
                *leg = None;
                cut += 1;
            }
        }
    }
    for (a, row) in t.between_requests.iter_mut().enumerate() {
        for (b, leg) in row.iter_mut().enumerate() {
            if leg.is_some() && segment_enters(ring, reqs[a], reqs[b]) {
                *leg = None;
                cut += 1;
            }
        }
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: [[f64; 2]; 4] = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];

    #[test]
    fn a_leg_through_a_corner_region_enters_and_one_beside_does_not() {
        // x + y = 0.3 cuts the corner at the origin.
        assert!(segment_enters(&SQUARE, [-0.5, 0.8], [0.8, -0.5]));
        // x + y = -0.1 passes outside the corner at the origin.
        assert!(!segment_enters(&SQUARE, [-0.5, 0.4], [0.4, -0.5]));
        assert!(!segment_enters(&SQUARE, [1.5, 0.0], [1.5, 1.0]));
    }

    #[test]
    fn a_concave_ring_is_judged_by_its_shape_not_its_hull() {
        // A U shape: the notch (0.4..0.6 × 0.3..1) is outside.
        let u = [
            [0.0, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.6, 1.0],
            [0.6, 0.3],
            [0.4, 0.3],
            [0.4, 1.0],
            [0.0, 1.0],
        ];
        assert!(!inside(&u, [0.5, 0.6]));
        assert!(inside(&u, [0.2, 0.6]));
        assert!(!segment_enters(&u, [0.5, 0.5], [0.5, 2.0]));
        assert!(segment_enters(&u, [0.5, 0.5], [0.5, -1.0]));
    }
}
