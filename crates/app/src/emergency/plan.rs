//! Allocation over the stored records (issue 28, part 4): which stockpile sends what to which
//! request, computed by the `wuliu-emergency` engine from what the platform holds now.
//!
//! [`snapshot`] reads the catalogue, the stock available now (on hand less live holds, expired
//! lots left out), the requests the office has triaged and the vehicles with a pass valid now,
//! and turns them into the engine's [`Problem`]. [`fill_travel`] fills its travel table from the
//! platform's travel costs: the road network with the live closures in force when one is loaded,
//! else straight lines. Straight lines know no roads, so a leg whose line enters a closed area
//! given with the plan (a flood polygon), or a polygon closure stored as a road change
//! ([`stored_closed_areas`], kept without a network too), is taken as cut
//! ([`Snapshot::fill_travel`]). [`solve`] runs the exact allocation and the greedy baseline on
//! the same problem and answers both, with the optimality gap.
//!
//! A vehicle is based at the stockpile its pass stations it at (`stockpile_id`), else at the
//! stockpile nearest its `home_base` (the first stockpile when it has none): the fleet loads
//! where the office stationed it, or where its carrier keeps it.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_emergency::geometry::segment_enters;
use wuliu_emergency::{AllocateOptions, Holder, Item, Leg, Lot, Problem, Request, RequestLine};
use wuliu_model::{GeoPoint, TravelCosts};
use wuliu_road::{ChangeEffect, ChangeTarget};
use wuliu_store::{Kind, Record, Repository};

use super::fleet::GreenPass;
use super::requests::{ReliefRequest, Status};
use super::stock::{Lot as StoredLot, ReserveKind, Stockpile};
use super::{authorise_manage, list_capped, typed};
use crate::caller::Caller;
use crate::error::AppError;

/// The most records of one kind a plan reads.
pub const MAX_PLAN_RECORDS: usize = 20_000;
/// The longest a plan's solver may run, seconds.
pub const MAX_PLAN_SECONDS: f64 = 60.0;
/// The most closed areas (and vertices of one) a plan may be given.
pub const MAX_CLOSED_AREAS: usize = 200;
/// The most vertices of one closed area.
pub const MAX_AREA_POINTS: usize = 2_000;

/// What the caller may set on a plan.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// Seconds the exact solver may run (default 20, at most [`MAX_PLAN_SECONDS`]).
    #[serde(default)]
    pub time_limit_s: Option<f64>,
    /// Delivery routes with ETAs for the exact allocation, from the dispatch engine (default
    /// `true`; they take up to [`ROUTE_SECONDS`] more).
    #[serde(default = "yes")]
    pub routes: bool,
    /// Closed areas (flood polygons, rings of `[lon, lat]`) that straight-line legs may not enter.
    #[serde(default)]
    pub closed_areas: Vec<Vec<[f64; 2]>>,
}

fn yes() -> bool {
    true
}

/// Seconds the dispatch engine may spend on a plan's delivery routes.
pub const ROUTE_SECONDS: f64 = 8.0;

/// The engine's problem built from the records, with the record IDs behind its indices.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// When it was read.
    pub at: DateTime<Utc>,
    /// The engine input (travel table still empty: see [`fill_travel`]).
    pub problem: Problem,
    /// Records left out and why (a lot with nothing available, a vehicle without capacity…).
    pub left_out: Vec<Value>,
    /// The polygons of the stored road closures in force when read ([`stored_closed_areas`]):
    /// [`Snapshot::fill_travel`] cuts straight-line legs entering them, with or without a network.
    pub closed_in_force: Vec<Vec<[f64; 2]>>,
}

/// Reads what a plan needs in the caller's region (admins and regulators only).
pub async fn snapshot(
    repo: &dyn Repository,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Snapshot, AppError> {
    authorise_manage(caller, "plan emergency allocation")?;
    let mut left_out = Vec::new();
    let region = caller.region.as_str();
    let items = read_items(repo, region).await?;
    let stockpiles = read_stockpiles(repo, region, at, &mut left_out).await?;
    let requests = read_requests(repo, region, at).await?;
    let vehicles = read_vehicles(repo, region, &stockpiles, at, &mut left_out).await?;
    let closed_in_force = stored_closed_areas(repo).await?;
    let problem = Problem {
        items,
        stockpiles,
        requests,
        vehicles,
        green_pass_required: true,
        ..Problem::default()
    };
    Ok(Snapshot {
        at,
        problem,
        left_out,
        closed_in_force,
    })
}

/// The rings of the stored road changes that close a polygon (flood or closed areas set through
/// [`crate::road_changes`]), whether or not a road network is loaded. Stored changes the engine
/// cannot read are left out (the network's sync reports them).
pub async fn stored_closed_areas(repo: &dyn Repository) -> Result<Vec<Vec<[f64; 2]>>, AppError> {
    let (_, rows) = repo.road_changes().await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| serde_json::from_value::<wuliu_road::RoadChange>(r.change).ok())
        .filter_map(|c| match (c.target, c.effect) {
            (ChangeTarget::Polygon(ring), ChangeEffect::Closed) if ring.len() >= 3 => Some(ring),
            _ => None,
        })
        .collect())
}

