//! Scenario tests: each rule passes on a good pair and fails with its own reason on a bad one.

use wuliu_match::rules::{self, Pair, RuleName, Timing, VehicleState};
use wuliu_match::MatchConfig;
use wuliu_model::{
    BodyType, CargoClass, Celsius, Certificate, Dimensions, Leg, Meters, Seconds, TemperatureRange,
    TimeWindow,
};

use crate::fixtures::*;

fn static_fail(
    l: &wuliu_match::OpenLoad,
    v: &wuliu_match::AvailableVehicle,
) -> Vec<(RuleName, String)> {
    rules::check_static(&Pair {
        load: &l.load,
        vehicle: v,
        date: date(),
    })
    .into_iter()
    .map(|r| (r.rule, r.code))
    .collect()
}

fn good() -> (wuliu_match::OpenLoad, wuliu_match::AvailableVehicle) {
    (
        load("lod_1", LIUZHOU, NANNING, 8000.0, 3000.0),
        vehicle("veh_1", LIUZHOU, BodyType::Box, 10_000.0),
    )
}

#[test]
fn capacity_weight_and_volume() {
    let (mut l, v) = good();
    assert!(static_fail(&l, &v).is_empty());
    l.load.weight.0 = 10_001.0;
    assert_eq!(
        static_fail(&l, &v),
        vec![(RuleName::Capacity, "capacity.weight".into())]
    );
    l.load.weight.0 = 5000.0;
    l.load.volume.0 = v.vehicle.cargo_volume.0 + 0.5;
    assert_eq!(
        static_fail(&l, &v),
        vec![(RuleName::Capacity, "capacity.volume".into())]
    );
}

#[test]
fn a_declined_pair_is_excluded_and_only_that_vehicle() {
    let (mut l, v) = good();
    let other = vehicle("veh_2", LIUZHOU, BodyType::Box, 10_000.0);
    l.load.declined_by.push(v.id.clone());
    assert_eq!(
        static_fail(&l, &v),
        vec![(RuleName::Declined, "declined.by_carrier".into())]
    );
    assert!(static_fail(&l, &other).is_empty());
    // Batch matching gives the load to the other vehicle, never to the one that declined.
    let req = wuliu_match::MatchRequest {
        loads: vec![l],
        vehicles: vec![v, other],
        date: date(),
        config: MatchConfig::default(),
    };
    let plan = wuliu_match::match_batch(&req, &wuliu_model::StraightLine::default()).unwrap();
    assert_eq!(plan.assignments.len(), 1);
    assert_eq!(plan.assignments[0].vehicle.as_str(), "veh_2");
}

#[test]
fn body_type_vs_cargo_class() {
    let (l, mut v) = good();
    v.vehicle.body_type = BodyType::Tanker;
    assert_eq!(static_fail(&l, &v)[0].0, RuleName::BodyType);
    v.vehicle.body_type = BodyType::CarCarrier;
    assert_eq!(static_fail(&l, &v)[0].0, RuleName::BodyType);
    let mut cars = l.clone();
    cars.load.goods = "商品车 (finished vehicles)".into();
    assert!(static_fail(&cars, &v).is_empty());
    v.vehicle.body_type = BodyType::Flatbed;
    assert!(static_fail(&l, &v).is_empty());
}

#[test]
fn refrigeration_covers_the_temperature_range() {
    let (mut l, mut v) = good();
    l.load.cargo = CargoClass::ColdChain {
        temperature: TemperatureRange {
            min: Celsius(-18.0),
            max: Celsius(-15.0),
        },
    };
    // A box body cannot carry cold chain at all.
    let f = static_fail(&l, &v);
    assert!(f.iter().any(|r| r.0 == RuleName::BodyType));
    assert!(f.iter().any(|r| r.1 == "refrigeration.missing"));
    v.vehicle.body_type = BodyType::Refrigerated;
    v.vehicle.refrigeration = Some(TemperatureRange {
        min: Celsius(0.0),
        max: Celsius(8.0),
    });
    assert_eq!(
        static_fail(&l, &v),
        vec![(RuleName::Refrigeration, "refrigeration.range".into())]
    );
    v.vehicle.refrigeration = Some(TemperatureRange {
        min: Celsius(-25.0),
        max: Celsius(8.0),
    });
    assert!(static_fail(&l, &v).is_empty());
}

#[test]
fn dangerous_goods_need_vehicle_approval_and_qualified_driver() {
    let (mut l, mut v) = good();
    l.load.cargo = CargoClass::DangerousGoods {
        class: "3".into(),
        un_number: Some("UN1203".into()),
    };
    v.vehicle.body_type = BodyType::Tanker;
    assert_eq!(
        static_fail(&l, &v),
        vec![(
            RuleName::DangerousGoods,
            "dangerous_goods.vehicle_not_approved".into()
        )]
    );
    v.vehicle.dangerous_goods_classes = vec!["3".into()];
    assert_eq!(
        static_fail(&l, &v),
        vec![(
            RuleName::DangerousGoods,
            "dangerous_goods.driver_not_qualified".into()
        )]
    );
    v.drivers.push(driver(true));
    assert!(static_fail(&l, &v).is_empty());
    // Approval for class 2 does not cover class 3.
    v.vehicle.dangerous_goods_classes = vec!["2".into()];
    assert_eq!(static_fail(&l, &v)[0].0, RuleName::DangerousGoods);
}

