//! `track.endpoints`: the track starts near the consignor at despatch and ends near the consignee at receipt.

use serde_json::{json, Value};
use wuliu_model::GeoPoint;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::{dist_m, round_m};
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a trip whose fixes within `trip_time_tolerance_s` of despatch never come within
    /// `endpoint_radius_m` of the consignor, or whose fixes around receipt never come that close to the
    /// consignee. An end without fixes in its time window is left to `track.completeness`.
    Endpoints,
    "track.endpoints",
    Track,
    Warning,
    "轨迹起止点与运单不符：发车时不在装货地附近，或收货时不在卸货地附近。",
    "The track does not match the waybill's ends: the vehicle was not near the consignor at despatch or not near the consignee at receipt."
);

/// The fix nearest to `p` among fixes within `tol` seconds of `at`: (index, metres); `None` without fixes.
fn nearest(ctx: &WaybillContext<'_>, p: GeoPoint, at: i64, tol: i64) -> Option<(usize, f64)> {
    let t = ctx.track;
    let r = t.range(at.saturating_sub(tol), at.saturating_add(tol));
    r.map(|i| (i, dist_m(t.lat[i], t.lon[i], p.lat, p.lon)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

fn check_end(ctx: &WaybillContext<'_>, end: &str, p: Option<GeoPoint>, at: i64) -> Option<Value> {
    let p = p.filter(GeoPoint::is_valid)?;
    let (i, d) = nearest(ctx, p, at, ctx.config.trip_time_tolerance_s.max(0))?;
    if d <= ctx.config.endpoint_radius_m {
        return None;
    }
    let t = ctx.track;
    Some(json!({
        "end": end,
        "expected_point": p,
        "claimed_time": fmt_beijing(at),
        "nearest_fix_time": fmt_beijing(t.time[i]),
        "nearest_fix_point": t.point(i),
        "distance_m": round_m(d),
    }))
}

impl Rule for Endpoints {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let Some(trip) = ctx.trip else { return };
        let w = ctx.waybill;
        let ends: Vec<Value> = [
            check_end(ctx, "consignor", w.consignor.point, trip.start),
            check_end(ctx, "consignee", w.consignee.point, trip.end),
        ]
        .into_iter()
        .flatten()
        .collect();
        if ends.is_empty() {
            return;
        }
        let parts: Vec<String> = ends
            .iter()
            .map(|e| {
                format!(
                    "{} {:.1} km away",
                    e["end"].as_str().unwrap_or(""),
                    e["distance_m"].as_f64().unwrap_or(0.0) / 1000.0
                )
            })
            .collect();
        let msg = format!("track misses the waybill's ends: {}", parts.join(", "));
        let evidence = json!({ "radius_m": ctx.config.endpoint_radius_m, "ends": ends });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
