//! The task-division tracker (issue 29): the measures of 柳政办〔2022〕61号 and the tasks of
//! 69号 with their lead and cooperating units and deadlines, the units' progress reports with
//! attachments, statuses with overdue warnings, timelines, summaries per unit and per document,
//! and the county-economy targets of 63号 with the values entered against them. The rules of
//! status, cadence and summaries are the `wuliu_gov::tasks` engine's (quarterly reports for
//! tasks without a due date; see its docs).
//!
//! # Records
//!
//! | kind | external ID | body |
//! |---|---|---|
//! | `gov_tasks` | the parsed ID, `69-03`, `61-12` | [`TaskBody`]: the gazette's text, lead and cooperating units (IDs in the directory of [`crate::gov::units`], names beside), deadline, and the stored progress (`not_started`, `in_progress`, `completed`) |
//! | `task_reports` | — | [`reports::Report`]; `owner_party` is the reporting unit |
//! | `attachments` | — | files of a report ([`crate::gov::attachments`]) |
//! | `county_targets` | `C01` … `C22`, `C19a`/`C19b` | the 63号 row and its goal |
//! | `county_target_values` | — | a value entered against a target, with its source |
//!
//! # Who may do what
//!
//! | action | roles |
//! |---|---|
//! | list and read tasks, statuses, summaries, county targets and their values | every caller (the gazette is public) |
//! | load tasks and county targets | `admin`, `regulator` |
//! | read a task's reports, timeline and attachments | `admin`, `regulator`; an `official` of a lead or cooperating unit of the task |
//! | report progress on a task | an `official` of a lead or cooperating unit (as its own unit: a different `unit_id` in the body is a 403); `admin` and `regulator` on behalf of a unit of the task, which they must name |
//! | report a task `completed` | a lead unit's official (or an admin/regulator on behalf of a lead unit); a cooperating unit reports progress only (403) |
//! | enter county target values | `admin`, `regulator` |
//! | set or move a task's deadline ([`deadline`]), change the tracker's settings ([`config`]) | `admin`, `regulator` |
//!
//! Reports are filed in the order of the days they describe: a report dated before the task's
//! latest report is a 422 naming `as_of` (so a completion cannot be backdated behind the reports
//! already filed; `recorded_at` keeps when it was filed). A completed task takes no more reports
//! (409); of two completions racing, one wins and the
//! other is a 409 (the report and the task's new status are one versioned commit). Files may be
//! added to a filed report later by its unit's officials, admins and regulators
//! ([`reports::attach`]); the report's text and figures never change. Every write is audited.
//!
//! # Bounds
//!
//! Report text at most [`MAX_TEXT_CHARS`] characters, [`MAX_REPORT_ATTACHMENTS`] attachments
//! filed with a report and [`crate::gov::attachments::MAX_PER_RECORD`] in all (each at most
//! [`crate::gov::attachments::MAX_BYTES`]), [`MAX_REPORTS_PER_TASK`]
//! reports per task, [`MAX_TASKS`] tasks and [`MAX_REPORTS`] reports read per listing (the
//! answer says `truncated`).

pub mod config;
pub mod county;
pub mod deadline;
pub mod read;
pub mod reports;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wuliu_gov::tasks::{TaskFacts, TrackerConfig};
use wuliu_model::gov_tasks::{Deadline, DivisionTask};
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository};

use super::{checked, commit_audited, fetch, insert_op, step_error, typed, units, view};
use crate::caller::Caller;
use crate::emergency::authorise_manage;
use crate::error::AppError;

/// The longest report text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// The most attachments one report may carry.
pub const MAX_REPORT_ATTACHMENTS: usize = 5;
/// The most reports one task may have.
pub const MAX_REPORTS_PER_TASK: u32 = 500;
/// The most tasks a listing reads.
pub const MAX_TASKS: usize = 1000;
/// The most reports a listing or summary reads.
pub const MAX_REPORTS: usize = 10_000;
/// The longest task text, in characters.
pub const MAX_TASK_CHARS: usize = 2000;
/// The most units a task's list may name.
pub const MAX_UNITS_PER_LIST: usize = 40;

/// A unit named on a task: its directory ID and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct UnitRef {
    /// The `gov_units` record ID.
    pub id: String,
    /// The unit's name, e.g. `市商务局`.
    pub name: String,
}

