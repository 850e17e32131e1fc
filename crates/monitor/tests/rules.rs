//! One positive and at least one negative case per rule, built by mutating a clean trip.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use wuliu_model::{GeoPoint, StraightLine, Yuan};
use wuliu_monitor::fixture::{polyline_track, TripSpec};
use wuliu_monitor::{catalogue, evaluate, Finding, MonitorInput, MonitorReport, RuleConfig, Track};

fn run(input: &MonitorInput) -> MonitorReport {
    evaluate(input, &StraightLine::default(), &RuleConfig::default())
}

fn rules_of(r: &MonitorReport, id: &str) -> Vec<String> {
    let w = r
        .waybills
        .iter()
        .find(|w| w.waybill_id.as_str() == id)
        .expect("waybill in report");
    w.findings.iter().map(|f| f.rule.clone()).collect()
}

fn finding<'a>(r: &'a MonitorReport, id: &str, rule: &str) -> &'a Finding {
    let w = r
        .waybills
        .iter()
        .find(|w| w.waybill_id.as_str() == id)
        .expect("waybill in report");
    w.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("{id}: no {rule} finding, got {:?}", rules_of(r, id)))
}

fn assert_clean(r: &MonitorReport, id: &str, rule: &str) {
    assert!(
        !rules_of(r, id).iter().any(|x| x == rule),
        "{id} flagged by {rule}: {:?}",
        rules_of(r, id)
    );
}

/// Several clean trips on parallel routes, so cross-record rules have something to compare.
fn clean_fleet(n: usize) -> MonitorInput {
    let mut input = MonitorInput::default();
    for i in 0..n {
        let s = TripSpec::clean(i);
        s.add_to(&mut input, s.straight_track(30));
    }
    input
}

#[test]
fn clean_trips_yield_no_findings_at_all() {
    let r = run(&clean_fleet(6));
    assert_eq!(r.waybills.len(), 6);
    for w in &r.waybills {
        assert!(w.findings.is_empty(), "{}: {:?}", w.waybill_id, w.findings);
        assert_eq!(w.risk_score, 0);
        assert_eq!(w.track_completeness, Some(1.0));
    }
    assert_eq!(r.rule_counts.len(), catalogue().len());
    assert!(r.rule_counts.values().all(|&n| n == 0));
}

#[test]
fn catalogue_codes_are_unique_and_described() {
    let c = catalogue();
    assert_eq!(c.len(), 19);
    let mut codes: Vec<_> = c.iter().map(|r| r.code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), c.len());
    for r in &c {
        assert!(
            !r.description_zh.is_empty() && r.description_en.ends_with('.'),
            "{}",
            r.code
        );
        assert!(wuliu_monitor::rules::rule(r.code).is_some());
    }
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json[0]["code"], "doc.required_fields");
    assert_eq!(json[0]["severity"], "critical");
}

// ---- documents ----

#[test]
fn required_fields_missing_point_and_driver() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let w = &mut input.waybills[0].waybill;
    w.consignee.point = None;
    w.drivers.clear();
    let r = run(&input);
    let f = finding(&r, "wyb_0", "doc.required_fields");
    let missing = f.evidence["missing"].as_array().unwrap();
    assert!(missing.contains(&"consignee.point".into()));
    assert!(missing.contains(&"drivers".into()));
    assert_clean(&run(&s.input()), "wyb_0", "doc.required_fields");
}

#[test]
fn time_order_despatch_before_consignment() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    input.waybills[0].waybill.consignment_time = s.despatch + Duration::hours(1);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "doc.time_order");
    assert_eq!(f.evidence["broken"][0], "despatch_before_consignment");
    assert_eq!(f.evidence["despatch_time"], "2026-03-02T09:00:00+08:00");
    assert_clean(&run(&s.input()), "wyb_0", "doc.time_order");
}

#[test]
fn overweight_goods_over_rated_load() {
    let mut s = TripSpec::clean(0);
    s.goods_kg = 36_000.0;
    let r = run(&s.input());
    let f = finding(&r, "wyb_0", "doc.overweight");
    assert_eq!(f.evidence["excess_kg"], 6_000.0);
    assert_eq!(f.evidence["rated_load_kg"], 30_000.0);
    s.goods_kg = 30_000.0; // exactly the rated load is fine
    assert_clean(&run(&s.input()), "wyb_0", "doc.overweight");
}

