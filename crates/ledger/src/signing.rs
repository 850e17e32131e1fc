//! Signed tree heads (Ed25519) and the ledger's key file.
//!
//! On first open the ledger creates `signing.key` in its directory: 32 random bytes (the
//! Ed25519 seed) as 64 hex characters, file mode 0600, written to a temporary file, fsynced and
//! renamed. It also writes `public.key` (the 32-byte verifying key in hex), which is safe to
//! publish: inspectors pin it and pass it to [`crate::verify_bundle_with_key`]. Back up
//! `signing.key` with the log; losing it means new tree heads cannot be linked to old ones by
//! signature (the consistency proofs still link the trees themselves). To rotate, stop the
//! service, archive the old public key, replace `signing.key` and delete `public.key`.

use crate::hash::Hash;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::Path;

/// Domain separation for tree-head signatures.
const STH_CONTEXT: &[u8] = b"wuliu-ledger/tree-head/v1\0";
/// Domain separation for lot-head statements.
const LOT_HEAD_CONTEXT: &[u8] = b"wuliu-ledger/lot-head/v1\0";
/// Domain separation for lot share codes.
const SHARE_CONTEXT: &[u8] = b"wuliu-ledger/lot-share/v1\0";

/// The message a lot-head statement signs:
/// `"wuliu-ledger/lot-head/v1\0" || tree_size (u64 BE) || root_hash || recorded (u64 BE)
/// || legacy (u64 BE) || 0x00 or (0x01 || head) || key length (u32 BE) || key (UTF-8)`.
pub(crate) fn lot_head_message(
    key: &str,
    recorded: u64,
    legacy: u64,
    head: Option<&Hash>,
    tree_size: u64,
    root: &Hash,
) -> Vec<u8> {
    let mut m = Vec::with_capacity(LOT_HEAD_CONTEXT.len() + 128 + key.len());
    m.extend_from_slice(LOT_HEAD_CONTEXT);
    m.extend_from_slice(&tree_size.to_be_bytes());
    m.extend_from_slice(&root.0);
    m.extend_from_slice(&recorded.to_be_bytes());
    m.extend_from_slice(&legacy.to_be_bytes());
    match head {
        Some(h) => {
            m.push(1);
            m.extend_from_slice(&h.0);
        }
        None => m.push(0),
    }
    m.extend_from_slice(&(key.len() as u32).to_be_bytes());
    m.extend_from_slice(key.as_bytes());
    m
}

/// Verifies an Ed25519 signature (hex) over `message` by `public_key_hex`.
pub(crate) fn verify_message(
    public_key_hex: &str,
    message: &[u8],
    signature_hex: &str,
) -> Result<(), SignatureError> {
    let key = parse_public_key(public_key_hex)?;
    let mut sig = [0u8; 64];
    hex::decode_to_slice(signature_hex, &mut sig).map_err(|_| SignatureError::BadSignature)?;
    key.verify(message, &Signature::from_bytes(&sig))
        .map_err(|_| SignatureError::Invalid)
}

/// A tree head signed by the ledger's Ed25519 key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    /// Number of events (leaves) covered.
    pub tree_size: u64,
    /// RFC 9162 root hash of those leaves.
    pub root_hash: Hash,
    /// Signing time, milliseconds since the Unix epoch (UTC).
    pub timestamp_ms: u64,
    /// The verifying key, 32 bytes as hex.
    pub public_key: String,
    /// First 16 hex characters of SHA-256 of the public key: a short name for the key.
    pub key_id: String,
    /// Ed25519 signature (64 bytes as hex) over
    /// `"wuliu-ledger/tree-head/v1\0" || tree_size (u64 BE) || timestamp_ms (u64 BE) || root_hash`.
    pub signature: String,
}

/// Why a tree head's signature is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The public key is not 32 hex bytes or not a valid curve point.
    #[error("malformed public key")]
    BadKey,
    /// The signature is not 64 hex bytes.
    #[error("malformed signature")]
    BadSignature,
    /// The key is not the trusted one.
    #[error("tree head was signed by key {found}, not by the trusted key {expected}")]
    UntrustedKey {
        /// key_id of the trusted key.
        expected: String,
        /// key_id in the tree head.
        found: String,
    },
    /// The signature does not match the content.
    #[error("signature does not verify")]
    Invalid,
}

