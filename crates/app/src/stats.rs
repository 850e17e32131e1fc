//! The dashboard's indicators: today's and this month's figures with their trend, breakdowns by
//! county and by industry, and series by day or month, read from the store's rollups (never a scan
//! of the waybills per page view). Admins and regulators see their region; a shipper or carrier sees
//! the same figures over its own waybills.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use wuliu_store::{StatGroup, StatQuery, StatRow};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::Service;

/// The figures of one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Counted waybills.
    pub waybills: u64,
    /// Tonnes.
    pub tonnes: f64,
    /// Tonne-kilometres (great-circle × road factor).
    pub tonne_km: f64,
    /// Freight amount, yuan.
    pub amount_yuan: f64,
    /// Vehicles with a waybill in the period.
    pub active_vehicles: u64,
    /// Vehicles reporting now (today's block only).
    pub online_vehicles: Option<u64>,
    /// Share of kilometres driven empty; not measured yet (`null`).
    pub empty_running_rate: Option<f64>,
    /// Share of cold-chain waybills.
    pub cold_chain_share: Option<f64>,
    /// Share of waybills with a known deadline delivered by it.
    pub on_time_rate: Option<f64>,
    /// Mean hours from despatch to receipt.
    pub mean_delivery_hours: Option<f64>,
    /// Open alerts now.
    pub open_alerts: u64,
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Metrics {
    /// The figures of an aggregate row.
    pub fn of(row: &StatRow, open_alerts: u64) -> Metrics {
        Metrics {
            waybills: row.waybills,
            tonnes: row.tonnes,
            tonne_km: row.tonne_km,
            amount_yuan: row.amount,
            active_vehicles: row.active_vehicles,
            online_vehicles: None,
            empty_running_rate: None,
            cold_chain_share: share(row.cold, row.waybills),
            on_time_rate: share(row.on_time, row.timed),
            mean_delivery_hours: (row.delivered > 0).then(|| row.hours / row.delivered as f64),
            open_alerts,
        }
    }

    /// One named figure, for series.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Waybills => Some(self.waybills as f64),
            Metric::Tonnes => Some(self.tonnes),
            Metric::TonneKm => Some(self.tonne_km),
            Metric::AmountYuan => Some(self.amount_yuan),
            Metric::ActiveVehicles => Some(self.active_vehicles as f64),
            Metric::ColdChainShare => self.cold_chain_share,
            Metric::OnTimeRate => self.on_time_rate,
            Metric::MeanDeliveryHours => self.mean_delivery_hours,
        }
    }
}

/// A series-able indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Counted waybills.
    Waybills,
    /// Tonnes.
    Tonnes,
    /// Tonne-kilometres.
    TonneKm,
    /// Yuan.
    AmountYuan,
    /// Distinct vehicles.
    ActiveVehicles,
    /// Share of cold-chain waybills.
    ColdChainShare,
    /// On-time rate.
    OnTimeRate,
    /// Mean despatch-to-receipt hours.
    MeanDeliveryHours,
}

impl Metric {
    /// Every metric.
    pub const ALL: [Metric; 8] = [
        Metric::Waybills,
        Metric::Tonnes,
        Metric::TonneKm,
        Metric::AmountYuan,
        Metric::ActiveVehicles,
        Metric::ColdChainShare,
        Metric::OnTimeRate,
        Metric::MeanDeliveryHours,
    ];

    /// Parses a metric name, naming the choices when it is unknown.
    pub fn parse(s: &str) -> Result<Metric, AppError> {
        serde_json::from_value(Value::String(s.to_string())).map_err(|_| {
            let names: Vec<String> = Metric::ALL.iter().map(|m| m.name()).collect();
            AppError::bad(
                "stats.metric_unknown",
                "metric",
                format!("unknown metric '{s}'; one of {}", names.join(", ")),
            )
        })
    }

    /// The metric's name.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    /// Units (Chinese, English).
    pub fn unit(self) -> (&'static str, &'static str) {
        match self {
            Metric::Waybills => ("单", "waybills"),
            Metric::Tonnes => ("吨", "t"),
            Metric::TonneKm => ("吨公里", "t·km"),
            Metric::AmountYuan => ("元", "yuan"),
            Metric::ActiveVehicles => ("辆", "vehicles"),
            Metric::ColdChainShare | Metric::OnTimeRate => ("%", "%"),
            Metric::MeanDeliveryHours => ("小时", "h"),
        }
    }
}

/// Who sees what: the caller's region, and its party for shippers and carriers.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Region.
    pub region: String,
    /// The party whose own waybills are counted; `None` for the whole region.
    pub party: Option<String>,
}