#[test]
fn amount_mismatch_between_waybill_and_fund_flow() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let p = &mut input.payments[0].payment;
    p.waybills[0].amount = Yuan(2_500.0);
    p.payments[0].amount = Yuan(2_500.0);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "doc.amount_mismatch");
    assert_eq!(f.evidence["difference"], -500.0);
    assert_eq!(f.evidence["records"][0]["payment_id"], "pay_0");
    assert_clean(&r, "wyb_0", "money.totals");
    assert_clean(&run(&s.input()), "wyb_0", "doc.amount_mismatch");
}

#[test]
fn expired_vehicle_certificate() {
    let mut s = TripSpec::clean(0);
    s.documents_expire = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let mut input = s.input();
    input.drivers.clear();
    input
        .drivers
        .insert(s.driver_id.clone(), TripSpec::clean(0).driver());
    let r = run(&input);
    let f = finding(&r, "wyb_0", "doc.vehicle_certificate");
    assert_eq!(f.evidence["reason"], "certificate_expired");
    assert_eq!(f.evidence["expires"], "2026-03-01");
    assert_eq!(f.evidence["despatch_date"], "2026-03-02");
    assert_clean(&r, "wyb_0", "doc.driver_licence");
    // Valid through the despatch day itself.
    s.documents_expire = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    assert_clean(&run(&s.input()), "wyb_0", "doc.vehicle_certificate");
}

#[test]
fn unregistered_vehicle_is_flagged() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    input.vehicles.clear();
    let r = run(&input);
    let f = finding(&r, "wyb_0", "doc.vehicle_certificate");
    assert_eq!(f.evidence["reason"], "vehicle_not_registered");
    // The track is still found by vehicle ID.
    assert_clean(&r, "wyb_0", "track.ghost");
}

#[test]
fn expired_driver_qualification() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let d = input.drivers.get_mut(&s.driver_id).unwrap();
    d.qualification.expires = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    let r = run(&input);
    let f = finding(&r, "wyb_0", "doc.driver_licence");
    assert_eq!(f.evidence["problems"][0]["reason"], "qualification_expired");
    assert_eq!(f.evidence["problems"][0]["expires"], "2025-12-31");
    assert_clean(&run(&s.input()), "wyb_0", "doc.driver_licence");
}

// ---- track ----

#[test]
fn ghost_waybill_without_any_track() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    input.tracks.clear();
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.ghost");
    assert_eq!(f.evidence["despatch"], "2026-03-02T09:00:00+08:00");
    assert_eq!(f.evidence["receipt"], "2026-03-02T11:00:00+08:00");
    assert_eq!(f.evidence["vehicle_fixes_total"], 0);
    assert_eq!(r.waybills[0].track_completeness, Some(0.0));
    // The completeness rule leaves empty tracks to the ghost rule.
    assert_clean(&r, "wyb_0", "track.completeness");
    assert_clean(&run(&s.input()), "wyb_0", "track.ghost");
}

#[test]
fn ghost_when_the_track_is_from_another_day() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let t = input.tracks.get_mut(&s.vehicle_id).unwrap();
    t.time.iter_mut().for_each(|x| *x -= 86_400);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.ghost");
    assert!(f.evidence["last_fix_before"].is_string());
}

#[test]
fn completeness_with_an_hour_long_gap() {
    let s = TripSpec::clean(0);
    let mut track = s.straight_track(30);
    let (a, b) = (
        s.despatch.timestamp() + 1_800,
        s.despatch.timestamp() + 5_400,
    );
    let keep: Vec<usize> = (0..track.len())
        .filter(|&i| track.time[i] <= a || track.time[i] >= b)
        .collect();
    let mut cut = Track::default();
    for i in keep {
        cut.push_raw(
            track.time[i],
            track.lat[i],
            track.lon[i],
            track.speed_kmh[i],
        );
    }
    track = cut;
    let mut input = MonitorInput::default();
    s.add_to(&mut input, track);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.completeness");
    assert_eq!(f.evidence["completeness"], 0.5);
    assert_eq!(f.evidence["gap_count"], 1);
    assert_eq!(f.evidence["gaps"][0]["seconds"], 3_600);
    assert_eq!(r.waybills[0].track_completeness, Some(0.5));
    // A 20-minute gap is within the 30-minute maximum.
    let mut input = MonitorInput::default();
    let mut t = s.straight_track(30);
    let gap = (
        s.despatch.timestamp() + 1_800,
        s.despatch.timestamp() + 3_000,
    );
    let keep: Vec<usize> = (0..t.len())
        .filter(|&i| t.time[i] <= gap.0 || t.time[i] >= gap.1)
        .collect();
    let mut cut = Track::default();
    for i in keep {
        cut.push_raw(t.time[i], t.lat[i], t.lon[i], t.speed_kmh[i]);
    }
    t = cut;
    s.add_to(&mut input, t);
    let r = run(&input);
    assert_clean(&r, "wyb_0", "track.completeness");
    assert_eq!(r.waybills[0].track_completeness, Some(1.0));
}

