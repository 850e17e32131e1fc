//! A real full disk: the ledger lives on a tmpfs of 400 kB. Captures go on until the disk is
//! full; the capture that does not fit fails with a typed error and leaves nothing behind
//! (no partial frame, no event); every acknowledged event stays queryable; once the tmpfs is
//! grown the *same* `Ledger` value captures again (no restart), and reopening the directory
//! gives exactly the acknowledged events under a valid signed tree head.
//!
//! Needs root (`mount`); without it the tests print `skipped: …` and pass.
//!
//! A read-only remount is not tested here: Linux refuses `mount -o remount,ro` (EBUSY) while
//! the ledger holds its log open for writing. The read-only case (the write *and* the cut-back
//! fail, then the file system is writable again) is covered with injected faults in the
//! crate's unit tests (`ledger::tests`).

mod common;
use common::*;
use std::collections::HashSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use wuliu_ledger::{CaptureError, Ledger, LedgerError, LOG_FILE};

/// A tmpfs mounted on a temporary directory; unmounted (lazily) on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        run_mount(
            &["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"],
            dir.path(),
        )?;
        Ok(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn resize(&self, size: &str) {
        run_mount(
            &["-o", &format!("remount,size={size}"), "tmpfs"],
            self.path(),
        )
        .unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn run_mount(args: &[&str], dir: &Path) -> Result<(), String> {
    let out = Command::new("mount")
        .args(args)
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// A document of `n` events into its own lot, `seq` making it unique.
fn document(tag: &str, seq: usize, n: usize) -> String {
    let lot = format!("urn:epc:class:lgtin:9521234.054321.{tag}{seq}");
    let events = (0..n)
        .map(|k| {
            with_temps(
                object(k as i64, "shipping", PLANT, &[], &[&lot]),
                &[(k as i64, 3.0), (k as i64 + 1, 3.5)],
            )
        })
        .collect();
    doc(events)
}

fn is_disk_full(e: &CaptureError) -> bool {
    matches!(
        e,
        CaptureError::Ledger(LedgerError::WriteFailed {
            kind: ErrorKind::StorageFull,
            ..
        })
    )
}

/// Copies the ledger files to a normal directory and opens the copy there (the tmpfs is full,
/// and one ledger per directory): it must open with no torn tail, `events` events.
fn open_copy(dir: &Path, events: u64) {
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
    }
    let l = Ledger::open(copy.path()).unwrap();
    assert_eq!(
        l.open_report().torn_tail,
        None,
        "a partial frame was left in the log"
    );
    assert_eq!(l.len(), events);
}

/// Reopens `dir` and checks it holds exactly `acked`, under a valid signed head.
fn reopen_exactly(dir: &Path, acked: &HashSet<String>) {
    let l = Ledger::open(dir).unwrap();
    let r = l.open_report();
    assert_eq!(r.torn_tail, None);
    assert_eq!(r.events, acked.len() as u64);
    assert_eq!(r.signed_size, Some(acked.len() as u64));
    l.tree_head().verify().unwrap();
    for i in 0..l.len() {
        let e = l.event_at(i).unwrap();
        assert!(acked.contains(&e.event_id), "unacknowledged {}", e.event_id);
    }
    for id in acked {
        l.prove_event(id).unwrap().verify(None).unwrap();
    }
}

fn ledger_dir(fs: &Tmpfs) -> PathBuf {
    fs.path().join("ledger")
}

#[test]
fn a_full_disk_fails_the_capture_cleanly_and_the_ledger_recovers_without_restart() {
    let fs = match Tmpfs::mount("400k") {
        Ok(fs) => fs,
        Err(e) => {
            println!("skipped: cannot mount a tmpfs ({e})");
            return;
        }
    };
    let dir = ledger_dir(&fs);
    let ledger = Ledger::open(&dir).unwrap();
    let mut acked: HashSet<String> = HashSet::new();
    let mut failed = None;
    for seq in 0..10_000 {
        let d = document("F", seq, 1 + seq % 7);
        match ledger.capture(&d, &admin()) {
            Ok(r) => acked.extend(r.event_ids),
            Err(e) => {
                assert!(is_disk_full(&e), "capture {seq}: {e:?}");
                failed = Some(d);
                break;
            }
        }
    }
    let failed = failed.expect("the 400 kB tmpfs never filled up");
    assert!(acked.len() > 50, "only {} events fitted", acked.len());

    // Every acknowledged event is there; nothing of the failed capture is; no partial frame.
    assert_eq!(ledger.len(), acked.len() as u64);
    for id in &acked {
        assert!(ledger.event_by_id(id).unwrap().is_some(), "lost {id}");
    }
    ledger.healthy().unwrap();
    open_copy(&dir, acked.len() as u64);
    // Still full: the same document fails the same way, and still leaves nothing.
    let again = ledger.capture(&failed, &admin()).unwrap_err();
    assert!(is_disk_full(&again), "{again:?}");
    open_copy(&dir, acked.len() as u64);

    // Space returns: the same ledger takes the failed document (nothing of it was stored,
    // so it is no duplicate) and more.
    fs.resize("8m");
    let r = ledger.capture(&failed, &admin()).unwrap();
    assert_eq!(r.first_leaf_index, acked.len() as u64);
    acked.extend(r.event_ids);
    for seq in 0..20 {
        acked.extend(
            ledger
                .capture(&document("G", seq, 3), &admin())
                .unwrap()
                .event_ids,
        );
    }
    ledger.healthy().unwrap();
    assert_eq!(ledger.len(), acked.len() as u64);
    drop(ledger);
    reopen_exactly(&dir, &acked);
}

/// Four threads capture at once until each has seen the disk full (group commit: failed
/// batches and the captures queued behind them); then space returns and they go on. Every
/// acknowledged event, and only those, survive a reopen.
#[test]
fn concurrent_captures_on_a_full_disk_keep_exactly_the_acknowledged_events() {
    let fs = match Tmpfs::mount("400k") {
        Ok(fs) => fs,
        Err(e) => {
            println!("skipped: cannot mount a tmpfs ({e})");
            return;
        }
    };
    let dir = ledger_dir(&fs);
    let ledger = Arc::new(Ledger::open(&dir).unwrap());
    let acked = Arc::new(Mutex::new(HashSet::<String>::new()));
    let failed = Arc::new(Mutex::new(Vec::<String>::new()));
    let run = |tag: &'static str, until_full: bool| {
        let threads: Vec<_> = (0..4)
            .map(|th| {
                let (ledger, acked, failed) = (ledger.clone(), acked.clone(), failed.clone());
                std::thread::spawn(move || {
                    for seq in 0..if until_full { 10_000 } else { 10 } {
                        let d = document(&format!("{tag}{th}X"), seq, 1 + (seq + th) % 5);
                        match ledger.capture(&d, &admin()) {
                            Ok(r) => acked.lock().unwrap().extend(r.event_ids),
                            Err(e) if until_full => {
                                assert!(is_disk_full(&e), "{e:?}");
                                failed.lock().unwrap().push(d);
                                return;
                            }
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                    assert!(!until_full, "thread {th} never saw the disk full");
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    };
    run("P", true);
    {
        let acked = acked.lock().unwrap();
        assert_eq!(ledger.len(), acked.len() as u64);
        for id in acked.iter() {
            assert!(ledger.event_by_id(id).unwrap().is_some(), "lost {id}");
        }
    }
    ledger.healthy().unwrap();
    let log = std::fs::metadata(dir.join(LOG_FILE)).unwrap().len();
    open_copy(&dir, ledger.len());
    assert_eq!(std::fs::metadata(dir.join(LOG_FILE)).unwrap().len(), log);

    fs.resize("8m");
    // The documents that failed were not stored: they go in now, no duplicates.
    for d in failed.lock().unwrap().iter() {
        let r = ledger.capture(d, &admin()).unwrap();
        acked.lock().unwrap().extend(r.event_ids);
    }
    run("Q", false);
    drop(ledger);
    reopen_exactly(&dir, &acked.lock().unwrap());
}
