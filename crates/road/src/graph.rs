//! The directed routing graph derived from a [`RoadNetwork`] for one vehicle.
//!
//! # Turn restrictions: node splitting
//! Restrictions are handled by splitting only the intersections that carry one. Such a node `v`
//! gets one copy per arc arriving at it; the arriving arc ends at its own copy, and each copy has
//! only the departing arcs that are allowed after that arrival (`no_*` removes a turn, `only_*`
//! keeps just the named one). The graph stays node-based everywhere else, so it is barely larger
//! than the road graph (an edge-based graph would double it and slow every query), and the
//! contraction hierarchy needs no knowledge of turns at all.

use crate::network::RoadNetwork;
use crate::profile::Vehicle;

/// One directed arc of the routing graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Arc {
    pub tail: u32,
    pub head: u32,
    /// Travel time in milliseconds.
    pub weight: u32,
    /// Length in decimetres.
    pub dist: u32,
    /// Road edge travelled.
    pub edge: u32,
    /// `true` when the edge is travelled from its `from` to its `to` node.
    pub forward: bool,
}

/// The routing graph: arcs sorted by (edge, direction), and the network node of each graph node.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    pub arcs: Vec<Arc>,
    /// Graph node → network node (split copies map to their original).
    pub origin: Vec<u32>,
    /// `arc_range[2 * edge + dir]..arc_range[2 * edge + dir + 1]`, `dir` 0 = forward.
    pub arc_range: Vec<u32>,
    /// Per `2 * edge + dir`: `[head, weight, dist]`, head `u32::MAX` when not usable. Kept apart
    /// from `arcs` because a usable direction may have no arc at all (every arrival at a split
    /// tail forbids it), yet a trip can still start on it.
    pub base: Vec<[u32; 3]>,
}

/// Travel time in whole milliseconds for `length_m` at `speed_kmh` (at least 1).
pub(crate) fn weight_ms(length_m: f64, speed_kmh: f64) -> u32 {
    ((length_m / (speed_kmh / 3.6)) * 1000.0).round().max(1.0) as u32
}

impl Graph {
    /// Builds the graph; edges whose legal limits `vehicle` exceeds are left out.
    pub fn build(net: &RoadNetwork, vehicle: Option<&Vehicle>) -> Graph {
        let n = net.node_count();
        // Base arcs, one per usable (edge, direction): index = 2 * edge + dir.
        let usable: Vec<bool> = net
            .edges
            .iter()
            .map(|e| vehicle.is_none_or(|v| net.ways[e.way as usize].limits.allows(v)))
            .collect();
        let base = |edge: usize, dir: usize| -> Option<(u32, u32)> {
            let e = &net.edges[edge];
            if !usable[edge] {
                return None;
            }
            match dir {
                0 if e.forward => Some((e.from, e.to)),
                1 if e.backward => Some((e.to, e.from)),
                _ => None,
            }
        };
        let mut restricted = vec![false; n];
        for r in &net.restrictions {
            restricted[r.via as usize] = true;
        }
        // Arrival arcs at restricted nodes get a copy of the node each.
        let mut origin: Vec<u32> = (0..n as u32).collect();
        let mut copy_of = vec![u32::MAX; net.edges.len() * 2];
        let mut arrivals: Vec<Vec<u32>> = vec![Vec::new(); n];
        for edge in 0..net.edges.len() {
            for dir in 0..2 {
                if let Some((_, head)) = base(edge, dir) {
                    if restricted[head as usize] {
                        copy_of[2 * edge + dir] = origin.len() as u32;
                        origin.push(head);
                        arrivals[head as usize].push((2 * edge + dir) as u32);
                    }
                }
            }
        }
        // Allowed (arrival base arc, departure edge) pairs at restricted nodes.
        let mut only: std::collections::HashMap<(u32, u32), Vec<u32>> = Default::default();
        let mut banned: std::collections::HashSet<(u32, u32)> = Default::default();
        for r in &net.restrictions {
            let e = &net.edges[r.from_edge as usize];
            let dir = if e.to == r.via { 0 } else { 1 };
            let arrival = 2 * r.from_edge + dir;
            if r.only {
                only.entry((r.via, arrival)).or_default().push(r.to_edge);
            } else {
                banned.insert((arrival, r.to_edge));
            }
        }
        let allowed = |via: u32, arrival: u32, edge: u32| -> bool {
            if banned.contains(&(arrival, edge)) {
                return false;
            }
            match only.get(&(via, arrival)) {
                Some(list) => list.contains(&edge),
                None => true,
            }
        };
        let mut arcs = Vec::new();
        let mut arc_range = Vec::with_capacity(net.edges.len() * 2 + 1);
        let mut base_out = vec![[u32::MAX, 0, 0]; net.edges.len() * 2];
        for edge in 0..net.edges.len() {
            let e = &net.edges[edge];
            let info = &net.ways[e.way as usize];
            let weight = weight_ms(e.length_m, info.speed_kmh) + e.penalty_ms;
            let dist = (e.length_m * 10.0).round() as u32;
            for dir in 0..2 {
                arc_range.push(arcs.len() as u32);
                let Some((tail, head)) = base(edge, dir) else {
                    continue;
                };
                let head2 = match copy_of[2 * edge + dir] {
                    u32::MAX => head,
                    c => c,
                };
                base_out[2 * edge + dir] = [head2, weight, dist];
                let mut push = |t: u32| {
                    arcs.push(Arc {
                        tail: t,
                        head: head2,
                        weight,
                        dist,
                        edge: edge as u32,
                        forward: dir == 0,
                    })
                };
                if restricted[tail as usize] {
                    for &arrival in &arrivals[tail as usize] {
                        if allowed(tail, arrival, edge as u32) {
                            push(copy_of[arrival as usize]);
                        }
                    }
                } else {
                    push(tail);
                }
            }
        }
        arc_range.push(arcs.len() as u32);
        Graph {
            arcs,
            origin,
            arc_range,
            base: base_out,
        }
    }

    /// Number of graph nodes (including split copies).
    pub fn node_count(&self) -> usize {
        self.origin.len()
    }

    /// `(head, weight)` of travelling `edge` in direction `forward`, `None` when not usable.
    pub fn base_of(&self, edge: u32, forward: bool) -> Option<(u32, u32)> {
        let [h, w, _] = self.base[2 * edge as usize + usize::from(!forward)];
        (h != u32::MAX).then_some((h, w))
    }

    /// Arcs travelling `edge` in direction `forward`.
    pub fn arcs_of(&self, edge: u32, forward: bool) -> &[Arc] {
        let k = 2 * edge as usize + usize::from(!forward);
        &self.arcs[self.arc_range[k] as usize..self.arc_range[k + 1] as usize]
    }
}
