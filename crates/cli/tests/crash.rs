//! Killing the server with SIGKILL during a bulk import loses no acknowledged row.

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wuliu_model::codes::uscc_check_char;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wuliu(db: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wuliu"));
    c.args(["--database-url", db]).env("RUST_LOG", "warn");
    c
}

fn start(db: &str, port: u16) -> Child {
    let child = wuliu(db)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--ledger-dir",
        ])
        .arg(std::path::Path::new(db.trim_start_matches("sqlite:")).with_extension("ledger"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while client
        .get(format!("http://127.0.0.1:{port}/health"))
        .send()
        .is_err()
    {
        assert!(Instant::now() < deadline, "server did not come up");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn vehicle(carrier: &str, n: usize) -> Value {
    json!({
        "external_id": format!("K{n:06}"), "carrier_id": carrier, "plate": format!("桂B{:05}", n % 100_000),
        "plate_colour": "blue", "body_type": "van", "rated_load": 1500.0, "cargo_volume": 8.0
    })
}

#[test]
fn sigkill_during_bulk_import_loses_no_acknowledged_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("crash.db").display());
    let out = wuliu(&db)
        .args(["token", "create", "--role", "admin"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, port);
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let first17 = "91450200MA5KC0001";
    let party = json!({"external_id": "crash-carrier", "name": "柳州测试物流有限公司", "roles": ["carrier"],
        "credit_code": format!("{first17}{}", uscc_check_char(first17).unwrap()), "division_code": "450204",
        "transport_permit": {"number": "450200000001", "expires": "2030-01-01"}});
    let r = client
        .post(format!("{base}/api/v1/parties"))
        .bearer_auth(&token)
        .json(&party)
        .send()
        .unwrap();
    assert_eq!(r.status(), 201);
    let carrier = r.json::<Value>().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Import batches until the server dies; kill it once a few batches are acknowledged, while the
    // next ones are in flight.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(HashSet::new()));
    let acked = acknowledged.clone();
    let (c2, t2, b2) = (client.clone(), token.clone(), base.clone());
    let importer = std::thread::spawn(move || {
        for batch in 0..10_000 {
            let rows: Vec<Value> = (0..200)
                .map(|i| vehicle(&carrier, batch * 200 + i))
                .collect();
            let res = c2
                .post(format!("{b2}/api/v1/vehicles/import"))
                .bearer_auth(&t2)
                .json(&rows)
                .send();
            let Ok(res) = res else { return batch };
            let Ok(report) = res.json::<Value>() else {
                return batch;
            };
            let mut set = acked.lock().unwrap();
            for row in report["rows"].as_array().unwrap() {
                assert_eq!(row["outcome"], "created", "{row}");
                set.insert(
                    rows[row["row"].as_u64().unwrap() as usize - 1]["external_id"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                );
            }
        }
        10_000
    });
    while acknowledged.lock().unwrap().len() < 1_000 {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(37));
    server.kill().unwrap(); // SIGKILL on Unix
    server.wait().unwrap();
    let batches = importer.join().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        batches < 10_000,
        "the importer must have been cut off by the kill"
    );

    // Restart on the same file: every acknowledged row is there.
    let mut server = start(&db, port);
    let stored: Vec<Value> = client
        .get(format!("{base}/api/v1/vehicles/export?format=json"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let stored: HashSet<String> = stored
        .iter()
        .map(|v| v["external_id"].as_str().unwrap().to_string())
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged rows lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    // A batch is one transaction: the in-flight batch is either wholly there or wholly absent.
    assert_eq!(
        (stored.len() - acknowledged.len()) % 200,
        0,
        "a partial batch survived"
    );
    eprintln!(
        "acknowledged {} rows before SIGKILL; {} stored after restart",
        acknowledged.len(),
        stored.len()
    );
}
