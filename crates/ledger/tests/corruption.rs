//! Damage to the files of a ledger never loses an acknowledged event silently.
//!
//! A log is built from several captures (several frames, several events per frame); then one
//! bit or byte at a time is damaged, the ledger reopened, and either opening fails with a
//! corruption error or every acknowledged event is there, byte for byte. Cutting the log inside
//! acknowledged frames, rolling it back, rewriting it or deleting the tree-head file is
//! detected; a genuinely torn, never-acknowledged last frame is dropped and reported.

mod common;
use common::*;
use std::path::Path;
use wuliu_ledger::hash::{leaf_hash, Hash};
use wuliu_ledger::{Ledger, LedgerError, LOG_FILE};

const HEAD: &str = "tree-head.wth";

/// The state after the build: what was acknowledged and the files holding it.
struct Built {
    /// (eventID, leaf hash) of every acknowledged event, in log order.
    acked: Vec<(String, Hash)>,
    /// Byte offset where each frame starts, plus the end of the log.
    frame_starts: Vec<usize>,
    log: Vec<u8>,
    head: Vec<u8>,
    key: Vec<u8>,
}

fn lot(i: usize) -> String {
    format!("urn:epc:class:lgtin:9521234.054321.C{i}")
}

fn build() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut acked = Vec::new();
    let mut frame_starts = Vec::new();
    let mut minute = 0;
    for (d, n) in [1usize, 3, 2, 4, 1].into_iter().enumerate() {
        frame_starts.push(std::fs::metadata(dir.path().join(LOG_FILE)).unwrap().len() as usize);
        let events = (0..n)
            .map(|k| {
                minute += 1;
                with_temps(
                    object(minute, "shipping", PLANT, &[], &[&lot(d * 10 + k)]),
                    &[(minute, 2.5)],
                )
            })
            .collect();
        let receipt = ledger.capture(&doc(events), &admin()).unwrap();
        for (k, id) in receipt.event_ids.iter().enumerate() {
            let leaf = ledger
                .leaf_hash(receipt.first_leaf_index + k as u64)
                .unwrap();
            acked.push((id.clone(), leaf));
        }
    }
    drop(ledger);
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    let log = read(LOG_FILE);
    frame_starts.push(log.len());
    Built {
        acked,
        frame_starts,
        log,
        head: read(HEAD),
        key: read("signing.key"),
    }
}

fn install(dir: &Path, log: &[u8], head: Option<&[u8]>, key: &[u8]) {
    std::fs::write(dir.join(LOG_FILE), log).unwrap();
    std::fs::write(dir.join("signing.key"), key).unwrap();
    match head {
        Some(h) => std::fs::write(dir.join(HEAD), h).unwrap(),
        None => {
            let _ = std::fs::remove_file(dir.join(HEAD));
        }
    }
}

/// Errors that mean "refused: the files are damaged, lost or rewritten".
fn is_corruption(e: &LedgerError) -> bool {
    matches!(
        e,
        LedgerError::Corrupt { .. }
            | LedgerError::EventsLost { .. }
            | LedgerError::RootMismatch { .. }
            | LedgerError::TreeHeadMissing { .. }
            | LedgerError::TreeHeadFile { .. }
    )
}

/// Every acknowledged event is present at its position with its exact bytes.
fn assert_all_acked(ledger: &Ledger, b: &Built, what: &str) {
    assert!(
        ledger.len() >= b.acked.len() as u64,
        "{what}: reopened with {} events, {} were acknowledged",
        ledger.len(),
        b.acked.len()
    );
    for (i, (id, leaf)) in b.acked.iter().enumerate() {
        assert_eq!(
            ledger.leaf_hash(i as u64).unwrap(),
            *leaf,
            "{what}: leaf {i}"
        );
        let ev = ledger.event_by_id(id).unwrap();
        assert_eq!(
            ev.map(|e| e.leaf_index),
            Some(i as u64),
            "{what}: event {id}"
        );
    }
    let head = ledger.tree_head();
    assert!(head.tree_size >= b.acked.len() as u64, "{what}");
}

