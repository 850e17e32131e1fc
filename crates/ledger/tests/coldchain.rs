//! Cold-chain analysis scenarios: compliant, short and long excursions, recording gaps,
//! hand-over checks, frozen class; all through the ledger's chain of custody.

mod common;
use common::*;
use serde_json::Value;
use wuliu_ledger::coldchain::{
    analyse, ColdChainPolicy, LegKind, LotStatus, Side, TemperatureClass,
};
use wuliu_ledger::validate::parse_stored_event;
use wuliu_ledger::Ledger;

/// Readings every `step` minutes from `from` to `to` at `celsius`, except where `f` overrides.
fn series(from: i64, to: i64, step: i64, f: impl Fn(i64) -> f64) -> Vec<(i64, f64)> {
    (from..=to)
        .step_by(step as usize)
        .map(|m| (m, f(m)))
        .collect()
}

/// A lot shipped from the plant at 0 on a pallet, received at the DC at 120; readings as given.
fn journey(readings: &[(i64, f64)], receive_at: &str) -> Vec<Value> {
    let in_transit: Vec<(i64, f64)> = readings.iter().copied().filter(|(m, _)| *m < 120).collect();
    let stored: Vec<(i64, f64)> = readings
        .iter()
        .copied()
        .filter(|(m, _)| *m >= 120)
        .collect();
    vec![
        aggregate(-5, "ADD", PALLET, &[], &[CUT_LOT]),
        with_temps(
            to_destination(object(0, "shipping", PLANT, &[PALLET], &[]), DC),
            &in_transit,
        ),
        with_temps(
            object(120, "receiving", receive_at, &[PALLET], &[]),
            &stored,
        ),
        object(180, "storing", receive_at, &[], &[CUT_LOT]),
    ]
}

fn report_for(events: Vec<Value>, policy: &ColdChainPolicy) -> wuliu_ledger::coldchain::LotReport {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(events), &admin()).unwrap();
    ledger.lot_report(CUT_LOT, policy).unwrap()
}

fn chilled() -> ColdChainPolicy {
    ColdChainPolicy::for_class(TemperatureClass::Chilled)
}

fn codes(r: &wuliu_ledger::coldchain::LotReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn steady_chilled_journey_is_compliant_with_two_legs() {
    let r = report_for(journey(&series(-5, 180, 5, |_| 2.5), DC), &chilled());
    assert_eq!(r.status, LotStatus::Compliant, "{:?}", r.findings);
    assert!(r.excursions.is_empty() && r.gaps.is_empty());
    assert_eq!(r.cumulative_out_of_range.0, 0.0);
    let kinds: Vec<LegKind> = r.legs.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        vec![LegKind::Storage, LegKind::Transit, LegKind::Storage]
    );
    assert_eq!(r.legs[1].destination.as_deref(), Some(DC));
    assert_eq!(r.legs[2].location.as_deref(), Some(DC));
    assert_eq!(r.handovers.len(), 2);
    assert!(r
        .handovers
        .iter()
        .all(|h| h.issues.is_empty() && h.in_range == Some(true)));
    assert_eq!(r.readings, 38);
}

#[test]
fn short_shallow_excursion_is_at_risk_with_exact_figures() {
    // 5.5 °C from minute 40 to 55 inclusive; back in range at 60: 20 minutes, 1.5 °C above.
    let r = report_for(
        journey(
            &series(
                -5,
                180,
                5,
                |m| if (40..=55).contains(&m) { 5.5 } else { 3.0 },
            ),
            DC,
        ),
        &chilled(),
    );
    assert_eq!(r.status, LotStatus::AtRisk);
    assert_eq!(r.excursions.len(), 1);
    let x = &r.excursions[0];
    assert_eq!(x.duration.0, 20.0 * 60.0);
    assert!((x.peak_deviation.0 - 1.5).abs() < 1e-9);
    assert_eq!(x.side, Side::Above);
    assert!(!x.open);
    assert_eq!(x.leg, 1, "during transit");
    assert_eq!(r.legs[1].out_of_range.0, 1200.0);
    assert_eq!(r.cumulative_out_of_range.0, 1200.0);
    assert_eq!(codes(&r), vec!["excursion.short"]);
}

