//! Indicator aggregates: the waybill fact rows and their daily rollup (migration 0009), kept in the
//! waybill's own transaction ([`SqlStore::sync_waybill_facts`]), and the reads the dashboard makes.
//!
//! City-wide reads go to `stat_day` (one row per region, day, county and industry) and
//! `stat_vehicle_day` (one row per vehicle and day), so their cost grows with days × counties ×
//! industries, not with waybills. A party's reads (a shipper or carrier sees its own numbers) go to
//! `waybill_facts` through its `(shipper, day)` / `(carrier, day)` indexes.

use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};

use super::{Arg, Sql, SqlStore};
use crate::facts::{self, LoadTerms, WaybillFacts};
use crate::StoreResult;

/// How rows of a [`StatQuery`] are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatGroup {
    /// One row for the whole range (key `total`).
    Total,
    /// One row per day (`YYYY-MM-DD`).
    Day,
    /// One row per month (`YYYY-MM`).
    Month,
    /// One row per county code.
    County,
    /// One row per two-digit cargo class.
    Industry,
}

/// An aggregate read.
#[derive(Debug, Clone, PartialEq)]
pub struct StatQuery {
    /// Region, or all regions.
    pub region: Option<String>,
    /// First day, inclusive.
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// Only this county.
    pub county: Option<String>,
    /// Only this cargo class.
    pub industry: Option<String>,
    /// Only waybills this party ships or carries.
    pub party: Option<String>,
    /// Grouping.
    pub group: StatGroup,
}

/// One aggregate row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatRow {
    /// Group key (see [`StatGroup`]).
    pub key: String,
    /// Counted waybills.
    pub waybills: u64,
    /// Tonnes.
    pub tonnes: f64,
    /// Tonne-kilometres.
    pub tonne_km: f64,
    /// Yuan.
    pub amount: f64,
    /// Cold-chain waybills.
    pub cold: u64,
    /// Waybills delivered by their deadline.
    pub on_time: u64,
    /// Waybills whose punctuality is known.
    pub timed: u64,
    /// Sum of despatch-to-receipt hours.
    pub hours: f64,
    /// Waybills with a receipt time (the denominator of mean hours).
    pub delivered: u64,
    /// Distinct vehicles (only for [`StatGroup::Total`], [`StatGroup::Day`], [`StatGroup::Month`]).
    pub active_vehicles: u64,
}

/// Who reports in a diffusion index: the fact column units are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// Carrier parties.
    Carrier,
    /// Shipper parties.
    Shipper,
    /// Counties of loading.
    County,
}

impl UnitKind {
    fn column(self) -> &'static str {
        match self {
            UnitKind::Carrier => "carrier",
            UnitKind::Shipper => "shipper",
            UnitKind::County => "county",
        }
    }
}

/// One unit's values of a month, for the diffusion index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitMonth {
    /// Party ID or county code.
    pub unit: String,
    /// Counted waybills.
    pub waybills: u64,
    /// Tonne-kilometres.
    pub tonne_km: f64,
    /// Tonnes.
    pub tonnes: f64,
    /// Distinct vehicles.
    pub vehicles: u64,
    /// Distinct vehicle-days with a waybill.
    pub vehicle_days: u64,
    /// Mean despatch-to-receipt hours, when any is known.
    pub mean_hours: Option<f64>,
}

