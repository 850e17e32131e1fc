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
                .filter_map(|s| s.location.map(|l| problem.locations[l]))
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

/// One route as a user ordered it: the vehicle's VROOM id and its job ids in visiting order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrderedRoute {
    /// The vehicle's id in the problem.
    pub vehicle: u64,
    /// Job ids in visiting order (may be empty: the vehicle stays home).
    #[serde(default)]
    pub jobs: Vec<u64>,
}

/// A re-check request: a VROOM problem and routes to check against it, e.g. a plan a dispatcher
/// edited by hand. Jobs in no route are reported unassigned with the checker's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CheckRequest {
    /// The problem, in VROOM's format.
    pub problem: vroom::Input,
    /// The routes to check; each vehicle at most once, each job at most once.
    pub routes: Vec<OrderedRoute>,
}

/// Re-times `request.routes` (every service as early as its windows allow), runs the independent
/// [`check`] on them and answers in VROOM's format with each violation attached where it happens:
/// a step's `violations` (capacity, time window, shift at the end step…), a route's, or the summary's.
/// Each violation is `{"cause": code, "description": message}`. `costs` resolves coordinates.
///
/// Refuses (as [`DispatchError::Invalid`], field paths `routes[i].vehicle` / `routes[i].jobs[k]`)
/// unknown vehicles or jobs and a vehicle or job used twice.
pub fn check_vroom(
    request: &CheckRequest,
    costs: Option<&dyn TravelCosts>,
) -> Result<(vroom::Output, Report), DispatchError> {
    let input = &request.problem;
    let sequences = sequences_of(input, &request.routes)?;
    let problem = input.to_problem(costs)?;
    let mut served = vec![false; problem.jobs.len()];
    sequences
        .iter()
        .flat_map(|s| &s.1)
        .for_each(|&j| served[j] = true);
    let unassigned = (0..problem.jobs.len())
        .filter(|&j| !served[j])
        .map(|j| crate::solution::Unassigned {
            job: j,
            shipment: false,
            job_id: problem.jobs[j].id.clone(),
            reason: crate::check::unassigned_reason(&problem, j),
        })
        .collect();
    let solution = Solution::from_sequences(&problem, &sequences, unassigned);
    let report = check(&problem, &solution);
    let mut output = vroom::Output::from_solution(input, &problem, &solution);
    attach_violations(&mut output, &report);
    Ok((output, report))
}

/// Maps VROOM ids to indices, refusing unknown and repeated vehicles and jobs (all found at once).
fn sequences_of(
    input: &vroom::Input,
    routes: &[OrderedRoute],
) -> Result<Vec<(usize, Vec<usize>)>, DispatchError> {
    use std::collections::HashMap;
    let vehicles: HashMap<u64, usize> = input
        .vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id, i))
        .collect();
    let jobs: HashMap<u64, usize> = input
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id, i))
        .collect();
    let mut bad = wuliu_model::Violations::default();
    let mut used_v = vec![false; input.vehicles.len()];
    let mut used_j = vec![false; input.jobs.len()];
    let mut out = Vec::with_capacity(routes.len());
    for (ri, r) in routes.iter().enumerate() {
        let field = format!("routes[{ri}].vehicle");
        match vehicles.get(&r.vehicle) {
            None => bad.push(
                "dispatch.unknown_vehicle",
                field,
                format!("no vehicle {}", r.vehicle),
            ),
            Some(&v) if std::mem::replace(&mut used_v[v], true) => bad.push(
                "dispatch.vehicle_twice",
                field,
                format!("vehicle {} has two routes", r.vehicle),
            ),
            Some(&v) => out.push((v, Vec::with_capacity(r.jobs.len()))),
        }
        for (k, id) in r.jobs.iter().enumerate() {
            let field = format!("routes[{ri}].jobs[{k}]");
            match jobs.get(id) {
                None => bad.push("dispatch.unknown_job", field, format!("no job {id}")),
                Some(&j) if std::mem::replace(&mut used_j[j], true) => bad.push(
                    "dispatch.job_twice",
                    field,
                    format!("job {id} is visited twice"),
                ),
                Some(&j) => {
                    if let Some(last) = out.last_mut() {
                        last.1.push(j);
                    }
                }
            }
        }
    }
    bad.into_result().map_err(DispatchError::Invalid)?;
    Ok(out)
}

/// Puts each violation of `report` on the step or route its field path names (`routes[i].steps[k]`,
/// `routes[i]`), the rest on the summary.
fn attach_violations(output: &mut vroom::Output, report: &Report) {
    for v in &report.violations {
        let value = serde_json::json!({ "cause": v.code, "description": v.message });
        let (route, step) = parse_route_path(&v.field);
        let slot = match (route, step) {
            (Some(r), Some(s)) => output
                .routes
                .get_mut(r)
                .and_then(|r| r.steps.get_mut(s))
                .map(|s| &mut s.violations),
            (Some(r), None) => output.routes.get_mut(r).map(|r| &mut r.violations),
            _ => None,
        };
        slot.unwrap_or(&mut output.summary.violations).push(value);
    }
}

/// `routes[3].steps[2]` → `(Some(3), Some(2))`; `routes[3]` → `(Some(3), None)`.
fn parse_route_path(field: &str) -> (Option<usize>, Option<usize>) {
    let index = |s: &str, prefix: &str| -> Option<usize> {
        s.strip_prefix(prefix)?.split(']').next()?.parse().ok()
    };
    let route = index(field, "routes[");
    let step = field
        .split_once("].steps[")
        .and_then(|(_, rest)| rest.split(']').next()?.parse().ok());
    (route, step)
}
