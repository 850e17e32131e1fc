//! The province's local metric frame, its outline, and the curves open-country roads follow.

use std::f64::consts::{PI, TAU};

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::geo::P;

/// Origin of the local frame (latitude, longitude): the middle of a Guangxi-like province.
pub(crate) const CENTRE: (f64, f64) = (24.05, 108.3);
/// Metres per degree of latitude.
const M_PER_DEG_LAT: f64 = 111_195.0;

fn m_per_deg_lon() -> f64 {
    M_PER_DEG_LAT * CENTRE.0.to_radians().cos()
}

/// `(lat, lon)` of a local point in units of 1e-7 degree (the PBF's granularity).
pub(crate) fn to_e7(p: P) -> (i32, i32) {
    let lat = CENTRE.0 + p.y / M_PER_DEG_LAT;
    let lon = CENTRE.1 + p.x / m_per_deg_lon();
    ((lat * 1e7).round() as i32, (lon * 1e7).round() as i32)
}

/// The province: an irregular blob, `ax` × `ay` metres half-axes modulated by a few harmonics.
/// Its bounding box stays within 22.2–25.9° N, 104.6–112.0° E.
pub(crate) struct Outline {
    ax: f64,
    ay: f64,
    harmonics: [(f64, f64, f64); 3],
}

impl Outline {
    pub fn new(rng: &mut ChaCha8Rng) -> Outline {
        let mut h = |k: f64, amp: f64| (k, amp, rng.gen_range(0.0..TAU));
        Outline {
            ax: 300_000.0,
            ay: 165_000.0,
            harmonics: [h(2.0, 0.12), h(3.0, 0.08), h(5.0, 0.04)],
        }
    }

    /// Relative radius (≤ 1.24) of the outline in direction `theta`.
    fn radius(&self, theta: f64) -> f64 {
        1.0 + self
            .harmonics
            .iter()
            .map(|&(k, amp, ph)| amp * (k * theta + ph).sin())
            .sum::<f64>()
    }

    /// Whether `p` is inside the outline shrunk to `fraction` of it.
    pub fn contains(&self, p: P, fraction: f64) -> bool {
        let (u, v) = (p.x / self.ax, p.y / self.ay);
        (u * u + v * v).sqrt() <= fraction * self.radius(v.atan2(u))
    }

    /// A uniformly random point inside the outline shrunk to `fraction`.
    pub fn random_point(&self, rng: &mut ChaCha8Rng, fraction: f64) -> P {
        loop {
            let p = P::new(
                rng.gen_range(-1.25..1.25) * self.ax,
                rng.gen_range(-1.25..1.25) * self.ay,
            );
            if self.contains(p, fraction) {
                return p;
            }
        }
    }

    /// Area of the outline, m² (numerically).
    pub fn area(&self) -> f64 {
        let n = 720;
        (0..n)
            .map(|k| {
                let r = self.radius(TAU * k as f64 / n as f64);
                0.5 * r * r * TAU / n as f64
            })
            .sum::<f64>()
            * self.ax
            * self.ay
    }
}

/// What an open-country road is, for its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoadKind {
    Expressway,
    National,
    Provincial,
    County,
    Rural,
    Connector,
}

impl RoadKind {
    /// Relative density of shape nodes (curvier roads get more per kilometre).
    pub fn shape_weight(self) -> f64 {
        match self {
            RoadKind::Expressway => 0.35,
            RoadKind::National => 0.6,
            RoadKind::Provincial => 0.8,
            RoadKind::County => 0.9,
            RoadKind::Rural => 1.2,
            RoadKind::Connector => 0.5,
        }
    }
}

/// A gently meandering line from `a` to `b` with a small wiggle (bends of a mountain road), offset
/// sideways by `lateral` metres (a motorway carriageway). Passes exactly through `a` and `b` when
/// `lateral` is 0.
#[derive(Debug, Clone)]
pub(crate) struct Curve {
    a: P,
    b: P,
    len: f64,
    /// Unit normal, to the left of `a → b`.
    n: P,
    /// Large bends: `(amplitude m, cycles over the length, phase)`, under a `sin(πt)` envelope.
    bends: [(f64, f64, f64); 2],
    /// Small bends: `(amplitude m, cycles, phase)`, faded in over the first and last 300 m.
    wiggle: (f64, f64, f64),
    lateral: f64,
    pub kind: RoadKind,
}

