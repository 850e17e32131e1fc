//! Bulk import: CSV or JSON rows, each validated and authorised like a single write, stored in
//! transactions of [`IMPORT_CHUNK`] rows and idempotent by `external_id`. A bad row is reported with
//! its line and field and never stops the rest; rows already stored stay stored.
//!
//! CSV may come as UTF-8 (with or without a byte-order mark) or as GBK/GB 18030, which Excel writes
//! on Chinese Windows; a row with bytes that are neither is rejected on its own, with its line.

use serde::Serialize;
use serde_json::Value;
use wuliu_model::Violation;

use crate::csvflat;
use crate::error::AppError;
use crate::export::unneutralise;
use crate::limits::{MAX_CSV_COLUMNS, MAX_CSV_INDEX, MAX_IMPORT_ROWS};
use crate::spec::EntitySpec;

/// Rows per import transaction: each chunk is committed (acknowledged) before the next starts.
pub const IMPORT_CHUNK: usize = 500;

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

    /// Counts one row's outcome and keeps it.
    pub fn push(&mut self, r: RowResult) {
        match r.outcome.as_str() {
            "created" => self.created += 1,
            "updated" => self.updated += 1,
            "unchanged" => self.unchanged += 1,
            _ => self.rejected += 1,
        }
        self.rows.push(r);
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

/// The text of a CSV file: UTF-8 as it is; otherwise GBK (GB 18030) when the whole file decodes as
/// that; otherwise `None`, and rows are decoded one by one.
fn decode_whole(bytes: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_ok() {
        return Some(bytes.into());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned().into_bytes().into())
}

/// Checks the header: at most [`MAX_CSV_COLUMNS`] columns, array indices at most [`MAX_CSV_INDEX`].
fn check_header(headers: &[String]) -> Result<(), AppError> {
    if headers.len() > MAX_CSV_COLUMNS {
        return Err(AppError::too_large(
            "header",
            format!(
                "the CSV has {} columns; at most {MAX_CSV_COLUMNS}",
                headers.len()
            ),
        ));
    }
    for h in headers {
        if let Some(i) = csvflat::max_index(h) {
            if i > MAX_CSV_INDEX {
                return Err(AppError::too_large(
                    h.clone(),
                    format!("column '{h}' names index {i}; at most {MAX_CSV_INDEX}"),
                ));
            }
        }
    }
    Ok(())
}

/// Parses CSV into rows typed by the entity's schema. Fails as a whole only when the header cannot
/// be read or is over its limits: a malformed row is a rejected row.
pub fn parse_csv(spec: &EntitySpec, bytes: &[u8]) -> Result<Vec<InputRow>, AppError> {
    parse_csv_as((spec.json_schema)(), spec.kind.table(), bytes)
}

/// Parses CSV rows into JSON bodies typed by `schema` (columns are field paths such as
/// `point.lat`), naming `what` in errors.
pub fn parse_csv_as(schema: &Value, what: &str, bytes: &[u8]) -> Result<Vec<InputRow>, AppError> {
    let whole = decode_whole(bytes);
    let data: &[u8] = whole.as_deref().unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| {
            AppError::bad(
                "csv.header",
                "body",
                format!("cannot read the CSV header: {e}"),
            )
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    check_header(&headers)?;
    if !headers.iter().any(|h| csvflat::is_field(schema, h)) {
        return Err(AppError::bad(
            "csv.header",
            "header",
            format!(
                "no column of the header ({}) is a field of {}; the first line must name the columns",
                headers.join(","),
                what
            ),
        ));
    }
    let line_at = LineIndex::new(data);
    let mut rows = Vec::new();
    for (i, result) in reader.byte_records().enumerate() {
        let row = i + 1;
        if row > MAX_IMPORT_ROWS {
            return Err(AppError::too_large(
                "body",
                format!("an import holds at most {MAX_IMPORT_ROWS} rows; split the file"),
            ));
        }
        let (line, body) = match result {
            Ok(rec) => {
                let line = rec.position().map(|p| line_at.line(p.byte()));
                (line, row_body(&headers, &rec, schema))
            }
            Err(e) => {
                let line = e.position().map(|p| line_at.line(p.byte()));
                let v = Violation {
                    code: "csv.malformed".into(),
                    field: String::new(),
                    message: e.to_string(),
                };
                (line, Err(vec![v]))
            }
        };
        rows.push(InputRow { row, line, body });
    }
    Ok(rows)
}

/// Line numbers (1-based) of byte offsets, whatever the line ends (LF or CRLF). The csv crate
/// places a record that follows a CRLF at the LF (and counts its line one short); an offset at an
/// LF belongs to the line after it.
struct LineIndex {
    starts: Vec<u64>,
}

impl LineIndex {
    fn new(data: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            data.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i as u64 + 1),
        );
        LineIndex { starts }
    }

    fn line(&self, byte: u64) -> u64 {
        let at_lf = self.starts.binary_search(&(byte + 1)).is_ok();
        let byte = if at_lf { byte + 1 } else { byte };
        self.starts.partition_point(|s| *s <= byte) as u64
    }
}

