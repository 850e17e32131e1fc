//! `money.third_party`: payments go to the actual carrier or a driver of the waybill.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::time::fmt_beijing;

declare_rule!(
    /// Flags a waybill paid (by any fund-flow record covering it) to a recipient whose name is neither
    /// the actual carrier's nor one of the waybill's drivers' (names compared without whitespace).
    ThirdParty,
    "money.third_party",
    Money,
    Critical,
    "运费支付给第三方：收款人既不是实际承运人，也不是该运单的驾驶员。",
    "Freight paid to a third party: the recipient is neither the actual carrier nor a driver of the waybill."
);

/// A name without whitespace, for comparison.
pub fn normalise_name(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Rule for ThirdParty {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let w = ctx.waybill;
        let mut allowed: Vec<String> = w.drivers.iter().map(|d| normalise_name(&d.name)).collect();
        allowed.push(normalise_name(&w.actual_carrier.name));
        let mut lines = Vec::new();
        for rec in ctx.payments {
            for l in &rec.payment.payments {
                let name = normalise_name(&l.recipient);
                if !allowed.contains(&name) {
                    lines.push(json!({
                        "payment_id": rec.id, "document_number": rec.payment.document_number,
                        "recipient": l.recipient, "account": l.account, "amount": l.amount.0,
                        "time": fmt_beijing(l.time.timestamp()), "serial": l.serial,
                    }));
                }
            }
        }
        if lines.is_empty() {
            return;
        }
        let names: Vec<&str> = lines
            .iter()
            .filter_map(|l| l["recipient"].as_str())
            .collect();
        let msg = format!(
            "paid to {} instead of the actual carrier {} or a driver",
            names.join(", "),
            w.actual_carrier.name
        );
        let drivers: Vec<&str> = w.drivers.iter().map(|d| d.name.as_str()).collect();
        let evidence = json!({
            "actual_carrier": w.actual_carrier.name,
            "drivers": drivers,
            "payments": lines,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
