//! Dispatch planning as the platform runs it: a VROOM problem solved now ([`solve_now`]), or
//! submitted as a stored plan that is solved in the background and survives a restart
//! ([`submit`], [`resume_queued`], [`wait_for`]). Every stored plan is written with an audit entry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wuliu_dispatch::vroom::{Input, Output};
use wuliu_dispatch::{CheckRequest, DispatchError, SolverConfig};
use wuliu_model::{GeoPoint, TravelCosts};
use wuliu_road::PreparedNetwork;
use wuliu_store::{Kind, NewRecord, Record, WriteOp};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::service::{new_id, predicted_record, Service};

fn dispatch_error(e: DispatchError) -> AppError {
    match e {
        DispatchError::Invalid(v) => AppError::Invalid(v),
        other => AppError::invalid("dispatch.invalid_problem", "body", other.to_string()),
    }
}

/// Where the travel costs of an answer came from: the caller's own matrix when the document gives
/// every location as a matrix index (and whether it had distances), else the platform's provider.
pub fn costs_label(input: &Input, travel: &dyn TravelCosts) -> Value {
    if input.uses_matrix() {
        return json!({ "source": "caller_matrix", "road_network": false, "distances": input.distances_known() });
    }
    json!({ "source": travel.label(), "road_network": travel.is_road_network(), "distances": true })
}

/// Solves a VROOM input with the platform's travel costs: bounded, solved, checked; the output in
/// VROOM's format and the checker's report.
pub fn solve_now(
    input: &Input,
    config: &SolverConfig,
    travel: &dyn TravelCosts,
) -> Result<(Output, Value), AppError> {
    crate::engines::bound_dispatch(input, config)?;
    let problem = input.to_problem(Some(travel)).map_err(dispatch_error)?;
    // Vehicles' `steps`, when given, are the starting plan (VROOM's initial routes); invalid
    // ones are refused, naming the step, as VROOM does.
    let initial = wuliu_dispatch::plan_mode::initial_routes(input, &problem)
        .map_err(dispatch_error)?
        .unwrap_or_default();
    let solution =
        wuliu_dispatch::solve_from(&problem, config, &initial).map_err(dispatch_error)?;
    let report = wuliu_dispatch::check(&problem, &solution);
    let output = Output::from_solution(input, &problem, &solution);
    Ok((
        output,
        serde_json::to_value(report).expect("report serialises"),
    ))
}

/// Stores a plan as `queued` (after checking it can be built) and starts solving it; returns the
/// stored plan.
pub async fn submit(
    svc: &Service,
    travel: Arc<dyn TravelCosts>,
    caller: &Caller,
    input: Input,
    config: SolverConfig,
) -> Result<Record, AppError> {
    if caller.role == Role::Regulator {
        return Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        });
    }
    crate::engines::bound_dispatch(&input, &config)?;
    // Refuse problems that cannot be built now rather than storing a plan that will fail.
    input
        .to_problem(Some(travel.as_ref()))
        .map_err(dispatch_error)?;
    let rec = NewRecord {
        id: new_id(Kind::DispatchPlan),
        region: caller.region.clone(),
        external_id: None,
        owner_party: caller.party_id.clone(),
        partner_party: None,
        status: Some("queued".into()),
        body: json!({ "status": "queued", "input": input, "config": config, "travel_costs": costs_label(&input, travel.as_ref()) }),
    };
    let op = WriteOp::Insert {
        kind: Kind::DispatchPlan,
        rec,
    };
    let entry = crate::audit::entry(
        caller,
        "create",
        Kind::DispatchPlan,
        None,
        &predicted_record(&op),
    );
    let stored = svc.repo.commit(vec![op], vec![entry]).await?.remove(0);
    start_solving(svc, travel, stored.clone(), input, config);
    Ok(stored)
}

/// Solves a stored, queued plan on the blocking pool and stores the result (`solved` or `failed`).
fn start_solving(
    svc: &Service,
    travel: Arc<dyn TravelCosts>,
    rec: Record,
    input: Input,
    config: SolverConfig,
) {
    let svc = svc.clone();
    tokio::spawn(async move {
        let result =
            tokio::task::spawn_blocking(move || solve_now(&input, &config, travel.as_ref())).await;
        let mut body = rec.body.clone();
        let status = match result {
            Ok(Ok((output, report))) => {
                body["output"] = serde_json::to_value(output).expect("output serialises");
                body["check"] = report;
                "solved"
            }
            Ok(Err(e)) => {
                body["error"] = Value::String(e.to_string());
                "failed"
            }
            Err(e) => {
                body["error"] = Value::String(format!("solver task failed: {e}"));
                "failed"
            }
        };
        if let Err(e) = finish(&svc, &rec, body, status).await {
            tracing::error!(%e, plan = %rec.id, "cannot store dispatch plan result");
        }
    });
}

