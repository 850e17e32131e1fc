//! HTTP for emergency logistics (应急物流, issue 28): reserves, the emergency fleet and relief
//! requests. The rules (roles, stock that never goes negative, FEFO, the request workflow) live in
//! [`wuliu_app::emergency`]; these handlers only translate.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET`/`POST /api/v1/emergency/items` | the relief item catalogue / add an item |
//! | `GET`/`POST /api/v1/emergency/stockpiles` | stockpiles the caller may read / add one |
//! | `GET /api/v1/emergency/stockpiles/{id}` | a stockpile with its stock per item |
//! | `GET`/`POST /api/v1/emergency/stockpiles/{id}/lots` | its lots (`?item_id=`) / receive a lot |
//! | `POST /api/v1/emergency/stockpiles/{id}/issue` | issue lines (FEFO) or a reservation |
//! | `GET /api/v1/emergency/issues` | issues (`?stockpile_id=`, `?request_id=`) |
//! | `GET`/`POST /api/v1/emergency/reservations` | reservations (`?stockpile_id=`, `?request_id=`) / reserve |
//! | `GET /api/v1/emergency/reservations/{id}`, `POST …/{id}/release` | one reservation / release it |
//! | `GET /api/v1/emergency/fleet?at=` | vehicles available with a valid green-channel pass |
//! | `GET`/`POST /api/v1/emergency/fleet/passes`, `POST …/{id}/revoke` | passes / register / revoke |
//! | `GET`/`POST /api/v1/emergency/requests` | requests the caller may read (`?status=`) / submit one |
//! | `GET /api/v1/emergency/requests/{id}` | one request with its history |
//! | `POST /api/v1/emergency/requests/{id}/triage` | confirm the priority: `submitted → triaged` |
//! | `POST /api/v1/emergency/requests/{id}/transition` | `{"to": "allocated" …}` along the workflow |
//! | `POST /api/v1/emergency/plan` | allocate the stock available now to the triaged requests (exact, with the greedy baseline) |
//! | `POST /api/v1/emergency/plan/commit` | approve a plan: `{"flows": […]}` (or the whole `/plan` answer): claims each request `triaged → allocated` and reserves its flows; per request the outcome, reservation IDs and lines not reserved |
//! | `GET /api/v1/emergency/situation?minutes=60` | closed areas in force (GeoJSON), each stockpile's reachable area (road isochrone or straight-line circle), requests cut off |
//! | `POST /api/v1/emergency/replan` | re-plan the plan in force (a `/plan` answer) after closures or new requests: what each trip and request becomes, and why |

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::emergency::{
    catalogue, commit as emergency_commit, fleet, plan as emergency_plan,
    replan as emergency_replan, requests, situation as emergency_situation, stock,
};
use wuliu_store::Kind;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::{param, parse_json as json_body, time_value};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;
type Answer = Result<Json<Value>, ApiError>;
type Created = Result<(StatusCode, Json<Value>), ApiError>;

/// The emergency routes, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    const E: &str = "/api/v1/emergency";
    Router::new()
        .route(&format!("{E}/items"), get(items).post(add_item))
        .route(
            &format!("{E}/stockpiles"),
            get(stockpiles).post(add_stockpile),
        )
        .route(&format!("{E}/stockpiles/{{id}}"), get(one_stockpile))
        .route(
            &format!("{E}/stockpiles/{{id}}/lots"),
            get(lots).post(receive),
        )
        .route(&format!("{E}/stockpiles/{{id}}/issue"), post(issue))
        .route(&format!("{E}/issues"), get(issues))
        .route(&format!("{E}/issues/{{id}}"), get(one_issue))
        .route(
            &format!("{E}/reservations"),
            get(reservations).post(reserve),
        )
        .route(&format!("{E}/reservations/{{id}}"), get(one_reservation))
        .route(&format!("{E}/reservations/{{id}}/release"), post(release))
        .route(&format!("{E}/fleet"), get(available_fleet))
        .route(&format!("{E}/fleet/passes"), get(passes).post(add_pass))
        .route(&format!("{E}/fleet/passes/{{id}}/revoke"), post(revoke))
        .route(&format!("{E}/requests"), get(list_requests).post(submit))
        .route(&format!("{E}/requests/{{id}}"), get(one_request))
        .route(&format!("{E}/requests/{{id}}/triage"), post(triage))
        .route(&format!("{E}/requests/{{id}}/transition"), post(transition))
        .route(&format!("{E}/plan"), post(plan))
        .route(&format!("{E}/plan/commit"), post(commit_plan))
        .route(&format!("{E}/replan"), post(replan))
        .route(&format!("{E}/situation"), get(situation))
}

/// `POST /api/v1/emergency/plan`: reads the region's records, fills the travel table from the
/// platform's travel costs (road network with live closures, or straight lines cut by the given
/// closed areas) and solves on a blocking thread.
async fn plan(State(s): State<AppState>, caller: Caller, body: String) -> Answer {
    let text = if body.trim().is_empty() { "{}" } else { &body };
    let input: emergency_plan::PlanInput = serde_json::from_value(json_body(text)?)
        .map_err(|e| ApiError::bad("emergency.plan", "body", format!("not a plan request: {e}")))?;
    emergency_plan::check_closed_areas(&input.closed_areas)?;
    let at = chrono::Utc::now();
    let mut snapshot = emergency_plan::snapshot(s.repo.as_ref(), &caller, at).await?;
    let travel = s.travel.clone();
    let answer = crate::engines::blocking(move || {
        snapshot.fill_travel(travel.as_ref(), &input.closed_areas)?;
        let mut out = emergency_plan::solve(&snapshot, &input)?;
        out["travel_costs"] = serde_json::json!({
            "source": travel.label(), "road_network": travel.is_road_network()});
        Ok::<_, wuliu_app::AppError>(out)
    })
    .await??;
    Ok(Json(answer))
}

