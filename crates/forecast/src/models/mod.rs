//! The candidate models, one per file, behind one [`ModelKind`] switch.

mod ets;
mod mstl;
pub(crate) mod seasonal_naive;

use serde::{Deserialize, Serialize};

use crate::interval::Prediction;

/// A forecasting model the engine can fit and backtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Repeats the last observed season; the baseline every other model must beat.
    SeasonalNaive,
    /// Exponential smoothing, automatic (augurs `AutoETS`, error/trend chosen by AICc).
    /// augurs 0.10 has no seasonal ETS, so this model has no seasonal component.
    Ets,
    /// Seasonal-trend decomposition by LOESS (augurs `MSTLModel`) with an
    /// `AutoETS` model on the seasonally adjusted series.
    Mstl,
}

impl ModelKind {
    /// Every model, in order of simplicity (ties in the backtest go to the earlier one).
    pub const ALL: [ModelKind; 3] = [ModelKind::SeasonalNaive, ModelKind::Ets, ModelKind::Mstl];

    /// The serialised name: `seasonal_naive`, `ets` or `mstl`.
    pub fn as_str(self) -> &'static str {
        match self {
            ModelKind::SeasonalNaive => "seasonal_naive",
            ModelKind::Ets => "ets",
            ModelKind::Mstl => "mstl",
        }
    }

    /// Chinese display name.
    pub fn name_zh(self) -> &'static str {
        match self {
            ModelKind::SeasonalNaive => "季节性朴素",
            ModelKind::Ets => "指数平滑（ETS）",
            ModelKind::Mstl => "季节趋势分解（MSTL）",
        }
    }

    /// English display name.
    pub fn name_en(self) -> &'static str {
        match self {
            ModelKind::SeasonalNaive => "Seasonal naive",
            ModelKind::Ets => "Exponential smoothing (ETS)",
            ModelKind::Mstl => "Seasonal-trend decomposition (MSTL)",
        }
    }

    /// Fewest training values the model accepts for a given season length.
    pub fn min_len(self, season: usize) -> usize {
        match self {
            ModelKind::SeasonalNaive => seasonal_naive::MIN_EXTRA + season,
            ModelKind::Ets => ets::MIN_LEN,
            ModelKind::Mstl => (2 * season).max(ets::MIN_LEN),
        }
    }

    /// Fits the model to `y` and predicts `horizon` steps with 80 %/95 % bands.
    pub(crate) fn predict(
        self,
        y: &[f64],
        season: usize,
        horizon: usize,
    ) -> Result<Prediction, String> {
        let min = self.min_len(season);
        if y.len() < min {
            return Err(format!("needs at least {min} values, has {}", y.len()));
        }
        match self {
            ModelKind::SeasonalNaive => Ok(seasonal_naive::predict(y, season, horizon)),
            ModelKind::Ets => ets::predict(y, horizon),
            ModelKind::Mstl => mstl::predict(y, season, horizon),
        }
    }
}

impl std::fmt::Display for ModelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
