//! Attacks on the dispatch entry point's work bounds: every list that multiplies the solver's work
//! (breaks, time windows, matrix sides) is capped before any solving starts.

use serde_json::json;
use wuliu_app::engines::bound_dispatch;
use wuliu_app::AppError;
use wuliu_dispatch::vroom::Input;
use wuliu_dispatch::SolverConfig;

fn input(doc: serde_json::Value) -> Input {
    serde_json::from_value(doc).unwrap()
}

fn refused_field(doc: serde_json::Value) -> String {
    match bound_dispatch(&input(doc), &SolverConfig::default()) {
        Err(AppError::TooLarge { field, .. }) => field,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn thousands_of_breaks_on_one_vehicle_are_refused() {
    let breaks: Vec<_> = (0..5_000)
        .map(|i| json!({"id": i, "time_windows": [[0, 10]], "service": 1}))
        .collect();
    let field = refused_field(json!({
        "vehicles": [{"id": 1, "start_index": 0, "breaks": breaks}],
        "jobs": [{"id": 1, "location_index": 0}],
        "matrix": [[0]]
    }));
    assert_eq!(field, "vehicles[0].breaks");
}

#[test]
fn thousands_of_time_windows_are_refused() {
    let windows: Vec<_> = (0..5_000u64).map(|i| json!([2 * i, 2 * i + 1])).collect();
    let field = refused_field(json!({
        "vehicles": [{"id": 1, "start_index": 0}],
        "shipments": [{"pickup": {"id": 1, "location_index": 0, "time_windows": windows},
                        "delivery": {"id": 1, "location_index": 0}}],
        "matrix": [[0]]
    }));
    assert_eq!(field, "shipments[0].pickup.time_windows");
}

#[test]
fn an_oversized_profile_matrix_is_refused() {
    let side =
        2 * wuliu_app::limits::MAX_DISPATCH_JOBS + 2 * wuliu_app::limits::MAX_DISPATCH_VEHICLES + 1;
    let rows = vec![Vec::<u64>::new(); side];
    let field = refused_field(json!({
        "vehicles": [{"id": 1, "start_index": 0}],
        "jobs": [{"id": 1, "location_index": 0}],
        "matrices": {"car": {"durations": rows}}
    }));
    assert_eq!(field, "matrices.car.durations");
}

#[test]
fn an_ordinary_document_passes() {
    assert!(bound_dispatch(
        &input(json!({
            "vehicles": [{"id": 1, "start_index": 0, "breaks": [{"id": 1, "time_windows": [[0, 10]]}]}],
            "jobs": [{"id": 1, "location_index": 0, "time_windows": [[0, 5], [8, 9]]}],
            "matrix": [[0]]
        })),
        &SolverConfig::default()
    )
    .is_ok());
}
