//! Live road changes (closures and slowdowns) as stored: one row per change ID (migration 0011)
//! with the change as JSON, who set it and when, and the store-wide revision of its last write.
//!
//! Every write bumps one store-wide counter in the write's own transaction (and appends its audit
//! entry there too), so a server polls [`RoadChangeStore::road_change_revision`] and re-reads the
//! set only when it moved. The store keeps changes as opaque JSON: the road engine validates them.

use async_trait::async_trait;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Connection, Row};

use super::{write_error, Arg, Backend, Sql, SqlStore};
use crate::{AuditEntry, StoreError, StoreResult};

/// One stored road change.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRoadChange {
    /// The change's ID (unique).
    pub id: String,
    /// The change as JSON (the road engine's `RoadChange`).
    pub change: Value,
    /// Who set it last (the audit actor, e.g. `user:li` or `cli`).
    pub set_by: String,
    /// When it was set last, RFC 3339.
    pub set_at: String,
    /// The store-wide revision of its last write.
    pub revision: i64,
}

/// Storage of the road changes in force. Writes are durable and audited when the call returns.
#[async_trait]
pub trait RoadChangeStore {
    /// The store-wide revision: how many writes the road changes have seen (0 for none).
    async fn road_change_revision(&self) -> StoreResult<i64>;
    /// The revision, then every change in force, by ID. The list is at least as new as the
    /// revision (a write between the two reads shows in the list, and bumps the next revision).
    async fn road_changes(&self) -> StoreResult<(i64, Vec<StoredRoadChange>)>;
    /// Stores `change` under `id` (replacing any change with that ID) and appends `audit` (its
    /// version set to the new revision), in one transaction; returns the stored row.
    async fn put_road_change(
        &self,
        id: &str,
        change: &Value,
        set_by: &str,
        audit: AuditEntry,
    ) -> StoreResult<StoredRoadChange>;
    /// Deletes the change `id` and appends `audit`, in one transaction; returns the deleted row,
    /// or `None` (and writes nothing) when there was none.
    async fn delete_road_change(
        &self,
        id: &str,
        audit: AuditEntry,
    ) -> StoreResult<Option<StoredRoadChange>>;
}

fn columns(backend: Backend) -> String {
    format!(
        "id, {} AS body, set_by, set_at, revision",
        backend.body_select()
    )
}

fn decode(row: &AnyRow) -> StoreResult<StoredRoadChange> {
    let id: String = row.try_get("id")?;
    let body: String = row.try_get("body")?;
    let change = serde_json::from_str(&body).map_err(|source| StoreError::Corrupt {
        id: id.clone(),
        source,
    })?;
    Ok(StoredRoadChange {
        id,
        change,
        set_by: row.try_get("set_by")?,
        set_at: row.try_get("set_at")?,
        revision: row.try_get("revision")?,
    })
}

impl SqlStore {
    /// Bumps the store-wide revision inside a transaction and returns the new value.
    async fn bump_road_revision(&self, conn: &mut AnyConnection) -> StoreResult<i64> {
        let row = sqlx::query(
            "UPDATE road_change_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision",
        )
        .fetch_one(&mut *conn)
        .await
        .map_err(write_error)?;
        Ok(row.try_get(0)?)
    }

    /// The stored change `id`, read inside a transaction.
    async fn road_change_on(
        &self,
        conn: &mut AnyConnection,
        id: &str,
    ) -> StoreResult<Option<StoredRoadChange>> {
        let mut sql = Sql::new(
            self.backend,
            format!(
                "SELECT {} FROM road_changes WHERE id = ",
                columns(self.backend)
            ),
        );
        sql.bind(Arg::Text(Some(id.to_string())));
        let row = sql.query().fetch_optional(&mut *conn).await?;
        row.as_ref().map(decode).transpose()
    }
}

#[async_trait]
impl RoadChangeStore for SqlStore {
    async fn road_change_revision(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT revision FROM road_change_revision WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    async fn road_changes(&self) -> StoreResult<(i64, Vec<StoredRoadChange>)> {
        let revision = self.road_change_revision().await?;
        let sql = format!(
            "SELECT {} FROM road_changes ORDER BY id",
            columns(self.backend)
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let changes = rows.iter().map(decode).collect::<StoreResult<Vec<_>>>()?;
        Ok((revision, changes))
    }

    async fn put_road_change(
        &self,
        id: &str,
        change: &Value,
        set_by: &str,
        mut audit: AuditEntry,
    ) -> StoreResult<StoredRoadChange> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        let revision = self.bump_road_revision(&mut tx).await?;
        let set_at = super::now();
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO road_changes (id, body, set_by, set_at, revision) VALUES (",
        );
        sql.bind(Arg::Text(Some(id.to_string())))
            .push(", ")
            .bind_body(change)
            .push(", ")
            .bind(Arg::Text(Some(set_by.to_string())))
            .push(", ")
            .bind(Arg::Text(Some(set_at.clone())))
            .push(", ")
            .bind(Arg::Int(revision))
            .push(
                ") ON CONFLICT (id) DO UPDATE SET body = excluded.body, set_by = excluded.set_by, \
                 set_at = excluded.set_at, revision = excluded.revision",
            );
        sql.query().execute(&mut *tx).await.map_err(write_error)?;
        audit.version = Some(revision);
        self.audit_on(&mut tx, &audit).await?;
        tx.commit().await.map_err(write_error)?;
        Ok(StoredRoadChange {
            id: id.to_string(),
            change: change.clone(),
            set_by: set_by.to_string(),
            set_at,
            revision,
        })
    }

    async fn delete_road_change(
        &self,
        id: &str,
        mut audit: AuditEntry,
    ) -> StoreResult<Option<StoredRoadChange>> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        // Bumped first: on PostgreSQL its row lock orders this delete after any write in flight.
        let revision = self.bump_road_revision(&mut tx).await?;
        let Some(old) = self.road_change_on(&mut tx, id).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let mut sql = Sql::new(self.backend, "DELETE FROM road_changes WHERE id = ");
        sql.bind(Arg::Text(Some(id.to_string())));
        sql.query().execute(&mut *tx).await.map_err(write_error)?;
        audit.version = Some(revision);
        self.audit_on(&mut tx, &audit).await?;
        tx.commit().await.map_err(write_error)?;
        Ok(Some(old))
    }
}
