//! Wuliu HTTP API (axum). [`app`] builds the router, so tests call it with `oneshot` and no server.
//!
//! Every entity is a collection under `/api/v1/` with list (filter, sort, cursor pagination), create,
//! read, replace, merge-patch, lifecycle transitions, bulk import (CSV or JSON, per-row report, idempotent
//! by `external_id`) and export. `/openapi.json` describes it all; `/health` reports liveness.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use std::sync::Arc;
//! use tower::ServiceExt;
//! use wuliu_server::{app, AppState};
//!
//! let store = wuliu_store::SqlStore::open("sqlite::memory:").await.unwrap();
//! let router = app(AppState::new(Arc::new(store)));
//! let res = router
//!     .oneshot(axum::http::Request::get("/health").body(axum::body::Body::empty()).unwrap())
//!     .await
//!     .unwrap();
//! assert_eq!(res.status(), 200);
//! # });
//! ```
#![warn(missing_docs)]
pub mod accounts;
pub mod auth;
pub mod emergency;
pub mod engines;
pub mod error;
pub mod exchange;
pub mod gov;
pub mod monitoring;
pub mod openapi;
pub mod ops;
pub mod plan;
pub mod road_changes;
pub mod roads_layer;
pub mod routes;
pub mod shipments;
pub mod stats;

pub use wuliu_app::{csvflat, service, spec};

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use wuliu_store::Repository;

pub use auth::{Caller, Role};
pub use error::{ApiError, AppError};
pub use wuliu_app::limits::{MAX_BODY, MAX_IMPORT_BODY};
pub use wuliu_app::{ImportReport, Service};

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub repo: Arc<dyn Repository>,
    /// Users, logins, sessions and tokens.
    pub accounts: wuliu_app::accounts::Accounts,
    /// Operations on it.
    pub service: Service,
    /// Travel distances and times for the engines: the road network when one is loaded, otherwise the
    /// labelled straight-line estimate.
    pub travel: Arc<dyn wuliu_model::TravelCosts>,
    /// The prepared road network, when one is loaded.
    pub road: Option<Arc<wuliu_road::PreparedNetwork>>,
    /// The live road changes of [`Self::road`], kept equal to the stored set.
    pub road_changes: Option<Arc<wuliu_app::road_changes::RoadChanges>>,
    /// The traceability ledger, when the server runs with one.
    pub ledger: Option<Arc<wuliu_ledger::Ledger>>,
    /// Origins whose browser pages may call the API (CORS); none by default (same origin only).
    pub cors_origins: Vec<String>,
}

impl AppState {
    /// State over a repository.
    pub fn new(repo: Arc<dyn Repository>) -> Self {
        Self {
            service: Service::new(repo.clone()),
            accounts: wuliu_app::accounts::Accounts::new(repo.clone(), Default::default()),
            repo,
            travel: Arc::new(wuliu_model::StraightLine::default()),
            ledger: None,
            road: None,
            road_changes: None,
            cors_origins: Vec::new(),
        }
    }

    /// Serves routing on `network` and uses it as the engines' travel costs.
    pub fn with_road(mut self, network: Arc<wuliu_road::PreparedNetwork>) -> Self {
        self.travel = network.clone();
        self.road_changes = Some(Arc::new(wuliu_app::road_changes::RoadChanges::new(
            self.repo.clone(),
            network.clone(),
        )));
        self.road = Some(network);
        self
    }

    /// Serves the traceability ledger `ledger`.
    pub fn with_ledger(mut self, ledger: Arc<wuliu_ledger::Ledger>) -> Self {
        self.ledger = Some(ledger);
        self
    }

    /// Lets pages from `origins` (e.g. `https://console.example.cn`) call the API with credentials.
    pub fn with_cors(mut self, origins: Vec<String>) -> Self {
        self.cors_origins = origins;
        self
    }

    /// Applies `policy` (session lifetimes, login throttling, `Secure` cookies) to accounts.
    pub fn with_account_policy(mut self, policy: wuliu_app::accounts::Policy) -> Self {
        self.accounts = wuliu_app::accounts::Accounts::new(self.repo.clone(), policy);
        self
    }

    /// Uses `travel` (e.g. a prepared road network) for the engines.
    pub fn with_travel(mut self, travel: Arc<dyn wuliu_model::TravelCosts>) -> Self {
        self.travel = travel;
        self
    }
}

/// Turns the plain-text rejections of axum's extractors (bad UTF-8, bad query string, wrong method, body
/// too large) into the API's JSON error shape, so every 4xx names what is wrong the same way.
async fn json_errors(res: axum::response::Response) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = res.status();
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !status.is_client_error() || is_json {
        return res;
    }
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&bytes).trim().to_string();
    let message = if message.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        message
    };
    let body = serde_json::json!({ "error": { "code": format!("http.{}", status.as_u16()), "message": message,
        "violations": [ { "code": format!("http.{}", status.as_u16()), "field": "request", "message": message } ] } });
    (status, Json(body)).into_response()
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let cors = cors_layer(&state.cors_origins);
    routes(state).layer(cors)
}

