//! Exponential smoothing through augurs' automatic ETS search.
//!
//! augurs 0.10 implements only non-seasonal ETS (its seasonal state is
//! `unimplemented!`), so the search is `ZZN`: additive or multiplicative
//! error, no/additive trend, damped or not, chosen by AICc.

use augurs::{ets::AutoETS, prelude::Fit};

use crate::interval::Prediction;

/// augurs needs more than `parameters + 4` values; a trended model has 4 parameters.
pub(crate) const MIN_LEN: usize = 10;

/// Fits `AutoETS` (`ZZN`) to `y` and predicts `horizon` steps.
pub(crate) fn predict(y: &[f64], horizon: usize) -> Result<Prediction, String> {
    let fitted = AutoETS::non_seasonal().fit(y).map_err(|e| e.to_string())?;
    Prediction::from_augurs(&fitted, horizon)
}
