//! Planning a day of trips on the platform's fleet: who carries what from where to where and
//! when, and which trips carry which injected anomaly. Pure and deterministic: the same fleet and
//! [`Config`] always give the same scenario.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use wuliu_demo::places::{self, City, DISTRICTS};
use wuliu_model::{BodyType, Driver, GeoPoint, Party, Vehicle};

use crate::anomaly::AnomalyKind;
use crate::drive::Sample;
use crate::error::{Error, Result};
use crate::fleet::{Fleet, Stored};
use crate::identity;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Number of trips.
    pub trips: usize,
    /// Share of trips with an injected anomaly, 0–1.
    pub anomaly_share: f64,
    /// Random seed.
    pub seed: u64,
    /// Earliest despatch.
    pub start: DateTime<Utc>,
    /// Despatches are spread over `start .. start + spread_s`.
    pub spread_s: i64,
    /// Run tag: prefixes external IDs and document numbers, and seeds the made-up identities of
    /// fresh records, so two runs never collide on the platform.
    pub tag: String,
}

impl Config {
    /// A replay of `day` (Beijing): despatches between 06:00 and 12:00 Beijing time.
    pub fn replay(day: NaiveDate, trips: usize, anomaly_share: f64, seed: u64, tag: &str) -> Self {
        let start = day.and_hms_opt(6, 0, 0).expect("time").and_utc() - Duration::hours(8);
        Config {
            trips,
            anomaly_share,
            seed,
            start,
            spread_s: 6 * 3600,
            tag: tag.to_string(),
        }
    }

    /// Live trips from `now`: despatches within the next simulated hour.
    pub fn live(
        now: DateTime<Utc>,
        trips: usize,
        anomaly_share: f64,
        seed: u64,
        tag: &str,
    ) -> Self {
        Config {
            trips,
            anomaly_share,
            seed,
            start: now,
            spread_s: 3600,
            tag: tag.to_string(),
        }
    }

    /// The Beijing day before the one `now` falls in (what `--mode replay` simulates by default).
    pub fn previous_day(now: DateTime<Utc>) -> NaiveDate {
        (now + Duration::hours(8)).date_naive() - Duration::days(1)
    }

    /// The Beijing date of the first despatch (the day documents must be valid on).
    pub fn day(&self) -> NaiveDate {
        (self.start + Duration::hours(8)).date_naive()
    }
}

/// One end of a trip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct End {
    /// Consignor or consignee name.
    pub name: String,
    /// Address.
    pub place: String,
    /// GB/T 2260 division code.
    pub division: String,
    /// Coordinate.
    pub point: GeoPoint,
}

/// Which document of an `expired_certificate` trip expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expired {
    /// A fresh vehicle whose road transport certificate expired.
    Vehicle,
    /// A fresh driver whose qualification certificate expired.
    Driver,
}

/// A record the trip uses: stored already (`id` known) or to be created (`fresh`).
#[derive(Debug, Clone, PartialEq)]
pub struct Member<T> {
    /// Platform ID, once known.
    pub id: Option<String>,
    /// Whether the simulator creates this record.
    pub fresh: bool,
    /// The record.
    pub record: T,
}

/// Who the freight is paid to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payee {
    /// Recipient name.
    pub recipient: String,
    /// Account number.
    pub account: String,
    /// Bank code.
    pub bank_code: String,
}

/// Where a trip's geometry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Geometry {
    /// Not realised yet.
    Pending,
    /// The server's road network.
    Road,
    /// Great circles with small lateral noise (no road network).
    GreatCircle,
    /// Copied from another trip (borrowed track).
    Copied,
}

