//! Checks of the generated demo data: validity, reproducibility, links and realism.

use std::collections::{BTreeMap, BTreeSet};

use wuliu_demo::places::DISTRICTS;
use wuliu_demo::{generate, DemoConfig, DemoData};
use wuliu_model::{
    BodyType, CargoClass, FacilityKind, FacilityStatus, LoadStatus, PartyRole, Validate,
    VehicleStatus, WaybillStatus,
};

const TABLES: &[&str] = &[
    "parties",
    "vehicles",
    "drivers",
    "loads",
    "waybills",
    "payments",
    "facilities",
    "events",
    "counties",
    "plan_targets",
    "baselines",
];

fn id_for(table: &str, external_id: &str) -> String {
    assert!(
        TABLES.contains(&table),
        "id_for called with unknown table {table}"
    );
    format!("{table}:{external_id}")
}

fn demo(config: &DemoConfig) -> DemoData {
    generate(config, &id_for)
}

/// Every entity's `Validate`, with the failures listed.
fn invalid(data: &DemoData) -> Vec<String> {
    fn check<T: Validate>(
        kind: &str,
        items: &[T],
        ext: impl Fn(&T) -> Option<String>,
        out: &mut Vec<String>,
    ) {
        for item in items {
            if let Err(v) = item.validate() {
                out.push(format!("{kind} {:?}: {v}", ext(item)));
            }
        }
    }
    let mut out = Vec::new();
    check("party", &data.parties, |x| x.external_id.clone(), &mut out);
    check(
        "vehicle",
        &data.vehicles,
        |x| x.external_id.clone(),
        &mut out,
    );
    check("driver", &data.drivers, |x| x.external_id.clone(), &mut out);
    check("load", &data.loads, |x| x.external_id.clone(), &mut out);
    check(
        "waybill",
        &data.waybills,
        |x| x.external_id.clone(),
        &mut out,
    );
    check(
        "payment",
        &data.payments,
        |x| x.external_id.clone(),
        &mut out,
    );
    check(
        "facility",
        &data.facilities,
        |x| x.external_id.clone(),
        &mut out,
    );
    check("event", &data.events, |x| x.external_id.clone(), &mut out);
    check(
        "county",
        &data.counties,
        |x| x.external_id.clone(),
        &mut out,
    );
    check(
        "target",
        &data.plan_targets,
        |x| x.external_id.clone(),
        &mut out,
    );
    check(
        "baseline",
        &data.baselines,
        |x| x.external_id.clone(),
        &mut out,
    );
    out
}

/// External IDs per table: all present and unique.
fn external_ids(data: &DemoData) -> BTreeMap<&'static str, Vec<String>> {
    let mut m = BTreeMap::new();
    macro_rules! ids {
        ($table:literal, $items:expr) => {
            m.insert(
                $table,
                $items
                    .iter()
                    .map(|x| {
                        x.external_id
                            .clone()
                            .unwrap_or_else(|| panic!("{} without external_id", $table))
                    })
                    .collect::<Vec<_>>(),
            );
        };
    }
    ids!("parties", data.parties);
    ids!("vehicles", data.vehicles);
    ids!("drivers", data.drivers);
    ids!("loads", data.loads);
    ids!("waybills", data.waybills);
    ids!("payments", data.payments);
    ids!("facilities", data.facilities);
    ids!("events", data.events);
    ids!("counties", data.counties);
    ids!("plan_targets", data.plan_targets);
    ids!("baselines", data.baselines);
    m
}

