//! Re-planning over the stored records (issue 28): when roads close or requests arrive after a
//! plan is in force, the `wuliu-emergency` engine's [`replan`](wuliu_emergency::replan::replan)
//! changes only what must change, and says for every trip and every request what changed and why.
//!
//! The plan in force is the answer of `POST /api/v1/emergency/plan` the caller got: it posts back
//! its `at`, `allocation` and `routes` as `in_force` (the whole answer may be sent, other fields
//! are ignored). [`read`] checks the input, then reads the problem as it stood when that plan was
//! made ([`plan::snapshot`] at `in_force.at`):
//!
//! - **stock** is on hand now less the reservation holds live at the plan's time, expired lots
//!   left out. Plans do not reserve stock yet, so nothing ties a later issue to a trip of the plan:
//!   stock issued since the plan is not added back, while the engine also takes the loads of the
//!   trips it keeps out of stock. A re-plan may therefore count less stock than there is, never
//!   more;
//! - **vehicles** are those with a green-channel pass valid at the plan's time; a vehicle the plan
//!   uses that is no longer `available` now (it is on the road with the plan) stays in, based at
//!   the stockpile of its first trip;
//! - **requests** are those triaged now, new ones included, with deadlines counted from the plan's
//!   time. A request the plan serves that has moved along since (`allocated`, `in_transit`) stays
//!   in; one that is final now (`delivered`, `cancelled`, `rejected`) is taken out of the plan in
//!   force (its flows and stops dropped) and listed in `left_out`.
//!
//! [`solve`] fills the travel table as it is now ([`Snapshot::fill_travel`]: the road network with
//! the live closures in force, or straight lines that may not enter the given `closed_areas` nor
//! the stored polygon closures) and re-plans `elapsed_s` = now − `in_force.at` seconds after the
//! plan. Synchronous (HiGHS runs there): call it from a blocking thread.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_emergency::replan::{PlanInForce, ReplanOptions};
use wuliu_emergency::{Allocation, RoutePlan};
use wuliu_model::TravelCosts;
use wuliu_store::{Kind, Repository};

use super::fleet::GreenPass;
use super::plan::{self, Snapshot, MAX_PLAN_RECORDS};
use super::requests::{ReliefRequest, Status};
use super::{authorise_manage, list_capped, parse, text_eq, typed};
use crate::caller::Caller;
use crate::error::AppError;

/// The longest a re-plan's solvers may run in all, seconds (0.6 of it for the allocation, 0.3 for
/// the routes).
pub const MAX_REPLAN_SECONDS: f64 = 30.0;
/// The oldest plan in force that may be re-planned, days.
pub const MAX_PLAN_AGE_DAYS: i64 = 7;
/// How far `in_force.at` may be ahead of the server's clock (clock skew), seconds.
pub const CLOCK_SKEW_S: i64 = 5;

/// What the caller sends to re-plan.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplanInput {
    /// The plan in force: the answer of `POST /api/v1/emergency/plan` (other fields ignored).
    pub in_force: InForce,
    /// Closed areas in force now (flood polygons, rings of `[lon, lat]`) that straight-line legs
    /// may not enter; on a road network its live closures apply instead.
    #[serde(default)]
    pub closed_areas: Vec<Vec<[f64; 2]>>,
    /// Keep trips not yet departed whose legs are all open (default `true`); `false` plans all of
    /// them again.
    #[serde(default = "yes")]
    pub keep_pending: bool,
    /// Seconds the solvers may run in all (default 8, at most [`MAX_REPLAN_SECONDS`]).
    #[serde(default)]
    pub time_limit_s: Option<f64>,
}

fn yes() -> bool {
    true
}

/// The plan in force, as `POST /api/v1/emergency/plan` answered it.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
pub struct InForce {
    /// When it was made (its `at`).
    pub at: DateTime<Utc>,
    /// Its allocation.
    #[schemars(with = "Value")]
    pub allocation: Allocation,
    /// Its routes (`null` when it was made without).
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub routes: Option<RoutePlan>,
}

