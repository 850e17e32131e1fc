//! The task-division tracker's engine on the gazette's own tasks and targets: statuses on given
//! days (dated, overdue, due soon), the quarterly cadence of ongoing tasks, who may complete,
//! timelines, summaries per unit and document, and the county targets' goals.

use chrono::NaiveDate;
use wuliu_gov::tasks::county::{assess_rate, goal, Bound, CountyGoal, NotSet};
use wuliu_gov::tasks::{
    assess, by_document, by_unit, timeline, Claim, EventKind, ReportFact, Status, TaskFacts,
    TrackerConfig, Warning,
};
use wuliu_model::gov_tasks::{Deadline, DivisionTask};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn facts(t: &DivisionTask) -> TaskFacts {
    TaskFacts {
        id: t.external_id.clone().unwrap(),
        document: t.external_id.as_deref().unwrap()[..2].to_string(),
        deadline: t.deadline.clone(),
        lead_units: t.lead_units.units.clone(),
        cooperating_units: t.cooperating_units.units.clone(),
        tracking_from: t.document.issued.unwrap(),
    }
}

fn report(id: &str, unit: &str, as_of: &str, claim: Claim, pct: u8) -> ReportFact {
    ReportFact {
        id: id.into(),
        unit: unit.into(),
        as_of: d(as_of),
        claim,
        progress_pct: pct,
    }
}

/// 69号 row 3, given a dated deadline as a later table would print it.
fn dated_task() -> TaskFacts {
    let mut t = facts(&wuliu_demo::gov_tasks::industry_education_tasks().unwrap()[2]);
    t.deadline = Deadline::parse("2023年6月30日");
    t
}

#[test]
fn a_dated_task_warns_before_and_is_overdue_after_its_due_date() {
    let t = dated_task();
    let cfg = TrackerConfig::default();
    let at = |day: &str| assess(&t, &[], d(day), &cfg);
    assert_eq!(
        (at("2023-06-01").status, at("2023-06-01").warning),
        (Status::NotStarted, None)
    );
    // 15 days ahead warns, 16 does not.
    assert_eq!(at("2023-06-14").warning, None);
    assert_eq!(at("2023-06-15").warning, Some(Warning::DueSoon));
    assert_eq!(at("2023-06-30").warning, Some(Warning::DueSoon));
    let late = at("2023-07-03");
    assert_eq!(
        (late.status, late.warning),
        (Status::Overdue, Some(Warning::Overdue))
    );
    assert_eq!(late.days_overdue, Some(3));
    assert!(late.reason_zh.contains("2023-06-30"), "{}", late.reason_zh);
    let cfg30 = TrackerConfig {
        due_soon_days: 30,
        ..cfg
    };
    assert_eq!(
        assess(&t, &[], d("2023-06-01"), &cfg30).warning,
        Some(Warning::DueSoon)
    );
}

#[test]
fn only_a_lead_unit_completes_and_only_reports_up_to_the_day_count() {
    let t = dated_task();
    let (lead, coop) = (t.lead_units[0].clone(), t.cooperating_units[0].clone());
    assert!(!t.is_lead(&coop), "{coop} cooperates only");
    let cfg = TrackerConfig::default();
    let reports = vec![
        report("r1", &coop, "2023-03-01", Claim::Completed, 100),
        report("r2", &lead, "2023-05-01", Claim::InProgress, 60),
        report("r3", &lead, "2023-07-10", Claim::Completed, 100),
    ];
    let s = assess(&t, &reports, d("2023-04-01"), &cfg);
    assert_eq!(
        s.status,
        Status::InProgress,
        "a cooperating unit's 'completed' is progress"
    );
    assert_eq!(s.reports, 1);
    let s = assess(&t, &reports, d("2023-07-05"), &cfg);
    assert_eq!((s.status, s.progress_pct), (Status::Overdue, Some(60)));
    let s = assess(&t, &reports, d("2023-08-01"), &cfg);
    assert_eq!(s.status, Status::Completed);
    assert_eq!(
        (s.completed_on, s.completed_by.as_deref()),
        (Some(d("2023-07-10")), Some("r3"))
    );
    assert!(s.completed_late);
    assert_eq!(s.warning, None);
}

