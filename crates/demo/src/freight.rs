//! Generated freight: loads whose mix follows the plan's industries, waybills that execute some of them with
//! a compatible vehicle and driver of one carrier, fund-flow records for receipted waybills, and transport
//! events for dispatched ones.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use wuliu_model::waybill::{
    ActualCarrier, GoodsLine, Insurance, PaidWaybill, PaymentLine, WaybillDriver, WaybillParty,
    WaybillVehicle,
};
use wuliu_model::{
    CargoClass, Celsius, Dimensions, DriverId, EventKind, FacilityId, GeoPoint, Kg, Load, LoadId,
    LoadStatus, Meters, PartyId, Payment, Place, TemperatureRange, TimeWindow, TransportEvent,
    VehicleId, VehicleStatus, Waybill, WaybillId, WaybillStatus, Yuan, M3,
};

use crate::fleet::{spec, Fleet, Industry, VKind};
use crate::idgen;
use crate::places::{
    self, address_in, district_by_slug, point_in, point_near_city, round6, City, Site,
};

/// Chilled produce: 0–4 °C.
pub const CHILLED: (f64, f64) = (0.0, 4.0);
/// Frozen goods: at or below −18 °C (−25 to −18 °C).
pub const FROZEN: (f64, f64) = (-25.0, -18.0);

/// Cargo type codes (货物类型分类代码) used on the demo waybills.
pub mod cargo_type {
    /// 钢铁 (steel).
    pub const STEEL: &str = "0400";
    /// 机械、设备、电器 (machinery, equipment; also auto parts).
    pub const MACHINERY: &str = "1200";
    /// 轻工医药产品 (light-industry products; packaged food).
    pub const LIGHT_INDUSTRY: &str = "1500";
    /// 鲜活农产品 (fresh produce).
    pub const FRESH_PRODUCE: &str = "1601";
    /// 冷藏冷冻货物 (refrigerated and frozen goods).
    pub const FROZEN: &str = "1602";
}

/// A load before its status and times are known.
#[derive(Debug, Clone)]
pub struct LoadDraft {
    /// External ID.
    pub ext: String,
    /// Shipper index.
    pub shipper: usize,
    /// Pickup site.
    pub origin: Site,
    /// Delivery site.
    pub dest: Site,
    /// Consignee name.
    pub consignee: String,
    /// Goods description.
    pub goods: String,
    /// Cargo class.
    pub cargo: CargoClass,
    /// Cargo type code.
    pub cargo_type: &'static str,
    /// Weight, kg.
    pub weight: f64,
    /// Volume, m³.
    pub volume: f64,
    /// Packages.
    pub packages: u32,
    /// Largest package.
    pub largest: Option<Dimensions>,
    /// Vehicle models that may carry it, smallest first.
    pub allowed: Vec<VKind>,
    /// Road distance estimate, km.
    pub km: f64,
    /// Transit time, minutes.
    pub transit_min: i64,
    /// Offered price, yuan.
    pub price: f64,
}

fn facility_site<'a>(facilities: &'a BTreeMap<String, Site>, ext: &str) -> &'a Site {
    facilities.get(ext).unwrap_or_else(|| {
        panic!("demo lanes name key project {ext}, which is not in the embedded table")
    })
}

fn city_site<R: Rng>(rng: &mut R, city: &City, consignee: &str) -> Site {
    Site {
        name: consignee.to_string(),
        address: format!("{}{}", city.area, consignee),
        division: city.code.to_string(),
        point: point_near_city(rng, city),
        facility: None,
    }
}

fn weighted<'a, R: Rng, T>(rng: &mut R, items: &'a [(T, u32)]) -> &'a T {
    &items
        .choose_weighted(rng, |(_, w)| *w)
        .expect("non-empty weights")
        .0
}

fn round_to(x: f64, step: f64) -> f64 {
    (x / step).round() * step
}

const CONSIGNEE_CORES: &[&str] = &[
    "华翔", "恒通", "凯达", "远景", "合众", "宏达", "新程", "嘉诚", "博远", "力源",
];
const STORE_BRANDS: &[&str] = &["惠邻", "鲜丰", "优选", "佳惠", "邻里", "康乐"];

/// Picks the vehicle models from `candidates` whose capacity fits, smallest first.
fn fitting(candidates: &[VKind], weight: f64, volume: f64) -> Vec<VKind> {
    let mut v: Vec<VKind> = candidates
        .iter()
        .copied()
        .filter(|k| {
            let s = spec(*k);
            s.rated_kg >= weight && s.volume() >= volume
        })
        .collect();
    v.sort_by(|a, b| {
        spec(*a)
            .rated_kg
            .total_cmp(&spec(*b).rated_kg)
            .then(a.cmp(b))
    });
    v
}

