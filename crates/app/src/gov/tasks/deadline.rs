//! Setting a task's deadline (督办时限): most of 69号 prints `持续推进` and 61号 prints no deadline
//! at all, so the office that supervises the tasks sets one where the city decides a time limit,
//! or moves one it set. The printed deadline stays in the record's history.
//!
//! Rules: admins and regulators only; the new deadline must be a day, a month or a year
//! (`2027年6月30日`, `2027-06-30`, `2027年6月`, `2027年底`) or ongoing (`持续推进`), never text the
//! parser cannot read; a reason is required; the request names the task's `version` it read, and
//! a stale one is a 409 (two supervisors moving the same deadline cannot overwrite each other
//! unseen); a completed task's deadline is not changed (409). The change is audited.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wuliu_model::gov_tasks::Deadline;
use wuliu_model::Violations;
use wuliu_store::{Kind, Repository};

use super::{task_record, TaskBody};
use crate::caller::Caller;
use crate::emergency::authorise_manage;
use crate::error::AppError;
use crate::gov::{checked, commit_audited, now_text, step_error, update_op, view};

/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;
/// The most deadline changes one task keeps.
pub const MAX_CHANGES: usize = 50;

/// What a deadline change names.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineInput {
    /// The new deadline as the office writes it: `2027年6月30日`, `2027-06-30`, `2027年6月`,
    /// `2027年底`, or `持续推进`.
    pub deadline_text: String,
    /// Why (e.g. the meeting that decided it).
    pub reason: String,
    /// The task's version the change was decided on.
    pub version: i64,
}

/// One change of a task's deadline, kept on the task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineChange {
    /// The deadline before, as it was written.
    pub from_text: String,
    /// The deadline after.
    pub to_text: String,
    /// Why.
    pub reason: String,
    /// Who changed it.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

fn validate(input: &DeadlineInput, deadline: &Deadline) -> Violations {
    let mut v = Violations::default();
    let readable = matches!(deadline, Deadline::Ongoing) || deadline.due_date().is_some();
    if !readable {
        v.push(
            "invalid",
            "deadline_text",
            format!(
                "deadline_text: '{}' is not a day, month or year (2027年6月30日, 2027-06-30, 2027年6月, 2027年底) nor 持续推进",
                input.deadline_text.trim()
            ),
        );
    }
    v.require_text("reason", &input.reason);
    if input.reason.chars().count() > MAX_REASON_CHARS {
        v.push(
            "too_long",
            "reason",
            format!("reason: at most {MAX_REASON_CHARS} characters"),
        );
    }
    v
}

fn refuse(field: &str, message: String) -> AppError {
    AppError::Conflict {
        field: field.into(),
        message,
    }
}

/// Sets the deadline of task `id` (rules in the module docs). Answers the task as stored.
pub async fn set(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "set a task's deadline")?;
    let input: DeadlineInput = crate::gov::parse("gov.task.deadline", body)?;
    let deadline = Deadline::parse(&input.deadline_text);
    checked(validate(&input, &deadline))?;
    let (rec, task) = task_record(repo, caller, id).await?;
    if rec.version != input.version {
        return Err(refuse(
            "version",
            format!(
                "the task is at version {}, not {}: it changed since it was read; read it again",
                rec.version, input.version
            ),
        ));
    }
    if task.status == "completed" {
        return Err(refuse(
            "status",
            "the task is completed; its deadline is not changed".into(),
        ));
    }
    if task.deadline_changes.len() >= MAX_CHANGES {
        return Err(refuse(
            "deadline_text",
            format!("the task's deadline was already changed {MAX_CHANGES} times"),
        ));
    }
    let changed = changed(task, &input, deadline, &caller.actor);
    let body = serde_json::to_value(&changed).expect("a task serialises");
    let op = update_op(Kind::GovTask, &rec, body);
    let stored = commit_audited(repo, caller, "gov.task.deadline", vec![(op, Some(rec))])
        .await
        .map_err(step_error)?;
    Ok(view(&stored[0]))
}

fn changed(mut task: TaskBody, input: &DeadlineInput, to: Deadline, by: &str) -> TaskBody {
    let to_text = input.deadline_text.trim().to_string();
    task.deadline_changes.push(DeadlineChange {
        from_text: task.deadline_text.clone(),
        to_text: to_text.clone(),
        reason: input.reason.trim().to_string(),
        by: by.to_string(),
        at: now_text(),
    });
    task.deadline = to;
    task.deadline_text = to_text;
    task
}
