//! From a VROOM document to our [`Problem`] (and back, for exporting benchmark instances).

use std::collections::BTreeMap;

use wuliu_model::{GeoPoint, Meters, Seconds, TravelCosts, Violations};

use super::{
    Input, InputBreak, InputCosts, InputJob, InputShipment, InputShipmentStep, InputVehicle,
    ProfileMatrices, HORIZON,
};
use crate::error::DispatchError;
use crate::matrix::TravelMatrix;
use crate::problem::{
    Break, Job, JobKind, Load, Problem, Shipment, ShipmentStop, TimeWindow, Vehicle, VehicleCosts,
    DIMS,
};
use crate::solution::{Sequences, Visit};

/// Where the locations of a document are: matrix indices, or coordinates mapped to indices.
struct Places {
    matrix: TravelMatrix,
    /// Distinct coordinates in index order (coordinate documents only).
    points: Option<Vec<[f64; 2]>>,
    /// Whether the matrix's distances are a `costs` matrix (cost 1 per unit).
    cost_matrix: bool,
}

impl Places {
    fn index(&self, idx: Option<usize>, coord: Option<[f64; 2]>) -> Option<usize> {
        match &self.points {
            None => idx,
            Some(points) => coord.and_then(|c| points.iter().position(|p| *p == c)),
        }
    }
}

fn windows(ws: Option<&Vec<[u64; 2]>>) -> Vec<TimeWindow> {
    ws.into_iter()
        .flatten()
        .map(|w| TimeWindow::new(w[0] as f64, w[1] as f64))
        .collect()
}

fn skills(s: &Option<Vec<u32>>) -> std::collections::BTreeSet<String> {
    s.iter().flatten().map(|s| s.to_string()).collect()
}

/// An amount padded with zeros to every dimension.
fn amount(v: Option<&Vec<u64>>) -> Load {
    let mut a = [0.0; DIMS];
    for (k, &x) in v.into_iter().flatten().enumerate().take(DIMS) {
        a[k] = x as f64;
    }
    Load::from_dims(a)
}

fn to_f64_rows(m: &[Vec<u64>]) -> Vec<Vec<f64>> {
    m.iter()
        .map(|r| r.iter().map(|&x| x as f64).collect())
        .collect()
}

impl Input {
    /// Number of amount dimensions the document uses (the length of its capacity and amount arrays).
    pub fn dims(&self) -> usize {
        self.amount_fields()
            .map(|(_, a)| a.len())
            .max()
            .unwrap_or(0)
    }

    /// Every amount array with its field path.
    fn amount_fields(&self) -> impl Iterator<Item = (String, &Vec<u64>)> {
        let vehicles = self.vehicles.iter().enumerate().flat_map(|(i, v)| {
            let cap = v
                .capacity
                .iter()
                .map(move |c| (format!("vehicles[{i}].capacity"), c));
            let breaks = v
                .breaks
                .iter()
                .flatten()
                .enumerate()
                .flat_map(move |(b, br)| {
                    br.max_load
                        .iter()
                        .map(move |m| (format!("vehicles[{i}].breaks[{b}].max_load"), m))
                });
            cap.chain(breaks)
        });
        let jobs = self.jobs.iter().enumerate().flat_map(|(i, j)| {
            [
                ("delivery", &j.delivery),
                ("pickup", &j.pickup),
                ("amount", &j.amount),
            ]
            .into_iter()
            .filter_map(move |(name, a)| a.as_ref().map(|a| (format!("jobs[{i}].{name}"), a)))
        });
        let shipments = self.shipments.iter().enumerate().filter_map(|(i, s)| {
            s.amount
                .as_ref()
                .map(|a| (format!("shipments[{i}].amount"), a))
        });
        vehicles.chain(jobs).chain(shipments)
    }

    /// Whether every location is given as a matrix index.
    pub fn uses_matrix(&self) -> bool {
        let vehicles = self.vehicles.iter().all(|v| {
            (v.start_index.is_some() || v.start.is_none())
                && (v.end_index.is_some() || v.end.is_none())
        });
        let steps = self
            .shipments
            .iter()
            .flat_map(|s| [&s.pickup, &s.delivery])
            .all(|s| s.location_index.is_some());
        vehicles && steps && self.jobs.iter().all(|j| j.location_index.is_some())
    }

