//! Slow reference implementations used by tests and benchmarks to check the fast ones.
//!
//! [`turn_aware_dijkstra`] works directly on the road network, with one state per (edge,
//! direction) and the turn restrictions checked on every turn with its own lookup tables, so it
//! checks the construction of the edge-based graph (restrictions, U-turn rule, turn delays) as
//! well as the hierarchy.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::graph::{state_bearings, turn_cost, weight_ms};
use crate::prepared::PreparedNetwork;
use crate::snap::Snapped;

fn part(w: u32, frac: f64) -> u32 {
    (f64::from(w) * frac).round() as u32
}

/// Travel time in milliseconds from `s` to `t` by plain edge-based Dijkstra with turn
/// restrictions, `None` when unreachable. Cost: a full Dijkstra per call.
pub fn turn_aware_dijkstra(p: &PreparedNetwork, s: &Snapped, t: &Snapped) -> Option<u32> {
    let net = &p.net;
    let ne = net.edges.len();
    let usable = |e: usize, fwd: bool| -> Option<u32> {
        let edge = &net.edges[e];
        let way = &net.ways[edge.way as usize];
        if let Some(v) = &p.vehicle {
            if !way.limits.allows(v) {
                return None;
            }
        }
        if (fwd && !edge.forward) || (!fwd && !edge.backward) {
            return None;
        }
        Some(weight_ms(edge.length_m, way.speed_kmh) + edge.penalty_ms)
    };
    let head = |e: usize, fwd: bool| {
        let x = &net.edges[e];
        if fwd {
            x.to
        } else {
            x.from
        }
    };
    let mut banned: HashSet<(usize, bool, u32)> = HashSet::new();
    let mut only: HashMap<(usize, bool), Vec<u32>> = HashMap::new();
    for r in &net.restrictions {
        let arrive_fwd = net.edges[r.from_edge as usize].to == r.via;
        let key = (r.from_edge as usize, arrive_fwd);
        if r.only {
            only.entry(key).or_default().push(r.to_edge);
        } else {
            banned.insert((key.0, key.1, r.to_edge));
        }
    }
    let allowed = |e: usize, fwd: bool, next: u32| {
        !banned.contains(&(e, fwd, next)) && only.get(&(e, fwd)).is_none_or(|l| l.contains(&next))
    };
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); net.node_count()];
    for (i, e) in net.edges.iter().enumerate() {
        incident[e.from as usize].push(i as u32);
        incident[e.to as usize].push(i as u32);
    }
    let frac = |x: &Snapped| {
        let l = net.edges[x.edge as usize].length_m.max(1e-9);
        (x.offset_m / l).clamp(0.0, 1.0)
    };
    let (fs, ft) = (frac(s), frac(t));
    let mut best = u32::MAX;
    if s.edge == t.edge {
        let fwd = ft >= fs;
        if let Some(w) = usable(s.edge as usize, fwd) {
            best = part(w, (ft - fs).abs());
        }
    }
    let (arrive, leave) = state_bearings(net);
    let mut dist = vec![u32::MAX; 2 * ne];
    let mut heap = BinaryHeap::new();
    for fwd in [true, false] {
        if let Some(w) = usable(s.edge as usize, fwd) {
            let d = part(w, if fwd { 1.0 - fs } else { fs });
            let k = 2 * s.edge as usize + usize::from(!fwd);
            dist[k] = d;
            heap.push(Reverse((d, k)));
        }
    }
    while let Some(Reverse((d, k))) = heap.pop() {
        if d > dist[k] || d >= best {
            if d >= best {
                break;
            }
            continue;
        }
        let (e, fwd) = (k / 2, k % 2 == 0);
        let v = head(e, fwd);
        let degree = incident[v as usize].len();
        for &n in &incident[v as usize] {
            let n_fwd = net.edges[n as usize].from == v;
            if !allowed(e, fwd, n) {
                continue;
            }
            let Some(w) = usable(n as usize, n_fwd) else {
                continue;
            };
            let nk = 2 * n as usize + usize::from(!n_fwd);
            let Some(delay) = turn_cost(k, nk, degree, &arrive, &leave) else {
                continue;
            };
            let d = d + delay;
            if n == t.edge {
                let c = d + part(w, if n_fwd { ft } else { 1.0 - ft });
                best = best.min(c);
            }
            let nd = d + w;
            if nd < dist[nk] {
                dist[nk] = nd;
                heap.push(Reverse((nd, nk)));
            }
        }
    }
    (best != u32::MAX).then_some(best)
}