/// Opens `dir`; returns true when it refused with a corruption error, false when it opened
/// with every acknowledged event intact; panics on anything else.
fn reopen_checked(dir: &Path, b: &Built, what: &str) -> bool {
    match Ledger::open(dir) {
        Err(e) => {
            assert!(is_corruption(&e), "{what}: unexpected error {e:?}");
            let text = e.to_string();
            assert!(text.contains("refusing to open"), "{what}: {text}");
            true
        }
        Ok(ledger) => {
            assert_all_acked(&ledger, b, what);
            false
        }
    }
}

#[test]
fn a_flipped_bit_or_byte_anywhere_in_the_log_never_loses_an_acknowledged_event() {
    let b = build();
    assert!(b.frame_starts.len() >= 6 && b.acked.len() == 11);
    let dir = tempfile::tempdir().unwrap();
    let mut refused = 0;
    let mut cases = 0;
    // Every header byte of every frame gets every bit flipped and a whole-byte change; every
    // payload byte gets one bit flipped (a different bit at each position) and every 7th a
    // whole-byte change.
    for w in b.frame_starts.windows(2) {
        let (start, end) = (w[0], w[1]);
        for pos in start..end {
            let in_header = pos < start + 52;
            let mut damages: Vec<(String, u8)> = Vec::new();
            if in_header {
                for bit in 0..8 {
                    damages.push((format!("bit {bit}"), 1 << bit));
                }
            } else {
                damages.push((format!("bit {}", pos % 8), 1 << (pos % 8)));
            }
            if in_header || pos % 7 == 0 {
                damages.push(("byte".into(), 0xA5));
            }
            for (name, mask) in damages {
                let mut log = b.log.clone();
                log[pos] ^= mask;
                install(dir.path(), &log, Some(&b.head), &b.key);
                let what = format!("log byte {pos} (frame at {start}) {name}");
                if reopen_checked(dir.path(), &b, &what) {
                    refused += 1;
                }
                cases += 1;
            }
        }
    }
    // All frames were acknowledged, so every change must be refused.
    assert_eq!(refused, cases);
}

#[test]
fn first_frame_length_bit_flip_is_refused_not_truncated_to_nothing() {
    // The finding: one flipped bit in the first frame's length field emptied the ledger.
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    for bit in 0..32 {
        let mut log = b.log.clone();
        log[4 + bit / 8] ^= 1 << (bit % 8);
        install(dir.path(), &log, Some(&b.head), &b.key);
        match Ledger::open(dir.path()) {
            Err(LedgerError::Corrupt { offset, reason }) => {
                assert_eq!(offset, 0, "bit {bit}");
                assert!(reason.contains("header"), "bit {bit}: {reason}");
            }
            other => panic!("length bit {bit}: expected a corruption error, got {other:?}"),
        }
        // And nothing was changed on disk.
        assert_eq!(std::fs::read(dir.path().join(LOG_FILE)).unwrap(), log);
    }
}

#[test]
fn a_changed_byte_in_the_last_frame_is_refused() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    let last = b.frame_starts[b.frame_starts.len() - 2];
    for pos in [last + 60, last + 200, b.log.len() - 1] {
        let mut log = b.log.clone();
        log[pos] ^= 0x20;
        install(dir.path(), &log, Some(&b.head), &b.key);
        assert!(
            matches!(Ledger::open(dir.path()), Err(LedgerError::Corrupt { offset, .. }) if offset == last as u64),
            "byte {pos}"
        );
    }
}

#[test]
fn damage_to_the_tree_head_file_never_loses_an_acknowledged_event() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    for pos in 0..b.head.len() {
        for mask in [1u8 << (pos % 8), 0xFF] {
            let mut head = b.head.clone();
            head[pos] ^= mask;
            install(dir.path(), &b.log, Some(&head), &b.key);
            reopen_checked(dir.path(), &b, &format!("head byte {pos} ^ {mask:#x}"));
        }
    }
}

#[test]
fn cutting_the_log_inside_acknowledged_frames_is_refused() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    for cut in 0..b.log.len() {
        install(dir.path(), &b.log[..cut], Some(&b.head), &b.key);
        let e = Ledger::open(dir.path()).err();
        assert!(e.as_ref().is_some_and(is_corruption), "cut at {cut}: {e:?}");
    }
    // Rolled back to a frame boundary: the events are simply gone, and that is detected.
    let at = b.frame_starts[3];
    install(dir.path(), &b.log[..at], Some(&b.head), &b.key);
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::EventsLost {
            log_events: 6,
            signed_size: 11
        })
    ));
}

