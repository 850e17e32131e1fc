//! Live road changes: close or slow roads at run time, and reopen them, without re-preparing.
//!
//! A [`RoadChange`] names its roads by OSM way ID, by a polygon (every road edge with a point
//! inside it), or by road-edge index, and either closes them or slows them. The whole set of
//! changes in force is applied at once: per-state weights are recomputed from the prepared base,
//! the hierarchy is re-customised (see [`crate::cch`]), and the new metric replaces the old one
//! atomically. Queries already running finish on the metric they started with.
//!
//! Writers are serialised (two callers changing the set at once cannot lose each other's
//! change), and a change is validated whole before anything is applied.

use serde::{Deserialize, Serialize};

use crate::bans::hours::BanHours;
use crate::bans::zones::VehicleClass;
use crate::bans::TimeBans;
use crate::error::{Result, RoadError};
use crate::metric::Metric;
use crate::prepared::PreparedNetwork;

/// Most changes in force at once.
pub const MAX_CHANGES: usize = 10_000;
/// Most vertices of one polygon.
pub const MAX_POLYGON_POINTS: usize = 10_000;

/// Which roads a change applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeTarget {
    /// OSM way IDs (every edge of each way, both directions).
    Ways(Vec<i64>),
    /// A polygon ring of `[lon, lat]` points (closed or not): every road edge with a shape point
    /// inside it, or crossing it.
    Polygon(Vec<[f64; 2]>),
    /// Road-edge indices of this prepared network (as reported by `nearest` and `match`).
    Edges(Vec<u32>),
}

/// What a change does to its roads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ChangeEffect {
    /// No vehicle may drive them.
    Closed,
    /// Speed multiplied by `speed_factor` (0 < factor ≤ 1; 0.5 doubles the travel time).
    Slowed {
        /// The speed multiplier.
        speed_factor: f64,
    },
    /// Trucks of `vehicles` may not enter them while `hours` (`opening_hours` syntax, the
    /// network's local time) is open: a truck ban by time (货车限行), honoured by routes and
    /// matrices with a departure time. Truck networks only.
    Banned {
        /// When the ban applies, e.g. `Mo-Fr 07:00-09:00,17:00-19:30`.
        hours: String,
        /// The classes banned (default: all).
        #[serde(default = "all_classes")]
        vehicles: Vec<VehicleClass>,
    },
}

fn all_classes() -> Vec<VehicleClass> {
    VehicleClass::ALL.to_vec()
}

/// One live change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoadChange {
    /// The caller's identifier (unique within the set in force).
    pub id: String,
    /// The roads.
    pub target: ChangeTarget,
    /// What happens to them.
    pub effect: ChangeEffect,
}

/// What applying a set of changes did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChangeReport {
    /// Changes in force.
    pub changes: usize,
    /// Road edges closed.
    pub edges_closed: usize,
    /// Road edges slowed (and not closed).
    pub edges_slowed: usize,
    /// Road edges under at least one truck ban by time (changes and OSM conditional tags).
    pub edges_banned: usize,
    /// Per change, in order: the road edges it matched (a change matching none is still kept,
    /// e.g. a way of another network).
    pub matched_edges: Vec<usize>,
    /// Wall time of re-customisation, seconds.
    pub seconds: f64,
}

impl PreparedNetwork {
    /// The OSM way ID of the road a snapped point lies on (to close it by way).
    pub fn way_of(&self, s: &crate::Snapped) -> i64 {
        self.net.ways[self.net.edges[s.edge as usize].way as usize].osm_id
    }

    /// The changes in force.
    pub fn changes(&self) -> Vec<RoadChange> {
        self.metric().changes.clone()
    }

    /// Replaces the changes in force with `changes` and re-customises; routes and matrices use
    /// them from the moment this returns. Invalid input (duplicate IDs, a bad polygon or speed
    /// factor, an edge index out of range, too many changes) is refused whole.
    pub fn set_changes(&self, changes: Vec<RoadChange>) -> Result<ChangeReport> {
        validate(&changes, self.net.edges.len())?;
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        self.apply(changes)
    }

    /// Adds `change` (or replaces the one with the same ID) to the changes in force.
    pub fn upsert_change(&self, change: RoadChange) -> Result<ChangeReport> {
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = self.metric().changes.clone();
        match all.iter_mut().find(|c| c.id == change.id) {
            Some(c) => *c = change,
            None => all.push(change),
        }
        validate(&all, self.net.edges.len())?;
        self.apply(all)
    }

