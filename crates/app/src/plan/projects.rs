//! The plan's key logistics projects (facilities with external ID `kp-…`) with their progress
//! reports.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Serialize;
use wuliu_model::{Facility, ProjectReport};
use wuliu_store::{Kind, Record};

use super::{recorded_by, region_records};
use crate::caller::Caller;
use crate::error::AppError;
use crate::Service;

/// External IDs of key projects start with this.
pub const PROJECT_PREFIX: &str = "kp-";

/// One progress report.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportView {
    /// The `project_reports` record.
    pub id: String,
    /// Day of the report.
    pub reported_on: NaiveDate,
    /// 建设性质 reported.
    pub build_status: String,
    /// Works completed, %.
    pub progress_pct: Option<f64>,
    /// Investment completed, yuan.
    pub invested_yuan: Option<f64>,
    /// What happened.
    pub note: Option<String>,
    /// Who reported it (the audit trail's actor); admins and the regulator only.
    pub recorded_by: Option<String>,
}

/// A key project with its latest reported state.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProjectView {
    /// The facility's ID (what reports name as `project_id`).
    pub id: String,
    /// `kp-<district>-<seq>`.
    pub external_id: String,
    /// The plan's sub-table: district, county or 柳东新区.
    pub district: String,
    /// 项目名称.
    pub name: String,
    /// 类型 (国家物流枢纽, 生产服务型, 商贸服务型, 综合服务型).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// 建设性质 now: from the latest report, else as the plan lists it.
    pub build_status: Option<String>,
    /// 建设性质 as the plan lists it.
    pub planned_build_status: Option<String>,
    /// Total investment stated in the plan, yuan.
    pub investment_yuan: Option<f64>,
    /// Investment completed, yuan, from the latest report that gives it.
    pub invested_yuan: Option<f64>,
    /// Works completed, %, from the latest report that gives it.
    pub progress_pct: Option<f64>,
    /// Day of the latest report.
    pub last_report_on: Option<NaiveDate>,
    /// Number of reports.
    pub reports: usize,
    /// Whether the map position is the district centre rather than a surveyed point.
    pub location_approximate: bool,
    /// The reports, oldest first (one project's answer only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<ReportView>>,
}

/// The answer of `GET /api/v1/plan/projects`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProjectList {
    /// Every key project, by external ID.
    pub projects: Vec<ProjectView>,
}

/// Every key project of the caller's region with its latest report: `GET /api/v1/plan/projects`.
///
/// # Errors
/// Storage failures; [`AppError::Internal`] for a stored record that no longer reads.
pub async fn projects(svc: &Service, caller: &Caller) -> Result<ProjectList, AppError> {
    let mut reports = reports_by_project(svc, caller, None).await?;
    let mut out = Vec::new();
    for rec in key_projects(svc, caller).await? {
        let history = reports.remove(&rec.id).unwrap_or_default();
        out.push(view(&rec, history, false)?);
    }
    out.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    Ok(ProjectList { projects: out })
}

/// One key project, by facility ID or external ID, with its report history:
/// `GET /api/v1/plan/projects/{id}`.
///
/// # Errors
/// [`AppError::NotFound`] when no key project of the region has that ID.
pub async fn project(svc: &Service, caller: &Caller, id: &str) -> Result<ProjectView, AppError> {
    let rec = key_projects(svc, caller)
        .await?
        .into_iter()
        .find(|r| r.id == id || r.external_id.as_deref() == Some(id))
        .ok_or_else(|| AppError::NotFound(format!("no key project '{id}'")))?;
    let history = reports_by_project(svc, caller, Some(&rec.id))
        .await?
        .remove(&rec.id)
        .unwrap_or_default();
    view(&rec, history, true)
}

/// The facilities of the region that are key projects.
async fn key_projects(svc: &Service, caller: &Caller) -> Result<Vec<Record>, AppError> {
    Ok(region_records(svc, caller, Kind::Facility)
        .await?
        .into_iter()
        .filter(|r| {
            r.external_id
                .as_deref()
                .is_some_and(|e| e.starts_with(PROJECT_PREFIX))
        })
        .collect())
}

/// The reports of the region by project ID, oldest first (creation order within a day); only
/// `only`'s when given. The report's author is looked up only for `only`.
async fn reports_by_project(
    svc: &Service,
    caller: &Caller,
    only: Option<&str>,
) -> Result<BTreeMap<String, Vec<ReportView>>, AppError> {
    let mut out: BTreeMap<String, Vec<ReportView>> = BTreeMap::new();
    for rec in region_records(svc, caller, Kind::ProjectReport).await? {
        let r: ProjectReport = serde_json::from_value(rec.body.clone()).map_err(|e| {
            AppError::Internal(format!("stored record {} does not read: {e}", rec.id))
        })?;
        let project = r.project_id.as_str().to_string();
        if only.is_some_and(|o| o != project) {
            continue;
        }
        let by = match only {
            Some(_) => recorded_by(svc, caller, &rec.id).await?,
            None => None,
        };
        out.entry(project).or_default().push(ReportView {
            id: rec.id.clone(),
            reported_on: r.reported_on,
            build_status: r.build_status,
            progress_pct: r.progress_pct,
            invested_yuan: r.invested_yuan,
            note: r.note,
            recorded_by: by,
        });
    }
    for list in out.values_mut() {
        list.sort_by_key(|r| r.reported_on);
    }
    Ok(out)
}

/// The district a key project is listed under: its address without the city, else its county code.
fn district(f: &Facility) -> String {
    f.address
        .as_deref()
        .map(|a| a.trim_start_matches("柳州市").to_string())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| f.division_code.0.clone())
}

fn view(
    rec: &Record,
    history: Vec<ReportView>,
    with_history: bool,
) -> Result<ProjectView, AppError> {
    let f: Facility = serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("stored record {} does not read: {e}", rec.id)))?;
    let latest = history.last();
    let latest_given = |pick: fn(&ReportView) -> Option<f64>| history.iter().rev().find_map(pick);
    Ok(ProjectView {
        id: rec.id.clone(),
        external_id: rec.external_id.clone().unwrap_or_default(),
        district: district(&f),
        kind: f.plan_category.clone(),
        build_status: latest
            .map(|r| r.build_status.clone())
            .or_else(|| f.build_status.clone()),
        planned_build_status: f.build_status.clone(),
        investment_yuan: f.investment_yuan,
        invested_yuan: latest_given(|r| r.invested_yuan),
        progress_pct: latest_given(|r| r.progress_pct),
        last_report_on: latest.map(|r| r.reported_on),
        reports: history.len(),
        location_approximate: f.location_approximate,
        name: f.name,
        history: with_history.then_some(history),
    })
}
