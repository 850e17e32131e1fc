//! Delivery routes for an allocation, planned with the dispatch engine.
//!
//! Each stockpile is planned on its own (its fleet never loads elsewhere): one delivery job per request
//! it serves, carrying the weight and volume the allocation sends there, split into parts where it is
//! larger than the stockpile's largest truck ([`wuliu_dispatch::split::split_oversized`]). Locations are
//! the depot and its requests; depot ↔ request times come from [`crate::TravelTimes::from_stockpile`]
//! (the way back is assumed as long as the way out), request ↔ request times from
//! `between_requests`, or via the depot where that is `None` or missing.
//!
//! Time: a vehicle's shift runs from its availability plus loading (half the handling time) to the
//! horizon; unloading takes the other half at each stop. Deadlines are *not* hard windows — the only
//! hard window is the horizon — so a late delivery is still made, and reported late in [`Eta`]; jobs
//! keep the request's priority, so the most critical are dropped last.
//!
//! Trips: the dispatch engine gives each vehicle one route. Loads left over go to a next *wave* in
//! which every vehicle starts again where its last route ended (back at the depot, reloaded), up to
//! [`RouteOptions::max_waves`]; what is still left is reported in [`RoutePlan::unrouted`].

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use wuliu_dispatch::{split::split_oversized, Job, Load, SolverConfig, TimeWindow, TravelMatrix};
use wuliu_model::Seconds;

use crate::allocate::Allocation;
use crate::error::Error;
use crate::prepare::{horizon_s, Prepared};

/// Route planning options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RouteOptions {
    /// Total wall-clock budget for the dispatch engine in seconds, shared by all stockpiles and waves
    /// (default 8).
    pub time_limit_s: f64,
    /// Cap on search iterations of each dispatch call (default 20 000); with a generous time limit
    /// the routes depend only on the input and the seed.
    pub max_iterations: u64,
    /// Most trips per vehicle (default 12).
    pub max_waves: usize,
    /// Seed of the dispatch search (default 1).
    pub seed: u64,
}

impl Default for RouteOptions {
    fn default() -> Self {
        RouteOptions {
            time_limit_s: 8.0,
            max_iterations: 20_000,
            max_waves: 12,
            seed: 1,
        }
    }
}

/// One stop of a truck route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    /// Request id.
    pub request: String,
    /// Arrival in seconds from the plan start.
    pub arrival_s: f64,
    /// Kilograms unloaded.
    pub weight_kg: f64,
    /// Cubic metres unloaded.
    pub volume_m3: f64,
}

/// One trip of one vehicle: load at its stockpile, deliver, come back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruckRoute {
    /// Vehicle id.
    pub vehicle: String,
    /// Stockpile id (where it loads and returns).
    pub stockpile: String,
    /// Trip number of this vehicle, from 1.
    pub wave: usize,
    /// Leaves the depot (loaded), seconds from the plan start.
    pub depart_s: f64,
    /// Back at the depot.
    pub return_s: f64,
    /// Distance driven in metres.
    pub metres: f64,
    /// Deliveries in order.
    pub stops: Vec<Stop>,
}

/// When a request's goods arrive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Eta {
    /// Request id.
    pub request: String,
    /// First delivery.
    pub first_arrival_s: f64,
    /// Last delivery (everything routed has arrived).
    pub last_arrival_s: f64,
    /// The request's deadline.
    pub deadline_s: u64,
    /// Seconds the last delivery is after the deadline (0 when on time).
    pub late_s: f64,
}

/// A load the fleet could not route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unrouted {
    /// Stockpile id.
    pub stockpile: String,
    /// Request id.
    pub request: String,
    /// Kilograms left.
    pub weight_kg: f64,
    /// Cubic metres left.
    pub volume_m3: f64,
}

