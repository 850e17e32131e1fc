//! Following a shipment and the return-load search: who may follow, what a busy truck is offered
//! after its trip, and what each side learns of the other from suggestions.

mod common;

use axum::http::StatusCode;
use common::{unique, vehicle, Api, Market};
use serde_json::json;
use wuliu_server::Role;

#[tokio::test]
async fn only_parties_of_the_waybill_follow_it_and_see_its_trip() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let r = api.post("/api/v1/matching/accept", &m.tc, m.accept()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let waybill = r.json()["waybill"]["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/waybills/{waybill}/tracking");

    let r = api.get(&uri, &m.ts).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    assert_eq!(body["status"], "draft");
    assert_eq!(
        body["eta"],
        serde_json::Value::Null,
        "no ETA before despatch"
    );
    assert_eq!(body["track"]["geometry"]["type"], "LineString");
    assert_eq!(api.get(&uri, &m.tc).await.status, StatusCode::OK);

    // Another shipper learns nothing, not even that the waybill exists.
    let admin = api.token(Role::Admin, None, "450200").await;
    let other = api.party(&admin, &unique("S2"), 7001, &["shipper"]).await;
    let stranger = api.token(Role::Shipper, Some(&other), "450200").await;
    assert_eq!(api.get(&uri, &stranger).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_busy_truck_is_offered_loads_from_where_its_trip_ends() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let r = api.post("/api/v1/matching/accept", &m.tc, m.accept()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let waybill = r.json()["waybill"]["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/matching/vehicles/{}/loads", m.vehicle);

    // Busy: refused at home, answered after the trip, from the consignee (the load's destination).
    assert_eq!(api.get(&base, &m.tc).await.status, StatusCode::CONFLICT);
    let r = api
        .get(&format!("{base}?after_waybill={waybill}"), &m.tc)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    let lat = body["free"]["point"]["lat"].as_f64().unwrap();
    assert!((lat - 22.82).abs() < 1e-6, "{body}");
    let at = chrono::DateTime::parse_from_rfc3339(body["free"]["at"].as_str().unwrap()).unwrap();
    assert!(at >= chrono::Utc::now() - chrono::Duration::minutes(1));

    // A waybill of another truck of the same carrier does not say where this one ends.
    let mut v2 = vehicle(
        &m.carrier,
        &unique("V2"),
        &format!("桂B{}", &unique("")[4..9]),
        18000.0,
    );
    v2["home_base"] = json!({"lat": 24.30, "lon": 109.42});
    let r = api.post("/api/v1/vehicles", &m.tc, v2).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let other_truck = r.json()["id"].as_str().unwrap().to_string();
    let r = api
        .get(
            &format!("/api/v1/matching/vehicles/{other_truck}/loads?after_waybill={waybill}"),
            &m.tc,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert_eq!(r.violation_fields(), vec!["after_waybill"]);

    // Another carrier cannot use this carrier's waybill to probe it.
    let admin = api.token(Role::Admin, None, "450200").await;
    let rival = api.party(&admin, &unique("C2"), 7002, &["carrier"]).await;
    let tr = api.token(Role::Carrier, Some(&rival), "450200").await;
    let r = api
        .get(&format!("{base}?after_waybill={waybill}"), &tr)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // The second truck, available, is offered a new load with the load described for the carrier,
    // and the shipper sees the truck's plate in its suggestions.
    let load = Market::post_load(&api, &m.ts, &m.shipper, 6000.0).await;
    let r = api
        .get(
            &format!("/api/v1/matching/vehicles/{other_truck}/loads?n=50"),
            &m.tc,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    assert!(
        body["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["load"] == load.as_str()),
        "{body}"
    );
    assert_eq!(body["loads"][&load]["goods"], "汽车零部件");
    assert_eq!(body["loads"][&load]["price_offered"], 2600.0);
    let r = api
        .get(
            &format!("/api/v1/matching/loads/{load}/vehicles?n=50"),
            &m.ts,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    for s in body["suggestions"].as_array().unwrap() {
        let v = s["vehicle"].as_str().unwrap();
        assert!(body["vehicles"][v]["plate"].as_str().is_some(), "{body}");
    }
}
