//! Seasonal-trend model: augurs' MSTL decomposition with an automatic ETS
//! model on the seasonally adjusted series (trend + remainder); the last
//! season of the seasonal component is repeated into the future.

use augurs::{
    ets::{trend::AutoETSTrendModel, AutoETS},
    mstl::MSTLModel,
    prelude::Fit,
};

use crate::interval::Prediction;

/// Fits MSTL with one seasonal period `season` and predicts `horizon` steps.
pub(crate) fn predict(y: &[f64], season: usize, horizon: usize) -> Result<Prediction, String> {
    let trend = AutoETSTrendModel::from(AutoETS::non_seasonal());
    let fitted = MSTLModel::new(vec![season], trend)
        .fit(y)
        .map_err(|e| e.to_string())?;
    Prediction::from_augurs(&fitted, horizon)
}
