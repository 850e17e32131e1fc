//! The dashboard's HTTP adapter: indicators, forecasts, the prosperity index, risk warnings and map
//! layers. Every handler parses its query, calls one function of [`wuliu_app`] and returns its JSON.
//!
//! - `GET /api/v1/stats/overview?date=`
//! - `GET /api/v1/stats/breakdown?by=county|industry&from=&to=`
//! - `GET /api/v1/stats/series?metric=&interval=day|month&from=&to=&county=&industry=`
//! - `GET /api/v1/stats/forecast?metric=&interval=&horizon=` or `?series=public:<id>`
//! - `GET /api/v1/stats/public-series`
//! - `GET /api/v1/stats/index?month=YYYY-MM&history=`
//! - `GET /api/v1/stats/warnings?status=`, `POST /api/v1/stats/warnings/run?day=`
//! - `GET /api/v1/map/layers/{layer}`

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use wuliu_app::stats::{beijing_today, month_start, By, Interval, Metric, SeriesFilter};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::monitoring::day_param;
use crate::routes::param;
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/stats/overview", get(overview))
        .route("/api/v1/stats/breakdown", get(breakdown))
        .route("/api/v1/stats/series", get(series))
        .route("/api/v1/stats/forecast", get(forecast))
        .route("/api/v1/stats/public-series", get(public_series))
        .route("/api/v1/stats/index", get(index))
        .route("/api/v1/stats/warnings", get(warnings))
        .route("/api/v1/stats/warnings/run", post(run_warnings))
        .route("/api/v1/map/layers/{layer}", get(layer))
}

async fn overview(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    let date = day_param(&p, "date")?.unwrap_or_else(beijing_today);
    Ok(Json(
        wuliu_app::stats::overview(&s.service, &caller, date).await?,
    ))
}

fn range(p: &[(String, String)]) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let to = day_param(p, "to")?.unwrap_or_else(beijing_today);
    let from = day_param(p, "from")?.unwrap_or_else(|| month_start(to));
    Ok((from, to))
}

async fn breakdown(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    let by = By::parse(param(&p, "by").unwrap_or("county"))?;
    let (from, to) = range(&p)?;
    Ok(Json(
        wuliu_app::stats::breakdown(&s.service, &caller, by, from, to).await?,
    ))
}

async fn series(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    let metric = Metric::parse(param(&p, "metric").unwrap_or("waybills"))?;
    let interval = Interval::parse(param(&p, "interval").unwrap_or("day"))?;
    let to = day_param(&p, "to")?.unwrap_or_else(beijing_today);
    let back = if interval == Interval::Day { 29 } else { 365 };
    let from = day_param(&p, "from")?.unwrap_or(to - Duration::days(back));
    let filter = SeriesFilter {
        county: param(&p, "county").map(String::from),
        industry: param(&p, "industry").map(String::from),
    };
    let points =
        wuliu_app::stats::series(&s.service, &caller, metric, interval, (from, to), filter).await?;
    let points: Vec<Value> = points
        .into_iter()
        .map(|(k, v)| json!({"period": k, "value": v}))
        .collect();
    let interval = if interval == Interval::Day {
        "day"
    } else {
        "month"
    };
    Ok(Json(
        json!({"metric": metric, "interval": interval, "from": from, "to": to, "points": points}),
    ))
}

async fn forecast(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    let horizon = match param(&p, "horizon") {
        Some(h) => h.parse().map_err(|_| {
            ApiError::bad(
                "param.invalid",
                "horizon",
                format!("horizon '{h}' is not a count"),
            )
        })?,
        None => 6,
    };
    if let Some(id) = param(&p, "series") {
        let public = wuliu_app::forecasts::public(id)?;
        let name = format!("public:{}", public.id);
        let unit = (public.unit_zh, public.unit_en);
        return Ok(Json(wuliu_app::forecasts::answer(
            &public.series,
            horizon,
            &name,
            unit,
        )?));
    }
    let metric = Metric::parse(param(&p, "metric").unwrap_or("waybills"))?;
    let interval = Interval::parse(param(&p, "interval").unwrap_or("month"))?;
    let today = day_param(&p, "date")?.unwrap_or_else(beijing_today);
    let series =
        wuliu_app::forecasts::platform_series(&s.service, &caller, metric, interval, today).await?;
    Ok(Json(wuliu_app::forecasts::answer(
        &series,
        horizon,
        &metric.name(),
        metric.unit(),
    )?))
}

async fn public_series(_caller: Caller) -> Json<Value> {
    Json(wuliu_app::forecasts::public_list())
}

async fn index(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    let month = match param(&p, "month") {
        Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").map_err(|_| {
            ApiError::bad(
                "param.invalid",
                "month",
                format!("month '{m}' is not YYYY-MM"),
            )
        })?,
        // The last complete month.
        None => month_start(month_start(beijing_today()) - Duration::days(1)),
    };
    let history = match param(&p, "history") {
        Some(h) => h
            .parse::<usize>()
            .ok()
            .filter(|h| *h <= 36)
            .ok_or_else(|| {
                ApiError::bad("param.invalid", "history", "history is 0 to 36 months")
            })?,
        None => 12,
    };
    Ok(Json(
        wuliu_app::prosperity::index_of(&s.service, &caller, month, history).await?,
    ))
}

async fn warnings(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        wuliu_app::risk::list(&s.service, &caller, param(&p, "status")).await?,
    ))
}

async fn run_warnings(
    State(s): State<AppState>,
    caller: Caller,
    Query(p): Params,
) -> Result<Json<Value>, ApiError> {
    let day = day_param(&p, "day")?.unwrap_or_else(|| beijing_today() - Duration::days(1));
    Ok(Json(wuliu_app::risk::run(&s.service, &caller, day).await?))
}

async fn layer(
    State(s): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        wuliu_app::map::layer(&s.service, &caller, &name).await?,
    ))
}