#[test]
fn a_rewritten_log_is_refused() {
    // Another log with as many events, or more, does not hash to the signed root.
    let b = build();
    let other = build();
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), &other.log, Some(&b.head), &b.key);
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::RootMismatch { tree_size: 11, .. })
    ));
}

#[test]
fn a_deleted_tree_head_file_is_detected() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), &b.log, None, &b.key);
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::TreeHeadMissing { log_events: 11 })
    ));
    // ... also together with a rollback of the log.
    install(dir.path(), &b.log[..b.frame_starts[2]], None, &b.key);
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::TreeHeadMissing { .. })
    ));
    // An old tree-head file restored over a longer log is fine (the log has more, not less).
    install(dir.path(), &b.log, Some(&b.head), &b.key);
    assert!(Ledger::open(dir.path()).is_ok());
}

/// Bytes of one complete frame from an unrelated ledger (frames do not depend on position).
fn foreign_frame() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger
        .capture(
            &doc(vec![
                object(90, "receiving", DC, &[], &[&lot(90)]),
                object(91, "storing", DC, &[], &[&lot(91)]),
            ]),
            &admin(),
        )
        .unwrap();
    drop(ledger);
    std::fs::read(dir.path().join(LOG_FILE)).unwrap()
}

#[test]
fn a_torn_unacknowledged_frame_is_dropped_and_reported() {
    let b = build();
    let frame = foreign_frame();
    let dir = tempfile::tempdir().unwrap();
    for cut in 1..frame.len() {
        let mut log = b.log.clone();
        log.extend_from_slice(&frame[..cut]);
        install(dir.path(), &log, Some(&b.head), &b.key);
        let ledger = Ledger::open(dir.path()).unwrap_or_else(|e| panic!("torn at {cut}: {e}"));
        assert_all_acked(&ledger, &b, &format!("torn at {cut}"));
        assert_eq!(ledger.len(), b.acked.len() as u64);
        let report = ledger.open_report();
        assert_eq!(report.discarded_tail_bytes, cut as u64);
        let tail = report.torn_tail.unwrap();
        assert_eq!(tail.offset, b.log.len() as u64);
        drop(ledger);
        assert_eq!(std::fs::read(dir.path().join(LOG_FILE)).unwrap(), b.log);
    }
    // The ledger goes on after a dropped tail, and the next open is clean.
    let mut log = b.log.clone();
    log.extend_from_slice(&frame[..frame.len() / 2]);
    install(dir.path(), &log, Some(&b.head), &b.key);
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger
        .capture(
            &doc(vec![object(99, "shipping", PLANT, &[], &[&lot(99)])]),
            &admin(),
        )
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.len(), b.acked.len() as u64 + 1);
    assert_eq!(ledger.open_report().torn_tail, None);
    assert_all_acked(&ledger, &b, "after the tail");
}

#[test]
fn a_complete_unacknowledged_last_frame_with_a_bad_payload_is_dropped_only_beyond_the_signed_head()
{
    // A power cut can persist a frame's header and size but not all its pages. When the frame
    // lies wholly beyond the last signed tree head (persisted before every acknowledgement), it
    // provably held nothing acknowledged.
    let b = build();
    let mut frame = foreign_frame();
    let n = frame.len();
    frame[n - 10] ^= 1;
    let dir = tempfile::tempdir().unwrap();
    let mut log = b.log.clone();
    log.extend_from_slice(&frame);
    install(dir.path(), &log, Some(&b.head), &b.key);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_all_acked(&ledger, &b, "damaged unacknowledged frame");
    assert_eq!(
        ledger.open_report().torn_tail.map(|t| t.kind),
        Some(wuliu_ledger::TornKind::DamagedPayload)
    );
}

