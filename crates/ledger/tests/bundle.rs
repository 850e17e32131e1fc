//! Offline verification of exported lot histories: a genuine bundle verifies; tampering with
//! any event, proof or tree head makes it fail.

mod common;
use common::*;
use serde_json::Value;
use wuliu_ledger::{verify_bundle, verify_bundle_with_key, Ledger};

fn ledger_with_history(dir: &std::path::Path) -> Ledger {
    let ledger = Ledger::open(dir).unwrap();
    ledger
        .capture(
            &doc(vec![
                with_temps(
                    object(0, "commissioning", PLANT, &[], &[CUT_LOT]),
                    &[(0, 2.0)],
                ),
                aggregate(5, "ADD", PALLET, &[], &[CUT_LOT]),
                with_temps(
                    to_destination(object(10, "shipping", PLANT, &[PALLET], &[]), DC),
                    &[(10, 3.0), (20, 3.5)],
                ),
            ]),
            &admin(),
        )
        .unwrap();
    // Unrelated traffic, so proofs are for a bigger tree.
    for i in 0..20 {
        let lot = format!("urn:epc:class:lgtin:9521234.054321.X{i}");
        ledger
            .capture(
                &doc(vec![object(i, "shipping", FARM, &[], &[&lot])]),
                &admin(),
            )
            .unwrap();
    }
    ledger
        .capture(
            &doc(vec![with_temps(
                object(60, "receiving", DC, &[PALLET], &[]),
                &[(60, 3.9)],
            )]),
            &admin(),
        )
        .unwrap();
    ledger
}

fn bundle_value(ledger: &Ledger) -> Value {
    serde_json::to_value(ledger.export_bundle(CUT_LOT).unwrap()).unwrap()
}

fn codes(v: &Value) -> Vec<String> {
    let r = verify_bundle(&v.to_string());
    assert!(!r.ok);
    r.failures.into_iter().map(|f| f.code).collect()
}

#[test]
fn genuine_bundle_verifies_offline_and_against_the_pinned_key() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_history(dir.path());
    let b = bundle_value(&ledger);
    assert_eq!(b["entries"].as_array().unwrap().len(), 4);
    let r = verify_bundle(&b.to_string());
    assert!(r.ok, "{:?}", r.failures);
    assert_eq!(r.entries_verified, 4);
    assert_eq!(r.tree_size, 24);
    let key = std::fs::read_to_string(dir.path().join("public.key")).unwrap();
    assert_eq!(key.trim(), ledger.public_key_hex());
    assert!(verify_bundle_with_key(&b.to_string(), &key).ok);
    // Verification needs nothing from the ledger: drop it and the files, verify again.
    drop(ledger);
    drop(dir);
    assert!(verify_bundle(&b.to_string()).ok);
}

#[test]
fn tampered_event_fails() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle_value(&ledger_with_history(dir.path()));
    // Warmer past: change a recorded temperature.
    let mut t = b.clone();
    let ev = t["entries"][2]["event_json"]
        .as_str()
        .unwrap()
        .replace("3.5", "13.5");
    assert_ne!(ev, t["entries"][2]["event_json"].as_str().unwrap());
    t["entries"][2]["event_json"] = Value::String(ev);
    assert!(codes(&t).contains(&"proof.invalid".to_string()));
    // Even whitespace matters: the bytes are what is proven.
    let mut t = b.clone();
    let ev = format!("{} ", t["entries"][0]["event_json"].as_str().unwrap());
    t["entries"][0]["event_json"] = Value::String(ev);
    assert!(codes(&t).contains(&"proof.invalid".to_string()));
    // Moving an event to another position.
    let mut t = b.clone();
    t["entries"][1]["leaf_index"] =
        Value::from(t["entries"][1]["leaf_index"].as_u64().unwrap() + 1);
    assert!(codes(&t).contains(&"proof.invalid".to_string()));
}

