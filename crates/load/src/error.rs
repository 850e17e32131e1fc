//! Errors of the loading engine.

use wuliu_model::Violations;

/// What can go wrong before a search starts.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The request is not valid; every problem is listed with a code and a field path.
    #[error("invalid loading request ({n} problem(s)): {list}", n = .0.0.len(), list = .0)]
    Invalid(Violations),
    /// A Bischoff–Ratcliff file could not be read.
    #[error("Bischoff–Ratcliff format, line {line}: {message}")]
    Format {
        /// 1-based line number.
        line: usize,
        /// What was expected.
        message: String,
    },
}
