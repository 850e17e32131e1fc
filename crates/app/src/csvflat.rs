//! CSV ⇄ JSON: nested fields become dotted column names (`origin.point.lat`, `goods[0].description`).
//! On import, each cell is typed by the entity's JSON Schema, so `13800138000` stays a phone number
//! string while `rated_load` becomes a number.

use serde_json::{Map, Value};
use wuliu_model::Violations;

/// Columns that describe the stored record rather than the entity; ignored on import.
pub const ENVELOPE: &[&str] = &["id", "region", "version", "created_at", "updated_at"];

/// Appends `(column, cell)` pairs for every leaf of `v`. Nulls are skipped.
pub fn flatten(v: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(child, &p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                flatten(child, &format!("{prefix}[{i}]"), out);
            }
        }
        Value::Null => {}
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Leaf {
    Text,
    Number,
    Integer,
    Boolean,
}

fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            root.get("$defs")
                .and_then(|d| d.get(name))
                .map(|t| resolve(root, t))
                .unwrap_or(s)
        }
        None => s,
    }
}

/// The concrete alternatives of a schema (through `$ref`, `anyOf`, `oneOf`, `allOf`).
fn alternatives<'a>(root: &'a Value, s: &'a Value, out: &mut Vec<&'a Value>) {
    let s = resolve(root, s);
    let mut composite = false;
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = s.get(key).and_then(Value::as_array) {
            composite = true;
            for alt in list {
                alternatives(root, alt, out);
            }
        }
    }
    if !composite || s.get("properties").is_some() {
        out.push(s);
    }
}

fn child<'a>(root: &'a Value, s: &'a Value, key: &str) -> Option<&'a Value> {
    let mut alts = Vec::new();
    alternatives(root, s, &mut alts);
    alts.into_iter()
        .find_map(|a| a.get("properties").and_then(|p| p.get(key)))
}

fn items<'a>(root: &'a Value, s: &'a Value) -> Option<&'a Value> {
    let mut alts = Vec::new();
    alternatives(root, s, &mut alts);
    alts.into_iter().find_map(|a| a.get("items"))
}

fn leaf(root: &Value, s: &Value) -> Leaf {
    let mut alts = Vec::new();
    alternatives(root, s, &mut alts);
    for a in alts {
        let types: Vec<&str> = match a.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        for t in types {
            match t {
                "number" => return Leaf::Number,
                "integer" => return Leaf::Integer,
                "boolean" => return Leaf::Boolean,
                "string" => return Leaf::Text,
                _ => {}
            }
        }
    }
    Leaf::Text
}

/// One step of a column path: an object key, optionally indexed (`goods[0]`). An index of more
/// digits than a number holds reads as `usize::MAX`, which every limit refuses; brackets around
/// anything but digits are no index (and such a column names no field).
fn segments(column: &str) -> Vec<(String, Option<usize>)> {
    column
        .split('.')
        .map(|seg| match seg.split_once('[') {
            Some((name, rest)) => {
                let digits = rest.trim_end_matches(']');
                let index = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    // Digits too many for a number are over every limit, not a smaller index.
                    Some(digits.parse().unwrap_or(usize::MAX))
                } else {
                    None
                };
                (name.to_string(), index)
            }
            None => (seg.to_string(), None),
        })
        .collect()
}

/// The largest array index a column names (`goods[3].description` → 3), if it names any.
pub fn max_index(column: &str) -> Option<usize> {
    segments(column).into_iter().filter_map(|(_, i)| i).max()
}

fn insert(target: &mut Value, segs: &[(String, Option<usize>)], leaf_value: Value) {
    let Some(((name, index), rest)) = segs.split_first() else {
        *target = leaf_value;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let slot = target
        .as_object_mut()
        .expect("object")
        .entry(name.clone())
        .or_insert(Value::Null);
    let slot = match index {
        Some(i) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            let arr = slot.as_array_mut().expect("array");
            while arr.len() <= *i {
                arr.push(Value::Null);
            }
            &mut arr[*i]
        }
        None => slot,
    };
    insert(slot, rest, leaf_value);
}

