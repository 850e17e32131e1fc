//! Workflows that change several records at once, each in one transaction that commits only if
//! every record is still at the version read (so of two racing accepts of one load exactly one
//! wins, and nothing of the other remains).
//!
//! - [`accept`]: a carrier takes a load with one of its vehicles and drivers, if the matching rules
//!   allow the pair: a draft waybill is created, the load becomes `matched`, the vehicle `busy`.
//! - [`decline`]: a carrier declines a load; an accepted match whose waybill is still a draft is
//!   undone (waybill cancelled, load open, vehicle available).
//! - [`follow_waybill`]: when a waybill moves on, its load and vehicle follow (despatched → load
//!   `in_transit`; signed → load `delivered`, vehicle `available`; cancelled → load `open`,
//!   vehicle `available`).

use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_match::{AvailableVehicle, Reason};
use wuliu_model::{Driver, Load, Vehicle, VehicleId, Violations};
use wuliu_store::{Kind, NewRecord, Record, StoreError, WriteOp};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::service::{audit_all, predicted_record, spec_of, Service};

/// Body of an accept.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    /// The load taken.
    pub load_id: String,
    /// The vehicle that takes it.
    pub vehicle_id: String,
    /// The driver.
    pub driver_id: String,
    /// Cargo type classification code for the waybill (货物类型分类代码); `9900` (other) when absent.
    #[serde(default)]
    pub cargo_type_code: Option<String>,
}

/// Body of a decline.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decline {
    /// The load declined.
    pub load_id: String,
    /// The vehicle whose carrier declines it.
    pub vehicle_id: String,
    /// Why (free text, returned in the answer and kept in the audit trail).
    #[serde(default)]
    pub reason: Option<String>,
}

/// The records a workflow wrote, as stored.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The waybill created or cancelled, if any.
    pub waybill: Option<Record>,
    /// The load after the workflow.
    pub load: Record,
    /// The vehicle after the workflow.
    pub vehicle: Record,
}

fn typed<T: serde::de::DeserializeOwned>(rec: &Record) -> Result<T, AppError> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("stored {} is not readable: {e}", rec.id)))
}

/// The same record with a new body (and status, when the body has one).
fn changed(rec: &Record, body: Value) -> WriteOp {
    let kind = Kind::from_table(&kind_table(&rec.id)).expect("known ID prefix");
    let status = body.get("status").and_then(Value::as_str).map(String::from);
    WriteOp::Update {
        kind,
        rec: NewRecord {
            id: rec.id.clone(),
            region: rec.region.clone(),
            external_id: rec.external_id.clone(),
            owner_party: rec.owner_party.clone(),
            partner_party: rec.partner_party.clone(),
            status: status.or(rec.status.clone()),
            body,
        },
        expected_version: rec.version,
    }
}

/// The table of an ID, from its prefix.
fn kind_table(id: &str) -> String {
    Kind::ALL
        .into_iter()
        .find(|k| id.starts_with(k.id_prefix()))
        .map(|k| k.table().to_string())
        .unwrap_or_default()
}

fn with_status(rec: &Record, status: &str) -> WriteOp {
    let mut body = rec.body.clone();
    body["status"] = Value::String(status.into());
    changed(rec, body)
}

/// A lost race as the answer a workflow gives: someone else changed a record first.
fn raced(e: StoreError) -> AppError {
    match e {
        StoreError::VersionMismatch { kind, id, .. } => AppError::Conflict {
            field: "status".into(),
            message: format!(
                "{kind} '{id}' changed while this request ran (another request got there first)"
            ),
        },
        other => other.into(),
    }
}

/// The load and vehicle writes that follow a waybill's status change (`op` is the waybill's).
pub async fn follow_waybill(
    svc: &Service,
    old: &Record,
    op: &WriteOp,
) -> Result<Vec<WriteOp>, AppError> {
    let new = op.record();
    if op.kind() != Kind::Waybill || old.status == new.status {
        return Ok(vec![]);
    }
    let (load_to, vehicle_free) = match new.status.as_deref() {
        Some("dispatched") => (Some("in_transit"), false),
        Some("signed") | Some("receipted") => (Some("delivered"), true),
        Some("cancelled") => (Some("open"), true),
        _ => (None, false),
    };
    let mut out = Vec::new();
    let load_id = new.body.get("load_id").and_then(Value::as_str);
    if let (Some(to), Some(id)) = (load_to, load_id) {
        if let Some(load) = svc.repo.get(Kind::Load, id).await? {
            let step = spec_of(Kind::Load)
                .transition
                .expect("loads have a lifecycle");
            if load.status.as_deref().is_some_and(|from| step(from, to)) {
                out.push(with_status(&load, to));
            }
        }
    }
    let vehicle_id = new.body["vehicle"]
        .get("vehicle_id")
        .and_then(Value::as_str);
    if let (true, Some(id)) = (vehicle_free, vehicle_id) {
        if let Some(v) = svc.repo.get(Kind::Vehicle, id).await? {
            if v.body["status"] == "busy" {
                out.push(with_status(&v, "available"));
            }
        }
    }
    Ok(out)
}

