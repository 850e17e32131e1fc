//! The answer: where each item goes, in which order to load, what was left behind and why.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wuliu_model::Kg;

use crate::model::Orientation;

/// One item placed in the container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Placement {
    /// The [`crate::ItemSpec::id`] of the item.
    pub item: String,
    /// Which copy of that line (0-based, below its quantity).
    pub copy: u32,
    /// Corner nearest the origin (front-left-floor), mm.
    pub position: [u32; 3],
    /// Extents along x, y, z once turned, mm.
    pub size: [u32; 3],
    /// How the item is turned.
    pub orientation: Orientation,
}

impl Placement {
    /// The far corner (`position + size`).
    pub fn max(&self) -> [u32; 3] {
        [
            self.position[0] + self.size[0],
            self.position[1] + self.size[1],
            self.position[2] + self.size[2],
        ]
    }

    /// Volume, mm³.
    pub fn volume(&self) -> u64 {
        self.size.iter().map(|&d| u64::from(d)).product()
    }
}

/// Why items were left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnloadedReason {
    /// No allowed orientation fits inside the empty container.
    TooLarge,
    /// One item alone is heavier than the payload.
    TooHeavy,
    /// The payload was used up by the loaded items.
    PayloadReached,
    /// No room left that the search could use.
    NoSpace,
    /// Removed to bring the centre of gravity or axle loads within limits.
    Balance,
}

/// Items of one line that were not loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unloaded {
    /// The [`crate::ItemSpec::id`].
    pub item: String,
    /// How many copies were left out.
    pub quantity: u32,
    /// Why.
    pub reason: UnloadedReason,
}

/// One instruction of the loading sequence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoadStep {
    /// 1-based step number.
    pub step: u32,
    /// Index into [`LoadPlan::placements`].
    pub placement: usize,
    /// Human-readable instruction for the warehouse worker.
    pub instruction: String,
}

/// Figures describing a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanStats {
    /// Number of items loaded.
    pub items_loaded: u32,
    /// Number of items left out.
    pub items_unloaded: u32,
    /// Loaded volume, mm³.
    pub loaded_volume: u64,
    /// Inner volume of the container, mm³.
    pub container_volume: u64,
    /// `loaded_volume / container_volume`, 0–1.
    pub utilisation: f64,
    /// Total loaded weight.
    pub loaded_weight: Kg,
    /// Centre of gravity of the load (mm), when it has weight.
    pub centre_of_gravity: Option<[f64; 3]>,
    /// Wall-clock time spent, ms.
    pub elapsed_ms: u64,
    /// Number of beam-search passes completed.
    pub passes: u32,
}

/// A loading plan for one container.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoadPlan {
    /// The container's id.
    pub container: String,
    /// Placements in loading order (each one can be put in place after the ones before it).
    pub placements: Vec<Placement>,
    /// Step-by-step loading instructions, one per placement.
    pub steps: Vec<LoadStep>,
    /// Items left out, with reasons.
    pub unloaded: Vec<Unloaded>,
    /// Utilisation and other figures.
    pub stats: PlanStats,
}
