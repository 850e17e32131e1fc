//! Road changes survive a crash and reach a running server from the CLI: `wuliu serve --road` on
//! Monaco; a closure written by `wuliu road close` (another process, the same database) is honoured
//! by the running server within a second; after SIGKILL and a restart the closure is still in
//! force; lifting it through the API restores the route.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wuliu_model::GeoPoint;
use wuliu_road::PreparedNetwork;

/// From Fontvieille to Larvotto, across the principality.
const FROM: [f64; 2] = [7.4197, 43.7315];
const TO: [f64; 2] = [7.4370, 43.7460];

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

/// Runs `wuliu` to success and returns its standard output.
fn run(db: &str, args: &[&str]) -> String {
    let out = wuliu(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "wuliu {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Starts `wuliu serve --road` and waits for it; its standard error goes to `log`.
fn start(db: &str, road: &std::path::Path, port: u16, log: &std::path::Path) -> Child {
    let child = wuliu(db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--ledger-dir")
        .arg(road.with_extension("ledger"))
        .arg("--road")
        .arg(road)
        .args(["--monitor-every", "0"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let client = reqwest::blocking::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
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

struct Client {
    http: reqwest::blocking::Client,
    base: String,
    token: String,
}

impl Client {
    /// The route the server answers from `FROM` to `TO`.
    fn route(&self) -> Value {
        let r = self
            .http
            .post(format!("{}/api/v1/road/route", self.base))
            .bearer_auth(&self.token)
            .json(&json!({ "points": [FROM, TO] }))
            .send()
            .unwrap();
        assert_eq!(r.status(), 200);
        let body: Value = r.json().unwrap();
        assert_eq!(body["reachable"], true, "{body}");
        body["route"].clone()
    }
}

/// The OSM way under the middle of every segment of a route line.
fn ways_of(net: &PreparedNetwork, route: &Value) -> Vec<i64> {
    let pts: Vec<[f64; 2]> = serde_json::from_value(route["coordinates"].clone()).unwrap();
    pts.windows(2)
        .filter(|w| w[0] != w[1])
        .map(|w| {
            let mid = GeoPoint {
                lat: (w[0][1] + w[1][1]) / 2.0,
                lon: (w[0][0] + w[1][0]) / 2.0,
            };
            net.way_of(&net.snap(0, mid).unwrap())
        })
        .collect()
}

#[test]
fn road_closure_from_the_cli_is_honoured_live_and_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("road.db").display());
    let road = dir.path().join("monaco.wrn");
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let mut prepare = vec!["road", "prepare", pbf, "--profile", "car", "-o"];
    prepare.push(road.to_str().unwrap());
    run(&db, &prepare);
    let net = PreparedNetwork::load(&road).unwrap();
    let token = run(&db, &["token", "create", "--role", "admin"])
        .trim()
        .to_string();
    let port = free_port();
    let client = Client {
        http: reqwest::blocking::Client::new(),
        base: format!("http://127.0.0.1:{port}"),
        token,
    };
    let log = dir.path().join("serve.log");
    let mut server = start(&db, &road, port, &log);
    let before = client.route();
    let ways = ways_of(&net, &before);
    let closed = ways[ways.len() / 2];

    // Written by another process while the server runs: in force within a second.
    run(
        &db,
        &[
            "road",
            "close",
            "--id",
            "flood",
            "--ways",
            &closed.to_string(),
        ],
    );
    let written = Instant::now();
    while ways_of(&net, &client.route()).contains(&closed) {
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "the running server still routes over closed way {closed} after 1 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!(
        "CLI closure honoured by the running server after {:.0} ms",
        written.elapsed().as_secs_f64() * 1e3
    );
    let listed: Value = serde_json::from_str(&run(&db, &["road", "changes"])).unwrap();
    assert_eq!(listed["changes"][0]["id"], "flood", "{listed}");
    assert_eq!(listed["changes"][0]["set_by"], "cli", "{listed}");

    // SIGKILL, restart: the closure is loaded from the database before the first request.
    server.kill().unwrap();
    server.wait().unwrap();
    let mut server = start(&db, &road, port, &log);
    let during = client.route();
    assert!(
        !ways_of(&net, &during).contains(&closed),
        "after the restart the route uses closed way {closed} again"
    );
    assert!(during["duration_s"].as_f64() > before["duration_s"].as_f64());
    let said = std::fs::read_to_string(&log).unwrap();
    assert!(
        said.contains("1 stored road change(s) in force"),
        "serve did not say it applied the stored change: {said}"
    );

    // Lifted through the API: the route is the original again.
    let r = client
        .http
        .delete(format!("{}/api/v1/road/changes/flood", client.base))
        .bearer_auth(&client.token)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let after = client.route();
    assert_eq!(after["coordinates"], before["coordinates"]);
    assert_eq!(after["duration_s"], before["duration_s"]);
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Runs `wuliu` to failure and returns its standard error.
fn fails(db: &str, args: &[&str]) -> String {
    let out = wuliu(db).args(args).output().unwrap();
    assert!(!out.status.success(), "wuliu {args:?} succeeded");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn road_close_reads_a_geojson_polygon_and_names_bad_fields() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("road.db").display());
    let area = dir.path().join("area.geojson");
    let ring = json!([[7.41, 43.73], [7.42, 43.73], [7.42, 43.74], [7.41, 43.73]]);
    let fc = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]});
    std::fs::write(&area, fc.to_string()).unwrap();
    let area = area.to_str().unwrap();
    run(
        &db,
        &[
            "road",
            "close",
            "--id",
            "works",
            "--polygon",
            area,
            "--slow",
            "0.5",
        ],
    );
    let listed: Value = serde_json::from_str(&run(&db, &["road", "changes"])).unwrap();
    let change = &listed["changes"][0];
    assert_eq!(change["target"]["polygon"], ring, "{listed}");
    assert_eq!(change["effect"]["speed_factor"], 0.5, "{listed}");

    let err = fails(
        &db,
        &["road", "close", "--id", "x", "--ways", "1", "--slow", "3"],
    );
    assert!(err.contains("effect.speed_factor"), "{err}");
    let err = fails(
        &db,
        &["road", "close", "--id", "x", "--ways", "1", "--edges", "2"],
    );
    assert!(err.contains("cannot be used with"), "{err}");
    std::fs::write(
        dir.path().join("line.geojson"),
        r#"{"type": "LineString", "coordinates": []}"#,
    )
    .unwrap();
    let line = dir.path().join("line.geojson");
    let err = fails(
        &db,
        &[
            "road",
            "close",
            "--id",
            "x",
            "--polygon",
            line.to_str().unwrap(),
        ],
    );
    assert!(err.contains("line.geojson: no GeoJSON Polygon"), "{err}");
    let err = fails(&db, &["road", "open", "--id", "nothing-here"]);
    assert!(
        err.contains("no road change with id 'nothing-here'"),
        "{err}"
    );
    // Nothing refused was stored.
    let listed: Value = serde_json::from_str(&run(&db, &["road", "changes"])).unwrap();
    assert_eq!(listed["changes"].as_array().unwrap().len(), 1, "{listed}");
}
