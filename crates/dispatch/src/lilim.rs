//! Reader for the Li & Lim (2001) pickup-and-delivery instances with time windows (PDPTW), and for
//! their best-known solution table.
//!
//! Layout: a header line `vehicles capacity speed`, then one line per task
//! `id x y demand ready due service pickup_index delivery_index`, task 0 being the depot (its window
//! is the horizon). A pickup has demand ≥ 0, pickup index 0 and the id of its delivery; a delivery
//! has demand ≤ 0, the id of its pickup and delivery index 0. Travel time equals the Euclidean
//! distance divided by the speed; a speed of 0 (ten of the files) is read as 1, the usual convention.
//! Fields may be separated by tabs or spaces; both line ending styles and blank lines are accepted.

use serde::{Deserialize, Serialize};
use wuliu_model::Seconds;

use crate::error::DispatchError;
use crate::matrix::{Rounding, TravelMatrix};
use crate::problem::{Load, Problem, Shipment, TimeWindow, Vehicle, VehicleCosts};
use crate::solution::Visit;

/// The task fields in file order, as named in error messages.
const FIELDS: [&str; 9] = [
    "id", "x", "y", "demand", "ready", "due", "service", "pickup", "delivery",
];

/// One task line: the depot (id 0), a pickup or a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Task id as in the file; equals the task's position (0 for the depot).
    pub id: usize,
    /// X coordinate.
    pub x: f64,
    /// Y coordinate.
    pub y: f64,
    /// Load picked up (> 0) or delivered (< 0); 0 for the depot.
    pub demand: f64,
    /// Earliest service start.
    pub ready: f64,
    /// Latest service start (for the depot: latest return).
    pub due: f64,
    /// Service time.
    pub service: f64,
    /// For a delivery, the id of its pickup; 0 otherwise.
    pub pickup: usize,
    /// For a pickup, the id of its delivery; 0 otherwise.
    pub delivery: usize,
}

/// A parsed Li & Lim instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// Fleet size.
    pub vehicles: usize,
    /// Capacity of every vehicle.
    pub capacity: f64,
    /// Travel speed (distance units per time unit); a 0 in the file is read as 1.
    pub speed: f64,
    /// The depot first, then every task, in id order.
    pub tasks: Vec<Task>,
}

/// Parses a Li & Lim file into a [`Problem`] (see [`Instance::to_problem`] for the conventions).
pub fn parse(text: &str, rounding: Rounding) -> Result<Problem, DispatchError> {
    Ok(parse_instance(text)?.to_problem(rounding))
}

/// Parses a Li & Lim file, checking that every pickup and delivery form a consistent pair. Errors
/// name the 1-based line and the field.
pub fn parse_instance(text: &str) -> Result<Instance, DispatchError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let (header_line, header) = lines.next().ok_or_else(|| perr(1, "empty file"))?;
    let (vehicles, capacity, speed) = parse_header(header_line, header)?;
    let mut tasks = Vec::new();
    let mut task_lines = Vec::new();
    for (no, line) in lines {
        tasks.push(parse_task(no, line, tasks.len())?);
        task_lines.push(no);
    }
    if tasks.len() < 3 {
        return Err(perr(
            header_line + 1,
            "need the depot (task 0) and at least one pickup-and-delivery pair",
        ));
    }
    check_depot(&tasks[0], task_lines[0])?;
    for (task, &no) in tasks.iter().zip(&task_lines).skip(1) {
        check_pair(&tasks, task, no)?;
    }
    Ok(Instance {
        vehicles,
        capacity,
        speed,
        tasks,
    })
}

fn perr(line: usize, message: impl Into<String>) -> DispatchError {
    DispatchError::Parse {
        line,
        message: message.into(),
    }
}

fn parse_header(no: usize, line: &str) -> Result<(usize, f64, f64), DispatchError> {
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.len() != 3 {
        return Err(perr(
            no,
            format!(
                "header: expected 3 fields (vehicles capacity speed), found {}",
                f.len()
            ),
        ));
    }
    let vehicles = f[0].parse::<usize>().map_err(|_| {
        perr(
            no,
            format!(
                "header: field `vehicles` must be a whole number, found '{}'",
                f[0]
            ),
        )
    })?;
    let capacity = non_negative(no, "header", "capacity", f[1])?;
    let speed = non_negative(no, "header", "speed", f[2])?;
    if vehicles == 0 {
        return Err(perr(no, "header: field `vehicles` must be at least 1"));
    }
    Ok((vehicles, capacity, if speed == 0.0 { 1.0 } else { speed }))
}

