//! Roll-ups: risk scores, per-carrier and per-carrier-per-day figures, and the onboarding check.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use wuliu_model::PartyId;

use crate::config::RiskWeights;
use crate::engine::WaybillReport;
use crate::finding::{Finding, Severity};

/// Risk score of a waybill, 0–100.
///
/// Each rule counts once, at the highest severity of its findings, with weight `w` (defaults: info 0.05,
/// warning 0.25, critical 0.6). The score is `100 × (1 − Π(1 − w))`, rounded: no finding scores 0, one
/// warning 25, one critical 60, two criticals 84, and it never exceeds 100.
pub fn risk_score(findings: &[Finding], weights: &RiskWeights) -> u8 {
    let mut worst: BTreeMap<&str, Severity> = BTreeMap::new();
    for f in findings {
        let e = worst.entry(f.rule.as_str()).or_insert(f.severity);
        *e = (*e).max(f.severity);
    }
    let keep: f64 = worst
        .values()
        .map(|s| {
            let w = match s {
                Severity::Info => weights.info,
                Severity::Warning => weights.warning,
                Severity::Critical => weights.critical,
            };
            1.0 - w.clamp(0.0, 1.0)
        })
        .product();
    (100.0 * (1.0 - keep)).round().clamp(0.0, 100.0) as u8
}

/// One carrier's figures for one Beijing day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarrierDay {
    /// The network-freight operator (platform) party.
    pub carrier_id: PartyId,
    /// Beijing date.
    pub date: NaiveDate,
    /// Waybills that day.
    pub waybills: usize,
    /// Waybills with any warning or critical finding.
    pub abnormal: usize,
    /// `abnormal / waybills` (0 when there are none).
    pub abnormal_rate: f64,
    /// Mean track completeness of the day's waybills that have a trip.
    pub track_completeness: Option<f64>,
}

/// One carrier's figures over the whole input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarrierSummary {
    /// The network-freight operator (platform) party.
    pub carrier_id: PartyId,
    /// Waybills checked.
    pub waybills: usize,
    /// Waybills with any warning or critical finding.
    pub abnormal: usize,
    /// `abnormal / waybills`.
    pub abnormal_rate: f64,
    /// Carrier risk score: the mean of its waybills' risk scores, rounded.
    pub risk_score: u8,
    /// Highest waybill risk score.
    pub max_risk_score: u8,
    /// Mean track completeness of its waybills that have a trip.
    pub track_completeness: Option<f64>,
}

#[derive(Default)]
struct Acc {
    n: usize,
    abnormal: usize,
    risk: u64,
    max_risk: u8,
    comp_sum: f64,
    comp_n: usize,
}

impl Acc {
    fn add(&mut self, w: &WaybillReport) {
        self.n += 1;
        self.abnormal += usize::from(w.abnormal);
        self.risk += u64::from(w.risk_score);
        self.max_risk = self.max_risk.max(w.risk_score);
        if let Some(c) = w.track_completeness {
            self.comp_sum += c;
            self.comp_n += 1;
        }
    }
    fn rate(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.abnormal as f64 / self.n as f64
        }
    }
    fn completeness(&self) -> Option<f64> {
        (self.comp_n > 0).then(|| self.comp_sum / self.comp_n as f64)
    }
}

/// Per carrier per Beijing day, sorted by carrier then date.
pub fn carrier_days(reports: &[WaybillReport]) -> Vec<CarrierDay> {
    let mut m: BTreeMap<(&PartyId, NaiveDate), Acc> = BTreeMap::new();
    for w in reports {
        m.entry((&w.carrier_id, w.day)).or_default().add(w);
    }
    m.into_iter()
        .map(|((c, date), a)| CarrierDay {
            carrier_id: c.clone(),
            date,
            waybills: a.n,
            abnormal: a.abnormal,
            abnormal_rate: a.rate(),
            track_completeness: a.completeness(),
        })
        .collect()
}

/// Per carrier, sorted by carrier.
pub fn carrier_summaries(reports: &[WaybillReport]) -> Vec<CarrierSummary> {
    let mut m: BTreeMap<&PartyId, Acc> = BTreeMap::new();
    for w in reports {
        m.entry(&w.carrier_id).or_default().add(w);
    }
    m.into_iter()
        .map(|(c, a)| CarrierSummary {
            carrier_id: c.clone(),
            waybills: a.n,
            abnormal: a.abnormal,
            abnormal_rate: a.rate(),
            risk_score: (a.risk as f64 / a.n.max(1) as f64).round() as u8,
            max_risk_score: a.max_risk,
            track_completeness: a.completeness(),
        })
        .collect()
}