/// One planned trip; [`Scenario::realise`] fills its track and times.
#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    /// Position in the scenario.
    pub index: usize,
    /// External ID of the waybill.
    pub external_id: String,
    /// Shipping note number.
    pub shipping_note_number: String,
    /// Injected anomaly.
    pub anomaly: Option<AnomalyKind>,
    /// For `expired_certificate`: which document.
    pub expired: Option<Expired>,
    /// For `borrowed_track`: the trip whose track is copied.
    pub borrowed_from: Option<usize>,
    /// Shipper.
    pub shipper: Stored<Party>,
    /// Carrier operating the vehicle.
    pub carrier: Stored<Party>,
    /// Vehicle.
    pub vehicle: Member<Vehicle>,
    /// Driver.
    pub driver: Member<Driver>,
    /// Loading place.
    pub consignor: End,
    /// Unloading place.
    pub consignee: End,
    /// Detour via point.
    pub via: Option<GeoPoint>,
    /// Goods description.
    pub goods: String,
    /// Cargo type code.
    pub cargo_type_code: String,
    /// Gross weight, kg.
    pub gross_weight_kg: f64,
    /// Packages.
    pub packages: u32,
    /// Freight, yuan.
    pub amount: f64,
    /// Who is paid.
    pub payee: Payee,
    /// Planned despatch.
    pub planned_despatch: DateTime<Utc>,
    /// Consignment time (before despatch).
    pub consignment: DateTime<Utc>,
    /// Despatch (first fix), once realised.
    pub despatch: DateTime<Utc>,
    /// Receipt (last fix), once realised.
    pub receipt: DateTime<Utc>,
    /// Geometry source.
    pub geometry: Geometry,
    /// Length of the driven route, metres.
    pub path_m: f64,
    /// The fixes the vehicle reports (empty for a ghost trip).
    pub fixes: Vec<Sample>,
    /// Platform ID of the waybill, once uploaded.
    pub waybill_id: Option<String>,
}

impl Trip {
    /// Great-circle distance between consignor and consignee, metres.
    pub fn straight_m(&self) -> f64 {
        crate::geo::dist_m(self.consignor.point, self.consignee.point)
    }

    /// The points the route must pass: consignor, the detour's via point if any, consignee.
    pub fn waypoints(&self) -> Vec<GeoPoint> {
        let mut w = vec![self.consignor.point];
        w.extend(self.via);
        w.push(self.consignee.point);
        w
    }
}

/// A planned day.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// What was asked for.
    pub config: Config,
    /// The trips.
    pub trips: Vec<Trip>,
}

/// Destinations of long trips (over 100 km), and of fatigue trips (over 380 km).
const LONG: &[City] = &[
    places::GUILIN,
    places::NANNING,
    places::QINZHOU_PORT,
    places::GUIYANG,
    places::GUANGZHOU,
    places::SHENZHEN,
];
const FAR: &[City] = &[places::GUIYANG, places::GUANGZHOU, places::SHENZHEN];
const NEAR: &[City] = &[places::LAIBIN, places::GUILIN, places::NANNING];

