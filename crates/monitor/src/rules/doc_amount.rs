//! `doc.amount_mismatch`: the waybill's total agrees with what the fund-flow records state for it.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::geo::round2;

declare_rule!(
    /// Flags a waybill whose total amount differs (beyond `amount_tolerance_yuan`) from the sum of the
    /// amounts its fund-flow records list for it. Unpaid waybills are not flagged here.
    AmountMismatch,
    "doc.amount_mismatch",
    Documents,
    Warning,
    "运单运费金额与资金流水单中记载的该运单金额不一致。",
    "The waybill's freight amount differs from the amount the fund-flow records state for it."
);

impl Rule for AmountMismatch {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        if ctx.payments.is_empty() {
            return;
        }
        let mut records = Vec::new();
        let mut stated = 0.0;
        for rec in ctx.payments {
            for w in rec
                .payment
                .waybills
                .iter()
                .filter(|w| &w.waybill_id == ctx.id)
            {
                stated += w.amount.0;
                records.push(json!({
                    "payment_id": rec.id,
                    "document_number": rec.payment.document_number,
                    "amount": w.amount.0,
                }));
            }
        }
        let total = ctx.waybill.total_amount.0;
        let diff = stated - total;
        let off = diff.abs() > ctx.config.amount_tolerance_yuan;
        if !off {
            return;
        }
        let msg =
            format!("waybill total {total:.2} CNY but fund-flow records state {stated:.2} CNY");
        let evidence = json!({
            "waybill_total": round2(total),
            "stated_total": round2(stated),
            "difference": round2(diff),
            "records": records,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
