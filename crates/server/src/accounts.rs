//! HTTP for accounts: password login and logout (a browser session in an `HttpOnly`,
//! `SameSite=Strict` cookie plus a CSRF token for writes), and listing and revoking tokens and
//! sessions. The rules are [`wuliu_app::accounts`]'; these handlers only translate.
//!
//! | endpoint | who | what |
//! |---|---|---|
//! | `POST /api/v1/login` | anyone | `{username, password}` → session cookie and `{user, role, party_id, region, csrf_token, expires_at, session_id}` |
//! | `POST /api/v1/logout` | a session | ends it and clears the cookie |
//! | `GET /api/v1/tokens` | any caller | tokens it may see (admins all, shippers and carriers their party's), never secrets |
//! | `POST /api/v1/tokens` | admin, shipper, carrier | `{name, role?, party_id?, expires_days?}` → `{token, …}`; the secret is shown once |
//! | `DELETE /api/v1/tokens/{id}` | any caller | revokes a token it may see |
//! | `GET /api/v1/sessions`, `DELETE /api/v1/sessions/{id}` | any caller | the same for live sessions |
//! | `GET /api/v1/users`, `POST /api/v1/users` | admin | users; `{username, password, role, party_id?, region?}` |

use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_app::accounts::{NewToken, NewUser, Origin, SESSION_COOKIE};

use crate::auth::{client_address, request_id, Caller, Role};
use crate::engines::parse_request;
use crate::error::{ApiError, AppError};
use crate::AppState;

/// The account routes, merged into [`crate::app`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/login", post(login))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", delete(revoke_token))
        .route("/api/v1/sessions", get(list_sessions))
        .route("/api/v1/sessions/{id}", delete(revoke_session))
        .route("/api/v1/users", get(list_users).post(create_user))
}

/// The value of the session cookie, if the request has one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Whether the request reached the platform over HTTPS (directly or through a proxy that says so).
fn came_over_https(parts: &Parts) -> bool {
    let header_says = |name: &str, needle: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains(needle))
    };
    parts.uri.scheme_str() == Some("https")
        || header_says("x-forwarded-proto", "https")
        || header_says("forwarded", "proto=https")
}

/// The `Set-Cookie` value for a session secret (`max_age_s` 0 clears it).
fn cookie(value: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .expect("session secrets are hex")
}

fn origin(parts: &Parts) -> Origin {
    Origin {
        address: client_address(parts),
        request_id: request_id(parts),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
}

/// `POST /api/v1/login`
async fn login(State(state): State<AppState>, parts: Parts, body: String) -> Response {
    let result = async {
        // A cross-site form can post text/plain but not application/json (that needs a CORS
        // preflight), so insisting on JSON keeps other sites from logging a browser in to an
        // account of theirs (login CSRF).
        let json = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if !json {
            return Err(ApiError::bad(
                "auth.login_content_type",
                "Content-Type",
                "log in with a JSON body (Content-Type: application/json)",
            ));
        }
        let b: LoginBody = parse_request(&body)?;
        let login = state
            .accounts
            .login(&b.username, &b.password, &origin(&parts))
            .await?;
        let policy = state.accounts.policy();
        let secure = policy.secure_cookies || came_over_https(&parts);
        let body = json!({
            "user": login.user.username, "role": login.user.role, "party_id": login.user.party_id,
            "region": login.user.region, "csrf_token": login.csrf_token,
            "expires_at": login.session.expires_at, "session_id": login.session.id,
        });
        let mut res = (StatusCode::OK, Json(body)).into_response();
        let headers = res.headers_mut();
        headers.insert(
            header::SET_COOKIE,
            cookie(&login.secret, policy.session_absolute.num_seconds(), secure),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok::<_, ApiError>(res)
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /api/v1/logout`: the caller extractor has already checked the session and its CSRF token.
async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if headers.contains_key(header::AUTHORIZATION) {
        return Err(ApiError::bad(
            "auth.not_a_session",
            "Authorization",
            "logout ends a browser session; revoke a token with DELETE /api/v1/tokens/{id}",
        ));
    }
    if let Some(secret) = session_cookie(&headers) {
        state.accounts.logout(&caller, &secret).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        cookie("", 0, state.accounts.policy().secure_cookies),
    );
    Ok(res)
}

/// `GET /api/v1/tokens`
async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let tokens = state.accounts.tokens(&caller).await?;
    Ok(Json(json!({ "tokens": tokens })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    name: String,
    role: Option<Role>,
    party_id: Option<String>,
    region: Option<String>,
    expires_days: Option<i64>,
}

/// `POST /api/v1/tokens`: role, party and region default to the caller's.
async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<Response, ApiError> {
    let b: TokenBody = parse_request(&body)?;
    let role = b.role.unwrap_or(caller.role);
    let party_id = match b.party_id {
        Some(p) => Some(p),
        None if role == caller.role => caller.party_id.clone(),
        None => None,
    };
    let new = NewToken {
        name: b.name,
        role,
        party_id,
        region: b.region.unwrap_or_else(|| caller.region.clone()),
        expires_days: b.expires_days,
    };
    let (secret, view) = state.accounts.create_token(&caller, new).await?;
    let mut body = serde_json::to_value(&view).map_err(|e| AppError::Internal(e.to_string()))?;
    body["token"] = Value::String(secret);
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `DELETE /api/v1/tokens/{id}`
async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = state.accounts.revoke_token(&caller, &id).await?;
    Ok(Json(
        serde_json::to_value(view).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

/// `GET /api/v1/sessions`
async fn list_sessions(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let sessions = state.accounts.sessions(&caller).await?;
    Ok(Json(json!({ "sessions": sessions })))
}

/// `DELETE /api/v1/sessions/{id}`
async fn revoke_session(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.accounts.revoke_session(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/users`
async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    let users = state.accounts.users(&caller).await?;
    Ok(Json(json!({ "users": users })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserBody {
    username: String,
    password: String,
    role: Role,
    party_id: Option<String>,
    region: Option<String>,
}

/// `POST /api/v1/users`
async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<Response, ApiError> {
    let b: UserBody = parse_request(&body)?;
    let new = NewUser {
        username: b.username,
        password: b.password,
        role: b.role,
        party_id: b.party_id,
        region: b.region.unwrap_or_else(|| caller.region.clone()),
    };
    let view = state.accounts.create_user(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}