/// Plans `config.trips` trips on `fleet`.
pub fn plan(fleet: &Fleet, config: &Config) -> Result<Scenario> {
    let day = config.day();
    let carriers = fleet.carriers(day);
    let shippers = fleet.shippers();
    if carriers.is_empty() || shippers.is_empty() {
        return Err(Error::Fleet(format!(
            "need at least one carrier with a valid permit and one shipper; found {} and {}",
            carriers.len(),
            shippers.len()
        )));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut fresh = ChaCha8Rng::seed_from_u64(config.seed ^ identity::fnv1a(&config.tag));
    let mut anomalies = assign_anomalies(config.trips, config.anomaly_share, &mut rng);
    let donors = assign_donors(&mut anomalies, &mut rng);
    let mut vehicles = fleet.usable_vehicles(day);
    vehicles.shuffle(&mut rng);
    let mut plates: Vec<String> = fleet
        .vehicles
        .iter()
        .map(|v| v.body.plate.clone())
        .collect();
    let mut used_drivers = std::collections::HashMap::<String, usize>::new();
    let mut trips = Vec::with_capacity(config.trips);
    for i in 0..config.trips {
        let long =
            anomalies[i].is_some_and(AnomalyKind::needs_long_trip) || donors.contains(&Some(i));
        let far = anomalies[i] == Some(AnomalyKind::Fatigue);
        let ctx = TripContext {
            fleet,
            config,
            day,
            index: i,
            anomaly: anomalies[i],
        };
        let expired = (anomalies[i] == Some(AnomalyKind::ExpiredCertificate)).then(|| {
            if rng.gen_bool(0.5) {
                Expired::Vehicle
            } else {
                Expired::Driver
            }
        });
        let (carrier, vehicle) = ctx.vehicle(
            &vehicles,
            &carriers,
            expired,
            &mut plates,
            &mut rng,
            &mut fresh,
        );
        let shipper = (*shippers.choose(&mut rng).expect("shippers")).clone();
        let driver = ctx.driver(&carrier, expired, &mut used_drivers, &mut rng, &mut fresh);
        let mut trip = ctx.trip(shipper, carrier, vehicle, driver, long, far, &mut rng);
        trip.expired = expired;
        trip.borrowed_from = donors[i];
        trips.push(trip);
    }
    Ok(Scenario {
        config: config.clone(),
        trips,
    })
}

/// Which trips are anomalous, and how: `round(n × share)` trips, kinds cycling through a seeded
/// order of [`AnomalyKind::ALL`].
pub fn assign_anomalies<R: Rng>(n: usize, share: f64, rng: &mut R) -> Vec<Option<AnomalyKind>> {
    let count = ((n as f64) * share.clamp(0.0, 1.0)).round() as usize;
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut kinds = AnomalyKind::ALL;
    kinds.shuffle(rng);
    let mut out = vec![None; n];
    for (k, &i) in order.iter().take(count).enumerate() {
        out[i] = Some(kinds[k % kinds.len()]);
    }
    out
}

/// The donor of each borrowed-track trip: a trip whose own track is normal. A borrowed trip with
/// no possible donor becomes a detour.
pub fn assign_donors<R: Rng>(
    anomalies: &mut [Option<AnomalyKind>],
    rng: &mut R,
) -> Vec<Option<usize>> {
    let normal_track = |a: Option<AnomalyKind>| {
        matches!(
            a,
            None | Some(AnomalyKind::ThirdPartyPayment)
                | Some(AnomalyKind::Overweight)
                | Some(AnomalyKind::ExpiredCertificate)
        )
    };
    let candidates: Vec<usize> = (0..anomalies.len())
        .filter(|&i| normal_track(anomalies[i]))
        .collect();
    let mut donors = vec![None; anomalies.len()];
    for i in 0..anomalies.len() {
        if anomalies[i] != Some(AnomalyKind::BorrowedTrack) {
            continue;
        }
        match candidates.choose(rng) {
            Some(&d) => donors[i] = Some(d),
            None => anomalies[i] = Some(AnomalyKind::Detour),
        }
    }
    donors
}

/// What every per-trip choice needs.
struct TripContext<'a> {
    fleet: &'a Fleet,
    config: &'a Config,
    day: NaiveDate,
    index: usize,
    anomaly: Option<AnomalyKind>,
}

