//! A task's status on a day, from its deadline and the progress reports dated up to that day
//! (rules in the [module docs](super)).

use chrono::{Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wuliu_model::gov_tasks::Deadline;

use super::config::TrackerConfig;

/// What a report says of the task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Claim {
    /// Work goes on.
    InProgress,
    /// The work is done (counts only from a lead unit).
    Completed,
}

/// One progress report, as the tracker needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportFact {
    /// The report's ID.
    pub id: String,
    /// The unit that reports (an ID or a name; compared with the task's unit lists).
    pub unit: String,
    /// The day the report describes.
    pub as_of: NaiveDate,
    /// What it claims.
    pub claim: Claim,
    /// Share of the work done, 0–100, as the unit estimates it.
    pub progress_pct: u8,
}

/// A task, as the tracker needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskFacts {
    /// The task's ID (e.g. `69-03`).
    pub id: String,
    /// The document's short number, e.g. `69`.
    pub document: String,
    /// When it is due.
    pub deadline: Deadline,
    /// Lead units (牵头单位).
    pub lead_units: Vec<String>,
    /// Cooperating units (配合单位).
    pub cooperating_units: Vec<String>,
    /// The first day the task is tracked (the document's issue date).
    pub tracking_from: NaiveDate,
}

impl TaskFacts {
    /// Whether `unit` is a lead unit of the task.
    pub fn is_lead(&self, unit: &str) -> bool {
        self.lead_units.iter().any(|u| u == unit)
    }

    /// Whether `unit` is a lead or cooperating unit of the task.
    pub fn involves(&self, unit: &str) -> bool {
        self.is_lead(unit) || self.cooperating_units.iter().any(|u| u == unit)
    }
}

/// A task's status; JSON `not_started`, `in_progress`, `completed`, `overdue`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No report yet.
    NotStarted,
    /// Reported on, not completed.
    InProgress,
    /// A lead unit reported it completed.
    Completed,
    /// Past its due date and not completed.
    Overdue,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 4] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Completed,
        Status::Overdue,
    ];

    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
            Status::Overdue => "overdue",
        }
    }

    /// Reads a JSON name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.name() == s)
    }
}

/// A warning beside the status; JSON `due_soon`, `overdue`, `stale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// The due date, or the current period's report, is due within the warning window.
    DueSoon,
    /// Past the due date, not completed.
    Overdue,
    /// A periodic task's report for the last period that fell due is missing.
    Stale,
}

impl Warning {
    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            Warning::DueSoon => "due_soon",
            Warning::Overdue => "overdue",
            Warning::Stale => "stale",
        }
    }
}

/// A reporting period of a periodic task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// The day its report is due (the end plus the grace days).
    pub due: NaiveDate,
}

/// A task's status on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskStatus {
    /// The day assessed.
    pub at: NaiveDate,
    /// The status.
    pub status: Status,
    /// The warning, if any.
    pub warning: Option<Warning>,
    /// The due date (dated deadlines only).
    pub due_date: Option<NaiveDate>,
    /// Whether the task reports periodically (no due date).
    pub periodic: bool,
    /// Days past the due date (overdue only).
    pub days_overdue: Option<i64>,
    /// The next report due, for periodic tasks: the period and its due day.
    pub next_report: Option<Period>,
    /// The period whose report is missing (stale only).
    pub missing_report: Option<Period>,
    /// The day of the latest report counted.
    pub latest_report: Option<NaiveDate>,
    /// Progress of the latest report counted (100 once completed).
    pub progress_pct: Option<u8>,
    /// The day the lead unit reported it completed.
    pub completed_on: Option<NaiveDate>,
    /// The completing report.
    pub completed_by: Option<String>,
    /// Completed after the due date.
    pub completed_late: bool,
    /// How many reports were counted.
    pub reports: usize,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
}

/// Whether the task reports periodically under `cfg`.
pub fn is_periodic(deadline: &Deadline, cfg: &TrackerConfig) -> bool {
    match deadline {
        Deadline::Ongoing => true,
        Deadline::NotStated | Deadline::Text { .. } => cfg.undated_periodic,
        Deadline::Date { .. } | Deadline::Month { .. } | Deadline::Year { .. } => false,
    }
}

