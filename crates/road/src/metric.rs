//! The live metric: the weights routes and matrices use right now.
//!
//! A [`PreparedNetwork`](crate::PreparedNetwork) keeps its topology (routing graph, hierarchy
//! topology, snap index) fixed and swaps whole [`Metric`]s when roads are closed, slowed or
//! reopened. A query takes one snapshot (`Arc<Metric>`) at its start and uses it throughout, so a
//! change never shows half-applied to a query.

use crate::bans::TimeBans;
use crate::cch::{customize, hierarchy, Topology};
use crate::ch::Hierarchy;
use crate::closures::RoadChange;
use crate::graph::{Arc, Graph};

/// Weights in force and the query hierarchy customised for them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Metric {
    /// Per state: milliseconds to drive its whole edge now; `u32::MAX` when closed or unusable.
    pub state_weight: Vec<u32>,
    /// The upward graphs for queries, customised for `state_weight`.
    pub ch: Hierarchy,
    /// The live changes `state_weight` reflects.
    pub changes: Vec<RoadChange>,
    /// Truck bans by time in force with this metric (OSM conditional restrictions and
    /// [`ChangeEffect::Banned`](crate::ChangeEffect::Banned) changes).
    pub bans: std::sync::Arc<TimeBans>,
}

impl Metric {
    /// Customises the hierarchy `topo` for per-state weights `state_weight`.
    pub fn customize_hierarchy(graph: &Graph, topo: &Topology, state_weight: &[u32]) -> Hierarchy {
        let probe = Metric {
            state_weight: state_weight.to_vec(),
            ch: Hierarchy::default(),
            changes: Vec::new(),
            bans: Default::default(),
        };
        let weight: Vec<u32> = graph
            .arcs
            .iter()
            .map(|a| probe.arc_weight(graph, a))
            .collect();
        let dist: Vec<u32> = graph.arcs.iter().map(|a| a.dist).collect();
        let w = customize(topo, &weight, &dist);
        hierarchy(topo, &w, weight.len() as u32)
    }

    /// A metric with per-state weights `state_weight`, customised on `topo`.
    pub fn new(graph: &Graph, topo: &Topology, state_weight: Vec<u32>) -> Metric {
        let ch = Self::customize_hierarchy(graph, topo, &state_weight);
        Metric {
            state_weight,
            ch,
            changes: Vec::new(),
            bans: Default::default(),
        }
    }

    /// `(weight, dist)` of driving all of `edge` in direction `forward` now, `None` when the
    /// direction is unusable or closed.
    pub fn cost_of(&self, graph: &Graph, edge: u32, forward: bool) -> Option<(u32, u32)> {
        let s = Graph::state_of(edge, forward) as usize;
        let w = self.state_weight[s];
        (w != u32::MAX).then_some((w, graph.state[s][1]))
    }

    /// Weight of turn arc `a` now: its tail edge's current weight plus the turn delay,
    /// `u32::MAX` when the tail edge is closed.
    pub fn arc_weight(&self, graph: &Graph, a: &Arc) -> u32 {
        let now = self.state_weight[a.tail as usize];
        if now == u32::MAX {
            return u32::MAX;
        }
        let base = graph.state[a.tail as usize][0];
        now.saturating_add(a.weight - base)
    }
}
