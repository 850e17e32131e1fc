//! HTTP for the government desks (issue 29). The rules live in [`wuliu_app::gov`]; these
//! handlers only translate.

use axum::Router;

use crate::AppState;

pub mod appeals;
pub mod talent;
pub mod tasks;
pub mod units;

/// The government desks' routes, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(units::router())
        .merge(tasks::router())
        .merge(appeals::router())
        .merge(talent::router())
}