#[test]
fn endpoints_track_starts_far_from_consignor() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let far = GeoPoint {
        lat: s.from.lat,
        lon: s.from.lon - 0.1,
    };
    input.waybills[0].waybill.consignor.point = Some(far);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.endpoints");
    assert_eq!(f.evidence["ends"].as_array().unwrap().len(), 1);
    assert_eq!(f.evidence["ends"][0]["end"], "consignor");
    let d = f.evidence["ends"][0]["distance_m"].as_f64().unwrap();
    assert!((9_000.0..11_000.0).contains(&d), "{d}");
    // 2 km off is within the 3 km radius.
    let mut input = s.input();
    input.waybills[0].waybill.consignor.point = Some(GeoPoint {
        lat: s.from.lat,
        lon: s.from.lon - 0.02,
    });
    assert_clean(&run(&input), "wyb_0", "track.endpoints");
}

#[test]
fn teleport_jump_between_fixes() {
    let s = TripSpec::clean(0);
    let mut track = s.straight_track(30);
    for i in 100..105 {
        track.lat[i] += 0.3;
    }
    let mut input = MonitorInput::default();
    s.add_to(&mut input, track);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.teleport");
    assert_eq!(f.evidence["count"], 2);
    assert!(f.evidence["jumps"][0]["implied_kmh"].as_f64().unwrap() > 3_000.0);
    assert!(f.evidence["jumps"][0]["distance_m"].as_f64().unwrap() > 30_000.0);
    // GNSS jitter of 50 m is no teleport.
    let mut track = s.straight_track(30);
    for i in (0..track.len()).step_by(2) {
        track.lat[i] += 0.0005;
    }
    let mut input = MonitorInput::default();
    s.add_to(&mut input, track);
    assert_clean(&run(&input), "wyb_0", "track.teleport");
}

#[test]
fn detour_driven_far_more_than_the_road_distance() {
    let mut s = TripSpec::clean(0);
    s.receipt = s.despatch + Duration::minutes(230);
    let mid = GeoPoint {
        lat: s.from.lat + 1.35,
        lon: (s.from.lon + s.to.lon) / 2.0,
    };
    let track = polyline_track(
        &[s.from, mid, s.to],
        s.despatch.timestamp(),
        s.receipt.timestamp(),
        30,
    );
    let mut input = MonitorInput::default();
    s.add_to(&mut input, track);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.distance");
    assert_eq!(f.evidence["kind"], "detour");
    assert!(f.evidence["driven_m"].as_f64().unwrap() > f.evidence["limit_m"].as_f64().unwrap());
    assert_eq!(f.evidence["road_network"], false);
    assert_eq!(rules_of(&r, "wyb_0"), ["track.distance"]);
    assert_clean(&run(&s.input()), "wyb_0", "track.distance");
}

#[test]
fn distance_far_shorter_than_possible() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    // The waybill claims a consignee 300 km away; the track drove 120 km, arriving on time.
    let far = GeoPoint {
        lat: s.from.lat,
        lon: s.from.lon + 2.9,
    };
    input.waybills[0].waybill.consignee.point = Some(far);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "track.distance");
    assert_eq!(f.evidence["kind"], "too_short");
    finding(&r, "wyb_0", "track.endpoints");
}

