//! Accounts over HTTP: password login, session cookies and CSRF, login throttling, token and
//! session lifecycles, and who may see and revoke what. Each attack is a test of its own.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use common::{Api, Reply};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_app::accounts::Policy;
use wuliu_server::{app, auth, AppState, Role};
use wuliu_store::AuditQuery;

const PASSWORD: &str = "correct horse battery staple";

/// A request with only the given headers (no bearer token unless one is among them).
async fn raw(
    api: &Api,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    raw_from(api, None, method, uri, headers, body).await
}

/// Like [`raw`], from client address `from`.
async fn raw_from(
    api: &Api,
    from: Option<&str>,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if body.is_some() && !headers.iter().any(|(k, _)| *k == "content-type") {
        req = req.header("content-type", "application/json");
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = req.body(Body::from(body)).unwrap();
    if let Some(ip) = from {
        let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    let res = api.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).to_string(),
    }
}

/// A logged-in browser: its cookie header and CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
    login: Value,
    set_cookie: String,
}

impl Browser {
    fn cookie(&self) -> (&str, &str) {
        ("cookie", &self.cookie)
    }
    fn csrf(&self) -> (&str, &str) {
        ("x-csrf-token", &self.csrf)
    }
}

async fn login(api: &Api, username: &str, password: &str) -> Reply {
    raw(
        api,
        "POST",
        "/api/v1/login",
        &[],
        Some(json!({"username": username, "password": password})),
    )
    .await
}

