//! The province's plan: how many cities, county towns and villages, how big, and where.
//!
//! Sizes follow the node budget: cities take a share of the target that shrinks slowly as the
//! target grows (their grids would otherwise become implausibly fine), county towns a tenth, each
//! village a handful of nodes; what is left goes to shape nodes along the open-country roads.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::frame::Outline;
use super::names;
use crate::geo::P;

/// One city or county town: a perturbed grid.
#[derive(Debug, Clone)]
pub(crate) struct GridPlan {
    pub name: String,
    pub centre: P,
    /// Half-extents of the grid's ellipse, metres.
    pub half: (f64, f64),
    /// Distance between parallel streets at the centre, metres.
    pub spacing: f64,
    /// Growth of the spacing per kilometre from the centre (0.06: 6 % wider blocks each km out).
    pub growth: f64,
    pub rotation: f64,
    /// Size rank among the cities (0: the biggest); `usize::MAX` for towns.
    pub rank: usize,
}

impl GridPlan {
    pub fn radius(&self) -> f64 {
        self.half.0.max(self.half.1)
    }
}

/// A village: a short main street with a few lanes.
#[derive(Debug, Clone)]
pub(crate) struct VillagePlan {
    pub name: String,
    pub centre: P,
    /// Number of nodes.
    pub size: usize,
}

pub(crate) struct Plan {
    pub cities: Vec<GridPlan>,
    pub towns: Vec<GridPlan>,
    pub villages: Vec<VillagePlan>,
}

/// Probability that a lattice point off the arterials is missing.
pub(crate) const MISSING: f64 = 0.03;

/// Grid positions along one axis: 0, then outwards in steps growing with the distance.
pub(crate) fn axis(half: f64, spacing: f64, growth: f64) -> Vec<f64> {
    let mut pos = vec![0.0];
    let mut x = 0.0;
    loop {
        x += spacing * (1.0 + growth * x / 1000.0);
        if x > half {
            break;
        }
        pos.push(x);
    }
    let mut all: Vec<f64> = pos.iter().skip(1).rev().map(|v| -v).collect();
    all.extend(pos);
    all
}

/// Lattice points of a grid inside its ellipse.
pub(crate) fn lattice_count(half: (f64, f64), spacing: f64, growth: f64) -> usize {
    let xs = axis(half.0, spacing, growth);
    let ys = axis(half.1, spacing, growth);
    xs.iter()
        .map(|&x| {
            let r = 1.0 - (x / half.0).powi(2);
            if r < 0.0 {
                return 0;
            }
            let lim = half.1 * r.sqrt();
            // `ys` is sorted and symmetric.
            ys.partition_point(|&y| y <= lim) - ys.partition_point(|&y| y < -lim)
        })
        .sum()
}

