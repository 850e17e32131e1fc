//! Crash durability: a capture that returned survives SIGKILL.
//!
//! The test re-executes its own binary as a capture child (selected by an environment
//! variable). The child captures from four threads at once (so group commit is exercised) and
//! prints `ACK <eventID>` only after `capture` returned. The parent reads those lines, kills
//! the child with SIGKILL in mid-stream, reopens the ledger and checks that every acknowledged
//! event is present, that its inclusion proof verifies against a freshly signed tree head, and
//! that the new tree is consistent with the tree after the previous crash. Three rounds, so
//! recovery after a crash is itself crashed into.
//!
//! SIGKILL leaves the page cache intact, so this proves the protocol (acknowledge only after
//! write + fdatasync; drop a torn tail on open); surviving power loss also relies on the
//! file system honouring fdatasync.

mod common;
use common::*;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wuliu_ledger::canonical::to_canonical_bytes;
use wuliu_ledger::hash::leaf_hash;
use wuliu_ledger::{verify_consistency, Ledger};

const CHILD_DIR: &str = "WULIU_LEDGER_CRASH_CHILD_DIR";
const CHILD_ROUND: &str = "WULIU_LEDGER_CRASH_CHILD_ROUND";
const TEST_NAME: &str = "acknowledged_captures_survive_sigkill";

fn child(dir: &str, round: u32) {
    let ledger = Arc::new(Ledger::open(dir).unwrap());
    let stdout = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let threads: Vec<_> = (0..4u32)
        .map(|th| {
            let ledger = ledger.clone();
            let stdout = stdout.clone();
            std::thread::spawn(move || {
                let mut i = 0u32;
                while Instant::now() < deadline {
                    // Mostly small documents, now and then a big one (a longer write to tear).
                    let n = if i % 10 == 9 { 200 } else { 1 + (i % 5) };
                    let events = (0..n)
                        .map(|k| {
                            let lot =
                                format!("urn:epc:class:lgtin:9521234.054321.R{round}T{th}D{i}E{k}");
                            with_temps(
                                object(k as i64, "shipping", PLANT, &[], &[&lot]),
                                &[(k as i64, 3.0)],
                            )
                        })
                        .collect();
                    let receipt = ledger.capture(&doc(events), &admin()).unwrap();
                    let mut out = stdout.lock().unwrap();
                    for id in &receipt.event_ids {
                        writeln!(out, "ACK {id}").unwrap();
                    }
                    out.flush().unwrap();
                    i += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn acknowledged_captures_survive_sigkill() {
    if let Ok(dir) = std::env::var(CHILD_DIR) {
        let round = std::env::var(CHILD_ROUND).unwrap().parse().unwrap();
        child(&dir, round);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut acked: Vec<String> = Vec::new();
    let mut previous: Option<(u64, wuliu_ledger::Hash)> = None;
    for round in 0..3u32 {
        let mut proc_ = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD_DIR, dir.path())
            .env(CHILD_ROUND, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let reader = BufReader::new(proc_.stdout.take().unwrap());
        let target = 300 + 200 * round as usize;
        let mut this_round = 0;
        for line in reader.lines() {
            let line = line.unwrap();
            if let Some(id) = line.strip_prefix("ACK ") {
                acked.push(id.to_string());
                this_round += 1;
                if this_round >= target {
                    break;
                }
            }
        }
        proc_.kill().unwrap(); // SIGKILL on Unix
        let status = proc_.wait().unwrap();
        assert!(
            this_round >= target,
            "child stopped after {this_round} acks: {status:?}"
        );

        let ledger = Ledger::open(dir.path()).unwrap();
        eprintln!(
            "round {round}: {} acknowledged, {} recovered, torn tail dropped: {} bytes",
            acked.len(),
            ledger.open_report().events,
            ledger.open_report().discarded_tail_bytes
        );
        let head = ledger.tree_head();
        head.verify().unwrap();
        assert!(head.tree_size as usize >= acked.len());
        let unique: HashSet<&String> = acked.iter().collect();
        assert_eq!(unique.len(), acked.len(), "an event was acknowledged twice");
        for id in &acked {
            let ev = ledger
                .event_by_id(id)
                .unwrap()
                .unwrap_or_else(|| panic!("acknowledged event {id} lost in round {round}"));
            let leaf = leaf_hash(&to_canonical_bytes(&ev.event));
            assert_eq!(leaf, ledger.leaf_hash(ev.leaf_index).unwrap());
            let proof = ledger
                .inclusion_proof(ev.leaf_index, Some(head.tree_size))
                .unwrap();
            proof.verify(&leaf, &head.root_hash).unwrap();
        }
        if let Some((old_size, old_root)) = previous {
            let c = ledger
                .consistency_proof(old_size, Some(head.tree_size))
                .unwrap();
            verify_consistency(
                old_size,
                head.tree_size,
                &old_root,
                &head.root_hash,
                &c.path,
            )
            .unwrap();
        }
        previous = Some((head.tree_size, head.root_hash));
    }
}
