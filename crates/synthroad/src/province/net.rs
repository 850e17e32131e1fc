//! The network while it is built: node positions in the local metric frame, ways as runs of a flat
//! node list, interned tag sets, the curves open-country roads follow, and turn restrictions.
//!
//! Everything is indexed by `u32` and stored flat: a 3 M node province is a few hundred MB at most,
//! and no way owns its own `String` tags (a street's ways share one interned tag set).

use std::collections::HashMap;

use super::frame::Curve;
use crate::geo::P;

/// No curve: a way whose links are straight (streets, ramps).
pub(crate) const NO_CURVE: u32 = u32::MAX;

/// Interned strings and tag sets (ordered key/value lists).
#[derive(Default)]
pub(crate) struct TagTable {
    strs: Vec<Box<str>>,
    str_ix: HashMap<Box<str>, u32>,
    sets: Vec<Box<[(u32, u32)]>>,
    set_ix: HashMap<Box<[(u32, u32)]>, u32>,
}

impl TagTable {
    pub fn string(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.str_ix.get(s) {
            return i;
        }
        let i = self.strs.len() as u32;
        self.strs.push(s.into());
        self.str_ix.insert(s.into(), i);
        i
    }

    pub fn str(&self, i: u32) -> &str {
        &self.strs[i as usize]
    }

    fn intern(&mut self, set: Vec<(u32, u32)>) -> u32 {
        if let Some(&i) = self.set_ix.get(set.as_slice()) {
            return i;
        }
        let i = self.sets.len() as u32;
        let set: Box<[(u32, u32)]> = set.into();
        self.sets.push(set.clone());
        self.set_ix.insert(set, i);
        i
    }

    /// The set of `tags`, in order.
    pub fn set<K: AsRef<str>, V: AsRef<str>>(&mut self, tags: &[(K, V)]) -> u32 {
        let v = tags
            .iter()
            .map(|(k, v)| (self.string(k.as_ref()), self.string(v.as_ref())))
            .collect();
        self.intern(v)
    }

    pub fn pairs(&self, set: u32) -> &[(u32, u32)] {
        &self.sets[set as usize]
    }

    pub fn sets(&self) -> usize {
        self.sets.len()
    }

    pub fn get(&self, set: u32, key: &str) -> Option<&str> {
        self.pairs(set)
            .iter()
            .find(|(k, _)| self.str(*k) == key)
            .map(|(_, v)| self.str(*v))
    }

    /// `set` without the `keys`.
    pub fn without(&mut self, set: u32, keys: &[&str]) -> u32 {
        let v: Vec<(u32, u32)> = self
            .pairs(set)
            .iter()
            .copied()
            .filter(|(k, _)| !keys.contains(&self.str(*k)))
            .collect();
        self.intern(v)
    }
}

/// A way: a run of `Net::way_nodes` (with the curve parameters in `Net::way_t`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WayRec {
    pub start: u32,
    pub end: u32,
    pub tags: u32,
    /// The curve its links follow (shape nodes are added along it), or [`NO_CURVE`].
    pub curve: u32,
}

/// A turn restriction: arriving on `from` at `via`, leaving on `to` (way indices).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Restr {
    pub from: u32,
    pub via: u32,
    pub to: u32,
    pub only_straight: bool,
}

/// The network under construction.
#[derive(Default)]
pub(crate) struct Net {
    pub pts: Vec<P>,
    pub signal: Vec<bool>,
    pub way_nodes: Vec<u32>,
    /// Curve parameter of every entry of `way_nodes` (0 for ways without a curve).
    pub way_t: Vec<f32>,
    pub ways: Vec<WayRec>,
    pub curves: Vec<Curve>,
    pub tags: TagTable,
    pub restrictions: Vec<Restr>,
}

impl Net {
    pub fn node(&mut self, p: P) -> u32 {
        self.pts.push(p);
        self.signal.push(false);
        (self.pts.len() - 1) as u32
    }

    /// Adds a way of straight links; returns its index.
    pub fn way(&mut self, nodes: &[u32], tags: u32) -> u32 {
        self.curve_way(nodes, None, tags, NO_CURVE)
    }

    /// Adds a way whose links follow `curve` (`t` gives each node's parameter on it).
    pub fn curve_way(&mut self, nodes: &[u32], t: Option<&[f32]>, tags: u32, curve: u32) -> u32 {
        debug_assert!(nodes.len() >= 2);
        let start = self.way_nodes.len() as u32;
        self.way_nodes.extend_from_slice(nodes);
        match t {
            Some(t) => {
                debug_assert_eq!(t.len(), nodes.len());
                self.way_t.extend_from_slice(t);
            }
            None => self.way_t.extend(std::iter::repeat_n(0.0, nodes.len())),
        }
        self.ways.push(WayRec {
            start,
            end: self.way_nodes.len() as u32,
            tags,
            curve,
        });
        (self.ways.len() - 1) as u32
    }

    pub fn nodes_of(&self, w: &WayRec) -> &[u32] {
        &self.way_nodes[w.start as usize..w.end as usize]
    }
}
