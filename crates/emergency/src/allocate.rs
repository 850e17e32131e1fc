//! The exact allocation model, solved with HiGHS.
//!
//! Variables, for every stockpile–request pair `(s, r)` trucks can serve (see [`crate::evaluate`]):
//! * `x[s,r,i]` integer units of item `i` shipped, for items `r` asks for and `s` has good on arrival;
//!   quantities are whole units because every item is counted in units;
//! * `y[s,r]` integer truckloads of the depot's representative truck (mean payload and volume of its
//!   usable vehicles): `y ≥ Σ_i x·weight / payload` and `y ≥ Σ_i x·volume / volume capacity`;
//! * `u[r,i]` unmet units, `Σ_s x[s,r,i] + u[r,i] = demand`.
//!
//! Limits: the nested stock condition per (stockpile, item) (lots good on arrival); fleet time per
//! stockpile, `Σ_r y[s,r] × (2 × driving time + handling) ≤ Σ_vehicles (horizon − available_from)` —
//! the fleet is treated as a pool of truck-seconds, so the sequence of trips is left to the routes.
//!
//! The objective is exactly [`crate::evaluate::evaluate`]'s: the reported objective is recomputed
//! from the rounded solution by that function, the bound and gap come from HiGHS (plus the unmet
//! cost of request lines no stockpile can serve, a constant the model leaves out).
//!
//! Warm start: the best of three plans — the greedy baseline; the LP relaxation's quantities
//! rounded down and completed greedily; and the LP's truckloads made whole within each depot's fleet
//! time with the best loads for those trucks (a second, easy MIP), completed greedily. The third
//! matters when the fleet binds: there the LP's fractional truckloads, rounded up pair by pair,
//! need more fleet time than there is, and HiGHS's own search spends the limit on root cuts (on the
//! 200 × 30 benchmark at 12 h it took the gap from 13.3 % to 0.34 %).

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use highs::{Col, HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::evaluate::{evaluate_prepared, late_coef, truck_coef, trucks_for, unmet_coef};
use crate::evaluate::{Evaluation, Flow, Truckloads, Unmet};
use crate::greedy::{greedy_flows, greedy_from};
use crate::model::Problem;
use crate::prepare::Prepared;

/// Solver options. Set the environment variable `WULIU_HIGHS_LOG` to see HiGHS's own log on stdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AllocateOptions {
    /// Wall-clock limit for HiGHS in seconds (default 20).
    pub time_limit_s: f64,
    /// Relative optimality gap at which HiGHS stops (default 1e-4).
    pub mip_rel_gap: f64,
    /// Start HiGHS from the greedy plan (default `true`); it then always has a plan to report.
    pub warm_start: bool,
}

impl Default for AllocateOptions {
    fn default() -> Self {
        AllocateOptions {
            time_limit_s: 20.0,
            mip_rel_gap: 1e-4,
            warm_start: true,
        }
    }
}

/// How the allocation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal within the requested gap.
    Optimal,
    /// Stopped at the time limit; `gap` says how far from the bound the plan may be.
    TimeLimit,
    /// Built by the greedy baseline; no bound.
    Heuristic,
}

/// An allocation: what each stockpile sends to each request, and what stays unmet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// Shipments, in stockpile, request and request-line order.
    pub flows: Vec<Flow>,
    /// Unmet demand by request line.
    pub unmet: Vec<Unmet>,
    /// Truckloads by pair.
    pub truckloads: Vec<Truckloads>,
    /// Objective of `flows` (see [`crate::evaluate`]).
    pub objective: f64,
    /// Priority-weighted unmet kilograms (part of `objective`).
    pub unmet_cost: f64,
    /// Lateness cost (part of `objective`).
    pub lateness_cost: f64,
    /// Transport cost (part of `objective`).
    pub transport_cost: f64,
    /// Solver's lower bound on the objective; `None` for heuristics.
    pub bound: Option<f64>,
    /// Relative gap `(objective − bound) / objective`; `None` for heuristics.
    pub gap: Option<f64>,
    /// How it ended.
    pub status: Status,
    /// Wall-clock milliseconds spent (model building and solving).
    pub solve_ms: u64,
}

impl Allocation {
    /// The allocation of nothing (no request open): optimal, zero everywhere.
    pub fn empty() -> Self {
        Allocation {
            flows: vec![],
            unmet: vec![],
            truckloads: vec![],
            objective: 0.0,
            unmet_cost: 0.0,
            lateness_cost: 0.0,
            transport_cost: 0.0,
            bound: Some(0.0),
            gap: Some(0.0),
            status: Status::Optimal,
            solve_ms: 0,
        }
    }