    /// Whether distances are known: from a `distances` matrix, or from the travel-cost provider
    /// when the document has coordinates.
    pub fn distances_known(&self) -> bool {
        !self.uses_matrix()
            || self
                .profile_matrices()
                .is_some_and(|m| m.distances.is_some())
    }

    /// The caller's distance matrix, when given.
    pub(crate) fn distance_rows(&self) -> Option<&Vec<Vec<u64>>> {
        if !self.uses_matrix() {
            return None;
        }
        match self.matrices.get(&self.profile()) {
            Some(pm) => pm.distances.as_ref(),
            None => None,
        }
    }

    fn profile(&self) -> String {
        self.vehicles
            .first()
            .and_then(|v| v.profile.clone())
            .unwrap_or_else(|| "car".into())
    }

    fn profile_matrices(&self) -> Option<ProfileMatrices> {
        match (self.matrices.get(&self.profile()), &self.matrix) {
            (Some(pm), _) => Some(pm.clone()),
            (None, Some(m)) => Some(ProfileMatrices {
                durations: Some(m.clone()),
                ..Default::default()
            }),
            (None, None) => None,
        }
    }

    /// Converts into a [`Problem`]. With matrices (`*_index` fields), no provider is needed; with
    /// coordinates, `costs` (normally the road network) computes the matrix. When a `costs` matrix is
    /// given, it is used as the distance matrix with a cost of 1 per unit, so the objective equals
    /// VROOM's; otherwise vehicle costs follow VROOM's defaults (`per_hour` 3600, `per_km` 0).
    ///
    /// Errors name the document's field: an empty fleet, nothing to plan, amount arrays of different
    /// lengths, an index outside the matrix, coordinates out of range, a missing matrix.
    pub fn to_problem(&self, costs: Option<&dyn TravelCosts>) -> Result<Problem, DispatchError> {
        self.check_shape()?;
        let places = self.places(costs)?;
        let mut bad = Violations::default();
        let vehicles: Vec<Vehicle> = (self.vehicles.iter().enumerate())
            .filter_map(|(i, v)| self.vehicle(i, v, &places, &mut bad))
            .collect();
        let jobs: Vec<Job> = (self.jobs.iter().enumerate())
            .filter_map(|(i, j)| job(i, j, &places, &mut bad))
            .collect();
        let shipments: Vec<Shipment> = (self.shipments.iter().enumerate())
            .filter_map(|(i, s)| shipment(i, s, &places, &mut bad))
            .collect();
        bad.into_result().map_err(DispatchError::Invalid)?;
        let mut p = Problem::new(places.matrix, vehicles, jobs);
        p.shipments = shipments;
        p.objective = self.objective.unwrap_or_default();
        if self.split_deliveries == Some(true) {
            p = crate::split::split_oversized(&p);
        }
        if let Some(points) = &places.points {
            p.locations = points
                .iter()
                .map(|c| GeoPoint {
                    lat: c[1],
                    lon: c[0],
                })
                .collect();
        }
        p.validate()?;
        Ok(p)
    }

    /// Refuses documents that cannot be planned, naming every field at fault.
    fn check_shape(&self) -> Result<(), DispatchError> {
        let mut bad = Violations::default();
        if self.vehicles.is_empty() {
            bad.push(
                "dispatch.no_vehicles",
                "vehicles",
                "no vehicles: give at least one",
            );
        }
        if self.jobs.is_empty() && self.shipments.is_empty() {
            bad.push(
                "dispatch.nothing_to_plan",
                "jobs",
                "nothing to plan: give jobs or shipments",
            );
        }
        let dims = self.dims();
        for (field, a) in self.amount_fields() {
            if a.len() != dims {
                bad.push(
                    "dispatch.amount_length",
                    field,
                    format!("{} dimensions where other amounts have {dims}", a.len()),
                );
            } else if a.len() > DIMS {
                bad.push(
                    "dispatch.amount_length",
                    field,
                    format!("{} dimensions; at most {DIMS} are supported", a.len()),
                );
            }
        }
        let profiles: std::collections::BTreeSet<String> = self
            .vehicles
            .iter()
            .map(|v| v.profile.clone().unwrap_or_else(|| "car".into()))
            .collect();
        if profiles.len() > 1 {
            bad.push(
                "dispatch.profiles",
                "vehicles",
                format!("vehicles use several profiles {profiles:?}; one profile per problem is supported"),
            );
        }
        self.check_coordinates(&mut bad);
        bad.into_result().map_err(DispatchError::Invalid)
    }

