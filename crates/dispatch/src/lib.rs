//! Wuliu dispatch planner: vehicle routing with time windows for city and county distribution
//! (统仓统配, 共同配送).
//!
//! # Tour
//!
//! - **Model** ([`Problem`]): a [`TravelMatrix`] of distances and durations (from the road engine
//!   through [`wuliu_model::TravelCosts`], see [`TravelMatrix::from_travel_costs`]), a heterogeneous
//!   fleet of [`Vehicle`]s (weight *and* volume capacity, body type, refrigeration range, accepted cargo
//!   classes, skills, fixed / per-km / per-hour cost, shift, maximum route duration, own start and end,
//!   so several depots are simply several starts), and [`Job`]s (deliveries and pickups, mixed on one
//!   route, with one or more time windows, service time, weight/volume, cargo class, temperature range,
//!   priority).
//! - **Solver** ([`solve`] with [`SolverConfig`]): our own implementation of SISR, *Slack Induction by
//!   String Removals* (Christiaens & Vanden Berghe, Transportation Science 54(2), 2020): remove a few
//!   strings of consecutive stops from neighbouring routes, re-insert the stops at their cheapest
//!   feasible positions with random "blinks", accept by simulated annealing. Insertion checks are O(1)
//!   thanks to cached earliest/latest service times and prefix/suffix load maxima per route. It is
//!   deterministic for a seed and an iteration budget, takes a wall-clock budget and a thread count
//!   (independent chains, best wins), and is anytime: it returns the best plan found when time is up.
//! - **Checker** ([`check`]): independent of the solver; validates capacities at every stop, windows,
//!   shifts, durations, compatibility, that every job is served once or reported unassigned with a
//!   reason that holds, and the reported distances and costs.
//! - **Formats**: [`solomon::parse`] reads Solomon and Gehring–Homberger files, [`lilim::parse`] Li & Lim
//!   pickup-and-delivery files; [`vroom::Input`] /
//!   [`vroom::Output`] read and write VROOM's JSON; every public type is serde (de)serialisable, which
//!   is our own JSON API, wrapped in one call by [`plan`] ([`PlanRequest`] → [`PlanResponse`], with the
//!   checker's report and stop coordinates for the map) and [`plan_vroom`] (VROOM in, VROOM out).
//!
//! # Solver decision
//!
//! The issue asked to evaluate a well-kept Rust solver crate first. `vrp-core` 1.25.0 (through its CLI,
//! `vrp-cli solve solomon FILE --max-time 5 -p 1,2`, 2 threads) was run on 14 Solomon instances (C101,
//! C105, C201, C205, R101, R105, R109, R201, R205, R209, RC101, RC105, RC201, RC205): its default objective minimises vehicles first, and its mean
//! distance gap to the distance-only best-known solutions was +8.0 % (+3.3 % against the
//! vehicles-first best-known solutions), far from the ≤ 1 % goal, with large gaps on the R2/RC2
//! classes (+15 to +20 %). So the crate has its own solver. Measured by `bench/dispatch/run.sh` (2
//! threads; every solver gets the same `ceil(100 × d)` matrix; plans are re-checked and measured with
//! exact distances), average distance gap to the best-known solutions:
//!
//! | set, limit | wuliu (SISR) | VROOM 1.15 | OR-Tools 9.15 GLS |
//! |---|---|---|---|
//! | Solomon, 56 instances, 5 s (distance-only BKS) | **+0.42 %** | +4.56 % | +9.81 % |
//! | Homberger-200, 30 of 60 instances, 5 s (vehicles-first BKS) | **−3.02 %** | +7.08 % | +7.82 % |
//! | Homberger-200, all 60 instances, 30 s (vehicles-first BKS) | **−2.88 %** | −0.56 % | +5.24 % |
//!
//! Negative gaps mean shorter routes than the vehicles-first BKS by using more vehicles (13.1 against
//! 11.6 on average at 30 s); see `bench/dispatch/RESULTS.md` for the per-class tables and vehicle counts.
//! Against PyVRP 0.14 (HGS) at 5 s the distances are on par (Solomon: mean ratio 0.9997 on 2 threads,
//! 1.0008 on one); with [`Objective::MinVehicles`] the best-known fleet is reached on 29 of 30
//! Homberger-200 instances at 30 s, and Li & Lim 100 at 10 s is solved to the best-known fleet and
//! distance (`bench/dispatch/RESULTS_PYVRP.md`, `RESULTS_PDPTW.md`).
//!
//! # Pickup and delivery, breaks, limits
//!
//! [`Shipment`]s (pickup and delivery by the same vehicle, pickup first) are placed as pairs: the
//! insertion tries every pickup position and walks the route forward for the delivery, carrying the
//! load and the shifted times, so one pair costs O(route²) at worst. Vehicles may have open routes
//! (no start or no end), driver [`Break`]s, `max_tasks`, `max_travel_time`, `max_distance` and a
//! speed factor; loads have up to [`DIMS`] dimensions; jobs have setup times. Vehicles with breaks
//! or a maximum duration are checked by replaying the whole route, only for candidates cheaper than
//! the best so far. Unreachable matrix entries are rejected with [`DispatchError::Matrix`].
//!
//! # Example
//!
//! ```
//! use wuliu_dispatch::{check, solve, Job, Load, Problem, Rounding, SolverConfig, TimeWindow,
//!     TravelMatrix, Vehicle};
//!
//! // A depot and four shops on a 2 km grid (metres); travel times equal distances here.
//! let pts = [(0.0, 0.0), (2000.0, 0.0), (2000.0, 2000.0), (0.0, 2000.0), (-2000.0, 0.0)];
//! let matrix = TravelMatrix::euclidean(&pts, Rounding::Exact);
//! let truck = Vehicle::new("truck-1", 0, Load::weight(1000.0), TimeWindow::new(0.0, 28_800.0));
//! let jobs: Vec<Job> = (1..=4).map(|i| Job::delivery(format!("shop-{i}"), i, 200.0)).collect();
//! let problem = Problem::new(matrix, vec![truck], jobs);
//!
//! let plan = solve(&problem, &SolverConfig::iterations(500, 1, 1)).unwrap();
//! assert!(check(&problem, &plan).feasible);
//! assert_eq!(plan.summary.served, 4);
//! // The optimal tour: depot, west shop, then the square's corners, back: 8 km + 2√2 km.
//! assert!((plan.summary.distance.0 - (8000.0 + 2000.0 * 2f64.sqrt())).abs() < 1e-6);
//! ```
#![warn(missing_docs)]

pub mod api;
pub mod check;
pub mod error;
pub mod lilim;
pub mod matrix;
pub mod plan_mode;
pub mod problem;
pub mod solomon;
pub mod solution;
mod solver;
pub mod split;
pub mod vroom;

pub use api::{
    check_vroom, plan, plan_vroom, read_document, CheckRequest, Document, OrderedRoute,
    PlanRequest, PlanResponse, RouteGeometry,
};
pub use check::{check, Report};
pub use error::DispatchError;
pub use matrix::{Rounding, TravelMatrix};
pub use problem::{
    Break, Job, JobKind, Load, Needs, Objective, Part, Problem, Shipment, ShipmentStop, TimeWindow,
    Vehicle, VehicleCosts, DIMS,
};
pub use solution::{
    Route, Sequences, Solution, Step, StepKind, Summary, Unassigned, UnassignedReason, Visit,
};
pub use solver::{solve, solve_from, SolverConfig};
