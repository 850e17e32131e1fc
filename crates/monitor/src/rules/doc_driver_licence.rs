//! `doc.driver_licence`: every driver is registered, with licence and qualification valid on the
//! despatch date.

use serde_json::json;

use super::doc_vehicle_certificate::check_date;
use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;

declare_rule!(
    /// Flags a waybill with a driver who is not registered (by driver ID or licence number), or whose
    /// driving licence or road transport qualification certificate (从业资格证) expired before the
    /// despatch date (Beijing time).
    DriverLicence,
    "doc.driver_licence",
    Documents,
    Critical,
    "驾驶员未备案，或其驾驶证、从业资格证在发车日期已过期。",
    "A driver is not registered, or their driving licence or qualification certificate is expired on the despatch date."
);

impl Rule for DriverLicence {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let date = check_date(ctx);
        let mut problems = Vec::new();
        for (d, rec) in ctx.waybill.drivers.iter().zip(&ctx.drivers) {
            let Some(rec) = rec else {
                problems.push(
                    json!({ "driver": d.name, "licence_number": d.licence_number,
                    "reason": "driver_not_registered" }),
                );
                continue;
            };
            if date > rec.licence.expires {
                problems.push(json!({ "driver": rec.name, "reason": "licence_expired",
                    "number": rec.licence.number, "expires": rec.licence.expires }));
            }
            if !rec.qualification.valid_on(date) {
                problems.push(
                    json!({ "driver": rec.name, "reason": "qualification_expired",
                    "number": rec.qualification.number, "expires": rec.qualification.expires }),
                );
            }
        }
        if problems.is_empty() {
            return;
        }
        let reasons: Vec<String> = problems
            .iter()
            .map(|p| {
                format!(
                    "{} ({})",
                    p["driver"].as_str().unwrap_or(""),
                    p["reason"].as_str().unwrap_or("")
                )
            })
            .collect();
        let msg = format!(
            "driver documents not valid on {date}: {}",
            reasons.join(", ")
        );
        let evidence = json!({ "despatch_date": date, "problems": problems });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
