//! The platform's operations on records, independent of any transport: the HTTP handlers and the
//! CLI both call these. Every write is authorised by [`crate::rules`], checked against the records
//! it names ([`crate::links`]), stored in one transaction with its audit entry, and compare-and-swap
//! on the version the writer read (optimistic concurrency: `If-Match`).

use std::sync::Arc;

use serde_json::Value;
use wuliu_model::Violations;
use wuliu_store::{AuditEntry, Kind, NewRecord, Record, Repository, StoreError, WriteOp};

pub use crate::export::{record_json, records_csv};
pub use crate::import::{
    parse_csv, parse_json_rows, ImportReport, InputRow, RowResult, IMPORT_CHUNK,
};
pub use wuliu_store::ListQuery;

use crate::audit;
use crate::caller::{Caller, Role};
use crate::csvflat::ENVELOPE;
use crate::error::AppError;
use crate::limits;
use crate::rules;
use crate::spec::{self, EntitySpec};

/// How often a write without `If-Match` is retried when another write got in between its read and
/// its commit (each retry reads again and checks every rule again).
const RETRIES: usize = 50;

/// Generates a platform ID: kind prefix, milliseconds since the epoch and randomness, so IDs sort by time.
pub fn new_id(kind: Kind) -> String {
    let ms = chrono::Utc::now().timestamp_millis() as u64;
    format!(
        "{}{:011x}{:016x}",
        kind.id_prefix(),
        ms,
        rand::random::<u64>()
    )
}

fn text_at<'a>(body: &'a Value, field: &str) -> Option<&'a str> {
    body.get(field).and_then(Value::as_str)
}

/// The platform's operations on one repository.
#[derive(Clone)]
pub struct Service {
    /// Storage.
    pub repo: Arc<dyn Repository>,
}

/// A change computed from the current record: the new body, and the audit action.
type Change<'a> = dyn Fn(&Record) -> Result<Value, AppError> + Send + Sync + 'a;

/// Checks the size limits of every string, number and array of a body.
fn check_limits(value: &Value, path: &str, v: &mut Violations) {
    match value {
        Value::String(s) => {
            let max = if path == "external_id" {
                limits::MAX_EXTERNAL_ID_CHARS
            } else {
                limits::MAX_TEXT_CHARS
            };
            if s.chars().count() > max {
                v.push(
                    "field.too_long",
                    path,
                    format!("{path} is longer than {max} characters"),
                );
            }
            if s.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            {
                v.push(
                    "field.control_character",
                    path,
                    format!("{path} holds a control character (such as NUL)"),
                );
            }
        }
        Value::Number(n) if n.as_f64().is_some_and(|x| x.abs() > limits::MAX_NUMBER) => {
            v.push(
                "field.out_of_range",
                path,
                format!("{path} is beyond ±{:e}", limits::MAX_NUMBER),
            );
        }
        Value::Array(items) => {
            if items.len() > limits::MAX_ARRAY_ITEMS {
                v.push(
                    "field.too_many",
                    path,
                    format!("{path} holds more than {} items", limits::MAX_ARRAY_ITEMS),
                );
            }
            for (i, item) in items.iter().enumerate().take(limits::MAX_ARRAY_ITEMS) {
                check_limits(item, &format!("{path}[{i}]"), v);
            }
        }
        Value::Object(m) => {
            for (k, child) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                check_limits(child, &p, v);
            }
        }
        _ => {}
    }
}

impl Service {
    /// Wraps a repository.
    pub fn new(repo: Arc<dyn Repository>) -> Self {
        Self { repo }
    }

    /// Validates a body (limits, model, references) into a record ready to store. Rights, and then
    /// the links to other records ([`Service::check_links`]), are checked by the callers, which know
    /// whether this is a new record or a change.
    pub async fn prepare(
        &self,
        spec: &EntitySpec,
        mut body: Value,
        id: String,
        region: &str,
    ) -> Result<NewRecord, AppError> {
        let Some(obj) = body.as_object_mut() else {
            return Err(AppError::bad(
                "json.not_object",
                "body",
                "the body must be a JSON object",
            ));
        };
        for f in ENVELOPE {
            obj.remove(*f);
        }
        let mut v = Violations::default();
        check_limits(&body, "", &mut v);
        if !v.is_empty() {
            return Err(AppError::Invalid(v));
        }
        let body = (spec.normalize)(body).map_err(AppError::Invalid)?;
        for (field, kind) in spec.references {
            if let Some(target) = text_at(&body, field) {
                let found = self.repo.get(*kind, target).await?;
                if found.is_none_or(|r| r.region != region) {
                    v.push(
                        "reference.not_found",
                        *field,
                        format!(
                            "{field} '{target}' is not a {} in region {region}",
                            kind.table()
                        ),
                    );
                }
            }
        }
        if spec.kind == Kind::Vehicle && v.is_empty() {
            self.check_unique_plate(&body, &id, region, &mut v).await?;
        }
        if !v.is_empty() {
            return Err(AppError::Invalid(v));
        }
        let owner = if spec.kind == Kind::Party {
            Some(id.clone())
        } else {
            spec.owner.and_then(|f| text_at(&body, f)).map(String::from)
        };
        Ok(NewRecord {
            region: region.to_string(),
            external_id: text_at(&body, "external_id").map(String::from),
            owner_party: owner,
            partner_party: spec
                .partner
                .and_then(|f| text_at(&body, f))
                .map(String::from),
            status: if spec.has_status {
                text_at(&body, "status").map(String::from)
            } else {
                None
            },
            id,
            body,
        })
    }

