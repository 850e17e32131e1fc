//! Generated parties (carriers and shippers), vehicles and drivers.

use chrono::{DateTime, NaiveDate, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use wuliu_model::{
    BodyType, Celsius, Certificate, Dimensions, DivisionCode, Driver, DrivingLicence, Kg, Meters,
    Party, PartyId, PartyRole, PlateColour, TemperatureRange, Vehicle, VehicleStatus, M3,
};

use crate::idgen::{self, PlateKind};
use crate::places::{address_in, district_by_slug, point_in, Site};

/// The plan's industries that the generated freight follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Industry {
    /// Auto parts (柳南/柳东 car cluster).
    AutoParts,
    /// Steel (柳钢, 柳北).
    Steel,
    /// Construction machinery (柳工).
    Machinery,
    /// Snail-noodle (螺蛳粉) e-commerce parcels.
    SnailNoodle,
    /// Cold-chain produce from the 新柳邕 wholesale market.
    ColdChain,
}

/// Shipper industries in assignment order: every block of five covers all industries, and ten shippers get
/// three auto-parts, two steel, one machinery, two snail-noodle and two cold-chain shippers (auto parts is
/// the city's largest industry).
const SHIPPER_INDUSTRIES: [Industry; 10] = [
    Industry::AutoParts,
    Industry::Steel,
    Industry::Machinery,
    Industry::SnailNoodle,
    Industry::ColdChain,
    Industry::AutoParts,
    Industry::SnailNoodle,
    Industry::ColdChain,
    Industry::AutoParts,
    Industry::Steel,
];

/// Carrier fleet profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Box trucks and containers for trunk and city general cargo.
    General,
    /// Flatbed semi-trailers and high-sided trucks for steel and machinery.
    Heavy,
    /// Refrigerated trucks.
    Cold,
    /// Light trucks and vans for city distribution, many of them new-energy.
    City,
}

const PROFILES: [Profile; 4] = [
    Profile::General,
    Profile::Heavy,
    Profile::Cold,
    Profile::City,
];

/// Vehicle models of the demo fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VKind {
    /// Light van (微型厢式货车), 0.8 t.
    Van,
    /// 4.2 m box truck, 1.495 t (blue plate, no transport certificate needed).
    Box42,
    /// 4.2 m refrigerated truck, 1.4 t.
    Reefer42,
    /// 6.8 m box truck, 9.9 t.
    Box68,
    /// 9.6 m refrigerated truck, 14 t.
    Reefer96,
    /// 9.6 m high-sided truck, 18 t.
    HighSided96,
    /// 9.6 m box truck, 18 t.
    Box96,
    /// 40-ft container semi-trailer, 28 t.
    Container40,
    /// 13 m flatbed semi-trailer, 32 t.
    Flatbed13,
}

/// Static specification of a vehicle model.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Body type.
    pub body: BodyType,
    /// Rated load in kg.
    pub rated_kg: f64,
    /// Inner length, width, height in metres.
    pub dims: (f64, f64, f64),
    /// Driving-licence class needed.
    pub licence: &'static str,
    /// Freight rate per loaded km, yuan.
    pub per_km: f64,
    /// Minimum trip price, yuan.
    pub min_price: f64,
}

impl Spec {
    /// Usable cargo volume (inner volume rounded down to 0.1 m³).
    pub fn volume(&self) -> f64 {
        ((self.dims.0 * self.dims.1 * self.dims.2) * 10.0).floor() / 10.0
    }
}

/// The specification of a vehicle model.
pub fn spec(k: VKind) -> Spec {
    // The first argument is the model's Chinese name, for readers of this table.
    let s = |_label: &str, body, rated_kg, dims, licence, per_km, min_price| Spec {
        body,
        rated_kg,
        dims,
        licence,
        per_km,
        min_price,
    };
    match k {
        VKind::Van => s(
            "微型厢式货车",
            BodyType::Van,
            800.0,
            (2.6, 1.4, 1.25),
            "C1",
            2.5,
            120.0,
        ),
        VKind::Box42 => s(
            "4.2米厢式货车",
            BodyType::Box,
            1495.0,
            (4.1, 2.05, 1.95),
            "C1",
            3.5,
            200.0,
        ),
        VKind::Reefer42 => s(
            "4.2米冷藏车",
            BodyType::Refrigerated,
            1400.0,
            (4.0, 1.9, 1.8),
            "C1",
            4.6,
            280.0,
        ),
        VKind::Box68 => s(
            "6.8米厢式货车",
            BodyType::Box,
            9900.0,
            (6.75, 2.4, 2.45),
            "B2",
            4.5,
            350.0,
        ),
        VKind::Reefer96 => s(
            "9.6米冷藏车",
            BodyType::Refrigerated,
            14000.0,
            (9.4, 2.3, 2.3),
            "B2",
            7.2,
            700.0,
        ),
        VKind::HighSided96 => s(
            "9.6米高栏车",
            BodyType::HighSided,
            18000.0,
            (9.6, 2.4, 1.5),
            "B2",
            5.5,
            500.0,
        ),
        VKind::Box96 => s(
            "9.6米厢式货车",
            BodyType::Box,
            18000.0,
            (9.55, 2.4, 2.5),
            "B2",
            5.5,
            500.0,
        ),
        VKind::Container40 => s(
            "40英尺集装箱半挂车",
            BodyType::Container,
            28000.0,
            (12.03, 2.35, 2.39),
            "A2",
            6.5,
            700.0,
        ),
        VKind::Flatbed13 => s(
            "13米平板半挂车",
            BodyType::Flatbed,
            32000.0,
            (13.0, 2.5, 3.0),
            "A2",
            6.5,
            700.0,
        ),
    }
}