#[test]
fn a_zero_filled_tail_is_dropped_and_reported() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    for zeros in [1usize, 3, 51, 52, 4096] {
        let mut log = b.log.clone();
        log.extend(std::iter::repeat_n(0u8, zeros));
        install(dir.path(), &log, Some(&b.head), &b.key);
        let ledger = Ledger::open(dir.path()).unwrap();
        assert_all_acked(&ledger, &b, &format!("{zeros} zeros"));
        assert_eq!(ledger.open_report().discarded_tail_bytes, zeros as u64);
        assert_eq!(
            ledger.open_report().torn_tail.map(|t| t.kind),
            Some(wuliu_ledger::TornKind::ZeroFill)
        );
    }
    // Zeros in place of acknowledged frames are not a torn tail.
    let mut log = b.log.clone();
    let last = b.frame_starts[b.frame_starts.len() - 2];
    log[last..].fill(0);
    install(dir.path(), &log, Some(&b.head), &b.key);
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::Corrupt { offset, .. }) if offset == last as u64
    ));
}

#[test]
fn never_signs_a_tree_head_smaller_than_one_signed_before() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    install(dir.path(), &b.log, Some(&b.head), &b.key);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.open_report().signed_size, Some(11));
    let h1 = ledger.tree_head();
    assert_eq!(h1.tree_size, 11);
    let h2 = ledger.tree_head();
    assert!(h2.timestamp_ms >= h1.timestamp_ms);
    // Each acknowledged capture persisted its head: the file moved on with the log.
    ledger
        .capture(
            &doc(vec![object(99, "shipping", PLANT, &[], &[&lot(99)])]),
            &admin(),
        )
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.open_report().signed_size, Some(12));
    let _ = leaf_hash(b"");
}

/// A log as earlier versions wrote it: WLF1 frames (no header check), no tree-head file.
fn legacy_log(events: &[Vec<u8>]) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    for e in events {
        let mut payload = (e.len() as u32).to_le_bytes().to_vec();
        payload.extend_from_slice(e);
        out.extend_from_slice(b"WLF1");
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&payload));
        out.extend_from_slice(&payload);
    }
    out
}

fn legacy_event(i: usize) -> Vec<u8> {
    let mut v = object(i as i64, "shipping", PLANT, &[], &[&lot(200 + i)]);
    v["eventID"] = serde_json::json!(format!("urn:uuid:00000000-0000-4000-8000-{i:012}"));
    v["recordTime"] = serde_json::json!("2025-05-01T00:00:00.000Z");
    wuliu_ledger::canonical::to_canonical_bytes(&v)
}

#[test]
fn a_legacy_wlf1_log_still_opens_and_continues_in_wlf2() {
    let b = build();
    let dir = tempfile::tempdir().unwrap();
    let events: Vec<Vec<u8>> = (0..3).map(legacy_event).collect();
    let log = legacy_log(&events);
    install(dir.path(), &log, None, &b.key);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.len(), 3);
    assert_eq!(ledger.open_report().signed_size, None);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(ledger.leaf_hash(i as u64).unwrap(), leaf_hash(e));
    }
    ledger
        .capture(
            &doc(vec![object(9, "shipping", PLANT, &[], &[&lot(209)])]),
            &admin(),
        )
        .unwrap();
    drop(ledger);
    let ledger = Ledger::open(dir.path()).unwrap();
    assert_eq!(ledger.len(), 4);
    assert_eq!(ledger.open_report().signed_size, Some(4));
    // Legacy events are in no chain but are counted: a bundle missing one fails.
    let bundle = serde_json::to_value(ledger.export_bundle(&lot(201)).unwrap()).unwrap();
    assert!(wuliu_ledger::verify_bundle(&bundle.to_string()).ok);
    assert_eq!(bundle["lot_heads"][0]["legacy"], 1);
    let mut t = bundle.clone();
    t["entries"] = serde_json::json!([]);
    let r = wuliu_ledger::verify_bundle(&t.to_string());
    assert!(r.failures.iter().any(|f| f.code == "chain.legacy"), "{r:?}");
    // Legacy lots have no owner: only an admin may capture into them.
    assert!(ledger
        .capture(
            &doc(vec![object(10, "storing", PLANT, &[], &[&lot(201)])]),
            &wuliu_ledger::Capturer::party("pty_x", "shipper"),
        )
        .is_err());
    drop(ledger);
    // A cut legacy frame cannot be proven torn (no header check): refused, not truncated.
    install(dir.path(), &log[..log.len() - 5], None, &b.key);
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(LedgerError::Corrupt { .. })
    ));
    assert_eq!(
        std::fs::read(dir.path().join(LOG_FILE)).unwrap(),
        &log[..log.len() - 5]
    );
}
