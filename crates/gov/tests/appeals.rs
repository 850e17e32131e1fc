//! The appeal desk's engine: Form 1 validation, who may move an appeal where (every action per
//! group, every action per status, against tables written out here), the workflow's rules, and
//! the cadence's due instants for October 2026 with the National Day holidays and both readings
//! of 21日前 / 24日前.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use wuliu_gov::appeals::cadence::{local_instant, Step};
use wuliu_gov::appeals::config::{DayReading, HolidayShift, MonthlyPeriod};
use wuliu_gov::appeals::workflow::{allowed, permitted, possible};
use wuliu_gov::appeals::{
    Action, ActionKind, Actor, Appeal, Category, Channel, Classification, CollectionForm,
    DeskConfig, FeedbackKind, Group, Level, Resolution, Status, WorkflowError,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Liuzhou local time as an instant.
fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local_instant(
        date(2026, m, d),
        chrono::NaiveTime::from_hms_opt(h, min, 0).unwrap(),
    )
}

fn form() -> CollectionForm {
    CollectionForm {
        reporting_unit: "市商务局".into(),
        reporting_date: date(2026, 10, 9),
        reporting_contact_name: "示例联系人".into(),
        reporting_contact: "0772-2612156".into(),
        enterprise_name: "示例外资企业A有限公司".into(),
        industry: "汽车".into(),
        location_province: Some("广西".into()),
        parent_country: Some("美国".into()),
        registered_capital_10k_usd: Some(1000.0),
        enterprise_contact_name: Some("张三".into()),
        enterprise_contact: "13800000000 demo@example.com".into(),
        enterprise_profile: None,
        issue: "上海浦东机场长航线货运航班数量太少，北美和欧洲产品无法运输至上海。".into(),
        suggestions: None,
    }
}

fn actor(groups: &[Group], unit: Option<&str>) -> Actor {
    Actor {
        who: "user:t".into(),
        unit: unit.map(String::from),
        groups: groups.to_vec(),
    }
}

fn appeal_in(status: Status) -> Appeal {
    let mut a = Appeal::submitted(
        form(),
        Channel::MemberUnit,
        &actor(&[Group::Member], Some("u1")),
        at(10, 9, 9, 0),
    );
    a.status = status;
    a.classification = Some(Classification {
        level: Level::City,
        industry: None,
        category: Category::Policy,
    });
    a.assigned_unit = Some("competent".into());
    a
}

#[test]
fn form_requires_the_chosen_fields_and_names_each() {
    let today = date(2026, 10, 9);
    assert!(form().validate(today).is_empty());
    let mut f = form();
    f.enterprise_name = " ".into();
    f.industry = String::new();
    f.enterprise_contact = "call me".into();
    f.issue = String::new();
    f.reporting_contact_name = String::new();
    f.reporting_date = date(2026, 10, 10);
    f.registered_capital_10k_usd = Some(-1.0);
    f.suggestions = Some("议".repeat(5001));
    let fields: Vec<String> = f.validate(today).0.into_iter().map(|v| v.field).collect();
    for want in [
        "enterprise_name",
        "industry",
        "enterprise_contact",
        "issue",
        "reporting_contact_name",
        "reporting_date",
        "registered_capital_10k_usd",
        "suggestions",
    ] {
        assert!(
            fields.iter().any(|f| f == want),
            "{want} not named in {fields:?}"
        );
    }
    // The optional fields may be left out entirely.
    let mut f = form();
    (
        f.location_province,
        f.parent_country,
        f.registered_capital_10k_usd,
    ) = (None, None, None);
    (
        f.enterprise_contact_name,
        f.enterprise_profile,
        f.suggestions,
    ) = (None, None, None);
    assert!(f.validate(today).is_empty());
}