    /// Every `[lon, lat]` pair within range, each fault named by field and printed as given.
    fn check_coordinates(&self, bad: &mut Violations) {
        let mut check = |field: String, c: Option<[f64; 2]>| {
            if let Some([lon, lat]) = c {
                if GeoPoint::new(lat, lon).is_none() {
                    bad.push(
                        "geo.out_of_range",
                        field,
                        format!("[{lon}, {lat}] is not a [longitude, latitude] pair within [-180..180, -90..90]"),
                    );
                }
            }
        };
        for (i, v) in self.vehicles.iter().enumerate() {
            check(format!("vehicles[{i}].start"), v.start);
            check(format!("vehicles[{i}].end"), v.end);
        }
        for (i, j) in self.jobs.iter().enumerate() {
            check(format!("jobs[{i}].location"), j.location);
        }
        for (i, s) in self.shipments.iter().enumerate() {
            check(format!("shipments[{i}].pickup.location"), s.pickup.location);
            check(
                format!("shipments[{i}].delivery.location"),
                s.delivery.location,
            );
        }
    }

    fn places(&self, costs: Option<&dyn TravelCosts>) -> Result<Places, DispatchError> {
        if self.uses_matrix() {
            return self.matrix_places();
        }
        let provider = costs.ok_or_else(|| {
            DispatchError::Matrix("coordinates given but no travel-cost provider".into())
        })?;
        let mut points: Vec<[f64; 2]> = Vec::new();
        let mut add = |p: Option<[f64; 2]>| {
            if let Some(p) = p {
                if !points.contains(&p) {
                    points.push(p);
                }
            }
        };
        for v in &self.vehicles {
            add(v.start);
            add(v.end);
        }
        self.jobs.iter().for_each(|j| add(j.location));
        for s in &self.shipments {
            add(s.pickup.location);
            add(s.delivery.location);
        }
        let geo: Vec<GeoPoint> = points
            .iter()
            .map(|p| GeoPoint {
                lat: p[1],
                lon: p[0],
            })
            .collect();
        Ok(Places {
            matrix: TravelMatrix::from_travel_costs_at(provider, &geo, self.departure)?,
            points: Some(points),
            cost_matrix: false,
        })
    }

    fn matrix_places(&self) -> Result<Places, DispatchError> {
        let profile = self.profile();
        let missing = || {
            DispatchError::Invalid(Violations(vec![wuliu_model::Violation {
                code: "dispatch.no_matrix".into(),
                field: format!("matrices.{profile}.durations"),
                message: format!(
                    "locations are matrix indices but there is no `matrices.{profile}.durations` (or `costs`) matrix; give one, or give coordinates in `location`"
                ),
            }]))
        };
        let pm = self.profile_matrices().ok_or_else(missing)?;
        let durations = pm
            .durations
            .clone()
            .or_else(|| pm.costs.clone())
            .ok_or_else(missing)?;
        let (distances, cost_matrix) = match (&pm.costs, &pm.distances) {
            (Some(c), _) => (c.clone(), true),
            (None, Some(d)) => (d.clone(), false),
            // Distances unknown: zero, and left out of the answer.
            (None, None) => (durations.iter().map(|r| vec![0; r.len()]).collect(), false),
        };
        Ok(Places {
            matrix: TravelMatrix::from_rows(&to_f64_rows(&distances), &to_f64_rows(&durations))?,
            points: None,
            cost_matrix,
        })
    }

