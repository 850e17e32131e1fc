//! Status logic: on track, at risk, off track, no data, lower is better, ranges, the deadline,
//! and typed errors.

use chrono::NaiveDate;

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn obs(points: &[(&str, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|&(day, value)| Observation {
            as_of: d(day),
            value,
        })
        .collect()
}

/// `>= 200` by the end of 2025 from 100 at the end of 2020.
fn at_least_200() -> (Target, Option<Baseline>) {
    let t = Target::parse(">=", Some(200.0), "200", 2025).unwrap();
    (
        t,
        Some(Baseline {
            value: 100.0,
            year: 2020,
        }),
    )
}

fn run(t: &Target, b: Option<Baseline>, points: &[(&str, f64)], today: &str) -> TargetAssessment {
    assess(t, b, &obs(points), d(today)).unwrap()
}

#[test]
fn on_track_when_ahead_and_projected_to_reach() {
    let (t, b) = at_least_200();
    let a = run(
        &t,
        b,
        &[("2023-12-31", 170.0), ("2024-12-31", 190.0)],
        "2025-02-01",
    );
    assert_eq!(a.status, Status::OnTrack, "{}", a.reason_en);
    // 1461 of 1826 days have passed: 100 + 100 × 1461/1826.
    let expected = 100.0 + 100.0 * 1461.0 / 1826.0;
    assert!((a.expected_now.unwrap() - expected).abs() < 1e-9);
    assert!((a.progress.unwrap() - 0.9).abs() < 1e-12);
    assert!(a.projected_at_target_year.unwrap() > 209.0);
    assert_eq!(a.current.unwrap().value, 190.0);
    assert!(a.reason_zh.contains("190") && a.reason_zh.contains("进度正常"));
    assert!(a.reason_en.contains("On track"), "{}", a.reason_en);
}

#[test]
fn at_risk_when_slightly_behind() {
    let (t, b) = at_least_200();
    let a = run(
        &t,
        b,
        &[("2023-12-31", 150.0), ("2024-12-31", 175.0)],
        "2025-02-01",
    );
    assert_eq!(a.status, Status::AtRisk, "{}", a.reason_en);
    assert!(a.reason_en.contains("behind") && a.reason_en.contains("tolerance of 10"));
    assert!(a.reason_zh.contains("落后 5.01"), "{}", a.reason_zh);
}

#[test]
fn at_risk_when_ahead_but_the_trend_falls_short() {
    let (t, b) = at_least_200();
    let a = run(
        &t,
        b,
        &[("2023-12-31", 185.0), ("2024-12-31", 182.0)],
        "2025-02-01",
    );
    assert_eq!(a.status, Status::AtRisk, "{}", a.reason_en);
    assert!(a.projected_at_target_year.unwrap() < 190.0);
    assert!(a.reason_en.contains("short of the target"));
}

#[test]
fn off_track_when_far_behind_and_projected_short() {
    let (t, b) = at_least_200();
    let a = run(
        &t,
        b,
        &[("2023-12-31", 120.0), ("2024-12-31", 130.0)],
        "2025-02-01",
    );
    assert_eq!(a.status, Status::OffTrack, "{}", a.reason_en);
    assert!(a.reason_zh.contains("偏离"));
    assert!((a.progress.unwrap() - 0.3).abs() < 1e-12);
}

#[test]
fn no_data_without_observations() {
    let (t, b) = at_least_200();
    let a = run(&t, b, &[], "2025-02-01");
    assert_eq!(a.status, Status::NoData);
    assert_eq!((a.current, a.expected_now, a.progress), (None, None, None));
    assert!(a.projected_at_target_year.is_none());
    assert!(a.reason_zh.contains("尚无") && a.reason_en.contains("≥ 200"));
}

#[test]
fn lower_is_better_for_at_most() {
    let t = Target::parse("<=", Some(50.0), "50", 2025).unwrap();
    let b = Some(Baseline {
        value: 100.0,
        year: 2020,
    });
    // One observation: projected with the planned slope (−50 over 1826 days) → 45.
    let good = run(&t, b, &[("2024-12-31", 55.0)], "2025-01-10");
    assert_eq!(good.status, Status::OnTrack, "{}", good.reason_en);
    assert!((good.projected_at_target_year.unwrap() - (55.0 - 50.0 * 365.0 / 1826.0)).abs() < 1e-9);
    let bad = run(&t, b, &[("2024-12-31", 75.0)], "2025-01-10");
    assert_eq!(bad.status, Status::OffTrack, "{}", bad.reason_en);
}

#[test]
fn equal_below_the_start_means_lower_is_better() {
    let t = Target::parse("=", Some(50.0), "50", 2025).unwrap();
    let b = Some(Baseline {
        value: 100.0,
        year: 2020,
    });
    let a = run(
        &t,
        b,
        &[("2023-12-31", 65.0), ("2024-12-31", 52.0)],
        "2025-01-10",
    );
    assert_eq!(a.status, Status::OnTrack, "{}", a.reason_en);
    let after = run(&t, b, &[("2025-12-31", 48.0)], "2026-01-10");
    assert_eq!(
        after.status,
        Status::OnTrack,
        "overshooting downwards meets it"
    );
}

#[test]
fn range_heads_for_the_nearest_bound() {
    let t = Target::parse("range", None, "6-8", 2025).unwrap();
    assert_eq!(t.goal, Goal::Range { lo: 6.0, hi: 8.0 });
    let a = run(
        &t,
        None,
        &[("2024-06-30", 5.0), ("2024-12-31", 5.5)],
        "2025-01-10",
    );
    assert_eq!(a.status, Status::OnTrack, "{}", a.reason_en);
    // Overshooting the upper bound is a miss.
    let over = run(
        &t,
        None,
        &[("2024-06-30", 5.0), ("2024-12-31", 7.0)],
        "2025-01-10",
    );
    assert_eq!(over.status, Status::AtRisk, "{}", over.reason_en);
    assert!(over.reason_en.contains("short of the target"));
    let inside = run(
        &t,
        None,
        &[("2024-06-30", 7.0), ("2024-12-31", 7.0)],
        "2025-01-10",
    );
    assert_eq!(inside.status, Status::OnTrack);
    assert_eq!(inside.progress, None, "no planned change");
}

#[test]
fn range_started_inside_and_leaving_it() {
    let t = Target::parse("range", None, "6~8", 2025).unwrap();
    let a = run(
        &t,
        None,
        &[("2024-06-30", 7.0), ("2024-12-31", 9.0)],
        "2025-01-10",
    );
    assert_eq!(a.status, Status::OffTrack, "{}", a.reason_en);
    assert!(a.reason_en.contains("range's width"), "{}", a.reason_en);
}

#[test]
fn after_the_deadline_compares_directly() {
    let (t, b) = at_least_200();
    let missed = run(&t, b, &[("2025-12-31", 195.0)], "2026-03-01");
    assert_eq!(missed.status, Status::OffTrack);
    assert!(
        missed.reason_en.contains("misses the target ≥ 200 by 5"),
        "{}",
        missed.reason_en
    );
    let met = run(&t, b, &[("2025-12-31", 205.0)], "2026-03-01");
    assert_eq!(met.status, Status::OnTrack);
    assert!(met.reason_zh.contains("已过") && met.reason_zh.contains("达到目标"));
    // Data from mid-2025 judged in 2026: final, even though it was ahead of the line then.
    let stale = run(&t, b, &[("2025-06-30", 195.0)], "2026-03-01");
    assert_eq!(stale.status, Status::OffTrack);
    assert_eq!(stale.expected_now.map(|e| e < 200.0), Some(true));
}

#[test]
fn single_observation_on_the_deadline_is_final() {
    let (t, _) = at_least_200();
    let a = run(&t, None, &[("2025-12-31", 210.0)], "2025-12-31");
    assert_eq!(a.status, Status::OnTrack);
    assert_eq!(a.expected_now, Some(200.0));
}

#[test]
fn typed_errors_for_nonsense() {
    let bad_range = Target::parse("range", None, "six to eight", 2025);
    assert!(matches!(bad_range, Err(PlanError::InvalidRange { .. })));
    assert!(matches!(
        Target::parse("range", None, "8-6", 2025),
        Err(PlanError::InvalidRange { .. })
    ));
    assert!(matches!(
        Target::parse("≈", Some(1.0), "", 2025),
        Err(PlanError::UnknownComparator(_))
    ));
    assert!(matches!(
        Target::parse(">=", None, "", 2025),
        Err(PlanError::MissingTargetValue { .. })
    ));
    assert!(matches!(
        Target::parse(">=", Some(f64::NAN), "", 2025),
        Err(PlanError::NotFinite { .. })
    ));
    let (t, b) = at_least_200();
    let unsorted = obs(&[("2024-12-31", 1.0), ("2023-12-31", 2.0)]);
    assert!(matches!(
        assess(&t, b, &unsorted, d("2025-01-01")),
        Err(PlanError::Unsorted { .. })
    ));
    let late = Some(Baseline {
        value: 1.0,
        year: 2025,
    });
    assert!(matches!(
        assess(&t, late, &[], d("2025-01-01")),
        Err(PlanError::BaselineNotBeforeTarget { .. })
    ));
}

#[test]
fn range_text_variants() {
    for (text, lo, hi) in [
        ("6~8", 6.0, 8.0),
        ("6 至 8", 6.0, 8.0),
        ("-1-3", -1.0, 3.0),
        ("6%-8%", 6.0, 8.0),
        ("6–8", 6.0, 8.0),
    ] {
        let t = Target::parse("range", None, text, 2025).unwrap();
        assert_eq!(t.goal, Goal::Range { lo, hi }, "{text}");
    }
}

#[test]
fn assessment_serialises_status_in_snake_case() {
    let (t, b) = at_least_200();
    let a = run(
        &t,
        b,
        &[("2023-12-31", 120.0), ("2024-12-31", 130.0)],
        "2025-02-01",
    );
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["status"], "off_track");
    assert_eq!(json["current"]["as_of"], "2024-12-31");
}
