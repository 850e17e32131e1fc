//! A synthetic day for the monitoring engine: 10,000 waybills and 5,000,000 positions (4,000 vehicles,
//! a fix every 30 s from 06:00 to 16:38 Beijing time), seeded, with about 5 % of the waybills carrying
//! one injected anomaly. Fixes carry about 10 m of GNSS jitter and 2 % are lost. Runs `evaluate` with straight-line costs and prints the time, the findings per
//! rule, and recall / precision of the rule that should catch each injected anomaly kind.
//!
//! Run: `cargo bench -p wuliu-monitor --bench day` (set `MONITOR_BENCH_VEHICLES` to scale down).

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use chrono::{NaiveDate, TimeZone, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_model::{GeoPoint, StraightLine, VehicleId, WaybillId};
use wuliu_monitor::fixture::TripSpec;
use wuliu_monitor::{Monitor, MonitorInput, RuleConfig, Track};

/// Fixes planned per vehicle; with 2 % lost, 4,000 vehicles give about 5,000,000 positions.
const FIXES_PER_VEHICLE: i64 = 1_276;
const INTERVAL_S: i64 = 30;
/// Anomalous vehicles per kind, per 4,000 vehicles.
const PER_KIND: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Ghost,
    Borrowed,
    Detour,
    Teleport,
    ThirdParty,
    ExpiredCertificate,
    Overweight,
    Fatigue,
    Overspeed,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Ghost,
        Kind::Borrowed,
        Kind::Detour,
        Kind::Teleport,
        Kind::ThirdParty,
        Kind::ExpiredCertificate,
        Kind::Overweight,
        Kind::Fatigue,
        Kind::Overspeed,
    ];
    fn rule(self) -> &'static str {
        match self {
            Kind::Ghost => "track.ghost",
            Kind::Borrowed => "track.borrowed",
            Kind::Detour => "track.distance",
            Kind::Teleport => "track.teleport",
            Kind::ThirdParty => "money.third_party",
            Kind::ExpiredCertificate => "doc.vehicle_certificate",
            Kind::Overweight => "doc.overweight",
            Kind::Fatigue => "driving.fatigue",
            Kind::Overspeed => "driving.overspeed",
        }
    }
}

/// One planned trip of a vehicle.
struct Leg {
    start: i64,
    end: i64,
    points: Vec<GeoPoint>,
    speed: f64,
    kind: Option<Kind>,
}

/// Moves `p` by `metres` on `bearing` radians (flat-earth, fine at these distances).
fn offset(p: GeoPoint, metres: f64, bearing: f64) -> GeoPoint {
    let dlat = metres * bearing.cos() / 111_195.0;
    let dlon = metres * bearing.sin() / (111_195.0 * p.lat.to_radians().cos());
    GeoPoint {
        lat: p.lat + dlat,
        lon: p.lon + dlon,
    }
}

/// Plans a vehicle's day of `n` trips from a random start; `fatigue` makes the first trip 5 h.
fn plan(
    rng: &mut ChaCha8Rng,
    day0: i64,
    n: usize,
    fatigue: bool,
    detour: Option<usize>,
) -> Vec<Leg> {
    let mut at = GeoPoint {
        lat: rng.gen_range(22.5..25.5),
        lon: rng.gen_range(107.0..110.5),
    };
    let mut t = day0 + rng.gen_range(0..1_200);
    let mut legs = Vec::new();
    for j in 0..n {
        let hours = match (n, fatigue && j == 0) {
            (_, true) => 5.0,
            (3, _) => rng.gen_range(2.3..2.8),
            _ => rng.gen_range(3.0..3.8),
        };
        let dur = (hours * 3_600.0) as i64;
        let speed = rng.gen_range(55.0..75.0);
        let d = speed / 3.6 * dur as f64;
        let bearing = rng.gen_range(0.0..std::f64::consts::TAU);
        let (points, kind) = if detour == Some(j) {
            let l = d / 2.6;
            let h = ((d / 2.0).powi(2) - (l / 2.0).powi(2)).sqrt();
            let b = offset(at, l, bearing);
            let w = offset(
                offset(at, l / 2.0, bearing),
                h,
                bearing + std::f64::consts::FRAC_PI_2,
            );
            (vec![at, w, b], Some(Kind::Detour))
        } else {
            (vec![at, offset(at, d, bearing)], None)
        };
        at = *points.last().unwrap();
        let kind = kind.or((fatigue && j == 0).then_some(Kind::Fatigue));
        legs.push(Leg {
            start: t,
            end: t + dur,
            points,
            speed,
            kind,
        });
        t += dur + rng.gen_range(1_500..2_400);
    }
    legs
}