#[test]
fn tampered_proof_fails() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle_value(&ledger_with_history(dir.path()));
    let n = b["entries"][1]["proof"].as_array().unwrap().len();
    assert!(n > 0);
    for i in 0..n {
        let mut t = b.clone();
        let h = t["entries"][1]["proof"][i].as_str().unwrap().to_string();
        let flipped = format!("{}{}", if h.starts_with('0') { "1" } else { "0" }, &h[1..]);
        t["entries"][1]["proof"][i] = Value::String(flipped);
        assert_eq!(codes(&t), vec!["proof.invalid"]);
    }
    let mut t = b.clone();
    t["entries"][1]["proof"].as_array_mut().unwrap().pop();
    assert_eq!(codes(&t), vec!["proof.invalid"]);
}

#[test]
fn tampered_tree_head_fails() {
    let dir = tempfile::tempdir().unwrap();
    let b = bundle_value(&ledger_with_history(dir.path()));
    let mut t = b.clone();
    t["tree_head"]["tree_size"] = Value::from(25);
    assert!(codes(&t).contains(&"tree_head.signature".to_string()));
    let mut t = b.clone();
    t["tree_head"]["root_hash"] = Value::String("00".repeat(32));
    let c = codes(&t);
    assert!(
        c.contains(&"tree_head.signature".to_string()) && c.contains(&"proof.invalid".to_string())
    );
    let mut t = b.clone();
    t["tree_head"]["timestamp_ms"] =
        Value::from(t["tree_head"]["timestamp_ms"].as_u64().unwrap() - 1);
    assert_eq!(codes(&t), vec!["tree_head.signature"]);
    let mut t = b.clone();
    let sig = t["tree_head"]["signature"].as_str().unwrap().to_string();
    t["tree_head"]["signature"] = Value::String(format!(
        "{}{}",
        &sig[..10],
        sig[10..].replacen(&sig[10..11], if &sig[10..11] == "a" { "b" } else { "a" }, 1)
    ));
    assert_eq!(codes(&t), vec!["tree_head.signature"]);
}

#[test]
fn a_forger_with_another_key_fails_against_the_pinned_key() {
    // A forger builds their own ledger with a rewritten history and exports a perfectly
    // self-consistent bundle; only the pinned key tells it apart.
    let real_dir = tempfile::tempdir().unwrap();
    let real = ledger_with_history(real_dir.path());
    let forged_dir = tempfile::tempdir().unwrap();
    let forged = Ledger::open(forged_dir.path()).unwrap();
    forged
        .capture(
            &doc(vec![with_temps(
                object(0, "commissioning", PLANT, &[], &[CUT_LOT]),
                &[(0, 2.0)],
            )]),
            &admin(),
        )
        .unwrap();
    let fb = serde_json::to_string(&forged.export_bundle(CUT_LOT).unwrap()).unwrap();
    assert!(verify_bundle(&fb).ok);
    let r = verify_bundle_with_key(&fb, &real.public_key_hex());
    assert!(!r.ok);
    assert!(r.key_pinned);
    assert_eq!(r.failures[0].code, "tree_head.signature");
}

#[test]
fn unrelated_or_garbled_entries_fail() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_history(dir.path());
    let b = bundle_value(&ledger);
    // Splice in a genuine, provable event about another lot: its proof is fine, its relevance is not.
    let other = ledger
        .export_bundle("urn:epc:class:lgtin:9521234.054321.X3")
        .unwrap();
    let mut t = b.clone();
    t["entries"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::to_value(&other.entries[0]).unwrap());
    // (Appended out of time order, it also breaks the canonical order.)
    assert_eq!(codes(&t), vec!["entry.unrelated", "entry.order"]);
    let mut t = b.clone();
    let first = t["entries"][0].clone();
    t["entries"].as_array_mut().unwrap().push(first);
    assert!(codes(&t).contains(&"entry.duplicate".to_string()));
    assert_eq!(codes(&Value::String("nope".into())), vec!["bundle.parse"]);
    let mut t = b.clone();
    t["entries"] = Value::Array(vec![]);
    let c = codes(&t);
    assert!(c.contains(&"bundle.empty".to_string()));
    assert!(c.contains(&"chain.missing".to_string()), "{c:?}");
}
