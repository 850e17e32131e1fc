//! A partial packing and the greedy rule that completes it.

use std::sync::Arc;

use super::blocks::{Block, Shape};
use super::problem::Problem;
use super::spaces::{covered_area, cut, Space, Top};
use crate::model::Door;

/// Read-only data shared by all states of one search.
#[derive(Clone)]
pub(crate) struct Ctx<'a> {
    pub(crate) p: &'a Problem,
    pub(crate) blocks: &'a [Block],
    /// Corners restricted to the low side per axis.
    pub(crate) low_only: [bool; 3],
    /// With `Some(band)`, fill spaces from the floor up: the lowest band of `band` height units
    /// first, then by anchor distance (see [`SpaceOrder`]).
    pub(crate) floor_up: Option<u32>,
    /// Per axis, `fill[a][r]`: the longest length ≤ `r` that box sides can add up to.
    pub(crate) fill: [Vec<u32>; 3],
    /// Rank blocks by volume minus the space they waste (else: largest volume first).
    pub(crate) use_fitness: bool,
    /// Exponent of the contact-surface factor (0: ignore contact).
    pub(crate) contact_power: i32,
    /// With support: weight of the room lost above a block outside its packing area, as a share of
    /// the space (tuned on BR8–BR15 samples: 8 beat 1, 2, 4 and 16).
    pub(crate) lost_weight: f64,
    /// Per block, (number of boxes)^−0.5.
    pub(crate) box_factor: Vec<f64>,
    /// Block extents and volumes, packed for fast scans.
    pub(crate) dims: Vec<[u32; 3]>,
    pub(crate) vols: Vec<i64>,
    /// Per box type, the blocks that use it as `(boxes of that type, block)`, most boxes first.
    pub(crate) by_type: Vec<Vec<(u16, u32)>>,
}

impl<'a> Ctx<'a> {
    /// The search context for `blocks` of problem `p`, filling spaces corner first.
    pub(crate) fn new(p: &'a Problem, blocks: &'a [Block]) -> Self {
        Self {
            p,
            blocks,
            low_only: [
                p.multi_drop && p.door == Door::Rear,
                p.multi_drop && p.door == Door::Side,
                p.support,
            ],
            floor_up: None,
            fill: Self::fill_tables(p),
            use_fitness: !p.multi_drop,
            // Tuned on BR1–BR15 samples: 1 without support, 2 with (VCS used 4).
            contact_power: if p.support { 2 } else { 1 },
            lost_weight: 8.0,
            box_factor: blocks
                .iter()
                .map(|b| {
                    let n: u32 = b.counts.iter().map(|&(_, n)| u32::from(n)).sum();
                    f64::from(n).powf(-0.5)
                })
                .collect(),
            dims: blocks.iter().map(|b| b.dims).collect(),
            vols: blocks.iter().map(|b| b.volume as i64).collect(),
            by_type: Self::blocks_by_type(p.types.len(), blocks),
        }
    }

    /// Lists, per box type, the blocks that use it, most boxes first (see `State::bury`).
    pub(crate) fn blocks_by_type(types: usize, blocks: &[Block]) -> Vec<Vec<(u16, u32)>> {
        let mut by_type = vec![Vec::new(); types];
        for (k, b) in blocks.iter().enumerate() {
            for &(t, n) in &b.counts {
                by_type[t as usize].push((n, k as u32));
            }
        }
        for list in &mut by_type {
            list.sort_unstable_by_key(|&(n, k)| (std::cmp::Reverse(n), k));
        }
        by_type
    }

    /// The same context filling spaces in `order`.
    pub(crate) fn ordered(&self, order: SpaceOrder) -> Self {
        let mut c = self.clone();
        c.floor_up = match order {
            SpaceOrder::Corners => None,
            SpaceOrder::FloorUp => Some((self.p.container[2] / FLOOR_UP_BANDS).max(1)),
        };
        c
    }

    /// Scoring variant `v` (0: the base scoring): other weights for contact and, with support, for
    /// the room lost above blocks. The search cycles through variants to diversify its passes.
    pub(crate) fn variant(&self, v: usize) -> Self {
        let mut c = self.clone();
        match v {
            0 => {}
            1 => {
                c.contact_power += 1;
                c.lost_weight *= 0.5;
            }
            _ => {
                c.contact_power = if c.contact_power > 1 {
                    c.contact_power - 1
                } else {
                    c.contact_power + 2
                };
                c.lost_weight *= 2.0;
            }
        }
        c
    }

