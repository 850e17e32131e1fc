//! The ledger: a directory holding the event log and the signing key, with group-committed
//! durable captures, queries, proofs and bundles.

use crate::api::EventProof;
use crate::bundle::{Bundle, BundleEntry, BUNDLE_FORMAT};
use crate::canonical::{insert_member, to_canonical_bytes};
use crate::coldchain::{self, ColdChainPolicy, LotReport};
use crate::custody::{self, ChainOfCustody};
use crate::error::{CaptureError, LedgerError};
use crate::event::{normalise_cbv, Event, CBV_BIZ_STEPS, CBV_DISPOSITIONS};
use crate::hash::{leaf_hash, Hash};
use crate::head::HeadFile;
use crate::ident::identifier_keys;
use crate::ident::identifier_keys as keys_of;
use crate::index::{index_keys, Index};
use crate::proof::{ConsistencyProof, InclusionProof};
use crate::query::{intersect, union, EventQuery, LedgerEvent, QueryResult};
use crate::record::{refusal, CapturedBy, Capturer, LedgerRecord, LotBook, RECORD_KEY};
use crate::signing::{sync_dir, LogKey, SignedTreeHead};
use crate::storage::{self, TornTail};
use crate::tree::MerkleTree;
use crate::validate::{parse_stored, parse_stored_event, prepare_document, PreparedEvent};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, RwLock, RwLockReadGuard};

/// File name of the event log inside the ledger directory.
pub const LOG_FILE: &str = "events.wlog";

/// What [`Ledger::capture`] returns once the document is durable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureReceipt {
    /// `eventID` of every captured event, in document order (assigned ones included).
    pub event_ids: Vec<String>,
    /// Leaf index of the first event; the others follow consecutively.
    pub first_leaf_index: u64,
    /// Number of events captured.
    pub count: u64,
    /// A tree size that includes all of them (ask [`Ledger::tree_head`] for a signed head).
    pub tree_size: u64,
}

/// Who owns, holds and captured into a lot: [`Ledger::lot_access`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotAccess {
    /// The party that claimed the lot (`None`: unknown or claimed by an admin for no party).
    pub owner: Option<String>,
    /// Parties that may capture into it: the owner and every hand-over recipient.
    pub custodians: Vec<String>,
    /// Parties that captured into it.
    pub capturers: Vec<String>,
    /// Events with a ledger record (in the lot's chain).
    pub recorded_events: u64,
    /// Legacy events (stored before records existed).
    pub legacy_events: u64,
}

/// What [`Ledger::open`] found on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenReport {
    /// Events recovered.
    pub events: u64,
    /// Bytes of a torn, never-acknowledged last frame that were discarded (0 when none).
    pub discarded_tail_bytes: u64,
    /// The discarded torn tail: where it started and what it looked like.
    pub torn_tail: Option<TornTail>,
    /// Size of the last signed tree head found in `tree-head.wth` (`None` when the file was
    /// created by this open: a new or a legacy log).
    pub signed_size: Option<u64>,
}

struct Pending {
    offset: u64,
    len: u32,
    event: Event,
    leaf: Hash,
    keys: Vec<String>,
    record: LedgerRecord,
}

/// Group-commit state, under the `writer` mutex.
///
/// Every capture takes a ticket (`enqueued`) and waits until `settled` reaches it; its outcome
/// is then acknowledged, unless `failed` holds its ticket.
struct WriterState {
    /// Frames queued for the next write, starting at log offset `synced_len` (a leader in
    /// flight has taken the frames before them).
    buf: Vec<u8>,
    /// The events in `buf` (and those a leader in flight is writing are in its own batch).
    batch: Vec<Pending>,
    /// `eventID`s of queued and in-flight events (not yet committed).
    inflight_ids: HashSet<String>,
    /// Length of the log that is written and fsynced: every committed event lies before it,
    /// nothing after it is committed, and a failed write is cut back to it.
    synced_len: u64,
    next_offset: u64,
    next_index: u64,
    /// Tickets handed out.
    enqueued: u64,
    /// Tickets up to this one have an outcome.
    settled: u64,
    /// Settled tickets that failed, until their capture collects the failure.
    failed: HashMap<u64, Failure>,
    flushing: bool,
    /// A failed write may have left bytes after `synced_len` that could not be cut off yet
    /// (the reason): nothing may be appended until they are.
    uncut: Option<String>,
    /// Lot states including queued, not yet durable captures (authorisation and chains).
    lots: LotBook,
}

/// Why a group commit failed its captures (cloned to each of them).
#[derive(Debug, Clone)]
enum Failure {
    /// The log write or fsync failed; nothing of the batch (or of what queued behind it) stays.
    Write {
        kind: std::io::ErrorKind,
        reason: String,
    },
    /// The log was fsynced but the tree head covering it could not be persisted.
    Head { tree_size: u64, reason: String },
}

impl From<Failure> for LedgerError {
    fn from(f: Failure) -> LedgerError {
        match f {
            Failure::Write { kind, reason } => LedgerError::WriteFailed { kind, reason },
            Failure::Head { tree_size, reason } => {
                LedgerError::HeadNotPersisted { tree_size, reason }
            }
        }
    }
}

#[derive(Default)]
struct Committed {
    tree: MerkleTree,
    index: Index,
    lots: LotBook,
}

/// The latest signed tree head and where it is persisted; its mutex orders all signing.
struct Signer {
    file: HeadFile,
    last_size: u64,
    last_ts: u64,
    /// The last persist that failed (tree size, reason), until a head at least that large is
    /// persisted.
    unpersisted: Option<(u64, String)>,
}

