//! Risk scores, carrier roll-ups, the onboarding check, single-waybill evaluation and serialisation.

use chrono::{Days, NaiveDate};
use wuliu_model::{PartyId, StraightLine, WaybillId, WaybillStatus};
use wuliu_monitor::fixture::TripSpec;
use wuliu_monitor::rollup::risk_score;
use wuliu_monitor::{
    evaluate, evaluate_waybill, onboarding_check, CarrierDay, Finding, Monitor, MonitorInput,
    MonitorReport, OnboardingConfig, RiskWeights, RuleConfig, Severity,
};

fn fleet(n: usize) -> MonitorInput {
    let mut input = MonitorInput::default();
    for i in 0..n {
        let s = TripSpec::clean(i);
        s.add_to(&mut input, s.straight_track(30));
    }
    input
}

fn f(rule: &str, severity: Severity) -> Finding {
    Finding {
        rule: rule.into(),
        severity,
        waybill_id: WaybillId::new("w"),
        message: String::new(),
        evidence: serde_json::Value::Null,
    }
}

#[test]
fn risk_score_formula() {
    let w = RiskWeights::default();
    assert_eq!(risk_score(&[], &w), 0);
    assert_eq!(risk_score(&[f("a", Severity::Warning)], &w), 25);
    assert_eq!(risk_score(&[f("a", Severity::Critical)], &w), 60);
    assert_eq!(
        risk_score(
            &[f("a", Severity::Critical), f("b", Severity::Critical)],
            &w
        ),
        84
    );
    // The same rule twice counts once.
    assert_eq!(
        risk_score(
            &[f("a", Severity::Critical), f("a", Severity::Critical)],
            &w
        ),
        60
    );
    let many: Vec<Finding> = (0..30)
        .map(|i| f(&format!("r{i}"), Severity::Critical))
        .collect();
    assert_eq!(risk_score(&many, &w), 100);
}

#[test]
fn carrier_day_roll_up_and_abnormal_rate() {
    let mut input = fleet(4);
    input.tracks.remove(&TripSpec::clean(0).vehicle_id); // one ghost
    input.waybills[1].waybill.carrier_id = PartyId::new("pty_other");
    input.waybills[3].waybill.status = WaybillStatus::Cancelled;
    let r = evaluate(&input, &StraightLine::default(), &RuleConfig::default());
    assert_eq!(r.waybills_checked, 3);
    let platform: Vec<&CarrierDay> = r
        .carrier_days
        .iter()
        .filter(|d| d.carrier_id.as_str() == "pty_platform")
        .collect();
    assert_eq!(platform.len(), 1);
    assert_eq!(
        platform[0].date,
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    );
    assert_eq!((platform[0].waybills, platform[0].abnormal), (2, 1));
    assert_eq!(platform[0].abnormal_rate, 0.5);
    assert_eq!(platform[0].track_completeness, Some(0.5));
    let summary = r
        .carriers
        .iter()
        .find(|c| c.carrier_id.as_str() == "pty_platform")
        .unwrap();
    assert_eq!((summary.risk_score, summary.max_risk_score), (30, 60));
    assert_eq!(r.rule_counts["track.ghost"], 1);
}

#[test]
fn one_waybill_on_demand_matches_the_batch() {
    let mut input = fleet(3);
    input.payments[1].payment.payments[0].recipient = "第三方".into();
    let config = RuleConfig::default();
    let batch = evaluate(&input, &StraightLine::default(), &config);
    let id = WaybillId::new("wyb_1");
    let one = evaluate_waybill(&input, &id, &StraightLine::default(), &config).unwrap();
    assert_eq!(one, batch.waybills[1]);
    assert_eq!(one.findings[0].rule, "money.third_party");
    let monitor = Monitor::new(&input, &config);
    assert_eq!(
        monitor.evaluate_waybill(&id, &StraightLine::default()),
        Some(one)
    );
    assert!(monitor
        .evaluate_waybill(&WaybillId::new("nope"), &StraightLine::default())
        .is_none());
}