#[test]
fn long_or_deep_excursions_are_violations() {
    // 45 minutes above range (limit 30).
    let r = report_for(
        journey(
            &series(
                -5,
                180,
                5,
                |m| if (30..=70).contains(&m) { 5.0 } else { 3.0 },
            ),
            DC,
        ),
        &chilled(),
    );
    assert_eq!(r.status, LotStatus::Violated);
    assert!(codes(&r).contains(&"excursion.long"));
    // 10 minutes but 4 °C too warm (peak limit 2 °C).
    let r = report_for(
        journey(&series(-5, 180, 5, |m| if m == 50 { 8.0 } else { 3.0 }), DC),
        &chilled(),
    );
    assert_eq!(r.status, LotStatus::Violated);
    assert_eq!(codes(&r)[0], "excursion.deep");
    // Too cold counts as well: freezing chilled meat.
    let r = report_for(
        journey(
            &series(
                -5,
                180,
                5,
                |m| if (60..=100).contains(&m) { -1.0 } else { 3.0 },
            ),
            DC,
        ),
        &chilled(),
    );
    assert_eq!(r.excursions[0].side, Side::Below);
    assert_eq!(r.status, LotStatus::Violated);
}

#[test]
fn recording_gaps_are_found_per_leg() {
    // No reading between minute 30 and 75 (45 min > 10 min).
    let readings: Vec<(i64, f64)> = series(-5, 180, 5, |_| 3.0)
        .into_iter()
        .filter(|(m, _)| !(31..75).contains(m))
        .collect();
    let r = report_for(journey(&readings, DC), &chilled());
    assert_eq!(r.status, LotStatus::AtRisk);
    assert_eq!(r.gaps.len(), 1);
    assert_eq!(r.gaps[0].duration.0, 45.0 * 60.0);
    assert_eq!(r.gaps[0].leg, 1);
    assert_eq!(r.legs[1].gaps, 1);
    assert_eq!(codes(&r), vec!["gap"]);
}

#[test]
fn handover_checks() {
    // Received out of range: a violation even though short.
    let r = report_for(
        journey(
            &series(-5, 180, 5, |m| if m == 120 { 4.5 } else { 3.0 }),
            DC,
        ),
        &chilled(),
    );
    assert_eq!(r.status, LotStatus::Violated);
    assert!(codes(&r).contains(&"handover.out_of_range"));
    // Received somewhere other than the shipment's destination.
    let r = report_for(journey(&series(-5, 180, 5, |_| 3.0), SHOP), &chilled());
    assert_eq!(r.status, LotStatus::AtRisk);
    assert_eq!(codes(&r), vec!["handover.destination_mismatch"]);
    // No reading near the receipt (readings stop at 100; analysis also flags the gap).
    let r = report_for(journey(&series(-5, 100, 5, |_| 3.0), DC), &chilled());
    assert!(codes(&r).contains(&"handover.no_reading"));
    assert!(codes(&r).contains(&"gap"));
}

#[test]
fn frozen_class_and_fahrenheit_readings() {
    let frozen = ColdChainPolicy::for_class(TemperatureClass::Frozen);
    let r = report_for(journey(&series(-5, 180, 5, |_| -20.0), DC), &frozen);
    assert_eq!(r.status, LotStatus::Compliant);
    assert!(r.reference.contains("GB/T 28577"));
    // The same journey judged as chilled is one long excursion below range.
    let r = report_for(journey(&series(-5, 180, 5, |_| -20.0), DC), &chilled());
    assert_eq!(r.status, LotStatus::Violated);
    assert_eq!(r.excursions.len(), 1);
    assert!(r.excursions[0].open);
}

#[test]
fn analysis_is_a_pure_function_of_the_events() {
    let events: Vec<wuliu_ledger::Event> =
        journey(&series(-5, 180, 5, |m| if m == 50 { 5.0 } else { 3.0 }), DC)
            .into_iter()
            .map(|mut v| {
                v["eventID"] = Value::String(format!("urn:uuid:{}", uuid_like(&v)));
                parse_stored_event(v.to_string().as_bytes()).unwrap()
            })
            .collect();
    let mut reversed = events.clone();
    reversed.reverse();
    let a = analyse(CUT_LOT, &events, &chilled());
    let b = analyse(CUT_LOT, &reversed, &chilled());
    assert_eq!(a, b);
    assert_eq!(a.status, LotStatus::AtRisk);
    let empty = analyse(CUT_LOT, &[], &chilled());
    assert_eq!(empty.status, LotStatus::AtRisk);
    assert_eq!(empty.findings[0].code, "no_events");
}

fn uuid_like(v: &Value) -> String {
    let h = wuliu_ledger::hash::leaf_hash(v.to_string().as_bytes()).to_hex();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}
