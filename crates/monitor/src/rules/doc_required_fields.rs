//! `doc.required_fields`: the fields the monitoring record needs are present.

use serde_json::json;
use wuliu_model::{GeoPoint, WaybillStatus};

use super::{declare_rule, Rule, RuleInfo};
use crate::context::WaybillContext;
use crate::finding::Finding;

declare_rule!(
    /// Flags a waybill missing a field the monitoring record needs: note number, consignor and consignee
    /// name, place and coordinate, plate, a driver with name and licence number, a goods line with a
    /// positive weight, the actual carrier's name and ID code, a positive total, the despatch time once
    /// despatched and the receipt time once signed.
    RequiredFields,
    "doc.required_fields",
    Documents,
    Critical,
    "运单缺少监测所需的必填项（如装卸货地点坐标、车牌、驾驶员、货物重量、实际承运人、运费或发车/收货时间）。",
    "The waybill lacks a field monitoring needs (e.g. loading or unloading coordinates, plate, driver, goods weight, actual carrier, freight amount, or despatch/receipt time)."
);

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn point_ok(p: &Option<GeoPoint>) -> bool {
    p.as_ref().is_some_and(GeoPoint::is_valid)
}

/// Paths of the missing fields.
pub fn missing_fields(w: &wuliu_model::Waybill) -> Vec<String> {
    let mut m: Vec<String> = Vec::new();
    let mut need = |ok: bool, path: &str| {
        if !ok {
            m.push(path.to_string());
        }
    };
    need(!blank(&w.shipping_note_number), "shipping_note_number");
    for (party, path) in [(&w.consignor, "consignor"), (&w.consignee, "consignee")] {
        need(!blank(&party.name), &format!("{path}.name"));
        need(!blank(&party.place), &format!("{path}.place"));
        need(point_ok(&party.point), &format!("{path}.point"));
    }
    need(!blank(&w.vehicle.plate), "vehicle.plate");
    need(!w.drivers.is_empty(), "drivers");
    for (i, d) in w.drivers.iter().enumerate() {
        need(!blank(&d.name), &format!("drivers[{i}].name"));
        need(
            !blank(&d.licence_number),
            &format!("drivers[{i}].licence_number"),
        );
    }
    need(!w.goods.is_empty(), "goods");
    for (i, g) in w.goods.iter().enumerate() {
        let ok = g.gross_weight.0.is_finite() && g.gross_weight.0 > 0.0;
        need(ok, &format!("goods[{i}].gross_weight"));
    }
    need(!blank(&w.actual_carrier.name), "actual_carrier.name");
    need(!blank(&w.actual_carrier.id_code), "actual_carrier.id_code");
    need(
        w.total_amount.0.is_finite() && w.total_amount.0 > 0.0,
        "total_amount",
    );
    use WaybillStatus::*;
    let despatched = matches!(w.status, Dispatched | Signed | Receipted);
    need(!despatched || w.despatch_time.is_some(), "despatch_time");
    let received = matches!(w.status, Signed | Receipted);
    need(!received || w.receipt_time.is_some(), "receipt_time");
    m
}

impl Rule for RequiredFields {
    fn info(&self) -> &'static RuleInfo {
        &INFO
    }

    fn evaluate(&self, ctx: &WaybillContext<'_>, out: &mut Vec<Finding>) {
        let missing = missing_fields(ctx.waybill);
        if missing.is_empty() {
            return;
        }
        let msg = format!("missing required fields: {}", missing.join(", "));
        out.push(ctx.finding(&INFO, msg, json!({ "missing": missing })));
    }
}
