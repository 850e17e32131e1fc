//! Vehicle tracks: GNSS fixes ([`Position`]) appended in group commits, a last known position per
//! vehicle, and the reads a map, a track replay and the rule engine need.
//!
//! Schema (migration 0006): `positions` keyed by `(vehicle_id, time_ms)` with an index on `time_ms`,
//! and `positions_latest` keyed by `vehicle_id`. Times are stored as epoch milliseconds (`BIGINT`,
//! UTC): a time round-trips exactly to the millisecond, and a sub-millisecond part is truncated on
//! write (so two fixes less than a millisecond apart count as the same fix). On PostgreSQL
//! `positions` is partitioned by UTC day (`positions_YYYYMMDD`), partitions are made on demand and
//! retention drops whole partitions; on SQLite it is one table.
//!
//! All time ranges are half-open: `from <= time < to`.

use std::collections::HashSet;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Connection, Row};
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};

use super::{write_error, Arg, Backend, Sql, SqlStore};
use crate::{StoreError, StoreResult};

/// The most rows one read returns, whatever limit is asked for.
pub const MAX_READ_ROWS: usize = 100_000;

/// The stored columns of a position, in the order every statement here uses.
const COLUMNS: &str = "vehicle_id, time_ms, region, lat, lon, speed_kmh, heading, altitude_m, alarm, status, mileage_km, fuel_l, source";
/// How many columns [`COLUMNS`] names.
const NCOLUMNS: usize = 13;
/// Rows per SQLite `INSERT` statement at most (13 × 512 = 6,656 parameters, well under 32,766).
/// Smaller remainders are split into powers of two, so that only a few statement shapes exist and
/// every one stays in the prepared-statement cache.
const SQLITE_CHUNK: usize = 512;
/// Rows per PostgreSQL `INSERT … SELECT FROM UNNEST(…)` statement at most (one parameter per
/// column whatever the row count; the bound only caps the size of one message).
const PG_CHUNK: usize = 10_000;
/// Rows one SQLite retention `DELETE` removes at most, so appends wait for it only briefly.
const SQLITE_DELETE_CHUNK: usize = 5_000;
/// Advisory lock key serialising partition DDL between processes.
const PARTITION_LOCK: i64 = 7_712_026;
/// Prefix of PostgreSQL day partitions (`positions_YYYYMMDD`).
const PARTITION_PREFIX: &str = "positions_";
/// How often an append retries after a PostgreSQL deadlock or serialization failure.
const APPEND_ATTEMPTS: usize = 3;

/// What [`TrackStore::append_positions`] did with a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppendOutcome {
    /// Positions stored now.
    pub inserted: u64,
    /// Positions ignored because a fix with the same `(vehicle_id, time)` was already stored (or
    /// came earlier in the same batch).
    pub duplicates: u64,
}

/// A rectangle of latitude and longitude, in degrees, bounds included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoBox {
    /// Southern edge.
    pub min_lat: f64,
    /// Western edge.
    pub min_lon: f64,
    /// Northern edge.
    pub max_lat: f64,
    /// Eastern edge.
    pub max_lon: f64,
}

/// Where a [`TrackStore::positions_between`] page ended: the last `(vehicle_id, time)` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackCursor {
    /// Vehicle of the last position returned.
    pub vehicle_id: String,
    /// Time of the last position returned.
    pub time: DateTime<Utc>,
}

/// One page of [`TrackStore::positions_between`].
#[derive(Debug, Clone, PartialEq)]
pub struct TrackPage {
    /// `(region, position)` in `(vehicle_id, time)` order.
    pub positions: Vec<(String, Position)>,
    /// The cursor for the next page; `None` when this page is the last.
    pub next: Option<TrackCursor>,
}

/// Vehicle track storage; a supertrait of [`crate::Repository`], implemented by [`SqlStore`].
#[async_trait]
pub trait TrackStore: Send + Sync {
    /// Stores a batch of fixes reported in `region`, in one transaction, and returns once it is
    /// durable. A fix whose `(vehicle_id, time)` is already stored is ignored and counted as a
    /// duplicate. The last known position of each vehicle moves to the batch's newest fix of it when
    /// that is newer than the stored one.
    async fn append_positions(
        &self,
        region: &str,
        positions: &[Position],
    ) -> StoreResult<AppendOutcome>;

