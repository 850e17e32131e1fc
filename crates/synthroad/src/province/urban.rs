//! City and county-town grids, and villages.
//!
//! A grid is a rotated, warped and jittered lattice inside an ellipse, its blocks growing outwards.
//! Every line is a street whose class follows its distance (in lines) from the centre: in cities a
//! primary road every ~1.4 km, a secondary every ~700 m, a tertiary every ~350 m, residential
//! streets between; in towns a secondary main street and tertiary roads. City centres get one-way
//! couplets, truck bans (plain and time-conditional), turn restrictions at arterial crossings, and
//! traffic signals where major roads cross.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::names::{NUMERALS, STREET_STEMS};
use super::net::{Net, Restr};
use super::plan::{axis, GridPlan, VillagePlan, MISSING};
use super::{DAYTIME_WEIGHT_LIMIT, RUSH_HOUR_BAN};
use crate::geo::P;

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Residential,
    Tertiary,
    Secondary,
    Primary,
}

impl Class {
    fn highway(self) -> &'static str {
        match self {
            Class::Residential => "residential",
            Class::Tertiary => "tertiary",
            Class::Secondary => "secondary",
            Class::Primary => "primary",
        }
    }
    fn maxspeed(self) -> &'static str {
        match self {
            Class::Residential => "30",
            Class::Tertiary => "40",
            Class::Secondary => "50",
            Class::Primary => "60",
        }
    }
}

/// What a grid produced: its nodes on the edge (where roads from outside connect) and counts.
pub(crate) struct Built {
    pub perimeter: Vec<u32>,
    pub restrictions: usize,
}

struct Grid<'a> {
    plan: &'a GridPlan,
    city: bool,
    /// One-way couplets, truck bans and conditional bans within this distance of the centre.
    core_radius: f64,
    stems: Vec<&'static str>,
    /// Lattice, `i * ny + j`.
    lattice: Vec<u32>,
    ny: usize,
    /// Restriction candidates: via node → its four neighbours (E, N, W, S).
    vias: Vec<(u32, [u32; 4])>,
    is_via: std::collections::HashSet<u32>,
    /// `(via, other end, way)` for every link touching a via node.
    via_links: Vec<(u32, u32, u32)>,
}

fn class_of(k: i64, city: bool, pt: i64) -> Class {
    if city {
        if k.rem_euclid(4 * pt) == 0 {
            Class::Primary
        } else if k.rem_euclid(2 * pt) == 0 {
            Class::Secondary
        } else if k.rem_euclid(pt) == 0 {
            Class::Tertiary
        } else {
            Class::Residential
        }
    } else if k == 0 {
        Class::Secondary
    } else if k.rem_euclid(pt) == 0 {
        Class::Tertiary
    } else {
        Class::Residential
    }
}