    /// Builds the fill tables from all box sides that can lie along each axis.
    pub(crate) fn fill_tables(p: &Problem) -> [Vec<u32>; 3] {
        let c = p.container;
        std::array::from_fn(|a| {
            let n = c[a] as usize;
            let mut sides: Vec<usize> = p
                .types
                .iter()
                .flat_map(|t| t.orients.iter().map(move |(_, d)| d[a] as usize))
                .collect();
            sides.sort_unstable();
            sides.dedup();
            let mut reach = vec![false; n + 1];
            reach[0] = true;
            for r in 1..=n {
                reach[r] = sides.iter().take_while(|&&d| d <= r).any(|&d| reach[r - d]);
            }
            let mut best = vec![0u32; n + 1];
            for r in 1..=n {
                best[r] = if reach[r] { r as u32 } else { best[r - 1] };
            }
            best
        })
    }
}

/// Which residual space the search fills next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpaceOrder {
    /// The space whose anchor corner is nearest its container corner (Parreño et al. 2008).
    Corners,
    /// The lowest space first, in horizontal bands of a 22nd of the container height, then by
    /// corner. With full support this keeps the tops of neighbouring columns close, so that
    /// they can carry the next layer together; on BR8–BR15 samples it won on 44 of 64 instances.
    FloorUp,
}

/// The container height is cut into this many bands for [`SpaceOrder::FloorUp`] (10 cm in a
/// 220 cm container; 25 and 50 cm bands did worse on BR8–BR15 samples).
const FLOOR_UP_BANDS: u32 = 22;

/// A partial packing.
#[derive(Clone)]
pub(crate) struct State {
    pub(crate) spaces: Vec<Space>,
    pub(crate) remaining: Vec<u32>,
    /// Placed blocks: index and position.
    pub(crate) placed: Vec<(u32, [u32; 3])>,
    pub(crate) volume: u64,
    pub(crate) weight: f64,
    /// Blocks that may still have enough boxes left, in block order (largest volume first); shared
    /// between states until [`State::place`] compacts it. Dead entries are skipped by `dead`.
    alive: Arc<Vec<u32>>,
    /// Bit per block: too few boxes of some type remain for it.
    dead: Vec<u64>,
    /// Per type, how many entries of `Ctx::by_type` are dead (they form a prefix).
    cursor: Vec<u32>,
    /// Blocks that died since `alive` was last compacted.
    died: u32,
    /// Per placed block, the weight it may still take (see [`Block::spare`]), less what was put on
    /// it since.
    spare: Vec<f64>,
    /// Whether some placed block has a finite `spare` (else loads need no tracking).
    limited: bool,
}

impl State {
    pub(crate) fn new(ctx: &Ctx<'_>) -> Self {
        let c = ctx.p.container;
        Self {
            spaces: vec![Space {
                lo: [0, 0, 0],
                hi: c,
            }],
            remaining: ctx.p.types.iter().map(|t| t.qty).collect(),
            placed: Vec::new(),
            volume: 0,
            weight: 0.0,
            alive: Arc::new((0..ctx.blocks.len() as u32).collect()),
            dead: vec![0; ctx.blocks.len().div_ceil(64)],
            cursor: vec![0; ctx.p.types.len()],
            died: 0,
            spare: Vec::new(),
            limited: false,
        }
    }

    /// The index of the space to fill next, if any.
    fn next_space(&self, ctx: &Ctx<'_>) -> Option<usize> {
        let c = ctx.p.container;
        type Key = ([u32; 3], std::cmp::Reverse<u64>);
        let mut best: Option<(Key, usize)> = None;
        for (k, s) in self.spaces.iter().enumerate() {
            let (d, _) = s.anchor(c, ctx.low_only);
            let d = match ctx.floor_up {
                // The band replaces the largest corner distance, so nearby spaces of one band
                // still go corner first.
                Some(band) => [s.lo[2] / band, d[0], d[1]],
                None => d,
            };
            let sz = s.size();
            let vol = u64::from(sz[0]) * u64::from(sz[1]) * u64::from(sz[2]);
            let key = (d, std::cmp::Reverse(vol));
            if best.as_ref().is_none_or(|(bk, _)| key < *bk) {
                best = Some((key, k));
            }
        }
        best.map(|(_, k)| k)
    }

