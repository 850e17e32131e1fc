//! Scheduled reports generated for a sample month (issue 29's done-when): seven appeals received
//! from late September to late October 2026 are worked through the workflow; on every day of
//! October with a W4 due the weekly Form 2 is generated (and one is approved), and on the M4 due
//! the monthly report, each checked row by row against what the dates and steps make of them.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use wuliu_gov::appeals::cadence::{local_instant, Step};
use wuliu_gov::appeals::summary::{monthly, weekly, Flag, FORM2_COLUMNS};
use wuliu_gov::appeals::workflow::apply;
use wuliu_gov::appeals::{
    Action, Actor, Appeal, Category, Channel, Classification, CollectionForm, DeskConfig,
    FeedbackKind, Group, Level, Resolution, Status,
};

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    local_instant(date(m, d), NaiveTime::from_hms_opt(h, min, 0).unwrap())
}

fn config() -> DeskConfig {
    let mut c = DeskConfig::default();
    c.cadence.holidays = [1, 2, 5, 6, 7].map(|d| date(10, d)).to_vec();
    c.cadence.working_days = vec![date(10, 10)];
    c.report_contact = "示例联系人 0772-0000000".into();
    c
}

fn form(name: &str, reported: NaiveDate) -> CollectionForm {
    CollectionForm {
        reporting_unit: "市投资促进局".into(),
        reporting_date: reported,
        reporting_contact_name: "示例联系人".into(),
        reporting_contact: "0772-0000000".into(),
        enterprise_name: name.into(),
        industry: "医疗健康".into(),
        location_province: Some("广西".into()),
        parent_country: Some("美国".into()),
        registered_capital_10k_usd: Some(1000.0),
        enterprise_contact_name: Some("示例姓名".into()),
        enterprise_contact: "13800000000".into(),
        enterprise_profile: Some("示例简介".into()),
        issue: "上海浦东机场长航线货运航班数量太少。".into(),
        suggestions: Some("其他方面建议".into()),
    }
}

struct Desk {
    config: DeskConfig,
    lead: Actor,
    appeals: Vec<(String, Appeal)>,
}

impl Desk {
    fn receive(&mut self, id: &str, when: DateTime<Utc>, source: Channel) {
        let unit = Actor {
            who: "user:member".into(),
            unit: Some("投促".into()),
            groups: vec![Group::Member],
        };
        let f = form(
            &format!("示例企业{id}"),
            wuliu_gov::appeals::summary::day_of(when),
        );
        self.appeals
            .push((id.into(), Appeal::submitted(f, source, &unit, when)));
    }

    fn act(&mut self, id: &str, when: DateTime<Utc>, action: Action, note: Option<&str>) {
        let a = &mut self.appeals.iter_mut().find(|(i, _)| i == id).unwrap().1;
        apply(
            a,
            &self.lead,
            action,
            note.map(String::from),
            when,
            &self.config,
        )
        .unwrap();
    }

    fn classify(&mut self, id: &str, when: DateTime<Utc>, level: Level) {
        if self
            .appeals
            .iter()
            .any(|(i, a)| i == id && a.status == Status::Received)
        {
            self.act(id, when, Action::Collect, None);
        }
        let c = Classification {
            level,
            industry: None,
            category: Category::CustomsLogistics,
        };
        self.act(id, when, Action::Classify(c), None);
    }
}

fn sample_month() -> Desk {
    let lead = Actor {
        who: "user:lead".into(),
        unit: None,
        groups: vec![Group::Leadership],
    };
    let mut d = Desk {
        config: config(),
        lead,
        appeals: vec![],
    };
    d.receive("A", at(9, 29, 10, 0), Channel::Visit);
    d.receive("B", at(10, 8, 11, 59), Channel::Hotline);
    d.receive("C", at(10, 8, 12, 0), Channel::MemberUnit);
    d.receive("G", at(10, 13, 9, 0), Channel::Email);
    d.receive("D", at(10, 14, 9, 0), Channel::Website);
    d.receive("E", at(10, 21, 15, 0), Channel::Questionnaire);
    d.receive("F", at(10, 22, 10, 0), Channel::PhoneInterview);
    // A: city level, assigned, resolved, fed back, closed.
    d.classify("A", at(10, 8, 15, 0), Level::City);
    let assign = Action::Assign {
        unit: "交通".into(),
        name: "市交通运输局".into(),
    };
    d.act("A", at(10, 9, 9, 0), assign, None);
    let resolved = Action::Outcome {
        resolution: Resolution::Resolved,
        summary: "已协调解决".into(),
    };
    d.act("A", at(10, 20, 9, 0), resolved, None);
    let result = Action::Feedback {
        kind: FeedbackKind::Result,
        text: "已电话告知结果".into(),
        via: Some("电话".into()),
    };
    d.act("A", at(10, 21, 9, 0), result, None);
    d.act("A", at(10, 21, 10, 0), Action::Close, None);
    // B: regional, escalated on 9 Oct, progress fed back on 20 Oct.
    d.classify("B", at(10, 8, 15, 0), Level::Regional);
    d.act("B", at(10, 9, 11, 0), Action::Escalate, None);
    let progress = Action::Feedback {
        kind: FeedbackKind::Progress,
        text: "已报自治区专班".into(),
        via: None,
    };
    d.act("B", at(10, 20, 9, 0), progress, None);
    // C: national, escalated then forwarded to 中国贸促会.
    d.classify("C", at(10, 12, 15, 0), Level::National);
    d.act("C", at(10, 13, 11, 0), Action::Escalate, None);
    d.act("C", at(10, 14, 11, 0), Action::Forward, None);
    // G rejected; D collected only; E and F just received.
    d.act("G", at(10, 13, 10, 0), Action::Reject, Some("重复报送"));
    d.act("D", at(10, 14, 15, 0), Action::Collect, None);
    d
}

