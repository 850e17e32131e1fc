//! The drill's running state: what each request still lacks, the stock left, when each vehicle is
//! back, and the deliveries made.

use std::collections::{BTreeSet, HashMap};

use super::{
    Delivery, DrillReport, Policy, PriorityFigures, Scenario, MAX_AREA_POINTS, MAX_EVENTS,
};
use crate::allocate::Allocation;
use crate::error::{Error, Invalid};
use crate::geometry::segment_enters;
use crate::model::{priority_weight, Lot, Problem, Request, Stockpile, Vehicle};
use crate::stock::{lots_at, take_fefo};

pub(super) struct State<'a> {
    scn: &'a Scenario,
    /// Per request: seconds from the start at which it is known.
    known_at: Vec<u64>,
    /// Per request, per line: units still lacking.
    lacking: Vec<Vec<u64>>,
    /// Per stockpile: lots left.
    lots: Vec<Vec<Lot>>,
    /// Per vehicle: seconds from the start at which it is back and free.
    free_at: Vec<f64>,
    deliveries: Vec<Delivery>,
    truck_km: f64,
}

impl<'a> State<'a> {
    pub fn new(scn: &'a Scenario) -> Result<Self, Error> {
        let p = &scn.problem;
        let events = scn.arrivals.len() + scn.closures.len();
        if events > MAX_EVENTS {
            return Err(Error::Invalid(vec![Invalid::TooMany {
                path: "arrivals + closures".into(),
                count: events,
                max: MAX_EVENTS,
            }]));
        }
        let index: HashMap<&str, usize> = p
            .requests
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut known_at = vec![0; p.requests.len()];
        let mut bad = Vec::new();
        for (k, a) in scn.arrivals.iter().enumerate() {
            match index.get(a.request.as_str()) {
                Some(&r) => known_at[r] = a.at_s,
                None => bad.push(Invalid::UnknownRequest {
                    path: format!("arrivals[{k}].request"),
                    id: a.request.clone(),
                }),
            }
        }
        for (k, c) in scn.closures.iter().enumerate() {
            let off = c.area.iter().position(|q| {
                !(q[0].is_finite() && q[1].is_finite() && q[0].abs() <= 180.0 && q[1].abs() <= 90.0)
            });
            if let Some(j) = off {
                let q = c.area[j];
                bad.push(Invalid::Coordinates {
                    path: format!("closures[{k}].area[{j}]"),
                    lon: q[0],
                    lat: q[1],
                });
            } else if c.area.len() < 3 || c.area.len() > MAX_AREA_POINTS {
                bad.push(Invalid::TooMany {
                    path: format!("closures[{k}].area (3 points at least)"),
                    count: c.area.len(),
                    max: MAX_AREA_POINTS,
                });
            }
        }
        if !bad.is_empty() {
            return Err(Error::Invalid(bad));
        }
        Ok(State {
            scn,
            known_at,
            lacking: p
                .requests
                .iter()
                .map(|r| r.lines.iter().map(|l| l.quantity).collect())
                .collect(),
            lots: p.stockpiles.iter().map(|s| s.lots.clone()).collect(),
            free_at: p
                .vehicles
                .iter()
                .map(|v| v.available_from_s as f64)
                .collect(),
            deliveries: Vec::new(),
            truck_km: 0.0,
        })
    }

    /// The start and every distinct event time, in order.
    pub fn event_times(&self) -> Vec<u64> {
        let mut t: BTreeSet<u64> = BTreeSet::from([0]);
        t.extend(self.scn.arrivals.iter().map(|a| a.at_s));
        t.extend(self.scn.closures.iter().map(|c| c.at_s));
        t.into_iter().collect()
    }

    /// Whether the leg from stockpile `s` to request `r` is cut by an area closed by `t`.
    fn cut(&self, s: &Stockpile, r: &Request, t: u64) -> bool {
        self.scn
            .closures
            .iter()
            .any(|c| c.at_s <= t && segment_enters(&c.area, [s.lon, s.lat], [r.lon, r.lat]))
    }

