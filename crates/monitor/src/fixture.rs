//! Builders of clean records for tests, examples and benchmarks: one trip along a straight line from
//! consignor to consignee, its vehicle, driver, waybill, fund-flow record and track.
//!
//! Tests mutate the pieces to inject one anomaly at a time.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use wuliu_model::common::Certificate;
use wuliu_model::waybill::{
    ActualCarrier, GoodsLine, Insurance, PaidWaybill, PaymentLine, WaybillDriver, WaybillParty,
    WaybillVehicle,
};
use wuliu_model::{
    BodyType, DivisionCode, Driver, DriverId, DrivingLicence, GeoPoint, Kg, PartyId, Payment,
    PaymentId, PlateColour, Vehicle, VehicleId, VehicleStatus, Waybill, WaybillId, WaybillStatus,
    Yuan, M3,
};

use crate::geo::dist;
use crate::input::{MonitorInput, PaymentRecord, WaybillRecord};
use crate::track::Track;

/// One trip and the parties behind it. [`TripSpec::clean`] gives a trip no rule flags.
#[derive(Debug, Clone, PartialEq)]
pub struct TripSpec {
    /// Waybill ID.
    pub waybill_id: WaybillId,
    /// Payment ID.
    pub payment_id: PaymentId,
    /// Vehicle ID.
    pub vehicle_id: VehicleId,
    /// Plate, e.g. `桂B00001`.
    pub plate: String,
    /// Driver ID.
    pub driver_id: DriverId,
    /// Driver name; the driver is also the actual carrier and the payee.
    pub driver_name: String,
    /// Driver's resident ID number, also the licence number.
    pub driver_number: String,
    /// Driver's bank account.
    pub account: String,
    /// The network-freight platform (carrier party).
    pub carrier_id: PartyId,
    /// Loading point.
    pub from: GeoPoint,
    /// Unloading point.
    pub to: GeoPoint,
    /// Despatch time.
    pub despatch: DateTime<Utc>,
    /// Receipt time.
    pub receipt: DateTime<Utc>,
    /// Total goods weight.
    pub goods_kg: f64,
    /// Rated load of the vehicle.
    pub rated_load_kg: f64,
    /// Freight amount in yuan.
    pub amount: f64,
    /// Last day of validity of every certificate and licence.
    pub documents_expire: NaiveDate,
}

/// Despatch time of [`TripSpec::clean`]: 2026-03-02 09:00 Beijing time.
pub fn clean_despatch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap()
}

impl TripSpec {
    /// Trip `n`: 120 km due east at 60 km/h from (23.5 + 0.05·n, 108.8), despatched 09:00 Beijing time
    /// on 2 March 2026, received two hours later; 20 t of goods on a 30 t vehicle; 3 000 yuan.
    /// Different `n` give parallel routes 5.5 km apart with their own vehicle, driver and account.
    pub fn clean(n: usize) -> Self {
        let lat = 23.5 + 0.05 * n as f64;
        let from = GeoPoint { lat, lon: 108.8 };
        let dlon = 120_000.0 / (111_195.0 * lat.to_radians().cos());
        let to = GeoPoint {
            lat,
            lon: 108.8 + dlon,
        };
        let despatch = clean_despatch();
        Self {
            waybill_id: WaybillId::new(format!("wyb_{n}")),
            payment_id: PaymentId::new(format!("pay_{n}")),
            vehicle_id: VehicleId::new(format!("veh_{n}")),
            plate: format!("桂B{:05}", n % 100_000),
            driver_id: DriverId::new(format!("drv_{n}")),
            driver_name: format!("司机{n}"),
            driver_number: format!("4502001990{:08}", n % 100_000_000),
            account: format!("6222{:012}", n),
            carrier_id: PartyId::new("pty_platform"),
            from,
            to,
            despatch,
            receipt: despatch + Duration::hours(2),
            goods_kg: 20_000.0,
            rated_load_kg: 30_000.0,
            amount: 3_000.0,
            documents_expire: NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(),
        }
    }

    /// Straight-line distance from consignor to consignee, metres.
    pub fn distance_m(&self) -> f64 {
        dist(self.from, self.to)
    }

    /// The waybill, status receipted.
    pub fn waybill(&self) -> WaybillRecord {
        let party = |name: &str, p: GeoPoint| WaybillParty {
            name: name.to_string(),
            id_code: None,
            place: format!("{name}仓库"),
            division_code: DivisionCode("450200".into()),
            point: Some(p),
        };
        let waybill = Waybill {
            external_id: None,
            shipping_note_number: format!("SN{}", self.waybill_id),
            original_document_number: None,
            serial_number: "0000".into(),
            business_type_code: "1002996".into(),
            shipper_id: PartyId::new("pty_shipper"),
            carrier_id: self.carrier_id.clone(),
            load_id: None,
            consignment_time: self.despatch - Duration::hours(3),
            despatch_time: Some(self.despatch),
            receipt_time: Some(self.receipt),
            consignor: party("发货人", self.from),
            consignee: party("收货人", self.to),
            vehicle: WaybillVehicle {
                vehicle_id: Some(self.vehicle_id.clone()),
                plate: self.plate.clone(),
                plate_colour: PlateColour::Yellow,
            },
            drivers: vec![WaybillDriver {
                driver_id: Some(self.driver_id.clone()),
                name: self.driver_name.clone(),
                licence_number: self.driver_number.clone(),
            }],
            goods: vec![GoodsLine {
                description: "钢材".into(),
                cargo_type_code: "0100".into(),
                gross_weight: Kg(self.goods_kg),
                cube: None,
                packages: None,
            }],
            actual_carrier: ActualCarrier {
                name: self.driver_name.clone(),
                business_licence: "450200000001".into(),
                id_code: self.driver_number.clone(),
            },
            insurance: Insurance {
                policy_number: "none".into(),
                company_code: "none".into(),
            },
            total_amount: Yuan(self.amount),
            remark: None,
            status: WaybillStatus::Receipted,
        };
        WaybillRecord {
            id: self.waybill_id.clone(),
            waybill,
        }
    }