/// Aggregate reads; a supertrait of [`crate::Repository`].
#[async_trait]
pub trait StatsStore: Send + Sync {
    /// Aggregates counted waybills.
    async fn stats(&self, q: &StatQuery) -> StoreResult<Vec<StatRow>>;
    /// Per-unit values of the month `month` (`YYYY-MM`), for units with waybills.
    async fn unit_months(
        &self,
        region: Option<&str>,
        month: &str,
        unit: UnitKind,
    ) -> StoreResult<Vec<UnitMonth>>;
    /// Open alerts of a region, or those involving `party`.
    async fn open_alerts(&self, region: Option<&str>, party: Option<&str>) -> StoreResult<u64>;
    /// Waybill counts by loading point rounded to 0.01° over a day range: `(lat, lon, waybills)`.
    async fn origin_heat(
        &self,
        region: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(f64, f64, u64)>>;
}

// Integer sums are cast back to BIGINT: PostgreSQL's SUM(bigint) is numeric.
const SUMS: &str = "CAST(SUM(waybills) AS BIGINT), SUM(tonnes), SUM(tonne_km), SUM(amount), CAST(SUM(cold) AS BIGINT), CAST(SUM(on_time) AS BIGINT), CAST(SUM(timed) AS BIGINT), SUM(hours), CAST(SUM(delivered) AS BIGINT)";
const FACT_SUMS: &str = "COUNT(*), SUM(tonnes), SUM(tonnes * km), SUM(amount), CAST(SUM(cold) AS BIGINT), CAST(SUM(CASE WHEN on_time = 1 THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN on_time IS NULL THEN 0 ELSE 1 END) AS BIGINT), SUM(COALESCE(hours, 0.0)), CAST(SUM(CASE WHEN hours IS NULL THEN 0 ELSE 1 END) AS BIGINT)";

fn group_expr(g: StatGroup) -> &'static str {
    match g {
        StatGroup::Total => "'total'",
        StatGroup::Day => "day",
        StatGroup::Month => "substr(day, 1, 7)",
        StatGroup::County => "county",
        StatGroup::Industry => "industry",
    }
}

/// A nullable numeric column as `f64` (0 when NULL); SQLite may hand back an integer for a sum of
/// whole numbers.
fn real(row: &sqlx::any::AnyRow, i: usize) -> StoreResult<f64> {
    match row.try_get::<Option<f64>, _>(i) {
        Ok(v) => Ok(v.unwrap_or(0.0)),
        Err(_) => Ok(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0) as f64),
    }
}

fn day(d: NaiveDate) -> Arg {
    Arg::Text(Some(d.format("%Y-%m-%d").to_string()))
}

impl SqlStore {
    fn where_clause(&self, sql: &mut Sql, q: &StatQuery, facts: bool) {
        sql.push(" WHERE day >= ").bind(day(q.from));
        sql.push(" AND day <= ").bind(day(q.to));
        if let Some(r) = &q.region {
            sql.push(" AND region = ").bind(Arg::Text(Some(r.clone())));
        }
        if let Some(c) = &q.county {
            sql.push(" AND county = ").bind(Arg::Text(Some(c.clone())));
        }
        if let Some(i) = &q.industry {
            sql.push(" AND industry = ")
                .bind(Arg::Text(Some(i.clone())));
        }
        if let (true, Some(p)) = (facts, &q.party) {
            sql.push(" AND (shipper = ")
                .bind(Arg::Text(Some(p.clone())));
            sql.push(" OR carrier = ").bind(Arg::Text(Some(p.clone())));
            sql.push(")");
        }
    }

    fn decode_stat(row: &sqlx::any::AnyRow) -> StoreResult<StatRow> {
        let f = |i: usize| -> StoreResult<f64> { real(row, i) };
        let n = |i: usize| -> StoreResult<u64> {
            Ok(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0).max(0) as u64)
        };
        Ok(StatRow {
            key: row.try_get::<String, _>(0)?,
            waybills: n(1)?,
            tonnes: f(2)?,
            tonne_km: f(3)?,
            amount: f(4)?,
            cold: n(5)?,
            on_time: n(6)?,
            timed: n(7)?,
            hours: f(8)?,
            delivered: n(9)?,
            active_vehicles: 0,
        })
    }

    /// Distinct vehicles per group key (day, month or total).
    async fn active_vehicles(
        &self,
        conn: &mut AnyConnection,
        q: &StatQuery,
    ) -> StoreResult<Vec<(String, u64)>> {
        let g = group_expr(q.group);
        let by_facts = q.party.is_some() || q.county.is_some() || q.industry.is_some();
        let table = if by_facts {
            "waybill_facts"
        } else {
            "stat_vehicle_day"
        };
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {g} AS k, COUNT(DISTINCT vehicle) FROM {table}"),
        );
        self.where_clause(&mut sql, q, true);
        sql.push(" GROUP BY 1");
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<String, _>(0)?,
                    r.try_get::<i64, _>(1)?.max(0) as u64,
                ))
            })
            .collect()
    }
}

