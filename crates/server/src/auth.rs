//! Who is calling: the [`Caller`] extractor reads a bearer token (API clients) or, without one, the
//! browser session cookie (writes on a session must carry its `X-CSRF-Token`), and fills in the
//! client address and request ID for the audit trail. Expiry, revocation and the CSRF check are
//! [`wuliu_app::accounts`]' rules; roles and their rights live in [`wuliu_app::caller`] and
//! [`wuliu_app::rules`].

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use wuliu_store::StoredToken;

pub use wuliu_app::caller::{hash_token, new_secret, Caller, Role};

use crate::error::{ApiError, AppError};
use crate::AppState;

/// Generates a new secret token (`wl_` + 64 hex characters) and the record to store for it,
/// valid for [`wuliu_app::accounts::Policy`]'s default 90 days. The CLI and HTTP create tokens
/// through [`wuliu_app::accounts::Accounts::create_token`], which also checks the party and
/// audits; this is for tests and tools that store a token directly.
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
        id: new_secret("tok_")[..20].to_string(),
        expires_at: Some((chrono::Utc::now() + chrono::Duration::days(90)).to_rfc3339()),
        revoked_at: None,
        last_used_at: None,
        created_by: None,
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
        let origin = wuliu_app::accounts::Origin {
            address: client_address(parts),
            request_id: request_id(parts),
        };
        // An explicit bearer token wins over a cookie, and a bad one is not retried as a cookie.
        let caller = if let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let token = header
                .to_str()
                .ok()
                .and_then(|h| h.strip_prefix("Bearer "))
                .ok_or_else(|| unauthorized("Authorization header must be 'Bearer <token>'"))?;
            state
                .accounts
                .authenticate_token(token.trim(), &origin)
                .await?
        } else if let Some(secret) = crate::accounts::session_cookie(&parts.headers) {
            let write = !matches!(
                parts.method,
                axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
            );
            let csrf = parts
                .headers
                .get(wuliu_app::accounts::CSRF_HEADER)
                .and_then(|v| v.to_str().ok());
            state
                .accounts
                .authenticate_session(&secret, csrf, write, &origin)
                .await?
        } else {
            return Err(unauthorized(
                "missing 'Authorization: Bearer <token>' header or session cookie (POST /api/v1/login)",
            ));
        };
        Ok(caller)
    }
}