/// Builds the grid of a city (`city`) or county town.
#[allow(clippy::needless_range_loop)] // `i`, `j` index the lattice and both class lists
pub(crate) fn grid(net: &mut Net, plan: &GridPlan, city: bool, rng: &mut ChaCha8Rng) -> Built {
    let xs = axis(plan.half.0, plan.spacing, plan.growth);
    let ys = axis(plan.half.1, plan.spacing, plan.growth);
    let (nx, ny) = (xs.len(), ys.len());
    let (ci, cj) = (nx / 2, ny / 2);
    // Lines between arterials: ~350 m in cities, ~500 m in towns.
    let pt = if city {
        ((350.0 / plan.spacing).round() as i64).max(2)
    } else {
        ((500.0 / plan.spacing).round() as i64).max(2)
    };
    let cx: Vec<Class> = (0..nx)
        .map(|i| class_of(i as i64 - ci as i64, city, pt))
        .collect();
    let cy: Vec<Class> = (0..ny)
        .map(|j| class_of(j as i64 - cj as i64, city, pt))
        .collect();
    let (sin, cos) = plan.rotation.sin_cos();
    let mut lattice = vec![NONE; nx * ny];
    let warp = rng.gen_range(0.02..0.06) * plan.half.1;
    let warp_len = rng.gen_range(1_000.0..2_500.0);
    for (i, &x) in xs.iter().enumerate() {
        for (j, &y) in ys.iter().enumerate() {
            let e = (x / plan.half.0).powi(2) + (y / plan.half.1).powi(2);
            let arterial = cx[i] >= Class::Tertiary || cy[j] >= Class::Tertiary;
            if e > 1.0 || (!arterial && rng.gen_bool(MISSING)) {
                continue;
            }
            let local = plan.spacing * (1.0 + plan.growth * x.abs().max(y.abs()) / 1000.0);
            // Arterials stay straight (but for the warp): little jitter across them.
            let across = |class: Class| if class >= Class::Tertiary { 0.03 } else { 0.15 };
            let jx = x + rng.gen_range(-1.0..1.0) * across(cx[i]) * local;
            let jy =
                y + rng.gen_range(-1.0..1.0) * across(cy[j]) * local + warp * (x / warp_len).sin();
            let p = P::new(
                plan.centre.x + jx * cos - jy * sin,
                plan.centre.y + jx * sin + jy * cos,
            );
            lattice[i * ny + j] = net.node(p);
        }
    }
    let at = |i: usize, j: usize| lattice[i * ny + j];
    // Signals where major roads cross; restriction candidates at arterial crossings in cities.
    let major = if city {
        Class::Secondary
    } else {
        Class::Tertiary
    };
    let mut vias = Vec::new();
    for i in 0..nx {
        for j in 0..ny {
            let n = at(i, j);
            if n == NONE {
                continue;
            }
            if cx[i] >= major && cy[j] >= major {
                net.signal[n as usize] = true;
            }
            if city
                && cx[i] >= Class::Tertiary
                && cy[j] >= Class::Tertiary
                && i > 0
                && j > 0
                && i + 1 < nx
                && j + 1 < ny
            {
                let arms = [at(i + 1, j), at(i, j + 1), at(i - 1, j), at(i, j - 1)];
                if arms.iter().all(|&a| a != NONE) && rng.gen_bool(0.12) {
                    vias.push((n, arms));
                }
            }
        }
    }
    let mut stems = STREET_STEMS.to_vec();
    stems.shuffle(rng);
    let core_radius = if city {
        (0.4 * plan.half.0.min(plan.half.1))
            .min(2_500.0 + 500.0 * (3.0 - plan.rank as f64).max(0.0))
    } else {
        0.0
    };
    let mut g = Grid {
        plan,
        city,
        core_radius,
        stems,
        is_via: vias.iter().map(|v| v.0).collect(),
        vias,
        lattice,
        ny,
        via_links: Vec::new(),
    };
    // Rows (lines of constant j, along x), then columns.
    for j in 0..ny {
        let cells: Vec<(usize, u32)> = (0..nx).map(|i| (i, g.lattice[i * ny + j])).collect();
        g.line(net, rng, 0, j as i64 - cj as i64, cy[j], &cells);
    }
    for i in 0..nx {
        let cells: Vec<(usize, u32)> = (0..ny).map(|j| (j, g.lattice[i * ny + j])).collect();
        g.line(net, rng, 1, i as i64 - ci as i64, cx[i], &cells);
    }
    if city {
        g.diagonals(net, rng, nx);
    }
    let restrictions = g.restrictions(net, rng);
    // Perimeter: the first and last node of every row and column.
    let mut perimeter = Vec::new();
    for j in 0..ny {
        let mut row = (0..nx)
            .map(|i| g.lattice[i * ny + j])
            .filter(|&n| n != NONE);
        perimeter.extend(row.clone().next());
        perimeter.extend(row.next_back());
    }
    for i in 0..nx {
        let mut col = g.lattice[i * ny..(i + 1) * ny]
            .iter()
            .copied()
            .filter(|&n| n != NONE);
        perimeter.extend(col.clone().next());
        perimeter.extend(col.next_back());
    }
    perimeter.sort_unstable();
    perimeter.dedup();
    Built {
        perimeter,
        restrictions,
    }
}

