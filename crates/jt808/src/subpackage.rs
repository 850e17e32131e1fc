//! Splitting long bodies into sub-packages, and a bounded reassembler.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::header::{Header, Subpackage};
use crate::packet::Packet;

/// Splits `body` into packets of at most `max_part` bytes (at least 1).
///
/// Part `i` (1-based) gets serial `header.serial + i - 1`, as the standard
/// numbers sub-packages consecutively. A body that fits in one part is still
/// returned as a single packet *without* sub-package fields. At most 65535
/// parts are made; `max_part` is raised if needed to stay within that.
pub fn split(header: &Header, body: &[u8], max_part: usize) -> Vec<Packet> {
    let min_part = body.len().div_ceil(usize::from(u16::MAX)).max(1);
    let part = max_part.max(min_part);
    if body.len() <= part {
        let mut h = header.clone();
        h.subpackage = None;
        return vec![Packet {
            header: h,
            body: body.to_vec(),
        }];
    }
    let chunks: Vec<&[u8]> = body.chunks(part).collect();
    let total = chunks.len() as u16;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let mut h = header.clone();
            h.serial = header.serial.wrapping_add(i as u16);
            h.subpackage = Some(Subpackage {
                total,
                index: i as u16 + 1,
            });
            Packet {
                header: h,
                body: chunk.to_vec(),
            }
        })
        .collect()
}

/// Limits of a [`Reassembler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReassemblerConfig {
    /// Messages being reassembled at once; the oldest is dropped beyond this.
    pub max_pending: usize,
    /// Body bytes held over all pending messages; oldest dropped beyond this.
    pub max_bytes: usize,
    /// A pending message older than this (since its first part) is dropped.
    pub timeout: Duration,
}

impl Default for ReassemblerConfig {
    fn default() -> Self {
        ReassemblerConfig {
            max_pending: 64,
            max_bytes: 4 * 1024 * 1024,
            timeout: Duration::from_secs(60),
        }
    }
}

/// What identifies one split message: phone, message id and first serial.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    phone: String,
    msg_id: u16,
    first_serial: u16,
}

#[derive(Debug)]
struct Pending {
    started: Instant,
    total: u16,
    header: Header,
    parts: BTreeMap<u16, Vec<u8>>,
    bytes: usize,
}

/// Counters of a [`Reassembler`], for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReassemblerStats {
    /// Messages completed.
    pub completed: u64,
    /// Parts received again for an index already held (ignored).
    pub duplicates: u64,
    /// Pending messages dropped for `max_pending` / `max_bytes`.
    pub evicted: u64,
    /// Pending messages dropped by timeout.
    pub expired: u64,
}

/// Rebuilds messages from sub-packages, within fixed limits and without IO:
/// the caller passes the current [`Instant`] to every call.
///
/// Parts may arrive in any order and more than once. The returned packet has
/// the first part's header (serial = first serial) without sub-package
/// fields, and the concatenated body, which may exceed 1023 bytes.
#[derive(Debug)]
pub struct Reassembler {
    config: ReassemblerConfig,
    pending: HashMap<Key, Pending>,
    bytes: usize,
    stats: ReassemblerStats,
}

impl Default for Reassembler {
    fn default() -> Self {
        Self::new(ReassemblerConfig::default())
    }
}

impl Reassembler {
    /// A reassembler with the given limits.
    pub fn new(config: ReassemblerConfig) -> Self {
        Reassembler {
            config,
            pending: HashMap::new(),
            bytes: 0,
            stats: ReassemblerStats::default(),
        }
    }

    /// Messages currently incomplete.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Body bytes currently held.
    pub fn pending_bytes(&self) -> usize {
        self.bytes
    }

    /// Counters since creation.
    pub fn stats(&self) -> ReassemblerStats {
        self.stats
    }

    /// Offers one packet.
    ///
    /// A packet that is not a sub-package is returned at once. A sub-package
    /// is held until its message is complete, which is then returned.
    pub fn push(&mut self, packet: Packet, now: Instant) -> Result<Option<Packet>> {
        self.expire(now);
        let Some(sub) = packet.header.subpackage else {
            return Ok(Some(packet));
        };
        if sub.index == 0 || sub.index > sub.total {
            return Err(Error::SubpackageIndex {
                index: sub.index,
                total: sub.total,
            });
        }
        if packet.body.len() > self.config.max_bytes {
            return Err(Error::ReassemblyBudget {
                len: packet.body.len(),
                max: self.config.max_bytes,
            });
        }
        let key = Key {
            phone: packet.header.phone.clone(),
            msg_id: packet.header.msg_id,
            first_serial: packet.header.serial.wrapping_sub(sub.index - 1),
        };
        if let Some(p) = self.pending.get(&key) {
            if p.total != sub.total {
                return Err(Error::SubpackageMismatch {
                    msg_id: key.msg_id,
                    total: sub.total,
                    expected: p.total,
                });
            }
            if p.parts.contains_key(&sub.index) {
                self.stats.duplicates += 1;
                return Ok(None);
            }
        }
        self.make_room(&key, packet.body.len());
        Ok(self.insert(key, sub, packet, now))
    }

