//! Live road changes over HTTP on Monaco: a closure stored through the API changes the route the
//! server answers and lifting it restores it; carriers may read but not write; a bad change is a
//! 400 naming its field and stores nothing; two concurrent writers both end up stored and in force.
//! On SQLite, and on PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::emergency::{stockpile, village_request, water};
use common::{unique, Api};
use serde_json::{json, Value};
use wuliu_model::GeoPoint;
use wuliu_road::PreparedNetwork;
use wuliu_server::{app, AppState, Role};
use wuliu_store::{AuditQuery, Repository, SqlStore};

/// Held by each test: the changes stored in a shared PostgreSQL database are applied whole, so one
/// test's change would show in the other's routes.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// From Fontvieille to Larvotto, across the principality.
const FROM: [f64; 2] = [7.4197, 43.7315];
const TO: [f64; 2] = [7.4370, 43.7460];

fn monaco() -> Arc<PreparedNetwork> {
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Car, |_| {}).unwrap();
    Arc::new(PreparedNetwork::prepare(net, None))
}

/// The databases to run on: a fresh SQLite file, and PostgreSQL when configured.
fn databases() -> Vec<(&'static str, String, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("road.db").display());
    let mut out = vec![("sqlite", url, Some(dir))];
    if let Ok(pg) = std::env::var("WULIU_TEST_DATABASE_URL") {
        out.push(("postgres", pg, None));
    }
    out
}

/// An API with `net` over the database at `url`, the stored set (left by other runs on a shared
/// database) in force.
async fn api_on(net: &Arc<PreparedNetwork>, url: &str, dir: Option<tempfile::TempDir>) -> Api {
    let repo: Arc<dyn Repository> = Arc::new(SqlStore::open(url).await.unwrap());
    let state = AppState::new(repo.clone()).with_road(net.clone());
    state.road_changes.as_ref().unwrap().apply().await.unwrap();
    Api {
        router: app(state),
        repo,
        _dir: dir,
    }
}

fn audit_of(id: &str) -> AuditQuery {
    AuditQuery {
        record_id: Some(id.to_string()),
        limit: 100,
        ..Default::default()
    }
}

async fn put(api: &Api, token: &str, id: &str, body: Value) -> common::Reply {
    let uri = format!("/api/v1/road/changes/{id}");
    api.call("PUT", &uri, token, "application/json", body.to_string())
        .await
}

/// Puts change `body` as `id` and asserts it is refused with 400 naming exactly `field`.
async fn refused(
    api: &Api,
    token: &str,
    id: &str,
    body: Value,
    field: &str,
    backend: &str,
) -> common::Reply {
    let r = put(api, token, id, body.clone()).await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "{backend}: {body}: {}",
        r.text
    );
    assert_eq!(
        r.violation_fields(),
        vec![field],
        "{backend}: {body}: {}",
        r.text
    );
    r
}

async fn delete(api: &Api, token: &str, id: &str) -> common::Reply {
    let uri = format!("/api/v1/road/changes/{id}");
    api.call("DELETE", &uri, token, "application/json", String::new())
        .await
}