/// The position along a polyline after `along` metres.
fn along_polyline(points: &[GeoPoint], mut along: f64) -> GeoPoint {
    for w in points.windows(2) {
        let len = wuliu_monitor::geo::dist(w[0], w[1]);
        if along <= len {
            let f = if len > 0.0 { along / len } else { 0.0 };
            return GeoPoint {
                lat: w[0].lat + f * (w[1].lat - w[0].lat),
                lon: w[0].lon + f * (w[1].lon - w[0].lon),
            };
        }
        along -= len;
    }
    *points.last().unwrap()
}

/// The vehicle's fixes for the whole day: parked between trips, moving on them.
fn track_of(rng: &mut ChaCha8Rng, day0: i64, legs: &[Leg]) -> Track {
    let mut tr = Track::with_capacity(FIXES_PER_VEHICLE as usize);
    let mut parked = legs[0].points[0];
    let mut li = 0;
    for k in 0..FIXES_PER_VEHICLE {
        let t = day0 + k * INTERVAL_S;
        while li < legs.len() && t > legs[li].end {
            parked = *legs[li].points.last().unwrap();
            li += 1;
        }
        let Some(leg) = legs.get(li).filter(|l| t >= l.start) else {
            tr.push_raw(t, parked.lat, parked.lon, 0.0);
            continue;
        };
        let mut p = along_polyline(&leg.points, leg.speed / 3.6 * (t - leg.start) as f64);
        let mid = (leg.start + leg.end) / 2;
        let mut v = leg.speed + rng.gen_range(-3.0..3.0);
        match leg.kind {
            Some(Kind::Teleport) if (mid..mid + 180).contains(&t) => p.lat += 0.3,
            Some(Kind::Overspeed) if (mid..mid + 300).contains(&t) => v = 112.0,
            _ => {}
        }
        // GNSS noise: about 10 m of jitter, and 2 % of fixes lost.
        if rng.gen_bool(0.98) {
            let (jlat, jlon) = (rng.gen_range(-1e-4..1e-4), rng.gen_range(-1e-4..1e-4));
            tr.push_raw(t, p.lat + jlat, p.lon + jlon, v as f32);
        }
    }
    tr
}

struct Day {
    input: MonitorInput,
    truth: BTreeMap<Kind, HashSet<WaybillId>>,
}

/// Which vehicles carry which anomaly, and whose track each borrower copies.
struct Assignment {
    kind_of: Vec<Option<Kind>>,
    borrowed_from: Vec<Option<usize>>,
}

fn trips(vehicles: usize, v: usize) -> usize {
    if v < vehicles / 2 {
        3
    } else {
        2
    }
}

