//! Seasonal naive: each future period repeats the same period one season earlier.

use crate::interval::{seasonal_naive_sd, Prediction};

/// Values needed beyond one season: two residuals give a spread.
pub(crate) const MIN_EXTRA: usize = 2;

/// Point forecasts `y[n − s + (i mod s)]` with residual-based normal bands.
///
/// The caller guarantees `y.len() >= season + MIN_EXTRA`.
pub(crate) fn predict(y: &[f64], season: usize, horizon: usize) -> Prediction {
    let n = y.len();
    let mean = (0..horizon).map(|i| y[n - season + i % season]).collect();
    let sigma = residual_sd(y, season);
    Prediction::normal(mean, |step| seasonal_naive_sd(sigma, season, step))
}

/// Root mean square of the in-sample residuals `y[t] − y[t − s]`; the model
/// estimates no parameter, so the divisor is the number of residuals (fpp3 §5.5).
pub(crate) fn residual_sd(y: &[f64], season: usize) -> f64 {
    let sq: f64 = residuals(y, season).map(|e| e * e).sum();
    (sq / (y.len() - season) as f64).sqrt()
}

/// Mean absolute in-sample residual: the MASE scale.
pub(crate) fn in_sample_mae(y: &[f64], season: usize) -> f64 {
    let abs: f64 = residuals(y, season).map(f64::abs).sum();
    abs / (y.len() - season) as f64
}

fn residuals(y: &[f64], season: usize) -> impl Iterator<Item = f64> + '_ {
    y.iter()
        .skip(season)
        .zip(y)
        .map(|(now, before)| now - before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_last_season_and_widens_each_season() {
        let y = [1.0, 2.0, 3.0, 2.0, 3.0, 4.0, 3.0, 4.0, 5.0];
        let p = predict(&y, 3, 4);
        assert_eq!(p.mean, vec![3.0, 4.0, 5.0, 3.0]);
        // Residuals are all 1.0, so sigma = 1 for steps 1..=3 and sqrt(2) at step 4.
        assert!((p.hi80[0] - 3.0 - crate::interval::Z80).abs() < 1e-12);
        assert!((p.hi80[3] - 3.0 - crate::interval::Z80 * 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(in_sample_mae(&y, 3), 1.0);
    }
}
