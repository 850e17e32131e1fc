//! `GET /api/v1/map/layers/roads?bbox=west,south,east,north&zoom=z`: the loaded road network's lines
//! inside the box for the console's base map (any logged-in role). See [`wuliu_app::roads_layer`].

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::roads_layer::{parse_bbox, parse_zoom, roads};

use crate::auth::Caller;
use crate::engines::blocking;
use crate::error::ApiError;
use crate::routes::param;
use crate::AppState;

/// The route of this module (more specific than `/api/v1/map/layers/{layer}`, so it wins).
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/map/layers/roads", get(layer))
}

async fn layer(
    State(s): State<AppState>,
    _caller: Caller,
    Query(p): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, ApiError> {
    let bbox = parse_bbox(param(&p, "bbox"))?;
    let zoom = parse_zoom(param(&p, "zoom"))?;
    let road = s.road.clone();
    let body = blocking(move || roads(road.as_deref().map(|r| r.network()), bbox, zoom)).await?;
    Ok(Json(body))
}
