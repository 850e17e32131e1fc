//! Rule `county.volume_collapse`: a county's daily waybills collapse against the weeks before.

use chrono::NaiveDate;
use serde_json::json;

use super::{mean, Severity, Thresholds, Warning};
use crate::format::{num, pct};

/// The rule's name.
pub const RULE: &str = "county.volume_collapse";

/// A warning when the mean of `recent` daily waybill counts (the last 7 days up to `day`) is
/// below (1 − [`Thresholds::county_drop`]) × the mean of `previous` (the 28 days before),
/// provided the previous mean is at least [`Thresholds::county_min_previous_mean`]; critical when
/// the drop reaches [`Thresholds::county_drop_critical`]. Nothing when either series is empty or
/// holds a value that is not finite.
pub fn county_collapse(
    county_code: &str,
    county_name: &str,
    day: NaiveDate,
    recent: &[f64],
    previous: &[f64],
    th: &Thresholds,
) -> Vec<Warning> {
    let (Some(r), Some(p)) = (mean(recent), mean(previous)) else {
        return vec![];
    };
    if p < th.county_min_previous_mean || p <= 0.0 || r >= (1.0 - th.county_drop) * p {
        return vec![];
    }
    let drop = 1.0 - r / p;
    let severity = if drop >= th.county_drop_critical {
        Severity::Critical
    } else {
        Severity::Warning
    };
    let (n, m, rs, ps, d) = (recent.len(), previous.len(), num(r), num(p), pct(drop));
    vec![Warning {
        rule: RULE.to_string(),
        severity,
        message_zh: format!(
            "{county_name}（{county_code}）近 {n} 日日均运单 {rs} 单，较此前 {m} 日日均 {ps} 单下降 {d}。"
        ),
        message_en: format!(
            "{county_name} ({county_code}): {rs} waybills a day over the last {n} days, down {d} from {ps} a day over the {m} days before."
        ),
        subject: county_code.to_string(),
        day,
        evidence: json!({
            "county_code": county_code, "county_name": county_name,
            "recent_mean": r, "previous_mean": p, "drop": drop,
            "recent_days": n, "previous_days": m,
            "threshold": th.county_drop, "critical_threshold": th.county_drop_critical,
        }),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(recent: f64, previous: f64) -> Vec<Warning> {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        county_collapse(
            "450221",
            "柳江区",
            day,
            &[recent; 7],
            &[previous; 28],
            &Thresholds::default(),
        )
    }

    #[test]
    fn a_halving_is_a_warning() {
        let w = run(12.0, 40.0); // down 70 %
        assert_eq!(
            (w[0].rule.as_str(), w[0].severity),
            (RULE, Severity::Warning)
        );
        assert_eq!(w[0].subject, "450221");
        assert!((w[0].evidence["drop"].as_f64().unwrap() - 0.7).abs() < 1e-12);
        assert!(w[0].message_zh.contains("下降 70%"), "{}", w[0].message_zh);
        assert!(w[0].message_en.contains("12 waybills a day"));
    }

    #[test]
    fn a_deep_drop_is_critical() {
        assert_eq!(run(8.0, 40.0)[0].severity, Severity::Critical); // down 80 %
    }

    #[test]
    fn a_drop_to_exactly_half_or_less_deep_is_quiet() {
        assert!(run(20.0, 40.0).is_empty());
        assert!(run(30.0, 40.0).is_empty());
    }

    #[test]
    fn a_small_county_is_not_judged() {
        assert!(run(0.0, 4.0).is_empty());
        assert_eq!(run(0.0, 5.0).len(), 1);
    }

    #[test]
    fn the_threshold_is_configurable_and_missing_data_quiet() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let th = Thresholds {
            county_drop: 0.2,
            ..Thresholds::default()
        };
        assert_eq!(
            county_collapse("c", "n", day, &[30.0; 7], &[40.0; 28], &th).len(),
            1
        );
        assert!(county_collapse("c", "n", day, &[], &[40.0; 28], &th).is_empty());
        assert!(county_collapse("c", "n", day, &[f64::NAN], &[40.0; 28], &th).is_empty());
    }
}