/// Routes with their ETAs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoutePlan {
    /// Every trip, by stockpile, then wave.
    pub routes: Vec<TruckRoute>,
    /// One per request that receives anything, in request order.
    pub etas: Vec<Eta>,
    /// Loads left unrouted.
    pub unrouted: Vec<Unrouted>,
    /// Wall-clock milliseconds spent.
    pub solve_ms: u64,
}

/// Plans delivery routes for `allocation` (see the module docs).
///
/// Cost: one dispatch call per stockpile with shipments and wave, within `options.time_limit_s` in
/// total. Runs on the calling thread (the dispatch engine uses one search thread here).
///
/// # Errors
/// [`Error::Invalid`] for an invalid problem or an allocation naming unknown ids or unserviceable pairs;
/// [`Error::Solver`] when the dispatch engine fails.
pub fn plan_routes(
    problem: &crate::Problem,
    allocation: &Allocation,
    options: &RouteOptions,
) -> Result<RoutePlan, Error> {
    let started = Instant::now();
    let prep = Prepared::new(problem)?;
    let loads = loads_by_depot(&prep, allocation)?;
    let per_call = options.time_limit_s / (loads.len().max(1) * options.max_waves.max(1)) as f64;
    let mut plan = RoutePlan {
        routes: Vec::new(),
        etas: Vec::new(),
        unrouted: Vec::new(),
        solve_ms: 0,
    };
    for (s, requests) in loads {
        Depot::new(&prep, s, requests).plan(options, per_call, &mut plan)?;
    }
    plan.etas = etas(&prep, &plan.routes);
    plan.solve_ms = started.elapsed().as_millis() as u64;
    Ok(plan)
}

/// Weight and volume by request, for one stockpile.
type Loads = BTreeMap<usize, (f64, f64)>;

/// Loads by stockpile from the allocation's flows.
fn loads_by_depot(prep: &Prepared, a: &Allocation) -> Result<BTreeMap<usize, Loads>, Error> {
    let mut out: BTreeMap<usize, Loads> = BTreeMap::new();
    let mut bad = Vec::new();
    for (k, f) in a.flows.iter().enumerate() {
        let s = prep.stock_ix.get(f.stockpile.as_str());
        let r = prep.req_ix.get(f.request.as_str());
        let i = prep.item_ix.get(f.item.as_str());
        let path = format!("allocation.flows[{k}]");
        let (Some(&s), Some(&r), Some(&i)) = (s, r, i) else {
            let reason = "names an unknown stockpile, request or item".into();
            bad.push(crate::Invalid::Allocation { path, reason });
            continue;
        };
        if !prep.pair_of.contains_key(&(s, r)) {
            let reason = format!("{} → {} cannot be served", f.stockpile, f.request);
            bad.push(crate::Invalid::Allocation { path, reason });
            continue;
        }
        let item = &prep.p.items[i];
        let e = out.entry(s).or_default().entry(r).or_insert((0.0, 0.0));
        e.0 += f.quantity as f64 * item.unit_weight_kg;
        e.1 += f.quantity as f64 * item.unit_volume_m3;
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(bad))
    }
}

/// One stockpile's routing problem across waves.
struct Depot<'p, 'a> {
    prep: &'p Prepared<'a>,
    s: usize,
    /// Requests served, in location order (location `k + 1`).
    requests: Vec<usize>,
    /// Jobs still to route: (request position, kg, m3).
    jobs: Vec<(usize, f64, f64)>,
    /// Usable vehicles: (vehicle index, ready at, trips made).
    fleet: Vec<(usize, f64, usize)>,
}

impl<'p, 'a> Depot<'p, 'a> {
    fn new(prep: &'p Prepared<'a>, s: usize, loads: Loads) -> Self {
        let p = prep.p;
        let requests: Vec<usize> = loads.keys().copied().collect();
        let jobs = loads
            .values()
            .enumerate()
            .map(|(k, &(kg, m3))| (k, kg, m3))
            .collect();
        let id = &p.stockpiles[s].id;
        let fleet = p
            .vehicles
            .iter()
            .enumerate()
            .filter(|(_, v)| &v.stockpile == id && (v.green_pass || !p.green_pass_required))
            .map(|(k, v)| (k, v.available_from_s as f64, 0))
            .collect();
        Depot {
            prep,
            s,
            requests,
            jobs,
            fleet,
        }
    }

