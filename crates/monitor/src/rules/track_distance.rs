//! `track.distance`: the distance driven fits the road distance between consignor and consignee.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::{dist_m, round2, round_m};

declare_rule!(
    /// Flags a trip whose driven distance (sum of the distances between consecutive fixes from despatch
    /// to receipt) exceeds `detour_factor` × the road distance + `detour_slack_m` (a detour), or — when
    /// the track is complete enough — falls below `short_factor` × the road distance − `detour_slack_m`
    /// (shorter than possible). Road distance comes from the [`wuliu_model::TravelCosts`] given.
    Distance,
    "track.distance",
    Track,
    Warning,
    "行驶里程与装卸货地之间的道路里程不符：严重绕行，或短于可能的最短里程。",
    "The distance driven does not fit the road distance between consignor and consignee: a large detour, or shorter than possible."
);

/// Sum of distances between consecutive fixes of the trip, metres (cuts corners between sparse
/// fixes, adds zigzags of GPS noise between dense ones).
pub fn driven_m(ctx: &WaybillContext<'_>) -> f64 {
    let t = ctx.track;
    let r = ctx.trip_fixes.clone();
    (r.start + 1..r.end.max(r.start + 1))
        .map(|i| dist_m(t.lat[i - 1], t.lon[i - 1], t.lat[i], t.lon[i]))
        .filter(|d| d.is_finite())
        .sum()
}

/// Metres driven on the trip with the track matched onto the roads, when the costs have a road
/// network and most fixes match a road.
pub fn matched_m(ctx: &WaybillContext<'_>) -> Option<f64> {
    let t = ctx.track;
    let r = ctx.trip_fixes.clone();
    let points: Vec<wuliu_model::GeoPoint> = r
        .clone()
        .map(|i| wuliu_model::GeoPoint {
            lat: t.lat[i],
            lon: t.lon[i],
        })
        .collect();
    ctx.costs.driven_m(&t.time[r], &points)
}

impl Rule for Distance {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let w = ctx.waybill;
        let (Some(a), Some(b)) = (w.consignor.point, w.consignee.point) else {
            return;
        };
        if ctx.trip_fixes.len() < 2 || !a.is_valid() || !b.is_valid() {
            return;
        }
        let Ok(Some(leg)) = ctx.costs.leg(a, b) else {
            return;
        };
        let c = ctx.config;
        let road = leg.distance.0;
        let complete = ctx
            .completeness()
            .is_some_and(|x| x.rate >= c.min_completeness);
        let judge = |driven: f64| {
            if driven > c.detour_factor * road + c.detour_slack_m {
                Some(("detour", c.detour_factor * road + c.detour_slack_m))
            } else if complete && driven < c.short_factor * road - c.detour_slack_m {
                Some(("too_short", c.short_factor * road - c.detour_slack_m))
            } else {
                None
            }
        };
        // The fixes decide first; a suspicion is confirmed on the roads when a network is
        // loaded (map matching costs milliseconds per trip, so only suspicious trips pay it).
        let fixes = driven_m(ctx);
        if judge(fixes).is_none() {
            return;
        }
        let (driven, measured_by) = match matched_m(ctx) {
            Some(m) => (m, "map_matching"),
            None => (fixes, "fixes"),
        };
        let Some((kind, limit)) = judge(driven) else {
            return;
        };
        let msg = format!(
            "{kind}: drove {:.1} km for a road distance of {:.1} km",
            driven / 1000.0,
            road / 1000.0
        );
        let evidence = json!({
            "kind": kind,
            "driven_m": round_m(driven),
            "driven_measured_by": measured_by,
            "fixes_m": round_m(fixes),
            "road_m": round_m(road),
            "ratio": round2(if road > 0.0 { driven / road } else { 0.0 }),
            "limit_m": round_m(limit),
            "consignor": a,
            "consignee": b,
            "straight_line_m": round_m(crate::geo::dist(a, b)),
            "costs": ctx.costs.label(),
            "road_network": ctx.costs.is_road_network(),
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
