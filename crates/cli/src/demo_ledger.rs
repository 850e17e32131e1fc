//! The demo's cold-chain lots: `serve --demo` fills an empty traceability ledger with a few lots
//! of the demo shipper, carried by the demo carrier, with temperature readings along the way
//! (one lot has a warm excursion), so the console's lot explorer (`#/lot`) has something to
//! show and verify.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use wuliu_ledger::{Capturer, Ledger};

/// The demo shipper and carrier parties (see `accounts::DEMO_USERS`).
const SHIPPER: &str = "pty_demo_shipper_01";
const CARRIER: &str = "pty_demo_carrier_01";

/// A demo lot: identifier, product, temperature class, its allowed band's middle and whether
/// it warms up on the road.
struct DemoLot {
    lot: &'static str,
    product: &'static str,
    class: &'static str,
    mid: f64,
    excursion: bool,
}

/// The demo lots (GS1 company prefix 6901234: a Chinese prefix, invented).
pub const LOTS: &[&str] = &[
    "urn:epc:class:lgtin:6901234.054321.LZ26A01",
    "urn:epc:class:lgtin:6901234.054322.LZ26B07",
    "urn:epc:class:lgtin:6901234.054323.LZ26C03",
];

fn demo_lots() -> [DemoLot; 3] {
    [
        DemoLot {
            lot: LOTS[0],
            product: "柳州冷鲜猪肉 chilled pork",
            class: "chilled",
            mid: 2.0,
            excursion: true,
        },
        DemoLot {
            lot: LOTS[1],
            product: "螺蛳粉速冻料包 frozen noodle kits",
            class: "frozen",
            mid: -21.0,
            excursion: false,
        },
        DemoLot {
            lot: LOTS[2],
            product: "融安金桔 kumquats",
            class: "refrigerated",
            mid: 5.0,
            excursion: false,
        },
    ]
}

/// Places (SGLN) of the journey: plant, cross-dock, buyer's shop.
const PLANT: &str = "urn:epc:id:sgln:6901234.00001.0";
const HUB: &str = "urn:epc:id:sgln:6901234.00002.0";
const SHOP: &str = "urn:epc:id:sgln:6901234.00003.0";

fn time(t: DateTime<Utc>) -> String {
    (t + Duration::hours(8))
        .format("%Y-%m-%dT%H:%M:%S+08:00")
        .to_string()
}

fn event(t: DateTime<Utc>, step: &str, place: &str, lot: &str, disposition: &str) -> Value {
    json!({
        "type": "ObjectEvent", "action": "OBSERVE", "bizStep": step, "disposition": disposition,
        "eventTime": time(t), "eventTimeZoneOffset": "+08:00",
        "readPoint": {"id": place}, "bizLocation": {"id": place},
        "quantityList": [{"epcClass": lot, "quantity": 800, "uom": "KGM"}],
    })
}

/// Six readings, every 10 minutes up to `t`, around `mid`, warming by up to 4.5 °C in
/// the middle of the window when `warm`.
fn with_readings(mut ev: Value, t: DateTime<Utc>, mid: f64, warm: bool, seed: u32) -> Value {
    let reports: Vec<Value> = (0..6)
        .map(|k| {
            let at = t - Duration::minutes(50 - 10 * k);
            let wobble = (((seed * 7 + k as u32 * 13) % 11) as f64 - 5.0) * 0.12;
            let bump = if warm && (1..=4).contains(&k) {
                4.5 - (k as f64 - 2.5).abs()
            } else {
                0.0
            };
            let value = ((mid + wobble + bump) * 10.0).round() / 10.0;
            json!({"type": "gs1:Temperature", "value": value, "uom": "CEL", "time": time(at)})
        })
        .collect();
    ev["sensorElementList"] = json!([{
        "sensorMetadata": {"time": time(t), "deviceID": "urn:epc:id:giai:6901234.LOGGER7"},
        "sensorReport": reports,
    }]);
    ev
}

fn doc(events: Vec<Value>) -> String {
    json!({"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": time(Utc::now()),
           "epcisBody": {"eventList": events}})
    .to_string()
}

/// Records one lot's journey, ending `end`: the shipper commissions it and hands it to the
/// carrier, who records the road with readings and the delivery.
fn record_lot(ledger: &Ledger, l: &DemoLot, end: DateTime<Utc>) -> Result<()> {
    let start = end - Duration::hours(9);
    let mut made = event(start, "commissioning", PLANT, l.lot, "active");
    made["ilmd"] = json!({"wuliu:product": l.product, "wuliu:temperatureClass": l.class});
    let mut ship = with_readings(
        event(
            start + Duration::hours(2),
            "shipping",
            PLANT,
            l.lot,
            "in_transit",
        ),
        start + Duration::hours(2),
        l.mid,
        false,
        1,
    );
    ship["sourceList"] = json!([{"type": "owning_party", "source": SHIPPER}]);
    ship["destinationList"] = json!([{"type": "possessing_party", "destination": CARRIER}]);
    let shipper = Capturer::party(SHIPPER, "shipper");
    ledger
        .capture(&doc(vec![made, ship]), &shipper)
        .with_context(|| format!("demo lot {}", l.lot))?;
    let road = |h: i64, step: &str, place: &str, warm: bool, seed: u32| {
        let t = start + Duration::hours(h);
        with_readings(
            event(t, step, place, l.lot, "in_transit"),
            t,
            l.mid,
            warm,
            seed,
        )
    };
    let mut arrive = road(9, "receiving", SHOP, false, 5);
    arrive["disposition"] = json!("in_progress");
    arrive["destinationList"] = json!([{"type": "location", "destination": SHOP}]);
    let events = vec![
        road(4, "transporting", HUB, false, 2),
        road(5, "arriving", HUB, l.excursion, 3),
        road(7, "departing", HUB, false, 4),
        arrive,
    ];
    ledger
        .capture(&doc(events), &Capturer::party(CARRIER, "carrier"))
        .with_context(|| format!("demo lot {}", l.lot))?;
    Ok(())
}

/// Fills an empty ledger with the demo lots; a ledger that already holds events is left alone.
pub fn seed(ledger: &Ledger) -> Result<usize> {
    if ledger.tree_head().tree_size > 0 {
        return Ok(0);
    }
    let now = Utc::now();
    for (i, l) in demo_lots().iter().enumerate() {
        record_lot(ledger, l, now - Duration::hours(2 + 6 * i as i64))?;
    }
    Ok(LOTS.len())
}
