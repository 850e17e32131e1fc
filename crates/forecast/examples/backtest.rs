//! Backtests every model on each bundled public series and on a synthetic
//! daily series, and prints a markdown table for BENCHMARKS.md.
//!
//! Run: `cargo run -p wuliu-forecast --release --example backtest`
//! (progress goes to stderr, the table to stdout).

use std::time::Instant;

use chrono::NaiveDate;
use wuliu_forecast::{backtest, public_series, Backtest, Interval, ModelKind, Series};

/// Horizon scored: one season ahead (capped at one season by the backtest anyway).
fn horizon(interval: Interval) -> usize {
    interval.season_length()
}

/// Two years of a daily volume: weekly pattern, slow growth, a mid-year
/// swell and deterministic noise (a 64-bit LCG, so runs are identical).
fn synthetic_daily() -> Series {
    let week = [1.00, 1.08, 1.05, 1.02, 1.12, 0.62, 0.48];
    let mut state = 7u64;
    let values = (0..730)
        .map(|t| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let e = ((state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0;
            let level =
                1_000.0 + 0.4 * t as f64 + 80.0 * (t as f64 * std::f64::consts::TAU / 365.0).sin();
            level * week[t % 7] + 40.0 * e
        })
        .collect();
    Series {
        interval: Interval::Day,
        start: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        values,
    }
}

fn rows(name: &str, bt: &Backtest) -> Vec<String> {
    let naive = bt
        .scores
        .iter()
        .find(|s| s.model == ModelKind::SeasonalNaive)
        .map(|s| s.mase);
    let mut out: Vec<String> = bt
        .scores
        .iter()
        .map(|s| {
            let rel = naive.map_or("–".into(), |n| format!("{:.2}", s.mase / n));
            let chosen = if s.chosen { "**yes**" } else { "" };
            format!(
                "| {name} | {} | {:.3} | {rel} | {:.2} % | {:.1} | {} | {chosen} |",
                s.model,
                s.mase,
                100.0 * s.smape,
                s.mae,
                s.folds
            )
        })
        .collect();
    out.extend(
        bt.skipped
            .iter()
            .map(|(m, why)| format!("| {name} | {m} | skipped: {why} | | | | | |")),
    );
    out
}

fn main() {
    let mut cases: Vec<(String, Series)> = public_series()
        .into_iter()
        .map(|p| (format!("public:{}", p.id), p.series))
        .collect();
    cases.push(("synthetic daily (730 days)".into(), synthetic_daily()));

    println!("| series | model | MASE | MASE ÷ seasonal naive | sMAPE | MAE | folds | chosen |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
    for (name, series) in &cases {
        let h = horizon(series.interval);
        eprintln!(
            "backtesting {name}: {} values, horizon {h} …",
            series.values.len()
        );
        let started = Instant::now();
        let bt = backtest(series, h).expect("bundled and synthetic series are valid");
        eprintln!("  done in {:.2} s", started.elapsed().as_secs_f64());
        rows(name, &bt).iter().for_each(|r| println!("{r}"));
    }
}