    fn plan(mut self, o: &RouteOptions, per_call: f64, plan: &mut RoutePlan) -> Result<(), Error> {
        let matrix = self.matrix()?;
        for _ in 0..o.max_waves {
            if self.jobs.is_empty() || self.fleet.is_empty() {
                break;
            }
            let served = self.wave(&matrix, o, per_call, plan)?;
            if served == 0 {
                break;
            }
        }
        let p = self.prep.p;
        for &(k, kg, m3) in &self.jobs {
            plan.unrouted.push(Unrouted {
                stockpile: p.stockpiles[self.s].id.clone(),
                request: p.requests[self.requests[k]].id.clone(),
                weight_kg: kg,
                volume_m3: m3,
            });
        }
        Ok(())
    }

    fn leg(&self, k: usize) -> (f64, f64) {
        let leg = self.prep.p.travel.from_stockpile[self.s][self.requests[k]]
            .expect("allocated pairs are reachable");
        (f64::from(leg.metres), f64::from(leg.seconds))
    }

    /// Depot plus requests; unknown request-to-request legs go via the depot.
    fn matrix(&self) -> Result<TravelMatrix, Error> {
        let n = self.requests.len() + 1;
        let (mut dist, mut time) = (vec![vec![0.0; n]; n], vec![vec![0.0; n]; n]);
        let between = &self.prep.p.travel.between_requests;
        for a in 0..self.requests.len() {
            let (m, t) = self.leg(a);
            (
                dist[0][a + 1],
                time[0][a + 1],
                dist[a + 1][0],
                time[a + 1][0],
            ) = (m, t, m, t);
            for b in 0..self.requests.len() {
                if a == b {
                    continue;
                }
                let (ra, rb) = (self.requests[a], self.requests[b]);
                let direct = between
                    .get(ra)
                    .and_then(|row| row.get(rb))
                    .copied()
                    .flatten();
                let (mb, tb) = self.leg(b);
                (dist[a + 1][b + 1], time[a + 1][b + 1]) = match direct {
                    Some(l) => (f64::from(l.metres), f64::from(l.seconds)),
                    None => (m + mb, t + tb),
                };
            }
        }
        TravelMatrix::from_rows(&dist, &time).map_err(|e| Error::Solver(e.to_string()))
    }

    /// Plans one trip per vehicle; returns how many jobs were served.
    fn wave(
        &mut self,
        matrix: &TravelMatrix,
        o: &RouteOptions,
        per_call: f64,
        plan: &mut RoutePlan,
    ) -> Result<usize, Error> {
        let p = self.prep.p;
        let horizon = horizon_s(p);
        let half = f64::from(p.handling_s) / 2.0;
        let active: Vec<usize> = (0..self.fleet.len())
            .filter(|&f| self.fleet[f].1 + half < horizon)
            .collect();
        if active.is_empty() {
            return Ok(0);
        }
        let vehicles = active
            .iter()
            .map(|&f| {
                let v = &p.vehicles[self.fleet[f].0];
                let cap = Load::from_array([v.capacity_kg, v.capacity_m3]);
                let shift = TimeWindow::new(self.fleet[f].1 + half, horizon);
                wuliu_dispatch::Vehicle::new(v.id.clone(), 0, cap, shift)
            })
            .collect();
        let jobs = self
            .jobs
            .iter()
            .map(|&(k, kg, m3)| self.job(k, kg, m3, horizon))
            .collect();
        let mut problem = wuliu_dispatch::Problem::new(matrix.clone(), vehicles, jobs);
        problem = split_oversized(&problem);
        let config = SolverConfig {
            time_limit_s: per_call.max(0.01),
            max_iterations: Some(o.max_iterations),
            threads: 1,
            seed: o.seed,
            ..SolverConfig::default()
        };
        let solution =
            wuliu_dispatch::solve(&problem, &config).map_err(|e| Error::Solver(e.to_string()))?;
        let mut served = BTreeSet::new();
        for route in &solution.routes {
            if let Some(t) = self.trip(&problem, route, active[route.vehicle], &mut served) {
                plan.routes.push(t);
            }
        }
        self.jobs = leftover(&problem, &served);
        Ok(served.len())
    }

