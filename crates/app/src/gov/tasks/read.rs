//! Reading the tracker: the task list with statuses and warnings, one task with its timeline and
//! reports, and the summaries per unit and per document.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::{json, Value};
use wuliu_gov::tasks::{self as engine, ReportFact, Status, TaskFacts, TaskStatus, TrackerConfig};
use wuliu_store::{Kind, Record, Repository};

use super::reports::{self, Report};
use super::{config, may_read_reports, task_record, TaskBody, MAX_REPORTS, MAX_TASKS};
use crate::caller::Caller;
use crate::error::AppError;
use crate::gov::{attachments, list_capped, today, typed, view};

/// Filters of the task list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskQuery {
    /// Document short number: `61`, `69`.
    pub document: Option<String>,
    /// A unit's ID: tasks it leads or cooperates on.
    pub unit: Option<String>,
    /// A status name: `not_started`, `in_progress`, `completed`, `overdue`.
    pub status: Option<String>,
    /// A warning name: `due_soon`, `overdue`, `stale`; `any` for every warned task.
    pub warning: Option<String>,
    /// The day assessed (default today in Liuzhou).
    pub at: Option<NaiveDate>,
}

fn fact(rec: &Record) -> Result<ReportFact, AppError> {
    let r: Report = typed(rec)?;
    Ok(ReportFact {
        id: rec.id.clone(),
        unit: r.unit_id,
        as_of: r.as_of,
        claim: r.status,
        progress_pct: r.progress_pct,
    })
}

/// A task of the listing: its record, body, engine facts and status on the day.
pub(crate) struct Assessed {
    rec: Record,
    body: TaskBody,
    facts: TaskFacts,
    status: TaskStatus,
}

/// Every task of the caller's region with its status on `at`, the settings in force, and whether
/// either read hit its cap.
pub(crate) async fn assessed(
    repo: &dyn Repository,
    caller: &Caller,
    at: NaiveDate,
) -> Result<(Vec<Assessed>, TrackerConfig, bool), AppError> {
    // A region's tracker: every caller lists its own region's tasks and targets.
    let region = Some(caller.region.as_str());
    let (tasks, t_cut) = list_capped(repo, Kind::GovTask, region, None, vec![], MAX_TASKS).await?;
    let (reports, r_cut) =
        list_capped(repo, Kind::TaskReport, region, None, vec![], MAX_REPORTS).await?;
    let mut by_task: HashMap<String, Vec<ReportFact>> = HashMap::new();
    for r in &reports {
        let task_id = r.body["task_id"].as_str().unwrap_or_default().to_string();
        by_task.entry(task_id).or_default().push(fact(r)?);
    }
    let (cfg, _) = config::load(repo, &caller.region).await?;
    let mut out = Vec::with_capacity(tasks.len());
    for rec in tasks {
        let body: TaskBody = typed(&rec)?;
        let facts = body.facts(&rec.id, &cfg);
        let facts_reports = by_task.get(&rec.id).map(Vec::as_slice).unwrap_or_default();
        let status = engine::assess(&facts, facts_reports, at, &cfg);
        out.push(Assessed {
            rec,
            body,
            facts,
            status,
        });
    }
    out.sort_by(|a, b| (&a.body.document, a.body.seq).cmp(&(&b.body.document, b.body.seq)));
    Ok((out, cfg, t_cut || r_cut))
}

fn row(a: &Assessed) -> Value {
    let mut v = view(&a.rec);
    v["external_id"] = json!(a.rec.external_id);
    v["tracking"] = json!(a.status);
    v
}

fn keep(a: &Assessed, q: &TaskQuery) -> bool {
    let warning = a.status.warning.map(|w| w.name());
    q.document.as_deref().is_none_or(|d| a.body.document == d)
        && q.unit.as_deref().is_none_or(|u| a.facts.involves(u))
        && q.status
            .as_deref()
            .is_none_or(|s| a.status.status.name() == s)
        && q.warning.as_deref().is_none_or(|w| match w {
            "any" => warning.is_some(),
            w => warning == Some(w),
        })
}

fn check_query(q: &TaskQuery) -> Result<(), AppError> {
    if let Some(s) = q.status.as_deref().filter(|s| Status::parse(s).is_none()) {
        return Err(AppError::bad(
            "gov.tasks",
            "status",
            format!("status: '{s}' is none of not_started, in_progress, completed, overdue"),
        ));
    }
    if let Some(w) = q
        .warning
        .as_deref()
        .filter(|w| !matches!(*w, "due_soon" | "overdue" | "stale" | "any"))
    {
        return Err(AppError::bad(
            "gov.tasks",
            "warning",
            format!("warning: '{w}' is none of due_soon, overdue, stale, any"),
        ));
    }
    Ok(())
}

/// The tasks matching `q` with their status on `q.at` (every caller: the gazette is public),
/// by document and sequence, and the counts by status of those listed.
pub async fn list(repo: &dyn Repository, caller: &Caller, q: TaskQuery) -> Result<Value, AppError> {
    check_query(&q)?;
    let at = q.at.unwrap_or_else(today);
    let (all, cfg, truncated) = assessed(repo, caller, at).await?;
    let mut counts = engine::StatusCounts::default();
    let mut rows = Vec::new();
    for a in all.iter().filter(|a| keep(a, &q)) {
        counts.add(&a.status);
        rows.push(row(a));
    }
    Ok(json!({ "at": at, "tasks": rows, "counts": counts, "truncated": truncated, "config": cfg }))
}

