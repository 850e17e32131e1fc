//! `POST /api/v1/loading/solve` and `/api/v1/loading/shipment`: container and truck loading.

use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};
use wuliu_load::{LoadConfig, LoadRequest, ShipmentRequest};

use super::{blocking, parse_request, time_budget};
use crate::auth::Caller;
use crate::error::ApiError;

fn config(params: &[(String, String)]) -> Result<LoadConfig, ApiError> {
    let mut config = LoadConfig::with_time(time_budget(
        params,
        5.0,
        wuliu_app::limits::MAX_LOAD_SECONDS,
    )?);
    if let Some((_, seed)) = params.iter().find(|(k, _)| k == "seed") {
        config.seed = seed.parse().map_err(|_| {
            ApiError::bad("param.invalid", "seed", "seed must be an unsigned integer")
        })?;
    }
    Ok(config)
}

/// Loads one container: returns the plan (placements, loading steps, unloaded items with reasons,
/// utilisation) and the independent checker's report on it. `?time=` seconds (default 5), `?seed=`.
pub async fn solve_one(
    _caller: Caller,
    Query(params): Query<Vec<(String, String)>>,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let config = config(&params)?;
    let request: LoadRequest = parse_request(&body)?;
    let (plan, report) = blocking(move || wuliu_app::engines::loading(&request, &config)).await??;
    Ok(Json(json!({ "plan": plan, "check": report })))
}

/// Spreads a shipment over as few containers or trucks as it can: `plan`, the shipment plan, and
/// `checks`, the independent checker's report on each container's plan, in the same order (as
/// `/loading/solve` answers `plan` and `check`).
pub async fn solve_shipment(
    _caller: Caller,
    Query(params): Query<Vec<(String, String)>>,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let config = config(&params)?;
    let request: ShipmentRequest = parse_request(&body)?;
    let (plan, checks) =
        blocking(move || wuliu_app::engines::shipment(&request, &config)).await??;
    Ok(Json(json!({ "plan": plan, "checks": checks })))
}
