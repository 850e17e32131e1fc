//! HTTP for plan supervision (规划监测). The rules live in [`wuliu_app::plan`]; these handlers only
//! translate. Every logged-in caller reads the same public plan; values and progress reports are
//! written through the collections `indicator_values` and `project_reports` (admins and the
//! regulator, audited).
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /api/v1/plan/targets?as_of=YYYY-MM-DD` | every 2025 target with baseline, current value, history and status on the day (default today, Beijing) |
//! | `GET /api/v1/plan/projects` | the key logistics projects with their latest progress report |
//! | `GET /api/v1/plan/projects/{id}` | one project (facility ID or `kp-…`) with its report history |
//! | `GET /api/v1/plan/counties` | the county economy plan's targets (63号 表2) |
//! | `GET /api/v1/plan/report.csv?as_of=` | the targets table as CSV, UTF-8 with a BOM |

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{Duration, NaiveDate, Utc};
use serde_json::Value;
use wuliu_app::plan;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::param;
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

/// The plan supervision routes, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/plan/targets", get(targets))
        .route("/api/v1/plan/projects", get(projects))
        .route("/api/v1/plan/projects/{id}", get(project))
        .route("/api/v1/plan/counties", get(counties))
        .route("/api/v1/plan/report.csv", get(report))
}

/// The evaluation day: `as_of`, else today in Beijing.
fn day(params: &[(String, String)]) -> Result<NaiveDate, ApiError> {
    match param(params, "as_of") {
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| {
            ApiError::bad(
                "param.invalid",
                "as_of",
                format!("as_of '{v}' is not a date (YYYY-MM-DD)"),
            )
        }),
        None => Ok((Utc::now() + Duration::hours(8)).date_naive()),
    }
}

fn json_of<T: serde::Serialize>(v: &T) -> Json<Value> {
    Json(serde_json::to_value(v).expect("plan answers serialise"))
}

/// `GET /api/v1/plan/targets`
async fn targets(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let list = plan::targets(&state.service, &caller, day(&params)?).await?;
    Ok(json_of(&list))
}

/// `GET /api/v1/plan/projects`
async fn projects(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(json_of(&plan::projects(&state.service, &caller).await?))
}

/// `GET /api/v1/plan/projects/{id}`
async fn project(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(json_of(&plan::project(&state.service, &caller, &id).await?))
}

/// `GET /api/v1/plan/counties`
async fn counties(_caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(json_of(&plan::county_targets()?))
}

/// `GET /api/v1/plan/report.csv`
async fn report(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<impl IntoResponse, ApiError> {
    let csv = plan::report_csv(&state.service, &caller, day(&params)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"plan_targets_report.csv\"",
            ),
        ],
        csv,
    ))
}
