//! [`SqlStore`]: the [`Repository`] on SQLite or PostgreSQL through sqlx's `Any` driver. The two
//! dialects differ only in placeholders, JSON access and migrations, which [`Backend`] supplies.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Row};
use std::str::FromStr;
use std::time::Duration;

use crate::record::{
    AuditEntry, AuditQuery, Cursor, Field, FieldType, ListQuery, Literal, NewRecord, Op, Page,
    Record, UpsertOutcome, WriteOp,
};
use crate::{Kind, Repository, StoreError, StoreResult, StoredToken};

// Account storage lives in its own file but is a child of this module, so that it shares the query
// builder, the write lock and the audit writer with the rest of the store.
#[path = "accounts.rs"]
pub(crate) mod accounts;
// Vehicle tracks, likewise.
#[path = "tracks.rs"]
pub(crate) mod tracks;
// Indicator aggregates, likewise.
#[path = "stats.rs"]
pub(crate) mod stats;
// Live road changes, likewise.
#[path = "road_changes.rs"]
pub(crate) mod road_changes;

/// Which SQL database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (default).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    fn migrations(self) -> &'static [(i64, &'static str, &'static str)] {
        match self {
            Backend::Sqlite => &[
                (
                    1,
                    "init",
                    include_str!("../migrations/sqlite/0001_init.sql"),
                ),
                (
                    2,
                    "dispatch_plans",
                    include_str!("../migrations/sqlite/0002_dispatch_plans.sql"),
                ),
                (
                    3,
                    "loads_pickup_start",
                    include_str!("../migrations/sqlite/0003_loads_pickup_start.sql"),
                ),
                (
                    4,
                    "audit",
                    include_str!("../migrations/sqlite/0004_audit.sql"),
                ),
                (
                    5,
                    "accounts",
                    include_str!("../migrations/sqlite/0005_accounts.sql"),
                ),
                (
                    6,
                    "positions",
                    include_str!("../migrations/sqlite/0006_positions.sql"),
                ),
                (
                    7,
                    "terminals",
                    include_str!("../migrations/sqlite/0007_terminals.sql"),
                ),
                (
                    8,
                    "alerts",
                    include_str!("../migrations/sqlite/0008_alerts.sql"),
                ),
                (
                    9,
                    "supervision_stats",
                    include_str!("../migrations/sqlite/0009_supervision_stats.sql"),
                ),
                (
                    10,
                    "more_rollups",
                    include_str!("../migrations/sqlite/0010_more_rollups.sql"),
                ),
                (
                    11,
                    "road_changes",
                    include_str!("../migrations/sqlite/0011_road_changes.sql"),
                ),
                (
                    12,
                    "emergency",
                    include_str!("../migrations/sqlite/0012_emergency.sql"),
                ),
                (
                    13,
                    "gov_desks",
                    include_str!("../migrations/sqlite/0013_gov_desks.sql"),
                ),
            ],
            Backend::Postgres => &[
                (
                    1,
                    "init",
                    include_str!("../migrations/postgres/0001_init.sql"),
                ),
                (
                    2,
                    "dispatch_plans",
                    include_str!("../migrations/postgres/0002_dispatch_plans.sql"),
                ),
                (
                    3,
                    "loads_pickup_start",
                    include_str!("../migrations/postgres/0003_loads_pickup_start.sql"),
                ),
                (
                    4,
                    "audit",
                    include_str!("../migrations/postgres/0004_audit.sql"),
                ),
                (
                    5,
                    "accounts",
                    include_str!("../migrations/postgres/0005_accounts.sql"),
                ),
                (
                    6,
                    "positions",
                    include_str!("../migrations/postgres/0006_positions.sql"),
                ),
                (
                    7,
                    "terminals",
                    include_str!("../migrations/postgres/0007_terminals.sql"),
                ),
                (
                    8,
                    "alerts",
                    include_str!("../migrations/postgres/0008_alerts.sql"),
                ),
                (
                    9,
                    "supervision_stats",
                    include_str!("../migrations/postgres/0009_supervision_stats.sql"),
                ),
                (
                    10,
                    "more_rollups",
                    include_str!("../migrations/postgres/0010_more_rollups.sql"),
                ),
                (
                    11,
                    "road_changes",
                    include_str!("../migrations/postgres/0011_road_changes.sql"),
                ),
                (
                    12,
                    "emergency",
                    include_str!("../migrations/postgres/0012_emergency.sql"),
                ),
                (
                    13,
                    "gov_desks",
                    include_str!("../migrations/postgres/0013_gov_desks.sql"),
                ),
            ],
        }
    }

    fn body_select(self) -> &'static str {
        match self {
            Backend::Sqlite => "body",
            Backend::Postgres => "body::text",
        }
    }

    fn body_placeholder(self, n: usize) -> String {
        match self {
            Backend::Sqlite => "?".into(),
            Backend::Postgres => format!("${n}::jsonb"),
        }
    }

    /// SQL expression of a sort/filter field.
    fn field_expr(self, field: &Field) -> String {
        match (self, field) {
            (Backend::Sqlite, Field::Column(c)) => c.to_string(),
            (Backend::Postgres, Field::Column(c)) => format!("{c} COLLATE \"C\""),
            (Backend::Sqlite, Field::Json(path, ty)) => {
                let e = format!("json_extract(body, '$.{}')", path.join("."));
                match ty {
                    FieldType::Text => e,
                    FieldType::Number => format!("CAST({e} AS REAL)"),
                }
            }
            (Backend::Postgres, Field::Json(path, ty)) => {
                let e = format!("(body #>> '{{{}}}')", path.join(","));
                match ty {
                    FieldType::Text => format!("{e} COLLATE \"C\""),
                    FieldType::Number => format!("({e})::double precision"),
                }
            }
        }
    }
}

