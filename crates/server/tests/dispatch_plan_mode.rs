//! `POST /api/v1/dispatch/check` without `routes`: VROOM's plan mode (`vroom -c`), the routes being
//! the vehicles' `steps`. On SQLite, and on PostgreSQL too when `WULIU_TEST_DATABASE_URL` is set.

mod common;

use axum::http::StatusCode;
use common::Api;
use serde_json::{json, Value};
use wuliu_server::Role;

/// Depot 0 and four places 100 s apart on a line; one vehicle whose steps serve job 11, the
/// shipment 21 → 22 with its break in between, then job 12, which closes at 400.
fn plan_document() -> Value {
    let d: Vec<Vec<u64>> = (0..5u64)
        .map(|i| (0..5u64).map(|j| 100 * i.abs_diff(j)).collect())
        .collect();
    json!({
        "vehicles": [{
            "id": 1, "start_index": 0, "end_index": 0, "capacity": [10], "time_window": [0, 10000],
            "breaks": [{"id": 9, "time_windows": [[250, 1000]], "service": 60}],
            "steps": [
                {"type": "start"}, {"type": "job", "id": 11}, {"type": "pickup", "id": 21},
                {"type": "break", "id": 9}, {"type": "delivery", "id": 22, "service_before": 400},
                {"type": "job", "id": 12}, {"type": "end"}
            ]
        }],
        "jobs": [
            {"id": 11, "location_index": 1, "service": 10, "delivery": [2]},
            {"id": 12, "location_index": 4, "service": 10, "delivery": [1], "time_windows": [[0, 400]]}
        ],
        "shipments": [{
            "amount": [3],
            "pickup": {"id": 21, "location_index": 2, "service": 20},
            "delivery": {"id": 22, "location_index": 3, "service": 20}
        }],
        "matrices": {"car": {"durations": d}}
    })
}

async fn check(api: &Api, body: Value) -> (StatusCode, Value) {
    let token = api
        .token(Role::Carrier, Some("pty_dispatcher"), "450200")
        .await;
    let r = api.post("/api/v1/dispatch/check", &token, body).await;
    (r.status, r.json())
}

#[tokio::test]
async fn a_vroom_plan_mode_document_is_timed_and_its_late_steps_carry_delays() {
    for (backend, api) in Api::each_backend().await {
        let (status, out) = check(&api, json!({"problem": plan_document()})).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {out}");
        let steps = out["routes"][0]["steps"].as_array().unwrap();
        let kinds: Vec<&str> = steps.iter().map(|s| s["type"].as_str().unwrap()).collect();
        assert_eq!(
            kinds,
            ["start", "job", "pickup", "break", "delivery", "job", "end"],
            "{backend}"
        );
        // The delivery is served at 410, 10 s after its service_before; job 12 at 530, 130 s after
        // its window closed. Both are VROOM `delay`s with their durations, on their steps.
        assert_eq!(steps[4]["arrival"], 410, "{backend}");
        assert_eq!(
            steps[4]["violations"][0]["cause"], "delay",
            "{backend}: {}",
            steps[4]
        );
        assert_eq!(steps[4]["violations"][0]["duration"], 10, "{backend}");
        assert_eq!(
            steps[5]["violations"][0]["cause"], "delay",
            "{backend}: {}",
            steps[5]
        );
        assert_eq!(steps[5]["violations"][0]["duration"], 130, "{backend}");
        assert_eq!(
            steps[3]["violations"],
            json!([]),
            "{backend}: the break is in its window"
        );
        assert_eq!(
            out["routes"][0]["violations"],
            json!([{"cause": "delay", "duration": 140}]),
            "{backend}"
        );
        assert_eq!(out["check"]["feasible"], false, "{backend}");
        let codes: Vec<&str> = out["check"]["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["time_window", "step.service_before"], "{backend}");

        // On time: nothing to report.
        let mut on_time = plan_document();
        on_time["jobs"][1]["time_windows"] = json!([[0, 1000]]);
        on_time["vehicles"][0]["steps"][4]["service_before"] = json!(500);
        let (status, out) = check(&api, json!({"problem": on_time})).await;
        assert_eq!(status, StatusCode::OK, "{backend}: {out}");
        assert_eq!(
            out["check"]["feasible"], true,
            "{backend}: {}",
            out["check"]
        );
        assert_eq!(out["summary"]["violations"], json!([]), "{backend}");
    }
}

#[tokio::test]
async fn plan_mode_refuses_documents_without_steps_and_oversize_steps() {
    let api = Api::new().await;
    let mut bare = plan_document();
    bare["vehicles"][0].as_object_mut().unwrap().remove("steps");
    let (status, err) = check(&api, json!({"problem": bare})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["violations"][0]["field"], "routes", "{err}");
    assert_eq!(
        err["error"]["violations"][0]["code"], "dispatch.no_routes",
        "{err}"
    );

    let mut unknown = plan_document();
    unknown["vehicles"][0]["steps"][2]["id"] = json!(77);
    let (status, err) = check(&api, json!({"problem": unknown})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(
        err["error"]["violations"][0]["field"], "problem.vehicles[0].steps[2]",
        "{err}"
    );

    // More steps than tasks, breaks, starts and ends: refused before any work.
    let mut long = plan_document();
    long["vehicles"][0]["steps"] = json!((0..50)
        .map(|_| json!({"type": "job", "id": 11}))
        .collect::<Vec<_>>());
    let (status, err) = check(&api, json!({"problem": long})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(
        err["error"]["violations"][0]["field"], "problem.vehicles",
        "{err}"
    );
}