/// Reads a re-plan request body; a field of the wrong shape is a 400 naming it (`in_force.at`).
pub fn parse_input(body: Value) -> Result<ReplanInput, AppError> {
    parse("emergency.replan", body)
}

/// What a re-plan solves: the problem as at the plan in force, and that plan.
#[derive(Debug, Clone)]
pub struct ReplanSnapshot {
    /// When the re-plan is made.
    pub now: DateTime<Utc>,
    /// Seconds since the plan in force was made.
    pub elapsed_s: u64,
    /// The records as at the plan in force (`at` is `in_force.at`; travel table still empty).
    pub snapshot: Snapshot,
    /// The plan in force, with the requests final since taken out.
    pub in_force: PlanInForce,
    /// The engine's options from the input.
    pub options: ReplanOptions,
    /// The closed areas given (checked).
    pub closed_areas: Vec<Vec<[f64; 2]>>,
}

/// Checks `input` at `now`, then reads what the re-plan needs in the caller's region (admins and
/// regulators only).
pub async fn read(
    repo: &dyn Repository,
    caller: &Caller,
    input: &ReplanInput,
    now: DateTime<Utc>,
) -> Result<ReplanSnapshot, AppError> {
    authorise_manage(caller, "re-plan emergency allocation")?;
    let elapsed_s = check(input, now)?;
    let options = options(input)?;
    let at = input.in_force.at;
    let mut snapshot = plan::snapshot(repo, caller, at).await?;
    let mut in_force = PlanInForce {
        allocation: input.in_force.allocation.clone(),
        routes: input.in_force.routes.clone().unwrap_or_default(),
    };
    restore_requests(repo, caller, &mut snapshot, &mut in_force).await?;
    restore_vehicles(repo, caller, &mut snapshot, &in_force).await?;
    Ok(ReplanSnapshot {
        now,
        elapsed_s,
        snapshot,
        in_force,
        options,
        closed_areas: input.closed_areas.clone(),
    })
}

/// The bounds of a re-plan request; answers the seconds elapsed since the plan in force.
fn check(input: &ReplanInput, now: DateTime<Utc>) -> Result<u64, AppError> {
    let bad = |field: &str, message: String| AppError::bad("emergency.replan", field, message);
    let at = input.in_force.at;
    if at > now + Duration::seconds(CLOCK_SKEW_S) {
        return Err(bad(
            "in_force.at",
            format!("{at} is in the future (now {now}): not the time of a plan made"),
        ));
    }
    if now - at > Duration::days(MAX_PLAN_AGE_DAYS) {
        return Err(bad(
            "in_force.at",
            format!("{at} is more than {MAX_PLAN_AGE_DAYS} days ago: make a new plan"),
        ));
    }
    let routes = input.in_force.routes.as_ref();
    let stops: usize = routes.map_or(0, |r| r.routes.iter().map(|t| t.stops.len()).sum());
    let counts = [
        (
            "in_force.routes.routes",
            routes.map_or(0, |r| r.routes.len()),
        ),
        ("in_force.routes", stops),
        (
            "in_force.allocation.flows",
            input.in_force.allocation.flows.len(),
        ),
        (
            "in_force.allocation.unmet",
            input.in_force.allocation.unmet.len(),
        ),
    ];
    for (field, n) in counts {
        if n > MAX_PLAN_RECORDS {
            return Err(AppError::too_large(
                field,
                format!("{n} entries, at most {MAX_PLAN_RECORDS}"),
            ));
        }
    }
    plan::check_closed_areas(&input.closed_areas)?;
    Ok((now - at).num_seconds().max(0) as u64)
}