fn number(no: usize, what: &str, field: &str, s: &str) -> Result<f64, DispatchError> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(perr(
            no,
            format!("{what}: field `{field}` must be a finite number, found '{s}'"),
        )),
    }
}

fn non_negative(no: usize, what: &str, field: &str, s: &str) -> Result<f64, DispatchError> {
    let x = number(no, what, field, s)?;
    if x < 0.0 {
        return Err(perr(
            no,
            format!("{what}: field `{field}` must be >= 0, found {s}"),
        ));
    }
    Ok(x)
}

fn index(no: usize, field: &str, s: &str) -> Result<usize, DispatchError> {
    s.parse::<usize>().map_err(|_| {
        perr(
            no,
            format!("task: field `{field}` must be a task id (a whole number >= 0), found '{s}'"),
        )
    })
}

fn parse_task(no: usize, line: &str, expected_id: usize) -> Result<Task, DispatchError> {
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.len() != FIELDS.len() {
        return Err(perr(
            no,
            format!(
                "task: expected {} fields ({}), found {}",
                FIELDS.len(),
                FIELDS.join(" "),
                f.len()
            ),
        ));
    }
    let id = index(no, "id", f[0])?;
    if id != expected_id {
        return Err(perr(
            no,
            format!("task: field `id` should be {expected_id} (tasks are numbered 0, 1, 2… in order), found {id}"),
        ));
    }
    let task = Task {
        id,
        x: number(no, "task", "x", f[1])?,
        y: number(no, "task", "y", f[2])?,
        demand: number(no, "task", "demand", f[3])?,
        ready: number(no, "task", "ready", f[4])?,
        due: number(no, "task", "due", f[5])?,
        service: non_negative(no, "task", "service", f[6])?,
        pickup: index(no, "pickup", f[7])?,
        delivery: index(no, "delivery", f[8])?,
    };
    if task.ready > task.due {
        return Err(perr(
            no,
            format!(
                "task {id}: field `due` ({}) is before field `ready` ({})",
                task.due, task.ready
            ),
        ));
    }
    Ok(task)
}

fn check_depot(depot: &Task, no: usize) -> Result<(), DispatchError> {
    if depot.pickup != 0 || depot.delivery != 0 {
        return Err(perr(
            no,
            "depot (task 0): fields `pickup` and `delivery` must be 0",
        ));
    }
    if depot.demand != 0.0 {
        return Err(perr(no, "depot (task 0): field `demand` must be 0"));
    }
    Ok(())
}

/// Checks that `task` is one end of a pair whose other end points back with the opposite demand.
fn check_pair(tasks: &[Task], task: &Task, no: usize) -> Result<(), DispatchError> {
    let id = task.id;
    let (field, partner) = match (task.pickup, task.delivery) {
        (0, 0) => {
            return Err(perr(
                no,
                format!("task {id}: fields `pickup` and `delivery` are both 0; every task but the depot belongs to a pair"),
            ))
        }
        (p, d) if p != 0 && d != 0 => {
            return Err(perr(
                no,
                format!("task {id}: fields `pickup` ({p}) and `delivery` ({d}) are both set; a task is either a pickup or a delivery"),
            ))
        }
        (0, d) => ("delivery", d),
        (p, _) => ("pickup", p),
    };
    let other = tasks.get(partner).filter(|_| partner != id).ok_or_else(|| {
        perr(
            no,
            format!("task {id}: field `{field}` names task {partner}, which is not another task of the file (0..{})", tasks.len() - 1),
        )
    })?;
    let back = if field == "delivery" {
        other.pickup
    } else {
        other.delivery
    };
    if back != id {
        return Err(perr(
            no,
            format!("task {id}: field `{field}` names task {partner}, which does not name task {id} back"),
        ));
    }
    let sign_ok = if field == "delivery" {
        task.demand >= 0.0
    } else {
        task.demand <= 0.0
    };
    if !sign_ok || task.demand + other.demand != 0.0 {
        return Err(perr(
            no,
            format!(
                "task {id}: field `demand` ({}) must be the opposite of task {partner}'s ({}), >= 0 at the pickup",
                task.demand, other.demand
            ),
        ));
    }
    Ok(())
}

impl Instance {
    /// The pairs `(pickup id, delivery id)`, in increasing pickup id: shipment `k` of
    /// [`Instance::to_problem`] is pair `k`.
    pub fn pairs(&self) -> Vec<(usize, usize)> {
        self.tasks
            .iter()
            .skip(1)
            .filter(|t| t.delivery != 0)
            .map(|t| (t.id, t.delivery))
            .collect()
    }