/// A bound query argument.
#[derive(Debug, Clone)]
enum Arg {
    Text(Option<String>),
    Float(f64),
    Int(i64),
    FloatOpt(Option<f64>),
    IntOpt(Option<i64>),
}

/// SQL text with its arguments, numbering placeholders for the backend.
struct Sql {
    backend: Backend,
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn new(backend: Backend, text: impl Into<String>) -> Self {
        Self {
            backend,
            text: text.into(),
            args: Vec::new(),
        }
    }
    fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => self.text.push_str(&format!("${}", self.args.len())),
        }
        self
    }
    fn bind_body(&mut self, body: &Value) -> &mut Self {
        self.args.push(Arg::Text(Some(body.to_string())));
        let ph = self.backend.body_placeholder(self.args.len());
        self.text.push_str(&ph);
        self
    }
    fn bind_literal(&mut self, lit: &Literal) -> &mut Self {
        match lit {
            Literal::Text(s) => self.bind(Arg::Text(Some(s.clone()))),
            Literal::Number(n) => self.bind(Arg::Float(*n)),
        }
    }
    fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Float(f) => q.bind(*f),
                Arg::Int(i) => q.bind(*i),
                Arg::FloatOpt(f) => q.bind(*f),
                Arg::IntOpt(i) => q.bind(*i),
            };
        }
        q
    }
}

fn text(s: &Option<String>) -> Arg {
    Arg::Text(s.clone())
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// Whether a database error means the database cannot write at all (disk full, read-only file or
/// server, I/O error), as opposed to this one write being wrong.
fn is_unwritable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            let msg = db.message().to_ascii_lowercase();
            // SQLite: 8 READONLY, 10 IOERR, 13 FULL (and their extended codes, low byte).
            // PostgreSQL: 53xxx insufficient resources, 58xxx system error, 25006 read-only.
            let sqlite = code
                .parse::<i64>()
                .is_ok_and(|c| [8, 10, 13].contains(&(c & 0xff)));
            let pg = code.starts_with("53") || code.starts_with("58") || code == "25006";
            sqlite
                || pg
                || msg.contains("readonly")
                || msg.contains("read-only")
                || msg.contains("disk is full")
                || msg.contains("disk i/o")
        }
        _ => false,
    }
}

