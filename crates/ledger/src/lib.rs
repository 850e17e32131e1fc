//! Wuliu cold-chain traceability ledger: GS1 EPCIS 2.0 events in a tamper-evident,
//! publicly verifiable log, with chain-of-custody queries and temperature analysis.
//!
//! # Tour
//!
//! * **Capture** — [`Ledger::capture`] takes an EPCIS 2.0 JSON/JSON-LD capture document
//!   (Object, Aggregation, Transaction, Transformation and Association events, with
//!   `sensorElementList` readings) and who captures it ([`Capturer`]). [`validate`] checks it
//!   and reports every problem with the event index, JSON path and reason; [`record`]
//!   authorises it per lot (the first capturer owns a lot; others need a hand-over; admins
//!   may capture anything) and records the capturer and each lot's hash chain inside every
//!   stored event; a document is stored whole or not at all.
//! * **Log** — each event's canonical JSON ([`canonical`]) is a leaf of an append-only Merkle
//!   tree with RFC 9162 hashing ([`hash`], [`tree`]). The log file ([`storage`]: frames whose
//!   headers carry their own checksum) is fsynced, and the signed tree head covering it
//!   persisted ([`HEAD_FILE`]), before a capture returns; concurrent captures share the
//!   fsyncs (group commit). Opening checks the log against that head and refuses to start on
//!   any damage, loss or rewrite, dropping only a torn tail proven never acknowledged.
//!   A failed write (disk full, read-only file system) fails the captures it held and those
//!   queued behind it with [`LedgerError::WriteFailed`], cuts the log back to its durable end
//!   and goes on taking captures, with no restart; [`Ledger::healthy`] reports (and retries)
//!   a repair still pending.
//! * **Proofs** — [`Ledger::tree_head`] signs (size, root, time) with Ed25519 ([`signing`]:
//!   the key file `signing.key` is created on first open); [`Ledger::inclusion_proof`] and
//!   [`Ledger::consistency_proof`] give RFC 9162 proofs, checked by [`proof`].
//! * **Query** — [`Ledger::query`] answers EPCIS-style queries ([`EventQuery`]: identifier,
//!   time, business step, place); [`Ledger::chain_of_custody`] follows aggregations and
//!   transformations up- and downstream ([`custody`]). EPC URNs and GS1 Digital Link URIs
//!   match each other ([`ident`]).
//! * **Offline verification** — [`Ledger::export_bundle`] writes a lot's history with proofs,
//!   a signed tree head and a signed head of the lot's hash chain; [`verify_bundle`] checks
//!   with no access to the ledger that every event is in the log and none of the lot's own
//!   events is missing ([`bundle`]).
//! * **Cold chain** — [`coldchain::analyse`] finds recording gaps, excursions, time out of
//!   range and hand-over problems per lot and leg, against temperature classes from
//!   GB/T 28577 and hand-over rules from GB 31605 ([`coldchain::classes`]).
//!
//! The library is synchronous and does no networking; the server and CLI wrap it.
//!
//! # Wiring (server and CLI)
//!
//! | interface | call | answer |
//! |---|---|---|
//! | EPCIS 2.0 `POST /capture` (document or one event) | [`Ledger::capture`] with the caller as a [`Capturer`] | [`CaptureReceipt`]; [`CaptureError::issues`] for 400 (`Invalid`) / 409 (`Duplicate`) / 403 (`Forbidden`, naming the lot's field) |
//! | may this party see a lot / an event | [`Ledger::visible_to`] / [`Ledger::event_visible_to`]; [`Ledger::query_visible_to`] for its queries | `bool`; [`LotAccess`] from [`Ledger::lot_access`] |
//! | EPCIS 2.0 `GET /events?…` | [`Ledger::query`] with an [`EventQuery`] (EPCIS parameter names; split multi-valued parameters into its lists) | [`QueryResult`], or [`QueryResult::to_epcis_query_document`] |
//! | tree head | [`Ledger::tree_head`] | [`SignedTreeHead`] |
//! | inclusion / consistency proof | [`Ledger::inclusion_proof`] / [`Ledger::consistency_proof`] with [`InclusionProofRequest`] / [`ConsistencyProofRequest`] | [`InclusionProof`] / [`ConsistencyProof`] |
//! | one event with its proof | [`Ledger::prove_event`] | [`EventProof`] (check with [`EventProof::verify`]) |
//! | lot history, bundle, report | [`Ledger::chain_of_custody`], [`Ledger::export_bundle`], [`Ledger::lot_report`] with [`LotReportRequest`] | [`ChainOfCustody`], [`Bundle`], [`coldchain::LotReport`] |
//! | `wuliu ledger verify BUNDLE [--key public.key]` (offline) | [`verify_bundle`] / [`verify_bundle_with_key`] | [`VerifyReport`] |
//!
//! `Ledger` is `Send + Sync`: open it once, share it in an `Arc`, and call it from
//! `spawn_blocking` (capture blocks for an fsync; opening replays the whole log).
//! Files in a ledger directory: `events.wlog` (the log), `tree-head.wth` (the last signed tree
//! head; back it up with the log), `signing.key` (secret, mode 0600), `public.key` (publish
//! it). One process per directory. [`Ledger::open`] fails with a typed [`LedgerError`] naming
//! the byte offset and reason when the files are damaged; it never repairs anything but a
//! torn, unacknowledged tail, which [`OpenReport::torn_tail`] reports.
//!
//! # Example
//!
//! ```
//! use wuliu_ledger::{coldchain, verify_bundle, Capturer, Ledger};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let ledger = Ledger::open(dir.path()).unwrap();
//! let lot = "urn:epc:class:lgtin:9521234.054321.LOT7";
//! let doc = format!(r#"{{
//!   "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-05-01T08:00:00+08:00",
//!   "epcisBody": {{ "eventList": [
//!     {{ "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
//!        "eventTime": "2025-05-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",
//!        "quantityList": [{{ "epcClass": "{lot}", "quantity": 200, "uom": "KGM" }}],
//!        "sensorElementList": [{{ "sensorReport": [{{ "type": "gs1:Temperature", "value": 2.5, "uom": "CEL" }}] }}] }},
//!     {{ "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "receiving",
//!        "eventTime": "2025-05-01T08:08:00+08:00", "eventTimeZoneOffset": "+08:00",
//!        "quantityList": [{{ "epcClass": "{lot}", "quantity": 200, "uom": "KGM" }}],
//!        "sensorElementList": [{{ "sensorReport": [{{ "type": "gs1:Temperature", "value": 3.1, "uom": "CEL" }}] }}] }}
//!   ] }} }}"#);
//! // The shipper's first capture into the lot makes it the lot's owner.
//! let shipper = Capturer::party("pty_farm", "shipper");
//! let receipt = ledger.capture(&doc, &shipper).unwrap();
//! assert_eq!(receipt.count, 2);
//! // A carrier the lot was not handed over to may not capture into it.
//! let carrier = Capturer::party("pty_truck", "carrier");
//! assert!(ledger.capture(&doc.replace("08:08", "08:09"), &carrier).is_err());
//!
//! // Anyone can check the lot's history offline, and that nothing of it is missing.
//! let bundle = serde_json::to_string(&ledger.export_bundle(lot).unwrap()).unwrap();
//! let report = verify_bundle(&bundle);
//! assert!(report.ok, "{:?}", report.failures);
//! assert_eq!(report.entries_verified, 2);
//!
//! // And the cold chain held.
//! let policy = coldchain::ColdChainPolicy::for_class(coldchain::TemperatureClass::Chilled);
//! let lot_report = ledger.lot_report(lot, &policy).unwrap();
//! assert_eq!(lot_report.status, coldchain::LotStatus::Compliant);
//! ```

