//! `track.ghost`: the vehicle has fixes during the trip.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a despatched and received waybill for which the vehicle reported no fix at all from
    /// `trip_time_tolerance_s` before despatch to as long after receipt: a "ghost waybill" (虚假运单).
    Ghost,
    "track.ghost",
    Track,
    Critical,
    "疑似虚假运单：运输期间车辆没有任何轨迹。",
    "Suspected ghost waybill: the vehicle has no track at all during the trip."
);

impl Rule for Ghost {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let Some(trip) = ctx.trip else { return };
        if !ctx.window.is_empty() {
            return;
        }
        let t = ctx.track;
        let before = ctx
            .window
            .start
            .checked_sub(1)
            .map(|i| fmt_beijing(t.time[i]));
        let after = (ctx.window.end < t.len()).then(|| fmt_beijing(t.time[ctx.window.end]));
        let msg = format!(
            "no fix of vehicle {} between despatch and receipt",
            ctx.waybill.vehicle.plate
        );
        let evidence = json!({
            "vehicle_id": ctx.vehicle_id,
            "plate": ctx.waybill.vehicle.plate,
            "despatch": fmt_beijing(trip.start),
            "receipt": fmt_beijing(trip.end),
            "tolerance_s": ctx.config.trip_time_tolerance_s,
            "vehicle_fixes_total": t.len(),
            "last_fix_before": before,
            "first_fix_after": after,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