#[test]
fn every_action_per_group_matches_the_table() {
    use ActionKind::*;
    use Group::*;
    // Written out from the module's table (not read from the engine).
    let table: &[(ActionKind, &[Group])] = &[
        (Collect, &[Leadership, Collection]),
        (Reject, &[Leadership, Collection, General]),
        (Classify, &[Leadership, Collection, General]),
        (Assign, &[Leadership, Coordination]),
        (Escalate, &[Leadership, General, Coordination]),
        (Forward, &[Leadership, General, Coordination]),
        (Outcome, &[Leadership, Coordination, General]),
        (Feedback, &[Leadership, Collection]),
        (Close, &[Leadership, Collection, General]),
    ];
    let appeal = appeal_in(Status::Assigned);
    let mut checked = 0;
    for (kind, who) in table {
        for g in [Leadership, General, Collection, Coordination, Member] {
            let ok = permitted(&actor(&[g], Some("someone")), &appeal, *kind).is_ok();
            assert_eq!(ok, who.contains(&g), "{kind:?} by {g:?}");
            checked += 1;
        }
    }
    assert_eq!(checked, 45);
    // A unit in no group: nothing, except the outcome of the appeal assigned to it.
    for kind in ActionKind::ALL {
        let outsider = permitted(&actor(&[], Some("someone")), &appeal, kind).is_ok();
        let competent = permitted(&actor(&[], Some("competent")), &appeal, kind).is_ok();
        assert!(!outsider, "{kind:?} by an outsider");
        assert_eq!(competent, kind == Outcome, "{kind:?} by the competent unit");
    }
    // …and not once the appeal has moved on from assigned.
    let answered = appeal_in(Status::Escalated);
    assert!(permitted(&actor(&[], Some("competent")), &answered, Outcome).is_err());
}

#[test]
fn every_action_per_status_matches_the_table() {
    use ActionKind::*;
    use Status::*;
    let table: &[(ActionKind, &[Status])] = &[
        (Collect, &[Received]),
        (Reject, &[Received, Collected]),
        (Classify, &[Collected, Classified]),
        (Assign, &[Classified, Assigned, Answered]),
        (Escalate, &[Classified, Assigned, Answered]),
        (Forward, &[Escalated]),
        (Outcome, &[Assigned, Escalated, Forwarded]),
        (
            Feedback,
            &[
                Collected, Classified, Assigned, Escalated, Forwarded, Answered,
            ],
        ),
        (Close, &[Answered]),
    ];
    let config = DeskConfig {
        close_needs_result_feedback: false,
        ..DeskConfig::default()
    };
    for (kind, from) in table {
        for s in Status::ALL {
            let ok = possible(&appeal_in(s), *kind, &config).is_ok();
            assert_eq!(ok, from.contains(&s), "{kind:?} from {s:?}");
        }
    }
}

fn act(a: &mut Appeal, who: &Actor, action: Action, hour: u32) -> Result<(), WorkflowError> {
    wuliu_gov::appeals::workflow::apply(
        a,
        who,
        action,
        None,
        at(10, 12, hour, 0),
        &DeskConfig::default(),
    )
}

