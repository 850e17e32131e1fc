//! Blocks: cuboid arrangements of boxes placed as one unit.
//!
//! *Simple* blocks are `nx × ny × nz` boxes of one type in one orientation. *General* blocks join two
//! blocks side by side along x, y or z when the pair fills at least `min_fill` of its bounding box
//! (Fanslau & Bortfeldt 2010). With the support constraint, general blocks keep every box fully
//! supported and carry a *packing area*: a rectangle of their top face that is fully covered, the only
//! place something may stand on them. Side by side, blocks of unequal height may join (their packing
//! area is the taller one's); stacked, the upper block must stand inside the lower one's area.

use std::collections::HashSet;
use std::time::Instant;

use super::problem::Problem;

/// How a block is made.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// `n` boxes of type `ty` in orientation `orient` (index into the type's `orients`).
    Simple { ty: u16, orient: u8, n: [u16; 3] },
    /// Block `b` placed at offset `off` from block `a`'s origin.
    Pair { a: u32, b: u32, off: [u32; 3] },
}

/// A block.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub(crate) dims: [u32; 3],
    pub(crate) volume: u64,
    pub(crate) weight: f64,
    /// Boxes used per type, sorted by type.
    pub(crate) counts: Vec<(u16, u16)>,
    pub(crate) stop: u32,
    pub(crate) cap: bool,
    /// The weight that may still be put on the block: the least any of its boxes may still carry
    /// (`INFINITY` when none has a limit, `NEG_INFINITY` when something must carry nothing). A block
    /// stacked on it adds its whole weight to every box below, which overestimates each box's share.
    pub(crate) spare: f64,
    /// Fully covered rectangle of the top face `[x0, y0, x1, y1]`, relative to the block.
    pub(crate) pa: [u32; 4],
    pub(crate) shape: Shape,
}

fn merge(a: &[(u16, u16)], b: &[(u16, u16)]) -> Vec<(u16, u16)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1.saturating_add(b[j].1)));
            i += 1;
            j += 1;
        }
    }
    out
}

fn pa_area(pa: &[u32; 4]) -> u64 {
    u64::from(pa[2] - pa[0]) * u64::from(pa[3] - pa[1])
}

/// Identifies a block up to arrangement: extents and box counts.
type BlockKey = ([u32; 3], Vec<(u16, u16)>);

/// Builds the block list, largest volume first (ties broken by a hash of `seed`).
pub(crate) fn generate(
    p: &Problem,
    max_blocks: usize,
    min_fill: f64,
    seed: u64,
    deadline: Instant,
) -> Vec<Block> {
    let c = p.container;
    let mut blocks: Vec<Block> = Vec::new();
    for (t, ty) in p.types.iter().enumerate() {
        for (oi, d) in ty.orients.iter().map(|(_, d)| *d).enumerate() {
            let q = ty.qty;
            for nx in 1..=(c[0] / d[0]).min(q) {
                for ny in 1..=(c[1] / d[1]).min(q / nx) {
                    // Capped types stack only on their own kind, within their load limit.
                    let zmax = (c[2] / d[2]).min(q / (nx * ny)).min(ty.stack);
                    for nz in 1..=zmax {
                        let n = nx * ny * nz;
                        let dims = [nx * d[0], ny * d[1], nz * d[2]];
                        blocks.push(Block {
                            dims,
                            volume: dims.iter().map(|&v| u64::from(v)).product(),
                            weight: ty.weight * f64::from(n),
                            counts: vec![(t as u16, n as u16)],
                            stop: ty.stop,
                            cap: ty.cap,
                            // The bottom box of each column carries the nz − 1 above it.
                            spare: ty.limit - ty.weight * f64::from(nz - 1),
                            pa: [0, 0, dims[0], dims[1]],
                            shape: Shape::Simple {
                                ty: t as u16,
                                orient: oi as u8,
                                n: [nx as u16, ny as u16, nz as u16],
                            },
                        });
                    }
                }
            }
        }
    }
    if blocks.len() > max_blocks {
        // Keep single boxes, then the largest blocks.
        blocks.sort_by_key(|b| (b.counts[0].1 != 1, std::cmp::Reverse(b.volume)));
        blocks.truncate(max_blocks);
    }
    let mut seen: HashSet<BlockKey> = blocks.iter().map(|b| (b.dims, b.counts.clone())).collect();
    let mut level_start = 0;
    // Two blocks side by side along `axis` fill 98 % of their bounding box only when their other two
    // sides are close; pairs are looked up in windows of the sides (ratio ≥ WINDOW).
    const WINDOW: f64 = 0.9;
    'outer: while blocks.len() < max_blocks && min_fill <= 1.0 {
        let n = blocks.len();
        if level_start == n {
            break;
        }
        // For each axis, block indices sorted by their first other side.
        let others = [(1usize, 2usize), (0, 2), (0, 1)];
        let sorted: Vec<Vec<(u32, usize)>> = others
            .iter()
            .map(|&(o1, _)| {
                let mut v: Vec<(u32, usize)> = (0..n).map(|k| (blocks[k].dims[o1], k)).collect();
                v.sort_unstable();
                v
            })
            .collect();
        for i in level_start..n {
            if Instant::now() > deadline {
                break 'outer;
            }
            for (axis, &(o1, o2)) in others.iter().enumerate() {
                let d1 = blocks[i].dims[o1];
                let d2 = blocks[i].dims[o2];
                let lo = (f64::from(d1) * WINDOW).floor() as u32;
                let hi = (f64::from(d1) / WINDOW).ceil() as u32;
                let list = &sorted[axis];
                let start = list.partition_point(|&(d, _)| d < lo);
                for &(d, j) in &list[start..] {
                    if d > hi {
                        break;
                    }
                    let e2 = blocks[j].dims[o2];
                    if (f64::from(e2) < f64::from(d2) * WINDOW)
                        || (f64::from(e2) * WINDOW > f64::from(d2))
                    {
                        continue;
                    }
                    for (a, b) in [(i, j), (j, i)] {
                        if let Some(nb) = combine(p, &blocks, a, b, axis, min_fill) {
                            let key = (nb.dims, nb.counts.clone());
                            if seen.insert(key) {
                                blocks.push(nb);
                                if blocks.len() >= max_blocks {
                                    break 'outer;
                                }
                            }
                        }
                    }
                }
            }
        }
        level_start = n;
    }
    let h = |k: usize| {
        let mut z = seed ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut idx: Vec<usize> = (0..blocks.len()).collect();
    if p.multi_drop {
        // Later stops first: they go deepest.
        idx.sort_by_key(|&k| {
            (
                std::cmp::Reverse(blocks[k].stop),
                std::cmp::Reverse(blocks[k].volume),
                h(k),
            )
        });
    } else {
        idx.sort_by_key(|&k| (std::cmp::Reverse(blocks[k].volume), h(k)));
    }
    // Re-index, remapping the children of pairs.
    let mut pos = vec![0u32; blocks.len()];
    for (new, &old) in idx.iter().enumerate() {
        pos[old] = new as u32;
    }
    let mut out: Vec<Block> = idx.iter().map(|&k| blocks[k].clone()).collect();
    for b in &mut out {
        if let Shape::Pair { a, b: bb, .. } = &mut b.shape {
            *a = pos[*a as usize];
            *bb = pos[*bb as usize];
        }
    }
    out
}