fn ids(rows: &[wuliu_gov::appeals::summary::Form2Row]) -> Vec<&str> {
    rows.iter().map(|r| r.appeal_id.as_str()).collect()
}

#[test]
fn scheduled_reports_of_a_sample_month() {
    let mut desk = sample_month();
    // Every W4 of October, with the window its Form 2 carries.
    let expected: &[(u32, &[&str])] = &[
        (8, &["A", "B"]), // the moved W4 of 2 and 6 Oct
        (9, &["A", "B"]),
        (13, &["C"]),
        (16, &["D"]), // G was rejected
        (20, &[]),
        (23, &["E", "F"]),
        (27, &[]),
        (30, &[]),
    ];
    let mut seen = Vec::new();
    for day in 1..=31 {
        let d = date(10, day);
        let dues = desk.config.cadence.dues_on(d);
        let Some(w4) = dues.iter().find(|x| x.step == Step::W4) else {
            continue;
        };
        let report = weekly(&desk.appeals, &desk.config, d, w4.at);
        assert!(
            report.window.closes <= w4.at,
            "the window reported on {d} closed by its W4"
        );
        let seqs: Vec<usize> = report.rows.iter().map(|r| r.seq).collect();
        assert_eq!(
            seqs,
            (1..=report.rows.len()).collect::<Vec<_>>(),
            "序号 on {d}"
        );
        seen.push((day, ids(&report.rows).join(",")));
        if day == 9 {
            // 专班领导 approves the 9 October Form 2: its appeals are summarised.
            for (id, a) in desk.appeals.iter_mut() {
                if report.rows.iter().any(|r| &r.appeal_id == id) {
                    a.mark_summarised("rep-1009", w4.at);
                }
            }
            assert_eq!(report.escalations, ["B"], "B needs the region");
            assert_eq!(report.header.reporting_unit, "市贸促会");
        }
    }
    let want: Vec<(u32, String)> = expected.iter().map(|(d, r)| (*d, r.join(","))).collect();
    assert_eq!(seen, want);

    // Row A of the 9 October Form 2, column by column.
    let report = weekly(&desk.appeals, &desk.config, date(10, 9), at(10, 9, 12, 0));
    let cells = report.rows[0].cells();
    assert_eq!(cells.len(), FORM2_COLUMNS.len());
    assert_eq!(
        cells,
        [
            "1",
            "示例企业A",
            "美国",
            "医疗健康",
            "广西",
            "1000",
            "示例简介",
            "上海浦东机场长航线货运航班数量太少。",
            "其他方面建议",
            "示例姓名 13800000000",
            "市投资促进局",
            "2026年9月29日",
            ""
        ]
        .map(String::from)
    );
    assert_eq!(report.rows[1].remarks, "需自治区层面解决");

    // The monthly report, generated at 10:00 on the (moved) M4 day, Monday 26 October.
    let m4 = desk.config.cadence.month(2026, 10).m4;
    assert_eq!(m4.day, date(10, 26));
    let now = at(10, 26, 10, 0);
    let month = monthly(&desk.appeals, &desk.config, date(10, 26), now);
    let rows: Vec<(&str, Status)> = month
        .rows
        .iter()
        .map(|r| (r.appeal_id.as_str(), r.status))
        .collect();
    // F (22 Oct 10:00) falls after the M1 due (end of 21 Oct): it belongs to November's.
    assert_eq!(
        rows,
        [
            ("A", Status::Closed),
            ("B", Status::Escalated),
            ("C", Status::Forwarded),
            ("G", Status::Rejected),
            ("D", Status::Collected),
            ("E", Status::Received)
        ]
    );
    let n = |m: &std::collections::BTreeMap<String, usize>, k: &str| m.get(k).copied().unwrap_or(0);
    let c = &month.counts;
    assert_eq!(c.total, 6);
    assert_eq!(
        [
            n(&c.by_level, "city"),
            n(&c.by_level, "regional"),
            n(&c.by_level, "national"),
            n(&c.by_level, "unclassified")
        ],
        [1, 1, 1, 3]
    );
    assert_eq!(
        [
            n(&c.by_resolution, "resolved"),
            n(&c.by_resolution, "pending")
        ],
        [1, 5]
    );
    assert_eq!(n(&c.by_source, "visit") + n(&c.by_source, "hotline"), 2);
    assert_eq!(n(&c.by_industry, "医疗健康"), 6);
    // Overdue at 26 Oct 10:00: C and D were never in an approved Form 2 and nobody told their
    // enterprises anything for over 10 days; E and F missed their W4 (23 Oct) but were heard
    // within 10 days; A is closed, B was summarised and told on 20 Oct, G rejected.
    let overdue: Vec<(&str, Vec<Flag>)> = month
        .overdue
        .iter()
        .map(|o| (o.appeal_id.as_str(), o.flags.clone()))
        .collect();
    assert_eq!(
        overdue,
        [
            ("C", vec![Flag::NotSummarised, Flag::FeedbackOverdue]),
            ("D", vec![Flag::NotSummarised, Flag::FeedbackOverdue]),
            ("E", vec![Flag::NotSummarised]),
            ("F", vec![Flag::NotSummarised])
        ]
    );
    assert_eq!(c.overdue, 3, "C, D and E of the month's rows");
}

