//! Indicator facts of a waybill: the few numbers the city's indicators add up (day, county, industry,
//! tonnes, kilometres, amount, cold chain, on time), derived from the stored waybill body and, when the
//! waybill executes a posted load, from that load's cargo class and delivery deadline.
//!
//! The store keeps one fact row per counted waybill and a daily rollup beside it, both written in the
//! waybill's own transaction, so aggregates are read from a few thousand rollup rows instead of
//! scanning the waybills (see `stats.rs`).
//!
//! Definitions (documented on the console's method page as well):
//! - counted: status confirmed, dispatched, signed or receipted (drafts and cancelled ones are not);
//! - day: the Beijing calendar day of the despatch time, else of the consignment time;
//! - county: the county-level unit of the place of loading (`consignor.division_code`);
//! - industry: the first two digits of the cargo type code of the heaviest goods line;
//! - kilometres: great-circle distance between loading and receipt points × [`ROAD_FACTOR`] (an
//!   estimate; 0 when a point is missing);
//! - cold chain: the load's cargo class is `cold_chain`, or the goods are 冷藏冷冻货物 (`1602`);
//! - on time: the receipt time is not after the load's delivery window end (unknown without both).

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::Value;

/// Road distance over great-circle distance assumed for tonne-kilometres (a common detour factor for
/// regional road freight).
pub const ROAD_FACTOR: f64 = 1.25;

/// The facts of one counted waybill.
#[derive(Debug, Clone, PartialEq)]
pub struct WaybillFacts {
    /// Beijing day, `YYYY-MM-DD`.
    pub day: String,
    /// County code of the place of loading.
    pub county: String,
    /// Two-digit cargo class.
    pub industry: String,
    /// Shipper party.
    pub shipper: String,
    /// Carrier party.
    pub carrier: String,
    /// Vehicle ID, else plate.
    pub vehicle: String,
    /// Gross weight, tonnes.
    pub tonnes: f64,
    /// Estimated road kilometres.
    pub km: f64,
    /// Freight amount, yuan.
    pub amount: f64,
    /// Cold-chain goods.
    pub cold: bool,
    /// Delivered by the deadline (`None` when unknown).
    pub on_time: Option<bool>,
    /// Hours from despatch to receipt.
    pub hours: Option<f64>,
    /// Loading point (latitude, longitude).
    pub origin: Option<(f64, f64)>,
}

/// What the facts need from the waybill's load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadTerms {
    /// Cold-chain cargo class.
    pub cold_chain: bool,
    /// End of the delivery window.
    pub deadline: Option<DateTime<Utc>>,
}

impl LoadTerms {
    /// Reads the terms from a stored load body.
    pub fn from_load(body: &Value) -> LoadTerms {
        LoadTerms {
            cold_chain: body.pointer("/cargo/kind").and_then(Value::as_str) == Some("cold_chain"),
            deadline: time(body.pointer("/delivery_window/end")),
        }
    }
}

fn time(v: Option<&Value>) -> Option<DateTime<Utc>> {
    v.and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn text<'a>(body: &'a Value, pointer: &str) -> Option<&'a str> {
    body.pointer(pointer).and_then(Value::as_str)
}

fn number(body: &Value, pointer: &str) -> Option<f64> {
    body.pointer(pointer).and_then(Value::as_f64)
}

fn point(body: &Value, pointer: &str) -> Option<(f64, f64)> {
    let p = body.pointer(pointer)?;
    Some((p.get("lat")?.as_f64()?, p.get("lon")?.as_f64()?))
}

/// The load ID a waybill body names, if any.
pub fn load_id(body: &Value) -> Option<&str> {
    text(body, "/load_id")
}

/// Great-circle distance in kilometres.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

/// The Beijing calendar day of a UTC time.
pub fn beijing_day(t: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    t.with_timezone(&offset).format("%Y-%m-%d").to_string()
}

/// The two-digit cargo class of the heaviest goods line.
fn industry(body: &Value) -> String {
    let goods = body.get("goods").and_then(Value::as_array);
    let heaviest = goods.and_then(|g| {
        g.iter().max_by(|a, b| {
            let w = |x: &Value| x.get("gross_weight").and_then(Value::as_f64).unwrap_or(0.0);
            w(a).total_cmp(&w(b))
        })
    });
    let code = heaviest
        .and_then(|g| g.get("cargo_type_code"))
        .and_then(Value::as_str)
        .unwrap_or("");
    code.get(..2).unwrap_or("99").to_string()
}

fn tonnes(body: &Value) -> f64 {
    let goods = body.get("goods").and_then(Value::as_array);
    let kg: f64 = goods
        .map(|g| {
            g.iter()
                .filter_map(|l| l.get("gross_weight").and_then(Value::as_f64))
                .sum()
        })
        .unwrap_or(0.0);
    kg / 1000.0
}

