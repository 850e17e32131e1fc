//! `POST /api/v1/dispatch/check`: a dispatcher's hand-edited routes re-checked by the independent
//! checker. Attacks first: unknown and repeated jobs or vehicles, oversize problems and route lists,
//! malformed bodies; then the answer's per-stop times, loads, violations and geometry.

mod common;

use axum::http::StatusCode;
use common::Api;
use serde_json::{json, Value};
use wuliu_server::Role;

/// Depot 0 and four shops on a matrix; vehicle 7 carries 10, vehicle 8 carries 3.
fn problem() -> Value {
    let d = [
        [0, 600, 900, 600, 1200],
        [600, 0, 500, 900, 1500],
        [900, 500, 0, 600, 1400],
        [600, 900, 600, 0, 800],
        [1200, 1500, 1400, 800, 0],
    ];
    json!({
        "vehicles": [
            {"id": 7, "start_index": 0, "end_index": 0, "capacity": [10], "time_window": [0, 20000]},
            {"id": 8, "start_index": 0, "end_index": 0, "capacity": [3], "time_window": [0, 20000]}
        ],
        "jobs": (1..=4).map(|i| json!({"id": 100 + i, "location_index": i, "delivery": [2], "service": 300})).collect::<Vec<_>>(),
        "matrices": {"car": {"durations": d}}
    })
}

async fn setup() -> (Api, String) {
    let api = Api::new().await;
    let token = api
        .token(Role::Carrier, Some("pty_dispatcher"), "450200")
        .await;
    (api, token)
}

async fn check(api: &Api, token: &str, body: Value) -> (StatusCode, Value) {
    let r = api.post("/api/v1/dispatch/check", token, body).await;
    (r.status, r.json())
}

