//! The 2025 targets with their values, trajectories and statuses.

use chrono::{Days, Months, NaiveDate};
use schemars::JsonSchema;
use serde::Serialize;
use wuliu_indicators::plan::{assess, Baseline, Observation, PlanError, Target, TargetAssessment};
use wuliu_model::{IndicatorValue, PlanTarget};
use wuliu_store::{Kind, Record, StatGroup, StatQuery};

use super::{recorded_by, region_records};
use crate::caller::Caller;
use crate::error::AppError;
use crate::Service;

/// A plan indicator the platform measures from its own data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Tonnes of the waybills counted over the twelve months up to the day, in 万吨.
    RoadTonnesLast12Months,
}

/// The targets the platform measures: (target ID, unit it must have, measure).
pub const PLATFORM_MEASURES: &[(&str, &str, Measure)] =
    &[("T04", "万吨", Measure::RoadTonnesLast12Months)];

/// How a platform value is labelled.
pub const PLATFORM_SCOPE: &str = "平台口径 (platform scope)";

/// One value of an indicator: entered (`source` = `manual`) or measured (`platform`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ValueView {
    /// The `indicator_values` record, for manual values.
    pub id: Option<String>,
    /// The value, in the target's unit.
    pub value: f64,
    /// The day it describes.
    pub as_of: NaiveDate,
    /// `manual` or `platform`.
    pub source: String,
    /// The cited source, then the remark (manual); the scope and method (platform).
    pub note: Option<String>,
    /// The record's `source` as entered, e.g. `市统计局 2025年6月快报` (manual only).
    pub cited_source: Option<String>,
    /// The record's `note` (manual only).
    pub remark: Option<String>,
    /// `平台口径 (platform scope)` for platform values.
    pub scope: Option<String>,
    /// Who entered it (the audit trail's actor); admins and the regulator only.
    pub recorded_by: Option<String>,
}

/// A target as the console shows it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetView {
    /// Plan extract ID (`T03`), or the record ID for a target without one.
    pub id: String,
    /// The `plan_targets` record.
    pub record_id: String,
    /// Indicator, Chinese.
    pub indicator_zh: String,
    /// Indicator, English.
    pub indicator_en: String,
    /// Unit.
    pub unit: String,
    /// `>=`, `=`, `<=`, `>`, `<` or `range`.
    pub comparator: String,
    /// Target value (`None` for a range).
    pub target_value: Option<f64>,
    /// The target as written (`7603`, `6-8`).
    pub target_text: String,
    /// Target year.
    pub year: i32,
    /// Baseline value.
    pub baseline_value: Option<f64>,
    /// Baseline year.
    pub baseline_year: Option<i32>,
    /// The plan's sentence.
    pub source_quote: String,
    /// The latest value assessed: the latest manual value, else the platform value.
    pub current: Option<ValueView>,
    /// The platform's own measurement, when it measures this indicator and has data.
    pub platform: Option<ValueView>,
    /// The planned line's value on the current value's date.
    pub expected_now: Option<f64>,
    /// Share of the planned change achieved.
    pub progress: Option<f64>,
    /// `on_track`, `at_risk`, `off_track` or `no_data`.
    pub status: String,
    /// Projected value at the end of the target year.
    pub projected_at_target_year: Option<f64>,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// Why, in English.
    pub reason_en: String,
    /// The values assessed, oldest first.
    pub history: Vec<ValueView>,
}

/// The answer of `GET /api/v1/plan/targets`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetList {
    /// The evaluation day.
    pub as_of: NaiveDate,
    /// Every target, by ID.
    pub targets: Vec<TargetView>,
}

/// Every plan target of the caller's region assessed on `today`: `GET /api/v1/plan/targets`.
/// Values dated after `today` are left out.
///
/// # Errors
/// Storage failures; [`AppError::Internal`] for a stored record that no longer reads.
pub async fn targets(
    svc: &Service,
    caller: &Caller,
    today: NaiveDate,
) -> Result<TargetList, AppError> {
    let values = manual_values(svc, caller, today).await?;
    let mut out = Vec::new();
    for rec in region_records(svc, caller, Kind::PlanTarget).await? {
        let t: PlanTarget = body_of(&rec)?;
        let id = rec.external_id.clone().unwrap_or_else(|| rec.id.clone());
        let history: Vec<ValueView> = values
            .iter()
            .filter(|(target_id, _)| *target_id == id)
            .map(|(_, v)| v.clone())
            .collect();
        let platform = platform_value(svc, caller, &id, &t.unit, today).await?;
        out.push(view(id, rec.id, t, history, platform, today));
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(TargetList {
        as_of: today,
        targets: out,
    })
}

fn body_of<T: serde::de::DeserializeOwned>(rec: &Record) -> Result<T, AppError> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("stored record {} does not read: {e}", rec.id)))
}

