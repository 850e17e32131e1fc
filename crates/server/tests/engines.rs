//! The engines through HTTP: requests parse, results come back checked, bad requests name the field.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_server::{app, auth, AppState, Role};
use wuliu_store::{Repository, SqlStore};

async fn setup() -> (axum::Router, String) {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    let (secret, stored) = auth::new_token("t", Role::Carrier, Some("pty_x".into()), "450200");
    repo.put_token(&stored).await.unwrap();
    (app(AppState::new(repo)), secret)
}

async fn post(router: &axum::Router, token: &str, uri: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn loading_fills_a_truck_exactly_and_the_plan_checks() {
    let (router, token) = setup().await;
    let request = json!({
        "container": {"id": "truck", "length": 2400, "width": 2000, "height": 1100},
        "items": [{"id": "pallet", "length": 1200, "width": 1000, "height": 1100, "quantity": 4}]
    });
    let (status, body) = post(&router, &token, "/api/v1/loading/solve?time=1", request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["plan"]["placements"].as_array().unwrap().len(), 4);
    assert_eq!(body["check"]["ok"], true, "{}", body["check"]);
    assert!((body["plan"]["stats"]["utilisation"].as_f64().unwrap() - 1.0).abs() < 1e-9);

    let (status, body) = post(
        &router,
        &token,
        "/api/v1/loading/solve",
        json!({"container": {"id": "c", "length": "long"}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["violations"][0]["field"], "container.length");
    let (status, _) = post(&router, &token, "/api/v1/loading/solve?time=-3", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