    /// Lifts the change with ID `id`; `Ok(None)` when there is none.
    pub fn remove_change(&self, id: &str) -> Result<Option<ChangeReport>> {
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = self.metric().changes.clone();
        let before = all.len();
        all.retain(|c| c.id != id);
        if all.len() == before {
            return Ok(None);
        }
        self.apply(all).map(Some)
    }

    /// Computes and installs the metric for `changes` (the caller holds the writer lock).
    fn apply(&self, changes: Vec<RoadChange>) -> Result<ChangeReport> {
        let started = std::time::Instant::now();
        let mut weight = self.graph.base_state_weights();
        let mut closed = vec![false; self.net.edges.len()];
        let mut slowed = vec![false; self.net.edges.len()];
        let mut matched_edges = Vec::with_capacity(changes.len());
        for c in &changes {
            let edges = self.edges_of(&c.target);
            matched_edges.push(edges.len());
            for e in edges {
                for s in [2 * e, 2 * e + 1] {
                    let w = &mut weight[s as usize];
                    if *w == u32::MAX {
                        continue;
                    }
                    match c.effect {
                        ChangeEffect::Closed => *w = u32::MAX,
                        ChangeEffect::Slowed { speed_factor } => {
                            *w = ((f64::from(*w) / speed_factor).round() as u32).min(u32::MAX - 1)
                        }
                        ChangeEffect::Banned { .. } => {}
                    }
                }
                match c.effect {
                    ChangeEffect::Closed => closed[e as usize] = true,
                    ChangeEffect::Slowed { .. } => slowed[e as usize] = true,
                    ChangeEffect::Banned { .. } => {}
                }
            }
        }
        let now = self.metric();
        // Bans by time leave the weights alone: no re-customisation when only they changed.
        let mut metric = if weight == now.state_weight {
            Metric {
                state_weight: weight,
                ch: now.ch.clone(),
                changes: Vec::new(),
                bans: Default::default(),
            }
        } else {
            Metric::new(&self.graph, &self.cch, weight)
        };
        let bans = TimeBans::build(self, &changes);
        let edges_banned = bans.edges_banned();
        metric.bans = std::sync::Arc::new(bans);
        metric.changes = changes;
        let report = ChangeReport {
            changes: metric.changes.len(),
            edges_closed: closed.iter().filter(|&&c| c).count(),
            edges_slowed: (0..closed.len())
                .filter(|&e| slowed[e] && !closed[e])
                .count(),
            edges_banned,
            matched_edges,
            seconds: started.elapsed().as_secs_f64(),
        };
        *self.metric.write().unwrap_or_else(|e| e.into_inner()) = std::sync::Arc::new(metric);
        Ok(report)
    }

    /// Road-edge indices a target names.
    pub(crate) fn edges_of(&self, target: &ChangeTarget) -> Vec<u32> {
        let net = &self.net;
        match target {
            ChangeTarget::Edges(list) => list.clone(),
            ChangeTarget::Ways(ids) => {
                let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
                (0..net.edges.len() as u32)
                    .filter(|&e| {
                        wanted.contains(&net.ways[net.edges[e as usize].way as usize].osm_id)
                    })
                    .collect()
            }
            ChangeTarget::Polygon(ring) => {
                let ring: Vec<[f64; 2]> = ring.to_vec();
                (0..net.edges.len() as u32)
                    .filter(|&e| {
                        let edge = &net.edges[e as usize];
                        let pts: Vec<[f64; 2]> = (edge.shape_start..edge.shape_end)
                            .map(|k| {
                                let [lat, lon] = net.coords[net.shape[k as usize] as usize];
                                [lon, lat]
                            })
                            .collect();
                        pts.iter().any(|p| inside(&ring, *p))
                            || pts.windows(2).any(|s| crosses(&ring, s[0], s[1]))
                    })
                    .collect()
            }
        }
    }
}

/// Longest change ID, characters.
pub const MAX_CHANGE_ID_LEN: usize = 200;

/// What is wrong with one change: the field (`target.polygon[2]`, `effect.hours`, …) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidChange {
    /// The offending field, as a path into the change.
    pub field: String,
    /// Why it is refused.
    pub message: String,
}