    /// The last known position of each vehicle, with the region that reported it, by vehicle ID;
    /// restricted to one region and/or a set of vehicles when given. Never reads the track table.
    async fn latest_positions(
        &self,
        region: Option<&str>,
        vehicle_ids: Option<&[String]>,
    ) -> StoreResult<Vec<(String, Position)>>;

    /// A vehicle's fixes with `from <= time < to`, oldest first, at most `limit` (capped at
    /// [`MAX_READ_ROWS`]).
    async fn track(
        &self,
        vehicle_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> StoreResult<Vec<Position>>;

    /// Fixes inside `area` with `from <= time < to` (in one region when given), by time then
    /// vehicle, at most `limit` (capped at [`MAX_READ_ROWS`]).
    async fn positions_in_box(
        &self,
        region: Option<&str>,
        area: &GeoBox,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> StoreResult<Vec<Position>>;

    /// All fixes with `from <= time < to`, with their region, in `(vehicle_id, time)` order, one
    /// keyset page of at most `limit` (capped at [`MAX_READ_ROWS`]) after `after`. Reading a day
    /// page by page keeps memory bounded by the page size.
    async fn positions_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Option<&TrackCursor>,
        limit: usize,
    ) -> StoreResult<TrackPage>;

    /// Retention: removes every fix of a UTC day before `cutoff` and returns how many. On
    /// PostgreSQL whole day partitions are counted, detached and dropped; on SQLite rows are deleted
    /// in bounded chunks. Last known positions are kept.
    async fn drop_positions_before(&self, cutoff: NaiveDate) -> StoreResult<u64>;
}

/// Per-store track state: the PostgreSQL day partitions known to exist.
#[derive(Debug, Default)]
pub(crate) struct TrackState {
    days: Mutex<HashSet<NaiveDate>>,
}

impl TrackState {
    fn known(&self, day: NaiveDate) -> bool {
        self.days
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&day)
    }
    fn remember(&self, day: NaiveDate) {
        self.days
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(day);
    }
    fn forget_before(&self, cutoff: NaiveDate) {
        self.days
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|d| *d >= cutoff);
    }
}

fn millis(t: &DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn day_of(ms: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// Epoch milliseconds of `day`'s UTC midnight.
fn midnight_ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or(i64::MAX)
}

fn partition_name(day: NaiveDate) -> String {
    format!("{PARTITION_PREFIX}{}", day.format("%Y%m%d"))
}

fn decode_error(msg: String) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(msg.into()))
}

/// A stored row as `(region, position)`; the row has [`COLUMNS`].
fn decode(row: &AnyRow) -> StoreResult<(String, Position)> {
    let vehicle_id: String = row.try_get("vehicle_id")?;
    let ms: i64 = row.try_get("time_ms")?;
    let bad = |what: &str| decode_error(format!("position {vehicle_id}@{ms}: bad {what}"));
    let time = DateTime::<Utc>::from_timestamp_millis(ms).ok_or_else(|| bad("time"))?;
    let heading = u16::try_from(row.try_get::<i64, _>("heading")?).map_err(|_| bad("heading"))?;
    let altitude = i32::try_from(row.try_get::<i64, _>("altitude_m")?).map_err(|_| bad("alt"))?;
    let alarm = u32::try_from(row.try_get::<i64, _>("alarm")?).map_err(|_| bad("alarm"))?;
    let status = u32::try_from(row.try_get::<i64, _>("status")?).map_err(|_| bad("status"))?;
    let source: String = row.try_get("source")?;
    let source = PositionSource::parse(&source).ok_or_else(|| bad("source"))?;
    let position = Position {
        vehicle_id: VehicleId::new(vehicle_id.clone()),
        time,
        point: GeoPoint {
            lat: row.try_get("lat")?,
            lon: row.try_get("lon")?,
        },
        speed_kmh: row.try_get("speed_kmh")?,
        heading,
        altitude_m: altitude,
        alarm,
        status,
        mileage_km: row.try_get("mileage_km")?,
        fuel_l: row.try_get("fuel_l")?,
        source,
    };
    Ok((row.try_get("region")?, position))
}

