//! Progress reports on a task: who may report, what a report holds, and the versioned commit of
//! the report, its attachments and the task's new status.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_gov::tasks::Claim;
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository, WriteOp};

use super::{
    may_read_reports, task_record, TaskBody, MAX_REPORTS_PER_TASK, MAX_REPORT_ATTACHMENTS,
    MAX_TEXT_CHARS,
};
use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::gov::attachments::{self, AttachmentInput};
use crate::gov::{
    checked, commit_audited, insert_op, list_capped, now_text, retrying, text_eq, today, update_op,
    view, Step,
};

/// A report as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// The day the report describes (not in the future, not before the document's issue date).
    pub as_of: NaiveDate,
    /// `in_progress`, or `completed` (lead units only; progress must then be 100).
    pub status: Claim,
    /// Share of the work done, 0–100.
    pub progress_pct: u8,
    /// What was done, at most [`MAX_TEXT_CHARS`] characters.
    pub text: String,
    /// The reporting unit: admins and regulators must name a unit of the task; an official may
    /// leave it out (its own unit) and may name no other.
    #[serde(default)]
    pub unit_id: Option<String>,
    /// Files, at most [`MAX_REPORT_ATTACHMENTS`].
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
}

/// A report as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Report {
    /// The `gov_tasks` record.
    pub task_id: String,
    /// The task's parsed ID, e.g. `69-03`.
    pub task_external_id: Option<String>,
    /// The reporting unit's ID.
    pub unit_id: String,
    /// Its name.
    pub unit_name: String,
    /// Whether the unit leads the task.
    pub as_lead: bool,
    /// The day described.
    pub as_of: NaiveDate,
    /// `in_progress` or `completed`.
    pub status: Claim,
    /// 0–100.
    pub progress_pct: u8,
    /// The text.
    pub text: String,
    /// Who recorded it (the audit trail's actor).
    pub recorded_by: String,
    /// Whether an admin or regulator recorded it on the unit's behalf.
    pub on_behalf: bool,
    /// When it was recorded.
    pub recorded_at: String,
}

fn validate(r: &ReportInput, task: &TaskBody) -> Violations {
    let mut v = Violations::default();
    v.require_text("text", &r.text);
    if r.text.chars().count() > MAX_TEXT_CHARS {
        v.push(
            "too_long",
            "text",
            format!("text: at most {MAX_TEXT_CHARS} characters"),
        );
    }
    if r.progress_pct > 100 {
        v.push("out_of_range", "progress_pct", "progress_pct: 0 to 100");
    }
    if r.status == Claim::Completed && r.progress_pct != 100 {
        v.push(
            "invalid",
            "progress_pct",
            "progress_pct: a completion reports 100",
        );
    }
    if r.as_of > today() {
        v.push(
            "in_future",
            "as_of",
            "as_of: not after today (Liuzhou time)",
        );
    }
    if r.as_of < task.issued {
        v.push(
            "too_early",
            "as_of",
            format!(
                "as_of: not before the document's issue date {}",
                task.issued
            ),
        );
    }
    if r.attachments.len() > MAX_REPORT_ATTACHMENTS {
        v.push(
            "too_many",
            "attachments",
            format!("attachments: at most {MAX_REPORT_ATTACHMENTS}"),
        );
    }
    v
}