/// Stores a plan's end state (`solved` or `failed`) over the queued record, with an audit entry.
async fn finish(
    svc: &Service,
    rec: &Record,
    mut body: Value,
    status: &str,
) -> Result<(), AppError> {
    body["status"] = Value::String(status.into());
    let op = WriteOp::Update {
        kind: Kind::DispatchPlan,
        rec: NewRecord {
            id: rec.id.clone(),
            region: rec.region.clone(),
            external_id: rec.external_id.clone(),
            owner_party: rec.owner_party.clone(),
            partner_party: rec.partner_party.clone(),
            status: Some(status.into()),
            body,
        },
        expected_version: rec.version,
    };
    let system = Caller::system(&rec.region, "system:dispatch");
    let mut entry = crate::audit::entry(
        &system,
        "transition",
        Kind::DispatchPlan,
        None,
        &predicted_record(&op),
    );
    entry.diff = json!({ "status": [rec.status, status] });
    svc.repo.commit(vec![op], vec![entry]).await?;
    Ok(())
}

/// Restarts every plan left `queued` by a previous run (e.g. after a crash): an acknowledged
/// submission is solved even if the process died before it finished. A stored plan whose input can
/// no longer be read is marked `failed` with the reason. Returns how many plans were restarted.
pub async fn resume_queued(svc: &Service, travel: Arc<dyn TravelCosts>) -> Result<usize, AppError> {
    let q = wuliu_store::ListQuery {
        filters: vec![wuliu_store::Filter {
            field: wuliu_store::Field::Column("status"),
            op: wuliu_store::Op::Eq,
            value: wuliu_store::Literal::Text("queued".into()),
        }],
        ..Default::default()
    };
    let queued = svc.list_all(Kind::DispatchPlan, q).await?;
    let mut restarted = 0;
    for r in queued {
        let input = serde_json::from_value::<Input>(r.body["input"].clone());
        let config = serde_json::from_value::<SolverConfig>(r.body["config"].clone());
        match (input, config) {
            (Ok(input), Ok(config)) => {
                start_solving(svc, travel.clone(), r, input, config);
                restarted += 1;
            }
            (Err(e), _) | (_, Err(e)) => {
                let mut body = r.body.clone();
                body["error"] = Value::String(format!("stored plan cannot be read: {e}"));
                finish(svc, &r, body, "failed").await?;
            }
        }
    }
    Ok(restarted)
}

