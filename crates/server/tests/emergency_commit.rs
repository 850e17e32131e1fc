//! `POST /api/v1/emergency/plan/commit` over HTTP (issue 28): the office plans, approves the plan,
//! and the request it serves reads `allocated` with its stock held. On SQLite, and on PostgreSQL
//! too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use common::emergency::{created, hospital_request, lot, nanos, region, stockpile, water, E};
use common::{unique, vehicle, Api};
use serde_json::json;
use wuliu_server::Role;

#[tokio::test]
async fn a_committed_plan_allocates_the_request() {
    for (db, api) in Api::each_backend().await {
        let region = region();
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
        let item = water(&api, &admin).await;
        let pile = stockpile(&api, &admin, 24.33, 109.40).await;
        lot(&api, &admin, &pile, &item, 50).await;
        let req = hospital_request(&api, &admin, &item, 24.35, 30).await;
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