fn combine(
    p: &Problem,
    blocks: &[Block],
    ia: usize,
    ib: usize,
    axis: usize,
    min_fill: f64,
) -> Option<Block> {
    let (a, b) = (&blocks[ia], &blocks[ib]);
    if p.multi_drop && a.stop != b.stop {
        return None;
    }
    let c = p.container;
    let (dims, off, pa) = if axis == 2 {
        // Stack only what every box of the lower block can still carry.
        if b.weight > a.spare {
            return None;
        }
        let off = if p.support {
            if b.dims[0] > a.pa[2] - a.pa[0] || b.dims[1] > a.pa[3] - a.pa[1] {
                return None;
            }
            [a.pa[0], a.pa[1], a.dims[2]]
        } else {
            [0, 0, a.dims[2]]
        };
        let dims = [
            a.dims[0].max(off[0] + b.dims[0]),
            a.dims[1].max(off[1] + b.dims[1]),
            a.dims[2] + b.dims[2],
        ];
        let pa = [
            b.pa[0] + off[0],
            b.pa[1] + off[1],
            b.pa[2] + off[0],
            b.pa[3] + off[1],
        ];
        (dims, off, pa)
    } else {
        let mut off = [0, 0, 0];
        off[axis] = a.dims[axis];
        let mut dims = [
            a.dims[0].max(b.dims[0]),
            a.dims[1].max(b.dims[1]),
            a.dims[2].max(b.dims[2]),
        ];
        dims[axis] = a.dims[axis] + b.dims[axis];
        let pb = [
            b.pa[0] + off[0],
            b.pa[1] + off[1],
            b.pa[2] + off[0],
            b.pa[3] + off[1],
        ];
        // The packing area must lie at the top (height dims[2]): with unequal heights only the taller
        // block's area qualifies (with support, the lower block's boxes stand on their own base and
        // the room above them, inside the bounding box, stays empty; `min_fill` bounds that loss). With equal heights, join the areas when they line up
        // into one rectangle, else keep the larger.
        let (o1, o2) = if axis == 0 { (1, 3) } else { (0, 2) };
        let (s1, s2) = if axis == 0 { (0, 2) } else { (1, 3) };
        let pa = if a.dims[2] > b.dims[2] {
            a.pa
        } else if b.dims[2] > a.dims[2] {
            pb
        } else if a.pa[o1] == pb[o1] && a.pa[o2] == pb[o2] && a.pa[s2] == pb[s1] {
            let mut m = a.pa;
            m[s2] = pb[s2];
            m
        } else if pa_area(&a.pa) >= pa_area(&pb) {
            a.pa
        } else {
            pb
        };
        (dims, off, pa)
    };
    if (0..3).any(|k| dims[k] > c[k]) {
        return None;
    }
    let vol = a.volume + b.volume;
    let bbox: u64 = dims.iter().map(|&v| u64::from(v)).product();
    if (vol as f64) < min_fill * bbox as f64 {
        return None;
    }
    let counts = merge(&a.counts, &b.counts);
    if counts
        .iter()
        .any(|&(t, n)| u32::from(n) > p.types[t as usize].qty)
    {
        return None;
    }
    Some(Block {
        dims,
        volume: vol,
        weight: a.weight + b.weight,
        counts,
        stop: a.stop,
        cap: a.cap || b.cap,
        spare: if axis == 2 {
            (a.spare - b.weight).min(b.spare)
        } else {
            a.spare.min(b.spare)
        },
        pa,
        shape: Shape::Pair {
            a: ia as u32,
            b: ib as u32,
            off,
        },
    })
}

