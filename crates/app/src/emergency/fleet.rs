//! The emergency fleet: registered carriers' vehicles holding a green-channel pass (应急通行证),
//! and which of them can go now (a pass valid at that time, not revoked, the vehicle available).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository};

use super::{
    authorise_manage, checked, column_eq, commit_audited, fetch, insert_op, list_capped, parse,
    step_error, typed, update_op, view, MAX_LIST,
};
use crate::caller::{Caller, Role};
use crate::error::AppError;

/// A green-channel pass as submitted.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PassInput {
    /// The pass's number as printed, unique in the region.
    pub pass_number: String,
    /// The vehicle (a `veh_…` ID).
    pub vehicle_id: String,
    /// First moment the pass is valid.
    pub valid_from: DateTime<Utc>,
    /// Moment the pass stops being valid (after `valid_from`).
    pub valid_to: DateTime<Utc>,
    /// The stockpile (a `stp_…` ID of the caller's region) the vehicle is stationed at for the
    /// emergency: plans load it there. Without it, a plan bases the vehicle at the stockpile
    /// nearest its home base.
    #[serde(default)]
    pub stockpile_id: Option<String>,
}

/// A green-channel pass as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GreenPass {
    /// The pass's number.
    pub pass_number: String,
    /// The vehicle.
    pub vehicle_id: String,
    /// The vehicle's carrier (copied when the pass is registered).
    pub carrier_id: String,
    /// The vehicle's plate (copied).
    pub plate: String,
    /// Valid from.
    pub valid_from: DateTime<Utc>,
    /// Valid until (exclusive).
    pub valid_to: DateTime<Utc>,
    /// `active` or `revoked`.
    pub status: String,
    /// The stockpile the vehicle is stationed at, if the office stationed it ([`PassInput`]).
    #[serde(default)]
    pub stockpile_id: Option<String>,
}

impl GreenPass {
    /// Whether the pass lets its vehicle through at `at`.
    pub fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.status == "active" && self.valid_from <= at && at < self.valid_to
    }
}

/// Registers a pass for a registered vehicle (admins and regulators), audited; 409 naming
/// `pass_number` when it is taken. A `stockpile_id` must name a stockpile of the caller's region.
pub async fn register_pass(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "register green-channel passes")?;
    let p: PassInput = parse("emergency.pass", body)?;
    let mut v = Violations::default();
    v.require_text("pass_number", &p.pass_number);
    if p.valid_to <= p.valid_from {
        v.push(
            "out_of_range",
            "valid_to",
            "valid_to: must be after valid_from",
        );
    }
    let vehicle = repo.get(Kind::Vehicle, &p.vehicle_id).await?;
    if vehicle.is_none() {
        v.push(
            "unknown",
            "vehicle_id",
            format!("vehicle_id: no vehicle with id '{}'", p.vehicle_id),
        );
    }
    if let Some(pile) = &p.stockpile_id {
        check_station(repo, caller, pile, &mut v).await?;
    }
    checked(v)?;
    let vehicle = vehicle.expect("checked above");
    let carrier = vehicle.body["carrier_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let pass = GreenPass {
        pass_number: p.pass_number.trim().to_string(),
        vehicle_id: vehicle.id.clone(),
        carrier_id: carrier.clone(),
        plate: vehicle.body["plate"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        valid_from: p.valid_from,
        valid_to: p.valid_to,
        status: "active".into(),
        stockpile_id: p.stockpile_id,
    };
    let body = serde_json::to_value(&pass).expect("a pass serialises");
    let op = insert_op(
        Kind::GreenPass,
        &caller.region,
        Some(pass.pass_number.clone()),
        Some(carrier),
        body,
    );
    let stored = commit_audited(repo, caller, "emergency.pass.register", vec![(op, None)])
        .await
        .map_err(|e| match step_error(e) {
            AppError::Conflict { .. } => AppError::Conflict {
                field: "pass_number".into(),
                message: format!("pass {} is already registered", pass.pass_number),
            },
            other => other,
        })?;
    Ok(view(&stored[0]))
}

