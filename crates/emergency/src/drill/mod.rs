//! Drill mode (演练): a scenario of requests arriving and roads closing over time, replayed with a
//! planning policy, and a report of how the relief went.
//!
//! At t = 0 and at every event the policy plans over what is known then: the requests that have
//! arrived with what they still lack, the stock left, the vehicles (busy ones from the moment they
//! are back) and the legs still open. Every truckload planned leaves at once and is delivered:
//! trucks on the road are not recalled, so a request that arrives later competes for what is left.
//! The same scenario replayed with [`Policy::Exact`] and [`Policy::Greedy`] gives the side-by-side
//! figures the drill report asks for.
//!
//! Lot expiry is carried in days from the scenario's start day; in a plan made at `t` a lot
//! expiring on day `E` counts as expiring `⌊(E·86 400 − t) / 86 400⌋` days after the plan, which
//! is earlier or equal (never uses a lot after it expired).

use serde::{Deserialize, Serialize};

mod state;

use crate::allocate::{allocate, AllocateOptions};
use crate::error::Error;
use crate::greedy::greedy;
use crate::model::Problem;
use state::State;

/// The demo's flood drill over Liuzhou's counties (`crates/emergency/data/`, see its
/// PROVENANCE.md): 5 stockpiles, 12 requests of which 6 arrive during the drill, 19 vehicles, two
/// flooded areas. Its travel table is empty: fill it ([`fill_straight_line`], or from roads).
pub const DEMO_DRILL: &str = include_str!("../../data/drill_liuzhou_flood.json");

/// Most events one scenario may hold.
pub const MAX_EVENTS: usize = 2_000;
/// Most points of one closed area.
pub const MAX_AREA_POINTS: usize = 10_000;

/// A request that becomes known during the drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Arrival {
    /// Seconds from the start at which the request is made.
    pub at_s: u64,
    /// Id of a request in the scenario's problem.
    pub request: String,
}

/// An area that closes during the drill (a flood polygon of `[lon, lat]` points): from `at_s` on,
/// every stockpile–request leg whose straight line enters it is cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closure {
    /// Seconds from the start at which the area closes.
    pub at_s: u64,
    /// Display name (e.g. `柳江河段水淹`).
    #[serde(default)]
    pub name: String,
    /// The ring.
    pub area: Vec<[f64; 2]>,
}

/// A drill scenario: the whole problem (every request that will be made, with the travel table
/// for all), when each request becomes known, and when areas close. Requests not named in
/// `arrivals` are known from the start. Deadlines are seconds from the start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// Name of the drill.
    pub name: String,
    /// Catalogue, stockpiles, fleet, every request, and the travel table at the start.
    pub problem: Problem,
    /// Requests made after the start.
    #[serde(default)]
    pub arrivals: Vec<Arrival>,
    /// Areas closing during the drill.
    #[serde(default)]
    pub closures: Vec<Closure>,
}

/// How each re-plan is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// The exact allocation ([`allocate`]).
    Exact,
    /// The nearest-stockpile baseline ([`greedy`]).
    Greedy,
}

/// One delivery made during the drill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// Stockpile id.
    pub stockpile: String,
    /// Request id.
    pub request: String,
    /// Item id.
    pub item: String,
    /// Units.
    pub quantity: u64,
    /// Seconds from the start at which the plan that sent it was made.
    pub planned_at_s: u64,
    /// Seconds from the start at which it arrives.
    pub arrives_s: f64,
}

/// Figures for the requests of one priority.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PriorityFigures {
    /// Priority (1 = life-critical).
    pub priority: u8,
    /// Requests made.
    pub requests: usize,
    /// Requests served in full.
    pub served_in_full: usize,
    /// Units asked for.
    pub units_requested: u64,
    /// Units delivered.
    pub units_delivered: u64,
    /// Kilograms not delivered.
    pub unmet_kg: f64,
    /// Median time from request to its last delivery, over the requests served in full, seconds.
    pub median_time_to_serve_s: Option<f64>,
    /// Longest such time, seconds.
    pub max_time_to_serve_s: Option<f64>,
    /// Requests served in full after their deadline.
    pub late: usize,
}

/// What a drill replay reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillReport {
    /// Scenario name.
    pub scenario: String,
    /// Policy used.
    pub policy: Policy,
    /// Re-plans made (one per distinct event time, the start included).
    pub plans: usize,
    /// Figures by priority, 1 first.
    pub by_priority: Vec<PriorityFigures>,
    /// Σ priority weight × kilograms not delivered.
    pub weighted_unmet_kg: f64,
    /// Σ priority weight × kilograms delivered after the deadline × hours late.
    pub weighted_late_kg_h: f64,
    /// Truck kilometres driven (out and back).
    pub truck_km: f64,
    /// Wall-clock milliseconds spent planning.
    pub planning_ms: u64,
    /// Every delivery.
    pub deliveries: Vec<Delivery>,
}

/// Replays `scenario` with `policy` (each exact plan bounded by `options`) and reports.
///
/// # Errors
/// The first plan's [`Error`] (an invalid problem), or a scenario that names an unknown request
/// or holds more than [`MAX_EVENTS`] events ([`Error::Invalid`]).
pub fn replay(
    scenario: &Scenario,
    policy: Policy,
    options: &AllocateOptions,
) -> Result<DrillReport, Error> {
    crate::validate::validate(&scenario.problem)?;
    let mut state = State::new(scenario)?;
    let started = std::time::Instant::now();
    let mut plans = 0;
    for t in state.event_times() {
        let sub = state.problem_at(t);
        if sub.requests.is_empty() || sub.stockpiles.is_empty() {
            continue;
        }
        let plan = match policy {
            Policy::Exact => allocate(&sub, options)?,
            Policy::Greedy => greedy(&sub)?,
        };
        plans += 1;
        state.commit(&plan, t);
    }
    Ok(state.report(
        scenario,
        policy,
        plans,
        started.elapsed().as_millis() as u64,
    ))
}

/// Fills an empty travel table with straight-line estimates: great-circle distance × `detour` at
/// `speed_kmh` (the platform's fallback when no road network is loaded is 1.3 at 40 km/h). A table
/// already given is kept.
pub fn fill_straight_line(problem: &mut Problem, detour: f64, speed_kmh: f64) {
    use crate::geometry::haversine_m;
    use crate::model::Leg;
    let leg = |a: [f64; 2], b: [f64; 2]| {
        let m = haversine_m(a, b) * detour;
        Some(Leg {
            seconds: (m / (speed_kmh / 3.6)).round() as u32,
            metres: m.round() as u32,
        })
    };
    let piles: Vec<[f64; 2]> = problem.stockpiles.iter().map(|s| [s.lon, s.lat]).collect();
    let reqs: Vec<[f64; 2]> = problem.requests.iter().map(|r| [r.lon, r.lat]).collect();
    if problem.travel.from_stockpile.is_empty() {
        problem.travel.from_stockpile = piles
            .iter()
            .map(|&s| reqs.iter().map(|&r| leg(s, r)).collect())
            .collect();
    }
    if problem.travel.between_requests.is_empty() {
        problem.travel.between_requests = reqs
            .iter()
            .map(|&a| reqs.iter().map(|&b| leg(a, b)).collect())
            .collect();
    }
}
