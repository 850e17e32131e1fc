//! The county-economy targets of 63号 表2 and the values entered against them, assessed like the
//! logistics plan's targets: a 2025 level through the plan's own assessment
//! (`wuliu_indicators::plan::assess`, trajectory and projection), a yearly rate through the
//! engine's [`wuliu_gov::tasks::county::assess_rate`] (the plan's line does not fit a rate), and
//! rows the region assigns (`按自治区下达指标`) or that print no figure as `no_target`.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_gov::tasks::county::{assess_rate, goal, CountyGoal};
use wuliu_indicators::plan::{assess, Observation, Target};
use wuliu_model::gov_tasks::CountyTarget;
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository};

use crate::caller::Caller;
use crate::emergency::authorise_manage;
use crate::error::AppError;
use crate::gov::{
    checked, commit_audited, insert_op, list_capped, parse, step_error, today, typed, view,
};

/// The most targets a listing reads.
pub const MAX_TARGETS: usize = 200;
/// The most values one target may have.
pub const MAX_VALUES_PER_TARGET: usize = 200;
/// The most values a listing reads.
pub const MAX_VALUES: usize = 10_000;
/// The longest `source`, in characters.
pub const MAX_SOURCE_CHARS: usize = 200;
/// The longest `note`, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// A value entered against a county target (like the plan's `IndicatorValue`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueInput {
    /// The value, in the target's unit (a yearly rate for a rate goal, in %).
    pub value: f64,
    /// The day it describes (end of the period; not after today).
    pub as_of: NaiveDate,
    /// Where it comes from, e.g. `市统计局 2024年统计公报`.
    pub source: String,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

impl ValueInput {
    fn validate(&self) -> Violations {
        let mut v = Violations::default();
        v.require_text("source", &self.source);
        if self.source.chars().count() > MAX_SOURCE_CHARS {
            v.push(
                "too_long",
                "source",
                format!("source: at most {MAX_SOURCE_CHARS} characters"),
            );
        }
        if self
            .note
            .as_deref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            v.push(
                "too_long",
                "note",
                format!("note: at most {MAX_NOTE_CHARS} characters"),
            );
        }
        if !self.value.is_finite() {
            v.push("out_of_range", "value", "value: a finite number");
        }
        if self.as_of > today() {
            v.push(
                "in_future",
                "as_of",
                "as_of: not after today (Liuzhou time)",
            );
        }
        v
    }
}

/// Loads a 63号 row (a [`CountyTarget`] as `wuliu_demo::gov_tasks` parses it) into the caller's
/// region (admins and regulators; audited); idempotent by its external ID (`C01`).
pub async fn import(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "load county targets")?;
    let t: CountyTarget = parse("gov.county_target", body)?;
    let mut v = Violations::default();
    v.require_text("indicator", &t.indicator);
    let ext = t
        .external_id
        .clone()
        .filter(|e| !e.is_empty() && e.len() <= 16);
    if ext.is_none() {
        v.push(
            "required",
            "external_id",
            "external_id: the row's ID, e.g. C03",
        );
    }
    checked(v)?;
    let ext = ext.expect("checked");
    if let Some(rec) = repo
        .get_by_external_id(Kind::CountyTarget, &caller.region, &ext)
        .await?
    {
        return Ok(view(&rec));
    }
    let mut body = serde_json::to_value(&t).expect("a target serialises");
    body["goal"] = json!(goal(&t));
    let op = insert_op(
        Kind::CountyTarget,
        &caller.region,
        Some(ext.clone()),
        None,
        body,
    );
    match commit_audited(repo, caller, "gov.county_target.import", vec![(op, None)]).await {
        Ok(stored) => Ok(view(&stored[0])),
        Err(step) => match repo
            .get_by_external_id(Kind::CountyTarget, &caller.region, &ext)
            .await?
        {
            Some(rec) => Ok(view(&rec)),
            None => Err(step_error(step)),
        },
    }
}

