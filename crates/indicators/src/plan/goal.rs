//! What a target asks for: the plan's comparator and target text parsed into a [`Goal`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::PlanError;
use crate::format::num;

/// A target's requirement, parsed from the plan table's comparator and target value or text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "comparator")]
pub enum Goal {
    /// `>=`: at least `value`; higher is better.
    AtLeast {
        /// The target value.
        value: f64,
    },
    /// `<=`: at most `value`; lower is better.
    AtMost {
        /// The target value.
        value: f64,
    },
    /// `=`: reach `value`. Higher is better when it lies above the start of the trajectory, lower
    /// is better when below; a start already at `value` must hold it.
    Reach {
        /// The target value.
        value: f64,
    },
    /// `range`: inside `[lo, hi]` (inclusive) at the target date.
    Range {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
}

/// Which way a value should move along the planned trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
    /// Already where it should be: stay (a range entered at the start, or `=` started on target).
    Hold,
}

impl Goal {
    /// Parses a comparator (`>=`/`≥`, `<=`/`≤`, `=`/`==`, `range`) with the target value, or for
    /// `range` the target text (`"6-8"`, also `~`, `～`, `–`, `—`, `至`, `到` and a trailing `%`).
    /// For `range` the target value is ignored.
    ///
    /// # Errors
    /// [`PlanError::UnknownComparator`], [`PlanError::MissingTargetValue`],
    /// [`PlanError::InvalidRange`] (unreadable text, or bounds reversed) and
    /// [`PlanError::NotFinite`].
    pub fn parse(
        comparator: &str,
        target_value: Option<f64>,
        target_text: &str,
    ) -> Result<Goal, PlanError> {
        let c = comparator.trim();
        if c.eq_ignore_ascii_case("range") {
            let (lo, hi) = parse_range(target_text)?;
            return Ok(Goal::Range { lo, hi });
        }
        let make: fn(f64) -> Goal = match c {
            ">=" | "≥" => |value| Goal::AtLeast { value },
            "<=" | "≤" => |value| Goal::AtMost { value },
            "=" | "==" => |value| Goal::Reach { value },
            _ => return Err(PlanError::UnknownComparator(c.to_string())),
        };
        let value = target_value.ok_or_else(|| PlanError::MissingTargetValue {
            comparator: c.to_string(),
        })?;
        finite(value, "target value")?;
        Ok(make(value))
    }

    /// The value the planned line heads for from `start`: the target value, or for a range the
    /// nearest point of the range.
    pub fn aim(&self, start: f64) -> f64 {
        match *self {
            Goal::AtLeast { value } | Goal::AtMost { value } | Goal::Reach { value } => value,
            Goal::Range { lo, hi } => start.clamp(lo, hi),
        }
    }

    /// Which way is better, seen from the start of the trajectory.
    pub fn direction(&self, start: f64) -> Direction {
        let towards = |target: f64| {
            if target > start {
                Direction::Higher
            } else if target < start {
                Direction::Lower
            } else {
                Direction::Hold
            }
        };
        match *self {
            Goal::AtLeast { .. } => Direction::Higher,
            Goal::AtMost { .. } => Direction::Lower,
            Goal::Reach { value } => towards(value),
            Goal::Range { lo, hi } => towards(start.clamp(lo, hi)),
        }
    }

    /// How far `v` is from meeting the goal (0 when it meets it). `=` counts overshooting in the
    /// better direction as met; with [`Direction::Hold`] any distance counts.
    pub fn shortfall(&self, v: f64, dir: Direction) -> f64 {
        match *self {
            Goal::AtLeast { value } => (value - v).max(0.0),
            Goal::AtMost { value } => (v - value).max(0.0),
            Goal::Reach { value } => match dir {
                Direction::Higher => (value - v).max(0.0),
                Direction::Lower => (v - value).max(0.0),
                Direction::Hold => (v - value).abs(),
            },
            Goal::Range { lo, hi } => (lo - v).max(v - hi).max(0.0),
        }
    }

    /// A scale for tolerances when the planned change is zero: the range's width, else the
    /// target's magnitude.
    pub(crate) fn fallback_scale(&self) -> f64 {
        match *self {
            Goal::AtLeast { value } | Goal::AtMost { value } | Goal::Reach { value } => value.abs(),
            Goal::Range { lo, hi } => hi - lo,
        }
    }

    /// The goal as people write it: `≥ 7603`, `≤ 5`, `= 7603`, `6–8`.
    pub fn label(&self) -> String {
        match *self {
            Goal::AtLeast { value } => format!("≥ {}", num(value)),
            Goal::AtMost { value } => format!("≤ {}", num(value)),
            Goal::Reach { value } => format!("= {}", num(value)),
            Goal::Range { lo, hi } => format!("{}–{}", num(lo), num(hi)),
        }
    }
}

/// A plan target: the goal and the year by whose end it must be met.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// What the target asks for.
    pub goal: Goal,
    /// The target year; the deadline is 31 December of it.
    pub year: i32,
}

impl Target {
    /// Parses a target from the plan table's fields; see [`Goal::parse`].
    ///
    /// # Errors
    /// Those of [`Goal::parse`], and [`PlanError::InvalidYear`] for a year chrono cannot represent.
    pub fn parse(
        comparator: &str,
        target_value: Option<f64>,
        target_text: &str,
        year: i32,
    ) -> Result<Target, PlanError> {
        year_end(year)?;
        let goal = Goal::parse(comparator, target_value, target_text)?;
        Ok(Target { goal, year })
    }

    /// The deadline: 31 December of the target year.
    ///
    /// # Errors
    /// [`PlanError::InvalidYear`] when the year is out of chrono's range.
    pub fn deadline(&self) -> Result<NaiveDate, PlanError> {
        year_end(self.year)
    }
}

/// 31 December of `year`.
pub(crate) fn year_end(year: i32) -> Result<NaiveDate, PlanError> {
    NaiveDate::from_ymd_opt(year, 12, 31).ok_or(PlanError::InvalidYear(year))
}

/// Fails with [`PlanError::NotFinite`] unless `x` is finite.
pub(crate) fn finite(x: f64, what: &'static str) -> Result<f64, PlanError> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(PlanError::NotFinite { what })
    }
}

const SEPARATORS: [char; 7] = ['-', '~', '～', '–', '—', '至', '到'];

/// Reads `lo-hi`; the first character is skipped when looking for the separator so that a
/// negative lower bound (`-1-3`) parses.
fn parse_range(text: &str) -> Result<(f64, f64), PlanError> {
    let t = text.trim();
    let invalid = || PlanError::InvalidRange {
        text: text.to_string(),
    };
    let (i, sep) = t
        .char_indices()
        .skip(1)
        .find(|(_, c)| SEPARATORS.contains(c))
        .ok_or_else(invalid)?;
    let number = |s: &str| {
        let s = s.trim().trim_end_matches(['%', '％']).trim();
        s.parse::<f64>().ok().filter(|x| x.is_finite())
    };
    let lo = number(&t[..i]).ok_or_else(invalid)?;
    let hi = number(&t[i + sep.len_utf8()..]).ok_or_else(invalid)?;
    if lo > hi {
        return Err(invalid());
    }
    Ok((lo, hi))
}