#![warn(missing_docs)]

pub mod api;
pub mod bundle;
pub mod canonical;
pub mod coldchain;
pub mod custody;
pub mod error;
pub mod event;
pub mod hash;
mod head;
pub mod ident;
mod index;
mod ledger;
pub mod proof;
pub mod query;
pub mod record;
pub mod signing;
pub mod storage;
pub mod tree;
pub mod validate;

pub use api::{ConsistencyProofRequest, EventProof, InclusionProofRequest, LotReportRequest};
pub use bundle::{
    verify_bundle, verify_bundle_with_key, Bundle, BundleEntry, LotHead, VerifyFailure,
    VerifyReport,
};
pub use custody::{ChainOfCustody, CustodyLink, Relation};
pub use error::{CaptureError, LedgerError};
pub use event::{Event, EventType};
pub use hash::Hash;
pub use head::HEAD_FILE;
pub use ledger::{CaptureReceipt, Ledger, LotAccess, OpenReport, LOG_FILE};
pub use proof::{
    verify_consistency, verify_inclusion, ConsistencyProof, InclusionProof, ProofError,
};
pub use query::{EventQuery, LedgerEvent, QueryResult};
pub use record::{CapturedBy, Capturer, LedgerRecord, LotLink};
pub use signing::{SignatureError, SignedTreeHead};
pub use storage::{TornKind, TornTail};
pub use validate::ValidationIssue;