    fn feasible(&self, ctx: &Ctx<'_>, b: &Block, size: [u32; 3], bearable: f64) -> bool {
        if b.dims[0] > size[0] || b.dims[1] > size[1] || b.dims[2] > size[2] || b.weight > bearable
        {
            return false;
        }
        debug_assert!(b
            .counts
            .iter()
            .all(|&(t, n)| self.remaining[t as usize] >= u32::from(n)));
        if let Some(max) = ctx.p.payload {
            if self.weight + b.weight > max + 1e-9 {
                return false;
            }
        }
        true
    }

    fn multi_drop_ok(&self, ctx: &Ctx<'_>, b: &Block, at: [u32; 3]) -> bool {
        if !ctx.p.multi_drop {
            return true;
        }
        let hi = [at[0] + b.dims[0], at[1] + b.dims[1], at[2] + b.dims[2]];
        self.placed.iter().all(|&(k, pos)| {
            let o = &ctx.blocks[k as usize];
            let ohi = [pos[0] + o.dims[0], pos[1] + o.dims[1], pos[2] + o.dims[2]];
            let door = ctx.p.door;
            !((o.stop < b.stop && multi_drop_blocks(door, (pos, ohi), (at, hi)))
                || (o.stop > b.stop && multi_drop_blocks(door, (at, hi), (pos, ohi))))
        })
    }

