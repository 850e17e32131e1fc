//! `POST /api/v1/positions` and the track queries: who may upload and read, what a bad row gets,
//! and that the answers are GeoJSON of what was stored.

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::{Api, Market};
use serde_json::{json, Value};
use wuliu_server::auth::Role;

fn fix(vehicle: &str, minutes_ago: i64, lon: f64) -> Value {
    // Whole minutes, so two calls name the same instant.
    let now = Utc::now().timestamp() / 60 * 60;
    let now = chrono::DateTime::from_timestamp(now, 0).unwrap();
    let time = (now - Duration::minutes(minutes_ago)).to_rfc3339();
    json!({"vehicle_id": vehicle, "time": time, "point": {"lat": 24.31, "lon": lon}, "speed_kmh": 55.0, "heading": 90})
}

#[tokio::test]
async fn a_carrier_uploads_its_own_vehicles_positions_and_reads_the_track_as_geojson() {
    for (backend, api) in Api::each_backend().await {
        let m = Market::new(&api).await;
        let body = json!([
            fix(&m.vehicle, 30, 109.40),
            fix(&m.vehicle, 20, 109.41),
            fix(&m.vehicle, 2, 109.42),
            fix(&m.vehicle, 2, 109.42)
        ]);
        let r = api.post("/api/v1/positions", &m.tc, body).await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        let report = r.json();
        assert_eq!(
            (report["stored"].as_u64(), report["duplicates"].as_u64()),
            (Some(3), Some(1)),
            "{backend}: {report}"
        );
        let r = api
            .get(&format!("/api/v1/vehicles/{}/track", m.vehicle), &m.tc)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        let track = r.json();
        assert_eq!(track["geometry"]["type"], "LineString");
        let coords = track["geometry"]["coordinates"].as_array().unwrap();
        assert_eq!(coords.len(), 3, "{backend}");
        assert_eq!(
            coords[0],
            json!([109.40, 24.31]),
            "GeoJSON order is [lon, lat]"
        );
        let simplified = api
            .get(
                &format!("/api/v1/vehicles/{}/track?simplify=50", m.vehicle),
                &m.tc,
            )
            .await
            .json();
        assert_eq!(
            simplified["properties"]["returned"], 2,
            "{backend}: three fixes on a line keep their ends"
        );
        let latest = api.get("/api/v1/positions/latest", &m.admin).await.json();
        let mine: Vec<_> = latest["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["properties"]["vehicle_id"] == m.vehicle.as_str())
            .collect();
        assert_eq!(mine.len(), 1, "{backend}");
        assert_eq!(mine[0]["geometry"]["coordinates"], json!([109.42, 24.31]));
        assert_eq!(mine[0]["properties"]["online"], true);
        assert_eq!(mine[0]["properties"]["source"], "upload");
    }
}

#[tokio::test]
async fn bad_rows_are_named_and_good_rows_are_kept() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let mut future = fix(&m.vehicle, -60, 109.4);
    future["source"] = json!("jt808");
    let body = json!([fix(&m.vehicle, 5, 109.4), {"vehicle_id": m.vehicle, "time": "yesterday"}, future,
        fix("veh_nobody", 5, 109.4), {"vehicle_id": m.vehicle, "time": Utc::now().to_rfc3339(), "point": {"lat": 95.0, "lon": 109.0}}]);
    let r = api.post("/api/v1/positions", &m.tc, body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let report = r.json();
    assert_eq!(report["stored"], 1);
    let rejected: Vec<(u64, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["row"].as_u64().unwrap(),
                x["problems"][0]["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (2, "time".into()),
            (3, "time".into()),
            (4, "vehicle_id".into()),
            (5, "point.lat".into())
        ],
        "{report}"
    );
}

#[tokio::test]
async fn a_csv_upload_names_the_line_of_a_bad_row() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let t = (Utc::now() - Duration::minutes(3)).to_rfc3339();
    let csv = format!("vehicle_id,time,point.lat,point.lon,speed_kmh\r\n{v},{t},24.3,109.4,40\r\n{v},{t},24.3,abc,40\r\n", v = m.vehicle);
    let r = api
        .call("POST", "/api/v1/positions", &m.tc, "text/csv", csv)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let report = r.json();
    assert_eq!(report["stored"], 1, "{report}");
    assert_eq!(report["rejected"][0]["line"], 3, "{report}");
    assert_eq!(
        report["rejected"][0]["problems"][0]["field"], "point.lon",
        "{report}"
    );
}

#[tokio::test]
async fn nobody_uploads_or_reads_another_carriers_vehicle() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let other = Market::new(&api).await;
    let r = api
        .post(
            "/api/v1/positions",
            &other.tc,
            json!([fix(&m.vehicle, 5, 109.4)]),
        )
        .await;
    assert_eq!(r.json()["stored"], 0, "{}", r.text);
    assert_eq!(
        r.json()["rejected"][0]["problems"][0]["code"],
        "position.unknown_vehicle"
    );
    let r = api
        .post(
            "/api/v1/positions",
            &m.ts,
            json!([fix(&m.vehicle, 5, 109.4)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "shippers do not upload");
    api.post(
        "/api/v1/positions",
        &m.tc,
        json!([fix(&m.vehicle, 5, 109.4)]),
    )
    .await;
    let r = api
        .get(&format!("/api/v1/vehicles/{}/track", m.vehicle), &other.tc)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let latest = api.get("/api/v1/positions/latest", &other.tc).await.json();
    assert!(latest["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["vehicle_id"] != m.vehicle.as_str()));
    let regulator = api.token(Role::Regulator, None, "450200").await;
    let r = api
        .get(&format!("/api/v1/vehicles/{}/track", m.vehicle), &regulator)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let elsewhere = api.token(Role::Regulator, None, "450100").await;
    let r = api
        .get(&format!("/api/v1/vehicles/{}/track", m.vehicle), &elsewhere)
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another region's regulator"
    );
    let r = api
        .get("/api/v1/positions?bbox=109.3,24.2,109.5,24.4", &m.tc)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = api
        .get("/api/v1/positions?bbox=109.3,24.2,109.5,24.4", &regulator)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["features"].as_array().unwrap().len(), 1);
    let r = api
        .get("/api/v1/positions?bbox=109.3,24.2", &regulator)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
