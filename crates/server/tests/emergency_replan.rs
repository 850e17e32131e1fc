//! `POST /api/v1/emergency/replan` over HTTP (issue 28): the office posts back the answer of
//! `POST /plan` as the plan in force with a flood polygon, after a new request arrived, and gets
//! the re-plan saying what changed and why; a body of the wrong shape is named; other callers may
//! not re-plan. On SQLite, and on PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use common::emergency::{hospital_request as request, lot, region_in, stockpile, water, E};
use common::Api;
use serde_json::json;
use wuliu_server::Role;

#[tokio::test]
async fn the_office_replans_the_plan_it_got() {
    for (db, api) in Api::each_backend().await {
        // A region of its own, so that other tests' records on a shared database stay out of the plan.
        let region = region_in("46");
        let office = api.token(Role::Regulator, None, &region).await;
        let item = water(&api, &office).await;
        let pile = stockpile(&api, &office, 24.33, 109.40).await;
        lot(&api, &office, &pile, &item, 50).await;
        let first = request(&api, &office, &item, 24.35, 30).await;
        let r = api
            .post(&format!("{E}/plan"), &office, json!({"time_limit_s": 5}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let plan = r.json();
        // A new request since, and a flood north of the stockpile.
        let second = request(&api, &office, &item, 24.30, 10).await;
        let flood = json!([
            [109.30, 24.34],
            [109.50, 24.34],
            [109.50, 24.36],
            [109.30, 24.36]
        ]);
        let body = json!({"in_force": plan, "closed_areas": [flood], "time_limit_s": 5});
        let r = api.post(&format!("{E}/replan"), &office, body).await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let answer = r.json();
        for field in [
            "at",
            "elapsed_s",
            "kept",
            "allocation",
            "routes",
            "trips",
            "changes",
            "solve_ms",
            "travel_costs",
            "left_out",
            "counts",
        ] {
            assert!(!answer[field].is_null(), "{db}: no {field} in {answer}");
        }
        assert_eq!(answer["plan_at"], plan["at"], "{db}");
        assert_eq!(
            answer["counts"]["requests"], 2,
            "{db}: {}",
            answer["counts"]
        );
        assert_eq!(answer["travel_costs"]["road_network"], false, "{db}");
        let changes = answer["changes"].as_array().unwrap();
        let new = changes.iter().find(|c| c["request"] == json!(second));
        assert_eq!(
            new.map(|c| c["why"].clone()),
            Some(json!([{"kind": "new_request"}])),
            "{db}: {changes:?}"
        );
        // No truck has a pass: nothing was routed to the first request, nor can be now.
        assert!(
            changes.iter().all(|c| c["request"] != json!(first)),
            "{db}: {changes:?}"
        );
        // A body of the wrong shape is named; other callers may not re-plan.
        let mut bad = json!({"in_force": plan});
        bad["in_force"]["at"] = json!("yesterday");
        let r = api.post(&format!("{E}/replan"), &office, bad).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
        assert_eq!(
            r.violation_fields(),
            vec!["in_force.at"],
            "{db}: {}",
            r.text
        );
        let r = api
            .post(
                &format!("{E}/replan"),
                &office,
                json!({"in_force": plan, "keep": 1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
        let carrier = api.token(Role::Carrier, Some("pty_c"), &region).await;
        let r = api
            .post(&format!("{E}/replan"), &carrier, json!({"in_force": plan}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
    }
}