/// The vehicle as the matching rules see it (crewed by the accepting driver).
fn as_candidate(rec: &Record, vehicle: Vehicle, driver: Driver, load: &Load) -> AvailableVehicle {
    AvailableVehicle {
        id: VehicleId::new(rec.id.clone()),
        position: vehicle.home_base.unwrap_or(load.origin.point),
        vehicle,
        free_from: Utc::now(),
        drivers: vec![driver],
        remaining_driving: wuliu_model::Seconds(wuliu_match::input::DEFAULT_DRIVING_S),
        available_until: None,
    }
}

/// The matching rules the pair fails, as violations.
fn rule_violations(reasons: &[Reason]) -> Violations {
    let mut v = Violations::default();
    for r in reasons {
        v.push(&r.code, "vehicle_id", r.message.clone());
    }
    v
}

/// The vehicle (as the caller sees it; the caller must be its carrier) and the load of its region.
async fn carrier_pair(
    svc: &Service,
    caller: &Caller,
    vehicle_id: &str,
    load_id: &str,
    action: &str,
) -> Result<(Record, Record), AppError> {
    let vehicle = svc.get(caller, spec_of(Kind::Vehicle), vehicle_id).await?;
    let carrier = vehicle.owner_party.as_deref().unwrap_or_default();
    if caller.role != Role::Admin && caller.party() != carrier {
        return Err(AppError::forbidden(
            "vehicle_id",
            format!("only the vehicle's carrier may {action} a load for it"),
        ));
    }
    let system = Caller::system(&vehicle.region, "system");
    let load = svc.get(&system, spec_of(Kind::Load), load_id).await?;
    if load.region != vehicle.region {
        return Err(AppError::NotFound(format!("no loads with id '{load_id}'")));
    }
    Ok((vehicle, load))
}

/// A carrier accepts a load (see the module docs).
pub async fn accept(svc: &Service, caller: &Caller, req: &Accept) -> Result<Outcome, AppError> {
    if caller.role == Role::Regulator {
        return Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        });
    }
    let (vehicle_rec, load_rec) =
        carrier_pair(svc, caller, &req.vehicle_id, &req.load_id, "accept").await?;
    let vehicle: Vehicle = typed(&vehicle_rec)?;
    let load: Load = typed(&load_rec)?;
    let driver_rec = svc
        .get(caller, spec_of(Kind::Driver), &req.driver_id)
        .await?;
    let driver: Driver = typed(&driver_rec)?;
    if driver.carrier_id != vehicle.carrier_id {
        return Err(AppError::invalid(
            "matching.driver_carrier",
            "driver_id",
            "the driver does not work for the vehicle's carrier",
        ));
    }
    if load_rec.status.as_deref() != Some("open") || vehicle_rec.body["status"] != "available" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: "the load must be open and the vehicle available".into(),
        });
    }
    let date = load.pickup_window.start.date_naive();
    let candidate = as_candidate(&vehicle_rec, vehicle.clone(), driver.clone(), &load);
    let pair = wuliu_match::rules::Pair {
        load: &load,
        vehicle: &candidate,
        date,
    };
    // A carrier may change its mind about a load it declined; every other rule holds.
    let reasons: Vec<Reason> = wuliu_match::rules::check_static(&pair)
        .into_iter()
        .filter(|r| r.rule != wuliu_match::RuleName::Declined)
        .collect();
    if !reasons.is_empty() {
        return Err(AppError::Invalid(rule_violations(&reasons)));
    }
    let system = Caller {
        role: Role::Admin,
        party_id: None,
        ..caller.clone()
    };
    let body = waybill_body(
        svc,
        &system,
        req,
        &load_rec,
        &load,
        &vehicle_rec,
        &vehicle,
        &driver_rec,
        &driver,
    )
    .await?;
    let waybill = svc
        .plan_create(&system, spec_of(Kind::Waybill), body, &vehicle_rec.region)
        .await?;
    let ops = vec![
        WriteOp::Insert {
            kind: Kind::Waybill,
            rec: waybill,
        },
        with_status(&load_rec, "matched"),
        with_status(&vehicle_rec, "busy"),
    ];
    let audit: Vec<_> = ops
        .iter()
        .map(|op| crate::audit::entry(caller, "accept", op.kind(), None, &predicted_record(op)))
        .collect();
    let mut out = svc.repo.commit(ops, audit).await.map_err(raced)?;
    let vehicle = out.pop().expect("three records");
    let load = out.pop().expect("three records");
    Ok(Outcome {
        waybill: out.pop(),
        load,
        vehicle,
    })
}

