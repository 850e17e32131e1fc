//! Prediction intervals: the 80 % and 95 % bands every model reports.

use augurs::prelude::{Forecast as AugursForecast, Predict};

/// Standard-normal quantile for a central 80 % interval.
pub(crate) const Z80: f64 = 1.281_551_565_544_600_4;
/// Standard-normal quantile for a central 95 % interval.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

/// Point forecasts and two interval levels, one entry per step ahead.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Prediction {
    pub mean: Vec<f64>,
    pub lo80: Vec<f64>,
    pub hi80: Vec<f64>,
    pub lo95: Vec<f64>,
    pub hi95: Vec<f64>,
}

impl Prediction {
    /// Normal intervals `mean ± z·sd(step)`, `step` counted from 1.
    pub fn normal(mean: Vec<f64>, sd: impl Fn(usize) -> f64) -> Self {
        let band = |z: f64, sign: f64| -> Vec<f64> {
            let at = |(i, m): (usize, &f64)| m + sign * z * sd(i + 1);
            mean.iter().enumerate().map(at).collect()
        };
        let (lo80, hi80) = (band(Z80, -1.0), band(Z80, 1.0));
        let (lo95, hi95) = (band(Z95, -1.0), band(Z95, 1.0));
        Self {
            mean,
            lo80,
            hi80,
            lo95,
            hi95,
        }
        .ordered()
    }

    /// Predicts `horizon` steps with a fitted augurs model at both levels.
    pub fn from_augurs<P: Predict>(fitted: &P, horizon: usize) -> Result<Self, String> {
        let at = |level: f64| fitted.predict(horizon, level).map_err(|e| e.to_string());
        let (f80, f95) = (at(0.8)?, at(0.95)?);
        let (lo80, hi80) = bounds(&f80, horizon)?;
        let (lo95, hi95) = bounds(&f95, horizon)?;
        let out = Self {
            mean: f80.point,
            lo80,
            hi80,
            lo95,
            hi95,
        };
        if out.mean.len() != horizon || !out.is_finite() {
            return Err("model returned a non-finite or short forecast".into());
        }
        Ok(out.ordered())
    }

    /// Whether every number is finite.
    pub fn is_finite(&self) -> bool {
        [&self.mean, &self.lo80, &self.hi80, &self.lo95, &self.hi95]
            .iter()
            .all(|v| v.iter().all(|x| x.is_finite()))
    }

    /// Guards the nesting `lo95 ≤ lo80 ≤ mean ≤ hi80 ≤ hi95` against rounding
    /// (augurs works partly in `f32`): each bound is widened, never narrowed.
    fn ordered(mut self) -> Self {
        for i in 0..self.mean.len() {
            let m = self.mean[i];
            self.lo80[i] = self.lo80[i].min(m);
            self.hi80[i] = self.hi80[i].max(m);
            self.lo95[i] = self.lo95[i].min(self.lo80[i]);
            self.hi95[i] = self.hi95[i].max(self.hi80[i]);
        }
        self
    }
}

fn bounds(f: &AugursForecast, horizon: usize) -> Result<(Vec<f64>, Vec<f64>), String> {
    match &f.intervals {
        Some(iv) if iv.lower.len() == horizon && iv.upper.len() == horizon => {
            Ok((iv.lower.clone(), iv.upper.clone()))
        }
        _ => Err("model returned no prediction intervals".into()),
    }
}

/// Seasonal-naive forecast standard deviation at `step` (from 1):
/// `sigma · sqrt(k + 1)` with `k = ⌊(step − 1) / season⌋`, the number of
/// complete seasons before the step (Hyndman & Athanasopoulos, fpp3 §5.5).
pub(crate) fn seasonal_naive_sd(sigma: f64, season: usize, step: usize) -> f64 {
    let k = (step.saturating_sub(1) / season) as f64;
    sigma * (k + 1.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_naive_sd_grows_once_per_season() {
        assert_eq!(seasonal_naive_sd(2.0, 12, 1), 2.0);
        assert_eq!(seasonal_naive_sd(2.0, 12, 12), 2.0);
        assert!((seasonal_naive_sd(2.0, 12, 13) - 2.0 * 2f64.sqrt()).abs() < 1e-12);
        assert!((seasonal_naive_sd(2.0, 12, 25) - 2.0 * 3f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn normal_bands_are_nested_and_symmetric() {
        let p = Prediction::normal(vec![10.0, 20.0], |step| step as f64);
        assert!((p.hi80[1] - 20.0 - Z80 * 2.0).abs() < 1e-12);
        assert!((20.0 - p.lo95[1] - Z95 * 2.0).abs() < 1e-12);
        assert!(p.lo95[0] < p.lo80[0] && p.lo80[0] < 10.0 && p.hi80[0] < p.hi95[0]);
    }
}