    /// Up to `k` feasible blocks for space `s`, best first, with their positions.
    pub(crate) fn candidates(&self, ctx: &Ctx<'_>, s: usize, k: usize) -> Vec<(u32, [u32; 3])> {
        let sp = self.spaces[s];
        let size = sp.size();
        let (_, high) = sp.anchor(ctx.p.container, ctx.low_only);
        let bearable = self.bearable(ctx, [sp.lo[0], sp.lo[1], sp.hi[0], sp.hi[1]], sp.lo[2]);
        if !ctx.use_fitness {
            let mut out = Vec::new();
            let mut tops: Option<Vec<[u32; 4]>> = None;
            for i in self.alive_blocks(0) {
                let b = &ctx.blocks[i];
                if self.feasible(ctx, b, size, bearable) {
                    let at = sp.place(b.dims, high);
                    let stands_here = !ctx.p.partial_support()
                        || sp.lo[2] == 0
                        || stands(
                            ctx,
                            i,
                            at,
                            tops.get_or_insert_with(|| self.tops_at(ctx, sp.lo[2])),
                        );
                    if stands_here
                        && self.multi_drop_ok(ctx, b, at)
                        && !(b.cap && self.loaded_from_above(ctx, at, b.dims))
                    {
                        out.push((i as u32, at));
                        if out.len() >= k {
                            break;
                        }
                    }
                }
            }
            return out;
        }
        // Score in the manner of Araya et al.'s VCS (2017): volume × (1 − share of the space made
        // unusable) × (share of the block's surface touching walls or blocks)^p × boxes^−0.5
        // (p = `contact_power`; exponents tuned on BR1–BR15 samples: they beat VCS's 4 and −0.2).
        // Every factor but the volume is ≤ 1, so blocks (sorted by volume) can stop the scan early.
        let space_vol = size.iter().map(|&d| d as usize).product::<usize>() as i64;
        let fillable: f64 = (0..3)
            .map(|a| f64::from(ctx.fill[a][size[a] as usize]))
            .product();
        let mut top: Vec<(f64, u32)> = Vec::with_capacity(k + 1);
        let mut near: Option<Vec<[u32; 6]>> = None;
        let mut fits = FitMemo::default();
        let partial = ctx.p.partial_support();
        let mut tops: Option<Vec<[u32; 4]>> = None;
        let first = self
            .alive
            .partition_point(|&i| ctx.vols[i as usize] > space_vol);
        for i in self.alive_blocks(first) {
            let vol = ctx.vols[i] as f64;
            if top.len() >= k && vol <= top[k - 1].0 {
                break;
            }
            let d = ctx.dims[i];
            if d[0] > size[0] || d[1] > size[1] || d[2] > size[2] {
                continue;
            }
            if !self.feasible(ctx, &ctx.blocks[i], size, bearable) {
                continue;
            }
            if ctx.blocks[i].cap && self.loaded_from_above(ctx, sp.place(d, high), d) {
                continue;
            }
            if partial && sp.lo[2] > 0 {
                let tops = tops.get_or_insert_with(|| self.tops_at(ctx, sp.lo[2]));
                if !stands(ctx, i, sp.place(d, high), tops) {
                    continue;
                }
            }
            let mut usable = 1.0;
            for a in 0..3 {
                let r = (size[a] - d[a]) as usize;
                usable *= f64::from(d[a] + ctx.fill[a][r]);
            }
            let mut keep = if fillable > 0.0 {
                (usable / fillable).min(1.0)
            } else {
                1.0
            };
            if ctx.p.support {
                // Nothing can stand on the block outside its packing area: that room is lost too.
                let b = &ctx.blocks[i];
                let pa = u64::from(b.pa[2] - b.pa[0]) * u64::from(b.pa[3] - b.pa[1]);
                let foot = u64::from(d[0]) * u64::from(d[1]);
                let above = if b.cap {
                    size[2] - d[2]
                } else {
                    (size[2] - d[2]) * u32::from(foot > pa)
                };
                let lost = (foot - if b.cap { 0 } else { pa }) as f64 * f64::from(above);
                keep *= (1.0 - ctx.lost_weight * lost / space_vol as f64).max(0.0);
            }
            let mut score = vol * keep;
            if top.len() >= k && score <= top[k - 1].0 {
                continue;
            }
            if ctx.p.support && !ctx.blocks[i].cap && size[2] > d[2] {
                // The room above the packing area is lost too when no box left fits on it.
                let b = &ctx.blocks[i];
                let room = [b.pa[2] - b.pa[0], b.pa[3] - b.pa[1], size[2] - d[2]];
                if !fits.fits(self, ctx, size, room) {
                    let lost = f64::from(room[0]) * f64::from(room[1]) * f64::from(room[2]);
                    score *= (1.0 - lost / space_vol as f64).max(0.0);
                    if top.len() >= k && score <= top[k - 1].0 {
                        continue;
                    }
                }
            }
            if ctx.contact_power > 0 {
                score *= ctx.box_factor[i];
                if top.len() >= k && score <= top[k - 1].0 {
                    continue;
                }
                let at = sp.place(d, high);
                let near = near.get_or_insert_with(|| self.near(ctx, &sp));
                score *= contact(ctx.p.container, near, at, d).powi(ctx.contact_power);
            }
            let pos = top.partition_point(|&(f, _)| f >= score);
            if pos < k {
                top.insert(pos, (score, i as u32));
                top.truncate(k);
            }
        }
        top.into_iter()
            .map(|(_, i)| (i, sp.place(ctx.blocks[i as usize].dims, high)))
            .collect()
    }

    fn is_dead(&self, k: usize) -> bool {
        self.dead[k / 64] & (1 << (k % 64)) != 0
    }

