//! The solver's view of a request: box types with their usable orientations and flags.

use crate::model::{Door, ItemSpec, LoadRequest, Orientation};

/// One item line as the solver sees it.
#[derive(Debug, Clone)]
pub(crate) struct BoxType {
    /// Index into `request.items`.
    pub(crate) spec: usize,
    /// Usable orientations with their extents; orientations giving equal extents appear once.
    pub(crate) orients: Vec<(Orientation, [u32; 3])>,
    pub(crate) weight: f64,
    pub(crate) stop: u32,
    /// Nothing may be placed on top (fragile or not stackable, with load-bearing enforced).
    pub(crate) cap: bool,
    /// With `cap`: at most this many of the type may stand in one column of their own kind (one
    /// when not stackable; with a load limit, one more than the limit over the weight), the top one
    /// carrying nothing. `u32::MAX` when unlimited.
    pub(crate) stack: u32,
    /// The weight one item may carry: its load limit, `INFINITY` without one, `NEG_INFINITY` when
    /// nothing at all may rest on it (not stackable or a limit of zero).
    pub(crate) limit: f64,
    pub(crate) qty: u32,
}

/// The solver's problem: container, usable box types and switches.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub(crate) container: [u32; 3],
    pub(crate) types: Vec<BoxType>,
    pub(crate) support: bool,
    /// With support, the share of a box's base that must rest on the floor or on tops (1: full).
    pub(crate) share: f64,
    pub(crate) multi_drop: bool,
    pub(crate) door: Door,
    pub(crate) payload: Option<f64>,
}

impl Problem {
    /// Whether support is required for less than the whole base: boxes may then overhang their
    /// supports, and the search checks each placement's share instead of standing blocks only on
    /// fully covered tops.
    pub(crate) fn partial_support(&self) -> bool {
        self.support && self.share < 1.0 - 1e-9
    }

    /// Builds the solver view; lines whose items cannot be loaded at all are left out
    /// (the caller reports them).
    pub(crate) fn new(req: &LoadRequest) -> Self {
        let c = &req.container;
        let container = [c.length, c.width, c.height];
        let k = &req.constraints;
        let payload = if k.weight_limit {
            c.max_payload.map(|p| p.0)
        } else {
            None
        };
        let mut types = Vec::new();
        for (spec, it) in req.items.iter().enumerate() {
            let mut orients: Vec<(Orientation, [u32; 3])> = Vec::new();
            for o in Orientation::ALL {
                if k.orientations && !it.allows(o) {
                    continue;
                }
                let d = o.apply(it.dims());
                if (0..3).all(|a| d[a] <= container[a] && d[a] > 0)
                    && !orients.iter().any(|(_, e)| *e == d)
                {
                    orients.push((o, d));
                }
            }
            let too_heavy = payload.is_some_and(|p| it.weight.0 > p);
            if orients.is_empty() || it.quantity == 0 || too_heavy {
                continue;
            }
            types.push(BoxType {
                spec,
                orients,
                weight: it.weight.0,
                stop: if k.multi_drop { it.stop } else { 0 },
                cap: k.load_bearing && it.caps_stack(),
                stack: stack_limit(it, k.load_bearing),
                limit: load_limit(it, k.load_bearing),
                qty: it.quantity.min(u32::from(u16::MAX)),
            });
        }
        Self {
            container,
            types,
            support: k.support.is_some(),
            share: k.support.unwrap_or(1.0),
            multi_drop: k.multi_drop,
            door: c.door,
            payload,
        }
    }
}

/// How many items of `it` may stand in one column, each fully on the one below: the bottom one
/// carries the others' weight, which its load limit bounds. Not stackable or a limit of zero: one.
fn stack_limit(it: &ItemSpec, load_bearing: bool) -> u32 {
    if !load_bearing {
        return u32::MAX;
    }
    if !it.stackable {
        return 1;
    }
    match it.max_load_on_top {
        // A limit of zero means nothing on top, even items that weigh nothing.
        Some(limit) if limit.0 <= 0.0 => 1,
        Some(limit) if it.weight.0 > 0.0 => {
            let above = (limit.0 / it.weight.0).floor();
            if above >= f64::from(u32::MAX - 1) {
                u32::MAX
            } else {
                above.max(0.0) as u32 + 1
            }
        }
        _ => u32::MAX,
    }
}

/// The weight one item of `it` may carry (see [`BoxType::limit`]).
fn load_limit(it: &ItemSpec, load_bearing: bool) -> f64 {
    match it.max_load_on_top {
        _ if !load_bearing => f64::INFINITY,
        _ if !it.stackable => f64::NEG_INFINITY,
        Some(limit) if limit.0 <= 0.0 => f64::NEG_INFINITY,
        Some(limit) => limit.0,
        None => f64::INFINITY,
    }
}
