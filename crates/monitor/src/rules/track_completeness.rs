//! `track.completeness`: the share of the trip covered by fixes without long gaps.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::round2;
use crate::index::Trip;
use crate::time::fmt_beijing;
use crate::track::Track;

declare_rule!(
    /// Flags a trip whose track completeness rate is below `min_completeness`. The rate is the share of
    /// despatch-to-receipt covered by intervals between consecutive fixes (despatch and receipt count as
    /// the ends) no longer than `max_gap_s`. Trips without any fix are left to `track.ghost`.
    TrackCompleteness,
    "track.completeness",
    Track,
    Warning,
    "运输轨迹不完整：发车至收货期间轨迹覆盖率低于阈值（存在长时间断点）。",
    "The track is incomplete: the share of the trip from despatch to receipt covered by fixes without long gaps is below the threshold."
);

/// A gap between fixes longer than the allowed maximum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// Start of the gap, Unix seconds.
    pub from_s: i64,
    /// End of the gap, Unix seconds.
    pub to_s: i64,
}

/// Track completeness of one trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completeness {
    /// Covered share of the trip, 0–1 (1 for a zero-length trip with a fix, 0 without).
    pub rate: f64,
    /// Covered seconds.
    pub covered_s: i64,
    /// Trip duration in seconds.
    pub duration_s: i64,
    /// Fixes during the trip.
    pub fixes: usize,
    /// Gaps longer than the maximum, in time order.
    pub gaps: Vec<Gap>,
}

/// Completeness of `trip` given the fixes `range` of `track` (those within the trip).
pub fn completeness(
    track: &Track,
    range: std::ops::Range<usize>,
    trip: Trip,
    max_gap_s: i64,
) -> Completeness {
    let fixes = range.len();
    let duration_s = trip.duration_s();
    let mut covered_s = 0i64;
    let mut gaps = Vec::new();
    let mut prev = trip.start;
    let times = track.time[range].iter().copied().chain([trip.end]);
    for t in times {
        let dt = t - prev;
        if dt <= max_gap_s {
            covered_s += dt;
        } else {
            gaps.push(Gap {
                from_s: prev,
                to_s: t,
            });
        }
        prev = t;
    }
    let rate = match (duration_s, fixes) {
        (0, 0) => 0.0,
        (0, _) => 1.0,
        (d, _) => (covered_s as f64 / d as f64).clamp(0.0, 1.0),
    };
    let covered_s = if fixes == 0 { 0 } else { covered_s };
    let rate = if fixes == 0 { 0.0 } else { rate };
    Completeness {
        rate,
        covered_s,
        duration_s,
        fixes,
        gaps,
    }
}

impl Rule for TrackCompleteness {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        if ctx.window.is_empty() {
            return;
        }
        let Some(c) = ctx.completeness() else { return };
        if c.rate >= ctx.config.min_completeness {
            return;
        }
        let gaps: Vec<_> = c
            .gaps
            .iter()
            .take(10)
            .map(|g| {
                json!({ "from": fmt_beijing(g.from_s), "to": fmt_beijing(g.to_s),
                "seconds": g.to_s - g.from_s })
            })
            .collect();
        let msg = format!(
            "track covers {:.1} % of the trip ({} gaps over {} min)",
            c.rate * 100.0,
            c.gaps.len(),
            ctx.config.max_gap_s / 60
        );
        let evidence = json!({
            "completeness": round2(c.rate * 100.0) / 100.0,
            "covered_s": c.covered_s,
            "duration_s": c.duration_s,
            "fixes": c.fixes,
            "max_gap_s": ctx.config.max_gap_s,
            "threshold": ctx.config.min_completeness,
            "gap_count": c.gaps.len(),
            "gaps": gaps,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
