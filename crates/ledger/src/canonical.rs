//! Canonical JSON bytes for an event: object keys sorted by code point, no insignificant
//! whitespace. These exact bytes are what the log stores and hashes, so the same event always
//! gives the same leaf hash, whatever key order or spacing the capturing client used.

use serde_json::{Map, Value};
use std::io::Write;

/// Writes `value` as canonical JSON.
pub fn to_canonical_bytes(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    write(value, &mut out);
    out
}

/// Writes a JSON object as canonical JSON (same as [`to_canonical_bytes`] on the object).
pub fn object_to_canonical_bytes(map: &Map<String, Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    write_object(map, &mut out);
    out
}

/// Canonical JSON of an object that lacks member `key`, and the byte position where that
/// member would go (just after the `{` or after the last member sorting before `key`); give
/// both to [`insert_member`].
pub(crate) fn object_with_slot(map: &Map<String, Value>, key: &str) -> (Vec<u8>, usize) {
    let mut out = Vec::with_capacity(1024);
    let at = write_object_slot(map, Some(key), &mut out);
    (out, at)
}

/// Inserts member `key: value` (value already canonical JSON) into canonical object bytes at
/// the position [`object_with_slot`] gave: the result is the canonical JSON of the object with
/// the member.
pub(crate) fn insert_member(canonical: &[u8], at: usize, key: &str, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(canonical.len() + key.len() + value.len() + 4);
    let has_before = at > 1;
    let has_after = canonical.get(at) != Some(&b'}');
    out.extend_from_slice(&canonical[..at]);
    if has_before {
        out.push(b',');
    }
    write_string(key, &mut out);
    out.push(b':');
    out.extend_from_slice(value);
    if !has_before && has_after {
        out.push(b',');
    }
    out.extend_from_slice(&canonical[at..]);
    out
}

fn write_object(map: &Map<String, Value>, out: &mut Vec<u8>) {
    write_object_slot(map, None, out);
}

fn write_object_slot(map: &Map<String, Value>, slot: Option<&str>, out: &mut Vec<u8>) -> usize {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out.push(b'{');
    let mut at = out.len();
    for (i, (k, v)) in entries.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(k, out);
        out.push(b':');
        write(v, out);
        if slot.is_some_and(|s| k.as_str() < s) {
            at = out.len();
        }
    }
    out.push(b'}');
    at
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => write_object(map, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(v, out);
            }
            out.push(b']');
        }
        Value::String(s) => write_string(s, out),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Null => out.extend_from_slice(b"null"),
    }
}

fn write_string(s: &str, out: &mut Vec<u8>) {
    // serde_json's string escaping is deterministic and minimal.
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_spacing_do_not_matter() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": [1, 2], "x": "é\n"}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":"é\n","y":[1,2]},"b":1}"#).unwrap();
        let ca = to_canonical_bytes(&a);
        assert_eq!(ca, to_canonical_bytes(&b));
        assert_eq!(
            String::from_utf8(ca).unwrap(),
            r#"{"a":{"x":"é\n","y":[1,2]},"b":1}"#
        );
    }

    #[test]
    fn inserting_a_member_gives_the_canonical_form_with_it() {
        for text in [
            r#"{}"#,
            r#"{"a":1}"#,
            r#"{"z":1}"#,
            r#"{"a":1,"z":[2]}"#,
            r#"{"a":1,"b":{"x":1},"zz":null,"m":"s"}"#,
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            let map = v.as_object().unwrap();
            let (bytes, at) = object_with_slot(map, "n:rec");
            assert_eq!(bytes, to_canonical_bytes(&v));
            let member = serde_json::json!({"k": [1, "x"]});
            let got = insert_member(&bytes, at, "n:rec", &to_canonical_bytes(&member));
            let mut with = map.clone();
            with.insert("n:rec".into(), member);
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(object_to_canonical_bytes(&with)).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn canonical_form_is_a_fixed_point() {
        let v: Value = serde_json::from_str(r#"{"t": -18.50, "n": 1e2, "s": "\u00e9"}"#).unwrap();
        let once = to_canonical_bytes(&v);
        let again = to_canonical_bytes(&serde_json::from_slice(&once).unwrap());
        assert_eq!(once, again);
    }
}
