//! Accuracy measures used by the backtest.

/// Mean absolute error.
pub(crate) fn mae(actual: &[f64], predicted: &[f64]) -> f64 {
    let sum: f64 = actual
        .iter()
        .zip(predicted)
        .map(|(a, p)| (a - p).abs())
        .sum();
    sum / actual.len() as f64
}

/// Symmetric MAPE as a fraction in `[0, 2]`: mean of `2|a − p| / (|a| + |p|)`,
/// a step where both are zero counting as a perfect forecast.
pub(crate) fn smape(actual: &[f64], predicted: &[f64]) -> f64 {
    let term = |(a, p): (&f64, &f64)| {
        let denom = a.abs() + p.abs();
        if denom == 0.0 {
            0.0
        } else {
            2.0 * (a - p).abs() / denom
        }
    };
    actual.iter().zip(predicted).map(term).sum::<f64>() / actual.len() as f64
}

/// Mean absolute scaled error: `mae / scale`. A scale of zero (a training
/// window that repeats exactly every season) is floored at a tiny positive
/// number so a perfect forecast scores 0 and any error scores very high.
pub(crate) fn mase(mae: f64, scale: f64) -> f64 {
    mae / scale.max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_on_a_small_case() {
        let (a, p) = ([10.0, 20.0, 0.0], [12.0, 20.0, 0.0]);
        assert!((mae(&a, &p) - 2.0 / 3.0).abs() < 1e-12);
        assert!((smape(&a, &p) - (4.0 / 22.0) / 3.0).abs() < 1e-12);
        assert_eq!(mase(3.0, 2.0), 1.5);
    }
}
