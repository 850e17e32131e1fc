//! EPCIS document builders shared by the integration tests.
#![allow(dead_code)]

use serde_json::{json, Value};

/// Lot of raw produce (GTIN 09521234543213).
pub const RAW_LOT: &str = "urn:epc:class:lgtin:9521234.054321.RAW1";
/// Lot of processed product (GTIN 09521234543220).
pub const CUT_LOT: &str = "urn:epc:class:lgtin:9521234.054322.CUT1";
/// Another processed lot that shares the pallet.
pub const OTHER_LOT: &str = "urn:epc:class:lgtin:9521234.054322.CUT2";
/// A pallet.
pub const PALLET: &str = "urn:epc:id:sscc:9521234.0000000001";
/// A reefer truck (as a returnable asset).
pub const TRUCK: &str = "urn:epc:id:grai:9521234.00001.T1";
/// Places (SGLN).
pub const FARM: &str = "urn:epc:id:sgln:9521234.00001.0";
pub const PLANT: &str = "urn:epc:id:sgln:9521234.00002.0";
pub const DC: &str = "urn:epc:id:sgln:9521234.00003.0";
pub const SHOP: &str = "urn:epc:id:sgln:9521234.00004.0";

/// Time `minutes` after 2025-05-01 08:00 Beijing time.
pub fn t(minutes: i64) -> String {
    let base = chrono::DateTime::parse_from_rfc3339("2025-05-01T08:00:00+08:00").unwrap();
    (base + chrono::Duration::minutes(minutes)).to_rfc3339()
}

/// Wraps events in an EPCISDocument.
pub fn doc(events: Vec<Value>) -> String {
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-05-01T00:00:00Z",
        "epcisBody": {"eventList": events}
    })
    .to_string()
}

/// An ObjectEvent OBSERVE about class-level `lots` and instance `epcs`.
pub fn object(minute: i64, step: &str, place: &str, epcs: &[&str], lots: &[&str]) -> Value {
    json!({
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "eventTime": t(minute),
        "eventTimeZoneOffset": "+08:00",
        "bizStep": step,
        "bizLocation": {"id": place},
        "readPoint": {"id": place},
        "epcList": epcs,
        "quantityList": lots.iter().map(|l| json!({"epcClass": l, "quantity": 100, "uom": "KGM"})).collect::<Vec<_>>(),
    })
}

/// Adds temperature readings `(minute, °C)` to an event.
pub fn with_temps(mut ev: Value, readings: &[(i64, f64)]) -> Value {
    if readings.is_empty() {
        return ev;
    }
    let reports: Vec<Value> = readings
        .iter()
        .map(|(m, c)| json!({"type": "gs1:Temperature", "value": c, "uom": "CEL", "time": t(*m)}))
        .collect();
    ev["sensorElementList"] = json!([{"sensorMetadata": {"deviceID": "urn:epc:id:giai:9521234.LOGGER1"}, "sensorReport": reports}]);
    ev
}

/// Sets the destination (a location) of a shipping event.
pub fn to_destination(mut ev: Value, place: &str) -> Value {
    ev["destinationList"] = json!([{"type": "location", "destination": place}]);
    ev
}

/// An AggregationEvent packing `children` (instances) and `child_lots` into `parent`.
pub fn aggregate(
    minute: i64,
    action: &str,
    parent: &str,
    children: &[&str],
    child_lots: &[&str],
) -> Value {
    json!({
        "type": "AggregationEvent",
        "action": action,
        "eventTime": t(minute),
        "eventTimeZoneOffset": "+08:00",
        "bizStep": if action == "DELETE" { "unpacking" } else { "packing" },
        "parentID": parent,
        "childEPCs": children,
        "childQuantityList": child_lots.iter().map(|l| json!({"epcClass": l, "quantity": 50, "uom": "KGM"})).collect::<Vec<_>>(),
    })
}

/// A TransformationEvent turning `inputs` lots into `outputs` lots.
pub fn transform(minute: i64, inputs: &[&str], outputs: &[&str]) -> Value {
    json!({
        "type": "TransformationEvent",
        "eventTime": t(minute),
        "eventTimeZoneOffset": "+08:00",
        "bizStep": "creating_class_instance",
        "bizLocation": {"id": PLANT},
        "inputQuantityList": inputs.iter().map(|l| json!({"epcClass": l, "quantity": 1000, "uom": "KGM"})).collect::<Vec<_>>(),
        "outputQuantityList": outputs.iter().map(|l| json!({"epcClass": l, "quantity": 800, "uom": "KGM"})).collect::<Vec<_>>(),
    })
}

/// An administrator capturing for no party (may capture into any lot).
pub fn admin() -> wuliu_ledger::Capturer {
    wuliu_ledger::Capturer::admin(None)
}