/// One task with its status on `at`; for callers who may read its reports (admins, regulators,
/// its units' officials) also its reports with their attachments and its timeline.
pub async fn get(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    at: Option<NaiveDate>,
) -> Result<Value, AppError> {
    let at = at.unwrap_or_else(today);
    let (rec, body) = task_record(repo, caller, id).await?;
    let (cfg, _) = config::load(repo, &caller.region).await?;
    let facts = body.facts(&rec.id, &cfg);
    let (records, truncated) = reports::of_task(repo, &rec.id).await?;
    let facts_reports = records.iter().map(fact).collect::<Result<Vec<_>, _>>()?;
    let status = engine::assess(&facts, &facts_reports, at, &cfg);
    let mut v = view(&rec);
    v["external_id"] = json!(rec.external_id);
    v["tracking"] = json!(status);
    let readable = may_read_reports(caller, &body);
    v["reports_readable"] = json!(readable);
    if readable {
        let mut out = Vec::with_capacity(records.len());
        for r in &records {
            let mut rv = view(r);
            rv["attachments"] = json!(attachments::list(repo, &r.id).await?);
            out.push(rv);
        }
        v["reports"] = json!(out);
        v["reports_truncated"] = json!(truncated);
        v["timeline"] = json!(engine::timeline(&facts, &facts_reports, at, &cfg));
    }
    Ok(v)
}

/// The tasks needing attention on `at` (not completed, with a warning: `overdue`, `stale`,
/// `due_soon`), of `unit` (as lead or cooperating unit) or of the whole region, most urgent first;
/// each row says whether `unit` leads it. For the to-do list ([`crate::gov::todo`]).
pub(crate) async fn needing_attention(
    repo: &dyn Repository,
    caller: &Caller,
    at: NaiveDate,
    unit: Option<&str>,
) -> Result<(Vec<Value>, bool), AppError> {
    let (all, _, truncated) = assessed(repo, caller, at).await?;
    let rank = |w: Option<engine::Warning>| match w {
        Some(engine::Warning::Overdue) => 0,
        Some(engine::Warning::Stale) => 1,
        _ => 2,
    };
    let mut warned: Vec<&Assessed> = all
        .iter()
        .filter(|a| a.status.status != Status::Completed && a.status.warning.is_some())
        .filter(|a| unit.is_none_or(|u| a.facts.involves(u)))
        .collect();
    warned.sort_by_key(|a| rank(a.status.warning));
    let rows = warned
        .iter()
        .map(|a| {
            let mut v = row(a);
            v["as_lead"] = json!(unit.is_some_and(|u| a.facts.is_lead(u)));
            v
        })
        .collect();
    Ok((rows, truncated))
}

/// Summaries on `at`: `by` = `unit` (each unit's tasks as lead and as cooperating unit, and the
/// lead tasks overdue, stale or due soon) or `document` (each document's tasks by status).
pub async fn summary(
    repo: &dyn Repository,
    caller: &Caller,
    by: &str,
    at: Option<NaiveDate>,
) -> Result<Value, AppError> {
    let at = at.unwrap_or_else(today);
    if !matches!(by, "unit" | "document") {
        return Err(AppError::bad("gov.tasks", "by", "by: unit or document"));
    }
    let (all, _, truncated) = assessed(repo, caller, at).await?;
    let pairs: Vec<(TaskFacts, TaskStatus)> = all
        .iter()
        .map(|a| (a.facts.clone(), a.status.clone()))
        .collect();
    let external: HashMap<&str, Option<&str>> = all
        .iter()
        .map(|a| (a.rec.id.as_str(), a.rec.external_id.as_deref()))
        .collect();
    let ext = |ids: &[String]| -> Vec<Value> {
        ids.iter().map(|id| json!({ "id": id, "external_id": external.get(id.as_str()).copied().flatten() })).collect()
    };
    let rows: Vec<Value> = if by == "unit" {
        let names: HashMap<&str, &str> = all
            .iter()
            .flat_map(|a| a.body.lead_units.iter().chain(&a.body.cooperating_units))
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect();
        let mut units = engine::by_unit(&pairs);
        units.sort_by(|a, b| (b.as_lead.total, &a.unit).cmp(&(a.as_lead.total, &b.unit)));
        units
            .iter()
            .map(|u| {
                let mut v = json!(u);
                v["unit_name"] = json!(names.get(u.unit.as_str()));
                v["overdue"] = json!(ext(&u.overdue));
                v["stale"] = json!(ext(&u.stale));
                v["due_soon"] = json!(ext(&u.due_soon));
                v
            })
            .collect()
    } else {
        let titles: HashMap<&str, (&str, &str)> = all
            .iter()
            .map(|a| {
                (
                    a.body.document.as_str(),
                    (
                        a.body.document_number.as_str(),
                        a.body.document_title.as_str(),
                    ),
                )
            })
            .collect();
        engine::by_document(&pairs)
            .iter()
            .map(|d| {
                let mut v = json!(d);
                let (number, title) = titles.get(d.document.as_str()).copied().unwrap_or_default();
                v["document_number"] = json!(number);
                v["document_title"] = json!(title);
                v["overdue"] = json!(ext(&d.overdue));
                v["stale"] = json!(ext(&d.stale));
                v
            })
            .collect()
    };
    Ok(json!({ "at": at, "by": by, "rows": rows, "truncated": truncated }))
}
