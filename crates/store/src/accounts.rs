//! Account storage: users, browser sessions, failed-login counts and the API token lifecycle.
//!
//! Nothing secret is stored: users keep an argon2id PHC string, sessions and tokens the SHA-256 of
//! their secret. Every change that the audit trail must show takes its audit entries and writes
//! them in the same transaction, like [`crate::Repository::commit`].
//!
//! Times are RFC 3339 UTC text in one fixed format (microseconds, `Z`), so that comparing them as
//! text compares them as times.

use async_trait::async_trait;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Connection, Row};

use super::{now, text, write_error, Arg, Sql, SqlStore};
use crate::{AuditEntry, StoreError, StoreResult, StoredToken};

/// A user who logs in with a password.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredUser {
    /// Unique login name (lower case).
    pub username: String,
    /// argon2id PHC string of the password.
    pub password_hash: String,
    /// Role name: `admin`, `regulator`, `shipper` or `carrier`.
    pub role: String,
    /// Party the user acts for (shipper and carrier roles).
    pub party_id: Option<String>,
    /// The user's region.
    pub region: String,
    /// Creation time, RFC 3339.
    pub created_at: String,
    /// When the password was last set, RFC 3339.
    pub password_changed_at: String,
    /// When the user was disabled; `None` while the user may log in.
    pub disabled_at: Option<String>,
}

impl std::fmt::Debug for StoredUser {
    // The password hash stays out of logs and panic messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredUser")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("party_id", &self.party_id)
            .field("region", &self.region)
            .field("created_at", &self.created_at)
            .field("password_changed_at", &self.password_changed_at)
            .field("disabled_at", &self.disabled_at)
            .finish_non_exhaustive()
    }
}

/// A browser session as stored (only hashes of its secret and CSRF token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// Public ID (`ses_…`) for listing and revoking; never the secret.
    pub id: String,
    /// Hex SHA-256 of the session secret (the cookie value).
    pub secret_hash: String,
    /// Hex SHA-256 of the session's CSRF token.
    pub csrf_hash: String,
    /// The user logged in.
    pub username: String,
    /// The user's role at login.
    pub role: String,
    /// The user's party at login.
    pub party_id: Option<String>,
    /// The user's region at login.
    pub region: String,
    /// Login time, RFC 3339.
    pub created_at: String,
    /// Last request seen (updated at most once a minute), RFC 3339.
    pub last_seen_at: String,
    /// Absolute end of the session, RFC 3339.
    pub expires_at: String,
    /// When the session was ended (logout or revocation).
    pub revoked_at: Option<String>,
    /// Client address at login.
    pub address: Option<String>,
}

/// Whose tokens or sessions a listing returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everyone's (admins).
    All,
    /// Those of one party.
    Party(String),
    /// Those of one owner: for sessions the username, for tokens the `created_by` actor.
    Own(String),
}

