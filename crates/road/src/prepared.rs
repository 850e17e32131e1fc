//! A network prepared for queries for one vehicle class: routing graph, hierarchy, snap index.

use std::sync::{Arc, Mutex, RwLock};

use wuliu_model::GeoPoint;

use crate::cch::Topology;
use crate::ch::query::Seed;
use crate::components::strongly_connected;
use crate::error::{Result, RoadError};
use crate::graph::Graph;
use crate::metric::Metric;
use crate::network::RoadNetwork;
use crate::profile::{Profile, Vehicle};
use crate::snap::{SnapIndex, Snapped};

/// The default local time of a network: UTC+8 (China), where the platform's city is.
pub const DEFAULT_UTC_OFFSET_S: i32 = 8 * 3600;

/// Default snapping radius in metres.
pub const DEFAULT_SNAP_RADIUS_M: f64 = 5_000.0;

/// Components smaller than this (in graph nodes) are not snapped to, unless the whole network
/// is smaller.
const MIN_COMPONENT: u32 = 1_000;

/// A road network prepared for one vehicle class: ready for [`PreparedNetwork::route`] and
/// [`PreparedNetwork::table`]. Immutable and `Sync`: share one instance between threads.
///
/// Truck limits are applied here, before contraction: edges whose posted limits the class
/// vehicle exceeds are left out of the hierarchy. Prepare one network per truck class (e.g. van,
/// rigid 18 t, articulated 40 t); a request with a bigger vehicle than the class is refused with
/// [`RoadError::VehicleExceedsPreparedClass`] rather than routed over roads it may not use.
#[derive(Debug)]
pub struct PreparedNetwork {
    pub(crate) net: RoadNetwork,
    pub(crate) vehicle: Option<Vehicle>,
    pub(crate) graph: Graph,
    /// The hierarchy's metric-independent part: order and filled arcs.
    pub(crate) cch: Topology,
    pub(crate) snap: SnapIndex,
    pub(crate) snap_radius_m: f64,
    /// The metric in force; replaced whole when roads are closed or reopened.
    pub(crate) metric: RwLock<Arc<Metric>>,
    /// Held while a new metric is computed, so concurrent changes cannot lose each other.
    pub(crate) writer: Mutex<()>,
    /// Metrics with the bans in force at some departure closed, customised on demand.
    pub(crate) ban_metrics: Mutex<crate::bans::legs::BanMetrics>,
    /// The network's local time, seconds east of UTC (the clock bans are posted in).
    pub(crate) utc_offset_s: std::sync::atomic::AtomicI32,
}

impl Clone for PreparedNetwork {
    fn clone(&self) -> Self {
        PreparedNetwork {
            net: self.net.clone(),
            vehicle: self.vehicle,
            graph: self.graph.clone(),
            cch: self.cch.clone(),
            snap: self.snap.clone(),
            snap_radius_m: self.snap_radius_m,
            metric: RwLock::new(self.metric()),
            writer: Mutex::new(()),
            ban_metrics: Mutex::default(),
            utc_offset_s: std::sync::atomic::AtomicI32::new(self.utc_offset().local_minus_utc()),
        }
    }
}

/// A phase of [`PreparedNetwork::prepare_with_progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreparePhase {
    /// The edge-based routing graph (size: states).
    RoutingGraph,
    /// Nested-dissection order (size: top-level cells).
    Order,
    /// Chordal fill-in (size: hierarchy arcs).
    Fill,
    /// Customisation for the base metric (size: usable upward arcs).
    Customise,
    /// Snapping index (size: indexed segments).
    SnapIndex,
}

/// A finished phase of preparation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrepareProgress {
    /// The phase.
    pub phase: PreparePhase,
    /// Its wall time in seconds.
    pub seconds: f64,
    /// A size describing its output (see [`PreparePhase`]).
    pub size: usize,
}

/// A snapped point's ways into and out of the graph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Phantom {
    /// Seeds for leaving the point: the state turned into after driving to the end of the
    /// point's edge, the direction driven on that edge, and the turn delay included.
    pub out: Vec<(Seed, bool, u32)>,
    /// Seeds for arriving at the point, with the direction of travel on its edge.
    pub inc: Vec<(Seed, bool)>,
}

