//! The platform's operations, independent of HTTP: the handlers and the CLI both call these.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use wuliu_model::Violation;
use wuliu_store::{Kind, NewRecord, Record, Repository, UpsertOutcome};

use crate::auth::{Caller, Role};
use crate::csvflat::{self, ENVELOPE};
use crate::error::ApiError;
use crate::spec::EntitySpec;

/// Rows per import transaction: each chunk is committed (acknowledged) before the next starts.
pub const IMPORT_CHUNK: usize = 500;

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

/// Checks that the caller may write a record with this body (before and after the change).
fn authorize_write(
    caller: &Caller,
    spec: &EntitySpec,
    body: &Value,
    id: &str,
) -> Result<(), ApiError> {
    match caller.role {
        Role::Admin => Ok(()),
        Role::Regulator => Err(ApiError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        }),
        _ if spec.admin_write => Err(ApiError::Forbidden {
            field: None,
            message: format!("only admins may write {}", spec.kind.table()),
        }),
        _ => {
            let party = caller.party_id.as_deref().unwrap_or_default();
            let owner = spec.owner.and_then(|f| text_at(body, f));
            let partner = spec.partner.and_then(|f| text_at(body, f));
            let is_self = spec.kind == Kind::Party && id == party;
            if is_self || owner == Some(party) || partner == Some(party) {
                Ok(())
            } else {
                let field = spec.owner.unwrap_or("id").to_string();
                Err(ApiError::Forbidden {
                    message: format!("{field} must be your own party ({party})"),
                    field: Some(field),
                })
            }
        }
    }
}

/// The platform's operations on one repository.
#[derive(Clone)]
pub struct Service {
    /// Storage.
    pub repo: Arc<dyn Repository>,
}

/// Result of one import row.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct RowResult {
    /// 1-based data row (the header is not counted).
    pub row: usize,
    /// Line in the file, for CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// `created`, `updated`, `unchanged` or `rejected`.
    pub outcome: String,
    /// Platform ID, when stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Problems, when rejected.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Violation>,
}

/// Report of a bulk import.
#[derive(Debug, Clone, Default, Serialize, PartialEq, schemars::JsonSchema)]
pub struct ImportReport {
    /// Rows read.
    pub total: usize,
    /// Rows stored as new records.
    pub created: usize,
    /// Rows that changed an existing record with the same external ID.
    pub updated: usize,
    /// Rows identical to what was stored.
    pub unchanged: usize,
    /// Rows refused; see `rows`.
    pub rejected: usize,
    /// One entry per row.
    pub rows: Vec<RowResult>,
}

impl ImportReport {
    /// Adds another report's counts and rows.
    pub fn merge(&mut self, other: ImportReport) {
        self.total += other.total;
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.rejected += other.rejected;
        self.rows.extend(other.rows);
    }
}

/// One row read from an import file, already turned into JSON (or the problems found doing so).
#[derive(Debug, Clone)]
pub struct InputRow {
    /// 1-based data row.
    pub row: usize,
    /// Line in a CSV file.
    pub line: Option<u64>,
    /// The row's JSON body.
    pub body: Result<Value, Vec<Violation>>,
}

/// Parses CSV text into rows typed by the entity's schema. Never fails as a whole: a malformed row is a
/// rejected row.
pub fn parse_csv(spec: &EntitySpec, text: &str) -> Result<Vec<InputRow>, ApiError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            ApiError::bad(
                "csv.header",
                "body",
                format!("cannot read the CSV header: {e}"),
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let schema = (spec.json_schema)();
    let mut rows = Vec::new();
    for (i, result) in reader.records().enumerate() {
        let row = i + 1;
        match result {
            Ok(rec) => {
                let cells: Vec<String> = rec.iter().map(str::to_string).collect();
                let line = rec.position().map(|p| p.line());
                rows.push(InputRow {
                    row,
                    line,
                    body: csvflat::unflatten(&headers, &cells, schema).map_err(|v| v.0),
                });
            }
            Err(e) => {
                let line = e.position().map(|p| p.line());
                let v = Violation {
                    code: "csv.malformed".into(),
                    field: String::new(),
                    message: e.to_string(),
                };
                rows.push(InputRow {
                    row,
                    line,
                    body: Err(vec![v]),
                });
            }
        }
    }
    Ok(rows)
}

/// Parses a JSON array of objects into rows.
pub fn parse_json_rows(text: &str) -> Result<Vec<InputRow>, ApiError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ApiError::bad(
            "json.malformed",
            "body",
            format!(
                "body is not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let items = match value {
        Value::Array(items) => items,
        _ => {
            return Err(ApiError::bad(
                "json.not_array",
                "body",
                "an import body must be a JSON array of objects",
            ))
        }
    };
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, body)| InputRow {
            row: i + 1,
            line: None,
            body: Ok(body),
        })
        .collect())
}

/// Parameters of a list request, already checked against the spec.
pub use wuliu_store::ListQuery;

