//! `wuliu simulate` against `wuliu serve --demo --jt808`: the waybills exist, closed and paid, and
//! every acknowledged position is stored.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;
use wuliu_store::{SqlStore, TrackStore};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the platform with the demo data and a gateway; returns it and the admin token it printed.
fn serve(db: &str, dir: &std::path::Path, http: u16, jt808: u16) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["--database-url", db, "serve", "--demo"])
        .args(["--listen", &format!("127.0.0.1:{http}")])
        .args(["--jt808", &format!("127.0.0.1:{jt808}")])
        .arg("--ledger-dir")
        .arg(dir.join("ledger"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    for out in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if let Some(t) = line.split("admin token (shown once): ").nth(1) {
                    let _ = tx.send(t.trim().to_string());
                }
            }
        });
    }
    let token = rx
        .recv_timeout(Duration::from_secs(180))
        .expect("serve --demo printed no admin token");
    let deadline = Instant::now() + Duration::from_secs(120);
    for port in [http, jt808] {
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "port {port} did not open");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    (child, token)
}

fn get(url: &str, token: &str) -> Value {
    let res = reqwest::blocking::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .unwrap();
    assert!(res.status().is_success(), "GET {url}: {}", res.status());
    res.json().unwrap()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn a_small_simulation_is_uploaded_and_its_positions_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("sim.db").display());
    let (http, jt808) = (free_port(), free_port());
    let (mut server, token) = serve(&db, dir.path(), http, jt808);
    let labels_path = dir.path().join("labels.json");
    let api = format!("http://127.0.0.1:{http}");
    let out = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["simulate", "--api", &api, "--token", &token])
        .args(["--gateway", &format!("127.0.0.1:{jt808}")])
        .args(["--trips", "6", "--anomaly-share", "0.34", "--seed", "7"])
        .args(["--day", "2026-12-02", "--tag", "e2e"])
        .arg("--labels")
        .arg(&labels_path)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "simulate failed: {stderr}");
    assert!(stderr.contains("great circles"), "{stderr}");
    let labels: Value =
        serde_json::from_str(&std::fs::read_to_string(&labels_path).unwrap()).unwrap();
    let trips = labels["trips"].as_array().unwrap();
    assert_eq!(trips.len(), 6);
    let anomalous: Vec<&Value> = trips.iter().filter(|t| !t["anomaly"].is_null()).collect();
    assert_eq!(anomalous.len(), 2);
    assert_eq!(labels["rules"]["ghost"][0], "track.ghost");
    let acked = labels["summary"]["positions_acked"].as_u64().unwrap();
    let reported: u64 = trips.iter().map(|t| t["fixes"].as_u64().unwrap()).sum();
    assert!(acked > 0);
    assert_eq!(acked, reported);
    for t in trips {
        let id = t["waybill_id"].as_str().unwrap();
        let w = get(&format!("{api}/api/v1/waybills/{id}"), &token);
        assert_eq!(w["status"], "receipted", "{w}");
        assert_eq!(w["vehicle"]["vehicle_id"], t["vehicle_id"]);
        assert_eq!(time(&w["despatch_time"]), time(&t["despatch"]));
    }
    server.kill().unwrap();
    server.wait().unwrap();

    // Every acknowledged position is in the store, on the trips' vehicles and times.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = SqlStore::open(&db).await.unwrap();
        let mut stored = 0;
        for t in trips {
            let vehicle = t["vehicle_id"].as_str().unwrap();
            let (from, to) = (time(&t["despatch"]), time(&t["receipt"]));
            let fixes = store
                .track(vehicle, from, to + chrono::Duration::seconds(1), 100_000)
                .await
                .unwrap();
            assert_eq!(fixes.len() as u64, t["fixes"].as_u64().unwrap(), "{t}");
            if t["anomaly"] == "ghost" {
                assert!(fixes.is_empty());
            }
            stored += fixes.len() as u64;
        }
        assert_eq!(stored, acked);
    });
}