/// The plan `id` as the caller may see it, once it is no longer queued or `seconds` have passed.
pub async fn wait_for(
    svc: &Service,
    caller: &Caller,
    id: &str,
    seconds: f64,
) -> Result<Record, AppError> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    loop {
        let rec = match svc.repo.get(Kind::DispatchPlan, id).await? {
            Some(r) if caller.can_read(&r, false) => r,
            _ => {
                return Err(AppError::NotFound(format!(
                    "no dispatch plan with id '{id}'"
                )))
            }
        };
        if rec.status.as_deref() != Some("queued") || Instant::now() >= deadline {
            return Ok(rec);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Most jobs a re-check ([`check_now`]) takes: an interactive edit of one city round, not a batch.
pub const MAX_CHECK_JOBS: usize = 2_000;
/// Most vehicles a re-check takes.
pub const MAX_CHECK_VEHICLES: usize = 200;

/// Bounds a re-check request before any work: jobs, shipments, vehicles, routes and their stops
/// (or, in plan mode, the vehicles' `steps`).
pub fn bound_check(request: &CheckRequest) -> Result<(), AppError> {
    let input = &request.problem;
    let too_large = |field: &str, what: &str, n: usize, max: usize| {
        AppError::too_large(
            field,
            format!("{what}: {n} asked, at most {max} per re-check"),
        )
    };
    if input.jobs.len() > MAX_CHECK_JOBS {
        return Err(too_large(
            "problem.jobs",
            "jobs",
            input.jobs.len(),
            MAX_CHECK_JOBS,
        ));
    }
    if input.vehicles.len() > MAX_CHECK_VEHICLES {
        return Err(too_large(
            "problem.vehicles",
            "vehicles",
            input.vehicles.len(),
            MAX_CHECK_VEHICLES,
        ));
    }
    if input.shipments.len() > MAX_CHECK_JOBS {
        return Err(too_large(
            "problem.shipments",
            "shipments",
            input.shipments.len(),
            MAX_CHECK_JOBS,
        ));
    }
    // Each task once at most, plus each vehicle's breaks, start and end.
    let breaks: usize = input
        .vehicles
        .iter()
        .map(|v| v.breaks.as_ref().map_or(0, Vec::len))
        .sum();
    let max_stops =
        input.jobs.len() + 2 * input.shipments.len() + breaks + 2 * input.vehicles.len();
    let (field, stops) = match &request.routes {
        Some(routes) => {
            if routes.len() > input.vehicles.len() {
                return Err(too_large(
                    "routes",
                    "routes (one per vehicle at most)",
                    routes.len(),
                    input.vehicles.len(),
                ));
            }
            let stops = routes
                .iter()
                .map(|r| r.jobs.len() + r.steps.as_ref().map_or(0, Vec::len))
                .sum();
            let jobs: usize = routes.iter().map(|r| r.jobs.len()).sum();
            if jobs > input.jobs.len() {
                return Err(too_large(
                    "routes",
                    "stops (each job once at most)",
                    jobs,
                    input.jobs.len(),
                ));
            }
            ("routes", stops)
        }
        None => {
            let stops = input
                .vehicles
                .iter()
                .map(|v| v.steps.as_ref().map_or(0, Vec::len))
                .sum();
            ("problem.vehicles", stops)
        }
    };
    if stops > max_stops {
        return Err(too_large(
            field,
            "steps (each task once at most)",
            stops,
            max_stops,
        ));
    }
    let side = input.matrix.as_ref().map_or(0, Vec::len);
    let max_side = 2 * (MAX_CHECK_JOBS + MAX_CHECK_VEHICLES);
    if side > max_side {
        return Err(too_large("problem.matrix", "matrix rows", side, max_side));
    }
    Ok(())
}

/// Re-checks routes as a user ordered them, or the vehicles' `steps` when the request has no
/// `routes` (VROOM's plan mode; see [`wuliu_dispatch::check_vroom`]): the VROOM-format
/// answer with per-step times, loads and violations, each route's line on the road network (see
/// [`with_geometry`]), the checker's report as `check` and the travel-cost source.
pub fn check_now(
    request: &CheckRequest,
    travel: &dyn TravelCosts,
    road: Option<&PreparedNetwork>,
) -> Result<Value, AppError> {
    bound_check(request)?;
    let (output, report) =
        wuliu_dispatch::check_vroom(request, Some(travel)).map_err(dispatch_error)?;
    let mut out = with_geometry(output, road);
    out["check"] = serde_json::to_value(report).expect("report serialises");
    out["travel_costs"] = costs_label(&request.problem, travel);
    Ok(out)
}

/// The output as JSON with each route's line: `routes[i].geometry` (an encoded polyline, precision 5,
/// as VROOM's `-g` option gives) along the road network when one is loaded and every leg is
/// routable, else straight segments between the stops; `routes[i].geometry_source` and the
/// answer's `geometry_source` say which (`road`, `straight_line`, or `mixed` for the answer).
/// Routes without coordinates get no geometry.
pub fn with_geometry(output: Output, road: Option<&PreparedNetwork>) -> Value {
    let lines: Vec<Option<(Vec<[f64; 2]>, bool)>> = output
        .routes
        .iter()
        .map(|r| {
            let stops: Option<Vec<[f64; 2]>> = r.steps.iter().map(|s| s.location).collect();
            stops.map(|stops| route_line(&stops, road))
        })
        .collect();
    let mut out = serde_json::to_value(output).expect("output serialises");
    let (mut on_road, mut straight) = (0, 0);
    for (i, line) in lines.into_iter().enumerate() {
        let Some((points, by_road)) = line else {
            continue;
        };
        if by_road {
            on_road += 1;
        } else {
            straight += 1;
        }
        out["routes"][i]["geometry"] = json!(wuliu_road::polyline::encode(&points, 5));
        out["routes"][i]["geometry_source"] = json!(source_name(by_road));
    }
    out["geometry_source"] = json!(match (on_road, straight) {
        (_, 0) => "road",
        (0, _) => "straight_line",
        _ => "mixed",
    });
    out
}

fn source_name(by_road: bool) -> &'static str {
    if by_road {
        "road"
    } else {
        "straight_line"
    }
}

/// The line through `stops` (`[lon, lat]`) on the road network, or the stops themselves (straight
/// segments) with `false` when there is no network or some leg cannot be routed.
fn route_line(stops: &[[f64; 2]], road: Option<&PreparedNetwork>) -> (Vec<[f64; 2]>, bool) {
    let routed = road.and_then(|net| {
        let req = wuliu_road::RouteRequest {
            points: stops
                .iter()
                .map(|p| GeoPoint {
                    lat: p[1],
                    lon: p[0],
                })
                .collect(),
            steps: false,
            vehicle: None,
            departure: None,
        };
        net.route(&req).ok().flatten()
    });
    match routed {
        Some(r) if r.coordinates.len() >= 2 => (r.coordinates, true),
        _ => (stops.to_vec(), false),
    }
}