#[test]
fn largest_package_fits_inner_dimensions() {
    let (mut l, mut v) = good();
    let d = |a, b, c| Dimensions {
        length: Meters(a),
        width: Meters(b),
        height: Meters(c),
    };
    v.vehicle.inner_dimensions = Some(d(9.6, 2.3, 2.4));
    l.load.largest_package = Some(d(2.0, 6.0, 2.0)); // turned flat it fits
    assert!(static_fail(&l, &v).is_empty());
    l.load.largest_package = Some(d(2.0, 6.0, 2.5)); // too tall
    assert_eq!(
        static_fail(&l, &v),
        vec![(RuleName::Dimensions, "dimensions.package_too_large".into())]
    );
}

#[test]
fn certificates_valid_on_trip_date() {
    let (l, mut v) = good();
    let expired = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    v.vehicle.transport_certificate = Some(Certificate {
        number: "T".into(),
        expires: expired,
    });
    assert_eq!(
        static_fail(&l, &v),
        vec![(
            RuleName::Certificates,
            "certificates.vehicle_expired".into()
        )]
    );
    v.vehicle.transport_certificate = None;
    assert_eq!(
        static_fail(&l, &v),
        vec![(
            RuleName::Certificates,
            "certificates.vehicle_missing".into()
        )]
    );
    v.vehicle.rated_load.0 = 4000.0; // small trucks need no certificate ...
    let mut small = l.clone();
    small.load.weight.0 = 3000.0;
    small.load.volume.0 = 5.0;
    assert!(static_fail(&small, &v).is_empty());
    v.drivers[0].licence.expires = expired; // ... but the driver's licence must be valid
    assert_eq!(
        static_fail(&small, &v),
        vec![(RuleName::Certificates, "certificates.driver_expired".into())]
    );
    v.drivers.clear();
    assert_eq!(
        static_fail(&small, &v),
        vec![(RuleName::Certificates, "certificates.no_driver".into())]
    );
}

fn leg(km: f64, h: f64) -> Leg {
    Leg {
        distance: Meters(km * 1000.0),
        duration: Seconds(h * 3600.0),
    }
}

/// The failed timed rules of a vehicle free at its `free_from` that drives `dh` to the pickup and
/// `ld` loaded.
fn timed_reasons(
    l: &wuliu_match::OpenLoad,
    v: &wuliu_match::AvailableVehicle,
    dh: Leg,
    ld: Leg,
) -> Vec<rules::Reason> {
    let s = VehicleState::initial(v);
    let t = Timing::compute(&l.load, &s, dh, ld, &MatchConfig::default());
    rules::check_timed(
        &Pair {
            load: &l.load,
            vehicle: v,
            date: date(),
        },
        &s,
        &t,
    )
}

fn timed(
    l: &wuliu_match::OpenLoad,
    v: &wuliu_match::AvailableVehicle,
    dh: Leg,
    ld: Leg,
) -> Vec<String> {
    timed_reasons(l, v, dh, ld)
        .into_iter()
        .map(|r| r.code)
        .collect()
}

/// The messages of the failed timed rules, in order (2.1 h to the pickup, 3.5 h loaded).
fn timed_messages(l: &wuliu_match::OpenLoad, v: &wuliu_match::AvailableVehicle) -> Vec<String> {
    timed_reasons(l, v, leg(100.0, 2.1), leg(250.0, 3.5))
        .into_iter()
        .map(|r| r.message)
        .collect()
}

#[test]
fn pickup_reachability_uses_free_time_and_travel_time() {
    let (mut l, mut v) = good();
    l.load.pickup_window = TimeWindow {
        start: at(2.0),
        end: at(3.0),
    };
    v.free_from = at(1.0);
    assert!(timed(&l, &v, leg(80.0, 1.9), leg(250.0, 3.5)).is_empty());
    assert_eq!(
        timed(&l, &v, leg(100.0, 2.1), leg(250.0, 3.5)),
        vec!["pickup.too_late"]
    );
    // Free at 1:00 with 2.1 h to drive: it arrives at 3:06, after the window closes at 3:00. On one
    // day the message gives times of day, marked UTC.
    assert_eq!(
        timed_messages(&l, &v),
        vec!["arrives at pickup 03:06 UTC (100.0 km empty), window closes 03:00 UTC"]
    );
    // Free nine days later (a stale load): the dates show, for the delivery too.
    v.free_from = at(24.0 * 9.0 + 1.0);
    assert_eq!(
        timed_messages(&l, &v),
        vec![
            "arrives at pickup 2026-03-11 03:06 UTC (100.0 km empty), window closes 2026-03-02 03:00 UTC",
            "arrives at destination 2026-03-11 07:06 UTC, delivery window closes 2026-03-02 20:00 UTC"
        ]
    );
}

#[test]
fn delivery_window_counts_waiting_and_loading() {
    let (mut l, v) = good();
    // Pickup opens at 4:00; loading 0.5 h; 3.5 h drive: arrival 8:00.
    l.load.pickup_window = TimeWindow {
        start: at(4.0),
        end: at(6.0),
    };
    l.load.delivery_window = TimeWindow {
        start: at(0.0),
        end: at(8.1),
    };
    assert!(timed(&l, &v, leg(10.0, 0.2), leg(250.0, 3.5)).is_empty());
    l.load.delivery_window.end = at(7.9);
    assert_eq!(
        timed(&l, &v, leg(10.0, 0.2), leg(250.0, 3.5)),
        vec!["delivery.too_late"]
    );
}

#[test]
fn working_time_limits_the_trip() {
    let (l, mut v) = good();
    v.remaining_driving = Seconds(4.0 * 3600.0);
    assert!(timed(&l, &v, leg(10.0, 0.4), leg(250.0, 3.5)).is_empty());
    assert_eq!(
        timed(&l, &v, leg(30.0, 0.6), leg(250.0, 3.5)),
        vec!["working_time.exceeded"]
    );
}