fn message(size: u64, timestamp_ms: u64, root: &Hash) -> Vec<u8> {
    let mut m = Vec::with_capacity(STH_CONTEXT.len() + 48);
    m.extend_from_slice(STH_CONTEXT);
    m.extend_from_slice(&size.to_be_bytes());
    m.extend_from_slice(&timestamp_ms.to_be_bytes());
    m.extend_from_slice(&root.0);
    m
}

/// Short identifier of a verifying key.
pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(public.as_bytes())[..8])
}

impl SignedTreeHead {
    /// Verifies the signature with the key the tree head names. This proves integrity only;
    /// use [`SignedTreeHead::verify_with_key`] to also prove *who* signed.
    pub fn verify(&self) -> Result<(), SignatureError> {
        let key = parse_public_key(&self.public_key)?;
        self.verify_inner(&key)
    }

    /// Verifies the signature and that it was made by `trusted_public_key_hex`.
    pub fn verify_with_key(&self, trusted_public_key_hex: &str) -> Result<(), SignatureError> {
        let trusted = parse_public_key(trusted_public_key_hex)?;
        let named = parse_public_key(&self.public_key)?;
        if trusted != named {
            return Err(SignatureError::UntrustedKey {
                expected: key_id(&trusted),
                found: key_id(&named),
            });
        }
        self.verify_inner(&trusted)
    }

    fn verify_inner(&self, key: &VerifyingKey) -> Result<(), SignatureError> {
        if self.key_id != key_id(key) {
            return Err(SignatureError::Invalid);
        }
        let mut sig = [0u8; 64];
        hex::decode_to_slice(&self.signature, &mut sig)
            .map_err(|_| SignatureError::BadSignature)?;
        let sig = Signature::from_bytes(&sig);
        key.verify(
            &message(self.tree_size, self.timestamp_ms, &self.root_hash),
            &sig,
        )
        .map_err(|_| SignatureError::Invalid)
    }
}

/// Parses a 32-byte hex verifying key.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, SignatureError> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut b).map_err(|_| SignatureError::BadKey)?;
    VerifyingKey::from_bytes(&b).map_err(|_| SignatureError::BadKey)
}

/// The ledger's signing key.
pub struct LogKey {
    signing: SigningKey,
}

impl std::fmt::Debug for LogKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LogKey({})", self.public_hex())
    }
}

impl LogKey {
    /// The share code of a lot (its identifier `keys`): the first 16 bytes (32 hex characters)
    /// of SHA-256 of the key's Ed25519 signature over
    /// `"wuliu-ledger/lot-share/v1\0" || (key length (u32 BE) || key)*`. Ed25519 signatures
    /// are deterministic, so the code is stable, and only the holder of the signing key can
    /// compute it: knowing a lot's identifier (often guessable) is not enough to read it.
    pub fn share_code(&self, keys: &[String]) -> String {
        let mut m = SHARE_CONTEXT.to_vec();
        for k in keys {
            m.extend_from_slice(&(k.len() as u32).to_be_bytes());
            m.extend_from_slice(k.as_bytes());
        }
        let sig = self.signing.sign(&m);
        hex::encode(&Sha256::digest(sig.to_bytes())[..16])
    }

