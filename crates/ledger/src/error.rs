//! Error types.

use crate::validate::ValidationIssue;

/// Errors from opening, reading or proving with a ledger.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// The file system failed.
    #[error("ledger I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The log is damaged: a frame that does not check, or an unchecked end of the log that
    /// would hold acknowledged events. Nothing was changed on disk; restore from a backup.
    #[error("ledger log is corrupt at byte {offset}: {reason}; refusing to open (nothing was changed on disk)")]
    Corrupt {
        /// Byte offset of the damaged frame.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
    /// The persisted signed tree head (`tree-head.wth`) is damaged.
    #[error("ledger tree-head file is damaged: {reason}; refusing to open")]
    TreeHeadFile {
        /// What is wrong.
        reason: String,
    },
    /// The log holds frames written by this version but the tree-head file is gone, so it can
    /// no longer be checked that no acknowledged event was lost.
    #[error("ledger tree-head file is missing next to a log of {log_events} events (deleted?); refusing to open")]
    TreeHeadMissing {
        /// Events in the log.
        log_events: u64,
    },
    /// The log holds fewer events than the last signed tree head covers: acknowledged events
    /// are gone (the log was truncated or rolled back).
    #[error("ledger log holds {log_events} events but the last signed tree head covers {signed_size}: acknowledged events were lost; refusing to open")]
    EventsLost {
        /// Events in the log.
        log_events: u64,
        /// Size of the last signed tree head.
        signed_size: u64,
    },
    /// The first `tree_size` events of the log do not hash to the root the ledger signed:
    /// acknowledged events were rewritten.
    #[error("ledger log does not match the last signed tree head: the root over its first {tree_size} events is {found}, the signed root is {signed}; refusing to open")]
    RootMismatch {
        /// Size of the last signed tree head.
        tree_size: u64,
        /// Signed root (hex).
        signed: String,
        /// Root of the log (hex).
        found: String,
    },
    /// A leaf index at or beyond the tree size.
    #[error("no leaf {index}: the tree has {size} leaves")]
    NoSuchLeaf {
        /// Requested index.
        index: u64,
        /// Current tree size.
        size: u64,
    },
    /// A tree size beyond the current one, or an old size above the new one.
    #[error("invalid tree sizes: {detail}")]
    BadTreeSize {
        /// What is wrong.
        detail: String,
    },
    /// No event with this ID.
    #[error("no event with eventID {0}")]
    EventNotFound(String),
    /// An identifier in a query that is malformed.
    #[error("invalid identifier: {0}")]
    BadIdentifier(String),
    /// Writing or fsyncing the event log failed (disk full, read-only file system, I/O
    /// error). Returned to every capture whose frame was in the failed write and to every
    /// capture queued behind it: nothing of them was stored, the log was cut back to its last
    /// durable length and the ledger accepts captures again (unless the cut-back failed too:
    /// see [`LedgerError::TailNotCut`]). Retrying the same document later is safe.
    #[error("ledger write failed: {reason}; nothing of this capture was stored")]
    WriteFailed {
        /// What the file system reported (`StorageFull` for a full disk,
        /// `ReadOnlyFilesystem`, …).
        kind: std::io::ErrorKind,
        /// The file system's message.
        reason: String,
    },
    /// A failed write may have left bytes past the last durable log length, and cutting the
    /// log back there failed too (e.g. a read-only file system). The ledger appends nothing
    /// until the cut-back succeeds; every capture and every [`crate::Ledger::healthy`] call
    /// retries it, so it heals once the file system accepts writes again. Nothing of this
    /// capture was stored.
    #[error("ledger cannot accept captures: a failed write may have left bytes after byte {durable_len} of the log and cutting them off failed ({reason}); nothing of this capture was stored")]
    TailNotCut {
        /// Length of the log that is durable (every acknowledged event lies before it).
        durable_len: u64,
        /// What the file system reported when cutting back.
        reason: String,
    },
    /// The capture's events were written and fsynced, but the signed tree head covering them
    /// could not be persisted (`tree-head.wth`). The capture is **not** acknowledged, yet its
    /// events stay in the log (they are valid, and a later head covers them): retrying the
    /// same document reports them as duplicates, as after a lost answer. The next capture,
    /// or [`crate::Ledger::healthy`], persists a covering head before acknowledging anything.
    #[error("ledger tree head not persisted: {reason}; the capture was not acknowledged, but its events were written and are kept (a retry reports them as duplicates)")]
    HeadNotPersisted {
        /// Tree size whose signed head could not be persisted.
        tree_size: u64,
        /// What the file system reported.
        reason: String,
    },
}

impl LedgerError {
    /// Whether the file system refused a write (the server's answer is 503: retry later);
    /// `false` for damaged files, bad requests and missing events.
    pub fn is_storage_failure(&self) -> bool {
        matches!(
            self,
            LedgerError::Io(_)
                | LedgerError::WriteFailed { .. }
                | LedgerError::TailNotCut { .. }
                | LedgerError::HeadNotPersisted { .. }
        )
    }
}

/// Errors from [`crate::Ledger::capture`]. Nothing of a rejected document is stored.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The document failed validation; every problem found is listed.
    #[error("capture document rejected with {} problem(s); first: {}", .0.len(), .0.first().map(|i| i.to_string()).unwrap_or_default())]
    Invalid(Vec<ValidationIssue>),
    /// An event with this eventID is already in the ledger (or in a concurrent capture).
    #[error("eventID {event_id} is already in the ledger")]
    Duplicate {
        /// The repeated eventID.
        event_id: String,
        /// Index of the event in the document.
        event_index: usize,
    },
    /// The capturer may not capture into a lot the document names (see [`crate::record`] for
    /// the rules). Nothing of the document was stored.
    #[error("capture refused: {path} names lot {lot}: {reason}")]
    Forbidden {
        /// Index of the event in the document.
        event_index: usize,
        /// JSON path of the field naming the lot, e.g. `$.epcisBody.eventList[0].quantityList[0].epcClass`.
        path: String,
        /// The lot as written in the document.
        lot: String,
        /// Why.
        reason: String,
    },
    /// Storage failed; the document was not acknowledged.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl CaptureError {
    /// The problems as validation issues (empty for storage failures), for an HTTP 400/409 body.
    pub fn issues(&self) -> Vec<ValidationIssue> {
        match self {
            CaptureError::Invalid(v) => v.clone(),
            CaptureError::Duplicate {
                event_id,
                event_index,
            } => vec![ValidationIssue {
                event_index: Some(*event_index),
                path: format!("$.epcisBody.eventList[{event_index}].eventID"),
                code: "event.id.duplicate".into(),
                reason: format!("eventID {event_id} is already in the ledger"),
            }],
            CaptureError::Forbidden {
                event_index,
                path,
                lot,
                reason,
            } => vec![ValidationIssue {
                event_index: Some(*event_index),
                path: path.clone(),
                code: "capture.forbidden".into(),
                reason: format!("lot {lot}: {reason}"),
            }],
            CaptureError::Ledger(_) => Vec::new(),
        }
    }
}
