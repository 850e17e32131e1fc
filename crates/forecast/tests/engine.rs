//! Scenario tests of the forecasting engine, grouped by purpose.

use chrono::NaiveDate;
use wuliu_forecast::{
    backtest, forecast, public_series, Forecast, ForecastError, Interval, ModelKind, Series,
};

const MONTH_PATTERN: [f64; 12] = [
    -20.0, -35.0, 5.0, 10.0, 12.0, 8.0, 0.0, -4.0, 6.0, 15.0, 30.0, -27.0,
];
const WEEK_PATTERN: [f64; 7] = [10.0, 12.0, 11.0, 9.0, 14.0, -25.0, -31.0];

/// Deterministic noise in [-1, 1): a 64-bit LCG, so failures reproduce.
fn noise(n: usize, seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
        })
        .collect()
}

fn monthly(values: Vec<f64>) -> Series {
    Series {
        interval: Interval::Month,
        start: NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(),
        values,
    }
}

fn daily(values: Vec<f64>) -> Series {
    Series {
        interval: Interval::Day,
        start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        values,
    }
}

/// level + slope·t + season[t mod s] + amplitude·noise
fn synthetic(n: usize, slope: f64, season: &[f64], amplitude: f64) -> Vec<f64> {
    let e = noise(n, 42);
    (0..n)
        .map(|t| 500.0 + slope * t as f64 + season[t % season.len()] + amplitude * e[t])
        .collect()
}

fn mase_of(f: &[wuliu_forecast::BacktestScore], model: ModelKind) -> f64 {
    f.iter()
        .find(|s| s.model == model)
        .unwrap_or_else(|| panic!("{model} not scored"))
        .mase
}

/// Independent check of every forecast: lengths, dates, finiteness, nesting, one chosen model.
fn check(series: &Series, horizon: usize, f: &Forecast) {
    assert_eq!(f.points.len(), horizon);
    let n = series.values.len();
    for (i, p) in f.points.iter().enumerate() {
        assert_eq!(p.period, series.period_start(n + i).unwrap());
        let all = [p.lo95, p.lo80, p.mean, p.hi80, p.hi95];
        assert!(all.iter().all(|x| x.is_finite()), "non-finite point {p:?}");
        assert!(
            all.windows(2).all(|w| w[0] <= w[1]),
            "bands not nested at {i}: {p:?}"
        );
    }
    if !f.backtest.is_empty() {
        let chosen: Vec<_> = f.backtest.iter().filter(|s| s.chosen).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].model, f.model);
        let best = f
            .backtest
            .iter()
            .map(|s| s.mase)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(chosen[0].mase, best);
    }
}

mod models {
    use super::*;

    #[test]
    fn seasonal_naive_is_exact_on_a_purely_periodic_series() {
        let series = monthly(synthetic(48, 0.0, &MONTH_PATTERN, 0.0));
        let f = forecast(&series, 18).unwrap();
        check(&series, 18, &f);
        assert_eq!(f.model, ModelKind::SeasonalNaive);
        for (i, p) in f.points.iter().enumerate() {
            assert_eq!(p.mean, 500.0 + MONTH_PATTERN[(48 + i) % 12]);
        }
        assert_eq!(mase_of(&f.backtest, ModelKind::SeasonalNaive), 0.0);
    }

    #[test]
    fn mstl_beats_seasonal_naive_on_trend_plus_season() {
        let series = monthly(synthetic(72, 3.0, &MONTH_PATTERN, 2.0));
        let bt = backtest(&series, 6).unwrap();
        let (naive, mstl) = (
            mase_of(&bt.scores, ModelKind::SeasonalNaive),
            mase_of(&bt.scores, ModelKind::Mstl),
        );
        assert!(mstl < 0.6 * naive, "mstl {mstl} vs naive {naive}");
        assert_eq!(bt.chosen(), Some(ModelKind::Mstl));
    }

    #[test]
    fn mstl_recovers_the_weekly_season_of_a_daily_series() {
        let series = daily(synthetic(140, 0.5, &WEEK_PATTERN, 1.0));
        let f = forecast(&series, 14).unwrap();
        check(&series, 14, &f);
        let n = series.values.len();
        for (i, p) in f.points.iter().enumerate() {
            let truth = 500.0 + 0.5 * (n + i) as f64 + WEEK_PATTERN[(n + i) % 7];
            assert!(
                (p.mean - truth).abs() < 5.0,
                "day {i}: {} vs {truth}",
                p.mean
            );
        }
    }

    #[test]
    fn ets_beats_seasonal_naive_on_a_trend_without_season() {
        let series = monthly(synthetic(60, 4.0, &[0.0], 3.0));
        let bt = backtest(&series, 6).unwrap();
        let (naive, ets) = (
            mase_of(&bt.scores, ModelKind::SeasonalNaive),
            mase_of(&bt.scores, ModelKind::Ets),
        );
        assert!(ets < 0.5 * naive, "ets {ets} vs naive {naive}");
        assert_ne!(bt.chosen(), Some(ModelKind::SeasonalNaive));
    }

    #[test]
    fn seasonal_naive_bands_widen_after_each_full_season() {
        // 20 months cannot be backtested, so seasonal naive is used.
        let series = monthly(synthetic(20, 0.0, &MONTH_PATTERN, 5.0));
        let f = forecast(&series, 25).unwrap();
        check(&series, 25, &f);
        assert_eq!(f.model, ModelKind::SeasonalNaive);
        let w = |i: usize| f.points[i].hi95 - f.points[i].lo95;
        assert!(
            (w(0) - w(11)).abs() < 1e-9,
            "constant within the first season"
        );
        assert!(
            (w(12) / w(0) - 2f64.sqrt()).abs() < 1e-9 && (w(24) / w(0) - 3f64.sqrt()).abs() < 1e-9
        );
    }
}

