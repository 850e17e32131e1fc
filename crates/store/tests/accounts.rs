//! Account storage on SQLite and, when `WULIU_TEST_DATABASE_URL` is set, on PostgreSQL: users,
//! sessions, tokens, failed-login counts, audit entries written with each change, and the
//! migration that gives tokens of earlier versions an ID and an expiry.

use sqlx::Connection;
use wuliu_store::{
    AccountStore, AuditEntry, AuditQuery, Repository, Scope, SqlStore, StoreError, StoredSession,
    StoredToken, StoredUser,
};

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}{t}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn stamp(offset_s: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(offset_s))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

async fn on_each_backend<F, Fut>(body: F)
where
    F: Fn(SqlStore, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqlStore::open(&format!("sqlite:{}", dir.path().join("a.db").display()))
        .await
        .unwrap();
    body(sqlite, unique("R")).await;
    match std::env::var("WULIU_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let pg = SqlStore::open(&url)
                .await
                .expect("WULIU_TEST_DATABASE_URL is set but PostgreSQL cannot be opened");
            body(pg, unique("R")).await;
        }
        _ => eprintln!("postgres: SKIPPED (set WULIU_TEST_DATABASE_URL)"),
    }
}

fn entry(region: &str, action: &str) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: stamp(0),
        region: region.into(),
        actor: "test".into(),
        role: "admin".into(),
        party_id: None,
        address: None,
        request_id: None,
        action: action.into(),
        kind: None,
        record_id: None,
        version: None,
        diff: serde_json::json!({}),
    }
}

async fn actions(s: &SqlStore, region: &str) -> Vec<String> {
    s.audit(&AuditQuery {
        region: Some(region.into()),
        limit: 100,
        ..Default::default()
    })
    .await
    .unwrap()
    .into_iter()
    .map(|e| e.action)
    .collect()
}

