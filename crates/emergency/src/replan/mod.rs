//! Re-planning (重新调配) when roads close or requests arrive after a plan is in force.
//!
//! The caller gives the problem as it stood when the plan in force was made, with two kinds of
//! change applied: new requests added, and the travel table as it is now (legs cut by closures are
//! `None`, longer detours longer). With the plan in force and the seconds since it was made, the
//! re-plan changes only what must change:
//!
//! 1. **Trips done** (every stop reached) stay as they were.
//! 2. **Trucks on the road** keep their route while every leg still ahead is open, with arrival
//!    times moved by the new leg times. Where a leg ahead is closed the truck delivers up to it, then
//!    turns back: the goods still on board return to stock when the way back is open, and are
//!    reported stranded (with the truck) when it is not.
//! 3. **Trips not yet departed** are kept when every leg is open and no earlier trip of the same
//!    truck changed; otherwise they are released, and their loads planned again. With
//!    [`ReplanOptions::keep_pending`] off, all of them are released (only the trucks on the road are
//!    kept).
//! 4. **What is left** — demand not covered by kept trips, new requests, stock not on a kept truck,
//!    trucks from the moment their kept trips end — is allocated by the exact model and routed.
//!
//! The answer lists the fate of every trip of the plan in force ([`TripChange`]) and, for every
//! request whose delivery changed, by how much and why ([`RequestChange`]).
//!
//! Quantities: routes carry kilograms, the allocation units. A trip that keeps a share of a
//! stockpile→request load commits that share of each item's units, rounded *down* for the demand it
//! covers and *up* for the stock it takes, so a re-plan never counts stock it may not have nor
//! demand as covered that may not be.

use serde::{Deserialize, Serialize};

mod diff;
mod fates;
mod residual;

use crate::allocate::{allocate, AllocateOptions, Allocation};
use crate::error::Error;
use crate::prepare::Prepared;
use crate::routes::{plan_routes, RouteOptions, RoutePlan, TruckRoute};

/// The plan in force: the allocation and the routes made for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInForce {
    /// Its allocation.
    pub allocation: Allocation,
    /// Its routes (times in seconds from when it was made).
    pub routes: RoutePlan,
}

/// Re-planning options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplanOptions {
    /// Bounds of the exact allocation of what is left.
    pub allocate: AllocateOptions,
    /// Bounds of the routing of what is left.
    pub routes: RouteOptions,
    /// Keep trips not yet departed whose legs are all open (default `true`).
    pub keep_pending: bool,
}

impl Default for ReplanOptions {
    fn default() -> Self {
        ReplanOptions {
            allocate: AllocateOptions {
                time_limit_s: 5.0,
                ..AllocateOptions::default()
            },
            routes: RouteOptions {
                time_limit_s: 3.0,
                ..RouteOptions::default()
            },
            keep_pending: true,
        }
    }
}

/// Why a trip changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A leg of the trip is closed now (`from`/`to` are stockpile or request ids).
    LegClosed {
        /// Where the leg starts.
        from: String,
        /// Where it ends.
        to: String,
    },
    /// An earlier trip of the same truck changed, so its later trips are planned again.
    EarlierTripChanged,
    /// Trips not yet departed are all planned again ([`ReplanOptions::keep_pending`] off).
    Released,
}

/// What became of one trip of the plan in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum Fate {
    /// Every stop was reached before the re-plan.
    Done,
    /// On the road, every leg ahead open: kept.
    OnRoadKept,
    /// On the road with a closed leg ahead: delivers to `delivered` stops, then turns back.
    OnRoadCut {
        /// Stops still reached (those before the closed leg, reached or not yet).
        delivered: usize,
        /// Request ids of the stops dropped.
        dropped: Vec<String>,
        /// Whether the truck can get back: if not, it and its load are stranded.
        stranded: bool,
    },
    /// Not yet departed, kept.
    PendingKept,
    /// Not yet departed, planned again.
    PendingReleased,
}

/// One trip of the plan in force and its fate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripChange {
    /// Vehicle id.
    pub vehicle: String,
    /// Stockpile id.
    pub stockpile: String,
    /// Trip number of the vehicle in the plan in force.
    pub wave: usize,
    /// What became of it.
    #[serde(flatten)]
    pub fate: Fate,
    /// Why, for a trip that changed.
    pub reason: Option<Reason>,
}