/// A failed write as a [`StoreError`]: [`StoreError::Unwritable`] when the database cannot write.
fn write_error(e: sqlx::Error) -> StoreError {
    if is_unwritable(&e) {
        StoreError::Unwritable(e.to_string())
    } else {
        StoreError::Database(e)
    }
}

fn map_unique(e: sqlx::Error, rec: &NewRecord) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            return match &rec.external_id {
                Some(x) if !db.message().contains(".id") => StoreError::Conflict {
                    field: "external_id",
                    value: x.clone(),
                },
                _ => StoreError::Conflict {
                    field: "id",
                    value: rec.id.clone(),
                },
            };
        }
    }
    write_error(e)
}

/// Per-connection SQLite settings: WAL, and `synchronous=FULL` so that a committed (acknowledged) write
/// survives a crash or power loss.
async fn sqlite_pragmas(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    for pragma in [
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA busy_timeout=10000",
        // Checkpoints run in the background (`spawn_checkpointer`), not inside a writer's commit;
        // the WAL file is cut back to 64 MiB after one.
        "PRAGMA wal_autocheckpoint=0",
        "PRAGMA journal_size_limit=67108864",
    ] {
        conn.execute(pragma).await?;
    }
    Ok(())
}

/// The SQL implementation of [`Repository`].
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; serialising writers here avoids busy errors and deadlocks.
    write_lock: tokio::sync::Mutex<()>,
    /// The directory of a SQLite database file, whose free space the write probe checks.
    sqlite_dir: Option<std::path::PathBuf>,
    /// Track state (the PostgreSQL day partitions known to exist).
    tracks: tracks::TrackState,
    /// The background WAL checkpoint of a SQLite file, stopped when the store is dropped.
    checkpointer: Option<tokio::task::AbortHandle>,
}

impl Drop for SqlStore {
    fn drop(&mut self) {
        if let Some(task) = &self.checkpointer {
            task.abort();
        }
    }
}

/// How often a SQLite file's WAL is checkpointed into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Copies committed WAL frames into a SQLite database file every [`CHECKPOINT_EVERY`], beside the
/// writers rather than inside their commits (`PASSIVE`: it never blocks a reader or a writer).
/// Commits stay durable in the WAL either way; this only keeps the WAL short.
fn spawn_checkpointer(pool: AnyPool) -> tokio::task::AbortHandle {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_all(&pool)
                .await
            {
                // Retried at the next tick; the WAL keeps every commit meanwhile.
                eprintln!("wuliu-store: background WAL checkpoint failed (retrying): {e}");
            }
        }
    })
    .abort_handle()
}

/// Free space below which a SQLite database counts as unable to write: a write that needs more
/// fails with "disk is full", and a small probe write can still succeed in space a failed write
/// left behind.
pub const MIN_FREE_BYTES: u64 = 1024 * 1024;

impl SqlStore {
    /// The query that [`Repository::list`] runs for `q`, and its page size: it fetches one row
    /// more than the page holds, to tell whether another page follows.
    fn list_sql(&self, kind: Kind, q: &ListQuery) -> (Sql, u32) {
        let mut sql = Sql::new(
            self.backend,
            format!(
                "SELECT {} FROM {} WHERE 1 = 1",
                self.columns(),
                kind.table()
            ),
        );
        if let Some(region) = &q.region {
            sql.push(" AND region = ")
                .bind(Arg::Text(Some(region.clone())));
        }
        if let Some(party) = &q.party {
            sql.push(" AND (owner_party = ")
                .bind(Arg::Text(Some(party.clone())));
            sql.push(" OR partner_party = ")
                .bind(Arg::Text(Some(party.clone())))
                .push(")");
        }
        for f in &q.filters {
            let op = match f.op {
                Op::Eq => " = ",
                Op::Gte => " >= ",
                Op::Lte => " <= ",
                Op::Lt => " < ",
            };
            let expr = self.backend.field_expr(&f.field);
            sql.push(" AND ")
                .push(&expr)
                .push(op)
                .bind_literal(&f.value);
        }
        let key = self.backend.field_expr(&q.sort);
        let id_expr = self.backend.field_expr(&Field::Column("id"));
        let (cmp, dir) = if q.descending {
            (" < ", " DESC")
        } else {
            (" > ", " ASC")
        };
        if let Some(c) = &q.after {
            let lit = cursor_literal(&q.sort, &c.key);
            sql.push(" AND (").push(&key).push(cmp).bind_literal(&lit);
            sql.push(" OR (").push(&key).push(" = ").bind_literal(&lit);
            sql.push(" AND ")
                .push(&id_expr)
                .push(cmp)
                .bind(Arg::Text(Some(c.id.clone())))
                .push("))");
        }
        let limit = q.limit.clamp(1, 10_000);
        sql.push(&format!(
            " ORDER BY {key}{dir}, {id_expr}{dir} LIMIT {}",
            limit + 1
        ));
        (sql, limit)
    }