/// Travel time in milliseconds by plain Dijkstra on the edge-based routing graph, using the same
/// entry points as the hierarchy; `None` when unreachable.
pub fn graph_dijkstra(p: &PreparedNetwork, s: &Snapped, t: &Snapped) -> Option<u32> {
    let g = &p.graph;
    let m = p.metric();
    let n = g.node_count();
    let mut first = vec![0usize; n + 1];
    for a in &g.arcs {
        first[a.tail as usize + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut adj = vec![(0u32, 0u32); g.arcs.len()];
    let mut fill = first.clone();
    for a in &g.arcs {
        adj[fill[a.tail as usize]] = (a.head, m.arc_weight(g, a));
        fill[a.tail as usize] += 1;
    }
    let ps = p.phantom(&m, *s);
    let pt = p.phantom(&m, *t);
    let mut dist = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    for (seed, _, _) in &ps.out {
        if seed.weight < dist[seed.node as usize] {
            dist[seed.node as usize] = seed.weight;
            heap.push(Reverse((seed.weight, seed.node)));
        }
    }
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for &(h, w) in &adj[first[v as usize]..first[v as usize + 1]] {
            if w != u32::MAX && d + w < dist[h as usize] {
                dist[h as usize] = d + w;
                heap.push(Reverse((d + w, h)));
            }
        }
    }
    let mut best = p.direct(&m, s, t).map_or(u32::MAX, |(w, _, _)| w);
    for (seed, _) in &pt.inc {
        let d = dist[seed.node as usize];
        if d != u32::MAX {
            best = best.min(d + seed.weight);
        }
    }
    (best != u32::MAX).then_some(best)
}

/// Earliest arrival in milliseconds from `s` to `t` leaving at local time `departure`, by plain
/// time-dependent Dijkstra on the edge-based graph: before entering a road the vehicle waits
/// while any ban on it that stops `vehicle` is in force, each ban evaluated afresh with its
/// `opening_hours` expression at the clock time (no precomputed intervals, no potentials).
pub fn td_dijkstra(
    p: &PreparedNetwork,
    s: &Snapped,
    t: &Snapped,
    departure: chrono::NaiveDateTime,
    vehicle: Option<crate::profile::Vehicle>,
) -> Option<u32> {
    let g = &p.graph;
    let m = p.metric();
    let bans = p.bans();
    let vehicle = vehicle.or(p.vehicle);
    let horizon = crate::bans::hours::HORIZON_MS;
    let enter = |e: u32, mut d: u32| -> u32 {
        loop {
            let at = departure + chrono::Duration::milliseconds(i64::from(d));
            let blocking = bans.on_edge(e).iter().find_map(|&b| {
                let ban = &bans.bans[b as usize];
                let h = &bans.hours[ban.hours as usize];
                (ban.applies.stops(vehicle.as_ref()) && h.active_at(at)).then_some(h)
            });
            let Some(h) = blocking else { return d };
            let lifted = h.next_change(at).map_or(u32::MAX, |next| {
                (next - departure)
                    .num_milliseconds()
                    .clamp(0, i64::from(u32::MAX)) as u32
            });
            if lifted >= horizon {
                return d.max(horizon);
            }
            d = lifted;
        }
    };
    let ps = p.phantom(&m, *s);
    let pt = p.phantom(&m, *t);
    let n = g.node_count();
    let mut dist = vec![u32::MAX; n];
    let mut heap = BinaryHeap::new();
    for (seed, _, _) in &ps.out {
        if seed.weight < dist[seed.node as usize] {
            dist[seed.node as usize] = seed.weight;
            heap.push(Reverse((seed.weight, seed.node)));
        }
    }
    let mut best = p.direct(&m, s, t).map_or(u32::MAX, |(w, _, _)| w);
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        let go = enter(v / 2, d);
        for (seed, _) in pt.inc.iter().filter(|(x, _)| x.node == v) {
            best = best.min(go.saturating_add(seed.weight));
        }
        for a in &g.arcs[g.first_out[v as usize] as usize..g.first_out[v as usize + 1] as usize] {
            let w = m.arc_weight(g, a);
            if w != u32::MAX && go.saturating_add(w) < dist[a.head as usize] {
                dist[a.head as usize] = go + w;
                heap.push(Reverse((go + w, a.head)));
            }
        }
    }
    (best != u32::MAX).then_some(best)
}
