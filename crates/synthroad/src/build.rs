//! The generator: zones of perturbed grids, the expressway ring with its interchanges, national roads
//! between the zones, the river with a limited number of bridges, then a connectivity clean-up.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_demo::places::{district_by_slug, District};

use crate::geo::{river, Line, P};
use crate::{SynthConfig, SynthNetwork, SynthNode, SynthWay};

const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// A street before it is cut into OSM ways.
struct Street {
    nodes: Vec<usize>,
    highway: &'static str,
    name: String,
    reference: Option<&'static str>,
    oneway: bool,
    /// Whether its links may cross the river (as bridges); others stop at the bank.
    may_bridge: bool,
    /// Chance that a link is missing (irregular blocks).
    drop: f64,
    maxspeed: Option<u32>,
    /// Extra tags for every way of the street.
    extra: Vec<(String, String)>,
}

impl Street {
    fn new(nodes: Vec<usize>, highway: &'static str, name: String) -> Street {
        Street {
            nodes,
            highway,
            name,
            reference: None,
            oneway: false,
            may_bridge: false,
            drop: 0.0,
            maxspeed: None,
            extra: Vec::new(),
        }
    }
}

/// A way while building: node indices and tags.
pub(crate) struct W {
    pub nodes: Vec<usize>,
    pub tags: Vec<(String, String)>,
}

impl W {
    pub fn tag(&self, k: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    }
    pub fn oneway(&self) -> bool {
        self.tag("oneway") == Some("yes")
    }
    /// Closed to a 40 t truck.
    pub fn truck_restricted(&self) -> bool {
        self.tag("hgv") == Some("no")
            || self
                .tag("maxweight")
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|t| t < 40.0)
    }
}

/// One grid zone: a district's or a county seat's streets.
struct Zone {
    centre: P,
    half: (f64, f64),
    spacing: f64,
    growth: f64,
    rotation: f64,
    streets: Vec<&'static str>,
    /// Dense urban core: more arterials, one-way couplets, truck bans.
    core: bool,
}

pub(crate) struct Builder {
    rng: ChaCha8Rng,
    pub pts: Vec<P>,
    pub signals: Vec<bool>,
    pub ways: Vec<W>,
    river: Line,
    /// `(inner clockwise, outer anticlockwise)` carriageways of the ring, as node cycles.
    ring: Option<(Vec<usize>, Vec<usize>)>,
    ring_line: Line,
    pub bridges: usize,
    pub interchanges: usize,
}