/// The route the server answers from `FROM` to `TO`.
async fn route(api: &Api, token: &str) -> Value {
    let r = api
        .post("/api/v1/road/route", token, json!({ "points": [FROM, TO] }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    assert_eq!(body["reachable"], true, "{body}");
    body["route"].clone()
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

/// The IDs stored, as `GET /api/v1/road/changes` lists them to `token`.
async fn listed(api: &Api, token: &str) -> Vec<String> {
    let r = api.get("/api/v1/road/changes", token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn road_changes_are_authorised_checked_stored_and_honoured() {
    let _serial = SERIAL.lock().await;
    let net = monaco();
    for (backend, url, dir) in databases() {
        let api = api_on(&net, &url, dir).await;
        let admin = api.token(Role::Admin, None, "450200").await;
        let carrier = api.token(Role::Carrier, Some("pty_rc"), "450200").await;
        forbidden_for_carriers(&api, &admin, &carrier, backend).await;
        bad_changes_store_nothing(&api, &admin, backend).await;
        closure_changes_the_route(&api, &net, &admin, backend).await;
        concurrent_writers_both_survive(&api, &net, &admin, backend).await;
    }
}

async fn forbidden_for_carriers(api: &Api, admin: &str, carrier: &str, backend: &str) {
    let id = unique("rc-carrier-");
    let body = json!({"target": {"ways": [1]}, "effect": {"kind": "closed"}});
    let r = put(api, carrier, &id, body.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{backend}: {}", r.text);
    assert!(!listed(api, carrier).await.contains(&id), "{backend}");
    // A change an admin set cannot be lifted by a carrier either.
    let r = put(api, admin, &id, body).await;
    assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
    let r = delete(api, carrier, &id).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{backend}: {}", r.text);
    assert!(listed(api, carrier).await.contains(&id), "{backend}");
    let r = delete(api, admin, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
    let r = delete(api, admin, &id).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{backend}: {}", r.text);
}

async fn bad_changes_store_nothing(api: &Api, admin: &str, backend: &str) {
    let id = unique("rc-bad-");
    let cases = [
        (
            json!({"target": {"edges": [0, 99_999_999]}, "effect": {"kind": "closed"}}),
            "target.edges[1]",
        ),
        (
            json!({"target": {"ways": [1]}, "effect": {"kind": "slowed", "speed_factor": 2.0}}),
            "effect.speed_factor",
        ),
        (
            json!({"target": {"polygon": [[7.41, 43.73], [7.42, 43.73]]}, "effect": {"kind": "closed"}}),
            "target.polygon",
        ),
        (
            json!({"target": {"polygon": [[7.41, 43.73], [7.42, 43.73], [7.42, 95.0]]}, "effect": {"kind": "closed"}}),
            "target.polygon[2]",
        ),
        (
            json!({"target": {"ways": []}, "effect": {"kind": "closed"}}),
            "target.ways",
        ),
        (
            json!({"target": {"ways": [1]}, "effect": {"kind": "flooded"}}),
            "effect.kind",
        ),
        (
            json!({"id": "another", "target": {"ways": [1]}, "effect": {"kind": "closed"}}),
            "id",
        ),
    ];
    for (body, field) in cases {
        refused(api, admin, &id, body, field, backend).await;
    }
    assert!(!listed(api, admin).await.contains(&id), "{backend}");
    let audit = api.repo.audit(&audit_of(&id)).await.unwrap();
    assert!(
        audit.is_empty(),
        "{backend}: a refused change is audited: {audit:?}"
    );
}

async fn closure_changes_the_route(api: &Api, net: &PreparedNetwork, admin: &str, backend: &str) {
    let before = route(api, admin).await;
    let ways = ways_of(net, &before);
    let closed = ways[ways.len() / 2];
    let id = unique("rc-close-");
    let r = put(
        api,
        admin,
        &id,
        json!({"target": {"ways": [closed]}, "effect": {"kind": "closed"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
    let report = r.json();
    assert!(report["edges_closed"].as_u64().unwrap() > 0, "{report}");
    assert!(report["revision"].as_i64().unwrap() > 0, "{report}");
    let during = route(api, admin).await;
    assert!(
        !ways_of(net, &during).contains(&closed),
        "{backend}: the route still uses closed way {closed}"
    );
    assert!(
        during["duration_s"].as_f64() > before["duration_s"].as_f64(),
        "{backend}: {} s with the closure, {} s without",
        during["duration_s"],
        before["duration_s"]
    );
    // The write is audited with who did it.
    let audit = api.repo.audit(&audit_of(&id)).await.unwrap();
    let entry = audit.last().expect("audited");
    assert_eq!(entry.action, "road_change.put");
    assert_eq!(entry.role, "admin");
    let r = delete(api, admin, &id).await;
    assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
    let after = route(api, admin).await;
    assert_eq!(after["duration_s"], before["duration_s"], "{backend}");
    assert_eq!(after["coordinates"], before["coordinates"], "{backend}");
}

async fn concurrent_writers_both_survive(
    api: &Api,
    net: &PreparedNetwork,
    admin: &str,
    backend: &str,
) {
    for round in 0..5 {
        let (a, b) = (unique("rc-a-"), unique("rc-b-"));
        let body = |way: i64| json!({"target": {"ways": [way]}, "effect": {"kind": "slowed", "speed_factor": 0.5}});
        let (ra, rb) = tokio::join!(
            put(api, admin, &a, body(1000 + round)),
            put(api, admin, &b, body(2000 + round))
        );
        assert_eq!(ra.status, StatusCode::OK, "{backend}: {}", ra.text);
        assert_eq!(rb.status, StatusCode::OK, "{backend}: {}", rb.text);
        let stored = listed(api, admin).await;
        let in_force: Vec<String> = net.changes().into_iter().map(|c| c.id).collect();
        for id in [&a, &b] {
            assert!(
                stored.contains(id),
                "{backend}: {id} not stored: {stored:?}"
            );
            assert!(
                in_force.contains(id),
                "{backend}: {id} not in force: {in_force:?}"
            );
        }
        let (ra, rb) = tokio::join!(delete(api, admin, &a), delete(api, admin, &b));
        assert_eq!(ra.status, StatusCode::OK, "{backend}: {}", ra.text);
        assert_eq!(rb.status, StatusCode::OK, "{backend}: {}", rb.text);
        let in_force: Vec<String> = net.changes().into_iter().map(|c| c.id).collect();
        assert!(
            !in_force.contains(&a) && !in_force.contains(&b),
            "{backend}: {in_force:?}"
        );
    }
}

/// Two servers on one database (each with its own network): a change written through one is in
/// force on the other within a second, by its revision poller; so is lifting it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_reaches_another_server_on_the_same_database_within_a_second() {
    let _serial = SERIAL.lock().await;
    let (net_a, net_b) = (monaco(), monaco());
    for (backend, url, dir) in databases() {
        let api = api_on(&net_a, &url, dir).await;
        let repo_b: Arc<dyn Repository> = Arc::new(SqlStore::open(&url).await.unwrap());
        let state_b = AppState::new(repo_b).with_road(net_b.clone());
        let live_b = state_b.road_changes.clone().unwrap();
        live_b.apply().await.unwrap();
        let poller = live_b.spawn_poller(wuliu_app::road_changes::POLL_EVERY);
        let admin = api.token(Role::Regulator, None, "450200").await;
        let id = unique("rc-sync-");
        let in_force_on_b = |id: &str| net_b.changes().iter().any(|c| c.id == id);
        let body = json!({"target": {"polygon": [[7.41, 43.73], [7.42, 43.73], [7.42, 43.74]]},
            "effect": {"kind": "slowed", "speed_factor": 0.25}});
        let r = put(&api, &admin, &id, body).await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        assert!(r.json()["edges_slowed"].as_u64().unwrap() > 0, "{}", r.text);
        let written = std::time::Instant::now();
        while !in_force_on_b(&id) {
            assert!(
                written.elapsed() < std::time::Duration::from_secs(1),
                "{backend}: not in force on the other server after 1 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        eprintln!(
            "{backend}: in force on the other server after {:.0} ms",
            written.elapsed().as_secs_f64() * 1e3
        );
        let r = delete(&api, &admin, &id).await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        let lifted = std::time::Instant::now();
        while in_force_on_b(&id) {
            assert!(
                lifted.elapsed() < std::time::Duration::from_secs(1),
                "{backend}: still in force on the other server after 1 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        poller.abort();
    }
}

/// A place of its own on the globe for the tests without a network (stored changes are not per
/// region and PostgreSQL is shared): `[lon, lat]` in a 0.6° × 0.8° cell of the southern ocean.
fn place() -> [f64; 2] {
    let k: u64 = unique("").parse::<u64>().unwrap() / 7 % 10_000;
    [
        -150.3 + 0.6 * (k % 100) as f64,
        -59.6 + 0.8 * (k / 100) as f64,
    ]
}

/// Whether the situation picture shows request `req` as cut off from every stockpile.
async fn cut_off(api: &Api, token: &str, req: &str) -> bool {
    let r = api.get("/api/v1/emergency/situation", token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let s = r.json();
    assert_eq!(s["model"], "straight_line", "{s}");
    let found = s["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == req);
    found.unwrap_or_else(|| panic!("{req} not in {}", s["requests"]))["cut_off"] == true
}

/// A stockpile at `[lon, lat]` and a triaged request 0.05° north of it, in `region`; the
/// request's ID.
async fn seed_region(api: &Api, token: &str, place: [f64; 2]) -> String {
    let item = water(api, token).await;
    stockpile(api, token, place[1], place[0]).await;
    village_request(api, token, &item, place).await
}

/// With no road network loaded (the platform's default), a regulator stores a flood polygon over
/// HTTP: it is listed, audited, and cuts the straight-line legs into it (the request inside is
/// `cut_off`) until it is lifted; changes naming edges or ways are refused naming the field, and
/// a carrier may not write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_network_polygon_closures_are_stored_and_cut_straight_lines() {
    let _serial = SERIAL.lock().await;
    for (backend, api) in Api::each_backend().await {
        let region = format!("45{:04}", unique("").parse::<u64>().unwrap() % 10_000);
        let office = api.token(Role::Regulator, None, &region).await;
        let carrier = api.token(Role::Carrier, Some("pty_rc"), &region).await;
        let [lon, lat] = place();
        let req = seed_region(&api, &office, [lon, lat]).await;
        assert!(
            !cut_off(&api, &office, &req).await,
            "{backend}: cut before the flood"
        );

        let id = unique("rc-flood-");
        let flood = json!({"target": {"polygon": [[lon - 0.01, lat + 0.04], [lon + 0.01, lat + 0.04],
            [lon + 0.01, lat + 0.06], [lon - 0.01, lat + 0.06]]}, "effect": {"kind": "closed"}});
        let r = put(&api, &carrier, &id, flood.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{backend}: {}", r.text);
        assert!(!listed(&api, &office).await.contains(&id), "{backend}");

        let r = put(&api, &office, &id, flood.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        let stored = r.json();
        assert_eq!(stored["network_loaded"], false, "{backend}: {stored}");
        assert_eq!(stored["change"]["id"], id.as_str(), "{backend}: {stored}");
        let ring = |v: &Value| -> Vec<[f64; 2]> {
            serde_json::from_value(v["target"]["polygon"].clone()).unwrap()
        };
        let (got, sent) = (ring(&stored["change"]), ring(&flood));
        assert_eq!(got.len(), sent.len(), "{backend}: {stored}");
        for (g, s) in got.iter().zip(&sent) {
            let off = (g[0] - s[0]).abs().max((g[1] - s[1]).abs());
            assert!(off < 1e-9, "{backend}: stored {g:?} for {s:?}");
        }
        assert_eq!(
            stored["change"]["set_by"], "token:test",
            "{backend}: {stored}"
        );
        assert_eq!(stored["cuts_straight_lines"], true, "{backend}: {stored}");
        assert!(
            stored["revision"].as_i64().unwrap() > 0,
            "{backend}: {stored}"
        );
        assert!(listed(&api, &carrier).await.contains(&id), "{backend}");
        let audit = api.repo.audit(&audit_of(&id)).await.unwrap();
        assert_eq!(audit.last().expect("audited").action, "road_change.put");
        assert!(
            cut_off(&api, &office, &req).await,
            "{backend}: the flood cuts nothing"
        );

        let r = delete(&api, &carrier, &id).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{backend}: {}", r.text);
        let r = delete(&api, &office, &id).await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        assert_eq!(
            r.json()["change"]["id"],
            id.as_str(),
            "{backend}: {}",
            r.text
        );
        assert!(!listed(&api, &office).await.contains(&id), "{backend}");
        assert!(
            !cut_off(&api, &office, &req).await,
            "{backend}: still cut once lifted"
        );
        let r = delete(&api, &office, &id).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{backend}: {}", r.text);

        network_changes_are_refused_without_one(&api, &office, backend).await;
    }
}

/// Without a network, a change naming edges or ways cannot be checked nor applied: 400 naming
/// the field, saying no road network is loaded; nothing stored nor audited. Bad polygons are
/// still named as with a network.
async fn network_changes_are_refused_without_one(api: &Api, office: &str, backend: &str) {
    let id = unique("rc-nonet-");
    let cases = [
        (
            json!({"target": {"edges": [0, 1]}, "effect": {"kind": "closed"}}),
            "target.edges",
        ),
        (
            json!({"target": {"ways": [1]}, "effect": {"kind": "slowed", "speed_factor": 0.5}}),
            "target.ways",
        ),
        (
            json!({"target": {"polygon": [[7.41, 43.73], [7.42, 43.73]]}, "effect": {"kind": "closed"}}),
            "target.polygon",
        ),
        (
            json!({"target": {"ways": [1]}, "effect": {"kind": "slowed", "speed_factor": 2.0}}),
            "effect.speed_factor",
        ),
    ];
    for (body, field) in cases {
        let r = refused(api, office, &id, body, field, backend).await;
        if field.starts_with("target.edges") || field == "target.ways" {
            assert!(
                r.text.contains("no road network is loaded"),
                "{backend}: {}",
                r.text
            );
        }
    }
    assert!(!listed(api, office).await.contains(&id), "{backend}");
    assert!(
        api.repo.audit(&audit_of(&id)).await.unwrap().is_empty(),
        "{backend}"
    );
}