/// Whether an append may simply be retried (PostgreSQL deadlock or serialization failure).
fn retryable(e: &StoreError) -> bool {
    match e {
        StoreError::Database(sqlx::Error::Database(db)) => {
            matches!(db.code().as_deref(), Some("40P01" | "40001"))
        }
        _ => false,
    }
}

/// Row counts of the statements that write `n` rows on SQLite: [`SQLITE_CHUNK`]s, then powers of two.
fn sqlite_chunks(mut n: usize) -> Vec<usize> {
    let mut out = Vec::new();
    while n > 0 {
        let take = if n >= SQLITE_CHUNK {
            SQLITE_CHUNK
        } else {
            1 << (usize::BITS - 1 - n.leading_zeros())
        };
        out.push(take);
        n -= take;
    }
    out
}

/// The `ON CONFLICT` tail that moves a last known position forward only.
fn latest_conflict() -> String {
    let sets = COLUMNS
        .split(", ")
        .skip(1)
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        " ON CONFLICT (vehicle_id) DO UPDATE SET {sets} WHERE positions_latest.time_ms < excluded.time_ms"
    )
}

/// `INSERT INTO table (COLUMNS) VALUES (?, …), … tail` for `rows` rows (SQLite).
fn sqlite_insert(table: &str, rows: usize, tail: &str) -> String {
    let row = format!("({})", vec!["?"; NCOLUMNS].join(", "));
    let values = vec![row.as_str(); rows].join(", ");
    format!("INSERT INTO {table} ({COLUMNS}) VALUES {values}{tail}")
}

/// Binds one row's values in [`COLUMNS`] order (owned: borrowed arguments trip the `Send` check of
/// the boxed trait futures).
fn bind_row<'q>(
    q: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    region: &str,
    p: &Position,
) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
    q.bind(p.vehicle_id.as_str().to_owned())
        .bind(millis(&p.time))
        .bind(region.to_owned())
        .bind(p.point.lat)
        .bind(p.point.lon)
        .bind(p.speed_kmh)
        .bind(i64::from(p.heading))
        .bind(i64::from(p.altitude_m))
        .bind(i64::from(p.alarm))
        .bind(i64::from(p.status))
        .bind(p.mileage_km)
        .bind(p.fuel_l)
        .bind(p.source.as_str().to_owned())
}

/// A PostgreSQL array literal of `items`, each already rendered.
fn pg_array<I: Iterator<Item = String>>(items: I) -> String {
    let mut s = String::from("{");
    for (i, item) in items.enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&item);
    }
    s.push('}');
    s
}

fn pg_text(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A float as PostgreSQL reads it back exactly (Rust prints the shortest exact representation).
fn pg_float(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}")
    } else if x.is_nan() {
        "NaN".into()
    } else if x > 0.0 {
        "Infinity".into()
    } else {
        "-Infinity".into()
    }
}

fn pg_opt_float(x: Option<f64>) -> String {
    x.map_or_else(|| "NULL".into(), pg_float)
}

/// `INSERT INTO table (COLUMNS) SELECT … FROM UNNEST($2::text[], …) tail` with the rows' columns
/// bound as array literals and the region as `$1` (PostgreSQL). One statement text for any row
/// count, and no typed NULL parameters (whose type the statement cache would pin).
fn pg_insert(table: &str, rows: &[&Position], tail: &str) -> (String, Vec<String>) {
    let sql = format!(
        "INSERT INTO {table} ({COLUMNS}) SELECT u.v, u.t, $1, u.lat, u.lon, u.speed, u.heading, u.alt, u.alarm, u.status, u.mileage, u.fuel, u.source \
         FROM UNNEST($2::text[], $3::int8[], $4::float8[], $5::float8[], $6::float8[], $7::int4[], $8::int4[], $9::int8[], $10::int8[], $11::float8[], $12::float8[], $13::text[]) \
         AS u(v, t, lat, lon, speed, heading, alt, alarm, status, mileage, fuel, source){tail}"
    );
    let col = |f: &dyn Fn(&Position) -> String| pg_array(rows.iter().map(|p| f(p)));
    let arrays = vec![
        col(&|p| pg_text(p.vehicle_id.as_str())),
        col(&|p| millis(&p.time).to_string()),
        col(&|p| pg_float(p.point.lat)),
        col(&|p| pg_float(p.point.lon)),
        col(&|p| pg_float(p.speed_kmh)),
        col(&|p| p.heading.to_string()),
        col(&|p| p.altitude_m.to_string()),
        col(&|p| p.alarm.to_string()),
        col(&|p| p.status.to_string()),
        col(&|p| pg_opt_float(p.mileage_km)),
        col(&|p| pg_opt_float(p.fuel_l)),
        col(&|p| pg_text(p.source.as_str())),
    ];
    (sql, arrays)
}

