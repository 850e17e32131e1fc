//! `money.shared_account`: no account collects for many different drivers or vehicles.

use serde_json::json;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;

declare_rule!(
    /// Flags a waybill paid into an account that, across the whole input, collects for at least
    /// `shared_account_min_parties` different drivers (by licence number) or vehicles (by plate): a sign
    /// of a broker pooling payments that should reach the drivers (资金回流/代收).
    SharedAccount,
    "money.shared_account",
    Money,
    Warning,
    "同一收款账户为多名不同驾驶员或多辆不同车辆收取运费。",
    "One receiving account collects freight for many different drivers or vehicles."
);

impl Rule for SharedAccount {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let min = ctx.config.shared_account_min_parties.max(2);
        let mut accounts = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for rec in ctx.payments {
            for l in &rec.payment.payments {
                let acc = l.account.as_str();
                if seen.contains(&acc) {
                    continue;
                }
                seen.push(acc);
                let Some(s) = ctx.monitor.accounts.get(acc) else {
                    continue;
                };
                if s.drivers.len() >= min || s.vehicles.len() >= min {
                    let plates: Vec<&&str> = s.vehicles.iter().take(20).collect();
                    accounts.push(json!({
                        "account": acc, "recipients": s.recipients,
                        "distinct_drivers": s.drivers.len(), "distinct_vehicles": s.vehicles.len(),
                        "plates": plates,
                    }));
                }
            }
        }
        if accounts.is_empty() {
            return;
        }
        let msg = format!(
            "paid into account {} which collects for {} drivers / {} vehicles",
            accounts[0]["account"].as_str().unwrap_or(""),
            accounts[0]["distinct_drivers"],
            accounts[0]["distinct_vehicles"]
        );
        let evidence = json!({ "threshold": min, "accounts": accounts });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
