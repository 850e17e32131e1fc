//! Killing the gateway, the platform or the JetStream writer with SIGKILL mid-stream loses no
//! position a terminal saw acknowledged.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use serde_json::json;
use wuliu_app::{spec, Caller, Service};
use wuliu_gateway::terminal::Terminal;
use wuliu_jt808::Version;
use wuliu_model::{GeoPoint, Position, PositionSource, VehicleId};
use wuliu_store::{Repository, SqlStore, TrackStore};

const VEHICLES: usize = 8;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wuliu(db: &str, args: &[&str]) -> Child {
    wuliu_logged(db, args, None)
}

/// `wuliu` with its error output written to `log` (when given), to be shown if the test fails.
fn wuliu_logged(db: &str, args: &[&str], log: Option<&std::path::Path>) -> Child {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
        None => Stdio::null(),
    };
    Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["--database-url", db])
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

async fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "port {port} did not open");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts `wuliu gateway` on a free port and waits until it listens. A port found free can be
/// taken before the gateway binds it, so a gateway that exits early is started again on another
/// port (three tries); if it never listens, the test fails with the gateway's own error output.
async fn gateway_listening(db: &str, nats: &str, log: &std::path::Path) -> (Child, u16) {
    for _ in 0..3 {
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_wuliu"))
            .args(["--database-url", db, "gateway", "--nats", nats])
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap();
        if listens_before_exit(&mut child, port).await {
            return (child, port);
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!(
        "the gateway never listened: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// Whether `port` opens within 30 s while `child` is still running.
async fn listens_before_exit(child: &mut Child, port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// A store with one carrier and `VEHICLES` vehicles; returns their plates.
async fn seed(db: &str) -> Vec<String> {
    let repo: Arc<dyn Repository> = Arc::new(SqlStore::open(db).await.unwrap());
    let svc = Service::new(repo);
    let admin = Caller::system("450200", "test");
    let party = json!({"name": "柳州示例运输有限公司", "roles": ["carrier"],
        "credit_code": "91450200MA5K00000G", "division_code": "450204",
        "transport_permit": {"number": "桂交运管许可柳字000001号", "expires": "2030-12-31"}});
    let party = svc
        .create(
            &admin,
            spec::by_collection("parties").unwrap(),
            party,
            "450200",
        )
        .await
        .unwrap();
    let mut plates = Vec::new();
    for n in 0..VEHICLES {
        let plate = format!("桂B{:05}", 10_000 + n);
        let vehicle = json!({"carrier_id": party.id, "plate": plate, "plate_colour": "yellow",
            "body_type": "box", "rated_load": 18000.0, "cargo_volume": 40.0,
            "transport_certificate": {"number": format!("4502000000{n:02}"), "expires": "2028-06-30"}});
        svc.create(
            &admin,
            spec::by_collection("vehicles").unwrap(),
            vehicle,
            "450200",
        )
        .await
        .unwrap();
        plates.push(plate);
    }
    plates
}

/// (plate, time in ms) of every acknowledged fix.
type Acked = Arc<Mutex<HashSet<(String, i64)>>>;

/// Terminals that report as fast as they are acknowledged until their connection breaks.
fn drive(port: u16, plates: &[String], acked: Acked) -> Vec<tokio::task::JoinHandle<()>> {
    plates
        .iter()
        .enumerate()
        .map(|(n, plate)| {
            let (plate, acked) = (plate.clone(), acked.clone());
            tokio::spawn(async move {
                let addr = format!("127.0.0.1:{port}");
                let phone = format!("1390000{n:04}");
                let mut t = Terminal::connect(&addr, &phone, Version::V2013)
                    .await
                    .unwrap();
                let (result, code) = t.register(&plate, 2).await.unwrap();
                assert_eq!(result, 0, "{plate} registration");
                assert_eq!(t.authenticate(&code).await.unwrap(), 0);
                let start = Utc.with_ymd_and_hms(2026, 12, 3, 0, 0, 0).unwrap();
                for i in 0.. {
                    let p = Position {
                        vehicle_id: VehicleId::new("veh_ignored_by_the_gateway"),
                        time: start + chrono::Duration::seconds(i),
                        point: GeoPoint {
                            lat: 24.3,
                            lon: 109.4 + i as f64 * 1e-5,
                        },
                        speed_kmh: 40.0,
                        heading: 90,
                        altitude_m: 90,
                        alarm: 0,
                        status: 3,
                        mileage_km: None,
                        fuel_l: None,
                        source: PositionSource::Jt808,
                    };
                    match t.report(&p).await {
                        Ok(0) => {
                            acked
                                .lock()
                                .unwrap()
                                .insert((plate.clone(), p.time.timestamp_millis()));
                        }
                        _ => return,
                    }
                }
            })
        })
        .collect()
}

/// Every acknowledged fix is in the store, by plate and time, within `wait`. On failure the
/// message ends with what `diagnose` reports (the processes' logs, the queue's state).
async fn assert_all_stored(
    db: &str,
    acked: &Acked,
    wait: Duration,
    diagnose: impl AsyncFn() -> String,
) {
    let repo = SqlStore::open(db).await.unwrap();
    let (from, to) = (
        Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap(),
    );
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > 100,
        "too few positions acknowledged before the kill: {}",
        acked.len()
    );
    let deadline = Instant::now() + wait;
    loop {
        let mut stored = HashSet::new();
        let latest = repo.latest_positions(None, None).await.unwrap();
        for (_, last) in latest {
            let plate = repo
                .get(wuliu_store::Kind::Vehicle, last.vehicle_id.as_str())
                .await
                .unwrap()
                .unwrap()
                .body["plate"]
                .as_str()
                .unwrap()
                .to_string();
            for p in repo
                .track(last.vehicle_id.as_str(), from, to, 1_000_000)
                .await
                .unwrap()
            {
                stored.insert((plate.clone(), p.time.timestamp_millis()));
            }
        }
        let lost = acked.difference(&stored).count();
        if lost == 0 {
            eprintln!(
                "{} acknowledged positions, all stored ({} stored in all)",
                acked.len(),
                stored.len()
            );
            return;
        }
        if Instant::now() >= deadline {
            panic!(
                "{lost} of {} acknowledged positions were lost ({} stored in all)\n{}",
                acked.len(),
                stored.len(),
                diagnose().await
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_of_the_platform_mid_stream_loses_no_acknowledged_position() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("g.db").display());
    let plates = seed(&db).await;
    let (http, jt) = (free_port(), free_port());
    let ledger = dir.path().join("ledger").display().to_string();
    let mut server = wuliu(
        &db,
        &[
            "serve",
            "--listen",
            &format!("127.0.0.1:{http}"),
            "--ledger-dir",
            &ledger,
            "--jt808",
            &format!("127.0.0.1:{jt}"),
        ],
    );
    wait_for_port(jt).await;
    let acked: Acked = Arc::default();
    let terminals = drive(jt, &plates, acked.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let metrics = tokio::task::spawn_blocking(move || {
        reqwest::blocking::get(format!("http://127.0.0.1:{http}/metrics"))
            .unwrap()
            .text()
            .unwrap()
    })
    .await
    .unwrap();
    let acked_metric = metrics
        .lines()
        .find_map(|l| l.strip_prefix("wuliu_gateway_positions_acked_total "))
        .and_then(|v| v.trim().parse::<u64>().ok());
    assert!(
        acked_metric.is_some_and(|n| n > 0),
        "the gateway's counters are on /metrics:\n{metrics}"
    );
    assert!(
        metrics.contains(&format!("wuliu_gateway_connections_open {VEHICLES}")),
        "{metrics}"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    for t in terminals {
        let _ = t.await;
    }
    assert_all_stored(&db, &acked, Duration::ZERO, async || String::new()).await;
}

/// A private JetStream server for one test (client port, monitoring port), or `None` when
/// nats-server is not installed and the run does not require it (CI sets `WULIU_REQUIRE_NATS`).
fn nats_server(dir: &std::path::Path) -> Option<(Child, u16, u16)> {
    let (port, monitor) = (free_port(), free_port());
    let child = Command::new("nats-server")
        .args(["-a", "127.0.0.1", "-p", &port.to_string()])
        .args(["-m", &monitor.to_string(), "-js", "-sd"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(c) => Some((c, port, monitor)),
        Err(e) if std::env::var_os("WULIU_REQUIRE_NATS").is_none() => {
            eprintln!("skipped: nats-server not found ({e}); install it or set WULIU_REQUIRE_NATS");
            None
        }
        Err(e) => panic!("nats-server is required (WULIU_REQUIRE_NATS) but could not start: {e}"),
    }
}

/// What went wrong, for a failed JetStream run: each process's log and the stream's and the
/// writers' consumer's state from the server's monitoring endpoint.
async fn jetstream_diagnosis(monitor: u16, logs: &[(&str, std::path::PathBuf)]) -> String {
    let url = format!("http://127.0.0.1:{monitor}/jsz?accounts=true&streams=true&consumers=true");
    let jsz = tokio::task::spawn_blocking(move || {
        reqwest::blocking::get(&url)
            .and_then(|r| r.text())
            .unwrap_or_else(|e| format!("no JetStream state: {e}"))
    })
    .await
    .unwrap();
    let mut out = format!("JetStream state:\n{jsz}\n");
    for (name, path) in logs {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        out += &format!("--- {name} ({}):\n{text}\n", path.display());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn through_jetstream_sigkill_of_gateway_and_writer_loses_no_acknowledged_position() {
    let dir = tempfile::tempdir().unwrap();
    let Some((mut nats, nats_port, monitor)) = nats_server(&dir.path().join("js")) else {
        return;
    };
    wait_for_port(nats_port).await;
    let url = format!("nats://127.0.0.1:{nats_port}");
    let db = format!("sqlite:{}", dir.path().join("g.db").display());
    let plates = seed(&db).await;
    let logs = [
        ("first writer", dir.path().join("writer-1.log")),
        ("gateway", dir.path().join("gateway.log")),
        ("second writer", dir.path().join("writer-2.log")),
    ];
    let writer_args = ["track-writer", "--nats", &url];
    let mut writer = wuliu_logged(&db, &writer_args, Some(&logs[0].1));
    let (mut gateway, jt) = gateway_listening(&db, &url, &logs[1].1).await;
    let acked: Acked = Arc::default();
    let terminals = drive(jt, &plates, acked.clone());
    tokio::time::sleep(Duration::from_millis(1000)).await;
    writer.kill().unwrap(); // mid-batch, messages fetched but not acknowledged
    writer.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(700)).await;
    gateway.kill().unwrap();
    gateway.wait().unwrap();
    for t in terminals {
        let _ = t.await;
    }
    let writer = Mutex::new(wuliu_logged(&db, &writer_args, Some(&logs[2].1)));
    let diagnose = async || {
        let exit = writer.lock().unwrap().try_wait().unwrap();
        let state = format!(
            "second writer: {}\n",
            match exit {
                Some(status) => format!("exited ({status})"),
                None => "still running".to_string(),
            }
        );
        state + &jetstream_diagnosis(monitor, &logs).await
    };
    assert_all_stored(&db, &acked, Duration::from_secs(60), diagnose).await;
    let mut writer = writer.into_inner().unwrap();
    writer.kill().unwrap();
    writer.wait().unwrap();
    nats.kill().unwrap();
    nats.wait().unwrap();
}