/// CORS for the configured origins (credentials allowed); with none, no CORS headers are sent, so
/// only same-origin pages can call the API with the user's cookies.
fn cors_layer(origins: &[String]) -> tower_http::cors::CorsLayer {
    use axum::http::{header, HeaderName, HeaderValue, Method};
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if allowed.is_empty() {
        return tower_http::cors::CorsLayer::new();
    }
    tower_http::cors::CorsLayer::new()
        .allow_origin(allowed)
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            HeaderName::from_static("x-csrf-token"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::ETAG,
            header::LOCATION,
            HeaderName::from_static("x-request-id"),
        ])
}

fn routes(state: AppState) -> Router {
    let openapi = Arc::new(openapi::document());
    Router::new()
        .route("/health", get(ops::health))
        .route("/metrics", get(ops::metrics_text))
        .route(
            "/openapi.json",
            get(move || std::future::ready(Json((*openapi).clone()))),
        )
        .route("/api/v1", get(routes::index))
        .route("/api/v1/me", get(routes::me))
        .merge(accounts::router())
        .merge(monitoring::router())
        .merge(stats::router())
        .merge(roads_layer::router())
        .merge(road_changes::router())
        .merge(emergency::router())
        .merge(gov::router())
        .merge(plan::router())
        .merge(shipments::router())
        .route("/api/v1/audit", get(routes::audit))
        .route("/api/v1/exchange/{document}", get(exchange::export))
        .route(
            "/route/v1/{profile}/{coordinates}",
            get(engines::road::osrm_route),
        )
        .route(
            "/table/v1/{profile}/{coordinates}",
            get(engines::road::osrm_table),
        )
        .route(
            "/isochrone/v1/{profile}/{point}",
            get(engines::road::isochrone_get),
        )
        .route("/isochrone", post(engines::road::isochrone_valhalla))
        .route(
            "/trip/v1/{profile}/{coordinates}",
            get(engines::road::osrm_trip),
        )
        .route(
            "/match/v1/{profile}/{coordinates}",
            get(engines::road::osrm_match),
        )
        .route(
            "/nearest/v1/{profile}/{coordinates}",
            get(engines::road::osrm_nearest),
        )
        .route("/api/v1/road/route", post(engines::road::route))
        .route("/api/v1/road/table", post(engines::road::table))
        .route("/epcis/capture", post(engines::ledger::capture))
        .route("/epcis/events", get(engines::ledger::events))
        .route("/ledger/tree-head", get(engines::ledger::tree_head))
        .route("/ledger/public-key", get(engines::ledger::public_key))
        .route("/ledger/proofs/inclusion", get(engines::ledger::inclusion))
        .route(
            "/ledger/proofs/consistency",
            get(engines::ledger::consistency),
        )
        .route(
            "/ledger/events/{event_id}/proof",
            get(engines::ledger::event_proof),
        )
        .route("/ledger/lots/{lot}/bundle", get(engines::ledger::bundle))
        .route("/ledger/lots/{lot}/custody", get(engines::ledger::custody))
        .route("/ledger/lots/{lot}/share", get(engines::ledger::share))
        .route("/ledger/lots/report", post(engines::ledger::report))
        .route("/api/v1/dispatch/solve", post(engines::dispatch::solve_now))
        .route("/api/v1/dispatch/check", post(engines::dispatch::check))
        .route("/api/v1/dispatch/plans", post(engines::dispatch::submit))
        .route(
            "/api/v1/dispatch/plans/{id}",
            get(engines::dispatch::get_plan),
        )
        .route("/api/v1/matching/batch", post(engines::matching::batch))
        .route("/api/v1/matching/run", post(engines::matching::run_stored))
        .route("/api/v1/matching/accept", post(engines::matching::accept))
        .route("/api/v1/matching/decline", post(engines::matching::decline))
        .route(
            "/api/v1/matching/loads/{id}/vehicles",
            get(engines::matching::vehicles_for_load),
        )
        .route(
            "/api/v1/matching/vehicles/{id}/loads",
            get(engines::matching::loads_for_vehicle),
        )
        .route("/api/v1/loading/solve", post(engines::loading::solve_one))
        .route(
            "/api/v1/loading/shipment",
            post(engines::loading::solve_shipment),
        )
        .route(
            "/api/v1/{collection}",
            get(routes::list).post(routes::create),
        )
        .route(
            "/api/v1/{collection}/import",
            post(routes::import).layer(DefaultBodyLimit::max(MAX_IMPORT_BODY)),
        )
        .route("/api/v1/{collection}/export", get(routes::export))
        .route(
            "/api/v1/{collection}/{id}",
            get(routes::get).put(routes::replace).patch(routes::patch),
        )
        .route("/api/v1/{collection}/{id}/status", post(routes::transition))
        .merge(wuliu_console::router())
        .fallback(|| async { ApiError::not_found("no such endpoint; see /openapi.json") })
        .layer(axum::middleware::map_response(json_errors))
        .layer(axum::middleware::from_fn(ops::observe))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}
