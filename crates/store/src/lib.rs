//! Wuliu storage: one [`Repository`] trait, implemented by [`SqlStore`] for SQLite (the embedded default:
//! one file, WAL, `synchronous=FULL`) and PostgreSQL, each with its own migrations applied on open.
//!
//! Every table carries a `region` key (the tenant, a GB/T 2260 code) so the schema can later be
//! distributed (e.g. with Citus on `region`). Entities are stored as a JSON body next to the indexed keys
//! that access control, idempotent import and listing need.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use wuliu_store::{Kind, ListQuery, NewRecord, Repository, SqlStore};
//!
//! let store = SqlStore::open("sqlite::memory:").await.unwrap();
//! let rec = NewRecord {
//!     id: "veh_1".into(), region: "450200".into(), external_id: Some("V-1".into()),
//!     owner_party: Some("pty_1".into()), partner_party: None, status: Some("available".into()),
//!     body: serde_json::json!({"plate": "桂B12345"}),
//! };
//! store.insert(Kind::Vehicle, rec).await.unwrap();
//! let page = store.list(Kind::Vehicle, &ListQuery::default()).await.unwrap();
//! assert_eq!(page.records[0].body["plate"], "桂B12345");
//! # });
//! ```
#![warn(missing_docs)]
pub mod facts;
mod kind;
mod record;
mod sql;

pub use kind::Kind;
pub use record::{
    AuditEntry, AuditQuery, Cursor, Field, FieldType, Filter, ListQuery, Literal, NewRecord, Op,
    Page, Record, UpsertOutcome, WriteOp,
};
pub use sql::accounts::{AccountStore, Scope, StoredSession, StoredUser};
pub use sql::road_changes::{RoadChangeStore, StoredRoadChange};
pub use sql::stats::{StatGroup, StatQuery, StatRow, StatsStore, UnitKind, UnitMonth};
pub use sql::tracks::{AppendOutcome, GeoBox, TrackCursor, TrackPage, TrackStore, MAX_READ_ROWS};
pub use sql::{Backend, SqlStore};

use async_trait::async_trait;

/// Storage failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique key is already taken.
    #[error("{field} '{value}' already exists")]
    Conflict {
        /// The key, e.g. `external_id`.
        field: &'static str,
        /// The duplicate value.
        value: String,
    },
    /// No record with that ID.
    #[error("no {kind} with id '{id}'")]
    NotFound {
        /// Table name.
        kind: &'static str,
        /// The ID asked for.
        id: String,
    },
    /// An optimistic-concurrency check failed: the record is no longer at the version the writer
    /// read. Nothing of the commit was written.
    #[error("{kind} '{id}' is at version {actual}, not {expected}")]
    VersionMismatch {
        /// Table name.
        kind: &'static str,
        /// Record ID.
        id: String,
        /// The version the writer read.
        expected: i64,
        /// The version stored now.
        actual: i64,
    },
    /// The database cannot write (disk full, read-only file or server, I/O error).
    #[error("database cannot write: {0}")]
    Unwritable(String),
    /// The database URL is not understood.
    #[error("unsupported database URL '{0}': use sqlite:PATH or postgres://…")]
    BadUrl(String),
    /// A migration failed.
    #[error("migration {version} ({backend}) failed: {source}")]
    Migration {
        /// Migration number.
        version: i64,
        /// Backend name.
        backend: &'static str,
        /// Cause.
        #[source]
        source: sqlx::Error,
    },
    /// A stored body is not valid JSON (corruption).
    #[error("stored JSON of {id} is corrupt: {source}")]
    Corrupt {
        /// Record ID.
        id: String,
        /// Cause.
        #[source]
        source: serde_json::Error,
    },
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// An API token as stored (only its SHA-256 hash is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredToken {
    /// Hex SHA-256 of the secret token.
    pub token_hash: String,
    /// Human label.
    pub name: String,
    /// Role name: `admin`, `regulator`, `shipper` or `carrier`.
    pub role: String,
    /// Party the token acts for (shipper and carrier roles).
    pub party_id: Option<String>,
    /// Region the token belongs to.
    pub region: String,
    /// Creation time, RFC 3339.
    pub created_at: String,
    /// Public ID (`tok_…`) for listing and revoking; never the secret.
    pub id: String,
    /// When the token stops working, RFC 3339; `None` (only from a damaged row) counts as expired.
    pub expires_at: Option<String>,
    /// When the token was revoked, if it was.
    pub revoked_at: Option<String>,
    /// When the token last authenticated a request (updated at most every few minutes).
    pub last_used_at: Option<String>,
    /// Who created it (`cli`, `user:<name>`, …), when known.
    pub created_by: Option<String>,
}

/// Result alias for storage calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// The storage interface the server and CLI use. Writes are durable when the call returns.
/// Users, sessions, login throttling and the token lifecycle are in its supertrait [`AccountStore`];
/// vehicle tracks in its supertrait [`TrackStore`].
#[async_trait]
pub trait Repository:
    AccountStore + TrackStore + StatsStore + RoadChangeStore + Send + Sync
{
    /// Which backend this is.
    fn backend(&self) -> Backend;
    /// Inserts a new record; [`StoreError::Conflict`] when its external ID is taken in its region.
    async fn insert(&self, kind: Kind, rec: NewRecord) -> StoreResult<Record>;
    /// Reads a record by ID.
    async fn get(&self, kind: Kind, id: &str) -> StoreResult<Option<Record>>;
    /// Reads a record by region and external ID.
    async fn get_by_external_id(
        &self,
        kind: Kind,
        region: &str,
        external_id: &str,
    ) -> StoreResult<Option<Record>>;
    /// Replaces the body and keys of an existing record (same ID), bumping its version.
    async fn replace(&self, kind: Kind, rec: NewRecord) -> StoreResult<Record>;
    /// Lists records with filters, sorting and keyset pagination.
    async fn list(&self, kind: Kind, query: &ListQuery) -> StoreResult<Page>;
    /// Counts records in a region (all regions when `None`).
    async fn count(&self, kind: Kind, region: Option<&str>) -> StoreResult<u64>;
    /// Idempotent upsert by (region, external ID) of a batch, in one transaction. Records whose existing
    /// version is owned by a party other than `writer_party` (when given) are left alone and reported
    /// [`UpsertOutcome::Forbidden`].
    async fn upsert_batch(
        &self,
        kind: Kind,
        recs: Vec<NewRecord>,
        writer_party: Option<&str>,
    ) -> StoreResult<Vec<UpsertOutcome>>;
    /// Applies `ops` and appends `audit` in one transaction: all or nothing. Updates are
    /// compare-and-swap on their expected version. Returns the records as written, in `ops` order.
    async fn commit(&self, ops: Vec<WriteOp>, audit: Vec<AuditEntry>) -> StoreResult<Vec<Record>>;
    /// Audit entries, oldest first.
    async fn audit(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
    /// Proves the database can write now (rewrites one row); [`StoreError::Unwritable`] if not.
    async fn probe_write(&self) -> StoreResult<()>;
    /// Stores an API token.
    async fn put_token(&self, token: &StoredToken) -> StoreResult<()>;
    /// Looks up a token by its hash.
    async fn token(&self, token_hash: &str) -> StoreResult<Option<StoredToken>>;
}
