//! The independent checker: validates a plan against the request, constraint by constraint.
//!
//! It shares no code with the solver beyond the input and output types, so a solver bug cannot hide
//! itself. Every enabled constraint is checked and every violation reported.

mod balance;
mod geometry;
mod multi_drop;
mod support;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{ItemSpec, LoadRequest};
use crate::plan::{LoadPlan, Placement};

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckViolation {
    /// Stable code: `unknown_item`, `too_many_copies`, `size_mismatch`, `orientation`, `outside`,
    /// `overlap`, `weight_limit`, `support`, `load_bearing`, `not_stackable`, `multi_drop`,
    /// `centre_of_gravity`, `axle_load`, or (for shipments) `unknown_container`.
    pub code: String,
    /// Indices into [`LoadPlan::placements`] of the placements involved.
    pub placements: Vec<usize>,
    /// Human-readable explanation.
    pub message: String,
}

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckReport {
    /// True when no violation was found.
    pub ok: bool,
    /// Every violation found.
    pub violations: Vec<CheckViolation>,
    /// Loaded volume recomputed from the placements, mm³.
    pub loaded_volume: u64,
    /// Utilisation recomputed from the placements, 0–1.
    pub utilisation: f64,
}

impl CheckReport {
    /// Whether a violation with this code was reported.
    pub fn has(&self, code: &str) -> bool {
        self.violations.iter().any(|v| v.code == code)
    }
}

/// A placement resolved to its item line.
pub(crate) struct Resolved<'a> {
    pub(crate) p: &'a Placement,
    pub(crate) spec: &'a ItemSpec,
}

/// Collects violations.
#[derive(Default)]
pub(crate) struct Sink(pub(crate) Vec<CheckViolation>);

impl Sink {
    pub(crate) fn push(&mut self, code: &str, placements: Vec<usize>, message: String) {
        self.0.push(CheckViolation {
            code: code.to_string(),
            placements,
            message,
        });
    }
}

/// Checks `plan` against `request`: containment, non-overlap, item identity and copies, sizes, and
/// every constraint enabled in `request.constraints`. Costs O(n²) in the number of placements.
pub fn check(request: &LoadRequest, plan: &LoadPlan) -> CheckReport {
    let mut sink = Sink::default();
    let resolved = geometry::resolve(request, plan, &mut sink);
    let c = &request.constraints;
    if let Some(resolved) = resolved {
        geometry::check_sizes(&resolved, c.orientations, &mut sink);
        geometry::check_inside(&request.container, &resolved, &mut sink);
        geometry::check_overlap(&resolved, &mut sink);
        if c.weight_limit {
            balance::check_weight(&request.container, &resolved, &mut sink);
        }
        if let Some(share) = c.support {
            support::check_support(&resolved, share, &mut sink);
        }
        if c.load_bearing {
            support::check_load_bearing(&resolved, &mut sink);
        }
        if c.multi_drop {
            multi_drop::check_multi_drop(request.container.door, &resolved, &mut sink);
        }
        if let Some(env) = &c.centre_of_gravity {
            balance::check_cog(&request.container, env, &resolved, &mut sink);
        }
        if c.axle_loads {
            balance::check_axles(&request.container, &resolved, &mut sink);
        }
    }
    let loaded_volume: u64 = plan.placements.iter().map(Placement::volume).sum();
    let cv = request.container.volume().max(1);
    CheckReport {
        ok: sink.0.is_empty(),
        violations: sink.0,
        loaded_volume,
        utilisation: loaded_volume as f64 / cv as f64,
    }
}

/// Length of the overlap of `[a0, a1)` and `[b0, b1)` (0 when disjoint).
pub(crate) fn overlap(a0: u32, a1: u32, b0: u32, b1: u32) -> u64 {
    u64::from(a1.min(b1).saturating_sub(a0.max(b0)))
}

/// Area of the overlap of the footprints (x–y projections) of two placements.
pub(crate) fn footprint_overlap(a: &Placement, b: &Placement) -> u64 {
    let (am, bm) = (a.max(), b.max());
    overlap(a.position[0], am[0], b.position[0], bm[0])
        * overlap(a.position[1], am[1], b.position[1], bm[1])
}
