//! HTTP for the government desks' shared parts: the directory of units and attachment downloads.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /api/v1/gov/units` | the directory of government units |
//! | `POST /api/v1/gov/units` | add a unit `{"name": "市商务局"}` (admins and regulators; an existing name answers the unit) |
//! | `GET /api/v1/gov/attachments/{id}` | an attachment's content, to callers who may read the record it is attached to |
//! | `GET /api/v1/gov/todo?at=` | the caller's to-do list across the appeal desk and the tracker (officials, admins, regulators) |

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::gov::{attachments, todo as to_do, units};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::parse_json as json_body;
use crate::AppState;

/// The units and attachment routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/gov/units", get(list).post(add))
        .route("/api/v1/gov/attachments/{id}", get(download))
        .route("/api/v1/gov/todo", get(todo))
}

async fn list(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(units::list(s.repo.as_ref(), &caller).await?))
}

async fn add(
    State(s): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = units::create(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

async fn todo(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let at = super::tasks::day(&q, "at")?;
    Ok(Json(to_do::for_caller(s.repo.as_ref(), &caller, at).await?))
}

async fn download(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (meta, bytes) = attachments::download(s.repo.as_ref(), &caller, &id).await?;
    let media = meta["media_type"]
        .as_str()
        .unwrap_or("application/octet-stream");
    let name = meta["file_name"].as_str().unwrap_or("attachment");
    let disposition = format!(
        "attachment; filename=\"attachment\"; filename*=UTF-8''{}",
        percent(name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// RFC 5987 percent-encoding of a file name (every byte but unreserved ASCII).
fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
