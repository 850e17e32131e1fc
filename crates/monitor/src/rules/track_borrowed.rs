//! `track.borrowed`: no other vehicle has the same track.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::round2;
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a trip whose moving fixes share at least `borrowed_min_shared` signatures — and at least
    /// `borrowed_min_share` of the trip's signatures — with one other vehicle. A signature is a fix
    /// quantised to a time bucket (`borrowed_bucket_s`) and a grid cell (`borrowed_cell_deg`); two vehicles
    /// sharing them were in the same place at the same time, minute after minute: one track uploaded for
    /// two vehicles (借用轨迹). Both vehicles' trips are flagged; the evidence names the other.
    Borrowed,
    "track.borrowed",
    Track,
    Critical,
    "疑似借用轨迹：另一辆车在同一时间段内有几乎相同的轨迹。",
    "Suspected borrowed track: another vehicle has a near-identical track at the same times."
);

impl Rule for Borrowed {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let (Some(slot), Some(trip)) = (ctx.vehicle_slot, ctx.trip) else {
            return;
        };
        let c = ctx.config;
        let m = ctx.monitor;
        let Some(s) = m
            .signatures
            .best_match(slot, ctx.track, ctx.trip_fixes.clone())
        else {
            return;
        };
        let share = s.shared as f64 / s.total.max(1) as f64;
        if s.shared < c.borrowed_min_shared.max(1) || share < c.borrowed_min_share {
            return;
        }
        let other = m.vehicle_id(s.other);
        let other_waybills: Vec<_> = m
            .trips_by_slot
            .get(&s.other)
            .into_iter()
            .flatten()
            .filter(|&&j| {
                m.waybills[j]
                    .trip
                    .is_some_and(|t| t.start <= trip.end && trip.start <= t.end)
            })
            .map(|&j| &m.input.waybills[j].id)
            .collect();
        let msg = format!(
            "{:.0} % of the track ({} of {} minutes) is also vehicle {other}'s",
            share * 100.0,
            s.shared,
            s.total
        );
        let evidence = json!({
            "other_vehicle_id": other,
            "other_plate": m.vehicle(s.other).map(|v| &v.plate),
            "other_waybills": other_waybills,
            "shared_signatures": s.shared,
            "trip_signatures": s.total,
            "share": round2(share),
            "first_shared": fmt_beijing(s.first_s),
            "last_shared": fmt_beijing(s.last_s),
            "bucket_s": c.borrowed_bucket_s,
            "cell_deg": c.borrowed_cell_deg,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
