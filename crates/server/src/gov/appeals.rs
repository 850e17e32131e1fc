//! HTTP for the foreign-enterprise appeal desk (65号). The rules (groups, workflow, cadence,
//! reports) live in [`wuliu_app::gov::appeals`] and the `wuliu-gov` engine; these handlers only
//! translate.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET`/`POST /api/v1/gov/appeals` | the appeals the caller may read (`?status=`, `?overdue=true`) / submit Form 1 |
//! | `GET /api/v1/gov/appeals/{id}` | one appeal with its history, attachments, allowed actions and flags |
//! | `POST /api/v1/gov/appeals/{id}/{action}` | `collect`, `reject`, `classify`, `assign`, `escalate`, `forward`, `outcome`, `feedback`, `close` |
//! | `POST /api/v1/gov/appeals/{id}/attachments` | attach a page (备注1) |
//! | `GET /api/v1/gov/appeals/reports/weekly?date=` | the weekly Form 2 of the window closed by that day (frozen when approved) |
//! | `GET /api/v1/gov/appeals/reports/weekly/form2.csv?date=` | that Form 2 as CSV, the 13 printed columns |
//! | `GET /api/v1/gov/appeals/reports/monthly?date=` | the monthly report of that month |
//! | `POST /api/v1/gov/appeals/reports/{weekly,monthly}/approve` | 专班领导 approves `{"date": …}`: stored and frozen |
//! | `GET /api/v1/gov/appeals/reports`, `GET …/reports/{id}` | approved reports / one as frozen |
//! | `GET /api/v1/gov/appeals/dues?date=` | the window open now and every W1/W4/M1/M4 due on the 14 days from `date` (after holiday moves) |
//! | `GET`/`PUT /api/v1/gov/appeals/config` | the desk's configuration and the caller's standing / replace it (admins, regulators) |

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::gov::appeals::{self, desk, reports, ReportKind};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::{param, parse_json};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;
type Answer = Result<Json<Value>, ApiError>;

const A: &str = "/api/v1/gov/appeals";

/// The appeals routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(A, get(list).post(submit))
        .route(&format!("{A}/config"), get(config).put(put_config))
        .route(&format!("{A}/reports"), get(approved_reports))
        .route(&format!("{A}/reports/weekly"), get(weekly))
        .route(&format!("{A}/reports/weekly/form2.csv"), get(form2_csv))
        .route(&format!("{A}/reports/weekly/approve"), post(approve_weekly))
        .route(&format!("{A}/reports/monthly"), get(monthly))
        .route(
            &format!("{A}/reports/monthly/approve"),
            post(approve_monthly),
        )
        .route(&format!("{A}/reports/{{id}}"), get(one_report))
        .route(&format!("{A}/dues"), get(dues))
        .route(&format!("{A}/{{id}}"), get(one))
        .route(&format!("{A}/{{id}}/attachments"), post(attach))
        .route(&format!("{A}/{{id}}/{{action}}"), post(act))
}

/// A body, `{}` when empty.
fn body_or_empty(text: &str) -> Result<Value, ApiError> {
    parse_json(if text.trim().is_empty() { "{}" } else { text })
}

async fn list(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let overdue = match param(&q, "overdue") {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::bad(
                "param.invalid",
                "overdue",
                format!("overdue: '{other}' is not true or false"),
            ))
        }
    };
    Ok(Json(
        appeals::list(s.repo.as_ref(), &caller, param(&q, "status"), overdue).await?,
    ))
}

async fn submit(
    State(s): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = appeals::submit(s.repo.as_ref(), &caller, parse_json(&body)?).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

async fn one(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(appeals::get(s.repo.as_ref(), &caller, &id).await?))
}

async fn act(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    body: String,
) -> Answer {
    Ok(Json(
        appeals::act(
            s.repo.as_ref(),
            &caller,
            &id,
            &action,
            body_or_empty(&body)?,
        )
        .await?,
    ))
}

async fn attach(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = appeals::attach(s.repo.as_ref(), &caller, &id, parse_json(&body)?).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

async fn weekly(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    Ok(Json(
        appeals::report(
            s.repo.as_ref(),
            &caller,
            ReportKind::Weekly,
            param(&q, "date"),
        )
        .await?,
    ))
}

async fn monthly(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    Ok(Json(
        appeals::report(
            s.repo.as_ref(),
            &caller,
            ReportKind::Monthly,
            param(&q, "date"),
        )
        .await?,
    ))
}

async fn form2_csv(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Params,
) -> Result<Response, ApiError> {
    let (name, text) = appeals::form2_csv(s.repo.as_ref(), &caller, param(&q, "date")).await?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

async fn approve_weekly(
    State(s): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = appeals::approve(
        s.repo.as_ref(),
        &caller,
        ReportKind::Weekly,
        body_or_empty(&body)?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

async fn approve_monthly(
    State(s): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = appeals::approve(
        s.repo.as_ref(),
        &caller,
        ReportKind::Monthly,
        body_or_empty(&body)?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

async fn approved_reports(State(s): State<AppState>, caller: Caller) -> Answer {
    Ok(Json(reports::list(s.repo.as_ref(), &caller).await?))
}

async fn one_report(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(reports::get(s.repo.as_ref(), &caller, &id).await?))
}

async fn dues(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    Ok(Json(
        appeals::dues(s.repo.as_ref(), &caller, param(&q, "date")).await?,
    ))
}

async fn config(State(s): State<AppState>, caller: Caller) -> Answer {
    Ok(Json(desk::get(s.repo.as_ref(), &caller).await?))
}

async fn put_config(State(s): State<AppState>, caller: Caller, body: String) -> Answer {
    Ok(Json(
        desk::put(s.repo.as_ref(), &caller, parse_json(&body)?).await?,
    ))
}
