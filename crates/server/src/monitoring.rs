//! HTTP for network-freight monitoring: vehicle positions (uploads and track queries). The rules
//! live in [`wuliu_app::tracks`]; these handlers only translate.
//!
//! | endpoint | who | what |
//! |---|---|---|
//! | `POST /api/v1/positions` | admin, carrier | a JSON array of positions, or CSV (`vehicle_id,time,point.lat,point.lon,speed_kmh,…`) → per-row report |
//! | `GET /api/v1/positions/latest` | admin, regulator, carrier | last known position of each visible vehicle (GeoJSON) |
//! | `GET /api/v1/positions?bbox=minLon,minLat,maxLon,maxLat&from=&to=&limit=` | admin, regulator | fixes in a box (GeoJSON) |
//! | `GET /api/v1/vehicles/{id}/track?from=&to=&simplify=METRES` | admin, regulator, carrier (own) | a track as a GeoJSON LineString |
//! | `GET /api/v1/monitoring/rules` | any caller | the rule catalogue: code, category, severity, description in Chinese and English |
//! | `POST /api/v1/monitoring/run?day=YYYY-MM-DD` | admin, regulator | runs every rule over a Beijing day, raises alerts, answers the abnormal waybills and the roll-ups |
//! | `GET /api/v1/waybills/{id}/checks` | whoever may read the waybill | the rules' verdict on it now, with evidence |
//! | `GET /api/v1/monitoring/onboarding?carrier_id=&to=&days=10` | admin, regulator | the provinces' onboarding check |
//! | `GET /api/v1/alerts` (the collection), `GET /api/v1/alerts/stream` (SSE) | admin, regulator, carrier (own) | alerts, and new ones as they are raised |
//! | `POST /api/v1/alerts/{id}/acknowledge`, `…/resolve` | admin, regulator | `{"note": "…"}`; open → acknowledged → resolved |

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
use crate::routes::{param, time_value, wants_csv};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

pub use alerts::MAX_STREAMS as MAX_ALERT_STREAMS;

/// The monitoring routes, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/positions", post(upload).get(in_box))
        .route("/api/v1/positions/latest", get(latest))
        .route("/api/v1/vehicles/{id}/track", get(track))
        .route("/api/v1/monitoring/rules", get(rules))
        .route("/api/v1/monitoring/run", post(run_day))
        .route("/api/v1/monitoring/onboarding", get(onboarding))
        .route("/api/v1/waybills/{id}/checks", get(checks))
        .route("/api/v1/alerts/stream", get(alerts::stream))
        .route("/api/v1/alerts/{id}/acknowledge", post(alerts::acknowledge))
        .route("/api/v1/alerts/{id}/resolve", post(alerts::resolve))
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
    param(params, name).map(|v| time_value(name, v)).transpose()
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

pub(crate) fn day_param(
    params: &[(String, String)],
    name: &str,
) -> Result<Option<chrono::NaiveDate>, ApiError> {
    param(params, name)
        .map(|v| {
            v.parse().map_err(|_| {
                ApiError::bad(
                    "param.invalid",
                    name,
                    format!("{name} '{v}' is not a date YYYY-MM-DD"),
                )
            })
        })
        .transpose()
}

/// Today in Beijing time.
fn beijing_today() -> chrono::NaiveDate {
    wuliu_monitor::time::beijing_date(Utc::now())
}

/// `GET /api/v1/monitoring/rules`
async fn rules(_caller: Caller) -> Json<Value> {
    Json(serde_json::to_value(wuliu_monitor::catalogue()).expect("catalogue serialises"))
}

/// `POST /api/v1/monitoring/run?day=`
async fn run_day(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let day = day_param(&params, "day")?.unwrap_or_else(beijing_today);
    let run =
        wuliu_app::monitoring::run_day(&state.service, state.travel.clone(), &caller, day).await?;
    let report = &run.report;
    let abnormal: Vec<_> = report
        .waybills
        .iter()
        .filter(|w| !w.findings.is_empty())
        .collect();
    Ok(Json(serde_json::json!({
        "day": run.day, "alerts_raised": run.alerts_raised, "costs": report.costs,
        "road_network": report.road_network, "waybills_checked": report.waybills_checked,
        "positions": report.positions, "rule_counts": report.rule_counts,
        "carriers": report.carriers, "carrier_days": report.carrier_days,
        "waybills_with_findings": abnormal,
    })))
}

/// `GET /api/v1/waybills/{id}/checks`
async fn checks(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let verdict =
        wuliu_app::monitoring::waybill_checks(&state.service, state.travel.clone(), &caller, &id)
            .await?;
    Ok(Json(verdict))
}

/// `GET /api/v1/monitoring/onboarding?carrier_id=&to=&days=`
async fn onboarding(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let carrier = param(&params, "carrier_id")
        .ok_or_else(|| ApiError::bad("required", "carrier_id", "carrier_id is required"))?;
    let to = day_param(&params, "to")?.unwrap_or_else(beijing_today);
    let days = param(&params, "days").map_or(Ok(10), |v| {
        v.parse::<i64>().map_err(|_| {
            ApiError::bad(
                "param.invalid",
                "days",
                format!("days '{v}' is not a count"),
            )
        })
    })?;
    let report = wuliu_app::monitoring::onboarding(
        &state.service,
        state.travel.clone(),
        &caller,
        carrier,
        to,
        days,
    )
    .await?;
    Ok(Json(
        serde_json::to_value(report).expect("report serialises"),
    ))
}

