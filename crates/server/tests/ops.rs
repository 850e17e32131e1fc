//! Operations: request IDs, metrics, and a health check that tells when storage cannot write.

mod common;

use std::process::Command;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use wuliu_server::Role;

#[tokio::test]
async fn answers_carry_request_ids_and_metrics_count_them() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let r = api
        .call_with(
            "GET",
            "/api/v1/vehicles",
            &admin,
            &[("x-request-id", "trace-42")],
            String::new(),
        )
        .await;
    assert_eq!(r.headers["x-request-id"], "trace-42");
    let r = api.get("/api/v1/parties", &admin).await;
    assert_eq!(
        r.headers["x-request-id"].len(),
        32,
        "one is made when none is sent"
    );
    let r = api.get("/metrics", "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("wuliu_http_requests_total{method=\"GET\",route=\"/api/v1/{collection}\",status=\"200\"}"),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains("wuliu_http_request_duration_seconds_bucket"),
        "{}",
        r.text
    );
}

/// Mounts a tmpfs of `size` at `dir`; false when this process may not mount (not root).
fn mount(dir: &std::path::Path, size: &str, remount: bool) -> bool {
    let opts = if remount {
        format!("remount,size={size}")
    } else {
        format!("size={size}")
    };
    Command::new("mount")
        .args(["-t", "tmpfs", "-o", &opts, "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
}

#[tokio::test]
async fn a_full_disk_is_a_503_and_health_says_so_until_space_returns() {
    let dir = tempfile::tempdir().unwrap();
    if !mount(dir.path(), "3m", false) {
        eprintln!("skipped: cannot mount a tmpfs here (needs root), so no full disk to test");
        return;
    }
    let url = format!("sqlite:{}", dir.path().join("full.db").display());
    let api = Api::on(&url).await;
    let admin = api.token(Role::Admin, None, "450200").await;
    assert_eq!(api.get("/health", "").await.json()["status"], "ok");
    let mut full = None;
    for i in 0..5000 {
        let body = json!({"external_id": format!("F{i}"), "name": "柳州".repeat(500), "roles": ["shipper"],
            "credit_code": credit_code(i % 9000), "division_code": "450204"});
        let r = api.post("/api/v1/parties", &admin, body).await;
        if r.status != StatusCode::CREATED {
            full = Some(r);
            break;
        }
    }
    let r = full.expect("the 3 MB disk filled up");
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.text);
    assert_eq!(r.json()["error"]["code"], "unavailable", "{}", r.text);
    let h = api.get("/health", "").await;
    assert_eq!(h.status, StatusCode::SERVICE_UNAVAILABLE, "{}", h.text);
    assert_eq!(h.json()["database_writable"], false, "{}", h.text);
    // Space returns: the same server writes again, no restart.
    assert!(mount(dir.path(), "64m", true));
    assert_eq!(api.get("/health", "").await.json()["status"], "ok");
    let body = json!({"external_id": "after", "name": "柳州恢复物流", "roles": ["shipper"],
        "credit_code": credit_code(1), "division_code": "450204"});
    assert_eq!(
        api.post("/api/v1/parties", &admin, body).await.status,
        StatusCode::CREATED
    );
    drop(api);
    let _ = Command::new("umount").arg(dir.path()).status();
}
