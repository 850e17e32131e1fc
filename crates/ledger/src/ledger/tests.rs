//! Recovery after failed writes, with injected file-system faults (see `Faults`): a failed
//! log write or fsync, a failed cut-back (e.g. a read-only file system), a failed tree-head
//! persist, and captures queued behind a failing group commit. `tests/disk_full.rs` does the
//! same on a real full tmpfs.

use super::*;
use std::io::ErrorKind;
use std::sync::{mpsc, Arc};

/// A capture document of `n` events into lot `tag` (distinct tags give distinct events).
fn doc(tag: &str, n: usize) -> String {
    doc_from(tag, 0, n)
}

/// `n` events into lot `tag`, at minutes `first..first + n`.
fn doc_from(tag: &str, first: usize, n: usize) -> String {
    let events: Vec<String> = (first..first + n)
        .map(|k| {
            format!(
                r#"{{ "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
                "eventTime": "2025-05-01T08:{k:02}:00+08:00", "eventTimeZoneOffset": "+08:00",
                "quantityList": [{{ "epcClass": "urn:epc:class:lgtin:9521234.054321.{tag}",
                "quantity": 200, "uom": "KGM" }}] }}"#
            )
        })
        .collect();
    format!(
        r#"{{ "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2025-05-01T08:00:00+08:00",
        "epcisBody": {{ "eventList": [{}] }} }}"#,
        events.join(",")
    )
}

fn admin() -> Capturer {
    Capturer::admin(None)
}

fn log_len(l: &Ledger) -> u64 {
    fs::metadata(l.dir().join(LOG_FILE)).unwrap().len()
}

fn present(l: &Ledger, ids: &[String]) -> usize {
    ids.iter()
        .filter(|id| l.event_by_id(id).unwrap().is_some())
        .count()
}

fn set_faults(l: &Ledger, f: Faults) {
    *lock(&l.faults) = f;
}

/// Reopens `dir` and checks it is clean: no torn tail, a signed head covering every event.
fn reopen_clean(dir: &Path) -> Ledger {
    let l = Ledger::open(dir).unwrap();
    let r = l.open_report();
    assert_eq!(r.torn_tail, None, "a partial frame was left in the log");
    assert_eq!(r.discarded_tail_bytes, 0);
    l.tree_head().verify().unwrap();
    l
}

fn expect_write_failed(r: Result<CaptureReceipt, CaptureError>, want: ErrorKind) {
    match r {
        Err(CaptureError::Ledger(LedgerError::WriteFailed { kind, .. })) if kind == want => {}
        other => panic!("expected WriteFailed({want:?}), got {other:?}"),
    }
}

#[test]
fn a_failed_write_stores_nothing_and_the_ledger_takes_captures_again() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path()).unwrap();
    let a = l.capture(&doc("A", 3), &admin()).unwrap();
    let durable = log_len(&l);
    // The disk fills in the middle of the next frame: 30 bytes of it reach the file.
    set_faults(
        &l,
        Faults {
            write: Some((30, ErrorKind::StorageFull)),
            ..Faults::default()
        },
    );
    let b = doc("B", 2);
    expect_write_failed(l.capture(&b, &admin()), ErrorKind::StorageFull);
    assert_eq!(log_len(&l), durable, "the partial frame was not cut off");
    assert_eq!(l.len(), 3);
    l.healthy().unwrap();
    // Nothing of B was stored: the same document is accepted, at the next leaf index.
    let b2 = l.capture(&b, &admin()).unwrap();
    assert_eq!(b2.first_leaf_index, 3);
    let c = l.capture(&doc("C", 1), &admin()).unwrap();
    assert_eq!(c.first_leaf_index, 5);
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 6);
    assert_eq!(l.open_report().signed_size, Some(6));
    assert_eq!(present(&l, &a.event_ids), 3);
    assert_eq!(present(&l, &b2.event_ids), 2);
}

#[test]
fn a_failed_fsync_is_cut_back_and_not_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path()).unwrap();
    l.capture(&doc("A", 1), &admin()).unwrap();
    let durable = log_len(&l);
    set_faults(
        &l,
        Faults {
            sync: Some(ErrorKind::Other),
            ..Faults::default()
        },
    );
    let b = doc("B", 2);
    expect_write_failed(l.capture(&b, &admin()), ErrorKind::Other);
    // The whole frame reached the file but was never synced: it must go.
    assert_eq!(log_len(&l), durable);
    assert_eq!(l.len(), 1);
    let b2 = l.capture(&b, &admin()).unwrap();
    assert_eq!(b2.first_leaf_index, 1);
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 3);
    assert_eq!(present(&l, &b2.event_ids), 2);
}