/// A fleet slot: model, whether it is new-energy, and its refrigeration range.
type Slot = (VKind, bool, Option<(f64, f64)>);

/// Multi-temperature refrigeration unit of a 4.2 m truck (chilled and frozen).
const REEFER_MULTI: (f64, f64) = (-25.0, 10.0);
/// Chilled-only refrigeration unit.
const REEFER_CHILLED: (f64, f64) = (-5.0, 15.0);
/// Unit of a 9.6 m refrigerated truck.
const REEFER_LARGE: (f64, f64) = (-25.0, 15.0);

fn fleet_slots(p: Profile) -> [Slot; 8] {
    use VKind::*;
    match p {
        Profile::General => [
            (Box96, false, None),
            (Box96, false, None),
            (Container40, false, None),
            (Box68, false, None),
            (Box96, false, None),
            (Container40, false, None),
            (Box68, false, None),
            (Box42, false, None),
        ],
        Profile::Heavy => [
            (Flatbed13, false, None),
            (Flatbed13, false, None),
            (HighSided96, false, None),
            (Flatbed13, false, None),
            (HighSided96, false, None),
            (Box96, false, None),
            (Flatbed13, false, None),
            (HighSided96, false, None),
        ],
        Profile::Cold => [
            (Reefer42, false, Some(REEFER_MULTI)),
            (Reefer96, false, Some(REEFER_LARGE)),
            (Reefer42, false, Some(REEFER_CHILLED)),
            (Reefer96, false, Some(REEFER_LARGE)),
            (Reefer42, false, Some(REEFER_MULTI)),
            (Reefer42, false, Some(REEFER_CHILLED)),
            (Reefer96, false, Some(REEFER_LARGE)),
            (Reefer42, false, Some(REEFER_MULTI)),
        ],
        Profile::City => [
            (Van, true, None),
            (Box42, true, None),
            (Box42, false, None),
            (Van, true, None),
            (Box68, false, None),
            (Box42, true, None),
            (Van, false, None),
            (Box42, true, None),
        ],
    }
}

/// Word cores for company names (柳州<core>物流有限公司); fictitious, shuffled per seed.
const NAME_CORES: &[&str] = &[
    "龙城", "桂中", "顺达", "通程", "恒运", "鑫源", "安捷", "宏远", "汇通", "畅达", "华运", "金桥",
    "盛通", "骏程", "远航", "壶城", "丰达", "邦达", "众诚", "运达", "百顺", "新港", "立信", "嘉禾",
    "正泰", "永盛", "福源", "瑞丰", "佳联", "宏泰", "力拓", "金鼎", "腾达", "精工", "华弘", "荣昌",
    "信达", "广源", "天成", "恒丰",
];

/// A generated carrier.
#[derive(Debug, Clone)]
pub struct Carrier {
    /// External ID, `demo-carrier-NN`.
    pub ext: String,
    /// The party.
    pub party: Party,
    /// Bank code and account for payments.
    pub bank: (&'static str, String),
}

/// A generated shipper.
#[derive(Debug, Clone)]
pub struct Shipper {
    /// External ID, `demo-shipper-NN`.
    pub ext: String,
    /// The party.
    pub party: Party,
    /// Industry.
    pub industry: Industry,
    /// Where its goods are picked up.
    pub site: Site,
}

/// A generated vehicle with its carrier and model.
#[derive(Debug, Clone)]
pub struct Veh {
    /// External ID, `demo-veh-CC-NN`.
    pub ext: String,
    /// The vehicle.
    pub vehicle: Vehicle,
    /// Index of its carrier.
    pub carrier: usize,
    /// Model.
    pub kind: VKind,
    /// Index of its regular driver.
    pub driver: usize,
}

/// A generated driver with its carrier.
#[derive(Debug, Clone)]
pub struct Drv {
    /// External ID, `demo-drv-CC-NN`.
    pub ext: String,
    /// The driver.
    pub driver: Driver,
}

/// Everything this module generates.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Carriers.
    pub carriers: Vec<Carrier>,
    /// Shippers.
    pub shippers: Vec<Shipper>,
    /// Vehicles.
    pub vehicles: Vec<Veh>,
    /// Drivers (one per vehicle).
    pub drivers: Vec<Drv>,
}