async fn browser(api: &Api, username: &str) -> Browser {
    let r = login(api, username, PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let set_cookie = r.headers["set-cookie"].to_str().unwrap().to_string();
    let pair = set_cookie.split(';').next().unwrap().to_string();
    let login = r.json();
    Browser {
        cookie: pair,
        csrf: login["csrf_token"].as_str().unwrap().to_string(),
        login,
        set_cookie,
    }
}

/// Creates a user through the admin API.
async fn user(api: &Api, admin: &str, name: &str, role: &str, party: Option<&str>) -> Reply {
    api.post(
        "/api/v1/users",
        admin,
        json!({"username": name, "password": PASSWORD, "role": role, "party_id": party}),
    )
    .await
}

struct World {
    api: Api,
    admin: String,
    shipper: String,
    carrier: String,
    other_carrier: String,
}

async fn world() -> World {
    world_with(None).await
}

async fn world_with(policy: Option<Policy>) -> World {
    let mut api = Api::new().await;
    if let Some(p) = policy {
        api.router = app(AppState::new(api.repo.clone()).with_account_policy(p));
    }
    let admin = api.token(Role::Admin, None, "450200").await;
    let shipper = api.party(&admin, "S1", 11, &["shipper"]).await;
    let carrier = api.party(&admin, "C1", 12, &["carrier"]).await;
    let other_carrier = api.party(&admin, "C2", 13, &["carrier"]).await;
    World {
        api,
        admin,
        shipper,
        carrier,
        other_carrier,
    }
}

async fn actions(api: &Api) -> Vec<String> {
    api.repo
        .audit(&AuditQuery {
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn login_sets_an_httponly_samesite_strict_cookie_and_returns_a_csrf_token() {
    let w = world().await;
    let r = user(&w.api, &w.admin, "Wei.Carrier", "carrier", Some(&w.carrier)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["username"], "wei.carrier", "names are lower-cased");
    assert!(!r.text.contains("argon2"), "no hash in answers: {}", r.text);

    let b = browser(&w.api, "wei.carrier").await;
    let c = &b.set_cookie;
    assert!(c.starts_with("wuliu_session=ws_"), "{c}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(c.contains(attr), "{attr} missing: {c}");
    }
    assert!(!c.contains("Secure"), "plain HTTP gets no Secure: {c}");
    assert_eq!(b.login["user"], "wei.carrier");
    assert_eq!(b.login["role"], "carrier");
    assert_eq!(b.login["party_id"], w.carrier.as_str());
    assert!(b.login["expires_at"].is_string());
    assert!(b.csrf.starts_with("wc_"));
    let secret = b.cookie.split_once('=').unwrap().1;
    assert!(
        !b.login.to_string().contains(secret),
        "the session secret is only in the cookie"
    );

    // A cross-site form can only post text/plain: no login from it (login CSRF).
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/login",
        &[("content-type", "text/plain")],
        Some(json!({"username": "wei.carrier", "password": PASSWORD})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let me = raw(&w.api, "GET", "/api/v1/me", &[b.cookie()], None).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.json()["party_id"], w.carrier.as_str());

    // Behind a TLS-terminating proxy the cookie is Secure.
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/login",
        &[("x-forwarded-proto", "https")],
        Some(json!({"username": "wei.carrier", "password": PASSWORD})),
    )
    .await;
    assert!(r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
    // And with the flag set, always.
    let mut api = w.api;
    api.router = app(AppState::new(api.repo.clone()).with_account_policy(Policy {
        secure_cookies: true,
        ..Policy::default()
    }));
    let r = login(&api, "wei.carrier", PASSWORD).await;
    assert!(r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let w = world().await;
    user(&w.api, &w.admin, "ops", "admin", None).await;
    let wrong = login(&w.api, "ops", "not the password at all").await;
    let unknown = login(&w.api, "nobody", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["error"], unknown.json()["error"]);
    assert!(wrong.headers.get("set-cookie").is_none());
    let acts = actions(&w.api).await;
    assert_eq!(acts.iter().filter(|a| *a == "login.failed").count(), 2);
}

#[tokio::test]
async fn sixth_attempt_after_five_failures_gets_429_with_retry_after() {
    let w = world().await;
    user(&w.api, &w.admin, "ops", "admin", None).await;
    for i in 0..5 {
        let r = login(&w.api, "ops", &format!("guess number {i}")).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "attempt {i}: {}",
            r.text
        );
    }
    // Even the right password is refused now: a locked-out name cannot be guessed at.
    let r = login(&w.api, "OPS", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((800..=901).contains(&retry), "about 15 min: {retry}");
    assert!(actions(&w.api).await.contains(&"login.refused".to_string()));
    // Another user is not affected.
    user(&w.api, &w.admin, "ops2", "admin", None).await;
    assert_eq!(login(&w.api, "ops2", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn one_address_guessing_many_names_is_throttled() {
    let w = world().await;
    user(&w.api, &w.admin, "victim", "admin", None).await;
    let attempt = |name: String, ip: &'static str, pw: &'static str| {
        let api = &w.api;
        async move {
            raw_from(
                api,
                Some(ip),
                "POST",
                "/api/v1/login",
                &[],
                Some(json!({"username": name, "password": pw})),
            )
            .await
        }
    };
    for i in 0..20 {
        let r = attempt(format!("name{i}"), "203.0.113.7", "wrong password!").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = attempt("victim".into(), "203.0.113.7", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert!(r.headers.contains_key("retry-after"));
    let r = attempt("victim".into(), "198.51.100.2", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "another address may log in");
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token() {
    let w = world().await;
    user(&w.api, &w.admin, "boss", "admin", None).await;
    let b = browser(&w.api, "boss").await;
    let party = json!({"external_id": "S9", "name": "柳州S9物流有限公司", "roles": ["shipper"],
        "credit_code": common::credit_code(19), "division_code": "450204"});
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/parties",
        &[b.cookie()],
        Some(party.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.violation_fields(), vec!["X-CSRF-Token"]);
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/parties",
        &[b.cookie(), ("x-csrf-token", "wc_forged")],
        Some(party.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // Another session's CSRF token is no good either.
    let other = browser(&w.api, "boss").await;
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/parties",
        &[b.cookie(), other.csrf()],
        Some(party.clone()),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/parties",
        &[b.cookie(), b.csrf()],
        Some(party),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Reads need no CSRF token; the write's audit entry names the user.
    let r = raw(&w.api, "GET", "/api/v1/parties", &[b.cookie()], None).await;
    assert_eq!(r.status, StatusCode::OK);
    let entries = w
        .api
        .repo
        .audit(&AuditQuery {
            actor: Some("user:boss".into()),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "create"), "{entries:?}");
}

#[tokio::test]
async fn bearer_writes_need_no_csrf_token() {
    let w = world().await;
    let r = w
        .api
        .post(
            "/api/v1/tokens",
            &w.admin,
            json!({"name": "bot", "role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let w = world().await;
    user(&w.api, &w.admin, "boss", "admin", None).await;
    let b = browser(&w.api, "boss").await;
    let r = raw(&w.api, "POST", "/api/v1/logout", &[b.cookie()], None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "logout is a write: CSRF");
    let r = raw(
        &w.api,
        "POST",
        "/api/v1/logout",
        &[b.cookie(), b.csrf()],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert!(r.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let r = raw(&w.api, "GET", "/api/v1/me", &[b.cookie()], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(actions(&w.api).await.contains(&"logout".to_string()));
}

#[tokio::test]
async fn expired_sessions_are_refused() {
    for policy in [
        Policy {
            session_absolute: chrono::Duration::zero(),
            ..Policy::default()
        },
        Policy {
            session_idle: chrono::Duration::zero(),
            ..Policy::default()
        },
    ] {
        let w = world_with(Some(policy)).await;
        user(&w.api, &w.admin, "boss", "admin", None).await;
        let b = browser(&w.api, "boss").await;
        let r = raw(&w.api, "GET", "/api/v1/me", &[b.cookie()], None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    }
}

#[tokio::test]
async fn expired_token_is_401() {
    let w = world().await;
    let (secret, mut stored) = auth::new_token("old", Role::Admin, None, "450200");
    stored.expires_at = Some("2020-01-01T00:00:00Z".into());
    w.api.repo.put_token(&stored).await.unwrap();
    let r = w.api.get("/api/v1/me", &secret).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    assert!(r.text.contains("expired"), "{}", r.text);
    let list = w.api.get("/api/v1/tokens", &w.admin).await.json();
    let old = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "old")
        .unwrap()
        .clone();
    assert_eq!(old["status"], "expired");
}

#[tokio::test]
async fn revoked_token_is_401() {
    let w = world().await;
    let r = w
        .api
        .post(
            "/api/v1/tokens",
            &w.admin,
            json!({"name": "ci", "role": "carrier", "party_id": w.carrier, "expires_days": 7}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.json();
    let secret = created["token"].as_str().unwrap().to_string();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        w.api.get("/api/v1/me", &secret).await.status,
        StatusCode::OK
    );
    let r = w
        .api
        .call(
            "DELETE",
            &format!("/api/v1/tokens/{id}"),
            &w.admin,
            "application/json",
            String::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "revoked");
    let r = w.api.get("/api/v1/me", &secret).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
    let acts = actions(&w.api).await;
    assert!(acts.contains(&"token.create".to_string()), "{acts:?}");
    assert!(acts.contains(&"token.revoke".to_string()), "{acts:?}");
}

#[tokio::test]
async fn token_list_never_shows_secrets() {
    let w = world().await;
    let r = w
        .api
        .post("/api/v1/tokens", &w.admin, json!({"name": "ci"}))
        .await;
    let secret = r.json()["token"].as_str().unwrap().to_string();
    let list = w.api.get("/api/v1/tokens", &w.admin).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.text.contains(&secret));
    assert!(!list.text.contains(&auth::hash_token(&secret)));
    assert!(!list.text.contains(&auth::hash_token(&w.admin)));
    for t in list.json()["tokens"].as_array().unwrap() {
        assert!(
            t.get("token").is_none() && t.get("token_hash").is_none(),
            "{t}"
        );
        assert!(t["id"].as_str().unwrap().starts_with("tok_"));
    }
}

#[tokio::test]
async fn a_carrier_cannot_list_or_revoke_another_partys_tokens() {
    let w = world().await;
    let mine = w.api.token(Role::Carrier, Some(&w.carrier), "450200").await;
    let theirs = w
        .api
        .token(Role::Carrier, Some(&w.other_carrier), "450200")
        .await;
    let list = w.api.get("/api/v1/tokens", &mine).await.json();
    let listed = list["tokens"].as_array().unwrap();
    assert_eq!(listed.len(), 1, "{list}");
    assert_eq!(listed[0]["party_id"], w.carrier.as_str());
    let all = w.api.get("/api/v1/tokens", &theirs).await.json();
    let their_id = all["tokens"][0]["id"].as_str().unwrap().to_string();
    let r = w
        .api
        .call(
            "DELETE",
            &format!("/api/v1/tokens/{their_id}"),
            &mine,
            "application/json",
            String::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert_eq!(
        w.api.get("/api/v1/me", &theirs).await.status,
        StatusCode::OK
    );
    // Nor mint a token for another party or role.
    let r = w
        .api
        .post(
            "/api/v1/tokens",
            &mine,
            json!({"name": "x", "party_id": w.other_carrier}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = w
        .api
        .post(
            "/api/v1/tokens",
            &mine,
            json!({"name": "x", "role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // A carrier may revoke its own party's token.
    let my_id = listed[0]["id"].as_str().unwrap();
    let r = w
        .api
        .call(
            "DELETE",
            &format!("/api/v1/tokens/{my_id}"),
            &mine,
            "application/json",
            String::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_within_scope() {
    let w = world().await;
    user(&w.api, &w.admin, "c1", "carrier", Some(&w.carrier)).await;
    user(&w.api, &w.admin, "c2", "carrier", Some(&w.other_carrier)).await;
    let b1 = browser(&w.api, "c1").await;
    let b2 = browser(&w.api, "c2").await;
    let list = raw(&w.api, "GET", "/api/v1/sessions", &[b1.cookie()], None)
        .await
        .json();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{list}");
    assert_eq!(sessions[0]["username"], "c1");
    let other_id = b2.login["session_id"].as_str().unwrap();
    let r = raw(
        &w.api,
        "DELETE",
        &format!("/api/v1/sessions/{other_id}"),
        &[b1.cookie(), b1.csrf()],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    // An admin sees both and ends c2's.
    let all = w.api.get("/api/v1/sessions", &w.admin).await.json();
    assert_eq!(all["sessions"].as_array().unwrap().len(), 2, "{all}");
    let r = w
        .api
        .call(
            "DELETE",
            &format!("/api/v1/sessions/{other_id}"),
            &w.admin,
            "application/json",
            String::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let r = raw(&w.api, "GET", "/api/v1/me", &[b2.cookie()], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = raw(&w.api, "GET", "/api/v1/me", &[b1.cookie()], None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn disabling_a_user_or_changing_the_password_ends_its_sessions() {
    let w = world().await;
    user(&w.api, &w.admin, "c1", "carrier", Some(&w.carrier)).await;
    let b = browser(&w.api, "c1").await;
    let accounts = wuliu_app::accounts::Accounts::new(w.api.repo.clone(), Policy::default());
    let cli = wuliu_app::Caller::system("450200", "cli");
    accounts
        .set_password(&cli, "c1", "a brand new password".into())
        .await
        .unwrap();
    let r = raw(&w.api, "GET", "/api/v1/me", &[b.cookie()], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        login(&w.api, "c1", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = login(&w.api, "c1", "a brand new password").await;
    assert_eq!(r.status, StatusCode::OK);
    accounts.set_disabled(&cli, "c1", true).await.unwrap();
    let r = login(&w.api, "c1", "a brand new password").await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "disabled users cannot log in"
    );
}

#[tokio::test]
async fn user_creation_for_a_party_lacking_the_role_is_refused() {
    let w = world().await;
    let r = user(&w.api, &w.admin, "fake", "carrier", Some(&w.shipper)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.violation_fields(), vec!["party_id"]);
    assert!(r.text.contains("account.party_role"), "{}", r.text);
    let r = user(&w.api, &w.admin, "fake", "carrier", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = user(&w.api, &w.admin, "fake", "carrier", Some("pty_nope")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = user(&w.api, &w.admin, "fake", "admin", Some(&w.carrier)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // Same rule for tokens.
    let r = w
        .api
        .post(
            "/api/v1/tokens",
            &w.admin,
            json!({"name": "x", "role": "carrier", "party_id": w.shipper}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    // Only admins create users; names are unique; passwords are long enough.
    let carrier = w.api.token(Role::Carrier, Some(&w.carrier), "450200").await;
    let r = user(&w.api, &carrier, "mine", "carrier", Some(&w.carrier)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = user(&w.api, &w.admin, "real", "carrier", Some(&w.carrier)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = user(&w.api, &w.admin, "REAL", "carrier", Some(&w.carrier)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    let r = w
        .api
        .post(
            "/api/v1/users",
            &w.admin,
            json!({"username": "short", "password": "2short", "role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(actions(&w.api).await.contains(&"user.create".to_string()));
}