/// `rows` sorted by `(vehicle_id, time)`, keeping input order among equal keys.
fn sorted(positions: &[Position]) -> Vec<&Position> {
    let mut rows: Vec<&Position> = positions.iter().collect();
    rows.sort_by(|a, b| {
        (a.vehicle_id.as_str(), millis(&a.time)).cmp(&(b.vehicle_id.as_str(), millis(&b.time)))
    });
    rows
}

/// The newest fix of each vehicle in `rows` (sorted by vehicle, then time; the first of equal
/// times), in vehicle order.
fn newest_per_vehicle<'a>(rows: &[&'a Position]) -> Vec<&'a Position> {
    let mut out: Vec<&'a Position> = Vec::new();
    for p in rows {
        match out.last_mut() {
            Some(last) if last.vehicle_id == p.vehicle_id => {
                if millis(&p.time) > millis(&last.time) {
                    *last = p;
                }
            }
            _ => out.push(p),
        }
    }
    out
}

impl SqlStore {
    /// Writes `rows` and moves `latest` forward in one transaction; returns how many rows were new.
    async fn append_tx(
        &self,
        region: &str,
        rows: &[&Position],
        latest: &[&Position],
    ) -> StoreResult<u64> {
        let _guard = self.write_guard().await;
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        if self.backend == Backend::Sqlite {
            // A 32 MB page cache (the default is 2 MB) keeps the index pages a group commit touches
            // in memory, and the statement journal of multi-row inserts stays off the disk.
            for pragma in ["PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY"] {
                sqlx::query(pragma).execute(&mut *conn).await?;
            }
        }
        let mut tx = conn.begin().await.map_err(write_error)?;
        let inserted = match self.backend {
            Backend::Sqlite => {
                let n = sqlite_write(
                    &mut tx,
                    "positions",
                    region,
                    rows,
                    " ON CONFLICT DO NOTHING",
                );
                let n = n.await?;
                sqlite_write(
                    &mut tx,
                    "positions_latest",
                    region,
                    latest,
                    &latest_conflict(),
                )
                .await?;
                n
            }
            Backend::Postgres => {
                let n = pg_write(
                    &mut tx,
                    "positions",
                    region,
                    rows,
                    " ON CONFLICT DO NOTHING",
                );
                let n = n.await?;
                pg_write(
                    &mut tx,
                    "positions_latest",
                    region,
                    latest,
                    &latest_conflict(),
                )
                .await?;
                n
            }
        };
        tx.commit().await.map_err(write_error)?;
        Ok(inserted)
    }

    /// Makes sure a PostgreSQL day partition exists for every day in `rows`.
    async fn ensure_partitions(&self, rows: &[&Position]) -> StoreResult<()> {
        let mut days: Vec<NaiveDate> = rows.iter().map(|p| day_of(millis(&p.time))).collect();
        days.sort_unstable();
        days.dedup();
        for day in days {
            if !self.tracks.known(day) {
                self.create_partition(day).await?;
                self.tracks.remember(day);
            }
        }
        Ok(())
    }