    fn vehicle(
        &self,
        i: usize,
        v: &InputVehicle,
        places: &Places,
        bad: &mut Violations,
    ) -> Option<Vehicle> {
        let f = format!("vehicles[{i}]");
        let start = places.index(v.start_index, v.start);
        let end = places.index(v.end_index, v.end);
        if start.is_none() && end.is_none() {
            bad.push(
                "dispatch.no_start_or_end",
                &f,
                "a vehicle needs a start, an end or both",
            );
            return None;
        }
        let dims = self.dims();
        // Dimensions no amount uses stay at zero; a vehicle without capacity has no limit.
        let mut cap = [0.0; DIMS];
        for (k, x) in cap.iter_mut().enumerate().take(dims) {
            *x = v.capacity.as_ref().map_or(f64::MAX, |c| c[k] as f64);
        }
        let tw = v.time_window.map_or(TimeWindow::new(0.0, HORIZON), |w| {
            TimeWindow::new(w[0] as f64, w[1] as f64)
        });
        let mut veh = Vehicle::new(v.id.to_string(), 0, Load::from_dims(cap), tw);
        veh.start = start;
        veh.end = end;
        veh.skills = skills(&v.skills);
        veh.costs = costs(v.costs.clone().unwrap_or_default(), places.cost_matrix);
        if veh.costs.per_km > 0.0 && !places.cost_matrix && !self.distances_known() {
            bad.push(
                "dispatch.no_distances",
                format!("{f}.costs.per_km"),
                "a cost per km needs a `distances` matrix (or coordinates)",
            );
        }
        veh.max_tasks = v.max_tasks.map(|x| x as usize);
        veh.max_travel_time = v.max_travel_time.map(|x| Seconds(x as f64));
        veh.max_distance = v.max_distance.map(|x| Meters(x as f64));
        veh.speed_factor = v.speed_factor.unwrap_or(1.0);
        veh.vehicle_type = v.vehicle_type.clone();
        veh.breaks = v.breaks.iter().flatten().map(break_of).collect();
        Some(veh)
    }

    /// The given routes of plan mode (vehicles' `steps`) as visits, or `None` when no vehicle has
    /// steps. Unknown or repeated ids are refused, naming the step.
    pub fn plan_visits(&self) -> Result<Option<Sequences>, DispatchError> {
        if self.vehicles.iter().all(|v| v.steps.is_none()) {
            return Ok(None);
        }
        let mut bad = Violations::default();
        let mut used = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for (i, v) in self.vehicles.iter().enumerate() {
            let mut visits = Vec::new();
            for (k, s) in v.steps.iter().flatten().enumerate() {
                let field = format!("vehicles[{i}].steps[{k}]");
                match self.step_visit(v, &s.kind, s.id) {
                    Ok(None) => {}
                    Ok(Some(x)) if !matches!(x, Visit::Break(_)) && !used.insert(x) => bad.push(
                        "dispatch.task_twice",
                        field,
                        "this task is already in a route",
                    ),
                    Ok(Some(x)) => visits.push(x),
                    Err(msg) => bad.push("dispatch.unknown_step", field, msg),
                }
            }
            out.push((i, visits));
        }
        bad.into_result().map_err(DispatchError::Invalid)?;
        Ok(Some(out))
    }

    pub(crate) fn step_visit(
        &self,
        v: &InputVehicle,
        kind: &str,
        id: Option<u64>,
    ) -> Result<Option<Visit>, String> {
        let find = |pos: Option<usize>, what: &str| {
            pos.ok_or_else(|| {
                format!(
                    "no {what} with id {}",
                    id.map_or("(none)".into(), |i| i.to_string())
                )
            })
        };
        Ok(Some(match kind {
            "start" | "end" => return Ok(None),
            "job" => Visit::Job(find(
                self.jobs.iter().position(|j| Some(j.id) == id),
                "job",
            )?),
            "pickup" => Visit::Pickup(find(
                self.shipments.iter().position(|s| Some(s.pickup.id) == id),
                "pickup",
            )?),
            "delivery" => Visit::Delivery(find(
                self.shipments
                    .iter()
                    .position(|s| Some(s.delivery.id) == id),
                "delivery",
            )?),
            "break" => Visit::Break(find(
                v.breaks.iter().flatten().position(|b| Some(b.id) == id),
                "break",
            )?),
            other => return Err(format!("unknown step type {other:?}")),
        }))
    }
}

