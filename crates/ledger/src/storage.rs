//! The on-disk log: one append-only file of checksummed frames, one frame per capture document.
//!
//! ```text
//! frame (WLF2) = "WLF2" | payload_len u32 LE | event_count u32 LE | SHA-256(payload)
//!                | header_check (first 8 bytes of SHA-256 over the 44 bytes before it) | payload
//! frame (WLF1) = "WLF1" | payload_len u32 LE | event_count u32 LE | SHA-256(payload) | payload
//! payload      = (event_len u32 LE | canonical event JSON) * event_count
//! ```
//!
//! New frames are always WLF2; WLF1 frames (written by earlier versions) are still read, but
//! only before the first WLF2 frame.
//!
//! A frame is written whole and fsynced (`fdatasync`) before any of its events is acknowledged,
//! so after a crash the file is a sequence of complete frames followed, at worst, by one torn
//! frame that nobody was told about. The header check is what lets the scan on open tell a torn write
//! from damage: a length field is only believed when the header it sits in checks, so a flipped
//! bit in a length can never make acknowledged frames look like a torn tail.
//!
//! The scan never repairs anything; it classifies the end of the log:
//! * a WLF2 header that checks but whose payload runs past the end of the file
//!   ([`TornKind::ShortPayload`]), a cut-off header at the end ([`TornKind::PartialHeader`]), or
//!   zero bytes up to the end ([`TornKind::ZeroFill`]) are a *torn tail candidate*;
//! * a last WLF2 frame whose header checks, whose length is exactly the rest of the file, but
//!   whose payload hash does not match ([`TornKind::DamagedPayload`]) is a candidate too;
//! * anything else that is wrong (bad magic, a header that does not check, a payload hash
//!   mismatch before the last frame, a malformed payload, any problem in a WLF1 frame, which has
//!   no header check) is [`LedgerError::Corrupt`].
//!
//! The ledger then drops a candidate only if the frames before it hold every event covered by the
//! last signed tree head persisted before any acknowledgement (see `crate::head`): only then is
//! the candidate *proven* never acknowledged. Otherwise it refuses to open.

use crate::error::LedgerError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

/// Magic of frames written by this version.
pub(crate) const MAGIC: [u8; 4] = *b"WLF2";
/// Magic of legacy frames (no header check).
pub(crate) const MAGIC_V1: [u8; 4] = *b"WLF1";
/// Frame header length in bytes (WLF2).
pub(crate) const HEADER: u64 = 4 + 4 + 4 + 32 + 8;
/// Frame header length of legacy WLF1 frames.
pub(crate) const HEADER_V1: u64 = 4 + 4 + 4 + 32;

fn header_check(first44: &[u8]) -> [u8; 8] {
    let d = Sha256::digest(first44);
    d[..8].try_into().expect("8 bytes")
}

/// Appends one WLF2 frame holding `events` to `out`; returns, per event, the position of its
/// bytes within `out`, and its length.
pub(crate) fn encode_frame(events: &[&[u8]], out: &mut Vec<u8>) -> Vec<(u64, u32)> {
    let start = out.len();
    let payload_len: usize = events.iter().map(|e| 4 + e.len()).sum();
    out.reserve(HEADER as usize + payload_len);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&(payload_len as u32).to_le_bytes());
    out.extend_from_slice(&(events.len() as u32).to_le_bytes());
    out.extend_from_slice(&[0u8; 32 + 8]);
    let payload_start = out.len();
    let mut positions = Vec::with_capacity(events.len());
    for e in events {
        out.extend_from_slice(&(e.len() as u32).to_le_bytes());
        positions.push((out.len() as u64, e.len() as u32));
        out.extend_from_slice(e);
    }
    let digest = Sha256::digest(&out[payload_start..]);
    out[start + 12..start + 44].copy_from_slice(&digest);
    let check = header_check(&out[start..start + 44]);
    out[start + 44..start + 52].copy_from_slice(&check);
    positions
}

/// Why the end of a log looks torn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TornKind {
    /// Fewer bytes than a frame header, starting like a header.
    PartialHeader,
    /// Only zero bytes (space allocated by the file system but never written).
    ZeroFill,
    /// A frame header that checks, announcing more payload than the file holds.
    ShortPayload,
    /// The last frame, complete by its checked header, with a payload that does not hash right.
    DamagedPayload,
}

impl std::fmt::Display for TornKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TornKind::PartialHeader => "a frame header cut off at the end of the log",
            TornKind::ZeroFill => "zero bytes up to the end of the log",
            TornKind::ShortPayload => {
                "a frame (header checks) whose payload runs past the end of the log"
            }
            TornKind::DamagedPayload => "the last frame's payload does not match its checksum",
        })
    }
}

/// The unacknowledged end of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TornTail {
    /// Byte offset where it starts (the end of the last complete frame).
    pub offset: u64,
    /// Its length in bytes.
    pub bytes: u64,
    /// What it looks like.
    pub kind: TornKind,
}

