//! Ownership and freezing rules, in one place, for every write path (POST, PUT, PATCH, status
//! transitions, import, workflows).
//!
//! **Party fields.** Each collection names its party fields in [`PARTY_FIELDS`]: who may set each
//! on a new record, and that nobody but the platform operator (admin) may change it afterwards. A
//! shipper or carrier may only create a record that names its own party in a field its role may
//! set.
//!
//! **Freezing.** A waybill or load freezes field by field as it moves along its lifecycle
//! ([`FREEZES`]), following the national network-freight rules (交通运输部《网络平台道路货物运输
//! 经营管理暂行办法》: the waybill is the transport contract; once the vehicle is despatched its
//! parties, goods, vehicle, drivers and freight amount are the record the platform uploads and may
//! not change; after receipt it is closed). A frozen field changes only by an admin amendment,
//! which the audit trail records as `amend`.
//!
//! **Lifecycle.** A status moves only along the entity's lifecycle, for everyone and on every path
//! (import too); a new record starts at an initial status ([`INITIAL`]). Some steps belong to one
//! role or to a workflow only ([`STEPS`]): a load becomes `matched` only by an accepted match, and
//! follows its waybill (`in_transit` when it is despatched, `delivered` when signed).
//!
//! **Append-only.** Fund-flow records (payments) and transport events are never changed after they
//! are stored, except by an admin amendment: a correction is a new record.

use serde_json::Value;
use wuliu_model::Violations;
use wuliu_store::{Kind, NewRecord, Record};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::spec::EntitySpec;

/// A party field of a collection and the roles that may set it on a new record (to their own party).
pub struct PartyField {
    /// The collection.
    pub kind: Kind,
    /// The body field holding a party ID.
    pub field: &'static str,
    /// Roles (besides admin) whose own party may stand in this field of a record they create.
    pub set_by: &'static [Role],
}

/// Every party field. A non-admin creating a record must stand in one of the fields its role may
/// set; no party field changes after creation except by an admin amendment.
pub static PARTY_FIELDS: &[PartyField] = &[
    PartyField {
        kind: Kind::Vehicle,
        field: "carrier_id",
        set_by: &[Role::Carrier],
    },
    PartyField {
        kind: Kind::Driver,
        field: "carrier_id",
        set_by: &[Role::Carrier],
    },
    PartyField {
        kind: Kind::Load,
        field: "shipper_id",
        set_by: &[Role::Shipper],
    },
    PartyField {
        kind: Kind::Waybill,
        field: "shipper_id",
        set_by: &[Role::Shipper],
    },
    PartyField {
        kind: Kind::Waybill,
        field: "carrier_id",
        set_by: &[Role::Carrier],
    },
    PartyField {
        kind: Kind::Payment,
        field: "shipper_id",
        set_by: &[Role::Shipper],
    },
    PartyField {
        kind: Kind::Payment,
        field: "carrier_id",
        set_by: &[Role::Carrier],
    },
    PartyField {
        kind: Kind::Facility,
        field: "operator_id",
        set_by: &[Role::Shipper, Role::Carrier],
    },
    PartyField {
        kind: Kind::Event,
        field: "reporter_id",
        set_by: &[Role::Shipper, Role::Carrier],
    },
];

/// Every field may change.
const ALL: &[&str] = &["*"];

/// Which body fields may still change while a record is at a status; every other field is frozen.
pub struct Freeze {
    /// The collection.
    pub kind: Kind,
    /// The status.
    pub status: &'static str,
    /// Fields that may still change (`*`: all but the party fields).
    pub editable: &'static [&'static str],
}

