//! Track storage tests. Every test runs on SQLite (a temporary file) and, when
//! `WULIU_TEST_DATABASE_URL` is set, on PostgreSQL in a database of its own, made next to the test
//! database and dropped afterwards (retention drops partitions of the whole database).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::{AnyConnection, Connection, Row};
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};
use wuliu_store::{AppendOutcome, Backend, GeoBox, Repository, SqlStore, TrackStore};

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}{t}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A fix with every field set to something worth round-tripping.
fn fix(vehicle: &str, time: DateTime<Utc>, lat: f64, lon: f64) -> Position {
    Position {
        vehicle_id: VehicleId::new(vehicle),
        time,
        point: GeoPoint { lat, lon },
        speed_kmh: 62.5,
        heading: 359,
        altitude_m: -12,
        alarm: u32::MAX,
        status: 3,
        mileage_km: Some(123_456.789_012_345),
        fuel_l: None,
        source: PositionSource::Jt808,
    }
}

/// `n` fixes of `vehicle`, a minute apart from `start`, moving north-east.
fn run(vehicle: &str, start: DateTime<Utc>, n: usize) -> Vec<Position> {
    (0..n)
        .map(|i| {
            let d = i as f64 * 0.001;
            fix(
                vehicle,
                start + Duration::minutes(i as i64),
                24.3 + d,
                109.4 + d,
            )
        })
        .collect()
}

/// Runs `body(store, url)` on SQLite, then on a fresh PostgreSQL database when configured.
async fn on_each_backend<F, Fut>(body: F)
where
    F: Fn(SqlStore, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("t.db").display());
    body(SqlStore::open(&url).await.unwrap(), url).await;
    let Ok(base) = std::env::var("WULIU_TEST_DATABASE_URL") else {
        eprintln!("postgres: SKIPPED (set WULIU_TEST_DATABASE_URL)");
        return;
    };
    let name = unique("wuliu_tracks_").to_lowercase();
    let mut admin = AnyConnection::connect(&base).await.unwrap();
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let (root, _) = base.rsplit_once('/').unwrap();
    let url = format!("{root}/{name}");
    eprintln!("postgres: running in {name}");
    body(SqlStore::open(&url).await.unwrap(), url).await;
    sqlx::raw_sql(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
}

/// The PostgreSQL partitions of `positions`, by name.
async fn partitions(url: &str) -> Vec<String> {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    let rows = sqlx::query(
        "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'positions'::regclass ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    rows.iter().map(|r| r.get::<String, _>("name")).collect()
}

/// Rows in one table (a PostgreSQL partition).
async fn rows_in(url: &str, table: &str) -> i64 {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get("n")
}

/// Every fix with `from <= time < to`, read in pages of `page`.
async fn read_all(
    store: &SqlStore,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    page: usize,
) -> Vec<Position> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let p = store
            .positions_between(from, to, after.as_ref(), page)
            .await
            .unwrap();
        assert!(p.positions.len() <= page);
        out.extend(p.positions.into_iter().map(|(_, x)| x));
        match p.next {
            Some(c) => after = Some(c),
            None => return out,
        }
    }
}