    /// The problem as it stands at `t`, times counted from `t`.
    pub fn problem_at(&self, t: u64) -> Problem {
        let p = &self.scn.problem;
        let open: Vec<usize> = (0..p.requests.len())
            .filter(|&r| self.known_at[r] <= t && self.lacking[r].iter().any(|&q| q > 0))
            .collect();
        let requests = open.iter().map(|&r| self.request_at(r, t)).collect();
        let stockpiles: Vec<Stockpile> = p
            .stockpiles
            .iter()
            .enumerate()
            .map(|(s, pile)| Stockpile {
                lots: lots_at(&self.lots[s], t),
                ..pile.clone()
            })
            .collect();
        let vehicles = p
            .vehicles
            .iter()
            .zip(&self.free_at)
            .map(|(v, &free)| Vehicle {
                available_from_s: (free - t as f64).max(0.0).ceil() as u64,
                ..v.clone()
            })
            .collect();
        let mut sub = Problem {
            items: p.items.clone(),
            stockpiles,
            requests,
            vehicles,
            horizon_s: p.horizon_s.map(|h| h.saturating_sub(t)),
            ..p.clone()
        };
        sub.travel.from_stockpile = (0..p.stockpiles.len())
            .map(|s| {
                open.iter()
                    .map(|&r| {
                        let leg = p.travel.from_stockpile[s][r];
                        leg.filter(|_| !self.cut(&p.stockpiles[s], &p.requests[r], t))
                    })
                    .collect()
            })
            .collect();
        sub.travel.between_requests = if p.travel.between_requests.is_empty() {
            vec![]
        } else {
            let between = &p.travel.between_requests;
            open.iter()
                .map(|&a| open.iter().map(|&b| between[a][b]).collect())
                .collect()
        };
        sub
    }

    fn request_at(&self, r: usize, t: u64) -> Request {
        let req = &self.scn.problem.requests[r];
        let lines = req
            .lines
            .iter()
            .zip(&self.lacking[r])
            .filter(|(_, &q)| q > 0)
            .map(|(l, &q)| crate::model::RequestLine {
                item: l.item.clone(),
                quantity: q,
            })
            .collect();
        Request {
            deadline_s: req.deadline_s.saturating_sub(t),
            lines,
            ..req.clone()
        }
    }

    /// Sends what `plan` (made at `t`) ships: stock leaves, vehicles go, requests get it.
    pub fn commit(&mut self, plan: &Allocation, t: u64) {
        let p = &self.scn.problem;
        let pile_ix: HashMap<&str, usize> = ids(p.stockpiles.iter().map(|s| s.id.as_str()));
        let req_ix: HashMap<&str, usize> = ids(p.requests.iter().map(|r| r.id.as_str()));
        let mut arrival: HashMap<(&str, &str), f64> = HashMap::new();
        for load in &plan.truckloads {
            let (s, r) = (
                pile_ix[load.stockpile.as_str()],
                req_ix[load.request.as_str()],
            );
            arrival.insert((&load.stockpile, &load.request), t as f64 + load.arrival_s);
            self.send_trucks(s, r, load.trucks, t);
        }
        // Flows arriving last can use the fewest lots: serve them first (lots are nested by expiry).
        let mut flows: Vec<_> = plan.flows.iter().collect();
        let when = |f: &crate::evaluate::Flow| {
            arrival
                .get(&(f.stockpile.as_str(), f.request.as_str()))
                .copied()
                .unwrap_or(t as f64)
        };
        flows.sort_by(|a, b| when(b).total_cmp(&when(a)));
        for f in flows {
            let (s, r) = (pile_ix[f.stockpile.as_str()], req_ix[f.request.as_str()]);
            let arrives_s = when(f);
            take_fefo(&mut self.lots[s], &f.item, f.quantity, arrives_s);
            let line = p.requests[r].lines.iter().position(|l| l.item == f.item);
            if let Some(line) = line {
                self.lacking[r][line] = self.lacking[r][line].saturating_sub(f.quantity);
            }
            self.deliveries.push(Delivery {
                stockpile: f.stockpile.clone(),
                request: f.request.clone(),
                item: f.item.clone(),
                quantity: f.quantity,
                planned_at_s: t,
                arrives_s,
            });
        }
    }