    /// Creates `day`'s partition unless it exists, under an advisory lock so that processes do not
    /// race. Rows of that day already caught by the default partition are moved into it.
    async fn create_partition(&self, day: NaiveDate) -> StoreResult<()> {
        let name = partition_name(day);
        let (lo, hi) = (midnight_ms(day), midnight_ms(day + chrono::Days::new(1)));
        let mut conn = self.pool.acquire().await.map_err(write_error)?;
        let mut tx = conn.begin().await.map_err(write_error)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PARTITION_LOCK)
            .execute(&mut *tx)
            .await?;
        let stray = sqlx::query(
            "SELECT 1 AS one FROM positions_default WHERE time_ms >= $1 AND time_ms < $2 LIMIT 1",
        )
        .bind(lo)
        .bind(hi)
        .fetch_optional(&mut *tx)
        .await?;
        let ddl = if stray.is_none() {
            vec![format!("CREATE TABLE IF NOT EXISTS \"{name}\" PARTITION OF positions FOR VALUES FROM ({lo}) TO ({hi})")]
        } else {
            vec![
                format!("CREATE TABLE \"{name}\" (LIKE positions INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"),
                format!("WITH moved AS (DELETE FROM positions_default WHERE time_ms >= {lo} AND time_ms < {hi} RETURNING *) \
                         INSERT INTO \"{name}\" SELECT * FROM moved"),
                format!("ALTER TABLE positions ATTACH PARTITION \"{name}\" FOR VALUES FROM ({lo}) TO ({hi})"),
            ]
        };
        match run_ddl(&mut tx, &ddl).await {
            Ok(()) => tx.commit().await.map_err(write_error),
            // Another process made it at the same moment (42P07 duplicate table, 23505 its type).
            Err(sqlx::Error::Database(db))
                if matches!(db.code().as_deref(), Some("42P07" | "23505")) =>
            {
                Ok(())
            }
            Err(e) => Err(write_error(e)),
        }
    }

    /// PostgreSQL retention: counts, detaches and drops each day partition before `cutoff`, then
    /// clears such rows from the default partition.
    async fn drop_partitions_before(&self, cutoff: NaiveDate) -> StoreResult<u64> {
        let mut conn = self.pool.acquire().await?;
        let names: Vec<String> = sqlx::query(
            "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             WHERE i.inhparent = 'positions'::regclass",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<Result<_, _>>()?;
        let mut removed = 0u64;
        for name in names {
            let Some(day) = name
                .strip_prefix(PARTITION_PREFIX)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
            else {
                continue;
            };
            if day < cutoff {
                removed += drop_partition(&mut conn, &name).await?;
            }
        }
        self.tracks.forget_before(cutoff);
        let done = sqlx::query("DELETE FROM positions_default WHERE time_ms < $1")
            .bind(midnight_ms(cutoff))
            .execute(&mut *conn)
            .await
            .map_err(write_error)?;
        Ok(removed + done.rows_affected())
    }

    /// SQLite retention: deletes rows before `cutoff` a chunk at a time, each chunk its own
    /// transaction, so that appends interleave.
    async fn delete_rows_before(&self, cutoff: NaiveDate) -> StoreResult<u64> {
        let sql = format!(
            "DELETE FROM positions WHERE rowid IN \
             (SELECT rowid FROM positions WHERE time_ms < ? LIMIT {SQLITE_DELETE_CHUNK})"
        );
        let mut removed = 0u64;
        loop {
            let _guard = self.write_guard().await;
            let mut conn = self.pool.acquire().await.map_err(write_error)?;
            let done = sqlx::query(&sql)
                .bind(midnight_ms(cutoff))
                .execute(&mut *conn)
                .await
                .map_err(write_error)?;
            removed += done.rows_affected();
            if done.rows_affected() == 0 {
                return Ok(removed);
            }
        }
    }

    async fn fetch_positions(&self, sql: Sql) -> StoreResult<Vec<(String, Position)>> {
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter().map(decode).collect()
    }

    /// `SELECT COLUMNS FROM table WHERE from <= time_ms < to`.
    fn select_between(&self, table: &str, from: &DateTime<Utc>, to: &DateTime<Utc>) -> Sql {
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {COLUMNS} FROM {table} WHERE time_ms >= "),
        );
        sql.bind(Arg::Int(millis(from)))
            .push(" AND time_ms < ")
            .bind(Arg::Int(millis(to)));
        sql
    }
}