    pub(crate) fn from_eval(
        flows: Vec<Flow>,
        e: Evaluation,
        status: Status,
        started: Instant,
    ) -> Self {
        Allocation {
            flows,
            unmet: e.unmet,
            truckloads: e.truckloads,
            objective: e.objective,
            unmet_cost: e.unmet_cost,
            lateness_cost: e.lateness_cost,
            transport_cost: e.transport_cost,
            bound: None,
            gap: None,
            status,
            solve_ms: started.elapsed().as_millis() as u64,
        }
    }
}

/// Solves the exact allocation model (see the module docs).
///
/// Cost: one mixed-integer program with about one integer variable per (reachable pair, requested item
/// in stock) plus one per pair; bounded by `options.time_limit_s`. Runs on the calling thread.
///
/// # Errors
/// [`Error::Invalid`] for an invalid problem, [`Error::Option`] for bad options, [`Error::Solver`]
/// when HiGHS fails.
pub fn allocate(problem: &Problem, options: &AllocateOptions) -> Result<Allocation, Error> {
    let started = Instant::now();
    check_options(options)?;
    let prep = Prepared::new(problem)?;
    let model = Model::build(&prep, false, None);
    if model.x.is_empty() {
        let e = evaluate_prepared(&prep, &[]);
        let mut a = Allocation::from_eval(Vec::new(), e, Status::Optimal, started);
        (a.bound, a.gap) = (Some(a.objective), Some(0.0));
        return Ok(a);
    }
    let start = options
        .warm_start
        .then(|| model.start(&prep, &warm_start(&prep, options.time_limit_s / 2.0)));
    let left = options.time_limit_s - started.elapsed().as_secs_f64();
    let options = AllocateOptions {
        time_limit_s: left.max(0.1),
        ..options.clone()
    };
    let (values, bound, status) = model.solve(&options, start.as_deref())?;
    let flows = model.flows(&prep, &values);
    let e = evaluate_prepared(&prep, &flows);
    if !e.violations.is_empty() {
        return Err(Error::Solver(format!(
            "solution fails the check: {}",
            e.violations[0]
        )));
    }
    let mut a = Allocation::from_eval(flows, e, status, started);
    let bound = (bound + model.constant).min(a.objective);
    a.gap = Some(if a.objective > 1e-9 {
        (a.objective - bound) / a.objective
    } else {
        0.0
    });
    a.bound = Some(bound);
    Ok(a)
}

/// The better of the greedy plan and the LP relaxation rounded down and completed greedily.
///
/// The MIP's root cuts can take the whole time limit on large instances without a better incumbent;
/// with integer quantities in the tens to hundreds, the rounded LP is usually within a fraction of a
/// percent of the bound.
fn warm_start(prep: &Prepared, time_limit_s: f64) -> Vec<Flow> {
    let started = Instant::now();
    let greedy = greedy_flows(prep);
    let lp = Model::build(prep, true, None);
    let Some(cols) = lp.relaxed_solution(time_limit_s) else {
        return greedy;
    };
    let initial: Vec<_> =
        lp.x.iter()
            .map(|&(k, i, c)| (k, i, (cols[c.index()] + 1e-6).floor().max(0.0) as u64))
            .filter(|x| x.2 > 0)
            .collect();
    let mut candidates = vec![greedy, greedy_from(prep, &initial)];
    let left = time_limit_s - started.elapsed().as_secs_f64();
    if let Some(fixed) = fixed_trucks_plan(prep, &lp, &cols, left.max(1.0)) {
        candidates.push(greedy_from(prep, &fixed));
    }
    let cost = |f: &[Flow]| evaluate_prepared(prep, f).objective;
    candidates
        .into_iter()
        .min_by(|a, b| cost(a).total_cmp(&cost(b)))
        .expect("at least the greedy")
}

