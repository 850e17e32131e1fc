//! Road routing over HTTP.
//!
//! OSRM-compatible (same URL form and JSON fields, so OSRM clients work unchanged, no token needed):
//! `GET /route/v1/{profile}/{lon,lat;lon,lat…}?steps=&geometries=&overview=` and
//! `GET /table/v1/{profile}/{coordinates}?sources=&destinations=&annotations=`.
//! Our own JSON API: `POST /api/v1/road/route` (a `RouteRequest`) and `POST /api/v1/road/table`
//! (a `TableRequest`), which also take the requesting vehicle's weight and dimensions. Their points
//! are `[lon, lat]` arrays, in GeoJSON and OSRM order like the OSRM URLs and VROOM documents, or
//! `{"lat": …, "lon": …}` objects.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use wuliu_road::osrm::{self, RouteOptions, TableOptions};
use wuliu_road::{PreparedNetwork, RouteRequest, TableRequest};

use super::{blocking, parse_request};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

fn network(state: &AppState) -> Result<Arc<PreparedNetwork>, ApiError> {
    state.road.clone().ok_or_else(|| {
        ApiError::not_found("no road network is loaded (start the server with --road FILE)")
    })
}

/// An OSRM-style error when no network is loaded.
fn osrm_unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"code": "NoNetwork", "message": "no road network is loaded"})),
    )
        .into_response()
}

/// OSRM's answer to too many coordinates (its `--max-table-size` refusal).
fn osrm_too_big(what: &str) -> Response {
    let max = match what {
        "table" => wuliu_app::limits::MAX_TABLE_COORDINATES,
        _ => wuliu_app::limits::MAX_ROUTE_COORDINATES,
    };
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"code": "TooBig", "message": format!("Too many {what} coordinates: at most {max}")})),
    )
        .into_response()
}

/// `GET /route/v1/{profile}/{coordinates}`
pub async fn osrm_route(
    State(state): State<AppState>,
    Path((_profile, coords)): Path<(String, String)>,
    Query(opts): Query<RouteOptions>,
) -> Response {
    let Some(net) = state.road.clone() else {
        return osrm_unavailable();
    };
    let coords = coords.trim_end_matches(".json").to_string();
    if coords.split(';').count() > wuliu_app::limits::MAX_ROUTE_COORDINATES {
        return osrm_too_big("route");
    }
    match blocking(move || osrm::route(&net, &coords, &opts)).await {
        Ok(res) => (
            StatusCode::from_u16(res.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            Json(res),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /table/v1/{profile}/{coordinates}`
pub async fn osrm_table(
    State(state): State<AppState>,
    Path((_profile, coords)): Path<(String, String)>,
    Query(opts): Query<TableOptions>,
) -> Response {
    let Some(net) = state.road.clone() else {
        return osrm_unavailable();
    };
    let coords = coords.trim_end_matches(".json").to_string();
    if coords.split(';').count() > wuliu_app::limits::MAX_TABLE_COORDINATES {
        return osrm_too_big("table");
    }
    match blocking(move || osrm::table(&net, &coords, &opts)).await {
        Ok(res) => (
            StatusCode::from_u16(res.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            Json(res),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /api/v1/road/route`
pub async fn route(
    State(state): State<AppState>,
    _caller: Caller,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let req: RouteRequest = parse_request(&lon_lat_points(&body, &["points"]))?;
    wuliu_app::engines::bound_route(req.points.len())?;
    let net = network(&state)?;
    let route = blocking(move || net.route(&req))
        .await?
        .map_err(|e| ApiError::invalid("road.request", "points", e.to_string()))?;
    Ok(Json(match route {
        Some(r) => json!({ "reachable": true, "route": r }),
        None => json!({ "reachable": false, "route": null }),
    }))
}

/// `POST /api/v1/road/table`
pub async fn table(
    State(state): State<AppState>,
    _caller: Caller,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let req: TableRequest = parse_request(&lon_lat_points(&body, &["sources", "targets"]))?;
    let targets = req.targets.as_ref().map_or(req.sources.len(), Vec::len);
    wuliu_app::engines::bound_table(req.sources.len(), targets)?;
    let net = network(&state)?;
    let table = blocking(move || net.table(&req))
        .await?
        .map_err(|e| ApiError::invalid("road.request", "sources", e.to_string()))?;
    Ok(Json(serde_json::to_value(table).expect("table serialises")))
}

/// The body with every `[lon, lat]` pair in the point lists `keys` written as a `{"lat", "lon"}`
/// object. Serde would read a bare pair field by field, latitude first, the opposite of GeoJSON,
/// OSRM and VROOM; objects and anything else are left for `parse_request` to read or refuse.
fn lon_lat_points(body: &str, keys: &[&str]) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    for key in keys {
        let Some(points) = v.get_mut(*key).and_then(Value::as_array_mut) else {
            continue;
        };
        for p in points {
            if let Some([lon, lat]) = p.as_array().map(Vec::as_slice) {
                if lon.is_number() && lat.is_number() {
                    *p = json!({ "lat": lat, "lon": lon });
                }
            }
        }
    }
    v.to_string()
}
