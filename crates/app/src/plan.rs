//! Plan supervision (规划监测): the logistics plan's 2025 targets (柳政办〔2022〕59号) with their
//! baselines, current values, trajectories and statuses; the plan's key logistics projects with
//! their progress reports; the county economy plan's targets (柳政办〔2022〕63号 表2); and the
//! targets table as a CSV report.
//!
//! Everyone logged in reads the same plan: it is public. Values come from
//!
//! * the collection `indicator_values` — figures the regulator enters with their source (statistics
//!   bureau releases, department reports), audited like every write; and
//! * the platform itself where it can measure an indicator ([`PLATFORM_MEASURES`]): T04 公路货运量
//!   as the tonnes of the waybills counted on the platform over the last twelve months, labelled
//!   "平台口径 (platform scope)" because it covers only the freight booked here. T22 冷库规模 is not
//!   measured: facilities carry no storage capacity.
//!
//! A target's status comes from [`wuliu_indicators::plan::assess`] over the manual values, or, when
//! there are none, over the platform value.
//!
//! Nothing here writes; the collections' generic API does, with its rights and audit trail
//! (`indicator_values` and `project_reports` are writable by admins and the regulator).

mod projects;
mod targets;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wuliu_store::{AuditQuery, Kind, ListQuery};

use crate::caller::Caller;
use crate::error::AppError;
use crate::Service;

pub use projects::{project, projects, ProjectList, ProjectView, ReportView, PROJECT_PREFIX};
pub use targets::{targets, Measure, TargetList, TargetView, ValueView, PLATFORM_MEASURES};

/// `data/county_targets_2025.csv`: 63号 表2 “十四五”时期柳州县域经济发展主要指标, a byte-for-byte copy
/// of the gazette extract (see `data/PROVENANCE.md`).
pub const COUNTY_TARGETS_CSV: &str = include_str!("../data/county_targets_2025.csv");

/// The document the county targets come from.
pub const COUNTY_TARGETS_SOURCE: &str =
    "柳政办〔2022〕63号 柳州市县域经济发展“十四五”规划 表2 “十四五”时期柳州县域经济发展主要指标";

/// One row of 63号 表2, as printed; `None` where the source gives nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CountyTarget {
    /// 类别: 经济发展, 创新驱动, 民生福祉, 绿色生态 or 安全保障.
    pub category: String,
    /// 序号 (19 has two rows).
    pub seq: u32,
    /// 指标 with its unit in parentheses.
    pub indicator: String,
    /// 2025年 cell as printed (`—` is a printed dash).
    pub target_2025: Option<String>,
    /// 年均增长或累计增速 as printed; `[x]` is a cumulative five-year change.
    pub growth_or_cumulative: Option<String>,
    /// 指标属性: 预期性 (indicative) or 约束性 (binding).
    pub attribute: String,
}

/// The answer of `GET /api/v1/plan/counties`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CountyTargets {
    /// The document and table.
    pub source: &'static str,
    /// What the table covers, in Chinese.
    pub scope_zh: &'static str,
    /// What the table covers, in English.
    pub scope_en: &'static str,
    /// The rows, in the table's order.
    pub targets: Vec<CountyTarget>,
}

/// The embedded county targets file cannot be read (a build with a damaged data file).
#[derive(Debug, thiserror::Error)]
#[error("embedded county_targets_2025.csv, record {record}: {source}")]
pub struct CountyDataError {
    /// 1-based record number.
    pub record: usize,
    /// What the CSV reader said.
    #[source]
    pub source: csv::Error,
}

/// Parses [`COUNTY_TARGETS_CSV`]; empty cells become `None`.
///
/// # Errors
/// [`CountyDataError`] when a record does not parse.
pub fn parse_county_targets(text: &str) -> Result<Vec<CountyTarget>, CountyDataError> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize::<CountyTarget>()
        .enumerate()
        .map(|(i, r)| {
            r.map(|mut t| {
                t.target_2025 = t.target_2025.filter(|s| !s.trim().is_empty());
                t.growth_or_cumulative = t.growth_or_cumulative.filter(|s| !s.trim().is_empty());
                t
            })
            .map_err(|source| CountyDataError {
                record: i + 1,
                source,
            })
        })
        .collect()
}