impl Snapshot {
    /// [`fill_travel`] with the closed areas `given` with the request (checked) and the stored
    /// closures in force ([`Snapshot::closed_in_force`]): on straight lines a leg entering
    /// either is cut; on a road network the closures already apply.
    pub fn fill_travel(
        &mut self,
        travel: &dyn TravelCosts,
        given: &[Vec<[f64; 2]>],
    ) -> Result<(), AppError> {
        check_closed_areas(given)?;
        let mut areas = self.closed_in_force.clone();
        areas.extend_from_slice(given);
        fill_unchecked(&mut self.problem, travel, &areas)
    }
}

async fn all(
    repo: &dyn Repository,
    region: &str,
    kind: Kind,
) -> Result<Vec<wuliu_store::Record>, AppError> {
    let (records, more) =
        list_capped(repo, kind, Some(region), None, vec![], MAX_PLAN_RECORDS).await?;
    if more {
        return Err(AppError::too_large(
            kind.table(),
            format!("more than {MAX_PLAN_RECORDS} records: too many for one plan"),
        ));
    }
    Ok(records)
}

async fn read_items(repo: &dyn Repository, region: &str) -> Result<Vec<Item>, AppError> {
    let mut items = Vec::new();
    for rec in all(repo, region, Kind::EmergencyItem).await? {
        let item: super::catalogue::Item = typed(&rec)?;
        items.push(Item {
            id: rec.id.clone(),
            name: item.name,
            unit: item.unit,
            unit_weight_kg: item.unit_weight_kg,
            unit_volume_m3: item.unit_volume_m3,
            shelf_life_days: item.shelf_life_days,
        });
    }
    Ok(items)
}

async fn read_stockpiles(
    repo: &dyn Repository,
    region: &str,
    at: DateTime<Utc>,
    left_out: &mut Vec<Value>,
) -> Result<Vec<wuliu_emergency::Stockpile>, AppError> {
    let mut piles = Vec::new();
    let mut index = std::collections::HashMap::new();
    for rec in all(repo, region, Kind::Stockpile).await? {
        let s: Stockpile = typed(&rec)?;
        let holder = match s.kind {
            ReserveKind::Government => Holder::Government,
            ReserveKind::Agreement => Holder::Agreement {
                enterprise: s.holder_party_id.unwrap_or_default(),
            },
        };
        index.insert(rec.id.clone(), piles.len());
        piles.push(wuliu_emergency::Stockpile {
            id: rec.id.clone(),
            name: s.name,
            lon: s.location.lon,
            lat: s.location.lat,
            holder,
            lots: vec![],
        });
    }
    let today = super::today();
    for rec in all(repo, region, Kind::StockLot).await? {
        let lot: StoredLot = typed(&rec)?;
        let available = lot.available(at);
        let expired = lot.expired(today);
        let Some(&p) = index.get(&lot.stockpile_id) else {
            continue;
        };
        if available <= 0 || expired {
            let why = if expired {
                "expired"
            } else {
                "nothing available"
            };
            left_out.push(json!({"lot": rec.id, "reason": why}));
            continue;
        }
        let expires_day = lot
            .expiry_date
            .map(|d| ((d - today).num_days() + 1).clamp(0, u32::MAX as i64) as u32);
        piles[p].lots.push(Lot {
            item: lot.item_id,
            quantity: available as u64,
            expires_day,
        });
    }
    Ok(piles)
}

/// A stored request as the engine's: lines of the same item merged, the deadline counted from
/// `at`.
pub(crate) fn engine_request(rec: &Record, r: ReliefRequest, at: DateTime<Utc>) -> Request {
    let mut lines: Vec<RequestLine> = Vec::new();
    for l in r.lines {
        match lines.iter_mut().find(|x| x.item == l.item_id) {
            Some(x) => x.quantity += l.quantity.max(0) as u64,
            None => lines.push(RequestLine {
                item: l.item_id,
                quantity: l.quantity.max(0) as u64,
            }),
        }
    }
    Request {
        id: rec.id.clone(),
        name: r.demand_point.name,
        lon: r.demand_point.location.lon,
        lat: r.demand_point.location.lat,
        priority: r.priority.clamp(1, 4) as u8,
        deadline_s: (r.deadline - at).num_seconds().max(0) as u64,
        lines,
    }
}