/// Runs DDL statements one by one, unprepared (`raw_sql` futures are not `Send` enough for the boxed
/// trait futures).
async fn run_ddl(conn: &mut AnyConnection, statements: &[String]) -> Result<(), sqlx::Error> {
    for s in statements {
        sqlx::query(s).persistent(false).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Detaches and drops one PostgreSQL day partition; returns how many rows it held.
async fn drop_partition(conn: &mut AnyConnection, name: &str) -> StoreResult<u64> {
    let mut tx = conn.begin().await.map_err(write_error)?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(PARTITION_LOCK)
        .execute(&mut *tx)
        .await?;
    let rows: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM \"{name}\""))
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
    let ddl = [
        format!("ALTER TABLE positions DETACH PARTITION \"{name}\""),
        format!("DROP TABLE \"{name}\""),
    ];
    run_ddl(&mut tx, &ddl).await.map_err(write_error)?;
    tx.commit().await.map_err(write_error)?;
    Ok(rows as u64)
}

/// Inserts `rows` into `table` with multi-row `INSERT`s (SQLite); returns the rows written.
async fn sqlite_write(
    conn: &mut AnyConnection,
    table: &str,
    region: &str,
    rows: &[&Position],
    tail: &str,
) -> StoreResult<u64> {
    let mut written = 0;
    let mut rest = rows;
    for n in sqlite_chunks(rows.len()) {
        let (chunk, more) = rest.split_at(n);
        rest = more;
        let sql = sqlite_insert(table, n, tail);
        let q = chunk
            .iter()
            .fold(sqlx::query(&sql), |q, p| bind_row(q, region, p));
        written += q
            .execute(&mut *conn)
            .await
            .map_err(write_error)?
            .rows_affected();
    }
    Ok(written)
}

/// Inserts `rows` into `table` with `INSERT … SELECT FROM UNNEST` (PostgreSQL); returns the rows
/// written.
async fn pg_write(
    conn: &mut AnyConnection,
    table: &str,
    region: &str,
    rows: &[&Position],
    tail: &str,
) -> StoreResult<u64> {
    let mut written = 0;
    for chunk in rows.chunks(PG_CHUNK) {
        let (sql, arrays) = pg_insert(table, chunk, tail);
        let q = arrays
            .into_iter()
            .fold(sqlx::query(&sql).bind(region.to_owned()), |q, a| q.bind(a));
        written += q
            .execute(&mut *conn)
            .await
            .map_err(write_error)?
            .rows_affected();
    }
    Ok(written)
}

#[async_trait]
impl TrackStore for SqlStore {
    async fn append_positions(
        &self,
        region: &str,
        positions: &[Position],
    ) -> StoreResult<AppendOutcome> {
        if positions.is_empty() {
            return Ok(AppendOutcome::default());
        }
        // Sorted rows take their locks in one global order, so concurrent batches cannot deadlock
        // (PostgreSQL), and land in the b-tree in key order (both).
        let rows = sorted(positions);
        let latest = newest_per_vehicle(&rows);
        if self.backend == Backend::Postgres {
            self.ensure_partitions(&rows).await?;
        }
        let mut attempt = 1;
        let inserted = loop {
            match self.append_tx(region, &rows, &latest).await {
                Err(e) if attempt < APPEND_ATTEMPTS && retryable(&e) => attempt += 1,
                other => break other?,
            }
        };
        Ok(AppendOutcome {
            inserted,
            duplicates: positions.len() as u64 - inserted,
        })
    }

    async fn latest_positions(
        &self,
        region: Option<&str>,
        vehicle_ids: Option<&[String]>,
    ) -> StoreResult<Vec<(String, Position)>> {
        if vehicle_ids.is_some_and(|v| v.is_empty()) {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {COLUMNS} FROM positions_latest WHERE 1 = 1"),
        );
        if let Some(r) = region {
            sql.push(" AND region = ").bind(Arg::Text(Some(r.into())));
        }
        if let Some(ids) = vehicle_ids {
            match self.backend {
                Backend::Sqlite => {
                    let json = serde_json::to_string(ids).unwrap_or_default();
                    sql.push(" AND vehicle_id IN (SELECT value FROM json_each(")
                        .bind(Arg::Text(Some(json)))
                        .push("))");
                }
                Backend::Postgres => {
                    let array = pg_array(ids.iter().map(|s| pg_text(s)));
                    sql.push(" AND vehicle_id = ANY(")
                        .bind(Arg::Text(Some(array)))
                        .push("::text[])");
                }
            }
        }
        sql.push(" ORDER BY vehicle_id");
        self.fetch_positions(sql).await
    }

