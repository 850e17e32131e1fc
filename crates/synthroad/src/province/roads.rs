//! Roads through open country: expressways with interchanges, national roads through county
//! towns, provincial and county roads between towns, rural roads out to the villages.
//!
//! Every open-country road follows a [`Curve`]; only its junction and control nodes exist while the
//! network is built and cleaned, its shape nodes are added at the end (`shape.rs`).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::frame::{Curve, RoadKind};
use super::names::{self, EXPRESSWAY_REFS};
use super::net::Net;
use crate::geo::P;

/// A settlement as the road builder sees it.
pub(crate) struct Place {
    pub name: String,
    pub centre: P,
    pub radius: f64,
    /// Nodes roads from outside may end at (grid edge; every node of a village).
    pub perimeter: Vec<u32>,
    /// City size rank (0: biggest), `usize::MAX` otherwise.
    pub rank: usize,
}

impl Place {
    /// The perimeter node nearest to `p`.
    fn gate(&self, net: &Net, p: P) -> u32 {
        *self
            .perimeter
            .iter()
            .min_by(|&&a, &&b| {
                net.pts[a as usize]
                    .dist(p)
                    .total_cmp(&net.pts[b as usize].dist(p))
            })
            .expect("a place has nodes")
    }
}

/// Nodes rural roads may attach to, in 2 km cells: `(node, owner)`; the owner (a place or a road)
/// keeps a village's second road off its own first one.
pub(crate) struct Index {
    cell: f64,
    x0: f64,
    y0: f64,
    nx: i64,
    ny: i64,
    cells: Vec<Vec<(u32, u32)>>,
}

impl Index {
    pub fn new() -> Index {
        let cell = 2_000.0;
        let (x0, y0) = (-420_000.0, -250_000.0);
        let (nx, ny) = ((840_000.0 / cell) as i64, (500_000.0 / cell) as i64);
        Index {
            cell,
            x0,
            y0,
            nx,
            ny,
            cells: vec![Vec::new(); (nx * ny) as usize],
        }
    }

    fn key(&self, p: P) -> (i64, i64) {
        (
            (((p.x - self.x0) / self.cell).floor() as i64).clamp(0, self.nx - 1),
            (((p.y - self.y0) / self.cell).floor() as i64).clamp(0, self.ny - 1),
        )
    }

    pub fn insert(&mut self, p: P, node: u32, owner: u32) {
        let (i, j) = self.key(p);
        self.cells[(j * self.nx + i) as usize].push((node, owner));
    }

    /// The nearest node to `p` whose owner `skip` does not reject, within `max` metres:
    /// `(node, owner, distance)`.
    pub fn nearest(
        &self,
        pts: &[P],
        p: P,
        max: f64,
        skip: impl Fn(u32) -> bool,
    ) -> Option<(u32, u32, f64)> {
        let (ci, cj) = self.key(p);
        let mut best: Option<(u32, u32, f64)> = None;
        let rings = (max / self.cell).ceil() as i64 + 1;
        for r in 0..=rings {
            for j in (cj - r)..=(cj + r) {
                if j < 0 || j >= self.ny {
                    continue;
                }
                let edge_row = j == cj - r || j == cj + r;
                let mut i = ci - r;
                while i <= ci + r {
                    if i >= 0 && i < self.nx {
                        for &(n, o) in &self.cells[(j * self.nx + i) as usize] {
                            let d = pts[n as usize].dist(p);
                            if d <= max && best.is_none_or(|b| d < b.2) && !skip(o) {
                                best = Some((n, o, d));
                            }
                        }
                    }
                    // Inner rows of the ring: only its two ends.
                    i += if edge_row || i == ci + r { 1 } else { 2 * r };
                }
            }
            if best.is_some_and(|b| b.2 <= r as f64 * self.cell) {
                break;
            }
        }
        best
    }
}

/// Owners of attachment points: places are `0..`, roads from here on.
const ROAD_OWNER: u32 = 1 << 30;

/// Counts of what was built.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct RoadCounts {
    pub expressways: usize,
    pub interchanges: usize,
    pub national: usize,
    pub provincial: usize,
    pub county: usize,
    pub rural: usize,
}