/// Adds a violation naming `stockpile_id` unless `id` is a stockpile of the caller's region.
async fn check_station(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    v: &mut Violations,
) -> Result<(), AppError> {
    match repo.get(Kind::Stockpile, id).await? {
        None => v.push(
            "unknown",
            "stockpile_id",
            format!("stockpile_id: no stockpile with id '{id}'"),
        ),
        Some(pile) if pile.region != caller.region => v.push(
            "other_region",
            "stockpile_id",
            format!(
                "stockpile_id: stockpile '{id}' is in region {}, not {}",
                pile.region, caller.region
            ),
        ),
        Some(_) => {}
    }
    Ok(())
}

/// Revokes pass `id` (admins and regulators), audited.
pub async fn revoke_pass(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<Value, AppError> {
    authorise_manage(caller, "revoke green-channel passes")?;
    let rec = fetch(repo, Kind::GreenPass, id, "green-channel pass").await?;
    let mut pass: GreenPass = typed(&rec)?;
    if pass.status == "revoked" {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("pass {id} is already revoked"),
        });
    }
    pass.status = "revoked".into();
    let op = update_op(
        Kind::GreenPass,
        &rec,
        serde_json::to_value(&pass).expect("a pass serialises"),
    );
    let stored = commit_audited(repo, caller, "emergency.pass.revoke", vec![(op, Some(rec))])
        .await
        .map_err(step_error)?;
    Ok(view(&stored[0]))
}

/// The passes `caller` may read: all for admins and regulators, a carrier's own vehicles' for a
/// carrier, none for others.
async fn readable_passes(
    repo: &dyn Repository,
    caller: &Caller,
) -> Result<(Vec<Record>, bool), AppError> {
    match caller.role {
        Role::Admin | Role::Regulator => {
            list_capped(repo, Kind::GreenPass, None, None, vec![], MAX_LIST).await
        }
        Role::Carrier => {
            let party = caller.party();
            let f = vec![column_eq("owner_party", party)];
            list_capped(
                repo,
                Kind::GreenPass,
                Some(&caller.region),
                Some(party),
                f,
                MAX_LIST,
            )
            .await
        }
        Role::Shipper | Role::Official | Role::Enterprise | Role::College => Ok((vec![], false)),
    }
}

/// The passes `caller` may read.
pub async fn list_passes(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    let (records, truncated) = readable_passes(repo, caller).await?;
    Ok(json!({ "passes": records.iter().map(view).collect::<Vec<_>>(), "truncated": truncated }))
}

/// The vehicles that can go at `at`: a pass valid then and the vehicle `available`, one row per
/// vehicle (the pass valid longest), with its plate, carrier, capacity, home base and the
/// stockpile that pass stations it at (`stockpile_id`, null when none).
pub async fn available_fleet(
    repo: &dyn Repository,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<Value, AppError> {
    let (records, truncated) = readable_passes(repo, caller).await?;
    let mut best: std::collections::BTreeMap<String, GreenPass> = Default::default();
    let mut pass_ids: std::collections::BTreeMap<String, String> = Default::default();
    for rec in &records {
        let pass: GreenPass = typed(rec)?;
        if !pass.valid_at(at) {
            continue;
        }
        let longer = best
            .get(&pass.vehicle_id)
            .is_none_or(|b| b.valid_to < pass.valid_to);
        if longer {
            pass_ids.insert(pass.vehicle_id.clone(), rec.id.clone());
            best.insert(pass.vehicle_id.clone(), pass);
        }
    }
    let mut rows = Vec::new();
    for (vehicle_id, pass) in best {
        let Some(veh) = repo.get(Kind::Vehicle, &vehicle_id).await? else {
            continue;
        };
        if veh.status.as_deref().unwrap_or("available") != "available" {
            continue;
        }
        rows.push(json!({
            "vehicle_id": vehicle_id, "plate": veh.body["plate"], "carrier_id": veh.body["carrier_id"],
            "rated_load": veh.body["rated_load"], "cargo_volume": veh.body["cargo_volume"],
            "body_type": veh.body["body_type"], "home_base": veh.body["home_base"],
            "stockpile_id": pass.stockpile_id,
            "pass": { "id": pass_ids[&vehicle_id], "pass_number": pass.pass_number, "valid_to": pass.valid_to },
        }));
    }
    Ok(json!({ "at": at, "vehicles": rows, "truncated": truncated }))
}
