//! HTTP for the task-division tracker (61号, 69号, 63号). The rules (who may report and complete,
//! statuses, cadence, summaries, county target assessment) live in [`wuliu_app::gov::tasks`];
//! these handlers only translate.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /api/v1/gov/tasks?document=69&unit=&status=&warning=&at=` | tasks with their status and warning on `at` (default today) |
//! | `POST /api/v1/gov/tasks` | load a task (a parsed division-table row; admins and regulators) |
//! | `GET /api/v1/gov/tasks/summary?by=unit\|document&at=` | summaries per unit or per document |
//! | `GET`/`PUT /api/v1/gov/tasks/config` | the tracker's settings (warning window, cadence, grace, `tracking_from`) / replace them (admins, regulators) |
//! | `GET /api/v1/gov/tasks/{id}?at=` | one task (record ID or `69-03`): status, and for its readers the reports and timeline |
//! | `PUT /api/v1/gov/tasks/{id}/deadline` | set or move its deadline (`deadline_text`, `reason`, `version`; admins, regulators) |
//! | `GET`/`POST /api/v1/gov/tasks/{id}/reports` | its reports / report progress (with attachments) |
//! | `POST /api/v1/gov/tasks/{id}/reports/{report}/attachments` | add a file to a filed report (its unit, admins, regulators) |
//! | `GET`/`POST /api/v1/gov/county-targets?at=` | 63号 targets with values and assessment / load a row |
//! | `GET /api/v1/gov/county-targets/{id}?at=` | one target (record ID or `C03`) |
//! | `POST /api/v1/gov/county-targets/{id}/values` | enter a value (admins and regulators) |

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde_json::Value;
use wuliu_app::gov::attachments::MAX_BYTES;
use wuliu_app::gov::tasks::{
    self, config, county, deadline, read, reports, MAX_REPORT_ATTACHMENTS,
};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::{param, parse_json as json_body};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;
type Answer = Result<Json<Value>, ApiError>;
type Created = Result<(StatusCode, Json<Value>), ApiError>;

/// The largest report body: every attachment at its largest in base64, and 64 KiB for the rest.
pub const MAX_REPORT_BODY: usize = MAX_REPORT_ATTACHMENTS * (MAX_BYTES / 3 * 4 + 8) + 64 * 1024;

/// The tasks routes.
pub fn router() -> Router<AppState> {
    const G: &str = "/api/v1/gov";
    Router::new()
        .route(&format!("{G}/tasks"), get(list).post(import))
        .route(&format!("{G}/tasks/summary"), get(summary))
        .route(
            &format!("{G}/tasks/config"),
            get(settings).put(put_settings),
        )
        .route(&format!("{G}/tasks/{{id}}"), get(one))
        .route(&format!("{G}/tasks/{{id}}/deadline"), put(set_deadline))
        .route(
            &format!("{G}/tasks/{{id}}/reports"),
            get(list_reports)
                .post(report)
                .layer(DefaultBodyLimit::max(MAX_REPORT_BODY)),
        )
        .route(
            &format!("{G}/tasks/{{id}}/reports/{{report}}/attachments"),
            post(attach),
        )
        .route(
            &format!("{G}/county-targets"),
            get(targets).post(add_target),
        )
        .route(&format!("{G}/county-targets/{{id}}"), get(one_target))
        .route(
            &format!("{G}/county-targets/{{id}}/values"),
            post(add_value),
        )
}

async fn set_deadline(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let v = deadline::set(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?;
    Ok(Json(v))
}

async fn settings(State(s): State<AppState>, caller: Caller) -> Answer {
    Ok(Json(config::get(s.repo.as_ref(), &caller).await?))
}

async fn put_settings(State(s): State<AppState>, caller: Caller, body: String) -> Answer {
    Ok(Json(
        config::put(s.repo.as_ref(), &caller, json_body(&body)?).await?,
    ))
}

/// The day parameter `name`, if given (a 400 naming it when it is not a day).
pub(super) fn day(q: &[(String, String)], name: &str) -> Result<Option<NaiveDate>, ApiError> {
    param(q, name)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse().map_err(|_| {
                ApiError::bad(
                    "param.invalid",
                    name,
                    format!("'{v}' is not a day, e.g. 2024-06-30"),
                )
            })
        })
        .transpose()
}

fn text(q: &[(String, String)], name: &str) -> Option<String> {
    param(q, name).filter(|v| !v.is_empty()).map(String::from)
}

fn created(v: Value) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(v))
}

async fn list(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let query = read::TaskQuery {
        document: text(&q, "document"),
        unit: text(&q, "unit"),
        status: text(&q, "status"),
        warning: text(&q, "warning"),
        at: day(&q, "at")?,
    };
    Ok(Json(read::list(s.repo.as_ref(), &caller, query).await?))
}

async fn import(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    Ok(created(
        tasks::import(s.repo.as_ref(), &caller, json_body(&body)?).await?,
    ))
}

async fn summary(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let by = param(&q, "by").unwrap_or("unit");
    Ok(Json(
        read::summary(s.repo.as_ref(), &caller, by, day(&q, "at")?).await?,
    ))
}

async fn one(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Params,
) -> Answer {
    Ok(Json(
        read::get(s.repo.as_ref(), &caller, &id, day(&q, "at")?).await?,
    ))
}

async fn list_reports(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(reports::list(s.repo.as_ref(), &caller, &id).await?))
}

async fn report(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Created {
    Ok(created(
        reports::submit(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?,
    ))
}

async fn attach(
    State(s): State<AppState>,
    caller: Caller,
    Path((id, report)): Path<(String, String)>,
    body: String,
) -> Created {
    let input = json_body(&body)?;
    Ok(created(
        reports::attach(s.repo.as_ref(), &caller, &id, &report, input).await?,
    ))
}

async fn targets(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    Ok(Json(
        county::list(s.repo.as_ref(), &caller, day(&q, "at")?).await?,
    ))
}

async fn add_target(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    Ok(created(
        county::import(s.repo.as_ref(), &caller, json_body(&body)?).await?,
    ))
}

async fn one_target(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Params,
) -> Answer {
    Ok(Json(
        county::get(s.repo.as_ref(), &caller, &id, day(&q, "at")?).await?,
    ))
}

async fn add_value(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Created {
    Ok(created(
        county::add_value(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?,
    ))
}