/// The LP's truckloads made whole — each pair's rounded down, then rounded up where the depot's
/// fleet time allows, nearest to a whole truck first — and the best loads for exactly those
/// trucks (the MIP with the truckloads fixed, an easy one). When the fleet binds, rounding the
/// LP's quantities alone needs more trucks than there are.
fn fixed_trucks_plan(
    prep: &Prepared,
    lp: &Model,
    cols: &[f64],
    time_limit_s: f64,
) -> Option<Vec<(usize, usize, u64)>> {
    let mut used = vec![0.0; prep.depots.len()];
    let mut fixed: HashMap<usize, f64> = HashMap::new();
    let mut fractional = Vec::new();
    for (&k, &c) in &lp.y {
        let y = cols[c.index()].max(0.0);
        let whole = (y + 1e-6).floor();
        fixed.insert(k, whole);
        used[prep.pairs[k].s] += whole * prep.pairs[k].round_trip_s;
        if y - whole > 1e-6 {
            fractional.push((k, y - whole));
        }
    }
    fractional.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (k, _) in fractional {
        let pair = &prep.pairs[k];
        if used[pair.s] + pair.round_trip_s <= prep.depots[pair.s].budget_s + 1e-6 {
            used[pair.s] += pair.round_trip_s;
            *fixed.get_mut(&k).expect("inserted") += 1.0;
        }
    }
    let model = Model::build(prep, false, Some(&fixed));
    let options = AllocateOptions {
        time_limit_s,
        mip_rel_gap: 1e-3,
        warm_start: false,
    };
    let (values, _, _) = model.solve(&options, None).ok()?;
    Some(
        model
            .x
            .iter()
            .map(|&(k, i, c)| (k, i, (values[c.index()] + 1e-6).floor().max(0.0) as u64))
            .filter(|x| x.2 > 0)
            .collect(),
    )
}

fn check_options(o: &AllocateOptions) -> Result<(), Error> {
    if !(o.time_limit_s.is_finite() && o.time_limit_s > 0.0) {
        let reason = format!("{} is not a positive number of seconds", o.time_limit_s);
        return Err(Error::Option {
            name: "time_limit_s",
            reason,
        });
    }
    if !(0.0..1.0).contains(&o.mip_rel_gap) {
        let reason = format!("{} is outside [0, 1)", o.mip_rel_gap);
        return Err(Error::Option {
            name: "mip_rel_gap",
            reason,
        });
    }
    Ok(())
}

/// The MIP and the meaning of its columns.
struct Model {
    relaxed: bool,
    pb: RowProblem,
    /// (pair index, item, column).
    x: Vec<(usize, usize, Col)>,
    /// pair index → truckload column.
    y: BTreeMap<usize, Col>,
    /// (request, item) → unmet column.
    u: HashMap<(usize, usize), Col>,
    /// Objective coefficient of every column.
    cost: Vec<f64>,
    /// Truckloads fixed per pair (the warm start's second model), if any.
    fixed: Option<HashMap<usize, f64>>,
    /// Objective part no column can change: the unmet cost of request lines no stockpile can
    /// serve. Added to HiGHS's bound, whose objective leaves it out.
    constant: f64,
}

impl Model {
    /// The model; `relaxed` drops every integrality (the LP relaxation); `fixed` fixes each pair's
    /// truckloads (pairs not in it get none).
    fn build(prep: &Prepared, relaxed: bool, fixed: Option<&HashMap<usize, f64>>) -> Model {
        let mut m = Model {
            relaxed,
            fixed: fixed.cloned(),
            pb: RowProblem::default(),
            x: Vec::new(),
            y: BTreeMap::new(),
            u: HashMap::new(),
            cost: Vec::new(),
            constant: 0.0,
        };
        let mut by_line: HashMap<(usize, usize), Vec<Col>> = HashMap::new();
        let mut by_si: BTreeMap<(usize, usize), Vec<(u64, Col)>> = BTreeMap::new();
        for (k, pair) in prep.pairs.iter().enumerate() {
            let mut load = Vec::new();
            for &(i, want) in &prep.lines[pair.r] {
                let usable = prep.usable(pair.s, i, pair.arrival_s);
                if usable == 0 {
                    continue;
                }
                let upper = want.min(usable);
                let col = m.column(late_coef(prep, pair, i), upper as f64, true);
                m.x.push((k, i, col));
                by_line.entry((pair.r, i)).or_default().push(col);
                by_si.entry((pair.s, i)).or_default().push((usable, col));
                load.push((i, col, upper));
            }
            if !load.is_empty() {
                m.add_trucks(prep, k, &load);
            }
        }
        m.add_demand(prep, &by_line);
        m.add_stock(by_si);
        m.add_fleet(prep);
        m
    }

    fn column(&mut self, cost: f64, upper: f64, integer: bool) -> Col {
        self.cost.push(cost);
        self.pb
            .add_column_with_integrality(cost, 0.0..=upper, integer && !self.relaxed)
    }

