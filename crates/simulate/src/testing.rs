//! A small made-up fleet for examples and tests.

use serde_json::json;
use wuliu_model::codes::{resident_id_check_char, uscc_check_char};

use crate::fleet::{Fleet, Stored};

fn credit_code(seq: u32) -> String {
    let first17 = format!("91450200MA5K{seq:04}X");
    let first17 = &first17[..17];
    format!("{first17}{}", uscc_check_char(first17).expect("charset"))
}

fn resident_id(seq: u32) -> String {
    let first17 = format!("450202198501{:02}{:03}", 1 + seq % 28, seq % 1000);
    format!(
        "{first17}{}",
        resident_id_check_char(&first17).expect("digits")
    )
}

fn stored<T: serde::de::DeserializeOwned>(id: String, body: serde_json::Value) -> Stored<T> {
    Stored {
        id,
        region: "450200".into(),
        body: serde_json::from_value(body).expect("valid test record"),
    }
}

/// Two carriers, one shipper, and `vehicles` 18 t box trucks with one driver each, split
/// between the carriers; every document valid until 2030.
pub fn small_fleet(vehicles: usize) -> Fleet {
    let mut fleet = Fleet::default();
    for c in 0..2u32 {
        fleet.parties.push(stored(
            format!("pty_c{c}"),
            json!({"name": format!("柳州测试{c}运输有限公司"), "roles": ["carrier"],
                "credit_code": credit_code(c + 1), "division_code": "450204",
                "transport_permit": {"number": format!("450200{c:06}"), "expires": "2030-12-31"}}),
        ));
    }
    fleet.parties.push(stored(
        "pty_s0".into(),
        json!({"name": "柳州测试汽配有限公司", "roles": ["shipper"],
            "credit_code": credit_code(9), "division_code": "450204"}),
    ));
    for v in 0..vehicles as u32 {
        let carrier = format!("pty_c{}", v % 2);
        fleet.vehicles.push(stored(
            format!("veh_{v}"),
            json!({"carrier_id": carrier, "plate": format!("桂B{:05}", 20_000 + v),
                "plate_colour": "yellow", "body_type": "box", "rated_load": 18000.0,
                "cargo_volume": 55.0,
                "transport_certificate": {"number": format!("4502{v:08}"), "expires": "2030-06-30"}}),
        ));
        fleet.drivers.push(stored(
            format!("drv_{v}"),
            json!({"carrier_id": carrier, "name": format!("韦师傅{v}"), "id_number": resident_id(v),
                "phone": "13907720000",
                "licence": {"number": resident_id(v), "class": "A2", "expires": "2030-01-01"},
                "qualification": {"number": format!("Q{v:08}"), "expires": "2030-01-01"}}),
        ));
    }
    fleet
}