/// A read-only file system: the write fails and so does the cut-back. The ledger appends
/// nothing after the uncut bytes; once the file system is writable again the next capture
/// (or health check) cuts them off and goes on.
#[test]
fn an_uncut_partial_frame_blocks_appends_until_a_later_call_cuts_it() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path()).unwrap();
    l.capture(&doc("A", 2), &admin()).unwrap();
    let durable = log_len(&l);
    set_faults(
        &l,
        Faults {
            write: Some((70, ErrorKind::ReadOnlyFilesystem)),
            cuts: 3,
            ..Faults::default()
        },
    );
    expect_write_failed(
        l.capture(&doc("B", 1), &admin()),
        ErrorKind::ReadOnlyFilesystem,
    );
    assert_eq!(log_len(&l), durable + 70, "the test meant to leave bytes");
    // Still read-only: the capture retries the cut-back, fails, and appends nothing.
    match l.capture(&doc("C", 1), &admin()) {
        Err(CaptureError::Ledger(LedgerError::TailNotCut { durable_len, .. })) => {
            assert_eq!(durable_len, durable)
        }
        other => panic!("expected TailNotCut, got {other:?}"),
    }
    assert_eq!(log_len(&l), durable + 70);
    match l.healthy() {
        Err(LedgerError::TailNotCut { durable_len, .. }) => assert_eq!(durable_len, durable),
        other => panic!("expected TailNotCut, got {other:?}"),
    }
    // Writable again: the next capture cuts the bytes off first.
    let c = l.capture(&doc("C", 1), &admin()).unwrap();
    assert_eq!(c.first_leaf_index, 2);
    l.healthy().unwrap();
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 3);
    assert_eq!(present(&l, &c.event_ids), 1);
}

#[test]
fn a_health_check_cuts_back_a_pending_partial_frame() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path()).unwrap();
    l.capture(&doc("A", 1), &admin()).unwrap();
    let durable = log_len(&l);
    set_faults(
        &l,
        Faults {
            write: Some((10, ErrorKind::ReadOnlyFilesystem)),
            cuts: 1,
            ..Faults::default()
        },
    );
    expect_write_failed(
        l.capture(&doc("B", 1), &admin()),
        ErrorKind::ReadOnlyFilesystem,
    );
    assert_eq!(log_len(&l), durable + 10);
    l.healthy().unwrap();
    assert_eq!(log_len(&l), durable);
}

#[test]
fn a_failed_tree_head_persist_is_not_acknowledged_and_the_next_capture_covers_it() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path()).unwrap();
    l.capture(&doc("A", 1), &admin()).unwrap();
    set_faults(
        &l,
        Faults {
            heads: 2,
            ..Faults::default()
        },
    );
    let b = doc("B", 2);
    match l.capture(&b, &admin()) {
        Err(CaptureError::Ledger(LedgerError::HeadNotPersisted { tree_size, .. })) => {
            assert_eq!(tree_size, 3)
        }
        other => panic!("expected HeadNotPersisted, got {other:?}"),
    }
    // The events are in the fsynced log and kept; a retry is a duplicate, as after a lost answer.
    assert_eq!(l.len(), 3);
    assert!(matches!(
        l.capture(&b, &admin()),
        Err(CaptureError::Duplicate { .. })
    ));
    // The health check retries the head (fails once more), then the next capture persists one.
    assert!(matches!(
        l.healthy(),
        Err(LedgerError::HeadNotPersisted { tree_size: 3, .. })
    ));
    let c = l.capture(&doc("C", 1), &admin()).unwrap();
    assert_eq!(c.tree_size, 4);
    l.healthy().unwrap();
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 4);
    assert_eq!(l.open_report().signed_size, Some(4));
}

#[test]
fn after_a_failed_tree_head_persist_a_reopen_accepts_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let l = Ledger::open(dir.path()).unwrap();
    l.capture(&doc("A", 1), &admin()).unwrap();
    set_faults(
        &l,
        Faults {
            heads: 1,
            ..Faults::default()
        },
    );
    assert!(matches!(
        l.capture(&doc("B", 2), &admin()),
        Err(CaptureError::Ledger(LedgerError::HeadNotPersisted { .. }))
    ));
    drop(l);
    // The head on disk covers 1 event, the log holds 3: accepted, nothing dropped.
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 3);
    assert_eq!(l.open_report().signed_size, Some(1));
    l.capture(&doc("C", 1), &admin()).unwrap();
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.open_report().signed_size, Some(4));
}