/// The draft electronic waybill of an accepted match.
#[allow(clippy::too_many_arguments)]
async fn waybill_body(
    svc: &Service,
    system: &Caller,
    req: &Accept,
    load_rec: &Record,
    load: &Load,
    vehicle_rec: &Record,
    vehicle: &Vehicle,
    driver_rec: &Record,
    driver: &Driver,
) -> Result<Value, AppError> {
    let carrier = vehicle.carrier_id.as_str();
    let shipper = svc
        .get(system, spec_of(Kind::Party), load.shipper_id.as_str())
        .await?;
    let carrier_party = svc.get(system, spec_of(Kind::Party), carrier).await?;
    let text = |r: &Record, f: &str| r.body[f].as_str().unwrap_or_default().to_string();
    let same_city =
        load.origin.division_code.0.get(..4) == load.destination.division_code.0.get(..4);
    Ok(json!({
        "shipping_note_number": format!("WL{}", load_rec.id.trim_start_matches("lod_").to_uppercase()),
        "business_type_code": if same_city { "1003997" } else { "1002996" },
        "shipper_id": load.shipper_id, "carrier_id": carrier, "load_id": load_rec.id,
        "consignment_time": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "consignor": { "name": text(&shipper, "name"), "id_code": text(&shipper, "credit_code"),
            "place": load.origin.address, "division_code": load.origin.division_code, "point": load.origin.point },
        "consignee": { "name": load.destination.address, "place": load.destination.address,
            "division_code": load.destination.division_code, "point": load.destination.point },
        "vehicle": { "vehicle_id": vehicle_rec.id, "plate": vehicle.plate, "plate_colour": vehicle.plate_colour },
        "drivers": [{ "driver_id": driver_rec.id, "name": driver.name, "licence_number": driver.id_number }],
        "goods": [{ "description": load.goods, "cargo_type_code": req.cargo_type_code.clone().unwrap_or_else(|| "9900".into()),
            "gross_weight": load.weight, "cube": load.volume, "packages": load.packages }],
        "actual_carrier": { "name": text(&carrier_party, "name"),
            "business_licence": carrier_party.body["transport_permit"]["number"].as_str().unwrap_or_default(),
            "id_code": text(&carrier_party, "credit_code") },
        "insurance": { "policy_number": "none", "company_code": "none" },
        "total_amount": load.price_offered,
        "status": "draft"
    }))
}

/// A carrier declines a load (see the module docs).
pub async fn decline(svc: &Service, caller: &Caller, req: &Decline) -> Result<Outcome, AppError> {
    if caller.role == Role::Regulator {
        return Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        });
    }
    let (vehicle_rec, load_rec) =
        carrier_pair(svc, caller, &req.vehicle_id, &req.load_id, "decline").await?;
    let load: Load = typed(&load_rec)?;
    let mut load_body = load_rec.body.clone();
    let mut follow = Vec::new();
    if load_rec.status.as_deref() == Some("matched") {
        let waybill = draft_of(svc, &load_rec, &vehicle_rec)
            .await?
            .ok_or_else(|| AppError::Conflict {
                field: "status".into(),
                message:
                    "the load is matched to another vehicle or its waybill is no longer a draft"
                        .into(),
            })?;
        follow.push(with_status(&waybill, "cancelled"));
        load_body["status"] = json!("open");
        if vehicle_rec.body["status"] == "busy" {
            follow.push(with_status(&vehicle_rec, "available"));
        }
    }
    let mut declined: Vec<Value> = load.declined_by.iter().map(|v| json!(v.as_str())).collect();
    if !load
        .declined_by
        .iter()
        .any(|v| v.as_str() == vehicle_rec.id)
    {
        declined.push(json!(vehicle_rec.id));
    }
    load_body["declined_by"] = Value::Array(declined);
    let mut ops = vec![changed(&load_rec, load_body)];
    ops.extend(follow);
    let mut audit = audit_all(caller, "decline", &ops, &load_rec);
    audit[0].diff["reason"] = json!(req.reason);
    let out = svc.repo.commit(ops, audit).await.map_err(raced)?;
    let find = |kind: &str| out.iter().find(|r| kind_table(&r.id) == kind).cloned();
    Ok(Outcome {
        waybill: find("waybills"),
        load: find("loads").expect("the load is written"),
        vehicle: find("vehicles").unwrap_or(vehicle_rec),
    })
}

/// The draft waybill of this load on this vehicle, if there is one.
async fn draft_of(
    svc: &Service,
    load: &Record,
    vehicle: &Record,
) -> Result<Option<Record>, AppError> {
    let q = wuliu_store::ListQuery {
        region: Some(load.region.clone()),
        filters: vec![wuliu_store::Filter {
            field: wuliu_store::Field::Column("status"),
            op: wuliu_store::Op::Eq,
            value: wuliu_store::Literal::Text("draft".into()),
        }],
        limit: 1000,
        ..Default::default()
    };
    let mut q = q;
    loop {
        let page = svc.repo.list(Kind::Waybill, &q).await?;
        if let Some(w) = page.records.iter().find(|w| {
            w.body["load_id"].as_str() == Some(load.id.as_str())
                && w.body["vehicle"]["vehicle_id"].as_str() == Some(vehicle.id.as_str())
        }) {
            return Ok(Some(w.clone()));
        }
        match page.next {
            Some(c) => q.after = Some(c),
            None => return Ok(None),
        }
    }
}