#[async_trait]
impl StatsStore for SqlStore {
    async fn stats(&self, q: &StatQuery) -> StoreResult<Vec<StatRow>> {
        let g = group_expr(q.group);
        let (table, sums) = match q.party {
            Some(_) => ("waybill_facts", FACT_SUMS),
            None => ("stat_day", SUMS),
        };
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {g} AS k, {sums} FROM {table}"),
        );
        self.where_clause(&mut sql, q, true);
        sql.push(" GROUP BY 1 ORDER BY 1");
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        let mut out = rows
            .iter()
            .map(Self::decode_stat)
            .collect::<StoreResult<Vec<_>>>()?;
        if matches!(
            q.group,
            StatGroup::Total | StatGroup::Day | StatGroup::Month
        ) {
            let active = self.active_vehicles(&mut conn, q).await?;
            for row in &mut out {
                if let Some((_, n)) = active.iter().find(|(k, _)| *k == row.key) {
                    row.active_vehicles = *n;
                }
            }
        }
        Ok(out)
    }

    async fn unit_months(
        &self,
        region: Option<&str>,
        month: &str,
        unit: UnitKind,
    ) -> StoreResult<Vec<UnitMonth>> {
        let col = unit.column();
        let mut sql = Sql::new(
            self.backend,
            format!(
                "SELECT {col}, SUM(tonnes * km), SUM(tonnes), COUNT(DISTINCT vehicle), \
                 COUNT(DISTINCT vehicle || '|' || day), AVG(hours), COUNT(*) FROM waybill_facts WHERE day >= "
            ),
        );
        sql.bind(Arg::Text(Some(format!("{month}-01"))));
        sql.push(" AND day <= ")
            .bind(Arg::Text(Some(format!("{month}-31"))));
        if let Some(r) = region {
            sql.push(" AND region = ")
                .bind(Arg::Text(Some(r.to_string())));
        }
        sql.push(" GROUP BY 1");
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|r| {
                Ok(UnitMonth {
                    unit: r.try_get::<String, _>(0)?,
                    tonne_km: real(r, 1)?,
                    tonnes: real(r, 2)?,
                    vehicles: r.try_get::<i64, _>(3)?.max(0) as u64,
                    vehicle_days: r.try_get::<i64, _>(4)?.max(0) as u64,
                    mean_hours: r.try_get::<Option<f64>, _>(5)?,
                    waybills: r.try_get::<i64, _>(6)?.max(0) as u64,
                })
            })
            .collect()
    }

    async fn open_alerts(&self, region: Option<&str>, party: Option<&str>) -> StoreResult<u64> {
        let mut sql = Sql::new(
            self.backend,
            "SELECT COUNT(*) FROM alerts WHERE status = 'open'",
        );
        if let Some(r) = region {
            sql.push(" AND region = ")
                .bind(Arg::Text(Some(r.to_string())));
        }
        if let Some(p) = party {
            sql.push(" AND (owner_party = ")
                .bind(Arg::Text(Some(p.to_string())));
            sql.push(" OR partner_party = ")
                .bind(Arg::Text(Some(p.to_string())));
            sql.push(")");
        }
        let mut conn = self.pool.acquire().await?;
        let row = sql.query().fetch_one(&mut *conn).await?;
        Ok(row.try_get::<i64, _>(0)?.max(0) as u64)
    }

    async fn origin_heat(
        &self,
        region: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<(f64, f64, u64)>> {
        let cell = "ROUND(origin_lat * 100) / 100.0, ROUND(origin_lon * 100) / 100.0";
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {cell}, COUNT(*) FROM waybill_facts WHERE origin_lat IS NOT NULL AND day >= "),
        );
        sql.bind(day(from)).push(" AND day <= ").bind(day(to));
        if let Some(r) = region {
            sql.push(" AND region = ")
                .bind(Arg::Text(Some(r.to_string())));
        }
        sql.push(" GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 2000");
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    real(r, 0)?,
                    real(r, 1)?,
                    r.try_get::<i64, _>(2)?.max(0) as u64,
                ))
            })
            .collect()
    }
}

