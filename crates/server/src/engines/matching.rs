//! Vehicle–cargo matching (车货匹配) over HTTP, on the platform's stored loads and vehicles.
//!
//! - `POST /api/v1/matching/batch`: match an explicit `MatchRequest` (loads and vehicles in the body).
//! - `POST /api/v1/matching/run?date=YYYY-MM-DD`: match the region's open loads against its available
//!   vehicles as stored (admins), positions taken from each vehicle's home base; `sequencing`
//!   (`time_slices`, `successors`, `search`), `max_chain` and `time` (search seconds) choose the method;
//!   `outlook_days=D` learns from the region's loads of the `D` days before where vehicles pile up and
//!   how far they then run empty, and the search sequencing avoids ending chains there
//!   ([`wuliu_match::outlook`]). The learned sites are returned as `outlook`.
//! - `GET /api/v1/matching/loads/{id}/vehicles?n=10`: the best vehicles for a stored load.
//!   An empty list comes with `nearest`: the nearest vehicles and the rules that exclude each.
//! - `GET /api/v1/matching/vehicles/{id}/loads?n=10&free_from=`: the best open loads for a stored
//!   vehicle that is free from `free_from` (RFC 3339; now when absent) at its home base, or, with
//!   `after_waybill=<its unfinished waybill>`, where and when that trip ends (return loads). An
//!   empty list comes with `nearest`: the nearest open loads and the rules that exclude each.
//!   `loads` describes each suggested load (the carrier cannot read loads itself) and `free` says
//!   where and from when the vehicle was considered.
//! - Load suggestions likewise carry `vehicles`: plate, body, capacity and carrier's name.
//! - `POST /api/v1/matching/accept` `{"load_id", "vehicle_id", "driver_id"}`: the vehicle's carrier takes
//!   the load: the load becomes `matched`, the vehicle `busy`, and a draft electronic waybill is created.
//! - `POST /api/v1/matching/decline` `{"load_id", "vehicle_id", "reason"}`: the vehicle's carrier
//!   declines the load; matching never offers the pair again, and an accepted match whose waybill is
//!   still a draft is undone (waybill cancelled, load open, vehicle available).
//!
//! Every answer says where travel costs came from (`road_network`), and each plan carries the
//! independent checker's report.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use wuliu_app::workflows;
use wuliu_match::{
    nearest_load_verdicts, nearest_vehicle_verdicts, suggest_loads, suggest_vehicles, MatchConfig,
    MatchRequest, OpenLoad,
};
use wuliu_store::{Field, Filter, Kind, Literal, Op};

use super::{blocking, parse_request};
use crate::auth::{Caller, Role};
use crate::error::{ApiError, AppError};
use crate::service::record_json;
use crate::spec;
use crate::AppState;
use wuliu_app::matching::{
    all, as_available, available_vehicles, describe, free_after_waybill, learned_outlook,
    open_load, status_is, typed,
};

type Params = Query<Vec<(String, String)>>;

fn engine_error(e: wuliu_match::MatchError) -> ApiError {
    ApiError::invalid("matching.invalid_request", "body", e.to_string())
}

/// When the vehicle becomes free: the `free_from` parameter (RFC 3339, e.g.
/// `2026-11-28T14:00:00+08:00`), else now. A `+` of the offset left unencoded in the URL arrives as
/// a space; that space is read as the `+` it was.
fn free_from(params: &[(String, String)]) -> Result<chrono::DateTime<Utc>, ApiError> {
    let Some((_, v)) = params.iter().find(|(k, _)| k == "free_from") else {
        return Ok(Utc::now());
    };
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    parse(v)
        .or_else(|| {
            let (time, offset) = v.rsplit_once(' ')?;
            parse(&format!("{time}+{offset}"))
        })
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            ApiError::bad(
                "param.invalid",
                "free_from",
                "free_from must be an RFC 3339 time, e.g. 2026-11-28T14:00:00%2B08:00 or 2026-11-28T06:00:00Z",
            )
        })
}

fn top_n(params: &[(String, String)]) -> Result<usize, ApiError> {
    match params.iter().find(|(k, _)| k == "n") {
        None => Ok(10),
        Some((_, v)) => v
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| ApiError::bad("param.invalid", "n", "n must be from 1 to 100")),
    }
}

/// `POST /api/v1/matching/batch`
pub async fn batch(
    State(state): State<AppState>,
    _caller: Caller,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let request: MatchRequest = parse_request(&body)?;
    wuliu_app::engines::bound_matching(&request)?;
    let travel = state.travel.clone();
    // A client that goes away stops the search (the guard cancels when this handler is dropped).
    let guard = request.config.cancel.on_drop();
    let (plan, report) =
        blocking(move || wuliu_app::engines::matching(&request, travel.as_ref())).await??;
    guard.disarm();
    Ok(Json(json!({ "plan": plan, "check": report })))
}