/// The periods of a periodic task that overlap `from..` whose report is due on or after `lo` and
/// on or before `hi`, earliest first.
pub fn periods_due_between(
    cfg: &TrackerConfig,
    from: NaiveDate,
    lo: NaiveDate,
    hi: NaiveDate,
) -> Vec<Period> {
    let mut out = Vec::new();
    let mut start = cfg.cadence.period_start(from);
    let grace = chrono::Days::new(u64::from(cfg.grace_days));
    while start <= hi {
        let end = cfg.cadence.period_end(start);
        let due = end + grace;
        if due > hi {
            break;
        }
        if due >= lo {
            out.push(Period { start, end, due });
        }
        start = start + Months::new(cfg.cadence.months());
    }
    out
}

/// The last period whose report fell due before `day` (its due day is past), if any.
fn owed_period(cfg: &TrackerConfig, from: NaiveDate, day: NaiveDate) -> Option<Period> {
    let yesterday = day.pred_opt()?;
    let lo = yesterday - Months::new(cfg.cadence.months() + 1);
    periods_due_between(cfg, from, lo.max(from), yesterday)
        .last()
        .copied()
}

/// The first period whose report is due on or after `day`.
fn next_period(cfg: &TrackerConfig, from: NaiveDate, day: NaiveDate) -> Option<Period> {
    let hi = day + Months::new(2 * cfg.cadence.months());
    periods_due_between(cfg, from, day, hi).first().copied()
}

/// The task's status on `at`, counting the reports dated on or before it (in any order).
pub fn assess(
    task: &TaskFacts,
    reports: &[ReportFact],
    at: NaiveDate,
    cfg: &TrackerConfig,
) -> TaskStatus {
    let mut counted: Vec<&ReportFact> = reports.iter().filter(|r| r.as_of <= at).collect();
    counted.sort_by(|a, b| (a.as_of, &a.id).cmp(&(b.as_of, &b.id)));
    let completion = counted
        .iter()
        .find(|r| r.claim == Claim::Completed && task.is_lead(&r.unit));
    let latest = counted.last();
    let due_date = task.deadline.due_date();
    let periodic = due_date.is_none() && is_periodic(&task.deadline, cfg);
    let mut s = TaskStatus {
        at,
        status: if latest.is_some() {
            Status::InProgress
        } else {
            Status::NotStarted
        },
        warning: None,
        due_date,
        periodic,
        days_overdue: None,
        next_report: None,
        missing_report: None,
        latest_report: latest.map(|r| r.as_of),
        progress_pct: latest.map(|r| r.progress_pct),
        completed_on: completion.map(|r| r.as_of),
        completed_by: completion.map(|r| r.id.clone()),
        completed_late: false,
        reports: counted.len(),
        reason_zh: String::new(),
        reason_en: String::new(),
    };
    if let Some(done) = completion {
        s.status = Status::Completed;
        s.progress_pct = Some(100);
        s.completed_late = due_date.is_some_and(|d| done.as_of > d);
    } else if let Some(due) = due_date {
        dated(&mut s, due, at, cfg);
    } else if periodic {
        let from = task.tracking_from;
        s.next_report = next_period(cfg, from, at);
        let covered = |p: &Period| s.latest_report.is_some_and(|d| d >= p.start);
        if let Some(p) = owed_period(cfg, from, at).filter(|p| !covered(p)) {
            s.warning = Some(Warning::Stale);
            s.missing_report = Some(p);
        } else if let Some(p) = s.next_report.filter(|p| !covered(p)) {
            if (p.due - at).num_days() <= i64::from(cfg.due_soon_days) {
                s.warning = Some(Warning::DueSoon);
            }
        }
    }
    (s.reason_zh, s.reason_en) = super::timeline::reason(&s);
    s
}

fn dated(s: &mut TaskStatus, due: NaiveDate, at: NaiveDate, cfg: &TrackerConfig) {
    let ahead = (due - at).num_days();
    if ahead < 0 {
        s.status = Status::Overdue;
        s.warning = Some(Warning::Overdue);
        s.days_overdue = Some(-ahead);
    } else if ahead <= i64::from(cfg.due_soon_days) {
        s.warning = Some(Warning::DueSoon);
    }
}