/// Picks `per_kind` distinct vehicles per anomaly kind (pairs of neighbours for borrowed tracks).
fn assign(rng: &mut ChaCha8Rng, vehicles: usize, per_kind: usize) -> Assignment {
    let mut order: Vec<usize> = (0..vehicles).collect();
    order.shuffle(rng);
    let mut kind_of: Vec<Option<Kind>> = vec![None; vehicles];
    let mut borrowed_from: Vec<Option<usize>> = vec![None; vehicles];
    let mut it = order.into_iter();
    for _ in 0..per_kind / 2 {
        // y = x + 1 has as many trips as x and uploads x's track as its own.
        let x = it
            .by_ref()
            .find(|&x| {
                x + 1 < vehicles
                    && kind_of[x].is_none()
                    && kind_of[x + 1].is_none()
                    && trips(vehicles, x) == trips(vehicles, x + 1)
            })
            .unwrap();
        kind_of[x] = Some(Kind::Borrowed);
        kind_of[x + 1] = Some(Kind::Borrowed);
        borrowed_from[x + 1] = Some(x);
    }
    for kind in Kind::ALL.into_iter().filter(|k| *k != Kind::Borrowed) {
        for _ in 0..per_kind {
            let v = it
                .by_ref()
                .find(|&v| {
                    kind_of[v].is_none() && (kind != Kind::Fatigue || trips(vehicles, v) == 2)
                })
                .unwrap();
            kind_of[v] = Some(kind);
        }
    }
    Assignment {
        kind_of,
        borrowed_from,
    }
}

/// Adds the waybill and fund-flow record of trip `j` of vehicle `base`, with its anomaly if any.
fn add_waybill(
    day: &mut Day,
    rng: &mut ChaCha8Rng,
    base: &TripSpec,
    j: usize,
    leg: &Leg,
    this: Option<Kind>,
) {
    let mut s = base.clone();
    let v = &base.vehicle_id.as_str()[4..];
    s.waybill_id = WaybillId::new(format!("wyb_{v}_{j}"));
    s.payment_id = wuliu_model::PaymentId::new(format!("pay_{v}_{j}"));
    (s.from, s.to) = (leg.points[0], *leg.points.last().unwrap());
    s.despatch = Utc.timestamp_opt(leg.start, 0).unwrap();
    s.receipt = Utc.timestamp_opt(leg.end, 0).unwrap();
    s.goods_kg = rng.gen_range(10_000.0..29_000.0);
    s.amount = rng.gen_range(1_000.0..5_000.0f64).round();
    if this == Some(Kind::Overweight) {
        s.goods_kg = s.rated_load_kg * 1.2;
    }
    if this == Some(Kind::Ghost) {
        // The waybill names a registered vehicle that reported nothing.
        s.vehicle_id = VehicleId::new(format!("veh_ghost_{v}"));
        day.input.vehicles.insert(s.vehicle_id.clone(), s.vehicle());
    }
    let mut payment = s.payment();
    if this == Some(Kind::ThirdParty) {
        payment.payment.payments[0].recipient = "某物流信息咨询有限公司".into();
        payment.payment.payments[0].account = format!("7777{v}");
    }
    if let Some(k) = this {
        day.truth.entry(k).or_default().insert(s.waybill_id.clone());
    }
    day.input.waybills.push(s.waybill());
    day.input.payments.push(payment);
}