fn costs(c: InputCosts, cost_matrix: bool) -> VehicleCosts {
    let fixed = c.fixed.unwrap_or(0) as f64;
    if cost_matrix {
        VehicleCosts {
            fixed,
            per_km: 1000.0,
            per_hour: 0.0,
        }
    } else {
        VehicleCosts {
            fixed,
            per_km: c.per_km.unwrap_or(0) as f64,
            per_hour: c.per_hour.unwrap_or(3600) as f64,
        }
    }
}

fn break_of(b: &InputBreak) -> Break {
    Break {
        id: b.id.to_string(),
        time_windows: if b.time_windows.is_empty() {
            vec![TimeWindow::new(0.0, HORIZON)]
        } else {
            windows(Some(&b.time_windows))
        },
        service: Seconds(b.service.unwrap_or(0) as f64),
        max_load: b.max_load.as_ref().map(|m| {
            let mut a = Load::unlimited().dims();
            m.iter()
                .enumerate()
                .take(DIMS)
                .for_each(|(k, &x)| a[k] = x as f64);
            Load::from_dims(a)
        }),
    }
}

fn located(
    places: &Places,
    f: &str,
    idx: Option<usize>,
    c: Option<[f64; 2]>,
    bad: &mut Violations,
) -> Option<usize> {
    let n = places.matrix.size();
    match places.index(idx, c) {
        Some(i) if i < n => Some(i),
        Some(i) => {
            bad.push(
                "dispatch.location_out_of_range",
                format!("{f}.location_index"),
                format!("index {i} is outside the {n}x{n} matrix"),
            );
            None
        }
        None => {
            bad.push(
                "dispatch.no_location",
                format!("{f}.location"),
                "no location given",
            );
            None
        }
    }
}

fn job(i: usize, j: &InputJob, places: &Places, bad: &mut Violations) -> Option<Job> {
    let f = format!("jobs[{i}]");
    let loc = located(places, &f, j.location_index, j.location, bad)?;
    let delivery = amount(j.delivery.as_ref().or(j.amount.as_ref()));
    let pickup = amount(j.pickup.as_ref());
    let zero = |l: &Load| l.dims().iter().all(|&x| x == 0.0);
    let mut job = Job::delivery(j.id.to_string(), loc, 0.0);
    if zero(&delivery) && !zero(&pickup) {
        job.kind = JobKind::Pickup;
        job.load = pickup;
    } else {
        job.load = delivery;
        job.backhaul = pickup;
    }
    job.setup = Seconds(j.setup.unwrap_or(0) as f64);
    job.service = Seconds(j.service.unwrap_or(0) as f64);
    job.time_windows = windows(j.time_windows.as_ref());
    job.skills = skills(&j.skills);
    job.priority = j.priority.unwrap_or(0);
    Some(job)
}

fn stop(
    f: &str,
    s: &InputShipmentStep,
    places: &Places,
    bad: &mut Violations,
) -> Option<ShipmentStop> {
    let loc = located(places, f, s.location_index, s.location, bad)?;
    let mut stop = ShipmentStop::at(s.id.to_string(), loc);
    stop.setup = Seconds(s.setup.unwrap_or(0) as f64);
    stop.service = Seconds(s.service.unwrap_or(0) as f64);
    stop.time_windows = windows(s.time_windows.as_ref());
    Some(stop)
}

fn shipment(
    i: usize,
    s: &InputShipment,
    places: &Places,
    bad: &mut Violations,
) -> Option<Shipment> {
    let f = format!("shipments[{i}]");
    let pickup = stop(&format!("{f}.pickup"), &s.pickup, places, bad);
    let delivery = stop(&format!("{f}.delivery"), &s.delivery, places, bad);
    let (pickup, delivery) = (pickup?, delivery?);
    let mut sh = Shipment::new(format!("p{}-d{}", s.pickup.id, s.delivery.id), 0, 0, 0.0);
    sh.pickup = pickup;
    sh.delivery = delivery;
    sh.load = amount(s.amount.as_ref());
    sh.skills = skills(&s.skills);
    sh.priority = s.priority.unwrap_or(0);
    Some(sh)
}