    /// The database's plan for [`Repository::list`] with `q`, one line per step: for operators and
    /// tests checking that a filter is served by an index. On PostgreSQL sequential scans are
    /// disabled while explaining (inside a transaction that is rolled back), so the plan shows
    /// whether an index *can* serve the query even on a table too small for the planner to prefer
    /// one.
    pub async fn list_plan(&self, kind: Kind, q: &ListQuery) -> StoreResult<String> {
        let (sql, _) = self.list_sql(kind, q);
        let mut tx = self.pool.begin().await?;
        let (prefix, column) = match self.backend {
            Backend::Sqlite => ("EXPLAIN QUERY PLAN ", 3),
            Backend::Postgres => {
                sqlx::query("SET LOCAL enable_seqscan = off")
                    .execute(&mut *tx)
                    .await?;
                ("EXPLAIN ", 0)
            }
        };
        let explain = Sql {
            backend: self.backend,
            text: format!("{prefix}{}", sql.text),
            args: sql.args,
        };
        let rows = explain.query().fetch_all(&mut *tx).await?;
        tx.rollback().await?;
        let lines = rows
            .iter()
            .map(|r| r.try_get::<String, _>(column))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines.join("\n"))
    }

    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    ///
    /// `url` is `sqlite:PATH` (file created if missing), `sqlite::memory:`, or `postgres://…`.
    pub async fn open(url: &str) -> StoreResult<SqlStore> {
        sqlx::any::install_default_drivers();
        let mut sqlite_dir = None;
        let (backend, url) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.trim_start_matches("//");
            if rest != ":memory:" {
                let file = std::path::Path::new(rest.split('?').next().unwrap_or(rest));
                sqlite_dir = Some(match file.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => std::path::PathBuf::from("."),
                });
            }
            let url = if rest == ":memory:" {
                "sqlite::memory:".to_string()
            } else if rest.contains('?') {
                format!("sqlite://{rest}")
            } else {
                format!("sqlite://{rest}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        let memory = url == "sqlite::memory:";
        let opts = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let mut pool_opts = AnyPoolOptions::new().max_connections(if memory { 1 } else { 8 });
        if memory {
            // One connection for ever, or the in-memory database would vanish with it.
            pool_opts = pool_opts
                .idle_timeout(None)
                .max_lifetime(None)
                .min_connections(1);
        }
        if backend == Backend::Sqlite {
            pool_opts = pool_opts.after_connect(|conn, _meta| Box::pin(sqlite_pragmas(conn)));
        }
        let pool = pool_opts
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts)
            .await?;
        let checkpointer =
            (backend == Backend::Sqlite && !memory).then(|| spawn_checkpointer(pool.clone()));
        let store = SqlStore {
            pool,
            backend,
            write_lock: tokio::sync::Mutex::new(()),
            checkpointer,
            sqlite_dir,
            tracks: tracks::TrackState::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Applies every migration not yet recorded in `wuliu_migrations`; returns how many ran.
    pub async fn migrate(&self) -> StoreResult<usize> {
        let mut conn = self.pool.acquire().await?;
        let locked = self.backend == Backend::Postgres;
        if locked {
            // Several processes (or test threads) may open the same database at once.
            sqlx::query("SELECT pg_advisory_lock(7712025)")
                .execute(&mut *conn)
                .await?;
        }
        let result = self.migrate_on(&mut conn).await;
        if locked {
            sqlx::query("SELECT pg_advisory_unlock(7712025)")
                .execute(&mut *conn)
                .await?;
        }
        result
    }

    async fn migrate_on(&self, conn: &mut AnyConnection) -> StoreResult<usize> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS wuliu_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .execute(&mut *conn)
        .await?;
        let applied: Vec<i64> = sqlx::query("SELECT version FROM wuliu_migrations")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| r.get::<i64, _>(0))
            .collect();
        let mut ran = 0;
        for (version, name, sql) in self.backend.migrations() {
            if applied.contains(version) {
                continue;
            }
            let backend = self.backend.name();
            let wrap = |source| StoreError::Migration {
                version: *version,
                backend,
                source,
            };
            let mut tx = conn.begin().await.map_err(wrap)?;
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(wrap)?;
            let mut ins = Sql::new(
                self.backend,
                "INSERT INTO wuliu_migrations (version, name, applied_at) VALUES (",
            );
            ins.bind(Arg::Int(*version))
                .push(", ")
                .bind(Arg::Text(Some(name.to_string())))
                .push(", ")
                .bind(Arg::Text(Some(now())))
                .push(")");
            ins.query().execute(&mut *tx).await.map_err(wrap)?;
            tx.commit().await.map_err(wrap)?;
            ran += 1;
        }
        Ok(ran)
    }

    async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().await),
            Backend::Postgres => None,
        }
    }

    fn columns(&self) -> String {
        format!(
            "region, id, external_id, owner_party, partner_party, status, version, created_at, updated_at, {} AS body",
            self.backend.body_select()
        )
    }

    fn decode(row: &AnyRow) -> StoreResult<Record> {
        let id: String = row.try_get("id")?;
        let body_text: String = row.try_get("body")?;
        let body = serde_json::from_str(&body_text).map_err(|source| StoreError::Corrupt {
            id: id.clone(),
            source,
        })?;
        Ok(Record {
            region: row.try_get("region")?,
            id,
            external_id: row.try_get("external_id")?,
            owner_party: row.try_get("owner_party")?,
            partner_party: row.try_get("partner_party")?,
            status: row.try_get("status")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            body,
        })
    }

    async fn fetch_one_where(
        &self,
        conn: &mut AnyConnection,
        kind: Kind,
        conds: &[(&str, String)],
    ) -> StoreResult<Option<Record>> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {} FROM {} WHERE ", self.columns(), kind.table()),
        );
        for (i, (col, val)) in conds.iter().enumerate() {
            if i > 0 {
                sql.push(" AND ");
            }
            sql.push(col).push(" = ").bind(Arg::Text(Some(val.clone())));
        }
        let row = sql.query().fetch_optional(&mut *conn).await?;
        row.as_ref().map(Self::decode).transpose()
    }

    async fn insert_on(
        &self,
        conn: &mut AnyConnection,
        kind: Kind,
        rec: &NewRecord,
    ) -> StoreResult<()> {
        let ts = now();
        let mut sql = Sql::new(
            self.backend,
            format!(
                "INSERT INTO {} (region, id, external_id, owner_party, partner_party, status, version, created_at, updated_at, body) VALUES (",
                kind.table()
            ),
        );
        sql.bind(Arg::Text(Some(rec.region.clone()))).push(", ");
        sql.bind(Arg::Text(Some(rec.id.clone()))).push(", ");
        sql.bind(text(&rec.external_id)).push(", ");
        sql.bind(text(&rec.owner_party)).push(", ");
        sql.bind(text(&rec.partner_party)).push(", ");
        sql.bind(text(&rec.status)).push(", 1, ");
        sql.bind(Arg::Text(Some(ts.clone()))).push(", ");
        sql.bind(Arg::Text(Some(ts))).push(", ");
        sql.bind_body(&rec.body).push(")");
        sql.query()
            .execute(&mut *conn)
            .await
            .map_err(|e| map_unique(e, rec))?;
        if kind == Kind::Waybill {
            self.sync_waybill_facts(conn, &rec.region, &rec.id, &rec.body)
                .await?;
        }
        Ok(())
    }

    async fn update_on(
        &self,
        conn: &mut AnyConnection,
        kind: Kind,
        rec: &NewRecord,
        expected_version: Option<i64>,
    ) -> StoreResult<u64> {
        let mut sql = Sql::new(
            self.backend,
            format!("UPDATE {} SET external_id = ", kind.table()),
        );
        sql.bind(text(&rec.external_id));
        sql.push(", owner_party = ").bind(text(&rec.owner_party));
        sql.push(", partner_party = ")
            .bind(text(&rec.partner_party));
        sql.push(", status = ").bind(text(&rec.status));
        sql.push(", version = version + 1, updated_at = ")
            .bind(Arg::Text(Some(now())));
        sql.push(", body = ").bind_body(&rec.body);
        sql.push(" WHERE id = ")
            .bind(Arg::Text(Some(rec.id.clone())));
        if let Some(v) = expected_version {
            sql.push(" AND version = ").bind(Arg::Int(v));
        }
        let done = sql
            .query()
            .execute(&mut *conn)
            .await
            .map_err(|e| map_unique(e, rec))?;
        if kind == Kind::Waybill && done.rows_affected() > 0 {
            self.sync_waybill_facts(conn, &rec.region, &rec.id, &rec.body)
                .await?;
        }
        Ok(done.rows_affected())
    }
}

