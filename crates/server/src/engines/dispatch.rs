//! Dispatch planning over HTTP, in VROOM's JSON format so VROOM clients can switch unchanged:
//!
//! - `POST /api/v1/dispatch/solve`: solve now, answer with VROOM's output (plus our checker's verdict).
//! - `POST /api/v1/dispatch/plans`: submit a plan; it is stored and solved in the background (`202`), or
//!   answered when done with `?wait=true`.
//! - `GET /api/v1/dispatch/plans/{id}`: the plan with its state and routes; `?wait=SECONDS` waits for it.
//!
//! Travel costs come from the loaded road network, or are flagged as straight-line estimates.

use std::time::{Duration, Instant};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use wuliu_dispatch::vroom::{Input, Output};
use wuliu_dispatch::{check, solve, DispatchError, SolverConfig};
use wuliu_model::TravelCosts;
use wuliu_store::{Kind, NewRecord};

use super::{blocking, parse_request, time_budget};
use crate::auth::Caller;
use crate::error::{ApiError, AppError};
use crate::service::{new_id, record_json};
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

fn engine_error(e: DispatchError) -> ApiError {
    match e {
        DispatchError::Invalid(v) => ApiError(AppError::Invalid(v)),
        other => ApiError::invalid("dispatch.invalid_problem", "body", other.to_string()),
    }
}

fn costs_label(travel: &dyn TravelCosts) -> Value {
    json!({ "source": travel.label(), "road_network": travel.is_road_network() })
}

/// Solves a VROOM input with the platform's travel costs: (output, checker report).
fn run(
    input: &Input,
    config: &SolverConfig,
    travel: &dyn TravelCosts,
) -> Result<(Output, Value), DispatchError> {
    let problem = input.to_problem(Some(travel))?;
    let solution = solve(&problem, config)?;
    let report = check(&problem, &solution);
    let output = Output::from_solution(input, &problem, &solution);
    Ok((
        output,
        serde_json::to_value(report).expect("report serialises"),
    ))
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
    // A client that goes away stops the search (the guard cancels when this handler is dropped).
    let guard = config.cancel.on_drop();
    let (output, report) = blocking(move || run(&input, &config, travel.as_ref()))
        .await?
        .map_err(engine_error)?;
    guard.disarm();
    let mut out = serde_json::to_value(output).expect("output serialises");
    out["check"] = report;
    out["travel_costs"] = costs_label(state.travel.as_ref());
    Ok(Json(out))
}

/// `POST /api/v1/dispatch/plans`
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
    body: String,
) -> Result<Response, ApiError> {
    if caller.role == crate::Role::Regulator {
        return Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        }
        .into());
    }
    let config = config(&params)?;
    let input: Input = parse_request(&body)?;
    wuliu_app::engines::bound_dispatch(&input, &config)?;
    // Reject problems that cannot be built now rather than storing a plan that will fail.
    input
        .to_problem(Some(state.travel.as_ref()))
        .map_err(engine_error)?;
    let rec = NewRecord {
        id: new_id(Kind::DispatchPlan),
        region: caller.region.clone(),
        external_id: None,
        owner_party: caller.party_id.clone(),
        partner_party: None,
        status: Some("queued".into()),
        body: json!({ "status": "queued", "input": input, "config": config, "travel_costs": costs_label(state.travel.as_ref()) }),
    };
    let stored = state.repo.insert(Kind::DispatchPlan, rec.clone()).await?;
    let id = stored.id.clone();
    start_solving(&state, rec, input, config);
    let wait = params.iter().any(|(k, v)| k == "wait" && v != "false");
    if wait {
        let rec = wait_for(&state, &caller, &id, 3600.0).await?;
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

/// Solves a stored, queued plan on the blocking pool and stores the result (`solved` or `failed`).
fn start_solving(state: &AppState, rec: NewRecord, input: Input, config: SolverConfig) {
    let (repo, travel) = (state.repo.clone(), state.travel.clone());
    tokio::spawn(async move {
        let result =
            tokio::task::spawn_blocking(move || run(&input, &config, travel.as_ref())).await;
        let mut body = rec.body.clone();
        let status = match result {
            Ok(Ok((output, report))) => {
                body["output"] = serde_json::to_value(output).expect("output serialises");
                body["check"] = report;
                "solved"
            }
            Ok(Err(e)) => {
                body["error"] = Value::String(e.to_string());
                "failed"
            }
            Err(e) => {
                body["error"] = Value::String(format!("solver task failed: {e}"));
                "failed"
            }
        };
        body["status"] = Value::String(status.into());
        let done = NewRecord {
            status: Some(status.into()),
            body,
            ..rec
        };
        if let Err(e) = repo.replace(Kind::DispatchPlan, done).await {
            tracing::error!(%e, "cannot store dispatch plan result");
        }
    });
}

/// Restarts every plan left `queued` by a previous run of the server (e.g. after a crash): an
/// acknowledged submission is solved even if the process died before it finished. A stored plan
/// whose input can no longer be read is marked `failed` with the reason. Returns how many plans
/// were restarted. Call once at start, before serving.
pub async fn resume_queued(state: &AppState) -> Result<usize, ApiError> {
    let mut q = wuliu_store::ListQuery {
        region: None,
        filters: vec![wuliu_store::Filter {
            field: wuliu_store::Field::Column("status"),
            op: wuliu_store::Op::Eq,
            value: wuliu_store::Literal::Text("queued".into()),
        }],
        limit: 1000,
        ..Default::default()
    };
    let mut queued = Vec::new();
    loop {
        let page = state.repo.list(Kind::DispatchPlan, &q).await?;
        queued.extend(page.records);
        match page.next {
            Some(c) => q.after = Some(c),
            None => break,
        }
    }
    let mut restarted = 0;
    for r in queued {
        let rec = NewRecord {
            id: r.id.clone(),
            region: r.region.clone(),
            external_id: r.external_id.clone(),
            owner_party: r.owner_party.clone(),
            partner_party: r.partner_party.clone(),
            status: r.status.clone(),
            body: r.body.clone(),
        };
        let input = serde_json::from_value::<Input>(r.body["input"].clone());
        let config = serde_json::from_value::<SolverConfig>(r.body["config"].clone());
        match (input, config) {
            (Ok(input), Ok(config)) => {
                start_solving(state, rec, input, config);
                restarted += 1;
            }
            (Err(e), _) | (_, Err(e)) => {
                let mut body = rec.body.clone();
                body["status"] = Value::String("failed".into());
                body["error"] = Value::String(format!("stored plan cannot be read: {e}"));
                let failed = NewRecord {
                    status: Some("failed".into()),
                    body,
                    ..rec
                };
                state.repo.replace(Kind::DispatchPlan, failed).await?;
            }
        }
    }
    Ok(restarted)
}

async fn wait_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    seconds: f64,
) -> Result<wuliu_store::Record, ApiError> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    loop {
        let rec = match state.repo.get(Kind::DispatchPlan, id).await? {
            Some(r) if caller.can_read(&r, false) => r,
            _ => return Err(AppError::NotFound(format!("no dispatch plan with id '{id}'")).into()),
        };
        if rec.status.as_deref() != Some("queued") || Instant::now() >= deadline {
            return Ok(rec);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
        &wait_for(&state, &caller, &id, wait).await?,
    )))
}