/// Generates one load of the shipper's industry.
pub fn load<R: Rng>(
    rng: &mut R,
    ext: String,
    shipper: usize,
    fleet: &Fleet,
    facilities: &BTreeMap<String, Site>,
) -> LoadDraft {
    let sh = &fleet.shippers[shipper];
    let origin = sh.site.clone();
    let core = *CONSIGNEE_CORES.choose(rng).expect("cores");
    let (dest, consignee, goods, cargo, cargo_type, weight, volume, packages, largest, allowed);
    match sh.industry {
        Industry::AutoParts => {
            goods = [
                "汽车座椅总成",
                "车身冲压件",
                "发动机缸体",
                "汽车线束",
                "车桥总成",
                "汽车内饰件",
                "变速箱壳体",
                "汽车玻璃",
            ]
            .choose(rng)
            .expect("goods")
            .to_string();
            if rng.gen_bool(0.5) {
                let hubs = [
                    "kp-liunan-02",
                    "kp-liunan-04",
                    "kp-liunan-06",
                    "kp-liudong-01",
                    "kp-liudong-07",
                ];
                let choices: Vec<&str> = hubs
                    .iter()
                    .copied()
                    .filter(|h| Some(*h) != origin.facility.as_deref())
                    .collect();
                let site = facility_site(facilities, choices.choose(rng).expect("hubs")).clone();
                consignee = site.name.clone();
                dest = site;
                weight = round_to(rng.gen_range(800.0..9000.0), 10.0);
                volume = (weight / 1000.0 * rng.gen_range(3.0..4.5)).min(39.0);
                allowed = fitting(&[VKind::Box42, VKind::Box68, VKind::Box96], weight, volume);
            } else {
                let city = *weighted(
                    rng,
                    &[
                        (places::NANNING, 3),
                        (places::GUANGZHOU, 3),
                        (places::CHONGQING, 2),
                        (places::GUILIN, 1),
                    ],
                );
                consignee = format!(
                    "{}{core}汽车零部件有限公司",
                    city.name.trim_end_matches('市')
                );
                dest = city_site(rng, &city, &consignee);
                if rng.gen_bool(0.3) {
                    // Containerised (rail-road and port traffic).
                    weight = round_to(rng.gen_range(10000.0..24000.0), 10.0);
                    volume = (weight / 1000.0 * rng.gen_range(2.4..2.8)).min(66.0);
                    allowed = fitting(&[VKind::Container40], weight, volume);
                } else {
                    weight = round_to(rng.gen_range(4000.0..17000.0), 10.0);
                    volume = (weight / 1000.0 * rng.gen_range(2.8..3.3)).min(56.0);
                    allowed = fitting(&[VKind::Box96, VKind::Container40], weight, volume);
                }
            }
            packages = (volume / 1.2).ceil().max(1.0) as u32;
            cargo = CargoClass::General;
            cargo_type = cargo_type::MACHINERY;
            largest = None;
        }
        Industry::Steel => {
            let (g, per_package) = *[
                ("螺纹钢", 2.5),
                ("热轧卷板", 9.0),
                ("冷轧薄板", 6.0),
                ("高速线材", 2.0),
                ("中厚板", 4.0),
                ("H型钢", 3.0),
            ]
            .choose(rng)
            .expect("goods");
            goods = g.to_string();
            if rng.gen_bool(0.6) {
                if rng.gen_bool(0.5) {
                    let site = facility_site(
                        facilities,
                        ["kp-liubei-02", "kp-liubei-04"]
                            .choose(rng)
                            .expect("markets"),
                    )
                    .clone();
                    consignee = site.name.clone();
                    dest = site;
                } else {
                    let d = district_by_slug(
                        [
                            "chengzhong",
                            "yufeng",
                            "liunan",
                            "liujiang",
                            "liudong",
                            "luzhai",
                            "liucheng",
                        ]
                        .choose(rng)
                        .expect("d"),
                    );
                    consignee = format!("广西{core}建设工程有限公司{}项目部", d.name);
                    dest = Site {
                        name: consignee.clone(),
                        address: format!("{}（项目工地）", address_in(rng, d)),
                        division: d.code.to_string(),
                        point: point_in(rng, d),
                        facility: None,
                    };
                }
            } else {
                let city = *weighted(
                    rng,
                    &[
                        (places::NANNING, 3),
                        (places::GUILIN, 2),
                        (places::LAIBIN, 2),
                        (places::GUANGZHOU, 2),
                        (places::GUIYANG, 1),
                    ],
                );
                consignee = format!("{}{core}钢材有限公司", city.name.trim_end_matches('市'));
                dest = city_site(rng, &city, &consignee);
            }
            weight = if rng.gen_bool(0.6) {
                round_to(rng.gen_range(18000.0..31500.0), 10.0)
            } else {
                round_to(rng.gen_range(8000.0..17500.0), 10.0)
            };
            volume = weight / 1000.0 / 7.85 * 1.8;
            packages = ((weight / 1000.0) / per_package).ceil().max(1.0) as u32;
            cargo = CargoClass::General;
            cargo_type = cargo_type::STEEL;
            largest = None;
            allowed = fitting(&[VKind::HighSided96, VKind::Flatbed13], weight, volume);
        }
        Industry::Machinery => {
            let city_dest = *weighted(
                rng,
                &[
                    (Some(places::QINZHOU_PORT), 3),
                    (Some(places::NANNING), 2),
                    (Some(places::GUANGZHOU), 2),
                    (Some(places::CHONGQING), 2),
                    (Some(places::GUIYANG), 1),
                    (None, 2),
                ],
            );
            match city_dest {
                Some(city) => {
                    consignee = if city.code == places::QINZHOU_PORT.code {
                        "钦州港国际集装箱码头（出口）".to_string()
                    } else {
                        format!(
                            "{}{core}工程机械销售有限公司",
                            city.name.trim_end_matches('市')
                        )
                    };
                    dest = city_site(rng, &city, &consignee);
                }
                None => {
                    let site = facility_site(facilities, "kp-liujiang-09").clone();
                    consignee = site.name.clone();
                    dest = site;
                }
            }
            if rng.gen_bool(0.55) {
                let (g, unit_kg, l, w, h, max_n) = *[
                    ("轮式装载机（5吨级）", 17500.0, 8.2, 3.0, 3.5, 1u32),
                    ("液压挖掘机（22吨级）", 22000.0, 9.6, 2.98, 3.0, 1),
                    ("小型轮式装载机", 5600.0, 5.8, 2.0, 2.8, 2),
                    ("单钢轮压路机", 14000.0, 6.2, 2.3, 3.1, 2),
                ]
                .choose(rng)
                .expect("machines");
                let n = rng.gen_range(1..=max_n);
                goods = g.to_string();
                weight = unit_kg * f64::from(n);
                volume = l * w * h * f64::from(n);
                packages = n;
                largest = Some(Dimensions {
                    length: Meters(l),
                    width: Meters(w),
                    height: Meters(h),
                });
                allowed = fitting(&[VKind::Flatbed13], weight, volume);
            } else {
                goods = [
                    "工程机械配件（液压件）",
                    "装载机驱动桥",
                    "挖掘机履带总成",
                    "工程机械发动机",
                ]
                .choose(rng)
                .expect("parts")
                .to_string();
                weight = round_to(rng.gen_range(3000.0..15000.0), 10.0);
                volume = weight / 1000.0 * rng.gen_range(1.2..2.0);
                packages = (weight / 800.0).ceil() as u32;
                largest = None;
                allowed = if dest.division == places::QINZHOU_PORT.code {
                    // Export parts go in containers.
                    fitting(&[VKind::Container40], weight, volume)
                } else {
                    fitting(
                        &[VKind::Box68, VKind::HighSided96, VKind::Box96],
                        weight,
                        volume,
                    )
                };
            }
            cargo = CargoClass::General;
            cargo_type = cargo_type::MACHINERY;
        }
        Industry::SnailNoodle => {
            goods = [
                "袋装螺蛳粉（电商包裹）",
                "螺蛳粉礼盒（电商包裹）",
                "螺蛳粉酸笋配料包",
            ]
            .choose(rng)
            .expect("goods")
            .to_string();
            if rng.gen_bool(0.7) {
                let hubs = [
                    "kp-liunan-05",
                    "kp-liujiang-04",
                    "kp-liujiang-05",
                    "kp-liujiang-07",
                    "kp-luzhai-02",
                    "kp-liudong-06",
                ];
                let site = facility_site(facilities, hubs.choose(rng).expect("hubs")).clone();
                consignee = site.name.clone();
                dest = site;
                weight = round_to(rng.gen_range(300.0..6000.0), 1.0);
            } else {
                let city = *weighted(
                    rng,
                    &[
                        (places::GUANGZHOU, 2),
                        (places::SHENZHEN, 2),
                        (places::NANNING, 1),
                    ],
                );
                consignee = format!(
                    "{}{core}电商供应链有限公司仓库",
                    city.name.trim_end_matches('市')
                );
                dest = city_site(rng, &city, &consignee);
                weight = round_to(rng.gen_range(3000.0..11000.0), 1.0);
            }
            // Cartons of about 9 kg and 0.045 m³.
            packages = (weight / 9.0).round().max(1.0) as u32;
            volume = f64::from(packages) * 0.045;
            cargo = CargoClass::General;
            cargo_type = cargo_type::LIGHT_INDUSTRY;
            largest = None;
            allowed = fitting(
                &[VKind::Van, VKind::Box42, VKind::Box68, VKind::Box96],
                weight,
                volume,
            );
        }
        Industry::ColdChain => {
            let frozen = rng.gen_bool(0.3);
            let (range, g, code) = if frozen {
                (
                    FROZEN,
                    *["冻猪肉", "冷冻水产品", "速冻水饺汤圆"]
                        .choose(rng)
                        .expect("goods"),
                    cargo_type::FROZEN,
                )
            } else {
                (
                    CHILLED,
                    *["新鲜蔬菜", "时令水果", "冷鲜猪肉", "冷鲜禽肉"]
                        .choose(rng)
                        .expect("goods"),
                    cargo_type::FRESH_PRODUCE,
                )
            };
            goods = g.to_string();
            let brand = STORE_BRANDS.choose(rng).expect("brands");
            let slugs: [(&str, u32); 8] = [
                ("chengzhong", 3),
                ("yufeng", 3),
                ("liunan", 2),
                ("liubei", 3),
                ("liujiang", 2),
                ("liucheng", 1),
                ("luzhai", 1),
                ("rongan", 1),
            ];
            let slug = slugs.choose_weighted(rng, |x| x.1).expect("weights").0;
            let d = district_by_slug(slug);
            let street = d.streets.choose(rng).expect("streets");
            consignee = format!("柳州{brand}生鲜超市（{}{street}店）", d.name);
            dest = Site {
                name: consignee.clone(),
                address: format!(
                    "柳州市{}{}{street}{}号",
                    d.name,
                    d.seat,
                    rng.gen_range(1..=360)
                ),
                division: d.code.to_string(),
                point: point_in(rng, d),
                facility: None,
            };
            weight = if rng.gen_bool(0.6) {
                round_to(rng.gen_range(300.0..1400.0), 1.0)
            } else {
                round_to(rng.gen_range(2000.0..13000.0), 10.0)
            };
            volume = weight / 350.0;
            packages = (weight / 18.0).ceil() as u32;
            cargo = CargoClass::ColdChain {
                temperature: TemperatureRange {
                    min: Celsius(range.0),
                    max: Celsius(range.1),
                },
            };
            cargo_type = code;
            largest = None;
            allowed = fitting(&[VKind::Reefer42, VKind::Reefer96], weight, volume);
        }
    }
    let volume = (volume * 100.0).round() / 100.0;
    let km = (origin.point.haversine(&dest.point).0 / 1000.0 * 1.3).max(3.0);
    let in_city = origin.in_liuzhou() && dest.in_liuzhou();
    let speed = if in_city { 30.0 } else { 55.0 };
    let transit_min = ((km / speed + 0.5) * 60.0).round() as i64;
    let price = allowed
        .first()
        .map(|k| {
            let s = spec(*k);
            round_to((km * s.per_km).max(s.min_price), 10.0)
        })
        .unwrap_or(0.0);
    LoadDraft {
        ext,
        shipper,
        origin,
        dest,
        consignee,
        goods,
        cargo,
        cargo_type,
        weight,
        volume,
        packages: packages.max(1),
        largest,
        allowed,
        km: (km * 10.0).round() / 10.0,
        transit_min,
        price,
    }
}

