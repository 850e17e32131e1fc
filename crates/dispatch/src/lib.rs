//! Wuliu dispatch planner: vehicle routing with time windows for city and county distribution.
//!
//! TODO tour
pub mod check;
pub mod error;
pub mod matrix;
pub mod problem;
pub mod solomon;
pub mod solution;
mod solver;
pub mod vroom;

pub use check::{check, Report};
pub use error::DispatchError;
pub use matrix::{Rounding, TravelMatrix};
pub use problem::{Job, JobKind, Load, Problem, TimeWindow, Vehicle, VehicleCosts};
pub use solution::{Route, Solution, Step, StepKind, Summary, Unassigned, UnassignedReason};
pub use solver::{solve, SolverConfig};
