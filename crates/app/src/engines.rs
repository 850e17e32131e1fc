//! One entry point per engine, for HTTP and the CLI alike: each bounds the problem (sizes, time,
//! threads from [`crate::limits`]), lets the engine validate and solve it, and runs the engine's
//! independent checker on the answer. Synchronous: async callers run them on a blocking thread.

use wuliu_load::{LoadConfig, LoadError, LoadPlan, LoadRequest, ShipmentPlan, ShipmentRequest};
use wuliu_match::{CheckReport, MatchError, MatchPlan, MatchRequest};
use wuliu_model::TravelCosts;

use crate::error::AppError;
use crate::limits::*;

fn too_large(
    field: &str,
    what: &str,
    n: impl std::fmt::Display,
    max: impl std::fmt::Display,
) -> AppError {
    AppError::too_large(
        field,
        format!("{what}: {n} asked, at most {max} per request"),
    )
}

/// The cores this machine has, and so the most threads a request may use.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Bounds a matching request: at most [`MAX_MATCH_ITEMS`] loads and vehicles, at most
/// [`MAX_SEARCH_SECONDS`] of search on at most [`MAX_SEARCH_THREADS`] threads (and no more than the
/// machine's cores).
pub fn bound_matching(req: &MatchRequest) -> Result<(), AppError> {
    if req.loads.len() > MAX_MATCH_ITEMS {
        return Err(too_large(
            "loads",
            "loads",
            req.loads.len(),
            MAX_MATCH_ITEMS,
        ));
    }
    if req.vehicles.len() > MAX_MATCH_ITEMS {
        return Err(too_large(
            "vehicles",
            "vehicles",
            req.vehicles.len(),
            MAX_MATCH_ITEMS,
        ));
    }
    let c = &req.config;
    let threads = MAX_SEARCH_THREADS.min(cores());
    if c.search_threads > threads {
        return Err(too_large(
            "config.search_threads",
            "search threads",
            c.search_threads,
            threads,
        ));
    }
    if !(c.search_time_s.is_finite() && c.search_time_s <= MAX_SEARCH_SECONDS) {
        return Err(too_large(
            "config.search_time_s",
            "search seconds",
            c.search_time_s,
            MAX_SEARCH_SECONDS,
        ));
    }
    Ok(())
}

fn match_error(e: MatchError) -> AppError {
    AppError::invalid("matching.invalid_request", "request", e.to_string())
}

/// Matches a batch: bounded, solved, checked.
pub fn matching(
    req: &MatchRequest,
    travel: &dyn TravelCosts,
) -> Result<(MatchPlan, CheckReport), AppError> {
    bound_matching(req)?;
    let plan = wuliu_match::match_batch(req, travel).map_err(match_error)?;
    let report = wuliu_match::check(req, &plan, travel);
    Ok((plan, report))
}

/// Bounds a loading time budget and item count (quantities counted).
fn bound_loading(items: &[wuliu_load::ItemSpec], config: &LoadConfig) -> Result<(), AppError> {
    let n: u64 = items.iter().map(|i| u64::from(i.quantity)).sum();
    if n > MAX_LOAD_ITEMS {
        return Err(too_large(
            "items",
            "items (counting quantities)",
            n,
            MAX_LOAD_ITEMS,
        ));
    }
    if !(config.time_limit_s.is_finite() && config.time_limit_s <= MAX_LOAD_SECONDS) {
        return Err(too_large(
            "time",
            "seconds",
            config.time_limit_s,
            MAX_LOAD_SECONDS,
        ));
    }
    if config.threads.is_some_and(|t| t > cores()) {
        return Err(too_large(
            "threads",
            "threads",
            config.threads.unwrap_or(0),
            cores(),
        ));
    }
    Ok(())
}

fn load_error(e: LoadError) -> AppError {
    match e {
        LoadError::Invalid(v) => AppError::Invalid(v),
        other => AppError::invalid("loading.invalid_request", "request", other.to_string()),
    }
}

/// Bounds a container's inside dimensions to what travels on roads, rails and ships.
fn bound_container(c: &wuliu_load::Container, field: &str) -> Result<(), AppError> {
    let longest = c.length.max(c.width).max(c.height);
    if longest > MAX_CONTAINER_MM {
        return Err(too_large(
            field,
            "container side, mm",
            longest,
            MAX_CONTAINER_MM,
        ));
    }
    Ok(())
}

/// Loads one container: bounded, solved, checked.
pub fn loading(
    req: &LoadRequest,
    config: &LoadConfig,
) -> Result<(LoadPlan, wuliu_load::CheckReport), AppError> {
    bound_loading(&req.items, config)?;
    bound_container(&req.container, "container")?;
    let plan = wuliu_load::solve(req, config).map_err(load_error)?;
    let report = wuliu_load::check(req, &plan);
    Ok((plan, report))
}

