//! Chaining by local search: the day's loads as a vehicle routing problem solved by the dispatch
//! engine's search ([`wuliu_dispatch::solve`], ruin-and-recreate with simulated annealing).
//!
//! A full truckload is one *job* whose service covers loading, the loaded drive and unloading. Each
//! job gets a location of its own in a matrix built for the purpose: travel *into* the job's
//! location is travel to its pickup, travel *out of* it is travel from its destination. So a
//! route's driven distance is exactly its empty running (deadheads and the return home), which is
//! what the search minimises, at `cost_per_km + empty_km_penalty` per km and `cost_per_hour` per
//! driving hour, after serving as many loads as it can. Vehicles start where they become free,
//! at `free_from`, and end at home; the return leg is weighted by the vehicle's
//! [`crate::AvailableVehicle::return_weight`] at the end of the planning horizon. Pickup windows
//! become service windows, tightened so the delivery deadline holds. Compatibility is exact: every
//! distinct set of vehicle profiles that can carry a load ([`crate::profiles`]) becomes a skill,
//! and each vehicle has the skills of the sets its profile belongs to.
//!
//! Every route is then replayed trip by trip with the matching rules (the search does not model
//! the crew's driving limit or a delivery window that opens late); a trip that fails is left open
//! and the vehicle continues from where it really is.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use wuliu_dispatch::{Job, Problem, SolverConfig, TimeWindow, TravelMatrix, Vehicle, VehicleCosts};
use wuliu_model::{GeoPoint, Leg, Seconds, TravelCosts};

use crate::chaining::Trip;
use crate::error::MatchError;
use crate::profiles::{ProfileMask, Profiles};
use crate::rules::{self, Pair, Timing};
use crate::sequencing::ChainEnd;
use crate::MatchRequest;

/// Largest matrix the search builds (2 locations per vehicle, 1 per load): ~100 MB of travel data.
pub const MAX_LOCATIONS: usize = 2500;

/// Matrix entry for pairs the road network cannot connect: far too costly to use.
const UNREACHABLE_M: f64 = 1.0e8;
const UNREACHABLE_S: f64 = 1.0e7;

/// Cost of leaving a load unserved in the search: far above any route's cost.
const UNSERVED_PENALTY: f64 = 1.0e7;