/// Whether vehicle `v` can carry load `l`: an allowed model with enough capacity and, for cold chain, a
/// refrigerated body whose range covers the cargo's.
pub fn compatible(l: &LoadDraft, v: &crate::fleet::Veh) -> bool {
    if !l.allowed.contains(&v.kind) {
        return false;
    }
    if v.vehicle.rated_load.0 < l.weight || v.vehicle.cargo_volume.0 < l.volume {
        return false;
    }
    match &l.cargo {
        CargoClass::ColdChain { temperature } => v
            .vehicle
            .refrigeration
            .as_ref()
            .is_some_and(|r| r.covers(temperature)),
        _ => true,
    }
}

fn place(s: &Site) -> Place {
    Place {
        point: s.point,
        address: s.address.clone(),
        division_code: s.division_code(),
    }
}

fn mins(t: DateTime<Utc>, m: i64) -> DateTime<Utc> {
    t + TimeDelta::minutes(m)
}

fn rand_min<R: Rng>(rng: &mut R, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.gen_range(lo..=hi)
    }
}

/// Times of one waybill's life.
#[derive(Debug, Clone, Copy)]
struct Times {
    consignment: DateTime<Utc>,
    pickup: DateTime<Utc>,
    despatch: Option<DateTime<Utc>>,
    arrival: Option<DateTime<Utc>>,
    receipt: Option<DateTime<Utc>>,
}

