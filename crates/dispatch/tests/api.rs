//! The one-call JSON API used by the server and the CLI.

use wuliu_dispatch::vroom::Input;
use wuliu_dispatch::{
    plan, plan_vroom, Job, Load, PlanRequest, Problem, SolverConfig, TimeWindow, Vehicle,
};
use wuliu_model::{GeoPoint, StraightLine};

fn liuzhou() -> Problem {
    // A depot in Liuzhou and four shops around it.
    let points = vec![
        GeoPoint {
            lat: 24.3264,
            lon: 109.4281,
        },
        GeoPoint {
            lat: 24.3500,
            lon: 109.4000,
        },
        GeoPoint {
            lat: 24.3000,
            lon: 109.4600,
        },
        GeoPoint {
            lat: 24.3700,
            lon: 109.4500,
        },
        GeoPoint {
            lat: 24.2900,
            lon: 109.3900,
        },
    ];
    let van = Vehicle::new(
        "van-1",
        0,
        Load::weight(1000.0),
        TimeWindow::new(0.0, 8.0 * 3600.0),
    );
    let jobs = (1..=4)
        .map(|i| Job::delivery(format!("shop-{i}"), i, 100.0))
        .collect();
    Problem::from_points(&StraightLine::default(), points, vec![van], jobs).unwrap()
}

#[test]
fn plan_request_json_to_response_json() {
    let request = PlanRequest {
        problem: liuzhou(),
        config: SolverConfig::iterations(300, 1, 1),
    };
    // Through JSON both ways, as the server will do it.
    let request: PlanRequest =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    let response = plan(&request).unwrap();
    assert!(response.report.feasible, "{:?}", response.report.violations);
    assert_eq!(response.solution.summary.served, 4);
    assert_eq!(response.geometry.len(), 1);
    let stops = &response.geometry[0].stops;
    assert_eq!(stops.len(), 6);
    assert_eq!(stops[0], request.problem.locations[0]);
    assert_eq!(stops[5], request.problem.locations[0]);
    let text = serde_json::to_string(&response).unwrap();
    assert!(text.contains("\"geometry\""));
}

#[test]
fn config_defaults_apply_when_omitted() {
    let json = format!(
        "{{\"problem\": {}}}",
        serde_json::to_string(&liuzhou()).unwrap()
    );
    let request: PlanRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(request.config, SolverConfig::default());
}

#[test]
fn vroom_document_with_coordinates_uses_the_travel_cost_provider() {
    let doc = r#"{
      "vehicles": [{"id": 1, "start": [109.4281, 24.3264], "end": [109.4281, 24.3264], "capacity": [10]}],
      "jobs": [
        {"id": 11, "location": [109.4000, 24.3500], "delivery": [3], "service": 300},
        {"id": 12, "location": [109.4600, 24.3000], "delivery": [3], "service": 300}
      ]
    }"#;
    let input: Input = serde_json::from_str(doc).unwrap();
    assert!(
        input.to_problem(None).is_err(),
        "coordinates need a provider"
    );
    let out = plan_vroom(
        &input,
        &SolverConfig::iterations(200, 1, 1),
        Some(&StraightLine::default()),
    )
    .unwrap();
    assert_eq!(out.code, 0);
    assert_eq!(out.routes.len(), 1);
    let ids: Vec<u64> = out.routes[0].steps.iter().filter_map(|s| s.id).collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(out.routes[0].steps[0].location, Some([109.4281, 24.3264]));
    // Default VROOM costs: one unit per second of travel.
    assert_eq!(out.summary.cost, out.summary.duration);
}

#[test]
fn documents_are_recognised_by_format() {
    use wuliu_dispatch::{read_document, Document};
    let problem = liuzhou();
    let request = PlanRequest {
        problem: problem.clone(),
        config: SolverConfig::default(),
    };
    let as_problem = serde_json::to_string(&problem).unwrap();
    let as_request = serde_json::to_string(&request).unwrap();
    let as_vroom = serde_json::to_string(&Input::from_problem(&problem)).unwrap();
    let solomon = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/solomon/C101.txt"
    ))
    .unwrap();
    assert_eq!(
        read_document(&as_problem).unwrap(),
        Document::Problem(problem)
    );
    assert_eq!(
        read_document(&as_request).unwrap(),
        Document::PlanRequest(request)
    );
    assert!(matches!(
        read_document(&as_vroom).unwrap(),
        Document::Vroom(_)
    ));
    assert!(matches!(read_document(&solomon).unwrap(), Document::Solomon(i) if i.name == "C101"));
    assert!(matches!(
        read_document("{\"problem\": 3}"),
        Err(wuliu_dispatch::DispatchError::Json(_))
    ));
}