mod backtesting {
    use super::*;

    #[test]
    fn scores_every_model_with_the_planned_folds() {
        let series = monthly(synthetic(60, 1.0, &MONTH_PATTERN, 2.0));
        let bt = backtest(&series, 24).unwrap();
        let plan = bt.plan.unwrap();
        assert_eq!(
            (plan.horizon, plan.folds),
            (12, 6),
            "horizon capped at one season"
        );
        assert_eq!(bt.scores.len(), 3, "skipped: {:?}", bt.skipped);
        assert!(bt
            .scores
            .iter()
            .all(|s| s.folds == 6 && s.mae >= 0.0 && s.smape >= 0.0));
    }

    #[test]
    fn daily_series_use_fourteen_folds() {
        let bt = backtest(&daily(synthetic(120, 0.0, &WEEK_PATTERN, 3.0)), 7).unwrap();
        assert_eq!(bt.plan.unwrap().folds, 14);
    }

    #[test]
    fn too_short_to_backtest_falls_back_to_seasonal_naive() {
        let series = monthly(synthetic(20, 1.0, &MONTH_PATTERN, 1.0));
        let f = forecast(&series, 6).unwrap();
        check(&series, 6, &f);
        assert_eq!(f.model, ModelKind::SeasonalNaive);
        assert!(f.backtest.is_empty());
        let skipped: Vec<_> = f.skipped.iter().map(|(m, _)| *m).collect();
        assert_eq!(skipped, vec![ModelKind::Ets, ModelKind::Mstl]);
        assert!(f.skipped[0].1.contains("too short"), "{:?}", f.skipped);
    }
}

mod errors {
    use super::*;

    #[test]
    fn short_series_is_rejected_with_the_minimum() {
        let err = forecast(&monthly(vec![1.0; 13]), 3).unwrap_err();
        assert_eq!(
            err,
            ForecastError::TooShort {
                len: 13,
                min: 14,
                interval: "month"
            }
        );
        assert!(forecast(&daily(vec![1.0; 9]), 3).is_ok());
    }

    #[test]
    fn non_finite_value_is_named_by_index() {
        let mut values = synthetic(40, 0.0, &MONTH_PATTERN, 0.0);
        values[17] = f64::NAN;
        values[30] = f64::INFINITY;
        match forecast(&monthly(values), 3) {
            Err(ForecastError::NonFinite { index: 17, value }) => assert!(value.is_nan()),
            other => panic!("expected NonFinite at 17, got {other:?}"),
        }
    }

    #[test]
    fn bad_start_and_zero_horizon_are_rejected() {
        let mut series = monthly(synthetic(40, 0.0, &MONTH_PATTERN, 0.0));
        assert_eq!(
            forecast(&series, 0).unwrap_err(),
            ForecastError::ZeroHorizon
        );
        series.start = NaiveDate::from_ymd_opt(2018, 1, 15).unwrap();
        assert!(matches!(
            forecast(&series, 3),
            Err(ForecastError::StartNotPeriodStart { .. })
        ));
    }
}

mod public {
    use super::*;

    #[test]
    fn airline_series_loads_verbatim() {
        let all = public_series();
        let air = all
            .iter()
            .find(|p| p.id == "airline_passengers")
            .expect("bundled");
        let v = &air.series.values;
        assert_eq!(v.len(), 144);
        assert_eq!(
            air.series.start,
            NaiveDate::from_ymd_opt(1949, 1, 1).unwrap()
        );
        assert_eq!((v[0], v[11], v[143]), (112.0, 118.0, 432.0));
        assert_eq!(v.iter().sum::<f64>(), 40_363.0);
        assert_eq!(air.interval, air.series.interval);
    }

    #[test]
    fn every_public_series_forecasts_and_beats_seasonal_naive_or_is_it() {
        for p in public_series() {
            let f = forecast(&p.series, 12).unwrap();
            check(&p.series, 12, &f);
            assert_eq!(f.backtest.len(), 3, "{}: skipped {:?}", p.id, f.skipped);
            assert!(
                mase_of(&f.backtest, f.model) <= mase_of(&f.backtest, ModelKind::SeasonalNaive)
            );
        }
    }
}

mod serialisation {
    use super::*;

    #[test]
    fn json_shape_matches_the_console_api() {
        let series = monthly(synthetic(48, 1.0, &MONTH_PATTERN, 1.0));
        let json = serde_json::to_value(forecast(&series, 2).unwrap()).unwrap();
        assert!(["seasonal_naive", "ets", "mstl"].contains(&json["model"].as_str().unwrap()));
        assert_eq!(json["points"][0]["period"], "2022-01-01");
        for key in ["mean", "lo80", "hi80", "lo95", "hi95"] {
            assert!(json["points"][0][key].is_f64(), "{key}");
        }
        for key in ["model", "mae", "smape", "mase", "folds", "chosen"] {
            assert!(!json["backtest"][0][key].is_null(), "{key}");
        }
        assert_eq!(serde_json::to_value(ModelKind::Mstl).unwrap(), "mstl");
        assert_eq!(serde_json::to_value(Interval::Day).unwrap(), "day");
    }

    #[test]
    fn names_are_bilingual() {
        for m in ModelKind::ALL {
            assert!(!m.name_zh().is_ascii() && m.name_en().is_ascii());
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
    }
}