    /// Sends `trucks` truckloads from stockpile `s` to request `r`, each on the depot's vehicle
    /// free first, out and back.
    fn send_trucks(&mut self, s: usize, r: usize, trucks: u64, t: u64) {
        let p = &self.scn.problem;
        let Some(leg) = p.travel.from_stockpile[s][r] else {
            return;
        };
        let trip = 2.0 * leg.seconds as f64 + p.handling_s as f64;
        let depot = &p.stockpiles[s].id;
        for _ in 0..trucks {
            let next = (0..p.vehicles.len())
                .filter(|&v| p.vehicles[v].stockpile == *depot)
                .min_by(|&a, &b| self.free_at[a].total_cmp(&self.free_at[b]));
            if let Some(v) = next {
                self.free_at[v] = self.free_at[v].max(t as f64) + trip;
            }
            self.truck_km += 2.0 * leg.metres as f64 / 1000.0;
        }
    }

    pub fn report(
        &self,
        scn: &Scenario,
        policy: Policy,
        plans: usize,
        planning_ms: u64,
    ) -> DrillReport {
        let p = &scn.problem;
        let weight: HashMap<&str, f64> = p
            .items
            .iter()
            .map(|i| (i.id.as_str(), i.unit_weight_kg))
            .collect();
        let mut by_priority: Vec<PriorityFigures> = (1..=4)
            .map(|priority| PriorityFigures {
                priority,
                ..PriorityFigures::default()
            })
            .collect();
        let mut times: Vec<Vec<f64>> = vec![vec![]; 4];
        let (mut weighted_unmet_kg, mut weighted_late_kg_h) = (0.0, 0.0);
        for (r, req) in p.requests.iter().enumerate() {
            let k = (req.priority.clamp(1, 4) - 1) as usize;
            let w = priority_weight(req.priority);
            let fig = &mut by_priority[k];
            fig.requests += 1;
            for (line, &lacking) in req.lines.iter().zip(&self.lacking[r]) {
                fig.units_requested += line.quantity;
                fig.units_delivered += line.quantity - lacking;
                let kg = lacking as f64 * weight[line.item.as_str()];
                fig.unmet_kg += kg;
                weighted_unmet_kg += w * kg;
            }
            let mine = self.deliveries.iter().filter(|d| d.request == req.id);
            let mut last: Option<f64> = None;
            for d in mine {
                last = Some(last.map_or(d.arrives_s, |l: f64| l.max(d.arrives_s)));
                let late_h = (d.arrives_s - req.deadline_s as f64).max(0.0) / 3600.0;
                weighted_late_kg_h += w * d.quantity as f64 * weight[d.item.as_str()] * late_h;
            }
            if self.lacking[r].iter().all(|&q| q == 0) {
                fig.served_in_full += 1;
                let done = last.unwrap_or(self.known_at[r] as f64);
                times[k].push(done - self.known_at[r] as f64);
                if done > req.deadline_s as f64 {
                    fig.late += 1;
                }
            }
        }
        for (fig, t) in by_priority.iter_mut().zip(&mut times) {
            t.sort_by(f64::total_cmp);
            fig.median_time_to_serve_s = (!t.is_empty()).then(|| t[t.len() / 2]);
            fig.max_time_to_serve_s = t.last().copied();
        }
        DrillReport {
            scenario: scn.name.clone(),
            policy,
            plans,
            by_priority,
            weighted_unmet_kg,
            weighted_late_kg_h,
            truck_km: self.truck_km,
            planning_ms,
            deliveries: self.deliveries.clone(),
        }
    }
}

fn ids<'s>(it: impl Iterator<Item = &'s str>) -> HashMap<&'s str, usize> {
    it.enumerate().map(|(i, id)| (id, i)).collect()
}
