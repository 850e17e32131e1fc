//! Typed errors of the dispatch planner.

use wuliu_model::Violations;

/// Everything that can go wrong before or around solving.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DispatchError {
    /// The problem failed validation; every problem found is listed with a stable code.
    #[error("invalid problem ({n} violation(s)): {list}", n = .0.0.len(), list = .0)]
    Invalid(Violations),
    /// A travel matrix has the wrong shape or unusable entries.
    #[error("travel matrix: {0}")]
    Matrix(String),
    /// An instance file could not be read.
    #[error("line {line}: {message}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// A JSON document does not have the expected shape.
    #[error("json: {0}")]
    Json(String),
    /// The input uses a feature the planner does not support yet.
    #[error("unsupported: {0}")]
    Unsupported(String),
}