/// Storage of accounts; a supertrait of [`crate::Repository`], implemented by [`SqlStore`].
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Stores a new user; [`StoreError::Conflict`] on `username` when the name is taken.
    async fn create_user(&self, user: &StoredUser, audit: &[AuditEntry]) -> StoreResult<()>;
    /// Reads a user by (lower-case) name.
    async fn user(&self, username: &str) -> StoreResult<Option<StoredUser>>;
    /// All users, by name.
    async fn users(&self) -> StoreResult<Vec<StoredUser>>;
    /// Replaces a user's password hash and ends all of the user's sessions;
    /// [`StoreError::NotFound`] for an unknown user.
    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        audit: &[AuditEntry],
    ) -> StoreResult<()>;
    /// Disables (`Some(time)`, ending all of the user's sessions) or re-enables (`None`) a user;
    /// [`StoreError::NotFound`] for an unknown user.
    async fn set_user_disabled(
        &self,
        username: &str,
        disabled_at: Option<&str>,
        audit: &[AuditEntry],
    ) -> StoreResult<()>;

    /// Stores a new session, and prunes sessions that ended more than a week ago.
    async fn put_session(&self, session: &StoredSession, audit: &[AuditEntry]) -> StoreResult<()>;
    /// Looks a session up by the hash of its secret.
    async fn session(&self, secret_hash: &str) -> StoreResult<Option<StoredSession>>;
    /// Looks a session up by its public ID.
    async fn session_by_id(&self, id: &str) -> StoreResult<Option<StoredSession>>;
    /// Sessions in `scope` that are neither revoked nor past their absolute expiry, newest first
    /// (at most 1,000).
    async fn sessions(&self, scope: &Scope) -> StoreResult<Vec<StoredSession>>;
    /// Records a request on a session.
    async fn touch_session(&self, id: &str, at: &str) -> StoreResult<()>;
    /// Ends a session; `false` when it was unknown or already ended.
    async fn revoke_session(&self, id: &str, audit: &[AuditEntry]) -> StoreResult<bool>;

    /// Stores a new API token.
    async fn create_token(&self, token: &StoredToken, audit: &[AuditEntry]) -> StoreResult<()>;
    /// Looks a token up by its public ID.
    async fn token_by_id(&self, id: &str) -> StoreResult<Option<StoredToken>>;
    /// Tokens in `scope` (revoked and expired ones too), newest first (at most 1,000).
    async fn tokens(&self, scope: &Scope) -> StoreResult<Vec<StoredToken>>;
    /// Records a request authenticated by a token.
    async fn touch_token(&self, id: &str, at: &str) -> StoreResult<()>;
    /// Revokes a token; `false` when it was unknown or already revoked.
    async fn revoke_token(&self, id: &str, audit: &[AuditEntry]) -> StoreResult<bool>;

    /// Records one failed login under each of `keys` (e.g. `user:<name>`, `addr:<ip>`), dropping
    /// failures older than `prune_before`.
    async fn record_login_failure(
        &self,
        keys: &[String],
        prune_before: &str,
        audit: &[AuditEntry],
    ) -> StoreResult<()>;
    /// How many failures `key` has at or after `since`, and the oldest of them.
    async fn login_failures(&self, key: &str, since: &str) -> StoreResult<(u32, Option<String>)>;
    /// Forgets the failures of `key` (after a successful login).
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Appends audit entries on their own (e.g. a refused login), in one transaction.
    async fn append_audit(&self, audit: &[AuditEntry]) -> StoreResult<()>;
}

const USER_COLUMNS: &str =
    "username, password_hash, role, party_id, region, created_at, password_changed_at, disabled_at";
const SESSION_COLUMNS: &str = "id, secret_hash, csrf_hash, username, role, party_id, region, created_at, last_seen_at, expires_at, revoked_at, address";
const TOKEN_COLUMNS: &str = "id, region, token_hash, name, role, party_id, created_at, expires_at, revoked_at, last_used_at, created_by";

fn decode_user(r: &AnyRow) -> StoreResult<StoredUser> {
    Ok(StoredUser {
        username: r.try_get("username")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get("role")?,
        party_id: r.try_get("party_id")?,
        region: r.try_get("region")?,
        created_at: r.try_get("created_at")?,
        password_changed_at: r.try_get("password_changed_at")?,
        disabled_at: r.try_get("disabled_at")?,
    })
}

