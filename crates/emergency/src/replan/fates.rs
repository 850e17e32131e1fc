//! What becomes of each trip of the plan in force, with the legs as they are now.

use std::collections::BTreeMap;

use super::{Fate, Reason, TripChange};
use crate::error::{Error, Invalid};
use crate::prepare::Prepared;
use crate::routes::{RoutePlan, TruckRoute};

/// One trip of the plan in force, classified.
pub(super) struct Entry {
    /// Position of the trip in the plan in force's routes.
    pub k: usize,
    /// The trip as planned.
    pub planned: TruckRoute,
    /// Stockpile index.
    pub s: usize,
    /// Request index of each planned stop.
    pub stops: Vec<usize>,
    pub fate: Fate,
    pub reason: Option<Reason>,
    /// What still runs of it (stops kept, times moved), if anything.
    pub kept: Option<TruckRoute>,
}

/// Every trip's fate, and when each vehicle is free again.
pub(super) struct Fates {
    pub entries: Vec<Entry>,
    /// Per vehicle index: seconds (plan clock) from which it is free; `None` when stranded.
    pub ready: Vec<Option<f64>>,
}

impl Fates {
    /// The trips that still run, in the plan's order.
    pub fn kept_routes(&self) -> Vec<TruckRoute> {
        self.entries.iter().filter_map(|e| e.kept.clone()).collect()
    }

    /// The fate of every trip, for the answer.
    pub fn changes(&self) -> Vec<TripChange> {
        self.entries
            .iter()
            .map(|e| TripChange {
                vehicle: e.planned.vehicle.clone(),
                stockpile: e.planned.stockpile.clone(),
                wave: e.planned.wave,
                fate: e.fate.clone(),
                reason: e.reason.clone(),
            })
            .collect()
    }
}

/// Classifies every trip of `routes` at `elapsed` seconds after the plan was made.
pub(super) fn classify(
    prep: &Prepared,
    routes: &RoutePlan,
    elapsed: u64,
    keep_pending: bool,
) -> Result<Fates, Error> {
    let p = prep.p;
    let vehicle_ix: BTreeMap<&str, usize> = p
        .vehicles
        .iter()
        .enumerate()
        .map(|(k, v)| (v.id.as_str(), k))
        .collect();
    let mut by_vehicle: BTreeMap<usize, Vec<(usize, usize, Vec<usize>)>> = BTreeMap::new();
    let mut bad = Vec::new();
    for (k, route) in routes.routes.iter().enumerate() {
        match indices(prep, &vehicle_ix, route, k) {
            Ok((v, s, stops)) => by_vehicle.entry(v).or_default().push((k, s, stops)),
            Err(e) => bad.push(e),
        }
    }
    if !bad.is_empty() {
        return Err(Error::Invalid(bad));
    }
    let mut ready: Vec<Option<f64>> = p
        .vehicles
        .iter()
        .map(|v| Some(v.available_from_s as f64))
        .collect();
    let mut entries = Vec::new();
    let now = elapsed as f64;
    for (v, mut trips) in by_vehicle {
        trips.sort_by_key(|&(k, _, _)| routes.routes[k].wave);
        let mut truck = Truck {
            prep,
            now,
            keep_pending,
            changed: false,
            ready: ready[v],
        };
        for (k, s, stops) in trips {
            entries.push(truck.follow(k, &routes.routes[k], s, stops));
        }
        ready[v] = truck.ready;
    }
    entries.sort_by_key(|e| e.k);
    Ok(Fates { entries, ready })
}

