//! Rule `indicator.alert_rate`: monitoring alerts per 100 waybills spike.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{mean, Severity, Thresholds, Warning};
use crate::format::num;

/// The rule's name.
pub const RULE: &str = "indicator.alert_rate";

/// The warning's subject: the indicator key.
pub const SUBJECT: &str = "alerts_per_100_waybills";

/// The usual level of monitoring alerts per 100 waybills.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateBaseline {
    /// Mean alerts per 100 waybills.
    pub mean: f64,
    /// Standard deviation of the daily rate.
    pub sd: f64,
}

impl RateBaseline {
    /// The mean and sample standard deviation (0 with one value) of past daily rates (alerts per
    /// 100 waybills); `None` when empty or any value is not finite.
    pub fn from_history(rates: &[f64]) -> Option<Self> {
        let m = mean(rates)?;
        let n = rates.len();
        let var = if n > 1 {
            rates.iter().map(|r| (r - m).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        Some(RateBaseline {
            mean: m,
            sd: var.sqrt(),
        })
    }

    /// The statistical limit: max(multiple × mean, mean + sigmas × sd, floor).
    pub fn limit(&self, th: &Thresholds) -> f64 {
        (th.alert_rate_multiple * self.mean)
            .max(self.mean + th.alert_rate_sigmas * self.sd)
            .max(th.alert_rate_floor)
    }
}

/// A warning when `alerts` per 100 of `waybills` on `day` exceed the baseline's
/// [limit](RateBaseline::limit), critical when they exceed [`Thresholds::alert_rate_ceiling`]
/// (the ceiling alone applies without a baseline). Days with fewer than
/// [`Thresholds::alert_rate_min_waybills`] waybills (and at least one) are not judged.
pub fn alert_rate(
    day: NaiveDate,
    alerts: u64,
    waybills: u64,
    baseline: Option<RateBaseline>,
    th: &Thresholds,
) -> Vec<Warning> {
    if waybills == 0 || waybills < th.alert_rate_min_waybills {
        return vec![];
    }
    let rate = 100.0 * alerts as f64 / waybills as f64;
    let limit = baseline.map(|b| b.limit(th));
    let severity = if rate > th.alert_rate_ceiling {
        Severity::Critical
    } else if limit.is_some_and(|l| rate > l) {
        Severity::Warning
    } else {
        return vec![];
    };
    let bound = if severity == Severity::Critical {
        th.alert_rate_ceiling
    } else {
        limit.unwrap_or(th.alert_rate_ceiling)
    };
    let (r, b) = (num(rate), num(bound));
    let (what_zh, what_en) = if severity == Severity::Critical {
        ("上限", "ceiling")
    } else {
        ("预警线", "limit")
    };
    vec![Warning {
        rule: RULE.to_string(),
        severity,
        message_zh: format!("{day} 监控告警 {alerts} 次 / 运单 {waybills} 单，每百单 {r} 次，超过{what_zh} {b}。"),
        message_en: format!("{day}: {alerts} monitoring alerts on {waybills} waybills, {r} per 100, above the {what_en} of {b}."),
        subject: SUBJECT.to_string(),
        day,
        evidence: json!({
            "alerts": alerts, "waybills": waybills, "rate_per_100": rate,
            "baseline_mean": baseline.map(|b| b.mean), "baseline_sd": baseline.map(|b| b.sd),
            "limit": limit, "ceiling": th.alert_rate_ceiling,
        }),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn base(mean: f64, sd: f64) -> Option<RateBaseline> {
        Some(RateBaseline { mean, sd })
    }

    #[test]
    fn limit_is_the_larger_of_double_and_three_sigma() {
        let th = Thresholds::default();
        assert_eq!(base(2.0, 0.1).unwrap().limit(&th), 4.0);
        assert_eq!(base(2.0, 1.0).unwrap().limit(&th), 5.0);
        assert_eq!(base(0.0, 0.0).unwrap().limit(&th), 1.0, "floor");
    }

    #[test]
    fn above_the_limit_is_a_warning() {
        let th = Thresholds::default();
        let w = alert_rate(day(), 5, 100, base(2.0, 0.1), &th); // 5 > 4
        assert_eq!(
            (w[0].rule.as_str(), w[0].severity),
            (RULE, Severity::Warning)
        );
        assert_eq!(w[0].evidence["limit"], 4.0);
        assert!(w[0].message_en.contains("5 per 100") && w[0].message_en.contains("limit of 4"));
        assert!(
            alert_rate(day(), 4, 100, base(2.0, 0.1), &th).is_empty(),
            "at the limit"
        );
        assert!(
            alert_rate(day(), 5, 100, base(2.0, 1.0), &th).is_empty(),
            "3σ limit is 5"
        );
    }

    #[test]
    fn above_the_ceiling_is_critical_even_without_a_baseline() {
        let th = Thresholds::default();
        let w = alert_rate(day(), 11, 100, None, &th);
        assert_eq!(w[0].severity, Severity::Critical);
        assert!(w[0].message_zh.contains("上限 10"));
        assert!(alert_rate(day(), 9, 100, None, &th).is_empty());
    }

    #[test]
    fn too_few_waybills_are_not_judged() {
        let th = Thresholds::default();
        assert!(alert_rate(day(), 19, 19, base(1.0, 0.0), &th).is_empty());
        assert!(alert_rate(
            day(),
            3,
            0,
            base(1.0, 0.0),
            &Thresholds {
                alert_rate_min_waybills: 0,
                ..th
            }
        )
        .is_empty());
    }

    #[test]
    fn baseline_from_history() {
        let b = RateBaseline::from_history(&[1.0, 2.0, 3.0]).unwrap();
        assert_eq!((b.mean, b.sd), (2.0, 1.0));
        assert_eq!(RateBaseline::from_history(&[4.0]).unwrap().sd, 0.0);
        assert!(RateBaseline::from_history(&[]).is_none());
    }
}