#[test]
fn borrowed_track_copied_from_another_vehicle() {
    let a = TripSpec::clean(0);
    let mut b = TripSpec::clean(1);
    (b.from, b.to) = (a.from, a.to);
    let mut input = MonitorInput::default();
    let track = a.straight_track(30);
    let mut copy = track.clone();
    copy.lat.iter_mut().for_each(|x| *x += 0.00005); // 5 m
    a.add_to(&mut input, track);
    b.add_to(&mut input, copy);
    TripSpec::clean(2).add_to(&mut input, TripSpec::clean(2).straight_track(30));
    let r = run(&input);
    let f = finding(&r, "wyb_1", "track.borrowed");
    assert_eq!(f.evidence["other_vehicle_id"], "veh_0");
    assert_eq!(f.evidence["other_waybills"][0], "wyb_0");
    assert!(f.evidence["share"].as_f64().unwrap() >= 0.9);
    assert!(f.evidence["shared_signatures"].as_u64().unwrap() >= 100);
    assert_eq!(
        finding(&r, "wyb_0", "track.borrowed").evidence["other_vehicle_id"],
        "veh_1"
    );
    assert_clean(&r, "wyb_2", "track.borrowed");
}

#[test]
fn same_road_ten_minutes_apart_is_not_a_borrowed_track() {
    let a = TripSpec::clean(0);
    let mut b = TripSpec::clean(1);
    (b.from, b.to) = (a.from, a.to);
    b.despatch = a.despatch + Duration::minutes(10);
    b.receipt = a.receipt + Duration::minutes(10);
    let mut input = MonitorInput::default();
    a.add_to(&mut input, a.straight_track(30));
    b.add_to(&mut input, b.straight_track(30));
    let r = run(&input);
    assert!(
        r.waybills.iter().all(|w| w.findings.is_empty()),
        "{:?}",
        r.waybills
    );
}

#[test]
fn vehicle_elsewhere_on_an_overlapping_trip() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    // A second waybill for the same vehicle at the same time, 100 km further north.
    let mut other = s.clone();
    other.waybill_id = wuliu_model::WaybillId::new("wyb_x");
    other.payment_id = wuliu_model::PaymentId::new("pay_x");
    other.from.lat += 0.9;
    other.to.lat += 0.9;
    input.waybills.push(other.waybill());
    input.payments.push(other.payment());
    let r = run(&input);
    let f = finding(&r, "wyb_x", "track.elsewhere");
    assert_eq!(f.evidence["conflicts"][0]["other_waybill_id"], "wyb_0");
    assert_eq!(f.evidence["conflicts"][0]["overlap_s"], 7_200);
    assert!(
        f.evidence["conflicts"][0]["farthest_from_route_m"]
            .as_f64()
            .unwrap()
            > 90_000.0
    );
    // The trip the track follows is not flagged.
    assert_clean(&r, "wyb_0", "track.elsewhere");
}

#[test]
fn consolidated_loads_from_one_place_are_not_elsewhere() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let mut other = s.clone();
    other.waybill_id = wuliu_model::WaybillId::new("wyb_x");
    other.payment_id = wuliu_model::PaymentId::new("pay_x");
    other.to.lat += 0.5; // same loading place, another destination
    input.waybills.push(other.waybill());
    let r = run(&input);
    assert_clean(&r, "wyb_x", "track.elsewhere");
    assert_clean(&r, "wyb_0", "track.elsewhere");
}

// ---- money ----

#[test]
fn payment_to_a_third_party() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    let line = &mut input.payments[0].payment.payments[0];
    line.recipient = "柳州某信息咨询有限公司".into();
    line.account = "9999".into();
    let r = run(&input);
    let f = finding(&r, "wyb_0", "money.third_party");
    assert_eq!(
        f.evidence["payments"][0]["recipient"],
        "柳州某信息咨询有限公司"
    );
    assert_eq!(f.evidence["payments"][0]["amount"], 3_000.0);
    assert_eq!(f.evidence["actual_carrier"], "司机0");
    // A name with stray spaces still matches.
    let mut input = s.input();
    input.payments[0].payment.payments[0].recipient = " 司机 0 ".into();
    assert_clean(&run(&input), "wyb_0", "money.third_party");
}

#[test]
fn payment_lines_do_not_add_up() {
    let s = TripSpec::clean(0);
    let mut input = s.input();
    input.payments[0].payment.payments[0].amount = Yuan(2_000.0);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "money.totals");
    assert_eq!(f.evidence["records"][0]["difference"], -1_000.0);
    assert_clean(&r, "wyb_0", "doc.amount_mismatch");
    // Within the 1-yuan tolerance.
    let mut input = s.input();
    input.payments[0].payment.payments[0].amount = Yuan(2_999.5);
    assert_clean(&run(&input), "wyb_0", "money.totals");
}

