//! The configurable thresholds of the warning rules.

use serde::{Deserialize, Serialize};

/// Thresholds of the warning rules. Every field has a default, so a deployment's configuration
/// may name only the fields it changes (`#[serde(default)]`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Thresholds {
    /// [`county_collapse`](super::county_collapse): the relative drop of the daily mean that
    /// raises a warning. Default 0.5: the recent mean is below half the previous one.
    pub county_drop: f64,
    /// The drop that makes it critical. Default 0.8.
    pub county_drop_critical: f64,
    /// The previous daily mean (waybills per day) below which a county is too small to judge.
    /// Default 5.
    pub county_min_previous_mean: f64,
    /// [`alert_rate`](super::alert_rate): the limit is at least this multiple of the baseline
    /// mean. Default 2.
    pub alert_rate_multiple: f64,
    /// The limit is at least the baseline mean plus this many standard deviations. Default 3.
    pub alert_rate_sigmas: f64,
    /// The limit is never below this many alerts per 100 waybills, so that a quiet baseline
    /// (mean 0) does not turn one alert into a warning. Default 1.
    pub alert_rate_floor: f64,
    /// Above this many alerts per 100 waybills the warning is critical, whatever the baseline.
    /// Default 10.
    pub alert_rate_ceiling: f64,
    /// Days with fewer waybills are not judged. Default 20.
    pub alert_rate_min_waybills: u64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            county_drop: 0.5,
            county_drop_critical: 0.8,
            county_min_previous_mean: 5.0,
            alert_rate_multiple: 2.0,
            alert_rate_sigmas: 3.0,
            alert_rate_floor: 1.0,
            alert_rate_ceiling: 10.0,
            alert_rate_min_waybills: 20,
        }
    }
}

/// Every problem found in a [`Thresholds`], each naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid thresholds: {}", .0.join("; "))]
pub struct ThresholdsError(pub Vec<String>);

impl Thresholds {
    /// Checks every field and reports all problems at once.
    ///
    /// # Errors
    /// [`ThresholdsError`] listing each field out of range.
    pub fn check(&self) -> Result<(), ThresholdsError> {
        let mut problems = Vec::new();
        let mut need = |ok: bool, field: &str, what: &str| {
            if !ok {
                problems.push(format!("{field} must be {what}"));
            }
        };
        let fraction = |x: f64| x > 0.0 && x < 1.0;
        need(fraction(self.county_drop), "county_drop", "in (0, 1)");
        need(
            fraction(self.county_drop_critical) && self.county_drop_critical >= self.county_drop,
            "county_drop_critical",
            "in (0, 1) and at least county_drop",
        );
        let non_negative = |x: f64| x.is_finite() && x >= 0.0;
        need(
            non_negative(self.county_min_previous_mean),
            "county_min_previous_mean",
            ">= 0",
        );
        need(
            non_negative(self.alert_rate_multiple),
            "alert_rate_multiple",
            ">= 0",
        );
        need(
            non_negative(self.alert_rate_sigmas),
            "alert_rate_sigmas",
            ">= 0",
        );
        need(
            non_negative(self.alert_rate_floor),
            "alert_rate_floor",
            ">= 0",
        );
        need(self.alert_rate_ceiling > 0.0, "alert_rate_ceiling", "> 0");
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ThresholdsError(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_partial_config_keeps_them() {
        assert_eq!(Thresholds::default().check(), Ok(()));
        let t: Thresholds = serde_json::from_str(r#"{"county_drop": 0.6}"#).unwrap();
        assert_eq!(t.county_drop, 0.6);
        assert_eq!(t.alert_rate_ceiling, 10.0);
    }

    #[test]
    fn check_reports_every_problem() {
        let t = Thresholds {
            county_drop: 1.5,
            alert_rate_ceiling: 0.0,
            ..Thresholds::default()
        };
        let err = t.check().unwrap_err();
        // county_drop, county_drop_critical (now below county_drop) and the ceiling.
        assert_eq!(err.0.len(), 3, "{err}");
        assert!(err.to_string().contains("alert_rate_ceiling"));
    }
}