/// Vehicle, stockpile and stop indices of route `k`, or what it names that does not exist.
fn indices(
    prep: &Prepared,
    vehicle_ix: &BTreeMap<&str, usize>,
    route: &TruckRoute,
    k: usize,
) -> Result<(usize, usize, Vec<usize>), Invalid> {
    let bad = |what: &str, id: &str| Invalid::Allocation {
        path: format!("in_force.routes.routes[{k}]"),
        reason: format!("unknown {what} '{id}'"),
    };
    let v = *vehicle_ix
        .get(route.vehicle.as_str())
        .ok_or_else(|| bad("vehicle", &route.vehicle))?;
    let s = *prep
        .stock_ix
        .get(route.stockpile.as_str())
        .ok_or_else(|| bad("stockpile", &route.stockpile))?;
    let stops = route
        .stops
        .iter()
        .map(|st| prep.req_ix.get(st.request.as_str()).copied())
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| bad("request on a stop", "…"))?;
    Ok((v, s, stops))
}

/// One vehicle followed through its trips in order.
struct Truck<'p, 'a> {
    prep: &'p Prepared<'a>,
    now: f64,
    keep_pending: bool,
    /// An earlier trip of this vehicle changed.
    changed: bool,
    /// When it is free (plan clock); `None` once stranded.
    ready: Option<f64>,
}

impl Truck<'_, '_> {
    fn follow(&mut self, k: usize, planned: &TruckRoute, s: usize, stops: Vec<usize>) -> Entry {
        let mut entry = Entry {
            k,
            planned: planned.clone(),
            s,
            stops,
            fate: Fate::Done,
            reason: None,
            kept: None,
        };
        if self.ready.is_none() {
            entry.fate = Fate::PendingReleased;
            entry.reason = Some(Reason::EarlierTripChanged);
        } else if planned.depart_s > self.now {
            self.pending(&mut entry);
        } else {
            self.on_road(&mut entry);
        }
        entry
    }

    fn pending(&mut self, e: &mut Entry) {
        let reason = if self.changed {
            Some(Reason::EarlierTripChanged)
        } else if !self.keep_pending {
            Some(Reason::Released)
        } else {
            self.first_closed_leg(e, 0).map(|(_, reason)| reason)
        };
        if let Some(reason) = reason {
            self.changed = true;
            e.fate = Fate::PendingReleased;
            e.reason = Some(reason);
            return;
        }
        let depart = e.planned.depart_s.max(self.ready.unwrap_or(0.0));
        let kept = self.schedule(e, depart, e.stops.len());
        self.ready = Some(kept.return_s);
        e.fate = Fate::PendingKept;
        e.kept = Some(kept);
    }

    fn on_road(&mut self, e: &mut Entry) {
        let reached = e
            .planned
            .stops
            .iter()
            .take_while(|st| st.arrival_s <= self.now)
            .count();
        let Some((cut_at, reason)) = self.first_closed_leg(e, reached) else {
            let kept = self.reschedule_ahead(e, reached, e.stops.len());
            self.ready = Some(kept.return_s);
            e.fate = if reached == e.stops.len() && kept.return_s <= self.now {
                Fate::Done
            } else {
                Fate::OnRoadKept
            };
            e.kept = Some(kept);
            return;
        };
        self.changed = true;
        self.turn_back(e, reached, cut_at, reason);
    }

    /// Delivers to `cut_at` stops, then turns back to the depot if the way is open.
    fn turn_back(&mut self, e: &mut Entry, reached: usize, cut_at: usize, reason: Reason) {
        let mut kept = self.reschedule_ahead(e, reached, cut_at);
        let last = cut_at.checked_sub(1).map(|k| e.stops[k]);
        let back = match last {
            None => Some(self.now + (self.now - e.planned.depart_s).max(0.0)),
            Some(r) => self.prep.p.travel.from_stockpile[e.s][r].map(|leg| {
                let at = kept.stops.last().map_or(self.now, |st| st.arrival_s);
                at.max(self.now) + self.half() + f64::from(leg.seconds)
            }),
        };
        if let Some(b) = back {
            kept.return_s = b;
        }
        self.ready = back;
        e.fate = Fate::OnRoadCut {
            delivered: cut_at,
            dropped: e.stops[cut_at..]
                .iter()
                .map(|&r| self.prep.p.requests[r].id.clone())
                .collect(),
            stranded: back.is_none(),
        };
        e.reason = Some(reason);
        e.kept = (cut_at > 0).then_some(kept);
    }