/// One CSV record's JSON body; a cell that is not text in UTF-8 or GBK is named.
fn row_body(
    headers: &[String],
    rec: &csv::ByteRecord,
    schema: &Value,
) -> Result<Value, Vec<Violation>> {
    let mut cells = Vec::with_capacity(rec.len());
    for (i, raw) in rec.iter().enumerate() {
        match std::str::from_utf8(raw) {
            Ok(s) => cells.push(unneutralise(s).to_string()),
            Err(e) => {
                return Err(vec![Violation {
                    code: "csv.encoding".into(),
                    field: headers.get(i).cloned().unwrap_or_default(),
                    message: format!(
                        "byte {} of this cell is neither UTF-8 nor part of a GBK file; save the file as UTF-8",
                        e.valid_up_to() + 1
                    ),
                }])
            }
        }
    }
    csvflat::unflatten(headers, &cells, schema).map_err(|v| v.0)
}

/// Parses a JSON array of objects into rows.
pub fn parse_json_rows(text: &str) -> Result<Vec<InputRow>, AppError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        AppError::bad(
            "json.malformed",
            "body",
            format!(
                "body is not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let Value::Array(items) = value else {
        return Err(AppError::bad(
            "json.not_array",
            "body",
            "an import body must be a JSON array of objects",
        ));
    };
    if let Some(i) = items.iter().position(|item| !item.is_object()) {
        return Err(AppError::bad(
            "json.not_object",
            format!("[{i}]"),
            format!(
                "item {} of the array is not a JSON object (one object per row)",
                i + 1
            ),
        ));
    }
    if items.len() > MAX_IMPORT_ROWS {
        return Err(AppError::too_large(
            "body",
            format!("an import holds at most {MAX_IMPORT_ROWS} rows; split the file"),
        ));
    }
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

/// What one valid row will do.
enum Planned {
    /// Writes (the row's record first, then records that follow it) and their audit entries.
    Write {
        ops: Vec<wuliu_store::WriteOp>,
        audit: Vec<wuliu_store::AuditEntry>,
        outcome: &'static str,
    },
    /// The stored record already says exactly this.
    Unchanged(String),
}

fn violations(e: AppError) -> Vec<Violation> {
    e.violations()
}

impl crate::Service {
    /// Plans one row: a create when its external ID is new in the region, otherwise a change of
    /// that record under the same rules as a PUT (ownership, freezing, lifecycle).
    async fn plan_row(
        &self,
        caller: &crate::Caller,
        spec: &EntitySpec,
        body: Value,
        region: &str,
    ) -> Result<Planned, AppError> {
        let ext = body
            .get("external_id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if ext.is_empty() {
            return Err(AppError::invalid(
                "import.external_id_required",
                "external_id",
                "every imported row needs an external_id, which makes re-imports idempotent",
            ));
        }
        let existing = self.repo.get_by_external_id(spec.kind, region, ext).await?;
        let Some(old) = existing else {
            let rec = self.plan_create(caller, spec, body, region).await?;
            let op = wuliu_store::WriteOp::Insert {
                kind: spec.kind,
                rec,
            };
            let after = crate::service::predicted_record(&op);
            let a = crate::audit::entry(caller, "import", spec.kind, None, &after);
            return Ok(Planned::Write {
                ops: vec![op],
                audit: vec![a],
                outcome: "created",
            });
        };
        crate::rules::check_role(caller, spec)?;
        let party = caller.party();
        if caller.role != crate::Role::Admin && !old.involves(party) && old.id != party {
            return Err(AppError::forbidden(
                "external_id",
                "a record with this external_id belongs to another party",
            ));
        }
        let rec = self
            .prepare(spec, body.clone(), old.id.clone(), region)
            .await?;
        if rec.body == old.body && rec.status == old.status {
            return Ok(Planned::Unchanged(old.id));
        }
        let (ops, amend) = self.plan_update(caller, spec, &old, body).await?;
        let action = if amend { "amend" } else { "import" };
        let audit = crate::service::audit_all(caller, action, &ops, &old);
        Ok(Planned::Write {
            ops,
            audit,
            outcome: "updated",
        })
    }

    /// Imports rows idempotently by external ID. Valid rows are stored in transactions of
    /// [`IMPORT_CHUNK`] rows; invalid rows are reported and do not stop the rest. When a chunk's
    /// transaction fails because another writer got in between, its rows are planned and stored
    /// again one by one, so each row gets its own outcome.
    pub async fn import(
        &self,
        caller: &crate::Caller,
        spec: &EntitySpec,
        rows: Vec<InputRow>,
        region: &str,
    ) -> Result<ImportReport, AppError> {
        let mut report = ImportReport {
            total: rows.len(),
            ..Default::default()
        };
        for chunk in rows.chunks(IMPORT_CHUNK) {
            let mut results: Vec<RowResult> = Vec::with_capacity(chunk.len());
            let (mut ops, mut audit, mut pending) = (Vec::new(), Vec::new(), Vec::new());
            for input in chunk {
                let planned = match &input.body {
                    Err(errors) => Err(errors.clone()),
                    Ok(body) => self
                        .plan_row(caller, spec, body.clone(), region)
                        .await
                        .map_err(violations),
                };
                match planned {
                    Ok(Planned::Write {
                        ops: o,
                        audit: a,
                        outcome,
                    }) => {
                        pending.push((input, o[0].record().id.clone(), outcome));
                        ops.extend(o);
                        audit.extend(a);
                    }
                    Ok(Planned::Unchanged(id)) => {
                        results.push(row_result(input, "unchanged", Some(id), vec![]))
                    }
                    Err(errors) => results.push(row_result(input, "rejected", None, errors)),
                }
            }
            match self.repo.commit(ops, audit).await {
                Ok(_) => {
                    for (input, id, outcome) in pending {
                        results.push(row_result(input, outcome, Some(id), vec![]));
                    }
                }
                Err(e @ wuliu_store::StoreError::Unwritable(_)) => return Err(e.into()),
                Err(_) => {
                    for (input, _, _) in pending {
                        results.push(self.import_one(caller, spec, input, region).await?);
                    }
                }
            }
            results.sort_by_key(|r| r.row);
            for r in results {
                report.push(r);
            }
        }
        Ok(report)
    }

    /// Plans and stores one row on its own (after its chunk's transaction failed).
    async fn import_one(
        &self,
        caller: &crate::Caller,
        spec: &EntitySpec,
        input: &InputRow,
        region: &str,
    ) -> Result<RowResult, AppError> {
        let body = input.body.clone().expect("only valid rows are pending");
        for _ in 0..3 {
            match self.plan_row(caller, spec, body.clone(), region).await {
                Ok(Planned::Unchanged(id)) => {
                    return Ok(row_result(input, "unchanged", Some(id), vec![]))
                }
                Ok(Planned::Write {
                    ops,
                    audit,
                    outcome,
                }) => {
                    let id = ops[0].record().id.clone();
                    match self.repo.commit(ops, audit).await {
                        Ok(_) => return Ok(row_result(input, outcome, Some(id), vec![])),
                        Err(wuliu_store::StoreError::VersionMismatch { .. })
                        | Err(wuliu_store::StoreError::Conflict { .. }) => continue,
                        Err(e @ wuliu_store::StoreError::Unwritable(_)) => return Err(e.into()),
                        Err(e) => {
                            return Ok(row_result(input, "rejected", None, violations(e.into())))
                        }
                    }
                }
                Err(e) => return Ok(row_result(input, "rejected", None, violations(e))),
            }
        }
        let e = AppError::Conflict {
            field: "external_id".into(),
            message: "other writes to this record kept getting in between; retry the row".into(),
        };
        Ok(row_result(input, "rejected", None, violations(e)))
    }
}

fn row_result(
    input: &InputRow,
    outcome: &str,
    id: Option<String>,
    errors: Vec<Violation>,
) -> RowResult {
    RowResult {
        row: input.row,
        line: input.line,
        outcome: outcome.into(),
        id,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(csv: &str) -> Vec<Option<u64>> {
        let spec = crate::spec::by_collection("counties").unwrap();
        parse_csv(spec, csv.as_bytes())
            .unwrap()
            .iter()
            .map(|r| r.line)
            .collect()
    }

    #[test]
    fn rows_are_numbered_by_their_line_in_the_file() {
        assert_eq!(lines("name,division_code\na,1\nb,2\n"), [Some(2), Some(3)]);
        assert_eq!(
            lines("name,division_code\r\na,1\r\nb,2\r\n"),
            [Some(2), Some(3)]
        );
    }
}
