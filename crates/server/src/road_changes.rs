//! Live road changes over HTTP: `GET /api/v1/road/changes` (any caller),
//! `PUT /api/v1/road/changes/{id}` (a `RoadChange`, with no `id` or the same one) and
//! `DELETE /api/v1/road/changes/{id}` (regulators and admins). With a road network loaded, writes
//! are checked against it, stored (audited), then in force when they answer the engine's report.
//! Without one (the platform's default), writes are stored (audited) all the same and answer the
//! change stored ([`StoredReport`]): polygons are taken, and a polygon closure cuts the
//! straight-line legs of emergency plans; a change naming edges or ways is a 400 naming
//! `target.edges` or `target.ways` ([`road_changes::check_without_network`]).
//! See [`wuliu_app::road_changes`].

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::road_changes::{self, ChangeList, StoredReport, SyncReport};

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

/// What a write answers: the engine's report with a network, the change stored without one.
enum Written {
    Applied(SyncReport),
    Stored(StoredReport),
}

impl IntoResponse for Written {
    fn into_response(self) -> Response {
        match self {
            Written::Applied(r) => Json(r).into_response(),
            Written::Stored(r) => Json(r).into_response(),
        }
    }
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
) -> Result<Written, ApiError> {
    road_changes::authorise_write(&caller)?;
    let body: Value = serde_json::from_str(&body).map_err(|e| {
        ApiError::bad(
            "json.malformed",
            "body",
            format!("body is not valid JSON: {e}"),
        )
    })?;
    Ok(match &state.road_changes {
        Some(live) => Written::Applied(live.put(&caller, &id, body).await?),
        None => Written::Stored(
            road_changes::put_without_network(state.repo.as_ref(), &caller, &id, body).await?,
        ),
    })
}

async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Written, ApiError> {
    road_changes::authorise_write(&caller)?;
    Ok(match &state.road_changes {
        Some(live) => Written::Applied(live.delete(&caller, &id).await?),
        None => Written::Stored(
            road_changes::delete_without_network(state.repo.as_ref(), &caller, &id).await?,
        ),
    })
}