/// The matching configuration of a stored run from its query: `sequencing` (`time_slices`,
/// `successors` or `search`), `max_chain`, and `time` (seconds, for the search).
fn run_config(params: &[(String, String)]) -> Result<MatchConfig, ApiError> {
    let mut c = MatchConfig::default();
    for (k, v) in params {
        match k.as_str() {
            "sequencing" => {
                c.sequencing = serde_json::from_value(Value::String(v.clone())).map_err(|_| {
                    ApiError::bad(
                        "param.invalid",
                        "sequencing",
                        "sequencing must be time_slices, successors or search",
                    )
                })?
            }
            "max_chain" => {
                c.max_chain = v.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                    ApiError::bad(
                        "param.invalid",
                        "max_chain",
                        "max_chain must be an integer >= 1",
                    )
                })?
            }
            "time" => {
                c.search_time_s = v
                    .parse()
                    .ok()
                    .filter(|t: &f64| *t > 0.0 && *t <= 300.0)
                    .ok_or_else(|| {
                        ApiError::bad("param.invalid", "time", "time must be seconds in (0, 300]")
                    })?
            }
            _ => {}
        }
    }
    Ok(c)
}

/// `POST /api/v1/matching/run?date=YYYY-MM-DD[&sequencing=search&max_chain=N&time=S&outlook_days=D]`
pub async fn run_stored(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    if caller.role != Role::Admin {
        return Err(AppError::Forbidden {
            field: None,
            message: "a region-wide matching run needs the admin role".into(),
        }
        .into());
    }
    let date = match params.iter().find(|(k, _)| k == "date") {
        Some((_, d)) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::bad("param.invalid", "date", "date must be YYYY-MM-DD"))?,
        None => Utc::now().date_naive(),
    };
    let mut config = run_config(&params)?;
    let loads = all(
        &state.service,
        Kind::Load,
        &caller.region,
        vec![status_is("open")],
    )
    .await?;
    let loads: Vec<OpenLoad> = loads.iter().map(open_load).collect::<Result<_, _>>()?;
    let start = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight"));
    let vehicles = available_vehicles(&state.service, &caller.region, start).await?;
    let learn = outlook_days(&params)?;
    if let Some(days) = learn {
        config.outlook = learned_outlook(
            &state.service,
            state.travel.clone(),
            &caller.region,
            start,
            days,
        )
        .await?;
    }
    let outlook = json!(config.outlook);
    let request = MatchRequest {
        loads,
        vehicles,
        date,
        config,
    };
    let Json(mut answer) = batch(
        State(state),
        caller,
        serde_json::to_string(&request).expect("request serialises"),
    )
    .await?;
    if learn.is_some() {
        answer["outlook"] = outlook;
    }
    Ok(Json(answer))
}

/// `outlook_days` from the query: how many days of past loads to learn the outlook from.
fn outlook_days(params: &[(String, String)]) -> Result<Option<i64>, ApiError> {
    match params.iter().find(|(k, _)| k == "outlook_days") {
        None => Ok(None),
        Some((_, v)) => v
            .parse()
            .ok()
            .filter(|d| (1..=90).contains(d))
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad(
                    "param.invalid",
                    "outlook_days",
                    "outlook_days must be an integer from 1 to 90",
                )
            }),
    }
}

/// `GET /api/v1/matching/loads/{id}/vehicles`
pub async fn vehicles_for_load(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let n = top_n(&params)?;
    let rec = state
        .service
        .get(&caller, spec::by_kind(Kind::Load), &id)
        .await?;
    let load = open_load(&rec)?;
    let vehicles =
        available_vehicles(&state.service, &rec.region, load.load.pickup_window.start).await?;
    let travel = state.travel.clone();
    let road = travel.is_road_network();
    let (list, nearest) = blocking(move || {
        let c = MatchConfig::default();
        let list = suggest_vehicles(&load, &vehicles, travel.as_ref(), &c, n)?;
        let nearest = if list.is_empty() {
            nearest_vehicle_verdicts(&load, &vehicles, travel.as_ref(), &c, EXPLAIN_NEAREST)?
        } else {
            Vec::new()
        };
        Ok::<_, wuliu_match::MatchError>((list, nearest))
    })
    .await?
    .map_err(engine_error)?;
    let ids: Vec<String> = list
        .iter()
        .map(|s| s.vehicle.as_str().to_string())
        .collect();
    let vehicles = describe(&state.service, Kind::Vehicle, ids).await?;
    Ok(suggestion_answer(
        json!({ "load": id, "road_network": road, "vehicles": vehicles }),
        &list,
        &nearest,
    ))
}

/// How many of the nearest candidates explain an empty suggestion list.
const EXPLAIN_NEAREST: usize = 3;

/// A suggestion answer: `head` with the `suggestions`, and with `nearest` (the verdicts that say
/// why) when there are none.
fn suggestion_answer(
    mut head: Value,
    list: &[wuliu_match::Suggestion],
    nearest: &impl serde::Serialize,
) -> Json<Value> {
    head["suggestions"] = json!(list);
    if list.is_empty() {
        head["nearest"] = json!(nearest);
    }
    Json(head)
}