/// A task as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TaskBody {
    /// The document's short number: `61`, `69`.
    pub document: String,
    /// The document number as printed, e.g. `柳政办〔2022〕69号`.
    pub document_number: String,
    /// The document's title.
    pub document_title: String,
    /// The document's issue date: tracking starts here, or on the settings' later
    /// `tracking_from` ([`config`]).
    pub issued: NaiveDate,
    /// 序号 in the table.
    pub seq: u32,
    /// 任务事项 / 措施内容.
    pub text: String,
    /// 牵头单位.
    pub lead_units: Vec<UnitRef>,
    /// 配合单位 (61号: the city units after the first).
    pub cooperating_units: Vec<UnitRef>,
    /// The lead list as printed.
    pub lead_units_text: String,
    /// The cooperating list as printed.
    pub cooperating_units_text: String,
    /// 自治区责任单位 as printed (61号).
    #[serde(default)]
    pub region_units_text: Option<String>,
    /// 解决时限, parsed.
    pub deadline: Deadline,
    /// 解决时限 as printed.
    pub deadline_text: String,
    /// 备注.
    #[serde(default)]
    pub note: Option<String>,
    /// Stored progress: `not_started`, `in_progress` or `completed`.
    pub status: String,
    /// The day a lead unit reported it completed.
    #[serde(default)]
    pub completed_on: Option<NaiveDate>,
    /// The completing report.
    #[serde(default)]
    pub completed_report: Option<String>,
    /// How many reports it has.
    #[serde(default)]
    pub report_count: u32,
    /// The latest day a report describes: a new report may not describe an earlier day, so a
    /// completion cannot be backdated before the reports already filed.
    #[serde(default)]
    pub latest_as_of: Option<NaiveDate>,
    /// The office's changes of the deadline, oldest first ([`deadline`]); the first `from_text`
    /// is the deadline as printed.
    #[serde(default)]
    pub deadline_changes: Vec<deadline::DeadlineChange>,
}

impl TaskBody {
    /// The engine's view of the task (units by ID), tracked from the later of its issue date and
    /// the settings' `tracking_from`.
    pub fn facts(&self, id: &str, cfg: &TrackerConfig) -> TaskFacts {
        TaskFacts {
            id: id.to_string(),
            document: self.document.clone(),
            deadline: self.deadline.clone(),
            lead_units: self.lead_units.iter().map(|u| u.id.clone()).collect(),
            cooperating_units: self
                .cooperating_units
                .iter()
                .map(|u| u.id.clone())
                .collect(),
            tracking_from: cfg.tracking_start(self.issued),
        }
    }
}

/// The document's short number from a parsed ID (`69-03` → `69`) or a printed number
/// (`柳政办〔2022〕69号` → `69`).
fn short_document(task: &DivisionTask) -> Option<String> {
    let from_id = task
        .external_id
        .as_deref()
        .and_then(|id| id.split_once('-'))
        .map(|(d, _)| d.to_string());
    let from_number = || {
        let n = task
            .document
            .number
            .rsplit_once('〕')?
            .1
            .strip_suffix('号')?;
        Some(n.to_string())
    };
    from_id
        .or_else(from_number)
        .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
}

fn validate_task(task: &DivisionTask) -> Violations {
    let mut v = Violations::default();
    v.require_text("text", &task.text);
    if task.text.chars().count() > MAX_TASK_CHARS {
        v.push(
            "too_long",
            "text",
            format!("text: at most {MAX_TASK_CHARS} characters"),
        );
    }
    match task.external_id.as_deref() {
        Some(id) if !id.is_empty() && id.len() <= 32 => {}
        _ => v.push(
            "required",
            "external_id",
            "external_id: the parsed ID, e.g. 69-03",
        ),
    }
    if short_document(task).is_none() {
        v.push(
            "invalid",
            "external_id",
            "external_id: <document>-<seq>, e.g. 69-03",
        );
    }
    if task.document.issued.is_none() {
        v.push(
            "required",
            "document.issued",
            "document.issued: the issue date starts tracking",
        );
    }
    if task.lead_units.units.is_empty() {
        v.push(
            "required",
            "lead_units.units",
            "lead_units.units: at least one lead unit",
        );
    }
    for (field, list) in [
        ("lead_units", &task.lead_units),
        ("cooperating_units", &task.cooperating_units),
    ] {
        if list.units.len() > MAX_UNITS_PER_LIST {
            v.push(
                "too_many",
                format!("{field}.units"),
                format!("{field}.units: at most {MAX_UNITS_PER_LIST}"),
            );
        }
    }
    v
}

