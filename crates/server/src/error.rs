//! The API's one error type: every failure becomes a 4xx/5xx with a JSON body naming the field.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use wuliu_model::{Violation, Violations};
use wuliu_store::StoreError;

/// An error as the API reports it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
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
    /// 500: storage failed. Details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 for a field or parameter.
    pub fn bad(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            field: field.into(),
            message: message.into(),
        }
    }

    /// A 422 with a single violation.
    pub fn invalid(code: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut v = Violations::default();
        v.push(code, field, message);
        ApiError::Invalid(v)
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
            ApiError::Invalid(v) => v.0.clone(),
            ApiError::BadRequest {
                code,
                field,
                message,
            } => one(code, field, message.clone()),
            ApiError::Forbidden { field, message } => one(
                "auth.forbidden",
                field.as_deref().unwrap_or(""),
                message.clone(),
            ),
            ApiError::Conflict { field, message } => one("conflict", field, message.clone()),
            ApiError::NotFound(m) => one("not_found", "", m.clone()),
            ApiError::Unauthorized(m) => one("auth.unauthorized", "", m.clone()),
            ApiError::Internal(_) => one("internal", "", "internal error".into()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { field, value } => ApiError::Conflict {
                field: field.to_string(),
                message: format!("{field} '{value}' already exists"),
            },
            StoreError::NotFound { kind, id } => {
                ApiError::NotFound(format!("no {kind} with id '{id}'"))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, *code),
            ApiError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "auth.unauthorized"),
            ApiError::Forbidden { .. } => (StatusCode::FORBIDDEN, "auth.forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let message = match &self {
            ApiError::Internal(_) => "internal error; see the server log".to_string(),
            other => other.to_string(),
        };
        let body = json!({ "error": { "code": code, "message": message, "violations": self.violations() } });
        (status, axum::Json(body)).into_response()
    }
}
