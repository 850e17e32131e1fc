//! `POST /api/v1/emergency/plan` over HTTP (issue 28): the office of a region gets the exact
//! allocation of its available stock to its triaged requests, with the greedy baseline and the
//! gap; other callers may not plan; a bad closed area is named. On SQLite, and on PostgreSQL too
//! when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use common::{unique, Api};
use serde_json::{json, Value};
use wuliu_server::Role;

const E: &str = "/api/v1/emergency";

async fn created(api: &Api, uri: &str, token: &str, body: Value) -> String {
    let r = api.post(uri, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{uri}: {}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

/// A region of its own, so that other tests' records on a shared database stay out of the plan.
fn region() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("45{:04}", nanos % 10_000)
}

#[tokio::test]
async fn the_office_plans_its_triaged_requests_and_others_may_not() {
    for (db, api) in Api::each_backend().await {
        let region = region();
        let office = api.token(Role::Regulator, None, &region).await;
        let item = created(
            &api,
            &format!("{E}/items"),
            &office,
            json!({"code": unique("W"),
            "name": "饮用水", "unit": "桶", "unit_weight_kg": 5.0, "unit_volume_m3": 0.01,
            "category": "water"}),
        )
        .await;
        let pile = created(
            &api,
            &format!("{E}/stockpiles"),
            &office,
            json!({"code": unique("S"),
            "name": "储备库", "kind": "government", "location": {"lat": 24.33, "lon": 109.40}}),
        )
        .await;
        created(
            &api,
            &format!("{E}/stockpiles/{pile}/lots"),
            &office,
            json!({"item_id": item, "lot_number": "A", "quantity": 50}),
        )
        .await;
        let req = created(&api, &format!("{E}/requests"), &office, json!({
            "demand_point": {"kind": "hospital", "name": "医院", "location": {"lat": 24.35, "lon": 109.42}},
            "lines": [{"item_id": item, "quantity": 80}], "priority": 1,
            "deadline": (chrono::Utc::now() + chrono::Duration::hours(4)).to_rfc3339(),
            "contact": {"name": "李医生", "phone": "0772-1234567"}})).await;
        let r = api
            .post(
                &format!("{E}/requests/{req}/triage"),
                &office,
                json!({"priority": 1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let r = api
            .post(&format!("{E}/plan"), &office, json!({"time_limit_s": 5}))
            .await;
        // No vehicle has a pass yet: nothing can go, and the plan says what stays unmet.
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let plan = r.json();
        assert_eq!(plan["counts"]["requests"], 1, "{db}");
        assert_eq!(
            plan["allocation"]["unmet"][0]["quantity"], 80,
            "{db}: {plan}"
        );
        assert_eq!(plan["travel_costs"]["road_network"], false, "{db}");
        let shipper = api.token(Role::Shipper, Some("pty_s"), &region).await;
        let r = api.post(&format!("{E}/plan"), &shipper, json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
        let bad = json!({"closed_areas": [[[109.0, 24.0], [109.1, 24.0], [109.1, 95.0]]]});
        let r = api.post(&format!("{E}/plan"), &office, bad).await;
        assert!(
            r.text.contains("closed_areas[0][2]"),
            "{db}: {} {}",
            r.status,
            r.text
        );
        let r = api
            .post(&format!("{E}/plan"), &office, json!({"time_limit_s": 1e9}))
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{db}: {}", r.text);
    }
}
