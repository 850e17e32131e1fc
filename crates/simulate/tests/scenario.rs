//! The scenario generator: deterministic from the seed, and every injected anomaly really has its
//! property while clean trips are clean.

use std::collections::HashMap;

use chrono::NaiveDate;
use wuliu_model::Validate;
use wuliu_simulate::drive::{Sample, FIX_INTERVAL_S};
use wuliu_simulate::geo::dist_m;
use wuliu_simulate::scenario::{Expired, Geometry};
use wuliu_simulate::{records, scenario, testing, AnomalyKind, Config, Scenario, Trip};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn realised(trips: usize, share: f64, seed: u64) -> Scenario {
    let fleet = testing::small_fleet(30);
    let mut s = scenario::plan(&fleet, &Config::replay(day(), trips, share, seed, "t")).unwrap();
    s.realise(&HashMap::new());
    s
}

fn of_kind(s: &Scenario, k: AnomalyKind) -> Vec<&Trip> {
    let v: Vec<&Trip> = s.trips.iter().filter(|t| t.anomaly == Some(k)).collect();
    assert!(!v.is_empty(), "no {k} trip");
    v
}

/// Implied speeds between consecutive fixes, km/h, with the jump lengths.
fn jumps(f: &[Sample]) -> Vec<(f64, f64)> {
    f.windows(2)
        .map(|w| {
            let d = dist_m(w[0].point, w[1].point);
            let dt = (w[1].time - w[0].time).num_seconds() as f64;
            (d / dt * 3.6, d)
        })
        .collect()
}

/// The longest time, seconds, from a moving fix to a later moving fix with no stop of at least
/// 20 minutes (speed ≤ 5 km/h) in between.
fn longest_spell_s(f: &[Sample]) -> i64 {
    let (mut best, mut start) = (0, None::<i64>);
    let mut slow_since: Option<i64> = None;
    for s in f {
        let t = s.time.timestamp();
        if s.speed_kmh > 5.0 {
            if slow_since.take().is_some_and(|x| t - x >= 1200) {
                start = None;
            }
            let st = *start.get_or_insert(t);
            best = best.max(t - st);
        } else if slow_since.is_none() {
            slow_since = Some(t);
        }
    }
    best
}

#[test]
fn the_same_seed_gives_the_same_scenario_and_another_seed_another() {
    let a = realised(16, 0.5, 7);
    let b = realised(16, 0.5, 7);
    assert_eq!(a, b);
    let c = realised(16, 0.5, 8);
    assert_ne!(a.trips[0].fixes, c.trips[0].fixes);
}

#[test]
fn the_anomaly_share_is_honoured_and_every_kind_is_used() {
    let s = realised(24, 1.0, 3);
    for k in AnomalyKind::ALL {
        assert_eq!(of_kind(&s, k).len(), 3, "{k}");
    }
    let s = realised(10, 0.3, 3);
    assert_eq!(s.trips.iter().filter(|t| t.anomaly.is_some()).count(), 3);
}

#[test]
fn clean_trips_report_every_30_s_from_consignor_to_consignee_and_rest() {
    let s = realised(30, 0.0, 11);
    assert!(
        s.trips.iter().any(|t| t.path_m > 300_000.0),
        "some trips need a rest"
    );
    for t in &s.trips {
        assert_eq!(t.geometry, Geometry::GreatCircle);
        let f = &t.fixes;
        assert!(f.len() > 10, "trip {}", t.index);
        assert!(f
            .windows(2)
            .all(|w| (w[1].time - w[0].time).num_seconds() == FIX_INTERVAL_S));
        assert_eq!(f[0].time, t.despatch);
        assert_eq!(f.last().unwrap().time, t.receipt);
        assert!(dist_m(f[0].point, t.consignor.point) < 1000.0);
        assert!(dist_m(f.last().unwrap().point, t.consignee.point) < 1000.0);
        assert!(f.iter().all(|x| x.speed_kmh <= 90.0));
        assert!(
            jumps(f).iter().all(|(kmh, _)| *kmh < 120.0),
            "trip {}",
            t.index
        );
        assert!(longest_spell_s(f) <= 4 * 3600, "trip {}", t.index);
        let path = t.path_m;
        assert!(path >= t.straight_m() && path < 1.1 * t.straight_m() + 1000.0);
    }
}