/// The freezing table.
pub static FREEZES: &[Freeze] = &[
    Freeze {
        kind: Kind::Waybill,
        status: "draft",
        editable: ALL,
    },
    Freeze {
        kind: Kind::Waybill,
        status: "confirmed",
        editable: ALL,
    },
    Freeze {
        kind: Kind::Waybill,
        status: "dispatched",
        editable: &["status", "receipt_time", "remark"],
    },
    Freeze {
        kind: Kind::Waybill,
        status: "signed",
        editable: &["status", "remark"],
    },
    Freeze {
        kind: Kind::Waybill,
        status: "receipted",
        editable: &[],
    },
    Freeze {
        kind: Kind::Waybill,
        status: "cancelled",
        editable: &[],
    },
    Freeze {
        kind: Kind::Load,
        status: "open",
        editable: ALL,
    },
    Freeze {
        kind: Kind::Load,
        status: "matched",
        editable: &["status", "declined_by"],
    },
    Freeze {
        kind: Kind::Load,
        status: "in_transit",
        editable: &["status"],
    },
    Freeze {
        kind: Kind::Load,
        status: "delivered",
        editable: &[],
    },
    Freeze {
        kind: Kind::Load,
        status: "cancelled",
        editable: &[],
    },
];

/// Collections whose records never change once stored (but by an admin amendment).
pub const APPEND_ONLY: &[Kind] = &[Kind::Payment, Kind::Event];

/// The statuses a new record may start at.
pub static INITIAL: &[(Kind, &[&str])] = &[
    (Kind::Waybill, &["draft", "confirmed"]),
    (Kind::Alert, &["open"]),
    (Kind::Load, &["open"]),
];

/// Who may take a lifecycle step to a status: the roles, besides admin (workflows act as admin).
/// An empty list means only a workflow (or an admin) takes the step.
pub static STEPS: &[(Kind, &str, &[Role])] = &[
    (Kind::Waybill, "confirmed", &[Role::Shipper, Role::Carrier]),
    (Kind::Waybill, "dispatched", &[Role::Shipper, Role::Carrier]),
    (Kind::Waybill, "signed", &[Role::Shipper, Role::Carrier]),
    (Kind::Waybill, "receipted", &[Role::Shipper, Role::Carrier]),
    (Kind::Waybill, "cancelled", &[Role::Shipper, Role::Carrier]),
    (Kind::Load, "cancelled", &[Role::Shipper]),
    (Kind::Load, "open", &[]),
    (Kind::Load, "matched", &[]),
    (Kind::Load, "in_transit", &[]),
    (Kind::Load, "delivered", &[]),
];

fn text<'a>(body: &'a Value, field: &str) -> Option<&'a str> {
    body.get(field).and_then(Value::as_str)
}

/// Records the regulator keeps itself: plan supervision (indicator values with their source, key
/// project progress reports). Everything else it only reads.
pub static REGULATOR_WRITES: &[Kind] = &[Kind::IndicatorValue, Kind::ProjectReport];

/// The regulator reads only, but for [`REGULATOR_WRITES`]; reference data is written by admins only.
pub fn check_role(caller: &Caller, spec: &EntitySpec) -> Result<(), AppError> {
    match caller.role {
        Role::Admin => Ok(()),
        Role::Regulator if REGULATOR_WRITES.contains(&spec.kind) => Ok(()),
        Role::Regulator => Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        }),
        role if !role.is_freight() => Err(AppError::Forbidden {
            field: None,
            message: format!(
                "a {} account does not write freight records ({})",
                role.name(),
                spec.kind.table()
            ),
        }),
        _ if spec.admin_write => Err(AppError::Forbidden {
            field: None,
            message: format!("only admins may write {}", spec.kind.table()),
        }),
        _ => Ok(()),
    }
}

/// A new record: the caller's own party must stand in a party field its role may set.
pub fn check_new(caller: &Caller, kind: Kind, body: &Value) -> Result<(), AppError> {
    if caller.role == Role::Admin
        || (caller.role == Role::Regulator && REGULATOR_WRITES.contains(&kind))
    {
        return Ok(());
    }
    let party = caller.party();
    let fields: Vec<&PartyField> = PARTY_FIELDS.iter().filter(|f| f.kind == kind).collect();
    let own = fields
        .iter()
        .any(|f| f.set_by.contains(&caller.role) && text(body, f.field) == Some(party));
    if own {
        return Ok(());
    }
    let field = fields
        .iter()
        .find(|f| f.set_by.contains(&caller.role))
        .or(fields.first())
        .map(|f| f.field)
        .unwrap_or("id");
    Err(AppError::forbidden(
        field,
        format!(
            "a {} may only create {} with {field} set to its own party ({party})",
            caller.role.name(),
            kind.table()
        ),
    ))
}