    /// The first closed leg ahead of a truck that has reached `from` stops (0: still at or leaving
    /// the depot): the index of the stop it leads to, and the reason.
    fn first_closed_leg(&self, e: &Entry, from: usize) -> Option<(usize, Reason)> {
        let p = self.prep.p;
        let name = |k: Option<usize>| match k {
            None => p.stockpiles[e.s].id.clone(),
            Some(k) => p.requests[e.stops[k]].id.clone(),
        };
        let mut at = from.checked_sub(1);
        for k in from..e.stops.len() {
            if self
                .leg_s(e.s, at.map(|a| e.stops[a]), Some(e.stops[k]))
                .is_none()
            {
                let reason = Reason::LegClosed {
                    from: name(at),
                    to: name(Some(k)),
                };
                return Some((k, reason));
            }
            at = Some(k);
        }
        None
    }

    /// Seconds of the leg between two points of depot `s` (`None` = the depot), as routes use it:
    /// request to request directly where the table has it, else via the depot.
    fn leg_s(&self, s: usize, a: Option<usize>, b: Option<usize>) -> Option<f64> {
        let t = &self.prep.p.travel;
        let depot = |r: usize| t.from_stockpile[s][r].map(|l| f64::from(l.seconds));
        match (a, b) {
            (None, None) => Some(0.0),
            (None, Some(r)) | (Some(r), None) => depot(r),
            (Some(a), Some(b)) => {
                let direct = t.between_requests.get(a).and_then(|row| row.get(b));
                match direct.copied().flatten() {
                    Some(l) => Some(f64::from(l.seconds)),
                    None => Some(depot(a)? + depot(b)?),
                }
            }
        }
    }

    fn half(&self) -> f64 {
        f64::from(self.prep.p.handling_s) / 2.0
    }

    /// The trip leaving at `depart`, its first `upto` stops, timed with the legs as they are now.
    fn schedule(&self, e: &Entry, depart: f64, upto: usize) -> TruckRoute {
        let mut out = e.planned.clone();
        out.stops.truncate(upto);
        out.depart_s = depart;
        let mut t = depart;
        let mut at = None;
        for (k, st) in out.stops.iter_mut().enumerate() {
            let leg = self.leg_s(e.s, at, Some(e.stops[k])).unwrap_or(0.0);
            t += if at.is_some() { self.half() } else { 0.0 } + leg;
            st.arrival_s = t;
            at = Some(e.stops[k]);
        }
        let back = self.leg_s(e.s, at, None).unwrap_or(0.0);
        out.return_s = t + if at.is_some() { self.half() } else { 0.0 } + back;
        out
    }

    /// A trip on the road: stops reached keep their times, the leg in progress its planned arrival,
    /// the legs after it the times they take now; only the first `upto` stops are kept.
    fn reschedule_ahead(&self, e: &Entry, reached: usize, upto: usize) -> TruckRoute {
        let mut out = e.planned.clone();
        out.stops.truncate(upto);
        let fixed = (reached + 1).min(upto);
        let Some(mut t) = out.stops[..fixed].last().map(|st| st.arrival_s) else {
            return out;
        };
        let mut at = Some(e.stops[fixed - 1]);
        for k in fixed..upto {
            t += self.half() + self.leg_s(e.s, at, Some(e.stops[k])).unwrap_or(0.0);
            out.stops[k].arrival_s = t;
            at = Some(e.stops[k]);
        }
        if upto == e.stops.len() && upto > reached {
            let back = self.leg_s(e.s, at, None).unwrap_or(0.0);
            out.return_s = t + self.half() + back;
        }
        out
    }
}
