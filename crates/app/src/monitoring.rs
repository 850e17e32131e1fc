//! Network-freight monitoring on stored records: gathers a day's waybills with their fund-flow
//! records, vehicles, drivers and tracks, runs the rule engine (`wuliu-monitor`), raises alerts
//! for what it finds, and answers the per-waybill checks and the onboarding check.
//!
//! - A day is a Beijing-time day (UTC+8) of despatch; at most [`MAX_DAY_WAYBILLS`] waybills.
//! - Each track is read for its vehicle's trips only (from the first despatch − 1 h to the last
//!   receipt + 1 h, at most three days), so a run reads what the rules need and no more.
//! - Alerts: one per (waybill, rule) with a warning or critical finding; its ID is derived from
//!   both, so running a day again raises nothing twice. Alerts follow open → acknowledged →
//!   resolved; admins and regulators move them (the one write a regulator has: following up
//!   alerts is the regulator's own work), each step audited.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wuliu_model::{
    Alert, AlertStatus, Driver, DriverId, Payment, TravelCosts, Vehicle, VehicleId, Waybill,
    WaybillId,
};
use wuliu_monitor::{
    rollup::{onboarding_check, CarrierDay, OnboardingConfig, OnboardingReport},
    MonitorInput, MonitorReport, PaymentRecord, RuleConfig, WaybillRecord, WaybillReport,
};
use wuliu_store::{
    Field, FieldType, Filter, Kind, ListQuery, Literal, NewRecord, Op, Record, WriteOp,
};

use crate::audit;
use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::service::{predicted_record, spec_of, Service};

/// Waybills one day's run checks at most.
pub const MAX_DAY_WAYBILLS: usize = 200_000;
/// Longest stretch of track read for one vehicle.
pub const MAX_TRACK_DAYS: i64 = 3;
/// Days the onboarding check looks back over at most.
pub const MAX_ONBOARDING_DAYS: i64 = 60;

/// What a day's run did.
#[derive(Debug, Clone, Serialize)]
pub struct DayRun {
    /// The Beijing day checked.
    pub day: NaiveDate,
    /// Alerts raised now (findings already alerted are not raised again).
    pub alerts_raised: usize,
    /// The engine's report.
    pub report: MonitorReport,
}

/// UTC bounds of a Beijing day.
pub fn beijing_day(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = wuliu_monitor::time::beijing()
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("UTC+8 has no gaps")
        .with_timezone(&Utc);
    (start, start + Duration::days(1))
}

fn time_filter(path: &'static str, op: Op, t: DateTime<Utc>) -> Filter {
    Filter {
        field: Field::Json(vec![path], FieldType::Text),
        op,
        value: Literal::Text(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
    }
}

fn parse<T: serde::de::DeserializeOwned>(rec: &Record) -> Result<T, AppError> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("stored record {} does not parse: {e}", rec.id)))
}

/// The day's waybills of `region` (by despatch time) with everything the rules read.
pub async fn gather_day(
    svc: &Service,
    region: &str,
    day: NaiveDate,
) -> Result<MonitorInput, AppError> {
    let (start, end) = beijing_day(day);
    let q = ListQuery {
        region: Some(region.to_string()),
        filters: vec![
            time_filter("despatch_time", Op::Gte, start),
            time_filter("despatch_time", Op::Lt, end),
        ],
        limit: 1000,
        ..Default::default()
    };
    let records = svc.list_all(Kind::Waybill, q).await?;
    if records.len() > MAX_DAY_WAYBILLS {
        return Err(AppError::too_large(
            "day",
            format!("{day} has more than {MAX_DAY_WAYBILLS} waybills"),
        ));
    }
    let mut waybills = Vec::with_capacity(records.len());
    for r in &records {
        waybills.push(WaybillRecord {
            id: WaybillId::new(r.id.clone()),
            waybill: parse::<Waybill>(r)?,
        });
    }
    complete_input(svc, region, waybills, start - Duration::days(30)).await
}

/// Adds the fund-flow records, vehicles, drivers and tracks of `waybills`.
async fn complete_input(
    svc: &Service,
    region: &str,
    waybills: Vec<WaybillRecord>,
    payments_since: DateTime<Utc>,
) -> Result<MonitorInput, AppError> {
    let mut input = MonitorInput {
        waybills,
        ..Default::default()
    };
    input.payments = payments_of(svc, region, &input.waybills, payments_since).await?;
    for w in &input.waybills {
        if let Some(id) = &w.waybill.vehicle.vehicle_id {
            if !input.vehicles.contains_key(id) {
                if let Some(r) = svc.repo.get(Kind::Vehicle, id.as_str()).await? {
                    input.vehicles.insert(id.clone(), parse::<Vehicle>(&r)?);
                }
            }
        }
        for d in &w.waybill.drivers {
            let Some(id) = &d.driver_id else { continue };
            if !input.drivers.contains_key(id) {
                if let Some(r) = svc.repo.get(Kind::Driver, id.as_str()).await? {
                    input
                        .drivers
                        .insert(DriverId::new(r.id.clone()), parse::<Driver>(&r)?);
                }
            }
        }
    }
    for (vehicle, (from, to)) in trip_windows(&input.waybills) {
        let fixes = svc
            .repo
            .track(vehicle.as_str(), from, to, wuliu_store::MAX_READ_ROWS)
            .await?;
        input.add_positions(&fixes);
    }
    Ok(input)
}

