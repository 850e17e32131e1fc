//! Ledger life cycle: persistence across reopen, torn-tail recovery, concurrent group-committed
//! captures, tree heads and consistency between them.

mod common;
use common::*;
use std::io::Write;
use std::sync::Arc;
use wuliu_ledger::canonical::to_canonical_bytes;
use wuliu_ledger::hash::leaf_hash;
use wuliu_ledger::{verify_consistency, Ledger, LedgerError, LOG_FILE};

fn lot(i: usize) -> String {
    format!("urn:epc:class:lgtin:9521234.054321.L{i}")
}

#[test]
fn reopening_gives_the_same_tree_key_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let (head, key) = {
        let ledger = Ledger::open(dir.path()).unwrap();
        for i in 0..10 {
            ledger
                .capture(
                    &doc(vec![object(i as i64, "shipping", PLANT, &[], &[&lot(i)])]),
                    &admin(),
                )
                .unwrap();
        }
        (ledger.tree_head(), ledger.public_key_hex())
    };
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.open_report().events, 10);
    assert_eq!(ledger.open_report().discarded_tail_bytes, 0);
    assert_eq!(ledger.public_key_hex(), key);
    let again = ledger.tree_head();
    assert_eq!(
        (again.tree_size, again.root_hash),
        (head.tree_size, head.root_hash)
    );
    // Every leaf is the hash of the stored bytes.
    for i in 0..10 {
        let e = ledger.event_at(i).unwrap();
        assert_eq!(
            leaf_hash(&to_canonical_bytes(&e.event)),
            ledger.leaf_hash(i).unwrap()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("signing.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o077,
            0,
            "signing key must not be readable by others"
        );
    }
}

#[test]
fn torn_tail_is_dropped_and_the_log_continues() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ledger = Ledger::open(dir.path()).unwrap();
        ledger
            .capture(
                &doc(vec![object(0, "shipping", PLANT, &[], &[&lot(0)])]),
                &admin(),
            )
            .unwrap();
    }
    let path = dir.path().join(LOG_FILE);
    let good_len = std::fs::metadata(&path).unwrap().len();
    // Simulate a crash in the middle of writing a frame: the first part of a genuine frame
    // (from another ledger; frames do not depend on their position).
    let other = tempfile::tempdir().unwrap();
    Ledger::open(other.path())
        .unwrap()
        .capture(
            &doc(vec![object(5, "shipping", PLANT, &[], &[&lot(5)])]),
            &admin(),
        )
        .unwrap();
    let frame = std::fs::read(other.path().join(LOG_FILE)).unwrap();
    let partial = &frame[..frame.len() - 7];
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    f.write_all(partial).unwrap();
    drop(f);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(
        ledger.open_report().discarded_tail_bytes,
        partial.len() as u64
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), good_len);
    ledger
        .capture(
            &doc(vec![object(1, "shipping", PLANT, &[], &[&lot(1)])]),
            &admin(),
        )
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger.open_report().discarded_tail_bytes, 0);
}

#[test]
fn damage_in_the_middle_refuses_to_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ledger = Ledger::open(dir.path()).unwrap();
        for i in 0..3 {
            ledger
                .capture(
                    &doc(vec![object(i as i64, "shipping", PLANT, &[], &[&lot(i)])]),
                    &admin(),
                )
                .unwrap();
        }
    }
    let path = dir.path().join(LOG_FILE);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(8).position(|w| w == b"shipping").unwrap();
    bytes[at] = b'S'; // first frame: an edited business step
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::Corrupt { offset: 0, .. })
    ));
}