#[test]
fn track_anomalies_have_their_property() {
    let s = realised(24, 1.0, 5);
    for t in of_kind(&s, AnomalyKind::Ghost) {
        assert!(t.fixes.is_empty());
        assert!(t.receipt > t.despatch);
    }
    for t in of_kind(&s, AnomalyKind::Detour) {
        assert!(
            t.path_m / t.straight_m() > 1.8 * 1.3,
            "{}",
            t.path_m / t.straight_m()
        );
    }
    for t in of_kind(&s, AnomalyKind::Teleport) {
        let fast: Vec<_> = jumps(&t.fixes)
            .into_iter()
            .filter(|(kmh, _)| *kmh > 300.0)
            .collect();
        assert_eq!(fast.len(), 1, "trip {}", t.index);
        assert!(fast[0].1 > 10_000.0);
    }
    for t in of_kind(&s, AnomalyKind::Fatigue) {
        assert!(
            longest_spell_s(&t.fixes) >= 4 * 3600 + 1800,
            "trip {}",
            t.index
        );
    }
    for t in of_kind(&s, AnomalyKind::BorrowedTrack) {
        let donor = &s.trips[t.borrowed_from.unwrap()];
        assert_ne!(donor.vehicle.record.plate, t.vehicle.record.plate);
        assert_eq!(t.fixes.len(), donor.fixes.len());
        assert!(donor.fixes.len() >= 120, "an hour or more");
        for (a, b) in t.fixes.iter().zip(&donor.fixes) {
            assert_eq!(a.time, b.time);
            assert!(dist_m(a.point, b.point) < 20.0);
        }
    }
}

#[test]
fn document_and_money_anomalies_have_their_property() {
    let s = realised(24, 1.0, 9);
    for t in of_kind(&s, AnomalyKind::ThirdPartyPayment) {
        assert_ne!(t.payee.recipient, t.driver.record.name);
        assert_ne!(t.payee.recipient, t.carrier.body.name);
    }
    for t in s.trips.iter().filter(|t| t.anomaly.is_none()) {
        assert_eq!(t.payee.recipient, t.driver.record.name);
        assert!(t.gross_weight_kg <= t.vehicle.record.rated_load.0);
    }
    for t in of_kind(&s, AnomalyKind::Overweight) {
        assert!(t.gross_weight_kg > t.vehicle.record.rated_load.0);
    }
    for t in of_kind(&s, AnomalyKind::ExpiredCertificate) {
        match t.expired.unwrap() {
            Expired::Vehicle => {
                assert!(t.vehicle.fresh && t.vehicle.id.is_none());
                let c = t.vehicle.record.transport_certificate.as_ref().unwrap();
                assert!(c.expires < day());
            }
            Expired::Driver => {
                assert!(t.driver.fresh);
                assert!(t.driver.record.qualification.expires < day());
            }
        }
    }
}

#[test]
fn waybills_and_payments_are_valid_records() {
    let s = realised(24, 1.0, 13);
    for t in &s.trips {
        let w = records::waybill(t, true);
        w.validate()
            .unwrap_or_else(|e| panic!("trip {}: {e:?}", t.index));
        assert_eq!(w.receipt_time, Some(t.receipt));
        records::payment(t, "wyb_x").validate().unwrap();
        if t.vehicle.fresh {
            t.vehicle.record.validate().unwrap();
        }
        if t.driver.fresh {
            t.driver.record.validate().unwrap();
        }
    }
}