/// `POST /api/v1/emergency/plan/commit`: approves a plan's flows (see
/// [`wuliu_app::emergency::commit`]).
async fn commit_plan(State(s): State<AppState>, caller: Caller, body: String) -> Answer {
    let v = emergency_commit::commit(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok(Json(v))
}

/// `POST /api/v1/emergency/replan`: checks the body (a field of the wrong shape is named), reads
/// the records as at the plan in force, then fills the travel table as it is now and re-plans on
/// a blocking thread.
async fn replan(State(s): State<AppState>, caller: Caller, body: String) -> Answer {
    let input = emergency_replan::parse_input(json_body(&body)?)?;
    let now = chrono::Utc::now();
    let snapshot = emergency_replan::read(s.repo.as_ref(), &caller, &input, now).await?;
    let travel = s.travel.clone();
    let answer =
        crate::engines::blocking(move || emergency_replan::solve(snapshot, travel.as_ref()))
            .await??;
    Ok(Json(answer))
}

/// `GET /api/v1/emergency/situation?minutes=30,60`: checks `minutes`, reads the region's
/// stockpiles, triaged requests and the stored closures, then draws the reachable areas on a
/// blocking thread (road isochrones, or straight-line circles).
async fn situation(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let minutes = emergency_situation::parse_minutes(param(&q, "minutes"))?;
    let now = chrono::Utc::now();
    let input = emergency_situation::read(s.repo.as_ref(), &caller, minutes, now).await?;
    let (travel, road) = (s.travel.clone(), s.road.clone());
    let answer = crate::engines::blocking(move || {
        emergency_situation::compute(&input, travel.as_ref(), road.as_deref())
    })
    .await??;
    Ok(Json(answer))
}

fn created(v: Value) -> (StatusCode, Json<Value>) {
    (StatusCode::CREATED, Json(v))
}

async fn items(State(s): State<AppState>, caller: Caller) -> Answer {
    Ok(Json(catalogue::list_items(s.repo.as_ref(), &caller).await?))
}

async fn add_item(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    let v = catalogue::create_item(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok(created(v))
}

async fn stockpiles(State(s): State<AppState>, caller: Caller) -> Answer {
    Ok(Json(
        stock::list_stockpiles(s.repo.as_ref(), &caller).await?,
    ))
}

async fn add_stockpile(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    let v = stock::create_stockpile(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok(created(v))
}

async fn one_stockpile(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    Ok(Json(stock::stockpile(s.repo.as_ref(), &caller, &id).await?))
}

async fn lots(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Params,
) -> Answer {
    let item = param(&q, "item_id");
    Ok(Json(
        stock::list_lots(s.repo.as_ref(), &caller, &id, item).await?,
    ))
}

async fn receive(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Created {
    let v = stock::receive_lot(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?;
    Ok(created(v))
}

async fn issue(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Created {
    let v = stock::issue(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?;
    Ok(created(v))
}

async fn movements(s: &AppState, caller: &Caller, kind: Kind, q: &[(String, String)]) -> Answer {
    let (pile, req) = (param(q, "stockpile_id"), param(q, "request_id"));
    Ok(Json(
        stock::list_movements(s.repo.as_ref(), caller, kind, pile, req).await?,
    ))
}

async fn issues(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    movements(&s, &caller, Kind::StockIssue, &q).await
}

async fn one_issue(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(
        stock::movement(s.repo.as_ref(), &caller, Kind::StockIssue, &id).await?,
    ))
}

async fn reservations(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    movements(&s, &caller, Kind::StockReservation, &q).await
}

async fn one_reservation(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Answer {
    let kind = Kind::StockReservation;
    Ok(Json(
        stock::movement(s.repo.as_ref(), &caller, kind, &id).await?,
    ))
}

async fn reserve(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    let v = stock::reserve(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok(created(v))
}

async fn release(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(stock::release(s.repo.as_ref(), &caller, &id).await?))
}

async fn available_fleet(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let at = match param(&q, "at") {
        Some(v) => time_value("at", v)?,
        None => chrono::Utc::now(),
    };
    Ok(Json(
        fleet::available_fleet(s.repo.as_ref(), &caller, at).await?,
    ))
}

async fn passes(State(s): State<AppState>, caller: Caller) -> Answer {
    Ok(Json(fleet::list_passes(s.repo.as_ref(), &caller).await?))
}

async fn add_pass(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    let v = fleet::register_pass(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok(created(v))
}

async fn revoke(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(
        fleet::revoke_pass(s.repo.as_ref(), &caller, &id).await?,
    ))
}

async fn list_requests(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let status = param(&q, "status");
    Ok(Json(
        requests::list(s.repo.as_ref(), &caller, status).await?,
    ))
}

async fn submit(State(s): State<AppState>, caller: Caller, body: String) -> Created {
    let v = requests::submit(s.repo.as_ref(), &caller, json_body(&body)?).await?;
    Ok(created(v))
}

async fn one_request(State(s): State<AppState>, caller: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(requests::get(s.repo.as_ref(), &caller, &id).await?))
}

async fn triage(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let v = requests::triage(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?;
    Ok(Json(v))
}

async fn transition(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let v = requests::transition(s.repo.as_ref(), &caller, &id, json_body(&body)?).await?;
    Ok(Json(v))
}
