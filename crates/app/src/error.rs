//! The application layer's one error type. Each variant maps to one HTTP status in the server and to
//! one exit message in the CLI; every variant names the field it is about where there is one.

use wuliu_model::{Violation, Violations};
use wuliu_store::StoreError;

/// A failed operation, as the transports report it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request itself is malformed (bad JSON, unknown parameter, bad cursor).
    #[error("{message}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Offending field or parameter.
        field: String,
        /// Explanation.
        message: String,
    },
    /// 422: the entity breaks business rules; every problem is listed.
    #[error("validation failed: {0}")]
    Invalid(Violations),
    /// 401: no or unknown token.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: the caller may not do this.
    #[error("{message}")]
    Forbidden {
        /// Field that makes the request forbidden (e.g. `carrier_id` of another party), if any.
        field: Option<String>,
        /// Explanation.
        message: String,
    },
    /// 404: unknown (or invisible) ID or collection.
    #[error("{0}")]
    NotFound(String),
    /// 409: a unique key is taken or the state does not allow the change.
    #[error("{message}")]
    Conflict {
        /// The key, e.g. `external_id`.
        field: String,
        /// Explanation.
        message: String,
    },
    /// 412: the record changed since the caller read it (`If-Match` / `version` did not match).
    #[error("{message}")]
    PreconditionFailed {
        /// The record's current version.
        current_version: i64,
        /// Explanation.
        message: String,
    },
    /// 413: the request asks for more work or data than the platform accepts in one call.
    #[error("{message}")]
    TooLarge {
        /// The field or parameter over its limit.
        field: String,
        /// Explanation, with the limit.
        message: String,
    },
    /// 429: too many attempts; retry after the given seconds.
    #[error("{message}")]
    TooManyRequests {
        /// Seconds to wait.
        retry_after_s: u64,
        /// Explanation.
        message: String,
    },
    /// 503: storage cannot write (disk full, read-only database); reads may still work.
    #[error("{0}")]
    Unavailable(String),
    /// 500: storage failed. Details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A 400 for a field or parameter.
    pub fn bad(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            code,
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 413 for a field or parameter over its limit.
    pub fn too_large(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::TooLarge {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 403 naming the field that makes the write forbidden.
    pub fn forbidden(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Forbidden {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A 422 with a single violation.
    pub fn invalid(code: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut v = Violations::default();
        v.push(code, field, message);
        AppError::Invalid(v)
    }

    /// The violations this error stands for, for per-row import reports.
    pub fn violations(&self) -> Vec<Violation> {
        let one = |code: &str, field: &str, message: String| {
            vec![Violation {
                code: code.into(),
                field: field.into(),
                message,
            }]
        };
        match self {
            AppError::Invalid(v) => v.0.clone(),
            AppError::BadRequest {
                code,
                field,
                message,
            } => one(code, field, message.clone()),
            AppError::Forbidden { field, message } => one(
                "auth.forbidden",
                field.as_deref().unwrap_or("request"),
                message.clone(),
            ),
            AppError::Conflict { field, message } => one("conflict", field, message.clone()),
            AppError::NotFound(m) => one("not_found", "path", m.clone()),
            AppError::Unauthorized(m) => one("auth.unauthorized", "Authorization", m.clone()),
            AppError::PreconditionFailed { message, .. } => {
                one("precondition_failed", "If-Match", message.clone())
            }
            AppError::TooLarge { field, message } => one("too_large", field, message.clone()),
            AppError::TooManyRequests { message, .. } => {
                one("rate_limited", "request", message.clone())
            }
            AppError::Unavailable(m) => one("unavailable", "request", m.clone()),
            AppError::Internal(_) => one("internal", "request", "internal error".into()),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { field, value } => AppError::Conflict {
                field: field.to_string(),
                message: format!("{field} '{value}' already exists"),
            },
            StoreError::NotFound { kind, id } => {
                AppError::NotFound(format!("no {kind} with id '{id}'"))
            }
            StoreError::VersionMismatch {
                kind,
                id,
                expected,
                actual,
            } => AppError::PreconditionFailed {
                current_version: actual,
                message: format!(
                    "{kind} '{id}' is at version {actual}, not {expected}: read it again and retry"
                ),
            },
            StoreError::Unwritable(detail) => AppError::Unavailable(format!(
                "the database cannot write ({detail}); nothing was changed"
            )),
            other => AppError::Internal(other.to_string()),
        }
    }
}