    /// Loads `dir/signing.key`, creating it (and `dir/public.key`) on first use.
    pub fn load_or_create(dir: &Path) -> std::io::Result<LogKey> {
        let path = dir.join("signing.key");
        let signing = match fs::read_to_string(&path) {
            Ok(text) => {
                let mut seed = [0u8; 32];
                hex::decode_to_slice(text.trim(), &mut seed).map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("{} must hold 64 hex characters", path.display()),
                    )
                })?;
                SigningKey::from_bytes(&seed)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut seed = [0u8; 32];
                getrandom::getrandom(&mut seed)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                write_atomically(dir, "signing.key", &hex::encode(seed), true)?;
                SigningKey::from_bytes(&seed)
            }
            Err(e) => return Err(e),
        };
        let key = LogKey { signing };
        let public = dir.join("public.key");
        if !public.exists() {
            write_atomically(dir, "public.key", &key.public_hex(), false)?;
        }
        Ok(key)
    }

    /// A key from a fixed seed (tests and examples).
    pub fn from_seed(seed: [u8; 32]) -> LogKey {
        LogKey {
            signing: SigningKey::from_bytes(&seed),
        }
    }

    /// The verifying key as hex.
    pub fn public_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().as_bytes())
    }

    /// Signs a lot-head statement: at `tree.tree_size`, lot `key` has `recorded` chained
    /// events ending in leaf `head`, and `legacy` unchained ones.
    pub fn sign_lot_head(
        &self,
        key: &str,
        recorded: u64,
        legacy: u64,
        head: Option<Hash>,
        tree: &SignedTreeHead,
    ) -> crate::bundle::LotHead {
        let m = lot_head_message(
            key,
            recorded,
            legacy,
            head.as_ref(),
            tree.tree_size,
            &tree.root_hash,
        );
        crate::bundle::LotHead {
            key: key.to_string(),
            recorded,
            legacy,
            head,
            tree_size: tree.tree_size,
            root_hash: tree.root_hash,
            signature: hex::encode(self.signing.sign(&m).to_bytes()),
        }
    }

    /// Signs a tree head.
    pub fn sign(&self, tree_size: u64, root_hash: Hash, timestamp_ms: u64) -> SignedTreeHead {
        let sig = self
            .signing
            .sign(&message(tree_size, timestamp_ms, &root_hash));
        let public = self.signing.verifying_key();
        SignedTreeHead {
            tree_size,
            root_hash,
            timestamp_ms,
            public_key: hex::encode(public.as_bytes()),
            key_id: key_id(&public),
            signature: hex::encode(sig.to_bytes()),
        }
    }
}

fn write_atomically(dir: &Path, name: &str, text: &str, secret: bool) -> std::io::Result<()> {
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut f = opts.open(&tmp)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()?;
    fs::rename(&tmp, dir.join(name))?;
    sync_dir(dir)
}

/// fsyncs a directory so a created or renamed entry survives power loss.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_binds_size_root_and_time() {
        let key = LogKey::from_seed([7; 32]);
        let root = crate::hash::leaf_hash(b"r");
        let sth = key.sign(5, root, 1000);
        assert_eq!(sth.verify(), Ok(()));
        assert_eq!(sth.verify_with_key(&key.public_hex()), Ok(()));
        let mut t = sth.clone();
        t.tree_size = 6;
        assert_eq!(t.verify(), Err(SignatureError::Invalid));
        let mut t = sth.clone();
        t.timestamp_ms += 1;
        assert_eq!(t.verify(), Err(SignatureError::Invalid));
        let mut t = sth.clone();
        t.root_hash = crate::hash::leaf_hash(b"other");
        assert_eq!(t.verify(), Err(SignatureError::Invalid));
        let other = LogKey::from_seed([8; 32]);
        assert!(matches!(
            sth.verify_with_key(&other.public_hex()),
            Err(SignatureError::UntrustedKey { .. })
        ));
        // A forger who re-signs with their own key fails against the pinned key.
        let forged = other.sign(5, root, 1000);
        assert_eq!(forged.verify(), Ok(()));
        assert!(forged.verify_with_key(&key.public_hex()).is_err());
    }

    #[test]
    fn share_codes_are_stable_per_lot_and_key() {
        let key = LogKey::from_seed([7; 32]);
        let lot = |k: &str| vec![k.to_string()];
        let a = key.share_code(&lot("lgtin:09521234543213:LOT7"));
        assert_eq!(a.len(), 32);
        assert_eq!(a, key.share_code(&lot("lgtin:09521234543213:LOT7")));
        assert_ne!(a, key.share_code(&lot("lgtin:09521234543213:LOT8")));
        let other = LogKey::from_seed([8; 32]);
        assert_ne!(a, other.share_code(&lot("lgtin:09521234543213:LOT7")));
    }
}