fn decode_session(r: &AnyRow) -> StoreResult<StoredSession> {
    Ok(StoredSession {
        id: r.try_get("id")?,
        secret_hash: r.try_get("secret_hash")?,
        csrf_hash: r.try_get("csrf_hash")?,
        username: r.try_get("username")?,
        role: r.try_get("role")?,
        party_id: r.try_get("party_id")?,
        region: r.try_get("region")?,
        created_at: r.try_get("created_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        address: r.try_get("address")?,
    })
}

fn decode_token(r: &AnyRow) -> StoreResult<StoredToken> {
    Ok(StoredToken {
        id: r.try_get("id")?,
        region: r.try_get("region")?,
        token_hash: r.try_get("token_hash")?,
        name: r.try_get("name")?,
        role: r.try_get("role")?,
        party_id: r.try_get("party_id")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        last_used_at: r.try_get("last_used_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// `INSERT INTO table (columns) VALUES (…)` with one text argument per column.
fn insert(store: &SqlStore, table: &str, columns: &str, values: Vec<Option<String>>) -> Sql {
    let mut sql = Sql::new(
        store.backend,
        format!("INSERT INTO {table} ({columns}) VALUES ("),
    );
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Arg::Text(v));
    }
    sql.push(")");
    sql
}

fn conflict_on(field: &'static str, value: &str, e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            field,
            value: value.to_string(),
        },
        _ => write_error(e),
    }
}

fn some(s: &str) -> Arg {
    Arg::Text(Some(s.to_string()))
}

impl SqlStore {
    /// Runs `writes` and appends `audit` in one transaction; returns the rows each write touched.
    async fn write_audited(&self, writes: Vec<Sql>, audit: &[AuditEntry]) -> StoreResult<Vec<u64>> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        let mut touched = Vec::with_capacity(writes.len());
        for w in &writes {
            let done = w.query().execute(&mut *tx).await.map_err(write_error)?;
            touched.push(done.rows_affected());
        }
        for a in audit {
            self.audit_on(&mut tx, a).await?;
        }
        tx.commit().await.map_err(write_error)?;
        Ok(touched)
    }

    async fn fetch_all(&self, sql: Sql) -> StoreResult<Vec<AnyRow>> {
        let mut conn = self.pool.acquire().await?;
        Ok(sql.query().fetch_all(&mut *conn).await?)
    }

    async fn fetch_optional(&self, sql: Sql) -> StoreResult<Option<AnyRow>> {
        let mut conn = self.pool.acquire().await?;
        Ok(sql.query().fetch_optional(&mut *conn).await?)
    }

    /// Stores a token on `conn` (used by [`crate::Repository::put_token`] too).
    pub(super) async fn insert_token_on(
        &self,
        conn: &mut AnyConnection,
        t: &StoredToken,
    ) -> StoreResult<()> {
        insert_token(self, t)
            .query()
            .execute(&mut *conn)
            .await
            .map_err(|e| conflict_on("token", &t.id, e))?;
        Ok(())
    }

    /// The token whose `column` (`token_hash` or `id`) is `value`.
    pub(super) async fn token_where(
        &self,
        column: &str,
        value: &str,
    ) -> StoreResult<Option<StoredToken>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE {column} = "),
        );
        sql.bind(some(value));
        self.fetch_optional(sql)
            .await?
            .as_ref()
            .map(decode_token)
            .transpose()
    }

    fn end_user_sessions(&self, username: &str, at: &str) -> Sql {
        let mut sql = Sql::new(self.backend, "UPDATE sessions SET revoked_at = ");
        sql.bind(some(at))
            .push(" WHERE revoked_at IS NULL AND username = ")
            .bind(some(username));
        sql
    }
}

fn insert_token(store: &SqlStore, t: &StoredToken) -> Sql {
    insert(
        store,
        "api_tokens",
        TOKEN_COLUMNS,
        vec![
            Some(t.id.clone()),
            Some(t.region.clone()),
            Some(t.token_hash.clone()),
            Some(t.name.clone()),
            Some(t.role.clone()),
            t.party_id.clone(),
            Some(t.created_at.clone()),
            t.expires_at.clone(),
            t.revoked_at.clone(),
            t.last_used_at.clone(),
            t.created_by.clone(),
        ],
    )
}

