//! Who captured each event, per-lot hash chains and capture authorisation.
//!
//! # The ledger record
//!
//! Every event captured by this version carries, inside its stored (and so leaf-hashed)
//! canonical JSON, a `"wuliu:record"` member written by the ledger (a client-sent one is
//! discarded, like `recordTime`):
//!
//! ```json
//! "wuliu:record": {
//!   "capturedBy": {"party": "pty_fresh", "role": "shipper"},
//!   "lots": [{"key": "lgtin:09521234543213:LOT7", "seq": 3, "prev": "<leaf hash of event #2 of that lot>"}]
//! }
//! ```
//!
//! * `capturedBy` names the party (`null` for an admin acting for no party) and its role.
//! * `lots` holds one link per *lot*, i.e. per identifier key the event mentions in any role
//!   (`epcList`, `quantityList`, `parentID`, children, inputs, outputs; keys as in
//!   [`crate::ident`], sorted): `seq` counts the lot's recorded events (1 for its first), and
//!   `prev` is the leaf hash of the lot's previous recorded event (`null` for the first). The
//!   events of one lot thus form a hash chain in log order; a bundle proves it has them all by
//!   showing the whole chain up to a head the ledger signs ([`crate::bundle`]).
//!
//! Events of logs written before this record existed (WLF1-era) have none: they are *legacy*
//! events, counted per lot but in no chain.
//!
//! # Capture authorisation (per lot)
//!
//! [`crate::Ledger::capture`] takes a [`Capturer`]. For every event and every lot it names:
//! * an **admin** may capture anything;
//! * a lot with no events yet is **claimed** by the capturing party: it becomes the lot's owner
//!   and first custodian (an admin acting for no party claims it for no one);
//! * otherwise the capturing party must be one of the lot's **custodians**: its owner, or a party
//!   the lot was **handed over** to. A hand-over is a recorded event about the lot, captured by
//!   one of its custodians (or an admin), whose `destinationList` names the party as
//!   `owning_party` or `possessing_party` (CBV source/destination types, by the platform party
//!   id): a shipping event to the buyer (`owning_party`) or to the carrier
//!   (`possessing_party`).
//!
//! Hand-overs accumulate: a former custodian keeps the right to capture, because the events of
//! one journey are recorded by several parties, sometimes after the goods moved on (a shipper's
//! `departing` after the carrier took possession); every event names its capturer, so such a
//! late event is attributable. Custody follows identifiers, not containment: handing over a
//! pallet (`sscc`) lets the carrier capture pallet events, which the chain of custody of the
//! lots on it includes ([`crate::custody`]), not events naming the lots themselves. Lots that
//! have only legacy events have no owner: only an admin may capture into them (and hand them
//! over). A refused capture stores nothing of the document
//! ([`crate::CaptureError::Forbidden`], naming the lot and the JSON path of the field).

use crate::event::Event;
use crate::hash::Hash;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Name of the ledger's member in every stored event.
pub const RECORD_KEY: &str = "wuliu:record";

/// Who is capturing: the caller of [`crate::Ledger::capture`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capturer {
    /// The party the caller acts for (`None` only for admins acting for no party).
    pub party_id: Option<String>,
    /// The caller's role, recorded as is (`admin`, `shipper`, `carrier`, `operator`…).
    pub role: String,
    /// Whether the caller may capture into any lot.
    pub admin: bool,
}

impl Capturer {
    /// An administrator (may capture anything), acting for `party_id` if given.
    pub fn admin(party_id: Option<&str>) -> Capturer {
        Capturer {
            party_id: party_id.map(str::to_string),
            role: "admin".into(),
            admin: true,
        }
    }

    /// A party in `role`, subject to the per-lot rules.
    pub fn party(party_id: &str, role: &str) -> Capturer {
        Capturer {
            party_id: Some(party_id.to_string()),
            role: role.to_string(),
            admin: false,
        }
    }
}

/// The capturing party as recorded in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapturedBy {
    /// Party id (`None` for an admin acting for no party).
    pub party: Option<String>,
    /// Role at capture time.
    pub role: String,
}

/// One lot's link in an event's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotLink {
    /// The lot's identifier key (see [`crate::ident`]).
    pub key: String,
    /// 1 for the lot's first recorded event, 2 for the next…
    pub seq: u64,
    /// Leaf hash of the lot's previous recorded event (`None` for the first).
    pub prev: Option<Hash>,
}

/// The ledger's record inside a stored event (the `"wuliu:record"` member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerRecord {
    /// Who captured the event.
    pub captured_by: CapturedBy,
    /// One link per lot the event names, sorted by key.
    pub lots: Vec<LotLink>,
}

impl LedgerRecord {
    /// The link for lot `key`, if the event names it.
    pub fn link(&self, key: &str) -> Option<&LotLink> {
        self.lots
            .binary_search_by(|l| l.key.as_str().cmp(key))
            .ok()
            .map(|i| &self.lots[i])
    }
}