/// The unit the report is for: the official's own (a different `unit_id` is a 403), or the one
/// an admin or regulator names; it must be a lead or cooperating unit of the task (403).
fn reporting_unit(
    caller: &Caller,
    r: &ReportInput,
    task: &TaskBody,
) -> Result<(String, bool), AppError> {
    let unit = match caller.role {
        Role::Admin | Role::Regulator => r.unit_id.clone().ok_or_else(|| {
            AppError::invalid(
                "required",
                "unit_id",
                "unit_id: the unit of the task this report is recorded for",
            )
        })?,
        Role::Official => {
            let own = caller.party_id.clone().unwrap_or_default();
            if r.unit_id.as_deref().is_some_and(|u| u != own) {
                return Err(AppError::forbidden(
                    "unit_id",
                    "an official reports for its own unit only",
                ));
            }
            own
        }
        other => {
            return Err(AppError::forbidden(
                "role",
                format!(
                    "a {} may not report on gazette tasks (the units' officials may)",
                    other.name()
                ),
            ))
        }
    };
    let lead = task.lead_units.iter().any(|u| u.id == unit);
    if !lead && !task.cooperating_units.iter().any(|u| u.id == unit) {
        return Err(AppError::forbidden(
            "unit_id",
            format!("unit '{unit}' is neither a lead nor a cooperating unit of this task"),
        ));
    }
    if r.status == Claim::Completed && !lead {
        return Err(AppError::forbidden(
            "status",
            "only a lead unit may report a task completed; a cooperating unit reports progress (in_progress)",
        ));
    }
    Ok((unit, lead))
}

/// Records a progress report on task `task_id` (rules in the [module docs](super)): the report,
/// its attachments and the task's new status in one versioned, audited commit, so a bad
/// attachment writes nothing and of two completions racing one wins, the other is a 409.
/// Answers the report with its attachments' metadata and the task's stored status.
pub async fn submit(
    repo: &dyn Repository,
    caller: &Caller,
    task_id: &str,
    body: Value,
) -> Result<Value, AppError> {
    let input: ReportInput = crate::gov::parse("gov.task_report", body)?;
    let (rec, task) = task_record(repo, caller, task_id).await?;
    let (unit_id, as_lead) = reporting_unit(caller, &input, &task)?;
    checked(validate(&input, &task))?;
    for (k, a) in input.attachments.iter().enumerate() {
        a.decode(&format!("attachments[{k}]"))?;
    }
    let id = rec.id.clone();
    retrying("task report", || {
        attempt(repo, caller, &id, &input, &unit_id, as_lead)
    })
    .await
}