fn generate(vehicles: usize, seed: u64) -> Day {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let day0 = Utc
        .with_ymd_and_hms(2026, 3, 1, 22, 0, 0)
        .unwrap()
        .timestamp(); // 06:00 Beijing
    let a = assign(&mut rng, vehicles, (PER_KIND * vehicles / 4_000).max(1));
    let mut day = Day {
        input: MonitorInput::default(),
        truth: BTreeMap::new(),
    };
    let mut plans: Vec<Vec<Leg>> = Vec::with_capacity(vehicles);
    let start = Instant::now();
    for v in 0..vehicles {
        let (kind, n) = (a.kind_of[v], trips(vehicles, v));
        let pick = rng.gen_range(0..n);
        let detour = (kind == Some(Kind::Detour)).then_some(pick);
        let mut legs = plan(&mut rng, day0, n, kind == Some(Kind::Fatigue), detour);
        if let Some(k @ (Kind::Teleport | Kind::Overspeed)) = kind {
            legs[pick].kind = Some(k);
        }
        let base = TripSpec::clean(v);
        let track = match a.borrowed_from[v] {
            Some(x) => {
                legs = plans[x]
                    .iter()
                    .map(|l| Leg {
                        points: l.points.clone(),
                        kind: None,
                        ..*l
                    })
                    .collect();
                let mut t = day.input.tracks[&VehicleId::new(format!("veh_{x}"))].clone();
                t.lat
                    .iter_mut()
                    .for_each(|l| *l += rng.gen_range(-1e-4..1e-4));
                t
            }
            None => track_of(&mut rng, day0, &legs),
        };
        let mut vehicle = base.vehicle();
        if kind == Some(Kind::ExpiredCertificate) {
            vehicle.transport_certificate.as_mut().unwrap().expires =
                NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        }
        day.input.vehicles.insert(base.vehicle_id.clone(), vehicle);
        day.input
            .drivers
            .insert(base.driver_id.clone(), base.driver());
        day.input.tracks.insert(base.vehicle_id.clone(), track);
        for (j, leg) in legs.iter().enumerate() {
            let this = match kind {
                Some(Kind::Fatigue) => kind.filter(|_| j == 0),
                Some(Kind::Borrowed | Kind::ExpiredCertificate) => kind,
                Some(k) => (j == pick).then_some(k),
                None => None,
            };
            add_waybill(&mut day, &mut rng, &base, j, leg, this);
        }
        plans.push(legs);
        if (v + 1) % 500 == 0 || v + 1 == vehicles {
            eprint!(
                "\rgenerating: {:>5}/{vehicles} vehicles, {:.1} s",
                v + 1,
                start.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!();
    day
}

fn main() {
    let vehicles: usize = std::env::var("MONITOR_BENCH_VEHICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4_000);
    let day = generate(vehicles, 20260302);
    let input = &day.input;
    println!(
        "day: {} waybills, {} positions, {} vehicles, {} payments; threads {}",
        input.waybills.len(),
        input.position_count(),
        input.vehicles.len(),
        input.payments.len(),
        rayon::current_num_threads()
    );
    let config = RuleConfig::default();
    let costs = StraightLine::default();
    let t0 = Instant::now();
    eprint!("indexing…");
    let monitor = Monitor::new(input, &config);
    let t_index = t0.elapsed();
    eprintln!(" {:.2} s; evaluating…", t_index.as_secs_f64());
    let report = monitor.evaluate(&costs);
    let total = t0.elapsed();
    println!(
        "evaluate: {:.2} s total (indexes {:.2} s, rules and roll-ups {:.2} s) — goal ≤ 30 s: {}",
        total.as_secs_f64(),
        t_index.as_secs_f64(),
        (total - t_index).as_secs_f64(),
        if total.as_secs_f64() <= 30.0 {
            "met"
        } else {
            "MISSED"
        }
    );
    let abnormal = report.waybills.iter().filter(|w| w.abnormal).count();
    println!(
        "abnormal waybills: {abnormal} of {} ({:.2} %)",
        report.waybills.len(),
        100.0 * abnormal as f64 / report.waybills.len() as f64
    );
    println!("\nfindings per rule:");
    for (rule, n) in &report.rule_counts {
        println!("  {rule:<26} {n:>6}");
    }
    println!("\ninjected kind → rule: injected, flagged, recall, precision");
    for kind in Kind::ALL {
        let truth = day.truth.get(&kind).cloned().unwrap_or_default();
        let flagged: HashSet<&WaybillId> = report
            .waybills
            .iter()
            .filter(|w| w.findings.iter().any(|f| f.rule == kind.rule()))
            .map(|w| &w.waybill_id)
            .collect();
        let hit = flagged.iter().filter(|id| truth.contains(**id)).count();
        let ratio = |a: usize, b: usize| {
            if b == 0 {
                f64::NAN
            } else {
                a as f64 / b as f64
            }
        };
        println!(
            "  {:<20} {:<24} {:>5} {:>6} {:>7.3} {:>9.3}",
            format!("{kind:?}"),
            kind.rule(),
            truth.len(),
            flagged.len(),
            ratio(hit, truth.len()),
            ratio(hit, flagged.len())
        );
    }
    let t = Instant::now();
    let json = serde_json::to_vec(&report).unwrap();
    println!(
        "\nreport JSON: {:.1} MB in {:.2} s",
        json.len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
}