/// ` WHERE …` for a listing scope over `party_column` and `owner_column`.
fn scope_where(sql: &mut Sql, scope: &Scope, party_column: &str, owner_column: &str) {
    match scope {
        Scope::All => sql.push(" WHERE 1 = 1"),
        Scope::Party(p) => sql.push(&format!(" WHERE {party_column} = ")).bind(some(p)),
        Scope::Own(o) => sql.push(&format!(" WHERE {owner_column} = ")).bind(some(o)),
    };
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, u: &StoredUser, audit: &[AuditEntry]) -> StoreResult<()> {
        let sql = insert(
            self,
            "users",
            USER_COLUMNS,
            vec![
                Some(u.username.clone()),
                Some(u.password_hash.clone()),
                Some(u.role.clone()),
                u.party_id.clone(),
                Some(u.region.clone()),
                Some(u.created_at.clone()),
                Some(u.password_changed_at.clone()),
                u.disabled_at.clone(),
            ],
        );
        // The unique violation must be told apart before `write_audited` turns it into a
        // generic database error.
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        sql.query()
            .execute(&mut *tx)
            .await
            .map_err(|e| conflict_on("username", &u.username, e))?;
        for a in audit {
            self.audit_on(&mut tx, a).await?;
        }
        tx.commit().await.map_err(write_error)?;
        Ok(())
    }

    async fn user(&self, username: &str) -> StoreResult<Option<StoredUser>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {USER_COLUMNS} FROM users WHERE username = "),
        );
        sql.bind(some(username));
        self.fetch_optional(sql)
            .await?
            .as_ref()
            .map(decode_user)
            .transpose()
    }

    async fn users(&self) -> StoreResult<Vec<StoredUser>> {
        let sql = Sql::new(
            self.backend,
            format!("SELECT {USER_COLUMNS} FROM users ORDER BY username"),
        );
        self.fetch_all(sql).await?.iter().map(decode_user).collect()
    }

    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        audit: &[AuditEntry],
    ) -> StoreResult<()> {
        let at = now();
        let mut set = Sql::new(self.backend, "UPDATE users SET password_hash = ");
        set.bind(some(password_hash))
            .push(", password_changed_at = ")
            .bind(some(&at))
            .push(" WHERE username = ")
            .bind(some(username));
        let touched = self
            .write_audited(vec![set, self.end_user_sessions(username, &at)], audit)
            .await?;
        if touched[0] == 0 {
            return Err(StoreError::NotFound {
                kind: "users",
                id: username.to_string(),
            });
        }
        Ok(())
    }

    async fn set_user_disabled(
        &self,
        username: &str,
        disabled_at: Option<&str>,
        audit: &[AuditEntry],
    ) -> StoreResult<()> {
        let mut set = Sql::new(self.backend, "UPDATE users SET disabled_at = ");
        set.bind(text(&disabled_at.map(String::from)))
            .push(" WHERE username = ")
            .bind(some(username));
        let mut writes = vec![set];
        if let Some(at) = disabled_at {
            writes.push(self.end_user_sessions(username, at));
        }
        let touched = self.write_audited(writes, audit).await?;
        if touched[0] == 0 {
            return Err(StoreError::NotFound {
                kind: "users",
                id: username.to_string(),
            });
        }
        Ok(())
    }

    async fn put_session(&self, s: &StoredSession, audit: &[AuditEntry]) -> StoreResult<()> {
        let put = insert(
            self,
            "sessions",
            SESSION_COLUMNS,
            vec![
                Some(s.id.clone()),
                Some(s.secret_hash.clone()),
                Some(s.csrf_hash.clone()),
                Some(s.username.clone()),
                Some(s.role.clone()),
                s.party_id.clone(),
                Some(s.region.clone()),
                Some(s.created_at.clone()),
                Some(s.last_seen_at.clone()),
                Some(s.expires_at.clone()),
                s.revoked_at.clone(),
                s.address.clone(),
            ],
        );
        let week_ago = (chrono::Utc::now() - chrono::Duration::days(7))
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let mut prune = Sql::new(self.backend, "DELETE FROM sessions WHERE expires_at < ");
        prune.bind(some(&week_ago));
        self.write_audited(vec![prune, put], audit).await?;
        Ok(())
    }

    async fn session(&self, secret_hash: &str) -> StoreResult<Option<StoredSession>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE secret_hash = "),
        );
        sql.bind(some(secret_hash));
        self.fetch_optional(sql)
            .await?
            .as_ref()
            .map(decode_session)
            .transpose()
    }

    async fn session_by_id(&self, id: &str) -> StoreResult<Option<StoredSession>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = "),
        );
        sql.bind(some(id));
        self.fetch_optional(sql)
            .await?
            .as_ref()
            .map(decode_session)
            .transpose()
    }

    async fn sessions(&self, scope: &Scope) -> StoreResult<Vec<StoredSession>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {SESSION_COLUMNS} FROM sessions"),
        );
        scope_where(&mut sql, scope, "party_id", "username");
        sql.push(" AND revoked_at IS NULL AND expires_at > ")
            .bind(some(&now()))
            .push(" ORDER BY created_at DESC, id LIMIT 1000");
        self.fetch_all(sql)
            .await?
            .iter()
            .map(decode_session)
            .collect()
    }

    async fn touch_session(&self, id: &str, at: &str) -> StoreResult<()> {
        let mut sql = Sql::new(self.backend, "UPDATE sessions SET last_seen_at = ");
        sql.bind(some(at)).push(" WHERE id = ").bind(some(id));
        self.write_audited(vec![sql], &[]).await?;
        Ok(())
    }

    async fn revoke_session(&self, id: &str, audit: &[AuditEntry]) -> StoreResult<bool> {
        let mut sql = Sql::new(self.backend, "UPDATE sessions SET revoked_at = ");
        sql.bind(some(&now()))
            .push(" WHERE revoked_at IS NULL AND id = ")
            .bind(some(id));
        Ok(self.write_audited(vec![sql], audit).await?[0] > 0)
    }

    async fn create_token(&self, t: &StoredToken, audit: &[AuditEntry]) -> StoreResult<()> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        self.insert_token_on(&mut tx, t).await?;
        for a in audit {
            self.audit_on(&mut tx, a).await?;
        }
        tx.commit().await.map_err(write_error)?;
        Ok(())
    }

    async fn token_by_id(&self, id: &str) -> StoreResult<Option<StoredToken>> {
        self.token_where("id", id).await
    }

    async fn tokens(&self, scope: &Scope) -> StoreResult<Vec<StoredToken>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens"),
        );
        scope_where(&mut sql, scope, "party_id", "created_by");
        sql.push(" ORDER BY created_at DESC, id LIMIT 1000");
        self.fetch_all(sql)
            .await?
            .iter()
            .map(decode_token)
            .collect()
    }

    async fn touch_token(&self, id: &str, at: &str) -> StoreResult<()> {
        let mut sql = Sql::new(self.backend, "UPDATE api_tokens SET last_used_at = ");
        sql.bind(some(at)).push(" WHERE id = ").bind(some(id));
        self.write_audited(vec![sql], &[]).await?;
        Ok(())
    }

    async fn revoke_token(&self, id: &str, audit: &[AuditEntry]) -> StoreResult<bool> {
        let mut sql = Sql::new(self.backend, "UPDATE api_tokens SET revoked_at = ");
        sql.bind(some(&now()))
            .push(" WHERE revoked_at IS NULL AND id = ")
            .bind(some(id));
        Ok(self.write_audited(vec![sql], audit).await?[0] > 0)
    }

    async fn record_login_failure(
        &self,
        keys: &[String],
        prune_before: &str,
        audit: &[AuditEntry],
    ) -> StoreResult<()> {
        let at = now();
        let mut writes = Vec::with_capacity(keys.len() + 1);
        let mut prune = Sql::new(self.backend, "DELETE FROM login_failures WHERE at < ");
        prune.bind(some(prune_before));
        writes.push(prune);
        for k in keys {
            writes.push(insert(
                self,
                "login_failures",
                "key, at",
                vec![Some(k.clone()), Some(at.clone())],
            ));
        }
        self.write_audited(writes, audit).await?;
        Ok(())
    }

    async fn login_failures(&self, key: &str, since: &str) -> StoreResult<(u32, Option<String>)> {
        let mut sql = Sql::new(
            self.backend,
            "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE key = ",
        );
        sql.bind(some(key)).push(" AND at >= ").bind(some(since));
        let row = self
            .fetch_optional(sql)
            .await?
            .ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
        let n: i64 = row.try_get("n")?;
        Ok((n as u32, row.try_get("oldest")?))
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        let mut sql = Sql::new(self.backend, "DELETE FROM login_failures WHERE key = ");
        sql.bind(some(key));
        self.write_audited(vec![sql], &[]).await?;
        Ok(())
    }

    async fn append_audit(&self, audit: &[AuditEntry]) -> StoreResult<()> {
        self.write_audited(Vec::new(), audit).await?;
        Ok(())
    }
}
