//! Rule `indicator.outside_interval`: the actual value leaves the forecast's prediction interval.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{Severity, Warning};
use crate::format::num;

/// The rule's name.
pub const RULE: &str = "indicator.outside_interval";

/// A forecast's 80 % and 95 % prediction intervals for one period (the forecast crate's point
/// fields of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound of the 80 % interval.
    pub lo80: f64,
    /// Upper bound of the 80 % interval.
    pub hi80: f64,
    /// Lower bound of the 95 % interval.
    pub lo95: f64,
    /// Upper bound of the 95 % interval.
    pub hi95: f64,
}

/// A warning when `actual` of indicator `metric` for the period starting `day` lies outside the
/// 80 % interval, critical when outside the 95 % one; bounds are inclusive. Nothing when any
/// number is not finite.
pub fn outside_interval(
    metric: &str,
    day: NaiveDate,
    actual: f64,
    interval: &Interval,
) -> Vec<Warning> {
    let Interval {
        lo80,
        hi80,
        lo95,
        hi95,
    } = *interval;
    if ![actual, lo80, hi80, lo95, hi95]
        .iter()
        .all(|x| x.is_finite())
    {
        return vec![];
    }
    let (severity, level, lo, hi) = if actual < lo95 || actual > hi95 {
        (Severity::Critical, 95, lo95, hi95)
    } else if actual < lo80 || actual > hi80 {
        (Severity::Warning, 80, lo80, hi80)
    } else {
        return vec![];
    };
    let above = actual > hi;
    let (side_zh, side_en) = if above {
        ("高于", "above")
    } else {
        ("低于", "below")
    };
    let (a, lo_s, hi_s) = (num(actual), num(lo), num(hi));
    vec![Warning {
        rule: RULE.to_string(),
        severity,
        message_zh: format!("指标 {metric} 在 {day} 的实际值 {a} {side_zh} {level}% 预测区间 [{lo_s}, {hi_s}]。"),
        message_en: format!("Indicator {metric} on {day}: the actual value {a} is {side_en} the {level}% forecast interval [{lo_s}, {hi_s}]."),
        subject: metric.to_string(),
        day,
        evidence: json!({
            "metric": metric, "actual": actual, "lo80": lo80, "hi80": hi80, "lo95": lo95, "hi95": hi95,
            "interval": level, "side": side_en,
        }),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BAND: Interval = Interval {
        lo80: 90.0,
        hi80: 110.0,
        lo95: 80.0,
        hi95: 120.0,
    };

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    }

    #[test]
    fn inside_the_80_interval_is_quiet() {
        assert!(outside_interval("waybills", day(), 100.0, &BAND).is_empty());
        assert!(
            outside_interval("waybills", day(), 110.0, &BAND).is_empty(),
            "bounds inclusive"
        );
    }

    #[test]
    fn outside_80_is_a_warning() {
        let w = outside_interval("waybills", day(), 85.0, &BAND);
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].rule.as_str(), w[0].severity),
            (RULE, Severity::Warning)
        );
        assert_eq!(w[0].evidence["side"], "below");
        assert_eq!(w[0].evidence["lo95"], 80.0);
        assert!(w[0].message_en.contains("85") && w[0].message_en.contains("[90, 110]"));
    }

    #[test]
    fn outside_95_is_critical() {
        let w = outside_interval("waybills", day(), 130.5, &BAND);
        assert_eq!(w[0].severity, Severity::Critical);
        assert_eq!(w[0].evidence["interval"], 95);
        assert!(w[0].message_zh.contains("高于 95%"));
        assert_eq!(serde_json::to_value(&w[0]).unwrap()["severity"], "critical");
    }

    #[test]
    fn nan_is_no_evidence() {
        assert!(outside_interval("waybills", day(), f64::NAN, &BAND).is_empty());
    }
}
