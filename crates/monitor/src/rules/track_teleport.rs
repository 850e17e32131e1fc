//! `track.teleport`: no impossible jump between consecutive fixes.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::{dist_m, round2, round_m};
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a trip with consecutive fixes at least `teleport_min_distance_m` apart whose implied speed
    /// exceeds `teleport_speed_kmh` ("teleport", a sign of spliced or forged tracks).
    Teleport,
    "track.teleport",
    Track,
    Critical,
    "轨迹出现瞬移：相邻两个定位点之间的隐含速度超出货车可能达到的速度。",
    "The track teleports: the speed implied between two consecutive fixes is beyond what a truck can do."
);

impl Rule for Teleport {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let t = ctx.track;
        let c = ctx.config;
        let r = ctx.trip_fixes.clone();
        let mut jumps = Vec::new();
        let mut count = 0usize;
        for i in r.start + 1..r.end.max(r.start + 1) {
            let d = dist_m(t.lat[i - 1], t.lon[i - 1], t.lat[i], t.lon[i]);
            let dt = (t.time[i] - t.time[i - 1]).max(0) as f64;
            let kmh = if dt > 0.0 {
                d / dt * 3.6
            } else {
                f64::INFINITY
            };
            if d >= c.teleport_min_distance_m && kmh > c.teleport_speed_kmh {
                count += 1;
                if jumps.len() < 5 {
                    jumps.push(json!({
                        "from_time": fmt_beijing(t.time[i - 1]), "from_point": t.point(i - 1),
                        "to_time": fmt_beijing(t.time[i]), "to_point": t.point(i),
                        "distance_m": round_m(d), "seconds": dt,
                        "implied_kmh": if kmh.is_finite() { Some(round2(kmh)) } else { None },
                    }));
                }
            }
        }
        if count == 0 {
            return;
        }
        let msg = format!(
            "{count} impossible jump(s) over {} km/h between consecutive fixes",
            c.teleport_speed_kmh
        );
        let evidence = json!({ "count": count, "limit_kmh": c.teleport_speed_kmh, "jumps": jumps });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
