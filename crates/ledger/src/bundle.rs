//! History bundles and their offline verification: the anti-counterfeiting promise.
//!
//! A bundle carries a subject's events exactly as the ledger stored them, an inclusion proof
//! for each, and one signed tree head. Anyone holding the bundle and the ledger's published
//! public key can check, with no access to the ledger, that every event is in the log the key
//! signed, unaltered, and that it concerns the subject's chain of custody.
//!
//! A bundle proves *inclusion*, not *completeness*: an exporter could leave an event out.
//! Completeness comes from comparing with another party's bundle or query for the same lot
//! against a consistent tree head (any two heads can be linked with a consistency proof).

use crate::custody::CustodyLink;
use crate::hash::{leaf_hash, Hash};
use crate::ident::identifier_keys;
use crate::proof::verify_inclusion;
use crate::signing::SignedTreeHead;
use crate::validate::parse_stored_event;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Format tag of bundles written by this version.
pub const BUNDLE_FORMAT: &str = "wuliu-ledger-bundle/1";

/// A self-contained, verifiable history of one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bundle {
    /// Always [`BUNDLE_FORMAT`].
    pub format: String,
    /// The lot, item or container the bundle is about.
    pub subject: String,
    /// Signed head of the tree every proof leads to.
    pub tree_head: SignedTreeHead,
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
        match parse_stored_event(entry.event_json.as_bytes()) {
            Ok(event) => {
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