fn is_cold_goods(body: &Value) -> bool {
    let goods = body.get("goods").and_then(Value::as_array);
    goods.is_some_and(|g| {
        g.iter()
            .any(|l| l.get("cargo_type_code").and_then(Value::as_str) == Some("1602"))
    })
}

/// The facts of a waybill body, or `None` when the waybill does not count (draft, cancelled, or a
/// body without the fields every valid waybill has).
pub fn waybill_facts(body: &Value, load: Option<&LoadTerms>) -> Option<WaybillFacts> {
    let status = text(body, "/status").unwrap_or("confirmed");
    if matches!(status, "draft" | "cancelled") {
        return None;
    }
    let despatch = time(body.get("despatch_time"));
    let receipt = time(body.get("receipt_time"));
    let when = despatch.or_else(|| time(body.get("consignment_time")))?;
    let origin = point(body, "/consignor/point");
    let km = match (origin, point(body, "/consignee/point")) {
        (Some(a), Some(b)) => haversine_km(a, b) * ROAD_FACTOR,
        _ => 0.0,
    };
    let vehicle = text(body, "/vehicle/vehicle_id").or_else(|| text(body, "/vehicle/plate"))?;
    Some(WaybillFacts {
        day: beijing_day(when),
        county: text(body, "/consignor/division_code")?.to_string(),
        industry: industry(body),
        shipper: text(body, "/shipper_id")?.to_string(),
        carrier: text(body, "/carrier_id")?.to_string(),
        vehicle: vehicle.to_string(),
        tonnes: tonnes(body),
        km,
        amount: number(body, "/total_amount").unwrap_or(0.0),
        cold: load.is_some_and(|l| l.cold_chain) || is_cold_goods(body),
        on_time: match (receipt, load.and_then(|l| l.deadline)) {
            (Some(r), Some(d)) => Some(r <= d),
            _ => None,
        },
        hours: match (despatch, receipt) {
            (Some(d), Some(r)) if r >= d => Some((r - d).num_seconds() as f64 / 3600.0),
            _ => None,
        },
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body() -> Value {
        json!({
            "status": "receipted", "shipper_id": "pty_s", "carrier_id": "pty_c",
            "consignment_time": "2026-11-30T20:00:00Z", "despatch_time": "2026-11-30T17:00:00Z",
            "receipt_time": "2026-12-01T01:00:00Z",
            "consignor": {"division_code": "450204", "point": {"lat": 24.3, "lon": 109.4}},
            "consignee": {"division_code": "450100", "point": {"lat": 22.8, "lon": 108.3}},
            "vehicle": {"plate": "桂B12345", "vehicle_id": "veh_1"},
            "goods": [{"cargo_type_code": "1200", "gross_weight": 2000.0},
                      {"cargo_type_code": "0400", "gross_weight": 8000.0}],
            "total_amount": 3200.0
        })
    }

    #[test]
    fn facts_follow_the_definitions() {
        let load = LoadTerms {
            cold_chain: false,
            deadline: time(Some(&json!("2026-12-01T00:00:00Z"))),
        };
        let f = waybill_facts(&body(), Some(&load)).unwrap();
        assert_eq!(
            f.day, "2026-12-01",
            "17:00 UTC is 01:00 the next day in Beijing"
        );
        assert_eq!(f.industry, "04", "the heaviest line is steel");
        assert_eq!(f.tonnes, 10.0);
        assert_eq!(f.vehicle, "veh_1");
        assert_eq!(
            f.on_time,
            Some(false),
            "received an hour after the deadline"
        );
        assert_eq!(f.hours, Some(8.0));
        assert!(f.km > 1.25 * 190.0 && f.km < 1.25 * 210.0, "{}", f.km);
        assert!(!f.cold);
    }

    #[test]
    fn drafts_and_cancelled_do_not_count() {
        for s in ["draft", "cancelled"] {
            let mut b = body();
            b["status"] = json!(s);
            assert_eq!(waybill_facts(&b, None), None);
        }
    }

    #[test]
    fn cold_chain_from_the_load_or_the_goods() {
        let load = LoadTerms::from_load(&json!({"cargo": {"kind": "cold_chain"}}));
        assert!(waybill_facts(&body(), Some(&load)).unwrap().cold);
        let mut b = body();
        b["goods"][1]["cargo_type_code"] = json!("1602");
        let f = waybill_facts(&b, None).unwrap();
        assert!(f.cold);
        assert_eq!(f.on_time, None, "no deadline without a load");
    }
}
