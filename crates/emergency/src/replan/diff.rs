//! What changed for each request, and why.

use std::collections::{BTreeMap, BTreeSet};

use super::fates::Fates;
use super::{Fate, RequestChange, Why};
use crate::allocate::Allocation;
use crate::prepare::Prepared;
use crate::routes::{RoutePlan, TruckRoute};

/// Kilograms and last arrival per request over some trips.
type Delivered = BTreeMap<usize, (f64, f64)>;

fn delivered<'r>(prep: &Prepared, trips: impl Iterator<Item = &'r TruckRoute>) -> Delivered {
    let mut out: Delivered = BTreeMap::new();
    for st in trips.flat_map(|t| &t.stops) {
        if let Some(&r) = prep.req_ix.get(st.request.as_str()) {
            let e = out.entry(r).or_insert((0.0, f64::NEG_INFINITY));
            e.0 += st.weight_kg;
            e.1 = e.1.max(st.arrival_s);
        }
    }
    out
}

/// Every request whose delivery changed between the plan in force and the re-plan.
pub(super) fn request_changes(
    prep: &Prepared,
    before_allocation: &Allocation,
    before: &RoutePlan,
    fates: &Fates,
    after: &RoutePlan,
) -> Vec<RequestChange> {
    let old = delivered(prep, before.routes.iter());
    let kept = fates.kept_routes();
    let new = delivered(prep, kept.iter().chain(after.routes.iter()));
    let known: BTreeSet<&str> = before_allocation
        .flows
        .iter()
        .map(|f| f.request.as_str())
        .chain(before_allocation.unmet.iter().map(|u| u.request.as_str()))
        .collect();
    let mut out = Vec::new();
    for (r, req) in prep.p.requests.iter().enumerate() {
        let (b, a) = (old.get(&r).copied(), new.get(&r).copied());
        let (before_kg, after_kg) = (b.map_or(0.0, |x| x.0), a.map_or(0.0, |x| x.0));
        let mut why = Vec::new();
        if !known.contains(req.id.as_str()) {
            why.push(Why::NewRequest);
        }
        why.extend(trip_reasons(fates, r));
        let arrival_moved = match (b, a) {
            (Some(b), Some(a)) => (b.1 - a.1).abs() > 1.0,
            (None, None) => false,
            _ => true,
        };
        let less = after_kg < before_kg - 1e-6;
        if less && why.is_empty() {
            why.push(Why::Outranked);
        }
        if why.is_empty() && !arrival_moved && (after_kg - before_kg).abs() <= 1e-6 {
            continue;
        }
        out.push(RequestChange {
            request: req.id.clone(),
            priority: req.priority,
            before_kg,
            after_kg,
            before_last_arrival_s: b.map(|x| x.1),
            after_last_arrival_s: a.map(|x| x.1),
            why,
        });
    }
    out
}

/// The changed trips that were to serve request `r` (cut before it, or released).
fn trip_reasons(fates: &Fates, r: usize) -> Vec<Why> {
    let mut out = Vec::new();
    for e in &fates.entries {
        let Some(reason) = &e.reason else { continue };
        let hit = match &e.fate {
            Fate::OnRoadCut { delivered, .. } => e.stops[*delivered..].contains(&r),
            Fate::PendingReleased => e.stops.contains(&r),
            _ => false,
        };
        if hit {
            out.push(Why::TripChanged {
                vehicle: e.planned.vehicle.clone(),
                reason: reason.clone(),
            });
        }
    }
    out
}
