//! A task's timeline: its reports and the changes of its status, in order of day, and the
//! sentences that explain a status.

use chrono::{Days, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::config::TrackerConfig;
use super::status::{
    is_periodic, periods_due_between, Claim, ReportFact, Status, TaskFacts, TaskStatus, Warning,
};

/// What happened; JSON `tracking_started`, `report`, `status_changed`, `report_missed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Tracking started (the document's issue date, or the settings' later `tracking_from`).
    TrackingStarted,
    /// A unit reported.
    Report,
    /// The status changed (to `status`).
    StatusChanged,
    /// A periodic report fell due without a report covering its period.
    ReportMissed,
}

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Event {
    /// The day.
    pub date: NaiveDate,
    /// What happened.
    pub kind: EventKind,
    /// The report (reports, and the status changes a report caused).
    pub report_id: Option<String>,
    /// The reporting unit (reports).
    pub unit: Option<String>,
    /// The status after the event (status changes).
    pub status: Option<Status>,
    /// Chinese text.
    pub text_zh: String,
    /// English text.
    pub text_en: String,
}

fn event(date: NaiveDate, kind: EventKind, zh: String, en: String) -> Event {
    Event {
        date,
        kind,
        report_id: None,
        unit: None,
        status: None,
        text_zh: zh,
        text_en: en,
    }
}

fn change(date: NaiveDate, to: Status, report: Option<&ReportFact>) -> Event {
    let (zh, en) = match to {
        Status::InProgress => ("状态变为：推进中", "status: in progress"),
        Status::Completed => (
            "状态变为：已完成（牵头单位报告）",
            "status: completed (lead unit's report)",
        ),
        Status::Overdue => (
            "状态变为：逾期（已过期限未完成）",
            "status: overdue (past the due date)",
        ),
        Status::NotStarted => ("状态变为：未开始", "status: not started"),
    };
    Event {
        report_id: report.map(|r| r.id.clone()),
        status: Some(to),
        ..event(date, EventKind::StatusChanged, zh.into(), en.into())
    }
}

/// The timeline of `task` up to `at`: tracking start, every report dated up to `at`, the status
/// changes (first report → in progress; the day after the due date → overdue; a lead unit's
/// completion → completed) and, for periodic tasks, each period whose report fell due without one
/// dated within the period or its grace days. Ordered by day; on one day the status change
/// follows the report that caused it.
pub fn timeline(
    task: &TaskFacts,
    reports: &[ReportFact],
    at: NaiveDate,
    cfg: &TrackerConfig,
) -> Vec<Event> {
    let mut counted: Vec<&ReportFact> = reports.iter().filter(|r| r.as_of <= at).collect();
    counted.sort_by(|a, b| (a.as_of, &a.id).cmp(&(b.as_of, &b.id)));
    let mut out = vec![event(
        task.tracking_from,
        EventKind::TrackingStarted,
        format!("{}号文件任务开始跟踪", task.document),
        format!("tracking of document No. {} starts", task.document),
    )];
    let mut status = Status::NotStarted;
    let due = task.deadline.due_date();
    let overdue_day = due.and_then(|d| d.checked_add_days(Days::new(1)));
    for r in &counted {
        if let Some(day) = overdue_day.filter(|d| *d <= r.as_of && status != Status::Overdue) {
            if status != Status::Completed {
                status = Status::Overdue;
                out.push(change(day, status, None));
            }
        }
        out.push(report_event(task, r));
        let next = if r.claim == Claim::Completed && task.is_lead(&r.unit) {
            Status::Completed
        } else if status == Status::NotStarted {
            Status::InProgress
        } else {
            status
        };
        if next != status && status != Status::Completed {
            status = next;
            out.push(change(r.as_of, status, Some(r)));
        }
    }
    if let Some(day) = overdue_day.filter(|d| *d <= at) {
        if !matches!(status, Status::Completed | Status::Overdue) {
            out.push(change(day, Status::Overdue, None));
        }
    }
    if due.is_none() && is_periodic(&task.deadline, cfg) {
        out.extend(missed(task, &counted, at, cfg));
    }
    out.sort_by_key(|e| e.date);
    out
}