impl RoadChange {
    /// Checks this change on its own (the set-wide rules, unique IDs and the count, are
    /// [`PreparedNetwork::set_changes`]'s); edge indices are checked against `edge_count` when
    /// a network is known.
    pub fn check(&self, edge_count: Option<usize>) -> std::result::Result<(), InvalidChange> {
        let bad = |field: String, message: String| Err(InvalidChange { field, message });
        if self.id.trim().is_empty() || self.id.chars().count() > MAX_CHANGE_ID_LEN {
            return bad(
                "id".into(),
                format!("must be 1 to {MAX_CHANGE_ID_LEN} characters"),
            );
        }
        match &self.effect {
            ChangeEffect::Banned { hours, vehicles } => {
                if let Err(e) = BanHours::parse(hours) {
                    return bad(
                        "effect.hours".into(),
                        format!("{hours:?} is not an opening_hours expression: {e}"),
                    );
                }
                if vehicles.is_empty() {
                    return bad("effect.vehicles".into(), "names no vehicle class".into());
                }
            }
            ChangeEffect::Slowed { speed_factor }
                if !(*speed_factor > 0.0 && *speed_factor <= 1.0) =>
            {
                return bad(
                    "effect.speed_factor".into(),
                    format!("{speed_factor} must be in (0, 1]"),
                );
            }
            _ => {}
        }
        match &self.target {
            ChangeTarget::Ways(ids) if ids.is_empty() => {
                bad("target.ways".into(), "no way IDs".into())
            }
            ChangeTarget::Ways(_) => Ok(()),
            ChangeTarget::Edges(list) => {
                let n = edge_count.unwrap_or(usize::MAX);
                match list.iter().position(|&e| e as usize >= n) {
                    Some(i) => bad(
                        format!("target.edges[{i}]"),
                        format!(
                            "edge {} does not exist (the network has {n} edges)",
                            list[i]
                        ),
                    ),
                    None => Ok(()),
                }
            }
            ChangeTarget::Polygon(ring) => check_polygon(ring),
        }
    }
}

fn check_polygon(ring: &[[f64; 2]]) -> std::result::Result<(), InvalidChange> {
    if ring.len() < 3 || ring.len() > MAX_POLYGON_POINTS {
        return Err(InvalidChange {
            field: "target.polygon".into(),
            message: format!("needs 3 to {MAX_POLYGON_POINTS} points, got {}", ring.len()),
        });
    }
    match ring
        .iter()
        .position(|p| !(p[0].abs() <= 180.0 && p[1].abs() <= 90.0))
    {
        Some(i) => Err(InvalidChange {
            field: format!("target.polygon[{i}]"),
            message: format!("{:?} is not a [lon, lat] point", ring[i]),
        }),
        None => Ok(()),
    }
}

/// Checks a whole set before it is applied.
fn validate(changes: &[RoadChange], edge_count: usize) -> Result<()> {
    if changes.len() > MAX_CHANGES {
        return Err(RoadError::TooBig {
            what: "road changes",
            count: changes.len(),
            limit: MAX_CHANGES,
        });
    }
    let mut ids = std::collections::HashSet::new();
    for (i, c) in changes.iter().enumerate() {
        if let Err(e) = c.check(Some(edge_count)) {
            let why = format!("changes[{i}].{}: {}", e.field, e.message);
            return Err(RoadError::InvalidRequest(why));
        }
        if !ids.insert(c.id.as_str()) {
            let why = format!("changes[{i}].id: {:?} is used twice", c.id);
            return Err(RoadError::InvalidRequest(why));
        }
    }
    Ok(())
}

/// Whether `p` lies inside `ring` (even–odd rule).
fn inside(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a[1] > p[1]) != (b[1] > p[1]) {
            let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if p[0] < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Whether segment `p`–`q` crosses an edge of `ring`.
fn crosses(ring: &[[f64; 2]], p: [f64; 2], q: [f64; 2]) -> bool {
    let orient = |a: [f64; 2], b: [f64; 2], c: [f64; 2]| {
        (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    };
    let n = ring.len();
    (0..n).any(|i| {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let (d1, d2) = (orient(a, b, p), orient(a, b, q));
        let (d3, d4) = (orient(p, q, a), orient(p, q, b));
        (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0)
    })
}