impl TripContext<'_> {
    /// The trip's carrier and vehicle: the next usable vehicle, or a fresh copy of it when they run
    /// out or when the trip's anomaly is an expired vehicle certificate.
    fn vehicle(
        &self,
        usable: &[&Stored<Vehicle>],
        carriers: &[&Stored<Party>],
        expired: Option<Expired>,
        plates: &mut Vec<String>,
        rng: &mut ChaCha8Rng,
        fresh: &mut ChaCha8Rng,
    ) -> (Stored<Party>, Member<Vehicle>) {
        let existing = usable.get(self.index).copied();
        let expired_vehicle = expired == Some(Expired::Vehicle);
        let carrier_of = |v: &Vehicle| {
            carriers
                .iter()
                .find(|c| c.id == v.carrier_id.0)
                .map(|c| (*c).clone())
        };
        if let (Some(v), false) = (existing, expired_vehicle) {
            if let Some(c) = carrier_of(&v.body) {
                let member = Member {
                    id: Some(v.id.clone()),
                    fresh: false,
                    record: v.body.clone(),
                };
                return (c, member);
            }
        }
        let template = existing
            .or_else(|| usable.choose(rng).copied())
            .map(|v| v.body.clone())
            .unwrap_or_else(|| default_vehicle(&carriers[0].id));
        let carrier = carrier_of(&template).unwrap_or_else(|| carriers[0].clone());
        let plate = identity::plate(fresh, &|p| plates.iter().any(|q| q == p));
        plates.push(plate.clone());
        let expires = if expired_vehicle {
            self.day - Duration::days(rng.gen_range(15..400))
        } else {
            self.day + Duration::days(rng.gen_range(365..1500))
        };
        let ext = format!("{}-veh-{:04}", self.config.tag, self.index);
        let mut record = identity::fresh_vehicle(fresh, &template, &ext, plate, expires);
        record.carrier_id = wuliu_model::PartyId(carrier.id.clone());
        let member = Member {
            id: None,
            fresh: true,
            record,
        };
        (carrier, member)
    }

    /// The trip's driver: a usable driver of the carrier who has no trip yet that day, or a fresh
    /// one (with an expired qualification for an expired-driver trip, or when none is free).
    fn driver(
        &self,
        carrier: &Stored<Party>,
        expired: Option<Expired>,
        used: &mut std::collections::HashMap<String, usize>,
        rng: &mut ChaCha8Rng,
        fresh: &mut ChaCha8Rng,
    ) -> Member<Driver> {
        let drivers = self.fleet.usable_drivers(&carrier.id, self.day);
        // One trip per driver a day, as in life: a driver paid for trips of several trucks on
        // one day is what `money.shared_account` looks for.
        let pick = drivers
            .iter()
            .filter(|d| !used.contains_key(&d.id))
            .min_by_key(|d| d.id.clone());
        if let (Some(d), false) = (pick, expired == Some(Expired::Driver)) {
            *used.entry(d.id.clone()).or_default() += 1;
            return Member {
                id: Some(d.id.clone()),
                fresh: false,
                record: d.body.clone(),
            };
        }
        let qualification = if expired == Some(Expired::Driver) {
            self.day - Duration::days(rng.gen_range(15..400))
        } else {
            self.day + Duration::days(rng.gen_range(365..1500))
        };
        let licence = self.day + Duration::days(rng.gen_range(365..2000));
        let ext = format!("{}-drv-{:04}", self.config.tag, self.index);
        let carrier_id = wuliu_model::PartyId(carrier.id.clone());
        Member {
            id: None,
            fresh: true,
            record: identity::fresh_driver(fresh, &carrier_id, &ext, qualification, licence),
        }
    }

    /// Everything else about the trip: places, goods, money, times.
    #[allow(clippy::too_many_arguments)]
    fn trip(
        &self,
        shipper: Stored<Party>,
        carrier: Stored<Party>,
        vehicle: Member<Vehicle>,
        driver: Member<Driver>,
        long: bool,
        far: bool,
        rng: &mut ChaCha8Rng,
    ) -> Trip {
        let consignor = consignor(&shipper.body, rng);
        let consignee = consignee(long, far, &consignor, rng);
        let via = (self.anomaly == Some(AnomalyKind::Detour))
            .then(|| crate::drive::detour_via(consignor.point, consignee.point, rng.gen_bool(0.5)));
        let (goods, code) = goods_for(vehicle.record.body_type, rng);
        let rated = vehicle.record.rated_load.0;
        let share = if self.anomaly == Some(AnomalyKind::Overweight) {
            rng.gen_range(1.15..1.45)
        } else {
            rng.gen_range(0.4..0.95)
        };
        let gross = (rated * share / 10.0).round() * 10.0;
        let km = crate::geo::dist_m(consignor.point, consignee.point) * 1.3 / 1000.0;
        let amount = ((300.0 + km * rng.gen_range(2.8..4.2)) / 10.0).round() * 10.0;
        let payee = self.payee(&driver.record, rng);
        let planned =
            self.config.start + Duration::seconds(rng.gen_range(0..self.config.spread_s.max(1)));
        let consignment = planned - Duration::seconds(rng.gen_range(3600..4 * 3600));
        let tag = &self.config.tag;
        Trip {
            index: self.index,
            external_id: format!("{tag}-{:04}", self.index),
            shipping_note_number: format!("SN-{tag}-{:04}", self.index),
            anomaly: self.anomaly,
            expired: None,
            borrowed_from: None,
            shipper,
            carrier,
            vehicle,
            driver,
            consignor,
            consignee,
            via,
            goods: goods.to_string(),
            cargo_type_code: code.to_string(),
            gross_weight_kg: gross,
            packages: (gross / 500.0).ceil().max(1.0) as u32,
            amount,
            payee,
            planned_despatch: planned,
            consignment,
            despatch: planned,
            receipt: planned,
            geometry: Geometry::Pending,
            path_m: 0.0,
            fixes: Vec::new(),
            waybill_id: None,
        }
    }

    /// The driver (their own account), or for a third-party payment someone else.
    fn payee(&self, driver: &Driver, rng: &mut ChaCha8Rng) -> Payee {
        if self.anomaly == Some(AnomalyKind::ThirdPartyPayment) {
            let mut name = identity::person_name(rng);
            while name == driver.name {
                name = identity::person_name(rng);
            }
            let (account, bank_code) = identity::account_of(&format!("{name}{}", rng.gen::<u32>()));
            return Payee {
                recipient: name,
                account,
                bank_code,
            };
        }
        let (account, bank_code) = identity::account_of(&driver.id_number);
        Payee {
            recipient: driver.name.clone(),
            account,
            bank_code,
        }
    }
}