impl Service {
    /// Wraps a repository.
    pub fn new(repo: Arc<dyn Repository>) -> Self {
        Self { repo }
    }

    /// Validates and converts a body into a record ready to store, checking rights and references.
    pub async fn prepare(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        mut body: Value,
        id: String,
        region: &str,
    ) -> Result<NewRecord, ApiError> {
        let Some(obj) = body.as_object_mut() else {
            return Err(ApiError::bad(
                "json.not_object",
                "body",
                "the body must be a JSON object",
            ));
        };
        for f in ENVELOPE {
            obj.remove(*f);
        }
        let body = (spec.normalize)(body).map_err(ApiError::Invalid)?;
        authorize_write(caller, spec, &body, &id)?;
        let mut missing = wuliu_model::Violations::default();
        for (field, kind) in spec.references {
            if let Some(target) = text_at(&body, field) {
                let found = self.repo.get(*kind, target).await?;
                if found.is_none_or(|r| r.region != region) {
                    missing.push(
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
        if !missing.is_empty() {
            return Err(ApiError::Invalid(missing));
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

    /// The region a write goes to: admins may name one, everyone else writes to their own.
    pub fn write_region(
        &self,
        caller: &Caller,
        requested: Option<&str>,
    ) -> Result<String, ApiError> {
        match requested {
            Some(r) if r != caller.region && caller.role != Role::Admin => {
                Err(ApiError::Forbidden {
                    field: Some("region".into()),
                    message: "you may only write to your own region".into(),
                })
            }
            Some(r) if !wuliu_model::DivisionCode(r.to_string()).is_well_formed() => {
                Err(ApiError::bad(
                    "region.invalid",
                    "region",
                    format!("'{r}' is not a GB/T 2260 code"),
                ))
            }
            Some(r) => Ok(r.to_string()),
            None => Ok(caller.region.clone()),
        }
    }

    /// Creates a record.
    pub async fn create(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        body: Value,
        region: &str,
    ) -> Result<Record, ApiError> {
        let rec = self
            .prepare(caller, spec, body, new_id(spec.kind), region)
            .await?;
        if let Some(status) = &rec.status {
            let initial_ok = spec.transition.is_none()
                || ["open", "draft", "confirmed"].contains(&status.as_str())
                || caller.role == Role::Admin;
            if !initial_ok {
                return Err(ApiError::invalid(
                    "status.initial",
                    "status",
                    format!("a new record cannot start as '{status}'"),
                ));
            }
        }
        Ok(self.repo.insert(spec.kind, rec).await?)
    }

    /// Reads a record the caller may see; 404 otherwise (existence is not revealed).
    pub async fn get(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
    ) -> Result<Record, ApiError> {
        match self.repo.get(spec.kind, id).await? {
            Some(r) if caller.can_read(&r, spec.public_read) => Ok(r),
            _ => Err(ApiError::NotFound(format!(
                "no {} with id '{id}'",
                spec.kind.table()
            ))),
        }
    }

    /// Replaces a record's body (validated in full), enforcing the lifecycle for status changes.
    pub async fn replace(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        body: Value,
    ) -> Result<Record, ApiError> {
        let old = self.get(caller, spec, id).await?;
        authorize_write(caller, spec, &old.body, id)?;
        let rec = self
            .prepare(caller, spec, body, id.to_string(), &old.region)
            .await?;
        if let (Some(step), Some(from), Some(to)) = (spec.transition, &old.status, &rec.status) {
            if from != to && !step(from, to) {
                return Err(ApiError::Conflict {
                    field: "status".into(),
                    message: format!("status cannot change from '{from}' to '{to}'"),
                });
            }
        }
        Ok(self.repo.replace(spec.kind, rec).await?)
    }

    /// Applies a JSON merge patch (RFC 7396) and stores the result.
    pub async fn patch(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        patch: Value,
    ) -> Result<Record, ApiError> {
        let old = self.get(caller, spec, id).await?;
        let mut body = old.body.clone();
        merge_patch(&mut body, &patch);
        self.replace(caller, spec, id, body).await
    }

    /// Moves a record along its lifecycle, filling the time fields the step implies.
    pub async fn transition(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        id: &str,
        to: &str,
    ) -> Result<Record, ApiError> {
        if spec.transition.is_none() {
            return Err(ApiError::NotFound(format!(
                "{} have no status lifecycle",
                spec.kind.table()
            )));
        }
        let old = self.get(caller, spec, id).await?;
        let mut body = old.body.clone();
        body["status"] = Value::String(to.to_string());
        let now =
            Value::String(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        if spec.kind == Kind::Waybill {
            if to == "dispatched" && body["despatch_time"].is_null() {
                body["despatch_time"] = now.clone();
            }
            if to == "signed" && body["receipt_time"].is_null() {
                body["receipt_time"] = now;
            }
        }
        self.replace(caller, spec, id, body).await
    }

    /// Imports rows idempotently by external ID. Valid rows are stored in transactions of
    /// [`IMPORT_CHUNK`] rows; invalid rows are reported and do not stop the rest.
    pub async fn import(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        rows: Vec<InputRow>,
        region: &str,
    ) -> Result<ImportReport, ApiError> {
        let mut report = ImportReport {
            total: rows.len(),
            ..Default::default()
        };
        let mut pending: Vec<(usize, Option<u64>, NewRecord)> = Vec::new();
        let mut results: HashMap<usize, RowResult> = HashMap::new();
        let reject = |row: usize, line: Option<u64>, errors: Vec<Violation>| RowResult {
            row,
            line,
            outcome: "rejected".into(),
            id: None,
            errors,
        };
        for input in rows {
            let prepared = match input.body {
                Err(errors) => Err(errors),
                Ok(body) if text_at(&body, "external_id").is_none_or(str::is_empty) => Err(vec![Violation {
                    code: "import.external_id_required".into(),
                    field: "external_id".into(),
                    message: "every imported row needs an external_id, which makes re-imports idempotent".into(),
                }]),
                Ok(body) => self.prepare(caller, spec, body, new_id(spec.kind), region).await.map_err(|e| e.violations()),
            };
            match prepared {
                Ok(rec) => pending.push((input.row, input.line, rec)),
                Err(errors) => {
                    results.insert(input.row, reject(input.row, input.line, errors));
                }
            }
        }
        let writer = if caller.role == Role::Admin {
            None
        } else {
            caller.party_id.as_deref()
        };
        for chunk in pending.chunks(IMPORT_CHUNK) {
            let recs: Vec<NewRecord> = chunk.iter().map(|(_, _, r)| r.clone()).collect();
            let outcomes = self.repo.upsert_batch(spec.kind, recs, writer).await?;
            for ((row, line, _), outcome) in chunk.iter().zip(outcomes) {
                let (name, id) = match outcome {
                    UpsertOutcome::Created { id } => ("created", id),
                    UpsertOutcome::Updated { id } => ("updated", id),
                    UpsertOutcome::Unchanged { id } => ("unchanged", id),
                    UpsertOutcome::Forbidden { id: _ } => {
                        let v = Violation {
                            code: "auth.forbidden".into(),
                            field: "external_id".into(),
                            message: "a record with this external_id belongs to another party"
                                .into(),
                        };
                        results.insert(*row, reject(*row, *line, vec![v]));
                        continue;
                    }
                };
                results.insert(
                    *row,
                    RowResult {
                        row: *row,
                        line: *line,
                        outcome: name.into(),
                        id: Some(id),
                        errors: vec![],
                    },
                );
            }
        }
        let mut rows: Vec<RowResult> = results.into_values().collect();
        rows.sort_by_key(|r| r.row);
        for r in &rows {
            match r.outcome.as_str() {
                "created" => report.created += 1,
                "updated" => report.updated += 1,
                "unchanged" => report.unchanged += 1,
                _ => report.rejected += 1,
            }
        }
        report.rows = rows;
        Ok(report)
    }

    /// Every record the caller may see, in creation order, for export.
    pub async fn export(
        &self,
        caller: &Caller,
        spec: &EntitySpec,
        region: Option<String>,
    ) -> Result<Vec<Record>, ApiError> {
        let mut q = self.visible_query(caller, spec, region);
        q.limit = 1000;
        let mut out = Vec::new();
        loop {
            let page = self.repo.list(spec.kind, &q).await?;
            out.extend(page.records);
            match page.next {
                Some(c) => q.after = Some(c),
                None => return Ok(out),
            }
        }
    }

    /// The base list query restricted to what the caller may see.
    pub fn visible_query(
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

/// The API representation of a record: envelope fields and the entity's own fields side by side.
pub fn record_json(rec: &Record) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("id".into(), Value::String(rec.id.clone()));
    out.insert("region".into(), Value::String(rec.region.clone()));
    out.insert("version".into(), Value::from(rec.version));
    out.insert("created_at".into(), Value::String(rec.created_at.clone()));
    out.insert("updated_at".into(), Value::String(rec.updated_at.clone()));
    if let Value::Object(body) = &rec.body {
        for (k, v) in body {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Writes records as CSV with dotted column names; columns are the union over all records.
pub fn records_csv(records: &[Record]) -> String {
    let mut columns: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let rows: Vec<HashMap<String, String>> = records
        .iter()
        .map(|r| {
            let mut cells = Vec::new();
            csvflat::flatten(&record_json(r), "", &mut cells);
            for (c, _) in &cells {
                if seen.insert(c.clone()) {
                    columns.push(c.clone());
                }
            }
            cells.into_iter().collect()
        })
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&columns).expect("write to memory");
    for row in rows {
        w.write_record(
            columns
                .iter()
                .map(|c| row.get(c).map(String::as_str).unwrap_or("")),
        )
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("CSV of UTF-8 strings")
}