fn fields(err: &Value) -> Vec<String> {
    err["error"]["violations"]
        .as_array()
        .unwrap_or_else(|| panic!("no violations: {err}"))
        .iter()
        .map(|v| v["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn unknown_and_repeated_jobs_and_vehicles_are_refused_with_their_paths() {
    let (api, token) = setup().await;
    let body = json!({"problem": problem(), "routes": [
        {"vehicle": 7, "jobs": [101, 999, 102]},
        {"vehicle": 8, "jobs": [102]},
    ]});
    let (status, err) = check(&api, &token, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let f = fields(&err);
    assert!(f.contains(&"routes[0].jobs[1]".to_string()), "{f:?}");
    assert!(f.contains(&"routes[1].jobs[0]".to_string()), "{f:?}");
    let codes: Vec<&str> = err["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"dispatch.unknown_job"), "{codes:?}");
    assert!(codes.contains(&"dispatch.job_twice"), "{codes:?}");

    let body = json!({"problem": problem(), "routes": [
        {"vehicle": 7, "jobs": [101]}, {"vehicle": 7, "jobs": [102]}
    ]});
    let (status, err) = check(&api, &token, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(fields(&err), vec!["routes[1].vehicle"]);
    let body = json!({"problem": problem(), "routes": [{"vehicle": 55, "jobs": [101]}]});
    let (status, err) = check(&api, &token, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(fields(&err), vec!["routes[0].vehicle"]);
}

#[tokio::test]
async fn oversize_and_malformed_requests_are_refused_before_any_work() {
    let (api, token) = setup().await;
    // More jobs than a re-check takes.
    let mut big = problem();
    big["jobs"] = json!((0..2_001)
        .map(|i| json!({"id": 1000 + i, "location_index": 1}))
        .collect::<Vec<_>>());
    let (status, err) = check(&api, &token, json!({"problem": big, "routes": []})).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(fields(&err), vec!["problem.jobs"]);
    // More routes than vehicles, and more stops than jobs, without resolving any id.
    let routes: Vec<Value> = (0..3).map(|_| json!({"vehicle": 7, "jobs": []})).collect();
    let (status, err) = check(
        &api,
        &token,
        json!({"problem": problem(), "routes": routes}),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    let stops: Vec<u64> = (0..50).map(|_| 101).collect();
    let routes = json!([{"vehicle": 7, "jobs": stops}]);
    let (status, err) = check(
        &api,
        &token,
        json!({"problem": problem(), "routes": routes}),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(fields(&err), vec!["routes"]);
    // Wrong shapes name the field.
    let (status, err) = check(
        &api,
        &token,
        json!({"problem": problem(), "routes": [{"vehicle": "seven"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (status, _) = check(&api, &token, json!({"routes": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Without a token: refused.
    let r = api
        .post(
            "/api/v1/dispatch/check",
            "nope",
            json!({"problem": problem(), "routes": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_edited_plan_is_retimed_and_each_violation_sits_on_its_stop() {
    let (api, token) = setup().await;
    // Feasible: all four on vehicle 7 (load 8 of 10).
    let body =
        json!({"problem": problem(), "routes": [{"vehicle": 7, "jobs": [101, 102, 103, 104]}]});
    let (status, out) = check(&api, &token, body).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["check"]["feasible"], true, "{}", out["check"]);
    let steps = out["routes"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6);
    let loads: Vec<u64> = steps
        .iter()
        .map(|s| s["load"][0].as_u64().unwrap())
        .collect();
    assert_eq!(loads, vec![8, 6, 4, 2, 0, 0]);
    // 600 s to shop 1, then 300 s service and 500 s to shop 2.
    assert_eq!(steps[1]["arrival"], 600);
    assert_eq!(steps[2]["arrival"], 1400);
    assert_eq!(out["summary"]["unassigned"], 0);

    // Moving two stops onto the small vehicle overloads it: the violation is on its start step
    // (everything is on board when it leaves), and the job left out is reported with a reason.
    let body = json!({"problem": problem(), "routes": [
        {"vehicle": 7, "jobs": [101]}, {"vehicle": 8, "jobs": [103, 102]}
    ]});
    let (status, out) = check(&api, &token, body).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["check"]["feasible"], false);
    let small = out["routes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vehicle"] == 8)
        .unwrap();
    let ids: Vec<u64> = small["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["id"].as_u64())
        .collect();
    assert_eq!(ids, vec![103, 102], "the user's order is kept");
    assert_eq!(
        small["steps"][0]["violations"][0]["cause"], "capacity",
        "{small}"
    );
    assert_eq!(out["unassigned"][0]["id"], 104);
    assert_eq!(out["unassigned"][0]["reason"], "fleet_full");

    // A job whose window has passed when the vehicle gets there: time_window at that stop.
    let mut p = problem();
    p["jobs"][3]["time_windows"] = json!([[0, 1300]]);
    let body = json!({"problem": p, "routes": [{"vehicle": 7, "jobs": [101, 102, 103, 104]}]});
    let (_, out) = check(&api, &token, body).await;
    let late = &out["routes"][0]["steps"][4];
    assert_eq!(late["id"], 104);
    assert_eq!(late["violations"][0]["cause"], "time_window", "{late}");
    // Shift: a vehicle whose day ends too early is flagged at its end step.
    let mut p = problem();
    p["vehicles"][0]["time_window"] = json!([0, 2000]);
    let body = json!({"problem": p, "routes": [{"vehicle": 7, "jobs": [101, 102, 103, 104]}]});
    let (_, out) = check(&api, &token, body).await;
    assert_eq!(
        out["routes"][0]["steps"][5]["violations"][0]["cause"], "shift",
        "{out}"
    );
}

#[tokio::test]
async fn routes_with_coordinates_come_back_with_a_labelled_geometry() {
    let (api, token) = setup().await;
    let depot = [109.41, 24.33];
    let shops = [[109.42, 24.34], [109.43, 24.32], [109.40, 24.31]];
    let body = json!({
        "problem": {
            "vehicles": [{"id": 1, "start": depot, "end": depot, "capacity": [100]}],
            "jobs": shops.iter().enumerate().map(|(i, p)| json!({"id": i + 1, "location": p, "delivery": [1]})).collect::<Vec<_>>()
        },
        "routes": [{"vehicle": 1, "jobs": [3, 1, 2]}]
    });
    let (status, out) = check(&api, &token, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    // No road network in this server: straight segments, and the answer says so.
    assert_eq!(out["geometry_source"], "straight_line");
    assert_eq!(out["routes"][0]["geometry_source"], "straight_line");
    let line = out["routes"][0]["geometry"].as_str().unwrap();
    let points = wuliu_road::polyline::decode(line, 5).unwrap();
    assert_eq!(points.len(), 5, "start, three stops, end");
    assert!((points[1][0] - 109.40).abs() < 1e-5 && (points[1][1] - 24.31).abs() < 1e-5);
    assert_eq!(out["travel_costs"]["road_network"], false);

    // The solver's answer carries the same geometry on request, and reasons for unassigned jobs.
    let r = api
        .post(
            "/api/v1/dispatch/solve?time=0.2&geometry=true",
            &token,
            body["problem"].clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let out = r.json();
    assert!(out["routes"][0]["geometry"].is_string(), "{out}");
    assert_eq!(out["geometry_source"], "straight_line");
}
