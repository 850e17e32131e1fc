//! The on-disk log: one append-only file of checksummed frames, one frame per capture document.
//!
//! ```text
//! frame   = magic "WLF1" | payload_len u32 LE | event_count u32 LE | SHA-256(payload) | payload
//! payload = (event_len u32 LE | canonical event JSON) * event_count
//! ```
//!
//! A frame is written whole and fsynced (`fdatasync`) before any of its events is acknowledged,
//! so after a crash the file is a sequence of complete frames followed, at worst, by one torn
//! frame that nobody was told about. Opening the log drops that torn tail; a damaged frame
//! *before* the tail is corruption and refuses to open. Frames of several concurrent captures
//! are written with one `write` and one fsync (group commit).

use crate::error::LedgerError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

/// Frame magic.
pub(crate) const MAGIC: [u8; 4] = *b"WLF1";
/// Frame header length in bytes.
pub(crate) const HEADER: u64 = 4 + 4 + 4 + 32;

/// Appends one frame holding `events` to `out`; returns, per event, the position of its bytes
/// within `out`, and its length.
pub(crate) fn encode_frame(events: &[&[u8]], out: &mut Vec<u8>) -> Vec<(u64, u32)> {
    let start = out.len();
    let payload_len: usize = events.iter().map(|e| 4 + e.len()).sum();
    out.reserve(HEADER as usize + payload_len);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&(payload_len as u32).to_le_bytes());
    out.extend_from_slice(&(events.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0u8; 32]);
    let payload_start = out.len();
    let mut positions = Vec::with_capacity(events.len());
    for e in events {
        out.extend_from_slice(&(e.len() as u32).to_le_bytes());
        positions.push((out.len() as u64, e.len() as u32));
        out.extend_from_slice(e);
    }
    let digest = Sha256::digest(&out[payload_start..]);
    out[start + 12..start + 44].copy_from_slice(&digest);
    positions
}

/// Result of scanning a log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanOutcome {
    /// Length of the valid prefix (complete frames).
    pub valid_len: u64,
    /// Bytes after it belonging to a torn, unacknowledged frame.
    pub torn_bytes: u64,
}

/// Reads every complete frame from the start of `file`, calling `each(offset, bytes)` for every
/// event of a frame once the whole frame has been checked.
pub(crate) fn scan(
    file: &mut File,
    mut each: impl FnMut(u64, &[u8]) -> Result<(), LedgerError>,
) -> Result<ScanOutcome, LedgerError> {
    let file_len = file.metadata()?.len();
    file.seek(SeekFrom::Start(0))?;
    let mut r = BufReader::with_capacity(1 << 20, &mut *file);
    let mut pos = 0u64;
    let mut payload = Vec::new();
    let torn = |pos: u64| {
        Ok(ScanOutcome {
            valid_len: pos,
            torn_bytes: file_len - pos,
        })
    };
    loop {
        if pos == file_len {
            return torn(pos);
        }
        let remaining = file_len - pos;
        if remaining < HEADER {
            return torn(pos);
        }
        let mut header = [0u8; HEADER as usize];
        r.read_exact(&mut header)?;
        if header[..4] != MAGIC {
            // A power cut can leave zero-filled space after the last frame; anything else is damage.
            let mut rest = Vec::new();
            r.read_to_end(&mut rest)?;
            if header.iter().chain(rest.iter()).all(|b| *b == 0) {
                return torn(pos);
            }
            return Err(LedgerError::Corrupt {
                offset: pos,
                reason: "frame magic missing".into(),
            });
        }
        let plen = u32::from_le_bytes(header[4..8].try_into().expect("4 bytes")) as u64;
        let count = u32::from_le_bytes(header[8..12].try_into().expect("4 bytes")) as usize;
        if HEADER + plen > remaining {
            return torn(pos);
        }
        payload.resize(plen as usize, 0);
        r.read_exact(&mut payload)?;
        if Sha256::digest(&payload)[..] != header[12..44] {
            if pos + HEADER + plen == file_len {
                return torn(pos);
            }
            return Err(LedgerError::Corrupt {
                offset: pos,
                reason: "frame checksum mismatch before the end of the log".into(),
            });
        }
        let mut at = 0usize;
        for _ in 0..count {
            let bad = || LedgerError::Corrupt {
                offset: pos,
                reason: "frame payload does not match its event count".into(),
            };
            let len_bytes = payload.get(at..at + 4).ok_or_else(bad)?;
            let len = u32::from_le_bytes(len_bytes.try_into().expect("4 bytes")) as usize;
            let bytes = payload.get(at + 4..at + 4 + len).ok_or_else(bad)?;
            each(pos + HEADER + at as u64 + 4, bytes)?;
            at += 4 + len;
        }
        if at != payload.len() {
            return Err(LedgerError::Corrupt {
                offset: pos,
                reason: "frame payload has trailing bytes".into(),
            });
        }
        pos += HEADER + plen;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    type Seen = Vec<(u64, Vec<u8>)>;

    fn scan_all(file: &mut File) -> Result<(ScanOutcome, Seen), LedgerError> {
        let mut seen = Vec::new();
        let out = scan(file, |off, b| {
            seen.push((off, b.to_vec()));
            Ok(())
        })?;
        Ok((out, seen))
    }

    #[test]
    fn frames_round_trip_and_torn_tail_is_dropped() {
        let mut buf = Vec::new();
        let p1 = encode_frame(&[b"alpha", b"be"], &mut buf);
        let first_len = buf.len() as u64;
        let p2 = encode_frame(&[b"gamma"], &mut buf);
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&buf).unwrap();
        let (out, seen) = scan_all(&mut f).unwrap();
        assert_eq!(out.valid_len, buf.len() as u64);
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[0], (p1[0].0, b"alpha".to_vec()));
        assert_eq!(seen[2], (p2[0].0, b"gamma".to_vec()));
        assert_eq!(&buf[p2[0].0 as usize..p2[0].0 as usize + 5], b"gamma");

        // Every cut inside the second frame loses exactly that frame.
        for cut in first_len + 1..buf.len() as u64 {
            let mut f = tempfile::tempfile().unwrap();
            f.write_all(&buf[..cut as usize]).unwrap();
            let (out, seen) = scan_all(&mut f).unwrap();
            assert_eq!(out.valid_len, first_len, "cut at {cut}");
            assert_eq!(out.torn_bytes, cut - first_len);
            assert_eq!(seen.len(), 2);
        }
    }

    #[test]
    fn damage_before_the_tail_is_corruption() {
        let mut buf = Vec::new();
        encode_frame(&[b"alpha"], &mut buf);
        encode_frame(&[b"beta"], &mut buf);
        buf[HEADER as usize + 5] ^= 1; // flip a bit in the first frame's payload
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&buf).unwrap();
        assert!(matches!(
            scan_all(&mut f),
            Err(LedgerError::Corrupt { offset: 0, .. })
        ));
    }

    #[test]
    fn zero_filled_tail_is_torn_not_corrupt() {
        let mut buf = Vec::new();
        encode_frame(&[b"alpha"], &mut buf);
        let valid = buf.len() as u64;
        buf.extend_from_slice(&[0u8; 100]);
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&buf).unwrap();
        let (out, seen) = scan_all(&mut f).unwrap();
        assert_eq!(out.valid_len, valid);
        assert_eq!(seen.len(), 1);
    }
}