impl SqlStore {
    /// Applies one write of a commit inside its transaction.
    async fn apply_on(&self, conn: &mut AnyConnection, op: &WriteOp) -> StoreResult<()> {
        match op {
            WriteOp::Insert { kind, rec } => self.insert_on(conn, *kind, rec).await,
            WriteOp::Update {
                kind,
                rec,
                expected_version,
            } => {
                if self
                    .update_on(conn, *kind, rec, Some(*expected_version))
                    .await?
                    > 0
                {
                    return Ok(());
                }
                let current = self
                    .fetch_one_where(conn, *kind, &[("id", rec.id.clone())])
                    .await?;
                Err(match current {
                    None => StoreError::NotFound {
                        kind: kind.table(),
                        id: rec.id.clone(),
                    },
                    Some(r) => StoreError::VersionMismatch {
                        kind: kind.table(),
                        id: rec.id.clone(),
                        expected: *expected_version,
                        actual: r.version,
                    },
                })
            }
        }
    }

    /// Appends one audit entry inside a transaction.
    async fn audit_on(&self, conn: &mut AnyConnection, a: &AuditEntry) -> StoreResult<()> {
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO audit_log (at, region, actor, role, party_id, address, request_id, action, kind, record_id, version, diff) VALUES (",
        );
        for (i, v) in [
            Some(a.at.clone()),
            Some(a.region.clone()),
            Some(a.actor.clone()),
            Some(a.role.clone()),
            a.party_id.clone(),
            a.address.clone(),
            a.request_id.clone(),
            Some(a.action.clone()),
            a.kind.clone(),
            a.record_id.clone(),
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(v));
        }
        sql.push(", ");
        match a.version {
            Some(v) => sql.bind(Arg::Int(v)),
            None => sql.push("NULL"),
        };
        sql.push(", ")
            .bind(Arg::Text(Some(a.diff.to_string())))
            .push(")");
        sql.query().execute(&mut *conn).await.map_err(write_error)?;
        Ok(())
    }

    fn decode_audit(row: &AnyRow) -> StoreResult<AuditEntry> {
        let diff: String = row.try_get("diff")?;
        let seq: i64 = row.try_get("seq")?;
        Ok(AuditEntry {
            seq,
            at: row.try_get("at")?,
            region: row.try_get("region")?,
            actor: row.try_get("actor")?,
            role: row.try_get("role")?,
            party_id: row.try_get("party_id")?,
            address: row.try_get("address")?,
            request_id: row.try_get("request_id")?,
            action: row.try_get("action")?,
            kind: row.try_get("kind")?,
            record_id: row.try_get("record_id")?,
            version: row.try_get("version")?,
            diff: serde_json::from_str(&diff).map_err(|source| StoreError::Corrupt {
                id: format!("audit #{seq}"),
                source,
            })?,
        })
    }
}