    /// The record's links to other records agree with them ([`crate::links`]).
    pub async fn check_links(&self, spec: &EntitySpec, rec: &NewRecord) -> Result<(), AppError> {
        let v = crate::links::check_links(self.repo.as_ref(), spec.kind, &rec.body, &rec.region)
            .await?;
        v.into_result().map_err(AppError::Invalid)
    }

    /// A plate (with its colour) belongs to one vehicle per region.
    async fn check_unique_plate(
        &self,
        body: &Value,
        id: &str,
        region: &str,
        v: &mut Violations,
    ) -> Result<(), AppError> {
        let Some(plate) = text_at(body, "plate") else {
            return Ok(());
        };
        let q = ListQuery {
            region: Some(region.to_string()),
            filters: vec![wuliu_store::Filter {
                field: wuliu_store::Field::Json(vec!["plate"], wuliu_store::FieldType::Text),
                op: wuliu_store::Op::Eq,
                value: wuliu_store::Literal::Text(plate.to_string()),
            }],
            limit: 10,
            ..Default::default()
        };
        let colour = body.get("plate_colour");
        let page = self.repo.list(Kind::Vehicle, &q).await?;
        if let Some(other) = page
            .records
            .iter()
            .find(|r| r.id != id && r.body.get("plate_colour") == colour)
        {
            v.push(
                "vehicle.plate_taken",
                "plate",
                format!(
                    "plate {plate} is already vehicle '{}' in region {region}",
                    other.id
                ),
            );
        }
        Ok(())
    }

    /// The region a write goes to: admins may name one, everyone else writes to their own.
    pub fn write_region(
        &self,
        caller: &Caller,
        requested: Option<&str>,
    ) -> Result<String, AppError> {
        match requested {
            Some(r) if r != caller.region && caller.role != Role::Admin => Err(
                AppError::forbidden("region", "you may only write to your own region"),
            ),
            Some(r) if !wuliu_model::DivisionCode(r.to_string()).is_well_formed() => {
                Err(AppError::bad(
                    "region.invalid",
                    "region",
                    format!("'{r}' is not a GB/T 2260 code"),
                ))
            }
            Some(r) => Ok(r.to_string()),
            None => Ok(caller.region.clone()),
        }
    }

    /// The checks and the insert of a new record, without committing it.
    pub async fn plan_create(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        body: Value,
        region: &str,
    ) -> Result<NewRecord, AppError> {
        rules::check_role(caller, spec)?;
        let rec = self.prepare(spec, body, new_id(spec.kind), region).await?;
        rules::check_new(caller, spec.kind, &rec.body)?;
        rules::check_initial(spec.kind, rec.status.as_deref())?;
        self.check_links(spec, &rec).await?;
        Ok(rec)
    }

    /// Creates a record.
    pub async fn create(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        body: Value,
        region: &str,
    ) -> Result<Record, AppError> {
        let rec = self.plan_create(caller, spec, body, region).await?;
        let kind = spec.kind;
        let stored = self
            .commit_one(WriteOp::Insert { kind, rec }, |after| {
                audit::entry(caller, "create", kind, None, after)
            })
            .await?;
        Ok(stored)
    }

    /// Commits one write with the audit entry built from the stored result.
    async fn commit_one(
        &self,
        op: WriteOp,
        entry: impl Fn(&Record) -> AuditEntry,
    ) -> Result<Record, AppError> {
        // The audit entry needs the version after the write: one more than the expected one, or 1.
        let predicted = predicted_record(&op);
        let a = entry(&predicted);
        let mut out = self.repo.commit(vec![op], vec![a]).await?;
        Ok(out.remove(0))
    }

