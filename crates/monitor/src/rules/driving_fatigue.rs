//! `driving.fatigue`: no more than 4 hours of continuous driving without a 20-minute rest (疲劳驾驶).

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::{dist_m, round2};
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a trip with a driving spell longer than `fatigue_max_driving_s` (4 h). A spell ends at a rest:
    /// fixes at or below `rest_speed_kmh` for at least `fatigue_min_rest_s` (20 min), or a gap in the
    /// fixes that long over which the vehicle did not move faster than that speed.
    Fatigue,
    "driving.fatigue",
    Driving,
    Warning,
    "疲劳驾驶：连续驾驶超过 4 小时且期间未停车休息 20 分钟以上。",
    "Fatigue driving: more than 4 hours of continuous driving without a rest of at least 20 minutes."
);

/// Driving spells of the trip as `(first moving fix time, last moving fix time)`.
pub fn spells(ctx: &WaybillContext<'_>) -> Vec<(i64, i64)> {
    let t = ctx.track;
    let c = ctx.config;
    let rest = c.rest_speed_kmh;
    let mut out = Vec::new();
    let (mut start, mut last_moving, mut slow_since): (Option<i64>, i64, Option<i64>) =
        (None, 0, None);
    let mut close = |start: &mut Option<i64>, last: i64| {
        if let Some(s) = start.take() {
            out.push((s, last));
        }
    };
    let r = ctx.trip_fixes.clone();
    for i in r.clone() {
        let now = t.time[i];
        if i > r.start {
            let dt = now - t.time[i - 1];
            let d = dist_m(t.lat[i - 1], t.lon[i - 1], t.lat[i], t.lon[i]);
            if dt >= c.fatigue_min_rest_s && d / dt as f64 * 3.6 <= rest {
                close(&mut start, last_moving);
                slow_since = None;
            }
        }
        if f64::from(t.speed_kmh[i]) > rest {
            if slow_since
                .take()
                .is_some_and(|s| now - s >= c.fatigue_min_rest_s)
            {
                close(&mut start, last_moving);
            }
            start.get_or_insert(now);
            last_moving = now;
        } else if start.is_some() && slow_since.is_none() {
            slow_since = Some(now);
        }
    }
    close(&mut start, last_moving);
    out
}

impl Rule for Fatigue {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let max = ctx.config.fatigue_max_driving_s;
        let long: Vec<(i64, i64)> = spells(ctx)
            .into_iter()
            .filter(|s| s.1 - s.0 > max)
            .collect();
        let Some(worst) = long.iter().max_by_key(|s| s.1 - s.0) else {
            return;
        };
        let hours = (worst.1 - worst.0) as f64 / 3600.0;
        let msg = format!(
            "drove {hours:.1} h without a {} min rest",
            ctx.config.fatigue_min_rest_s / 60
        );
        let shown: Vec<_> = long
            .iter()
            .take(5)
            .map(|s| {
                json!({ "from": fmt_beijing(s.0), "to": fmt_beijing(s.1),
                "hours": round2((s.1 - s.0) as f64 / 3600.0) })
            })
            .collect();
        let evidence = json!({
            "max_driving_s": max,
            "min_rest_s": ctx.config.fatigue_min_rest_s,
            "longest_hours": round2(hours),
            "spells": shown,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
