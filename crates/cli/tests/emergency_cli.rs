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

/// The demo's emergency reserves, seeded by `wuliu demo` (no history) into a fresh SQLite file:
/// its passes station trucks at every reserve, so its plan (straight lines) loads at three
/// stockpiles or more, and the 柳城 embankment's sandbags come from the nearest reserve holding
/// sandbags and a truck, which is 柳城's own.
#[tokio::test]
async fn the_demo_plan_loads_at_the_reserves_where_trucks_are_stationed() {
    use wuliu_app::emergency::plan;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite:{}", dir.path().join("demo.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_wuliu"))
        .args(["--database-url", &db, "demo", "--history-days", "0"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let repo = wuliu_store::SqlStore::open(&db).await.unwrap();
    let office = wuliu_app::Caller::new(wuliu_app::Role::Regulator, None, "450200", "user:test");
    let mut snap = plan::snapshot(&repo, &office, chrono::Utc::now())
        .await
        .unwrap();
    let p = &snap.problem;
    for pile in &p.stockpiles {
        assert!(
            p.vehicles.iter().any(|v| v.stockpile == pile.id),
            "no truck stationed at {}",
            pile.name
        );
    }
    plan::fill_travel(
        &mut snap.problem,
        &wuliu_model::StraightLine::default(),
        &[],
    )
    .unwrap();
    let input = serde_json::from_value(serde_json::json!({"routes": false})).unwrap();
    let answer = plan::solve(&snap, &input).unwrap();
    let flows = answer["allocation"]["flows"].as_array().unwrap();
    let from: std::collections::BTreeSet<&str> = flows
        .iter()
        .map(|f| f["stockpile"].as_str().unwrap())
        .collect();
    assert!(from.len() >= 3, "flows from {from:?}: {answer}");

    let p = &snap.problem;
    let (j, embankment) = p
        .requests
        .iter()
        .enumerate()
        .find(|(_, r)| r.name.contains("柳城"))
        .expect("the demo has a request in 柳城");
    let item = &embankment.lines[0].item;
    let (nearest, _) = p
        .stockpiles
        .iter()
        .enumerate()
        .filter(|(_, s)| s.lots.iter().any(|l| &l.item == item && l.quantity > 0))
        .filter(|(_, s)| p.vehicles.iter().any(|v| v.stockpile == s.id))
        .filter_map(|(i, s)| Some((s, p.travel.from_stockpile[i][j]?.seconds)))
        .min_by_key(|&(_, secs)| secs)
        .expect("a reserve with the item and a truck reaches the embankment");
    assert!(nearest.name.contains("柳城"), "{}", nearest.name);
    let to_embankment: Vec<&Value> = flows
        .iter()
        .filter(|f| f["request"] == embankment.id.as_str())
        .collect();
    assert!(!to_embankment.is_empty(), "{answer}");
    assert!(
        to_embankment
            .iter()
            .all(|f| f["stockpile"] == nearest.id.as_str()),
        "the embankment is served from {}: {to_embankment:?}",
        nearest.name
    );
}
