//! Monitoring over HTTP: a day's run raises alerts for what the rules find (once), a clean trip
//! raises none, alerts are followed up by the regulator, and new alerts stream as server-sent events.

mod common;

use std::time::Duration as StdDuration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, Utc};
use common::{Api, Market};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_server::auth::Role;

const FROM: (f64, f64) = (24.30, 109.40);
const TO: (f64, f64) = (24.30, 109.60);

fn despatch() -> DateTime<Utc> {
    DateTime::from_timestamp((Utc::now() - Duration::hours(3)).timestamp() / 60 * 60, 0).unwrap()
}

/// A dispatched-and-received waybill of the market's vehicle and driver, 20 km east in 30 min.
async fn waybill(api: &Api, m: &Market, ext: &str) -> String {
    let mut w = common::waybill(&m.shipper, &m.carrier, ext);
    let start = despatch();
    w["despatch_time"] = json!(start.to_rfc3339());
    w["receipt_time"] = json!((start + Duration::minutes(30)).to_rfc3339());
    w["consignment_time"] = json!((start - Duration::hours(1)).to_rfc3339());
    w["consignor"]["point"] = json!({"lat": FROM.0, "lon": FROM.1});
    w["consignee"]["point"] = json!({"lat": TO.0, "lon": TO.1});
    let plate = api
        .get(&format!("/api/v1/vehicles/{}", m.vehicle), &m.admin)
        .await
        .json()["plate"]
        .clone();
    w["vehicle"] = json!({"vehicle_id": m.vehicle, "plate": plate, "plate_colour": "yellow"});
    let licence = api
        .get(&format!("/api/v1/drivers/{}", m.driver), &m.admin)
        .await
        .json()["licence"]["number"]
        .clone();
    w["drivers"] = json!([{"driver_id": m.driver, "name": "韦师傅", "licence_number": licence}]);
    let r = api.post("/api/v1/waybills", &m.ts, w).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// The trip driven: a fix every 30 s from consignor to consignee.
async fn drive(api: &Api, m: &Market) {
    let start = despatch();
    let fixes: Vec<Value> = (0..=60)
        .map(|i| {
            let f = f64::from(i) / 60.0;
            json!({"vehicle_id": m.vehicle, "time": (start + Duration::seconds(30 * i64::from(i))).to_rfc3339(),
                "point": {"lat": FROM.0, "lon": FROM.1 + (TO.1 - FROM.1) * f}, "speed_kmh": 40.0, "heading": 90})
        })
        .collect();
    let r = api
        .post("/api/v1/positions", &m.tc, Value::Array(fixes))
        .await;
    assert_eq!(r.json()["stored"], 61, "{}", r.text);
}

fn rules_of(checks: &Value) -> Vec<String> {
    checks["report"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_ghost_waybill_raises_one_alert_and_a_driven_one_raises_none() {
    for (backend, api) in Api::each_backend().await {
        let m = Market::new(&api).await;
        let ghost = waybill(&api, &m, &common::unique("G")).await;
        let checks = api
            .get(&format!("/api/v1/waybills/{ghost}/checks"), &m.ts)
            .await
            .json();
        assert!(
            rules_of(&checks).contains(&"track.ghost".to_string()),
            "{backend}: {checks}"
        );
        drive(&api, &m).await;
        let checks = api
            .get(&format!("/api/v1/waybills/{ghost}/checks"), &m.tc)
            .await
            .json();
        assert!(
            !rules_of(&checks).iter().any(|r| r.starts_with("track.")),
            "{backend}: the trip was driven: {checks}"
        );

        let other = Market::new(&api).await;
        let lonely = waybill(&api, &other, &common::unique("G")).await;
        let day = wuliu_monitor::time::beijing_date(despatch());
        let regulator = api.token(Role::Regulator, None, "450200").await;
        let r = api
            .post(
                &format!("/api/v1/monitoring/run?day={day}"),
                &regulator,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        let run = r.json();
        assert!(
            run["alerts_raised"].as_u64().unwrap() >= 1,
            "{backend}: {run}"
        );
        let again = api
            .post(
                &format!("/api/v1/monitoring/run?day={day}"),
                &regulator,
                json!({}),
            )
            .await
            .json();
        assert_eq!(
            again["alerts_raised"], 0,
            "{backend}: a second run raises nothing twice"
        );

        let mine = api
            .get(&format!("/api/v1/alerts?waybill_id={lonely}"), &other.tc)
            .await
            .json();
        let ghost_alerts: Vec<&Value> = mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["rule"] == "track.ghost")
            .collect();
        assert_eq!(ghost_alerts.len(), 1, "{backend}: {mine}");
        let driven = api
            .get(&format!("/api/v1/alerts?waybill_id={ghost}"), &m.tc)
            .await
            .json();
        assert!(
            driven["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| !a["rule"].as_str().unwrap().starts_with("track.")),
            "{backend}: {driven}"
        );
        let theirs = api
            .get(&format!("/api/v1/alerts?waybill_id={lonely}"), &m.tc)
            .await
            .json();
        assert!(
            theirs["items"].as_array().unwrap().is_empty(),
            "{backend}: a carrier sees only its own alerts"
        );

        let id = ghost_alerts[0]["id"].as_str().unwrap();
        let r = api
            .post(
                &format!("/api/v1/alerts/{id}/acknowledge"),
                &other.tc,
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{backend}");
        let r = api
            .post(
                &format!("/api/v1/alerts/{id}/acknowledge"),
                &regulator,
                json!({"note": "已通知承运人"}),
            )
            .await;
        assert_eq!(r.json()["status"], "acknowledged", "{backend}: {}", r.text);
        let r = api
            .post(
                &format!("/api/v1/alerts/{id}/resolve"),
                &regulator,
                json!({"note": "轨迹补传"}),
            )
            .await;
        assert_eq!(r.json()["status"], "resolved", "{backend}: {}", r.text);
        let r = api
            .post(
                &format!("/api/v1/alerts/{id}/acknowledge"),
                &regulator,
                json!({}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "{backend}: a resolved alert stays resolved"
        );
    }
}

#[tokio::test]
async fn a_carrier_cannot_run_the_rules_and_the_catalogue_names_every_rule() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let r = api.post("/api/v1/monitoring/run", &m.tc, json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let rules = api.get("/api/v1/monitoring/rules", &m.tc).await.json();
    let codes: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"track.borrowed") && codes.contains(&"money.third_party"),
        "{codes:?}"
    );
    assert!(rules[0]["description_zh"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
}

#[tokio::test]
async fn new_alerts_arrive_on_the_stream() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let admin = m.admin.clone();
    let request = Request::get("/api/v1/alerts/stream")
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::empty())
        .unwrap();
    let response = api.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let mut body = response.into_body();
    waybill(&api, &m, &common::unique("G")).await;
    let day = wuliu_monitor::time::beijing_date(despatch());
    api.post(
        &format!("/api/v1/monitoring/run?day={day}"),
        &admin,
        json!({}),
    )
    .await;
    let mut text = String::new();
    while !text.contains("event: alert") {
        let frame = tokio::time::timeout(StdDuration::from_secs(15), body.frame())
            .await
            .expect("an event within 15 s")
            .unwrap()
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
    }
    assert!(text.contains("\"rule\""), "{text}");
}

#[tokio::test]
async fn alert_streams_are_bounded_and_a_closed_stream_frees_its_slot() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let open = |api: &Api| {
        let request = Request::get("/api/v1/alerts/stream")
            .header("authorization", format!("Bearer {admin}"))
            .body(Body::empty())
            .unwrap();
        api.router.clone().oneshot(request)
    };
    let mut held = Vec::new();
    let mut refused = None;
    for _ in 0..=wuliu_server::monitoring::MAX_ALERT_STREAMS {
        let response = open(&api).await.unwrap();
        if response.status() != StatusCode::OK {
            refused = Some(response.status());
            break;
        }
        held.push(response);
    }
    assert_eq!(
        refused,
        Some(StatusCode::SERVICE_UNAVAILABLE),
        "the stream after the last slot is refused"
    );
    held.clear();
    assert_eq!(
        open(&api).await.unwrap().status(),
        StatusCode::OK,
        "closing streams frees their slots"
    );
}
