//! Property-style test: the engine never panics on random, malformed inputs.

use chrono::{Duration, TimeZone, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::{GeoPoint, StraightLine, VehicleId, WaybillStatus, Yuan};
use wuliu_monitor::fixture::TripSpec;
use wuliu_monitor::{evaluate, MonitorInput, RuleConfig, Track};

fn wild_f64(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    match rng.gen_range(0..20) {
        0 => f64::NAN,
        1 => f64::INFINITY,
        2 => -1e12,
        _ => rng.gen_range(lo..hi),
    }
}

fn random_input(rng: &mut ChaCha8Rng) -> MonitorInput {
    let mut input = MonitorInput::default();
    let n = rng.gen_range(0..8);
    let base = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    for i in 0..n {
        let mut s = TripSpec::clean(rng.gen_range(0..4));
        s.waybill_id = wuliu_model::WaybillId::new(format!("wyb_{i}"));
        s.from = GeoPoint {
            lat: wild_f64(rng, 20.0, 27.0),
            lon: wild_f64(rng, 105.0, 112.0),
        };
        s.to = GeoPoint {
            lat: wild_f64(rng, 20.0, 27.0),
            lon: wild_f64(rng, 105.0, 112.0),
        };
        s.despatch = base + Duration::seconds(rng.gen_range(-90_000..90_000));
        s.receipt = s.despatch + Duration::seconds(rng.gen_range(-3_600..40_000));
        s.goods_kg = wild_f64(rng, 0.0, 50_000.0);
        s.amount = wild_f64(rng, -10.0, 10_000.0);
        let mut rec = s.waybill();
        if rng.gen_bool(0.2) {
            rec.waybill.despatch_time = None;
        }
        if rng.gen_bool(0.2) {
            rec.waybill.receipt_time = None;
        }
        if rng.gen_bool(0.1) {
            rec.waybill.status = WaybillStatus::Cancelled;
        }
        if rng.gen_bool(0.2) {
            rec.waybill.vehicle.vehicle_id = None;
        }
        input.waybills.push(rec);
        let mut p = s.payment();
        p.payment.payments[0].amount = Yuan(wild_f64(rng, 0.0, 5_000.0));
        if rng.gen_bool(0.3) {
            p.payment.payments[0].account = "shared".into();
        }
        input.payments.push(p);
        if rng.gen_bool(0.8) {
            input.vehicles.insert(s.vehicle_id.clone(), s.vehicle());
        }
        if rng.gen_bool(0.8) {
            input.drivers.insert(s.driver_id.clone(), s.driver());
        }
    }
    for v in 0..rng.gen_range(0..5) {
        let mut t = Track::default();
        let start = base.timestamp() + rng.gen_range(-50_000..50_000);
        for _ in 0..rng.gen_range(0..400) {
            t.push_raw(
                start + rng.gen_range(-20_000..20_000),
                wild_f64(rng, 20.0, 27.0),
                wild_f64(rng, 105.0, 112.0),
                wild_f64(rng, 0.0, 200.0) as f32,
            );
        }
        if rng.gen_bool(0.2) {
            t.lat.pop(); // ragged columns
        }
        input.tracks.insert(VehicleId::new(format!("veh_{v}")), t);
    }
    input
}

fn random_config(rng: &mut ChaCha8Rng) -> RuleConfig {
    let mut c = RuleConfig::default();
    if rng.gen_bool(0.3) {
        c.max_gap_s = rng.gen_range(-10..10_000);
        c.borrowed_bucket_s = rng.gen_range(-5..600);
        c.borrowed_cell_deg = wild_f64(rng, -1.0, 1.0);
        c.borrowed_min_shared = rng.gen_range(0..5);
        c.trip_time_tolerance_s = rng.gen_range(-100..100_000);
        c.night_start_hour = rng.gen_range(0..30);
        c.night_end_hour = rng.gen_range(0..30);
        c.shared_account_min_parties = rng.gen_range(0..4);
    }
    c
}

#[test]
fn never_panics_on_random_inputs() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..300 {
        let input = random_input(&mut rng);
        let config = random_config(&mut rng);
        let r = evaluate(&input, &StraightLine::default(), &config);
        for w in &r.waybills {
            assert!(w.risk_score <= 100);
            if let Some(c) = w.track_completeness {
                assert!((0.0..=1.0).contains(&c), "{c}");
            }
        }
        serde_json::to_string(&r).expect("report serialises");
    }
}