#[test]
fn one_account_collecting_for_many_drivers() {
    let pooled = |n: usize| {
        let mut input = clean_fleet(6);
        for p in input.payments.iter_mut().take(n) {
            p.payment.payments[0].account = "6222POOL".into();
        }
        run(&input)
    };
    let r = pooled(5);
    let f = finding(&r, "wyb_0", "money.shared_account");
    assert_eq!(f.evidence["accounts"][0]["account"], "6222POOL");
    assert_eq!(f.evidence["accounts"][0]["distinct_drivers"], 5);
    assert_eq!(f.evidence["accounts"][0]["distinct_vehicles"], 5);
    assert_clean(&r, "wyb_5", "money.shared_account");
    let r = pooled(4);
    assert_clean(&r, "wyb_0", "money.shared_account");
}

// ---- driving ----

#[test]
fn overspeed_for_several_minutes() {
    let s = TripSpec::clean(0);
    let mut track = s.straight_track(30);
    for i in 50..60 {
        track.speed_kmh[i] = 115.0;
    }
    track.speed_kmh[120] = 130.0; // a single fix: shorter than 60 s
    let mut input = MonitorInput::default();
    s.add_to(&mut input, track);
    let r = run(&input);
    let f = finding(&r, "wyb_0", "driving.overspeed");
    assert_eq!(f.evidence["count"], 1);
    assert_eq!(f.evidence["episodes"][0]["seconds"], 270);
    assert_eq!(f.evidence["episodes"][0]["max_kmh"], 115.0);
    assert_eq!(
        f.evidence["episodes"][0]["from"],
        "2026-03-02T09:25:00+08:00"
    );
    assert_clean(&r, "wyb_0", "driving.night_speed");
    assert_clean(&run(&s.input()), "wyb_0", "driving.overspeed");
}

#[test]
fn fatigue_five_hours_non_stop() {
    let mut s = TripSpec::clean(0);
    s.receipt = s.despatch + Duration::hours(5);
    s.to.lon += 1.96; // about 300 km at 60 km/h
    let r = run(&s.input());
    let f = finding(&r, "wyb_0", "driving.fatigue");
    assert_eq!(f.evidence["longest_hours"], 5.0);
    assert_eq!(f.evidence["spells"][0]["from"], "2026-03-02T09:00:00+08:00");
    assert_eq!(rules_of(&r, "wyb_0"), ["driving.fatigue"]);
}

#[test]
fn five_hours_with_a_half_hour_rest_is_not_fatigue() {
    let mut s = TripSpec::clean(0);
    s.receipt = s.despatch + Duration::hours(5);
    s.to.lon += 1.96;
    let mut track = s.straight_track(30);
    let (a, b) = (
        s.despatch.timestamp() + 2 * 3600,
        s.despatch.timestamp() + 2 * 3600 + 1_800,
    );
    // Stand still for 30 minutes after two hours, then make up the time.
    let stop = track.range(a, b);
    let (lat, lon) = (track.lat[stop.start], track.lon[stop.start]);
    for i in stop {
        track.lat[i] = lat;
        track.lon[i] = lon;
        track.speed_kmh[i] = 0.0;
    }
    let mut input = MonitorInput::default();
    s.add_to(&mut input, track);
    let r = run(&input);
    assert_clean(&r, "wyb_0", "driving.fatigue");
}

#[test]
fn night_speed_above_eighty_percent() {
    let mut s = TripSpec::clean(0);
    s.despatch = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap(); // 23:00 Beijing
    s.receipt = s.despatch + Duration::minutes(80); // 120 km in 80 min = 90 km/h
    let r = run(&s.input());
    let f = finding(&r, "wyb_0", "driving.night_speed");
    assert_eq!(f.evidence["limit_kmh"], 80.0);
    assert_eq!(
        f.evidence["episodes"][0]["from"],
        "2026-03-02T23:00:00+08:00"
    );
    assert_clean(&r, "wyb_0", "driving.overspeed");
    // The same speed by day is within the limit.
    s.despatch = Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(); // 10:00 Beijing
    s.receipt = s.despatch + Duration::minutes(80);
    assert!(run(&s.input()).waybills[0].findings.is_empty());
}
