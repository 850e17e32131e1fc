//! Shape nodes, and the final node numbering.
//!
//! What the target leaves after the junction, street and control nodes goes to shape nodes along
//! the open-country roads, spread by length weighted by how curvy the road kind is (a rural road
//! gets more per kilometre than an expressway). Rounding is carried from link to link, so the node
//! count meets the target exactly whenever the structure alone stays below it.

use super::net::{Net, Restr, TagTable};

/// Longest way written, in nodes (OSM allows 2 000; long roads are split into several ways).
pub(crate) const MAX_WAY_NODES: usize = 1_000;

/// The finished network: node `k` has OSM ID `-(k + 1)`, way `k` has ID `-(k + 1)`.
pub(crate) struct Final {
    /// `(lat, lon)` in 1e-7 degrees.
    pub coords: Vec<(i32, i32)>,
    pub signals: Vec<bool>,
    pub way_refs: Vec<u32>,
    /// `way_start[k]..way_start[k + 1]` in `way_refs`.
    pub way_start: Vec<u32>,
    pub way_tags: Vec<u32>,
    pub tags: TagTable,
    /// Restrictions with final way and node indices.
    pub restrictions: Vec<Restr>,
    pub shape_nodes: u64,
    /// Metres of road per `highway` value.
    pub length_m: Vec<(String, f64)>,
}

/// Adds `target − structure` shape nodes along the curves and numbers everything.
pub(crate) fn finish(mut net: Net, target: u64) -> Final {
    let n0 = net.pts.len();
    let mut used = vec![false; n0];
    for w in &net.ways {
        for &v in net.nodes_of(w) {
            used[v as usize] = true;
        }
    }
    let structure = used.iter().filter(|&&u| u).count() as u64;
    let budget = target.saturating_sub(structure);
    // Total weight of the curve links.
    let link_weight = |net: &Net, a: u32, b: u32, curve: u32| {
        net.pts[a as usize].dist(net.pts[b as usize])
            * net.curves[curve as usize].kind.shape_weight()
    };
    let mut total = 0.0;
    for w in net.ways.iter().filter(|w| w.curve != super::net::NO_CURVE) {
        for p in net.nodes_of(w).windows(2) {
            total += link_weight(&net, p[0], p[1], w.curve);
        }
    }
    let per_weight = if total > 0.0 {
        budget as f64 / total
    } else {
        0.0
    };
    let mut cum = 0.0;
    let mut emitted = 0u64;
    let mut refs: Vec<u32> = Vec::with_capacity(net.way_nodes.len() + budget as usize);
    let mut starts: Vec<u32> = vec![0];
    let mut way_tags: Vec<u32> = Vec::with_capacity(net.ways.len());
    let mut first_piece = vec![0u32; net.ways.len()];
    let mut lengths: std::collections::BTreeMap<String, f64> = Default::default();
    let ways = std::mem::take(&mut net.ways);
    let mut cur: Vec<u32> = Vec::new();
    for (k, w) in ways.iter().enumerate() {
        cur.clear();
        let (s, e) = (w.start as usize, w.end as usize);
        let mut length = 0.0;
        for i in s..e {
            let v = net.way_nodes[i];
            if i > s {
                length += net.pts[net.way_nodes[i - 1] as usize].dist(net.pts[v as usize]);
            }
            if i > s && w.curve != super::net::NO_CURVE {
                let a = net.way_nodes[i - 1];
                cum += link_weight(&net, a, v, w.curve);
                let upto = ((cum * per_weight).floor() as u64).min(budget);
                let n = upto - emitted;
                emitted = upto;
                let (t0, t1) = (net.way_t[i - 1] as f64, net.way_t[i] as f64);
                for j in 1..=n {
                    let t = t0 + (t1 - t0) * j as f64 / (n + 1) as f64;
                    let p = net.curves[w.curve as usize].at(t);
                    net.pts.push(p);
                    net.signal.push(false);
                    cur.push((net.pts.len() - 1) as u32);
                }
            }
            cur.push(v);
        }
        let highway = net.tags.get(w.tags, "highway").unwrap_or("").to_string();
        *lengths.entry(highway).or_default() += length;
        first_piece[k] = way_tags.len() as u32;
        // Split long ways; pieces share their end nodes.
        let mut from = 0;
        loop {
            let to = (from + MAX_WAY_NODES).min(cur.len());
            refs.extend_from_slice(&cur[from..to]);
            starts.push(refs.len() as u32);
            way_tags.push(w.tags);
            if to == cur.len() {
                break;
            }
            from = to - 1;
        }
    }
    // Number nodes by first appearance (neighbours in a way get neighbouring IDs: small deltas).
    let mut id_of = vec![u32::MAX; net.pts.len()];
    let mut coords = Vec::with_capacity(net.pts.len());
    let mut signals = Vec::with_capacity(net.pts.len());
    for r in refs.iter_mut() {
        let v = *r as usize;
        if id_of[v] == u32::MAX {
            id_of[v] = coords.len() as u32;
            coords.push(super::frame::to_e7(net.pts[v]));
            signals.push(net.signal[v]);
        }
        *r = id_of[v];
    }
    let restrictions = net
        .restrictions
        .iter()
        .map(|r| Restr {
            from: first_piece[r.from as usize],
            via: id_of[r.via as usize],
            to: first_piece[r.to as usize],
            only_straight: r.only_straight,
        })
        .collect();
    Final {
        shape_nodes: coords.len() as u64 - structure,
        coords,
        signals,
        way_refs: refs,
        way_start: starts,
        way_tags,
        tags: net.tags,
        restrictions,
        length_m: lengths.into_iter().collect(),
    }
}
