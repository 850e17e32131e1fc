//! The analysis itself.

use super::classes::{ColdChainPolicy, Side};
use super::report::{
    Excursion, Finding, Gap, HandoverCheck, LegKind, LegReport, LotReport, LotStatus, Severity,
};
use crate::event::Event;
use chrono::{DateTime, Utc};
use wuliu_model::{Celsius, Seconds};

/// Steps that open a transit leg.
const OUTBOUND: &[&str] = &["shipping", "departing", "loading"];
/// Steps that open a storage leg.
const INBOUND: &[&str] = &["receiving", "arriving", "accepting", "unloading"];

struct Reading<'a> {
    t: i64,
    low: f64,
    high: f64,
    event_id: &'a str,
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn secs(ms: i64) -> Seconds {
    Seconds(ms as f64 / 1000.0)
}

/// Analyses the temperature history of `subject` from `events` (any order; typically its chain
/// of custody) under `policy`. Cost: O(e log e + r log r) for e events and r readings.
pub fn analyse(subject: &str, events: &[Event], policy: &ColdChainPolicy) -> LotReport {
    let range = policy.class.range();
    let mut evs: Vec<&Event> = events.iter().collect();
    evs.sort_by_key(|e| e.event_time.timestamp_millis());
    let mut readings: Vec<Reading> = evs
        .iter()
        .flat_map(|e| {
            e.temperatures().filter_map(move |r| {
                Some(Reading {
                    t: r.time.timestamp_millis(),
                    low: r.low()?,
                    high: r.high()?,
                    event_id: &e.event_id,
                })
            })
        })
        .collect();
    readings.sort_by_key(|r| r.t);
    // The same reading captured twice (e.g. by pallet and truck) counts once.
    readings.dedup_by(|a, b| a.t == b.t && a.low == b.low && a.high == b.high);

    let mut report = LotReport {
        subject: subject.to_string(),
        status: LotStatus::Compliant,
        class: policy.class,
        range,
        reference: policy.class.reference().to_string(),
        events: evs.len(),
        readings: readings.len(),
        start: None,
        end: None,
        cumulative_out_of_range: Seconds(0.0),
        legs: Vec::new(),
        excursions: Vec::new(),
        gaps: Vec::new(),
        handovers: Vec::new(),
        findings: Vec::new(),
    };
    let (Some(first), Some(last)) = (evs.first(), evs.last()) else {
        report.status = LotStatus::AtRisk;
        report.findings.push(Finding {
            severity: Severity::Risk,
            code: "no_events".into(),
            message: "no event found for this lot".into(),
            time: None,
            leg: None,
            event_ids: vec![],
        });
        return report;
    };
    let start = first.event_time.timestamp_millis();
    let end = last
        .event_time
        .timestamp_millis()
        .max(readings.last().map_or(i64::MIN, |r| r.t));
    report.start = Some(time(start));
    report.end = Some(time(end));

    // Legs, delimited by hand-over events.
    struct LegSpan {
        start: i64,
        kind: LegKind,
        location: Option<String>,
        destination: Option<String>,
    }
    let mut spans = vec![LegSpan {
        start,
        kind: LegKind::Storage,
        location: first
            .biz_location
            .clone()
            .or_else(|| first.read_point.clone()),
        destination: None,
    }];
    for e in &evs {
        let Some(step) = e.biz_step.as_deref() else {
            continue;
        };
        let kind = if OUTBOUND.contains(&step) {
            LegKind::Transit
        } else if INBOUND.contains(&step) {
            LegKind::Storage
        } else {
            continue;
        };
        let t = e.event_time.timestamp_millis();
        let span = LegSpan {
            start: t,
            kind,
            location: e.biz_location.clone().or_else(|| e.read_point.clone()),
            destination: e
                .destinations
                .iter()
                .find(|d| d.kind == "location")
                .or(e.destinations.first())
                .map(|d| d.id.clone()),
        };
        let last_span = spans.last_mut().expect("non-empty");
        if last_span.start == t {
            // Same instant: the later step describes the state from here on.
            *last_span = span;
        } else if last_span.kind != kind {
            spans.push(span);
        }
    }
    let leg_of = |t: i64| spans.iter().rposition(|s| s.start <= t).unwrap_or(0);
    let leg_end = |i: usize| spans.get(i + 1).map_or(end, |s| s.start);

    // Excursions.
    let mut i = 0;
    while i < readings.len() {
        let (dev, side) = range.deviation(readings[i].low, readings[i].high);
        let Some(side) = side else {
            i += 1;
            continue;
        };
        let s = readings[i].t;
        let mut peak = dev;
        let mut ids: Vec<String> = vec![readings[i].event_id.to_string()];
        let mut j = i + 1;
        while j < readings.len() {
            let (d, sd) = range.deviation(readings[j].low, readings[j].high);
            if sd.is_none() {
                break;
            }
            peak = peak.max(d);
            if ids.last().map(String::as_str) != Some(readings[j].event_id) {
                ids.push(readings[j].event_id.to_string());
            }
            j += 1;
        }
        let open = j == readings.len();
        let e_end = if open {
            readings[j - 1].t
        } else {
            readings[j].t
        };
        report.excursions.push(Excursion {
            start: time(s),
            end: time(e_end),
            duration: secs(e_end - s),
            peak_deviation: Celsius(peak),
            side,
            open,
            leg: leg_of(s),
            event_ids: ids,
        });
        i = j;
    }
    let total_out: i64 = report
        .excursions
        .iter()
        .map(|x| x.end.timestamp_millis() - x.start.timestamp_millis())
        .sum();
    report.cumulative_out_of_range = secs(total_out);

    // Gaps between records, including from the start and up to the end of custody.
    let max_gap = (policy.max_recording_interval.0 * 1000.0) as i64;
    let mut prev = start;
    for t in readings.iter().map(|r| r.t).chain(std::iter::once(end)) {
        if t - prev > max_gap {
            report.gaps.push(Gap {
                start: time(prev),
                end: time(t),
                duration: secs(t - prev),
                leg: leg_of(prev),
            });
        }
        prev = prev.max(t);
    }

    // Per-leg figures.
    for (li, span) in spans.iter().enumerate() {
        let (ls, le) = (span.start, leg_end(li));
        let in_leg: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.t >= ls && (r.t < le || (li + 1 == spans.len() && r.t <= le)))
            .collect();
        let out: i64 = report
            .excursions
            .iter()
            .map(|x| {
                let a = x.start.timestamp_millis().max(ls);
                let b = x.end.timestamp_millis().min(le);
                (b - a).max(0)
            })
            .sum();
        report.legs.push(LegReport {
            index: li,
            kind: span.kind,
            start: time(ls),
            end: time(le),
            location: span.location.clone(),
            destination: span.destination.clone(),
            readings: in_leg.len(),
            min_temperature: in_leg.iter().map(|r| r.low).reduce(f64::min).map(Celsius),
            max_temperature: in_leg.iter().map(|r| r.high).reduce(f64::max).map(Celsius),
            out_of_range: secs(out),
            excursions: report.excursions.iter().filter(|x| x.leg == li).count(),
            gaps: report.gaps.iter().filter(|g| g.leg == li).count(),
        });
    }

    // Hand-over checks.
    let window = (policy.handover_reading_window.0 * 1000.0) as i64;
    let mut last_outbound: Option<&Event> = None;
    for e in &evs {
        let Some(step) = e.biz_step.as_deref() else {
            continue;
        };
        let outbound = OUTBOUND.contains(&step);
        let inbound = INBOUND.contains(&step);
        if !outbound && !inbound {
            continue;
        }
        let t = e.event_time.timestamp_millis();
        let nearest = readings
            .iter()
            .filter(|r| (r.t - t).abs() <= window)
            .min_by_key(|r| (r.t - t).abs());
        let mut issues = Vec::new();
        let (temperature, in_range) = match nearest {
            Some(r) => {
                let (_, side) = range.deviation(r.low, r.high);
                let shown = if side == Some(Side::Below) {
                    r.low
                } else {
                    r.high
                };
                (Some(Celsius(shown)), Some(side.is_none()))
            }
            None => {
                issues.push("no_reading".to_string());
                (None, None)
            }
        };
        if in_range == Some(false) {
            issues.push("out_of_range".into());
        }
        let location = e.biz_location.clone().or_else(|| e.read_point.clone());
        if inbound {
            if let (Some(ship), Some(here)) = (last_outbound, location.as_deref()) {
                let expected: Vec<&str> = ship
                    .destinations
                    .iter()
                    .filter(|d| d.kind == "location")
                    .map(|d| d.id.as_str())
                    .collect();
                if !expected.is_empty() && !expected.contains(&here) {
                    issues.push("destination_mismatch".into());
                }
            }
        } else {
            last_outbound = Some(e);
        }
        report.handovers.push(HandoverCheck {
            event_id: e.event_id.clone(),
            biz_step: step.to_string(),
            time: time(t),
            location,
            temperature,
            in_range,
            issues,
        });
    }

    // Findings and status.
    let mut findings = Vec::new();
    let tol_ms = (policy.excursion_tolerance.0 * 1000.0) as i64;
    for x in &report.excursions {
        let dur = x.end.timestamp_millis() - x.start.timestamp_millis();
        let side = match x.side {
            Side::Above => "above",
            Side::Below => "below",
        };
        let base = format!(
            "{:.0} min {side} range, peak {:.1} °C beyond the limit{}",
            dur as f64 / 60_000.0,
            x.peak_deviation.0,
            if x.open {
                " (still out of range at the last reading)"
            } else {
                ""
            }
        );
        let (severity, code) = if dur > tol_ms {
            (Severity::Violation, "excursion.long")
        } else if x.peak_deviation.0 > policy.peak_tolerance.0 {
            (Severity::Violation, "excursion.deep")
        } else {
            (Severity::Risk, "excursion.short")
        };
        findings.push(Finding {
            severity,
            code: code.into(),
            message: base,
            time: Some(x.start),
            leg: Some(x.leg),
            event_ids: x.event_ids.clone(),
        });
    }
    if report.cumulative_out_of_range.0 > policy.max_cumulative_out_of_range.0 {
        findings.push(Finding {
            severity: Severity::Violation,
            code: "out_of_range.cumulative".into(),
            message: format!(
                "{:.0} min out of range in total, more than the allowed {:.0} min",
                report.cumulative_out_of_range.0 / 60.0,
                policy.max_cumulative_out_of_range.0 / 60.0
            ),
            time: None,
            leg: None,
            event_ids: vec![],
        });
    }
    if readings.is_empty() {
        findings.push(Finding {
            severity: Severity::Risk,
            code: "no_readings".into(),
            message: "no temperature reading in the chain of custody".into(),
            time: None,
            leg: None,
            event_ids: vec![],
        });
    }
    for g in &report.gaps {
        findings.push(Finding {
            severity: Severity::Risk,
            code: "gap".into(),
            message: format!(
                "no temperature record for {:.0} min (required every {:.0} min)",
                g.duration.0 / 60.0,
                policy.max_recording_interval.0 / 60.0
            ),
            time: Some(g.start),
            leg: Some(g.leg),
            event_ids: vec![],
        });
    }
    for h in &report.handovers {
        for issue in &h.issues {
            let (severity, message) = match issue.as_str() {
                "out_of_range" => (
                    Severity::Violation,
                    format!(
                        "{} at {:.1} °C, outside the allowed range",
                        h.biz_step,
                        h.temperature.map_or(f64::NAN, |c| c.0)
                    ),
                ),
                "no_reading" => (
                    Severity::Risk,
                    format!(
                        "{} without a temperature reading within the hand-over window",
                        h.biz_step
                    ),
                ),
                _ => (
                    Severity::Risk,
                    format!(
                        "{} at a location other than the shipment's destination",
                        h.biz_step
                    ),
                ),
            };
            findings.push(Finding {
                severity,
                code: format!("handover.{issue}"),
                message,
                time: Some(h.time),
                leg: Some(leg_of(h.time.timestamp_millis())),
                event_ids: vec![h.event_id.clone()],
            });
        }
    }
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.time.cmp(&b.time)));
    report.status = match findings.first().map(|f| f.severity) {
        Some(Severity::Violation) => LotStatus::Violated,
        Some(Severity::Risk) => LotStatus::AtRisk,
        None => LotStatus::Compliant,
    };
    report.findings = findings;
    report
}