fn report_event(task: &TaskFacts, r: &ReportFact) -> Event {
    let role = if task.is_lead(&r.unit) {
        ("牵头单位", "lead unit")
    } else {
        ("配合单位", "cooperating unit")
    };
    let claim = match r.claim {
        Claim::InProgress => ("推进中", "in progress"),
        Claim::Completed => ("已完成", "completed"),
    };
    Event {
        report_id: Some(r.id.clone()),
        unit: Some(r.unit.clone()),
        ..event(
            r.as_of,
            EventKind::Report,
            format!("{}报告：{}，进度 {}%", role.0, claim.0, r.progress_pct),
            format!("{} reports: {}, {}%", role.1, claim.1, r.progress_pct),
        )
    }
}

/// The periods due before `at` without a report dated in the period or its grace days.
fn missed(
    task: &TaskFacts,
    counted: &[&ReportFact],
    at: NaiveDate,
    cfg: &TrackerConfig,
) -> Vec<Event> {
    let Some(yesterday) = at.pred_opt() else {
        return Vec::new();
    };
    let completed = counted
        .iter()
        .find(|r| r.claim == Claim::Completed && task.is_lead(&r.unit))
        .map(|r| r.as_of);
    periods_due_between(cfg, task.tracking_from, task.tracking_from, yesterday)
        .into_iter()
        .filter(|p| completed.is_none_or(|c| c > p.due))
        .filter(|p| {
            !counted
                .iter()
                .any(|r| r.as_of >= p.start && r.as_of <= p.due)
        })
        .map(|p| {
            event(
                p.due.succ_opt().unwrap_or(p.due),
                EventKind::ReportMissed,
                format!(
                    "{} 至 {} 的进展报告逾期未报（应于 {} 前报送）",
                    p.start, p.end, p.due
                ),
                format!(
                    "no progress report for {} to {} (due by {})",
                    p.start, p.end, p.due
                ),
            )
        })
        .collect()
}

/// The Chinese and English sentences explaining a status.
pub fn reason(s: &TaskStatus) -> (String, String) {
    match (s.status, s.warning) {
        (Status::Completed, _) => {
            let on = s.completed_on.map(|d| d.to_string()).unwrap_or_default();
            let late = if s.completed_late {
                "（逾期完成）"
            } else {
                ""
            };
            (
                format!("牵头单位报告于 {on} 完成{late}"),
                format!(
                    "the lead unit reported it completed on {on}{}",
                    if s.completed_late { " (late)" } else { "" }
                ),
            )
        }
        (Status::Overdue, _) => {
            let due = s.due_date.map(|d| d.to_string()).unwrap_or_default();
            let n = s.days_overdue.unwrap_or(0);
            (
                format!("期限 {due} 已过 {n} 天，尚未完成"),
                format!("due {due}, {n} days ago, not completed"),
            )
        }
        (_, Some(Warning::Stale)) => {
            let p = s.missing_report.expect("a stale status names its period");
            (
                format!(
                    "{} 至 {} 的进展报告应于 {} 前报送，尚未报送",
                    p.start, p.end, p.due
                ),
                format!(
                    "the report for {} to {} was due by {} and is missing",
                    p.start, p.end, p.due
                ),
            )
        }
        (_, Some(Warning::DueSoon)) => {
            let due = s.due_date.or(s.next_report.map(|p| p.due)).unwrap_or(s.at);
            let n = (due - s.at).num_days();
            let what = if s.periodic {
                ("本期报告", "this period's report")
            } else {
                ("期限", "the deadline")
            };
            (
                format!("{}将于 {due} 到期（{n} 天后）", what.0),
                format!("{} is due on {due} (in {n} days)", what.1),
            )
        }
        (Status::InProgress, _) => (
            format!("推进中，最近报告 {}", opt(s.latest_report)),
            format!("in progress, latest report {}", opt(s.latest_report)),
        ),
        (Status::NotStarted, _) => ("尚无进展报告".into(), "no progress report yet".into()),
    }
}

fn opt(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}
