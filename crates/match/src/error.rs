//! Typed errors of the matching engine.

use wuliu_model::TravelCostError;

/// Why a matching request could not be answered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatchError {
    /// The travel-cost provider failed (bad point, no road nearby, …).
    #[error("travel costs: {0}")]
    TravelCosts(#[from] TravelCostError),
    /// The request itself is inconsistent (duplicate IDs, invalid coordinates, …); every problem
    /// is listed.
    #[error("invalid request: {}", .0.join("; "))]
    InvalidRequest(Vec<String>),
}