#[test]
fn disabled_rules_do_not_run() {
    let mut input = fleet(1);
    input.tracks.clear();
    let mut config = RuleConfig::default();
    config.disabled_rules.insert("track.ghost".into());
    let r = evaluate(&input, &StraightLine::default(), &config);
    assert!(r.waybills[0].findings.is_empty());
    assert!(!r.rule_counts.contains_key("track.ghost"));
}

#[test]
fn report_and_config_round_trip_through_json() {
    let mut input = fleet(2);
    input.tracks.clear();
    let r = evaluate(&input, &StraightLine::default(), &RuleConfig::default());
    let json = serde_json::to_string(&r).unwrap();
    let back: MonitorReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    let config: RuleConfig = serde_json::from_str(r#"{"max_gap_s": 600}"#).unwrap();
    assert_eq!(config.max_gap_s, 600);
    assert_eq!(config.speed_limit_kmh, 100.0);
    let input_json = serde_json::to_string(&input).unwrap();
    let _: MonitorInput = serde_json::from_str(&input_json).unwrap();
}

fn day(date: NaiveDate, waybills: usize, abnormal: usize) -> CarrierDay {
    CarrierDay {
        carrier_id: PartyId::new("pty_platform"),
        date,
        waybills,
        abnormal,
        abnormal_rate: 0.0,
        track_completeness: None,
    }
}

#[test]
fn onboarding_passes_with_ten_good_days() {
    let d0 = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut days: Vec<CarrierDay> = (0..12).map(|i| day(d0 + Days::new(i), 200, 1)).collect();
    days[0].abnormal = 5; // 2.5 %: the first day fails
    let r = onboarding_check(&days, &OnboardingConfig::default());
    assert!(r.passed, "{}", r.reason);
    assert_eq!(r.window, Some((d0 + Days::new(2), d0 + Days::new(11))));
    assert_eq!(r.longest_run, 11);
    assert!(!r.days[0].ok);
    assert!(r.days[0].reason.as_deref().unwrap().contains("2.50 %"));
}

#[test]
fn onboarding_fails_on_a_thin_or_missing_day() {
    let d0 = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut days: Vec<CarrierDay> = (0..10).map(|i| day(d0 + Days::new(i), 6, 0)).collect();
    days[4].waybills = 4;
    let r = onboarding_check(&days, &OnboardingConfig::default());
    assert!(!r.passed);
    assert_eq!(r.longest_run, 5);
    assert!(
        r.reason.contains("2026-03-05: 4 waybills, fewer than 5"),
        "{}",
        r.reason
    );
    // A gap in the dates counts as a day without waybills.
    let mut days: Vec<CarrierDay> = (0..10).map(|i| day(d0 + Days::new(i), 6, 0)).collect();
    days.remove(3);
    let r = onboarding_check(&days, &OnboardingConfig::default());
    assert!(!r.passed);
    assert_eq!(r.days.len(), 10);
    assert_eq!(r.days[3].waybills, 0);
    // One abnormal waybill among six is 16.7 %, not under 1 %.
    let mut days: Vec<CarrierDay> = (0..10).map(|i| day(d0 + Days::new(i), 6, 0)).collect();
    days[9].abnormal = 1;
    assert!(!onboarding_check(&days, &OnboardingConfig::default()).passed);
    assert!(!onboarding_check(&[], &OnboardingConfig::default()).passed);
}

#[test]
fn onboarding_from_an_evaluation() {
    let d0 = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let r = evaluate(&fleet(5), &StraightLine::default(), &RuleConfig::default());
    let days: Vec<CarrierDay> = (0..10)
        .map(|i| CarrierDay {
            date: d0 + Days::new(i),
            ..r.carrier_days[0].clone()
        })
        .collect();
    let report = onboarding_check(&days, &OnboardingConfig::default());
    assert!(report.passed, "{}", report.reason);
    assert_eq!(report.days[0].waybills, 5);
}
