//! `POST /api/v1/emergency/plan/commit` over HTTP (issue 28): the office plans, approves the plan,
//! and the request it serves reads `allocated` with its stock held. On SQLite, and on PostgreSQL
//! too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use common::{unique, vehicle, Api};
use serde_json::{json, Value};
use wuliu_server::Role;

const E: &str = "/api/v1/emergency";

async fn created(api: &Api, uri: &str, token: &str, body: Value) -> String {
    let r = api.post(uri, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{uri}: {}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

#[tokio::test]
async fn a_committed_plan_allocates_the_request() {
    for (db, api) in Api::each_backend().await {
        let region = format!("45{:04}", nanos() % 10_000);
        let admin = api.token(Role::Admin, None, &region).await;
        let seq = nanos() % 9000 + 100;
        let carrier = api.party(&admin, &unique("C"), seq, &["carrier"]).await;
        let ext = unique("V");
        let veh = created(
            &api,
            "/api/v1/vehicles",
            &admin,
            vehicle(&carrier, &ext, &format!("桂B{seq:05}"), 8000.0),
        )
        .await;
        let now = chrono::Utc::now();
        created(
            &api,
            &format!("{E}/fleet/passes"),
            &admin,
            json!({
            "pass_number": unique("柳应急"), "vehicle_id": veh,
            "valid_from": (now - chrono::Duration::hours(1)).to_rfc3339(),
            "valid_to": (now + chrono::Duration::hours(48)).to_rfc3339()}),
        )
        .await;
        let item = created(
            &api,
            &format!("{E}/items"),
            &admin,
            json!({"code": unique("W"),
            "name": "饮用水", "unit": "桶", "unit_weight_kg": 5.0, "unit_volume_m3": 0.01,
            "category": "water"}),
        )
        .await;
        let pile = created(
            &api,
            &format!("{E}/stockpiles"),
            &admin,
            json!({"code": unique("S"),
            "name": "储备库", "kind": "government", "location": {"lat": 24.33, "lon": 109.40}}),
        )
        .await;
        created(
            &api,
            &format!("{E}/stockpiles/{pile}/lots"),
            &admin,
            json!({"item_id": item, "lot_number": "A", "quantity": 50}),
        )
        .await;
        let req = created(&api, &format!("{E}/requests"), &admin, json!({
            "demand_point": {"kind": "hospital", "name": "医院", "location": {"lat": 24.35, "lon": 109.42}},
            "lines": [{"item_id": item, "quantity": 30}], "priority": 1,
            "deadline": (now + chrono::Duration::hours(4)).to_rfc3339(),
            "contact": {"name": "李医生", "phone": "0772-1234567"}})).await;
        let r = api
            .post(
                &format!("{E}/requests/{req}/triage"),
                &admin,
                json!({"priority": 1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let r = api
            .post(
                &format!("{E}/plan"),
                &admin,
                json!({"time_limit_s": 5, "routes": false}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let flows = r.json()["allocation"]["flows"].clone();
        assert_eq!(flows[0]["quantity"], 30, "{db}: {flows}");
        let shipper = api.token(Role::Shipper, Some("pty_s"), &region).await;
        let r = api
            .post(
                &format!("{E}/plan/commit"),
                &shipper,
                json!({"flows": flows}),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
        let r = api
            .post(&format!("{E}/plan/commit"), &admin, json!({"flows": flows}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        assert_eq!(
            r.json()["requests"][0]["status"],
            "allocated",
            "{db}: {}",
            r.text
        );
        let r = api.get(&format!("{E}/requests/{req}"), &admin).await;
        assert_eq!(r.json()["status"], "allocated", "{db}: {}", r.text);
        let r = api.get(&format!("{E}/stockpiles/{pile}"), &admin).await;
        assert_eq!(r.json()["stock"][0]["held"], 30, "{db}: {}", r.text);
        // The same plan again: the request is already allocated and nothing more is held.
        let r = api
            .post(&format!("{E}/plan/commit"), &admin, json!({"flows": flows}))
            .await;
        assert_eq!(
            r.json()["requests"][0]["status"],
            "already_allocated",
            "{db}: {}",
            r.text
        );
        let bad =
            json!({"flows": [{"stockpile": pile, "request": req, "item": item, "quantity": -1}]});
        let r = api.post(&format!("{E}/plan/commit"), &admin, bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
        assert!(r.text.contains("flows[0].quantity"), "{db}: {}", r.text);
    }
}
