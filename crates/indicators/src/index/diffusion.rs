//! The diffusion arithmetic: classify each unit, count, and turn the counts into a value.

use serde::{Deserialize, Serialize};

use super::component::{ComponentDef, Measure};

/// How one reporting unit moved between last month and this month, in the better-is-up sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    /// Improved by more than the tolerance (for delivery time: got faster).
    Up,
    /// Within the tolerance.
    Same,
    /// Worsened by more than the tolerance.
    Down,
}

/// Classifies one unit. Both values present: up when the change exceeds `tolerance × |previous|`
/// in the better direction, down when it exceeds it in the worse direction, else same (so from a
/// previous 0 any rise is up). Present in one month only: for a [`Measure::Volume`] component a
/// new unit is up and a vanished one down; for a [`Measure::Rate`] it is skipped (`None`), as is a
/// unit with neither value.
pub fn classify(
    def: &ComponentDef,
    previous: Option<f64>,
    current: Option<f64>,
    tolerance: f64,
) -> Option<Movement> {
    let volume = def.measure == Measure::Volume;
    match (previous, current) {
        (Some(p), Some(c)) => {
            let band = tolerance * p.abs();
            let gain = if def.lower_is_better { p - c } else { c - p };
            Some(if gain > band {
                Movement::Up
            } else if gain < -band {
                Movement::Down
            } else {
                Movement::Same
            })
        }
        (None, Some(_)) if volume => Some(Movement::Up),
        (Some(_), None) if volume => Some(Movement::Down),
        _ => None,
    }
}

/// Counts of units by movement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Units up.
    pub up: u32,
    /// Units unchanged.
    pub same: u32,
    /// Units down.
    pub down: u32,
    /// Units that could not be compared.
    pub skipped: u32,
}

impl Counts {
    /// Adds one classified unit.
    pub fn add(&mut self, m: Option<Movement>) {
        match m {
            Some(Movement::Up) => self.up += 1,
            Some(Movement::Same) => self.same += 1,
            Some(Movement::Down) => self.down += 1,
            None => self.skipped += 1,
        }
    }

    /// Units compared: up + same + down.
    pub fn units(&self) -> u32 {
        self.up + self.same + self.down
    }

    /// 100 × (up + ½ same) / n, or `None` when no unit was compared.
    pub fn value(&self) -> Option<f64> {
        let n = self.units();
        (n > 0).then(|| 100.0 * (f64::from(self.up) + 0.5 * f64::from(self.same)) / f64::from(n))
    }
}