async fn attempt(
    repo: &dyn Repository,
    caller: &Caller,
    task_id: &str,
    input: &ReportInput,
    unit_id: &str,
    as_lead: bool,
) -> Result<Value, Step> {
    let (rec, mut task) = task_record(repo, caller, task_id).await?;
    if task.status == "completed" {
        return Err(Step::Fail(AppError::Conflict {
            field: "status".into(),
            message: format!(
                "the task was reported completed on {}; it takes no more reports",
                task.completed_on.map(|d| d.to_string()).unwrap_or_default()
            ),
        }));
    }
    if task.report_count >= MAX_REPORTS_PER_TASK {
        return Err(Step::Fail(AppError::Conflict {
            field: "reports".into(),
            message: format!("the task already has {MAX_REPORTS_PER_TASK} reports"),
        }));
    }
    if let Some(latest) = task.latest_as_of.filter(|l| input.as_of < *l) {
        return Err(Step::Fail(AppError::invalid(
            "too_early",
            "as_of",
            format!("as_of: not before the task's latest report ({latest})"),
        )));
    }
    let unit_name = task
        .lead_units
        .iter()
        .chain(&task.cooperating_units)
        .find(|u| u.id == unit_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let report = Report {
        task_id: rec.id.clone(),
        task_external_id: rec.external_id.clone(),
        unit_id: unit_id.to_string(),
        unit_name,
        as_lead,
        as_of: input.as_of,
        status: input.status,
        progress_pct: input.progress_pct,
        text: input.text.trim().to_string(),
        recorded_by: caller.actor.clone(),
        on_behalf: caller.role != Role::Official,
        recorded_at: now_text(),
    };
    let body = serde_json::to_value(&report).expect("a report serialises");
    let op = insert_op(
        Kind::TaskReport,
        &rec.region,
        None,
        Some(unit_id.to_string()),
        body,
    );
    let report_id = match &op {
        WriteOp::Insert { rec, .. } => rec.id.clone(),
        WriteOp::Update { .. } => unreachable!("insert_op inserts"),
    };
    let mut ops = vec![(op, None)];
    for (k, a) in input.attachments.iter().enumerate() {
        let at = format!("attachments[{k}]");
        let op = attachments::insert(&rec.region, (Kind::TaskReport, &report_id), a, &at)?;
        ops.push((op, None));
    }
    task.report_count += 1;
    task.latest_as_of = Some(input.as_of);
    if input.status == Claim::Completed {
        task.status = "completed".into();
        task.completed_on = Some(input.as_of);
        task.completed_report = Some(report_id.clone());
    } else if task.status == "not_started" {
        task.status = "in_progress".into();
    }
    let task_body = serde_json::to_value(&task).expect("a task serialises");
    ops.push((update_op(Kind::GovTask, &rec, task_body), Some(rec.clone())));
    let stored = commit_audited(repo, caller, "gov.task.report", ops).await?;
    let files: Vec<Value> = stored[1..stored.len() - 1]
        .iter()
        .map(attachments::metadata)
        .collect();
    Ok(json!({
        "report": report_view(&stored[0], files),
        "task_status": task.status,
    }))
}

fn report_view(rec: &Record, files: Vec<Value>) -> Value {
    let mut v = view(rec);
    v["attachments"] = json!(files);
    v
}

/// The reports of task `task_id` with their attachments' metadata, oldest first, when the
/// caller may read them (403 otherwise).
pub async fn list(
    repo: &dyn Repository,
    caller: &Caller,
    task_id: &str,
) -> Result<Value, AppError> {
    let (rec, task) = task_record(repo, caller, task_id).await?;
    if !may_read_reports(caller, &task) {
        return Err(AppError::forbidden(
            "task",
            "a task's reports are read by admins, regulators and the units on the task",
        ));
    }
    let (records, truncated) = of_task(repo, &rec.id).await?;
    let mut out = Vec::with_capacity(records.len());
    for r in &records {
        out.push(report_view(r, attachments::list(repo, &r.id).await?));
    }
    Ok(json!({ "reports": out, "truncated": truncated }))
}

/// The report records of task `task_id`, oldest first, up to [`MAX_REPORTS_PER_TASK`].
pub(crate) async fn of_task(
    repo: &dyn Repository,
    task_id: &str,
) -> Result<(Vec<Record>, bool), AppError> {
    list_capped(
        repo,
        Kind::TaskReport,
        None,
        None,
        vec![text_eq("task_id", task_id)],
        MAX_REPORTS_PER_TASK as usize,
    )
    .await
}

/// Adds a file to report `report_id` of task `task_id` after it was filed (a signed scan that
/// came later, a corrected table): the reporting unit's officials, admins and regulators (403
/// for others, 404 when the report is not one of the task's). Audited; at most
/// [`attachments::MAX_PER_RECORD`] files per report (409), racing adds included. Answers the
/// attachment's metadata.
pub async fn attach(
    repo: &dyn Repository,
    caller: &Caller,
    task_id: &str,
    report_id: &str,
    body: Value,
) -> Result<Value, AppError> {
    let (task, _) = task_record(repo, caller, task_id).await?;
    let report = repo
        .get(Kind::TaskReport, report_id)
        .await?
        .filter(|r| r.body["task_id"].as_str() == Some(task.id.as_str()))
        .ok_or_else(|| {
            AppError::NotFound(format!("task '{task_id}' has no report '{report_id}'"))
        })?;
    let own = caller.role == Role::Official
        && caller.party_id.is_some()
        && caller.party_id.as_deref() == report.body["unit_id"].as_str();
    if !(own || caller.sees_all()) {
        return Err(AppError::forbidden(
            "report",
            "files are added to a report by its unit's officials, admins and regulators",
        ));
    }
    let input: attachments::AttachmentInput = crate::gov::parse("gov.attachment", body)?;
    attachments::add(repo, caller, (Kind::TaskReport, &report.id), input).await
}
