//! History bundles and their offline verification: the anti-counterfeiting promise.
//!
//! A bundle carries a subject's events exactly as the ledger stored them, an inclusion proof
//! for each, and one signed tree head. Anyone holding the bundle and the ledger's published
//! public key can check, with no access to the ledger, that every event is in the log the key
//! signed, unaltered, and that it concerns the subject's chain of custody.
//!
//! A bundle also proves *completeness* for the subject's own events (those naming one of the
//! subject's identifier keys): each such event carries, inside its proven bytes, its place in
//! the lot's hash chain (`seq` and the previous event's leaf hash, see [`crate::record`]), and
//! the bundle carries, per subject key, a [`LotHead`]: the ledger's signed statement that at
//! the bundle's tree size the lot has `recorded` chained events ending in leaf `head`, and
//! `legacy` unchained ones. The verifier checks the chain runs unbroken from event #1 to that
//! head, so removing, reordering, duplicating or replacing any entry — the last one included —
//! fails with a named reason (`chain.missing`, `chain.broken`, `chain.head`, `chain.legacy`,
//! `entry.order`, `entry.duplicate`, `proof.invalid`, `lot_head.*`). Entries are in canonical
//! order: by event time, then leaf index.
//!
//! Events linked through containers, inputs and outputs ([`crate::custody`]) are proven
//! included, not complete: their lots' chains run through other lots' histories, which a
//! bundle does not disclose.

use crate::custody::CustodyLink;
use crate::hash::{leaf_hash, Hash};
use crate::ident::identifier_keys;
use crate::index::index_keys;
use crate::proof::verify_inclusion;
use crate::signing::{lot_head_message, verify_message, SignedTreeHead};
use crate::validate::parse_stored;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Format tag of bundles written by this version.
pub const BUNDLE_FORMAT: &str = "wuliu-ledger-bundle/2";

/// A chained entry of one lot: (seq, prev, leaf hash, entry index).
type ChainLink = (u64, Option<Hash>, Hash, usize);

/// The ledger's signed statement of one lot's chain at a tree size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotHead {
    /// The lot's identifier key.
    pub key: String,
    /// Number of recorded (chained) events of the lot in the tree of `tree_size` leaves.
    pub recorded: u64,
    /// Number of legacy (unchained) events of the lot.
    pub legacy: u64,
    /// Leaf hash of the lot's last recorded event (`None` when `recorded` is 0).
    pub head: Option<Hash>,
    /// Tree size the statement is about (the bundle's tree head's).
    pub tree_size: u64,
    /// Root hash of that tree.
    pub root_hash: Hash,
    /// Ed25519 signature (hex) by the tree head's key over the fields, see
    /// `signing::lot_head_message`.
    pub signature: String,
}

/// A self-contained, verifiable history of one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The lot, item or container the bundle is about.
    pub subject: String,
    /// Signed head of the tree every proof leads to.
    pub tree_head: SignedTreeHead,
    /// Per identifier key of the subject, its signed chain head at the tree head's size.
    pub lot_heads: Vec<LotHead>,
    /// Identifiers the chain of custody followed (subject, containers, inputs, outputs…).
    pub links: Vec<CustodyLink>,
    /// Events with proofs, by event time.
    pub entries: Vec<BundleEntry>,
}

/// One event in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleEntry {
    /// Leaf index in the log.
    pub leaf_index: u64,
    /// The exact stored bytes of the event (canonical JSON), whose leaf hash is proven.
    pub event_json: String,
    /// Inclusion proof in the tree of `tree_head.tree_size` leaves.
    pub proof: Vec<Hash>,
}

/// One reason a bundle failed verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyFailure {
    /// Index into `entries`, when the failure concerns one entry.
    pub entry: Option<usize>,
    /// Stable code, e.g. `proof.invalid`, `tree_head.signature`.
    pub code: String,
    /// Explanation.
    pub reason: String,
}

/// Outcome of [`verify_bundle`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    /// True only if the tree head signature and every entry verified and nothing is missing.
    pub ok: bool,
    /// Bundle subject (empty when the bundle did not parse).
    pub subject: String,
    /// Tree size the head commits to.
    pub tree_size: u64,
    /// Root hash the head commits to (hex).
    pub root_hash: String,
    /// key_id of the signing key; compare it with the ledger operator's published key.
    pub key_id: String,
    /// Whether the signing key was checked against a pinned, trusted key.
    pub key_pinned: bool,
    /// Number of entries in the bundle.
    pub entries_total: usize,
    /// Entries whose proof, content and relevance all verified.
    pub entries_verified: usize,
    /// Everything that went wrong.
    pub failures: Vec<VerifyFailure>,
}

/// Verifies a bundle offline, trusting the public key the bundle names. This proves the events
/// are in a log signed by *that* key; compare `key_id` with the operator's published key, or
/// use [`verify_bundle_with_key`] to pin it.
pub fn verify_bundle(bundle_json: &str) -> VerifyReport {
    verify(bundle_json, None)
}