/// The status a new record starts at must be an initial one.
pub fn check_initial(kind: Kind, status: Option<&str>) -> Result<(), AppError> {
    let (Some(status), Some((_, initial))) = (status, INITIAL.iter().find(|(k, _)| *k == kind))
    else {
        return Ok(());
    };
    if initial.contains(&status) {
        return Ok(());
    }
    Err(AppError::invalid(
        "status.initial",
        "status",
        format!(
            "a new {} starts as {}, not '{status}'; later statuses follow the lifecycle",
            kind.table(),
            initial.join(" or ")
        ),
    ))
}

/// A status step: allowed by the lifecycle, and by the role.
pub fn check_step(
    caller: &Caller,
    spec: &EntitySpec,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(), AppError> {
    let (Some(step), Some(from), Some(to)) = (spec.transition, from, to) else {
        return Ok(());
    };
    if from == to {
        return Ok(());
    }
    if !step(from, to) {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("status cannot change from '{from}' to '{to}'"),
        });
    }
    let roles = STEPS
        .iter()
        .find(|(k, s, _)| *k == spec.kind && *s == to)
        .map(|(_, _, r)| *r);
    match roles {
        Some(roles) if caller.role != Role::Admin && !roles.contains(&caller.role) => {
            Err(AppError::forbidden(
                "status",
                if roles.is_empty() {
                    format!(
                        "{} become '{to}' only through the platform's workflows",
                        spec.kind.table()
                    )
                } else {
                    format!(
                        "a {} may not move {} to '{to}'",
                        caller.role.name(),
                        spec.kind.table()
                    )
                },
            ))
        }
        _ => Ok(()),
    }
}

/// The top-level body fields that differ between `old` and `new`.
pub fn changed_fields(old: &Value, new: &Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let o = old.as_object().unwrap_or(&empty);
    let n = new.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = o.keys().chain(n.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| o.get(*k) != n.get(*k))
        .cloned()
        .collect()
}

/// Whether a change to an existing record touches a party field or a frozen field: such a change
/// is an amendment, which only an admin may make. Returns the violations for a non-admin, and for an
/// admin whether the change is an amendment.
pub fn check_update(
    caller: &Caller,
    kind: Kind,
    old: &Record,
    new: &NewRecord,
) -> Result<bool, AppError> {
    let changed = changed_fields(&old.body, &new.body);
    let mut v = Violations::default();
    for f in PARTY_FIELDS.iter().filter(|f| f.kind == kind) {
        if changed.iter().any(|c| c == f.field) {
            v.push(
                "field.immutable",
                f.field,
                format!(
                    "{} cannot change once set; only the platform operator may amend it",
                    f.field
                ),
            );
        }
    }
    if APPEND_ONLY.contains(&kind) && !changed.is_empty() {
        v.push(
            "record.append_only",
            changed[0].clone(),
            format!(
                "{} are append-only: post a correcting record instead",
                kind.table()
            ),
        );
    }
    let status = old.status.as_deref().unwrap_or_default();
    if let Some(fr) = FREEZES
        .iter()
        .find(|f| f.kind == kind && f.status == status)
    {
        for c in &changed {
            let party = PARTY_FIELDS.iter().any(|f| f.kind == kind && f.field == c);
            if !party && fr.editable != ALL && !fr.editable.contains(&c.as_str()) {
                v.push(
                    "field.frozen",
                    c.clone(),
                    format!(
                        "{c} is frozen once the {} is {status}",
                        kind.table().trim_end_matches('s')
                    ),
                );
            }
        }
    }
    if v.is_empty() {
        return Ok(false);
    }
    if caller.role == Role::Admin {
        return Ok(true);
    }
    let first = v.0[0].clone();
    Err(AppError::Forbidden {
        field: Some(first.field),
        message: v
            .0
            .iter()
            .map(|x| x.message.clone())
            .collect::<Vec<_>>()
            .join("; "),
    })
}
