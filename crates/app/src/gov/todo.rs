//! The to-do list (待办) of a government caller across the desks, so an official sees on one
//! page what the appeal desk and the task tracker wait for from its unit instead of looking
//! through every list:
//!
//! - `appeals`: the appeals the caller may read on which it may act now (the workflow's allowed
//!   actions for its groups or as the competent unit), those with an overdue flag first;
//! - `tasks`: its unit's tasks (as lead or cooperating unit; the whole region for admins and
//!   regulators) not completed and carrying a warning (`overdue`, `stale`, `due_soon`), the most
//!   urgent first;
//! - `dues`: the appeal desk's due times in the next [`DUE_DAYS`] days that the caller's groups
//!   answer for (W1 and M1 for member units and 信息采集组, W4 and M4 for 综合组, all for
//!   leadership).
//!
//! Officials, admins and regulators; other roles have no desk duties (403). Read-only.

use chrono::{Duration, NaiveDate, Utc};
use serde_json::{json, Value};

use super::appeals::desk::standing;
use super::appeals::records::{answer, readable_all};
use super::tasks::read::needing_attention;
use super::today;
use crate::caller::{Caller, Role};
use crate::error::AppError;
use wuliu_store::Repository;

/// How many days ahead the appeal desk's dues are listed.
pub const DUE_DAYS: i64 = 7;

/// The caller's to-do list on `at` (default today, Liuzhou): see the module docs.
pub async fn for_caller(
    repo: &dyn Repository,
    caller: &Caller,
    at: Option<NaiveDate>,
) -> Result<Value, AppError> {
    if !matches!(caller.role, Role::Official | Role::Admin | Role::Regulator) {
        return Err(AppError::forbidden(
            "role",
            format!("a {} account has no desk duties", caller.role.name()),
        ));
    }
    let at = at.unwrap_or_else(today);
    let s = standing(repo, caller).await?;
    let now = Utc::now();
    let (readable, appeals_cut) = readable_all(repo, caller, &s).await?;
    let mut appeals: Vec<Value> = readable
        .iter()
        .map(|(rec, _)| answer(&s, rec, now))
        .filter(|v| v["allowed"].as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    let flagged = |v: &Value| v["flags"].as_array().is_some_and(|f| !f.is_empty());
    appeals.sort_by_key(|v| !flagged(v));
    let unit = s.actor.unit.as_deref();
    let (tasks, tasks_cut) = needing_attention(repo, caller, at, unit).await?;
    let dues: Vec<Value> = (0..DUE_DAYS)
        .flat_map(|k| s.config.cadence.dues_on(at + Duration::days(k)))
        .filter(|d| d.step.owed_by(&s.actor.groups))
        .map(|d| json!(d))
        .collect();
    let count = |w: &str| {
        tasks
            .iter()
            .filter(|t| t["tracking"]["warning"] == w)
            .count()
    };
    Ok(json!({
        "at": at,
        "unit": { "id": unit, "name": s.unit_name },
        "counts": {
            "appeals": appeals.len(),
            "appeals_flagged": appeals.iter().filter(|v| flagged(v)).count(),
            "tasks": tasks.len(),
            "tasks_overdue": count("overdue"),
            "tasks_stale": count("stale"),
            "tasks_due_soon": count("due_soon"),
            "dues": dues.len(),
        },
        "appeals": appeals,
        "tasks": tasks,
        "dues": dues,
        "truncated": appeals_cut || tasks_cut,
    }))
}
