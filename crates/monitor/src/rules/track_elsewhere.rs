//! `track.elsewhere`: the vehicle was not on another trip elsewhere at the same time.

use serde_json::{json, Value};
use wuliu_model::GeoPoint;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::{dist, dist_to_segment_m, round_m};
use crate::index::Trip;
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a trip overlapping (by at least `elsewhere_min_overlap_s`) another trip of the same vehicle
    /// when the two share neither loading nor unloading place (within `elsewhere_shared_end_m`) and,
    /// during the overlap, the vehicle's track leaves this trip's straight corridor by more than
    /// `elsewhere_corridor_m` — or has no fix to show where it was. The trip the track follows is not
    /// flagged; the one the vehicle was away from is.
    Elsewhere,
    "track.elsewhere",
    Track,
    Critical,
    "车辆分身：同一车辆在同一时间段承运另一路线不相容的运单，且轨迹显示车辆不在本运单路线上。",
    "The vehicle was elsewhere: during this trip it also carried another waybill on an incompatible route, and its track was not on this one."
);

fn ends(w: &wuliu_model::Waybill) -> Option<(GeoPoint, GeoPoint)> {
    let (a, b) = (w.consignor.point?, w.consignee.point?);
    (a.is_valid() && b.is_valid()).then_some((a, b))
}

/// Farthest fix from the corridor `a`–`b` between `from` and `to`: (index, metres).
fn farthest(
    ctx: &WaybillContext<'_>,
    a: GeoPoint,
    b: GeoPoint,
    from: i64,
    to: i64,
) -> Option<(usize, f64)> {
    let t = ctx.track;
    t.range(from, to)
        .map(|i| (i, dist_to_segment_m(t.point(i), a, b)))
        .max_by(|x, y| x.1.total_cmp(&y.1))
}

fn conflict(
    ctx: &WaybillContext<'_>,
    trip: Trip,
    own: (GeoPoint, GeoPoint),
    j: usize,
) -> Option<Value> {
    let m = ctx.monitor;
    let c = ctx.config;
    let other_trip = m.waybills[j].trip?;
    let (from, to) = (
        trip.start.max(other_trip.start),
        trip.end.min(other_trip.end),
    );
    if to - from < c.elsewhere_min_overlap_s.max(1) {
        return None;
    }
    let other = &m.input.waybills[j];
    let (oa, ob) = ends(&other.waybill)?;
    let shared = dist(own.0, oa).min(dist(own.1, ob));
    if shared <= c.elsewhere_shared_end_m {
        return None;
    }
    let far = farthest(ctx, own.0, own.1, from, to);
    if far.is_some_and(|(_, d)| d <= c.elsewhere_corridor_m) {
        return None;
    }
    let t = ctx.track;
    Some(json!({
        "other_waybill_id": other.id,
        "other_shipping_note_number": other.waybill.shipping_note_number,
        "overlap_from": fmt_beijing(from),
        "overlap_to": fmt_beijing(to),
        "overlap_s": to - from,
        "other_consignor": oa,
        "other_consignee": ob,
        "nearest_shared_end_m": round_m(shared),
        "farthest_fix_time": far.map(|(i, _)| fmt_beijing(t.time[i])),
        "farthest_fix_point": far.map(|(i, _)| t.point(i)),
        "farthest_from_route_m": far.map(|(_, d)| round_m(d)),
    }))
}

impl Rule for Elsewhere {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let (Some(slot), Some(trip)) = (ctx.vehicle_slot, ctx.trip) else {
            return;
        };
        let Some(own) = ends(ctx.waybill) else { return };
        let Some(list) = ctx.monitor.trips_by_slot.get(&slot) else {
            return;
        };
        let waybills = &ctx.monitor.waybills;
        let conflicts: Vec<Value> = list
            .iter()
            .take_while(|&&j| waybills[j].trip.is_some_and(|t| t.start <= trip.end))
            .filter(|&&j| j != ctx.index)
            .filter_map(|&j| conflict(ctx, trip, own, j))
            .take(10)
            .collect();
        if conflicts.is_empty() {
            return;
        }
        let msg = format!(
            "vehicle {} was on {} other trip(s) elsewhere during this one",
            ctx.waybill.vehicle.plate,
            conflicts.len()
        );
        let evidence = json!({
            "corridor_m": ctx.config.elsewhere_corridor_m,
            "conflicts": conflicts,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
