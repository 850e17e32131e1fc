//! `wuliu dispatch solve FILE.json`: the VROOM answer carries the checker's report and says where
//! its travel costs came from, as the HTTP answer does.

use std::process::Command;

use serde_json::{json, Value};

fn solve(doc: &Value, extra: &[&str]) -> (bool, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("problem.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args([
            "dispatch",
            "solve",
            file.to_str().unwrap(),
            "--time",
            "0.3s",
            "--threads",
            "1",
        ])
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let value = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.success(),
        value,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_matrix_document_says_the_callers_matrix_was_used() {
    let doc = json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": 7, "location_index": 1}],
        "matrices": {"car": {"durations": [[0, 60], [60, 0]]}}
    });
    let (ok, out, err) = solve(&doc, &[]);
    assert!(ok, "{err}");
    assert_eq!(out["travel_costs"]["source"], "caller_matrix", "{out}");
    assert_eq!(out["travel_costs"]["road_network"], false);
    assert_eq!(out["travel_costs"]["distances"], false);
    assert_eq!(out["check"]["feasible"], true);
    assert_eq!(out["summary"]["cost"], 120);
    assert!(out["summary"].get("distance").is_none());
}

#[test]
fn a_coordinate_document_says_straight_lines_without_a_road_network() {
    let doc = json!({
        "vehicles": [{"id": 1, "start": [109.41, 24.33], "end": [109.41, 24.33]}],
        "jobs": [{"id": 7, "location": [109.45, 24.30]}]
    });
    let (ok, out, err) = solve(&doc, &["--objective", "min-vehicles"]);
    assert!(ok, "{err}");
    assert_eq!(out["travel_costs"]["road_network"], false, "{out}");
    assert_ne!(out["travel_costs"]["source"], "caller_matrix");
    assert!(out["summary"]["distance"].as_u64().unwrap() > 0);
    assert_eq!(out["routes"][0]["geometry_source"], "straight_line");
}

#[test]
fn a_bad_objective_is_named() {
    let doc = json!({"vehicles": [], "jobs": []});
    let (ok, _, err) = solve(&doc, &["--objective", "fewest"]);
    assert!(!ok);
    assert!(err.contains("--objective fewest"), "{err}");
}