impl SqlStore {
    /// Brings the facts and rollups of waybill `id` in line with its new `body` (`None` when the
    /// waybill is gone): subtracts the old fact row's contribution, adds the new one. Runs on the
    /// connection (transaction) that writes the waybill.
    pub(crate) async fn sync_waybill_facts(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        id: &str,
        body: &serde_json::Value,
    ) -> StoreResult<()> {
        let load = match facts::load_id(body) {
            Some(lid) => self.load_terms(conn, lid).await?,
            None => None,
        };
        let new = facts::waybill_facts(body, load.as_ref());
        if let Some(old) = self.old_facts(conn, region, id).await? {
            if new.as_ref() == Some(&old) {
                return Ok(());
            }
            self.apply_facts(conn, region, id, &old, -1).await?;
        }
        if let Some(f) = new {
            self.apply_facts(conn, region, id, &f, 1).await?;
        }
        Ok(())
    }

    async fn load_terms(
        &self,
        conn: &mut AnyConnection,
        load_id: &str,
    ) -> StoreResult<Option<LoadTerms>> {
        let mut sql = Sql::new(
            self.backend,
            format!(
                "SELECT {} FROM loads WHERE id = ",
                self.backend.body_select()
            ),
        );
        sql.bind(Arg::Text(Some(load_id.to_string())));
        let row = sql.query().fetch_optional(&mut *conn).await?;
        Ok(match row {
            Some(r) => {
                let text: String = r.try_get(0)?;
                serde_json::from_str(&text)
                    .ok()
                    .map(|b: serde_json::Value| LoadTerms::from_load(&b))
            }
            None => None,
        })
    }

    async fn old_facts(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        id: &str,
    ) -> StoreResult<Option<WaybillFacts>> {
        let mut sql = Sql::new(
            self.backend,
            "SELECT day, county, industry, shipper, carrier, vehicle, tonnes, km, amount, cold, on_time, hours, origin_lat, origin_lon FROM waybill_facts WHERE region = ",
        );
        sql.bind(Arg::Text(Some(region.to_string())));
        sql.push(" AND id = ").bind(Arg::Text(Some(id.to_string())));
        let Some(r) = sql.query().fetch_optional(&mut *conn).await? else {
            return Ok(None);
        };
        let lat: Option<f64> = r.try_get(12)?;
        let lon: Option<f64> = r.try_get(13)?;
        Ok(Some(WaybillFacts {
            day: r.try_get(0)?,
            county: r.try_get(1)?,
            industry: r.try_get(2)?,
            shipper: r.try_get(3)?,
            carrier: r.try_get(4)?,
            vehicle: r.try_get(5)?,
            tonnes: r.try_get(6)?,
            km: r.try_get(7)?,
            amount: r.try_get(8)?,
            cold: r.try_get::<i64, _>(9)? == 1,
            on_time: r.try_get::<Option<i64>, _>(10)?.map(|v| v == 1),
            hours: r.try_get(11)?,
            origin: lat.zip(lon),
        }))
    }

    /// Adds (`sign` 1) or removes (`sign` −1) one fact row and its share of the rollups.
    async fn apply_facts(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        id: &str,
        f: &WaybillFacts,
        sign: i64,
    ) -> StoreResult<()> {
        if sign > 0 {
            self.insert_fact(conn, region, id, f).await?;
        } else {
            let mut sql = Sql::new(self.backend, "DELETE FROM waybill_facts WHERE region = ");
            sql.bind(Arg::Text(Some(region.to_string())));
            sql.push(" AND id = ").bind(Arg::Text(Some(id.to_string())));
            sql.query().execute(&mut *conn).await?;
        }
        self.add_to_rollup(conn, region, f, sign).await?;
        self.add_vehicle_day(conn, region, f, sign).await
    }

