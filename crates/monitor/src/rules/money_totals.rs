//! `money.totals`: a fund-flow record's payments add up to the amounts of the waybills it pays.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::round2;

declare_rule!(
    /// Flags a waybill paid by a fund-flow record whose payment lines sum to a different amount (beyond
    /// `amount_tolerance_yuan`) than the waybill amounts it lists.
    Totals,
    "money.totals",
    Money,
    Warning,
    "资金流水单的实际支付总额与其所列运单金额合计不一致。",
    "A fund-flow record's payments do not add up to the amounts of the waybills it lists."
);

impl Rule for Totals {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let mut records = Vec::new();
        for rec in ctx.payments {
            let p = &rec.payment;
            let listed: f64 = p.waybills.iter().map(|w| w.amount.0).sum();
            let paid: f64 = p.payments.iter().map(|l| l.amount.0).sum();
            let off = (paid - listed).abs() > ctx.config.amount_tolerance_yuan;
            if off {
                records.push(json!({
                    "payment_id": rec.id, "document_number": p.document_number,
                    "listed_total": round2(listed), "paid_total": round2(paid),
                    "difference": round2(paid - listed), "lines": p.payments.len(),
                }));
            }
        }
        if records.is_empty() {
            return;
        }
        let msg = format!(
            "{} fund-flow record(s) paying this waybill do not add up",
            records.len()
        );
        out.push(ctx.finding(&INFO, msg, json!({ "records": records })));
    }
}