/// One box of an expanded block: type, orientation index and position.
pub(crate) type BoxPos = (u16, u8, [u32; 3]);

/// Lists the boxes of block `k` placed at `at`.
pub(crate) fn expand(p: &Problem, blocks: &[Block], k: usize, at: [u32; 3], out: &mut Vec<BoxPos>) {
    match blocks[k].shape {
        Shape::Simple { ty, orient, n } => {
            let d = p.types[ty as usize].orients[orient as usize].1;
            for ix in 0..u32::from(n[0]) {
                for iy in 0..u32::from(n[1]) {
                    for iz in 0..u32::from(n[2]) {
                        out.push((
                            ty,
                            orient,
                            [at[0] + ix * d[0], at[1] + iy * d[1], at[2] + iz * d[2]],
                        ));
                    }
                }
            }
        }
        Shape::Pair { a, b, off } => {
            expand(p, blocks, a as usize, at, out);
            expand(
                p,
                blocks,
                b as usize,
                [at[0] + off[0], at[1] + off[1], at[2] + off[2]],
                out,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AllowedOrientations, Constraints, Container, ItemSpec, LoadRequest};

    fn upright(id: &str, dims: [u32; 3]) -> ItemSpec {
        let mut it = ItemSpec::new(id, dims[0], dims[1], dims[2]);
        it.orientations = AllowedOrientations {
            length_vertical: false,
            width_vertical: false,
            height_vertical: true,
        };
        it
    }

    fn blocks_for(items: Vec<ItemSpec>, height: u32, min_fill: f64) -> (Problem, Vec<Block>) {
        let constraints = Constraints {
            support: Some(1.0),
            ..Default::default()
        };
        let req = LoadRequest {
            container: Container {
                id: "c".into(),
                length: 100,
                width: 40,
                height,
                max_payload: None,
                door: Default::default(),
                axles: None,
            },
            items,
            constraints,
        };
        let p = Problem::new(&req);
        let far = Instant::now() + std::time::Duration::from_secs(60);
        let blocks = generate(&p, 10_000, min_fill, 0, far);
        (p, blocks)
    }

    #[test]
    fn with_support_unequal_heights_join_and_only_the_taller_top_carries() {
        let items = vec![upright("tall", [50, 40, 50]), upright("low", [50, 40, 49])];
        let (p, blocks) = blocks_for(items, 60, 0.98);
        let pair = blocks
            .iter()
            .position(|b| b.dims == [100, 40, 50] && b.counts.len() == 2)
            .expect("the two boxes side by side form a block");
        let b = &blocks[pair];
        assert!(matches!(b.shape, Shape::Pair { .. }));
        // The packing area is the whole top of the taller box and nothing else.
        let mut boxes = Vec::new();
        expand(&p, &blocks, pair, [0, 0, 0], &mut boxes);
        assert_eq!(boxes.len(), 2);
        let (_, _, at) = boxes
            .iter()
            .find(|(t, _, _)| p.types[*t as usize].orients[0].1[2] == 50)
            .expect("the tall box");
        assert_eq!(b.pa, [at[0], 0, at[0] + 50, 40]);
    }

    #[test]
    fn stacked_blocks_stand_inside_the_lower_packing_area() {
        let items = vec![upright("base", [50, 40, 50]), upright("top", [46, 38, 40])];
        let (_, blocks) = blocks_for(items, 100, 0.5);
        let mut stacked = 0;
        for b in &blocks {
            if let Shape::Pair { a, b: upper, off } = b.shape {
                if off[2] > 0 {
                    stacked += 1;
                    let (lo, up) = (&blocks[a as usize], &blocks[upper as usize]);
                    assert!(off[0] >= lo.pa[0] && off[0] + up.dims[0] <= lo.pa[2]);
                    assert!(off[1] >= lo.pa[1] && off[1] + up.dims[1] <= lo.pa[3]);
                    // The top box's base becomes the packing area.
                    assert_eq!(
                        b.pa,
                        [off[0], off[1], off[0] + up.dims[0], off[1] + up.dims[1]]
                    );
                }
            }
        }
        assert!(stacked > 0, "the small box stacks on the large one");
    }
}
