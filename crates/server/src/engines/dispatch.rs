//! Dispatch planning over HTTP, in VROOM's JSON format so VROOM clients can switch unchanged:
//!
//! - `POST /api/v1/dispatch/solve`: solve now, answer with VROOM's output (plus our checker's verdict).
//! - `POST /api/v1/dispatch/plans`: submit a plan; it is stored and solved in the background (`202`), or
//!   answered when done with `?wait=true`.
//! - `GET /api/v1/dispatch/plans/{id}`: the plan with its state and routes; `?wait=SECONDS` waits for it.
//! - `POST /api/v1/dispatch/check`: re-check routes as a user ordered them (the problem and the job ids
//!   per vehicle): per-step times, loads and violations, and each route's road geometry.
//!
//! `/solve?geometry=true` and `/check` add each route's line as VROOM's `geometry` (encoded polyline),
//! along the road network when one is loaded, with `geometry_source` saying when it is straight lines.
//!
//! Travel costs come from the loaded road network, or are flagged as straight-line estimates.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use wuliu_app::dispatch as plans;
use wuliu_dispatch::vroom::Input;
use wuliu_dispatch::{CheckRequest, SolverConfig};

use super::{blocking, parse_request, time_budget};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::record_json;
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

fn config(params: &[(String, String)]) -> Result<SolverConfig, ApiError> {
    let mut c = SolverConfig {
        time_limit_s: time_budget(params, 5.0, wuliu_app::limits::MAX_DISPATCH_SECONDS)?,
        ..Default::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "threads" => {
                c.threads = v
                    .parse()
                    .ok()
                    .filter(|t| (1..=64).contains(t))
                    .ok_or_else(|| {
                        ApiError::bad(
                            "param.invalid",
                            "threads",
                            "threads must be an integer from 1 to 64",
                        )
                    })?
            }
            "seed" => {
                c.seed = v.parse().map_err(|_| {
                    ApiError::bad("param.invalid", "seed", "seed must be an unsigned integer")
                })?
            }
            _ => {}
        }
    }
    Ok(c)
}

/// `POST /api/v1/dispatch/solve`
pub async fn solve_now(
    State(state): State<AppState>,
    _caller: Caller,
    Query(params): Params,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let config = config(&params)?;
    let input: Input = parse_request(&body)?;
    wuliu_app::engines::bound_dispatch(&input, &config)?;
    let travel = state.travel.clone();
    let label = plans::costs_label(&input, travel.as_ref());
    // A client that goes away stops the search (the guard cancels when this handler is dropped).
    let guard = config.cancel.on_drop();
    let (output, report) =
        blocking(move || plans::solve_now(&input, &config, travel.as_ref())).await??;
    guard.disarm();
    let draw = params.iter().any(|(k, v)| k == "geometry" && v != "false");
    let mut out = if draw {
        let road = state.road.clone();
        blocking(move || plans::with_geometry(output, road.as_deref())).await?
    } else {
        serde_json::to_value(output).expect("output serialises")
    };
    out["check"] = report;
    out["travel_costs"] = label;
    Ok(Json(out))
}

/// `POST /api/v1/dispatch/plans`
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
    body: String,
) -> Result<Response, ApiError> {
    let config = config(&params)?;
    let input: Input = parse_request(&body)?;
    let stored =
        plans::submit(&state.service, state.travel.clone(), &caller, input, config).await?;
    let id = stored.id.clone();
    if params.iter().any(|(k, v)| k == "wait" && v != "false") {
        let rec = plans::wait_for(&state.service, &caller, &id, 3600.0).await?;
        return Ok(Json(record_json(&rec)).into_response());
    }
    Ok((
        StatusCode::ACCEPTED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/dispatch/plans/{id}"),
        )],
        Json(record_json(&stored)),
    )
        .into_response())
}

/// Restarts every plan left `queued` by a previous run of the server; see
/// [`wuliu_app::dispatch::resume_queued`]. Call once at start, before serving.
pub async fn resume_queued(state: &AppState) -> Result<usize, ApiError> {
    Ok(plans::resume_queued(&state.service, state.travel.clone()).await?)
}

/// `GET /api/v1/dispatch/plans/{id}`
pub async fn get_plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let wait = match params.iter().find(|(k, _)| k == "wait") {
        Some((_, v)) => v
            .parse::<f64>()
            .ok()
            .filter(|w| (0.0..=600.0).contains(w))
            .ok_or_else(|| {
                ApiError::bad(
                    "param.invalid",
                    "wait",
                    "wait must be seconds from 0 to 600",
                )
            })?,
        None => 0.0,
    };
    Ok(Json(record_json(
        &plans::wait_for(&state.service, &caller, &id, wait).await?,
    )))
}

/// `POST /api/v1/dispatch/check`
pub async fn check(
    State(state): State<AppState>,
    _caller: Caller,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let request: CheckRequest = parse_request(&body)?;
    plans::bound_check(&request)?;
    let travel = state.travel.clone();
    let road = state.road.clone();
    let out =
        blocking(move || plans::check_now(&request, travel.as_ref(), road.as_deref())).await??;
    Ok(Json(out))
}
