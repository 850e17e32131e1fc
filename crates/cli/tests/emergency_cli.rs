//! `wuliu emergency drill [FILE]`: the demo flood drill replays with both policies; a broken
//! scenario is refused naming where.

use std::process::Command;

use serde_json::Value;

fn drill(args: &[&str]) -> (bool, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["emergency", "drill", "--plan-seconds", "5"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    (
        out.status.success(),
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn the_demo_drill_compares_the_exact_and_the_greedy_policy() {
    let (ok, report, err) = drill(&[]);
    assert!(ok, "{err}");
    for policy in ["exact", "greedy"] {
        let r = &report[policy];
        assert_eq!(r["policy"], policy);
        assert_eq!(r["by_priority"].as_array().unwrap().len(), 4);
        let requests: u64 = r["by_priority"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["requests"].as_u64().unwrap())
            .sum();
        assert_eq!(requests, 12, "every request of the demo is reported");
        assert!(r["plans"].as_u64().unwrap() >= 2);
        assert!(r["truck_km"].as_f64().unwrap() > 0.0);
    }
    let c = &report["comparison"]["weighted_unmet_kg"];
    assert_eq!(c["exact"], report["exact"]["weighted_unmet_kg"]);
    assert_eq!(report["travel_costs"]["road_network"], false);
    assert!(err.contains("weighted unmet kg"), "{err}");
}

#[test]
fn a_broken_scenario_is_refused_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drill.json");
    std::fs::write(&file, "{\n  \"name\": \"x\",\n  \"problem\": 3\n}\n").unwrap();
    let (ok, _, err) = drill(&[file.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("drill.json: line 3"), "{err}");
    let missing = dir.path().join("none.json");
    let (ok, _, err) = drill(&[missing.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn an_unknown_request_in_the_scenario_is_named() {
    let mut s: Value = serde_json::from_str(wuliu_emergency::drill::DEMO_DRILL).unwrap();
    s["arrivals"][0]["request"] = "nowhere".into();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drill.json");
    std::fs::write(&file, s.to_string()).unwrap();
    let (ok, _, err) = drill(&[file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.contains("arrivals[0].request") && err.contains("nowhere"),
        "{err}"
    );
}
