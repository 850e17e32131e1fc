//! `doc.time_order`: consignment ≤ despatch ≤ receipt.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags times out of order: despatch before consignment, or receipt before despatch (or before
    /// consignment when there is no despatch time).
    TimeOrder,
    "doc.time_order",
    Documents,
    Critical,
    "运单时间顺序不合逻辑：应为 托运时间 ≤ 发货时间 ≤ 收货时间。",
    "The waybill's times are out of order: consignment must not be after despatch, nor despatch after receipt."
);

impl Rule for TimeOrder {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let w = ctx.waybill;
        let c = w.consignment_time;
        let mut broken: Vec<&str> = Vec::new();
        if w.despatch_time.is_some_and(|d| d < c) {
            broken.push("despatch_before_consignment");
        }
        match (w.despatch_time, w.receipt_time) {
            (Some(d), Some(r)) if r < d => broken.push("receipt_before_despatch"),
            (None, Some(r)) if r < c => broken.push("receipt_before_consignment"),
            _ => {}
        }
        if broken.is_empty() {
            return;
        }
        let t = |x: Option<chrono::DateTime<chrono::Utc>>| x.map(|x| fmt_beijing(x.timestamp()));
        let msg = format!("times out of order: {}", broken.join(", "));
        let evidence = json!({
            "broken": broken,
            "consignment_time": t(Some(c)),
            "despatch_time": t(w.despatch_time),
            "receipt_time": t(w.receipt_time),
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