/// What the ledger knows about one lot.
#[derive(Debug, Clone, Default)]
pub(crate) struct LotState {
    /// Recorded (chained) events.
    pub seq: u64,
    /// Leaf hash of the last recorded event.
    pub head: Option<Hash>,
    /// Legacy events (no record).
    pub legacy: u64,
    /// The party that claimed the lot.
    pub owner: Option<String>,
    /// Parties that may capture into it (owner and hand-over recipients).
    pub custodians: Vec<String>,
    /// Parties that captured into it.
    pub capturers: Vec<String>,
}

impl LotState {
    fn is_new(&self) -> bool {
        self.seq == 0 && self.legacy == 0
    }

    /// Whether `party` may see the lot: it captured into it or holds/held custody.
    pub fn visible_to(&self, party: &str) -> bool {
        self.custodians.iter().any(|p| p == party) || self.capturers.iter().any(|p| p == party)
    }
}

/// Why a capture into a lot is refused.
pub(crate) fn refusal(by: &Capturer, state: Option<&LotState>) -> Option<String> {
    if by.admin {
        return None;
    }
    let Some(party) = by.party_id.as_deref() else {
        return Some("a capturer that is not an admin must act for a party".into());
    };
    // A lot with no events yet is free to claim.
    let s = state.filter(|s| !s.is_new())?;
    if s.custodians.iter().any(|p| p == party) {
        return None;
    }
    Some(match &s.owner {
        Some(owner) => format!(
            "the lot belongs to party {owner} and has not been handed over to party {party}"
        ),
        None => format!(
            "the lot has no owning party (recorded before capturers were, or claimed by an admin); only an admin may capture into it or hand it over to party {party}"
        ),
    })
}

/// Per-lot state of every lot, plus which lots each party may see.
#[derive(Debug, Default, Clone)]
pub(crate) struct LotBook {
    pub lots: HashMap<Box<str>, LotState>,
    pub by_party: HashMap<String, BTreeSet<Box<str>>>,
}

/// CBV destination types that hand a lot over.
pub(crate) fn hands_over(kind: &str) -> bool {
    kind == "owning_party" || kind == "possessing_party"
}

impl LotBook {
    /// The state of lot `key`.
    pub fn get(&self, key: &str) -> Option<&LotState> {
        self.lots.get(key)
    }

    /// The link the next recorded event of `key` gets.
    pub fn next_link(&self, key: &str) -> LotLink {
        let s = self.lots.get(key);
        LotLink {
            key: key.to_string(),
            seq: s.map_or(0, |s| s.seq) + 1,
            prev: s.and_then(|s| s.head),
        }
    }

    fn note_party(&mut self, party: &str, key: &str) {
        match self.by_party.get_mut(party) {
            Some(set) => {
                if !set.contains(key) {
                    set.insert(key.into());
                }
            }
            None => {
                self.by_party
                    .insert(party.to_string(), BTreeSet::from([key.into()]));
            }
        }
    }

    /// Adds the next event of the log: `keys` (from [`crate::index`]), its record (`None` for
    /// legacy events) and its leaf hash. Checks the record continues every lot's chain.
    pub fn apply(
        &mut self,
        keys: &[String],
        record: Option<&LedgerRecord>,
        leaf: Hash,
        event: &Event,
    ) -> Result<(), String> {
        let Some(record) = record else {
            for k in keys {
                self.lots.entry(k.as_str().into()).or_default().legacy += 1;
            }
            return Ok(());
        };
        if record.lots.len() != keys.len() || record.lots.iter().zip(keys).any(|(l, k)| l.key != *k)
        {
            return Err("the ledger record does not name the event's lots".into());
        }
        let party = record.captured_by.party.as_deref();
        let grants: Vec<&str> = event
            .destinations
            .iter()
            .filter(|d| hands_over(&d.kind))
            .map(|d| d.id.as_str())
            .collect();
        for link in &record.lots {
            let expected = self.next_link(&link.key);
            if *link != expected {
                return Err(format!(
                    "lot {} chain broken: the record says event #{} after {:?}, the log has #{} after {:?}",
                    link.key,
                    link.seq,
                    link.prev.map(|h| h.to_hex()),
                    expected.seq,
                    expected.prev.map(|h| h.to_hex())
                ));
            }
            let s = self.lots.entry(link.key.as_str().into()).or_default();
            let claims = s.is_new();
            s.seq = link.seq;
            s.head = Some(leaf);
            let mut noted: Vec<&str> = Vec::new();
            if let Some(p) = party {
                if claims {
                    s.owner = Some(p.to_string());
                    s.custodians.push(p.to_string());
                }
                if !s.capturers.iter().any(|c| c == p) {
                    s.capturers.push(p.to_string());
                }
                noted.push(p);
            }
            for g in &grants {
                if !s.custodians.iter().any(|c| c == g) {
                    s.custodians.push(g.to_string());
                }
                noted.push(g);
            }
            for p in noted {
                self.note_party(p, &link.key);
            }
        }
        Ok(())
    }
}