fn axis(half: f64, spacing: f64, growth: f64) -> Vec<f64> {
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

impl Builder {
    pub fn new(seed: u64) -> Builder {
        Builder {
            rng: ChaCha8Rng::seed_from_u64(seed),
            pts: Vec::new(),
            signals: Vec::new(),
            ways: Vec::new(),
            river: river(),
            ring: None,
            ring_line: Line(Vec::new()),
            bridges: 0,
            interchanges: 0,
        }
    }

    fn node(&mut self, p: P) -> usize {
        self.pts.push(p);
        self.signals.push(false);
        self.pts.len() - 1
    }

    fn base_tags(s: &Street) -> Vec<(String, String)> {
        let mut tags = vec![("highway".to_string(), s.highway.to_string())];
        if !s.name.is_empty() {
            tags.push(("name".into(), s.name.clone()));
        }
        if let Some(r) = s.reference {
            tags.push(("ref".into(), r.into()));
        }
        if s.oneway {
            tags.push(("oneway".into(), "yes".into()));
        }
        if let Some(v) = s.maxspeed {
            tags.push(("maxspeed".into(), v.to_string()));
        }
        tags.extend(s.extra.iter().cloned());
        tags.push(("source".into(), "wuliu-synthroad".into()));
        tags
    }

    /// Cuts a street into OSM-like ways of a few links each; links crossing the river become bridge
    /// ways when the street may bridge, and are left out otherwise.
    fn emit(&mut self, s: Street) {
        let tags = Self::base_tags(&s);
        let max_len = if s.highway == "residential" { 5 } else { 12 };
        let mut cur: Vec<usize> = Vec::new();
        let mut target = self.rng.gen_range(2..=max_len);
        let flush = |cur: &mut Vec<usize>, ways: &mut Vec<W>| {
            if cur.len() >= 2 {
                ways.push(W {
                    nodes: std::mem::take(cur),
                    tags: tags.clone(),
                });
            }
            cur.clear();
        };
        for w in s.nodes.windows(2) {
            let (a, b) = (w[0], w[1]);
            let crosses = self.river.crosses(self.pts[a], self.pts[b]);
            let dropped = !crosses && s.drop > 0.0 && self.rng.gen_bool(s.drop);
            if dropped || (crosses && !s.may_bridge) {
                flush(&mut cur, &mut self.ways);
                continue;
            }
            if crosses {
                flush(&mut cur, &mut self.ways);
                let mut t = tags.clone();
                t.push(("bridge".into(), "yes".into()));
                t.push(("layer".into(), "1".into()));
                if let Some(n) = t.iter_mut().find(|(k, _)| k == "name") {
                    n.1 = format!("{}柳江大桥", n.1.trim_end_matches(['路', '道']));
                }
                self.ways.push(W {
                    nodes: vec![a, b],
                    tags: t,
                });
                self.bridges += 1;
                continue;
            }
            if cur.is_empty() {
                cur.push(a);
            }
            cur.push(b);
            if cur.len() > target {
                flush(&mut cur, &mut self.ways);
                cur.push(b);
                target = self.rng.gen_range(2..=max_len);
            }
        }
        flush(&mut cur, &mut self.ways);
    }

    /// A zone's perturbed grid. Returns the lattice (column-major, `None` where no node).
    #[allow(clippy::needless_range_loop)]
    fn grid(&mut self, z: &Zone) -> Vec<Vec<Option<usize>>> {
        let xs = axis(z.half.0, z.spacing, z.growth);
        let ys = axis(z.half.1, z.spacing, z.growth);
        let (ci, cj) = (xs.len() / 2, ys.len() / 2);
        let (sin, cos) = z.rotation.sin_cos();
        let mut lattice = vec![vec![None; ys.len()]; xs.len()];
        for (i, &x) in xs.iter().enumerate() {
            for (j, &y) in ys.iter().enumerate() {
                let e = (x / z.half.0).powi(2) + (y / z.half.1).powi(2);
                let arterial = (i as i64 - ci as i64) % 4 == 0 || (j as i64 - cj as i64) % 4 == 0;
                if e > 1.3 || (!arterial && self.rng.gen_bool(0.03)) {
                    continue;
                }
                let local = z.spacing * (1.0 + z.growth * x.abs().max(y.abs()) / 1000.0);
                let jx = x + self.rng.gen_range(-0.18..0.18) * local;
                let jy = y
                    + self.rng.gen_range(-0.18..0.18) * local
                    + 0.05 * z.half.1 * (x / 1400.0).sin();
                let p = P::new(
                    z.centre.x + jx * cos - jy * sin,
                    z.centre.y + jx * sin + jy * cos,
                );
                if self.river.dist(p) < 70.0 {
                    continue;
                }
                lattice[i][j] = Some(self.node(p));
            }
        }
        let lines = |k: i64| (k, z.core);
        for (dir, count, centre) in [(0, ys.len(), cj), (1, xs.len(), ci)] {
            for line in 0..count {
                let (k, core) = lines(line as i64 - centre as i64);
                let cells: Vec<(usize, Option<usize>)> = if dir == 0 {
                    (0..xs.len()).map(|i| (i, lattice[i][line])).collect()
                } else {
                    (0..ys.len()).map(|j| (j, lattice[line][j])).collect()
                };
                self.grid_line(z, dir, k, core, &cells);
            }
        }
        self.diagonals(&lattice);
        self.mark_signals(&lattice, ci, cj);
        lattice
    }

    /// One row (`dir` 0) or column (`dir` 1) of a grid, `k` lines from the centre.
    fn grid_line(
        &mut self,
        z: &Zone,
        dir: usize,
        k: i64,
        core: bool,
        cells: &[(usize, Option<usize>)],
    ) {
        let (highway, maxspeed) = if k % 8 == 0 && (core || k == 0) {
            ("primary", Some(60))
        } else if k % 4 == 0 {
            ("secondary", Some(50))
        } else if core && k % 2 == 0 {
            ("tertiary", None)
        } else {
            ("residential", None)
        };
        let base = z.streets[(k.unsigned_abs() as usize * 2 + dir) % z.streets.len()];
        let name = match highway {
            "residential" => format!(
                "{base}{}巷",
                NUMERALS[(k.unsigned_abs() as usize) % NUMERALS.len()]
            ),
            _ if dir == 1 && highway != "primary" => format!(
                "{}{}路",
                base.trim_end_matches(['路', '道']),
                NUMERALS[(k.unsigned_abs() as usize) % NUMERALS.len()]
            ),
            _ => base.to_string(),
        };
        // Runs of present nodes; a gap of more than one missing node breaks the street.
        let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
        let mut last: Option<usize> = None;
        for &(pos, n) in cells {
            if let Some(n) = n {
                if last.is_some_and(|l| pos - l > 2) {
                    runs.push(Vec::new());
                }
                runs.last_mut().expect("one run").push(n);
                last = Some(pos);
            }
        }
        // One-way couplets in the core: pairs of residential lines in opposite directions.
        let couplet = core
            && highway == "residential"
            && (k.rem_euclid(4) == 1 || k.rem_euclid(4) == 3)
            && k.abs() < 12;
        let reverse = k.rem_euclid(8) >= 4;
        for run in runs {
            if run.len() < 2 {
                continue;
            }
            if couplet {
                self.couplet(run, z, highway, &name, reverse);
                continue;
            }
            let mut s = Street::new(run, highway, name.clone());
            s.maxspeed = maxspeed;
            s.may_bridge = highway == "primary";
            s.drop = if highway == "residential" { 0.06 } else { 0.0 };
            if highway == "residential" && self.rng.gen_bool(0.05) {
                s.extra.push(("maxweight".into(), "10".into()));
            }
            if matches!(highway, "primary" | "secondary") {
                s.extra.push((
                    "lanes".into(),
                    if highway == "primary" { "6" } else { "4" }.into(),
                ));
            }
            self.emit(s);
        }
    }

    /// A residential line that is one-way within 2.5 km of the zone centre.
    fn couplet(
        &mut self,
        run: Vec<usize>,
        z: &Zone,
        highway: &'static str,
        name: &str,
        reverse: bool,
    ) {
        let mut run = run;
        if reverse {
            run.reverse();
        }
        let inner = |b: &Builder, n: usize| b.pts[n].dist(z.centre) < 2_500.0;
        let mut start = 0;
        while start + 1 < run.len() {
            let mode = inner(self, run[start]) && inner(self, run[start + 1]);
            let mut end = start + 1;
            while end + 1 < run.len()
                && (inner(self, run[end]) && inner(self, run[end + 1])) == mode
            {
                end += 1;
            }
            let mut s = Street::new(run[start..=end].to_vec(), highway, name.to_string());
            s.oneway = mode;
            s.drop = if mode { 0.0 } else { 0.06 };
            s.maxspeed = mode.then_some(30);
            self.emit(s);
            start = end;
        }
    }

    fn diagonals(&mut self, lattice: &[Vec<Option<usize>>]) {
        for i in 0..lattice.len().saturating_sub(1) {
            for j in 0..lattice[i].len().saturating_sub(1) {
                if let (Some(a), Some(b)) = (lattice[i][j], lattice[i + 1][j + 1]) {
                    if self.rng.gen_bool(0.025) {
                        let mut s = Street::new(vec![a, b], "residential", String::new());
                        s.extra.push(("surface".into(), "asphalt".into()));
                        self.emit(s);
                    }
                }
            }
        }
    }

    fn mark_signals(&mut self, lattice: &[Vec<Option<usize>>], ci: usize, cj: usize) {
        for (i, col) in lattice.iter().enumerate() {
            for (j, n) in col.iter().enumerate() {
                let major = |k: i64| k % 4 == 0;
                if let Some(n) = n {
                    if major(i as i64 - ci as i64) && major(j as i64 - cj as i64) {
                        self.signals[*n] = true;
                    }
                }
            }
        }
    }

    /// Truck bans (货车限行) on some residential streets of the old city, within `radius` of `centre`.
    fn truck_bans(&mut self, centre: P, radius: f64) {
        for w in self.ways.iter_mut() {
            let mid = self.pts[w.nodes[w.nodes.len() / 2]];
            if w.tag("highway") == Some("residential")
                && mid.dist(centre) < radius
                && self.rng.gen_bool(0.15)
            {
                w.tags.insert(w.tags.len() - 1, ("hgv".into(), "no".into()));
            }
        }
    }

    /// The expressway ring: two one-way carriageways around the centre.
    fn ring(&mut self, centre: P, rx: f64, ry: f64) {
        let n = 140;
        let (p1, p2): (f64, f64) = (
            self.rng.gen_range(0.0..std::f64::consts::TAU),
            self.rng.gen_range(0.0..std::f64::consts::TAU),
        );
        let mut centre_line = Vec::new();
        let (mut inner, mut outer) = (Vec::new(), Vec::new());
        for k in 0..n {
            let th = std::f64::consts::TAU * k as f64 / n as f64;
            let f = 1.0 + 0.035 * (3.0 * th + p1).sin() + 0.02 * (5.0 * th + p2).sin();
            let (s, c) = th.sin_cos();
            let at =
                |off: f64| P::new(centre.x + (rx * f + off) * c, centre.y + (ry * f + off) * s);
            centre_line.push(at(0.0));
            inner.push(self.node(at(-12.0)));
            outer.push(self.node(at(12.0)));
        }
        centre_line.push(centre_line[0]);
        // Anticlockwise points: the inner carriageway runs clockwise (traffic on the right).
        inner.reverse();
        for (cw, nodes) in [(true, &inner), (false, &outer)] {
            let mut cycle = nodes.clone();
            cycle.push(nodes[0]);
            let mut s = Street::new(cycle, "motorway", "柳州环城高速".into());
            s.reference = Some("G7201");
            s.oneway = true;
            s.may_bridge = true;
            s.maxspeed = Some(100);
            s.extra.push(("lanes".into(), "3".into()));
            s.extra.push(("toll".into(), "yes".into()));
            s.extra.push((
                "direction".into(),
                if cw { "clockwise" } else { "anticlockwise" }.into(),
            ));
            self.emit(s);
        }
        self.ring = Some((inner, outer));
        self.ring_line = Line(centre_line);
    }

    /// Ramps between the ring and a junction node `j` on a road crossing it.
    fn interchange(&mut self, j: usize, name: &str) {
        let Some((inner, outer)) = self.ring.clone() else {
            return;
        };
        for c in [inner, outer] {
            let n = c.len();
            let i = (0..n)
                .min_by(|&a, &b| {
                    self.pts[c[a]]
                        .dist(self.pts[j])
                        .total_cmp(&self.pts[c[b]].dist(self.pts[j]))
                })
                .expect("ring has nodes");
            for (from, to) in [(c[(i + n - 1) % n], j), (j, c[(i + 1) % n])] {
                let mut s = Street::new(vec![from, to], "motorway_link", String::new());
                s.oneway = true;
                s.maxspeed = Some(40);
                s.may_bridge = true;
                s.extra.push(("destination".into(), name.to_string()));
                self.emit(s);
            }
        }
        self.signals[j] = false;
        self.interchanges += 1;
    }

    /// A road between two existing nodes through open country: shape nodes every ~600 m along a gently
    /// meandering line, an interchange where it crosses the ring.
    #[allow(clippy::too_many_arguments)]
    fn national(
        &mut self,
        from: usize,
        to: usize,
        highway: &'static str,
        reference: Option<&'static str>,
        name: &str,
        maxspeed: u32,
        extra: &[(&str, &str)],
    ) {
        let (a, b) = (self.pts[from], self.pts[to]);
        let len = a.dist(b);
        let steps = (len / 600.0).ceil().max(1.0) as usize;
        let (nx, ny) = ((a.y - b.y) / len.max(1.0), (b.x - a.x) / len.max(1.0));
        let amp = (len * 0.03).min(1_500.0);
        let (f1, f2) = (
            self.rng.gen_range(1.0..3.0),
            self.rng.gen_range(0.0..std::f64::consts::TAU),
        );
        let mut pts = vec![a];
        for k in 1..steps {
            let t = k as f64 / steps as f64;
            let off = amp
                * (std::f64::consts::PI * t).sin()
                * (f1 * std::f64::consts::TAU * t + f2).sin()
                + self.rng.gen_range(-40.0..40.0);
            let q = a.lerp(b, t);
            pts.push(P::new(q.x + nx * off, q.y + ny * off));
        }
        pts.push(b);
        let mut nodes = vec![from];
        let mut junctions = Vec::new();
        for k in 1..pts.len() {
            if let Some(t) = self.ring_line.first_crossing(pts[k - 1], pts[k]) {
                let j = self.node(pts[k - 1].lerp(pts[k], t));
                nodes.push(j);
                junctions.push(j);
            }
            if k + 1 < pts.len() {
                let n = self.node(pts[k]);
                nodes.push(n);
            }
        }
        nodes.push(to);
        let mut s = Street::new(nodes, highway, name.to_string());
        s.reference = reference;
        s.may_bridge = true;
        s.maxspeed = Some(maxspeed);
        s.extra = extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.emit(s);
        for j in junctions {
            self.interchange(j, name);
        }
    }

    /// The node of `lattice` nearest to `target`.
    fn nearest(&self, lattice: &[Vec<Option<usize>>], target: P) -> usize {
        lattice
            .iter()
            .flatten()
            .flatten()
            .copied()
            .min_by(|&a, &b| {
                self.pts[a]
                    .dist(target)
                    .total_cmp(&self.pts[b].dist(target))
            })
            .expect("zone has nodes")
    }
}

fn zone_of(d: &District, spacing: f64, margin_m: f64, rotation_deg: f64) -> Zone {
    let half = d.spread * 111_195.0 + margin_m;
    Zone {
        centre: P::from_deg(d.lat, d.lon),
        half: (half, half),
        spacing,
        growth: 0.08,
        rotation: rotation_deg.to_radians(),
        streets: d.streets.to_vec(),
        core: false,
    }
}

/// Generates the network for `config`.
pub(crate) fn generate(config: &SynthConfig) -> SynthNetwork {
    let mut b = Builder::new(config.seed);
    let mut core_streets = Vec::new();
    for slug in ["chengzhong", "yufeng", "liunan", "liubei"] {
        core_streets.extend(district_by_slug(slug).streets.iter().copied());
    }
    let core = Zone {
        centre: P::from_deg(24.331, 109.410),
        half: (5_300.0, 6_800.0),
        spacing: config.core_spacing_m,
        growth: 0.10,
        rotation: 14f64.to_radians(),
        streets: core_streets,
        core: true,
    };
    let centre = core.centre;
    let core_l = b.grid(&core);
    b.ring(P::new(centre.x, centre.y - 400.0), 9_600.0, 9_300.0);
    let zones: Vec<(&str, Zone)> = vec![
        (
            "liujiang",
            zone_of(district_by_slug("liujiang"), 320.0, 900.0, -8.0),
        ),
        ("liudong", {
            let mut z = zone_of(district_by_slug("liudong"), 420.0, 1_200.0, 22.0);
            z.streets = district_by_slug("liudong").streets.to_vec();
            z
        }),
        (
            "liucheng",
            zone_of(district_by_slug("liucheng"), 300.0, 700.0, 5.0),
        ),
        (
            "luzhai",
            zone_of(district_by_slug("luzhai"), 300.0, 700.0, -12.0),
        ),
        (
            "rongshui",
            zone_of(district_by_slug("rongshui"), 300.0, 600.0, 9.0),
        ),
        (
            "rongan",
            zone_of(district_by_slug("rongan"), 300.0, 600.0, -4.0),
        ),
        (
            "sanjiang",
            zone_of(district_by_slug("sanjiang"), 280.0, 600.0, 17.0),
        ),
    ];
    let mut lat = std::collections::HashMap::new();
    for (slug, z) in &zones {
        let l = b.grid(z);
        lat.insert(*slug, (l, z.centre));
    }
    let link =
        |b: &mut Builder, from: (&[Vec<Option<usize>>], P), to: (&[Vec<Option<usize>>], P)| {
            let s = b.nearest(from.0, to.1);
            let t = b.nearest(to.0, b.pts[s]);
            (s, t)
        };
    let core_ref = (core_l.as_slice(), centre);
    let z = |slug: &str| (lat[slug].0.as_slice(), lat[slug].1);
    let trunk = [("lanes", "4")];
    // G322: south-west to 柳江 (拉堡), north-east through 柳东 to 鹿寨.
    let (s, t) = link(&mut b, core_ref, z("liujiang"));
    b.national(s, t, "trunk", Some("G322"), "柳邕路", 80, &trunk);
    let (s, t) = link(&mut b, core_ref, z("liudong"));
    b.national(s, t, "trunk", Some("G322"), "新柳大道", 80, &trunk);
    let (s, t) = link(&mut b, z("liudong"), z("luzhai"));
    b.national(s, t, "trunk", Some("G322"), "", 80, &trunk);
    // G209 north: 柳城, 融水, 融安, 三江.
    let (s, t) = link(&mut b, core_ref, z("liucheng"));
    b.national(s, t, "trunk", Some("G209"), "柳太路", 80, &trunk);
    for (from, to) in [
        ("liucheng", "rongshui"),
        ("rongshui", "rongan"),
        ("rongan", "sanjiang"),
    ] {
        let (s, t) = link(&mut b, z(from), z(to));
        b.national(s, t, "trunk", Some("G209"), "", 70, &[]);
    }
    // Provincial and city roads to the ring: east and south, and 柳江 to 柳东 outside the ring.
    let east = b.nearest(&core_l, P::new(centre.x + 12_000.0, centre.y - 2_000.0));
    let east_end = b.node(P::new(centre.x + 13_500.0, centre.y - 3_500.0));
    b.national(east, east_end, "primary", Some("S306"), "东环大道", 60, &[]);
    let south = b.nearest(&core_l, P::new(centre.x + 1_000.0, centre.y - 14_000.0));
    let south_end = b.node(P::new(centre.x + 2_500.0, centre.y - 14_500.0));
    b.national(
        south,
        south_end,
        "primary",
        None,
        "柳石路",
        60,
        &[("maxweight", "30")],
    );
    let west = b.nearest(&core_l, P::new(centre.x - 14_000.0, centre.y + 3_000.0));
    let (lj, _) = (
        b.nearest(
            &lat["liujiang"].0,
            P::new(centre.x - 14_000.0, centre.y + 3_000.0),
        ),
        (),
    );
    b.national(west, lj, "secondary", Some("S209"), "西环路", 60, &[]);
    b.truck_bans(centre, 2_500.0);
    crate::clean::connect(&mut b);
    finish(b, config)
}

fn finish(b: Builder, config: &SynthConfig) -> SynthNetwork {
    let mut used = vec![false; b.pts.len()];
    for w in &b.ways {
        for &n in &w.nodes {
            used[n] = true;
        }
    }
    let mut id_of = vec![0i64; b.pts.len()];
    let mut nodes = Vec::new();
    for (i, p) in b.pts.iter().enumerate() {
        if used[i] {
            let id = -(nodes.len() as i64 + 1);
            id_of[i] = id;
            let (lat, lon) = p.to_deg();
            nodes.push(SynthNode {
                id,
                lat,
                lon,
                traffic_signals: b.signals[i],
            });
        }
    }
    let ways = b
        .ways
        .iter()
        .enumerate()
        .map(|(k, w)| SynthWay {
            id: -(k as i64 + 1),
            nodes: w.nodes.iter().map(|&n| id_of[n]).collect(),
            tags: w.tags.clone(),
        })
        .collect();
    let bridges = b
        .ways
        .iter()
        .filter(|w| w.tag("bridge") == Some("yes"))
        .count();
    SynthNetwork {
        seed: config.seed,
        nodes,
        ways,
        restrictions: Vec::new(),
        river: river().0.iter().map(|p| p.to_deg()).collect(),
        bridges,
        interchanges: b.interchanges,
    }
}