const DAY: i64 = 24 * 60;

/// Moves `t` forward, if needed, into local business hours (07:00–19:00 China Standard Time, UTC+8), where
/// pickups are booked.
fn daytime(t: DateTime<Utc>) -> DateTime<Utc> {
    let hour = (t + TimeDelta::hours(8)).hour() as i64;
    match hour {
        0..=6 => t + TimeDelta::hours(7 - hour),
        19..=23 => t + TimeDelta::hours(24 - hour + 7),
        _ => t,
    }
}

/// Status mix of the generated waybills (per mille): receipted, signed, dispatched, confirmed, draft, cancelled.
const STATUS_MIX: [(WaybillStatus, u32); 6] = [
    (WaybillStatus::Receipted, 420),
    (WaybillStatus::Signed, 130),
    (WaybillStatus::Dispatched, 150),
    (WaybillStatus::Confirmed, 120),
    (WaybillStatus::Draft, 80),
    (WaybillStatus::Cancelled, 100),
];

fn status_list<R: Rng>(rng: &mut R, n: usize) -> Vec<WaybillStatus> {
    let mut v = Vec::with_capacity(n);
    for (s, w) in STATUS_MIX.iter().skip(1) {
        v.extend(std::iter::repeat_n(*s, n * *w as usize / 1000));
    }
    while v.len() < n {
        v.push(WaybillStatus::Receipted);
    }
    v.shuffle(rng);
    v
}