/// Result of scanning a log file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScanOutcome {
    /// Length of the valid prefix (complete frames).
    pub valid_len: u64,
    /// Events in the valid prefix.
    pub events: u64,
    /// Number of WLF2 frames in the valid prefix.
    pub v2_frames: u64,
    /// What follows the valid prefix, when something does.
    pub tail: Option<TornTail>,
}

fn corrupt(offset: u64, reason: impl Into<String>) -> LedgerError {
    LedgerError::Corrupt {
        offset,
        reason: reason.into(),
    }
}

/// Reads every complete frame from the start of `file`, calling `each(offset, bytes)` for every
/// event of a frame once the whole frame has been checked. Never writes.
pub(crate) fn scan(
    file: &mut File,
    mut each: impl FnMut(u64, &[u8]) -> Result<(), LedgerError>,
) -> Result<ScanOutcome, LedgerError> {
    let file_len = file.metadata()?.len();
    file.seek(SeekFrom::Start(0))?;
    let mut r = BufReader::with_capacity(1 << 20, &mut *file);
    let mut out = ScanOutcome {
        valid_len: 0,
        events: 0,
        v2_frames: 0,
        tail: None,
    };
    let mut payload = Vec::new();
    loop {
        let pos = out.valid_len;
        if pos == file_len {
            return Ok(out);
        }
        let remaining = file_len - pos;
        let torn = |kind| TornTail {
            offset: pos,
            bytes: remaining,
            kind,
        };
        let mut header = [0u8; HEADER as usize];
        let got = remaining.min(HEADER) as usize;
        r.read_exact(&mut header[..got])?;
        let magic_len = got.min(4);
        let is_v2 = header[..magic_len] == MAGIC[..magic_len];
        let is_v1 = got >= 4 && header[..4] == MAGIC_V1;
        if !is_v2 && !is_v1 {
            // A power cut can leave zero-filled space after the last frame; anything else is damage.
            let mut rest = Vec::new();
            r.read_to_end(&mut rest)?;
            if header[..got].iter().chain(rest.iter()).all(|b| *b == 0) {
                out.tail = Some(torn(TornKind::ZeroFill));
                return Ok(out);
            }
            return Err(corrupt(pos, "frame magic missing"));
        }
        let (header_len, plen, count) = if is_v2 {
            if got < HEADER as usize {
                out.tail = Some(torn(TornKind::PartialHeader));
                return Ok(out);
            }
            if header_check(&header[..44]) != header[44..52] {
                return Err(corrupt(
                    pos,
                    "frame header checksum mismatch (magic, length, count or payload hash damaged)",
                ));
            }
            (HEADER, le32(&header[4..8]), le32(&header[8..12]))
        } else {
            if out.v2_frames > 0 {
                return Err(corrupt(pos, "a legacy WLF1 frame after a WLF2 frame"));
            }
            if got < HEADER_V1 as usize {
                return Err(corrupt(
                    pos,
                    "a legacy WLF1 frame header is cut short; WLF1 headers carry no checksum, \
                     so this cannot be proven to be a torn write",
                ));
            }
            // The first 44 bytes read are the whole WLF1 header; give back what follows.
            let extra = got - HEADER_V1 as usize;
            r.seek_relative(-(extra as i64))?;
            (HEADER_V1, le32(&header[4..8]), le32(&header[8..12]))
        };
        let plen = plen as u64;
        if header_len + plen > remaining {
            if is_v2 {
                out.tail = Some(torn(TornKind::ShortPayload));
                return Ok(out);
            }
            return Err(corrupt(
                pos,
                format!(
                    "a legacy WLF1 frame announces {plen} payload bytes but only {} remain; WLF1 \
                     headers carry no checksum, so a torn write cannot be told from a damaged \
                     length",
                    remaining - header_len
                ),
            ));
        }
        payload.resize(plen as usize, 0);
        r.read_exact(&mut payload)?;
        if Sha256::digest(&payload)[..] != header[12..44] {
            if is_v2 && header_len + plen == remaining {
                out.tail = Some(torn(TornKind::DamagedPayload));
                return Ok(out);
            }
            return Err(corrupt(pos, "frame payload checksum mismatch"));
        }
        let mut at = 0usize;
        for _ in 0..count {
            let bad = || corrupt(pos, "frame payload does not match its event count");
            let len_bytes = payload.get(at..at + 4).ok_or_else(bad)?;
            let len = le32(len_bytes) as usize;
            let bytes = payload.get(at + 4..at + 4 + len).ok_or_else(bad)?;
            each(pos + header_len + at as u64 + 4, bytes)?;
            at += 4 + len;
        }
        if at != payload.len() {
            return Err(corrupt(pos, "frame payload has trailing bytes"));
        }
        out.events += count as u64;
        if is_v2 {
            out.v2_frames += 1;
        }
        out.valid_len = pos + header_len + plen;
    }
}

fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().expect("4 bytes"))
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

    fn file_with(bytes: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    /// A legacy frame as earlier versions wrote it.
    fn encode_v1(events: &[&[u8]], out: &mut Vec<u8>) {
        let mut payload = Vec::new();
        for e in events {
            payload.extend_from_slice(&(e.len() as u32).to_le_bytes());
            payload.extend_from_slice(e);
        }
        out.extend_from_slice(&MAGIC_V1);
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&(events.len() as u32).to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&payload));
        out.extend_from_slice(&payload);
    }

    #[test]
    fn frames_round_trip_and_every_cut_of_the_last_frame_is_a_torn_tail() {
        let mut buf = Vec::new();
        let p1 = encode_frame(&[b"alpha", b"be"], &mut buf);
        let first_len = buf.len() as u64;
        let p2 = encode_frame(&[b"gamma"], &mut buf);
        let (out, seen) = scan_all(&mut file_with(&buf)).unwrap();
        assert_eq!(out.valid_len, buf.len() as u64);
        assert_eq!((out.events, out.v2_frames, out.tail), (3, 2, None));
        assert_eq!(seen[0], (p1[0].0, b"alpha".to_vec()));
        assert_eq!(seen[2], (p2[0].0, b"gamma".to_vec()));

        for cut in first_len + 1..buf.len() as u64 {
            let (out, seen) = scan_all(&mut file_with(&buf[..cut as usize])).unwrap();
            assert_eq!(out.valid_len, first_len, "cut at {cut}");
            let tail = out.tail.unwrap();
            assert_eq!((tail.offset, tail.bytes), (first_len, cut - first_len));
            let expected = if cut - first_len < HEADER {
                TornKind::PartialHeader
            } else {
                TornKind::ShortPayload
            };
            assert_eq!(tail.kind, expected, "cut at {cut}");
            assert_eq!(seen.len(), 2);
        }
    }

    #[test]
    fn a_damaged_length_is_corruption_not_a_torn_tail() {
        let mut buf = Vec::new();
        encode_frame(&[b"alpha"], &mut buf);
        encode_frame(&[b"beta"], &mut buf);
        for byte in 4..12 {
            for bit in 0..8 {
                let mut b = buf.clone();
                b[byte] ^= 1 << bit;
                assert!(
                    matches!(
                        scan_all(&mut file_with(&b)),
                        Err(LedgerError::Corrupt { offset: 0, .. })
                    ),
                    "byte {byte} bit {bit}"
                );
            }
        }
    }

    #[test]
    fn damage_before_the_tail_is_corruption_and_in_the_last_payload_a_candidate() {
        let mut buf = Vec::new();
        encode_frame(&[b"alpha"], &mut buf);
        let first = buf.len();
        encode_frame(&[b"beta"], &mut buf);
        let mut b = buf.clone();
        b[HEADER as usize + 5] ^= 1; // the first frame's payload
        assert!(matches!(
            scan_all(&mut file_with(&b)),
            Err(LedgerError::Corrupt { offset: 0, .. })
        ));
        let mut b = buf.clone();
        b[first + HEADER as usize + 5] ^= 1; // the last frame's payload
        let (out, seen) = scan_all(&mut file_with(&b)).unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(out.tail.unwrap().kind, TornKind::DamagedPayload);
    }

    #[test]
    fn zero_filled_tail_is_a_candidate_and_garbage_is_corruption() {
        let mut buf = Vec::new();
        encode_frame(&[b"alpha"], &mut buf);
        let valid = buf.len() as u64;
        let mut z = buf.clone();
        z.extend_from_slice(&[0u8; 100]);
        let (out, seen) = scan_all(&mut file_with(&z)).unwrap();
        assert_eq!(out.valid_len, valid);
        assert_eq!(out.tail.unwrap().kind, TornKind::ZeroFill);
        assert_eq!(seen.len(), 1);
        let mut g = buf.clone();
        g.extend_from_slice(b"garbage");
        assert!(matches!(
            scan_all(&mut file_with(&g)),
            Err(LedgerError::Corrupt { offset, .. }) if offset == valid
        ));
    }

    #[test]
    fn legacy_frames_are_read_but_never_taken_for_torn() {
        let mut buf = Vec::new();
        encode_v1(&[b"old1", b"old2"], &mut buf);
        let v1_len = buf.len();
        encode_frame(&[b"new"], &mut buf);
        let (out, seen) = scan_all(&mut file_with(&buf)).unwrap();
        assert_eq!((out.events, out.v2_frames, out.tail), (3, 1, None));
        assert_eq!(seen[1].1, b"old2");
        assert_eq!(seen[2].1, b"new");
        assert_eq!(seen[2].0, (v1_len + HEADER as usize + 4) as u64);
        // A cut legacy frame cannot be proven torn.
        for cut in 1..v1_len {
            assert!(
                matches!(
                    scan_all(&mut file_with(&buf[..cut])),
                    Err(LedgerError::Corrupt { offset: 0, .. })
                ) || cut < 4,
                "cut {cut}"
            );
        }
        // WLF1 after WLF2 is not a sequence any version writes.
        let mut b = Vec::new();
        encode_frame(&[b"new"], &mut b);
        encode_v1(&[b"old"], &mut b);
        assert!(scan_all(&mut file_with(&b)).is_err());
    }
}
