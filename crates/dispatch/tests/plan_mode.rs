//! Vehicle `steps`: VROOM's plan mode (`-c`) through `check_vroom` without `routes`, explicit routes
//! given as steps, forced service times, VROOM's violation causes, and steps in solving mode.

use serde_json::{json, Value};
use wuliu_dispatch::plan_mode::window_violation;
use wuliu_dispatch::vroom::Input;
use wuliu_dispatch::{
    check_vroom, plan_vroom, CheckRequest, DispatchError, SolverConfig, TimeWindow,
};

/// Depot 0 and four places on a line, 100 s apart. Vehicle 1 (capacity 10, a 60 s break to start
/// in [250, 1000]); job 11 at 1 (delivers 2), job 12 at 4 (delivers 1, window [0, 400]); a
/// shipment of 3 from 2 (pickup 21) to 3 (delivery 22).
fn doc() -> Value {
    let d: Vec<Vec<u64>> = (0..5u64)
        .map(|i| (0..5u64).map(|j| 100 * i.abs_diff(j)).collect())
        .collect();
    json!({
        "vehicles": [{
            "id": 1, "start_index": 0, "end_index": 0, "capacity": [10], "time_window": [0, 10000],
            "breaks": [{"id": 9, "time_windows": [[250, 1000]], "service": 60}],
            "steps": [
                {"type": "start"}, {"type": "job", "id": 11}, {"type": "pickup", "id": 21},
                {"type": "break", "id": 9}, {"type": "delivery", "id": 22}, {"type": "job", "id": 12},
                {"type": "end"}
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

fn plan(problem: Value) -> Result<(Value, wuliu_dispatch::Report), DispatchError> {
    let request: CheckRequest = serde_json::from_value(json!({ "problem": problem })).unwrap();
    check_vroom(&request, None).map(|(out, report)| (serde_json::to_value(out).unwrap(), report))
}

fn causes(violations: &Value) -> Vec<String> {
    violations
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["cause"].as_str().unwrap().to_string())
        .collect()
}

fn refused_fields(err: DispatchError) -> Vec<(String, String)> {
    match err {
        DispatchError::Invalid(v) => v.0.into_iter().map(|v| (v.code, v.field)).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_steps_are_the_route_in_vroom_shape_and_a_late_step_carries_its_delay() {
    let (out, report) = plan(doc()).unwrap();
    let steps = out["routes"][0]["steps"].as_array().unwrap();
    let kinds: Vec<(&str, Option<u64>)> = steps
        .iter()
        .map(|s| (s["type"].as_str().unwrap(), s["id"].as_u64()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("start", None),
            ("job", Some(11)),
            ("pickup", Some(21)),
            ("break", Some(9)),
            ("delivery", Some(22)),
            ("job", Some(12)),
            ("end", None)
        ]
    );
    let arrivals: Vec<u64> = steps
        .iter()
        .map(|s| s["arrival"].as_u64().unwrap())
        .collect();
    // The break waits for its window (230 → 250) and is taken at the pickup's place.
    assert_eq!(arrivals, vec![0, 100, 210, 230, 410, 530, 940]);
    assert_eq!(steps[3]["waiting_time"], 20);
    let loads: Vec<u64> = steps
        .iter()
        .map(|s| s["load"][0].as_u64().unwrap())
        .collect();
    assert_eq!(loads, vec![3, 1, 4, 4, 1, 0, 0]);
    // Job 12 closes at 400 and is served at 530: VROOM's `delay` of 130 s, on that step only.
    assert_eq!(steps[5]["violations"][0]["cause"], "delay", "{}", steps[5]);
    assert_eq!(steps[5]["violations"][0]["duration"], 130);
    assert_eq!(steps[5]["violations"][0]["code"], "time_window");
    for (k, s) in steps.iter().enumerate().filter(|(k, _)| *k != 5) {
        assert_eq!(s["violations"], json!([]), "step {k}");
    }
    assert_eq!(
        out["routes"][0]["violations"],
        json!([{"cause": "delay", "duration": 130}])
    );
    assert_eq!(
        out["summary"]["violations"],
        json!([{"cause": "delay", "duration": 130}])
    );
    assert!(!report.feasible);
    assert_eq!(out["summary"]["unassigned"], 0);

    let mut on_time = doc();
    on_time["jobs"][1]["time_windows"] = json!([[0, 1000]]);
    let (out, report) = plan(on_time).unwrap();
    assert!(report.feasible, "{:?}", report.violations);
    assert_eq!(out["summary"]["violations"], json!([]));
}

#[test]
fn forced_service_times_are_honoured_and_misses_are_delays() {
    // service_after: the vehicle waits at the pickup until 300.
    let mut d = doc();
    d["vehicles"][0]["steps"][2]["service_after"] = json!(300);
    d["jobs"][1]["time_windows"] = json!([[0, 2000]]);
    let (out, report) = plan(d).unwrap();
    assert!(report.feasible, "{:?}", report.violations);
    let pickup = &out["routes"][0]["steps"][2];
    assert_eq!(
        (pickup["arrival"].as_u64(), pickup["waiting_time"].as_u64()),
        (Some(210), Some(90))
    );
    assert_eq!(
        out["routes"][0]["steps"][4]["arrival"], 480,
        "the rest of the route moves later"
    );

    // service_before missed by 10 s at the delivery (served at 410).
    let mut d = doc();
    d["vehicles"][0]["steps"][4]["service_before"] = json!(400);
    d["jobs"][1]["time_windows"] = json!([[0, 2000]]);
    let (out, report) = plan(d).unwrap();
    let v = &out["routes"][0]["steps"][4]["violations"];
    assert_eq!(
        v,
        &json!([{"cause": "delay", "duration": 10, "code": "step.service_before",
        "description": "service_before 400 but served at 410"}])
    );
    assert!(!report.feasible);
    assert!(report
        .violations
        .iter()
        .any(|v| v.code == "step.service_before" && v.field == "routes[0].steps[4]"));

    // service_at wins over the job's window: served at 550 before its window opens at 600.
    let mut d = doc();
    d["jobs"][1]["time_windows"] = json!([[600, 700]]);
    d["vehicles"][0]["steps"][5]["service_at"] = json!(550);
    let (out, report) = plan(d).unwrap();
    let job = &out["routes"][0]["steps"][5];
    assert_eq!(
        job["arrival"].as_u64().unwrap() + job["waiting_time"].as_u64().unwrap(),
        550
    );
    assert_eq!(job["violations"][0]["cause"], "lead_time", "{job}");
    assert_eq!(job["violations"][0]["duration"], 50);
    assert!(
        report
            .violations
            .iter()
            .all(|v| v.code != "step.service_at"),
        "{:?}",
        report.violations
    );

    // A service_at the route cannot reach: a delay on it.
    let mut d = doc();
    d["jobs"][1]["time_windows"] = json!([[0, 2000]]);
    d["vehicles"][0]["steps"][1]["service_at"] = json!(40);
    let (out, _) = plan(d).unwrap();
    let v = &out["routes"][0]["steps"][1]["violations"][0];
    assert_eq!(
        (v["cause"].as_str(), v["duration"].as_u64()),
        (Some("delay"), Some(60)),
        "{v}"
    );
}

#[test]
fn constraints_become_vroom_causes_on_their_steps() {
    // Delivery before pickup: precedence on both; the break left out: missing_break on the route.
    let mut d = doc();
    d["vehicles"][0]["capacity"] = json!([3]);
    d["vehicles"][0]["max_tasks"] = json!(3);
    d["jobs"][1]["time_windows"] = json!([[0, 2000]]);
    d["vehicles"][0]["steps"] = json!([
        {"type": "job", "id": 11}, {"type": "delivery", "id": 22}, {"type": "pickup", "id": 21},
        {"type": "job", "id": 12}
    ]);
    let (out, report) = plan(d).unwrap();
    let steps = out["routes"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6, "start and end added");
    assert!(
        causes(&steps[2]["violations"]).contains(&"precedence".to_string()),
        "{}",
        steps[2]
    );
    assert!(
        causes(&steps[3]["violations"]).contains(&"precedence".to_string()),
        "{}",
        steps[3]
    );
    // The fourth task is over max_tasks 3 (loads stay within the capacity of 3).
    assert_eq!(
        causes(&steps[4]["violations"]),
        vec!["max_tasks"],
        "{}",
        steps[4]
    );
    let route = causes(&out["routes"][0]["violations"]);
    for c in ["max_tasks", "missing_break", "precedence"] {
        assert!(route.contains(&c.to_string()), "{c}: {route:?}");
    }
    assert!(report.violations.iter().any(|v| v.code == "break.count"));

    // Over capacity at the start (both deliveries on board) and a skill the vehicle lacks.
    let mut d = doc();
    d["vehicles"][0]["capacity"] = json!([2]);
    d["jobs"][0]["skills"] = json!([5]);
    let (out, _) = plan(d).unwrap();
    let steps = &out["routes"][0]["steps"];
    assert_eq!(causes(&steps[0]["violations"]), vec!["load"]);
    assert!(
        causes(&steps[1]["violations"]).contains(&"skills".to_string()),
        "{}",
        steps[1]
    );
    let summary = causes(&out["summary"]["violations"]);
    assert!(
        summary.contains(&"load".into())
            && summary.contains(&"skills".into())
            && summary.contains(&"delay".into()),
        "{summary:?}"
    );
}

#[test]
fn tasks_in_no_steps_are_unassigned_and_vehicles_without_steps_get_no_route() {
    let mut d = doc();
    d["vehicles"][0]["steps"] = json!([{"type": "job", "id": 11}, {"type": "break", "id": 9}]);
    d["vehicles"][0]["breaks"][0]["time_windows"] = json!([[0, 1000]]);
    let mut idle = d["vehicles"][0].clone();
    idle["id"] = json!(2);
    idle.as_object_mut().unwrap().remove("steps");
    d["vehicles"].as_array_mut().unwrap().push(idle);
    let (out, report) = plan(d).unwrap();
    assert_eq!(out["routes"].as_array().unwrap().len(), 1);
    assert_eq!(out["routes"][0]["vehicle"], 1);
    let left: Vec<(u64, &str)> = out["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["id"].as_u64().unwrap(), u["type"].as_str().unwrap()))
        .collect();
    assert_eq!(left, vec![(12, "job"), (21, "pickup"), (22, "delivery")]);
    assert!(report.feasible, "{:?}", report.violations);
}

#[test]
fn bad_steps_are_refused_with_their_paths() {
    let mut d = doc();
    d["vehicles"][0]["steps"][1]["id"] = json!(99);
    d["vehicles"][0]["steps"][6] = json!({"type": "start"});
    let f = refused_fields(plan(d).unwrap_err());
    assert!(
        f.contains(&(
            "dispatch.unknown_step".into(),
            "problem.vehicles[0].steps[1]".into()
        )),
        "{f:?}"
    );
    assert!(
        f.contains(&(
            "dispatch.step_order".into(),
            "problem.vehicles[0].steps[6]".into()
        )),
        "{f:?}"
    );

    let mut d = doc();
    let mut other = d["vehicles"][0].clone();
    other["id"] = json!(2);
    other["steps"] = json!([{"type": "pickup", "id": 21}]);
    d["vehicles"].as_array_mut().unwrap().push(other);
    let f = refused_fields(plan(d).unwrap_err());
    assert_eq!(
        f,
        vec![(
            "dispatch.task_twice".into(),
            "problem.vehicles[1].steps[0]".into()
        )]
    );

    let mut d = doc();
    d["vehicles"][0].as_object_mut().unwrap().remove("steps");
    let f = refused_fields(plan(d).unwrap_err());
    assert_eq!(f, vec![("dispatch.no_routes".into(), "routes".into())]);
}

#[test]
fn explicit_routes_take_steps_with_shipments_and_keep_the_checkers_codes() {
    let mut problem = doc();
    problem["vehicles"][0]
        .as_object_mut()
        .unwrap()
        .remove("steps");
    let steps = json!([{"type": "job", "id": 12}, {"type": "pickup", "id": 21},
        {"type": "break", "id": 9}, {"type": "delivery", "id": 22}]);
    let request: CheckRequest = serde_json::from_value(json!({
        "problem": problem, "routes": [{"vehicle": 1, "steps": steps}]
    }))
    .unwrap();
    let (out, report) = check_vroom(&request, None).unwrap();
    let ids: Vec<Option<u64>> = out.routes[0].steps.iter().map(|s| s.id).collect();
    assert_eq!(ids, vec![None, Some(12), Some(21), Some(9), Some(22), None]);
    assert_eq!(out.unassigned.len(), 1);
    assert_eq!(out.unassigned[0].id, 11);
    // Job 12 is reached at 400, the end of its window; then the pickup, the break, the delivery.
    assert_eq!(out.routes[0].steps[1].arrival, 400);
    assert_eq!(out.routes[0].steps[4].arrival, 790);
    assert!(report.feasible, "{:?}", report.violations);
    // The re-check keeps the checker's own codes: an over-full start is `capacity`.

    let mut problem = doc();
    problem["vehicles"][0]["capacity"] = json!([2]);
    let request: CheckRequest = serde_json::from_value(json!({
        "problem": problem, "routes": [{"vehicle": 1, "jobs": [11, 12]}]
    }))
    .unwrap();
    let (out, _) = check_vroom(&request, None).unwrap();
    assert_eq!(out.routes[0].steps[0].violations[0]["cause"], "capacity");

    let request: CheckRequest = serde_json::from_value(json!({
        "problem": doc(), "routes": [{"vehicle": 1, "jobs": [11], "steps": [{"type": "job", "id": 12}]}]
    }))
    .unwrap();
    let f = refused_fields(check_vroom(&request, None).unwrap_err());
    assert_eq!(f, vec![("dispatch.route_shape".into(), "routes[0]".into())]);
}

#[test]
fn window_violations_read_as_vroom_reads_them() {
    let w = [TimeWindow::new(100.0, 200.0), TimeWindow::new(500.0, 600.0)];
    assert_eq!(window_violation(&w, 150.0), None);
    assert_eq!(window_violation(&w, 40.0), Some(("lead_time", 60.0)));
    assert_eq!(
        window_violation(&w, 250.0),
        Some(("delay", 50.0)),
        "nearer the first window's end"
    );
    assert_eq!(
        window_violation(&w, 450.0),
        Some(("lead_time", 50.0)),
        "nearer the second's start"
    );
    assert_eq!(window_violation(&w, 700.0), Some(("delay", 100.0)));
    assert_eq!(window_violation(&[], 700.0), None);
}

#[test]
fn solving_mode_refuses_invalid_steps_and_answers_no_worse_than_them() {
    let config = SolverConfig::iterations(200, 1, 1);
    // Over capacity: VROOM refuses the input ("Route over capacity for vehicle 1").
    let mut d = doc();
    d["vehicles"][0]["capacity"] = json!([2]);
    let input: Input = serde_json::from_value(d).unwrap();
    let f = refused_fields(plan_vroom(&input, &config, None).unwrap_err());
    assert!(
        f.contains(&(
            "dispatch.infeasible_steps".into(),
            "vehicles[0].steps".into()
        )),
        "{f:?}"
    );
    // Delivery before pickup: "Invalid shipment in route".
    let mut d = doc();
    d["vehicles"][0]["steps"] =
        json!([{"type": "delivery", "id": 22}, {"type": "pickup", "id": 21}]);
    let input: Input = serde_json::from_value(d).unwrap();
    assert!(plan_vroom(&input, &config, None).is_err());

    // Valid steps in a poor order (0→4→1→2→3→0, 1200 s; the break is the solver's to place):
    // solved, every task served, and no dearer than the given route.
    let mut d = doc();
    d["jobs"][1]["time_windows"] = json!([[0, 2000]]);
    d["vehicles"][0]["steps"] = json!([{"type": "job", "id": 12}, {"type": "job", "id": 11},
        {"type": "pickup", "id": 21}, {"type": "delivery", "id": 22}]);
    let input: Input = serde_json::from_value(d).unwrap();
    let out = plan_vroom(&input, &config, None).unwrap();
    assert_eq!(out.summary.unassigned, 0);
    assert!(out.summary.cost <= 1200, "{}", out.summary.cost);
}
