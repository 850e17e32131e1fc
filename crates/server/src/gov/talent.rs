//! HTTP for the industry–education matching platform (产教对接, 69号). The rules (who posts,
//! owners from the caller, versions, who reads matches and statistics) live in
//! [`wuliu_app::gov::talent`]; these handlers only translate.
//!
//! | endpoint | what |
//! |---|---|
//! | `GET /api/v1/gov/talent/tags` | the tag vocabulary, kinds and education levels |
//! | `GET`/`POST /api/v1/gov/talent/demands` | demands the caller may read (`?status=`) / post one |
//! | `GET`/`PUT /api/v1/gov/talent/demands/{id}` | one demand / replace it (with `version`) |
//! | `POST /api/v1/gov/talent/demands/{id}/close` | close it (`{"version": n}`) |
//! | `GET /api/v1/gov/talent/demands/{id}/matches?limit=` | its best supplies with reasons |
//! | the same four under `/supplies` | for colleges' supply; `…/matches` lists the best demands |
//! | `GET /api/v1/gov/talent/stats?region=` | the education bureau's statistics |

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use wuliu_app::gov::talent::{matching, posts, Side};
use wuliu_app::AppError;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::{param, parse_json};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;
type Answer = Result<Json<Value>, ApiError>;
type Created = Result<(StatusCode, Json<Value>), ApiError>;

const T: &str = "/api/v1/gov/talent";

/// The talent routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(&format!("{T}/tags"), get(tags))
        .route(&format!("{T}/stats"), get(stats))
        .route(&format!("{T}/demands"), get(list_d).post(create_d))
        .route(&format!("{T}/demands/{{id}}"), get(get_d).put(update_d))
        .route(&format!("{T}/demands/{{id}}/close"), post(close_d))
        .route(&format!("{T}/demands/{{id}}/matches"), get(matches_d))
        .route(&format!("{T}/supplies"), get(list_s).post(create_s))
        .route(&format!("{T}/supplies/{{id}}"), get(get_s).put(update_s))
        .route(&format!("{T}/supplies/{{id}}/close"), post(close_s))
        .route(&format!("{T}/supplies/{{id}}/matches"), get(matches_s))
}

async fn tags(_caller: Caller) -> Answer {
    Ok(Json(matching::vocabulary()))
}

async fn stats(State(s): State<AppState>, caller: Caller, Query(q): Params) -> Answer {
    let region = param(&q, "region");
    Ok(Json(
        matching::statistics(s.repo.as_ref(), &caller, region).await?,
    ))
}

async fn list(s: &AppState, caller: &Caller, side: Side, q: &[(String, String)]) -> Answer {
    let status = param(q, "status");
    Ok(Json(
        posts::list(s.repo.as_ref(), caller, side, status).await?,
    ))
}

async fn create(s: &AppState, caller: &Caller, side: Side, body: &str) -> Created {
    let v = posts::create(s.repo.as_ref(), caller, side, parse_json(body)?).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

async fn update(s: &AppState, caller: &Caller, side: Side, id: &str, body: &str) -> Answer {
    let v = posts::update(s.repo.as_ref(), caller, side, id, parse_json(body)?).await?;
    Ok(Json(v))
}

async fn close(s: &AppState, caller: &Caller, side: Side, id: &str, body: &str) -> Answer {
    let v = posts::close(s.repo.as_ref(), caller, side, id, parse_json(body)?).await?;
    Ok(Json(v))
}

async fn matches(
    s: &AppState,
    caller: &Caller,
    side: Side,
    id: &str,
    q: &[(String, String)],
) -> Answer {
    let limit = match param(q, "limit") {
        None => None,
        Some(t) => Some(t.parse::<usize>().map_err(|_| {
            AppError::bad(
                "param.invalid",
                "limit",
                format!("limit: '{t}' is not a count"),
            )
        })?),
    };
    Ok(Json(
        matching::matches(s.repo.as_ref(), caller, side, id, limit).await?,
    ))
}

async fn list_d(State(s): State<AppState>, c: Caller, Query(q): Params) -> Answer {
    list(&s, &c, Side::Demand, &q).await
}
async fn list_s(State(s): State<AppState>, c: Caller, Query(q): Params) -> Answer {
    list(&s, &c, Side::Supply, &q).await
}
async fn create_d(State(s): State<AppState>, c: Caller, body: String) -> Created {
    create(&s, &c, Side::Demand, &body).await
}
async fn create_s(State(s): State<AppState>, c: Caller, body: String) -> Created {
    create(&s, &c, Side::Supply, &body).await
}
async fn get_d(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(
        posts::get(s.repo.as_ref(), &c, Side::Demand, &id).await?,
    ))
}
async fn get_s(State(s): State<AppState>, c: Caller, Path(id): Path<String>) -> Answer {
    Ok(Json(
        posts::get(s.repo.as_ref(), &c, Side::Supply, &id).await?,
    ))
}
async fn update_d(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    update(&s, &c, Side::Demand, &id, &body).await
}
async fn update_s(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    update(&s, &c, Side::Supply, &id, &body).await
}
async fn close_d(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    close(&s, &c, Side::Demand, &id, &body).await
}
async fn close_s(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    close(&s, &c, Side::Supply, &id, &body).await
}
async fn matches_d(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    Query(q): Params,
) -> Answer {
    matches(&s, &c, Side::Demand, &id, &q).await
}
async fn matches_s(
    State(s): State<AppState>,
    c: Caller,
    Path(id): Path<String>,
    Query(q): Params,
) -> Answer {
    matches(&s, &c, Side::Supply, &id, &q).await
}