#[test]
fn concurrent_captures_are_all_durable_and_ordered_consistently() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Arc::new(Ledger::open(dir.path()).unwrap());
    let threads: Vec<_> = (0..8)
        .map(|th| {
            let ledger = ledger.clone();
            std::thread::spawn(move || {
                let mut receipts = Vec::new();
                for i in 0..25 {
                    let n = 1 + (i % 3);
                    let events = (0..n)
                        .map(|k| {
                            object(
                                k as i64,
                                "shipping",
                                PLANT,
                                &[],
                                &[&lot(th * 1000 + i * 10 + k)],
                            )
                        })
                        .collect();
                    receipts.push(ledger.capture(&doc(events), &admin()).unwrap());
                }
                receipts
            })
        })
        .collect();
    let receipts: Vec<_> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let total: u64 = receipts.iter().map(|r| r.count).sum();
    assert_eq!(ledger.len(), total);
    // Receipts tile the log exactly: each document got a contiguous, unique range of leaves.
    let mut ranges: Vec<(u64, u64)> = receipts
        .iter()
        .map(|r| (r.first_leaf_index, r.count))
        .collect();
    ranges.sort();
    let mut next = 0;
    for (first, count) in ranges {
        assert_eq!(first, next);
        next += count;
    }
    for r in &receipts {
        for (k, id) in r.event_ids.iter().enumerate() {
            let e = ledger.event_at(r.first_leaf_index + k as u64).unwrap();
            assert_eq!(&e.event_id, id);
        }
    }
    // The same log after reopening.
    let head = ledger.tree_head();
    drop(ledger);
    let reopened = Ledger::open(dir.path()).unwrap();
    assert_eq!(reopened.tree_head().root_hash, head.root_hash);
}

#[test]
fn tree_heads_over_time_are_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut heads = vec![ledger.tree_head()];
    for i in 0..12 {
        let events = (0..=i)
            .map(|k| object(k as i64, "shipping", PLANT, &[], &[&lot(i * 100 + k)]))
            .collect();
        ledger.capture(&doc(events), &admin()).unwrap();
        heads.push(ledger.tree_head());
    }
    for a in &heads {
        a.verify().unwrap();
        for b in &heads {
            if a.tree_size <= b.tree_size {
                let p = ledger
                    .consistency_proof(a.tree_size, Some(b.tree_size))
                    .unwrap();
                verify_consistency(
                    a.tree_size,
                    b.tree_size,
                    &a.root_hash,
                    &b.root_hash,
                    &p.path,
                )
                .unwrap();
            }
        }
    }
    assert!(ledger.consistency_proof(5, Some(4)).is_err());
    assert!(ledger.consistency_proof(1, Some(10_000)).is_err());
    assert!(matches!(
        ledger.inclusion_proof(10_000, None),
        Err(LedgerError::NoSuchLeaf { .. })
    ));
    assert_eq!(ledger.root_at(0).unwrap(), wuliu_ledger::hash::empty_root());
}

#[test]
fn event_receipts_verify_offline_and_detect_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut ids = Vec::new();
    for i in 0..9 {
        let r = ledger
            .capture(
                &doc(vec![object(i as i64, "shipping", PLANT, &[], &[&lot(i)])]),
                &admin(),
            )
            .unwrap();
        ids.extend(r.event_ids);
    }
    let key = ledger.public_key_hex();
    for id in &ids {
        let p = ledger.prove_event(id).unwrap();
        assert_eq!(&p.event.event_id, id);
        p.verify(Some(&key)).unwrap();
        // Round trip through JSON, as a client would receive it.
        let back: wuliu_ledger::EventProof =
            serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        back.verify(Some(&key)).unwrap();
        let mut t = back.clone();
        t.event_json = t.event_json.replace("shipping", "receiving");
        assert!(t.verify(None).is_err());
        let mut t = back.clone();
        t.proof.leaf_index = (t.proof.leaf_index + 1) % 9;
        assert!(t.verify(None).is_err());
        let mut t = back.clone();
        t.tree_head.tree_size += 1;
        assert!(t.verify(None).is_err());
    }
    assert!(matches!(
        ledger.prove_event("urn:uuid:nope"),
        Err(LedgerError::EventNotFound(_))
    ));
    // Request types deserialise from minimal JSON.
    let r: wuliu_ledger::LotReportRequest =
        serde_json::from_str(r#"{"subject": "urn:epc:class:lgtin:9521234.054321.L1"}"#).unwrap();
    assert_eq!(
        r.policy,
        wuliu_ledger::coldchain::ColdChainPolicy::default()
    );
    let r: wuliu_ledger::InclusionProofRequest =
        serde_json::from_str(r#"{"leaf_index": 3}"#).unwrap();
    assert_eq!(
        ledger
            .inclusion_proof(r.leaf_index, r.tree_size)
            .unwrap()
            .tree_size,
        9
    );
}