    /// Indices of the blocks that still have enough boxes left, largest volume first, from position
    /// `from` of the alive list on.
    fn alive_blocks(&self, from: usize) -> impl Iterator<Item = usize> + '_ {
        self.alive[from..]
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| !self.is_dead(i))
    }

    /// Marks the blocks that need more boxes of the types of `counts` than remain, and compacts
    /// the alive list once a quarter of it has died.
    fn bury(&mut self, ctx: &Ctx<'_>, counts: &[(u16, u16)]) {
        for &(t, _) in counts {
            let t = t as usize;
            let list = &ctx.by_type[t];
            let mut c = self.cursor[t] as usize;
            while c < list.len() && u32::from(list[c].0) > self.remaining[t] {
                let k = list[c].1 as usize;
                if !self.is_dead(k) {
                    self.dead[k / 64] |= 1 << (k % 64);
                    self.died += 1;
                }
                c += 1;
            }
            self.cursor[t] = c as u32;
        }
        if self.died as usize * 4 > self.alive.len() {
            let kept: Vec<u32> = self.alive_blocks(0).map(|i| i as u32).collect();
            self.alive = Arc::new(kept);
            self.died = 0;
        }
    }

    /// Whether a placed block already rests on the top face of a block of extents `d` at `at` (which
    /// can happen when floating placements are allowed); fragile blocks must not go there.
    fn loaded_from_above(&self, ctx: &Ctx<'_>, at: [u32; 3], d: [u32; 3]) -> bool {
        let top = at[2] + d[2];
        self.placed.iter().any(|&(k, pos)| {
            let e = ctx.dims[k as usize];
            pos[2] == top
                && pos[0] < at[0] + d[0]
                && at[0] < pos[0] + e[0]
                && pos[1] < at[1] + d[1]
                && at[1] < pos[1] + e[1]
        })
    }

    /// The fully covered top rectangles (absolute `[x0, y0, x1, y1]`) of the placed blocks whose
    /// top is at height `z` and that may carry boxes.
    fn tops_at(&self, ctx: &Ctx<'_>, z: u32) -> Vec<[u32; 4]> {
        self.placed
            .iter()
            .filter_map(|&(k, pos)| {
                let b = &ctx.blocks[k as usize];
                (pos[2] + b.dims[2] == z && carries(ctx, b)).then(|| {
                    [
                        pos[0] + b.pa[0],
                        pos[1] + b.pa[1],
                        pos[0] + b.pa[2],
                        pos[1] + b.pa[3],
                    ]
                })
            })
            .collect()
    }

    /// The placed blocks that would bear a load put on the rectangle `foot` at height `z`: those
    /// whose top touches it, and, in turn, those below them.
    fn under(&self, ctx: &Ctx<'_>, foot: [u32; 4], z: u32) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        let mut todo = vec![(foot, z)];
        while let Some((r, z)) = todo.pop() {
            for (j, &(k, pos)) in self.placed.iter().enumerate() {
                let d = ctx.dims[k as usize];
                let touches = pos[2] + d[2] == z
                    && pos[0] < r[2]
                    && r[0] < pos[0] + d[0]
                    && pos[1] < r[3]
                    && r[1] < pos[1] + d[1];
                if touches && !found.contains(&j) {
                    found.push(j);
                    if pos[2] > 0 {
                        todo.push(([pos[0], pos[1], pos[0] + d[0], pos[1] + d[1]], pos[2]));
                    }
                }
            }
        }
        found
    }

    /// The most a block standing on the rectangle `foot` at height `z` may weigh: what every block
    /// that would bear it may still take (unlimited on the floor or when nothing has a limit).
    fn bearable(&self, ctx: &Ctx<'_>, foot: [u32; 4], z: u32) -> f64 {
        if !self.limited || !ctx.p.support || z == 0 {
            return f64::INFINITY;
        }
        self.under(ctx, foot, z)
            .into_iter()
            .map(|j| self.spare[j])
            .fold(f64::INFINITY, f64::min)
    }

    /// Placed blocks (as `[lo, hi]`) close enough to space `sp` to touch a block put inside it.
    fn near(&self, ctx: &Ctx<'_>, sp: &Space) -> Vec<[u32; 6]> {
        let size = sp.size();
        let tol = size.map(|v| v / 25);
        self.placed
            .iter()
            .filter_map(|&(k, pos)| {
                let e = ctx.dims[k as usize];
                let phi = [pos[0] + e[0], pos[1] + e[1], pos[2] + e[2]];
                (0..3)
                    .all(|a| pos[a] <= sp.hi[a] + tol[a] && phi[a] + tol[a] >= sp.lo[a])
                    .then_some([pos[0], pos[1], pos[2], phi[0], phi[1], phi[2]])
            })
            .collect()
    }

    /// Puts block `k` at `at` and updates spaces and remaining boxes.
    pub(crate) fn place(&mut self, ctx: &Ctx<'_>, k: u32, at: [u32; 3]) {
        let b = &ctx.blocks[k as usize];
        for &(t, n) in &b.counts {
            self.remaining[t as usize] -= u32::from(n);
        }
        self.bury(ctx, &b.counts);
        self.volume += b.volume;
        self.weight += b.weight;
        if self.limited && ctx.p.support && at[2] > 0 {
            let foot = [at[0], at[1], at[0] + b.dims[0], at[1] + b.dims[1]];
            for j in self.under(ctx, foot, at[2]) {
                self.spare[j] -= b.weight;
            }
        }
        self.placed.push((k, at));
        self.spare.push(b.spare);
        self.limited |= b.spare.is_finite();
        let hi = [at[0] + b.dims[0], at[1] + b.dims[1], at[2] + b.dims[2]];
        let top = if !carries(ctx, b) {
            Top::Capped
        } else if ctx.p.support && !ctx.p.partial_support() {
            Top::Area([
                at[0] + b.pa[0],
                at[1] + b.pa[1],
                at[0] + b.pa[2],
                at[1] + b.pa[3],
            ])
        } else {
            Top::Open
        };
        let (min_dim, min_vol) = self.smallest(ctx);
        let useful = |s: &Space| {
            let z = s.size();
            z.iter().all(|&d| d >= min_dim)
                && u64::from(z[0]) * u64::from(z[1]) * u64::from(z[2]) >= min_vol
        };
        cut(&mut self.spaces, at, hi, &top, ctx.p.container[2], &useful);
        if let Top::Area(r) = top {
            self.merged_top(ctx, r, hi[2], &useful);
        }
    }

    /// With support: grows the packing area `r` (top at height `h`) over neighbouring packing areas
    /// at the same height, as long as the grown rectangle stays fully covered, and adds the free room
    /// above it as a space, so that one box can stand on several blocks.
    fn merged_top(&mut self, ctx: &Ctx<'_>, r: [u32; 4], h: u32, useful: &impl Fn(&Space) -> bool) {
        let tops = self.tops_at(ctx, h);
        if tops.len() < 2 {
            return;
        }
        // Packing areas never overlap, so a rectangle is covered when the overlaps add up to its area.
        let covered = |q: [u32; 4]| {
            let need = u64::from(q[2] - q[0]) * u64::from(q[3] - q[1]);
            covered_area(&tops, q) >= need
        };
        let mut m = r;
        for _ in 0..2 {
            // Grow towards +x, −x, +y, −y to the farthest edge that keeps the strip covered.
            for dir in 0..4 {
                let mut edges: Vec<u32> =
                    tops.iter().flat_map(|t| [t[0], t[1], t[2], t[3]]).collect();
                edges.sort_unstable();
                edges.dedup();
                let (axis_lo, axis_hi) = if dir < 2 { (0, 2) } else { (1, 3) };
                let forward = dir % 2 == 0;
                let cands: Vec<u32> = if forward {
                    edges.into_iter().filter(|&e| e > m[axis_hi]).collect()
                } else {
                    edges
                        .into_iter()
                        .rev()
                        .filter(|&e| e < m[axis_lo])
                        .collect()
                };
                for e in cands {
                    let mut strip = m;
                    if forward {
                        strip[axis_lo] = m[axis_hi];
                        strip[axis_hi] = e;
                    } else {
                        strip[axis_lo] = e;
                        strip[axis_hi] = m[axis_lo];
                    }
                    if !covered(strip) {
                        break;
                    }
                    if forward {
                        m[axis_hi] = e;
                    } else {
                        m[axis_lo] = e;
                    }
                }
            }
        }
        if m == r {
            return;
        }
        let mut ztop = ctx.p.container[2];
        for &(k, pos) in &self.placed {
            let d = ctx.dims[k as usize];
            let xy = pos[0] < m[2] && m[0] < pos[0] + d[0] && pos[1] < m[3] && m[1] < pos[1] + d[1];
            if xy && pos[2] + d[2] > h {
                ztop = ztop.min(pos[2].max(h));
            }
        }
        if ztop <= h {
            return;
        }
        let sp = Space {
            lo: [m[0], m[1], h],
            hi: [m[2], m[3], ztop],
        };
        if !useful(&sp) || self.spaces.iter().any(|s| s.contains(&sp)) {
            return;
        }
        self.spaces.retain(|s| !sp.contains(s));
        self.spaces.push(sp);
    }

    /// Smallest dimension and volume among remaining boxes (`u32::MAX` when none remain).
    fn smallest(&self, ctx: &Ctx<'_>) -> (u32, u64) {
        let mut d = u32::MAX;
        let mut v = u64::MAX;
        for (t, ty) in ctx.p.types.iter().enumerate() {
            if self.remaining[t] > 0 {
                for (_, e) in &ty.orients {
                    d = d.min(*e.iter().min().unwrap_or(&0));
                }
                let e = ty.orients[0].1;
                v = v.min(e.iter().map(|&x| u64::from(x)).product());
            }
        }
        (d, v)
    }

    /// The next decision point: the space to fill and its candidate blocks. Spaces that no block
    /// fits are dropped. `None` when the packing is complete.
    pub(crate) fn expand(&mut self, ctx: &Ctx<'_>, k: usize) -> Option<Vec<(u32, [u32; 3])>> {
        while let Some(s) = self.next_space(ctx) {
            let c = self.candidates(ctx, s, k);
            if c.is_empty() {
                self.spaces.swap_remove(s);
            } else {
                return Some(c);
            }
        }
        None
    }

    /// Completes the packing greedily, always placing the largest feasible block.
    pub(crate) fn greedy(mut self, ctx: &Ctx<'_>) -> State {
        while let Some(c) = self.expand(ctx, 1) {
            self.place(ctx, c[0].0, c[0].1);
        }
        self
    }
}

