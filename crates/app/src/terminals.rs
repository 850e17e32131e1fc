//! The terminal registry: binds JT/T 808 terminals to vehicle records and checks their
//! authentication codes. Every gateway uses it, so bindings live in the store.
//!
//! - A terminal registers with its vehicle's plate and colour. The vehicle must exist (result
//!   "no such vehicle" otherwise), must not carry another registered terminal ("vehicle taken"),
//!   and the terminal must not be bound to another vehicle ("terminal taken"). Registering again
//!   for the same vehicle issues a new code and voids the old one only when it comes from the same
//!   device (manufacturer, model and terminal ID as registered): the phone and the plate are no
//!   secret, so anything else is "terminal taken" until the terminal unregisters or an admin
//!   unbinds it.
//! - The store enforces both bindings, so two registrations racing cannot both win: a vehicle's
//!   terminal record has the ID `trm_<vehicle>`, and a registered terminal's phone is its external
//!   ID (unique in the region).
//! - Only a SHA-256 of the code is stored; codes are compared in constant time.

use std::sync::Arc;

use chrono::Utc;
use serde_json::Value;
use wuliu_model::{PlateColour, Terminal, TerminalStatus, VehicleId};
use wuliu_store::{
    Field, FieldType, Filter, Kind, ListQuery, Literal, NewRecord, Op, Record, Repository, WriteOp,
};

use crate::audit;
use crate::caller::{hash_token, new_secret, Caller};
use crate::error::AppError;
use crate::service::predicted_record;

/// What a terminal tells about itself when it registers.
#[derive(Debug, Clone, PartialEq)]
pub struct TerminalRegistration {
    /// Phone number (digits).
    pub phone: String,
    /// 2013 or 2019.
    pub protocol: u16,
    /// Manufacturer ID.
    pub manufacturer: String,
    /// Model.
    pub model: String,
    /// Terminal ID.
    pub terminal_id: String,
    /// Plate colour, when the terminal sent a known code.
    pub plate_colour: Option<PlateColour>,
    /// Plate.
    pub plate: String,
}

/// How a registration ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// Bound; the terminal authenticates with `auth_code` from now on.
    Bound {
        /// The new authentication code (shown once, stored hashed).
        auth_code: String,
    },
    /// The vehicle already has another registered terminal.
    VehicleTaken,
    /// No vehicle has that plate and colour.
    NoSuchVehicle,
    /// The terminal is bound to another vehicle.
    TerminalTaken,
}

/// The vehicle an authenticated terminal reports for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalBinding {
    /// The vehicle.
    pub vehicle_id: VehicleId,
    /// Its region.
    pub region: String,
    /// Its plate.
    pub plate: String,
}

/// Registration, authentication and unregistration of terminals over the store.
#[derive(Clone)]
pub struct TerminalRegistry {
    repo: Arc<dyn Repository>,
}

impl TerminalRegistry {
    /// A registry over `repo`.
    pub fn new(repo: Arc<dyn Repository>) -> Self {
        Self { repo }
    }

    /// Registers a terminal (JT/T 808 0x0100), retrying once when a concurrent registration won
    /// a race so the answer names what now holds.
    pub async fn register(&self, reg: &TerminalRegistration) -> Result<Registered, AppError> {
        for _ in 0..3 {
            match self.try_register(reg).await {
                Err(AppError::Conflict { .. }) | Err(AppError::PreconditionFailed { .. }) => {
                    continue
                }
                other => return other,
            }
        }
        Err(AppError::Unavailable(format!(
            "terminal {} kept racing another registration; retry",
            reg.phone
        )))
    }

    async fn try_register(&self, reg: &TerminalRegistration) -> Result<Registered, AppError> {
        let Some(vehicle) = self.vehicle_by_plate(&reg.plate, reg.plate_colour).await? else {
            return Ok(Registered::NoSuchVehicle);
        };
        if let Some(bound) = self.by_phone(&reg.phone).await? {
            if bound.body["vehicle_id"] != Value::String(vehicle.id.clone()) {
                return Ok(Registered::TerminalTaken);
            }
        }
        let id = terminal_id(&vehicle.id);
        let existing = self.repo.get(Kind::Terminal, &id).await?;
        if let Some(old) = &existing {
            let same_phone = old.external_id.as_deref() == Some(reg.phone.as_str());
            if old.status.as_deref() == Some("registered") {
                if !same_phone {
                    return Ok(Registered::VehicleTaken);
                }
                // The phone is in every header and the plate on the truck: only the same device
                // (manufacturer, model, terminal ID) may register again and void the old code.
                if !same_device(&parse(old)?, reg) {
                    return Ok(Registered::TerminalTaken);
                }
            }
        }
        let auth_code = new_secret("")[..16].to_string();
        let rec = new_record(&id, &vehicle, reg, &auth_code)?;
        let caller = Caller::system(&vehicle.region, "gateway");
        let (op, before) = match existing {
            Some(old) => {
                let expected_version = old.version;
                let op = WriteOp::Update {
                    kind: Kind::Terminal,
                    rec,
                    expected_version,
                };
                (op, Some(old))
            }
            None => (
                WriteOp::Insert {
                    kind: Kind::Terminal,
                    rec,
                },
                None,
            ),
        };
        let after = predicted_record(&op);
        let entry = audit::entry(&caller, "register", Kind::Terminal, before.as_ref(), &after);
        self.repo.commit(vec![op], vec![entry]).await?;
        Ok(Registered::Bound { auth_code })
    }

