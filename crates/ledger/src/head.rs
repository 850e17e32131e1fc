//! The durable latest signed tree head: `tree-head.wth` next to the log.
//!
//! Each group commit signs the new tree head and writes it here (with `fdatasync`) *before*
//! any capture in it is acknowledged, so the file always covers every acknowledged event. On
//! open the ledger checks the log against it: the log must hold at least `tree_size` events
//! and the root over the first `tree_size` leaves must be `root_hash`; otherwise events were
//! lost or rewritten and the ledger refuses to open.
//!
//! ```text
//! file  = slot 0 at byte 0 | slot 1 at byte 512          (1024 bytes)
//! slot  = "WTH1" | seq u64 LE | tree_size u64 LE | timestamp_ms u64 LE | root_hash [32]
//!         | public_key [32] | signature [64] | SHA-256 of the 156 bytes before it   (188 bytes)
//! ```
//!
//! Writes alternate between the two slots (`seq` odd → slot 1), each overwritten in place, so a
//! torn write damages at most the slot being written and the other still holds the previous
//! head. Opening takes the valid slot with the highest `seq`; each slot's checksum and Ed25519
//! signature (by the key the slot names, so a rotated key does not invalidate the file) must
//! hold. The file is created (temporary file, fsync, rename, directory fsync) when the ledger
//! is opened without one, which is allowed only while the log holds no WLF2 frame (a new or a
//! legacy log): a missing file next to a WLF2 log means it was deleted.

use crate::error::LedgerError;
use crate::hash::Hash;
use crate::signing::{key_id, parse_public_key, sync_dir, SignedTreeHead};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::path::Path;

/// File name of the persisted signed tree head inside the ledger directory.
pub const HEAD_FILE: &str = "tree-head.wth";

const MAGIC: [u8; 4] = *b"WTH1";
const SLOT: usize = 4 + 8 + 8 + 8 + 32 + 32 + 64 + 32;
const SLOT_STRIDE: u64 = 512;

/// The open tree-head file.
#[derive(Debug)]
pub(crate) struct HeadFile {
    file: File,
    seq: u64,
}

fn encode(seq: u64, h: &SignedTreeHead) -> Result<[u8; SLOT], LedgerError> {
    let mut b = [0u8; SLOT];
    b[..4].copy_from_slice(&MAGIC);
    b[4..12].copy_from_slice(&seq.to_le_bytes());
    b[12..20].copy_from_slice(&h.tree_size.to_le_bytes());
    b[20..28].copy_from_slice(&h.timestamp_ms.to_le_bytes());
    b[28..60].copy_from_slice(&h.root_hash.0);
    let bad = |what: &str| LedgerError::TreeHeadFile {
        reason: format!("cannot encode a tree head with a malformed {what}"),
    };
    hex::decode_to_slice(&h.public_key, &mut b[60..92]).map_err(|_| bad("public key"))?;
    hex::decode_to_slice(&h.signature, &mut b[92..156]).map_err(|_| bad("signature"))?;
    let d = Sha256::digest(&b[..156]);
    b[156..].copy_from_slice(&d);
    Ok(b)
}

fn decode(b: &[u8]) -> Option<(u64, SignedTreeHead)> {
    if b.len() < SLOT || b[..4] != MAGIC || Sha256::digest(&b[..156])[..] != b[156..SLOT] {
        return None;
    }
    let u = |r: std::ops::Range<usize>| u64::from_le_bytes(b[r].try_into().expect("8 bytes"));
    let public = hex::encode(&b[60..92]);
    let key = parse_public_key(&public).ok()?;
    let head = SignedTreeHead {
        tree_size: u(12..20),
        root_hash: Hash(b[28..60].try_into().expect("32 bytes")),
        timestamp_ms: u(20..28),
        key_id: key_id(&key),
        public_key: public,
        signature: hex::encode(&b[92..156]),
    };
    head.verify().ok()?;
    Some((u(4..12), head))
}

impl HeadFile {
    /// Loads `dir/tree-head.wth`: `Ok(None)` when it does not exist, an error when it exists
    /// but no slot holds a valid signed head.
    pub fn load(dir: &Path) -> Result<Option<(HeadFile, SignedTreeHead)>, LedgerError> {
        let path = dir.join(HEAD_FILE);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let best = [0u64, SLOT_STRIDE]
            .iter()
            .filter_map(|&at| bytes.get(at as usize..).and_then(decode))
            .max_by_key(|(seq, _)| *seq)
            .ok_or_else(|| LedgerError::TreeHeadFile {
                reason: format!(
                    "{} holds no valid signed tree head (both slots damaged)",
                    path.display()
                ),
            })?;
        let file = OpenOptions::new().read(true).write(true).open(&path)?;
        Ok(Some((HeadFile { file, seq: best.0 }, best.1)))
    }

    /// Creates `dir/tree-head.wth` holding `head`, atomically and durably.
    pub fn create(dir: &Path, head: &SignedTreeHead) -> Result<HeadFile, LedgerError> {
        let tmp = dir.join(format!(".{HEAD_FILE}.tmp"));
        let mut bytes = vec![0u8; 2 * SLOT_STRIDE as usize];
        bytes[..SLOT].copy_from_slice(&encode(0, head)?);
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, dir.join(HEAD_FILE))?;
        sync_dir(dir)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(dir.join(HEAD_FILE))?;
        Ok(HeadFile { file, seq: 0 })
    }

    /// Durably records `head` as the latest signed tree head (one positioned write and one
    /// `fdatasync`, into the slot not holding the current head).
    pub fn write(&mut self, head: &SignedTreeHead) -> Result<(), LedgerError> {
        let seq = self.seq + 1;
        let slot = encode(seq, head)?;
        self.file.write_all_at(&slot, (seq % 2) * SLOT_STRIDE)?;
        self.file.sync_data()?;
        self.seq = seq;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::LogKey;

    #[test]
    fn latest_valid_slot_wins_and_a_torn_slot_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let key = LogKey::from_seed([3; 32]);
        let h = |n: u64| key.sign(n, crate::hash::leaf_hash(&n.to_le_bytes()), 1000 + n);
        let mut f = HeadFile::create(dir.path(), &h(0)).unwrap();
        for n in 1..=5 {
            f.write(&h(n)).unwrap();
        }
        drop(f);
        let (_, got) = HeadFile::load(dir.path()).unwrap().unwrap();
        assert_eq!(got, h(5));
        // Damage the newest slot (seq 5 → slot 1): the previous head is used.
        let path = dir.path().join(HEAD_FILE);
        let mut bytes = fs::read(&path).unwrap();
        bytes[512 + 20] ^= 1;
        fs::write(&path, &bytes).unwrap();
        let (_, got) = HeadFile::load(dir.path()).unwrap().unwrap();
        assert_eq!(got, h(4));
        // Both damaged: refused.
        bytes[30] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            HeadFile::load(dir.path()),
            Err(LedgerError::TreeHeadFile { .. })
        ));
        fs::remove_file(&path).unwrap();
        assert!(HeadFile::load(dir.path()).unwrap().is_none());
    }
}
