//! `POST /api/v1/emergency/plan` over HTTP (issue 28): the office of a region gets the exact
//! allocation of its available stock to its triaged requests, with the greedy baseline and the
//! gap; other callers may not plan; a bad closed area is named. On SQLite, and on PostgreSQL too
//! when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use common::emergency::{hospital_request, lot, region, stockpile, water, E};
use common::Api;
use serde_json::json;
use wuliu_server::Role;

#[tokio::test]
async fn the_office_plans_its_triaged_requests_and_others_may_not() {
    for (db, api) in Api::each_backend().await {
        let region = region();
        let office = api.token(Role::Regulator, None, &region).await;
        let item = water(&api, &office).await;
        let pile = stockpile(&api, &office, 24.33, 109.40).await;
        lot(&api, &office, &pile, &item, 50).await;
        hospital_request(&api, &office, &item, 24.35, 80).await;
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