    /// The vehicle record.
    pub fn vehicle(&self) -> Vehicle {
        Vehicle {
            external_id: None,
            carrier_id: self.carrier_id.clone(),
            plate: self.plate.clone(),
            plate_colour: PlateColour::Yellow,
            body_type: BodyType::Box,
            rated_load: Kg(self.rated_load_kg),
            cargo_volume: M3(60.0),
            inner_dimensions: None,
            refrigeration: None,
            dangerous_goods_classes: Vec::new(),
            transport_certificate: Some(Certificate {
                number: format!("桂交运{}", self.vehicle_id),
                expires: self.documents_expire,
            }),
            home_base: None,
            status: VehicleStatus::Available,
        }
    }

    /// The driver record.
    pub fn driver(&self) -> Driver {
        Driver {
            external_id: None,
            carrier_id: self.carrier_id.clone(),
            name: self.driver_name.clone(),
            id_number: self.driver_number.clone(),
            phone: "13800000000".into(),
            licence: DrivingLicence {
                number: self.driver_number.clone(),
                class: "A2".into(),
                expires: self.documents_expire,
            },
            qualification: Certificate {
                number: format!("从业{}", self.driver_id),
                expires: self.documents_expire,
            },
            dangerous_goods_qualified: false,
        }
    }

    /// The fund-flow record paying the whole amount to the driver one hour after receipt.
    pub fn payment(&self) -> PaymentRecord {
        let payment = Payment {
            external_id: None,
            document_number: format!("DOC{}", self.payment_id),
            carrier_id: self.carrier_id.clone(),
            shipper_id: PartyId::new("pty_shipper"),
            actual_carrier_id_code: self.driver_number.clone(),
            plate: self.plate.clone(),
            plate_colour: PlateColour::Yellow,
            waybills: vec![PaidWaybill {
                waybill_id: self.waybill_id.clone(),
                shipping_note_number: format!("SN{}", self.waybill_id),
                serial_number: "0000".into(),
                amount: Yuan(self.amount),
            }],
            payments: vec![PaymentLine {
                means_code: "32".into(),
                recipient: self.driver_name.clone(),
                account: self.account.clone(),
                bank_code: "ICBC".into(),
                serial: format!("SER{}", self.payment_id),
                amount: Yuan(self.amount),
                time: self.receipt + Duration::hours(1),
            }],
            remark: None,
        };
        PaymentRecord {
            id: self.payment_id.clone(),
            payment,
        }
    }

    /// Fixes every `interval_s` seconds from despatch to receipt along the straight line, at the
    /// constant speed that covers it.
    pub fn straight_track(&self, interval_s: i64) -> Track {
        polyline_track(
            &[self.from, self.to],
            self.despatch.timestamp(),
            self.receipt.timestamp(),
            interval_s,
        )
    }

    /// Adds the waybill, vehicle, driver, payment and `track` to `input`.
    pub fn add_to(&self, input: &mut MonitorInput, track: Track) {
        input.waybills.push(self.waybill());
        input.payments.push(self.payment());
        input
            .vehicles
            .insert(self.vehicle_id.clone(), self.vehicle());
        input.drivers.insert(self.driver_id.clone(), self.driver());
        input.tracks.insert(self.vehicle_id.clone(), track);
    }

    /// An input holding just this trip with a straight track, one fix every 30 s.
    pub fn input(&self) -> MonitorInput {
        let mut input = MonitorInput::default();
        self.add_to(&mut input, self.straight_track(30));
        input
    }
}

/// Fixes every `interval_s` seconds from `start_s` to `end_s` (Unix seconds) moving at constant speed
/// along the polyline `points` (interpolated linearly in degrees, measured in great-circle metres).
pub fn polyline_track(points: &[GeoPoint], start_s: i64, end_s: i64, interval_s: i64) -> Track {
    let mut track = Track::default();
    let Some(&first) = points.first() else {
        return track;
    };
    let legs: Vec<f64> = points.windows(2).map(|w| dist(w[0], w[1])).collect();
    let total: f64 = legs.iter().sum();
    let span = (end_s - start_s).max(1) as f64;
    let kmh = (total / span * 3.6) as f32;
    let mut t = start_s;
    while t <= end_s {
        let mut along = total * (t - start_s) as f64 / span;
        let mut p = *points.last().unwrap_or(&first);
        for (i, &len) in legs.iter().enumerate() {
            if along <= len || i + 1 == legs.len() {
                let f = if len > 0.0 {
                    (along / len).min(1.0)
                } else {
                    0.0
                };
                let (a, b) = (points[i], points[i + 1]);
                p = GeoPoint {
                    lat: a.lat + f * (b.lat - a.lat),
                    lon: a.lon + f * (b.lon - a.lon),
                };
                break;
            }
            along -= len;
        }
        track.push_raw(t, p.lat, p.lon, kmh);
        t += interval_s.max(1);
    }
    track
}
