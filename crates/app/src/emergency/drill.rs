//! Drill mode for HTTP and the CLI alike (issue 28, part 6): a scenario replayed with the exact
//! allocation and with the greedy nearest-stockpile baseline, and the two reports side by side.
//!
//! An empty travel table is filled from the platform's travel costs (the road network when one is
//! loaded, else straight lines); the scenario's closed areas then cut the legs whose straight line
//! enters them, from the moment they close.

use serde_json::{json, Value};
use wuliu_emergency::drill::{replay, Policy, Scenario};
use wuliu_emergency::AllocateOptions;
use wuliu_model::{GeoPoint, TravelCosts};

use crate::error::AppError;

/// The longest one exact re-plan of a drill may run, seconds.
pub const MAX_DRILL_PLAN_SECONDS: f64 = 30.0;

/// Replays `scenario` with both policies and answers `{exact, greedy, comparison}`. Synchronous
/// (HiGHS runs here): call it from a blocking thread.
pub fn compare(
    mut scenario: Scenario,
    travel: &dyn TravelCosts,
    plan_seconds: f64,
) -> Result<Value, AppError> {
    if !(plan_seconds.is_finite() && plan_seconds > 0.0 && plan_seconds <= MAX_DRILL_PLAN_SECONDS) {
        return Err(AppError::too_large(
            "plan_seconds",
            format!("{plan_seconds} s asked, between 0 and {MAX_DRILL_PLAN_SECONDS} s allowed"),
        ));
    }
    fill_travel(&mut scenario, travel)?;
    let options = AllocateOptions {
        time_limit_s: plan_seconds,
        ..AllocateOptions::default()
    };
    let engine =
        |e: wuliu_emergency::Error| AppError::invalid("emergency.drill", "scenario", e.to_string());
    let exact = replay(&scenario, Policy::Exact, &options).map_err(engine)?;
    let greedy = replay(&scenario, Policy::Greedy, &options).map_err(engine)?;
    let ratio = |a: f64, b: f64| if b > 0.0 { Some(a / b) } else { None };
    Ok(json!({
        "scenario": scenario.name,
        "travel_costs": {"source": travel.label(), "road_network": travel.is_road_network()},
        "comparison": {
            "weighted_unmet_kg": {"exact": exact.weighted_unmet_kg, "greedy": greedy.weighted_unmet_kg,
                "exact_over_greedy": ratio(exact.weighted_unmet_kg, greedy.weighted_unmet_kg)},
            "weighted_late_kg_h": {"exact": exact.weighted_late_kg_h, "greedy": greedy.weighted_late_kg_h,
                "exact_over_greedy": ratio(exact.weighted_late_kg_h, greedy.weighted_late_kg_h)},
            "truck_km": {"exact": exact.truck_km, "greedy": greedy.truck_km},
        },
        "exact": exact,
        "greedy": greedy,
    }))
}

/// Fills an empty travel table from `travel` (a table the scenario brings is kept).
fn fill_travel(scenario: &mut Scenario, travel: &dyn TravelCosts) -> Result<(), AppError> {
    let p = &mut scenario.problem;
    let at = |lon: f64, lat: f64| GeoPoint { lat, lon };
    let piles: Vec<GeoPoint> = p.stockpiles.iter().map(|s| at(s.lon, s.lat)).collect();
    let reqs: Vec<GeoPoint> = p.requests.iter().map(|r| at(r.lon, r.lat)).collect();
    if p.travel.from_stockpile.is_empty() {
        p.travel.from_stockpile = super::plan::legs(travel, &piles, &reqs, |_, _| false)?;
    }
    if p.travel.between_requests.is_empty() {
        p.travel.between_requests = super::plan::legs(travel, &reqs, &reqs, |_, _| false)?;
    }
    Ok(())
}