fn part(w: u32, frac: f64) -> u32 {
    (f64::from(w) * frac).round() as u32
}

impl PreparedNetwork {
    /// Prepares `net` for `vehicle` (`None`: no legal limits checked, e.g. for cars).
    ///
    /// Cost: a customisable contraction hierarchy — nested dissection and fill-in (parallel
    /// over the dissection), then one customisation — on rayon's pool.
    pub fn prepare(net: RoadNetwork, vehicle: Option<Vehicle>) -> PreparedNetwork {
        Self::prepare_with_progress(net, vehicle, |_| {})
    }

    /// [`PreparedNetwork::prepare`], reporting each phase as it finishes.
    pub fn prepare_with_progress(
        net: RoadNetwork,
        vehicle: Option<Vehicle>,
        mut progress: impl FnMut(PrepareProgress),
    ) -> PreparedNetwork {
        let mut clock = std::time::Instant::now();
        let mut done = |phase: PreparePhase, size: usize| {
            let seconds = clock.elapsed().as_secs_f64();
            progress(PrepareProgress {
                phase,
                seconds,
                size,
            });
            clock = std::time::Instant::now();
        };
        let graph = Graph::build(&net, vehicle.as_ref());
        done(PreparePhase::RoutingGraph, graph.node_count());
        let (order, tree) = crate::cch::order::dissect_arcs(&graph.arc_ends(), &state_points(&net));
        done(PreparePhase::Order, tree.children.len());
        let cch = Topology::from_order(order, tree, &graph.arc_ends());
        done(PreparePhase::Fill, cch.head.len());
        let ch = Metric::customize_hierarchy(&graph, &cch, &graph.base_state_weights());
        done(PreparePhase::Customise, ch.fwd.len() + ch.bwd.len());
        let (comp, sizes) = strongly_connected(&graph);
        let largest = sizes.iter().copied().max().unwrap_or(0);
        let threshold = MIN_COMPONENT.min(largest);
        let big = |n: u32| sizes[comp[n as usize] as usize] >= threshold;
        let snap = SnapIndex::build(&net, |e| {
            [true, false].iter().any(|&fwd| {
                graph.cost_of(e as u32, fwd).is_some() && big(Graph::state_of(e as u32, fwd))
            })
        });
        done(PreparePhase::SnapIndex, snap.items.len());
        let metric = Metric {
            state_weight: graph.base_state_weights(),
            ch,
            changes: Vec::new(),
            bans: Default::default(),
        };
        PreparedNetwork {
            net,
            vehicle,
            graph,
            cch,
            snap,
            snap_radius_m: DEFAULT_SNAP_RADIUS_M,
            metric: RwLock::new(Arc::new(metric)),
            writer: Mutex::new(()),
            ban_metrics: Mutex::default(),
            utc_offset_s: std::sync::atomic::AtomicI32::new(DEFAULT_UTC_OFFSET_S),
        }
        .with_osm_bans()
    }

    /// The metric in force: take it once per query and use it throughout.
    pub(crate) fn metric(&self) -> Arc<Metric> {
        Arc::clone(&self.metric.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// The imported network.
    pub fn network(&self) -> &RoadNetwork {
        &self.net
    }
    /// The profile.
    pub fn profile(&self) -> Profile {
        self.net.profile
    }
    /// The vehicle class the network was prepared for, if any.
    pub fn vehicle(&self) -> Option<Vehicle> {
        self.vehicle
    }
    /// A label such as `road:car` or `road:truck`.
    pub fn label(&self) -> String {
        format!("road:{}", self.net.profile.name())
    }
    /// Snapping radius in metres (default [`DEFAULT_SNAP_RADIUS_M`]).
    pub fn snap_radius_m(&self) -> f64 {
        self.snap_radius_m
    }
    /// Sets the snapping radius in metres.
    pub fn set_snap_radius_m(&mut self, radius: f64) {
        self.snap_radius_m = radius;
    }
    /// Number of routing-graph nodes, original arcs and shortcuts.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (
            self.graph.node_count(),
            self.graph.arcs.len(),
            self.metric().ch.shortcuts.len(),
        )
    }

