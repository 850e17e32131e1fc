//! Live road changes over HTTP: `GET /api/v1/road/changes` (any caller),
//! `PUT /api/v1/road/changes/{id}` (a `RoadChange`, with no `id` or the same one) and
//! `DELETE /api/v1/road/changes/{id}` (regulators and admins). Writes are checked against the
//! loaded network, stored (audited), then in force when they answer the engine's report.
//! See [`wuliu_app::road_changes`].

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::road_changes::{self, ChangeList, RoadChanges, SyncReport};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

/// The routes of this module (more specific than `/api/v1/{collection}/{id}`, so they win).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/road/changes", get(list))
        .route(
            "/api/v1/road/changes/{id}",
            axum::routing::put(put).delete(delete),
        )
}

fn changes(state: &AppState) -> Result<Arc<RoadChanges>, ApiError> {
    state.road_changes.clone().ok_or_else(|| {
        ApiError::not_found("no road network is loaded (start the server with --road FILE)")
    })
}

async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<ChangeList>, ApiError> {
    Ok(Json(road_changes::list(state.repo.as_ref()).await?))
}

async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Result<Json<SyncReport>, ApiError> {
    road_changes::authorise_write(&caller)?;
    let body: Value = serde_json::from_str(&body).map_err(|e| {
        ApiError::bad(
            "json.malformed",
            "body",
            format!("body is not valid JSON: {e}"),
        )
    })?;
    Ok(Json(changes(&state)?.put(&caller, &id, body).await?))
}

async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<SyncReport>, ApiError> {
    road_changes::authorise_write(&caller)?;
    Ok(Json(changes(&state)?.delete(&caller, &id).await?))
}