#[test]
fn every_generated_entity_passes_validation() {
    let data = demo(&DemoConfig::default());
    let bad = invalid(&data);
    assert!(
        bad.is_empty(),
        "{} invalid entities:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn default_counts() {
    let data = demo(&DemoConfig::default());
    assert_eq!(data.parties.len(), 22);
    assert_eq!(
        data.parties
            .iter()
            .filter(|p| p.roles == [PartyRole::Carrier])
            .count(),
        12
    );
    assert_eq!(data.vehicles.len(), 96);
    assert_eq!(data.drivers.len(), 96);
    assert_eq!(data.loads.len(), 300);
    assert_eq!(data.waybills.len(), 120);
    assert_eq!(data.facilities.len(), 53);
    assert_eq!(data.counties.len(), 10);
    assert_eq!(data.plan_targets.len(), 22);
    assert_eq!(data.baselines.len(), 63);
    let receipted = data
        .waybills
        .iter()
        .filter(|w| w.status == WaybillStatus::Receipted)
        .count();
    assert_eq!(data.payments.len(), receipted);
    assert!(!data.events.is_empty());
}

#[test]
fn same_seed_same_data_and_another_seed_differs() {
    let config = DemoConfig::default();
    let a = demo(&config);
    let b = demo(&config);
    assert_eq!(a, b);
    let c = demo(&DemoConfig {
        seed: 7,
        ..config.clone()
    });
    assert_ne!(a.parties, c.parties);
    assert_ne!(a.vehicles, c.vehicles);
    assert_ne!(a.loads, c.loads);
    assert_ne!(a.waybills, c.waybills);
    // Reference data does not depend on the seed.
    assert_eq!(a.facilities, c.facilities);
    assert_eq!(a.counties, c.counties);
    assert_eq!(a.plan_targets, c.plan_targets);
    assert_eq!(a.baselines, c.baselines);
    // Serialisation is reproducible too (what the server stores).
    assert_eq!(
        serde_json::to_string(&a.waybills).unwrap(),
        serde_json::to_string(&b.waybills).unwrap()
    );
}

#[test]
fn external_ids_are_present_unique_and_stable() {
    let data = demo(&DemoConfig::default());
    for (table, ids) in external_ids(&data) {
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate external IDs in {table}");
    }
    let ids = external_ids(&data);
    assert!(ids["parties"].contains(&"demo-carrier-03".to_string()));
    assert!(ids["parties"].contains(&"demo-shipper-10".to_string()));
    assert!(ids["vehicles"].contains(&"demo-veh-03-05".to_string()));
    assert!(ids["facilities"].contains(&"kp-liunan-03".to_string()));
    assert!(ids["plan_targets"].contains(&"T03".to_string()));
    let codes: Vec<&str> = ids["counties"].iter().map(String::as_str).collect();
    assert_eq!(
        codes,
        [
            "450202", "450203", "450204", "450205", "450206", "450222", "450223", "450224",
            "450225", "450226"
        ]
    );
}

#[test]
fn links_are_consistent() {
    for seed in [2025, 1, 42, 9_999] {
        check_links(&DemoConfig {
            seed,
            ..DemoConfig::default()
        });
    }
}

fn check_links(config: &DemoConfig) {
    let data = demo(config);
    let bad = invalid(&data);
    assert!(bad.is_empty(), "seed {}: {}", config.seed, bad.join("\n"));
    let as_of = config.as_of();
    let pid = |p: &wuliu_model::Party| format!("parties:{}", p.external_id.as_ref().unwrap());
    let carriers: BTreeSet<String> = data
        .parties
        .iter()
        .filter(|p| p.roles.contains(&PartyRole::Carrier))
        .map(pid)
        .collect();
    let shippers: BTreeSet<String> = data
        .parties
        .iter()
        .filter(|p| p.roles.contains(&PartyRole::Shipper))
        .map(pid)
        .collect();
    let vehicles: BTreeMap<String, &wuliu_model::Vehicle> = data
        .vehicles
        .iter()
        .map(|v| (format!("vehicles:{}", v.external_id.as_ref().unwrap()), v))
        .collect();
    let drivers: BTreeMap<String, &wuliu_model::Driver> = data
        .drivers
        .iter()
        .map(|d| (format!("drivers:{}", d.external_id.as_ref().unwrap()), d))
        .collect();
    let loads: BTreeMap<String, &wuliu_model::Load> = data
        .loads
        .iter()
        .map(|l| (format!("loads:{}", l.external_id.as_ref().unwrap()), l))
        .collect();
    let facilities: BTreeSet<String> = data
        .facilities
        .iter()
        .map(|f| format!("facilities:{}", f.external_id.as_ref().unwrap()))
        .collect();

    for v in &data.vehicles {
        assert!(carriers.contains(v.carrier_id.as_str()));
    }
    for d in &data.drivers {
        assert!(carriers.contains(d.carrier_id.as_str()));
    }
    for l in &data.loads {
        assert!(shippers.contains(l.shipper_id.as_str()));
    }
    let mut used_loads = BTreeSet::new();
    let mut dispatched_vehicles = BTreeSet::new();
    for w in &data.waybills {
        let wext = w.external_id.as_ref().unwrap();
        assert!(carriers.contains(w.carrier_id.as_str()), "{wext}");
        assert!(shippers.contains(w.shipper_id.as_str()), "{wext}");
        let vid = w.vehicle.vehicle_id.as_ref().unwrap();
        let v = vehicles[vid.as_str()];
        assert_eq!(
            v.carrier_id, w.carrier_id,
            "{wext}: vehicle of another carrier"
        );
        assert_eq!(v.plate, w.vehicle.plate);
        assert_eq!(v.plate_colour, w.vehicle.plate_colour);
        for d in &w.drivers {
            let driver = drivers[d.driver_id.as_ref().unwrap().as_str()];
            assert_eq!(
                driver.carrier_id, w.carrier_id,
                "{wext}: driver of another carrier"
            );
            assert_eq!(driver.licence.number, d.licence_number);
        }
        let lid = w.load_id.as_ref().unwrap();
        assert!(used_loads.insert(lid.clone()), "{wext}: load used twice");
        let l = loads[lid.as_str()];
        assert_eq!(l.shipper_id, w.shipper_id);
        assert!(l.weight.0 <= v.rated_load.0, "{wext}: overweight");
        assert!(l.volume.0 <= v.cargo_volume.0, "{wext}: over volume");
        assert_eq!(w.goods[0].gross_weight, l.weight);
        assert_eq!(w.total_amount, l.price_offered);
        if let CargoClass::ColdChain { temperature } = &l.cargo {
            assert_eq!(
                v.body_type,
                BodyType::Refrigerated,
                "{wext}: cold chain in a dry vehicle"
            );
            assert!(
                v.refrigeration.unwrap().covers(temperature),
                "{wext}: unit does not cover the cargo range"
            );
        }
        let expected = match w.status {
            WaybillStatus::Draft => LoadStatus::Open,
            WaybillStatus::Confirmed => LoadStatus::Matched,
            WaybillStatus::Dispatched => LoadStatus::InTransit,
            WaybillStatus::Signed | WaybillStatus::Receipted => LoadStatus::Delivered,
            WaybillStatus::Cancelled => LoadStatus::Cancelled,
        };
        assert_eq!(l.status, expected, "{wext}");
        // Times follow the status and the demo's present moment.
        let despatched = matches!(
            w.status,
            WaybillStatus::Dispatched | WaybillStatus::Signed | WaybillStatus::Receipted
        );
        assert_eq!(w.despatch_time.is_some(), despatched, "{wext}");
        assert_eq!(
            w.receipt_time.is_some(),
            matches!(w.status, WaybillStatus::Signed | WaybillStatus::Receipted),
            "{wext}"
        );
        assert!(
            w.consignment_time >= config.start && w.consignment_time <= as_of,
            "{wext}"
        );
        if let Some(d) = w.despatch_time {
            assert!(d <= as_of && d >= l.pickup_window.start, "{wext}");
        }
        if let Some(r) = w.receipt_time {
            assert!(r <= as_of, "{wext}");
        }
        if matches!(w.status, WaybillStatus::Draft | WaybillStatus::Confirmed) {
            assert!(l.pickup_window.start > as_of, "{wext}");
        }
        if w.status == WaybillStatus::Dispatched {
            dispatched_vehicles.insert(vid.clone());
        }
        assert_eq!(
            w.actual_carrier.id_code,
            data.parties
                .iter()
                .find(|p| pid(p) == w.carrier_id.as_str())
                .unwrap()
                .credit_code
        );
    }
    // Loads nobody took are open (in the future) or cancelled.
    for l in &data.loads {
        if !used_loads.contains(&wuliu_model::LoadId(format!(
            "loads:{}",
            l.external_id.as_ref().unwrap()
        ))) {
            assert!(matches!(l.status, LoadStatus::Open | LoadStatus::Cancelled));
            if l.status == LoadStatus::Open {
                assert!(l.pickup_window.start > as_of);
            }
        }
    }
    // Vehicles are busy exactly while a dispatched waybill runs.
    for v in &data.vehicles {
        let id = format!("vehicles:{}", v.external_id.as_ref().unwrap());
        let on_road = dispatched_vehicles.iter().any(|d| d.as_str() == id);
        assert_eq!(v.status == VehicleStatus::Busy, on_road, "{id}");
    }
    // Payments: one per receipted waybill, same amount and parties.
    let waybills: BTreeMap<String, &wuliu_model::Waybill> = data
        .waybills
        .iter()
        .map(|w| (format!("waybills:{}", w.external_id.as_ref().unwrap()), w))
        .collect();
    for p in &data.payments {
        let w = waybills[p.waybills[0].waybill_id.as_str()];
        assert_eq!(w.status, WaybillStatus::Receipted);
        assert_eq!(p.waybills[0].amount, w.total_amount);
        assert_eq!(p.payments[0].amount, w.total_amount);
        assert_eq!(p.carrier_id, w.carrier_id);
        assert_eq!(p.shipper_id, w.shipper_id);
        assert_eq!(p.plate, w.vehicle.plate);
        assert!(p.payments[0].time >= w.receipt_time.unwrap() && p.payments[0].time <= as_of);
    }
    // Events: only for despatched waybills, in time order, by the waybill's carrier and vehicle.
    let mut last: BTreeMap<String, chrono::DateTime<chrono::Utc>> = BTreeMap::new();
    let mut per_waybill: BTreeMap<String, usize> = BTreeMap::new();
    for e in &data.events {
        let wid = e.waybill_id.as_ref().unwrap().as_str().to_string();
        let w = waybills[&wid];
        assert!(
            w.despatch_time.is_some(),
            "event for an undespatched waybill"
        );
        assert_eq!(e.reporter_id, w.carrier_id);
        assert_eq!(e.vehicle_id, w.vehicle.vehicle_id);
        assert!(e.time <= as_of);
        if let Some(prev) = last.insert(wid.clone(), e.time) {
            assert!(prev <= e.time);
        }
        if let Some(f) = &e.facility_id {
            assert!(facilities.contains(f.as_str()));
        }
        let l = loads[w.load_id.as_ref().unwrap().as_str()];
        if let CargoClass::ColdChain { temperature } = &l.cargo {
            let t = e
                .temperature
                .expect("cold-chain events carry a temperature")
                .0;
            assert!(temperature.min.0 <= t && t <= temperature.max.0);
        }
        *per_waybill.entry(wid).or_default() += 1;
    }
    let despatched = data
        .waybills
        .iter()
        .filter(|w| w.despatch_time.is_some())
        .count();
    assert_eq!(per_waybill.len(), despatched);
    assert!(per_waybill.values().all(|n| *n >= 3));
}

#[test]
fn statuses_cover_the_lifecycle() {
    let data = demo(&DemoConfig::default());
    for s in [
        WaybillStatus::Draft,
        WaybillStatus::Confirmed,
        WaybillStatus::Dispatched,
        WaybillStatus::Signed,
        WaybillStatus::Receipted,
        WaybillStatus::Cancelled,
    ] {
        assert!(
            data.waybills.iter().any(|w| w.status == s),
            "no {s:?} waybill"
        );
    }
    for code in ["1002996", "1003997", "1002998"] {
        assert!(
            data.waybills.iter().any(|w| w.business_type_code == code),
            "no waybill of business type {code}"
        );
    }
}

#[test]
fn realistic_parties_and_vehicles() {
    let data = demo(&DemoConfig::default());
    for p in &data.parties {
        assert!(
            p.name.starts_with("柳州") && p.name.ends_with("有限公司"),
            "{}",
            p.name
        );
        assert!(p.division_code.0.starts_with("4502"));
        assert_eq!(&p.credit_code[2..8], p.division_code.0.as_str());
        if p.roles.contains(&PartyRole::Carrier) {
            assert!(p.name.ends_with("物流有限公司"));
            assert!(p.transport_permit.is_some());
        }
    }
    let names: BTreeSet<&String> = data.parties.iter().map(|p| &p.name).collect();
    assert_eq!(names.len(), data.parties.len(), "party names repeat");
    let plates: BTreeSet<&String> = data.vehicles.iter().map(|v| &v.plate).collect();
    assert_eq!(plates.len(), data.vehicles.len(), "plates repeat");
    assert!(data.vehicles.iter().all(|v| v.plate.starts_with("桂B")));
    assert!(data
        .vehicles
        .iter()
        .any(|v| v.body_type == BodyType::Refrigerated));
    assert!(
        data.vehicles.iter().any(|v| v.plate.chars().count() == 8),
        "no new-energy plates"
    );
    let ids: BTreeSet<&String> = data.drivers.iter().map(|d| &d.id_number).collect();
    assert_eq!(ids.len(), data.drivers.len());
    // Industry mix follows the plan.
    let goods: Vec<&str> = data.loads.iter().map(|l| l.goods.as_str()).collect();
    for word in [
        "螺蛳粉",
        "钢",
        "装载机|挖掘机|压路机|工程机械|驱动桥|履带",
        "座椅|冲压|缸体|线束|车桥|内饰|变速箱|汽车玻璃",
    ] {
        assert!(
            goods.iter().any(|g| word.split('|').any(|w| g.contains(w))),
            "no load of {word}"
        );
    }
    let chilled = data.loads.iter().filter(|l| matches!(&l.cargo, CargoClass::ColdChain { temperature } if temperature.min.0 == 0.0 && temperature.max.0 == 4.0)).count();
    let frozen = data.loads.iter().filter(|l| matches!(&l.cargo, CargoClass::ColdChain { temperature } if temperature.max.0 <= -18.0)).count();
    assert!(chilled > 0 && frozen > 0);
    // Load shares by the shipper's industry follow the plan's mix (auto parts 35 %, 螺蛳粉 20 %, cold chain
    // 20 %, steel 15 %, machinery 10 %), within sampling noise.
    let names: BTreeMap<String, &str> = data
        .parties
        .iter()
        .map(|p| {
            (
                format!("parties:{}", p.external_id.as_ref().unwrap()),
                p.name.as_str(),
            )
        })
        .collect();
    for (suffix, share) in [
        ("汽车零部件有限公司", 0.35),
        ("螺蛳粉食品有限公司", 0.20),
        ("农产品贸易有限公司", 0.20),
        ("钢材贸易有限公司", 0.15),
        ("工程机械有限公司", 0.10),
    ] {
        let n = data
            .loads
            .iter()
            .filter(|l| names[l.shipper_id.as_str()].ends_with(suffix))
            .count();
        let got = n as f64 / data.loads.len() as f64;
        assert!(
            (got - share).abs() < 0.08,
            "{suffix}: {got:.2} of loads, plan mix {share}"
        );
    }
    // Future pickups are booked in local business hours (07:00–19:00, UTC+8).
    for l in data
        .loads
        .iter()
        .filter(|l| matches!(l.status, LoadStatus::Open | LoadStatus::Matched))
    {
        let local = l.pickup_window.start + chrono::TimeDelta::hours(8);
        assert!(
            (7..19).contains(&chrono::Timelike::hour(&local)),
            "{:?} picks up at {local} local",
            l.external_id
        );
    }
    // Out-of-city destinations.
    let outside: BTreeSet<&str> = data
        .loads
        .iter()
        .map(|l| l.destination.division_code.0.as_str())
        .filter(|c| !c.starts_with("4502"))
        .collect();
    for code in ["450100", "440100", "500100"] {
        assert!(outside.contains(code), "no load to {code}");
    }
}

#[test]
fn places_lie_in_their_districts() {
    let data = demo(&DemoConfig::default());
    let in_district = |code: &str, p: &wuliu_model::GeoPoint| {
        DISTRICTS.iter().any(|d| d.code == code && d.contains(p))
    };
    for f in &data.facilities {
        assert!(f.location_approximate);
        assert!(
            in_district(&f.division_code.0, &f.location),
            "{:?}",
            f.external_id
        );
    }
    for l in &data.loads {
        for place in [&l.origin, &l.destination] {
            if place.division_code.0.starts_with("4502") {
                assert!(
                    in_district(&place.division_code.0, &place.point),
                    "{:?}: {:?}",
                    l.external_id,
                    place
                );
            } else {
                // Outside Liuzhou: somewhere in South or Southwest China.
                assert!(
                    (20.0..31.0).contains(&place.point.lat)
                        && (102.0..116.0).contains(&place.point.lon)
                );
            }
        }
    }
    for v in &data.vehicles {
        let p = v.home_base.unwrap();
        assert!((24.0..26.0).contains(&p.lat) && (109.0..110.0).contains(&p.lon));
    }
    // Every county-level unit has a centre, and its code is the gazette's.
    for c in &data.counties {
        assert!(
            DISTRICTS
                .iter()
                .any(|d| d.code == c.division_code.0 && d.name == c.name),
            "{}",
            c.name
        );
    }
}

#[test]
fn reference_data_is_mapped_from_the_gazette() {
    let data = demo(&DemoConfig::default());
    let f = |ext: &str| {
        data.facilities
            .iter()
            .find(|f| f.external_id.as_deref() == Some(ext))
            .unwrap()
    };
    assert_eq!(f("kp-liunan-01").name, "柳州西鹅铁路物流中心");
    assert_eq!(f("kp-liunan-01").kind, FacilityKind::RailYard);
    assert_eq!(f("kp-liunan-01").status, FacilityStatus::UnderConstruction);
    assert_eq!(f("kp-liunan-01").land_area_mu, Some(4300.0));
    assert_eq!(
        f("kp-liunan-01").plan_category.as_deref(),
        Some("国家物流枢纽")
    );
    assert_eq!(f("kp-liunan-03").kind, FacilityKind::Market);
    assert_eq!(f("kp-liunan-07").kind, FacilityKind::ColdStore);
    assert_eq!(f("kp-liunan-08").status, FacilityStatus::Planned);
    assert_eq!(f("kp-liujiang-06").kind, FacilityKind::AirCargo);
    assert_eq!(f("kp-luzhai-05").kind, FacilityKind::Port);
    assert_eq!(f("kp-luzhai-05").land_area_mu, None);
    assert_eq!(f("kp-liudong-01").division_code.0, "450203");
    assert_eq!(f("kp-liubei-05").kind, FacilityKind::Warehouse);
    assert_eq!(f("kp-liudong-05").kind, FacilityKind::Depot);
    assert_eq!(f("kp-liudong-04").kind, FacilityKind::LogisticsPark);

    let t = |id: &str| {
        data.plan_targets
            .iter()
            .find(|t| t.external_id.as_deref() == Some(id))
            .unwrap()
    };
    assert_eq!(t("T03").target_value, Some(7603.0));
    assert_eq!(t("T03").baseline_value, Some(4698.0));
    assert_eq!(t("T03").baseline_year, Some(2020));
    assert_eq!(t("T09").comparator, "<=");
    assert_eq!(t("T03").target_text.as_deref(), Some("7603"));
    assert_eq!(t("T18").comparator, "range");
    assert_eq!(t("T18").target_value, None);
    assert_eq!(t("T18").target_text.as_deref(), Some("6-8"));
    assert!(t("T18").source_quote.contains("6%至8%"));

    let b = |id: &str| {
        data.baselines
            .iter()
            .find(|b| b.external_id.as_deref() == Some(id))
            .unwrap()
    };
    assert_eq!(b("rail-freight-volume-2020").value, 4698.0);
    assert_eq!(
        b("ratio-of-nev-fleet-to-charging-facilities-approx-2020").value,
        3.0
    );
    assert_eq!(
        b("total-retail-sales-of-consumer-goods-2020-table1").value,
        1270.2
    );
    assert_eq!(b("high-grade-waterway-length").year, "");

    let liujiang = data.counties.iter().find(|c| c.name == "柳江区").unwrap();
    assert_eq!(liujiang.external_id.as_deref(), Some("450206"));
    assert_eq!(liujiang.parent_code.0, "450200");
    assert_eq!(liujiang.regional_role.as_deref(), Some("先进制造业三角"));
}

#[test]
fn other_sizes_stay_valid() {
    for config in [
        DemoConfig {
            carriers: 1,
            shippers: 1,
            vehicles_per_carrier: 1,
            loads: 5,
            waybills: 5,
            ..DemoConfig::default()
        },
        DemoConfig {
            carriers: 0,
            shippers: 0,
            vehicles_per_carrier: 0,
            loads: 10,
            waybills: 10,
            ..DemoConfig::default()
        },
        DemoConfig {
            seed: 1,
            carriers: 45,
            shippers: 30,
            vehicles_per_carrier: 11,
            loads: 900,
            waybills: 400,
            ..DemoConfig::default()
        },
    ] {
        let data = demo(&config);
        let bad = invalid(&data);
        assert!(bad.is_empty(), "{config:?}: {}", bad.join("\n"));
        assert_eq!(data.parties.len(), config.carriers + config.shippers);
        assert_eq!(
            data.vehicles.len(),
            config.carriers * config.vehicles_per_carrier
        );
        assert!(data.waybills.len() <= config.waybills);
        for (table, ids) in external_ids(&data) {
            let unique: BTreeSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "duplicate external IDs in {table}");
        }
        let names: BTreeSet<&String> = data.parties.iter().map(|p| &p.name).collect();
        assert_eq!(names.len(), data.parties.len());
    }
    let big = demo(&DemoConfig {
        seed: 1,
        carriers: 45,
        shippers: 30,
        vehicles_per_carrier: 11,
        loads: 900,
        waybills: 400,
        ..DemoConfig::default()
    });
    assert_eq!(big.waybills.len(), 400);
}
