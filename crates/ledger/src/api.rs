//! Request and response types for the HTTP server and the CLI: each deserialises from the JSON
//! a client sends and maps onto one [`crate::Ledger`] call.

use crate::coldchain::ColdChainPolicy;
use crate::hash::Hash;
use crate::proof::InclusionProof;
use crate::query::LedgerEvent;
use crate::signing::SignedTreeHead;
use serde::{Deserialize, Serialize};

/// Body of a lot-report request: `Ledger::lot_report(&r.subject, &r.policy)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LotReportRequest {
    /// Lot, item or container identifier (EPC URN or GS1 Digital Link).
    pub subject: String,
    /// Thresholds; every field optional (defaults: chilled 0–4 °C, 10-minute recording).
    #[serde(default)]
    pub policy: ColdChainPolicy,
}

/// Parameters of an inclusion-proof request: `Ledger::inclusion_proof(r.leaf_index, r.tree_size)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProofRequest {
    /// Leaf to prove.
    pub leaf_index: u64,
    /// Tree size to prove against (current size when absent).
    #[serde(default)]
    pub tree_size: Option<u64>,
}

/// Parameters of a consistency-proof request:
/// `Ledger::consistency_proof(r.old_size, r.new_size)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProofRequest {
    /// Earlier tree size.
    pub old_size: u64,
    /// Later tree size (current size when absent).
    #[serde(default)]
    pub new_size: Option<u64>,
}

/// One event with everything needed to check it offline: its exact stored bytes, its leaf
/// hash, an inclusion proof and the signed tree head the proof leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventProof {
    /// The event.
    pub event: LedgerEvent,
    /// Its exact stored bytes (canonical JSON); `SHA-256(0x00 || event_json)` is the leaf.
    pub event_json: String,
    /// The leaf hash.
    pub leaf_hash: Hash,
    /// Inclusion proof in the tree of `tree_head.tree_size` leaves.
    pub proof: InclusionProof,
    /// Signed head of that tree.
    pub tree_head: SignedTreeHead,
}

impl EventProof {
    /// Checks the signature, that the bytes hash to the leaf, and the inclusion proof.
    /// Pass the ledger's published key to also check who signed.
    pub fn verify(&self, trusted_public_key_hex: Option<&str>) -> Result<(), String> {
        match trusted_public_key_hex {
            Some(k) => self.tree_head.verify_with_key(k),
            None => self.tree_head.verify(),
        }
        .map_err(|e| format!("tree head: {e}"))?;
        let leaf = crate::hash::leaf_hash(self.event_json.as_bytes());
        if leaf != self.leaf_hash {
            return Err("event bytes do not hash to the leaf hash".into());
        }
        if self.proof.tree_size != self.tree_head.tree_size {
            return Err("proof is for another tree size than the signed head".into());
        }
        self.proof
            .verify(&leaf, &self.tree_head.root_hash)
            .map_err(|e| format!("inclusion proof: {e}"))
    }
}
