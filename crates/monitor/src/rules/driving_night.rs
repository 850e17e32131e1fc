//! `driving.night_speed`: at night no faster than a share of the day limit.

use serde_json::json;

use super::driving_overspeed::episodes;
use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::time::beijing_second_of_day;

declare_rule!(
    /// Flags a trip with a run of fixes at night — from `night_start_hour` to `night_end_hour` Beijing
    /// time (22:00–06:00) — faster than `night_speed_share` × `speed_limit_kmh` (80 % of 100 = 80 km/h)
    /// lasting at least `overspeed_min_s`. China's road traffic rules lower night-time limits for heavy
    /// vehicles; this applies the 80 % convention used by many provincial monitoring platforms.
    NightSpeed,
    "driving.night_speed",
    Driving,
    Warning,
    "夜间超速：22:00 至次日 06:00（北京时间）车速持续超过白天限速的 80%。",
    "Night speeding: between 22:00 and 06:00 Beijing time the vehicle kept above 80 % of the daytime speed limit."
);

/// Whether a Unix time falls in the night period `[start_hour, end_hour)` of Beijing time (wrapping midnight).
pub fn is_night(secs: i64, start_hour: u32, end_hour: u32) -> bool {
    let h = beijing_second_of_day(secs) / 3600;
    if start_hour <= end_hour {
        (start_hour..end_hour).contains(&h)
    } else {
        h >= start_hour || h < end_hour
    }
}

impl Rule for NightSpeed {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let c = ctx.config;
        let limit = c.speed_limit_kmh * c.night_speed_share;
        let t = ctx.track;
        let (count, shown) = episodes(ctx, c.overspeed_min_s, |i| {
            f64::from(t.speed_kmh[i]) > limit
                && is_night(t.time[i], c.night_start_hour, c.night_end_hour)
        });
        if count == 0 {
            return;
        }
        let msg = format!("{count} night-time episode(s) above {limit} km/h");
        let evidence = json!({ "limit_kmh": limit, "night_start_hour": c.night_start_hour,
            "night_end_hour": c.night_end_hour, "count": count, "episodes": shown });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn night_wraps_midnight_in_beijing_time() {
        let utc_hour = |h: i64| h * 3600; // 1970-01-01 h:00 UTC = (h + 8):00 Beijing
        assert!(is_night(utc_hour(14), 22, 6)); // 22:00 Beijing
        assert!(is_night(utc_hour(21), 22, 6)); // 05:00
        assert!(!is_night(utc_hour(22), 22, 6)); // 06:00
        assert!(!is_night(utc_hour(4), 22, 6)); // 12:00
        assert!(is_night(utc_hour(19), 2, 5)); // 03:00, a non-wrapping period
    }
}