    fn job(&self, k: usize, kg: f64, m3: f64, horizon: f64) -> Job {
        let p = self.prep.p;
        let r = self.requests[k];
        let mut job = Job::delivery(format!("{k}"), k + 1, kg);
        job.load = Load::from_array([kg, m3]);
        job.service = Seconds(f64::from(p.handling_s) / 2.0);
        job.time_windows = vec![TimeWindow::new(0.0, horizon)];
        job.priority = u32::from(5 - p.requests[r].priority.min(4));
        job
    }

    /// Records one route as a trip and moves the vehicle's readiness to its return.
    fn trip(
        &mut self,
        problem: &wuliu_dispatch::Problem,
        route: &wuliu_dispatch::Route,
        slot: usize,
        served: &mut BTreeSet<usize>,
    ) -> Option<TruckRoute> {
        let p = self.prep.p;
        let mut stops = Vec::new();
        for step in route.steps.iter().filter(|s| s.job.is_some()) {
            let j = step.job.expect("filtered");
            served.insert(j);
            let job = &problem.jobs[j];
            let k = job.location - 1;
            stops.push(Stop {
                request: p.requests[self.requests[k]].id.clone(),
                arrival_s: step.arrival.0,
                weight_kg: job.load.weight.0,
                volume_m3: job.load.volume.0,
            });
        }
        if stops.is_empty() {
            return None;
        }
        let slot = &mut self.fleet[slot];
        let depart_s = route.steps.first().map_or(0.0, |s| s.departure.0);
        let return_s = route.steps.last().map_or(depart_s, |s| s.arrival.0);
        slot.1 = return_s;
        slot.2 += 1;
        Some(TruckRoute {
            vehicle: p.vehicles[slot.0].id.clone(),
            stockpile: p.stockpiles[self.s].id.clone(),
            wave: slot.2,
            depart_s,
            return_s,
            metres: route.distance.0,
            stops,
        })
    }
}

/// Jobs of `problem` not in `served`, merged back per request.
fn leftover(problem: &wuliu_dispatch::Problem, served: &BTreeSet<usize>) -> Vec<(usize, f64, f64)> {
    let mut left: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for (_, job) in problem
        .jobs
        .iter()
        .enumerate()
        .filter(|(j, _)| !served.contains(j))
    {
        let e = left.entry(job.location - 1).or_insert((0.0, 0.0));
        e.0 += job.load.weight.0;
        e.1 += job.load.volume.0;
    }
    left.into_iter().map(|(k, (kg, m3))| (k, kg, m3)).collect()
}

fn etas(prep: &Prepared, routes: &[TruckRoute]) -> Vec<Eta> {
    let mut by_req: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for stop in routes.iter().flat_map(|r| &r.stops) {
        let r = prep.req_ix[stop.request.as_str()];
        let e = by_req.entry(r).or_insert((f64::INFINITY, 0.0));
        e.0 = e.0.min(stop.arrival_s);
        e.1 = e.1.max(stop.arrival_s);
    }
    by_req
        .into_iter()
        .map(|(r, (first, last))| {
            let req = &prep.p.requests[r];
            Eta {
                request: req.id.clone(),
                first_arrival_s: first,
                last_arrival_s: last,
                deadline_s: req.deadline_s,
                late_s: (last - req.deadline_s as f64).max(0.0),
            }
        })
        .collect()
}
