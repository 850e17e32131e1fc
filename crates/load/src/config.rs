//! Search settings: time budget, seed, threads and block-generation limits.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How hard and how long to search. All fields have defaults, so `{}` is a valid JSON config.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct LoadConfig {
    /// Wall-clock budget in seconds (default 5). The search stops after the pass running when the
    /// budget ends is cut short; the best plan found so far is returned.
    pub time_limit_s: f64,
    /// Seed for tie-breaking between equally good blocks (default 0). Runs with the same seed and
    /// config give the same plan when `max_passes` is set (otherwise the beam widths follow the clock).
    pub seed: u64,
    /// Worker threads (default: rayon's global pool, i.e. all cores).
    pub threads: Option<usize>,
    /// Most beam-search passes to run (default unlimited: stop on time). Set it for reproducible runs.
    /// With the support rule the search tries two orders of filling spaces, each with this many passes.
    pub max_passes: Option<u32>,
    /// Largest number of blocks (stacks of boxes) to generate (default 10 000). More blocks cost time
    /// per step and give more ways to fill space.
    pub max_blocks: usize,
    /// Smallest share of a combined block's bounding box that its boxes must fill (default 0.98).
    pub min_fill: f64,
}

impl Default for LoadConfig {
    fn default() -> Self {
        Self {
            time_limit_s: 5.0,
            seed: 0,
            threads: None,
            max_passes: None,
            max_blocks: 10_000,
            min_fill: 0.98,
        }
    }
}

impl LoadConfig {
    /// The default config with another time budget.
    pub fn with_time(seconds: f64) -> Self {
        Self {
            time_limit_s: seconds,
            ..Self::default()
        }
    }
}
