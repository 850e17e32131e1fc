//! Rolling-origin backtest: refit every model at several forecast origins
//! near the end of the series and score the forecasts against what happened.

use serde::Serialize;

use crate::metrics::{mae, mase, smape};
use crate::models::{seasonal_naive, ModelKind};
use crate::{ForecastError, Series};

/// Average accuracy of one model over the backtest folds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestScore {
    /// The model scored.
    pub model: ModelKind,
    /// Mean absolute error, in the series' unit.
    pub mae: f64,
    /// Symmetric MAPE as a fraction (0.05 = 5 %).
    pub smape: f64,
    /// Mean absolute scaled error: MAE over the in-sample seasonal-naive MAE
    /// of each fold's training window; below 1 beats seasonal naive in-sample.
    pub mase: f64,
    /// Number of folds (forecast origins) averaged.
    pub folds: usize,
    /// Whether this model has the lowest mean MASE and is used for the forecast.
    pub chosen: bool,
}

/// Where the folds fall: `folds` origins one period apart, the last one
/// `horizon` periods before the end, each training on everything before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BacktestPlan {
    /// Steps ahead scored at each origin: the requested horizon, capped at one
    /// season and at what the data allows.
    pub horizon: usize,
    /// Number of origins.
    pub folds: usize,
    /// Training length at the first origin (at least two seasons).
    pub min_train: usize,
}

impl BacktestPlan {
    /// The plan for `n` values, or `None` if fewer than two seasons plus one remain.
    pub fn new(n: usize, season: usize, target_folds: usize, horizon: usize) -> Option<Self> {
        let min_train = 2 * season;
        let horizon = horizon.min(season).min(n.checked_sub(min_train)?);
        let folds = target_folds.min(n.checked_sub(min_train + horizon)? + 1);
        (horizon > 0 && folds > 0).then(|| Self {
            horizon,
            folds,
            min_train: n - horizon - folds + 1,
        })
    }

    /// Training lengths (forecast origins), oldest first.
    pub fn origins(&self) -> impl Iterator<Item = usize> {
        let first = self.min_train;
        first..first + self.folds
    }
}

/// Result of [`backtest`]: one score per model that could be fitted at every origin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Backtest {
    /// The folds used, or `None` when the series is too short to backtest.
    pub plan: Option<BacktestPlan>,
    /// Scores in [`ModelKind::ALL`] order; exactly one has `chosen` set when non-empty.
    pub scores: Vec<BacktestScore>,
    /// Models left out, with the reason.
    pub skipped: Vec<(ModelKind, String)>,
}

impl Backtest {
    /// The chosen model, if any model was scored.
    pub fn chosen(&self) -> Option<ModelKind> {
        self.scores.iter().find(|s| s.chosen).map(|s| s.model)
    }
}

/// Backtests every model on `series` for forecasts `horizon` periods ahead
/// and marks the one with the lowest mean MASE as chosen (ties go to the
/// simpler model). Cost: one fit per model per fold, about
/// `3 × folds` augurs fits; single-threaded.
pub fn backtest(series: &Series, horizon: usize) -> Result<Backtest, ForecastError> {
    series.validate()?;
    if horizon == 0 {
        return Err(ForecastError::ZeroHorizon);
    }
    let (n, season) = (series.values.len(), series.season_length());
    let Some(plan) = BacktestPlan::new(n, season, series.interval.target_folds(), horizon) else {
        let why = format!(
            "too short to backtest: {n} values, needs {}",
            2 * season + 1
        );
        let skipped = ModelKind::ALL[1..]
            .iter()
            .map(|&m| (m, why.clone()))
            .collect();
        return Ok(Backtest {
            plan: None,
            scores: Vec::new(),
            skipped,
        });
    };
    let mut out = Backtest {
        plan: Some(plan),
        scores: Vec::new(),
        skipped: Vec::new(),
    };
    for model in ModelKind::ALL {
        match score(series, model, &plan) {
            Ok(s) => out.scores.push(s),
            Err(why) => out.skipped.push((model, why)),
        }
    }
    mark_best(&mut out.scores);
    Ok(out)
}

/// Scores one model over every fold; the first failing fold skips the model.
fn score(series: &Series, model: ModelKind, plan: &BacktestPlan) -> Result<BacktestScore, String> {
    let (y, season) = (&series.values, series.season_length());
    let (mut sum_mae, mut sum_smape, mut sum_mase) = (0.0, 0.0, 0.0);
    for origin in plan.origins() {
        let (train, test) = (&y[..origin], &y[origin..origin + plan.horizon]);
        let pred = model.predict(train, season, plan.horizon).map_err(|e| {
            let at = series
                .period_start(origin)
                .map(|d| d.to_string())
                .unwrap_or_default();
            format!("fit failed at origin {at}: {e}")
        })?;
        let fold_mae = mae(test, &pred.mean);
        sum_mae += fold_mae;
        sum_smape += smape(test, &pred.mean);
        sum_mase += mase(fold_mae, seasonal_naive::in_sample_mae(train, season));
    }
    let k = plan.folds as f64;
    let (mae, smape, mase) = (sum_mae / k, sum_smape / k, sum_mase / k);
    Ok(BacktestScore {
        model,
        mae,
        smape,
        mase,
        folds: plan.folds,
        chosen: false,
    })
}

fn mark_best(scores: &mut [BacktestScore]) {
    let best = scores
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| a.mase.total_cmp(&b.mase))
        .map(|(i, _)| i);
    if let Some(i) = best {
        scores[i].chosen = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_caps_horizon_and_folds() {
        let p = BacktestPlan::new(144, 12, 6, 6).unwrap();
        assert_eq!((p.horizon, p.folds), (6, 6));
        assert_eq!(
            p.origins().collect::<Vec<_>>(),
            (133..139).collect::<Vec<_>>()
        );
        let last = p.origins().last().unwrap();
        assert_eq!(
            last + p.horizon,
            144,
            "the last fold ends at the last value"
        );
        let short = BacktestPlan::new(27, 12, 6, 24).unwrap();
        assert_eq!((short.horizon, short.folds, short.min_train), (3, 1, 24));
        assert_eq!(BacktestPlan::new(24, 12, 6, 6), None);
    }
}