    /// Drops pending messages older than the timeout; returns how many.
    pub fn expire(&mut self, now: Instant) -> usize {
        let timeout = self.config.timeout;
        let before = self.pending.len();
        let mut freed = 0;
        self.pending.retain(|_, p| {
            let keep = now.saturating_duration_since(p.started) <= timeout;
            if !keep {
                freed += p.bytes;
            }
            keep
        });
        self.bytes -= freed;
        let n = before - self.pending.len();
        self.stats.expired += n as u64;
        n
    }

    /// Evicts the oldest other entries until a new part of `len` bytes fits.
    fn make_room(&mut self, key: &Key, len: usize) {
        let is_new = !self.pending.contains_key(key);
        loop {
            let over_count = is_new && self.pending.len() >= self.config.max_pending;
            let over_bytes = self.bytes + len > self.config.max_bytes;
            if !(over_count || over_bytes) {
                return;
            }
            let oldest = self
                .pending
                .iter()
                .filter(|(k, _)| *k != key)
                .min_by(|a, b| (a.1.started, a.0).cmp(&(b.1.started, b.0)))
                .map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { return };
            if let Some(p) = self.pending.remove(&oldest) {
                self.bytes -= p.bytes;
                self.stats.evicted += 1;
            }
        }
    }

    fn insert(
        &mut self,
        key: Key,
        sub: Subpackage,
        packet: Packet,
        now: Instant,
    ) -> Option<Packet> {
        let len = packet.body.len();
        if self.config.max_pending == 0 || self.bytes + len > self.config.max_bytes {
            // Even alone this message does not fit: drop what it had.
            if let Some(p) = self.pending.remove(&key) {
                self.bytes -= p.bytes;
            }
            self.stats.evicted += 1;
            return None;
        }
        let entry = self.pending.entry(key.clone()).or_insert_with(|| Pending {
            started: now,
            total: sub.total,
            header: packet.header.clone(),
            parts: BTreeMap::new(),
            bytes: 0,
        });
        if sub.index == 1 {
            entry.header = packet.header;
        }
        entry.parts.insert(sub.index, packet.body);
        entry.bytes += len;
        self.bytes += len;
        if entry.parts.len() < usize::from(entry.total) {
            return None;
        }
        let done = self.pending.remove(&key)?;
        self.bytes -= done.bytes;
        self.stats.completed += 1;
        Some(finish(done, key.first_serial))
    }
}

fn finish(done: Pending, first_serial: u16) -> Packet {
    let mut header = done.header;
    header.subpackage = None;
    header.serial = first_serial;
    let mut body = Vec::with_capacity(done.bytes);
    for part in done.parts.into_values() {
        body.extend_from_slice(&part);
    }
    Packet { header, body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::Version;

    fn parts(n: usize) -> (Vec<u8>, Vec<Packet>) {
        let body: Vec<u8> = (0..n).map(|i| i as u8).collect();
        let h = Header::new(0x0704, Version::V2013, "13800138000", 65534);
        let packets = split(&h, &body, 100);
        (body, packets)
    }

    #[test]
    fn reverse_order_with_duplicates_rebuilds() {
        let (body, packets) = parts(450);
        assert_eq!(packets.len(), 5);
        let now = Instant::now();
        let mut r = Reassembler::default();
        let mut done = None;
        for i in [4usize, 3, 3, 2, 1, 0] {
            let p = &packets[i];
            if let Some(full) = r.push(p.clone(), now).unwrap() {
                done = Some(full);
            }
        }
        let full = done.expect("complete");
        assert_eq!(full.body, body);
        assert_eq!(full.header.serial, 65534);
        assert_eq!(full.header.subpackage, None);
        assert_eq!(r.pending(), 0);
        assert_eq!(r.pending_bytes(), 0);
        assert_eq!(r.stats().duplicates, 1);
    }

    #[test]
    fn timeout_drops_incomplete_messages() {
        let (_, packets) = parts(250);
        let t0 = Instant::now();
        let mut r = Reassembler::default();
        assert_eq!(r.push(packets[0].clone(), t0).unwrap(), None);
        assert_eq!(r.expire(t0 + Duration::from_secs(61)), 1);
        assert_eq!(r.pending_bytes(), 0);
        assert_eq!(r.push(packets[1].clone(), t0).unwrap(), None);
    }

    #[test]
    fn limits_evict_oldest() {
        let config = ReassemblerConfig {
            max_pending: 2,
            max_bytes: 250,
            timeout: Duration::from_secs(60),
        };
        let mut r = Reassembler::new(config);
        let t0 = Instant::now();
        for serial in [0u16, 10, 20] {
            let h = Header::new(0x0200, Version::V2013, "1", serial);
            let p = split(&h, &[1u8; 300], 100);
            r.push(p[0].clone(), t0 + Duration::from_millis(serial.into()))
                .unwrap();
        }
        assert_eq!(r.pending(), 2);
        assert_eq!(r.stats().evicted, 1);
        assert!(r.pending_bytes() <= 250);
    }

    #[test]
    fn bad_index_is_an_error() {
        let mut h = Header::new(0x0200, Version::V2013, "1", 1);
        h.subpackage = Some(Subpackage { total: 2, index: 3 });
        let p = Packet {
            header: h,
            body: vec![],
        };
        assert!(matches!(
            Reassembler::default().push(p, Instant::now()),
            Err(Error::SubpackageIndex { index: 3, total: 2 })
        ));
    }
}
