//! `GET /api/v1/waybills/{id}/tracking`: follow a shipment — see [`wuliu_app::shipment::follow`].

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

/// The shipment-tracking route.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/waybills/{id}/tracking", get(tracking))
}

/// `GET /api/v1/waybills/{id}/tracking`
async fn tracking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let travel = state.travel.clone();
    let now = chrono::Utc::now();
    Ok(Json(
        wuliu_app::shipment::follow(&state.service, &caller, &id, travel.as_ref(), now).await?,
    ))
}