async fn read_requests(
    repo: &dyn Repository,
    region: &str,
    at: DateTime<Utc>,
) -> Result<Vec<Request>, AppError> {
    let mut out = Vec::new();
    for rec in all(repo, region, Kind::ReliefRequest).await? {
        let r: ReliefRequest = typed(&rec)?;
        if r.status != Status::Triaged {
            continue;
        }
        out.push(engine_request(&rec, r, at));
    }
    Ok(out)
}

async fn read_vehicles(
    repo: &dyn Repository,
    region: &str,
    piles: &[wuliu_emergency::Stockpile],
    at: DateTime<Utc>,
    left_out: &mut Vec<Value>,
) -> Result<Vec<wuliu_emergency::Vehicle>, AppError> {
    // Vehicle → (valid until, stationed at) of its pass valid longest, as the fleet lists it.
    let mut valid = std::collections::BTreeMap::new();
    for rec in all(repo, region, Kind::GreenPass).await? {
        let pass: GreenPass = typed(&rec)?;
        let longer = valid
            .get(&pass.vehicle_id)
            .is_none_or(|(to, _)| *to < pass.valid_to);
        if pass.valid_at(at) && longer {
            valid.insert(pass.vehicle_id, (pass.valid_to, pass.stockpile_id));
        }
    }
    let mut out = Vec::new();
    let Some(first) = piles.first() else {
        return Ok(out);
    };
    for (id, (_, stationed)) in valid {
        let Some(veh) = repo.get(Kind::Vehicle, &id).await? else {
            continue;
        };
        if veh.status.as_deref().unwrap_or("available") != "available" {
            left_out.push(json!({"vehicle": id, "reason": "not available"}));
            continue;
        }
        let (kg, m3) = (
            veh.body["rated_load"].as_f64(),
            veh.body["cargo_volume"].as_f64(),
        );
        let (Some(kg), Some(m3)) = (kg.filter(|x| *x > 0.0), m3.filter(|x| *x > 0.0)) else {
            left_out.push(json!({"vehicle": id, "reason": "no rated load or cargo volume"}));
            continue;
        };
        let base = serde_json::from_value::<GeoPoint>(veh.body["home_base"].clone()).ok();
        let station = piles.iter().find(|p| Some(&p.id) == stationed.as_ref());
        let home = station.unwrap_or_else(|| base.map_or(first, |b| nearest(piles, b)));
        out.push(wuliu_emergency::Vehicle {
            id,
            stockpile: home.id.clone(),
            capacity_kg: kg,
            capacity_m3: m3,
            green_pass: true,
            available_from_s: 0,
        });
    }
    Ok(out)
}

fn nearest(piles: &[wuliu_emergency::Stockpile], p: GeoPoint) -> &wuliu_emergency::Stockpile {
    let d = |s: &wuliu_emergency::Stockpile| (s.lon - p.lon).powi(2) + (s.lat - p.lat).powi(2);
    piles
        .iter()
        .min_by(|a, b| d(a).total_cmp(&d(b)))
        .expect("caller checked piles is not empty")
}

/// Checks the closed areas a plan is given: bounded, closed rings of valid coordinates.
pub fn check_closed_areas(areas: &[Vec<[f64; 2]>]) -> Result<(), AppError> {
    if areas.len() > MAX_CLOSED_AREAS {
        return Err(AppError::too_large(
            "closed_areas",
            format!("{} areas, at most {MAX_CLOSED_AREAS}", areas.len()),
        ));
    }
    for (i, ring) in areas.iter().enumerate() {
        let field = format!("closed_areas[{i}]");
        if ring.len() > MAX_AREA_POINTS {
            return Err(AppError::too_large(
                field,
                format!("{} points, at most {MAX_AREA_POINTS}", ring.len()),
            ));
        }
        if ring.len() < 3 {
            return Err(AppError::bad(
                "emergency.plan",
                field,
                "needs 3 points or more",
            ));
        }
        if let Some(j) = ring
            .iter()
            .position(|p| GeoPoint::new(p[1], p[0]).is_none())
        {
            return Err(AppError::bad(
                "emergency.plan",
                format!("{field}[{j}]"),
                "not a [lon, lat] point on the globe",
            ));
        }
    }
    Ok(())
}

