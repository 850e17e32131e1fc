//! Cross-record consistency: a record that names other records must agree with them, so no party
//! can attach its record to someone else's (a payment naming another shipper as payer, an event on
//! another carrier's vehicle or waybill, a waybill for another shipper's load).
//!
//! | record | link | must agree |
//! |---|---|---|
//! | payment | `waybills[i].waybill_id` | the waybill exists in the region; its shipper and carrier are the payment's |
//! | event | `waybill_id` | the waybill involves the reporter |
//! | event | `vehicle_id` | the vehicle is the reporter's, or the event's waybill names it |
//! | waybill | `load_id` | the load is the waybill's shipper's |
//! | waybill | `vehicle.vehicle_id` | the vehicle is the waybill's carrier's |

use serde_json::Value;
use wuliu_model::Violations;
use wuliu_store::{Kind, Repository, StoreResult};

fn text<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, p| v.get(*p))?.as_str()
}

/// Checks the links of a body of `kind` in `region`; every disagreement is a violation naming its
/// field.
pub async fn check_links(
    repo: &dyn Repository,
    kind: Kind,
    body: &Value,
    region: &str,
) -> StoreResult<Violations> {
    let mut v = Violations::default();
    let get = |kind: Kind, id: String| async move {
        Ok::<_, wuliu_store::StoreError>(repo.get(kind, &id).await?.filter(|r| r.region == region))
    };
    match kind {
        Kind::Payment => {
            let shipper = text(body, &["shipper_id"]);
            let carrier = text(body, &["carrier_id"]);
            let items = body["waybills"].as_array().cloned().unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                let field = format!("waybills[{i}].waybill_id");
                let Some(id) = text(item, &["waybill_id"]) else {
                    continue;
                };
                match get(Kind::Waybill, id.to_string()).await? {
                    None => v.push(
                        "reference.not_found",
                        field,
                        format!("waybill '{id}' is not a waybill in region {region}"),
                    ),
                    Some(w) if w.owner_party.as_deref() != shipper => v.push(
                        "payment.payer_mismatch",
                        "shipper_id",
                        format!(
                            "the payer must be the shipper of waybill '{id}' ({})",
                            w.owner_party.unwrap_or_default()
                        ),
                    ),
                    Some(w) if w.partner_party.as_deref() != carrier => v.push(
                        "payment.carrier_mismatch",
                        "carrier_id",
                        format!(
                            "the payee carrier must be the carrier of waybill '{id}' ({})",
                            w.partner_party.unwrap_or_default()
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
        Kind::Event => {
            let reporter = text(body, &["reporter_id"]).unwrap_or_default();
            let waybill = match text(body, &["waybill_id"]) {
                Some(id) => get(Kind::Waybill, id.to_string()).await?,
                None => None,
            };
            if let Some(w) = &waybill {
                if !w.involves(reporter) {
                    v.push(
                        "event.waybill_not_yours",
                        "waybill_id",
                        format!(
                            "waybill '{}' does not involve the reporter {reporter}",
                            w.id
                        ),
                    );
                }
            }
            if let Some(vid) = text(body, &["vehicle_id"]) {
                let on_waybill = waybill
                    .as_ref()
                    .is_some_and(|w| text(&w.body, &["vehicle", "vehicle_id"]) == Some(vid));
                let vehicle = get(Kind::Vehicle, vid.to_string()).await?;
                let own = vehicle
                    .as_ref()
                    .is_some_and(|r| r.owner_party.as_deref() == Some(reporter));
                if vehicle.is_some() && !own && !on_waybill {
                    v.push(
                        "event.vehicle_not_yours",
                        "vehicle_id",
                        format!(
                            "vehicle '{vid}' is neither the reporter's nor on the event's waybill"
                        ),
                    );
                }
            }
        }
        Kind::Waybill => {
            if let Some(lid) = text(body, &["load_id"]) {
                if let Some(l) = get(Kind::Load, lid.to_string()).await? {
                    if l.owner_party.as_deref() != text(body, &["shipper_id"]) {
                        v.push(
                            "waybill.load_not_shippers",
                            "load_id",
                            format!("load '{lid}' belongs to another shipper"),
                        );
                    }
                }
            }
            if let Some(vid) = text(body, &["vehicle", "vehicle_id"]) {
                match get(Kind::Vehicle, vid.to_string()).await? {
                    Some(r) if r.owner_party.as_deref() != text(body, &["carrier_id"]) => v.push(
                        "waybill.vehicle_not_carriers",
                        "vehicle.vehicle_id",
                        format!("vehicle '{vid}' belongs to another carrier"),
                    ),
                    None => v.push(
                        "reference.not_found",
                        "vehicle.vehicle_id",
                        format!("vehicle '{vid}' is not a vehicle in region {region}"),
                    ),
                    Some(_) => {}
                }
            }
        }
        _ => {}
    }
    Ok(v)
}