/// Criteria of the onboarding check (上线运行监测) for a network-freight platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnboardingConfig {
    /// Consecutive days required (default 10).
    pub days: usize,
    /// Fewest waybills per day (default 5).
    pub min_waybills_per_day: usize,
    /// The daily abnormal rate must be strictly below this (default 0.01 = 1 %).
    pub max_abnormal_rate: f64,
}

impl Default for OnboardingConfig {
    fn default() -> Self {
        Self {
            days: 10,
            min_waybills_per_day: 5,
            max_abnormal_rate: 0.01,
        }
    }
}

/// One calendar day of the onboarding check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnboardingDay {
    /// Beijing date.
    pub date: NaiveDate,
    /// Waybills (0 for a day without figures).
    pub waybills: usize,
    /// Abnormal waybills.
    pub abnormal: usize,
    /// `abnormal / waybills`.
    pub abnormal_rate: f64,
    /// Whether the day meets both criteria.
    pub ok: bool,
    /// Why not, when it does not.
    pub reason: Option<String>,
}

/// The outcome of the onboarding check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnboardingReport {
    /// Whether some run of `days` consecutive days met the criteria.
    pub passed: bool,
    /// First and last day of the latest qualifying window, when passed.
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// Longest run of consecutive qualifying days.
    pub longest_run: usize,
    /// One sentence saying why it passed or failed.
    pub reason: String,
    /// Every calendar day from the first to the last figure, days without figures included.
    pub days: Vec<OnboardingDay>,
    /// The criteria applied.
    pub criteria: OnboardingConfig,
}

fn day_verdict(
    date: NaiveDate,
    waybills: usize,
    abnormal: usize,
    c: &OnboardingConfig,
) -> OnboardingDay {
    let rate = if waybills == 0 {
        0.0
    } else {
        abnormal as f64 / waybills as f64
    };
    let reason = if waybills < c.min_waybills_per_day {
        Some(format!(
            "{waybills} waybills, fewer than {}",
            c.min_waybills_per_day
        ))
    } else if rate >= c.max_abnormal_rate {
        Some(format!(
            "abnormal rate {:.2} % ({abnormal} of {waybills}) is not under {:.2} %",
            rate * 100.0,
            c.max_abnormal_rate * 100.0
        ))
    } else {
        None
    };
    OnboardingDay {
        date,
        waybills,
        abnormal,
        abnormal_rate: rate,
        ok: reason.is_none(),
        reason,
    }
}

/// The onboarding check looks at no more than this many days before the last figure.
pub const MAX_SPAN_DAYS: u64 = 3_660;

/// The onboarding check over daily figures of one platform (e.g. stored [`CarrierDay`]s): passed when
/// some `days` consecutive calendar days each had at least `min_waybills_per_day` waybills and an
/// abnormal rate under `max_abnormal_rate`. Figures of the same date are summed; missing dates count as
/// days without waybills; only the last [`MAX_SPAN_DAYS`] days are looked at.
pub fn onboarding_check(figures: &[CarrierDay], criteria: &OnboardingConfig) -> OnboardingReport {
    let mut by_date: BTreeMap<NaiveDate, (usize, usize)> = BTreeMap::new();
    for f in figures {
        let e = by_date.entry(f.date).or_default();
        e.0 += f.waybills;
        e.1 += f.abnormal;
    }
    let need = criteria.days.max(1);
    let (Some(&first), Some(&last)) = (by_date.keys().next(), by_date.keys().next_back()) else {
        return OnboardingReport {
            passed: false,
            window: None,
            longest_run: 0,
            reason: "no daily figures".into(),
            days: Vec::new(),
            criteria: criteria.clone(),
        };
    };
    let first = first.max(
        last.checked_sub_days(Days::new(MAX_SPAN_DAYS))
            .unwrap_or(first),
    );
    let days: Vec<OnboardingDay> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|d| {
            let (n, a) = by_date.get(&d).copied().unwrap_or_default();
            day_verdict(d, n, a, criteria)
        })
        .collect();
    let (mut run, mut longest, mut window) = (0usize, 0usize, None);
    for d in &days {
        run = if d.ok { run + 1 } else { 0 };
        longest = longest.max(run);
        if run >= need {
            let start = d.date.checked_sub_days(Days::new(need as u64 - 1));
            window = Some((start.unwrap_or(d.date), d.date));
        }
    }
    let reason = match window {
        Some((a, b)) => format!("{need} consecutive qualifying days from {a} to {b}"),
        None => {
            let bad: Vec<String> = days
                .iter()
                .filter(|d| !d.ok)
                .take(5)
                .map(|d| format!("{}: {}", d.date, d.reason.as_deref().unwrap_or("")))
                .collect();
            format!(
                "longest run of qualifying days is {longest}, {need} needed; {}",
                bad.join("; ")
            )
        }
    };
    OnboardingReport {
        passed: window.is_some(),
        window,
        longest_run: longest,
        reason,
        days,
        criteria: criteria.clone(),
    }
}
