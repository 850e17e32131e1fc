//! Validation that reports every problem at once, each with a stable code, a field path and a message.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Violation {
    /// Stable machine-readable code, e.g. `vehicle.certificate_required`.
    pub code: String,
    /// Path of the offending field, e.g. `origin.point.lat` or `packages[2].weight`.
    pub field: String,
    /// Human-readable explanation.
    pub message: String,
}

/// A collection of violations, filled by [`Validate::validate_into`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// Records a problem.
    pub fn push(&mut self, code: &str, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Violation {
            code: code.to_string(),
            field: field.into(),
            message: message.into(),
        });
    }
    /// Whether no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Converts into `Ok(())` when empty, `Err(self)` otherwise.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
    /// Records a problem when `value` is empty or only whitespace.
    pub fn require_text(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push("required", field, format!("{field} must not be empty"));
        }
    }
    /// Records a problem when `value` is negative, zero (unless `allow_zero`) or not finite.
    pub fn require_positive(&mut self, field: &str, value: f64, allow_zero: bool) {
        let ok = value.is_finite() && (value > 0.0 || (allow_zero && value == 0.0));
        if !ok {
            let what = if allow_zero {
                "zero or positive"
            } else {
                "positive"
            };
            self.push(
                "out_of_range",
                field,
                format!("{field} must be {what}, got {value}"),
            );
        }
    }
}

impl std::fmt::Display for Violations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {} ({})", v.field, v.message, v.code)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// Types that check their own business rules.
pub trait Validate {
    /// Appends every problem found to `v`; field paths are relative to this value.
    fn validate_into(&self, v: &mut Violations);
    /// Runs all checks and returns every problem at once.
    fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        self.validate_into(&mut v);
        v.into_result()
    }
}
