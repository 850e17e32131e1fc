//! The audit trail: every write appends one [`AuditEntry`] in the same transaction as the write, so
//! the trail and the data never disagree. Entries say who (actor, role, party), from where
//! (address, request ID), when, what (action, collection, record, version) and how (a JSON diff:
//! `{"path": [old, new]}` over the flattened fields; the whole body for a new record).
//!
//! The store keeps the trail append-only (database triggers refuse UPDATE and DELETE).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wuliu_store::{AuditEntry, Kind, Record};

use crate::caller::Caller;

/// `{"path": [old, new]}` for every flattened field that differs (absent fields are `null`).
pub fn diff(old: &Value, new: &Value) -> Value {
    let flat = |v: &Value| {
        let mut cells = Vec::new();
        flatten_typed(v, "", &mut cells);
        cells.into_iter().collect::<BTreeMap<String, Value>>()
    };
    let (o, n) = (flat(old), flat(new));
    let mut out = serde_json::Map::new();
    for key in o.keys().chain(n.keys()) {
        let (a, b) = (o.get(key), n.get(key));
        if a != b && !out.contains_key(key) {
            out.insert(key.clone(), json!([a, b]));
        }
    }
    Value::Object(out)
}

/// Like [`crate::csvflat::flatten`], but keeps each leaf's JSON type.
fn flatten_typed(v: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten_typed(child, &p, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, child) in items.iter().enumerate() {
                flatten_typed(child, &format!("{prefix}[{i}]"), out);
            }
        }
        Value::Null => {}
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// The entry for a write by `caller`: `action` on `after` (which was `before`).
pub fn entry(
    caller: &Caller,
    action: &str,
    kind: Kind,
    before: Option<&Record>,
    after: &Record,
) -> AuditEntry {
    let diff = match before {
        Some(b) => {
            let mut d = diff(&b.body, &after.body);
            if b.status != after.status {
                d["status"] = json!([b.status, after.status]);
            }
            d
        }
        None => after.body.clone(),
    };
    AuditEntry {
        seq: 0,
        at: now(),
        region: after.region.clone(),
        actor: caller.actor.clone(),
        role: caller.role.name().into(),
        party_id: caller.party_id.clone(),
        address: caller.address.clone(),
        request_id: caller.request_id.clone(),
        action: action.into(),
        kind: Some(kind.table().into()),
        record_id: Some(after.id.clone()),
        version: Some(after.version),
        diff,
    }
}

/// An entry about something other than a stored record (a login, a token, an engine run).
pub fn event(caller: &Caller, action: &str, detail: Value) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: now(),
        region: caller.region.clone(),
        actor: caller.actor.clone(),
        role: caller.role.name().into(),
        party_id: caller.party_id.clone(),
        address: caller.address.clone(),
        request_id: caller.request_id.clone(),
        action: action.into(),
        kind: None,
        record_id: None,
        version: None,
        diff: detail,
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