/// Starts a capture of `d` on another thread whose group commit stops before writing (at the
/// gate); returns once the leader is waiting there, with the sender that releases it.
fn start_gated(
    l: &Arc<Ledger>,
    d: String,
    faults: Faults,
) -> (
    mpsc::Sender<()>,
    std::thread::JoinHandle<Result<CaptureReceipt, CaptureError>>,
) {
    let (entered_tx, entered_rx) = mpsc::channel();
    let (go_tx, go_rx) = mpsc::channel();
    set_faults(
        l,
        Faults {
            gate: Some((entered_tx, go_rx)),
            ..faults
        },
    );
    let l2 = l.clone();
    let h = std::thread::spawn(move || l2.capture(&d, &admin()));
    entered_rx.recv().unwrap();
    (go_tx, h)
}

/// Starts captures that queue behind the waiting leader; returns once all are enqueued.
fn queue_behind(
    l: &Arc<Ledger>,
    docs: Vec<String>,
) -> Vec<std::thread::JoinHandle<Result<CaptureReceipt, CaptureError>>> {
    let before = lock(&l.writer).enqueued;
    let n = docs.len() as u64;
    let hs = docs
        .into_iter()
        .map(|d| {
            let l2 = l.clone();
            std::thread::spawn(move || l2.capture(&d, &admin()))
        })
        .collect();
    while lock(&l.writer).enqueued < before + n {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    hs
}

#[test]
fn captures_queued_behind_a_failed_write_fail_too_and_leave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let l = Arc::new(Ledger::open(dir.path()).unwrap());
    let a = l.capture(&doc("A", 1), &admin()).unwrap();
    let durable = log_len(&l);
    let (go, leader) = start_gated(
        &l,
        doc("B", 2),
        Faults {
            write: Some((100, ErrorKind::StorageFull)),
            ..Faults::default()
        },
    );
    // These chain onto B's lot state and sit behind B's write.
    let behind = queue_behind(&l, vec![doc_from("B", 10, 3), doc("C", 1), doc("D", 2)]);
    go.send(()).unwrap();
    expect_write_failed(leader.join().unwrap(), ErrorKind::StorageFull);
    for h in behind {
        expect_write_failed(h.join().unwrap(), ErrorKind::StorageFull);
    }
    assert_eq!(log_len(&l), durable);
    assert_eq!(l.len(), 1);
    // All state rolled back: the same documents go in again, from leaf 1 on.
    let b = l.capture(&doc_from("B", 10, 3), &admin()).unwrap();
    assert_eq!(b.first_leaf_index, 1);
    let d = l.capture(&doc("D", 2), &admin()).unwrap();
    assert_eq!(d.first_leaf_index, 4);
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 6);
    assert_eq!(present(&l, &a.event_ids), 1);
    assert_eq!(present(&l, &b.event_ids), 3);
    assert_eq!(present(&l, &d.event_ids), 2);
}

#[test]
fn captures_queued_behind_a_failed_tree_head_persist_are_acknowledged_by_the_next_head() {
    let dir = tempfile::tempdir().unwrap();
    let l = Arc::new(Ledger::open(dir.path()).unwrap());
    let (go, leader) = start_gated(
        &l,
        doc("B", 2),
        Faults {
            heads: 1,
            ..Faults::default()
        },
    );
    let behind = queue_behind(&l, vec![doc_from("B", 10, 3), doc("C", 1)]);
    go.send(()).unwrap();
    assert!(matches!(
        leader.join().unwrap(),
        Err(CaptureError::Ledger(LedgerError::HeadNotPersisted { .. }))
    ));
    for h in behind {
        h.join().unwrap().unwrap();
    }
    assert_eq!(l.len(), 6);
    l.healthy().unwrap();
    drop(l);
    let l = reopen_clean(dir.path());
    assert_eq!(l.len(), 6);
    assert_eq!(l.open_report().signed_size, Some(6));
}

#[test]
fn share_codes_open_one_lot_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let lot = "urn:epc:class:lgtin:9521234.054321.SHARE1";
    let code = {
        let l = Ledger::open(dir.path()).unwrap();
        let code = l.share_code(lot).unwrap();
        assert!(l.check_share_code(lot, &code).unwrap());
        assert!(!l
            .check_share_code("urn:epc:class:lgtin:9521234.054321.SHARE2", &code)
            .unwrap());
        assert!(!l.check_share_code(lot, &code[..31]).unwrap());
        assert!(!l.check_share_code(lot, "").unwrap());
        assert!(l.share_code("not an identifier").is_err());
        code
    };
    // Same signing key after a reopen: printed QR codes keep working.
    let l = Ledger::open(dir.path()).unwrap();
    assert_eq!(l.share_code(lot).unwrap(), code);
}
