//! The directed routing graph derived from a [`RoadNetwork`] for one vehicle: an *edge-based*
//! graph.
//!
//! # Turns: an edge-based graph
//! Every usable direction of a road edge is a node of the routing graph (a *state*, index
//! `2 * edge + dir`, `dir` 0 = along the way); an arc is a turn from one state into the next at
//! their shared intersection, weighted by the time to drive the first edge plus the turn's delay.
//! This is how OSRM models turns, and it gives us, in one mechanism:
//! * **turn restrictions**: a forbidden turn is simply a missing arc (`no_*` removes one turn,
//!   `only_*` keeps just the named one);
//! * **turn delays** like OSRM's `car.lua` (7.5 s scale, right turns cheaper than left turns in
//!   right-hand traffic, a straight crossing costs almost nothing) at intersections of three or
//!   more roads;
//! * **U-turns** only at dead ends, with a 20 s delay.
//!
//! The contraction hierarchy runs on this graph unchanged; its nodes are states, so it needs no
//! knowledge of turns at all.

use crate::network::RoadNetwork;
use crate::profile::Vehicle;

/// One directed arc of the routing graph: a turn from state `tail` into state `head`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Arc {
    pub tail: u32,
    pub head: u32,
    /// Time to drive the tail's edge plus the turn delay, milliseconds.
    pub weight: u32,
    /// Length of the tail's edge in decimetres.
    pub dist: u32,
    /// The tail's road edge.
    pub edge: u32,
    /// Whether the tail's edge is driven from its `from` to its `to` node.
    pub forward: bool,
}

/// The edge-based routing graph.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    /// Turns, sorted by tail state.
    pub arcs: Vec<Arc>,
    /// `first_out[s]..first_out[s + 1]`: turns out of state `s`.
    pub first_out: Vec<u32>,
    /// Per state: `[weight, dist]` of driving its whole edge; weight `u32::MAX` when unusable.
    pub state: Vec<[u32; 2]>,
}

/// Travel time in whole milliseconds for `length_m` at `speed_kmh` (at least 1).
pub(crate) fn weight_ms(length_m: f64, speed_kmh: f64) -> u32 {
    ((length_m / (speed_kmh / 3.6)) * 1000.0).round().max(1.0) as u32
}

/// Delay of a turn by `angle` degrees (positive = right, 0 = straight), milliseconds.
///
/// OSRM `car.lua`'s sigmoid for right-hand traffic: `7.5 s / (1 + e^-(13/b · a/180 − 6.5 b))` for
/// right turns and `7.5 s / (1 + e^-(13 b · |a|/180 − 6.5/b))` for left turns, `b = 1.075`.
pub(crate) fn turn_delay_ms(angle: f64) -> u32 {
    const PENALTY: f64 = 7.5;
    const BIAS: f64 = 1.075;
    let s = if angle >= 0.0 {
        PENALTY / (1.0 + (-((13.0 / BIAS) * angle / 180.0 - 6.5 * BIAS)).exp())
    } else {
        PENALTY / (1.0 + (-((13.0 * BIAS) * -angle / 180.0 - 6.5 / BIAS)).exp())
    };
    (s * 1000.0).round() as u32
}

/// Extra delay of a U-turn (only allowed at dead ends), milliseconds.
pub(crate) const U_TURN_MS: u32 = 20_000;

/// Bearing in degrees from `a` to `b` (`[lat, lon]` points), clockwise from north.
pub(crate) fn bearing(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, la2) = (a[0].to_radians(), b[0].to_radians());
    let dl = (b[1] - a[1]).to_radians();
    let y = dl.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// Per state: the bearing arriving at its head node and the bearing leaving its tail node.
pub(crate) fn state_bearings(net: &RoadNetwork) -> (Vec<f64>, Vec<f64>) {
    let mut arrive = vec![0.0; net.edges.len() * 2];
    let mut leave = vec![0.0; net.edges.len() * 2];
    let p = |k: u32| net.coords[net.shape[k as usize] as usize];
    for (i, e) in net.edges.iter().enumerate() {
        let (s, t) = (e.shape_start, e.shape_end - 1);
        arrive[2 * i] = bearing(p(t - 1), p(t));
        leave[2 * i] = bearing(p(s), p(s + 1));
        arrive[2 * i + 1] = bearing(p(s + 1), p(s));
        leave[2 * i + 1] = bearing(p(t), p(t - 1));
    }
    (arrive, leave)
}