pub(crate) struct Roads<'a> {
    pub net: &'a mut Net,
    pub index: Index,
    roads: u32,
    pub counts: RoadCounts,
    /// Places a national road runs through or ends at.
    on_national: Vec<usize>,
}

struct Unions(Vec<usize>);
impl Unions {
    fn find(&mut self, mut a: usize) -> usize {
        while self.0[a] != a {
            self.0[a] = self.0[self.0[a]];
            a = self.0[a];
        }
        a
    }
    fn join(&mut self, a: usize, b: usize) -> bool {
        let (a, b) = (self.find(a), self.find(b));
        self.0[a] = b;
        a != b
    }
}

/// Whether the chord `a → b` passes within one of `places[..limit]` other than `a` and `b` (plus
/// `margin`).
fn crosses_place(places: &[Place], a: usize, b: usize, margin: f64, limit: usize) -> bool {
    let (pa, pb) = (places[a].centre, places[b].centre);
    places[..limit].iter().enumerate().any(|(k, c)| {
        k != a && k != b && crate::geo::seg_dist(c.centre, pa, pb) < c.radius + margin
    })
}

/// Links between `nodes` (place indices): a spanning tree of the shortest links not passing through
/// `places[..limit]` (any link if there is no other way), plus links to each node's `extra(node)`
/// nearest neighbours that pass through none.
fn link_graph(
    places: &[Place],
    nodes: &[usize],
    limit: usize,
    extra: impl Fn(usize) -> usize,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, &a) in nodes.iter().enumerate() {
        for &b in &nodes[i + 1..] {
            pairs.push((places[a].centre.dist(places[b].centre), a, b));
        }
    }
    pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut u = Unions((0..places.len()).collect());
    let mut links: Vec<(usize, usize)> = Vec::new();
    for pass in 0..2 {
        for &(_, a, b) in &pairs {
            if (pass == 1 || !crosses_place(places, a, b, 3_000.0, limit)) && u.join(a, b) {
                links.push((a, b));
            }
        }
    }
    for &a in nodes {
        let mut near: Vec<(f64, usize)> = nodes
            .iter()
            .filter(|&&b| b != a)
            .map(|&b| (places[a].centre.dist(places[b].centre), b))
            .collect();
        near.sort_by(|x, y| x.0.total_cmp(&y.0));
        for &(_, b) in near.iter().take(extra(a)) {
            let (x, y) = (a.min(b), a.max(b));
            if !links.contains(&(x, y)) && !crosses_place(places, x, y, 3_000.0, limit) {
                links.push((x, y));
            }
        }
    }
    links
}

