//! Truck bans by time over HTTP, on Monaco prepared for a heavy truck: a ban zone stored through
//! `PUT /api/v1/road/changes/{id}` (effect `banned`) makes a route with a `departure` inside its
//! hours wait or go round, leaves one outside its hours and one without a departure alone, and is
//! lifted like any change; bad hours are a 400 naming `effect.hours`.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{unique, Api};
use serde_json::{json, Value};
use wuliu_road::{PreparedNetwork, Vehicle};
use wuliu_server::{app, AppState, Role};
use wuliu_store::{Repository, SqlStore};

/// From Fontvieille to Larvotto, across the principality.
const FROM: [f64; 2] = [7.4197, 43.7315];
const TO: [f64; 2] = [7.4370, 43.7460];

fn monaco_truck() -> Arc<PreparedNetwork> {
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Truck, |_| {}).unwrap();
    let p = PreparedNetwork::prepare(net, Some(Vehicle::heavy_truck()));
    p.set_utc_offset(chrono::FixedOffset::east_opt(3600).unwrap());
    Arc::new(p)
}

async fn route(api: &Api, token: &str, departure: Option<&str>) -> Value {
    let mut body = json!({ "points": [FROM, TO] });
    if let Some(d) = departure {
        body["departure"] = json!(d);
    }
    let r = api.post("/api/v1/road/route", token, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["reachable"], true, "{}", r.text);
    r.json()["route"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_zone_set_through_the_api_delays_trucks_in_its_hours_only() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("bans.db").display());
    let repo: Arc<dyn Repository> = Arc::new(SqlStore::open(&url).await.unwrap());
    let net = monaco_truck();
    let state = AppState::new(repo.clone()).with_road(net.clone());
    state.road_changes.as_ref().unwrap().apply().await.unwrap();
    let api = Api {
        router: app(state),
        repo,
        _dir: Some(dir),
    };
    let admin = api.token(Role::Admin, None, "450200").await;
    let free = route(&api, &admin, None).await;
    // The whole centre of the principality, Monte-Carlo side, banned 07:00-09:00 for heavy trucks.
    let id = unique("ban-centre-");
    let zone = json!({
        "target": {"polygon": [[7.4200, 43.7300], [7.4330, 43.7300], [7.4330, 43.7420], [7.4200, 43.7420]]},
        "effect": {"kind": "banned", "hours": "07:00-09:00", "vehicles": ["heavy"]}
    });
    let uri = format!("/api/v1/road/changes/{id}");
    let r = api
        .call("PUT", &uri, &admin, "application/json", zone.to_string())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.json()["edges_banned"].as_u64().unwrap() > 20,
        "{}",
        r.text
    );
    assert_eq!(
        route(&api, &admin, None).await,
        free,
        "no departure: bans by time ignored"
    );
    let noon = route(&api, &admin, Some("2026-12-07T12:00:00+01:00")).await;
    assert_eq!(noon["duration_s"], free["duration_s"], "outside the hours");
    // 08:59 local, given in UTC: the truck waits a minute or goes round.
    let peak = route(&api, &admin, Some("2026-12-07T07:59:00Z")).await;
    let waited: f64 = peak["legs"][0]["waits"]
        .as_array()
        .map(|w| w.iter().map(|x| x["wait_s"].as_f64().unwrap()).sum())
        .unwrap_or(0.0);
    let slower = peak["duration_s"].as_f64().unwrap() > free["duration_s"].as_f64().unwrap() + 1.0;
    assert!(slower, "{peak}");
    assert!(
        waited <= 60.0,
        "never waits longer than the ban has left: {waited}"
    );
    // Bad hours: refused, naming the field.
    let bad =
        json!({"target": {"ways": [1]}, "effect": {"kind": "banned", "hours": "at rush hour"}});
    let r = api
        .call("PUT", &uri, &admin, "application/json", bad.to_string())
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("effect.hours"), "{}", r.text);
    // Lifted like any change.
    let r = api
        .call("DELETE", &uri, &admin, "application/json", String::new())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let after = route(&api, &admin, Some("2026-12-07T07:59:00Z")).await;
    assert_eq!(after["duration_s"], free["duration_s"]);
}