impl Grid<'_> {
    fn name(&self, dir: usize, k: i64, class: Class) -> String {
        let a = k.unsigned_abs() as usize;
        let stem = self.stems[(a * 2 + dir + usize::from(k < 0) * 31) % self.stems.len()];
        let town = if self.city {
            ""
        } else {
            self.plan.name.as_str()
        };
        match class {
            Class::Primary => format!("{stem}大道"),
            Class::Secondary if !self.city => format!("{town}大道"),
            Class::Secondary => format!("{stem}路"),
            Class::Tertiary => {
                let side = ["东", "北", "西", "南"][dir + 2 * usize::from(k < 0)];
                format!("{town}{stem}{side}路")
            }
            Class::Residential => format!(
                "{town}{stem}{}{}",
                NUMERALS[a % NUMERALS.len()],
                if a.is_multiple_of(3) { "街" } else { "巷" }
            ),
        }
    }

    /// One row (`dir` 0) or column (`dir` 1), `k` lines from the centre.
    fn line(
        &mut self,
        net: &mut Net,
        rng: &mut ChaCha8Rng,
        dir: usize,
        k: i64,
        class: Class,
        cells: &[(usize, u32)],
    ) {
        let name = self.name(dir, k, class);
        // Runs of present nodes; a gap of more than one missing node breaks the street.
        let mut runs: Vec<Vec<u32>> = vec![Vec::new()];
        let mut last: Option<usize> = None;
        for &(pos, n) in cells {
            if n == NONE {
                continue;
            }
            if last.is_some_and(|l| pos - l > 2) {
                runs.push(Vec::new());
            }
            runs.last_mut().expect("a run").push(n);
            last = Some(pos);
        }
        let couplet = self.city && class == Class::Residential && k.rem_euclid(2) == 1;
        let forward = (k.rem_euclid(4) == 1) != (dir == 1);
        let max_len = if class == Class::Residential { 5 } else { 12 };
        for run in runs.into_iter().filter(|r| r.len() >= 2) {
            let mut cur: Vec<u32> = Vec::new();
            let mut cur_oneway = false;
            let mut target = rng.gen_range(2..=max_len);
            for link in run.windows(2) {
                let (a, b) = (link[0], link[1]);
                let mid = net.pts[a as usize].lerp(net.pts[b as usize], 0.5);
                let oneway = couplet && mid.dist(self.plan.centre) < self.core_radius;
                let dropped = class == Class::Residential && rng.gen_bool(0.06);
                if dropped || (oneway != cur_oneway && !cur.is_empty()) {
                    self.flush(net, rng, &mut cur, class, &name, cur_oneway, forward);
                }
                if dropped {
                    continue;
                }
                cur_oneway = oneway;
                if cur.is_empty() {
                    cur.push(a);
                }
                cur.push(b);
                if cur.len() > target || self.is_via.contains(&b) {
                    self.flush(net, rng, &mut cur, class, &name, cur_oneway, forward);
                    target = rng.gen_range(2..=max_len);
                }
            }
            self.flush(net, rng, &mut cur, class, &name, cur_oneway, forward);
        }
    }

    /// Emits the way `cur` (if it has a link) and clears it.
    #[allow(clippy::too_many_arguments)]
    fn flush(
        &mut self,
        net: &mut Net,
        rng: &mut ChaCha8Rng,
        cur: &mut Vec<u32>,
        class: Class,
        name: &str,
        oneway: bool,
        forward: bool,
    ) {
        if cur.len() < 2 {
            cur.clear();
            return;
        }
        let mut nodes = std::mem::take(cur);
        if oneway && !forward {
            nodes.reverse();
        }
        let mut tags: Vec<(&str, &str)> = vec![("highway", class.highway()), ("name", name)];
        if oneway {
            tags.push(("oneway", "yes"));
        }
        tags.push(("maxspeed", if oneway { "30" } else { class.maxspeed() }));
        match class {
            Class::Primary => tags.push(("lanes", "6")),
            Class::Secondary => tags.push(("lanes", "4")),
            _ => {}
        }
        let mid = net.pts[nodes[nodes.len() / 2] as usize];
        let core = self.city && mid.dist(self.plan.centre) < self.core_radius;
        let roll: f64 = rng.gen();
        match (class, core) {
            (Class::Residential, true) if roll < 0.15 => tags.push(("hgv", "no")),
            (Class::Residential, true) if roll < 0.20 => tags.push(("maxweight", "10")),
            (Class::Residential, true) if roll < 0.35 => {
                tags.push(("maxweight:conditional", DAYTIME_WEIGHT_LIMIT))
            }
            (Class::Secondary | Class::Tertiary, true) if roll < 0.20 => {
                tags.push(("hgv:conditional", RUSH_HOUR_BAN))
            }
            (Class::Tertiary, true) if roll < 0.35 => {
                tags.push(("maxweight:conditional", DAYTIME_WEIGHT_LIMIT))
            }
            (Class::Residential, false) if self.city && roll < 0.02 => {
                tags.push(("maxweight", "10"))
            }
            (Class::Tertiary, false) if self.city && roll < 0.015 => {
                tags.push(("maxheight", "3.5"))
            }
            (Class::Tertiary, false) if self.city && roll < 0.03 => tags.push(("maxheight", "4.5")),
            _ => {}
        }
        tags.push(("source", "wuliu-synthroad"));
        let set = net.tags.set(&tags);
        let w = net.way(&nodes, set);
        let (first, last) = (nodes[0], nodes[nodes.len() - 1]);
        if self.is_via.contains(&first) {
            self.via_links.push((first, nodes[1], w));
        }
        if self.is_via.contains(&last) {
            self.via_links.push((last, nodes[nodes.len() - 2], w));
        }
    }

    /// A few diagonal lanes across blocks.
    fn diagonals(&mut self, net: &mut Net, rng: &mut ChaCha8Rng, nx: usize) {
        let ny = self.ny;
        let set = net.tags.set(&[
            ("highway", "residential"),
            ("surface", "asphalt"),
            ("source", "wuliu-synthroad"),
        ]);
        for i in 0..nx.saturating_sub(1) {
            for j in 0..ny.saturating_sub(1) {
                let (a, b) = (self.lattice[i * ny + j], self.lattice[(i + 1) * ny + j + 1]);
                if a != NONE
                    && b != NONE
                    && !self.is_via.contains(&a)
                    && !self.is_via.contains(&b)
                    && rng.gen_bool(0.02)
                {
                    net.way(&[a, b], set);
                }
            }
        }
    }

    /// Turn restrictions at the chosen crossings: `no_left_turn` or `only_straight_on`, from a
    /// random arm. Every way involved ends at the via node (lines are cut there).
    fn restrictions(&self, net: &mut Net, rng: &mut ChaCha8Rng) -> usize {
        let mut made = 0;
        for &(via, arms) in &self.vias {
            let way_to = |other: u32| {
                self.via_links
                    .iter()
                    .find(|&&(v, o, _)| v == via && o == other)
                    .map(|&(_, _, w)| w)
            };
            let from_arm = rng.gen_range(0..4);
            let only_straight = rng.gen_bool(0.3);
            let v = net.pts[via as usize];
            let f = net.pts[arms[from_arm] as usize];
            let d = P::new(v.x - f.x, v.y - f.y);
            // The most-left (or straightest) other arm.
            let score = |a: u32| {
                let p = net.pts[a as usize];
                let e = P::new(p.x - v.x, p.y - v.y);
                let norm = (d.x.hypot(d.y) * e.x.hypot(e.y)).max(1e-9);
                if only_straight {
                    (d.x * e.x + d.y * e.y) / norm
                } else {
                    (d.x * e.y - d.y * e.x) / norm
                }
            };
            let to_arm = arms
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != from_arm)
                .max_by(|a, b| score(*a.1).total_cmp(&score(*b.1)))
                .map(|(_, &a)| a)
                .expect("three arms");
            if score(to_arm) < 0.7 {
                continue;
            }
            if let (Some(from), Some(to)) = (way_to(arms[from_arm]), way_to(to_arm)) {
                if from != to {
                    net.restrictions.push(Restr {
                        from,
                        via,
                        to,
                        only_straight,
                    });
                    made += 1;
                }
            }
        }
        made
    }
}

