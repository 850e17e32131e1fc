//! Group-commit throughput of [`TrackStore::append_positions`].
//!
//! Appends `WULIU_BENCH_POSITIONS` fixes (default 200,000) in batches of 100, 1,000 and 5,000, each
//! batch one durable commit, to a SQLite file in a temporary directory and, when
//! `WULIU_BENCH_DATABASE_URL` (or `WULIU_TEST_DATABASE_URL`) names a PostgreSQL server, to a fresh
//! database made there and dropped afterwards. Prints positions per second and the median and p99
//! latency of one batch's append.
//!
//! `cargo bench -p wuliu-store --bench positions`

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Connection};
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};
use wuliu_store::{SqlStore, TrackStore};

/// Vehicles reporting; each batch holds consecutive fixes of many of them, as a gateway collects.
const VEHICLES: usize = 5_000;
/// Batch sizes measured.
const BATCHES: [usize; 3] = [100, 1_000, 5_000];

/// `n` fixes: vehicle `i % VEHICLES` reports every 30 s, starting at 2026-12-03 00:00 UTC (plus
/// `offset_s`, so that runs do not collide).
fn fixes(n: usize, offset_s: i64) -> Vec<Position> {
    let start = DateTime::<Utc>::from_timestamp(1_796_256_000 + offset_s, 0).unwrap_or_default();
    (0..n)
        .map(|i| {
            let v = i % VEHICLES;
            let round = (i / VEHICLES) as i64;
            Position {
                vehicle_id: VehicleId::new(format!("veh_{v:06}")),
                time: start
                    + chrono::Duration::seconds(round * 30)
                    + chrono::Duration::milliseconds(v as i64),
                point: GeoPoint {
                    lat: 22.0 + (v % 100) as f64 * 0.01 + round as f64 * 1e-5,
                    lon: 108.0 + (v / 100) as f64 * 0.01,
                },
                speed_kmh: (v % 90) as f64,
                heading: (v % 360) as u16,
                altitude_m: 80,
                alarm: 0,
                status: 3,
                mileage_km: Some(1000.0 + round as f64 * 0.3),
                fuel_l: None,
                source: PositionSource::Jt808,
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// Appends `fixes` to `store` in batches of `batch`, printing progress and the summary.
async fn measure(store: &SqlStore, label: &str, fixes: &[Position], batch: usize) {
    let mut latencies = Vec::with_capacity(fixes.len() / batch + 1);
    let started = Instant::now();
    let mut next_report = Instant::now() + Duration::from_secs(5);
    for (i, chunk) in fixes.chunks(batch).enumerate() {
        let t = Instant::now();
        let out = store
            .append_positions("450200", chunk)
            .await
            .expect("append");
        latencies.push(t.elapsed());
        assert_eq!(out.inserted as usize, chunk.len());
        if Instant::now() >= next_report {
            eprintln!(
                "  {label} batch {batch}: {} of {} …",
                (i + 1) * batch,
                fixes.len()
            );
            next_report += Duration::from_secs(5);
        }
    }
    let total = started.elapsed();
    latencies.sort();
    println!(
        "{label:<8} batch {batch:>5}: {:>9.0} positions/s  ({} in {:.2} s; commit median {:.2} ms, p99 {:.2} ms)",
        fixes.len() as f64 / total.as_secs_f64(),
        fixes.len(),
        total.as_secs_f64(),
        percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
}

/// Runs every batch size on `store`, each on fresh fixes (a later day).
async fn run_all(store: &SqlStore, label: &str, n: usize) {
    for (k, batch) in BATCHES.into_iter().enumerate() {
        let data = fixes(n, k as i64 * 86_400 * 3);
        measure(store, label, &data, batch).await;
    }
}

#[tokio::main]
async fn main() {
    let n = std::env::var("WULIU_BENCH_POSITIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("bench.db").display());
    let sqlite = SqlStore::open(&url).await.expect("open sqlite");
    run_all(&sqlite, "sqlite", n).await;
    let pg = std::env::var("WULIU_BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("WULIU_TEST_DATABASE_URL"));
    let Ok(base) = pg else {
        eprintln!("postgres: skipped (set WULIU_BENCH_DATABASE_URL)");
        return;
    };
    let name = format!("wuliu_bench_{}", std::process::id());
    let mut admin = AnyConnection::connect(&base).await.expect("connect");
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (root, _) = base.rsplit_once('/').expect("database URL");
    let store = SqlStore::open(&format!("{root}/{name}"))
        .await
        .expect("open");
    run_all(&store, "postgres", n).await;
    drop(store);
    sqlx::raw_sql(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop database");
}
