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
pub mod auth;
pub mod csvflat;
pub mod error;
pub mod openapi;
pub mod routes;
pub mod service;
pub mod spec;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use wuliu_store::Repository;

pub use auth::{Caller, Role};
pub use error::ApiError;
pub use service::{ImportReport, Service};

/// Largest request body accepted (bulk imports), in bytes.
pub const MAX_BODY: usize = 256 * 1024 * 1024;

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    /// Storage.
    pub repo: Arc<dyn Repository>,
    /// Operations on it.
    pub service: Service,
}

impl AppState {
    /// State over a repository.
    pub fn new(repo: Arc<dyn Repository>) -> Self {
        Self {
            service: Service::new(repo.clone()),
            repo,
        }
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let openapi = Arc::new(openapi::document());
    Router::new()
        .route("/health", get(routes::health))
        .route(
            "/openapi.json",
            get(move || std::future::ready(Json((*openapi).clone()))),
        )
        .route("/api/v1", get(routes::index))
        .route("/api/v1/me", get(routes::me))
        .route(
            "/api/v1/{collection}",
            get(routes::list).post(routes::create),
        )
        .route("/api/v1/{collection}/import", post(routes::import))
        .route("/api/v1/{collection}/export", get(routes::export))
        .route(
            "/api/v1/{collection}/{id}",
            get(routes::get).put(routes::replace).patch(routes::patch),
        )
        .route("/api/v1/{collection}/{id}/status", post(routes::transition))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}