#[test]
fn a_city_appeal_goes_to_its_competent_unit_and_closes_after_the_result_is_fed_back() {
    let lead = actor(&[Group::Leadership], None);
    let collection = actor(&[Group::Collection, Group::Member], Some("商务"));
    let coordination = actor(&[Group::Coordination, Group::Member], Some("发改"));
    let competent = actor(&[], Some("交通"));
    let other = actor(&[], Some("住建"));
    let mut a = Appeal::submitted(form(), Channel::Hotline, &collection, at(10, 12, 8, 0));
    act(&mut a, &collection, Action::Collect, 9).unwrap();
    // Progress feedback is allowed from collected on; a result only after an outcome.
    let result = Action::Feedback {
        kind: FeedbackKind::Result,
        text: "已解决".into(),
        via: None,
    };
    assert!(matches!(
        act(&mut a, &collection, result.clone(), 9),
        Err(WorkflowError::NotNow { .. })
    ));
    let class = Classification {
        level: Level::City,
        industry: None,
        category: Category::CustomsLogistics,
    };
    act(&mut a, &collection, Action::Classify(class), 10).unwrap();
    assert_eq!(
        a.classification.as_ref().unwrap().industry.as_deref(),
        Some("汽车")
    );
    let assign = Action::Assign {
        unit: "交通".into(),
        name: "市交通运输局".into(),
    };
    assert!(matches!(
        act(&mut a, &collection, assign.clone(), 10),
        Err(WorkflowError::Forbidden { .. })
    ));
    act(&mut a, &coordination, assign, 11).unwrap();
    let outcome = Action::Outcome {
        resolution: Resolution::Resolved,
        summary: "已协调增开航班".into(),
    };
    assert!(matches!(
        act(&mut a, &other, outcome.clone(), 12),
        Err(WorkflowError::Forbidden { .. })
    ));
    act(&mut a, &competent, outcome, 12).unwrap();
    assert_eq!(a.status, Status::Answered);
    // Resolved: no reassignment; no closing before the result is fed back.
    let again = Action::Assign {
        unit: "住建".into(),
        name: "市住房城乡建设局".into(),
    };
    assert!(matches!(
        act(&mut a, &coordination, again, 13),
        Err(WorkflowError::NotNow { .. })
    ));
    assert!(matches!(
        act(&mut a, &collection, Action::Close, 13),
        Err(WorkflowError::NotNow { .. })
    ));
    act(&mut a, &collection, result, 14).unwrap();
    act(&mut a, &lead, Action::Close, 15).unwrap();
    assert_eq!(a.status, Status::Closed);
    let steps: Vec<(&str, Status)> = a.history.iter().map(|h| (h.action.name(), h.to)).collect();
    assert_eq!(
        steps,
        [
            ("submit", Status::Received),
            ("collect", Status::Collected),
            ("classify", Status::Classified),
            ("assign", Status::Assigned),
            ("outcome", Status::Answered),
            ("feedback", Status::Answered),
            ("close", Status::Closed)
        ]
    );
    assert_eq!(a.history[3].unit.as_deref(), Some("发改"));
}

#[test]
fn escalation_raises_the_level_and_a_regional_appeal_is_never_assigned() {
    let general = actor(&[Group::General], Some("贸促"));
    let coordination = actor(&[Group::Coordination], Some("发改"));
    let mut a = appeal_in(Status::Classified);
    a.classification.as_mut().unwrap().level = Level::Regional;
    let assign = Action::Assign {
        unit: "交通".into(),
        name: "市交通运输局".into(),
    };
    let refused = act(&mut a, &coordination, assign, 9).unwrap_err();
    assert!(refused.to_string().contains("escalated"), "{refused}");
    assert_eq!(a.status, Status::Classified, "nothing changed");
    // A city-level appeal the city cannot solve is escalated: its level becomes regional.
    let mut b = appeal_in(Status::Assigned);
    act(&mut b, &coordination, Action::Escalate, 9).unwrap();
    assert_eq!(
        (b.status, b.level()),
        (Status::Escalated, Some(Level::Regional))
    );
    assert!(b
        .history
        .last()
        .unwrap()
        .note
        .as_deref()
        .unwrap()
        .contains("city → regional"));
    act(&mut b, &general, Action::Forward, 10).unwrap();
    assert_eq!(
        (b.status, b.level()),
        (Status::Forwarded, Some(Level::National))
    );
    assert!(b.forwarded_at.is_some() && b.escalated_at.is_some());
    // Forwarding twice, or forwarding before escalation, is refused.
    assert!(act(&mut b, &general, Action::Forward, 11).is_err());
    let mut c = appeal_in(Status::Classified);
    assert!(act(&mut c, &general, Action::Forward, 11).is_err());
    // A rejection needs its reason.
    let mut d = appeal_in(Status::Received);
    let r = wuliu_gov::appeals::workflow::apply(
        &mut d,
        &general,
        Action::Reject,
        None,
        at(10, 12, 9, 0),
        &DeskConfig::default(),
    );
    assert!(matches!(
        r,
        Err(WorkflowError::Invalid { field: "note", .. })
    ));
    assert_eq!(d.history.len(), 1, "no step recorded for a refused action");
}

