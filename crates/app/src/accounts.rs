//! Accounts: users who log in with a password, their browser sessions, and the lifecycle of API
//! tokens. Every transport authenticates through [`Accounts`], and the CLI and HTTP share its rules.
//!
//! The rules:
//!
//! - **Users** have a unique lower-case name (`[a-z0-9._-]`, at most 64 characters), a password of
//!   12 to 256 characters kept as an argon2id PHC string, a role, and a region. A shipper or
//!   carrier names a party of its region whose `roles` include its role ([`check_party`], the same
//!   rule for tokens); an admin or regulator names none.
//! - **Logins** ([`Accounts::login`]) answer "wrong username or password" alike for an unknown
//!   user, a disabled user and a wrong password, and verify against a dummy hash when there is no
//!   user, so the answer takes about as long. After [`Policy::user_failures`] failures for one
//!   username, or [`Policy::address_failures`] from one address, within
//!   [`Policy::failure_window`], further attempts get [`AppError::TooManyRequests`] (checked before
//!   the password, so a locked-out name cannot be guessed at) until the oldest failure leaves the
//!   window. A success forgets the username's failures, not the address's.
//! - **Sessions** have a random secret (the cookie) and a CSRF token; only their SHA-256 is
//!   stored. A session ends at logout, on revocation, when the user is disabled or gets a new
//!   password, after [`Policy::session_idle`] without a request, and [`Policy::session_absolute`]
//!   after login, whichever comes first. Writes (any method but GET, HEAD and OPTIONS) on a
//!   session must carry the CSRF token; bearer tokens need none.
//! - **Tokens** expire ([`Policy::token_days`] by default, at most [`MAX_TOKEN_DAYS`]), can be
//!   listed (never the secret) and revoked. Admins see and revoke every token and session;
//!   shippers and carriers those of their own party; regulators only their own.
//! - Every login, failed or refused login, logout, and every creation or revocation of a user,
//!   password, session or token is in the audit trail, written with the change.

use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, RngCore};
use serde::Serialize;
use serde_json::json;
use wuliu_store::{
    AuditEntry, Kind, Repository, Scope, StoreError, StoredSession, StoredToken, StoredUser,
};

use crate::audit;
use crate::caller::{hash_token, new_secret, Caller, Role};
use crate::error::AppError;

/// Name of the browser session cookie.
pub const SESSION_COOKIE: &str = "wuliu_session";
/// Header that carries the session's CSRF token on cookie-authenticated writes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Longest lifetime a token may be given, in days.
pub const MAX_TOKEN_DAYS: i64 = 366;
/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, in characters (bounds the hashing work per attempt).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// How often at most a session's `last_seen_at` is written.
const SESSION_TOUCH_EVERY: i64 = 60;
/// How often at most a token's `last_used_at` is written.
const TOKEN_TOUCH_EVERY: i64 = 300;

/// The account rules' numbers. [`Policy::default`] gives the values documented on each field.
#[derive(Debug, Clone)]
pub struct Policy {
    /// A session ends after this long without a request (default 2 hours).
    pub session_idle: Duration,
    /// A session ends this long after login whatever happens (default 12 hours).
    pub session_absolute: Duration,
    /// Lifetime of a new token when none is asked for (default 90 days).
    pub token_days: i64,
    /// Failed logins per username within the window before further attempts are refused (5).
    pub user_failures: u32,
    /// Failed logins per client address within the window before further attempts are refused
    /// (20: offices share addresses).
    pub address_failures: u32,
    /// The window failures are counted over (default 15 minutes).
    pub failure_window: Duration,
    /// Whether session cookies always get `Secure` (set it behind a TLS-terminating proxy that
    /// does not send `X-Forwarded-Proto`); they get it anyway on requests that came over HTTPS.
    pub secure_cookies: bool,
    /// The region audit entries of unknown users go to (the server's home region).
    pub region: String,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session_idle: Duration::hours(2),
            session_absolute: Duration::hours(12),
            token_days: 90,
            user_failures: 5,
            address_failures: 20,
            failure_window: Duration::minutes(15),
            secure_cookies: false,
            region: "450200".into(),
        }
    }
}