async fn target_record(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<Record, AppError> {
    let rec = match repo.get(Kind::CountyTarget, id).await? {
        Some(r) => r,
        None => repo
            .get_by_external_id(Kind::CountyTarget, &caller.region, id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no county target with id '{id}'")))?,
    };
    if rec.region != caller.region && !caller.sees_all() {
        return Err(AppError::NotFound(format!(
            "no county target with id '{id}'"
        )));
    }
    Ok(rec)
}

/// Enters a value against county target `id` (record ID or `C03`; admins and regulators;
/// audited). 409 beyond [`MAX_VALUES_PER_TARGET`] values.
pub async fn add_value(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "enter county target values")?;
    let input: ValueInput = parse("gov.county_target_value", body)?;
    checked(input.validate())?;
    let target = target_record(repo, caller, id).await?;
    let (existing, _) = values_of(repo, &target.id).await?;
    if existing.len() >= MAX_VALUES_PER_TARGET {
        return Err(AppError::Conflict {
            field: "values".into(),
            message: format!("the target already has {MAX_VALUES_PER_TARGET} values"),
        });
    }
    let body = json!({
        "target_id": target.id,
        "target_external_id": target.external_id,
        "value": input.value,
        "as_of": input.as_of,
        "source": input.source.trim(),
        "note": input.note,
        "recorded_by": caller.actor,
    });
    let op = insert_op(Kind::CountyTargetValue, &target.region, None, None, body);
    let stored = commit_audited(
        repo,
        caller,
        "gov.county_target_value.add",
        vec![(op, None)],
    )
    .await
    .map_err(step_error)?;
    Ok(view(&stored[0]))
}

async fn values_of(
    repo: &dyn Repository,
    target_id: &str,
) -> Result<(Vec<Record>, bool), AppError> {
    let f = crate::gov::text_eq("target_id", target_id);
    list_capped(
        repo,
        Kind::CountyTargetValue,
        None,
        None,
        vec![f],
        MAX_VALUES_PER_TARGET,
    )
    .await
}

/// The assessment of a target's goal on `at` from its values (sorted by day): `status` is the
/// plan's (`on_track`, `at_risk`, `off_track`, `no_data`) or `no_target`.
pub fn assessment(g: &CountyGoal, values: &[(NaiveDate, f64)], at: NaiveDate) -> Value {
    match g {
        CountyGoal::Level {
            comparator,
            value,
            year,
            text,
        } => {
            let obs: Vec<Observation> = values
                .iter()
                .map(|&(as_of, value)| Observation { as_of, value })
                .collect();
            let result = Target::parse(comparator, Some(*value), text, *year)
                .and_then(|t| assess(&t, None, &obs, at));
            match result {
                Ok(a) => json!({
                    "status": a.status, "current": a.current.map(|o| o.value), "as_of": a.current.map(|o| o.as_of),
                    "progress": a.progress, "expected_now": a.expected_now,
                    "projected": a.projected_at_target_year, "reason_zh": a.reason_zh, "reason_en": a.reason_en,
                }),
                Err(e) => {
                    json!({ "status": "no_data", "reason_zh": e.to_string(), "reason_en": e.to_string() })
                }
            }
        }
        CountyGoal::Rate { bound, value, .. } => json!(assess_rate(*bound, *value, values)),
        CountyGoal::NotSet { reason } => json!({
            "status": "no_target", "reason": reason,
            "reason_zh": "表2 未列可考核的数值（按自治区下达指标或未列）",
            "reason_en": "the table sets no figure to assess (assigned by the region, or none printed)",
        }),
    }
}

/// Every county target of the caller's region, by row, with its goal, its values (oldest first) and
/// its assessment on `at` (every caller).
pub async fn list(
    repo: &dyn Repository,
    caller: &Caller,
    at: Option<NaiveDate>,
) -> Result<Value, AppError> {
    let at = at.unwrap_or_else(today);
    // A region's tracker: every caller lists its own region's tasks and targets.
    let region = Some(caller.region.as_str());
    let (targets, t_cut) =
        list_capped(repo, Kind::CountyTarget, region, None, vec![], MAX_TARGETS).await?;
    let (values, v_cut) = list_capped(
        repo,
        Kind::CountyTargetValue,
        region,
        None,
        vec![],
        MAX_VALUES,
    )
    .await?;
    let mut by_target: HashMap<&str, Vec<&Record>> = HashMap::new();
    for v in &values {
        by_target
            .entry(v.body["target_id"].as_str().unwrap_or_default())
            .or_default()
            .push(v);
    }
    let mut rows = Vec::with_capacity(targets.len());
    for rec in &targets {
        let t: CountyTarget = typed(rec)?;
        let mut vals: Vec<&Record> = by_target.get(rec.id.as_str()).cloned().unwrap_or_default();
        vals.sort_by(|a, b| a.body["as_of"].as_str().cmp(&b.body["as_of"].as_str()));
        let points: Vec<(NaiveDate, f64)> = vals
            .iter()
            .filter_map(|v| {
                Some((
                    v.body["as_of"].as_str()?.parse().ok()?,
                    v.body["value"].as_f64()?,
                ))
            })
            .filter(|(d, _)| *d <= at)
            .collect();
        let g = goal(&t);
        let mut row = view(rec);
        row["external_id"] = json!(rec.external_id);
        row["assessment"] = assessment(&g, &points, at);
        row["goal"] = json!(g);
        row["values"] = json!(vals.iter().map(|v| view(v)).collect::<Vec<_>>());
        rows.push((t.seq, rec.external_id.clone(), row));
    }
    rows.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let rows: Vec<Value> = rows.into_iter().map(|r| r.2).collect();
    Ok(json!({ "at": at, "targets": rows, "truncated": t_cut || v_cut }))
}

/// One county target with its values and assessment on `at`.
pub async fn get(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    at: Option<NaiveDate>,
) -> Result<Value, AppError> {
    let at = at.unwrap_or_else(today);
    let rec = target_record(repo, caller, id).await?;
    let t: CountyTarget = typed(&rec)?;
    let (vals, _) = values_of(repo, &rec.id).await?;
    let mut points: Vec<(NaiveDate, f64)> = vals
        .iter()
        .filter_map(|v| {
            Some((
                v.body["as_of"].as_str()?.parse().ok()?,
                v.body["value"].as_f64()?,
            ))
        })
        .filter(|(d, _)| *d <= at)
        .collect();
    points.sort_by_key(|p| p.0);
    let g = goal(&t);
    let mut row = view(&rec);
    row["external_id"] = json!(rec.external_id);
    row["assessment"] = assessment(&g, &points, at);
    row["goal"] = json!(g);
    row["values"] = json!(vals.iter().map(view).collect::<Vec<_>>());
    Ok(row)
}