fn user(region: &str, party: &str) -> StoredUser {
    StoredUser {
        username: unique("u").to_lowercase(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into(),
        role: "carrier".into(),
        party_id: Some(party.into()),
        region: region.into(),
        created_at: stamp(0),
        password_changed_at: stamp(0),
        disabled_at: None,
    }
}

fn session(u: &StoredUser) -> StoredSession {
    StoredSession {
        id: unique("ses_"),
        secret_hash: unique("h"),
        csrf_hash: unique("c"),
        username: u.username.clone(),
        role: u.role.clone(),
        party_id: u.party_id.clone(),
        region: u.region.clone(),
        created_at: stamp(0),
        last_seen_at: stamp(0),
        expires_at: stamp(3600),
        revoked_at: None,
        address: Some("127.0.0.1".into()),
    }
}

fn token(region: &str, party: Option<&str>, by: &str) -> StoredToken {
    StoredToken {
        token_hash: unique("th"),
        name: "ci".into(),
        role: if party.is_some() { "carrier" } else { "admin" }.into(),
        party_id: party.map(String::from),
        region: region.into(),
        created_at: stamp(0),
        id: unique("tok_"),
        expires_at: Some(stamp(86_400)),
        revoked_at: None,
        last_used_at: None,
        created_by: Some(by.into()),
    }
}

#[tokio::test]
async fn users_are_unique_and_audited_with_their_creation() {
    on_each_backend(|s, region| async move {
        let u = user(&region, "pty_a");
        s.create_user(&u, &[entry(&region, "user.create")])
            .await
            .unwrap();
        assert_eq!(s.user(&u.username).await.unwrap(), Some(u.clone()));
        assert_eq!(s.user("nobody-at-all").await.unwrap(), None);
        match s.create_user(&u, &[entry(&region, "user.create")]).await {
            Err(StoreError::Conflict {
                field: "username", ..
            }) => {}
            other => panic!("expected a username conflict, got {other:?}"),
        }
        assert_eq!(actions(&s, &region).await, vec!["user.create"]);
        assert!(s.users().await.unwrap().contains(&u));
        assert!(
            !format!("{u:?}").contains("argon2"),
            "Debug hides the password hash"
        );
    })
    .await;
}

#[tokio::test]
async fn a_new_password_or_disabling_ends_the_users_sessions() {
    on_each_backend(|s, region| async move {
        let u = user(&region, "pty_a");
        s.create_user(&u, &[]).await.unwrap();
        let (a, b) = (session(&u), session(&u));
        s.put_session(&a, &[entry(&region, "login")]).await.unwrap();
        s.put_session(&b, &[]).await.unwrap();
        assert_eq!(
            s.sessions(&Scope::Own(u.username.clone()))
                .await
                .unwrap()
                .len(),
            2
        );
        s.set_password(
            &u.username,
            "$argon2id$new",
            &[entry(&region, "user.password")],
        )
        .await
        .unwrap();
        let got = s.session(&a.secret_hash).await.unwrap().unwrap();
        assert!(got.revoked_at.is_some());
        assert!(s
            .sessions(&Scope::Own(u.username.clone()))
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.user(&u.username).await.unwrap().unwrap().password_hash,
            "$argon2id$new"
        );
        let c = session(&u);
        s.put_session(&c, &[]).await.unwrap();
        s.set_user_disabled(&u.username, Some(&stamp(0)), &[])
            .await
            .unwrap();
        assert!(s
            .session(&c.secret_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some());
        assert!(s
            .user(&u.username)
            .await
            .unwrap()
            .unwrap()
            .disabled_at
            .is_some());
        s.set_user_disabled(&u.username, None, &[]).await.unwrap();
        assert!(s
            .user(&u.username)
            .await
            .unwrap()
            .unwrap()
            .disabled_at
            .is_none());
        assert!(matches!(
            s.set_password("nobody-at-all", "x", &[]).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(actions(&s, &region).await, vec!["login", "user.password"]);
    })
    .await;
}

#[tokio::test]
async fn sessions_list_by_scope_and_revoke_once() {
    on_each_backend(|s, region| async move {
        let party = unique("pty_");
        let (u1, u2) = (user(&region, &party), user(&region, "pty_other"));
        s.create_user(&u1, &[]).await.unwrap();
        s.create_user(&u2, &[]).await.unwrap();
        let (a, b) = (session(&u1), session(&u2));
        s.put_session(&a, &[]).await.unwrap();
        s.put_session(&b, &[]).await.unwrap();
        let mut expired = session(&u1);
        expired.expires_at = stamp(-1);
        s.put_session(&expired, &[]).await.unwrap();
        let mine = s.sessions(&Scope::Party(party.clone())).await.unwrap();
        assert_eq!(
            mine.iter().map(|x| x.id.clone()).collect::<Vec<_>>(),
            vec![a.id.clone()]
        );
        let all = s.sessions(&Scope::All).await.unwrap();
        assert!(all.iter().any(|x| x.id == b.id) && !all.iter().any(|x| x.id == expired.id));
        assert!(s
            .revoke_session(&a.id, &[entry(&region, "logout")])
            .await
            .unwrap());
        assert!(!s.revoke_session(&a.id, &[]).await.unwrap(), "only once");
        assert!(s.sessions(&Scope::Party(party)).await.unwrap().is_empty());
        s.touch_session(&b.id, &stamp(5)).await.unwrap();
        let b2 = s.session_by_id(&b.id).await.unwrap().unwrap();
        assert!(b2.last_seen_at > b.last_seen_at);
        assert_eq!(actions(&s, &region).await, vec!["logout"]);
    })
    .await;
}

#[tokio::test]
async fn tokens_list_by_scope_revoke_once_and_record_use() {
    on_each_backend(|s, region| async move {
        let party = unique("pty_");
        let mine = token(&region, Some(&party), "user:a");
        let other = token(&region, Some("pty_other"), "user:b");
        s.create_token(&mine, &[entry(&region, "token.create")])
            .await
            .unwrap();
        s.create_token(&other, &[]).await.unwrap();
        assert_eq!(s.token(&mine.token_hash).await.unwrap(), Some(mine.clone()));
        assert_eq!(
            s.tokens(&Scope::Party(party.clone())).await.unwrap(),
            vec![mine.clone()]
        );
        assert_eq!(
            s.tokens(&Scope::Own("user:b".into())).await.unwrap(),
            vec![other.clone()]
        );
        s.touch_token(&mine.id, &stamp(1)).await.unwrap();
        assert!(s
            .token_by_id(&mine.id)
            .await
            .unwrap()
            .unwrap()
            .last_used_at
            .is_some());
        assert!(s
            .revoke_token(&mine.id, &[entry(&region, "token.revoke")])
            .await
            .unwrap());
        assert!(!s.revoke_token(&mine.id, &[]).await.unwrap());
        assert!(s
            .token(&mine.token_hash)
            .await
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some());
        assert_eq!(
            actions(&s, &region).await,
            vec!["token.create", "token.revoke"]
        );
    })
    .await;
}

#[tokio::test]
async fn failed_logins_are_counted_in_their_window_and_cleared() {
    on_each_backend(|s, region| async move {
        let key = unique("user:");
        let addr = unique("addr:");
        for _ in 0..3 {
            s.record_login_failure(
                &[key.clone(), addr.clone()],
                &stamp(-900),
                &[entry(&region, "login.failed")],
            )
            .await
            .unwrap();
        }
        let (n, oldest) = s.login_failures(&key, &stamp(-900)).await.unwrap();
        assert_eq!(n, 3);
        assert!(oldest.is_some());
        assert_eq!(s.login_failures(&key, &stamp(60)).await.unwrap().0, 0);
        s.clear_login_failures(&key).await.unwrap();
        assert_eq!(
            s.login_failures(&key, &stamp(-900)).await.unwrap(),
            (0, None)
        );
        assert_eq!(s.login_failures(&addr, &stamp(-900)).await.unwrap().0, 3);
        assert_eq!(actions(&s, &region).await.len(), 3);
    })
    .await;
}

/// A database at schema 4 (before accounts) with one token, as an earlier version left it.
async fn schema_4_with_a_token(url: &str, old: &[&str; 4], hash: &str) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE wuliu_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for (i, sql) in old.iter().enumerate() {
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        sqlx::raw_sql(&format!(
            "INSERT INTO wuliu_migrations VALUES ({}, 'old', '2026-01-01T00:00:00Z')",
            i + 1
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
    sqlx::raw_sql(&format!("INSERT INTO api_tokens (region, token_hash, name, role, party_id, created_at) VALUES ('450200', '{hash}', 'old', 'admin', NULL, '2026-01-01T00:00:00+00:00')"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
}

async fn existing_token_survives(url: &str) {
    let hash = "ab".repeat(32);
    let store = SqlStore::open(url).await.unwrap();
    let t = store
        .token(&hash)
        .await
        .unwrap()
        .expect("the old token is kept");
    assert_eq!(t.id, format!("tok_{}", &hash[..16]));
    assert_eq!(t.revoked_at, None);
    let expires = chrono::DateTime::parse_from_rfc3339(t.expires_at.as_deref().unwrap())
        .expect("RFC 3339 expiry");
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours() as f64 / 24.0;
    assert!((89.9..=90.1).contains(&days), "expires in {days} days");
    assert_eq!(store.token_by_id(&t.id).await.unwrap(), Some(t));
}

#[tokio::test]
async fn tokens_from_before_accounts_get_an_id_and_90_days() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let old = [
        include_str!("../migrations/sqlite/0001_init.sql"),
        include_str!("../migrations/sqlite/0002_dispatch_plans.sql"),
        include_str!("../migrations/sqlite/0003_loads_pickup_start.sql"),
        include_str!("../migrations/sqlite/0004_audit.sql"),
    ];
    schema_4_with_a_token(&url, &old, &"ab".repeat(32)).await;
    existing_token_survives(&format!("sqlite:{}", dir.path().join("old.db").display())).await;

    // PostgreSQL: in a database of its own, made next to the test database.
    let Ok(base) = std::env::var("WULIU_TEST_DATABASE_URL") else {
        eprintln!("postgres: SKIPPED (set WULIU_TEST_DATABASE_URL)");
        return;
    };
    let name = unique("wuliu_mig_").to_lowercase();
    let mut admin = sqlx::AnyConnection::connect(&base).await.unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (root, _) = base.rsplit_once('/').unwrap();
    let url = format!("{root}/{name}");
    let old = [
        include_str!("../migrations/postgres/0001_init.sql"),
        include_str!("../migrations/postgres/0002_dispatch_plans.sql"),
        include_str!("../migrations/postgres/0003_loads_pickup_start.sql"),
        include_str!("../migrations/postgres/0004_audit.sql"),
    ];
    schema_4_with_a_token(&url, &old, &"ab".repeat(32)).await;
    existing_token_survives(&url).await;
    sqlx::raw_sql(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
}