mod alerts {
    //! Following alerts up, and the live stream of new ones.

    use std::convert::Infallible;
    use std::time::Duration;

    use axum::extract::{Path, State};
    use axum::response::sse::{Event, KeepAlive, Sse};
    use axum::Json;
    use futures::Stream;
    use serde_json::Value;
    use wuliu_model::AlertStatus;
    use wuliu_store::{Field, Filter, Kind, Literal, Op};

    use crate::auth::Caller;
    use crate::error::ApiError;
    use crate::service::record_json;
    use crate::AppState;

    fn note(body: &str) -> Result<Option<String>, ApiError> {
        if body.trim().is_empty() {
            return Ok(None);
        }
        let v: Value = serde_json::from_str(body).map_err(|e| {
            ApiError::bad("json.malformed", "body", format!("body is not JSON: {e}"))
        })?;
        match v.get("note") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= 2000 => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::bad(
                "invalid_value",
                "note",
                "note must be text of at most 2000 characters",
            )),
        }
    }

    async fn step(
        state: AppState,
        caller: Caller,
        id: String,
        to: AlertStatus,
        body: String,
    ) -> Result<Json<Value>, ApiError> {
        let rec =
            wuliu_app::monitoring::set_alert_status(&state.service, &caller, &id, to, note(&body)?)
                .await?;
        Ok(Json(record_json(&rec)))
    }

    /// `POST /api/v1/alerts/{id}/acknowledge`
    pub async fn acknowledge(
        State(state): State<AppState>,
        caller: Caller,
        Path(id): Path<String>,
        body: String,
    ) -> Result<Json<Value>, ApiError> {
        step(state, caller, id, AlertStatus::Acknowledged, body).await
    }

    /// `POST /api/v1/alerts/{id}/resolve`
    pub async fn resolve(
        State(state): State<AppState>,
        caller: Caller,
        Path(id): Path<String>,
        body: String,
    ) -> Result<Json<Value>, ApiError> {
        step(state, caller, id, AlertStatus::Resolved, body).await
    }

    /// Where the stream stands: the newest creation time sent, and the alerts sent at that time.
    struct Seen {
        at: String,
        ids: Vec<String>,
        _slot: StreamSlot,
    }

    /// Alert streams open at once at most: each polls the store every 2 s.
    pub const MAX_STREAMS: usize = 256;
    static OPEN_STREAMS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// One of the [`MAX_STREAMS`] slots, given back when the stream is dropped.
    struct StreamSlot;

    impl StreamSlot {
        fn take() -> Option<StreamSlot> {
            use std::sync::atomic::Ordering::SeqCst;
            OPEN_STREAMS
                .fetch_update(SeqCst, SeqCst, |n| (n < MAX_STREAMS).then_some(n + 1))
                .ok()
                .map(|_| StreamSlot)
        }
    }

    impl Drop for StreamSlot {
        fn drop(&mut self) {
            OPEN_STREAMS.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
    }

    impl Seen {
        fn is_new(&self, r: &wuliu_store::Record) -> bool {
            r.created_at > self.at || (r.created_at == self.at && !self.ids.contains(&r.id))
        }

        fn mark(&mut self, r: &wuliu_store::Record) {
            if r.created_at > self.at {
                self.at = r.created_at.clone();
                self.ids.clear();
            }
            self.ids.push(r.id.clone());
        }
    }

    /// `GET /api/v1/alerts/stream`: server-sent events, one `alert` event per alert raised after
    /// the stream opened (polled every 2 s, in creation order), with keep-alives.
    pub async fn stream(
        State(state): State<AppState>,
        caller: Caller,
    ) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
        let spec = wuliu_app::service::spec_of(Kind::Alert);
        let base = state.service.visible_query(&caller, spec, None)?;
        let slot = StreamSlot::take().ok_or_else(|| {
            ApiError(wuliu_app::AppError::Unavailable(format!(
                "{MAX_STREAMS} alert streams are open; retry later"
            )))
        })?;
        let start = Seen {
            at: chrono::Utc::now().to_rfc3339(),
            ids: Vec::new(),
            _slot: slot,
        };
        let events = futures::stream::unfold(
            (state, base, start, Vec::<Event>::new()),
            |(state, base, mut seen, mut queue)| async move {
                loop {
                    if let Some(e) = queue.pop() {
                        return Some((Ok(e), (state, base, seen, queue)));
                    }
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    let mut q = base.clone();
                    q.filters.push(Filter {
                        field: Field::Column("created_at"),
                        op: Op::Gte,
                        value: Literal::Text(seen.at.clone()),
                    });
                    q.limit = 200;
                    let Ok(page) = state.repo.list(Kind::Alert, &q).await else {
                        continue;
                    };
                    let fresh: Vec<_> = page
                        .records
                        .into_iter()
                        .filter(|r| seen.is_new(r))
                        .collect();
                    for r in &fresh {
                        seen.mark(r);
                    }
                    queue = fresh
                        .iter()
                        .rev()
                        .map(|r| {
                            Event::default()
                                .event("alert")
                                .id(r.id.clone())
                                .json_data(record_json(r))
                                .expect("record serialises")
                        })
                        .collect();
                }
            },
        );
        Ok(Sse::new(events).keep_alive(KeepAlive::default()))
    }
}
