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

/// What the new block leaves usable above itself.
pub(crate) enum Top {
    /// Anything above it is free (no support rule).
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
    let mut pieces: Vec<Space> = Vec::new();
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
                pieces.push(n);
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
                pieces.push(n);
            }
        }
    }
    pieces.retain(|p| useful(p));
    // Drop pieces inside another piece or inside an untouched space.
    let mut keep = vec![true; pieces.len()];
    for i in 0..pieces.len() {
        for j in 0..pieces.len() {
            if i != j
                && keep[j]
                && pieces[j].contains(&pieces[i])
                && (pieces[i] != pieces[j] || j < i)
            {
                keep[i] = false;
                break;
            }
        }
        if keep[i] && spaces.iter().any(|s| s.contains(&pieces[i])) {
            keep[i] = false;
        }
    }
    spaces.extend(
        pieces
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(p, _)| p),
    );
}