    async fn track(
        &self,
        vehicle_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> StoreResult<Vec<Position>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut sql = self.select_between("positions", &from, &to);
        sql.push(" AND vehicle_id = ")
            .bind(Arg::Text(Some(vehicle_id.into())))
            .push(&format!(
                " ORDER BY time_ms LIMIT {}",
                limit.min(MAX_READ_ROWS)
            ));
        let rows = self.fetch_positions(sql).await?;
        Ok(rows.into_iter().map(|(_, p)| p).collect())
    }

    async fn positions_in_box(
        &self,
        region: Option<&str>,
        area: &GeoBox,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: usize,
    ) -> StoreResult<Vec<Position>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut sql = self.select_between("positions", &from, &to);
        sql.push(" AND lat >= ").bind(Arg::Float(area.min_lat));
        sql.push(" AND lat <= ").bind(Arg::Float(area.max_lat));
        sql.push(" AND lon >= ").bind(Arg::Float(area.min_lon));
        sql.push(" AND lon <= ").bind(Arg::Float(area.max_lon));
        if let Some(r) = region {
            sql.push(" AND region = ").bind(Arg::Text(Some(r.into())));
        }
        sql.push(&format!(
            " ORDER BY time_ms, vehicle_id LIMIT {}",
            limit.min(MAX_READ_ROWS)
        ));
        let rows = self.fetch_positions(sql).await?;
        Ok(rows.into_iter().map(|(_, p)| p).collect())
    }

    async fn positions_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Option<&TrackCursor>,
        limit: usize,
    ) -> StoreResult<TrackPage> {
        let limit = limit.clamp(1, MAX_READ_ROWS);
        // On SQLite the time terms are written `+time_ms`, which keeps the planner off the time
        // index: the primary key then yields (vehicle_id, time) order without a sort. PostgreSQL
        // needs the plain column to prune partitions.
        let t = match self.backend {
            Backend::Sqlite => "+time_ms",
            Backend::Postgres => "time_ms",
        };
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {COLUMNS} FROM positions WHERE {t} >= "),
        );
        sql.bind(Arg::Int(millis(&from)));
        sql.push(&format!(" AND {t} < "))
            .bind(Arg::Int(millis(&to)));
        if let Some(c) = after {
            sql.push(" AND (vehicle_id, time_ms) > (")
                .bind(Arg::Text(Some(c.vehicle_id.clone())))
                .push(", ")
                .bind(Arg::Int(millis(&c.time)))
                .push(")");
        }
        sql.push(&format!(
            " ORDER BY vehicle_id, time_ms LIMIT {}",
            limit + 1
        ));
        let mut positions = self.fetch_positions(sql).await?;
        let next = if positions.len() > limit {
            positions.truncate(limit);
            positions.last().map(|(_, p)| TrackCursor {
                vehicle_id: p.vehicle_id.as_str().to_string(),
                time: p.time,
            })
        } else {
            None
        };
        Ok(TrackPage { positions, next })
    }

    async fn drop_positions_before(&self, cutoff: NaiveDate) -> StoreResult<u64> {
        match self.backend {
            Backend::Sqlite => self.delete_rows_before(cutoff).await,
            Backend::Postgres => self.drop_partitions_before(cutoff).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_full_then_powers_of_two() {
        assert_eq!(sqlite_chunks(0), Vec::<usize>::new());
        assert_eq!(sqlite_chunks(1000), [512, 256, 128, 64, 32, 8]);
        assert_eq!(sqlite_chunks(1100), [512, 512, 64, 8, 4]);
        const { assert!(SQLITE_CHUNK * NCOLUMNS <= 32_766) };
    }

    #[test]
    fn pg_literals_quote_and_round_trip() {
        assert_eq!(pg_text(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(pg_opt_float(None), "NULL");
        let x = 24.123_456_789_012_345_f64;
        assert_eq!(pg_float(x).parse::<f64>().unwrap(), x);
        assert_eq!(pg_float(f64::INFINITY), "Infinity");
    }

    #[test]
    fn days_and_partitions_are_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(partition_name(day), "positions_20261203");
        assert_eq!(day_of(midnight_ms(day)), day);
        assert_eq!(day_of(midnight_ms(day) - 1), day.pred_opt().unwrap());
    }
}