#[tokio::test]
async fn appended_fixes_come_back_in_time_order_exactly() {
    on_each_backend(|store, _| async move {
        let start = at("2026-12-03T08:00:00.123Z");
        let mut batch = run("veh_a", start, 10);
        batch.extend(run("veh_b", start, 10));
        batch[3].fuel_l = Some(0.1 + 0.2);
        batch[4].source = PositionSource::Upload;
        batch.reverse();
        let out = store.append_positions("450200", &batch).await.unwrap();
        assert_eq!(
            out,
            AppendOutcome {
                inserted: 20,
                duplicates: 0
            }
        );
        let track = store
            .track("veh_a", start, start + Duration::hours(1), 100)
            .await
            .unwrap();
        let mut expected = run("veh_a", start, 10);
        expected[3].fuel_l = Some(0.1 + 0.2);
        expected[4].source = PositionSource::Upload;
        assert_eq!(track, expected, "every field round-trips, time to the ms");
        // Half-open range and limit.
        let part = store
            .track(
                "veh_a",
                start + Duration::minutes(2),
                start + Duration::minutes(5),
                2,
            )
            .await
            .unwrap();
        let times: Vec<_> = part.iter().map(|p| p.time).collect();
        assert_eq!(
            times,
            [start + Duration::minutes(2), start + Duration::minutes(3)]
        );
        assert!(store
            .track("veh_c", start, start + Duration::hours(1), 100)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn duplicates_are_ignored_and_counted() {
    on_each_backend(|store, _| async move {
        let start = at("2026-12-03T09:00:00Z");
        let first = run("veh_d", start, 5);
        assert_eq!(
            store.append_positions("R", &first).await.unwrap().inserted,
            5
        );
        // Three already stored, two new, and one new fix twice in the same batch.
        let mut again = first[..3].to_vec();
        again[0].speed_kmh = 99.0;
        let new = run("veh_d", start + Duration::minutes(5), 2);
        again.extend(new.clone());
        again.push(new[1].clone());
        let out = store.append_positions("R", &again).await.unwrap();
        assert_eq!(
            out,
            AppendOutcome {
                inserted: 2,
                duplicates: 4
            }
        );
        let track = store
            .track("veh_d", start, start + Duration::hours(1), 100)
            .await
            .unwrap();
        assert_eq!(track.len(), 7);
        assert_eq!(track[0].speed_kmh, 62.5, "the first copy stays");
        assert_eq!(
            store.append_positions("R", &[]).await.unwrap(),
            AppendOutcome::default()
        );
    })
    .await;
}

#[tokio::test]
async fn the_last_known_position_only_moves_forward() {
    on_each_backend(|store, _| async move {
        let t = at("2026-12-03T10:00:00Z");
        store
            .append_positions("450200", &[fix("veh_l", t, 24.0, 109.0)])
            .await
            .unwrap();
        // A fix from before arrives late: stored in the track, but not the last known position.
        let late = fix("veh_l", t - Duration::minutes(5), 23.0, 108.0);
        store.append_positions("450200", &[late]).await.unwrap();
        store
            .append_positions("450300", &[fix("veh_m", t, 25.0, 110.0)])
            .await
            .unwrap();
        let latest = store.latest_positions(None, None).await.unwrap();
        assert_eq!(latest.len(), 2);
        assert_eq!(latest[0].0, "450200");
        assert_eq!(latest[0].1, fix("veh_l", t, 24.0, 109.0));
        // A batch holding several fixes of a vehicle moves it to the newest of them.
        let batch = run("veh_l", t + Duration::minutes(1), 3);
        store.append_positions("450200", &batch).await.unwrap();
        let mine = store.latest_positions(Some("450200"), None).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].1, batch[2]);
        let picked = store
            .latest_positions(None, Some(&["veh_m".into(), "veh_x".into()]))
            .await
            .unwrap();
        assert_eq!(picked.len(), 1);
        assert_eq!(
            (picked[0].0.as_str(), picked[0].1.vehicle_id.as_str()),
            ("450300", "veh_m")
        );
        assert!(store
            .latest_positions(None, Some(&[]))
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn box_query_filters_by_place_time_and_region() {
    on_each_backend(|store, _| async move {
        let t = at("2026-12-03T11:00:00Z");
        let inside = fix("veh_in", t, 24.5, 109.5);
        let outside = fix("veh_out", t, 30.0, 109.5);
        let too_late = fix("veh_in", t + Duration::hours(2), 24.5, 109.5);
        store
            .append_positions("450200", &[inside.clone(), outside, too_late])
            .await
            .unwrap();
        let other = fix("veh_other", t + Duration::minutes(1), 24.6, 109.6);
        store
            .append_positions("450300", std::slice::from_ref(&other))
            .await
            .unwrap();
        let area = GeoBox {
            min_lat: 24.0,
            min_lon: 109.0,
            max_lat: 25.0,
            max_lon: 110.0,
        };
        let to = t + Duration::hours(1);
        let all = store
            .positions_in_box(None, &area, t, to, 100)
            .await
            .unwrap();
        assert_eq!(all, [inside.clone(), other]);
        let mine = store
            .positions_in_box(Some("450200"), &area, t, to, 100)
            .await
            .unwrap();
        assert_eq!(mine, [inside]);
        let one = store.positions_in_box(None, &area, t, to, 1).await.unwrap();
        assert_eq!(one.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn keyset_pages_return_every_row_once() {
    on_each_backend(|store, _| async move {
        let start = at("2026-12-03T22:30:00Z");
        let mut all = Vec::new();
        for v in 0..7 {
            all.extend(run(&format!("veh_{v}"), start, 50));
        }
        // Outside the range read below.
        all.extend(run("veh_0", start - Duration::hours(3), 5));
        store.append_positions("R", &all).await.unwrap();
        let (from, to) = (start, start + Duration::minutes(45));
        let got = read_all(&store, from, to, 13).await;
        let mut expected: Vec<_> = all
            .into_iter()
            .filter(|p| p.time >= from && p.time < to)
            .collect();
        expected.sort_by(|a, b| (&a.vehicle_id, a.time).cmp(&(&b.vehicle_id, b.time)));
        assert_eq!(got.len(), 7 * 45);
        assert_eq!(got, expected);
        // A page size that divides the rows exactly still ends.
        assert_eq!(read_all(&store, from, to, 45).await.len(), 7 * 45);
    })
    .await;
}

#[tokio::test]
async fn retention_drops_old_days_and_keeps_newer_days_and_last_positions() {
    on_each_backend(|store, url| async move {
        let d1 = at("2026-11-01T12:00:00Z");
        let d2 = at("2026-11-02T12:00:00Z");
        let d3 = at("2026-11-03T12:00:00Z");
        store
            .append_positions("R", &run("veh_old", d1, 4))
            .await
            .unwrap();
        let mut batch = run("veh_r", d1, 3);
        batch.extend(run("veh_r", d2, 2));
        batch.extend(run("veh_r", d3, 6));
        store.append_positions("R", &batch).await.unwrap();
        let removed = store
            .drop_positions_before(day("2026-11-03"))
            .await
            .unwrap();
        assert_eq!(removed, 4 + 3 + 2);
        let left = store
            .track("veh_r", d1, d3 + Duration::days(1), 100)
            .await
            .unwrap();
        assert_eq!(left, run("veh_r", d3, 6));
        let latest = store.latest_positions(None, None).await.unwrap();
        let ids: Vec<_> = latest.iter().map(|(_, p)| p.vehicle_id.as_str()).collect();
        assert_eq!(ids, ["veh_old", "veh_r"], "last positions stay");
        if store.backend() == Backend::Postgres {
            assert_eq!(
                partitions(&url).await,
                ["positions_20261103", "positions_default"]
            );
            assert_eq!(rows_in(&url, "positions_20261103").await, 6);
        }
        // Nothing more to drop; appending to a dropped day works again.
        assert_eq!(
            store
                .drop_positions_before(day("2026-11-03"))
                .await
                .unwrap(),
            0
        );
        let back = store
            .append_positions("R", &run("veh_r", d1, 1))
            .await
            .unwrap();
        assert_eq!(back.inserted, 1);
    })
    .await;
}

#[tokio::test]
async fn a_batch_spanning_midnight_lands_in_two_days() {
    on_each_backend(|store, url| async move {
        let batch = run("veh_n", at("2026-12-03T23:55:00Z"), 10);
        store.append_positions("R", &batch).await.unwrap();
        let track = store
            .track(
                "veh_n",
                at("2026-12-03T00:00:00Z"),
                at("2026-12-05T00:00:00Z"),
                100,
            )
            .await
            .unwrap();
        assert_eq!(track, batch);
        if store.backend() == Backend::Postgres {
            assert_eq!(rows_in(&url, "positions_20261203").await, 5);
            assert_eq!(rows_in(&url, "positions_20261204").await, 5);
            assert_eq!(rows_in(&url, "positions_default").await, 0);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_overlapping_appends_to_a_new_day_store_each_fix_once() {
    on_each_backend(|store, url| async move {
        // A second store on the same database stands for a second process (its own pool and its
        // own cache of partitions).
        let other = SqlStore::open(&url).await.unwrap();
        let start = at("2026-12-07T00:00:00Z");
        let mut all = Vec::new();
        for v in 0..20 {
            all.extend(run(&format!("veh_c{v:02}"), start, 60));
        }
        let (a, b) = (&all[..800], &all[400..]);
        let (ra, rb) = tokio::join!(
            store.append_positions("R", a),
            other.append_positions("R", b)
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(ra.inserted + rb.inserted, all.len() as u64);
        assert_eq!(ra.duplicates + rb.duplicates, 400);
        let got = read_all(&store, start, start + Duration::days(1), 500).await;
        assert_eq!(got.len(), all.len());
        let latest = store.latest_positions(None, None).await.unwrap();
        assert_eq!(latest.len(), 20);
        assert!(latest
            .iter()
            .all(|(_, p)| p.time == start + Duration::minutes(59)));
    })
    .await;
}

#[tokio::test]
async fn stray_rows_in_the_default_partition_move_into_their_day() {
    // PostgreSQL only: SQLite has no partitions.
    on_each_backend(|store, url| async move {
        if store.backend() != Backend::Postgres {
            return;
        }
        let t = at("2026-12-09T06:00:00Z");
        let mut conn = AnyConnection::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO positions_default (vehicle_id, time_ms, region, lat, lon, speed_kmh, heading, altitude_m, alarm, status, source) \
             VALUES ('veh_s', $1, 'R', 24.0, 109.0, 0, 0, 0, 0, 0, 'upload')",
        )
        .bind(t.timestamp_millis())
        .execute(&mut conn)
        .await
        .unwrap();
        let out = store
            .append_positions("R", &run("veh_s", t, 3))
            .await
            .unwrap();
        assert_eq!((out.inserted, out.duplicates), (2, 1));
        assert_eq!(rows_in(&url, "positions_20261209").await, 3);
        assert_eq!(rows_in(&url, "positions_default").await, 0);
    })
    .await;
}

#[tokio::test]
async fn fixes_survive_closing_and_reopening_a_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("t.db").display());
    let start = at("2026-12-03T08:00:00.001Z");
    let batch = run("veh_p", start, 25);
    {
        let store = SqlStore::open(&url).await.unwrap();
        store.append_positions("R", &batch).await.unwrap();
    }
    let store = SqlStore::open(&url).await.unwrap();
    let track = store
        .track("veh_p", start, start + Duration::days(1), 100)
        .await
        .unwrap();
    assert_eq!(track, batch);
    let latest = store.latest_positions(Some("R"), None).await.unwrap();
    assert_eq!(latest[0].1, batch[24]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_sees_what_another_store_on_the_same_file_appends_later() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("t.db").display());
    let start = at("2026-12-03T08:00:00.001Z");
    let reader = SqlStore::open(&url).await.unwrap();
    let writer = SqlStore::open(&url).await.unwrap();
    for round in 0..20usize {
        let latest = reader.latest_positions(None, None).await.unwrap();
        assert_eq!(latest.len(), usize::from(round > 0), "round {round}");
        let seen = reader
            .track("veh_r", start, start + Duration::days(1), 1_000_000)
            .await
            .unwrap();
        assert_eq!(seen.len(), round * 5, "round {round}");
        let batch = run("veh_r", start + Duration::minutes(5 * round as i64), 5);
        writer.append_positions("R", &batch).await.unwrap();
    }
}