fn name_core(cores: &[&str], i: usize) -> String {
    let core = cores[i % cores.len()];
    match i / cores.len() {
        0 => core.to_string(),
        round => format!("{core}{}", round + 1),
    }
}

fn date_between<R: Rng>(rng: &mut R, from: NaiveDate, years: u32) -> NaiveDate {
    from + chrono::Days::new(rng.gen_range(30..(u64::from(years) * 365)))
}

/// Carrier districts by profile (cycled).
fn carrier_districts(p: Profile) -> &'static [&'static str] {
    match p {
        Profile::General => &["liunan", "liujiang", "liudong"],
        Profile::Heavy => &["liubei", "liujiang"],
        Profile::Cold => &["liunan", "yufeng"],
        Profile::City => &["chengzhong", "yufeng", "liubei", "luzhai"],
    }
}

/// Shipper districts by industry (cycled).
fn shipper_districts(i: Industry) -> &'static [&'static str] {
    match i {
        Industry::AutoParts => &["liunan", "liudong"],
        Industry::Steel => &["liubei"],
        Industry::Machinery => &["liubei", "liudong"],
        Industry::SnailNoodle => &["liunan", "yufeng"],
        Industry::ColdChain => &["liunan"],
    }
}

fn party_contact<R: Rng>(rng: &mut R) -> (String, String) {
    let male = rng.gen_bool(0.7);
    let name = idgen::person_name(rng, male);
    let phone = if rng.gen_bool(0.5) {
        idgen::landline(rng)
    } else {
        idgen::mobile(rng)
    };
    (name, phone)
}

