//! Builders for loads, vehicles and drivers around Liuzhou.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use wuliu_match::{AvailableVehicle, MatchConfig, MatchRequest, OpenLoad};
use wuliu_model::ids::DivisionCode;
use wuliu_model::{
    BodyType, CargoClass, Certificate, Driver, DrivingLicence, GeoPoint, Kg, Load, LoadId,
    LoadStatus, PartyId, Place, PlateColour, Seconds, TimeWindow, Vehicle, VehicleId,
    VehicleStatus, Yuan, M3,
};

pub fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// Hours after midnight UTC of the test date.
pub fn at(h: f64) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date().and_hms_opt(0, 0, 0).unwrap())
        + Duration::seconds((h * 3600.0) as i64)
}

pub const LIUZHOU: GeoPoint = GeoPoint {
    lat: 24.326,
    lon: 109.411,
};
pub const NANNING: GeoPoint = GeoPoint {
    lat: 22.817,
    lon: 108.366,
};
pub const GUILIN: GeoPoint = GeoPoint {
    lat: 25.274,
    lon: 110.290,
};

/// A point `dx_km` east and `dy_km` north of `p`.
pub fn off(p: GeoPoint, dx_km: f64, dy_km: f64) -> GeoPoint {
    GeoPoint {
        lat: p.lat + dy_km / 110.574,
        lon: p.lon + dx_km / (111.32 * p.lat.to_radians().cos()),
    }
}

fn place(p: GeoPoint) -> Place {
    Place {
        point: p,
        address: "somewhere".into(),
        division_code: DivisionCode("450202".into()),
    }
}

pub fn load(id: &str, from: GeoPoint, to: GeoPoint, weight: f64, price: f64) -> OpenLoad {
    OpenLoad {
        id: LoadId::new(id),
        load: Load {
            external_id: None,
            shipper_id: PartyId::new("pty_s"),
            origin: place(from),
            destination: place(to),
            pickup_window: TimeWindow {
                start: at(0.0),
                end: at(6.0),
            },
            delivery_window: TimeWindow {
                start: at(0.0),
                end: at(20.0),
            },
            goods: "auto parts".into(),
            cargo: CargoClass::General,
            weight: Kg(weight),
            volume: M3(weight / 400.0),
            packages: 10,
            largest_package: None,
            price_offered: Yuan(price),
            declined_by: Vec::new(),
            status: LoadStatus::Open,
        },
    }
}

pub fn driver(dg: bool) -> Driver {
    Driver {
        external_id: None,
        carrier_id: PartyId::new("pty_c"),
        name: "Li Wei".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800138000".into(),
        licence: DrivingLicence {
            number: "1".into(),
            class: "B2".into(),
            expires: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        },
        qualification: Certificate {
            number: "Q".into(),
            expires: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        },
        dangerous_goods_qualified: dg,
    }
}

pub fn vehicle(id: &str, at_p: GeoPoint, body: BodyType, capacity: f64) -> AvailableVehicle {
    AvailableVehicle {
        id: VehicleId::new(id),
        vehicle: Vehicle {
            external_id: None,
            carrier_id: PartyId::new("pty_c"),
            plate: "桂B12345".into(),
            plate_colour: PlateColour::Yellow,
            body_type: body,
            rated_load: Kg(capacity),
            cargo_volume: M3(capacity / 250.0),
            inner_dimensions: None,
            refrigeration: None,
            dangerous_goods_classes: vec![],
            transport_certificate: Some(Certificate {
                number: "T".into(),
                expires: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            }),
            home_base: Some(at_p),
            status: VehicleStatus::Available,
        },
        position: at_p,
        free_from: at(0.0),
        drivers: vec![driver(false)],
        remaining_driving: Seconds(8.0 * 3600.0),
        available_until: None,
    }
}

pub fn request(loads: Vec<OpenLoad>, vehicles: Vec<AvailableVehicle>) -> MatchRequest {
    MatchRequest {
        loads,
        vehicles,
        date: date(),
        config: MatchConfig::default(),
    }
}
