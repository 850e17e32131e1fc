//! `POST /api/v1/loading/solve` and `/api/v1/loading/shipment`: container and truck loading.

use axum::extract::Query;
use axum::Json;
use serde_json::{json, Value};
use wuliu_load::{
    check, plan_shipment, solve, LoadConfig, LoadError, LoadRequest, ShipmentRequest,
};

use super::{blocking, parse_request, time_budget};
use crate::auth::Caller;
use crate::error::{ApiError, AppError};

fn config(params: &[(String, String)]) -> Result<LoadConfig, ApiError> {
    let mut config = LoadConfig::with_time(time_budget(params, 5.0, 120.0)?);
    if let Some((_, seed)) = params.iter().find(|(k, _)| k == "seed") {
        config.seed = seed.parse().map_err(|_| {
            ApiError::bad("param.invalid", "seed", "seed must be an unsigned integer")
        })?;
    }
    Ok(config)
}

/// A request the engine refused: each problem with its own field path, as the store's validation
/// reports them.
fn engine_error(e: LoadError) -> ApiError {
    match e {
        LoadError::Invalid(v) => ApiError(AppError::Invalid(v)),
        other => ApiError::invalid("loading.invalid_request", "", other.to_string()),
    }
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
    let (request, result) = blocking(move || {
        let r = solve(&request, &config);
        (request, r)
    })
    .await?;
    let plan = result.map_err(engine_error)?;
    let report = check(&request, &plan);
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
    let (plan, checks) = blocking(move || {
        let plan = plan_shipment(&request, &config)?;
        let checks = request.check(&plan);
        Ok::<_, LoadError>((plan, checks))
    })
    .await?
    .map_err(engine_error)?;
    Ok(Json(json!({ "plan": plan, "checks": checks })))
}