impl<'a> Roads<'a> {
    pub fn new(net: &'a mut Net) -> Roads<'a> {
        Roads {
            net,
            index: Index::new(),
            roads: 0,
            counts: RoadCounts::default(),
            on_national: Vec::new(),
        }
    }

    /// A road from node `from` to node `to` along a new curve, with control nodes every ~`ctrl`
    /// metres (which later roads may branch from). Returns the control nodes.
    fn country_road(
        &mut self,
        from: u32,
        to: u32,
        kind: RoadKind,
        ctrl: f64,
        tags: u32,
        rng: &mut ChaCha8Rng,
    ) -> Vec<u32> {
        let (a, b) = (self.net.pts[from as usize], self.net.pts[to as usize]);
        let c = Curve::new(a, b, kind, rng);
        let m = ((c.len() / ctrl).round() as usize).max(1);
        let mut nodes = vec![from];
        let mut t = vec![0.0f32];
        for k in 1..m {
            let tk = k as f64 / m as f64;
            nodes.push(self.net.node(c.at(tk)));
            t.push(tk as f32);
        }
        nodes.push(to);
        t.push(1.0);
        self.net.curves.push(c);
        let curve = (self.net.curves.len() - 1) as u32;
        self.net.curve_way(&nodes, Some(&t), tags, curve);
        self.roads += 1;
        nodes[1..nodes.len() - 1].to_vec()
    }

    /// Makes `nodes` places where later rural roads may attach.
    fn attachable(&mut self, nodes: &[u32], owner: u32) {
        for &n in nodes {
            self.index.insert(self.net.pts[n as usize], n, owner);
        }
    }

    fn road_owner(&self) -> u32 {
        ROAD_OWNER + self.roads
    }

    /// Expressways and national roads between the cities, passing by or through county towns.
    /// `places` holds the cities first (by rank), then the towns.
    pub fn trunk_network(&mut self, places: &[Place], cities: usize, rng: &mut ChaCha8Rng) {
        let towns = &places[cities..];
        // Expressways join the cities and two thirds of the towns (the towns are in random order).
        let hubs: Vec<usize> = (0..cities + towns.len() * 2 / 3).collect();
        let motorways = link_graph(
            places,
            &hubs,
            places.len(),
            |k| if k < cities { 2 } else { 1 },
        );
        for (k, &(a, b)) in motorways.iter().enumerate() {
            let reference = EXPRESSWAY_REFS[k % EXPRESSWAY_REFS.len()];
            self.expressway(places, a, b, towns, cities, reference, rng);
        }
        // National roads join the cities, through the towns on the way.
        let city_nodes: Vec<usize> = (0..cities).collect();
        for (k, &(a, b)) in link_graph(places, &city_nodes, cities, |_| 2)
            .iter()
            .enumerate()
        {
            self.national(places, a, b, cities, k, rng);
        }
    }

    /// An expressway between places `a` and `b`: two one-way carriageways, interchanges at both
    /// ends (a connector road into the place) and near the county towns it passes.
    #[allow(clippy::too_many_arguments)]
    fn expressway(
        &mut self,
        places: &[Place],
        a: usize,
        b: usize,
        towns: &[Place],
        first_town: usize,
        reference: &str,
        rng: &mut ChaCha8Rng,
    ) {
        let (ca, cb) = (places[a].centre, places[b].centre);
        let d = ca.dist(cb);
        let dir = P::new((cb.x - ca.x) / d, (cb.y - ca.y) / d);
        let (ra, rb) = (places[a].radius + 3_000.0, places[b].radius + 3_000.0);
        let pa = P::new(ca.x + dir.x * ra, ca.y + dir.y * ra);
        let pb = P::new(cb.x - dir.x * rb, cb.y - dir.y * rb);
        if pa.dist(pb) < 15_000.0 {
            return;
        }
        let centre = Curve::new(pa, pb, RoadKind::Expressway, rng);
        let len = centre.len();
        let delta = 500.0 / len;
        // Interchanges near towns along the way.
        let mut mids: Vec<(f64, usize)> = towns
            .iter()
            .enumerate()
            .filter_map(|(k, t)| {
                let (tp, dist) = centre.project(t.centre);
                (dist < 12_000.0 + t.radius && (0.08..0.92).contains(&tp)).then_some((tp, k))
            })
            .collect();
        mids.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut kept: Vec<(f64, usize)> = Vec::new();
        for m in mids {
            if kept.last().is_none_or(|l| (m.0 - l.0) * len > 8_000.0) {
                kept.push(m);
            }
        }
        let mut ts = vec![delta];
        for &(tm, _) in &kept {
            ts.extend([tm - delta, tm + delta]);
        }
        ts.push(1.0 - delta);
        let (fwd_c, bwd_c) = (centre.shifted(-15.0), centre.shifted(15.0));
        let fwd: Vec<u32> = ts.iter().map(|&t| self.net.node(fwd_c.at(t))).collect();
        let bwd: Vec<u32> = ts.iter().map(|&t| self.net.node(bwd_c.at(t))).collect();
        let t32: Vec<f32> = ts.iter().map(|&t| t as f32).collect();
        let name = format!(
            "{}{}高速公路",
            names::initial(&places[a].name),
            names::initial(&places[b].name)
        );
        let motorway = self.net.tags.set(&[
            ("highway", "motorway"),
            ("name", name.as_str()),
            ("ref", reference),
            ("oneway", "yes"),
            ("maxspeed", "120"),
            ("lanes", "2"),
            ("toll", "yes"),
            ("source", "wuliu-synthroad"),
        ]);
        self.net.curves.push(fwd_c);
        let fc = (self.net.curves.len() - 1) as u32;
        self.net.curve_way(&fwd, Some(&t32), motorway, fc);
        self.net.curves.push(bwd_c);
        let bc = (self.net.curves.len() - 1) as u32;
        let (bwd_rev, t_rev): (Vec<u32>, Vec<f32>) =
            bwd.iter().copied().zip(t32.iter().copied()).rev().unzip();
        self.net.curve_way(&bwd_rev, Some(&t_rev), motorway, bc);
        self.counts.expressways += 1;
        let last = ts.len() - 1;
        // Ends: a junction on a connector road into the city.
        for (end, place) in [(0usize, a), (last, b)] {
            let jp = centre.at(if end == 0 { 0.0 } else { 1.0 });
            let j = self.net.node(jp);
            let dest = places[place].name.clone();
            if end == 0 {
                self.ramp(j, fwd[0], &dest);
                self.ramp(bwd[0], j, &dest);
            } else {
                self.ramp(fwd[last], j, &dest);
                self.ramp(j, bwd[last], &dest);
            }
            let gate = places[place].gate(self.net, jp);
            let tags = self.net.tags.set(&[
                (
                    "highway",
                    if place < first_town {
                        "primary"
                    } else {
                        "secondary"
                    },
                ),
                ("name", format!("{dest}高速连接线").as_str()),
                ("maxspeed", "60"),
                ("lanes", "4"),
                ("source", "wuliu-synthroad"),
            ]);
            let owner = self.road_owner();
            let ctrl = self.country_road(j, gate, RoadKind::Connector, 1_500.0, tags, rng);
            self.attachable(&ctrl, owner);
            self.counts.interchanges += 1;
        }
        // Interchanges near towns: off and on ramps on both carriageways, a link road to the town.
        for (m, &(tm, town)) in kept.iter().enumerate() {
            let (before, after) = (1 + 2 * m, 2 + 2 * m);
            let c = centre.at(tm);
            let n = centre.normal();
            let tc = towns[town].centre;
            let side = if (tc.x - c.x) * n.x + (tc.y - c.y) * n.y >= 0.0 {
                1.0
            } else {
                -1.0
            };
            let jp = P::new(c.x + n.x * side * 400.0, c.y + n.y * side * 400.0);
            let j = self.net.node(jp);
            let dest = towns[town].name.clone();
            self.ramp(fwd[before], j, &dest);
            self.ramp(j, fwd[after], &dest);
            self.ramp(bwd[after], j, &dest);
            self.ramp(j, bwd[before], &dest);
            let gate = places[first_town + town].gate(self.net, jp);
            let tags = self.net.tags.set(&[
                ("highway", "secondary"),
                ("name", format!("{dest}互通连接线").as_str()),
                ("maxspeed", "60"),
                ("source", "wuliu-synthroad"),
            ]);
            let owner = self.road_owner();
            let ctrl = self.country_road(j, gate, RoadKind::Connector, 1_500.0, tags, rng);
            self.attachable(&ctrl, owner);
            self.counts.interchanges += 1;
        }
    }

    /// A one-way `motorway_link` from `from` to `to`, bowed slightly.
    fn ramp(&mut self, from: u32, to: u32, destination: &str) {
        let (a, b) = (self.net.pts[from as usize], self.net.pts[to as usize]);
        let m = a.lerp(b, 0.5);
        let d = a.dist(b).max(1.0);
        let mid = P::new(m.x + (b.y - a.y) / d * 40.0, m.y - (b.x - a.x) / d * 40.0);
        let mid = self.net.node(mid);
        let tags = self.net.tags.set(&[
            ("highway", "motorway_link"),
            ("oneway", "yes"),
            ("maxspeed", "40"),
            ("destination", destination),
            ("source", "wuliu-synthroad"),
        ]);
        self.net.way(&[from, mid, to], tags);
    }

    /// A national road from city `a` to city `b` through the county towns near the way.
    fn national(
        &mut self,
        places: &[Place],
        a: usize,
        b: usize,
        cities: usize,
        k: usize,
        rng: &mut ChaCha8Rng,
    ) {
        let chord = Curve::new(places[a].centre, places[b].centre, RoadKind::Connector, rng);
        let mut via: Vec<(f64, usize)> = (cities..places.len())
            .filter_map(|t| {
                let (tp, dist) = chord.project(places[t].centre);
                (dist < 15_000.0 + places[t].radius && (0.03..0.97).contains(&tp))
                    .then_some((tp, t))
            })
            .collect();
        via.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut chain = vec![a];
        chain.extend(via.iter().map(|v| v.1));
        chain.push(b);
        self.on_national.extend(&chain);
        let trunk = places[a].rank < 5 || places[b].rank < 5;
        let number = 321 + k;
        let tags = self.net.tags.set(&[
            ("highway", if trunk { "trunk" } else { "primary" }),
            ("name", format!("国道{number}线").as_str()),
            ("ref", format!("G{number}").as_str()),
            ("maxspeed", if trunk { "80" } else { "70" }),
            ("lanes", if trunk { "4" } else { "2" }),
            ("source", "wuliu-synthroad"),
        ]);
        for leg in chain.windows(2) {
            let (s, t) = (&places[leg[0]], &places[leg[1]]);
            let from = s.gate(self.net, t.centre);
            let to = t.gate(self.net, self.net.pts[from as usize]);
            let owner = self.road_owner();
            let ctrl = self.country_road(from, to, RoadKind::National, 2_000.0, tags, rng);
            self.attachable(&ctrl, owner);
        }
        self.counts.national += 1;
    }

    /// Provincial roads joining every town to the network (shortest first), then county roads to
    /// each town's nearest neighbours.
    pub fn town_roads(&mut self, places: &[Place], cities: usize, rng: &mut ChaCha8Rng) {
        let n = places.len();
        let mut u = Unions((0..n).collect());
        // The cities and the towns on national roads are already joined.
        for &k in &self.on_national {
            u.join(k, 0);
        }
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for a in 0..n {
            for b in (a + 1).max(cities)..n {
                pairs.push((places[a].centre.dist(places[b].centre), a, b));
            }
        }
        pairs.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut done: std::collections::HashSet<(usize, usize)> = Default::default();
        let mut number = 201;
        for &(_, a, b) in &pairs {
            if u.join(a, b) {
                let tags = self.net.tags.set(&[
                    ("highway", "secondary"),
                    ("name", format!("省道{number}线").as_str()),
                    ("ref", format!("S{number}").as_str()),
                    ("maxspeed", "60"),
                    ("source", "wuliu-synthroad"),
                ]);
                number += 1;
                self.settlement_road(places, a, b, RoadKind::Provincial, tags, rng);
                done.insert((a, b));
                self.counts.provincial += 1;
            }
        }
        let mut county = 100;
        for t in cities..n {
            let mut near: Vec<(f64, usize)> = (0..n)
                .filter(|&o| o != t)
                .map(|o| (places[t].centre.dist(places[o].centre), o))
                .collect();
            near.sort_by(|x, y| x.0.total_cmp(&y.0));
            for &(d, o) in near.iter().take(2) {
                let key = (t.min(o), t.max(o));
                if d > 60_000.0 || done.contains(&key) || crosses_place(places, t, o, 2_000.0, n) {
                    continue;
                }
                done.insert(key);
                let mut tags: Vec<(&str, String)> = vec![
                    ("highway", "tertiary".into()),
                    (
                        "name",
                        format!(
                            "{}{}公路",
                            names::initial(&places[t].name),
                            names::initial(&places[o].name)
                        ),
                    ),
                    ("ref", format!("X{county:03}")),
                    ("maxspeed", "50".into()),
                ];
                if rng.gen_bool(0.1) {
                    tags.push(("maxweight", "30".into()));
                }
                tags.push(("source", "wuliu-synthroad".into()));
                let tags = self.net.tags.set(&tags);
                county += 1;
                self.settlement_road(places, t, o, RoadKind::County, tags, rng);
                self.counts.county += 1;
            }
        }
    }

    fn settlement_road(
        &mut self,
        places: &[Place],
        a: usize,
        b: usize,
        kind: RoadKind,
        tags: u32,
        rng: &mut ChaCha8Rng,
    ) {
        let from = places[a].gate(self.net, places[b].centre);
        let to = places[b].gate(self.net, self.net.pts[from as usize]);
        let owner = self.road_owner();
        let ctrl = self.country_road(from, to, kind, 1_500.0, tags, rng);
        self.attachable(&ctrl, owner);
    }

    /// Makes the cities' and towns' edges attachable (`places[k]` is owner `k`).
    pub fn attach_places(&mut self, places: &[Place]) {
        for (k, p) in places.iter().enumerate() {
            self.attachable(&p.perimeter, k as u32);
        }
    }

    /// Rural roads: each village, nearest to the network first, gets a road to the nearest
    /// attachable node (a town's edge, a control node of a road, another village), and some get a
    /// second road, which closes a loop. `villages[k]` is owner `first_owner + k`.
    pub fn rural_roads(&mut self, villages: &[Place], first_owner: u32, rng: &mut ChaCha8Rng) {
        let far = 400_000.0;
        let mut order: Vec<(f64, usize)> = villages
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let d = self
                    .index
                    .nearest(&self.net.pts, v.centre, far, |_| false)
                    .map_or(far, |x| x.2);
                (d, k)
            })
            .collect();
        order.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let plain = self
            .net
            .tags
            .set(&[("highway", "unclassified"), ("source", "wuliu-synthroad")]);
        let mut number = 100;
        for &(_, k) in &order {
            let v = &villages[k];
            let me = first_owner + k as u32;
            let Some((target, target_owner, d1)) =
                self.index.nearest(&self.net.pts, v.centre, far, |_| false)
            else {
                continue;
            };
            let tags = self.rural_tags(v, &mut number, plain, false, rng);
            let from = v.gate(self.net, self.net.pts[target as usize]);
            let road = self.road_owner();
            let ctrl = self.country_road(from, target, RoadKind::Rural, 1_200.0, tags, rng);
            self.attachable(&ctrl, road);
            self.attachable(&v.perimeter, me);
            self.counts.rural += 1;
            if rng.gen_bool(0.3) {
                let max = (2.5 * d1).clamp(3_000.0, 10_000.0);
                let second = self.index.nearest(&self.net.pts, v.centre, max, |o| {
                    o == me || o == road || o == target_owner
                });
                if let Some((t2, _, _)) = second {
                    let tags = self.rural_tags(v, &mut number, plain, true, rng);
                    let from = v.gate(self.net, self.net.pts[t2 as usize]);
                    if from != t2 {
                        let owner = self.road_owner();
                        let ctrl = self.country_road(from, t2, RoadKind::Rural, 1_200.0, tags, rng);
                        self.attachable(&ctrl, owner);
                        self.counts.rural += 1;
                    }
                }
            }
        }
    }

    fn rural_tags(
        &mut self,
        v: &Place,
        number: &mut u32,
        plain: u32,
        loop_road: bool,
        rng: &mut ChaCha8Rng,
    ) -> u32 {
        let roll: f64 = rng.gen();
        let limit = if loop_road && rng.gen_bool(0.2) {
            Some(if rng.gen_bool(0.75) {
                ("maxweight", "20")
            } else {
                ("hgv", "no")
            })
        } else {
            None
        };
        if roll < 0.5 && limit.is_none() {
            return plain;
        }
        let mut tags: Vec<(&str, String)> = vec![("highway", "unclassified".into())];
        if roll < 0.8 {
            tags.push(("name", format!("{}村道", v.name)));
        } else {
            tags.push(("ref", format!("Y{number:03}")));
            *number += 1;
        }
        if let Some((k, val)) = limit {
            tags.push((k, val.into()));
        }
        tags.push(("source", "wuliu-synthroad".into()));
        self.net.tags.set(&tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_the_nearest() {
        let pts: Vec<P> = (0..200)
            .map(|k| {
                P::new(
                    (k * 7919 % 1000) as f64 * 300.0 - 150_000.0,
                    (k * 104_729 % 997) as f64 * 200.0 - 100_000.0,
                )
            })
            .collect();
        let mut ix = Index::new();
        for (k, p) in pts.iter().enumerate() {
            ix.insert(*p, k as u32, k as u32 % 3);
        }
        for q in [
            P::new(0.0, 0.0),
            P::new(-149_000.0, 90_000.0),
            P::new(500_000.0, 0.0),
        ] {
            let want = (0..pts.len())
                .filter(|&k| k % 3 != 1)
                .min_by(|&a, &b| pts[a].dist(q).total_cmp(&pts[b].dist(q)))
                .unwrap();
            let got = ix.nearest(&pts, q, 1e6, |o| o == 1).unwrap();
            assert_eq!(got.0 as usize, want, "{q:?}");
        }
    }
}