/// The extents of the boxes still to load, in every allowed orientation, that fit in one space:
/// gathered once per scan of candidates, when first asked, to tell quickly whether some box fits
/// in the room left above a block.
#[derive(Default)]
struct FitMemo {
    /// Orientation extents, smallest volume first, and their smallest extent per axis (`None`
    /// until first asked).
    built: Option<(Vec<[u32; 3]>, [u32; 3])>,
}

impl FitMemo {
    /// Whether some box still to load fits in `room`, which lies inside space extents `size`.
    fn fits(&mut self, state: &State, ctx: &Ctx<'_>, size: [u32; 3], room: [u32; 3]) -> bool {
        let (opts, min) = self.built.get_or_insert_with(|| {
            let mut v: Vec<[u32; 3]> = ctx
                .p
                .types
                .iter()
                .enumerate()
                .filter(|&(t, _)| state.remaining[t] > 0)
                .flat_map(|(_, ty)| ty.orients.iter().map(|(_, e)| *e))
                .filter(|e| e[0] <= size[0] && e[1] <= size[1] && e[2] <= size[2])
                .collect();
            v.sort_unstable_by_key(|e| u64::from(e[0]) * u64::from(e[1]) * u64::from(e[2]));
            let min = std::array::from_fn(|a| v.iter().map(|e| e[a]).min().unwrap_or(u32::MAX));
            (v, min)
        });
        if (0..3).any(|a| room[a] < min[a]) {
            return false;
        }
        opts.iter()
            .any(|e| e[0] <= room[0] && e[1] <= room[1] && e[2] <= room[2])
    }
}