fn times<R: Rng>(
    rng: &mut R,
    status: WaybillStatus,
    start: DateTime<Utc>,
    as_of: DateTime<Utc>,
    transit: i64,
) -> Times {
    let span = (as_of - start).num_minutes();
    let consign_before = |rng: &mut R, p: DateTime<Utc>| {
        let c = mins(p, -rand_min(rng, 120, 2 * DAY));
        c.max(start).min(p)
    };
    match status {
        WaybillStatus::Receipted => {
            let p = daytime(mins(start, rand_min(rng, DAY, span - transit - 2 * DAY)));
            let despatch = mins(p, rand_min(rng, 0, 120));
            let arrival = mins(despatch, transit);
            let receipt = mins(arrival, rand_min(rng, 10, 90));
            Times {
                consignment: consign_before(rng, p),
                pickup: p,
                despatch: Some(despatch),
                arrival: Some(arrival),
                receipt: Some(receipt),
            }
        }
        WaybillStatus::Signed => {
            let receipt = mins(as_of, -rand_min(rng, 120, 3 * DAY));
            let arrival = mins(receipt, -rand_min(rng, 10, 60));
            let despatch = mins(arrival, -transit);
            let p = mins(despatch, -rand_min(rng, 0, 120)).max(start);
            Times {
                consignment: consign_before(rng, p),
                pickup: p,
                despatch: Some(despatch),
                arrival: Some(arrival),
                receipt: Some(receipt),
            }
        }
        WaybillStatus::Dispatched => {
            let despatch = mins(
                as_of,
                -(transit as f64 * rng.gen_range(0.1..0.9)).round() as i64,
            );
            let p = mins(despatch, -rand_min(rng, 0, 120));
            Times {
                consignment: consign_before(rng, p),
                pickup: p,
                despatch: Some(despatch),
                arrival: Some(mins(despatch, transit)),
                receipt: None,
            }
        }
        WaybillStatus::Confirmed => {
            let p = daytime(mins(as_of, rand_min(rng, 120, 3 * DAY)));
            Times {
                consignment: mins(as_of, -rand_min(rng, 60, 2 * DAY)),
                pickup: p,
                despatch: None,
                arrival: None,
                receipt: None,
            }
        }
        WaybillStatus::Draft => {
            let p = daytime(mins(as_of, rand_min(rng, DAY, 5 * DAY)));
            Times {
                consignment: mins(as_of, -rand_min(rng, 10, DAY)),
                pickup: p,
                despatch: None,
                arrival: None,
                receipt: None,
            }
        }
        WaybillStatus::Cancelled => {
            let p = daytime(mins(start, rand_min(rng, DAY, span - DAY)));
            Times {
                consignment: consign_before(rng, p),
                pickup: p,
                despatch: None,
                arrival: None,
                receipt: None,
            }
        }
    }
}

fn windows<R: Rng>(rng: &mut R, pickup: DateTime<Utc>, transit: i64) -> (TimeWindow, TimeWindow) {
    let pw = TimeWindow {
        start: pickup,
        end: mins(pickup, rand_min(rng, 120, 240)),
    };
    let ds = mins(pickup, transit);
    let dw = TimeWindow {
        start: ds,
        end: mins(ds, rand_min(rng, 240, DAY)),
    };
    (pw, dw)
}

/// An event before it gets its IDs: kind, time, point, facility, note.
type EventDraft = (
    EventKind,
    DateTime<Utc>,
    GeoPoint,
    Option<FacilityId>,
    Option<String>,
);

/// Output of the freight generator.
pub struct Freight {
    /// Loads.
    pub loads: Vec<Load>,
    /// Waybills.
    pub waybills: Vec<Waybill>,
    /// Payments.
    pub payments: Vec<Payment>,
    /// Events.
    pub events: Vec<TransportEvent>,
}