/// The engine's options: `time_limit_s` split 0.6 / 0.3 between allocation and routes.
fn options(input: &ReplanInput) -> Result<ReplanOptions, AppError> {
    let mut options = ReplanOptions {
        keep_pending: input.keep_pending,
        ..ReplanOptions::default()
    };
    if let Some(t) = input.time_limit_s {
        if !(t.is_finite() && t > 0.0 && t <= MAX_REPLAN_SECONDS) {
            return Err(AppError::too_large(
                "time_limit_s",
                format!("{t} s asked, between 0 and {MAX_REPLAN_SECONDS} s allowed"),
            ));
        }
        options.allocate.time_limit_s = 0.6 * t;
        options.routes.time_limit_s = 0.3 * t;
    }
    Ok(options)
}

/// Every request id the plan in force names.
fn named_requests(p: &PlanInForce) -> BTreeSet<String> {
    let a = &p.allocation;
    a.flows
        .iter()
        .map(|f| &f.request)
        .chain(a.unmet.iter().map(|u| &u.request))
        .chain(
            p.routes
                .routes
                .iter()
                .flat_map(|t| t.stops.iter().map(|s| &s.request)),
        )
        .cloned()
        .collect()
}

/// Requests the plan in force names that are no longer triaged: those moving along stay in the
/// problem, final ones are taken out of the plan (and listed in `left_out`). Unknown ones are
/// left for the engine to name.
async fn restore_requests(
    repo: &dyn Repository,
    caller: &Caller,
    snap: &mut Snapshot,
    in_force: &mut PlanInForce,
) -> Result<(), AppError> {
    let known: BTreeSet<String> = snap.problem.requests.iter().map(|r| r.id.clone()).collect();
    let mut gone = BTreeSet::new();
    for id in named_requests(in_force).difference(&known) {
        let Some(rec) = repo.get(Kind::ReliefRequest, id).await? else {
            continue;
        };
        if rec.region != caller.region {
            continue;
        }
        let r: ReliefRequest = typed(&rec)?;
        match r.status {
            Status::Allocated | Status::InTransit => snap
                .problem
                .requests
                .push(plan::engine_request(&rec, r, snap.at)),
            Status::Delivered | Status::Cancelled | Status::Rejected => {
                let reason = format!("{} since the plan", r.status.name());
                snap.left_out.push(json!({"request": id, "reason": reason}));
                gone.insert(id.clone());
            }
            Status::Submitted | Status::Triaged => {}
        }
    }
    drop_requests(in_force, &gone);
    Ok(())
}

/// The plan in force without the flows, unmet lines and stops of `gone` requests.
fn drop_requests(p: &mut PlanInForce, gone: &BTreeSet<String>) {
    if gone.is_empty() {
        return;
    }
    p.allocation.flows.retain(|f| !gone.contains(&f.request));
    p.allocation.unmet.retain(|u| !gone.contains(&u.request));
    p.allocation
        .truckloads
        .retain(|t| !gone.contains(&t.request));
    for trip in &mut p.routes.routes {
        trip.stops.retain(|s| !gone.contains(&s.request));
    }
    p.routes.etas.retain(|e| !gone.contains(&e.request));
    p.routes.unrouted.retain(|u| !gone.contains(&u.request));
}