    /// For every task id, the [`Visit`] that serves it in [`Instance::to_problem`]'s problem
    /// (`None` for the depot). Use it to import routes written as task ids.
    pub fn task_visits(&self) -> Vec<Option<Visit>> {
        let mut visits = vec![None; self.tasks.len()];
        for (k, (p, d)) in self.pairs().into_iter().enumerate() {
            visits[p] = Some(Visit::Pickup(k));
            visits[d] = Some(Visit::Delivery(k));
        }
        visits
    }

    /// Converts to a [`Problem`] with no jobs and one shipment per pair (see [`Instance::pairs`]):
    /// location `i` is task `i` (0 is the depot); the shipment's id is the pickup's id and its stops'
    /// ids are the task ids; each stop has its task's window and service time. The fleet is
    /// `self.vehicles` identical vehicles with the depot's window as shift, `speed` as speed factor,
    /// and cost = distance (per-km cost 1000, so one distance unit costs 1), as
    /// [`crate::solomon::Instance::to_problem`]. Times and distances are scaled by
    /// `rounding.scale()`. The objective is left at its default; set [`Problem::objective`] to
    /// rank by vehicles first as the best-known table does.
    pub fn to_problem(&self, rounding: Rounding) -> Problem {
        let k = rounding.scale();
        let points: Vec<(f64, f64)> = self.tasks.iter().map(|t| (t.x, t.y)).collect();
        let matrix = TravelMatrix::euclidean(&points, rounding);
        let depot = &self.tasks[0];
        let vehicles = (0..self.vehicles)
            .map(|i| {
                let mut v = Vehicle::new(
                    format!("v{}", i + 1),
                    0,
                    Load::weight(self.capacity),
                    TimeWindow::new(depot.ready * k, depot.due * k),
                );
                v.speed_factor = self.speed;
                v.costs = VehicleCosts {
                    fixed: 0.0,
                    per_km: 1000.0 / k,
                    per_hour: 0.0,
                };
                v
            })
            .collect();
        let mut problem = Problem::new(matrix, vehicles, Vec::new());
        problem.shipments = self
            .pairs()
            .into_iter()
            .map(|(p, d)| self.shipment(p, d, k))
            .collect();
        problem
    }

    fn shipment(&self, p: usize, d: usize, k: f64) -> Shipment {
        let (tp, td) = (&self.tasks[p], &self.tasks[d]);
        let mut s = Shipment::new(p.to_string(), p, d, tp.demand);
        for (stop, t) in [(&mut s.pickup, tp), (&mut s.delivery, td)] {
            stop.id = t.id.to_string();
            stop.service = Seconds(t.service * k);
            stop.time_windows = vec![TimeWindow::new(t.ready * k, t.due * k)];
        }
        s
    }
}

/// One row of the best-known solution table (`bks.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BestKnown {
    /// Instance name, e.g. `lc101` or `lr1_2_3` (the file name without `.txt`).
    pub instance: String,
    /// Vehicles of the best-known solution: the first criterion.
    pub vehicles: usize,
    /// Total distance (double-precision Euclidean): the second criterion, for that many vehicles.
    pub distance: f64,
}

/// Reads a best-known table in CSV with a header naming at least the columns `instance`,
/// `vehicles` and `distance` (other columns are ignored; fields hold no commas). The ranking is
/// hierarchical: fewer vehicles first, then shorter distance.
pub fn parse_bks(text: &str) -> Result<Vec<BestKnown>, DispatchError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty());
    let (hno, header) = lines.next().ok_or_else(|| perr(1, "empty table"))?;
    let cols: Vec<&str> = header.split(',').map(str::trim).collect();
    let col = |name: &str| {
        cols.iter()
            .position(|c| *c == name)
            .ok_or_else(|| perr(hno, format!("header: no column `{name}`")))
    };
    let (ci, cv, cd) = (col("instance")?, col("vehicles")?, col("distance")?);
    lines
        .map(|(no, line)| {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            if f.len() != cols.len() {
                return Err(perr(
                    no,
                    format!("expected {} fields, found {}", cols.len(), f.len()),
                ));
            }
            let vehicles = f[cv].parse::<usize>().map_err(|_| {
                perr(
                    no,
                    format!("field `vehicles` must be a whole number, found '{}'", f[cv]),
                )
            })?;
            Ok(BestKnown {
                instance: f[ci].to_string(),
                vehicles,
                distance: non_negative(no, "row", "distance", f[cd])?,
            })
        })
        .collect()
}