/// Verifies a bundle offline against a pinned Ed25519 public key (hex, as in `public.key`).
pub fn verify_bundle_with_key(bundle_json: &str, trusted_public_key_hex: &str) -> VerifyReport {
    verify(bundle_json, Some(trusted_public_key_hex))
}

fn fail(failures: &mut Vec<VerifyFailure>, entry: Option<usize>, code: &str, reason: String) {
    failures.push(VerifyFailure {
        entry,
        code: code.to_string(),
        reason,
    });
}

fn verify(bundle_json: &str, trusted: Option<&str>) -> VerifyReport {
    let mut failures = Vec::new();
    let bundle: Bundle = match serde_json::from_str(bundle_json) {
        Ok(b) => b,
        Err(e) => {
            fail(
                &mut failures,
                None,
                "bundle.parse",
                format!("not a ledger bundle: {e}"),
            );
            return VerifyReport {
                ok: false,
                subject: String::new(),
                tree_size: 0,
                root_hash: String::new(),
                key_id: String::new(),
                key_pinned: trusted.is_some(),
                entries_total: 0,
                entries_verified: 0,
                failures,
            };
        }
    };
    if bundle.format != BUNDLE_FORMAT {
        fail(
            &mut failures,
            None,
            "bundle.format",
            format!("format {:?} is not {BUNDLE_FORMAT:?}", bundle.format),
        );
    }
    let sth = &bundle.tree_head;
    let sig = match trusted {
        Some(k) => sth.verify_with_key(k),
        None => sth.verify(),
    };
    if let Err(e) = sig {
        fail(&mut failures, None, "tree_head.signature", e.to_string());
    }
    // The identifiers this bundle is allowed to talk about.
    let mut allowed: HashSet<String> = identifier_keys(&bundle.subject)
        .map(|k| k.into_iter().collect())
        .unwrap_or_default();
    if allowed.is_empty() {
        fail(
            &mut failures,
            None,
            "bundle.subject",
            format!("subject {:?} is not a valid identifier", bundle.subject),
        );
    }
    for l in &bundle.links {
        allowed.insert(l.key.clone());
    }
    if bundle.entries.is_empty() {
        fail(
            &mut failures,
            None,
            "bundle.empty",
            "the bundle holds no event".into(),
        );
    }
    let subject_keys: Vec<String> = identifier_keys(&bundle.subject).unwrap_or_default();
    // Per subject key: (seq, prev, leaf, entry) of chained entries, and legacy entries.
    let mut chains: HashMap<&str, Vec<ChainLink>> = HashMap::new();
    let mut legacy: HashMap<&str, u64> = HashMap::new();
    let mut order: Vec<(i64, u64)> = Vec::with_capacity(bundle.entries.len());
    let mut seen = HashSet::new();
    let mut verified = 0;
    for (i, entry) in bundle.entries.iter().enumerate() {
        let before = failures.len();
        if !seen.insert(entry.leaf_index) {
            fail(
                &mut failures,
                Some(i),
                "entry.duplicate",
                format!("leaf {} appears twice", entry.leaf_index),
            );
        }
        let leaf = leaf_hash(entry.event_json.as_bytes());
        if let Err(e) = verify_inclusion(
            entry.leaf_index,
            sth.tree_size,
            &leaf,
            &entry.proof,
            &sth.root_hash,
        ) {
            fail(
                &mut failures,
                Some(i),
                "proof.invalid",
                format!(
                    "leaf {}: the event is not proven to be in the signed log ({e})",
                    entry.leaf_index
                ),
            );
        }
        match parse_stored(entry.event_json.as_bytes()) {
            Ok((event, record)) => {
                order.push((event.event_time.timestamp_millis(), entry.leaf_index));
                let keys = index_keys(&event);
                if let Some(r) = &record {
                    if r.lots.len() != keys.len()
                        || r.lots.iter().zip(&keys).any(|(l, k)| l.key != *k)
                    {
                        fail(
                            &mut failures,
                            Some(i),
                            "entry.record",
                            format!(
                                "event {}: its ledger record does not name its lots",
                                event.event_id
                            ),
                        );
                    }
                }
                for sk in &subject_keys {
                    if !keys.contains(sk) {
                        continue;
                    }
                    match record.as_ref().and_then(|r| r.link(sk)) {
                        Some(l) => chains
                            .entry(sk.as_str())
                            .or_default()
                            .push((l.seq, l.prev, leaf, i)),
                        None => *legacy.entry(sk.as_str()).or_default() += 1,
                    }
                }
                let relevant = event.identifiers().any(|raw| {
                    identifier_keys(raw).is_ok_and(|ks| ks.iter().any(|k| allowed.contains(k)))
                });
                if !relevant {
                    fail(
                        &mut failures,
                        Some(i),
                        "entry.unrelated",
                        format!(
                            "event {} mentions none of the bundle's identifiers",
                            event.event_id
                        ),
                    );
                }
            }
            Err(issues) => fail(
                &mut failures,
                Some(i),
                "entry.event_invalid",
                format!(
                    "event is not a valid EPCIS event: {}",
                    issues.first().map(|x| x.to_string()).unwrap_or_default()
                ),
            ),
        }
        if failures.len() == before {
            verified += 1;
        }
    }
    if order.windows(2).any(|w| w[0] > w[1]) {
        fail(
            &mut failures,
            None,
            "entry.order",
            "entries are not in order of event time, then leaf index".into(),
        );
    }
    check_chains(&bundle, &subject_keys, &mut chains, &legacy, &mut failures);
    VerifyReport {
        ok: failures.is_empty(),
        subject: bundle.subject.clone(),
        tree_size: sth.tree_size,
        root_hash: sth.root_hash.to_hex(),
        key_id: sth.key_id.clone(),
        key_pinned: trusted.is_some(),
        entries_total: bundle.entries.len(),
        entries_verified: verified,
        failures,
    }
}