/// Spreads a shipment over containers: bounded, solved, each container checked.
pub fn shipment(
    req: &ShipmentRequest,
    config: &LoadConfig,
) -> Result<(ShipmentPlan, Vec<wuliu_load::CheckReport>), AppError> {
    bound_loading(&req.items, config)?;
    for (i, option) in req.containers.iter().enumerate() {
        bound_container(&option.container, &format!("containers[{i}].container"))?;
    }
    let plan = wuliu_load::plan_shipment(req, config).map_err(load_error)?;
    let checks = req.check(&plan);
    Ok((plan, checks))
}

/// Bounds a dispatch problem in VROOM's format: jobs (shipments count twice), vehicles, a given
/// matrix's size, the time budget and the threads.
pub fn bound_dispatch(
    input: &wuliu_dispatch::vroom::Input,
    config: &wuliu_dispatch::SolverConfig,
) -> Result<(), AppError> {
    let jobs = input.jobs.len() + 2 * input.shipments.len();
    if jobs > MAX_DISPATCH_JOBS {
        return Err(too_large(
            "jobs",
            "jobs (shipments count twice)",
            jobs,
            MAX_DISPATCH_JOBS,
        ));
    }
    if input.vehicles.len() > MAX_DISPATCH_VEHICLES {
        return Err(too_large(
            "vehicles",
            "vehicles",
            input.vehicles.len(),
            MAX_DISPATCH_VEHICLES,
        ));
    }
    bound_dispatch_matrices(input)?;
    bound_dispatch_lists(input)?;
    if !(config.time_limit_s.is_finite() && config.time_limit_s <= MAX_DISPATCH_SECONDS) {
        return Err(too_large(
            "time",
            "seconds",
            config.time_limit_s,
            MAX_DISPATCH_SECONDS,
        ));
    }
    if config.threads > cores().max(1) {
        return Err(too_large("threads", "threads", config.threads, cores()));
    }
    Ok(())
}

/// Every matrix side at most twice the most jobs and vehicles.
fn bound_dispatch_matrices(input: &wuliu_dispatch::vroom::Input) -> Result<(), AppError> {
    let max_side = 2 * MAX_DISPATCH_JOBS + 2 * MAX_DISPATCH_VEHICLES;
    let side = input.matrix.as_ref().map_or(0, Vec::len);
    if side > max_side {
        return Err(too_large("matrix", "matrix rows", side, max_side));
    }
    for (profile, m) in &input.matrices {
        for (name, rows) in [
            ("durations", &m.durations),
            ("distances", &m.distances),
            ("costs", &m.costs),
        ] {
            let side = rows.as_ref().map_or(0, Vec::len);
            if side > max_side {
                let field = format!("matrices.{profile}.{name}");
                return Err(too_large(&field, "matrix rows", side, max_side));
            }
        }
    }
    Ok(())
}

/// Breaks per vehicle and time windows per task, which multiply the solver's work.
fn bound_dispatch_lists(input: &wuliu_dispatch::vroom::Input) -> Result<(), AppError> {
    let windows = |field: String, n: usize| {
        if n > MAX_DISPATCH_WINDOWS {
            return Err(too_large(&field, "time windows", n, MAX_DISPATCH_WINDOWS));
        }
        Ok(())
    };
    for (i, v) in input.vehicles.iter().enumerate() {
        let breaks = v.breaks.as_deref().unwrap_or_default();
        if breaks.len() > MAX_DISPATCH_BREAKS {
            let field = format!("vehicles[{i}].breaks");
            return Err(too_large(
                &field,
                "breaks",
                breaks.len(),
                MAX_DISPATCH_BREAKS,
            ));
        }
        for (b, br) in breaks.iter().enumerate() {
            windows(
                format!("vehicles[{i}].breaks[{b}].time_windows"),
                br.time_windows.len(),
            )?;
        }
    }
    for (i, j) in input.jobs.iter().enumerate() {
        windows(
            format!("jobs[{i}].time_windows"),
            j.time_windows.as_ref().map_or(0, Vec::len),
        )?;
    }
    for (i, s) in input.shipments.iter().enumerate() {
        for (name, step) in [("pickup", &s.pickup), ("delivery", &s.delivery)] {
            let n = step.time_windows.as_ref().map_or(0, Vec::len);
            windows(format!("shipments[{i}].{name}.time_windows"), n)?;
        }
    }
    Ok(())
}

/// Bounds a table request: at most [`MAX_TABLE_COORDINATES`] sources and as many targets.
pub fn bound_table(sources: usize, targets: usize) -> Result<(), AppError> {
    if sources > MAX_TABLE_COORDINATES || targets > MAX_TABLE_COORDINATES {
        return Err(too_large(
            "coordinates",
            "table coordinates",
            sources.max(targets),
            MAX_TABLE_COORDINATES,
        ));
    }
    Ok(())
}

/// Bounds a route request: at most [`MAX_ROUTE_COORDINATES`] points.
pub fn bound_route(points: usize) -> Result<(), AppError> {
    if points > MAX_ROUTE_COORDINATES {
        return Err(too_large(
            "points",
            "route points",
            points,
            MAX_ROUTE_COORDINATES,
        ));
    }
    Ok(())
}