    /// The binding of a registered terminal whose code matches, or `None`.
    pub async fn authenticate(
        &self,
        phone: &str,
        code: &str,
    ) -> Result<Option<TerminalBinding>, AppError> {
        let Some(rec) = self.by_phone(phone).await? else {
            return Ok(None);
        };
        let terminal = parse(&rec)?;
        let given = hash_token(code);
        if !constant_time_eq(given.as_bytes(), terminal.auth_code_hash.as_bytes()) {
            return Ok(None);
        }
        Ok(Some(TerminalBinding {
            vehicle_id: terminal.vehicle_id,
            region: rec.region,
            plate: terminal.plate,
        }))
    }

    /// Unbinds a terminal (JT/T 808 0x0003): its code stops working and its vehicle is free.
    pub async fn unregister(&self, phone: &str) -> Result<bool, AppError> {
        let Some(old) = self.by_phone(phone).await? else {
            return Ok(false);
        };
        let mut terminal = parse(&old)?;
        terminal.status = TerminalStatus::Unregistered;
        let rec = NewRecord {
            id: old.id.clone(),
            region: old.region.clone(),
            external_id: None,
            owner_party: old.owner_party.clone(),
            partner_party: None,
            status: Some("unregistered".into()),
            body: serde_json::to_value(&terminal).expect("terminal serialises"),
        };
        let op = WriteOp::Update {
            kind: Kind::Terminal,
            rec,
            expected_version: old.version,
        };
        let after = predicted_record(&op);
        let caller = Caller::system(&old.region, "gateway");
        let entry = audit::entry(&caller, "unregister", Kind::Terminal, Some(&old), &after);
        self.repo.commit(vec![op], vec![entry]).await?;
        Ok(true)
    }

    async fn vehicle_by_plate(
        &self,
        plate: &str,
        colour: Option<PlateColour>,
    ) -> Result<Option<Record>, AppError> {
        let q = ListQuery {
            filters: vec![text_filter(
                Field::Json(vec!["plate"], FieldType::Text),
                plate,
            )],
            limit: 10,
            ..Default::default()
        };
        let page = self.repo.list(Kind::Vehicle, &q).await?;
        let wanted = colour.map(|c| serde_json::to_value(c).expect("colour serialises"));
        Ok(page
            .records
            .into_iter()
            .find(|r| wanted.as_ref().is_none_or(|w| &r.body["plate_colour"] == w)))
    }

    async fn by_phone(&self, phone: &str) -> Result<Option<Record>, AppError> {
        let q = ListQuery {
            filters: vec![text_filter(Field::Column("external_id"), phone)],
            limit: 2,
            ..Default::default()
        };
        let page = self.repo.list(Kind::Terminal, &q).await?;
        Ok(page
            .records
            .into_iter()
            .find(|r| r.status.as_deref() == Some("registered")))
    }
}

fn text_filter(field: Field, value: &str) -> Filter {
    Filter {
        field,
        op: Op::Eq,
        value: Literal::Text(value.to_string()),
    }
}

/// The terminal record of a vehicle: one per vehicle, so the ID itself refuses a second binding.
pub fn terminal_id(vehicle_id: &str) -> String {
    format!("trm_{}", vehicle_id.trim_start_matches("veh_"))
}

fn new_record(
    id: &str,
    vehicle: &Record,
    reg: &TerminalRegistration,
    auth_code: &str,
) -> Result<NewRecord, AppError> {
    let carrier = vehicle.body["carrier_id"].as_str().unwrap_or_default();
    let colour = serde_json::from_value(vehicle.body["plate_colour"].clone())
        .map_err(|e| AppError::Internal(format!("vehicle {}: plate_colour: {e}", vehicle.id)))?;
    let terminal = Terminal {
        phone: reg.phone.clone(),
        vehicle_id: VehicleId::new(vehicle.id.clone()),
        carrier_id: wuliu_model::PartyId::new(carrier),
        plate: reg.plate.clone(),
        plate_colour: colour,
        protocol: reg.protocol,
        manufacturer: reg.manufacturer.clone(),
        model: reg.model.clone(),
        terminal_id: reg.terminal_id.clone(),
        auth_code_hash: hash_token(auth_code),
        registered_at: Utc::now(),
        status: TerminalStatus::Registered,
    };
    wuliu_model::Validate::validate(&terminal).map_err(AppError::Invalid)?;
    Ok(NewRecord {
        id: id.to_string(),
        region: vehicle.region.clone(),
        external_id: Some(reg.phone.clone()),
        owner_party: vehicle.owner_party.clone(),
        partner_party: None,
        status: Some("registered".into()),
        body: serde_json::to_value(&terminal).expect("terminal serialises"),
    })
}

fn parse(rec: &Record) -> Result<Terminal, AppError> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("terminal record {} does not parse: {e}", rec.id)))
}

fn same_device(bound: &Terminal, reg: &TerminalRegistration) -> bool {
    bound.manufacturer == reg.manufacturer
        && bound.model == reg.model
        && bound.terminal_id == reg.terminal_id
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
