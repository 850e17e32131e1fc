//! Trends and forecasts (趋势预测): an indicator's history by day or month from the rollups, or a
//! bundled real public series, forecast by the model a rolling-origin backtest chose
//! ([`wuliu_forecast`]), with 80 % and 95 % intervals and every model's backtest error.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use wuliu_forecast::{ForecastError, ModelKind, Series};

use crate::caller::Caller;
use crate::error::AppError;
use crate::stats::{self, month_start, Interval, Metric, SeriesFilter};
use crate::Service;

/// Periods of history read for a forecast: three years of months, or 20 weeks of days.
pub fn history_len(interval: Interval) -> i64 {
    match interval {
        Interval::Month => 36,
        Interval::Day => 140,
    }
}

/// The longest horizon served.
pub const MAX_HORIZON: usize = 36;

fn forecast_error(e: ForecastError) -> AppError {
    AppError::invalid("forecast.unavailable", "series", e.to_string())
}

fn period_key(interval: wuliu_forecast::Interval, d: NaiveDate) -> String {
    match interval {
        wuliu_forecast::Interval::Month => d.format("%Y-%m").to_string(),
        wuliu_forecast::Interval::Day => d.format("%Y-%m-%d").to_string(),
    }
}

/// Forecasts already made, keyed by the exact series and horizon: fitting and backtesting every
/// model on a few years of days takes around 100 ms, and the dashboard asks for the same forecast
/// on every visit while its history (which ends yesterday) has not changed. The key holds the values
/// themselves, so new data is a new key and nothing needs invalidating; the map is emptied when it
/// holds [`MEMO_ENTRIES`].
static MEMO: std::sync::Mutex<Option<HashMap<(String, usize), wuliu_forecast::Forecast>>> =
    std::sync::Mutex::new(None);
const MEMO_ENTRIES: usize = 256;

fn memo_forecast(series: &Series, horizon: usize) -> Result<wuliu_forecast::Forecast, AppError> {
    let mut key = format!("{}|{}|", series.interval.as_str(), series.start);
    for v in &series.values {
        key.push_str(&format!("{:x},", v.to_bits()));
    }
    let key = (key, horizon);
    if let Some(f) = MEMO
        .lock()
        .ok()
        .and_then(|m| m.as_ref().and_then(|m| m.get(&key).cloned()))
    {
        return Ok(f);
    }
    let f = wuliu_forecast::forecast(series, horizon).map_err(forecast_error)?;
    if let Ok(mut m) = MEMO.lock() {
        let m = m.get_or_insert_with(HashMap::new);
        if m.len() >= MEMO_ENTRIES {
            m.clear();
        }
        m.insert(key, f.clone());
    }
    Ok(f)
}

/// Forecasts `series` `horizon` periods ahead and shapes the answer of `/api/v1/stats/forecast`.
pub fn answer(
    series: &Series,
    horizon: usize,
    name: &str,
    unit: (&str, &str),
) -> Result<Value, AppError> {
    if horizon == 0 || horizon > MAX_HORIZON {
        return Err(AppError::bad(
            "forecast.horizon_out_of_range",
            "horizon",
            format!("horizon must be 1 to {MAX_HORIZON} periods"),
        ));
    }
    let f = memo_forecast(series, horizon)?;
    let history: Vec<Value> = series
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let p = series.period_start(i).map_err(forecast_error)?;
            Ok(json!({"period": period_key(series.interval, p), "value": v}))
        })
        .collect::<Result<_, AppError>>()?;
    let points: Vec<Value> = f
        .points
        .iter()
        .map(|p| {
            json!({"period": period_key(series.interval, p.period), "mean": p.mean,
            "lo80": p.lo80, "hi80": p.hi80, "lo95": p.lo95, "hi95": p.hi95})
        })
        .collect();
    let models: serde_json::Map<String, Value> = ModelKind::ALL
        .iter()
        .map(|m| {
            (
                m.as_str().to_string(),
                json!({"zh": m.name_zh(), "en": m.name_en()}),
            )
        })
        .collect();
    let skipped: Vec<Value> = f
        .skipped
        .iter()
        .map(|(m, why)| json!({"model": m, "reason": why}))
        .collect();
    Ok(json!({
        "series": name, "interval": series.interval.as_str(), "unit_zh": unit.0, "unit_en": unit.1,
        "history": history, "forecast": points, "model": f.model, "models": models,
        "backtest": f.backtest, "skipped": skipped,
    }))
}

/// The platform's own history of `metric`, trimmed of the empty periods before its first data and
/// of the current, incomplete period.
pub async fn platform_series(
    svc: &Service,
    caller: &Caller,
    metric: Metric,
    interval: Interval,
    today: NaiveDate,
) -> Result<Series, AppError> {
    let (from, to, fi) = match interval {
        Interval::Month => {
            let end = month_start(today) - Duration::days(1);
            let mut from = month_start(end);
            for _ in 1..history_len(interval) {
                from = month_start(from - Duration::days(1));
            }
            (from, end, wuliu_forecast::Interval::Month)
        }
        Interval::Day => {
            let end = today - Duration::days(1);
            (
                end - Duration::days(history_len(interval) - 1),
                end,
                wuliu_forecast::Interval::Day,
            )
        }
    };
    let points = stats::series(
        svc,
        caller,
        metric,
        interval,
        (from, to),
        SeriesFilter::default(),
    )
    .await?;
    let first = points.iter().position(|(_, v)| v.is_some_and(|x| x != 0.0));
    let Some(first) = first else {
        return Err(AppError::invalid(
            "forecast.no_history",
            "metric",
            format!("no history of {} yet", metric.name()),
        ));
    };
    let mut last = None;
    let values: Vec<f64> = points[first..]
        .iter()
        .map(|(_, v)| {
            let x = v.or(last).unwrap_or(0.0);
            last = Some(x);
            x
        })
        .collect();
    let start = match interval {
        Interval::Month => first_of_nth_month(from, first),
        Interval::Day => from + Duration::days(first as i64),
    };
    Ok(Series {
        interval: fi,
        start,
        values,
    })
}

fn first_of_nth_month(from: NaiveDate, n: usize) -> NaiveDate {
    let mut d = month_start(from);
    for _ in 0..n {
        d = month_start(d + Duration::days(32));
    }
    d
}

/// The bundled public series, without their values.
pub fn public_list() -> Value {
    let list: Vec<Value> = wuliu_forecast::public_series()
        .iter()
        .map(|p| {
            json!({"id": p.id, "name_zh": p.name_zh, "name_en": p.name_en, "unit_zh": p.unit_zh,
            "unit_en": p.unit_en, "interval": p.interval.as_str(), "source": p.source, "url": p.url,
            "periods": p.series.values.len()})
        })
        .collect();
    json!(list)
}

/// A bundled public series by ID (`public:<id>` or `<id>`).
pub fn public(id: &str) -> Result<wuliu_forecast::PublicSeries, AppError> {
    let id = id.strip_prefix("public:").unwrap_or(id);
    wuliu_forecast::public_series()
        .into_iter()
        .find(|p| p.id == id || p.id.strip_prefix("public:") == Some(id))
        .ok_or_else(|| {
            AppError::bad(
                "forecast.series_unknown",
                "series",
                format!("no public series '{id}'"),
            )
        })
}