/// Generates carriers, shippers, vehicles and drivers. `market` is the site of the 新柳邕 wholesale market
/// (cold-chain shippers trade there); `party_id` maps a party's external ID to its platform ID.
pub fn generate<R: Rng>(
    rng: &mut R,
    carriers_n: usize,
    shippers_n: usize,
    vehicles_per_carrier: usize,
    start: DateTime<Utc>,
    market: &Site,
    party_id: &dyn Fn(&str) -> String,
) -> Fleet {
    let today = start.date_naive();
    let mut cores: Vec<&str> = NAME_CORES.to_vec();
    cores.shuffle(rng);
    let mut plates = std::collections::BTreeSet::new();

    let mut carriers = Vec::with_capacity(carriers_n);
    let mut vehicles = Vec::new();
    let mut drivers = Vec::new();
    for ci in 0..carriers_n {
        let profile = PROFILES[ci % PROFILES.len()];
        let ds = carrier_districts(profile);
        let district = district_by_slug(ds[(ci / PROFILES.len()) % ds.len()]);
        let core = name_core(&cores, ci);
        let name = match profile {
            Profile::Cold => format!("柳州{core}冷链物流有限公司"),
            _ => format!("柳州{core}物流有限公司"),
        };
        let ext = format!("demo-carrier-{:02}", ci + 1);
        let (contact, phone) = party_contact(rng);
        let permit = Certificate {
            number: format!(
                "桂交运管许可柳字{}{}号",
                district.code,
                idgen::digits(rng, 6)
            ),
            expires: date_between(rng, today, 4),
        };
        let party = Party {
            external_id: Some(ext.clone()),
            name,
            roles: vec![PartyRole::Carrier],
            credit_code: idgen::credit_code(rng, district.code),
            contact_name: Some(contact),
            phone: Some(phone),
            address: Some(address_in(rng, district)),
            division_code: DivisionCode(district.code.to_string()),
            transport_permit: Some(permit),
        };
        let bank = idgen::BANKS.choose(rng).expect("banks").0;
        let carrier_pid = PartyId(party_id(&ext));
        for vi in 0..vehicles_per_carrier {
            let (kind, electric, refrigeration) = fleet_slots(profile)[vi % 8];
            let sp = spec(kind);
            let colour = match (sp.rated_kg > 4500.0, electric) {
                (true, false) => PlateColour::Yellow,
                (true, true) => PlateColour::YellowGreen,
                (false, false) => PlateColour::Blue,
                (false, true) => PlateColour::GradientGreen,
            };
            let plate = loop {
                let p = match colour {
                    PlateColour::GradientGreen => idgen::plate(rng, PlateKind::SmallNewEnergy),
                    _ => idgen::plate(rng, PlateKind::Ordinary),
                };
                if plates.insert(p.clone()) {
                    break p;
                }
            };
            let certificate = (sp.rated_kg > 4500.0).then(|| Certificate {
                number: format!("桂交运管柳字{}{}号", district.code, idgen::digits(rng, 6)),
                expires: date_between(rng, today, 3),
            });
            let vext = format!("demo-veh-{:02}-{:02}", ci + 1, vi + 1);
            let vehicle = Vehicle {
                external_id: Some(vext.clone()),
                carrier_id: carrier_pid.clone(),
                plate,
                plate_colour: colour,
                body_type: sp.body,
                rated_load: Kg(sp.rated_kg),
                cargo_volume: M3(sp.volume()),
                inner_dimensions: Some(Dimensions {
                    length: Meters(sp.dims.0),
                    width: Meters(sp.dims.1),
                    height: Meters(sp.dims.2),
                }),
                refrigeration: refrigeration.map(|(min, max)| TemperatureRange {
                    min: Celsius(min),
                    max: Celsius(max),
                }),
                dangerous_goods_classes: Vec::new(),
                transport_certificate: certificate,
                home_base: Some(point_in(rng, district)),
                status: VehicleStatus::Available,
            };
            // The vehicle's regular driver.
            let male = rng.gen_bool(0.95);
            let id_number = idgen::resident_id(rng, male);
            let dext = format!("demo-drv-{:02}-{:02}", ci + 1, vi + 1);
            let driver = Driver {
                external_id: Some(dext.clone()),
                carrier_id: carrier_pid.clone(),
                name: idgen::person_name(rng, male),
                phone: idgen::mobile(rng),
                licence: DrivingLicence {
                    number: id_number.clone(),
                    class: sp.licence.to_string(),
                    expires: date_between(rng, today, 10),
                },
                // The qualification certificate number is the ID number, as on current certificates.
                qualification: Certificate {
                    number: id_number.clone(),
                    expires: date_between(rng, today, 6),
                },
                id_number,
                dangerous_goods_qualified: false,
            };
            vehicles.push(Veh {
                ext: vext,
                vehicle,
                carrier: ci,
                kind,
                driver: drivers.len(),
            });
            drivers.push(Drv { ext: dext, driver });
        }
        carriers.push(Carrier {
            ext,
            party,
            bank: (bank, idgen::bank_account(rng)),
        });
    }

    let mut shippers = Vec::with_capacity(shippers_n);
    for si in 0..shippers_n {
        let industry = SHIPPER_INDUSTRIES[si % SHIPPER_INDUSTRIES.len()];
        let ds = shipper_districts(industry);
        let nth_of_industry = SHIPPER_INDUSTRIES[..si % SHIPPER_INDUSTRIES.len()]
            .iter()
            .filter(|i| **i == industry)
            .count()
            + si / SHIPPER_INDUSTRIES.len();
        let district = district_by_slug(ds[nth_of_industry % ds.len()]);
        let core = name_core(&cores, carriers_n + si);
        let name = match industry {
            Industry::AutoParts => format!("柳州{core}汽车零部件有限公司"),
            Industry::Steel => format!("柳州{core}钢材贸易有限公司"),
            Industry::Machinery => format!("柳州{core}工程机械有限公司"),
            Industry::SnailNoodle => format!("柳州{core}螺蛳粉食品有限公司"),
            Industry::ColdChain => format!("柳州{core}农产品贸易有限公司"),
        };
        let ext = format!("demo-shipper-{:02}", si + 1);
        let (contact, phone) = party_contact(rng);
        let site = match industry {
            Industry::ColdChain => Site {
                name: name.clone(),
                address: format!(
                    "{}{}区{}号档口",
                    market.address,
                    ["A", "B", "C", "D"].choose(rng).expect("zones"),
                    rng.gen_range(1..=300)
                ),
                ..market.clone()
            },
            _ => {
                let address = address_in(rng, district);
                Site {
                    name: name.clone(),
                    address,
                    division: district.code.to_string(),
                    point: point_in(rng, district),
                    facility: None,
                }
            }
        };
        let party = Party {
            external_id: Some(ext.clone()),
            name,
            roles: vec![PartyRole::Shipper],
            credit_code: idgen::credit_code(rng, &site.division),
            contact_name: Some(contact),
            phone: Some(phone),
            address: Some(site.address.clone()),
            division_code: DivisionCode(site.division.clone()),
            transport_permit: None,
        };
        shippers.push(Shipper {
            ext,
            party,
            industry,
            site,
        });
    }
    Fleet {
        carriers,
        shippers,
        vehicles,
        drivers,
    }
}