#[test]
fn allowed_lists_what_the_console_offers() {
    let config = DeskConfig::default();
    let a = appeal_in(Status::Received);
    let names = |who: &Actor, a: &Appeal| -> Vec<&str> {
        allowed(who, a, &config)
            .into_iter()
            .map(|k| k.name())
            .collect()
    };
    assert_eq!(
        names(&actor(&[Group::Collection, Group::Member], Some("x")), &a),
        ["collect", "reject"]
    );
    assert_eq!(
        names(&actor(&[Group::Member], Some("x")), &a),
        Vec::<&str>::new()
    );
    let b = appeal_in(Status::Assigned);
    assert_eq!(names(&actor(&[], Some("competent")), &b), ["outcome"]);
    assert_eq!(
        names(&actor(&[Group::Leadership], None), &b),
        ["assign", "escalate", "outcome", "feedback"]
    );
}

/// October 2026: National Day holidays Thursday 1 to Wednesday 7 (weekdays 1, 2, 5, 6, 7 listed),
/// Saturday 10 an adjusted working day.
fn october() -> DeskConfig {
    let mut c = DeskConfig::default();
    c.cadence.holidays = [1, 2, 5, 6, 7].map(|d| date(2026, 10, d)).to_vec();
    c.cadence.working_days = vec![date(2026, 10, 10)];
    c
}

fn steps_on(c: &DeskConfig, d: NaiveDate) -> Vec<(Step, DateTime<Utc>)> {
    c.cadence
        .dues_on(d)
        .into_iter()
        .map(|x| (x.step, x.at))
        .collect()
}

#[test]
fn due_instants_of_october_2026_with_the_holiday_and_both_readings() {
    let c = october();
    // An ordinary week: Monday W1 12:00 (04:00 UTC), Tuesday W4.
    assert_eq!(
        steps_on(&c, date(2026, 10, 12)),
        [(
            Step::W1,
            Utc.with_ymd_and_hms(2026, 10, 12, 4, 0, 0).unwrap()
        )]
    );
    assert_eq!(
        steps_on(&c, date(2026, 10, 13)),
        [(Step::W4, at(10, 13, 12, 0))]
    );
    // The holiday: Thursday 1 and Monday 5 (W1), Friday 2 and Tuesday 6 (W4) all move to
    // Thursday 8, the first working day; nothing falls in the holiday.
    for d in 1..=7 {
        assert!(
            steps_on(&c, date(2026, 10, d)).is_empty(),
            "due on October {d}"
        );
    }
    assert_eq!(
        steps_on(&c, date(2026, 10, 8)),
        [(Step::W1, at(10, 8, 12, 0)), (Step::W4, at(10, 8, 12, 0))]
    );
    let moved: Vec<NaiveDate> = c
        .cadence
        .dues_on(date(2026, 10, 8))
        .iter()
        .map(|x| x.nominal)
        .collect();
    assert_eq!(moved, [date(2026, 10, 1), date(2026, 10, 2)]);
    // The adjusted working Saturday carries no weekly due (dues follow the named weekdays).
    assert!(steps_on(&c, date(2026, 10, 10)).is_empty());
    // M1 "21日前" on or before: by the end of Wednesday 21 (16:00 UTC).
    assert_eq!(
        steps_on(&c, date(2026, 10, 21)),
        [(Step::M1, at(10, 22, 0, 0))]
    );
    // M4 "24日前": Saturday 24 is no working day, so it moves to Monday 26, with that day's W1.
    assert!(steps_on(&c, date(2026, 10, 24)).is_empty());
    assert_eq!(
        steps_on(&c, date(2026, 10, 26)),
        [(Step::W1, at(10, 26, 12, 0)), (Step::M4, at(10, 27, 0, 0))]
    );
    // Read strictly before: due by the end of the 20th and (24th → 23rd, a Friday) the 23rd.
    let mut strict = october();
    strict.cadence.day_reading = DayReading::Exclusive;
    let m = strict.cadence.month(2026, 10);
    assert_eq!((m.m1.day, m.m1.at), (date(2026, 10, 20), at(10, 21, 0, 0)));
    assert_eq!((m.m4.day, m.m4.at), (date(2026, 10, 23), at(10, 24, 0, 0)));
    // Moving earlier instead: the 24th goes back to Friday 23; the holiday's W1 and W4 back to
    // Wednesday 30 Sep.
    let mut earlier = october();
    earlier.cadence.holiday_shift = HolidayShift::Earlier;
    assert_eq!(earlier.cadence.month(2026, 10).m4.day, date(2026, 10, 23));
    assert_eq!(
        steps_on(&earlier, date(2026, 9, 30)),
        [(Step::W1, at(9, 30, 12, 0)), (Step::W4, at(9, 30, 12, 0))]
    );
    // A later cut-off moves every weekly instant.
    let mut late = october();
    late.cadence.cutoff = "11:30".into();
    assert_eq!(
        steps_on(&late, date(2026, 10, 12)),
        [(Step::W1, at(10, 12, 11, 30))]
    );
}

