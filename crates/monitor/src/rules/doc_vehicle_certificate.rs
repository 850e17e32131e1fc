//! `doc.vehicle_certificate`: the vehicle is registered and its road transport certificate is valid on
//! the despatch date.

use serde_json::json;
use wuliu_model::vehicle::CERTIFICATE_THRESHOLD;

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;
use crate::time::beijing_date;

declare_rule!(
    /// Flags a waybill whose vehicle is not registered, lacks the road transport certificate its rated
    /// load requires (above 4.5 t), or whose certificate expired before the despatch date (Beijing time;
    /// the consignment date when there is no despatch time).
    VehicleCertificate,
    "doc.vehicle_certificate",
    Documents,
    Critical,
    "车辆未备案，或其道路运输证缺失、在发车日期已过期。",
    "The vehicle is not registered, or its road transport certificate is missing or expired on the despatch date."
);

/// The date documents must be valid on: the despatch date, else the consignment date, in Beijing time.
pub fn check_date(ctx: &WaybillContext<'_>) -> chrono::NaiveDate {
    let w = ctx.waybill;
    beijing_date(w.despatch_time.unwrap_or(w.consignment_time))
}

impl Rule for VehicleCertificate {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let date = check_date(ctx);
        let plate = &ctx.waybill.vehicle.plate;
        let Some(v) = ctx.vehicle else {
            let msg = format!("vehicle {plate} is not registered");
            let evidence = json!({ "reason": "vehicle_not_registered", "plate": plate,
                "vehicle_id": ctx.vehicle_id });
            out.push(ctx.finding(&INFO, msg, evidence));
            return;
        };
        let (reason, cert) = match &v.transport_certificate {
            None if v.rated_load.0 > CERTIFICATE_THRESHOLD.0 => ("certificate_missing", None),
            None => return,
            Some(c) if !c.valid_on(date) => ("certificate_expired", Some(c)),
            Some(_) => return,
        };
        let msg = match cert {
            Some(c) => format!(
                "road transport certificate {} of {plate} expired on {}, before despatch on {date}",
                c.number, c.expires
            ),
            None => format!("{plate} has no road transport certificate"),
        };
        let evidence = json!({
            "reason": reason,
            "plate": v.plate,
            "certificate_number": cert.map(|c| &c.number),
            "expires": cert.map(|c| c.expires),
            "despatch_date": date,
            "rated_load_kg": v.rated_load.0,
        });
        out.push(ctx.finding(&INFO, msg, evidence));
    }
}