/// A user as the API shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserView {
    /// Login name.
    pub username: String,
    /// Role.
    pub role: String,
    /// Party, for shippers and carriers.
    pub party_id: Option<String>,
    /// Region.
    pub region: String,
    /// Creation time.
    pub created_at: String,
    /// When the password was last set.
    pub password_changed_at: String,
    /// Whether the user is disabled.
    pub disabled: bool,
}

impl From<&StoredUser> for UserView {
    fn from(u: &StoredUser) -> Self {
        UserView {
            username: u.username.clone(),
            role: u.role.clone(),
            party_id: u.party_id.clone(),
            region: u.region.clone(),
            created_at: u.created_at.clone(),
            password_changed_at: u.password_changed_at.clone(),
            disabled: u.disabled_at.is_some(),
        }
    }
}

/// A token as listings show it (never the secret nor its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    /// Public ID, for revoking.
    pub id: String,
    /// Label.
    pub name: String,
    /// Role.
    pub role: String,
    /// Party, for shippers and carriers.
    pub party_id: Option<String>,
    /// Region.
    pub region: String,
    /// Creation time.
    pub created_at: String,
    /// Who created it.
    pub created_by: Option<String>,
    /// When it stops working.
    pub expires_at: Option<String>,
    /// When it was revoked.
    pub revoked_at: Option<String>,
    /// When it last authenticated a request (to within five minutes).
    pub last_used_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub status: &'static str,
}

impl TokenView {
    fn of(t: &StoredToken, now: DateTime<Utc>) -> Self {
        let status = if t.revoked_at.is_some() {
            "revoked"
        } else if !before(now, t.expires_at.as_deref()) {
            "expired"
        } else {
            "active"
        };
        TokenView {
            id: t.id.clone(),
            name: t.name.clone(),
            role: t.role.clone(),
            party_id: t.party_id.clone(),
            region: t.region.clone(),
            created_at: t.created_at.clone(),
            created_by: t.created_by.clone(),
            expires_at: t.expires_at.clone(),
            revoked_at: t.revoked_at.clone(),
            last_used_at: t.last_used_at.clone(),
            status,
        }
    }
}

/// A session as listings show it (never its secret nor CSRF token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionView {
    /// Public ID, for revoking.
    pub id: String,
    /// The user.
    pub username: String,
    /// The user's role.
    pub role: String,
    /// The user's party.
    pub party_id: Option<String>,
    /// Region.
    pub region: String,
    /// Login time.
    pub created_at: String,
    /// Last request (to within a minute).
    pub last_seen_at: String,
    /// When the session ends if unused: the earlier of idle and absolute expiry.
    pub expires_at: String,
    /// Client address at login.
    pub address: Option<String>,
}

impl SessionView {
    fn of(s: &StoredSession, policy: &Policy) -> Self {
        let idle_end = parse(&s.last_seen_at).map(|t| stamp(t + policy.session_idle));
        let expires_at = match idle_end {
            Some(idle) if idle < s.expires_at => idle,
            _ => s.expires_at.clone(),
        };
        SessionView {
            id: s.id.clone(),
            username: s.username.clone(),
            role: s.role.clone(),
            party_id: s.party_id.clone(),
            region: s.region.clone(),
            created_at: s.created_at.clone(),
            last_seen_at: s.last_seen_at.clone(),
            expires_at,
            address: s.address.clone(),
        }
    }
}