    async fn insert_fact(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        id: &str,
        f: &WaybillFacts,
    ) -> StoreResult<()> {
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO waybill_facts (id, region, day, county, industry, shipper, carrier, vehicle, tonnes, km, amount, cold, on_time, hours, origin_lat, origin_lon) VALUES (",
        );
        let t = |s: &str| Arg::Text(Some(s.to_string()));
        let opt = Arg::FloatOpt;
        let args = [
            t(id),
            t(region),
            t(&f.day),
            t(&f.county),
            t(&f.industry),
            t(&f.shipper),
            t(&f.carrier),
            t(&f.vehicle),
            Arg::Float(f.tonnes),
            Arg::Float(f.km),
            Arg::Float(f.amount),
            Arg::Int(f.cold as i64),
            Arg::IntOpt(f.on_time.map(|b| b as i64)),
            opt(f.hours),
            opt(f.origin.map(|o| o.0)),
            opt(f.origin.map(|o| o.1)),
        ];
        for (i, a) in args.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(a);
        }
        sql.push(")");
        sql.query().execute(&mut *conn).await?;
        Ok(())
    }

    async fn add_to_rollup(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        f: &WaybillFacts,
        sign: i64,
    ) -> StoreResult<()> {
        let s = sign as f64;
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO stat_day (region, day, county, industry, waybills, tonnes, tonne_km, amount, cold, on_time, timed, hours, delivered) VALUES (",
        );
        let t = |v: &str| Arg::Text(Some(v.to_string()));
        let args = [
            t(region),
            t(&f.day),
            t(&f.county),
            t(&f.industry),
            Arg::Int(sign),
            Arg::Float(s * f.tonnes),
            Arg::Float(s * f.tonnes * f.km),
            Arg::Float(s * f.amount),
            Arg::Int(sign * f.cold as i64),
            Arg::Int(sign * (f.on_time == Some(true)) as i64),
            Arg::Int(sign * f.on_time.is_some() as i64),
            Arg::Float(s * f.hours.unwrap_or(0.0)),
            Arg::Int(sign * f.hours.is_some() as i64),
        ];
        for (i, a) in args.into_iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(a);
        }
        sql.push(
            ") ON CONFLICT (region, day, county, industry) DO UPDATE SET \
             waybills = stat_day.waybills + excluded.waybills, tonnes = stat_day.tonnes + excluded.tonnes, \
             tonne_km = stat_day.tonne_km + excluded.tonne_km, amount = stat_day.amount + excluded.amount, \
             cold = stat_day.cold + excluded.cold, on_time = stat_day.on_time + excluded.on_time, \
             timed = stat_day.timed + excluded.timed, hours = stat_day.hours + excluded.hours, \
             delivered = stat_day.delivered + excluded.delivered",
        );
        sql.query().execute(&mut *conn).await?;
        Ok(())
    }

    async fn add_vehicle_day(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        f: &WaybillFacts,
        sign: i64,
    ) -> StoreResult<()> {
        let t = |v: &str| Arg::Text(Some(v.to_string()));
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO stat_vehicle_day (region, day, vehicle, waybills) VALUES (",
        );
        sql.bind(t(region)).push(", ").bind(t(&f.day)).push(", ");
        sql.bind(t(&f.vehicle)).push(", ").bind(Arg::Int(sign));
        sql.push(") ON CONFLICT (region, day, vehicle) DO UPDATE SET waybills = stat_vehicle_day.waybills + excluded.waybills");
        sql.query().execute(&mut *conn).await?;
        if sign < 0 {
            let mut del = Sql::new(
                self.backend,
                "DELETE FROM stat_vehicle_day WHERE waybills <= 0 AND region = ",
            );
            del.bind(t(region)).push(" AND day = ").bind(t(&f.day));
            del.push(" AND vehicle = ").bind(t(&f.vehicle));
            del.query().execute(&mut *conn).await?;
        }
        Ok(())
    }
}
