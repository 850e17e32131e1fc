//! In-memory indexes over the committed events, rebuilt from the log on open.
//!
//! Events themselves stay on disk (read back with positioned reads); memory holds, per event,
//! its file position and a few interned fields, plus posting lists by identifier key, event
//! ID, business step and place.

use crate::event::{Event, EventType};
use crate::ident::identifier_keys;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash as _, Hasher};

/// Per-event metadata kept in memory.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventMeta {
    pub offset: u64,
    pub len: u32,
    pub time_ms: i64,
    pub kind: EventType,
    pub disposition: Option<u32>,
}

#[derive(Debug, Default)]
pub(crate) struct Interner {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.into());
        self.ids.insert(s.into(), id);
        id
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
}

/// Posting lists over committed events (values are leaf indexes, ascending).
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub metas: Vec<EventMeta>,
    by_id: HashMap<u64, Vec<u32>>,
    by_key: HashMap<Box<str>, Vec<u32>>,
    by_biz_step: HashMap<u32, Vec<u32>>,
    by_place: HashMap<u32, Vec<u32>>,
    pub symbols: Interner,
}

pub(crate) fn id_hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Sorted, distinct lookup keys of every identifier an event mentions. Computed by capturing
/// threads before they take any lock.
pub(crate) fn index_keys(event: &Event) -> Vec<String> {
    let mut keys: Vec<String> = event
        .identifiers()
        .flat_map(|raw| identifier_keys(raw).unwrap_or_else(|_| vec![raw.to_string()]))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl Index {
    /// Adds the next event, with its identifier keys from [`index_keys`].
    pub fn add(&mut self, offset: u64, len: u32, event: &Event, keys: Vec<String>) {
        let idx = self.metas.len() as u32;
        let biz_step = event.biz_step.as_deref().map(|s| self.symbols.intern(s));
        let disposition = event.disposition.as_deref().map(|s| self.symbols.intern(s));
        self.metas.push(EventMeta {
            offset,
            len,
            time_ms: event.event_time.timestamp_millis(),
            kind: event.kind,
            disposition,
        });
        self.by_id
            .entry(id_hash(&event.event_id))
            .or_default()
            .push(idx);
        for k in keys {
            match self.by_key.get_mut(k.as_str()) {
                Some(list) => list.push(idx),
                None => {
                    self.by_key.insert(k.into_boxed_str(), vec![idx]);
                }
            }
        }
        if let Some(s) = biz_step {
            self.by_biz_step.entry(s).or_default().push(idx);
        }
        let mut places: Vec<u32> = [event.read_point.as_deref(), event.biz_location.as_deref()]
            .into_iter()
            .flatten()
            .map(|p| self.symbols.intern(p))
            .collect();
        places.dedup();
        for p in places {
            self.by_place.entry(p).or_default().push(idx);
        }
    }

    /// Leaf indexes whose event ID hashes like `id` (confirm by reading the event).
    pub fn id_candidates(&self, id: &str) -> &[u32] {
        self.by_id.get(&id_hash(id)).map_or(&[], Vec::as_slice)
    }

    /// Events mentioning identifier key `key`.
    pub fn with_key(&self, key: &str) -> &[u32] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Events with business step `step` (bare CBV word or URI).
    pub fn with_biz_step(&self, step: &str) -> &[u32] {
        self.symbols
            .get(step)
            .and_then(|s| self.by_biz_step.get(&s))
            .map_or(&[], Vec::as_slice)
    }

    /// Events whose read point or business location is `place`.
    pub fn at_place(&self, place: &str) -> &[u32] {
        self.symbols
            .get(place)
            .and_then(|s| self.by_place.get(&s))
            .map_or(&[], Vec::as_slice)
    }
}
