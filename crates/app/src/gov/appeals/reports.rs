//! The scheduled reports, generated from the stored appeals: the weekly Form 2 of a collection
//! window and the monthly report, each for a date; approval by 专班领导 freezes one as an
//! `appeal_reports` record (once per window or month) and, for a weekly report, marks its appeals
//! summarised in the same commit; Form 2 as CSV with exactly the 13 printed columns.

use chrono::{Datelike, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_gov::appeals::summary::{self, Form2Row, FORM2_COLUMNS};
use wuliu_gov::appeals::Appeal;
use wuliu_store::{Kind, Record, Repository, WriteOp};

use super::super::{
    commit_audited, fetch, insert_op, list_capped, parse, retrying, today, typed, update_op, view,
    Step,
};
use super::desk::{standing, Standing};
use super::records::readable_all;
use crate::caller::Caller;
use crate::error::AppError;

/// Weekly (Form 2 of a window) or monthly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The weekly Form 2 (W4).
    Weekly,
    /// The monthly report (M4).
    Monthly,
}

impl ReportKind {
    fn name(self) -> &'static str {
        match self {
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
        }
    }
}

/// What an approval names.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveInput {
    /// The report's date (default today in Liuzhou).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// A remark of the approval.
    #[serde(default)]
    pub note: Option<String>,
}

/// Reads `?date=` (default today in Liuzhou); a bad one is a 400 naming `date`.
pub fn parse_date(date: Option<&str>) -> Result<NaiveDate, AppError> {
    match date {
        None | Some("") => Ok(today()),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| {
            AppError::bad(
                "param.invalid",
                "date",
                format!("date: '{t}' is not YYYY-MM-DD"),
            )
        }),
    }
}

fn may_report(s: &Standing) -> Result<(), AppError> {
    if s.sees_all() {
        return Ok(());
    }
    Err(AppError::Forbidden {
        field: None,
        message: "the reports are the 综合组's, 信息采集组's and the leadership's".into(),
    })
}

/// The period key of a report (its external ID): `weekly:<window close>` or `monthly:YYYY-MM`.
fn key(s: &Standing, kind: ReportKind, date: NaiveDate) -> String {
    match kind {
        ReportKind::Weekly => {
            let w = s.config.cadence.window_for_report(date);
            format!("weekly:{}", w.closes.to_rfc3339())
        }
        ReportKind::Monthly => format!("monthly:{:04}-{:02}", date.year(), date.month()),
    }
}

fn engine_rows(rows: &[(Record, Appeal)]) -> Vec<(String, Appeal)> {
    rows.iter()
        .map(|(r, a)| (r.id.clone(), a.clone()))
        .collect()
}

fn generate(s: &Standing, kind: ReportKind, rows: &[(String, Appeal)], date: NaiveDate) -> Value {
    let now = Utc::now();
    match kind {
        ReportKind::Weekly => json!(summary::weekly(rows, &s.config, date, now)),
        ReportKind::Monthly => json!(summary::monthly(rows, &s.config, date, now)),
    }
}

/// The report of `kind` for `date`: the approved one when that window or month was approved
/// (frozen, with `approved`), else generated now from the region's appeals (`approved: null`).
/// 综合组, 信息采集组 and leadership.
pub async fn report(
    repo: &dyn Repository,
    caller: &Caller,
    kind: ReportKind,
    date: Option<&str>,
) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    may_report(&s)?;
    let date = parse_date(date)?;
    let k = key(&s, kind, date);
    if let Some(rec) = repo
        .get_by_external_id(Kind::AppealReport, &caller.region, &k)
        .await?
    {
        let mut v = rec.body["report"].clone();
        v["approved"] = json!({"id": rec.id, "at": rec.body["approved_at"], "by": rec.body["approved_by"], "note": rec.body["note"]});
        v["kind"] = json!(kind.name());
        return Ok(v);
    }
    let (rows, truncated) = readable_all(repo, caller, &s).await?;
    let mut v = generate(&s, kind, &engine_rows(&rows), date);
    v["approved"] = Value::Null;
    v["kind"] = json!(kind.name());
    v["truncated"] = json!(truncated);
    Ok(v)
}