/// The delay of turning from state `a` into state `b` at a node with `degree` incident edges,
/// `None` when the turn is a U-turn away from a dead end.
pub(crate) fn turn_cost(
    a: usize,
    b: usize,
    degree: usize,
    arrive: &[f64],
    leave: &[f64],
) -> Option<u32> {
    if a / 2 == b / 2 {
        return (degree == 1).then_some(U_TURN_MS);
    }
    if degree < 3 {
        return Some(0);
    }
    let mut angle = leave[b] - arrive[a];
    if angle > 180.0 {
        angle -= 360.0;
    } else if angle <= -180.0 {
        angle += 360.0;
    }
    Some(turn_delay_ms(angle))
}

impl Graph {
    /// Builds the graph; edges whose legal limits `vehicle` exceeds are left out.
    pub fn build(net: &RoadNetwork, vehicle: Option<&Vehicle>) -> Graph {
        let ne = net.edges.len();
        let mut state = vec![[u32::MAX, 0]; 2 * ne];
        for (i, e) in net.edges.iter().enumerate() {
            let way = &net.ways[e.way as usize];
            if vehicle.is_some_and(|v| !way.limits.allows(v)) {
                continue;
            }
            let weight = weight_ms(e.length_m, way.speed_kmh) + e.penalty_ms;
            let dist = (e.length_m * 10.0).round() as u32;
            if e.forward {
                state[2 * i] = [weight, dist];
            }
            if e.backward {
                state[2 * i + 1] = [weight, dist];
            }
        }
        let mut incident: Vec<Vec<u32>> = vec![Vec::new(); net.node_count()];
        for (i, e) in net.edges.iter().enumerate() {
            incident[e.from as usize].push(i as u32);
            incident[e.to as usize].push(i as u32);
        }
        // Restrictions keyed by arrival state.
        let mut only: std::collections::HashMap<usize, Vec<u32>> = Default::default();
        let mut banned: std::collections::HashSet<(usize, u32)> = Default::default();
        for r in &net.restrictions {
            let e = &net.edges[r.from_edge as usize];
            let arrival = 2 * r.from_edge as usize + usize::from(e.to != r.via);
            if r.only {
                only.entry(arrival).or_default().push(r.to_edge);
            } else {
                banned.insert((arrival, r.to_edge));
            }
        }
        let (arrive, leave) = state_bearings(net);
        let mut arcs = Vec::new();
        let mut first_out = Vec::with_capacity(2 * ne + 1);
        for a in 0..2 * ne {
            first_out.push(arcs.len() as u32);
            let [weight, dist] = state[a];
            if weight == u32::MAX {
                continue;
            }
            let e = &net.edges[a / 2];
            let v = if a % 2 == 0 { e.to } else { e.from };
            let inc = &incident[v as usize];
            for &n in inc {
                let ne_ = &net.edges[n as usize];
                let b = 2 * n as usize + usize::from(ne_.from != v);
                if state[b][0] == u32::MAX
                    || banned.contains(&(a, n))
                    || only.get(&a).is_some_and(|l| !l.contains(&n))
                {
                    continue;
                }
                let Some(delay) = turn_cost(a, b, inc.len(), &arrive, &leave) else {
                    continue;
                };
                arcs.push(Arc {
                    tail: a as u32,
                    head: b as u32,
                    weight: weight + delay,
                    dist,
                    edge: (a / 2) as u32,
                    forward: a % 2 == 0,
                });
            }
        }
        first_out.push(arcs.len() as u32);
        Graph {
            arcs,
            first_out,
            state,
        }
    }

    /// `(tail, head)` of every turn arc, in arc order.
    pub fn arc_ends(&self) -> Vec<(u32, u32)> {
        self.arcs.iter().map(|a| (a.tail, a.head)).collect()
    }

    /// Per state: the weight of driving its whole edge with no closures.
    pub fn base_state_weights(&self) -> Vec<u32> {
        self.state.iter().map(|s| s[0]).collect()
    }

    /// Number of graph nodes (states).
    pub fn node_count(&self) -> usize {
        self.state.len()
    }

    /// State index of driving `edge` in direction `forward`.
    pub fn state_of(edge: u32, forward: bool) -> u32 {
        2 * edge + u32::from(!forward)
    }

    /// `(weight, dist)` of driving all of `edge` in direction `forward`, `None` when unusable.
    pub fn cost_of(&self, edge: u32, forward: bool) -> Option<(u32, u32)> {
        let [w, d] = self.state[Self::state_of(edge, forward) as usize];
        (w != u32::MAX).then_some((w, d))
    }

    /// Turns out of `state`.
    pub fn out(&self, state: u32) -> &[Arc] {
        let s = state as usize;
        &self.arcs[self.first_out[s] as usize..self.first_out[s + 1] as usize]
    }
}