/// Per vehicle, the stretch of time its trips cover (± 1 h, at most [`MAX_TRACK_DAYS`]).
fn trip_windows(waybills: &[WaybillRecord]) -> HashMap<VehicleId, (DateTime<Utc>, DateTime<Utc>)> {
    let mut out: HashMap<VehicleId, (DateTime<Utc>, DateTime<Utc>)> = HashMap::new();
    for w in waybills {
        let (Some(id), Some(start)) = (&w.waybill.vehicle.vehicle_id, w.waybill.despatch_time)
        else {
            continue;
        };
        let end = w
            .waybill
            .receipt_time
            .unwrap_or(start + Duration::days(1))
            .max(start);
        let e = out.entry(id.clone()).or_insert((start, end));
        e.0 = e.0.min(start);
        e.1 = e.1.max(end);
    }
    for (from, to) in out.values_mut() {
        *from -= Duration::hours(1);
        *to = (*to + Duration::hours(1)).min(*from + Duration::days(MAX_TRACK_DAYS));
    }
    out
}

/// Fund-flow records stored since `since` that pay one of the waybills.
async fn payments_of(
    svc: &Service,
    region: &str,
    waybills: &[WaybillRecord],
    since: DateTime<Utc>,
) -> Result<Vec<PaymentRecord>, AppError> {
    let notes: HashSet<&str> = waybills
        .iter()
        .map(|w| w.waybill.shipping_note_number.as_str())
        .collect();
    let q = ListQuery {
        region: Some(region.to_string()),
        filters: vec![Filter {
            field: Field::Column("created_at"),
            op: Op::Gte,
            value: Literal::Text(since.to_rfc3339()),
        }],
        limit: 1000,
        ..Default::default()
    };
    let mut out = Vec::new();
    for r in svc.list_all(Kind::Payment, q).await? {
        let payment: Payment = parse(&r)?;
        if payment
            .waybills
            .iter()
            .any(|w| notes.contains(w.shipping_note_number.as_str()))
        {
            out.push(PaymentRecord {
                id: wuliu_model::PaymentId::new(r.id),
                payment,
            });
        }
    }
    Ok(out)
}

fn check_monitor_role(caller: &Caller) -> Result<(), AppError> {
    if caller.sees_all() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "role",
            "monitoring runs are for admins and regulators",
        ))
    }
}

/// Runs every rule over `day` in the caller's region and raises alerts for what is abnormal.
pub async fn run_day(
    svc: &Service,
    costs: Arc<dyn TravelCosts>,
    caller: &Caller,
    day: NaiveDate,
) -> Result<DayRun, AppError> {
    check_monitor_role(caller)?;
    let input = gather_day(svc, &caller.region, day).await?;
    let report = tokio::task::spawn_blocking(move || {
        wuliu_monitor::evaluate(&input, costs.as_ref(), &RuleConfig::default())
    })
    .await
    .map_err(|e| AppError::Internal(format!("rule engine stopped: {e}")))?;
    let alerts_raised = raise_alerts(svc, caller, &report.waybills).await?;
    Ok(DayRun {
        day,
        alerts_raised,
        report,
    })
}

/// The alert ID of a rule on a waybill.
pub fn alert_id(waybill: &str, rule: &str) -> String {
    let digest = Sha256::digest(format!("{waybill}\u{0}{rule}").as_bytes());
    format!("alr_{}", &hex::encode(digest)[..24])
}

