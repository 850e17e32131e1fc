//! Who is calling: the [`Caller`] extractor reads a bearer token (API clients) and fills in the
//! client address and request ID for the audit trail. Roles and their rights live in
//! [`wuliu_app::caller`] and [`wuliu_app::rules`].

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use wuliu_store::StoredToken;

pub use wuliu_app::caller::{hash_token, new_secret, Caller, Role};

use crate::error::{ApiError, AppError};
use crate::AppState;

/// Generates a new secret token (`wl_` + 64 hex characters) and the record to store for it.
pub fn new_token(
    name: &str,
    role: Role,
    party_id: Option<String>,
    region: &str,
) -> (String, StoredToken) {
    let secret = new_secret("wl_");
    let stored = StoredToken {
        token_hash: hash_token(&secret),
        name: name.to_string(),
        role: role.name().to_string(),
        party_id,
        region: region.to_string(),
        created_at: chrono::Utc::now().to_rfc3339(),
    };
    (secret, stored)
}

/// The request's ID: the `x-request-id` the client sent or the one the server's middleware set.
pub fn request_id(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(String::from)
}

/// The client's address, when the server was started with connection info.
pub fn client_address(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = |m: &str| ApiError(AppError::Unauthorized(m.into()));
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| unauthorized("missing 'Authorization: Bearer <token>' header"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| unauthorized("Authorization header must be 'Bearer <token>'"))?;
        let stored = state
            .repo
            .token(&hash_token(token.trim()))
            .await?
            .ok_or_else(|| unauthorized("unknown token"))?;
        let role = Role::parse(&stored.role).ok_or_else(|| {
            ApiError(AppError::Internal(format!("stored role '{}'", stored.role)))
        })?;
        let mut caller = Caller::new(
            role,
            stored.party_id,
            &stored.region,
            &format!("token:{}", stored.name),
        );
        caller.address = client_address(parts);
        caller.request_id = request_id(parts);
        Ok(caller)
    }
}