/// Whether `column` names a field of the entity `schema` describes (or an envelope column).
pub fn is_field(schema: &Value, column: &str) -> bool {
    let column = column.trim();
    if ENVELOPE.contains(&column) {
        return true;
    }
    let mut node = Some(schema);
    for (name, index) in segments(column) {
        node = node.and_then(|n| child(schema, n, &name));
        if index.is_some() {
            node = node.and_then(|n| items(schema, n));
        }
    }
    node.is_some()
}

/// Whether `column` is a required top-level text field: an empty cell there is the empty text the
/// record holds (CSV cannot tell an empty text from an absent one), not a missing field.
fn required_text(schema: &Value, column: &str) -> bool {
    let is_required = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|f| f == column));
    is_required
        && child(schema, schema, column).is_some_and(|node| leaf(schema, node) == Leaf::Text)
}

/// Builds the JSON body of one CSV row, typing cells by `schema`. Empty cells are left out, but in
/// required text fields, where they are the empty text.
pub fn unflatten(
    headers: &[String],
    cells: &[String],
    schema: &Value,
) -> Result<Value, Violations> {
    let mut out = Value::Object(Map::new());
    let mut v = Violations::default();
    for (column, cell) in headers.iter().zip(cells) {
        let column = column.trim();
        if ENVELOPE.contains(&column) || (cell.is_empty() && !required_text(schema, column)) {
            continue;
        }
        let segs = segments(column);
        if max_index(column).is_some_and(|i| i > crate::limits::MAX_CSV_INDEX) {
            v.push(
                "csv.index_too_large",
                column,
                format!(
                    "column '{column}' names an index over {}",
                    crate::limits::MAX_CSV_INDEX
                ),
            );
            continue;
        }
        let mut node = Some(schema);
        for (name, index) in &segs {
            node = node.and_then(|n| child(schema, n, name));
            if index.is_some() {
                node = node.and_then(|n| items(schema, n));
            }
        }
        let Some(node) = node else {
            v.push(
                "csv.unknown_column",
                column,
                format!("column '{column}' is not a field of this entity"),
            );
            continue;
        };
        let value = match leaf(schema, node) {
            Leaf::Text => Some(Value::String(cell.clone())),
            Leaf::Number => cell
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number)),
            Leaf::Integer => cell.trim().parse::<i64>().ok().map(Value::from),
            Leaf::Boolean => match cell.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Some(Value::Bool(true)),
                "false" | "0" | "no" => Some(Value::Bool(false)),
                _ => None,
            },
        };
        match value {
            Some(val) => insert(&mut out, &segs, val),
            None => v.push(
                "csv.invalid_value",
                column,
                format!("'{cell}' is not a valid value for {column}"),
            ),
        }
    }
    v.into_result().map(|_| out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wuliu_model::Load;

    #[test]
    fn round_trip_through_columns_keeps_types() {
        let schema = serde_json::to_value(schemars::schema_for!(Load)).unwrap();
        let body = serde_json::json!({
            "shipper_id": "pty_1",
            "origin": {"point": {"lat": 24.3, "lon": 109.4}, "address": "柳南区", "division_code": "450204"},
            "cargo": {"kind": "cold_chain", "temperature": {"min": 0.0, "max": 4.0}},
            "packages": 12
        });
        let mut cols = Vec::new();
        flatten(&body, "", &mut cols);
        let (h, c): (Vec<String>, Vec<String>) = cols.into_iter().unzip();
        let back = unflatten(&h, &c, &schema).unwrap();
        assert_eq!(back, body);
        assert!(
            back["origin"]["division_code"].is_string(),
            "division codes stay text"
        );
    }

    #[test]
    fn bad_cells_are_named() {
        let schema = serde_json::to_value(schemars::schema_for!(Load)).unwrap();
        let h = vec!["weight".to_string(), "colour".to_string()];
        let c = vec!["heavy".to_string(), "red".to_string()];
        let err = unflatten(&h, &c, &schema).unwrap_err();
        let fields: Vec<_> = err
            .0
            .iter()
            .map(|v| (v.field.as_str(), v.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("weight", "csv.invalid_value"),
                ("colour", "csv.unknown_column")
            ]
        );
    }
}