    /// Truckloads of pair `k` carry its load: `load ≤ cap × y` for weight and volume. The
    /// capacity is tightened to the most the pair can ever carry (every column at its upper
    /// bound) where that is less than a truck: valid because `y` is a whole number, and it makes
    /// the relaxation pay a whole round trip for a request smaller than a truck.
    fn add_trucks(&mut self, prep: &Prepared, k: usize, load: &[(usize, Col, u64)]) {
        let pair = &prep.pairs[k];
        let depot = &prep.depots[pair.s];
        let y = match &self.fixed {
            None => self.column(truck_coef(pair), f64::INFINITY, true),
            Some(f) => {
                let n = f.get(&k).copied().unwrap_or(0.0);
                self.cost.push(truck_coef(pair));
                let integer = !self.relaxed;
                self.pb
                    .add_column_with_integrality(truck_coef(pair), n..=n, integer)
            }
        };
        self.y.insert(k, y);
        let items = &prep.p.items;
        let most = |per_unit: fn(&crate::model::Item) -> f64| -> f64 {
            load.iter()
                .map(|&(i, _, upper)| per_unit(&items[i]) * upper as f64)
                .sum()
        };
        let cap_kg = depot.cap_kg.min(most(|i| i.unit_weight_kg));
        let cap_m3 = depot.cap_m3.min(most(|i| i.unit_volume_m3));
        let kg = load.iter().map(|&(i, c, _)| (c, -items[i].unit_weight_kg));
        self.pb
            .add_row(0.0.., kg.chain([(y, cap_kg)]).collect::<Vec<_>>());
        let m3 = load.iter().map(|&(i, c, _)| (c, -items[i].unit_volume_m3));
        self.pb
            .add_row(0.0.., m3.chain([(y, cap_m3)]).collect::<Vec<_>>());
    }

    fn add_demand(&mut self, prep: &Prepared, by_line: &HashMap<(usize, usize), Vec<Col>>) {
        for (r, lines) in prep.lines.iter().enumerate() {
            for &(i, want) in lines {
                let Some(cols) = by_line.get(&(r, i)) else {
                    self.constant += want as f64 * unmet_coef(prep, r, i);
                    continue;
                };
                let u = self.column(unmet_coef(prep, r, i), want as f64, false);
                self.u.insert((r, i), u);
                let row: Vec<_> = cols.iter().map(|&c| (c, 1.0)).chain([(u, 1.0)]).collect();
                self.pb.add_row(want as f64..=want as f64, row);
            }
        }
    }

    /// Nested stock rows: for each usable level `L`, shipments with usable stock ≤ `L` sum to ≤ `L`.
    fn add_stock(&mut self, by_si: BTreeMap<(usize, usize), Vec<(u64, Col)>>) {
        for (_, mut list) in by_si {
            list.sort_by_key(|&(level, c)| (level, c.index()));
            for (k, &(level, _)) in list.iter().enumerate() {
                // A single column is already bounded by its own usable stock.
                let last_of_level = list.get(k + 1).is_none_or(|n| n.0 != level);
                if last_of_level && k > 0 {
                    let row: Vec<_> = list[..=k].iter().map(|&(_, c)| (c, 1.0)).collect();
                    self.pb.add_row(..=level as f64, row);
                }
            }
        }
    }

    fn add_fleet(&mut self, prep: &Prepared) {
        let mut by_s: BTreeMap<usize, Vec<(Col, f64)>> = BTreeMap::new();
        for (&k, &y) in &self.y {
            let pair = &prep.pairs[k];
            by_s.entry(pair.s).or_default().push((y, pair.round_trip_s));
        }
        for (s, row) in by_s {
            self.pb.add_row(..=prep.depots[s].budget_s, row);
        }
    }

    /// Column values of a feasible plan given as flows (the warm start).
    fn start(&self, prep: &Prepared, flows: &[Flow]) -> Vec<f64> {
        let mut q: HashMap<(usize, usize, usize), f64> = HashMap::new();
        for f in flows {
            let key = (
                prep.stock_ix[f.stockpile.as_str()],
                prep.req_ix[f.request.as_str()],
                prep.item_ix[f.item.as_str()],
            );
            *q.entry(key).or_insert(0.0) += f.quantity as f64;
        }
        let mut v = vec![0.0; self.pb.num_cols()];
        let mut load: HashMap<usize, (f64, f64)> = HashMap::new();
        let mut got: HashMap<(usize, usize), f64> = HashMap::new();
        for &(k, i, col) in &self.x {
            let pair = &prep.pairs[k];
            let units = q.get(&(pair.s, pair.r, i)).copied().unwrap_or(0.0);
            v[col.index()] = units;
            let l = load.entry(k).or_default();
            l.0 += units * prep.p.items[i].unit_weight_kg;
            l.1 += units * prep.p.items[i].unit_volume_m3;
            *got.entry((pair.r, i)).or_default() += units;
        }
        for (&k, &col) in &self.y {
            let (kg, m3) = load.get(&k).copied().unwrap_or_default();
            v[col.index()] = trucks_for(prep, prep.pairs[k].s, kg, m3) as f64;
        }
        for (&(r, i), &col) in &self.u {
            let want = prep.lines[r].iter().find(|l| l.0 == i).map_or(0, |l| l.1) as f64;
            v[col.index()] = want - got.get(&(r, i)).copied().unwrap_or(0.0);
        }
        v
    }