/// A successful login: the secrets go to the client once and are never stored.
pub struct Login {
    /// The session secret: the cookie's value.
    pub secret: String,
    /// The CSRF token the client sends back in `X-CSRF-Token` on writes.
    pub csrf_token: String,
    /// Who logged in.
    pub user: UserView,
    /// The new session.
    pub session: SessionView,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("user", &self.user)
            .field("session", &self.session)
            .finish_non_exhaustive()
    }
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name (lower-cased).
    pub username: String,
    /// Password in clear; only its argon2id hash is stored.
    pub password: String,
    /// Role.
    pub role: Role,
    /// Party, required for shippers and carriers and refused for the others.
    pub party_id: Option<String>,
    /// Region.
    pub region: String,
}

/// A token to create.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// Label.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Party, required for shippers and carriers and refused for the others.
    pub party_id: Option<String>,
    /// Region.
    pub region: String,
    /// Lifetime in days (1 to [`MAX_TOKEN_DAYS`]); [`Policy::token_days`] when `None`.
    pub expires_days: Option<i64>,
}

/// Where a request comes from, for throttling and the audit trail.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// Client address.
    pub address: Option<String>,
    /// Request ID.
    pub request_id: Option<String>,
}

/// The account operations over one repository.
#[derive(Clone)]
pub struct Accounts {
    repo: Arc<dyn Repository>,
    policy: Arc<Policy>,
}

/// RFC 3339 UTC text in the store's one format.
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether `now` is before `end` (a missing or unreadable end counts as past: fail closed).
fn before(now: DateTime<Utc>, end: Option<&str>) -> bool {
    end.and_then(parse).is_some_and(|end| now < end)
}

/// Whether a timestamp is missing or older than `secs` seconds.
fn stale(at: Option<&str>, now: DateTime<Utc>, secs: i64) -> bool {
    at.and_then(parse)
        .is_none_or(|t| now - t >= Duration::seconds(secs))
}

/// Compares two strings in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Hashes a password with argon2id (the crate's default parameters: 19 MiB, 2 passes) into a
/// PHC string. CPU-heavy: call it off the async executor.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("cannot hash password: {e}")))
}

/// Whether `password` matches the PHC string `hash`. CPU-heavy like [`hash_password`].
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when there is no user, so unknown names take as long as known ones.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_password(&new_secret("dummy_")).expect("argon2 hashes with its default parameters")
});

/// A new random password: 20 characters in groups of five from an alphabet without look-alikes
/// (about 99 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    let mut out = String::with_capacity(23);
    for i in 0..20 {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[rng.gen_range(0..ALPHABET.len())] as char);
    }
    out
}

/// Checks a username's form; returns it lower-cased.
pub fn normalise_username(name: &str) -> Result<String, AppError> {
    let name = name.trim().to_lowercase();
    let ok = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        return Err(AppError::invalid(
            "account.username",
            "username",
            "a username is 1 to 64 characters a-z, 0-9, '.', '_' or '-', starting with a letter or digit",
        ));
    }
    Ok(name)
}