/// Plans chains for the `open` loads with the dispatch search and appends them to `chains`;
/// returns how many loads were added. `open` keeps what is still unserved.
pub fn search(
    req: &MatchRequest,
    costs: &dyn TravelCosts,
    loaded_legs: &[Option<Leg>],
    chains: &mut [Vec<Trip>],
    ends: &mut [ChainEnd],
    open: &mut Vec<usize>,
) -> Result<usize, MatchError> {
    let c = &req.config;
    let loads = &req.loads;
    let vehicles = &req.vehicles;
    let cap = c.max_chain.max(1);
    let fleet: Vec<usize> = (0..vehicles.len())
        .filter(|&v| chains[v].len() < cap)
        .collect();
    // Latest start of loading that still meets the delivery deadline (None: no road leg).
    let latest_start = |l: usize| -> Option<DateTime<Utc>> {
        let load = &loads[l].load;
        let loaded = loaded_legs[l]?;
        let by_delivery =
            rules::add_s(load.delivery_window.end, -(c.loading_s + loaded.duration.0));
        Some(load.pickup_window.end.min(by_delivery))
    };
    let jobs_ix: Vec<usize> = open
        .iter()
        .copied()
        .filter(|&l| latest_start(l).is_some_and(|t| t >= loads[l].load.pickup_window.start))
        .collect();
    if fleet.is_empty() || jobs_ix.is_empty() {
        return Ok(0);
    }
    let (nv, nj) = (fleet.len(), jobs_ix.len());
    if 2 * nv + nj > MAX_LOCATIONS {
        return Err(MatchError::InvalidRequest(vec![format!(
            "search sequencing plans at most {MAX_LOCATIONS} matrix locations (2 per vehicle + 1 per load), \
             this request needs {}; use sequencing \"time_slices\" for batches this large",
            2 * nv + nj
        )]));
    }
    // Sources: vehicle positions, homes, load destinations; targets: positions, homes, origins.
    let mut sources: Vec<GeoPoint> = fleet.iter().map(|&v| ends[v].0.position).collect();
    sources.extend(fleet.iter().map(|&v| vehicles[v].home()));
    let mut targets = sources.clone();
    sources.extend(jobs_ix.iter().map(|&l| loads[l].load.destination.point));
    targets.extend(jobs_ix.iter().map(|&l| loads[l].load.origin.point));
    let n = 2 * nv + nj;
    let t0 = fleet
        .iter()
        .map(|&v| ends[v].0.free_from)
        .chain(jobs_ix.iter().map(|&l| loads[l].load.pickup_window.start))
        .min()
        .expect("fleet and jobs are not empty");
    // Roads under truck bans when the earliest vehicle or load is ready are avoided.
    let m = costs.matrix_at(&sources, &targets, Some(t0.fixed_offset()))?;
    let secs = |t: DateTime<Utc>| (t - t0).num_milliseconds() as f64 / 1000.0;
    let horizon = jobs_ix
        .iter()
        .map(|&l| loads[l].load.pickup_window.end)
        .max()
        .expect("jobs are not empty");
    let rw: Vec<f64> = fleet
        .iter()
        .map(|&v| vehicles[v].return_weight(horizon, c))
        .collect();
    // Expected empty km after a chain ends at each source (0 without an outlook).
    let ahead_km: Vec<f64> = if c.outlook.is_empty() {
        vec![0.0; n]
    } else {
        sources
            .iter()
            .map(|&p| crate::outlook::outlook_km(&c.outlook, p))
            .collect()
    };
    let mut dist = vec![0.0; n * n];
    let mut dur = vec![0.0; n * n];
    for a in 0..n {
        for b in 0..n {
            let (d, t) = match m.get(a, b) {
                Some(l) => (l.distance.0, l.duration.0),
                None => (UNREACHABLE_M, UNREACHABLE_S),
            };
            // Legs into a home are driven only as the day's return: weighted.
            // With an outlook, the rest of the weight goes to the empty km expected from here.
            dist[a * n + b] = if (nv..2 * nv).contains(&b) {
                let w = rw[b - nv];
                d * w + (1.0 - w) * ahead_km[a] * 1000.0
            } else {
                d
            };
            dur[a * n + b] = t;
        }
    }
    let matrix = TravelMatrix::from_flat(n, dist, dur).map_err(dispatch_error)?;
    // Exact compatibility as skills: one skill per distinct profile set.
    let profiles = Profiles::of(vehicles, loads, req.date);
    let mut set_ix: HashMap<ProfileMask, usize> = HashMap::new();
    let job_set: Vec<usize> = jobs_ix
        .iter()
        .map(|&l| {
            let mask = profiles.mask(&loads[l].load, vehicles, req.date);
            let k = set_ix.len();
            *set_ix.entry(mask).or_insert(k)
        })
        .collect();
    let dispatch_vehicles: Vec<Vehicle> = fleet
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let p = profiles.of_vehicle[v];
            let skills: BTreeSet<String> = set_ix
                .iter()
                .filter(|(mask, _)| mask.contains(p))
                .map(|(_, k)| format!("s{k}"))
                .collect();
            let shift = TimeWindow::new(secs(ends[v].0.free_from), secs(horizon) + 7.0 * 86_400.0);
            let mut veh = Vehicle::new(
                vehicles[v].id.as_str(),
                i,
                wuliu_dispatch::Load::default(),
                shift,
            );
            veh.end = Some(nv + i);
            veh.skills = skills;
            veh.costs = VehicleCosts {
                fixed: 0.0,
                per_km: c.cost_per_km + c.empty_km_penalty,
                per_hour: c.cost_per_hour,
            };
            veh
        })
        .collect();
    let jobs: Vec<Job> = jobs_ix
        .iter()
        .enumerate()
        .map(|(k, &l)| {
            let load = &loads[l].load;
            let loaded = loaded_legs[l].expect("filtered above");
            let service = c.loading_s + loaded.duration.0 + c.unloading_s;
            let latest = secs(latest_start(l).expect("filtered above"));
            let start = secs(load.pickup_window.start);
            let mut job = Job::delivery(loads[l].id.as_str(), 2 * nv + k, 0.0);
            job.load = wuliu_dispatch::Load::default();
            job.service = Seconds(service);
            // An impossible window becomes an empty one the solver reports as unreachable.
            job.time_windows = vec![TimeWindow::new(start, latest)];
            job.skills = BTreeSet::from([format!("s{}", job_set[k])]);
            job
        })
        .collect();
    let mut problem = Problem::new(matrix, dispatch_vehicles, jobs);
    // Every load is worth the same: serve as many as possible, then the cheapest ones.
    problem.unassigned_penalty = Some(UNSERVED_PENALTY);
    let config = SolverConfig {
        time_limit_s: c.search_time_s.max(0.01),
        max_iterations: c.search_iterations,
        threads: c.search_threads.max(1),
        seed: 1,
        cancel: c.cancel.clone(),
    };
    let solution = wuliu_dispatch::solve(&problem, &config).map_err(dispatch_error)?;
    // Replay each route with the matching rules.
    let mut served = vec![false; nj];
    let mut last: Vec<(usize, usize, usize)> = Vec::new(); // (vehicle, fleet index, source of last)
    for route in &solution.routes {
        let i = route.vehicle;
        let v = fleet[i];
        let vehicle = &vehicles[v];
        let mut state = ends[v].0;
        let mut at = i; // matrix source index of where the vehicle is
        let before = chains[v].len();
        for k in route.jobs() {
            if chains[v].len() >= cap {
                break;
            }
            let l = jobs_ix[k];
            let load = &loads[l].load;
            let (Some(deadhead), Some(loaded)) = (m.get(at, 2 * nv + k), loaded_legs[l]) else {
                continue;
            };
            let pair = Pair {
                load,
                vehicle,
                date: req.date,
            };
            if !rules::static_ok(&pair) {
                continue;
            }
            let timing = Timing::compute(load, &state, deadhead, loaded, c);
            if !rules::check_timed(&pair, &state, &timing).is_empty() {
                continue;
            }
            chains[v].push(Trip {
                load: l,
                timing,
                ret: None,
            });
            served[k] = true;
            state = timing.after(load, &state);
            at = 2 * nv + k;
        }
        if chains[v].len() > before {
            ends[v].0 = state;
            last.push((v, i, at));
        }
    }
    for (v, i, at) in last {
        let ret = m.get(at, nv + i);
        if let Some(t) = chains[v].last_mut() {
            t.ret = ret;
        }
        ends[v].1 = ret;
    }
    let done: std::collections::HashSet<usize> =
        (0..nj).filter(|&k| served[k]).map(|k| jobs_ix[k]).collect();
    open.retain(|l| !done.contains(l));
    Ok(done.len())
}

fn dispatch_error(e: wuliu_dispatch::DispatchError) -> MatchError {
    MatchError::InvalidRequest(vec![format!("chaining search: {e}")])
}