/// Fills the travel table: stockpiles to requests and requests to requests from `travel`. On a
/// road network the closures in force already apply; on straight lines (`is_road_network()` is
/// false) a leg entering a closed area is cut. The areas are checked first
/// ([`check_closed_areas`]).
pub fn fill_travel(
    problem: &mut Problem,
    travel: &dyn TravelCosts,
    closed: &[Vec<[f64; 2]>],
) -> Result<(), AppError> {
    check_closed_areas(closed)?;
    fill_unchecked(problem, travel, closed)
}

/// [`fill_travel`] without the bounds check (the stored closures were checked when stored).
fn fill_unchecked(
    problem: &mut Problem,
    travel: &dyn TravelCosts,
    closed: &[Vec<[f64; 2]>],
) -> Result<(), AppError> {
    let point = |lon: f64, lat: f64| GeoPoint { lat, lon };
    let piles: Vec<GeoPoint> = problem
        .stockpiles
        .iter()
        .map(|s| point(s.lon, s.lat))
        .collect();
    let reqs: Vec<GeoPoint> = problem
        .requests
        .iter()
        .map(|r| point(r.lon, r.lat))
        .collect();
    let cut = |a: GeoPoint, b: GeoPoint| {
        !travel.is_road_network()
            && closed
                .iter()
                .any(|ring| segment_enters(ring, [a.lon, a.lat], [b.lon, b.lat]))
    };
    problem.travel.from_stockpile = legs(travel, &piles, &reqs, cut)?;
    problem.travel.between_requests = legs(travel, &reqs, &reqs, cut)?;
    Ok(())
}

/// The engine's travel table from every point of `from` to every point of `to`, from `travel`;
/// `None` where the costs know no way, or where `cut(from, to)` says the leg is closed.
pub(crate) fn legs(
    travel: &dyn TravelCosts,
    from: &[GeoPoint],
    to: &[GeoPoint],
    cut: impl Fn(GeoPoint, GeoPoint) -> bool,
) -> Result<Vec<Vec<Option<Leg>>>, AppError> {
    if from.is_empty() || to.is_empty() {
        return Ok(vec![vec![]; from.len()]);
    }
    let m = travel.matrix(from, to).map_err(|e| {
        AppError::invalid("emergency.travel", "travel", format!("travel costs: {e}"))
    })?;
    let leg = |i: usize, j: usize| {
        let leg = m.get(i, j).filter(|_| !cut(from[i], to[j]))?;
        Some(Leg {
            seconds: leg.duration.0.round().clamp(0.0, u32::MAX as f64) as u32,
            metres: leg.distance.0.round().clamp(0.0, u32::MAX as f64) as u32,
        })
    };
    Ok((0..from.len())
        .map(|i| (0..to.len()).map(|j| leg(i, j)).collect())
        .collect())
}

/// Solves a filled snapshot: the exact allocation and the greedy baseline, side by side, and the
/// exact allocation's delivery routes with ETAs (unless `input.routes` is false).
/// Synchronous (HiGHS runs here): call it from a blocking thread.
pub fn solve(snapshot: &Snapshot, input: &PlanInput) -> Result<Value, AppError> {
    let limit = input.time_limit_s.unwrap_or(20.0);
    if !(limit.is_finite() && limit > 0.0 && limit <= MAX_PLAN_SECONDS) {
        return Err(AppError::too_large(
            "time_limit_s",
            format!("{limit} s asked, between 0 and {MAX_PLAN_SECONDS} s allowed"),
        ));
    }
    let engine =
        |e: wuliu_emergency::Error| AppError::invalid("emergency.plan", "problem", e.to_string());
    let options = AllocateOptions {
        time_limit_s: limit,
        ..AllocateOptions::default()
    };
    let exact = wuliu_emergency::allocate(&snapshot.problem, &options).map_err(engine)?;
    let baseline = wuliu_emergency::greedy(&snapshot.problem).map_err(engine)?;
    let routes = if input.routes {
        let options = wuliu_emergency::RouteOptions {
            time_limit_s: ROUTE_SECONDS,
            ..Default::default()
        };
        Some(wuliu_emergency::plan_routes(&snapshot.problem, &exact, &options).map_err(engine)?)
    } else {
        None
    };
    Ok(json!({
        "at": snapshot.at,
        "counts": {
            "items": snapshot.problem.items.len(),
            "stockpiles": snapshot.problem.stockpiles.len(),
            "requests": snapshot.problem.requests.len(),
            "vehicles": snapshot.problem.vehicles.len(),
        },
        "allocation": exact,
        "routes": routes,
        "greedy_baseline": baseline,
        "left_out": snapshot.left_out,
    }))
}
