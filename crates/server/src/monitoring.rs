//! HTTP for network-freight monitoring: vehicle positions (uploads and track queries). The rules
//! live in [`wuliu_app::tracks`]; these handlers only translate.
//!
//! | endpoint | who | what |
//! |---|---|---|
//! | `POST /api/v1/positions` | admin, carrier | a JSON array of positions, or CSV (`vehicle_id,time,point.lat,point.lon,speed_kmh,…`) → per-row report |
//! | `GET /api/v1/positions/latest` | admin, regulator, carrier | last known position of each visible vehicle (GeoJSON) |
//! | `GET /api/v1/positions?bbox=minLon,minLat,maxLon,maxLat&from=&to=&limit=` | admin, regulator | fixes in a box (GeoJSON) |
//! | `GET /api/v1/vehicles/{id}/track?from=&to=&simplify=METRES` | admin, regulator, carrier (own) | a track as a GeoJSON LineString |

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use wuliu_app::import::{parse_csv_as, parse_json_rows};
use wuliu_store::GeoBox;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::{param, wants_csv};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

/// The monitoring routes, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/positions", post(upload).get(in_box))
        .route("/api/v1/positions/latest", get(latest))
        .route("/api/v1/vehicles/{id}/track", get(track))
}

fn position_schema() -> &'static Value {
    static S: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        serde_json::to_value(schemars::schema_for!(wuliu_model::Position)).expect("schema")
    })
}

/// `POST /api/v1/positions`
async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let region = state
        .service
        .write_region(&caller, param(&params, "region"))?;
    let rows = if wants_csv(&params, &headers, true)? {
        parse_csv_as(position_schema(), "positions", &body)?
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|_| ApiError::bad("json.encoding", "body", "a JSON upload must be UTF-8"))?;
        parse_json_rows(text)?
    };
    let report = wuliu_app::tracks::upload(&state.service, &caller, &region, rows).await?;
    Ok(Json(
        serde_json::to_value(report).expect("report serialises"),
    ))
}

fn time_param(params: &[(String, String)], name: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    param(params, name)
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| {
                    ApiError::bad(
                        "param.invalid",
                        name,
                        format!("{name} '{v}' is not an RFC 3339 time: {e}"),
                    )
                })
        })
        .transpose()
}

/// `[from, to)` from the query; by default the last 24 hours.
fn window(params: &[(String, String)]) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let to = time_param(params, "to")?.unwrap_or_else(Utc::now);
    let from = time_param(params, "from")?.unwrap_or(to - Duration::hours(24));
    Ok((from, to))
}

/// `GET /api/v1/vehicles/{id}/track`
async fn track(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let tolerance = param(&params, "simplify")
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|m| m.is_finite() && *m >= 0.0)
                .ok_or_else(|| {
                    ApiError::bad(
                        "param.invalid",
                        "simplify",
                        format!("simplify '{v}' is not a distance in metres"),
                    )
                })
        })
        .transpose()?;
    let feature =
        wuliu_app::tracks::track(&state.service, &caller, &id, window(&params)?, tolerance).await?;
    Ok(Json(feature))
}

/// `GET /api/v1/positions/latest`
async fn latest(State(state): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        wuliu_app::tracks::latest(&state.service, &caller).await?,
    ))
}

fn bbox(params: &[(String, String)]) -> Result<GeoBox, ApiError> {
    let bad = |msg: String| ApiError::bad("param.invalid", "bbox", msg);
    let text = param(params, "bbox")
        .ok_or_else(|| bad("bbox=minLon,minLat,maxLon,maxLat is required".into()))?;
    let v: Vec<f64> = text
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad(format!("bbox '{text}' must be four numbers")))?;
    let [min_lon, min_lat, max_lon, max_lat] = v[..] else {
        return Err(bad(format!("bbox '{text}' must be four numbers")));
    };
    let ok = (-180.0..=180.0).contains(&min_lon)
        && (-180.0..=180.0).contains(&max_lon)
        && (-90.0..=90.0).contains(&min_lat)
        && (-90.0..=90.0).contains(&max_lat)
        && min_lon <= max_lon
        && min_lat <= max_lat;
    if !ok {
        return Err(bad(format!(
            "bbox '{text}' is not minLon,minLat,maxLon,maxLat within range"
        )));
    }
    Ok(GeoBox {
        min_lat,
        min_lon,
        max_lat,
        max_lon,
    })
}

/// `GET /api/v1/positions?bbox=…`
async fn in_box(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let limit = param(&params, "limit").map_or(Ok(10_000), |v| {
        v.parse::<usize>().map_err(|_| {
            ApiError::bad(
                "param.invalid",
                "limit",
                format!("limit '{v}' is not a count"),
            )
        })
    })?;
    let fc = wuliu_app::tracks::in_box(
        &state.service,
        &caller,
        &bbox(&params)?,
        window(&params)?,
        limit,
    )
    .await?;
    Ok(Json(fc))
}
