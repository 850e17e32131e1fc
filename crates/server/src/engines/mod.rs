//! HTTP front ends of the engines. Engines are synchronous libraries; their work runs on the blocking
//! thread pool so it never stalls the async runtime.

pub mod dispatch;
pub mod ledger;
pub mod loading;
pub mod matching;
pub mod road;

use serde::de::DeserializeOwned;

use crate::error::{ApiError, AppError};

/// Parses a JSON body into an engine request, naming the field of any type error.
pub fn parse_request<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_str(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad(
                "json.malformed",
                "body",
                format!("body is not valid JSON: {inner}"),
            )
        } else {
            ApiError::invalid(
                "invalid_value",
                if field == "." {
                    "body".to_string()
                } else {
                    field
                },
                inner.to_string(),
            )
        }
    })
}

/// Reads a time budget in seconds from `?time=`, bounded to keep requests reasonable.
pub fn time_budget(params: &[(String, String)], default: f64, max: f64) -> Result<f64, ApiError> {
    match params.iter().find(|(k, _)| k == "time") {
        None => Ok(default),
        Some((_, v)) => v
            .trim_end_matches('s')
            .parse::<f64>()
            .ok()
            .filter(|t| *t > 0.0 && *t <= max)
            .ok_or_else(|| {
                ApiError::bad(
                    "param.invalid",
                    "time",
                    format!("time must be seconds in (0, {max}]"),
                )
            }),
    }
}

/// Runs CPU-heavy engine work off the async runtime.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError(AppError::Internal(format!("engine task failed: {e}"))))
}
