//! Indicator aggregates: the waybill fact rows and their daily rollup (migration 0009), kept in the
//! waybill's own transaction ([`SqlStore::sync_waybill_facts`]), and the reads the dashboard makes.
//!
//! City-wide reads go to `stat_day` (one row per region, day, county and industry) and
//! `stat_vehicle_day` (one row per vehicle and day), so their cost grows with days × counties ×
//! industries, not with waybills. The prosperity index's per-unit months read
//! `stat_unit_vehicle_month` (one row per unit, vehicle and month, with `stat_unit_vehicle_day` for
//! the distinct vehicle-days) and the load heat map `stat_origin_day`; a party's reads go to
//! `stat_party_day` and `stat_party_vehicle_day`, the same rollups per party (migration 0010); only
//! a party's active vehicles filtered by county or industry still read `waybill_facts`.

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
    /// The filter of `q`; its party as `(shipper = p OR carrier = p)` on the facts (`facts`), else as
    /// `party = p` (the party rollups), else ignored (the city rollups).
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

    fn where_party(&self, sql: &mut Sql, q: &StatQuery) {
        self.where_clause(sql, q, false);
        if let Some(p) = &q.party {
            sql.push(" AND party = ").bind(Arg::Text(Some(p.clone())));
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
        // The vehicle rollups have no county or industry; such filters read the facts.
        let by_facts = q.county.is_some() || q.industry.is_some();
        let table = match (by_facts, q.party.is_some()) {
            (true, _) => "waybill_facts",
            (false, true) => "stat_party_vehicle_day",
            (false, false) => "stat_vehicle_day",
        };
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {g} AS k, COUNT(DISTINCT vehicle) FROM {table}"),
        );
        if by_facts {
            self.where_clause(&mut sql, q, true);
        } else {
            self.where_party(&mut sql, q);
        }
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
        let table = match q.party {
            Some(_) => "stat_party_day",
            None => "stat_day",
        };
        let mut sql = Sql::new(
            self.backend,
            format!("SELECT {g} AS k, {SUMS} FROM {table}"),
        );
        self.where_party(&mut sql, q);
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
        // The per-unit rollup (migration 0010): one row per unit and vehicle of the month.
        let mut sql = Sql::new(
            self.backend,
            "SELECT unit, SUM(tonne_km), SUM(tonnes), COUNT(*), CAST(SUM(days) AS BIGINT), \
             CASE WHEN SUM(delivered) > 0 THEN SUM(hours) / CAST(SUM(delivered) AS DOUBLE PRECISION) END, \
             CAST(SUM(waybills) AS BIGINT) FROM stat_unit_vehicle_month WHERE month = ",
        );
        sql.bind(Arg::Text(Some(month.to_string())));
        sql.push(" AND kind = ")
            .bind(Arg::Text(Some(unit.column().to_string())));
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
                    mean_hours: match r.try_get::<Option<f64>, _>(5) {
                        Ok(v) => v,
                        Err(_) => r.try_get::<Option<i64>, _>(5)?.map(|v| v as f64),
                    },
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
        // The rollup by day and 0.01° cell (migration 0010), not the facts.
        let mut sql = Sql::new(
            self.backend,
            "SELECT lat_cell, lon_cell, CAST(SUM(waybills) AS BIGINT) FROM stat_origin_day WHERE day >= ",
        );
        sql.bind(day(from)).push(" AND day <= ").bind(day(to));
        if let Some(r) = region {
            sql.push(" AND region = ")
                .bind(Arg::Text(Some(r.to_string())));
        }
        sql.push(" GROUP BY 1, 2 HAVING SUM(waybills) > 0 ORDER BY 3 DESC, 1, 2 LIMIT 2000");
        let mut conn = self.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>(0)? as f64 / 100.0,
                    r.try_get::<i64, _>(1)? as f64 / 100.0,
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
        self.add_to_rollup(conn, region, f, None, sign).await?;
        self.add_vehicle_day(conn, region, f, None, sign).await?;
        // Each party once, whether it ships, carries or both (one statement for both rows).
        let mut parties = vec![f.shipper.as_str()];
        if f.carrier != f.shipper {
            parties.push(&f.carrier);
        }
        self.add_to_rollup(conn, region, f, Some(&parties), sign)
            .await?;
        self.add_vehicle_day(conn, region, f, Some(&parties), sign)
            .await?;
        self.add_unit_months(conn, region, f, sign).await?;
        self.add_origin_day(conn, region, f, sign).await
    }

    /// Adds (`sign` 1) or removes (−1) one fact's waybill in its loading point's 0.01° cell.
    async fn add_origin_day(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        f: &WaybillFacts,
        sign: i64,
    ) -> StoreResult<()> {
        let Some((lat, lon)) = f.origin else {
            return Ok(());
        };
        let cell = |x: f64| Arg::Int((x * 100.0).round() as i64);
        let t = |v: &str| Arg::Text(Some(v.to_string()));
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO stat_origin_day (region, day, lat_cell, lon_cell, waybills) VALUES (",
        );
        sql.bind(t(region)).push(", ").bind(t(&f.day)).push(", ");
        sql.bind(cell(lat)).push(", ").bind(cell(lon)).push(", ");
        sql.bind(Arg::Int(sign));
        sql.push(") ON CONFLICT (region, day, lat_cell, lon_cell) DO UPDATE SET waybills = stat_origin_day.waybills + excluded.waybills");
        sql.query().execute(&mut *conn).await?;
        if sign < 0 {
            let mut del = Sql::new(
                self.backend,
                "DELETE FROM stat_origin_day WHERE waybills <= 0 AND region = ",
            );
            del.bind(t(region)).push(" AND day = ").bind(t(&f.day));
            del.push(" AND lat_cell = ").bind(cell(lat));
            del.push(" AND lon_cell = ").bind(cell(lon));
            del.query().execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Adds (`sign` 1) or removes (−1) one fact's share of its units' months (carrier, shipper and
    /// county, one row each): `stat_unit_vehicle_day` tells whether the vehicle's day for a unit is
    /// new or gone, for the distinct vehicle-days. Two statements for the three units (plus the
    /// clean-up of emptied rows on removal).
    async fn add_unit_months(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        f: &WaybillFacts,
        sign: i64,
    ) -> StoreResult<()> {
        let t = |v: &str| Arg::Text(Some(v.to_string()));
        let units = [
            (UnitKind::Carrier, f.carrier.as_str()),
            (UnitKind::Shipper, f.shipper.as_str()),
            (UnitKind::County, f.county.as_str()),
        ];
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO stat_unit_vehicle_day (region, day, kind, unit, vehicle, waybills) VALUES ",
        );
        for (i, (kind, unit)) in units.iter().enumerate() {
            sql.push(if i > 0 { ", (" } else { "(" });
            for a in [
                t(region),
                t(&f.day),
                t(kind.column()),
                t(unit),
                t(&f.vehicle),
            ] {
                sql.bind(a).push(", ");
            }
            sql.bind(Arg::Int(sign)).push(")");
        }
        sql.push(
            " ON CONFLICT (region, day, kind, unit, vehicle) DO UPDATE SET \
             waybills = stat_unit_vehicle_day.waybills + excluded.waybills RETURNING kind, waybills",
        );
        let mut left = Vec::with_capacity(3);
        for r in sql.query().fetch_all(&mut *conn).await? {
            left.push((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?));
        }
        let days = |kind: UnitKind| {
            let n = left
                .iter()
                .find(|(k, _)| k == kind.column())
                .map_or(0, |(_, n)| *n);
            match sign {
                1 if n == 1 => 1,
                -1 if n <= 0 => -1,
                _ => 0,
            }
        };
        if sign < 0 {
            let mut del = Sql::new(
                self.backend,
                "DELETE FROM stat_unit_vehicle_day WHERE waybills <= 0 AND region = ",
            );
            del.bind(t(region)).push(" AND day = ").bind(t(&f.day));
            del.push(" AND vehicle = ").bind(t(&f.vehicle));
            del.query().execute(&mut *conn).await?;
        }
        let s = sign as f64;
        let month = f.day.get(..7).unwrap_or(&f.day);
        let mut sql = Sql::new(
            self.backend,
            "INSERT INTO stat_unit_vehicle_month (region, month, kind, unit, vehicle, days, waybills, tonnes, tonne_km, hours, delivered) VALUES ",
        );
        for (i, (kind, unit)) in units.iter().enumerate() {
            sql.push(if i > 0 { ", (" } else { "(" });
            let args = [
                t(region),
                t(month),
                t(kind.column()),
                t(unit),
                t(&f.vehicle),
                Arg::Int(days(*kind)),
                Arg::Int(sign),
                Arg::Float(s * f.tonnes),
                Arg::Float(s * f.tonnes * f.km),
                Arg::Float(s * f.hours.unwrap_or(0.0)),
                Arg::Int(sign * f.hours.is_some() as i64),
            ];
            for (j, a) in args.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.bind(a);
            }
            sql.push(")");
        }
        sql.push(
            " ON CONFLICT (region, month, kind, unit, vehicle) DO UPDATE SET \
             days = stat_unit_vehicle_month.days + excluded.days, \
             waybills = stat_unit_vehicle_month.waybills + excluded.waybills, \
             tonnes = stat_unit_vehicle_month.tonnes + excluded.tonnes, \
             tonne_km = stat_unit_vehicle_month.tonne_km + excluded.tonne_km, \
             hours = stat_unit_vehicle_month.hours + excluded.hours, \
             delivered = stat_unit_vehicle_month.delivered + excluded.delivered",
        );
        sql.query().execute(&mut *conn).await?;
        if sign < 0 {
            let mut del = Sql::new(
                self.backend,
                "DELETE FROM stat_unit_vehicle_month WHERE waybills <= 0 AND region = ",
            );
            del.bind(t(region)).push(" AND month = ").bind(t(month));
            del.push(" AND vehicle = ").bind(t(&f.vehicle));
            del.query().execute(&mut *conn).await?;
        }
        Ok(())
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

    /// Adds to `stat_day`, or with `parties` to `stat_party_day` (one row per party, one statement).
    async fn add_to_rollup(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        f: &WaybillFacts,
        parties: Option<&[&str]>,
        sign: i64,
    ) -> StoreResult<()> {
        let s = sign as f64;
        let (table, party_col, key) = match parties {
            Some(_) => (
                "stat_party_day",
                "party, ",
                "region, party, day, county, industry",
            ),
            None => ("stat_day", "", "region, day, county, industry"),
        };
        let mut sql = Sql::new(
            self.backend,
            format!("INSERT INTO {table} (region, {party_col}day, county, industry, waybills, tonnes, tonne_km, amount, cold, on_time, timed, hours, delivered) VALUES "),
        );
        let t = |v: &str| Arg::Text(Some(v.to_string()));
        let rows: Vec<Option<&str>> = match parties {
            Some(ps) => ps.iter().map(|p| Some(*p)).collect(),
            None => vec![None],
        };
        for (r, party) in rows.into_iter().enumerate() {
            sql.push(if r > 0 { ", (" } else { "(" });
            let mut args = vec![t(region)];
            args.extend(party.map(t));
            args.extend([
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
            ]);
            for (i, a) in args.into_iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(a);
            }
            sql.push(")");
        }
        sql.push(&format!(
            " ON CONFLICT ({key}) DO UPDATE SET \
             waybills = {table}.waybills + excluded.waybills, tonnes = {table}.tonnes + excluded.tonnes, \
             tonne_km = {table}.tonne_km + excluded.tonne_km, amount = {table}.amount + excluded.amount, \
             cold = {table}.cold + excluded.cold, on_time = {table}.on_time + excluded.on_time, \
             timed = {table}.timed + excluded.timed, hours = {table}.hours + excluded.hours, \
             delivered = {table}.delivered + excluded.delivered"
        ));
        sql.query().execute(&mut *conn).await?;
        if sign < 0 && parties.is_some() {
            // A party's rollup rows go when they are empty (the city's stay, as before).
            let mut del = Sql::new(
                self.backend,
                "DELETE FROM stat_party_day WHERE waybills <= 0 AND region = ",
            );
            del.bind(t(region)).push(" AND day = ").bind(t(&f.day));
            del.push(" AND county = ").bind(t(&f.county));
            del.push(" AND industry = ").bind(t(&f.industry));
            del.query().execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Adds to `stat_vehicle_day`, or with `parties` to `stat_party_vehicle_day` (one row per
    /// party, one statement).
    async fn add_vehicle_day(
        &self,
        conn: &mut AnyConnection,
        region: &str,
        f: &WaybillFacts,
        parties: Option<&[&str]>,
        sign: i64,
    ) -> StoreResult<()> {
        let t = |v: &str| Arg::Text(Some(v.to_string()));
        let (table, party_col, key) = match parties {
            Some(_) => (
                "stat_party_vehicle_day",
                "party, ",
                "region, party, day, vehicle",
            ),
            None => ("stat_vehicle_day", "", "region, day, vehicle"),
        };
        let mut sql = Sql::new(
            self.backend,
            format!("INSERT INTO {table} (region, {party_col}day, vehicle, waybills) VALUES "),
        );
        let rows: Vec<Option<&str>> = match parties {
            Some(ps) => ps.iter().map(|p| Some(*p)).collect(),
            None => vec![None],
        };
        for (r, party) in rows.into_iter().enumerate() {
            sql.push(if r > 0 { ", (" } else { "(" });
            sql.bind(t(region)).push(", ");
            if let Some(p) = party {
                sql.bind(t(p)).push(", ");
            }
            sql.bind(t(&f.day)).push(", ");
            sql.bind(t(&f.vehicle)).push(", ").bind(Arg::Int(sign));
            sql.push(")");
        }
        sql.push(&format!(
            " ON CONFLICT ({key}) DO UPDATE SET waybills = {table}.waybills + excluded.waybills"
        ));
        sql.query().execute(&mut *conn).await?;
        if sign < 0 {
            let mut del = Sql::new(
                self.backend,
                format!("DELETE FROM {table} WHERE waybills <= 0 AND region = "),
            );
            del.bind(t(region));
            del.push(" AND day = ").bind(t(&f.day));
            del.push(" AND vehicle = ").bind(t(&f.vehicle));
            del.query().execute(&mut *conn).await?;
        }
        Ok(())
    }
}