/// Stores an alert for each warning or critical finding not alerted before; returns how many.
async fn raise_alerts(
    svc: &Service,
    caller: &Caller,
    reports: &[WaybillReport],
) -> Result<usize, AppError> {
    let now = Utc::now();
    let mut ops = Vec::new();
    for w in reports {
        for f in w
            .findings
            .iter()
            .filter(|f| f.severity != wuliu_monitor::Severity::Info)
        {
            let id = alert_id(w.waybill_id.as_str(), &f.rule);
            if svc.repo.get(Kind::Alert, &id).await?.is_some() {
                continue;
            }
            let alert = Alert {
                rule: f.rule.clone(),
                severity: serde_json::to_value(f.severity)
                    .expect("severity serialises")
                    .as_str()
                    .unwrap_or("warning")
                    .to_string(),
                message: f.message.clone(),
                waybill_id: Some(w.waybill_id.clone()),
                carrier_id: Some(w.carrier_id.clone()),
                vehicle_id: w.vehicle_id.clone(),
                plate: Some(w.plate.clone()),
                day: w.day,
                detected_at: now,
                evidence: f.evidence.clone(),
                status: AlertStatus::Open,
                note: None,
            };
            ops.push(WriteOp::Insert {
                kind: Kind::Alert,
                rec: alert_record(&id, &caller.region, &alert),
            });
        }
    }
    let raised = ops.len();
    for chunk in ops.chunks(500) {
        let entries = chunk
            .iter()
            .map(|op| audit::entry(caller, "raise", Kind::Alert, None, &predicted_record(op)))
            .collect();
        match svc.repo.commit(chunk.to_vec(), entries).await {
            Ok(_) => {}
            // A concurrent run raised some of them first: nothing is lost, they exist.
            Err(wuliu_store::StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(raised)
}

pub(crate) fn alert_record(id: &str, region: &str, alert: &Alert) -> NewRecord {
    NewRecord {
        id: id.to_string(),
        region: region.to_string(),
        external_id: None,
        owner_party: alert.carrier_id.as_ref().map(|c| c.as_str().to_string()),
        partner_party: None,
        status: Some("open".into()),
        body: serde_json::to_value(alert).expect("alert serialises"),
    }
}

/// Moves an alert along open → acknowledged → resolved with a note (admins and regulators).
pub async fn set_alert_status(
    svc: &Service,
    caller: &Caller,
    id: &str,
    to: AlertStatus,
    note: Option<String>,
) -> Result<Record, AppError> {
    if !matches!(caller.role, Role::Admin | Role::Regulator) {
        return Err(AppError::forbidden(
            "role",
            "alerts are followed up by admins and regulators",
        ));
    }
    let old = svc.get(caller, spec_of(Kind::Alert), id).await?;
    let mut alert: Alert = parse(&old)?;
    if !alert.status.next().contains(&to) {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!(
                "an alert moves open → acknowledged → resolved; it is {:?}",
                alert.status
            ),
        });
    }
    alert.status = to;
    alert.note = note.or(alert.note);
    let mut rec = alert_record(id, &old.region, &alert);
    rec.status = Some(
        serde_json::to_value(to)
            .expect("status serialises")
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
    let op = WriteOp::Update {
        kind: Kind::Alert,
        rec,
        expected_version: old.version,
    };
    let entry = audit::entry(
        caller,
        "transition",
        Kind::Alert,
        Some(&old),
        &predicted_record(&op),
    );
    Ok(svc.repo.commit(vec![op], vec![entry]).await?.remove(0))
}

/// The rules' verdict on one waybill now, with evidence (whoever may read the waybill).
pub async fn waybill_checks(
    svc: &Service,
    costs: Arc<dyn TravelCosts>,
    caller: &Caller,
    waybill_id: &str,
) -> Result<Value, AppError> {
    let rec = svc.get(caller, spec_of(Kind::Waybill), waybill_id).await?;
    let waybill: Waybill = parse(&rec)?;
    let since = waybill.consignment_time - Duration::days(30);
    let records = vec![WaybillRecord {
        id: WaybillId::new(rec.id.clone()),
        waybill,
    }];
    let input = complete_input(svc, &rec.region, records, since).await?;
    let id = WaybillId::new(rec.id.clone());
    let report = tokio::task::spawn_blocking(move || {
        wuliu_monitor::evaluate_waybill(&input, &id, costs.as_ref(), &RuleConfig::default())
    })
    .await
    .map_err(|e| AppError::Internal(format!("rule engine stopped: {e}")))?;
    Ok(match report {
        Some(r) => json!({"checked": true, "report": r}),
        None => json!({"checked": false, "reason": "cancelled waybills are not checked"}),
    })
}

/// The provinces' onboarding check for a carrier over the `days` Beijing days ending `last`.
pub async fn onboarding(
    svc: &Service,
    costs: Arc<dyn TravelCosts>,
    caller: &Caller,
    carrier_id: &str,
    last: NaiveDate,
    days: i64,
) -> Result<OnboardingReport, AppError> {
    check_monitor_role(caller)?;
    if !(1..=MAX_ONBOARDING_DAYS).contains(&days) {
        return Err(AppError::bad(
            "query.invalid",
            "days",
            format!("days must be 1 to {MAX_ONBOARDING_DAYS}"),
        ));
    }
    let mut figures: BTreeMap<NaiveDate, CarrierDay> = BTreeMap::new();
    for back in 0..days {
        let day = last - Duration::days(back);
        let mut input = gather_day(svc, &caller.region, day).await?;
        input
            .waybills
            .retain(|w| w.waybill.carrier_id.as_str() == carrier_id);
        let costs = costs.clone();
        let report = tokio::task::spawn_blocking(move || {
            wuliu_monitor::evaluate(&input, costs.as_ref(), &RuleConfig::default())
        })
        .await
        .map_err(|e| AppError::Internal(format!("rule engine stopped: {e}")))?;
        for d in report.carrier_days {
            figures.insert(d.date, d);
        }
    }
    let figures: Vec<CarrierDay> = figures.into_values().collect();
    Ok(onboarding_check(&figures, &OnboardingConfig::default()))
}