/// A vehicle to copy when the fleet has none usable: an 18 t box truck.
fn default_vehicle(carrier: &str) -> Vehicle {
    serde_json::from_value(serde_json::json!({
        "carrier_id": carrier, "plate": "桂B00000", "plate_colour": "yellow", "body_type": "box",
        "rated_load": 18000.0, "cargo_volume": 55.0
    }))
    .expect("valid vehicle")
}

/// The shipper's loading place somewhere in Liuzhou's districts (not the far counties).
fn consignor<R: Rng>(shipper: &Party, rng: &mut R) -> End {
    let d = DISTRICTS[..7].choose(rng).expect("districts");
    End {
        name: shipper.name.clone(),
        place: places::address_in(rng, d),
        division: d.code.to_string(),
        point: places::point_in(rng, d),
    }
}

const CONSIGNEES: &[&str] = &["物流园", "配送中心", "汽配城", "商贸有限公司", "仓储中心"];

/// The unloading place: a far city for fatigue trips, a city over 100 km away for long ones,
/// otherwise another Liuzhou district (30 %), a nearby city (40 %) or a far one (30 %).
fn consignee<R: Rng>(long: bool, far: bool, from: &End, rng: &mut R) -> End {
    let suffix = CONSIGNEES.choose(rng).expect("names");
    let city = if far {
        Some(*FAR.choose(rng).expect("far"))
    } else if long {
        Some(*LONG.choose(rng).expect("long"))
    } else {
        match rng.gen_range(0..10) {
            0..=2 => None,
            3..=6 => Some(*NEAR.choose(rng).expect("near")),
            _ => Some(*LONG.choose(rng).expect("long")),
        }
    };
    match city {
        Some(c) => End {
            name: format!("{}{suffix}", c.name.trim_end_matches('市')),
            place: format!("{}{}号", c.area, rng.gen_range(1..400)),
            division: c.code.to_string(),
            point: places::point_near_city(rng, &c),
        },
        None => {
            let others: Vec<_> = DISTRICTS
                .iter()
                .filter(|d| d.code != from.division)
                .collect();
            let d = others.choose(rng).expect("districts");
            End {
                name: format!("柳州{}{suffix}", d.name),
                place: places::address_in(rng, d),
                division: d.code.to_string(),
                point: places::point_in(rng, d),
            }
        }
    }
}

/// Goods that fit the body type, with their cargo type code.
fn goods_for<R: Rng>(body: BodyType, rng: &mut R) -> (&'static str, &'static str) {
    let options: &[(&str, &str)] = match body {
        BodyType::Refrigerated => &[("冷冻肉类", "1602"), ("新鲜蔬菜", "1601")],
        BodyType::Flatbed | BodyType::HighSided => &[("钢材", "0400"), ("工程机械配件", "1200")],
        BodyType::CarCarrier => &[("乘用车", "1200")],
        BodyType::Tanker => &[("食用植物油", "1500")],
        _ => &[
            ("汽车零部件", "1200"),
            ("袋装螺蛳粉", "1500"),
            ("日用品", "1500"),
        ],
    };
    *options.choose(rng).expect("goods")
}