#[test]
fn ongoing_tasks_report_quarterly_with_ten_days_grace() {
    let tasks = wuliu_demo::gov_tasks::industry_education_tasks().unwrap();
    let t = facts(&tasks[0]);
    assert_eq!(t.deadline, Deadline::Ongoing);
    assert_eq!(t.tracking_from, d("2022-07-31"));
    let cfg = TrackerConfig::default();
    let lead = t.lead_units[0].clone();
    let at = |reports: &[ReportFact], day: &str| assess(&t, reports, d(day), &cfg);
    // Q3 2022 is due 2022-10-10: 5 days ahead warns, the 11th is stale.
    let s = at(&[], "2022-09-01");
    assert_eq!(
        (s.status, s.warning, s.due_date),
        (Status::NotStarted, None, None)
    );
    assert_eq!(s.next_report.unwrap().due, d("2022-10-10"));
    assert_eq!(at(&[], "2022-10-05").warning, Some(Warning::DueSoon));
    assert_eq!(at(&[], "2022-10-10").warning, Some(Warning::DueSoon));
    let s = at(&[], "2022-10-11");
    assert_eq!(
        (s.status, s.warning),
        (Status::NotStarted, Some(Warning::Stale))
    );
    assert_eq!(s.missing_report.unwrap().start, d("2022-07-01"));
    // Never overdue: no due date.
    assert_ne!(at(&[], "2030-01-01").status, Status::Overdue);
    // A report in Q3 covers Q3; Q4's report is then missing from 2023-01-11.
    let q3 = [report("a", &lead, "2022-09-20", Claim::InProgress, 10)];
    assert_eq!(at(&q3, "2022-10-11").warning, None);
    assert_eq!(at(&q3, "2022-10-11").status, Status::InProgress);
    assert_eq!(at(&q3, "2023-01-10").warning, Some(Warning::DueSoon));
    let s = at(&q3, "2023-01-11");
    assert_eq!(s.warning, Some(Warning::Stale));
    assert_eq!(s.missing_report.unwrap().end, d("2022-12-31"));
    // A monthly cadence owes a report sooner.
    let monthly = TrackerConfig {
        cadence: wuliu_gov::tasks::Cadence::Monthly,
        ..cfg
    };
    assert_eq!(
        assess(&t, &q3, d("2022-11-11"), &monthly).warning,
        Some(Warning::Stale)
    );
    assert_eq!(assess(&t, &q3, d("2022-11-11"), &cfg).warning, None);
}

#[test]
fn unstated_deadlines_report_periodically_unless_configured_otherwise() {
    let measures = wuliu_demo::gov_tasks::incentive_measures().unwrap();
    let t = facts(&measures[0]);
    assert_eq!(t.deadline, Deadline::NotStated);
    let cfg = TrackerConfig::default();
    assert_eq!(
        assess(&t, &[], d("2022-10-11"), &cfg).warning,
        Some(Warning::Stale)
    );
    let off = TrackerConfig {
        undated_periodic: false,
        ..cfg
    };
    let s = assess(&t, &[], d("2022-10-11"), &off);
    assert_eq!((s.warning, s.periodic), (None, false));
}

#[test]
fn the_timeline_orders_reports_status_changes_and_missed_reports() {
    let tasks = wuliu_demo::gov_tasks::industry_education_tasks().unwrap();
    let t = facts(&tasks[1]);
    let lead = t.lead_units[0].clone();
    let coop = t
        .cooperating_units
        .iter()
        .find(|u| !t.is_lead(u))
        .unwrap()
        .clone();
    let cfg = TrackerConfig::default();
    let reports = vec![
        report("b", &coop, "2023-02-01", Claim::Completed, 70),
        report("c", &lead, "2023-05-02", Claim::Completed, 100),
        report("a", &lead, "2022-08-15", Claim::InProgress, 20),
    ];
    let events = timeline(&t, &reports, d("2023-12-31"), &cfg);
    let kinds: Vec<(NaiveDate, EventKind, Option<Status>)> =
        events.iter().map(|e| (e.date, e.kind, e.status)).collect();
    use EventKind::*;
    assert_eq!(
        kinds,
        vec![
            (d("2022-07-31"), TrackingStarted, None),
            (d("2022-08-15"), Report, None),
            (d("2022-08-15"), StatusChanged, Some(Status::InProgress)),
            // Q4 2022 (due 2023-01-10) had no report dated 2022-10-01..2023-01-10.
            (d("2023-01-11"), ReportMissed, None),
            (d("2023-02-01"), Report, None),
            (d("2023-05-02"), Report, None),
            (d("2023-05-02"), StatusChanged, Some(Status::Completed)),
        ]
    );
    assert!(
        events[4].text_zh.contains("配合单位"),
        "{}",
        events[4].text_zh
    );
    // A dated task gets its overdue change the day after the due date.
    let dt = dated_task();
    let lead = dt.lead_units[0].clone();
    let r = [report("x", &lead, "2023-08-01", Claim::Completed, 100)];
    let e = timeline(&dt, &r, d("2023-09-01"), &cfg);
    let changes: Vec<_> = e
        .iter()
        .filter_map(|e| e.status.map(|s| (e.date, s)))
        .collect();
    assert_eq!(
        changes,
        vec![
            (d("2023-07-01"), Status::Overdue),
            (d("2023-08-01"), Status::Completed)
        ]
    );
}

