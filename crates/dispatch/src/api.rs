//! The JSON API in one call each: what the HTTP server and the CLI wrap.

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, TravelCosts};

use crate::check::{check, Report};
use crate::error::DispatchError;
use crate::problem::Problem;
use crate::solution::Solution;
use crate::solver::{solve, SolverConfig};
use crate::vroom;

/// A plan request: the problem and how long to search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    /// What to plan.
    pub problem: Problem,
    /// Budget, threads and seed (defaults: 5 s, 2 threads, seed 1).
    #[serde(default)]
    pub config: SolverConfig,
}

/// The stops of one route as coordinates, for drawing on a map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteGeometry {
    /// The vehicle's id.
    pub vehicle_id: String,
    /// Start, every stop, end. Straight segments between stops: the server replaces them with road
    /// geometry from the road engine when it has one.
    pub stops: Vec<GeoPoint>,
}

/// A plan: the solution, the checker's verdict on it, and stop coordinates per route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanResponse {
    /// The plan.
    pub solution: Solution,
    /// The independent checker's report on the plan (always run).
    pub report: Report,
    /// Per-route stop coordinates; empty when the problem has no `locations`.
    pub geometry: Vec<RouteGeometry>,
}

/// Solves a [`PlanRequest`], checks the result and attaches map geometry.
pub fn plan(request: &PlanRequest) -> Result<PlanResponse, DispatchError> {
    let solution = solve(&request.problem, &request.config)?;
    let report = check(&request.problem, &solution);
    let geometry = geometry(&request.problem, &solution);
    Ok(PlanResponse {
        solution,
        report,
        geometry,
    })
}

/// Stop coordinates of every route, or nothing when the problem has no coordinates.
pub fn geometry(problem: &Problem, solution: &Solution) -> Vec<RouteGeometry> {
    if problem.locations.is_empty() {
        return Vec::new();
    }
    solution
        .routes
        .iter()
        .map(|r| RouteGeometry {
            vehicle_id: r.vehicle_id.clone(),
            stops: r
                .steps
                .iter()
                .map(|s| problem.locations[s.location])
                .collect(),
        })
        .collect()
}

/// Solves a VROOM document and answers in VROOM's solution format, so VROOM clients work unchanged.
/// `costs` resolves coordinates when the document has no matrix.
pub fn plan_vroom(
    input: &vroom::Input,
    config: &SolverConfig,
    costs: Option<&dyn TravelCosts>,
) -> Result<vroom::Output, DispatchError> {
    let problem = input.to_problem(costs)?;
    let solution = solve(&problem, config)?;
    Ok(vroom::Output::from_solution(input, &problem, &solution))
}

/// A problem file in any format the planner reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// Our JSON API: a [`PlanRequest`].
    PlanRequest(PlanRequest),
    /// Our JSON API: a bare [`Problem`].
    Problem(Problem),
    /// A VROOM problem document.
    Vroom(vroom::Input),
    /// A Solomon or Gehring–Homberger text file.
    Solomon(crate::solomon::Instance),
}

/// Reads a problem file, recognising the format: JSON objects are tried as a [`PlanRequest`], a
/// [`Problem`] and a VROOM document in that order; anything else is read as a Solomon file. For the CLI
/// (`wuliu dispatch solve FILE`).
pub fn read_document(text: &str) -> Result<Document, DispatchError> {
    if !text.trim_start().starts_with('{') {
        return crate::solomon::parse(text).map(Document::Solomon);
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| DispatchError::Json(e.to_string()))?;
    let has = |k: &str| value.get(k).is_some();
    let parsed = if has("problem") {
        serde_json::from_value(value).map(Document::PlanRequest)
    } else if has("matrix") && value["matrix"].is_object() {
        serde_json::from_value(value).map(Document::Problem)
    } else {
        serde_json::from_value(value).map(Document::Vroom)
    };
    parsed.map_err(|e| DispatchError::Json(e.to_string()))
}