async fn resolve(
    repo: &dyn Repository,
    caller: &Caller,
    names: &[String],
) -> Result<Vec<UnitRef>, AppError> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let id = units::ensure(repo, caller, name).await?;
        out.push(UnitRef {
            id,
            name: name.clone(),
        });
    }
    Ok(out)
}

/// Loads a task of a division table (a [`DivisionTask`], as `wuliu_demo::gov_tasks` parses
/// them) into the caller's region (admins and regulators; audited): its units are added to the
/// directory when missing. A task already loaded under the same external ID is answered as it
/// is (loading is idempotent).
pub async fn import(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "load gazette tasks")?;
    let task: DivisionTask = super::parse("gov.task", body)?;
    checked(validate_task(&task))?;
    let external_id = task.external_id.clone().expect("validated");
    if let Some(rec) = repo
        .get_by_external_id(Kind::GovTask, &caller.region, &external_id)
        .await?
    {
        return Ok(view(&rec));
    }
    let stored = TaskBody {
        document: short_document(&task).expect("validated"),
        document_number: task.document.number.clone(),
        document_title: task.document.title.clone(),
        issued: task.document.issued.expect("validated"),
        seq: task.seq,
        text: task.text.clone(),
        lead_units: resolve(repo, caller, &task.lead_units.units).await?,
        cooperating_units: resolve(repo, caller, &task.cooperating_units.units).await?,
        lead_units_text: task.lead_units.text.clone(),
        cooperating_units_text: task.cooperating_units.text.clone(),
        region_units_text: task.region_units.as_ref().map(|u| u.text.clone()),
        deadline: task.deadline.clone(),
        deadline_text: task.deadline_text.clone(),
        note: task.note.clone(),
        status: "not_started".into(),
        completed_on: None,
        completed_report: None,
        report_count: 0,
        latest_as_of: None,
        deadline_changes: Vec::new(),
    };
    let body = serde_json::to_value(&stored).expect("a task serialises");
    let op = insert_op(
        Kind::GovTask,
        &caller.region,
        Some(external_id.clone()),
        None,
        body,
    );
    match commit_audited(repo, caller, "gov.task.import", vec![(op, None)]).await {
        Ok(stored) => Ok(view(&stored[0])),
        Err(step) => match repo
            .get_by_external_id(Kind::GovTask, &caller.region, &external_id)
            .await?
        {
            Some(rec) => Ok(view(&rec)),
            None => Err(step_error(step)),
        },
    }
}

/// The task `id` (record ID, or the parsed ID such as `69-03` in the caller's region) with its
/// stored body; 404 when the caller's region has no such task (admins and regulators see every
/// region).
pub async fn task_record(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<(Record, TaskBody), AppError> {
    let rec = match repo.get(Kind::GovTask, id).await? {
        Some(rec) => rec,
        None => repo
            .get_by_external_id(Kind::GovTask, &caller.region, id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no task with id '{id}'")))?,
    };
    if rec.region != caller.region && !caller.sees_all() {
        return Err(AppError::NotFound(format!("no task with id '{id}'")));
    }
    let body = typed(&rec)?;
    Ok((rec, body))
}

/// Whether `caller` may read the reports of `task`: admins and regulators; an official of one of
/// its lead or cooperating units.
pub fn may_read_reports(caller: &Caller, task: &TaskBody) -> bool {
    if caller.sees_all() {
        return true;
    }
    caller.role == crate::caller::Role::Official
        && caller.party_id.as_deref().is_some_and(|p| {
            task.lead_units
                .iter()
                .chain(&task.cooperating_units)
                .any(|u| u.id == p)
        })
}

/// Whether `caller` may read the report `report_id` (so its attachments): the rights of its
/// task. For [`crate::gov::may_read_owner`].
pub async fn may_read_report(
    repo: &dyn Repository,
    caller: &Caller,
    report_id: &str,
) -> Result<bool, AppError> {
    let Some(report) = repo.get(Kind::TaskReport, report_id).await? else {
        return Ok(false);
    };
    let Some(task_id) = report.body["task_id"].as_str() else {
        return Ok(false);
    };
    let task = fetch(repo, Kind::GovTask, task_id, "task").await?;
    if task.region != caller.region && !caller.sees_all() {
        return Ok(false);
    }
    Ok(may_read_reports(caller, &typed(&task)?))
}