/// Checks a new password's length.
pub fn check_password(password: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "account.password_short",
            "password",
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "account.password_long",
            "password",
            format!("a password has at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// The one rule binding an account (user or token) to a party: a shipper or carrier names an
/// existing party of `region` whose `roles` include its role; an admin or regulator names none.
/// Violations are 422s on `party_id`.
pub async fn check_party(
    repo: &dyn Repository,
    role: Role,
    party_id: Option<&str>,
    region: &str,
) -> Result<(), AppError> {
    let field = "party_id";
    let Some(p) = party_id else {
        if role.needs_party() {
            return Err(AppError::invalid(
                "account.party_required",
                field,
                format!("a {} account needs a party", role.name()),
            ));
        }
        return Ok(());
    };
    if !role.needs_party() {
        return Err(AppError::invalid(
            "account.party_unexpected",
            field,
            format!("a {} account acts for no party", role.name()),
        ));
    }
    if role == Role::Official {
        return check_unit(repo, p, region).await;
    }
    let rec = repo.get(Kind::Party, p).await?.ok_or_else(|| {
        AppError::invalid("account.party_unknown", field, format!("no party '{p}'"))
    })?;
    if rec.region != region {
        return Err(AppError::invalid(
            "account.party_region",
            field,
            format!("party '{p}' is in region {}, not {region}", rec.region),
        ));
    }
    let roles = rec.body["roles"].as_array().cloned().unwrap_or_default();
    if !roles.iter().any(|r| r == role.name()) {
        return Err(AppError::invalid(
            "account.party_role",
            field,
            format!(
                "party '{p}' is not a {}: its roles are {}",
                role.name(),
                serde_json::Value::Array(roles)
            ),
        ));
    }
    Ok(())
}

/// An official's `party_id` names a government unit (`gov_units`) of its region.
async fn check_unit(repo: &dyn Repository, unit: &str, region: &str) -> Result<(), AppError> {
    let field = "party_id";
    let rec = repo.get(Kind::GovUnit, unit).await?.ok_or_else(|| {
        AppError::invalid(
            "account.unit_unknown",
            field,
            format!("no government unit '{unit}' (an official acts for a gov_units record)"),
        )
    })?;
    if rec.region != region {
        return Err(AppError::invalid(
            "account.party_region",
            field,
            format!("unit '{unit}' is in region {}, not {region}", rec.region),
        ));
    }
    Ok(())
}

fn forbidden(message: &str) -> AppError {
    AppError::Forbidden {
        field: None,
        message: message.into(),
    }
}

fn unauthorized(message: &str) -> AppError {
    AppError::Unauthorized(message.into())
}

/// The user a caller is, when it authenticated with a session.
fn username_of(caller: &Caller) -> Option<&str> {
    caller.actor.strip_prefix("user:")
}

/// Runs CPU-heavy password work off the async executor.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("password task failed: {e}")))
}

impl Accounts {
    /// Account operations on `repo` under `policy`.
    pub fn new(repo: Arc<dyn Repository>, policy: Policy) -> Self {
        Accounts {
            repo,
            policy: Arc::new(policy),
        }
    }

    /// The rules' numbers.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    fn require_admin(caller: &Caller) -> Result<(), AppError> {
        if caller.role != Role::Admin {
            return Err(forbidden("only an admin manages users"));
        }
        Ok(())
    }

    /// Whose tokens `caller` sees: admins all, shippers and carriers their party's, others
    /// the ones they created.
    fn token_scope(caller: &Caller) -> Scope {
        match (caller.role, &caller.party_id) {
            (Role::Admin, _) => Scope::All,
            (_, Some(p)) => Scope::Party(p.clone()),
            _ => Scope::Own(caller.actor.clone()),
        }
    }

    /// Whose sessions `caller` sees: admins all, shippers and carriers their party's, others
    /// their own.
    fn session_scope(caller: &Caller) -> Scope {
        match (caller.role, &caller.party_id) {
            (Role::Admin, _) => Scope::All,
            (_, Some(p)) => Scope::Party(p.clone()),
            _ => Scope::Own(username_of(caller).unwrap_or_default().to_string()),
        }
    }

    fn in_scope(scope: &Scope, party: Option<&str>, owner: Option<&str>) -> bool {
        match scope {
            Scope::All => true,
            Scope::Party(p) => party == Some(p.as_str()),
            Scope::Own(o) => !o.is_empty() && owner == Some(o.as_str()),
        }
    }

    // ----- users -----

    /// Creates a user (admins only).
    pub async fn create_user(&self, caller: &Caller, new: NewUser) -> Result<UserView, AppError> {
        Self::require_admin(caller)?;
        let username = normalise_username(&new.username)?;
        check_password(&new.password)?;
        check_party(
            self.repo.as_ref(),
            new.role,
            new.party_id.as_deref(),
            &new.region,
        )
        .await?;
        let password = new.password;
        let hash = blocking(move || hash_password(&password)).await??;
        let now = stamp(Utc::now());
        let user = StoredUser {
            username,
            password_hash: hash,
            role: new.role.name().into(),
            party_id: new.party_id,
            region: new.region,
            created_at: now.clone(),
            password_changed_at: now,
            disabled_at: None,
        };
        let view = UserView::from(&user);
        let entry = audit::event(
            caller,
            "user.create",
            serde_json::to_value(&view).unwrap_or_default(),
        );
        self.repo.create_user(&user, &[entry]).await?;
        Ok(view)
    }

    /// Every user (admins only).
    pub async fn users(&self, caller: &Caller) -> Result<Vec<UserView>, AppError> {
        Self::require_admin(caller)?;
        Ok(self
            .repo
            .users()
            .await?
            .iter()
            .map(UserView::from)
            .collect())
    }

    /// Sets a user's password (admins only) and ends the user's sessions.
    pub async fn set_password(
        &self,
        caller: &Caller,
        username: &str,
        password: String,
    ) -> Result<(), AppError> {
        Self::require_admin(caller)?;
        let username = normalise_username(username)?;
        check_password(&password)?;
        let hash = blocking(move || hash_password(&password)).await??;
        let entry = audit::event(caller, "user.password", json!({ "username": username }));
        self.repo
            .set_password(&username, &hash, &[entry])
            .await
            .map_err(|e| not_found_user(e, &username))
    }

    /// Disables (ending the user's sessions) or re-enables a user (admins only).
    pub async fn set_disabled(
        &self,
        caller: &Caller,
        username: &str,
        disabled: bool,
    ) -> Result<(), AppError> {
        Self::require_admin(caller)?;
        let username = normalise_username(username)?;
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        let entry = audit::event(caller, action, json!({ "username": username }));
        let at = disabled.then(|| stamp(Utc::now()));
        self.repo
            .set_user_disabled(&username, at.as_deref(), &[entry])
            .await
            .map_err(|e| not_found_user(e, &username))
    }

    // ----- logins and sessions -----

    /// The failures counted against `key`; `Err(429)` when it is at `limit`.
    async fn throttle(&self, key: &str, limit: u32, now: DateTime<Utc>) -> Result<(), AppError> {
        let since = stamp(now - self.policy.failure_window);
        let (n, oldest) = self.repo.login_failures(key, &since).await?;
        if n < limit {
            return Ok(());
        }
        let free_at = oldest.as_deref().and_then(parse).unwrap_or(now) + self.policy.failure_window;
        let wait = (free_at - now).num_seconds().max(0) as u64 + 1;
        Err(AppError::TooManyRequests {
            retry_after_s: wait,
            message: format!("too many failed logins; try again in {wait} s"),
        })
    }

    /// An audit entry about a login attempt, for a user who may not exist.
    fn login_entry(
        &self,
        user: Option<&StoredUser>,
        attempted: &str,
        origin: &Origin,
        action: &str,
        reason: &str,
    ) -> AuditEntry {
        let attempted: String = attempted.chars().take(64).collect();
        let mut caller = match user.and_then(|u| Some((u, Role::parse(&u.role)?))) {
            Some((u, role)) => Caller::new(
                role,
                u.party_id.clone(),
                &u.region,
                &format!("user:{}", u.username),
            ),
            None => Caller::new(Role::Regulator, None, &self.policy.region, "anonymous"),
        };
        caller.address = origin.address.clone();
        caller.request_id = origin.request_id.clone();
        let mut entry = audit::event(
            &caller,
            action,
            json!({ "username": attempted, "reason": reason }),
        );
        if user.is_none() {
            entry.role = "none".into();
        }
        entry
    }

    /// Logs a user in: checks throttling, then the password, and opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        origin: &Origin,
    ) -> Result<Login, AppError> {
        let now = Utc::now();
        let attempted = username.trim().to_lowercase();
        let user_key = format!("user:{}", attempted.chars().take(64).collect::<String>());
        let mut keys = vec![(user_key.clone(), self.policy.user_failures)];
        if let Some(a) = &origin.address {
            keys.push((format!("addr:{a}"), self.policy.address_failures));
        }
        for (key, limit) in &keys {
            if let Err(e) = self.throttle(key, *limit, now).await {
                let user = self.repo.user(&attempted).await?;
                let entry =
                    self.login_entry(user.as_ref(), &attempted, origin, "login.refused", key);
                self.repo.append_audit(&[entry]).await?;
                return Err(e);
            }
        }
        let user = if normalise_username(&attempted).is_ok() {
            self.repo.user(&attempted).await?
        } else {
            None
        };
        let hash = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.clone());
        let given = password
            .chars()
            .take(MAX_PASSWORD_CHARS + 1)
            .collect::<String>();
        let matches = blocking(move || verify_password(&hash, &given)).await?;
        let failure = match &user {
            None => Some("unknown user"),
            Some(_) if !matches => Some("wrong password"),
            Some(u) if u.disabled_at.is_some() => Some("user disabled"),
            Some(_) => None,
        };
        if let Some(reason) = failure {
            let entry = self.login_entry(user.as_ref(), &attempted, origin, "login.failed", reason);
            let keys: Vec<String> = keys.into_iter().map(|(k, _)| k).collect();
            let prune_before = stamp(now - self.policy.failure_window);
            self.repo
                .record_login_failure(&keys, &prune_before, &[entry])
                .await?;
            return Err(unauthorized("wrong username or password"));
        }
        let user = user.expect("a login without failure has a user");
        self.repo.clear_login_failures(&user_key).await?;
        let secret = new_secret("ws_");
        let csrf_token = new_secret("wc_");
        let session = StoredSession {
            id: new_secret("ses_")[..20].to_string(),
            secret_hash: hash_token(&secret),
            csrf_hash: hash_token(&csrf_token),
            username: user.username.clone(),
            role: user.role.clone(),
            party_id: user.party_id.clone(),
            region: user.region.clone(),
            created_at: stamp(now),
            last_seen_at: stamp(now),
            expires_at: stamp(now + self.policy.session_absolute),
            revoked_at: None,
            address: origin.address.clone(),
        };
        let mut entry = self.login_entry(Some(&user), &user.username, origin, "login", "");
        entry.diff = json!({ "session": session.id });
        self.repo.put_session(&session, &[entry]).await?;
        Ok(Login {
            secret,
            csrf_token,
            user: UserView::from(&user),
            session: SessionView::of(&session, &self.policy),
        })
    }

    /// The caller a session secret stands for. `write` requests must carry the session's CSRF
    /// token: 401 for a missing, ended or expired session or a disabled user, 403 for a missing
    /// or wrong CSRF token.
    pub async fn authenticate_session(
        &self,
        secret: &str,
        csrf: Option<&str>,
        write: bool,
        origin: &Origin,
    ) -> Result<Caller, AppError> {
        let now = Utc::now();
        let s = self
            .repo
            .session(&hash_token(secret))
            .await?
            .ok_or_else(|| unauthorized("unknown session; log in again"))?;
        if s.revoked_at.is_some() {
            return Err(unauthorized("the session has ended; log in again"));
        }
        let idle_ok =
            parse(&s.last_seen_at).is_some_and(|seen| now - seen < self.policy.session_idle);
        if !before(now, Some(&s.expires_at)) || !idle_ok {
            return Err(unauthorized("the session has expired; log in again"));
        }
        let user = self
            .repo
            .user(&s.username)
            .await?
            .filter(|u| u.disabled_at.is_none())
            .ok_or_else(|| unauthorized("the user is disabled"))?;
        if write && !csrf.is_some_and(|c| same(&hash_token(c), &s.csrf_hash)) {
            return Err(AppError::forbidden(
                "X-CSRF-Token",
                "a write on a browser session needs the X-CSRF-Token header with the token login returned",
            ));
        }
        if stale(Some(&s.last_seen_at), now, SESSION_TOUCH_EVERY) {
            if let Err(e) = self.repo.touch_session(&s.id, &stamp(now)).await {
                tracing::warn!(session = %s.id, error = %e, "cannot record session use");
            }
        }
        let role = Role::parse(&user.role)
            .ok_or_else(|| AppError::Internal(format!("stored role '{}'", user.role)))?;
        let mut caller = Caller::new(
            role,
            user.party_id.clone(),
            &user.region,
            &format!("user:{}", user.username),
        );
        caller.address = origin.address.clone();
        caller.request_id = origin.request_id.clone();
        Ok(caller)
    }

    /// Ends the session whose secret is `secret` (logout); nothing happens for an unknown or
    /// already ended one.
    pub async fn logout(&self, caller: &Caller, secret: &str) -> Result<(), AppError> {
        if let Some(s) = self.repo.session(&hash_token(secret)).await? {
            let entry = audit::event(caller, "logout", json!({ "session": s.id }));
            self.repo.revoke_session(&s.id, &[entry]).await?;
        }
        Ok(())
    }

    /// The live sessions `caller` may see.
    pub async fn sessions(&self, caller: &Caller) -> Result<Vec<SessionView>, AppError> {
        let now = Utc::now();
        let scope = Self::session_scope(caller);
        Ok(self
            .repo
            .sessions(&scope)
            .await?
            .iter()
            .filter(|s| {
                parse(&s.last_seen_at).is_some_and(|seen| now - seen < self.policy.session_idle)
            })
            .map(|s| SessionView::of(s, &self.policy))
            .collect())
    }

    /// Ends a session `caller` may see; 404 for one it may not.
    pub async fn revoke_session(&self, caller: &Caller, id: &str) -> Result<(), AppError> {
        let scope = Self::session_scope(caller);
        let s = self
            .repo
            .session_by_id(id)
            .await?
            .filter(|s| Self::in_scope(&scope, s.party_id.as_deref(), Some(&s.username)))
            .ok_or_else(|| AppError::NotFound(format!("no session '{id}'")))?;
        let entry = audit::event(
            caller,
            "session.revoke",
            json!({ "session": s.id, "username": s.username }),
        );
        self.repo.revoke_session(&s.id, &[entry]).await?;
        Ok(())
    }

    // ----- tokens -----

    /// The caller a bearer token stands for: 401 for an unknown, revoked or expired token.
    pub async fn authenticate_token(
        &self,
        secret: &str,
        origin: &Origin,
    ) -> Result<Caller, AppError> {
        let now = Utc::now();
        let t = self
            .repo
            .token(&hash_token(secret))
            .await?
            .ok_or_else(|| unauthorized("unknown token"))?;
        if t.revoked_at.is_some() {
            return Err(unauthorized("the token has been revoked"));
        }
        if !before(now, t.expires_at.as_deref()) {
            return Err(unauthorized("the token has expired"));
        }
        if stale(t.last_used_at.as_deref(), now, TOKEN_TOUCH_EVERY) {
            if let Err(e) = self.repo.touch_token(&t.id, &stamp(now)).await {
                tracing::warn!(token = %t.id, error = %e, "cannot record token use");
            }
        }
        let role = Role::parse(&t.role)
            .ok_or_else(|| AppError::Internal(format!("stored role '{}'", t.role)))?;
        let mut caller = Caller::new(role, t.party_id, &t.region, &format!("token:{}", t.name));
        caller.address = origin.address.clone();
        caller.request_id = origin.request_id.clone();
        Ok(caller)
    }

    /// Creates a token and returns its secret (shown once) with its listing. Admins create any;
    /// shippers and carriers only tokens of their own role and party; regulators none.
    pub async fn create_token(
        &self,
        caller: &Caller,
        new: NewToken,
    ) -> Result<(String, TokenView), AppError> {
        match caller.role {
            Role::Admin => {}
            Role::Regulator => return Err(forbidden("a regulator cannot create tokens")),
            _ => {
                if new.role != caller.role {
                    return Err(AppError::forbidden(
                        "role",
                        format!(
                            "a {} creates only {} tokens",
                            caller.role.name(),
                            caller.role.name()
                        ),
                    ));
                }
                if new.party_id != caller.party_id || new.region != caller.region {
                    return Err(AppError::forbidden(
                        "party_id",
                        "tokens are created only for the caller's own party",
                    ));
                }
            }
        }
        let name = new.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::invalid(
                "token.name",
                "name",
                "a token name has 1 to 100 characters",
            ));
        }
        let days = new.expires_days.unwrap_or(self.policy.token_days);
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(AppError::invalid(
                "token.expires_days",
                "expires_days",
                format!("a token lives 1 to {MAX_TOKEN_DAYS} days"),
            ));
        }
        check_party(
            self.repo.as_ref(),
            new.role,
            new.party_id.as_deref(),
            &new.region,
        )
        .await?;
        let now = Utc::now();
        let secret = new_secret("wl_");
        let stored = StoredToken {
            token_hash: hash_token(&secret),
            name,
            role: new.role.name().into(),
            party_id: new.party_id,
            region: new.region,
            created_at: stamp(now),
            id: new_secret("tok_")[..20].to_string(),
            expires_at: Some(stamp(now + Duration::days(days))),
            revoked_at: None,
            last_used_at: None,
            created_by: Some(caller.actor.clone()),
        };
        let view = TokenView::of(&stored, now);
        let entry = audit::event(
            caller,
            "token.create",
            serde_json::to_value(&view).unwrap_or_default(),
        );
        self.repo.create_token(&stored, &[entry]).await?;
        Ok((secret, view))
    }

    /// The tokens `caller` may see, newest first.
    pub async fn tokens(&self, caller: &Caller) -> Result<Vec<TokenView>, AppError> {
        let now = Utc::now();
        Ok(self
            .repo
            .tokens(&Self::token_scope(caller))
            .await?
            .iter()
            .map(|t| TokenView::of(t, now))
            .collect())
    }

    /// Revokes a token `caller` may see (404 for one it may not); revoking a revoked token
    /// changes nothing.
    pub async fn revoke_token(&self, caller: &Caller, id: &str) -> Result<TokenView, AppError> {
        let scope = Self::token_scope(caller);
        let t = self
            .repo
            .token_by_id(id)
            .await?
            .filter(|t| Self::in_scope(&scope, t.party_id.as_deref(), t.created_by.as_deref()))
            .ok_or_else(|| AppError::NotFound(format!("no token '{id}'")))?;
        if t.revoked_at.is_none() {
            let entry = audit::event(
                caller,
                "token.revoke",
                json!({ "token": t.id, "name": t.name, "party_id": t.party_id }),
            );
            self.repo.revoke_token(&t.id, &[entry]).await?;
        }
        let t = self.repo.token_by_id(id).await?.unwrap_or(t);
        Ok(TokenView::of(&t, Utc::now()))
    }
}

fn not_found_user(e: StoreError, username: &str) -> AppError {
    match e {
        StoreError::NotFound { .. } => AppError::NotFound(format!("no user '{username}'")),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_with_the_right_secret() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse battery!"));
        assert!(!verify_password("not a phc string", "x"));
    }

    #[test]
    fn usernames_are_lower_case_and_plain() {
        assert_eq!(normalise_username(" Alice.W ").unwrap(), "alice.w");
        for bad in ["", "-x", "a b", "名字", &"a".repeat(65)] {
            assert!(normalise_username(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn generated_passwords_pass_the_password_rule() {
        let p = generate_password();
        assert_eq!(p.len(), 23);
        check_password(&p).unwrap();
        assert_ne!(p, generate_password());
    }

    #[test]
    fn missing_or_unreadable_expiry_counts_as_past() {
        let now = Utc::now();
        assert!(!before(now, None));
        assert!(!before(now, Some("garbage")));
        assert!(before(now, Some(&stamp(now + Duration::seconds(5)))));
        assert!(!before(now, Some(&stamp(now - Duration::seconds(5)))));
    }
}
