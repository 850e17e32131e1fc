//! Plane geometry in a local metric frame around Liuzhou's centre, and the river.

/// Origin of the local frame (latitude, longitude), near 城中区.
pub(crate) const ORIGIN: (f64, f64) = (24.33, 109.41);
/// Metres per degree of latitude.
const M_PER_DEG_LAT: f64 = 111_195.0;

/// Metres per degree of longitude at the origin's latitude.
fn m_per_deg_lon() -> f64 {
    M_PER_DEG_LAT * ORIGIN.0.to_radians().cos()
}

/// A point in the local frame: metres east (`x`) and north (`y`) of [`ORIGIN`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct P {
    pub x: f64,
    pub y: f64,
}

impl P {
    pub fn new(x: f64, y: f64) -> P {
        P { x, y }
    }
    /// The local point of a WGS-84 coordinate.
    pub fn from_deg(lat: f64, lon: f64) -> P {
        P {
            x: (lon - ORIGIN.1) * m_per_deg_lon(),
            y: (lat - ORIGIN.0) * M_PER_DEG_LAT,
        }
    }
    /// `(lat, lon)` rounded to the PBF's 1e-7 degree granularity.
    pub fn to_deg(self) -> (f64, f64) {
        let r = |v: f64| (v * 1e7).round() / 1e7;
        (
            r(ORIGIN.0 + self.y / M_PER_DEG_LAT),
            r(ORIGIN.1 + self.x / m_per_deg_lon()),
        )
    }
    pub fn dist(self, o: P) -> f64 {
        (self.x - o.x).hypot(self.y - o.y)
    }
    pub fn lerp(self, o: P, t: f64) -> P {
        P::new(self.x + (o.x - self.x) * t, self.y + (o.y - self.y) * t)
    }
}

fn cross(o: P, a: P, b: P) -> f64 {
    (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x)
}

/// The parameter `t` along `a→b` where it properly crosses `c→d`, if it does.
pub(crate) fn crossing(a: P, b: P, c: P, d: P) -> Option<f64> {
    let d1 = cross(c, d, a);
    let d2 = cross(c, d, b);
    let d3 = cross(a, b, c);
    let d4 = cross(a, b, d);
    if (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0) {
        Some(d1 / (d1 - d2))
    } else {
        None
    }
}

/// Distance from `p` to the segment `a→b`.
pub(crate) fn seg_dist(p: P, a: P, b: P) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    p.dist(a.lerp(b, t))
}

/// A polyline (the river, the ring's centre line).
#[derive(Debug, Clone)]
pub(crate) struct Line(pub Vec<P>);

impl Line {
    /// Whether the segment `a→b` crosses the line.
    pub fn crosses(&self, a: P, b: P) -> bool {
        self.0
            .windows(2)
            .any(|w| crossing(a, b, w[0], w[1]).is_some())
    }
    /// The first crossing of `a→b` with the line, as a parameter along `a→b`.
    pub fn first_crossing(&self, a: P, b: P) -> Option<f64> {
        self.0
            .windows(2)
            .filter_map(|w| crossing(a, b, w[0], w[1]))
            .min_by(f64::total_cmp)
    }
    /// Distance from `p` to the line.
    pub fn dist(&self, p: P) -> f64 {
        self.0
            .windows(2)
            .map(|w| seg_dist(p, w[0], w[1]))
            .fold(f64::INFINITY, f64::min)
    }
}

/// The 柳江 (Liu river) through the city, upstream (north-west, from 柳城) to downstream (south-east).
///
/// Shaped after the real river's bends (a loop around the 城中 peninsula, then a second bend east of it),
/// but drawn by hand: it is not a survey of the river.
pub(crate) fn river() -> Line {
    const PTS: &[(f64, f64)] = &[
        (24.640, 109.250),
        (24.560, 109.285),
        (24.500, 109.318),
        (24.440, 109.352),
        (24.385, 109.372),
        (24.350, 109.388),
        (24.322, 109.396),
        (24.303, 109.400),
        (24.295, 109.414),
        (24.300, 109.430),
        (24.318, 109.433),
        (24.334, 109.429),
        (24.346, 109.438),
        (24.342, 109.456),
        (24.318, 109.463),
        (24.290, 109.460),
        (24.262, 109.470),
        (24.225, 109.497),
        (24.180, 109.530),
    ];
    Line(PTS.iter().map(|&(la, lo)| P::from_deg(la, lo)).collect())
}
