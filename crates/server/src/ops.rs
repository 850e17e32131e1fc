//! Operations: a request ID on every request and answer, one log line per request (JSON when the
//! binary sets a JSON subscriber), Prometheus metrics at `/metrics`, and the health check.
//!
//! Metrics: `wuliu_http_requests_total{method,route,status}`,
//! `wuliu_http_request_duration_seconds{method,route}` (histogram), and
//! `wuliu_storage_writable` / `wuliu_ledger_writable` (1 or 0, as the last health check found).

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use prometheus::{Encoder, HistogramVec, IntCounterVec, IntGauge, Registry, TextEncoder};
use serde_json::json;

use crate::AppState;

/// The platform's metrics.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
    storage_writable: IntGauge,
    ledger_writable: IntGauge,
}

/// The process's metrics (one registry per process).
pub fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(|| {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            prometheus::Opts::new("wuliu_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("metric");
        let durations = HistogramVec::new(
            prometheus::HistogramOpts::new(
                "wuliu_http_request_duration_seconds",
                "Time to answer an HTTP request",
            ),
            &["method", "route"],
        )
        .expect("metric");
        let storage_writable = IntGauge::new(
            "wuliu_storage_writable",
            "1 when the database accepted a write at the last check",
        )
        .expect("metric");
        let ledger_writable = IntGauge::new(
            "wuliu_ledger_writable",
            "1 when the ledger directory accepted a write at the last check",
        )
        .expect("metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(durations.clone()),
            Box::new(storage_writable.clone()),
            Box::new(ledger_writable.clone()),
        ] {
            registry.register(c).expect("unique metric names");
        }
        Metrics {
            registry,
            requests,
            durations,
            storage_writable,
            ledger_writable,
        }
    })
}

/// A new request ID: 16 random bytes, hex.
fn new_request_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Middleware: gives the request an `x-request-id` (keeping a sane one the client sent), answers
/// with it, counts and times the request, and logs one line.
pub async fn observe(mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(String::from)
        .unwrap_or_else(new_request_id);
    let value = HeaderValue::from_str(&id).expect("ASCII request ID");
    req.headers_mut().insert("x-request-id", value.clone());
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    res.headers_mut().insert("x-request-id", value);
    let status = res.status().as_u16();
    let seconds = start.elapsed().as_secs_f64();
    let m = metrics();
    m.requests
        .with_label_values(&[&method, &route, &status.to_string()])
        .inc();
    m.durations
        .with_label_values(&[&method, &route])
        .observe(seconds);
    tracing::info!(request_id = %id, %method, %path, %route, status, ms = seconds * 1e3, "request");
    res
}

/// Adds a metric of another part of the process (e.g. the JT/T 808 gateway) to `/metrics`.
pub fn register(metric: Box<dyn prometheus::core::Collector>) -> Result<(), prometheus::Error> {
    metrics().registry.register(metric)
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics_text() -> Response {
    let m = metrics();
    let mut out = Vec::new();
    TextEncoder::new()
        .encode(&m.registry.gather(), &mut out)
        .expect("encode metrics");
    (
        [(axum::http::header::CONTENT_TYPE, prometheus::TEXT_FORMAT)],
        out,
    )
        .into_response()
}

/// Whether a file can be created (and removed) in `dir` now.
fn dir_writable(dir: &std::path::Path) -> Result<(), String> {
    let probe = dir.join(".wuliu-health-probe");
    std::fs::write(&probe, b"ok")
        .and_then(|_| std::fs::File::open(&probe)?.sync_all())
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| e.to_string())
}

/// `GET /health`: `ok` when the database and the ledger (when there is one) can write now;
/// otherwise `503` with `degraded` and what cannot write.
pub async fn health(State(state): State<AppState>) -> Response {
    let m = metrics();
    let db = state.repo.probe_write().await.map_err(|e| e.to_string());
    m.storage_writable.set(i64::from(db.is_ok()));
    let ledger = match &state.ledger {
        None => None,
        Some(l) => {
            let (dir, ledger) = (l.dir().to_path_buf(), l.clone());
            let r = tokio::task::spawn_blocking(move || {
                // `healthy` also retries a pending repair (a tail to cut, a head to persist).
                ledger.healthy().map_err(|e| e.to_string())?;
                dir_writable(&dir)
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
            m.ledger_writable.set(i64::from(r.is_ok()));
            Some(r)
        }
    };
    let ok = db.is_ok() && ledger.as_ref().is_none_or(|r| r.is_ok());
    let parties = state.repo.count(wuliu_store::Kind::Party, None).await.ok();
    let body = json!({
        "status": if ok { "ok" } else { "degraded" },
        "database": state.repo.backend().name(),
        "database_writable": db.is_ok(),
        "database_error": db.err(),
        "ledger_writable": ledger.as_ref().map(|r| r.is_ok()),
        "ledger_error": ledger.and_then(|r| r.err()),
        "parties": parties,
    });
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}