/// A traceability ledger stored in one directory.
///
/// `Ledger` is `Send + Sync`: share it behind an `Arc` and call [`Ledger::capture`] from many
/// threads; concurrent captures are written and fsynced together (group commit), so throughput
/// grows with concurrency while each call still returns only once its document is on disk.
/// Only one process may open a ledger directory at a time.
pub struct Ledger {
    dir: PathBuf,
    file: File,
    key: LogKey,
    signer: Mutex<Signer>,
    writer: Mutex<WriterState>,
    durable: Condvar,
    committed: RwLock<Committed>,
    open_report: OpenReport,
    #[cfg(test)]
    faults: Mutex<Faults>,
}

/// Injectable failures (see `Faults`; none outside tests).
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Cutting the log back to its durable length.
    Cut,
    /// Persisting the signed tree head.
    Head,
}

/// Test-only fault injection: the next file-system calls of a kind fail.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Faults {
    /// The next log write stores this many bytes of its buffer, then fails with this kind.
    pub write: Option<(usize, std::io::ErrorKind)>,
    /// The next log fsync fails with this kind.
    pub sync: Option<std::io::ErrorKind>,
    /// This many cut-backs of the log fail (with `ReadOnlyFilesystem`).
    pub cuts: u32,
    /// This many tree-head persists fail (with `ReadOnlyFilesystem`).
    pub heads: u32,
    /// The next leader, before writing, says so on the sender and waits on the receiver.
    pub gate: Option<(std::sync::mpsc::Sender<()>, std::sync::mpsc::Receiver<()>)>,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("dir", &self.dir)
            .field("size", &self.len())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Ledger {
    /// Opens (creating if needed) the ledger in `dir`: loads or creates the signing key
    /// (see [`crate::signing`]), replays the log, rebuilds the tree and indexes, and checks the
    /// log against the last signed tree head (`tree-head.wth`, see [`crate::HEAD_FILE`]).
    ///
    /// Refuses to open, changing nothing on disk, when a frame is damaged
    /// ([`LedgerError::Corrupt`], with the byte offset and reason), when the log holds fewer
    /// events than the last signed tree head ([`LedgerError::EventsLost`]) or other ones
    /// ([`LedgerError::RootMismatch`]), or when the tree-head file is damaged or missing.
    /// The only repair it makes is dropping a torn last frame that is *proven* never
    /// acknowledged (see [`crate::storage`]); [`Ledger::open_report`] says so.
    /// Cost: one pass over the log (parses every event).
    pub fn open(dir: impl AsRef<Path>) -> Result<Ledger, LedgerError> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.exists() {
            fs::create_dir_all(&dir)?;
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                sync_dir(parent)?;
            }
        }
        let key = LogKey::load_or_create(&dir)?;
        let path = dir.join(LOG_FILE);
        let created = !path.exists();
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        if created {
            file.sync_all()?;
            sync_dir(&dir)?;
        }
        let mut committed = Committed::default();
        let outcome = storage::scan(&mut file, |offset, bytes| {
            let (event, record) = parse_stored(bytes).map_err(|issues| LedgerError::Corrupt {
                offset,
                reason: format!(
                    "stored event does not parse: {}",
                    issues.first().map(|i| i.to_string()).unwrap_or_default()
                ),
            })?;
            let leaf = leaf_hash(bytes);
            committed.tree.push(leaf);
            let keys = index_keys(&event);
            committed
                .lots
                .apply(&keys, record.as_ref(), leaf, &event)
                .map_err(|reason| LedgerError::Corrupt { offset, reason })?;
            committed
                .index
                .add(offset, bytes.len() as u32, &event, keys);
            Ok(())
        })?;
        let size = committed.tree.len();
        let stored = HeadFile::load(&dir)?;
        let signed_size = stored.as_ref().map(|(_, h)| h.tree_size);
        match &stored {
            None if outcome.v2_frames > 0 => {
                return Err(LedgerError::TreeHeadMissing { log_events: size });
            }
            None => {}
            Some((_, head)) => {
                if size < head.tree_size {
                    return Err(match outcome.tail {
                        Some(t) => LedgerError::Corrupt {
                            offset: t.offset,
                            reason: format!(
                                "{}, but only {size} events precede it and the last signed tree \
                                 head covers {}: the frame held acknowledged events",
                                t.kind, head.tree_size
                            ),
                        },
                        None => LedgerError::EventsLost {
                            log_events: size,
                            signed_size: head.tree_size,
                        },
                    });
                }
                let root = committed.tree.root(head.tree_size).expect("size checked");
                if root != head.root_hash {
                    return Err(LedgerError::RootMismatch {
                        tree_size: head.tree_size,
                        signed: head.root_hash.to_hex(),
                        found: root.to_hex(),
                    });
                }
            }
        }
        // Only now, with every acknowledged event accounted for, is the tail proven torn.
        if let Some(t) = outcome.tail {
            file.set_len(t.offset)?;
            file.sync_all()?;
        }
        let now = Utc::now().timestamp_millis().max(0) as u64;
        let signer = match stored {
            Some((file, head)) => Signer {
                file,
                last_size: head.tree_size,
                last_ts: head.timestamp_ms,
                unpersisted: None,
            },
            None => {
                let head = key.sign(size, committed.tree.root(size).expect("size"), now);
                Signer {
                    file: HeadFile::create(&dir, &head)?,
                    last_size: size,
                    last_ts: now,
                    unpersisted: None,
                }
            }
        };
        Ok(Ledger {
            dir,
            file,
            key,
            signer: Mutex::new(signer),
            writer: Mutex::new(WriterState {
                buf: Vec::new(),
                batch: Vec::new(),
                inflight_ids: HashSet::new(),
                synced_len: outcome.valid_len,
                next_offset: outcome.valid_len,
                next_index: size,
                enqueued: 0,
                settled: 0,
                failed: HashMap::new(),
                flushing: false,
                uncut: None,
                lots: committed.lots.clone(),
            }),
            durable: Condvar::new(),
            committed: RwLock::new(committed),
            open_report: OpenReport {
                events: size,
                discarded_tail_bytes: outcome.tail.map_or(0, |t| t.bytes),
                torn_tail: outcome.tail,
                signed_size,
            },
            #[cfg(test)]
            faults: Mutex::new(Faults::default()),
        })
    }

    /// Test-only: whether an injected fault of kind `f` is due (and uses it up).
    #[cfg(test)]
    fn take_fault(&self, f: Fault) -> bool {
        let mut g = lock(&self.faults);
        let left = match f {
            Fault::Cut => &mut g.cuts,
            Fault::Head => &mut g.heads,
        };
        let due = *left > 0;
        *left = left.saturating_sub(1);
        due
    }

    /// No faults outside tests.
    #[cfg(not(test))]
    #[inline(always)]
    fn take_fault(&self, _: Fault) -> bool {
        false
    }

    /// Appends `buf` to the log and fsyncs it.
    fn append(&self, buf: &[u8]) -> std::io::Result<()> {
        #[cfg(test)]
        let gate = lock(&self.faults).gate.take();
        #[cfg(test)]
        if let Some((entered, go)) = gate {
            entered.send(()).expect("test waits for the leader");
            go.recv().expect("test releases the leader");
        }
        #[cfg(test)]
        if let Some((n, kind)) = lock(&self.faults).write.take() {
            (&self.file).write_all(&buf[..n.min(buf.len())])?;
            return Err(std::io::Error::new(kind, "injected write failure"));
        }
        (&self.file).write_all(buf)?;
        #[cfg(test)]
        if let Some(kind) = lock(&self.faults).sync.take() {
            return Err(std::io::Error::new(kind, "injected fsync failure"));
        }
        self.file.sync_data()
    }

    /// Signs (size, root) now, and with `persist` records the head in `tree-head.wth`
    /// (failing with [`LedgerError::HeadNotPersisted`], remembered until a head at least as
    /// large is persisted). Callers hold the committed read lock, so sizes signed are never
    /// smaller than one signed before (the tree only grows under the write lock).
    fn sign(&self, size: u64, root: Hash, persist: bool) -> Result<SignedTreeHead, LedgerError> {
        let mut s = lock(&self.signer);
        debug_assert!(size >= s.last_size, "signing {size} after {}", s.last_size);
        let ts = (Utc::now().timestamp_millis().max(0) as u64).max(s.last_ts);
        let head = self.key.sign(size, root, ts);
        if persist {
            let written = if self.take_fault(Fault::Head) {
                Err(LedgerError::Io(std::io::Error::new(
                    std::io::ErrorKind::ReadOnlyFilesystem,
                    "injected tree-head failure",
                )))
            } else {
                s.file.write(&head)
            };
            if let Err(e) = written {
                let reason = match e {
                    LedgerError::Io(io) => io.to_string(),
                    other => other.to_string(),
                };
                s.unpersisted = Some((size, reason.clone()));
                return Err(LedgerError::HeadNotPersisted {
                    tree_size: size,
                    reason,
                });
            }
            if s.unpersisted.as_ref().is_some_and(|(n, _)| *n <= size) {
                s.unpersisted = None;
            }
        }
        s.last_size = size;
        s.last_ts = ts;
        Ok(head)
    }

    /// Signs the head of the committed tree `c`.
    fn sign_committed(&self, c: &Committed) -> SignedTreeHead {
        let size = c.tree.len();
        let root = c.tree.root(size).expect("size within tree");
        self.sign(size, root, false)
            .expect("signing without persisting cannot fail")
    }

    /// Whether the ledger can take captures now, for a health check.
    ///
    /// `Ok(())` unless a failed write is still unrepaired:
    /// * [`LedgerError::TailNotCut`]: a failed write may have left bytes past the durable end
    ///   of the log and cutting them off failed; captures are refused until it succeeds.
    /// * [`LedgerError::HeadNotPersisted`]: events are in the fsynced log but no persisted
    ///   signed tree head covers them yet (captures are still taken: their head covers them).
    ///
    /// Before answering it retries the repair (cut the log back / persist a covering head),
    /// so a health check heals the ledger once the file system accepts writes again, even if
    /// no capture comes. Cost: one mutex lock when healthy; one `ftruncate` + `fsync` or one
    /// head write + `fdatasync` while repairing. It does not probe free space: a healthy ledger
    /// on a full disk answers `Ok(())` and its next capture fails with
    /// [`LedgerError::WriteFailed`], leaving nothing behind.
    pub fn healthy(&self) -> Result<(), LedgerError> {
        self.repair(&mut lock(&self.writer))?;
        if lock(&self.signer).unpersisted.is_some() {
            let c = self.read();
            let size = c.tree.len();
            self.sign(size, c.tree.root(size).expect("size"), true)?;
        }
        Ok(())
    }

    /// Cuts the log back to its durable length if a failed write left it longer; refuses
    /// with [`LedgerError::TailNotCut`] while that fails.
    fn repair(&self, st: &mut WriterState) -> Result<(), LedgerError> {
        if st.uncut.is_some() {
            st.uncut = self.cut_back(st.synced_len).err().map(|e| e.to_string());
        }
        match &st.uncut {
            None => Ok(()),
            Some(reason) => Err(LedgerError::TailNotCut {
                durable_len: st.synced_len,
                reason: reason.clone(),
            }),
        }
    }

    /// Truncates the log to `len` and fsyncs it.
    fn cut_back(&self, len: u64) -> std::io::Result<()> {
        if self.take_fault(Fault::Cut) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::ReadOnlyFilesystem,
                "injected cut-back failure",
            ));
        }
        self.file.set_len(len)?;
        self.file.sync_all()
    }

    /// After a failed log write: fails every capture not yet settled (the failed batch and
    /// everything queued behind it, whose frames build on it), forgets their frames, ids and
    /// lot updates, and cuts the log back to its durable length. Called by the leader, with
    /// `flushing` still set, so nothing else writes or commits meanwhile.
    fn roll_back(&self, st: &mut WriterState, e: &std::io::Error) {
        let failure = Failure::Write {
            kind: e.kind(),
            reason: e.to_string(),
        };
        for t in st.settled + 1..=st.enqueued {
            st.failed.insert(t, failure.clone());
        }
        st.settled = st.enqueued;
        st.buf.clear();
        st.batch.clear();
        st.inflight_ids.clear();
        {
            let c = self.read();
            st.next_index = c.tree.len();
            st.lots = c.lots.clone();
        }
        st.next_offset = st.synced_len;
        st.uncut = Some(e.to_string());
        // Refuses (and stays refusing) only if the cut-back fails.
        let _ = self.repair(st);
    }

    /// The directory this ledger lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What opening found (events recovered, torn bytes dropped).
    pub fn open_report(&self) -> OpenReport {
        self.open_report
    }

    /// The Ed25519 verifying key (hex) that signs tree heads; also in `public.key`.
    pub fn public_key_hex(&self) -> String {
        self.key.public_hex()
    }

    /// Number of durable events.
    pub fn len(&self) -> u64 {
        self.read().tree.len()
    }

    /// Whether the ledger holds no event.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> RwLockReadGuard<'_, Committed> {
        self.committed.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Captures an EPCIS 2.0 capture document (an `EPCISDocument` or a single event) for
    /// capturer `by`, all or nothing. Returns once every event is fsynced to disk, the signed
    /// tree head covering it is persisted, and it is visible to queries and proofs.
    ///
    /// Every lot the events name must be open to `by` (see [`crate::record`]: the party that
    /// first captures into a lot owns it; others need a hand-over; admins may capture
    /// anything), else [`CaptureError::Forbidden`] names the first refused lot and field. Each
    /// stored event records its capturer and its place in each lot's hash chain.
    ///
    /// Validation runs on the calling thread without locks; the append is group-committed
    /// with concurrent callers. Events without `eventID` get
    /// `ni:///sha-256;<hex>` (RFC 6920) over their canonical JSON without `recordTime` (the
    /// form of CBV 2.0 event-hash IDs, but not the CBV pre-hash algorithm), so
    /// retrying a capture whose answer was lost is rejected as a duplicate instead of
    /// recording the events twice; `recordTime` is set to the capture time. An `eventID`
    /// already in the ledger gives [`CaptureError::Duplicate`] and stores nothing.
    ///
    /// When the file system fails (disk full, read-only, I/O error) the ledger recovers by
    /// itself, never acknowledging an event that is not durable:
    /// * a failed log write or fsync fails this capture, every capture in the same group
    ///   commit and every capture queued behind it with [`LedgerError::WriteFailed`]; nothing
    ///   of them stays: the log is cut back (`ftruncate` + `fsync`) to its last durable length
    ///   and the in-memory state rolled back, and the next capture is taken as usual;
    /// * if that cut-back fails too, captures are refused with [`LedgerError::TailNotCut`]
    ///   (appending after a partial frame would bury it) and each capture, and
    ///   [`Ledger::healthy`], retries the cut-back until it succeeds;
    /// * if the log was fsynced but the signed tree head could not be persisted, the
    ///   captures of that group commit fail with [`LedgerError::HeadNotPersisted`]: their
    ///   events are durable and stay (a retry is a [`CaptureError::Duplicate`]), and the next
    ///   group commit's head, persisted before it acknowledges anything, covers them.
    pub fn capture(
        &self,
        document_json: &str,
        by: &Capturer,
    ) -> Result<CaptureReceipt, CaptureError> {
        let prepared =
            prepare_document(document_json, Utc::now()).map_err(CaptureError::Invalid)?;
        let n = prepared.len() as u64;
        let event_ids: Vec<String> = prepared.iter().map(|p| p.event.event_id.clone()).collect();
        let captured_by = CapturedBy {
            party: by.party_id.clone(),
            role: by.role.clone(),
        };

        let mut st = lock(&self.writer);
        self.repair(&mut st)?;
        {
            let committed = self.read();
            for (i, id) in event_ids.iter().enumerate() {
                if st.inflight_ids.contains(id) || self.contains_id(&committed, id)? {
                    return Err(CaptureError::Duplicate {
                        event_id: id.clone(),
                        event_index: i,
                    });
                }
            }
        }
        // Authorise and chain every event on a scratch copy of the lots it names, so a refusal
        // anywhere in the document leaves nothing behind.
        let mut scratch = LotBook::default();
        for p in &prepared {
            for k in &p.keys {
                if let (false, Some(s)) = (scratch.lots.contains_key(k.as_str()), st.lots.get(k)) {
                    scratch.lots.insert(k.as_str().into(), s.clone());
                }
            }
        }
        let mut stored = Vec::with_capacity(prepared.len());
        for (i, p) in prepared.iter().enumerate() {
            for k in &p.keys {
                if let Some(reason) = refusal(by, scratch.get(k)) {
                    let (path, lot) = field_naming(p, k);
                    return Err(CaptureError::Forbidden {
                        event_index: i,
                        path,
                        lot,
                        reason,
                    });
                }
            }
            let record = LedgerRecord {
                captured_by: captured_by.clone(),
                lots: p.keys.iter().map(|k| scratch.next_link(k)).collect(),
            };
            let value = serde_json::to_value(&record).expect("record serialises");
            let bytes = insert_member(
                &p.canonical,
                p.record_at,
                RECORD_KEY,
                &to_canonical_bytes(&value),
            );
            let leaf = leaf_hash(&bytes);
            scratch
                .apply(&p.keys, Some(&record), leaf, &p.event)
                .expect("a fresh record continues every chain");
            stored.push((bytes, leaf, record));
        }
        for (k, s) in scratch.lots {
            st.lots.lots.insert(k, s);
        }
        let refs: Vec<&[u8]> = stored.iter().map(|(b, _, _)| b.as_slice()).collect();
        let mut frame = Vec::new();
        let positions = storage::encode_frame(&refs, &mut frame);
        let base = st.next_offset;
        let first_leaf_index = st.next_index;
        st.buf.extend_from_slice(&frame);
        for ((p, (_, leaf, record)), (rel, len)) in prepared.into_iter().zip(stored).zip(positions)
        {
            st.inflight_ids.insert(p.event.event_id.clone());
            st.batch.push(Pending {
                offset: base + rel,
                len,
                event: p.event,
                leaf,
                keys: p.keys,
                record,
            });
        }
        st.next_offset += frame.len() as u64;
        st.next_index += n;
        st.enqueued += 1;
        let ticket = st.enqueued;
        drop(frame);

        loop {
            if st.settled >= ticket {
                if let Some(f) = st.failed.remove(&ticket) {
                    return Err(LedgerError::from(f).into());
                }
                break;
            }
            if st.flushing {
                st = self.durable.wait(st).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            // Become the leader: write and fsync everything queued so far, for everyone.
            st.flushing = true;
            let buf = std::mem::take(&mut st.buf);
            let mut batch = std::mem::take(&mut st.batch);
            let target = st.enqueued;
            drop(st);
            if let Err(e) = self.append(&buf) {
                st = lock(&self.writer);
                self.roll_back(&mut st, &e);
                st.flushing = false;
                self.durable.notify_all();
                continue;
            }
            {
                let mut c = self.committed.write().unwrap_or_else(|p| p.into_inner());
                for p in &mut batch {
                    c.tree.push(p.leaf);
                    let applied = c.lots.apply(&p.keys, Some(&p.record), p.leaf, &p.event);
                    debug_assert!(applied.is_ok(), "{applied:?}");
                    c.index
                        .add(p.offset, p.len, &p.event, std::mem::take(&mut p.keys));
                }
            }
            // The signed head covering the batch is durable before anyone is acknowledged. If
            // it cannot be persisted, the batch's captures fail but its events stay: they are
            // fsynced, visible, and covered by the next head persisted (open accepts a log
            // longer than its last head).
            let persisted = {
                let c = self.read();
                let size = c.tree.len();
                self.sign(size, c.tree.root(size).expect("size"), true)
                    .map_err(|e| (size, e))
            };
            st = lock(&self.writer);
            st.synced_len += buf.len() as u64;
            for p in &batch {
                st.inflight_ids.remove(&p.event.event_id);
            }
            if let Err((tree_size, e)) = persisted {
                let reason = match e {
                    LedgerError::HeadNotPersisted { reason, .. } => reason,
                    other => other.to_string(),
                };
                let failure = Failure::Head { tree_size, reason };
                for t in st.settled + 1..=target {
                    st.failed.insert(t, failure.clone());
                }
            }
            st.settled = target;
            st.flushing = false;
            self.durable.notify_all();
        }
        Ok(CaptureReceipt {
            event_ids,
            first_leaf_index,
            count: n,
            tree_size: first_leaf_index + n,
        })
    }

    fn read_bytes(&self, c: &Committed, idx: u32) -> Result<Vec<u8>, LedgerError> {
        let m = c.index.metas[idx as usize];
        let mut buf = vec![0u8; m.len as usize];
        self.file.read_exact_at(&mut buf, m.offset)?;
        Ok(buf)
    }

    fn load(&self, c: &Committed, idx: u32) -> Result<(Vec<u8>, Event), LedgerError> {
        let bytes = self.read_bytes(c, idx)?;
        let event = parse_stored_event(&bytes).map_err(|issues| LedgerError::Corrupt {
            offset: c.index.metas[idx as usize].offset,
            reason: format!(
                "stored event does not parse: {}",
                issues.first().map(|i| i.to_string()).unwrap_or_default()
            ),
        })?;
        Ok((bytes, event))
    }

    fn to_ledger_event(idx: u32, bytes: &[u8], event: &Event) -> Result<LedgerEvent, LedgerError> {
        Ok(LedgerEvent {
            leaf_index: idx as u64,
            event_id: event.event_id.clone(),
            event: serde_json::from_slice(bytes).map_err(|e| LedgerError::Corrupt {
                offset: 0,
                reason: e.to_string(),
            })?,
        })
    }

    fn find_id(&self, c: &Committed, id: &str) -> Result<Option<u32>, LedgerError> {
        for &idx in c.index.id_candidates(id) {
            let (_, e) = self.load(c, idx)?;
            if e.event_id == id {
                return Ok(Some(idx));
            }
        }
        Ok(None)
    }

    fn contains_id(&self, c: &Committed, id: &str) -> Result<bool, LedgerError> {
        Ok(self.find_id(c, id)?.is_some())
    }

    /// The stored event at `leaf_index`.
    pub fn event_at(&self, leaf_index: u64) -> Result<LedgerEvent, LedgerError> {
        let c = self.read();
        let size = c.tree.len();
        if leaf_index >= size {
            return Err(LedgerError::NoSuchLeaf {
                index: leaf_index,
                size,
            });
        }
        let (bytes, e) = self.load(&c, leaf_index as u32)?;
        Self::to_ledger_event(leaf_index as u32, &bytes, &e)
    }

    /// The stored event with this `eventID`, if any.
    pub fn event_by_id(&self, event_id: &str) -> Result<Option<LedgerEvent>, LedgerError> {
        let c = self.read();
        match self.find_id(&c, event_id)? {
            Some(idx) => {
                let (bytes, e) = self.load(&c, idx)?;
                Ok(Some(Self::to_ledger_event(idx, &bytes, &e)?))
            }
            None => Ok(None),
        }
    }

    /// Runs an EPCIS-style query. Cost: posting-list intersection, then one positioned read
    /// per returned event.
    pub fn query(&self, q: &EventQuery) -> Result<QueryResult, LedgerError> {
        self.query_inner(q, None)
    }

    /// Like [`Ledger::query`], but only over events naming a lot `party` may see (see
    /// [`Ledger::visible_to`]); the limit applies after that filter.
    pub fn query_visible_to(
        &self,
        q: &EventQuery,
        party: &str,
    ) -> Result<QueryResult, LedgerError> {
        self.query_inner(q, Some(party))
    }

    /// Whether `party` may see `subject`'s history: it captured into one of the lots the
    /// identifier names, or holds or held custody of it (owner or hand-over recipient, see
    /// [`crate::record`]).
    pub fn visible_to(&self, subject: &str, party: &str) -> Result<bool, LedgerError> {
        let keys = identifier_keys(subject).map_err(|e| LedgerError::BadIdentifier(e.0))?;
        let c = self.read();
        Ok(keys
            .iter()
            .any(|k| c.lots.get(k).is_some_and(|s| s.visible_to(party))))
    }

    /// The share code of `subject` (see [`crate::signing::LogKey::share_code`]): whoever holds
    /// it may read the subject's bundle without an account (a buyer scanning the lot's QR
    /// code). Give it only to callers who may see the subject.
    pub fn share_code(&self, subject: &str) -> Result<String, LedgerError> {
        let keys = identifier_keys(subject).map_err(|e| LedgerError::BadIdentifier(e.0))?;
        Ok(self.key.share_code(&keys))
    }

    /// Whether `code` is `subject`'s share code (compared in constant time).
    pub fn check_share_code(&self, subject: &str, code: &str) -> Result<bool, LedgerError> {
        let want = self.share_code(subject)?;
        let (a, b) = (want.as_bytes(), code.trim().as_bytes());
        Ok(a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0)
    }

    /// Whether `party` may see the event with this `eventID`: it names a lot `party` may see
    /// (see [`Ledger::visible_to`]). `Ok(false)` also when there is no such event.
    pub fn event_visible_to(&self, event_id: &str, party: &str) -> Result<bool, LedgerError> {
        let c = self.read();
        let Some(idx) = self.find_id(&c, event_id)? else {
            return Ok(false);
        };
        let (_, event) = self.load(&c, idx)?;
        Ok(index_keys(&event)
            .iter()
            .any(|k| c.lots.get(k).is_some_and(|s| s.visible_to(party))))
    }

    /// Who owns, holds and captured into `subject` (over every lot key the identifier names).
    pub fn lot_access(&self, subject: &str) -> Result<LotAccess, LedgerError> {
        let keys = identifier_keys(subject).map_err(|e| LedgerError::BadIdentifier(e.0))?;
        let c = self.read();
        let mut out = LotAccess::default();
        for s in keys.iter().filter_map(|k| c.lots.get(k)) {
            if out.owner.is_none() {
                out.owner.clone_from(&s.owner);
            }
            for p in &s.custodians {
                if !out.custodians.contains(p) {
                    out.custodians.push(p.clone());
                }
            }
            for p in &s.capturers {
                if !out.capturers.contains(p) {
                    out.capturers.push(p.clone());
                }
            }
            out.recorded_events += s.seq;
            out.legacy_events += s.legacy;
        }
        Ok(out)
    }

    fn query_inner(&self, q: &EventQuery, party: Option<&str>) -> Result<QueryResult, LedgerError> {
        let c = self.read();
        let mut candidates: Option<Vec<u32>> = None;
        let mut narrow = |list: Vec<u32>| {
            candidates = Some(match candidates.take() {
                Some(cur) => intersect(&cur, &list),
                None => list,
            });
        };
        if let Some(party) = party {
            let lists: Vec<&[u32]> = c
                .lots
                .by_party
                .get(party)
                .map(|keys| keys.iter().map(|k| c.index.with_key(k)).collect())
                .unwrap_or_default();
            narrow(union(&lists));
        }
        if !q.any_epc.is_empty() {
            let mut keys = Vec::new();
            for raw in &q.any_epc {
                keys.extend(identifier_keys(raw).map_err(|e| LedgerError::BadIdentifier(e.0))?);
            }
            narrow(union(
                &keys.iter().map(|k| c.index.with_key(k)).collect::<Vec<_>>(),
            ));
        }
        if !q.biz_step.is_empty() {
            let steps: Vec<String> = q
                .biz_step
                .iter()
                .map(|s| {
                    normalise_cbv(s, "bizstep", "BizStep", CBV_BIZ_STEPS)
                        .unwrap_or_else(|| s.clone())
                })
                .collect();
            narrow(union(
                &steps
                    .iter()
                    .map(|s| c.index.with_biz_step(s))
                    .collect::<Vec<_>>(),
            ));
        }
        if !q.location.is_empty() {
            narrow(union(
                &q.location
                    .iter()
                    .map(|p| c.index.at_place(p))
                    .collect::<Vec<_>>(),
            ));
        }
        let dispositions: Vec<u32> = q
            .disposition
            .iter()
            .filter_map(|d| {
                let d =
                    normalise_cbv(d, "disp", "Disp", CBV_DISPOSITIONS).unwrap_or_else(|| d.clone());
                c.index.symbols.get(&d)
            })
            .collect();
        if !q.disposition.is_empty() && dispositions.is_empty() {
            narrow(Vec::new());
        }
        let ge = q.ge_event_time.map(|t| t.timestamp_millis());
        let lt = q.lt_event_time.map(|t| t.timestamp_millis());
        let keep = |idx: u32| {
            let m = &c.index.metas[idx as usize];
            ge.is_none_or(|g| m.time_ms >= g)
                && lt.is_none_or(|l| m.time_ms < l)
                && (q.event_types.is_empty() || q.event_types.contains(&m.kind))
                && (dispositions.is_empty()
                    || m.disposition.is_some_and(|d| dispositions.contains(&d)))
        };
        let mut hits: Vec<u32> = match candidates {
            Some(list) => list.into_iter().filter(|&i| keep(i)).collect(),
            None => (0..c.index.metas.len() as u32)
                .filter(|&i| keep(i))
                .collect(),
        };
        hits.sort_by_key(|&i| (c.index.metas[i as usize].time_ms, i));
        let limit = q.limit.unwrap_or(1000);
        let truncated = hits.len() > limit;
        hits.truncate(limit);
        let mut events = Vec::with_capacity(hits.len());
        for idx in hits {
            let bytes = self.read_bytes(&c, idx)?;
            let value: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| LedgerError::Corrupt {
                    offset: c.index.metas[idx as usize].offset,
                    reason: e.to_string(),
                })?;
            let event_id = value
                .get("eventID")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            events.push(LedgerEvent {
                leaf_index: idx as u64,
                event_id,
                event: value,
            });
        }
        Ok(QueryResult { events, truncated })
    }

    /// The chain of custody of `subject` (a lot, an item, a pallet; EPC URN or Digital Link):
    /// its own events, its containers' events while it was inside them (aggregations, nested),
    /// its contents if it is a container, and, through transformations, its inputs upstream
    /// and its outputs downstream. See [`crate::custody`] for the exact rules.
    pub fn chain_of_custody(&self, subject: &str) -> Result<ChainOfCustody, LedgerError> {
        let c = self.read();
        let keys = identifier_keys(subject).map_err(|e| LedgerError::BadIdentifier(e.0))?;
        let mut load = |idx: u32| self.load(&c, idx).map(|(_, e)| e);
        let traced = custody::trace(subject, &keys, |k| c.index.with_key(k).to_vec(), &mut load)?;
        let mut events = Vec::with_capacity(traced.event_indexes.len());
        for idx in &traced.event_indexes {
            let (bytes, e) = self.load(&c, *idx)?;
            events.push(Self::to_ledger_event(*idx, &bytes, &e)?);
        }
        Ok(ChainOfCustody {
            subject: subject.to_string(),
            links: traced.links,
            events,
        })
    }

    /// Cold-chain analysis of `subject` over its chain of custody.
    pub fn lot_report(
        &self,
        subject: &str,
        policy: &ColdChainPolicy,
    ) -> Result<LotReport, LedgerError> {
        let chain = self.chain_of_custody(subject)?;
        let events: Vec<Event> = chain
            .events
            .iter()
            .map(|e| {
                parse_stored_event(e.event.to_string().as_bytes()).map_err(|_| {
                    LedgerError::Corrupt {
                        offset: 0,
                        reason: format!("stored event {} does not parse", e.event_id),
                    }
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(coldchain::analyse(subject, &events, policy))
    }

    /// Signs and returns the head of the current tree (size, root, time).
    /// Never smaller than a head signed before, also across restarts.
    pub fn tree_head(&self) -> SignedTreeHead {
        let c = self.read();
        self.sign_committed(&c)
    }

    /// Inclusion proof for `leaf_index` in the tree of `tree_size` leaves (the current size
    /// when `None`). Cost: O(log² n) node hashes at worst, typically a few µs.
    pub fn inclusion_proof(
        &self,
        leaf_index: u64,
        tree_size: Option<u64>,
    ) -> Result<InclusionProof, LedgerError> {
        let c = self.read();
        let size = tree_size.unwrap_or(c.tree.len());
        if size > c.tree.len() {
            return Err(LedgerError::BadTreeSize {
                detail: format!(
                    "tree size {size} is beyond the current size {}",
                    c.tree.len()
                ),
            });
        }
        let path = c
            .tree
            .inclusion_path(leaf_index, size)
            .ok_or(LedgerError::NoSuchLeaf {
                index: leaf_index,
                size,
            })?;
        Ok(InclusionProof {
            leaf_index,
            tree_size: size,
            path,
        })
    }

    /// The leaf hash at `leaf_index` (SHA-256 of 0x00 and the stored event bytes).
    pub fn leaf_hash(&self, leaf_index: u64) -> Result<Hash, LedgerError> {
        let c = self.read();
        c.tree.leaf(leaf_index).ok_or(LedgerError::NoSuchLeaf {
            index: leaf_index,
            size: c.tree.len(),
        })
    }

    /// Root hash of the tree of the first `tree_size` leaves (unsigned; for auditors comparing
    /// old heads).
    pub fn root_at(&self, tree_size: u64) -> Result<Hash, LedgerError> {
        let c = self.read();
        c.tree.root(tree_size).ok_or(LedgerError::BadTreeSize {
            detail: format!(
                "tree size {tree_size} is beyond the current size {}",
                c.tree.len()
            ),
        })
    }

    /// Consistency proof from `old_size` to `new_size` (the current size when `None`).
    pub fn consistency_proof(
        &self,
        old_size: u64,
        new_size: Option<u64>,
    ) -> Result<ConsistencyProof, LedgerError> {
        let c = self.read();
        let new = new_size.unwrap_or(c.tree.len());
        let path = c
            .tree
            .consistency_path(old_size, new)
            .ok_or(LedgerError::BadTreeSize {
                detail: format!(
                    "need old size {old_size} ≤ new size {new} ≤ current size {}",
                    c.tree.len()
                ),
            })?;
        Ok(ConsistencyProof {
            old_size,
            new_size: new,
            path,
        })
    }

    /// The event with this `eventID` together with an inclusion proof and the signed tree head
    /// it leads to, all for the same tree size: a receipt a consumer can check offline with
    /// [`EventProof::verify`].
    pub fn prove_event(&self, event_id: &str) -> Result<EventProof, LedgerError> {
        let c = self.read();
        let idx = self
            .find_id(&c, event_id)?
            .ok_or_else(|| LedgerError::EventNotFound(event_id.to_string()))?;
        let size = c.tree.len();
        let path = c
            .tree
            .inclusion_path(idx as u64, size)
            .expect("committed leaf");
        let (bytes, event) = self.load(&c, idx)?;
        let leaf = c.tree.leaf(idx as u64).expect("committed leaf");
        let tree_head = self.sign_committed(&c);
        drop(c);
        Ok(EventProof {
            event: Self::to_ledger_event(idx, &bytes, &event)?,
            event_json: String::from_utf8(bytes).map_err(|_| LedgerError::Corrupt {
                offset: 0,
                reason: "stored event is not UTF-8".into(),
            })?,
            leaf_hash: leaf,
            proof: InclusionProof {
                leaf_index: idx as u64,
                tree_size: size,
                path,
            },
            tree_head,
        })
    }

    /// Exports `subject`'s chain of custody as a self-contained bundle: every event's exact
    /// stored bytes, an inclusion proof for each, one signed tree head, and for each lot key
    /// of the subject a signed statement of its chain head and count at that tree size, which
    /// makes the bundle provably complete for the subject's own events. Check it offline with
    /// [`crate::verify_bundle`].
    pub fn export_bundle(&self, subject: &str) -> Result<Bundle, LedgerError> {
        let c = self.read();
        let keys = identifier_keys(subject).map_err(|e| LedgerError::BadIdentifier(e.0))?;
        let mut load = |idx: u32| self.load(&c, idx).map(|(_, e)| e);
        let traced = custody::trace(subject, &keys, |k| c.index.with_key(k).to_vec(), &mut load)?;
        let size = c.tree.len();
        let mut entries = Vec::with_capacity(traced.event_indexes.len());
        for &idx in &traced.event_indexes {
            let bytes = self.read_bytes(&c, idx)?;
            let path = c
                .tree
                .inclusion_path(idx as u64, size)
                .expect("committed leaf");
            entries.push(BundleEntry {
                leaf_index: idx as u64,
                event_json: String::from_utf8(bytes).map_err(|_| LedgerError::Corrupt {
                    offset: c.index.metas[idx as usize].offset,
                    reason: "stored event is not UTF-8".into(),
                })?,
                proof: path,
            });
        }
        let tree_head = self.sign_committed(&c);
        let lot_heads = keys
            .iter()
            .map(|k| {
                let s = c.lots.get(k);
                self.key.sign_lot_head(
                    k,
                    s.map_or(0, |s| s.seq),
                    s.map_or(0, |s| s.legacy),
                    s.and_then(|s| s.head),
                    &tree_head,
                )
            })
            .collect();
        drop(c);
        Ok(Bundle {
            format: BUNDLE_FORMAT.to_string(),
            subject: subject.to_string(),
            tree_head,
            lot_heads,
            links: traced.links,
            entries,
        })
    }
}

/// The JSON path and text of the first field of `p` naming lot `key`.
fn field_naming(p: &PreparedEvent, key: &str) -> (String, String) {
    let value: serde_json::Value = serde_json::from_slice(&p.canonical).unwrap_or_default();
    let names = |raw: &str| keys_of(raw).is_ok_and(|ks| ks.iter().any(|k| k == key));
    for field in [
        "epcList",
        "quantityList",
        "parentID",
        "childEPCs",
        "childQuantityList",
        "inputEPCList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
    ] {
        match value.get(field) {
            Some(serde_json::Value::String(raw)) if names(raw) => {
                return (format!("{}.{field}", p.path), raw.clone());
            }
            Some(serde_json::Value::Array(items)) => {
                for (j, item) in items.iter().enumerate() {
                    let (suffix, raw) = match item {
                        serde_json::Value::String(raw) => (String::new(), raw.as_str()),
                        other => match other.get("epcClass").and_then(|c| c.as_str()) {
                            Some(raw) => (".epcClass".to_string(), raw),
                            None => continue,
                        },
                    };
                    if names(raw) {
                        return (format!("{}.{field}[{j}]{suffix}", p.path), raw.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    (p.path.clone(), key.to_string())
}

#[cfg(test)]
mod tests;