impl Scope {
    /// The scope of a caller.
    pub fn of(caller: &Caller) -> Scope {
        let party = match caller.role {
            Role::Admin | Role::Regulator => None,
            // Desk roles' parties own no freight: their scope is empty, not everything.
            _ => Some(caller.party().to_string()),
        };
        Scope {
            region: caller.region.clone(),
            party,
        }
    }

    /// `"city"` or `"party"`.
    pub fn name(&self) -> &'static str {
        if self.party.is_some() {
            "party"
        } else {
            "city"
        }
    }

    /// A query over `[from, to]` in this scope.
    pub fn query(&self, from: NaiveDate, to: NaiveDate, group: StatGroup) -> StatQuery {
        StatQuery {
            region: Some(self.region.clone()),
            from,
            to,
            county: None,
            industry: None,
            party: self.party.clone(),
            group,
        }
    }
}

/// Today's date in Beijing.
pub fn beijing_today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

/// The first day of `d`'s month.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

/// The same day a month earlier (clamped to the month's end).
pub fn month_earlier(d: NaiveDate) -> NaiveDate {
    let first_prev = month_start(month_start(d) - Duration::days(1));
    let mut day = d.day();
    loop {
        if let Some(x) = first_prev.with_day(day) {
            return x;
        }
        day -= 1;
    }
}

async fn total(svc: &Service, q: StatQuery, open: u64) -> Result<Metrics, AppError> {
    let rows = svc.repo.stats(&q).await?;
    Ok(rows
        .first()
        .map(|r| Metrics::of(r, open))
        .unwrap_or(Metrics {
            open_alerts: open,
            ..Default::default()
        }))
}

async fn online_vehicles(svc: &Service, caller: &Caller) -> Result<Option<u64>, AppError> {
    if caller.role == Role::Shipper {
        return Ok(None);
    }
    let latest = crate::tracks::latest(svc, caller).await?;
    let online = latest["features"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|x| x["properties"]["online"] == true)
                .count()
        })
        .unwrap_or(0);
    Ok(Some(online as u64))
}

/// The overview (指挥舱) for `date`: today, yesterday, month to date, the same days of the previous
/// month, and the 30 days ending on `date`.
pub async fn overview(svc: &Service, caller: &Caller, date: NaiveDate) -> Result<Value, AppError> {
    let scope = Scope::of(caller);
    let open = svc
        .repo
        .open_alerts(Some(&scope.region), scope.party.as_deref())
        .await?;
    let q = |from, to| scope.query(from, to, StatGroup::Total);
    let mut today = total(svc, q(date, date), open).await?;
    if date == beijing_today() {
        today.online_vehicles = online_vehicles(svc, caller).await?;
    }
    let yesterday = date - Duration::days(1);
    let prev = month_earlier(date);
    let trend_rows = svc
        .repo
        .stats(&scope.query(date - Duration::days(29), date, StatGroup::Day))
        .await?;
    let trend: Vec<Value> = (0..30)
        .map(|i| {
            let d = date - Duration::days(29 - i);
            let key = d.format("%Y-%m-%d").to_string();
            let m = trend_rows
                .iter()
                .find(|r| r.key == key)
                .map(|r| Metrics::of(r, open))
                .unwrap_or_default();
            let mut v = serde_json::to_value(m).expect("metrics serialise");
            v["day"] = json!(key);
            v
        })
        .collect();
    Ok(json!({
        "date": date, "month": date.format("%Y-%m").to_string(), "scope": scope.name(),
        "today": today,
        "yesterday": total(svc, q(yesterday, yesterday), open).await?,
        "month_to_date": total(svc, q(month_start(date), date), open).await?,
        "previous_month": total(svc, q(month_start(prev), prev), open).await?,
        "trend": trend,
        "generated_at": Utc::now().to_rfc3339(),
    }))
}

/// A breakdown dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// County of the place of loading.
    County,
    /// Cargo class.
    Industry,
}

impl By {
    /// Parses `county` or `industry`.
    pub fn parse(s: &str) -> Result<By, AppError> {
        match s {
            "county" => Ok(By::County),
            "industry" => Ok(By::Industry),
            _ => Err(AppError::bad(
                "stats.by_unknown",
                "by",
                format!("cannot break down by '{s}'; use county or industry"),
            )),
        }
    }
}

