//! `doc.overweight`: total goods weight ≤ the vehicle's rated load.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::round2;

declare_rule!(
    /// Flags a waybill whose goods lines weigh more than the vehicle's rated load (plus
    /// `overweight_tolerance`). Skipped when the vehicle is not registered.
    Overweight,
    "doc.overweight",
    Documents,
    Critical,
    "运单货物总重量超过车辆核定载质量（超载）。",
    "The total goods weight on the waybill exceeds the vehicle's rated load (overloading)."
);

impl Rule for Overweight {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let Some(v) = ctx.vehicle else { return };
        let total: f64 = ctx.waybill.goods.iter().map(|g| g.gross_weight.0).sum();
        let rated = v.rated_load.0;
        let limit = rated * (1.0 + ctx.config.overweight_tolerance.max(0.0));
        let over = total > limit && rated > 0.0;
        if !over {
            return;
        }
        let msg = format!(
            "goods weigh {total:.0} kg, over the rated load of {rated:.0} kg of {}",
            v.plate
        );
        let evidence = json!({
            "goods_weight_kg": round2(total),
            "rated_load_kg": round2(rated),
            "excess_kg": round2(total - rated),
            "excess_share": round2((total - rated) / rated),
            "plate": v.plate,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