    /// Checks that `vehicle` fits within the prepared class.
    pub fn check_vehicle(&self, vehicle: Option<&Vehicle>) -> Result<()> {
        match (vehicle, self.vehicle.as_ref()) {
            (Some(v), Some(class)) if !v.fits_within(class) => {
                Err(RoadError::VehicleExceedsPreparedClass(format!(
                    "requested {v:?}, prepared {class:?}"
                )))
            }
            (Some(v), None) if self.net.profile == Profile::Truck => {
                Err(RoadError::VehicleExceedsPreparedClass(format!(
                    "requested {v:?}, but this truck network was prepared without limits"
                )))
            }
            _ => Ok(()),
        }
    }

    /// Snaps `point` (request position `index`, for error messages) to the nearest usable road.
    pub fn snap(&self, index: usize, point: GeoPoint) -> Result<Snapped> {
        if !point.is_valid() {
            return Err(RoadError::InvalidPoint {
                index,
                lat: point.lat,
                lon: point.lon,
            });
        }
        self.snap
            .nearest(&self.net, point.lat, point.lon, self.snap_radius_m)
            .ok_or(RoadError::NoRoadNearby {
                index,
                radius_m: self.snap_radius_m,
            })
    }

    pub(crate) fn phantom(&self, m: &Metric, s: Snapped) -> Phantom {
        let e = &self.net.edges[s.edge as usize];
        let len = e.length_m.max(1e-9);
        let before = (s.offset_m / len).clamp(0.0, 1.0);
        let after = 1.0 - before;
        let dm = |m: f64| (m * 10.0).round() as u32;
        let mut p = Phantom::default();
        for fwd in [true, false] {
            let Some((weight, _)) = m.cost_of(&self.graph, s.edge, fwd) else {
                continue;
            };
            let (to_head, from_tail) = if fwd {
                (after, before)
            } else {
                (before, after)
            };
            let state = Graph::state_of(s.edge, fwd);
            for a in self.graph.out(state) {
                let delay = a.weight - self.graph.state[state as usize][0];
                p.out.push((
                    Seed {
                        node: a.head,
                        weight: part(weight, to_head) + delay,
                        dist: dm(len * to_head),
                    },
                    fwd,
                    delay,
                ));
            }
            p.inc.push((
                Seed {
                    node: state,
                    weight: part(weight, from_tail),
                    dist: dm(len * from_tail),
                },
                fwd,
            ));
        }
        p
    }

    /// Cost of going from `s` to `t` on their shared edge without leaving it, if possible.
    pub(crate) fn direct(&self, m: &Metric, s: &Snapped, t: &Snapped) -> Option<(u32, u32, bool)> {
        if s.edge != t.edge {
            return None;
        }
        let len = self.net.edges[s.edge as usize].length_m.max(1e-9);
        let fwd = t.offset_m >= s.offset_m;
        let (weight, _) = m.cost_of(&self.graph, s.edge, fwd)?;
        let frac = ((t.offset_m - s.offset_m).abs() / len).clamp(0.0, 1.0);
        Some((
            part(weight, frac),
            ((len * frac) * 10.0).round() as u32,
            fwd,
        ))
    }
}

/// A planar point per state (its edge's middle shape point), for the dissection.
fn state_points(net: &RoadNetwork) -> Vec<[f32; 2]> {
    let coslat = net.coords.first().map_or(0.0, |c| c[0]).to_radians().cos();
    let mut xy = Vec::with_capacity(net.edges.len() * 2);
    for e in &net.edges {
        let [lat, lon] =
            net.coords[net.shape[((e.shape_start + e.shape_end) / 2) as usize] as usize];
        let p = [(lon * coslat) as f32, lat as f32];
        xy.push(p);
        xy.push(p);
    }
    xy
}

pub(crate) fn seeds(list: &[(Seed, bool)]) -> Vec<Seed> {
    list.iter().map(|(s, _)| *s).collect()
}

pub(crate) fn out_seeds(list: &[(Seed, bool, u32)]) -> Vec<Seed> {
    list.iter().map(|(s, _, _)| *s).collect()
}