/// Vehicles the plan in force uses that the snapshot left out because they are not `available`
/// now: back in when they are the region's, with a capacity and a pass valid at the plan's time,
/// based at the stockpile of their first trip. Unknown ones are left for the engine to name.
async fn restore_vehicles(
    repo: &dyn Repository,
    caller: &Caller,
    snap: &mut Snapshot,
    in_force: &PlanInForce,
) -> Result<(), AppError> {
    let known: BTreeSet<&str> = snap
        .problem
        .vehicles
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    let mut first: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for t in &in_force.routes.routes {
        let e = first
            .entry(t.vehicle.as_str())
            .or_insert((t.wave, &t.stockpile));
        if t.wave < e.0 {
            *e = (t.wave, &t.stockpile);
        }
    }
    let mut back = Vec::new();
    for (id, (_, pile)) in first.into_iter().filter(|(id, _)| !known.contains(id)) {
        let Some(veh) = repo.get(Kind::Vehicle, id).await? else {
            continue;
        };
        let (kg, m3) = (
            veh.body["rated_load"].as_f64(),
            veh.body["cargo_volume"].as_f64(),
        );
        let (Some(kg), Some(m3)) = (kg.filter(|x| *x > 0.0), m3.filter(|x| *x > 0.0)) else {
            continue;
        };
        if veh.region != caller.region || !pass_valid(repo, caller, id, snap.at).await? {
            continue;
        }
        back.push(wuliu_emergency::Vehicle {
            id: id.to_string(),
            stockpile: pile.to_string(),
            capacity_kg: kg,
            capacity_m3: m3,
            green_pass: true,
            available_from_s: 0,
        });
    }
    let ids: BTreeSet<String> = back.iter().map(|v| v.id.clone()).collect();
    snap.left_out
        .retain(|l| !l["vehicle"].as_str().is_some_and(|v| ids.contains(v)));
    snap.problem.vehicles.extend(back);
    Ok(())
}

/// Whether vehicle `id` has a green-channel pass of the caller's region valid at `at`.
async fn pass_valid(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let filter = vec![text_eq("vehicle_id", id)];
    let region = Some(caller.region.as_str());
    let (passes, _) = list_capped(repo, Kind::GreenPass, region, None, filter, 100).await?;
    for rec in passes {
        if typed::<GreenPass>(&rec)?.valid_at(at) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Fills the travel table as it is now and re-plans (see the module docs). Synchronous: call it
/// from a blocking thread. The answer: `at` (now), `plan_at`, `elapsed_s`, `kept`, `allocation`,
/// `routes`, `trips`, `changes`, `solve_ms`, `travel_costs`, `left_out` and `counts`.
pub fn solve(mut r: ReplanSnapshot, travel: &dyn TravelCosts) -> Result<Value, AppError> {
    r.snapshot.fill_travel(travel, &r.closed_areas)?;
    let problem = &mut r.snapshot.problem;
    let out = wuliu_emergency::replan::replan(problem, &r.in_force, r.elapsed_s, &r.options)
        .map_err(engine_error)?;
    let named = named_requests(&r.in_force);
    let changed = out.trips.iter().filter(|t| t.reason.is_some()).count();
    let counts = json!({
        "items": problem.items.len(),
        "stockpiles": problem.stockpiles.len(),
        "requests": problem.requests.len(),
        "new_requests": problem.requests.iter().filter(|q| !named.contains(&q.id)).count(),
        "vehicles": problem.vehicles.len(),
        "trips_in_force": r.in_force.routes.routes.len(),
        "trips_changed": changed,
    });
    let mut answer = serde_json::to_value(&out)
        .map_err(|e| AppError::Internal(format!("re-plan not serialisable: {e}")))?;
    answer["at"] = json!(r.now);
    answer["plan_at"] = json!(r.snapshot.at);
    answer["travel_costs"] =
        json!({"source": travel.label(), "road_network": travel.is_road_network()});
    answer["left_out"] = json!(r.snapshot.left_out);
    answer["counts"] = counts;
    Ok(answer)
}

/// The engine's error as an answer: a plan in force naming what does not exist is a 400 naming
/// its path (`in_force.routes.routes[3]`), anything else a 422 on the problem.
fn engine_error(e: wuliu_emergency::Error) -> AppError {
    if let wuliu_emergency::Error::Invalid(list) = &e {
        let path = list.iter().find_map(|i| {
            let text = i.to_string();
            let path = text.split(": ").next()?;
            path.starts_with("in_force").then(|| path.to_string())
        });
        if let Some(path) = path {
            return AppError::bad("emergency.replan", path, e.to_string());
        }
    }
    AppError::invalid("emergency.replan", "problem", e.to_string())
}
