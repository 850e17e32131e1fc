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

/// Query options of `GET /isochrone/v1/{profile}/{lon,lat}` (our own shape).
#[derive(Debug, serde::Deserialize)]
pub struct IsochroneQuery {
    /// Comma-separated minutes, e.g. `5,10,15` (1 to 4 contours, each at most 120).
    contours_minutes: String,
    /// `true`: the area from which the point can be reached.
    #[serde(default)]
    reverse: bool,
    /// `true` (default): polygons; `false`: their outlines as lines.
    #[serde(default = "yes")]
    polygons: bool,
    /// Drop areas smaller than this share (0–1) of the largest (default 0: keep all).
    #[serde(default)]
    denoise: f64,
    /// Douglas–Peucker tolerance, metres.
    #[serde(default)]
    generalize: Option<f64>,
}

fn yes() -> bool {
    true
}

/// An engine error (whose message starts with `field: `) as a 422 naming the field, as the
/// caller's body spells it (`rename`).
fn isochrone_error(e: wuliu_road::RoadError, rename: fn(&str) -> String) -> ApiError {
    let msg = e.to_string();
    let text = msg.strip_prefix("invalid request: ").unwrap_or(&msg);
    let field = match &e {
        wuliu_road::RoadError::InvalidRequest(_) => text.split(':').next().unwrap_or("request"),
        wuliu_road::RoadError::VehicleExceedsPreparedClass(_) => "vehicle",
        _ => "point",
    };
    ApiError::invalid("road.isochrone", rename(field), text.to_string())
}

/// Runs an isochrone request and answers its GeoJSON `FeatureCollection`.
async fn isochrone_geojson(
    state: &AppState,
    req: wuliu_road::IsochroneRequest,
    polygons: bool,
    rename: fn(&str) -> String,
) -> Result<Value, ApiError> {
    let net = network(state)?;
    let iso = blocking(move || net.isochrone(&req))
        .await?
        .map_err(|e| isochrone_error(e, rename))?;
    Ok(iso.geojson(polygons))
}