    /// Reads a record the caller may see; 404 otherwise (existence is not revealed).
    pub async fn get(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
    ) -> Result<Record, AppError> {
        match self.repo.get(spec.kind, id).await? {
            Some(r) if caller.can_read(&r, spec.public_read) => Ok(r),
            _ => Err(AppError::NotFound(format!(
                "no {} with id '{id}'",
                spec.kind.table()
            ))),
        }
    }

    /// Reads a record the caller may change: it sees it, and (for shippers and carriers) its party
    /// owns or partners it.
    async fn get_writable(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
    ) -> Result<Record, AppError> {
        rules::check_role(caller, spec)?;
        let rec = self.get(caller, spec, id).await?;
        let party = caller.party();
        let is_self = spec.kind == Kind::Party && rec.id == party;
        if caller.role != Role::Admin && !rec.involves(party) && !is_self {
            return Err(AppError::forbidden(
                spec.owner.unwrap_or("id"),
                format!(
                    "this {} is not your party's",
                    spec.kind.table().trim_end_matches('s')
                ),
            ));
        }
        Ok(rec)
    }

    /// The checks and the writes of a change to `old` whose new body is `body`: the record's own
    /// update, and the records that follow it (a waybill's load and vehicle).
    pub async fn plan_update(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        old: &Record,
        body: Value,
    ) -> Result<(Vec<WriteOp>, bool), AppError> {
        let rec = self
            .prepare(spec, body, old.id.clone(), &old.region)
            .await?;
        rules::check_step(caller, spec, old.status.as_deref(), rec.status.as_deref())?;
        let amend = rules::check_update(caller, spec.kind, old, &rec)?;
        self.check_links(spec, &rec).await?;
        let mut ops = vec![WriteOp::Update {
            kind: spec.kind,
            rec,
            expected_version: old.version,
        }];
        ops.extend(crate::workflows::follow_waybill(self, old, &ops[0]).await?);
        Ok((ops, amend))
    }

    /// Changes a record: reads it, computes the new body with `change`, checks every rule, and
    /// commits if the record is still at the version read (`expected`, when the caller gave one,
    /// must be that version). Without `expected`, a lost race is retried on a fresh read.
    pub async fn update(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        expected: Option<i64>,
        action: &str,
        change: &Change<'_>,
    ) -> Result<Record, AppError> {
        for attempt in 0.. {
            let old = self.get_writable(caller, spec, id).await?;
            if let Some(e) = expected {
                if e != old.version {
                    return Err(StoreError::VersionMismatch {
                        kind: spec.kind.table(),
                        id: id.to_string(),
                        expected: e,
                        actual: old.version,
                    }
                    .into());
                }
            }
            let body = change(&old)?;
            let (ops, amend) = self.plan_update(caller, spec, &old, body).await?;
            let action = if amend { "amend" } else { action };
            let entries = audit_all(caller, action, &ops, &old);
            match self.repo.commit(ops, entries).await {
                Ok(mut out) => return Ok(out.remove(0)),
                Err(StoreError::VersionMismatch { .. })
                    if expected.is_none() && attempt < RETRIES =>
                {
                    // Spread the retries of writers that collided so they do not collide again.
                    let pause = rand::random::<u64>() % (2 + 2 * attempt as u64);
                    tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                    continue;
                }
                Err(StoreError::VersionMismatch { kind, id, .. }) if expected.is_none() => {
                    return Err(AppError::Conflict {
                        field: "version".into(),
                        message: format!(
                            "{kind} '{id}' kept changing while this write was retried; try again"
                        ),
                    })
                }
                Err(e) => return Err(e.into()),
            }
        }
        unreachable!("the loop returns")
    }

    /// Replaces a record's body (validated in full).
    pub async fn replace(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        body: Value,
        expected: Option<i64>,
    ) -> Result<Record, AppError> {
        let expected = expected.or(body.get("version").and_then(Value::as_i64));
        self.update(caller, spec, id, expected, "update", &|_| Ok(body.clone()))
            .await
    }

    /// Applies a JSON merge patch (RFC 7396) and stores the result.
    pub async fn patch(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        patch: Value,
        expected: Option<i64>,
    ) -> Result<Record, AppError> {
        let expected = expected.or(patch.get("version").and_then(Value::as_i64));
        self.update(caller, spec, id, expected, "update", &|old| {
            let mut body = old.body.clone();
            merge_patch(&mut body, &patch);
            if let (Some(s), Some(obj)) = (&old.status, body.as_object_mut()) {
                obj.entry("status")
                    .or_insert_with(|| Value::String(s.clone()));
            }
            Ok(body)
        })
        .await
    }

