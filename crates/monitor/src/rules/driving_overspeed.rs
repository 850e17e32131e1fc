//! `driving.overspeed`: speed over the limit for longer than allowed.

use serde_json::{json, Value};

use super::{declare_rule, runs, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a trip with a run of consecutive fixes faster than `speed_limit_kmh` (100 km/h for heavy
    /// goods vehicles) lasting at least `overspeed_min_s`. Runs break at gaps longer than `max_gap_s`.
    Overspeed,
    "driving.overspeed",
    Driving,
    Warning,
    "超速行驶：车速持续超过限速（重型货车默认 100 km/h）。",
    "Speeding: the vehicle kept above the speed limit (100 km/h for heavy goods vehicles by default)."
);

/// Episodes of fixes matching `hit` lasting at least `min_s`, as evidence (first five) and total count.
pub(crate) fn episodes(
    ctx: &WaybillContext<'_>,
    min_s: i64,
    hit: impl Fn(usize) -> bool,
) -> (usize, Vec<Value>) {
    let t = ctx.track;
    let long: Vec<(usize, usize)> = runs(ctx, ctx.config.max_gap_s, hit)
        .into_iter()
        .filter(|&(a, b)| t.time[b] - t.time[a] >= min_s.max(0))
        .collect();
    let shown = long
        .iter()
        .take(5)
        .map(|&(a, b)| {
            let max = (a..=b).map(|i| t.speed_kmh[i]).fold(0.0f32, f32::max);
            json!({ "from": fmt_beijing(t.time[a]), "to": fmt_beijing(t.time[b]),
                "seconds": t.time[b] - t.time[a], "max_kmh": max, "from_point": t.point(a) })
        })
        .collect();
    (long.len(), shown)
}

impl Rule for Overspeed {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let limit = ctx.config.speed_limit_kmh;
        let t = ctx.track;
        let (count, shown) = episodes(ctx, ctx.config.overspeed_min_s, |i| {
            f64::from(t.speed_kmh[i]) > limit
        });
        if count == 0 {
            return;
        }
        let msg = format!("{count} overspeed episode(s) above {limit} km/h");
        let evidence = json!({ "limit_kmh": limit, "min_s": ctx.config.overspeed_min_s,
            "count": count, "episodes": shown });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