/// `GET /api/v1/matching/vehicles/{id}/loads[?n=&free_from=&after_waybill=]`: with `after_waybill`
/// (the vehicle's own unfinished waybill) the vehicle is looked at where and when that trip ends —
/// the return-load (回程货) search; otherwise it must be available, at its home base.
pub async fn loads_for_vehicle(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let n = top_n(&params)?;
    let rec = state
        .service
        .get(&caller, spec::by_kind(Kind::Vehicle), &id)
        .await?;
    let region = rec.region.clone();
    let after = after_waybill(&state, &caller, &rec, &params).await?;
    let not_available = || AppError::Conflict {
        field: "status".into(),
        message: "the vehicle is not available or has no home base; for a busy vehicle name the \
                  trip it is on with after_waybill"
            .into(),
    };
    if after.is_none() && rec.status.as_deref() != Some("available") {
        return Err(not_available().into());
    }
    let carrier = Filter {
        field: Field::Json(vec!["carrier_id"], wuliu_store::FieldType::Text),
        op: Op::Eq,
        value: Literal::Text(rec.owner_party.clone().unwrap_or_default()),
    };
    let drivers = all(&state.service, Kind::Driver, &region, vec![carrier]).await?;
    let free = match after {
        Some((_, at)) => at,
        None => free_from(&params)?,
    };
    let mut vehicle = as_available(&rec, &drivers, free)?.ok_or_else(not_available)?;
    if let Some((point, _)) = after {
        vehicle.position = point;
    }
    let free_json = json!({ "point": vehicle.position, "at": vehicle.free_from });
    let loads = all(&state.service, Kind::Load, &region, vec![status_is("open")]).await?;
    let loads: Vec<OpenLoad> = loads.iter().map(open_load).collect::<Result<_, _>>()?;
    let travel = state.travel.clone();
    let road = travel.is_road_network();
    let (list, nearest) = blocking(move || {
        let c = MatchConfig::default();
        let list = suggest_loads(&vehicle, &loads, travel.as_ref(), &c, n)?;
        let nearest = if list.is_empty() {
            nearest_load_verdicts(&vehicle, &loads, travel.as_ref(), &c, EXPLAIN_NEAREST)?
        } else {
            Vec::new()
        };
        Ok::<_, wuliu_match::MatchError>((list, nearest))
    })
    .await?
    .map_err(engine_error)?;
    let ids: Vec<String> = list.iter().map(|s| s.load.as_str().to_string()).collect();
    let loads = describe(&state.service, Kind::Load, ids).await?;
    Ok(suggestion_answer(
        json!({ "vehicle": id, "road_network": road, "free": free_json, "loads": loads }),
        &list,
        &nearest,
    ))
}

/// The `after_waybill` parameter: the vehicle's own unfinished waybill, read with the caller's
/// rights, and where and when that trip leaves the vehicle free.
async fn after_waybill(
    state: &AppState,
    caller: &Caller,
    vehicle: &wuliu_store::Record,
    params: &[(String, String)],
) -> Result<Option<(wuliu_model::GeoPoint, chrono::DateTime<Utc>)>, ApiError> {
    let Some((_, wid)) = params.iter().find(|(k, _)| k == "after_waybill") else {
        return Ok(None);
    };
    let rec = state
        .service
        .get(caller, spec::by_kind(Kind::Waybill), wid)
        .await?;
    let waybill: wuliu_model::Waybill = typed(&rec)?;
    if waybill.vehicle.vehicle_id.as_ref().map(|v| v.as_str()) != Some(vehicle.id.as_str()) {
        return Err(ApiError::bad(
            "param.invalid",
            "after_waybill",
            "after_waybill must be a waybill of this vehicle",
        ));
    }
    let travel = state.travel.clone();
    let at = free_after_waybill(&waybill, travel.as_ref(), Utc::now())?;
    Ok(Some(at))
}

/// `POST /api/v1/matching/accept` `{"load_id", "vehicle_id", "driver_id"}`: see
/// [`wuliu_app::workflows::accept`].
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<Response, ApiError> {
    let req: workflows::Accept = parse_request(&body)?;
    let out = workflows::accept(&state.service, &caller, &req).await?;
    Ok((StatusCode::CREATED, Json(outcome_json(&out, "waybill"))).into_response())
}

/// `POST /api/v1/matching/decline` `{"load_id", "vehicle_id", "reason"}`: see
/// [`wuliu_app::workflows::decline`].
pub async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<Response, ApiError> {
    let req: workflows::Decline = parse_request(&body)?;
    let out = workflows::decline(&state.service, &caller, &req).await?;
    let mut answer = outcome_json(&out, "waybill_cancelled");
    answer["reason"] = json!(req.reason);
    Ok(Json(answer).into_response())
}

/// A workflow's records as JSON, the waybill under `waybill_key`.
fn outcome_json(out: &workflows::Outcome, waybill_key: &str) -> Value {
    let mut v = json!({ "load": record_json(&out.load), "vehicle": record_json(&out.vehicle) });
    v[waybill_key] = json!(out.waybill.as_ref().map(record_json));
    v
}
