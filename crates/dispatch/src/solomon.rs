//! Reader for Solomon (1987) and Gehring–Homberger (1999) VRPTW instance files.
//!
//! Layout: the instance name; a `VEHICLE` block with `NUMBER CAPACITY`; a `CUSTOMER` block with one row
//! per node `CUST NO. XCOORD YCOORD DEMAND READY_TIME DUE_DATE SERVICE_TIME`, node 0 being the depot.
//! Both line ending styles are accepted.

use serde::{Deserialize, Serialize};
use wuliu_model::Seconds;

use crate::error::DispatchError;
use crate::matrix::{Rounding, TravelMatrix};
use crate::problem::{Job, Load, Problem, TimeWindow, Vehicle, VehicleCosts};

/// One node of an instance: the depot (id 0) or a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Customer number as in the file.
    pub id: u32,
    /// X coordinate.
    pub x: f64,
    /// Y coordinate.
    pub y: f64,
    /// Demand.
    pub demand: f64,
    /// Ready time (window start).
    pub ready: f64,
    /// Due date (latest service start; for the depot, latest return).
    pub due: f64,
    /// Service time.
    pub service: f64,
}

/// A parsed instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Name from the first line, e.g. `C101`.
    pub name: String,
    /// Number of vehicles available.
    pub vehicles: usize,
    /// Capacity of each vehicle.
    pub capacity: f64,
    /// Depot first, then customers in file order.
    pub nodes: Vec<Node>,
}

/// Parses a Solomon or Gehring–Homberger instance.
pub fn parse(text: &str) -> Result<Instance, DispatchError> {
    let err = |line: usize, message: &str| DispatchError::Parse {
        line,
        message: message.to_string(),
    };
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    let (_, name) = lines
        .by_ref()
        .find(|(_, l)| !l.is_empty())
        .ok_or_else(|| err(1, "empty file"))?;
    let name = name.to_string();
    let mut vehicles = None;
    let mut nodes = Vec::new();
    let mut section = "";
    for (no, line) in lines {
        if line.is_empty() {
            continue;
        }
        let upper = line.to_ascii_uppercase();
        if upper.starts_with("VEHICLE") {
            section = "vehicle";
            continue;
        }
        if upper.starts_with("CUSTOMER") {
            section = "customer";
            continue;
        }
        if upper.starts_with("NUMBER") || upper.starts_with("CUST") {
            continue;
        }
        let nums: Result<Vec<f64>, _> = line.split_whitespace().map(str::parse::<f64>).collect();
        let nums = nums.map_err(|_| err(no, "expected numbers"))?;
        match section {
            "vehicle" if nums.len() == 2 => {
                vehicles = Some((nums[0] as usize, nums[1]));
            }
            "customer" if nums.len() == 7 => nodes.push(Node {
                id: nums[0] as u32,
                x: nums[1],
                y: nums[2],
                demand: nums[3],
                ready: nums[4],
                due: nums[5],
                service: nums[6],
            }),
            _ => return Err(err(no, "unexpected line")),
        }
    }
    let (count, capacity) = vehicles.ok_or_else(|| err(0, "missing VEHICLE block"))?;
    if nodes.len() < 2 {
        return Err(err(0, "need a depot and at least one customer"));
    }
    if nodes[0].id != 0 {
        return Err(err(0, "the first node must be the depot (number 0)"));
    }
    Ok(Instance {
        name,
        vehicles: count,
        capacity,
        nodes,
    })
}

impl Instance {
    /// Converts to a [`Problem`]: location 0 is the depot, job `i` is customer `i + 1` at location
    /// `i + 1`; `self.vehicles` identical vehicles with the depot's window as shift; cost = distance
    /// (per-km cost 1000, so one distance unit costs 1). Times and distances are scaled by
    /// `rounding.scale()`.
    pub fn to_problem(&self, rounding: Rounding) -> Problem {
        let k = rounding.scale();
        let points: Vec<(f64, f64)> = self.nodes.iter().map(|n| (n.x, n.y)).collect();
        let matrix = TravelMatrix::euclidean(&points, rounding);
        let depot = &self.nodes[0];
        let vehicles = (0..self.vehicles)
            .map(|i| {
                let mut v = Vehicle::new(
                    format!("v{}", i + 1),
                    0,
                    Load::weight(self.capacity),
                    TimeWindow::new(depot.ready * k, depot.due * k),
                );
                v.costs = VehicleCosts {
                    fixed: 0.0,
                    per_km: 1000.0 / k,
                    per_hour: 0.0,
                };
                v
            })
            .collect();
        let jobs = self.nodes[1..]
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut j = Job::delivery(n.id.to_string(), i + 1, n.demand);
                j.service = Seconds(n.service * k);
                j.time_windows = vec![TimeWindow::new(n.ready * k, n.due * k)];
                j
            })
            .collect();
        Problem::new(matrix, vehicles, jobs)
    }
}