/// A village: a main street and a few lanes off it. Returns its nodes.
pub(crate) fn village(net: &mut Net, plan: &VillagePlan, rng: &mut ChaCha8Rng) -> Vec<u32> {
    let theta: f64 = rng.gen_range(0.0..std::f64::consts::TAU);
    let main_len = (plan.size * 3 / 5).max(2);
    let step = rng.gen_range(60.0..110.0);
    let mut nodes = Vec::with_capacity(plan.size);
    let mut heading = theta;
    let mut p = P::new(
        plan.centre.x - theta.cos() * step * main_len as f64 / 2.0,
        plan.centre.y - theta.sin() * step * main_len as f64 / 2.0,
    );
    for _ in 0..main_len {
        nodes.push(net.node(p));
        heading += rng.gen_range(-0.3..0.3);
        p = P::new(p.x + heading.cos() * step, p.y + heading.sin() * step);
    }
    let main_tags: Vec<(&str, &str)> = if rng.gen_bool(0.6) {
        vec![
            ("highway", "residential"),
            ("name", &plan.name),
            ("source", "wuliu-synthroad"),
        ]
    } else {
        vec![("highway", "residential"), ("source", "wuliu-synthroad")]
    };
    let set = net.tags.set(&main_tags);
    let main = nodes.clone();
    net.way(&main, set);
    let lane = net
        .tags
        .set(&[("highway", "residential"), ("source", "wuliu-synthroad")]);
    let mut left = plan.size - main_len;
    while left > 0 {
        let len = rng.gen_range(1..=3).min(left);
        left -= len;
        let from = main[rng.gen_range(0..main.len())];
        let side = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
        let mut h = theta + side * std::f64::consts::FRAC_PI_2 + rng.gen_range(-0.4..0.4);
        let mut p = net.pts[from as usize];
        let mut way = vec![from];
        for _ in 0..len {
            let s = rng.gen_range(50.0..90.0);
            p = P::new(p.x + h.cos() * s, p.y + h.sin() * s);
            h += rng.gen_range(-0.3..0.3);
            let n = net.node(p);
            way.push(n);
            nodes.push(n);
        }
        net.way(&way, lane);
    }
    nodes
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::province::plan::lattice_count;

    #[test]
    fn a_city_grid_has_its_features() {
        let plan = GridPlan {
            name: "青州".into(),
            centre: P::new(0.0, 0.0),
            half: (6_000.0, 5_000.0),
            spacing: 120.0,
            growth: 0.06,
            rotation: 0.2,
            rank: 0,
        };
        let mut net = Net::default();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let built = grid(&mut net, &plan, true, &mut rng);
        let expected = lattice_count(plan.half, plan.spacing, plan.growth) as f64;
        let n = net.pts.len() as f64;
        assert!(n <= expected && n > 0.95 * expected, "{n} of {expected}");
        assert!(built.restrictions > 10);
        assert!(!built.perimeter.is_empty());
        let has = |k: &str, v: &str| net.ways.iter().any(|w| net.tags.get(w.tags, k) == Some(v));
        assert!(has("oneway", "yes"));
        assert!(has("hgv", "no"));
        assert!(has("hgv:conditional", RUSH_HOUR_BAN));
        assert!(has("maxweight:conditional", DAYTIME_WEIGHT_LIMIT));
        for h in ["primary", "secondary", "tertiary", "residential"] {
            assert!(has("highway", h), "{h}");
        }
        assert!(net.signal.iter().any(|&s| s));
        // Every restriction's ways end at the via node.
        for r in &net.restrictions {
            for w in [r.from, r.to] {
                let nodes = net.nodes_of(&net.ways[w as usize]);
                assert!(nodes[0] == r.via || *nodes.last().unwrap() == r.via);
            }
        }
    }
}
