//! The entry point: backtest, choose, refit on the whole series, forecast.

use chrono::NaiveDate;
use serde::Serialize;

use crate::backtest::{backtest, BacktestScore};
use crate::interval::Prediction;
use crate::models::{seasonal_naive, ModelKind};
use crate::{ForecastError, Series};

/// One forecast period with its 80 % and 95 % prediction intervals;
/// always `lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastPoint {
    /// First day of the period.
    pub period: NaiveDate,
    /// Point forecast.
    pub mean: f64,
    /// Lower bound of the 80 % interval.
    pub lo80: f64,
    /// Upper bound of the 80 % interval.
    pub hi80: f64,
    /// Lower bound of the 95 % interval.
    pub lo95: f64,
    /// Upper bound of the 95 % interval.
    pub hi95: f64,
}

/// A forecast with the evidence for the model that made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// The model used for `points`.
    pub model: ModelKind,
    /// One point per future period, starting right after the last observed one.
    pub points: Vec<ForecastPoint>,
    /// Backtest scores of every model that could be scored; `chosen` marks `model`.
    pub backtest: Vec<BacktestScore>,
    /// Models that were not scored or not used, with the reason.
    pub skipped: Vec<(ModelKind, String)>,
}

/// Forecasts `horizon` periods after the end of `series`.
///
/// Every model is backtested ([`backtest`]); the one with the lowest mean
/// MASE is refitted on the whole series. When the series is too short to
/// backtest, or the chosen model fails on the whole series, seasonal naive
/// is used and the reason is listed in `skipped`.
///
/// Cost: a few dozen augurs fits, milliseconds for monthly series and up to
/// about a second for years of daily data; single-threaded and synchronous,
/// so call it from a blocking task in async code.
pub fn forecast(series: &Series, horizon: usize) -> Result<Forecast, ForecastError> {
    let bt = backtest(series, horizon)?;
    let (mut scores, mut skipped) = (bt.scores, bt.skipped);
    let (y, season) = (&series.values, series.season_length());
    let chosen = scores
        .iter()
        .find(|s| s.chosen)
        .map_or(ModelKind::SeasonalNaive, |s| s.model);
    let (model, pred) = match chosen.predict(y, season, horizon) {
        Ok(pred) => (chosen, pred),
        Err(why) => {
            skipped.push((chosen, format!("fit on the whole series failed: {why}")));
            let fallback = ModelKind::SeasonalNaive;
            scores
                .iter_mut()
                .for_each(|s| s.chosen = s.model == fallback);
            (fallback, seasonal_naive::predict(y, season, horizon))
        }
    };
    let points = points(series, &pred)?;
    Ok(Forecast {
        model,
        points,
        backtest: scores,
        skipped,
    })
}

fn points(series: &Series, p: &Prediction) -> Result<Vec<ForecastPoint>, ForecastError> {
    let n = series.values.len();
    (0..p.mean.len())
        .map(|i| {
            Ok(ForecastPoint {
                period: series.period_start(n + i)?,
                mean: p.mean[i],
                lo80: p.lo80[i],
                hi80: p.hi80[i],
                lo95: p.lo95[i],
                hi95: p.hi95[i],
            })
        })
        .collect()
}