#[test]
fn windows_and_monthly_periods() {
    let c = october().cadence;
    // Received on Tuesday 29 Sep: the window closes on the moved W1 (Thursday 8 Oct 12:00) and
    // reaches the regional task force at the next W4 after that, Friday 9 Oct.
    let w = c.window_at(at(9, 29, 10, 0));
    assert_eq!(
        (w.opens, w.closes, w.summary_due),
        (at(9, 28, 12, 0), at(10, 8, 12, 0), at(10, 9, 12, 0))
    );
    // 11:59 is still in it; 12:00 opens the next one.
    assert_eq!(c.window_at(at(10, 8, 11, 59)).closes, at(10, 8, 12, 0));
    let next = c.window_at(at(10, 8, 12, 0));
    assert_eq!(
        (next.opens, next.closes, next.summary_due),
        (at(10, 8, 12, 0), at(10, 12, 12, 0), at(10, 13, 12, 0))
    );
    // Thursday's window: Monday 12:00 → Thursday 12:00, due Friday.
    let thu = c.window_at(at(10, 14, 9, 0));
    assert_eq!(
        (thu.opens, thu.closes, thu.summary_due),
        (at(10, 12, 12, 0), at(10, 15, 12, 0), at(10, 16, 12, 0))
    );
    // A report of Monday 12 or Tuesday 13 carries the window that closed Monday at 12:00.
    assert_eq!(c.window_for_report(date(2026, 10, 12)), next);
    assert_eq!(c.window_for_report(date(2026, 10, 13)), next);
    assert_eq!(c.window_for_report(date(2026, 10, 14)), next);
    // October's report covers 22 Sep 00:00 (after the end of 21 Sep) to 22 Oct 00:00.
    let m = c.month(2026, 10);
    assert_eq!(
        (m.period_from, m.period_to),
        (at(9, 22, 0, 0), at(10, 22, 0, 0))
    );
    let mut cal = october().cadence;
    cal.monthly_period = MonthlyPeriod::Calendar;
    let m = cal.month(2026, 10);
    assert_eq!(
        (m.period_from, m.period_to),
        (at(10, 1, 0, 0), at(11, 1, 0, 0))
    );
}

#[test]
fn bad_configuration_is_named_by_field() {
    let mut c = DeskConfig::default();
    c.cadence.cutoff = "noon".into();
    c.cadence.collection_days = vec![];
    c.cadence.summary_days = vec![8];
    c.cadence.monthly_member_day = 31;
    c.limits.feedback_days = 0;
    c.groups.members = vec![String::new()];
    let fields: Vec<String> = c.validate().0.into_iter().map(|v| v.field).collect();
    for want in [
        "cadence.cutoff",
        "cadence.collection_days",
        "cadence.summary_days",
        "cadence.monthly_member_day",
        "limits.feedback_days",
        "groups.members[0]",
    ] {
        assert!(fields.iter().any(|f| f == want), "{want} not in {fields:?}");
    }
    assert!(DeskConfig::default().validate().is_empty());
    assert_eq!(
        DeskConfig::default().groups_of("市商务局"),
        [Group::Collection, Group::Member]
    );
}
