//! Residual spaces: maximal free cuboids, which may overlap one another (Lai & Chan 1997;
//! Parreño et al. 2008). Placing a block cuts every space it meets into up to six maximal pieces.

/// A free cuboid `[lo, hi)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Space {
    pub(crate) lo: [u32; 3],
    pub(crate) hi: [u32; 3],
}

impl Space {
    pub(crate) fn size(&self) -> [u32; 3] {
        [
            self.hi[0] - self.lo[0],
            self.hi[1] - self.lo[1],
            self.hi[2] - self.lo[2],
        ]
    }

    pub(crate) fn contains(&self, o: &Space) -> bool {
        (0..3).all(|a| self.lo[a] <= o.lo[a] && o.hi[a] <= self.hi[a])
    }

    fn meets(&self, lo: [u32; 3], hi: [u32; 3]) -> bool {
        (0..3).all(|a| self.lo[a] < hi[a] && lo[a] < self.hi[a])
    }

    /// The anchor corner (the corner nearest its own container corner) and the sorted distances,
    /// compared lexicographically to pick the next space to fill. `low_only[a]` restricts the corner
    /// to the low side of axis `a` (the floor with support, the front wall with multi-drop).
    pub(crate) fn anchor(&self, c: [u32; 3], low_only: [bool; 3]) -> ([u32; 3], [bool; 3]) {
        let mut d = [0u32; 3];
        let mut high = [false; 3];
        for a in 0..3 {
            let dl = self.lo[a];
            let dh = c[a] - self.hi[a];
            if !low_only[a] && dh < dl {
                d[a] = dh;
                high[a] = true;
            } else {
                d[a] = dl;
            }
        }
        d.sort_unstable();
        (d, high)
    }

    /// Where a block of `dims` goes when put in the anchor corner.
    pub(crate) fn place(&self, dims: [u32; 3], high: [bool; 3]) -> [u32; 3] {
        let mut p = self.lo;
        for a in 0..3 {
            if high[a] {
                p[a] = self.hi[a] - dims[a];
            }
        }
        p
    }
}

/// Area of the rectangle `r` (`[x0, y0, x1, y1]`) covered by `tops`, rectangles that do not
/// overlap one another (the top faces at one height).
pub(crate) fn covered_area(tops: &[[u32; 4]], r: [u32; 4]) -> u64 {
    tops.iter()
        .map(|t| {
            let ox = r[2].min(t[2]).saturating_sub(r[0].max(t[0]));
            let oy = r[3].min(t[3]).saturating_sub(r[1].max(t[1]));
            u64::from(ox) * u64::from(oy)
        })
        .sum()
}

/// What the new block leaves usable above itself.
pub(crate) enum Top {
    /// Anything above it is free (no support rule, or a support share below 1, where the search
    /// checks each placement's support instead).
    Open,
    /// Only this absolute rectangle `[x0, y0, x1, y1]` of its top face can carry boxes.
    Area([u32; 4]),
    /// Nothing may stand on it: the block is treated as reaching the ceiling.
    Capped,
}

/// Cuts the spaces by the block `[lo, hi)`, keeping only pieces that pass `useful` and are not
/// contained in another space.
pub(crate) fn cut(
    spaces: &mut Vec<Space>,
    lo: [u32; 3],
    mut hi: [u32; 3],
    top: &Top,
    ceiling: u32,
    useful: &impl Fn(&Space) -> bool,
) {
    if matches!(top, Top::Capped) {
        hi[2] = ceiling;
    }
    // Each piece with the block face it lies beside (2 × axis + side).
    let mut pieces: Vec<(Space, u8)> = Vec::new();
    let mut k = 0;
    while k < spaces.len() {
        let s = spaces[k];
        if !s.meets(lo, hi) {
            k += 1;
            continue;
        }
        spaces.swap_remove(k);
        for a in 0..3 {
            if s.lo[a] < lo[a] {
                let mut n = s;
                n.hi[a] = lo[a];
                pieces.push((n, 2 * a as u8));
            }
            if hi[a] < s.hi[a] {
                let mut n = s;
                n.lo[a] = hi[a];
                if a == 2 {
                    if let Top::Area(r) = top {
                        n.lo[0] = n.lo[0].max(r[0]);
                        n.lo[1] = n.lo[1].max(r[1]);
                        n.hi[0] = n.hi[0].min(r[2]);
                        n.hi[1] = n.hi[1].min(r[3]);
                        if n.lo[0] >= n.hi[0] || n.lo[1] >= n.hi[1] {
                            continue;
                        }
                    }
                }
                pieces.push((n, 2 * a as u8 + 1));
            }
        }
    }
    pieces.retain(|(p, _)| useful(p));
    // Drop pieces inside another piece or inside an untouched space. A piece lies beside one face of
    // the block and overlaps the block's extent along the other two axes, so it can only lie inside
    // a piece beside the same face, or inside an untouched space that ends exactly on that face's
    // plane.
    let beside: Vec<Space> = spaces
        .iter()
        .filter(|t| (0..3).any(|a| t.hi[a] == lo[a] || t.lo[a] == hi[a]))
        .copied()
        .collect();
    // Within each face, largest pieces first: a piece is kept when no piece kept before it holds it
    // (that also keeps the first of equal pieces).
    let vol = |p: &Space| {
        let z = p.size();
        u64::from(z[0]) * u64::from(z[1]) * u64::from(z[2])
    };
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| (pieces[i].1, std::cmp::Reverse(vol(&pieces[i].0))));
    let mut keep = vec![false; pieces.len()];
    let mut kept: Vec<usize> = Vec::new();
    for (n, &i) in order.iter().enumerate() {
        let (pi, face) = pieces[i];
        if n > 0 && pieces[order[n - 1]].1 != face {
            kept.clear();
        }
        if kept.iter().any(|&j| pieces[j].0.contains(&pi)) || beside.iter().any(|s| s.contains(&pi))
        {
            continue;
        }
        keep[i] = true;
        kept.push(i);
    }
    spaces.extend(
        pieces
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|((p, _), _)| p),
    );
}