/// Approves the report of `kind` for the body's date (专班领导 only; audited): stores it as an
/// `appeal_reports` record whose rows no later change alters, once per window or month (a second
/// approval is a 409), and marks a weekly report's appeals summarised in the same commit (an
/// appeal changed meanwhile: generated again from a fresh read).
pub async fn approve(
    repo: &dyn Repository,
    caller: &Caller,
    kind: ReportKind,
    body: Value,
) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    if !s.is_leadership() {
        return Err(AppError::Forbidden {
            field: None,
            message: "only the task force's leadership (专班领导) approves reports".into(),
        });
    }
    let input: ApproveInput = parse("gov.appeal.report", body)?;
    if input
        .note
        .as_ref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return Err(AppError::invalid(
            "too_long",
            "note",
            "note: at most 2000 characters",
        ));
    }
    let date = input.date.unwrap_or_else(today);
    let k = key(&s, kind, date);
    let (s, k, note) = (&s, &k, &input.note);
    retrying("report approval", || async move {
        if repo.get_by_external_id(Kind::AppealReport, &caller.region, k).await?.is_some() {
            return Err(Step::Fail(AppError::Conflict { field: "date".into(), message: format!("the {} report {k} is approved already", kind.name()) }));
        }
        let (rows, _) = readable_all(repo, caller, s).await?;
        let report = generate(s, kind, &engine_rows(&rows), date);
        let ids: Vec<String> = report["rows"].as_array().into_iter().flatten().filter_map(|r| r["appeal_id"].as_str().map(String::from)).collect();
        let now = Utc::now();
        let body = json!({"kind": kind.name(), "key": k, "date": date, "status": "approved", "report": report,
            "appeal_ids": ids, "approved_at": now, "approved_by": caller.actor, "note": note});
        let op = insert_op(Kind::AppealReport, &caller.region, Some(k.clone()), None, body);
        let WriteOp::Insert { rec: new, .. } = &op else { unreachable!("an insert") };
        let report_id = new.id.clone();
        let mut ops = vec![(op, None)];
        if kind == ReportKind::Weekly {
            for (rec, mut a) in rows.into_iter().filter(|(r, _)| ids.contains(&r.id)) {
                a.mark_summarised(&report_id, now);
                ops.push((update_op(Kind::ForeignAppeal, &rec, serde_json::to_value(&a).expect("serialises")), Some(rec)));
            }
        }
        let stored = commit_audited(repo, caller, &format!("gov.appeal.report.{}", kind.name()), ops).await.map_err(|e| match e {
            Step::Fail(AppError::Conflict { .. }) => Step::Fail(AppError::Conflict { field: "date".into(), message: format!("the {} report {k} is approved already", kind.name()) }),
            other => other,
        })?;
        Ok::<_, Step>(view(&stored[0]))
    })
    .await
}

/// The cadence around `date` for any desk caller: the collection window open now, every due
/// (W1, W4, M1, M4) on the 14 days from `date` after holiday moves, and the month's dues.
pub async fn dues(
    repo: &dyn Repository,
    caller: &Caller,
    date: Option<&str>,
) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    let date = parse_date(date)?;
    let c = &s.config.cadence;
    let days: Vec<Value> = (0..14)
        .map(|k| date + chrono::Duration::days(k))
        .map(|d| json!({"date": d, "working_day": c.is_working_day(d), "dues": c.dues_on(d)}))
        .collect();
    Ok(json!({
        "date": date,
        "window_now": c.window_at(Utc::now()),
        "days": days,
        "month": c.month(date.year(), date.month()),
        "cutoff": c.cutoff,
    }))
}

/// The approved reports of the caller's region, newest first (without their rows).
pub async fn list(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    may_report(&s)?;
    let (mut records, truncated) = list_capped(
        repo,
        Kind::AppealReport,
        Some(&caller.region),
        None,
        vec![],
        1000,
    )
    .await?;
    records.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let reports: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({"id": r.id, "kind": r.body["kind"], "key": r.body["key"], "date": r.body["date"],
            "approved_at": r.body["approved_at"], "approved_by": r.body["approved_by"],
            "rows": r.body["report"]["rows"].as_array().map_or(0, Vec::len)})
        })
        .collect();
    Ok(json!({ "reports": reports, "truncated": truncated }))
}

/// An approved report, as frozen.
pub async fn get(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    may_report(&s)?;
    let rec = fetch(repo, Kind::AppealReport, id, "appeal report").await?;
    if rec.region != caller.region && !caller.sees_all() {
        return Err(AppError::NotFound(format!(
            "no appeal report with id '{id}'"
        )));
    }
    Ok(view(&rec))
}

/// Form 2 of the weekly report of `date` as CSV (UTF-8 with a byte-order mark, so spreadsheet
/// programs read the Chinese): a header of exactly the 13 printed columns, then one line per row.
/// Answers the file name and the text.
pub async fn form2_csv(
    repo: &dyn Repository,
    caller: &Caller,
    date: Option<&str>,
) -> Result<(String, String), AppError> {
    let v = report(repo, caller, ReportKind::Weekly, date).await?;
    let rows: Vec<Form2Row> = serde_json::from_value(v["rows"].clone())
        .map_err(|e| AppError::Internal(format!("a weekly report's rows: {e}")))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::Internal(format!("writing Form 2: {e}"));
    w.write_record(FORM2_COLUMNS).map_err(csv_err)?;
    for r in &rows {
        w.write_record(r.cells()).map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("writing Form 2: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| AppError::Internal(format!("Form 2 is not UTF-8: {e}")))?;
    let date = v["date"].as_str().unwrap_or_default().to_string();
    Ok((format!("form2-{date}.csv"), format!("\u{feff}{text}")))
}

/// The stored report body of `rec` as its engine type (for tests and tools).
pub fn frozen_rows(rec: &Record) -> Result<Vec<Form2Row>, AppError> {
    let mut r = rec.clone();
    r.body = rec.body["report"]["rows"].clone();
    typed(&r)
}
