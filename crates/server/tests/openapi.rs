//! `/openapi.json` is a valid OpenAPI document (checked by `openapi-spec-validator`) that declares
//! every path parameter, the engines' query parameters and request bodies, and the security schemes.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use wuliu_server::{app, AppState};
use wuliu_store::SqlStore;

/// The document as the server serves it.
async fn served_document() -> Value {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let router = app(AppState::new(Arc::new(store)));
    let res = router
        .oneshot(Request::get("/openapi.json").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

/// The Python that has `openapi_spec_validator`: the venv of `scripts/python-tools.sh` when it
/// exists, else `python3`.
fn python() -> PathBuf {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-tools/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

#[tokio::test]
async fn document_passes_openapi_spec_validator() {
    let doc = served_document().await;
    let py = python();
    let has_module = Command::new(&py)
        .args(["-c", "import openapi_spec_validator"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_module {
        println!(
            "note: {} has no openapi_spec_validator (run scripts/python-tools.sh); validation skipped",
            py.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = Command::new(&py)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openapi-spec-validator: {text}");
    assert!(text.contains("OK"), "{text}");
}

/// Each operation of the document: (path, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if method != "parameters" {
                out.push((path.clone(), method.clone(), op.clone()));
            }
        }
    }
    out
}

fn param_names(op: &Value, location: &str) -> Vec<String> {
    op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == location)
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn every_path_parameter_is_declared_and_every_engine_body_has_a_schema() {
    let doc = served_document().await;
    let ops = operations(&doc);
    assert!(ops.len() > 60, "{} operations", ops.len());
    for (path, method, op) in &ops {
        let in_path: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        let mut declared = param_names(op, "path");
        declared.sort();
        let mut wanted: Vec<String> = in_path.iter().map(|s| s.to_string()).collect();
        wanted.sort();
        assert_eq!(declared, wanted, "{method} {path}");
        assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()));
        if method == "post" || method == "put" || method == "patch" {
            let body_free = path.ends_with("/matching/run");
            assert!(
                body_free || op["requestBody"]["content"].is_object(),
                "{method} {path} has no request body schema"
            );
        }
    }
    let op = |p: &str, m: &str| {
        ops.iter()
            .find(|(path, method, _)| path == p && method == m)
            .unwrap_or_else(|| panic!("no {m} {p}"))
            .2
            .clone()
    };
    // Engine query parameters, typed.
    let run = op("/api/v1/matching/run", "post");
    let q = param_names(&run, "query");
    for name in ["date", "sequencing", "max_chain", "time", "outlook_days"] {
        assert!(q.contains(&name.to_string()), "matching/run lacks {name}");
    }
    let seq = run["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "sequencing")
        .unwrap();
    assert_eq!(
        seq["schema"]["enum"],
        serde_json::json!(["time_slices", "successors", "search"])
    );
    assert!(
        param_names(&op("/api/v1/matching/vehicles/{id}/loads", "get"), "query")
            .contains(&"free_from".to_string())
    );
    // List filters come from the spec tables, with the statuses as an enumeration.
    let loads = op("/api/v1/loads", "get");
    let q = param_names(&loads, "query");
    for name in [
        "weight",
        "weight.gte",
        "pickup_start.lte",
        "status",
        "sort",
        "cursor",
    ] {
        assert!(q.contains(&name.to_string()), "loads list lacks {name}");
    }
    let status = loads["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "status")
        .unwrap();
    assert!(status["schema"]["enum"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("open")));
    // Engine bodies are the engines' own types.
    for (p, schema) in [
        ("/api/v1/matching/batch", "MatchRequest"),
        ("/api/v1/matching/accept", "Accept"),
        ("/api/v1/loading/solve", "LoadRequest"),
        ("/api/v1/loading/shipment", "ShipmentRequest"),
        ("/api/v1/dispatch/solve", "Input"),
        ("/api/v1/road/route", "RouteRequest"),
        ("/api/v1/ledger/lots/report", "LotReportRequest"),
    ] {
        let p = p.replace("/api/v1/ledger", "/ledger");
        let body = &op(&p, "post")["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(
            body["$ref"],
            format!("#/components/schemas/{schema}"),
            "{p}"
        );
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
    // Road points: [lon, lat] arrays or {lat, lon} objects.
    let points = &doc["components"]["schemas"]["RouteRequest"]["properties"]["points"];
    let text = points.to_string();
    assert!(
        text.contains("[lon, lat]") && text.contains("GeoPoint"),
        "{text}"
    );
    // Conditional writes and the answers the trust work added.
    let put = op("/api/v1/vehicles/{id}", "put");
    assert!(param_names(&put, "header").contains(&"If-Match".to_string()));
    for code in ["200", "412", "413", "429", "503"] {
        assert!(put["responses"][code].is_object(), "PUT lacks {code}");
    }
    assert!(put["responses"]["200"]["headers"]["ETag"].is_object());
    let audit = param_names(&op("/api/v1/audit", "get"), "query");
    for name in ["record_id", "actor", "region", "party_id", "after", "limit"] {
        assert!(audit.contains(&name.to_string()), "audit lacks {name}");
    }
    // Security: bearer or the session cookie (with the CSRF header on writes); OSRM is public.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["name"], "wuliu_session");
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    assert_eq!(put["security"][1]["csrf"], serde_json::json!([]));
    assert_eq!(
        op("/route/v1/{profile}/{coordinates}", "get")["security"],
        serde_json::json!([])
    );
}