/// The sort-key value of a record, for building the next cursor.
fn sort_key(rec: &Record, field: &Field) -> Value {
    match field {
        Field::Column("id") => Value::String(rec.id.clone()),
        Field::Column("external_id") => rec
            .external_id
            .clone()
            .map(Value::String)
            .unwrap_or(Value::Null),
        Field::Column("status") => rec.status.clone().map(Value::String).unwrap_or(Value::Null),
        Field::Column("updated_at") => Value::String(rec.updated_at.clone()),
        Field::Column("owner_party") => rec
            .owner_party
            .clone()
            .map(Value::String)
            .unwrap_or(Value::Null),
        Field::Column(_) => Value::String(rec.created_at.clone()),
        Field::Json(path, _) => path.iter().fold(&rec.body, |v, p| &v[*p]).clone(),
    }
}

fn cursor_literal(field: &Field, key: &Value) -> Literal {
    match (field, key) {
        (Field::Json(_, FieldType::Number), v) => Literal::Number(v.as_f64().unwrap_or(0.0)),
        (_, Value::String(s)) => Literal::Text(s.clone()),
        (_, v) => Literal::Text(v.to_string()),
    }
}

#[async_trait]
impl Repository for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn insert(&self, kind: Kind, rec: NewRecord) -> StoreResult<Record> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        self.insert_on(&mut tx, kind, &rec).await?;
        let stored = self
            .fetch_one_where(&mut tx, kind, &[("id", rec.id.clone())])
            .await?
            .ok_or(StoreError::NotFound {
                kind: kind.table(),
                id: rec.id,
            })?;
        tx.commit().await.map_err(write_error)?;
        Ok(stored)
    }

    async fn get(&self, kind: Kind, id: &str) -> StoreResult<Option<Record>> {
        let mut conn = self.pool.acquire().await?;
        self.fetch_one_where(&mut conn, kind, &[("id", id.to_string())])
            .await
    }

    async fn get_by_external_id(
        &self,
        kind: Kind,
        region: &str,
        external_id: &str,
    ) -> StoreResult<Option<Record>> {
        let mut conn = self.pool.acquire().await?;
        self.fetch_one_where(
            &mut conn,
            kind,
            &[
                ("region", region.to_string()),
                ("external_id", external_id.to_string()),
            ],
        )
        .await
    }

    async fn replace(&self, kind: Kind, rec: NewRecord) -> StoreResult<Record> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        if self.update_on(&mut tx, kind, &rec, None).await? == 0 {
            return Err(StoreError::NotFound {
                kind: kind.table(),
                id: rec.id,
            });
        }
        let stored = self
            .fetch_one_where(&mut tx, kind, &[("id", rec.id.clone())])
            .await?
            .ok_or(StoreError::NotFound {
                kind: kind.table(),
                id: rec.id,
            })?;
        tx.commit().await.map_err(write_error)?;
        Ok(stored)
    }

    async fn list(&self, kind: Kind, q: &ListQuery) -> StoreResult<Page> {
        let (sql, limit) = self.list_sql(kind, q);
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        let mut records = rows
            .iter()
            .map(Self::decode)
            .collect::<StoreResult<Vec<_>>>()?;
        let next = if records.len() > limit as usize {
            records.truncate(limit as usize);
            records.last().map(|r| Cursor {
                key: sort_key(r, &q.sort),
                id: r.id.clone(),
            })
        } else {
            None
        };
        Ok(Page { records, next })
    }

    async fn count(&self, kind: Kind, region: Option<&str>) -> StoreResult<u64> {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT COUNT(*) FROM {}", kind.table()),
        );
        if let Some(r) = region {
            sql.push(" WHERE region = ")
                .bind(Arg::Text(Some(r.to_string())));
        }
        let mut conn = self.pool.acquire().await?;
        let row = sql.query().fetch_one(&mut *conn).await?;
        Ok(row.try_get::<i64, _>(0)? as u64)
    }

    async fn upsert_batch(
        &self,
        kind: Kind,
        recs: Vec<NewRecord>,
        writer_party: Option<&str>,
    ) -> StoreResult<Vec<UpsertOutcome>> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        let mut outcomes = Vec::with_capacity(recs.len());
        for rec in recs {
            let existing = match &rec.external_id {
                Some(x) => {
                    self.fetch_one_where(
                        &mut tx,
                        kind,
                        &[("region", rec.region.clone()), ("external_id", x.clone())],
                    )
                    .await?
                }
                None => None,
            };
            let outcome = match existing {
                None => {
                    self.insert_on(&mut tx, kind, &rec).await?;
                    UpsertOutcome::Created { id: rec.id }
                }
                Some(old)
                    if writer_party.is_some_and(|p| old.owner_party.as_deref() != Some(p)) =>
                {
                    UpsertOutcome::Forbidden { id: old.id }
                }
                Some(old)
                    if old.body == rec.body
                        && old.owner_party == rec.owner_party
                        && old.partner_party == rec.partner_party
                        && old.status == rec.status =>
                {
                    UpsertOutcome::Unchanged { id: old.id }
                }
                Some(old) => {
                    let rec = NewRecord {
                        id: old.id.clone(),
                        ..rec
                    };
                    self.update_on(&mut tx, kind, &rec, None).await?;
                    UpsertOutcome::Updated { id: old.id }
                }
            };
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn commit(&self, ops: Vec<WriteOp>, audit: Vec<AuditEntry>) -> StoreResult<Vec<Record>> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        for op in &ops {
            self.apply_on(&mut tx, op).await?;
        }
        for a in &audit {
            self.audit_on(&mut tx, a).await?;
        }
        let mut out = Vec::with_capacity(ops.len());
        for op in &ops {
            let rec = op.record();
            let stored = self
                .fetch_one_where(&mut tx, op.kind(), &[("id", rec.id.clone())])
                .await?
                .ok_or_else(|| StoreError::NotFound {
                    kind: op.kind().table(),
                    id: rec.id.clone(),
                })?;
            out.push(stored);
        }
        tx.commit().await.map_err(write_error)?;
        Ok(out)
    }

    async fn audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        let mut sql = Sql::new(
            self.backend,
            "SELECT seq, at, region, actor, role, party_id, address, request_id, action, kind, record_id, version, diff FROM audit_log WHERE seq > ",
        );
        sql.bind(Arg::Int(q.after_seq));
        for (col, val) in [
            ("region", &q.region),
            ("record_id", &q.record_id),
            ("actor", &q.actor),
            ("party_id", &q.party_id),
        ] {
            if let Some(v) = val {
                sql.push(&format!(" AND {col} = "))
                    .bind(Arg::Text(Some(v.clone())));
            }
        }
        sql.push(&format!(" ORDER BY seq LIMIT {}", q.limit.clamp(1, 1000)));
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter().map(Self::decode_audit).collect()
    }

    async fn probe_write(&self) -> StoreResult<()> {
        let _guard = self.write_guard().await;
        // 16 kB, more than a page: the write needs fresh pages, as real writes do, so a full disk
        // fails it even when a small in-place update would still fit.
        let stamp = now();
        let mut sql = Sql::new(self.backend, "UPDATE wuliu_health SET at = ");
        sql.bind(Arg::Text(Some(stamp.repeat(16 * 1024 / stamp.len()))))
            .push(" WHERE id = 1");
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        sql.query().execute(&mut *conn).await.map_err(write_error)?;
        if let Some(dir) = &self.sqlite_dir {
            let free = fs4::available_space(dir)
                .map_err(|e| StoreError::Unwritable(format!("cannot read free space: {e}")))?;
            if free < MIN_FREE_BYTES {
                return Err(StoreError::Unwritable(format!(
                    "only {free} bytes free on the disk of {}",
                    dir.display()
                )));
            }
        }
        Ok(())
    }

    async fn put_token(&self, t: &StoredToken) -> StoreResult<()> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await?;
        self.insert_token_on(&mut conn, t).await
    }

    async fn token(&self, token_hash: &str) -> StoreResult<Option<StoredToken>> {
        self.token_where("token_hash", token_hash).await
    }
}