/// `GET /isochrone/v1/{profile}/{lon,lat}?contours_minutes=5,10,15&reverse=&polygons=&denoise=&generalize=`
///
/// Our own shape (like OSRM's URLs, no token needed): the reachable area as a GeoJSON
/// `FeatureCollection` of `Polygon`/`MultiPolygon` features, largest contour first, with
/// `properties.contour` in minutes (Valhalla's `/isochrone` output).
pub async fn isochrone_get(
    State(state): State<AppState>,
    Path((_profile, point)): Path<(String, String)>,
    Query(q): Query<IsochroneQuery>,
) -> Result<Json<Value>, ApiError> {
    let point = osrm::parse_coordinates(point.trim_end_matches(".json"))
        .ok()
        .filter(|p| p.len() == 1)
        .ok_or_else(|| ApiError::invalid("road.isochrone", "point", "the point is not lon,lat"))?
        [0];
    let contours_minutes = q
        .contours_minutes
        .split(',')
        .enumerate()
        .map(|(i, m)| {
            m.trim().parse::<f64>().map_err(|_| {
                ApiError::invalid(
                    "road.isochrone",
                    format!("contours_minutes[{i}]"),
                    format!("{m:?} is not a number of minutes"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let req = wuliu_road::IsochroneRequest {
        point,
        contours_minutes,
        reverse: q.reverse,
        denoise: q.denoise,
        generalize_m: q.generalize,
        vehicle: None,
    };
    Ok(Json(
        isochrone_geojson(&state, req, q.polygons, |f| {
            f.replace("generalize_m", "generalize")
        })
        .await?,
    ))
}

/// Valhalla's `/isochrone` request body (the parts Wuliu answers).
#[derive(Debug, serde::Deserialize)]
struct ValhallaIsochrone {
    locations: Vec<wuliu_model::GeoPoint>,
    #[serde(default)]
    costing: Option<String>,
    contours: Vec<ValhallaContour>,
    /// Valhalla's default: outlines as lines.
    #[serde(default)]
    polygons: bool,
    #[serde(default)]
    reverse: bool,
    #[serde(default)]
    denoise: Option<f64>,
    #[serde(default)]
    generalize: Option<f64>,
    #[serde(default)]
    id: Option<Value>,
}

#[derive(Debug, serde::Deserialize)]
struct ValhallaContour {
    #[serde(default)]
    time: Option<f64>,
    #[serde(default)]
    distance: Option<f64>,
}

/// `POST /isochrone`: Valhalla's JSON body `{"locations": [{"lat", "lon"}], "costing": "auto",
/// "contours": [{"time": 15}], "polygons", "reverse", "denoise", "generalize"}`, answered from the
/// loaded network whatever the costing (`auto`, `truck` or absent). Time contours only;
/// `polygons` defaults to `false` (lines) as in Valhalla, `denoise` to 0 (Valhalla: 1). Errors
/// name the field.
pub async fn isochrone_valhalla(
    State(state): State<AppState>,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let v: ValhallaIsochrone = parse_request(&body)?;
    if v.locations.len() != 1 {
        return Err(ApiError::invalid(
            "road.isochrone",
            "locations",
            format!("exactly one location is needed, got {}", v.locations.len()),
        ));
    }
    if let Some(c) = v
        .costing
        .as_deref()
        .filter(|c| !matches!(*c, "auto" | "truck"))
    {
        return Err(ApiError::invalid(
            "road.isochrone",
            "costing",
            format!("{c} is not served: auto or truck (the loaded network)"),
        ));
    }
    let contours_minutes = v
        .contours
        .iter()
        .enumerate()
        .map(|(i, c)| match (c.time, c.distance) {
            (Some(t), None) => Ok(t),
            _ => Err(ApiError::invalid(
                "road.isochrone",
                format!("contours[{i}].time"),
                "each contour needs a time in minutes (distance contours are not supported)",
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let req = wuliu_road::IsochroneRequest {
        point: v.locations[0],
        contours_minutes,
        reverse: v.reverse,
        denoise: v.denoise.unwrap_or(0.0),
        generalize_m: v.generalize,
        vehicle: None,
    };
    let rename = |f: &str| match f.strip_prefix("contours_minutes") {
        Some("") => "contours".to_string(),
        Some(index) => format!("contours{index}.time"),
        None if f == "point" => "locations[0]".to_string(),
        None => f.replace("generalize_m", "generalize"),
    };
    let mut out = isochrone_geojson(&state, req, v.polygons, rename).await?;
    if let Some(id) = v.id {
        out["id"] = id;
    }
    Ok(Json(out))
}

/// `GET /trip/v1/{profile}/{coordinates}`
pub async fn osrm_trip(
    State(state): State<AppState>,
    Path((_profile, coords)): Path<(String, String)>,
    Query(opts): Query<wuliu_road::osrm_trip::TripOptions>,
) -> Response {
    let Some(net) = state.road.clone() else {
        return osrm_unavailable();
    };
    let coords = coords.trim_end_matches(".json").to_string();
    let max = wuliu_road::trip::MAX_TRIP_POINTS;
    if coords.split(';').count() > max {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"code": "TooBig", "message": format!("Too many trip coordinates: at most {max}")})),
        )
            .into_response();
    }
    match blocking(move || wuliu_road::osrm_trip::trip(&net, &coords, &opts)).await {
        Ok(res) => (
            StatusCode::from_u16(res.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            Json(res),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /match/v1/{profile}/{coordinates}?timestamps=&radiuses=&geometries=&overview=&steps=&gaps=&tidy=`:
/// OSRM's map matching (a GPS track → the roads driven); at most
/// [`wuliu_road::matching::MAX_MATCH_POINTS`] coordinates, radiuses at most 100 m.
pub async fn osrm_match(
    State(state): State<AppState>,
    Path((_profile, coords)): Path<(String, String)>,
    Query(opts): Query<wuliu_road::osrm_match::MatchOptions>,
) -> Response {
    let Some(net) = state.road.clone() else {
        return osrm_unavailable();
    };
    let coords = coords.trim_end_matches(".json").to_string();
    let max = wuliu_road::matching::MAX_MATCH_POINTS;
    if coords.split(';').count() > max {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"code": "TooBig", "message": format!("Too many match coordinates: at most {max}")})),
        )
            .into_response();
    }
    match blocking(move || wuliu_road::osrm_match::match_trace(&net, &coords, &opts)).await {
        Ok(res) => (
            StatusCode::from_u16(res.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            Json(res),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// `GET /nearest/v1/{profile}/{lon,lat}?number=`: OSRM's nearest roads (1 to 100).
pub async fn osrm_nearest(
    State(state): State<AppState>,
    Path((_profile, coords)): Path<(String, String)>,
    Query(opts): Query<wuliu_road::osrm_nearest::NearestOptions>,
) -> Response {
    let Some(net) = state.road.clone() else {
        return osrm_unavailable();
    };
    let coords = coords.trim_end_matches(".json").to_string();
    match blocking(move || wuliu_road::osrm_nearest::nearest(&net, &coords, &opts)).await {
        Ok(res) => (
            StatusCode::from_u16(res.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            Json(res),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