/// With a support share below 1: whether every box in the bottom layer of block `k`, put at `at`,
/// rests on `tops` (non-overlapping rectangles at the block's base height) over at least the
/// problem's share of its base.
fn stands(ctx: &Ctx<'_>, k: usize, at: [u32; 3], tops: &[[u32; 4]]) -> bool {
    let d = ctx.dims[k];
    let whole = [at[0], at[1], at[0] + d[0], at[1] + d[1]];
    if covered_area(tops, whole) == u64::from(d[0]) * u64::from(d[1]) {
        return true; // the whole footprint is covered, so every box in it is
    }
    let share = ctx.p.share;
    bottom_boxes(ctx, k, at, &mut |r| {
        let area = u64::from(r[2] - r[0]) * u64::from(r[3] - r[1]);
        covered_area(tops, r) as f64 >= share * area as f64 - 1e-6
    })
}

/// Calls `ok` with the footprint of every box at the bottom of block `k` put at `at`, until it
/// returns false; returns whether it never did.
fn bottom_boxes(
    ctx: &Ctx<'_>,
    k: usize,
    at: [u32; 3],
    ok: &mut impl FnMut([u32; 4]) -> bool,
) -> bool {
    match ctx.blocks[k].shape {
        Shape::Simple { ty, orient, n } => {
            let d = ctx.p.types[ty as usize].orients[orient as usize].1;
            (0..u32::from(n[0])).all(|ix| {
                (0..u32::from(n[1])).all(|iy| {
                    let (x, y) = (at[0] + ix * d[0], at[1] + iy * d[1]);
                    ok([x, y, x + d[0], y + d[1]])
                })
            })
        }
        Shape::Pair { a, b, off } => {
            bottom_boxes(ctx, a as usize, at, ok)
                && (off[2] > 0
                    || bottom_boxes(ctx, b as usize, [at[0] + off[0], at[1] + off[1], at[2]], ok))
        }
    }
}