/// Generates loads, waybills, payments and events, and updates vehicle statuses in `fleet`.
#[allow(clippy::too_many_arguments)]
pub fn generate<R: Rng>(
    rng: &mut R,
    fleet: &mut Fleet,
    facilities: &BTreeMap<String, Site>,
    loads_n: usize,
    waybills_n: usize,
    start: DateTime<Utc>,
    as_of: DateTime<Utc>,
    id_for: &dyn Fn(&str, &str) -> String,
) -> Freight {
    // Shippers weighted by industry share of the plan's freight mix.
    let industry_weight = |i: Industry| match i {
        Industry::AutoParts => 35,
        Industry::Steel => 15,
        Industry::Machinery => 10,
        Industry::SnailNoodle => 20,
        Industry::ColdChain => 20,
    };
    let per_industry =
        |i: Industry| fleet.shippers.iter().filter(|s| s.industry == i).count() as u32;
    let shipper_weights: Vec<(usize, u32)> = fleet
        .shippers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                i,
                (industry_weight(s.industry) * 12 / per_industry(s.industry)).max(1),
            )
        })
        .collect();
    let mut drafts: Vec<LoadDraft> = Vec::with_capacity(loads_n);
    if !shipper_weights.is_empty() {
        for li in 0..loads_n {
            let shipper = *weighted(rng, &shipper_weights);
            drafts.push(load(
                rng,
                format!("demo-load-{:04}", li + 1),
                shipper,
                fleet,
                facilities,
            ));
        }
    }

    let statuses = status_list(rng, waybills_n);
    let mut order: Vec<usize> = (0..drafts.len()).collect();
    order.shuffle(rng);
    let span_end = start + TimeDelta::days(crate::HORIZON_DAYS);

    let mut load_status: Vec<Option<(LoadStatus, Times)>> = vec![None; drafts.len()];
    let mut busy: Vec<Vec<(DateTime<Utc>, DateTime<Utc>)>> = vec![Vec::new(); fleet.vehicles.len()];
    let mut waybills = Vec::new();
    let mut payments = Vec::new();
    let mut events = Vec::new();
    let mut vehicle_active: Vec<Option<WaybillStatus>> = vec![None; fleet.vehicles.len()];

    for &li in &order {
        if waybills.len() >= waybills_n {
            break;
        }
        let l = &drafts[li];
        let candidates: Vec<usize> = (0..fleet.vehicles.len())
            .filter(|&vi| compatible(l, &fleet.vehicles[vi]))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let status = statuses[waybills.len()];
        let t = times(rng, status, start, as_of, l.transit_min);
        let interval = (t.pickup, mins(t.pickup, l.transit_min + 240));
        let free = |vi: &usize| {
            busy[*vi]
                .iter()
                .all(|(a, b)| interval.1 <= *a || *b <= interval.0)
        };
        // Smallest fitting model first; among its vehicles, a free one.
        let mut chosen = None;
        for kind in &l.allowed {
            let of_kind: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|vi| fleet.vehicles[*vi].kind == *kind)
                .filter(free)
                .collect();
            if let Some(vi) = of_kind.choose(rng) {
                chosen = Some(*vi);
                break;
            }
        }
        let vi = match chosen {
            Some(vi) => vi,
            None => *candidates.choose(rng).expect("non-empty"),
        };
        if status != WaybillStatus::Cancelled {
            busy[vi].push(interval);
        }
        let veh = &fleet.vehicles[vi];
        let carrier = &fleet.carriers[veh.carrier];
        let shipper = &fleet.shippers[l.shipper];
        let wi = waybills.len();
        let wext = format!("demo-wb-{:04}", wi + 1);
        let wid = WaybillId(id_for("waybills", &wext));
        let vid = VehicleId(id_for("vehicles", &veh.ext));
        let carrier_pid = PartyId(id_for("parties", &carrier.ext));
        let shipper_pid = PartyId(id_for("parties", &shipper.ext));

        let mut crew = vec![veh.driver];
        if l.km > 600.0 {
            // A second driver of the same carrier for long hauls.
            if let Some(other) = fleet
                .vehicles
                .iter()
                .filter(|o| o.carrier == veh.carrier && o.driver != veh.driver)
                .map(|o| o.driver)
                .collect::<Vec<_>>()
                .choose(rng)
            {
                crew.push(*other);
            }
        }
        let drivers = crew
            .iter()
            .map(|di| {
                let d = &fleet.drivers[*di];
                WaybillDriver {
                    driver_id: Some(DriverId(id_for("drivers", &d.ext))),
                    name: d.driver.name.clone(),
                    licence_number: d.driver.licence.number.clone(),
                }
            })
            .collect();
        let business_type_code = if veh.kind == VKind::Container40 {
            "1002998"
        } else if !l.dest.in_liuzhou() || !l.origin.in_liuzhou() {
            "1002996"
        } else if l.dest.in_liuzhou_county() {
            "1003998"
        } else {
            "1003997"
        };
        let insurance = if rng.gen_bool(0.6) {
            let company = *["PICC", "CPIC", "PAIC"].choose(rng).expect("insurers");
            Insurance {
                policy_number: format!("P{company}{}", idgen::digits(rng, 16)),
                company_code: company.to_string(),
            }
        } else {
            Insurance {
                policy_number: "none".into(),
                company_code: "none".into(),
            }
        };
        let remark = match &l.cargo {
            CargoClass::ColdChain { temperature } => Some(format!(
                "全程冷链，温度 {}～{} °C",
                temperature.min.0, temperature.max.0
            )),
            _ if l.largest.is_some() => Some("整机运输，需绑扎加固".to_string()),
            _ => None,
        };
        let waybill = Waybill {
            external_id: Some(wext.clone()),
            shipping_note_number: format!("LZ{}{:05}", t.consignment.format("%Y%m%d"), wi + 1),
            original_document_number: Some(format!("PO{}", idgen::digits(rng, 10))),
            serial_number: "0000".into(),
            business_type_code: business_type_code.into(),
            shipper_id: shipper_pid.clone(),
            carrier_id: carrier_pid.clone(),
            load_id: Some(LoadId(id_for("loads", &l.ext))),
            consignment_time: t.consignment,
            despatch_time: t.despatch,
            receipt_time: t.receipt,
            consignor: WaybillParty {
                name: shipper.party.name.clone(),
                id_code: Some(shipper.party.credit_code.clone()),
                place: l.origin.address.clone(),
                division_code: l.origin.division_code(),
                point: Some(l.origin.point),
            },
            consignee: WaybillParty {
                name: l.consignee.clone(),
                id_code: None,
                place: l.dest.address.clone(),
                division_code: l.dest.division_code(),
                point: Some(l.dest.point),
            },
            vehicle: WaybillVehicle {
                vehicle_id: Some(vid.clone()),
                plate: veh.vehicle.plate.clone(),
                plate_colour: veh.vehicle.plate_colour,
            },
            drivers,
            goods: vec![GoodsLine {
                description: l.goods.clone(),
                cargo_type_code: l.cargo_type.to_string(),
                gross_weight: Kg(l.weight),
                cube: Some(M3(l.volume)),
                packages: Some(l.packages),
            }],
            actual_carrier: ActualCarrier {
                name: carrier.party.name.clone(),
                business_licence: carrier
                    .party
                    .transport_permit
                    .as_ref()
                    .map(|p| p.number.clone())
                    .unwrap_or_default(),
                id_code: carrier.party.credit_code.clone(),
            },
            insurance,
            total_amount: Yuan(l.price),
            remark,
            status,
        };

        if status == WaybillStatus::Receipted {
            let receipt = t.receipt.expect("receipted waybills have a receipt time");
            let paid = mins(receipt, rand_min(rng, 60, (as_of - receipt).num_minutes()));
            let pext = format!("demo-pay-{:04}", payments.len() + 1);
            payments.push(Payment {
                external_id: Some(pext),
                document_number: format!("ZJ{}{:05}", paid.format("%Y%m%d"), payments.len() + 1),
                carrier_id: carrier_pid.clone(),
                shipper_id: shipper_pid,
                actual_carrier_id_code: carrier.party.credit_code.clone(),
                plate: veh.vehicle.plate.clone(),
                plate_colour: veh.vehicle.plate_colour,
                waybills: vec![PaidWaybill {
                    waybill_id: wid.clone(),
                    shipping_note_number: waybill.shipping_note_number.clone(),
                    serial_number: "0000".into(),
                    amount: Yuan(l.price),
                }],
                payments: vec![PaymentLine {
                    means_code: if rng.gen_bool(0.7) { "32" } else { "42" }.into(),
                    recipient: carrier.party.name.clone(),
                    account: carrier.bank.1.clone(),
                    bank_code: carrier.bank.0.into(),
                    serial: idgen::digits(rng, 20),
                    amount: Yuan(l.price),
                    time: paid,
                }],
                remark: None,
            });
        }

        if let (Some(despatch), Some(arrival)) = (t.despatch, t.arrival) {
            let temp = |rng: &mut R| match &l.cargo {
                CargoClass::ColdChain { temperature } if temperature.max.0 <= -18.0 => {
                    Some(Celsius(round1(rng.gen_range(-22.5..-18.5))))
                }
                CargoClass::ColdChain { .. } => Some(Celsius(round1(rng.gen_range(1.0..3.8)))),
                _ => None,
            };
            let fac = |s: &Site| {
                s.facility
                    .as_ref()
                    .map(|f| FacilityId(id_for("facilities", f)))
            };
            let mut evs: Vec<EventDraft> = vec![
                (
                    EventKind::PickedUp,
                    mins(despatch, -20).max(t.consignment),
                    l.origin.point,
                    fac(&l.origin),
                    None,
                ),
                (
                    EventKind::Departed,
                    despatch,
                    l.origin.point,
                    fac(&l.origin),
                    None,
                ),
            ];
            let k = if l.transit_min > 180 {
                rng.gen_range(2..=3)
            } else {
                1
            };
            for i in 1..=k {
                let f = i as f64 / (k + 1) as f64;
                let at = mins(despatch, (l.transit_min as f64 * f).round() as i64);
                if at <= as_of {
                    let p = GeoPoint {
                        lat: round6(
                            l.origin.point.lat
                                + (l.dest.point.lat - l.origin.point.lat) * f
                                + rng.gen_range(-0.01..0.01),
                        ),
                        lon: round6(
                            l.origin.point.lon
                                + (l.dest.point.lon - l.origin.point.lon) * f
                                + rng.gen_range(-0.01..0.01),
                        ),
                    };
                    evs.push((EventKind::Position, at, p, None, None));
                    if i == 1 && l.transit_min > 120 && rng.gen_bool(0.08) {
                        evs.push((
                            EventKind::Exception,
                            mins(at, 5),
                            p,
                            None,
                            Some(format!(
                                "交通拥堵，预计延误约{}分钟",
                                rng.gen_range(2..=6) * 10
                            )),
                        ));
                    }
                }
            }
            if t.receipt.is_none() && !evs.iter().any(|e| e.0 == EventKind::Position) {
                // On the road now: the latest position report.
                let elapsed = (as_of - despatch).num_minutes().max(1) - 1;
                let f = elapsed as f64 / l.transit_min.max(1) as f64;
                let p = GeoPoint {
                    lat: round6(l.origin.point.lat + (l.dest.point.lat - l.origin.point.lat) * f),
                    lon: round6(l.origin.point.lon + (l.dest.point.lon - l.origin.point.lon) * f),
                };
                evs.push((EventKind::Position, mins(despatch, elapsed), p, None, None));
            }
            if let Some(receipt) = t.receipt {
                evs.push((
                    EventKind::Arrived,
                    arrival,
                    l.dest.point,
                    fac(&l.dest),
                    None,
                ));
                evs.push((
                    EventKind::Delivered,
                    receipt,
                    l.dest.point,
                    fac(&l.dest),
                    Some(format!("{}签收", l.consignee)),
                ));
            }
            evs.sort_by_key(|e| e.1);
            for (n, (kind, time, point, facility_id, note)) in evs.into_iter().enumerate() {
                events.push(TransportEvent {
                    external_id: Some(format!("{wext}-e{}", n + 1)),
                    reporter_id: carrier_pid.clone(),
                    kind,
                    time,
                    waybill_id: Some(wid.clone()),
                    vehicle_id: Some(vid.clone()),
                    facility_id,
                    point: Some(point),
                    temperature: temp(rng),
                    note,
                });
            }
        }

        if matches!(
            status,
            WaybillStatus::Draft | WaybillStatus::Confirmed | WaybillStatus::Dispatched
        ) {
            let prev = vehicle_active[vi];
            if prev != Some(WaybillStatus::Dispatched) {
                vehicle_active[vi] = Some(status);
            }
        }
        let ls = match status {
            WaybillStatus::Draft => LoadStatus::Open,
            WaybillStatus::Confirmed => LoadStatus::Matched,
            WaybillStatus::Dispatched => LoadStatus::InTransit,
            WaybillStatus::Signed | WaybillStatus::Receipted => LoadStatus::Delivered,
            WaybillStatus::Cancelled => LoadStatus::Cancelled,
        };
        load_status[li] = Some((ls, t));
        waybills.push(waybill);
    }

    // Loads nobody took: mostly open for the coming week, some withdrawn in the past.
    let loads = drafts
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let (status, pickup) = match load_status[li] {
                Some((s, t)) => (s, t.pickup),
                None if rng.gen_bool(0.88) => {
                    let latest = (span_end - as_of).num_minutes() - l.transit_min - DAY;
                    (
                        LoadStatus::Open,
                        daytime(mins(as_of, rand_min(rng, 120, latest.max(120)))),
                    )
                }
                None => (
                    LoadStatus::Cancelled,
                    daytime(mins(
                        start,
                        rand_min(rng, DAY, (as_of - start).num_minutes() - DAY),
                    )),
                ),
            };
            let (pickup_window, delivery_window) = windows(rng, pickup, l.transit_min);
            Load {
                external_id: Some(l.ext.clone()),
                shipper_id: PartyId(id_for("parties", &fleet.shippers[l.shipper].ext)),
                origin: place(&l.origin),
                destination: place(&l.dest),
                pickup_window,
                delivery_window,
                goods: l.goods.clone(),
                cargo: l.cargo.clone(),
                weight: Kg(l.weight),
                volume: M3(l.volume),
                packages: l.packages,
                largest_package: l.largest,
                price_offered: Yuan(l.price),
                declined_by: Vec::new(),
                status,
            }
        })
        .collect();

    // Vehicle states: on the road while a dispatched waybill runs; a few in the workshop among the idle ones.
    for (vi, v) in fleet.vehicles.iter_mut().enumerate() {
        v.vehicle.status = match vehicle_active[vi] {
            Some(WaybillStatus::Dispatched) => VehicleStatus::Busy,
            Some(_) => VehicleStatus::Available,
            None if rng.gen_bool(0.05) => VehicleStatus::Maintenance,
            None => VehicleStatus::Available,
        };
    }

    Freight {
        loads,
        waybills,
        payments,
        events,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
