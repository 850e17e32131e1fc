//! Records as the API shows them, and as CSV. CSV cells that a spreadsheet would run as a formula
//! (`=…`, `+…`, `-…`, `@…`, a leading tab or carriage return) are written with a leading `'`, which
//! spreadsheets show as text; import removes that one quote again, so an export re-imports
//! unchanged.

use std::collections::HashMap;

use serde_json::Value;
use wuliu_store::Record;

use crate::csvflat;

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

/// Whether a spreadsheet would read `cell` as a formula.
fn looks_like_formula(cell: &str) -> bool {
    let starts = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    starts && cell.parse::<f64>().is_err()
}

/// A cell made safe for spreadsheets (see the module docs).
pub fn neutralise(cell: &str) -> String {
    if looks_like_formula(cell) || (cell.starts_with('\'') && looks_like_formula(&cell[1..])) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The inverse of [`neutralise`], for import.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if looks_like_formula(rest)
                || (rest.starts_with('\'') && looks_like_formula(&rest[1..])) =>
        {
            rest
        }
        _ => cell,
    }
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
                .map(|c| neutralise(row.get(c).map(String::as_str).unwrap_or(""))),
        )
        .expect("write to memory");
    }
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("CSV of UTF-8 strings")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for cell in [
            "=cmd|' /C calc'!A0",
            "@SUM(A1:A2)",
            "+1+1",
            "-2+3",
            "\tx",
            "'=x",
        ] {
            let safe = neutralise(cell);
            assert!(safe.starts_with('\''), "{cell:?} -> {safe:?}");
            assert_eq!(unneutralise(&safe), cell);
        }
        for cell in ["-12.5", "+86 138", "plain", "'quoted", ""] {
            let kept = neutralise(cell);
            assert_eq!(unneutralise(&kept), cell);
        }
        assert_eq!(neutralise("-12.5"), "-12.5");
    }
}