/// The manual values up to `today` as (target ID, value), oldest first.
async fn manual_values(
    svc: &Service,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Vec<(String, ValueView)>, AppError> {
    let mut out = Vec::new();
    for rec in region_records(svc, caller, Kind::IndicatorValue).await? {
        let v: IndicatorValue = body_of(&rec)?;
        if v.as_of > today {
            continue;
        }
        let note = match &v.note {
            Some(n) if !n.trim().is_empty() => format!("{}；{n}", v.source),
            _ => v.source.clone(),
        };
        let view = ValueView {
            id: Some(rec.id.clone()),
            value: v.value,
            as_of: v.as_of,
            source: "manual".into(),
            note: Some(note),
            cited_source: Some(v.source),
            remark: v.note,
            scope: None,
            recorded_by: recorded_by(svc, caller, &rec.id).await?,
        };
        out.push((v.target_id, view));
    }
    // Records come in creation order; a stable sort keeps it among values of one day.
    out.sort_by_key(|(_, v)| v.as_of);
    Ok(out)
}

/// The platform's value of target `id` on `today`, if it measures it and has counted waybills.
async fn platform_value(
    svc: &Service,
    caller: &Caller,
    id: &str,
    unit: &str,
    today: NaiveDate,
) -> Result<Option<ValueView>, AppError> {
    let Some((_, _, measure)) = PLATFORM_MEASURES
        .iter()
        .find(|(t, u, _)| *t == id && *u == unit)
    else {
        return Ok(None);
    };
    match measure {
        Measure::RoadTonnesLast12Months => road_tonnes(svc, caller, today).await,
    }
}

/// Tonnes of the waybills counted over the twelve months ending `today`, in 万吨.
async fn road_tonnes(
    svc: &Service,
    caller: &Caller,
    today: NaiveDate,
) -> Result<Option<ValueView>, AppError> {
    let from = today
        .checked_sub_months(Months::new(12))
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .unwrap_or(today);
    let q = StatQuery {
        region: Some(caller.region.clone()),
        from,
        to: today,
        county: None,
        industry: None,
        party: None,
        group: StatGroup::Total,
    };
    let rows = svc.repo.stats(&q).await?;
    let Some(row) = rows.into_iter().find(|r| r.waybills > 0) else {
        return Ok(None);
    };
    Ok(Some(ValueView {
        id: None,
        value: row.tonnes / 10_000.0,
        as_of: today,
        source: "platform".into(),
        note: Some(format!(
            "{PLATFORM_SCOPE}: {} 张平台计数运单 {from} 至 {today} 的货重合计 / 10000 (tonnes of the waybills counted on the platform over the last 12 months / 10,000)",
            row.waybills
        )),
        cited_source: None,
        remark: None,
        scope: Some(PLATFORM_SCOPE.into()),
        recorded_by: None,
    }))
}

/// The target text as written, or the value.
fn target_text(t: &PlanTarget) -> String {
    t.target_text
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| t.target_value.map(|v| v.to_string()))
        .unwrap_or_default()
}

/// The engine's target: `>` and `<` are read as `>=` and `<=`.
fn engine_target(t: &PlanTarget) -> Result<Target, PlanError> {
    let comparator = match t.comparator.as_str() {
        ">" => ">=",
        "<" => "<=",
        c => c,
    };
    Target::parse(comparator, t.target_value, &target_text(t), t.year)
}

fn engine_baseline(t: &PlanTarget) -> Option<Baseline> {
    match (t.baseline_value, t.baseline_year) {
        (Some(value), Some(year)) if year < t.year => Some(Baseline { value, year }),
        _ => None,
    }
}

/// Assesses `values` (oldest first) against the target; a target the engine cannot read gets
/// `no_data` with the reason.
fn assessment(t: &PlanTarget, values: &[ValueView], today: NaiveDate) -> TargetAssessment {
    let obs: Vec<Observation> = values
        .iter()
        .map(|v| Observation {
            as_of: v.as_of,
            value: v.value,
        })
        .collect();
    engine_target(t)
        .and_then(|target| assess(&target, engine_baseline(t), &obs, today))
        .unwrap_or_else(|e| TargetAssessment {
            current: None,
            expected_now: None,
            progress: None,
            status: wuliu_indicators::plan::Status::NoData,
            projected_at_target_year: None,
            reason_zh: format!("无法评估：{e}"),
            reason_en: format!("cannot be assessed: {e}"),
        })
}

fn status_name(a: &TargetAssessment) -> String {
    serde_json::to_value(a.status)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_else(|| "no_data".into())
}

/// The view of one target: manual values when there are any, else the platform value.
fn view(
    id: String,
    record_id: String,
    t: PlanTarget,
    manual: Vec<ValueView>,
    platform: Option<ValueView>,
    today: NaiveDate,
) -> TargetView {
    let history = if manual.is_empty() {
        platform.iter().cloned().collect()
    } else {
        manual
    };
    let a = assessment(&t, &history, today);
    TargetView {
        id,
        record_id,
        target_text: target_text(&t),
        comparator: t.comparator,
        target_value: t.target_value,
        indicator_zh: t.indicator_zh,
        indicator_en: t.indicator_en,
        unit: t.unit,
        year: t.year,
        baseline_value: t.baseline_value,
        baseline_year: t.baseline_year,
        source_quote: t.source_quote,
        current: history.last().cloned(),
        platform,
        expected_now: a.expected_now,
        progress: a.progress,
        status: status_name(&a),
        projected_at_target_year: a.projected_at_target_year,
        reason_zh: a.reason_zh,
        reason_en: a.reason_en,
        history,
    }
}