/// Whether the cuboid `blocker` lies between the cuboid `item` and the door (solver-side copy of the
/// rule; the checker has its own).
fn multi_drop_blocks(
    door: Door,
    item: ([u32; 3], [u32; 3]),
    blocker: ([u32; 3], [u32; 3]),
) -> bool {
    let (d, a, b) = match door {
        Door::Rear => (0, 1, 2),
        Door::Side => (1, 0, 2),
    };
    let (lo, hi) = item;
    let (blo, bhi) = blocker;
    blo[d] >= hi[d] && lo[a] < bhi[a] && blo[a] < hi[a] && lo[b] < bhi[b] && blo[b] < hi[b]
}

/// Share of the surface of a block of extents `d` at `at` that touches the container walls or
/// placed blocks (gaps up to 4 % of the block's side count as touching).
fn contact(c: [u32; 3], near: &[[u32; 6]], at: [u32; 3], d: [u32; 3]) -> f64 {
    let hi = [at[0] + d[0], at[1] + d[1], at[2] + d[2]];
    let face = [
        f64::from(d[1]) * f64::from(d[2]),
        f64::from(d[0]) * f64::from(d[2]),
        f64::from(d[0]) * f64::from(d[1]),
    ];
    let tol = d.map(|v| v / 25);
    let mut touch = 0.0;
    for a in 0..3 {
        if at[a] <= tol[a] {
            touch += face[a];
        }
        if c[a] - hi[a] <= tol[a] {
            touch += face[a];
        }
    }
    for q in near {
        let (pos, phi) = ([q[0], q[1], q[2]], [q[3], q[4], q[5]]);
        for a in 0..3 {
            let (b1, b2) = ((a + 1) % 3, (a + 2) % 3);
            let o1 = hi[b1].min(phi[b1]).saturating_sub(at[b1].max(pos[b1]));
            let o2 = hi[b2].min(phi[b2]).saturating_sub(at[b2].max(pos[b2]));
            if o1 == 0 || o2 == 0 {
                continue;
            }
            let gap = if phi[a] <= at[a] {
                at[a] - phi[a]
            } else if hi[a] <= pos[a] {
                pos[a] - hi[a]
            } else {
                continue;
            };
            if gap <= tol[a] {
                touch += f64::from(o1) * f64::from(o2);
            }
        }
    }
    let total = 2.0 * (face[0] + face[1] + face[2]);
    (touch / total).min(1.0)
}

/// Whether something may be put on block `b` once placed: it holds no item that carries nothing,
/// or, with support (where every load goes down through the tops), it can still take some weight.
fn carries(ctx: &Ctx<'_>, b: &Block) -> bool {
    !b.cap || (ctx.p.support && b.spare > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Constraints, Container, ItemSpec, LoadRequest};

    #[test]
    fn floor_up_fills_the_lowest_space_first_and_corners_the_nearest() {
        let req = LoadRequest {
            container: Container {
                id: "c".into(),
                length: 100,
                width: 40,
                height: 100,
                max_payload: None,
                door: Default::default(),
                axles: None,
            },
            items: vec![ItemSpec::new("box", 20, 20, 20)],
            constraints: Constraints {
                support: Some(1.0),
                ..Default::default()
            },
        };
        let p = Problem::new(&req);
        let ctx = Ctx::new(&p, &[]);
        let mut state = State::new(&ctx);
        // A space on a block in the front corner, 30 up; one on the floor, 40 from either end wall
        // and 10 from either side wall.
        let raised = Space {
            lo: [0, 0, 30],
            hi: [20, 40, 100],
        };
        let floor = Space {
            lo: [40, 10, 0],
            hi: [60, 30, 100],
        };
        state.spaces = vec![raised, floor];
        let corners = ctx.ordered(SpaceOrder::Corners);
        assert_eq!(state.next_space(&corners), Some(0), "nearer its corner");
        let floor_up = ctx.ordered(SpaceOrder::FloorUp);
        assert_eq!(state.next_space(&floor_up), Some(1), "lower");
        // Within one band (100 / 22 = 4 units) the two nearest corner distances decide.
        state.spaces[0].lo[2] = 3;
        assert_eq!(state.next_space(&floor_up), Some(0));
    }
}
