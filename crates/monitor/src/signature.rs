//! Quantised track signatures over the whole input, to find one track claimed by two vehicles.
//!
//! Every moving fix (faster than `borrowed_min_speed_kmh`) is reduced to a key made of its time bucket
//! (`borrowed_bucket_s`) and its grid cell (`borrowed_cell_deg` in latitude and longitude). Each vehicle
//! enters each key once. A trip then looks up its own keys: another vehicle sharing most of them was at the
//! same places at the same times. Building is O(fixes) and a query is O(the trip's fixes), so a day of
//! millions of fixes needs no comparison of every pair of vehicles.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use crate::config::RuleConfig;
use crate::track::Track;

/// A fast hasher for `u64` keys (SplitMix64 finaliser).
#[derive(Default)]
pub(crate) struct U64Hasher(u64);

impl Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(self.0 ^ u64::from(*b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        let mut z = (self.0 ^ x).wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        self.0 = z ^ (z >> 31);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<U64Hasher>>;

const OVERFLOW: u32 = 1 << 31;

/// Quantisation parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quantiser {
    bucket_s: i64,
    cell_deg: f64,
    min_speed: f32,
}

impl Quantiser {
    pub(crate) fn new(c: &RuleConfig) -> Self {
        Self {
            bucket_s: c.borrowed_bucket_s.max(1),
            cell_deg: if c.borrowed_cell_deg > 0.0 {
                c.borrowed_cell_deg
            } else {
                0.005
            },
            min_speed: c.borrowed_min_speed_kmh as f32,
        }
    }

    /// The key of fix `i`, or `None` when the fix is slow or its coordinates are not finite.
    fn key(&self, t: &Track, i: usize) -> Option<u64> {
        let (lat, lon) = (t.lat[i], t.lon[i]);
        if !(t.speed_kmh[i] > self.min_speed && lat.is_finite() && lon.is_finite()) {
            return None;
        }
        let bucket = (t.time[i].div_euclid(self.bucket_s) as u64) & ((1 << 28) - 1);
        let cx = (((lon + 180.0) / self.cell_deg) as u64) & ((1 << 18) - 1);
        let cy = (((lat + 90.0) / self.cell_deg) as u64) & ((1 << 18) - 1);
        Some((bucket << 36) | (cx << 18) | cy)
    }

    /// Keys of fixes `range` with the time of their first fix, consecutive repeats removed.
    pub(crate) fn keys(&self, t: &Track, range: std::ops::Range<usize>) -> Vec<(u64, i64)> {
        let mut out: Vec<(u64, i64)> = Vec::new();
        for i in range {
            if let Some(k) = self.key(t, i) {
                if out.last().map(|l| l.0) != Some(k) {
                    out.push((k, t.time[i]));
                }
            }
        }
        out
    }
}

/// The vehicle sharing most of a trip's signatures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SharedTrack {
    /// Slot of the other vehicle.
    pub other: u32,
    /// Signatures shared.
    pub shared: usize,
    /// Signatures of the trip.
    pub total: usize,
    /// Time of the first and last shared signature.
    pub first_s: i64,
    /// See `first_s`.
    pub last_s: i64,
}

/// Key → vehicles that have a moving fix under that key.
pub(crate) struct SignatureIndex {
    q: Quantiser,
    map: FastMap<u64, u32>,
    overflow: Vec<Vec<u32>>,
}

impl SignatureIndex {
    /// Builds the index over the tracks, one per vehicle slot.
    pub(crate) fn build(tracks: &[&Track], q: Quantiser) -> Self {
        let per_vehicle: Vec<Vec<u64>> = tracks
            .par_iter()
            .map(|t| {
                let mut keys: Vec<u64> = q.keys(t, 0..t.len()).into_iter().map(|k| k.0).collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            })
            .collect();
        let n: usize = per_vehicle.iter().map(Vec::len).sum();
        let mut map: FastMap<u64, u32> = FastMap::with_capacity_and_hasher(n, Default::default());
        let mut overflow: Vec<Vec<u32>> = Vec::new();
        for (slot, keys) in per_vehicle.iter().enumerate() {
            let slot = slot as u32;
            for &k in keys {
                let v = map.entry(k).or_insert(slot);
                if *v == slot {
                    continue;
                }
                if *v & OVERFLOW == 0 {
                    overflow.push(vec![*v, slot]);
                    *v = OVERFLOW | (overflow.len() as u32 - 1);
                } else {
                    overflow[(*v & !OVERFLOW) as usize].push(slot);
                }
            }
        }
        Self { q, map, overflow }
    }

    /// The other vehicle sharing most signatures with fixes `range` of vehicle `slot`'s track.
    pub(crate) fn best_match(
        &self,
        slot: u32,
        track: &Track,
        range: std::ops::Range<usize>,
    ) -> Option<SharedTrack> {
        let keys = self.q.keys(track, range);
        let mut counts: Vec<SharedTrack> = Vec::new();
        for &(k, t) in &keys {
            let Some(v) = self.map.get(&k) else { continue };
            let others: &[u32] = if *v & OVERFLOW == 0 {
                std::slice::from_ref(v)
            } else {
                &self.overflow[(*v & !OVERFLOW) as usize]
            };
            for &o in others.iter().filter(|&&o| o != slot) {
                match counts.iter_mut().find(|c| c.other == o) {
                    Some(c) => {
                        c.shared += 1;
                        c.last_s = t;
                    }
                    None => counts.push(SharedTrack {
                        other: o,
                        shared: 1,
                        total: keys.len(),
                        first_s: t,
                        last_s: t,
                    }),
                }
            }
        }
        counts
            .into_iter()
            .max_by_key(|c| (c.shared, std::cmp::Reverse(c.other)))
    }
}