/// Checks each subject key's lot head (signature, tree) and that the chained entries run
/// unbroken from #1 to the signed head, and that every legacy event is there.
fn check_chains(
    bundle: &Bundle,
    subject_keys: &[String],
    chains: &mut HashMap<&str, Vec<ChainLink>>,
    legacy: &HashMap<&str, u64>,
    failures: &mut Vec<VerifyFailure>,
) {
    let sth = &bundle.tree_head;
    for key in subject_keys {
        let heads: Vec<&LotHead> = bundle.lot_heads.iter().filter(|h| h.key == *key).collect();
        let [head] = heads.as_slice() else {
            fail(
                failures,
                None,
                "lot_head.missing",
                format!(
                    "the bundle carries {} signed heads for lot {key} (need exactly one): its completeness cannot be checked",
                    heads.len()
                ),
            );
            continue;
        };
        if head.tree_size != sth.tree_size || head.root_hash != sth.root_hash {
            fail(
                failures,
                None,
                "lot_head.tree",
                format!(
                    "the signed head of lot {key} is for tree size {}, not the bundle's {}",
                    head.tree_size, sth.tree_size
                ),
            );
        }
        let m = lot_head_message(
            key,
            head.recorded,
            head.legacy,
            head.head.as_ref(),
            head.tree_size,
            &head.root_hash,
        );
        if let Err(e) = verify_message(&sth.public_key, &m, &head.signature) {
            fail(
                failures,
                None,
                "lot_head.signature",
                format!("the signed head of lot {key}: {e}"),
            );
        }
        let mut chain = chains.remove(key.as_str()).unwrap_or_default();
        chain.sort_by_key(|c| (c.0, c.3));
        let mut prev: Option<Hash> = None;
        let mut expected = 1u64;
        for &(seq, link_prev, leaf, entry) in &chain {
            if seq < expected {
                continue; // a duplicate, reported as such
            }
            if seq > expected {
                fail(
                    failures,
                    None,
                    "chain.missing",
                    format!(
                        "lot {key}: event #{expected}{} of its chain is missing from the bundle",
                        if seq > expected + 1 {
                            format!(" to #{}", seq - 1)
                        } else {
                            String::new()
                        }
                    ),
                );
            } else if link_prev != prev {
                fail(
                    failures,
                    Some(entry),
                    "chain.broken",
                    format!(
                        "lot {key}: event #{seq} does not follow the bundle's event #{}",
                        seq - 1
                    ),
                );
            }
            prev = Some(leaf);
            expected = seq + 1;
        }
        let have = expected - 1;
        if have < head.recorded {
            fail(
                failures,
                None,
                "chain.missing",
                format!(
                    "lot {key}: the ledger signed {} recorded events, the bundle's chain ends at #{have}: the last {} missing",
                    head.recorded,
                    if head.recorded - have == 1 { "event is".to_string() } else { format!("{} events are", head.recorded - have) }
                ),
            );
        } else if have > head.recorded {
            fail(
                failures,
                None,
                "chain.head",
                format!(
                    "lot {key}: the bundle has event #{have}, the ledger signed only {}",
                    head.recorded
                ),
            );
        } else if prev != head.head {
            fail(
                failures,
                None,
                "chain.head",
                format!("lot {key}: the bundle's last event is not the signed chain head"),
            );
        }
        let legacy_here = legacy.get(key.as_str()).copied().unwrap_or(0);
        if legacy_here != head.legacy {
            fail(
                failures,
                None,
                "chain.legacy",
                format!(
                    "lot {key}: the bundle holds {legacy_here} legacy (unchained) events, the ledger signed {}",
                    head.legacy
                ),
            );
        }
    }
}