impl Input {
    /// Writes a [`Problem`] as a VROOM document with `car` matrices (durations and distances rounded to
    /// whole seconds and metres). Ids that are not integers are replaced by their position + 1.
    pub fn from_problem(p: &Problem) -> Input {
        let n = p.matrix.size();
        let rows = |f: &dyn Fn(usize, usize) -> f64| -> Vec<Vec<u64>> {
            (0..n)
                .map(|i| (0..n).map(|j| f(i, j).round() as u64).collect())
                .collect()
        };
        let id = |s: &str, i: usize| s.parse::<u64>().unwrap_or(i as u64 + 1);
        let int = |x: f64| {
            if x >= f64::MAX {
                u64::MAX
            } else {
                x.round() as u64
            }
        };
        let amount = |l: &Load| -> Vec<u64> { vec![int(l.weight.0), int(l.volume.0)] };
        let tws = |ws: &[TimeWindow]| {
            (!ws.is_empty()).then(|| ws.iter().map(|w| [int(w.start.0), int(w.end.0)]).collect())
        };
        let skill_ids = |s: &std::collections::BTreeSet<String>| {
            (!s.is_empty()).then(|| s.iter().filter_map(|s| s.parse().ok()).collect())
        };
        let vehicles = p
            .vehicles
            .iter()
            .enumerate()
            .map(|(i, v)| InputVehicle {
                id: id(&v.id, i),
                start_index: v.start,
                end_index: v.end,
                capacity: Some(amount(&v.capacity)),
                skills: skill_ids(&v.skills),
                time_window: Some([int(v.shift.start.0), int(v.shift.end.0)]),
                costs: Some(InputCosts {
                    fixed: Some(int(v.costs.fixed)),
                    per_hour: Some(int(v.costs.per_hour)),
                    per_km: Some(int(v.costs.per_km)),
                }),
                max_tasks: v.max_tasks.map(|x| x as u64),
                speed_factor: (v.speed_factor != 1.0).then_some(v.speed_factor),
                ..Default::default()
            })
            .collect();
        let jobs = p
            .jobs
            .iter()
            .enumerate()
            .map(|(i, j)| {
                let (delivery, pickup) = match j.kind {
                    JobKind::Delivery => (Some(amount(&j.load)), Some(amount(&j.backhaul))),
                    JobKind::Pickup => (None, Some(amount(&j.load))),
                };
                InputJob {
                    id: id(&j.id, i),
                    location_index: Some(j.location),
                    setup: (j.setup.0 > 0.0).then(|| int(j.setup.0)),
                    service: Some(int(j.service.0)),
                    delivery,
                    pickup,
                    skills: skill_ids(&j.skills),
                    priority: (j.priority > 0).then_some(j.priority),
                    time_windows: tws(&j.time_windows),
                    ..Default::default()
                }
            })
            .collect();
        let step = |s: &ShipmentStop, i: usize| InputShipmentStep {
            id: id(&s.id, i),
            location_index: Some(s.location),
            setup: (s.setup.0 > 0.0).then(|| int(s.setup.0)),
            service: Some(int(s.service.0)),
            time_windows: tws(&s.time_windows),
            ..Default::default()
        };
        let shipments = p
            .shipments
            .iter()
            .enumerate()
            .map(|(i, s)| InputShipment {
                pickup: step(&s.pickup, 2 * i),
                delivery: step(&s.delivery, 2 * i + 1),
                amount: Some(amount(&s.load)),
                skills: skill_ids(&s.skills),
                priority: (s.priority > 0).then_some(s.priority),
            })
            .collect();
        let mut matrices = BTreeMap::new();
        matrices.insert(
            "car".to_string(),
            ProfileMatrices {
                durations: Some(rows(&|i, j| p.matrix.duration(i, j))),
                distances: Some(rows(&|i, j| p.matrix.distance(i, j))),
                costs: None,
            },
        );
        Input {
            vehicles,
            jobs,
            shipments,
            matrix: None,
            matrices,
            departure: None,
            objective: (p.objective != Default::default()).then_some(p.objective),
            split_deliveries: None,
        }
    }
}