#[test]
fn summaries_count_per_unit_and_document() {
    let cfg = TrackerConfig::default();
    let mut all = Vec::new();
    for t in wuliu_demo::gov_tasks::industry_education_tasks()
        .unwrap()
        .iter()
        .chain(&wuliu_demo::gov_tasks::incentive_measures().unwrap())
    {
        all.push(facts(t));
    }
    // One 69号 task dated and overdue; one completed by its lead; the rest without reports.
    all[2].deadline = Deadline::parse("2023年6月30日");
    let lead1 = all[1].lead_units[0].clone();
    let done = [report("r", &lead1, "2023-03-01", Claim::Completed, 100)];
    let at = d("2023-07-01");
    let rows: Vec<_> = all
        .iter()
        .map(|t| {
            let reports: &[ReportFact] = if t.id == all[1].id { &done } else { &[] };
            (t.clone(), assess(t, reports, at, &cfg))
        })
        .collect();
    let docs = by_document(&rows);
    assert_eq!(
        docs.iter().map(|d| d.document.as_str()).collect::<Vec<_>>(),
        ["61", "69"]
    );
    let (d61, d69) = (&docs[0], &docs[1]);
    assert_eq!((d61.counts.total, d69.counts.total), (35, 27));
    assert_eq!((d69.counts.completed, d69.counts.overdue), (1, 1));
    assert_eq!(d69.overdue, [all[2].id.clone()]);
    // Every undated task without a report is stale on 2023-07-01 (Q1 2023 fell due on 04-10).
    assert_eq!(d61.counts.stale, 35);
    assert_eq!(d69.counts.stale, 25);
    let units = by_unit(&rows);
    let lead2 = &all[2].lead_units[0];
    let u = units.iter().find(|u| &u.unit == lead2).unwrap();
    assert!(u.overdue.contains(&all[2].id));
    let led = rows.iter().filter(|(t, _)| t.is_lead(lead2)).count();
    assert_eq!(u.as_lead.total, led);
    // A unit printed as lead and cooperating unit of one task counts it once, as lead.
    let both = rows
        .iter()
        .find(|(t, _)| t.cooperating_units.iter().any(|c| t.is_lead(c)))
        .expect("69号 prints some units as both");
    let unit = both
        .0
        .cooperating_units
        .iter()
        .find(|c| both.0.is_lead(c))
        .unwrap();
    let s = units.iter().find(|u| &u.unit == unit).unwrap();
    let coop_only = rows
        .iter()
        .filter(|(t, _)| !t.is_lead(unit) && t.cooperating_units.contains(unit))
        .count();
    assert_eq!(s.as_cooperating.total, coop_only);
}

#[test]
fn county_targets_read_as_levels_rates_or_unset() {
    let targets = wuliu_demo::gov_tasks::county_targets().unwrap();
    assert_eq!(targets.len(), 23);
    let by = |id: &str| {
        goal(
            targets
                .iter()
                .find(|t| t.external_id.as_deref() == Some(id))
                .unwrap(),
        )
    };
    assert!(
        matches!(by("C01"), CountyGoal::Rate { bound: Bound::AtLeast, value, .. } if value == 8.0)
    );
    assert!(
        matches!(by("C03"), CountyGoal::Level { ref comparator, value, year: 2025, .. } if comparator == "=" && value == 500.0)
    );
    assert!(matches!(by("C09"), CountyGoal::Level { ref comparator, .. } if comparator == ">="));
    assert!(
        matches!(by("C11"), CountyGoal::Rate { bound: Bound::AtMost, value, .. } if value == 6.8)
    );
    assert_eq!(
        by("C17"),
        CountyGoal::NotSet {
            reason: NotSet::AssignedByRegion
        }
    );
    assert_eq!(
        by("C18"),
        CountyGoal::NotSet {
            reason: NotSet::Blank
        }
    );
    let counts = targets
        .iter()
        .map(goal)
        .fold((0, 0, 0), |(l, r, n), g| match g {
            CountyGoal::Level { .. } => (l + 1, r, n),
            CountyGoal::Rate { .. } => (l, r + 1, n),
            CountyGoal::NotSet { .. } => (l, r, n + 1),
        });
    assert_eq!(counts, (11, 7, 5));
    let a = assess_rate(
        Bound::AtLeast,
        8.0,
        &[(d("2023-12-31"), 8.4), (d("2024-12-31"), 7.5)],
    );
    assert_eq!((a.status.as_str(), a.current), ("at_risk", Some(7.5)));
    assert_eq!(
        assess_rate(Bound::AtLeast, 8.0, &[(d("2024-12-31"), 7.1)]).status,
        "off_track"
    );
    assert_eq!(
        assess_rate(Bound::AtMost, 6.8, &[(d("2024-12-31"), 5.2)]).status,
        "on_track"
    );
    assert_eq!(assess_rate(Bound::AtMost, 6.8, &[]).status, "no_data");
}