#[test]
fn escalations_and_results_run_late() {
    let desk = sample_month();
    // On 11 November B has waited 33 days since its escalation (9 Oct) and 22 days since its
    // last news; C 29 days since its escalation (13 Oct), under the 30.
    let month = monthly(&desk.appeals, &desk.config, date(11, 11), at(11, 11, 12, 0));
    let flags = |id: &str| {
        month
            .overdue
            .iter()
            .find(|o| o.appeal_id == id)
            .map(|o| o.flags.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        flags("B"),
        [
            Flag::NotSummarised,
            Flag::EscalationNoOutcome,
            Flag::FeedbackOverdue
        ]
    );
    assert_eq!(flags("C"), [Flag::NotSummarised, Flag::FeedbackOverdue]);
    assert_eq!(
        month.carried_over_open, 4,
        "B, C, D, E from October are still open"
    );
    let rows: Vec<&str> = month.rows.iter().map(|r| r.appeal_id.as_str()).collect();
    assert_eq!(rows, ["F"]);
    // An outcome not fed back for 10 days is flagged; a coordination of over 15 days too.
    let mut desk = sample_month();
    let outcome = Action::Outcome {
        resolution: Resolution::PartlyResolved,
        summary: "部分解决".into(),
    };
    desk.act("B", at(10, 25, 9, 0), outcome, None);
    desk.classify("D", at(10, 15, 9, 0), Level::City);
    let assign = Action::Assign {
        unit: "交通".into(),
        name: "市交通运输局".into(),
    };
    desk.act("D", at(10, 15, 10, 0), assign, None);
    let later = monthly(&desk.appeals, &desk.config, date(11, 11), at(11, 11, 12, 0));
    let flags = |id: &str| {
        later
            .overdue
            .iter()
            .find(|o| o.appeal_id == id)
            .map(|o| o.flags.clone())
            .unwrap_or_default()
    };
    assert_eq!(flags("B"), [Flag::NotSummarised, Flag::ResultNotFedBack]);
    assert!(flags("D").contains(&Flag::CoordinationNoOutcome));
}

/// Who answers for each due step: members and 信息采集组 send at W1 and M1, 综合组 at W4 and M4,
/// leadership all, 协调促进组 none.
#[test]
fn each_group_owes_its_own_steps() {
    use wuliu_gov::appeals::cadence::Step;
    use wuliu_gov::appeals::Group;
    let owed = |groups: &[Group]| -> Vec<Step> {
        [Step::W1, Step::W4, Step::M1, Step::M4]
            .into_iter()
            .filter(|s| s.owed_by(groups))
            .collect()
    };
    assert_eq!(owed(&[Group::Member]), [Step::W1, Step::M1]);
    assert_eq!(
        owed(&[Group::Collection, Group::Member]),
        [Step::W1, Step::M1]
    );
    assert_eq!(owed(&[Group::General]), [Step::W4, Step::M4]);
    assert_eq!(owed(&[Group::Coordination]), []);
    assert_eq!(owed(&[]), []);
    assert_eq!(owed(&[Group::Leadership]).len(), 4);
}
