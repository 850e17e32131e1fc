//! The JSON API in one call each: what the HTTP server and the CLI wrap.

use serde::{Deserialize, Serialize};
use wuliu_model::{GeoPoint, TravelCosts};

use crate::check::{check, Report};
use crate::error::DispatchError;
use crate::plan_mode::{self, GivenRoute};
use crate::problem::Problem;
use crate::solution::{Solution, Visit};
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
/// `costs` resolves coordinates when the document has no matrix. Vehicles' `steps` are read as
/// VROOM's solving mode reads them (see [`plan_mode::solve_from_steps`]).
pub fn plan_vroom(
    input: &vroom::Input,
    config: &SolverConfig,
    costs: Option<&dyn TravelCosts>,
) -> Result<vroom::Output, DispatchError> {
    let problem = input.to_problem(costs)?;
    let solution = plan_mode::solve_from_steps(input, &problem, config)?;
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

/// One route as a user ordered it: the vehicle's VROOM id and its stops in visiting order, either as
/// job ids (`jobs`) or as VROOM vehicle steps (`steps`: jobs, shipment pickups and deliveries, breaks,
/// with optional `service_at` / `service_after` / `service_before`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OrderedRoute {
    /// The vehicle's id in the problem.
    pub vehicle: u64,
    /// Job ids in visiting order (may be empty: the vehicle stays home).
    #[serde(default)]
    pub jobs: Vec<u64>,
    /// The route as VROOM steps, instead of `jobs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<vroom::VehicleStep>>,
}

/// A re-check request: a VROOM problem and routes to check against it, e.g. a plan a dispatcher
/// edited by hand. Without `routes` it is VROOM's plan mode (`vroom -c`): the routes are the
/// vehicles' `steps`. Tasks in no route are reported unassigned with the checker's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CheckRequest {
    /// The problem, in VROOM's format.
    pub problem: vroom::Input,
    /// The routes to check; each vehicle at most once, each task at most once. Absent: plan mode,
    /// the routes are the vehicles' `steps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routes: Option<Vec<OrderedRoute>>,
}

/// Re-times the routes (every service as early as its windows allow, forced `service_*` times
/// honoured), runs the independent [`check`] on them and answers in VROOM's format with each
/// violation attached where it happens: a step's `violations` (capacity, time window, shift at the
/// end step…), a route's, or the summary's. See [`crate::plan_mode`].
///
/// With `routes`, each violation is `{"cause": code, "description": message}` (the checker's codes).
/// Without (plan mode, the vehicles' `steps`), violations use VROOM's causes (`delay` and
/// `lead_time` with their `duration`, `load`, `skills`, `precedence`, `missing_break`, `max_tasks`,
/// `max_travel_time`, `max_distance`, `max_load`), keep the checker's code as `code`, and routes
/// and the summary list each cause once as VROOM does. Missed `service_at` / `service_before` times
/// are added to the report (`step.service_at`, `step.service_before`). `costs` resolves coordinates.
///
/// Refuses (as [`DispatchError::Invalid`], field paths `routes[i].vehicle`, `routes[i].jobs[k]`,
/// `routes[i].steps[k]` or `problem.vehicles[i].steps[k]`) unknown vehicles, tasks or step types, a
/// vehicle or task used twice, `start` or `end` out of place, a route with both `jobs` and `steps`,
/// and a plan-mode request whose vehicles have no steps.
pub fn check_vroom(
    request: &CheckRequest,
    costs: Option<&dyn TravelCosts>,
) -> Result<(vroom::Output, Report), DispatchError> {
    let input = &request.problem;
    let (routes, vroom_causes) = match &request.routes {
        Some(routes) => (given_routes(input, routes)?, false),
        None => {
            let routes = plan_mode::routes_from_steps(input, "problem.")?.ok_or_else(|| {
                let mut bad = wuliu_model::Violations::default();
                bad.push(
                    "dispatch.no_routes",
                    "routes",
                    "no routes to check: give `routes`, or `steps` on the vehicles (plan mode)",
                );
                DispatchError::Invalid(bad)
            })?;
            (routes, true)
        }
    };
    let problem = input.to_problem(costs)?;
    Ok(plan_mode::check_given(
        input,
        &problem,
        &routes,
        vroom_causes,
    ))
}

/// Maps explicit routes to vehicle and task indices, refusing unknown and repeated vehicles and
/// tasks (all found at once).
fn given_routes(
    input: &vroom::Input,
    routes: &[OrderedRoute],
) -> Result<Vec<GivenRoute>, DispatchError> {
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
    let mut used = plan_mode::Used::default();
    let mut out = Vec::with_capacity(routes.len());
    for (ri, r) in routes.iter().enumerate() {
        let field = format!("routes[{ri}].vehicle");
        let vehicle = match vehicles.get(&r.vehicle) {
            None => {
                bad.push(
                    "dispatch.unknown_vehicle",
                    field,
                    format!("no vehicle {}", r.vehicle),
                );
                None
            }
            Some(&v) if std::mem::replace(&mut used_v[v], true) => {
                let msg = format!("vehicle {} has two routes", r.vehicle);
                bad.push("dispatch.vehicle_twice", field, msg);
                None
            }
            Some(&v) => Some(v),
        };
        if let Some(steps) = &r.steps {
            if !r.jobs.is_empty() {
                let msg = "give the route as `jobs` or as `steps`, not both";
                bad.push("dispatch.route_shape", format!("routes[{ri}]"), msg);
            }
            if let Some(v) = vehicle {
                let f = format!("routes[{ri}].steps");
                out.push(plan_mode::resolve_steps(
                    input, v, steps, &f, &mut used, &mut bad,
                ));
            }
            continue;
        }
        let mut visits = Vec::with_capacity(r.jobs.len());
        for (k, id) in r.jobs.iter().enumerate() {
            let field = format!("routes[{ri}].jobs[{k}]");
            match jobs.get(id) {
                None => bad.push("dispatch.unknown_job", field, format!("no job {id}")),
                Some(&j) => match used.insert(input, Visit::Job(j)) {
                    Ok(()) => visits.push(Visit::Job(j)),
                    Err((code, msg)) => bad.push(code, field, msg),
                },
            }
        }
        if let Some(v) = vehicle {
            out.push(GivenRoute::free(v, visits));
        }
    }
    bad.into_result().map_err(DispatchError::Invalid)?;
    Ok(out)
}