    /// Moves a record along its lifecycle, filling the time fields the step implies.
    pub async fn transition(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        to: &str,
        expected: Option<i64>,
    ) -> Result<Record, AppError> {
        if spec.transition.is_none() {
            return Err(AppError::NotFound(format!(
                "{} have no status lifecycle",
                spec.kind.table()
            )));
        }
        let kind = spec.kind;
        self.update(caller, spec, id, expected, "transition", &|old| {
            let mut body = old.body.clone();
            body["status"] = Value::String(to.to_string());
            let now = Value::String(
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
            if kind == Kind::Waybill {
                if to == "dispatched" && body["despatch_time"].is_null() {
                    body["despatch_time"] = now.clone();
                }
                if to == "signed" && body["receipt_time"].is_null() {
                    body["receipt_time"] = now;
                }
            }
            Ok(body)
        })
        .await
    }

    /// The audit trail as the caller may read it: admins and the regulator all of it, a shipper or
    /// carrier the entries of its own party (in its region).
    pub async fn audit(
        &self,
        caller: &Caller,
        mut q: wuliu_store::AuditQuery,
    ) -> Result<Vec<AuditEntry>, AppError> {
        if let Some(r) = &q.region {
            check_region(r)?;
        }
        if !caller.sees_all() {
            q.party_id = Some(caller.party().to_string());
            q.region = Some(caller.region.clone());
        }
        Ok(self.repo.audit(&q).await?)
    }

    /// Every record the caller may see, in creation order, for export.
    pub async fn export(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        region: Option<String>,
    ) -> Result<Vec<Record>, AppError> {
        let q = self.visible_query(caller, spec, region)?;
        self.list_all(spec.kind, q).await
    }

    /// Every record `q` selects, page after page (no access check: callers restrict `q`).
    pub async fn list_all(&self, kind: Kind, mut q: ListQuery) -> Result<Vec<Record>, AppError> {
        q.limit = 1000;
        let mut out = Vec::new();
        loop {
            let page = self.repo.list(kind, &q).await?;
            out.extend(page.records);
            match page.next {
                Some(c) => q.after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// The base list query restricted to what the caller may see; a `region` that is not a
    /// GB/T 2260 code is refused as on writes.
    pub fn visible_query(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        region: Option<String>,
    ) -> Result<ListQuery, AppError> {
        if let Some(r) = &region {
            check_region(r)?;
        }
        Ok(self.visible_query_unchecked(caller, spec, region))
    }

    fn visible_query_unchecked(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        region: Option<String>,
    ) -> ListQuery {
        let (region, party) = if caller.sees_all() {
            (region, None)
        } else if spec.public_read {
            (Some(caller.region.clone()), None)
        } else {
            (
                Some(caller.region.clone()),
                Some(caller.party_id.clone().unwrap_or_default()),
            )
        };
        ListQuery {
            region,
            party,
            ..Default::default()
        }
    }
}

/// A region parameter must be a GB/T 2260 code.
fn check_region(r: &str) -> Result<(), AppError> {
    if wuliu_model::DivisionCode(r.to_string()).is_well_formed() {
        Ok(())
    } else {
        Err(AppError::bad(
            "region.invalid",
            "region",
            format!("'{r}' is not a GB/T 2260 code"),
        ))
    }
}

/// The record an op will store, as far as the audit entry needs it (ID, region, version, body).
pub(crate) fn predicted_record(op: &WriteOp) -> Record {
    let (rec, version) = match op {
        WriteOp::Insert { rec, .. } => (rec, 1),
        WriteOp::Update {
            rec,
            expected_version,
            ..
        } => (rec, expected_version + 1),
    };
    Record {
        id: rec.id.clone(),
        region: rec.region.clone(),
        external_id: rec.external_id.clone(),
        owner_party: rec.owner_party.clone(),
        partner_party: rec.partner_party.clone(),
        status: rec.status.clone(),
        version,
        created_at: String::new(),
        updated_at: String::new(),
        body: rec.body.clone(),
    }
}

/// Audit entries for a change: the first op is the record `old` changed by `action`; the others
/// are records that followed it (`follow`).
pub(crate) fn audit_all(
    caller: &Caller,
    action: &str,
    ops: &[WriteOp],
    old: &Record,
) -> Vec<AuditEntry> {
    ops.iter()
        .enumerate()
        .map(|(i, op)| {
            let after = predicted_record(op);
            if i == 0 {
                audit::entry(caller, action, op.kind(), Some(old), &after)
            } else {
                let mut e = audit::entry(caller, "follow", op.kind(), None, &after);
                e.diff = serde_json::json!({ "status": after.status, "because": old.id });
                e
            }
        })
        .collect()
}

/// RFC 7396 JSON merge patch.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Default::default());
            }
            let t = target.as_object_mut().expect("object");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// The spec of a stored kind (re-exported for workflows).
pub fn spec_of(kind: Kind) -> &'static EntitySpec {
    spec::by_kind(kind)
}