/// Why a request's delivery changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    /// It was not in the plan in force.
    NewRequest,
    /// A trip to it was cut or released (the trip's vehicle and reason).
    TripChanged {
        /// Vehicle id.
        vehicle: String,
        /// Why the trip changed.
        reason: Reason,
    },
    /// Less is delivered and none of its trips changed: stock or trucks went to requests of
    /// higher priority, or to a new request.
    Outranked,
}

/// A request whose delivery changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestChange {
    /// Request id.
    pub request: String,
    /// Priority (1 = life-critical).
    pub priority: u8,
    /// Kilograms the plan in force delivered (routed).
    pub before_kg: f64,
    /// Kilograms delivered now: kept trips and new routes.
    pub after_kg: f64,
    /// Last arrival in the plan in force (seconds from when it was made).
    pub before_last_arrival_s: Option<f64>,
    /// Last arrival now (same clock).
    pub after_last_arrival_s: Option<f64>,
    /// Why.
    pub why: Vec<Why>,
}

/// The re-plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replan {
    /// Seconds since the plan in force was made.
    pub elapsed_s: u64,
    /// Trips kept (done, on the road or pending; cut ones with their dropped stops removed), times
    /// moved by the new leg times. Same clock as the plan in force.
    pub kept: Vec<TruckRoute>,
    /// The exact allocation of what is left (its times count from the re-plan).
    pub allocation: Allocation,
    /// Routes for it, on the plan in force's clock.
    pub routes: RoutePlan,
    /// The fate of every trip of the plan in force, in the order of its routes.
    pub trips: Vec<TripChange>,
    /// Requests whose delivery changed, and why.
    pub changes: Vec<RequestChange>,
    /// Wall-clock milliseconds of the whole re-plan.
    pub solve_ms: u64,
}

/// Re-plans `problem` (see the module docs) `elapsed_s` seconds after `in_force` was made.
///
/// # Errors
/// [`Error::Invalid`] for an invalid problem or a plan in force naming unknown vehicles,
/// stockpiles or requests; the allocation's and the routing's errors.
pub fn replan(
    problem: &crate::Problem,
    in_force: &PlanInForce,
    elapsed_s: u64,
    options: &ReplanOptions,
) -> Result<Replan, Error> {
    let started = std::time::Instant::now();
    let prep = Prepared::new(problem)?;
    let fates = fates::classify(&prep, &in_force.routes, elapsed_s, options.keep_pending)?;
    let committed = residual::Committed::new(&prep, &in_force.allocation, &fates)?;
    let rest = residual::problem_left(&prep, &committed, &fates, elapsed_s);
    let (allocation, mut routes) = if rest.requests.is_empty() {
        (Allocation::empty(), RoutePlan::default())
    } else {
        let a = allocate(&rest, &options.allocate)?;
        let r = plan_routes(&rest, &a, &options.routes)?;
        (a, r)
    };
    shift_routes(&mut routes, elapsed_s, problem);
    let changes = diff::request_changes(
        &prep,
        &in_force.allocation,
        &in_force.routes,
        &fates,
        &routes,
    );
    Ok(Replan {
        elapsed_s,
        kept: fates.kept_routes(),
        allocation,
        routes,
        trips: fates.changes(),
        changes,
        solve_ms: started.elapsed().as_millis() as u64,
    })
}

/// Moves the residual routes onto the plan in force's clock.
fn shift_routes(routes: &mut RoutePlan, elapsed_s: u64, problem: &crate::Problem) {
    let dt = elapsed_s as f64;
    for r in &mut routes.routes {
        r.depart_s += dt;
        r.return_s += dt;
        for s in &mut r.stops {
            s.arrival_s += dt;
        }
    }
    for e in &mut routes.etas {
        e.first_arrival_s += dt;
        e.last_arrival_s += dt;
        if let Some(req) = problem.requests.iter().find(|r| r.id == e.request) {
            e.deadline_s = req.deadline_s;
            e.late_s = (e.last_arrival_s - req.deadline_s as f64).max(0.0);
        }
    }
}