/// The county economy plan's 2025 targets (63号 表2): `GET /api/v1/plan/counties`. The table sets
/// targets for the ten county-level units together; 63号 gives no per-county targets.
///
/// # Errors
/// [`AppError::Internal`] only if the embedded file were damaged (a test guards it).
pub fn county_targets() -> Result<CountyTargets, AppError> {
    let targets =
        parse_county_targets(COUNTY_TARGETS_CSV).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(CountyTargets {
        source: COUNTY_TARGETS_SOURCE,
        scope_zh: "全市10个县（区）县域经济合计指标；规划未分县（区）下达指标",
        scope_en:
            "Targets for the ten county-level units together; the plan sets no per-county targets",
        targets,
    })
}

/// The columns of the CSV report, in order.
pub const REPORT_COLUMNS: [&str; 13] = [
    "id",
    "indicator_zh",
    "indicator_en",
    "unit",
    "baseline",
    "baseline_year",
    "target",
    "current",
    "as_of",
    "source",
    "expected_now",
    "progress",
    "status",
];

/// The targets table as CSV, UTF-8 with a byte-order mark so that Excel opens it as UTF-8:
/// `GET /api/v1/plan/report.csv`. `source` is `manual: <cited source>` or `platform: 平台口径…`;
/// `expected_now` is rounded to 2 decimals and `progress` (a share) to 4.
///
/// # Errors
/// Those of [`targets`].
pub async fn report_csv(
    svc: &Service,
    caller: &Caller,
    today: NaiveDate,
) -> Result<String, AppError> {
    let list = targets(svc, caller, today).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::Internal(format!("writing the report: {e}"));
    w.write_record(REPORT_COLUMNS).map_err(csv_err)?;
    for t in &list.targets {
        w.write_record(report_row(t)).map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("writing the report: {e}")))?;
    let body = String::from_utf8(bytes)
        .map_err(|e| AppError::Internal(format!("the report is not UTF-8: {e}")))?;
    Ok(format!("\u{FEFF}{body}"))
}

fn report_row(t: &TargetView) -> [String; 13] {
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let cur = t.current.as_ref();
    let source = cur
        .map(|c| format!("{}: {}", c.source, c.note.as_deref().unwrap_or_default()))
        .unwrap_or_default();
    [
        t.id.clone(),
        t.indicator_zh.clone(),
        t.indicator_en.clone(),
        t.unit.clone(),
        opt(t.baseline_value),
        t.baseline_year.map(|y| y.to_string()).unwrap_or_default(),
        t.target_text.clone(),
        opt(cur.map(|c| c.value)),
        cur.map(|c| c.as_of.to_string()).unwrap_or_default(),
        source,
        opt(t.expected_now.map(|x| round(x, 2))),
        opt(t.progress.map(|x| round(x, 4))),
        t.status.clone(),
    ]
}

/// `x` rounded to `digits` decimals.
fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Every record of `kind` in the caller's region (the plan is public: no party restriction).
async fn region_records(
    svc: &Service,
    caller: &Caller,
    kind: Kind,
) -> Result<Vec<wuliu_store::Record>, AppError> {
    let q = ListQuery {
        region: Some(caller.region.clone()),
        ..Default::default()
    };
    svc.list_all(kind, q).await
}

/// Who created `record_id`, from the audit trail's first entry about it: shown to admins and the
/// regulator only (parties read only their own audit entries). `None` for records written without
/// an audit entry (the demo seed).
async fn recorded_by(
    svc: &Service,
    caller: &Caller,
    record_id: &str,
) -> Result<Option<String>, AppError> {
    if !caller.sees_all() {
        return Ok(None);
    }
    let q = AuditQuery {
        record_id: Some(record_id.to_string()),
        limit: 1,
        ..Default::default()
    };
    Ok(svc
        .repo
        .audit(&q)
        .await?
        .into_iter()
        .next()
        .map(|e| e.actor))
}

#[cfg(test)]
mod tests;