    /// Solves; if HiGHS hands back columns that do not match its own objective (seen when a warm
    /// start is given and presolve finishes the model), solves again without the start.
    fn solve(
        &self,
        o: &AllocateOptions,
        start: Option<&[f64]>,
    ) -> Result<(Vec<f64>, f64, Status), Error> {
        let (cols, objective, bound, status) = self.solve_once(o, start)?;
        let value: f64 = cols.iter().zip(&self.cost).map(|(v, c)| v * c).sum();
        if start.is_some() && (value - objective).abs() > 1e-6 * objective.abs().max(1.0) {
            let (cols, _, bound, status) = self.solve_once(o, None)?;
            return Ok((cols, bound, status));
        }
        Ok((cols, bound, status))
    }

    /// Column values of the optimal LP solution, if found within `time_limit_s`.
    fn relaxed_solution(&self, time_limit_s: f64) -> Option<Vec<f64>> {
        let mut model = self.pb.clone().optimise(Sense::Minimise);
        model.try_set_option("time_limit", time_limit_s).ok()?;
        let solved = model.try_solve().ok()?;
        (solved.status() == HighsModelStatus::Optimal)
            .then(|| solved.get_solution().columns().to_vec())
    }

    fn solve_once(
        &self,
        o: &AllocateOptions,
        start: Option<&[f64]>,
    ) -> Result<(Vec<f64>, f64, f64, Status), Error> {
        let mut model = self.pb.clone().optimise(Sense::Minimise);
        let fail = |what: &str| Error::Solver(format!("HiGHS refused option {what}"));
        model
            .try_set_option("time_limit", o.time_limit_s)
            .map_err(|_| fail("time_limit"))?;
        model
            .try_set_option("mip_rel_gap", o.mip_rel_gap)
            .map_err(|_| fail("mip_rel_gap"))?;
        if std::env::var_os("WULIU_HIGHS_LOG").is_some() {
            model
                .try_set_option("output_flag", true)
                .map_err(|_| fail("output_flag"))?;
            model
                .try_set_option("log_to_console", true)
                .map_err(|_| fail("log_to_console"))?;
        }
        if let Some(cols) = start {
            model
                .try_set_solution(Some(cols), None, None, None)
                .map_err(|e| Error::Solver(format!("warm start: {e:?}")))?;
        }
        let solved = model
            .try_solve()
            .map_err(|e| Error::Solver(format!("{e:?}")))?;
        let status = match solved.status() {
            HighsModelStatus::Optimal => Status::Optimal,
            HighsModelStatus::ReachedTimeLimit
            | HighsModelStatus::ReachedIterationLimit
            | HighsModelStatus::ReachedInterrupt
            | HighsModelStatus::ReachedSolutionLimit => Status::TimeLimit,
            other => return Err(Error::Solver(format!("model status {other:?}"))),
        };
        if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
            return Err(Error::Solver(format!("no feasible solution ({status:?})")));
        }
        let bound = solved
            .double_info_value(c"mip_dual_bound")
            .map_err(|e| Error::Solver(format!("{e:?}")))?;
        let cols = solved.get_solution().columns().to_vec();
        Ok((cols, solved.objective_value(), bound, status))
    }

    fn flows(&self, prep: &Prepared, values: &[f64]) -> Vec<Flow> {
        let mut flows = Vec::new();
        for &(k, i, col) in &self.x {
            let quantity = values[col.index()].round().max(0.0) as u64;
            if quantity == 0 {
                continue;
            }
            let pair = &prep.pairs[k];
            flows.push(Flow {
                stockpile: prep.p.stockpiles[pair.s].id.clone(),
                request: prep.p.requests[pair.r].id.clone(),
                item: prep.p.items[i].id.clone(),
                quantity,
            });
        }
        flows
    }
}
