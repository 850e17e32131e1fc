//! The API's error answers: every [`AppError`] becomes a 4xx/5xx with a JSON body naming the field.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
pub use wuliu_app::AppError;

/// An application error on its way to becoming an HTTP answer.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<wuliu_store::StoreError> for ApiError {
    fn from(e: wuliu_store::StoreError) -> Self {
        ApiError(e.into())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ApiError {
    /// A 400 for a field or parameter.
    pub fn bad(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError(AppError::bad(code, field, message))
    }
    /// A 422 with a single violation.
    pub fn invalid(code: &str, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError(AppError::invalid(code, field, message))
    }
    /// A 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError(AppError::NotFound(message.into()))
    }
}

/// The status and stable code of an error.
pub fn status_of(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
        AppError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "auth.unauthorized"),
        AppError::Forbidden { .. } => (StatusCode::FORBIDDEN, "auth.forbidden"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
        AppError::PreconditionFailed { .. } => {
            (StatusCode::PRECONDITION_FAILED, "precondition_failed")
        }
        AppError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
        AppError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
        AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let (status, code) = status_of(&e);
        let message = match &e {
            AppError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error; see the server log".to_string()
            }
            AppError::Unavailable(detail) => {
                tracing::error!(%detail, "storage cannot write");
                e.to_string()
            }
            other => other.to_string(),
        };
        let body =
            json!({ "error": { "code": code, "message": message, "violations": e.violations() } });
        let mut res = (status, axum::Json(body)).into_response();
        match &e {
            AppError::PreconditionFailed {
                current_version, ..
            } => {
                if let Ok(v) = HeaderValue::from_str(&format!("\"{current_version}\"")) {
                    res.headers_mut().insert(header::ETAG, v);
                }
            }
            AppError::TooManyRequests { retry_after_s, .. } => {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_s));
            }
            _ => {}
        }
        res
    }
}