impl Curve {
    pub fn new(a: P, b: P, kind: RoadKind, rng: &mut ChaCha8Rng) -> Curve {
        let len = a.dist(b).max(1.0);
        let n = P::new((a.y - b.y) / len, (b.x - a.x) / len);
        let mut bend = |rel: (f64, f64), cycles: (f64, f64)| {
            (
                (len * rng.gen_range(rel.0..rel.1)).min(3_000.0),
                rng.gen_range(cycles.0..cycles.1),
                rng.gen_range(0.0..TAU),
            )
        };
        let (b1, b2) = match kind {
            RoadKind::Expressway => (
                bend((0.015, 0.035), (0.5, 1.5)),
                bend((0.004, 0.008), (2.0, 4.0)),
            ),
            RoadKind::National => (
                bend((0.02, 0.05), (0.5, 2.0)),
                bend((0.006, 0.012), (3.0, 6.0)),
            ),
            RoadKind::Provincial | RoadKind::County => (
                bend((0.03, 0.06), (0.5, 2.0)),
                bend((0.01, 0.02), (3.0, 8.0)),
            ),
            RoadKind::Rural => (
                bend((0.04, 0.10), (0.5, 2.0)),
                bend((0.01, 0.03), (3.0, 8.0)),
            ),
            RoadKind::Connector => (bend((0.0, 0.02), (0.5, 1.0)), (0.0, 0.0, 0.0)),
        };
        let (amp, wavelength) = match kind {
            RoadKind::Expressway | RoadKind::Connector => ((0.0, 1.0), (1_000.0, 2_000.0)),
            RoadKind::National => ((8.0, 25.0), (600.0, 1_500.0)),
            RoadKind::Provincial | RoadKind::County => ((15.0, 40.0), (400.0, 1_000.0)),
            RoadKind::Rural => ((20.0, 60.0), (350.0, 800.0)),
        };
        let wiggle = (
            rng.gen_range(amp.0..amp.1),
            len / rng.gen_range(wavelength.0..wavelength.1),
            rng.gen_range(0.0..TAU),
        );
        Curve {
            a,
            b,
            len,
            n,
            bends: [b1, b2],
            wiggle,
            lateral: 0.0,
            kind,
        }
    }

    /// The same curve shifted `lateral` metres to the left (negative: right).
    pub fn shifted(&self, lateral: f64) -> Curve {
        Curve {
            lateral,
            ..self.clone()
        }
    }

    pub fn len(&self) -> f64 {
        self.len
    }

    /// Unit normal to the left of the chord.
    pub fn normal(&self) -> P {
        self.n
    }

    /// The point at parameter `t` ∈ [0, 1].
    pub fn at(&self, t: f64) -> P {
        let q = self.a.lerp(self.b, t);
        let envelope = (PI * t).sin();
        let mut off = self.lateral;
        for &(amp, cycles, phase) in &self.bends {
            off += envelope * amp * (TAU * cycles * t + phase).sin();
        }
        let fade = (t * self.len / 300.0)
            .min((1.0 - t) * self.len / 300.0)
            .clamp(0.0, 1.0);
        let (amp, cycles, phase) = self.wiggle;
        off += fade * amp * (TAU * cycles * t + phase).sin();
        P::new(q.x + self.n.x * off, q.y + self.n.y * off)
    }

    /// Parameter of the point of the chord nearest to `p` (clamped to [0, 1]) and the distance
    /// of `p` from the chord.
    pub fn project(&self, p: P) -> (f64, f64) {
        let (dx, dy) = (self.b.x - self.a.x, self.b.y - self.a.y);
        let t = (((p.x - self.a.x) * dx + (p.y - self.a.y) * dy) / (self.len * self.len))
            .clamp(0.0, 1.0);
        (t, p.dist(self.a.lerp(self.b, t)))
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn curves_end_where_they_should() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (a, b) = (P::new(0.0, 0.0), P::new(12_000.0, 5_000.0));
        for kind in [RoadKind::Rural, RoadKind::Expressway, RoadKind::National] {
            let c = Curve::new(a, b, kind, &mut rng);
            assert!(c.at(0.0).dist(a) < 1e-6);
            assert!(c.at(1.0).dist(b) < 1e-6);
            // It meanders, but stays near the chord.
            for k in 0..=100 {
                assert!(c.project(c.at(k as f64 / 100.0)).1 < 1_500.0);
            }
            let s = c.shifted(-15.0);
            assert!((s.at(0.0).dist(a) - 15.0).abs() < 1e-6);
        }
    }

    #[test]
    fn the_province_lies_in_guangxi_like_bounds() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let o = Outline::new(&mut rng);
        for _ in 0..1000 {
            let (lat, lon) = to_e7(o.random_point(&mut rng, 1.0));
            assert!((22.0e7 as i32..26.0e7 as i32).contains(&lat));
            assert!((104.0e7 as i32..112.0e7 as i32).contains(&lon));
        }
        let km2 = o.area() / 1e6;
        assert!((120_000.0..200_000.0).contains(&km2), "{km2}");
    }
}
