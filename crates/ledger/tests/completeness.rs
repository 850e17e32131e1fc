//! Bundles prove completeness: removing, reordering, duplicating or replacing any entry of a
//! lot's bundle — the last one included — fails verification with a named reason.

mod common;
use common::*;
use serde_json::Value;
use wuliu_ledger::{verify_bundle, Ledger};

const LOT: &str = "urn:epc:class:lgtin:9521234.054321.FULL1";

fn ledger_with_lot(dir: &std::path::Path) -> Ledger {
    let ledger = Ledger::open(dir).unwrap();
    for i in 0..5i64 {
        ledger
            .capture(
                &doc(vec![with_temps(
                    object(i * 10, "storing", DC, &[], &[LOT]),
                    &[(i * 10, 3.0)],
                )]),
                &admin(),
            )
            .unwrap();
        let noise = format!("urn:epc:class:lgtin:9521234.054321.N{i}");
        ledger
            .capture(
                &doc(vec![object(i, "shipping", FARM, &[], &[&noise])]),
                &admin(),
            )
            .unwrap();
    }
    ledger
}

fn bundle(ledger: &Ledger) -> Value {
    serde_json::to_value(ledger.export_bundle(LOT).unwrap()).unwrap()
}

fn codes(v: &Value) -> Vec<String> {
    let r = verify_bundle(&v.to_string());
    assert!(!r.ok, "the altered bundle verified");
    r.failures.into_iter().map(|f| f.code).collect()
}

fn entries(v: &mut Value) -> &mut Vec<Value> {
    v["entries"].as_array_mut().unwrap()
}

#[test]
fn the_genuine_bundle_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle(&ledger_with_lot(dir.path()));
    let r = verify_bundle(&b.to_string());
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.entries_verified, 5);
}

#[test]
fn removing_any_entry_fails() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle(&ledger_with_lot(dir.path()));
    for (which, at) in [("first", 0), ("middle", 2), ("last", 4)] {
        let mut t = b.clone();
        entries(&mut t).remove(at);
        let c = codes(&t);
        assert!(c.contains(&"chain.missing".to_string()), "{which}: {c:?}");
    }
    // All but one.
    let mut t = b.clone();
    entries(&mut t).truncate(1);
    assert!(codes(&t).contains(&"chain.missing".to_string()));
}

#[test]
fn reordering_or_duplicating_entries_fails() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle(&ledger_with_lot(dir.path()));
    let mut t = b.clone();
    entries(&mut t).swap(1, 3);
    assert_eq!(codes(&t), vec!["entry.order"]);
    let mut t = b.clone();
    let e = t["entries"][2].clone();
    entries(&mut t).insert(3, e);
    assert_eq!(codes(&t), vec!["entry.duplicate"]);
}

#[test]
fn replacing_or_tampering_with_an_entry_fails() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_lot(dir.path());
    let b = bundle(&ledger);
    // Tampered content.
    let mut t = b.clone();
    let text = t["entries"][4]["event_json"]
        .as_str()
        .unwrap()
        .replace("3.0", "1.0");
    t["entries"][4]["event_json"] = Value::String(text);
    assert!(codes(&t).contains(&"proof.invalid".to_string()));
    // The last entry replaced by a genuine, proven event of another lot.
    let other = serde_json::to_value(
        ledger
            .export_bundle("urn:epc:class:lgtin:9521234.054321.N4")
            .unwrap(),
    )
    .unwrap();
    let mut t = b.clone();
    t["entries"][4] = other["entries"][0].clone();
    let c = codes(&t);
    assert!(c.contains(&"entry.unrelated".to_string()), "{c:?}");
    assert!(c.contains(&"chain.missing".to_string()), "{c:?}");
}

#[test]
fn the_signed_lot_head_cannot_be_dropped_altered_or_swapped_for_an_older_one() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_lot(dir.path());
    let older = bundle(&ledger);
    ledger
        .capture(&doc(vec![object(60, "storing", DC, &[], &[LOT])]), &admin())
        .unwrap();
    let b = bundle(&ledger);
    assert!(verify_bundle(&b.to_string()).ok);
    let mut t = b.clone();
    t["lot_heads"] = Value::Array(vec![]);
    assert_eq!(codes(&t), vec!["lot_head.missing"]);
    // Claiming one event fewer, to hide the last one.
    let mut t = b.clone();
    entries(&mut t).pop();
    t["lot_heads"][0]["recorded"] = Value::from(5);
    t["lot_heads"][0]["head"] = older["lot_heads"][0]["head"].clone();
    assert!(codes(&t).contains(&"lot_head.signature".to_string()));
    // An older genuine statement does not match this bundle's tree head.
    let mut t = b.clone();
    entries(&mut t).pop();
    t["lot_heads"] = older["lot_heads"].clone();
    assert!(codes(&t).contains(&"lot_head.tree".to_string()));
}