/// Figures over `[from, to]` by county or by industry, with names in both languages.
pub async fn breakdown(
    svc: &Service,
    caller: &Caller,
    by: By,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Value, AppError> {
    check_range(from, to, 400)?;
    let scope = Scope::of(caller);
    let group = match by {
        By::County => StatGroup::County,
        By::Industry => StatGroup::Industry,
    };
    let rows = svc.repo.stats(&scope.query(from, to, group)).await?;
    let names = crate::stats_names::Names::load(svc, &scope.region).await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let (zh, en) = match by {
                By::County => names.county(&r.key),
                By::Industry => crate::stats_names::industry(&r.key),
            };
            let m = Metrics::of(r, 0);
            json!({
                "key": r.key, "name_zh": zh, "name_en": en, "waybills": m.waybills,
                "tonnes": m.tonnes, "tonne_km": m.tonne_km, "amount_yuan": m.amount_yuan,
                "cold_chain_share": m.cold_chain_share, "on_time_rate": m.on_time_rate,
            })
        })
        .collect();
    let by = if by == By::County {
        "county"
    } else {
        "industry"
    };
    Ok(json!({"by": by, "from": from, "to": to, "scope": scope.name(), "rows": rows}))
}

/// Rejects a reversed range or one longer than `max_days`.
pub fn check_range(from: NaiveDate, to: NaiveDate, max_days: i64) -> Result<(), AppError> {
    if to < from {
        return Err(AppError::bad(
            "stats.range_reversed",
            "to",
            format!("'to' ({to}) is before 'from' ({from})"),
        ));
    }
    if (to - from).num_days() > max_days {
        return Err(AppError::bad(
            "stats.range_too_long",
            "from",
            format!("at most {max_days} days at a time"),
        ));
    }
    Ok(())
}

/// A series' grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Daily.
    Day,
    /// Monthly.
    Month,
}

impl Interval {
    /// Parses `day` or `month`.
    pub fn parse(s: &str) -> Result<Interval, AppError> {
        match s {
            "day" => Ok(Interval::Day),
            "month" => Ok(Interval::Month),
            _ => Err(AppError::bad(
                "stats.interval_unknown",
                "interval",
                format!("unknown interval '{s}'; use day or month"),
            )),
        }
    }
}

/// A filter of a series.
#[derive(Debug, Clone, Default)]
pub struct SeriesFilter {
    /// Only this county.
    pub county: Option<String>,
    /// Only this cargo class.
    pub industry: Option<String>,
}

/// One metric by day or month over `[from, to]`; every period present (zero or `null` when empty).
pub async fn series(
    svc: &Service,
    caller: &Caller,
    metric: Metric,
    interval: Interval,
    (from, to): (NaiveDate, NaiveDate),
    filter: SeriesFilter,
) -> Result<Vec<(String, Option<f64>)>, AppError> {
    check_range(from, to, 3700)?;
    let scope = Scope::of(caller);
    let group = match interval {
        Interval::Day => StatGroup::Day,
        Interval::Month => StatGroup::Month,
    };
    let mut q = scope.query(from, to, group);
    q.county = filter.county;
    q.industry = filter.industry;
    let rows = svc.repo.stats(&q).await?;
    let periods = periods(interval, from, to);
    Ok(periods
        .into_iter()
        .map(|p| {
            let m = rows
                .iter()
                .find(|r| r.key == p)
                .map(|r| Metrics::of(r, 0))
                .unwrap_or_default();
            let v = m.get(metric);
            (p, v)
        })
        .collect())
}

/// The period keys from `from` to `to`: days `YYYY-MM-DD` or months `YYYY-MM`.
pub fn periods(interval: Interval, from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = match interval {
        Interval::Day => from,
        Interval::Month => month_start(from),
    };
    while d <= to {
        match interval {
            Interval::Day => {
                out.push(d.format("%Y-%m-%d").to_string());
                d += Duration::days(1);
            }
            Interval::Month => {
                out.push(d.format("%Y-%m").to_string());
                d = month_start(d + Duration::days(32));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_to_month_ends() {
        assert_eq!(month_earlier(d("2026-03-31")), d("2026-02-28"));
        assert_eq!(month_earlier(d("2026-01-15")), d("2025-12-15"));
        assert_eq!(month_start(d("2026-12-03")), d("2026-12-01"));
    }

    #[test]
    fn periods_cover_the_range() {
        assert_eq!(
            periods(Interval::Month, d("2025-11-20"), d("2026-02-01")),
            vec!["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(
            periods(Interval::Day, d("2026-12-01"), d("2026-12-03")).len(),
            3
        );
    }

    #[test]
    fn rates_are_null_without_a_denominator() {
        let m = Metrics::of(&StatRow::default(), 0);
        assert_eq!((m.cold_chain_share, m.on_time_rate), (None, None));
        let r = StatRow {
            waybills: 4,
            cold: 1,
            on_time: 1,
            timed: 2,
            ..Default::default()
        };
        let m = Metrics::of(&r, 0);
        assert_eq!(
            (m.cold_chain_share, m.on_time_rate),
            (Some(0.25), Some(0.5))
        );
    }
}