/// Half-extents and spacing giving about `budget` lattice points: the spacing is searched for the
/// preferred half-extents; when it would leave `[min, max]` the extents change instead.
fn fit(budget: f64, half: (f64, f64), growth: f64, min: f64, max: f64) -> ((f64, f64), f64) {
    let count = |h: (f64, f64), s: f64| lattice_count(h, s, growth) as f64 * (1.0 - MISSING / 2.0);
    let scale = |h: (f64, f64), f: f64| (h.0 * f, h.1 * f);
    if count(half, min) < budget {
        // Too few even at the finest spacing: grow the city.
        let (mut lo, mut hi) = (1.0, 16.0);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if count(scale(half, mid), min) < budget {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (scale(half, hi), min);
    }
    if count(half, max) > budget {
        let (mut lo, mut hi) = (0.02, 1.0);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if count(scale(half, mid), max) > budget {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return (scale(half, lo), max);
    }
    let (mut lo, mut hi) = (min, max);
    for _ in 0..40 {
        let mid = (lo + hi) / 2.0;
        if count(half, mid) > budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (half, hi)
}

/// Shares of the target: cities' grids (falling slowly with the target), towns' grids.
pub(crate) fn city_share(target: f64) -> f64 {
    0.25 * (target / 1e5).powf(-0.25)
}
pub(crate) const TOWN_SHARE: f64 = 0.10;
/// Target nodes per village (villages average ~8.5 nodes of their own).
pub(crate) const NODES_PER_VILLAGE: f64 = 150.0;

pub(crate) fn town_count(target: f64) -> usize {
    (25.0 + target / 30_000.0).round().clamp(25.0, 110.0) as usize
}

/// A sub-generator for one part of the province (its own ChaCha stream, so parts do not shift each
/// other's random numbers).
pub(crate) fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Places `n` points with rejection sampling: `accept` sees the candidate and what was placed;
/// after many failures the minimum distance relaxes (returned factor ≤ 1).
fn place<T>(
    rng: &mut ChaCha8Rng,
    n: usize,
    mut candidate: impl FnMut(&mut ChaCha8Rng) -> P,
    mut accept: impl FnMut(P, &[T], f64) -> bool,
    mut make: impl FnMut(P, &mut ChaCha8Rng) -> T,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(n);
    let mut relax = 1.0;
    let mut fails = 0;
    while out.len() < n {
        let p = candidate(rng);
        if accept(p, &out, relax) {
            let t = make(p, rng);
            out.push(t);
            fails = 0;
        } else {
            fails += 1;
            if fails > 2_000 {
                relax *= 0.9;
                fails = 0;
            }
        }
    }
    out
}

pub(crate) fn plan(seed: u64, target: u64, n_cities: usize) -> Plan {
    let t = target as f64;
    let mut rng = stream(seed, 1);
    let outline = Outline::new(&mut rng);
    let area = outline.area();
    let n_towns = town_count(t);
    let mut names = names::places(&mut rng, n_cities + n_towns).into_iter();

    // Cities: Zipf-like sizes, the biggest first.
    let mut weights: Vec<f64> = (0..n_cities)
        .map(|k| rng.gen_range(0.85..1.15) / (k as f64 + 1.0))
        .collect();
    weights.sort_by(|a, b| b.total_cmp(a));
    let total_w: f64 = weights.iter().sum();
    let city_budget = city_share(t) * t;
    let extent = (t / 1e6).powf(0.25);
    let mut cities: Vec<GridPlan> = weights
        .iter()
        .enumerate()
        .map(|(rank, w)| {
            let aspect = rng.gen_range(0.7..1.0);
            let hx = 9_000.0 * (w / weights[0]).sqrt() * extent;
            let growth = 0.05;
            let (half, spacing) = fit(
                city_budget * w / total_w,
                (hx, hx * aspect),
                growth,
                70.0,
                350.0,
            );
            GridPlan {
                name: String::new(),
                centre: P::new(0.0, 0.0),
                half,
                spacing,
                growth,
                rotation: rng.gen_range(-0.5..0.5),
                rank,
            }
        })
        .collect();
    let placed: Vec<P> = place(
        &mut rng,
        n_cities,
        |r| outline.random_point(r, 0.8),
        |p, done: &[P], relax| {
            let k = done.len();
            done.iter().enumerate().all(|(i, q)| {
                let min = (60_000.0f64).max(cities[i].radius() + cities[k].radius() + 25_000.0);
                p.dist(*q) >= min * relax
            })
        },
        |p, _| p,
    );
    for (c, p) in cities.iter_mut().zip(placed) {
        c.centre = p;
        c.name = names.next().expect("enough names");
    }

    // County towns: similar sizes, spread out, away from the cities.
    let town_budget = TOWN_SHARE * t / n_towns as f64;
    let town_gap = 0.6 * (area / n_towns as f64).sqrt();
    let mut sizes: Vec<GridPlan> = (0..n_towns)
        .map(|_| {
            let b = town_budget * rng.gen_range(0.6..1.4);
            let hx = 1_600.0 * extent * rng.gen_range(0.8..1.2);
            let growth = 0.05;
            let (half, spacing) = fit(b, (hx, hx * rng.gen_range(0.7..1.0)), growth, 90.0, 300.0);
            GridPlan {
                name: String::new(),
                centre: P::new(0.0, 0.0),
                half,
                spacing,
                growth,
                rotation: rng.gen_range(-0.8..0.8),
                rank: usize::MAX,
            }
        })
        .collect();
    let radii: Vec<f64> = sizes.iter().map(GridPlan::radius).collect();
    let placed: Vec<P> = place(
        &mut rng,
        n_towns,
        |r| outline.random_point(r, 0.9),
        |p, done: &[P], relax| {
            let k = done.len();
            cities
                .iter()
                .all(|c| p.dist(c.centre) >= (c.radius() + radii[k] + 8_000.0) * relax.max(0.5))
                && done
                    .iter()
                    .enumerate()
                    .all(|(i, q)| p.dist(*q) >= town_gap.max(radii[i] + radii[k] + 6_000.0) * relax)
        },
        |p, _| p,
    );
    for (town, p) in sizes.iter_mut().zip(placed) {
        town.centre = p;
        town.name = names.next().expect("enough names");
    }
    let towns = sizes;

    // Villages: half clustered around cities and towns, half spread over the countryside.
    let n_villages = (t / NODES_PER_VILLAGE).round() as usize;
    let gap = 0.45 * (area / n_villages as f64).sqrt();
    let hubs: Vec<(P, f64)> = cities
        .iter()
        .chain(&towns)
        .map(|g| (g.centre, g.radius()))
        .collect();
    let cell = gap.max(500.0);
    let mut hash: std::collections::HashMap<(i32, i32), Vec<P>> = Default::default();
    let key = |p: P| ((p.x / cell).floor() as i32, (p.y / cell).floor() as i32);
    let mut village_rng = stream(seed, 2);
    let villages = place(
        &mut village_rng,
        n_villages,
        |r| {
            if r.gen_bool(0.5) {
                let (c, radius) = hubs[r.gen_range(0..hubs.len())];
                let (ang, d) = (
                    r.gen_range(0.0..std::f64::consts::TAU),
                    radius + 1_500.0 + r.gen_range(0.0f64..1.0).powi(2) * 25_000.0,
                );
                P::new(c.x + d * ang.cos(), c.y + d * ang.sin())
            } else {
                outline.random_point(r, 0.95)
            }
        },
        |p, _: &[VillagePlan], relax| {
            if !outline.contains(p, 0.95) || hubs.iter().any(|(c, r)| p.dist(*c) < r + 1_200.0) {
                return false;
            }
            let (kx, ky) = key(p);
            let near = (-1..=1).flat_map(|dx| (-1..=1).map(move |dy| (kx + dx, ky + dy)));
            for k in near {
                if let Some(ps) = hash.get(&k) {
                    if ps.iter().any(|q| q.dist(p) < gap * relax) {
                        return false;
                    }
                }
            }
            hash.entry(key(p)).or_default().push(p);
            true
        },
        |p, r| VillagePlan {
            name: names::village(r),
            centre: p,
            size: r.gen_range(3..=14),
        },
    );
    cities.sort_by_key(|c| c.rank);
    let mut towns = towns;
    towns.shuffle(&mut rng);
    Plan {
        cities,
        towns,
        villages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fit_meets_the_budget() {
        for budget in [500.0, 5_000.0, 60_000.0, 300_000.0] {
            let (half, s) = fit(budget, (9_000.0, 7_000.0), 0.06, 70.0, 350.0);
            let n = lattice_count(half, s, 0.06) as f64;
            assert!(
                (n / budget - 1.0).abs() < 0.05,
                "{budget}: {n} at {s} m, {half:?}"
            );
            assert!((70.0..=350.0).contains(&s));
        }
    }

    #[test]
    fn plans_are_deterministic_and_sized() {
        let a = plan(7, 100_000, 12);
        let b = plan(7, 100_000, 12);
        assert_eq!(a.cities.len(), 12);
        assert_eq!(a.towns.len(), town_count(1e5));
        assert_eq!(a.villages.len(), b.villages.len());
        assert_eq!(a.cities[3].centre, b.cities[3].centre);
        assert!(a.cities[0].radius() >= a.cities[11].radius());
    }
}
