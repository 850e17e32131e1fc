//! The imported road network: intersections, road edges with their geometry, names and limits,
//! and turn restrictions. Built from OSM data by [`RoadNetwork::from_osm`] or the PBF importer.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use wuliu_model::GeoPoint;

use crate::bans::conditional::ConditionalRestriction;
use crate::error::{Result, RoadError};
use crate::profile::{Limits, Profile, WayAttributes};

/// OSM elements in memory: the input of [`RoadNetwork::from_osm`], handy for tests and tools.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OsmData {
    /// Nodes as `(id, lat, lon)`.
    pub nodes: Vec<(i64, f64, f64)>,
    /// Ways with their tags.
    pub ways: Vec<OsmWay>,
    /// Relations with their tags; only `type=restriction` ones are used.
    pub relations: Vec<OsmRelation>,
    /// Ids of nodes tagged `highway=traffic_signals`.
    #[serde(default)]
    pub traffic_signals: Vec<i64>,
}

/// An OSM way.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OsmWay {
    /// Way id.
    pub id: i64,
    /// Node ids in order.
    pub nodes: Vec<i64>,
    /// Tags as key/value pairs.
    pub tags: Vec<(String, String)>,
}

/// The kind of an OSM relation member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberKind {
    /// A node.
    Node,
    /// A way.
    Way,
    /// A relation.
    Relation,
}

/// An OSM relation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OsmRelation {
    /// Relation id.
    pub id: i64,
    /// Members as `(kind, id, role)`.
    pub members: Vec<(MemberKind, i64, String)>,
    /// Tags as key/value pairs.
    pub tags: Vec<(String, String)>,
}

/// A turn restriction resolved from a `type=restriction` relation (from way, via node, to way).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawRestriction {
    /// Relation id.
    pub id: i64,
    /// The `from` way.
    pub from_way: i64,
    /// The `via` node.
    pub via_node: i64,
    /// The `to` way.
    pub to_way: i64,
    /// `true` for `only_*`, `false` for `no_*`.
    pub only: bool,
}

impl RawRestriction {
    /// Reads a restriction relation for `profile`. Returns `None` for relations that are not
    /// restrictions, do not apply to the profile (`except`, `restriction:<other>`), or use a via way
    /// (not supported; counted in [`ImportStats::restrictions_skipped`]).
    pub fn from_relation<'a>(
        profile: Profile,
        id: i64,
        tags: impl Fn(&str) -> Option<&'a str>,
        members: impl Iterator<Item = (MemberKind, i64, &'a str)>,
    ) -> Option<std::result::Result<Self, ()>> {
        if tags("type") != Some("restriction") {
            return None;
        }
        let specific = match profile {
            Profile::Car => "restriction:motorcar",
            Profile::Truck => "restriction:hgv",
        };
        let value = tags(specific).or_else(|| tags("restriction"))?;
        if let Some(except) = tags("except") {
            let me = match profile {
                Profile::Car => "motorcar",
                Profile::Truck => "hgv",
            };
            if except.split(';').any(|e| e.trim() == me) {
                return None;
            }
        }
        let only = if value.starts_with("only_") {
            true
        } else if value.starts_with("no_") {
            false
        } else {
            return None;
        };
        let (mut from, mut via, mut to) = (None, None, None);
        for (kind, mid, role) in members {
            match (role, kind) {
                ("from", MemberKind::Way) => from = Some(mid),
                ("to", MemberKind::Way) => to = Some(mid),
                ("via", MemberKind::Node) => via = Some(mid),
                ("via", _) => return Some(Err(())),
                _ => {}
            }
        }
        match (from, via, to) {
            (Some(from_way), Some(via_node), Some(to_way)) => Some(Ok(RawRestriction {
                id,
                from_way,
                via_node,
                to_way,
                only,
            })),
            _ => Some(Err(())),
        }
    }
}

/// Counts describing an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportStats {
    /// Ways usable by the profile.
    pub ways: u64,
    /// Intersections (graph nodes).
    pub nodes: u64,
    /// Road edges between intersections.
    pub edges: u64,
    /// Turn restrictions applied.
    pub restrictions: u64,
    /// Restriction relations skipped (via way, missing members, members not routable).
    pub restrictions_skipped: u64,
    /// Way node references missing from the extract (ways are cut there).
    pub missing_nodes: u64,
}

/// Static information about one imported way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WayInfo {
    /// OSM way id.
    pub osm_id: i64,
    /// `name`, else `ref`, else empty.
    pub name: String,
    /// The `highway` class.
    pub highway: String,
    /// Speed in km/h.
    pub speed_kmh: f64,
    /// Legal limits.
    pub limits: Limits,
    /// Restrictions by time (`hgv:conditional`, `maxweight:conditional`; truck profile only).
    #[serde(default)]
    pub conditional: Vec<ConditionalRestriction>,
}

/// A road edge between two intersections along one way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    pub from: u32,
    pub to: u32,
    /// Range in `RoadNetwork::shape`, endpoints included.
    pub shape_start: u32,
    pub shape_end: u32,
    pub way: u32,
    pub length_m: f64,
    pub forward: bool,
    pub backward: bool,
    /// Fixed delay added to the travel time (traffic signals), milliseconds.
    pub penalty_ms: u32,
}

/// A restriction on one turn at an intersection: arriving on `from_edge`, leaving on `to_edge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TurnRestriction {
    pub via: u32,
    pub from_edge: u32,
    pub to_edge: u32,
    pub only: bool,
}

/// An imported road network for one [`Profile`]. Prepare it for queries with
/// [`crate::PreparedNetwork::prepare`].
#[derive(Debug, Clone)]
pub struct RoadNetwork {
    pub(crate) profile: Profile,
    /// `[lat, lon]` of every point used (intersections and shape points).
    pub(crate) coords: Vec<[f64; 2]>,
    /// Graph node → index in `coords`.
    pub(crate) node_point: Vec<u32>,
    pub(crate) edges: Vec<Edge>,
    pub(crate) shape: Vec<u32>,
    pub(crate) ways: Vec<WayInfo>,
    pub(crate) restrictions: Vec<TurnRestriction>,
    pub(crate) stats: ImportStats,
}

impl RoadNetwork {
    /// The profile the network was imported for.
    pub fn profile(&self) -> Profile {
        self.profile
    }
    /// Import counts.
    pub fn stats(&self) -> ImportStats {
        self.stats
    }
    /// The imported ways (the ones at least one edge came from, and the others evaluated).
    pub fn ways(&self) -> &[WayInfo] {
        &self.ways
    }
    /// Number of intersections.
    pub fn node_count(&self) -> usize {
        self.node_point.len()
    }
    /// Number of road edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }
    /// The coordinate of intersection `node`.
    pub fn node_location(&self, node: usize) -> GeoPoint {
        let [lat, lon] = self.coords[self.node_point[node] as usize];
        GeoPoint { lat, lon }
    }

    /// Builds a network from in-memory OSM elements (ways are evaluated with `profile`).
    pub fn from_osm(data: &OsmData, profile: Profile) -> Result<Self> {
        let ways = data
            .ways
            .iter()
            .filter_map(|w| {
                let attrs = profile.evaluate_way(|k| {
                    w.tags
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.as_str())
                })?;
                Some((w.id, w.nodes.clone(), attrs))
            })
            .collect::<Vec<_>>();
        let mut skipped = 0;
        let restrictions = data
            .relations
            .iter()
            .filter_map(|r| {
                let tags = |k: &str| {
                    r.tags
                        .iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.as_str())
                };
                let members = r
                    .members
                    .iter()
                    .map(|(k, id, role)| (*k, *id, role.as_str()));
                match RawRestriction::from_relation(profile, r.id, tags, members)? {
                    Ok(x) => Some(x),
                    Err(()) => {
                        skipped += 1;
                        None
                    }
                }
            })
            .collect::<Vec<_>>();
        let coords: HashMap<i64, [f64; 2]> = data
            .nodes
            .iter()
            .map(|&(id, lat, lon)| (id, [lat, lon]))
            .collect();
        let signals: std::collections::HashSet<i64> =
            data.traffic_signals.iter().copied().collect();
        build(
            profile,
            ways,
            restrictions,
            skipped,
            |id| coords.get(&id).copied(),
            |id| signals.contains(&id),
        )
    }
}

/// Builds the network from evaluated ways, restrictions and a coordinate lookup.
pub(crate) fn build(
    profile: Profile,
    ways: Vec<(i64, Vec<i64>, WayAttributes)>,
    raw_restrictions: Vec<RawRestriction>,
    restrictions_skipped: u64,
    coord_of: impl Fn(i64) -> Option<[f64; 2]>,
    is_signal: impl Fn(i64) -> bool,
) -> Result<RoadNetwork> {
    let mut stats = ImportStats {
        restrictions_skipped,
        ..ImportStats::default()
    };
    let mut point_of: HashMap<i64, u32> = HashMap::new();
    let mut coords: Vec<[f64; 2]> = Vec::new();
    let mut signal: Vec<bool> = Vec::new();
    // Runs of consecutive present nodes per way, as coord indices.
    let mut runs: Vec<(u32, Vec<u32>)> = Vec::new();
    let mut infos = Vec::with_capacity(ways.len());
    let mut attrs_of = Vec::with_capacity(ways.len());
    for (way_id, refs, attrs) in ways {
        let way_idx = infos.len() as u32;
        let mut run: Vec<u32> = Vec::new();
        let mut any = false;
        for r in refs {
            let idx = match point_of.get(&r) {
                Some(&i) => Some(i),
                None => coord_of(r).map(|c| {
                    let i = coords.len() as u32;
                    coords.push(c);
                    signal.push(is_signal(r));
                    point_of.insert(r, i);
                    i
                }),
            };
            match idx {
                Some(i) => {
                    if run.last() != Some(&i) {
                        run.push(i);
                    }
                }
                None => {
                    stats.missing_nodes += 1;
                    if run.len() >= 2 {
                        runs.push((way_idx, std::mem::take(&mut run)));
                        any = true;
                    }
                    run.clear();
                }
            }
        }
        if run.len() >= 2 {
            runs.push((way_idx, run));
            any = true;
        }
        if any {
            stats.ways += 1;
        }
        infos.push(WayInfo {
            osm_id: way_id,
            name: attrs.name.clone(),
            highway: attrs.highway.clone(),
            speed_kmh: attrs.speed_kmh,
            limits: attrs.limits,
            conditional: attrs.conditional.clone(),
        });
        attrs_of.push((attrs.forward, attrs.backward));
    }
    // Mark intersections: shared points, run endpoints, restriction vias, loop midpoints.
    let mut uses = vec![0u8; coords.len()];
    let mut is_node = vec![false; coords.len()];
    for (_, run) in &runs {
        for &p in run {
            uses[p as usize] = uses[p as usize].saturating_add(1);
        }
        is_node[run[0] as usize] = true;
        is_node[*run.last().unwrap() as usize] = true;
        // A point repeated inside the run (loops) must be an intersection too.
        if run.first() == run.last() {
            is_node[run[run.len() / 2] as usize] = true;
        }
    }
    for (p, u) in uses.iter().enumerate() {
        if *u >= 2 {
            is_node[p] = true;
        }
    }
    for r in &raw_restrictions {
        if let Some(&p) = point_of.get(&r.via_node) {
            is_node[p as usize] = true;
        }
    }
    let mut node_of = vec![u32::MAX; coords.len()];
    let mut node_point = Vec::new();
    let mut node_id = |p: u32, node_point: &mut Vec<u32>| -> u32 {
        if node_of[p as usize] == u32::MAX {
            node_of[p as usize] = node_point.len() as u32;
            node_point.push(p);
        }
        node_of[p as usize]
    };
    let mut edges = Vec::new();
    let mut shape: Vec<u32> = Vec::new();
    for (way, run) in &runs {
        let (forward, backward) = attrs_of[*way as usize];
        let mut start = 0usize;
        for i in 1..run.len() {
            if !is_node[run[i] as usize] {
                continue;
            }
            let from = node_id(run[start], &mut node_point);
            let to = node_id(run[i], &mut node_point);
            if from != to {
                let shape_start = shape.len() as u32;
                let mut length_m = 0.0;
                let signals = run[start + 1..=i]
                    .iter()
                    .filter(|&&p| signal[p as usize])
                    .count() as u32;
                for k in start..=i {
                    if k > start {
                        length_m += dist(coords[run[k - 1] as usize], coords[run[k] as usize]);
                    }
                    shape.push(run[k]);
                }
                edges.push(Edge {
                    from,
                    to,
                    shape_start,
                    shape_end: shape.len() as u32,
                    way: *way,
                    length_m,
                    forward,
                    backward,
                    penalty_ms: signals * TRAFFIC_SIGNAL_PENALTY_MS,
                });
            }
            start = i;
        }
    }
    if edges.is_empty() {
        return Err(RoadError::NoRoads {
            profile: profile.name().to_string(),
        });
    }
    // Resolve restrictions on edges incident to the via node.
    let mut incident: Vec<Vec<u32>> = vec![Vec::new(); node_point.len()];
    for (i, e) in edges.iter().enumerate() {
        incident[e.from as usize].push(i as u32);
        incident[e.to as usize].push(i as u32);
    }
    let mut restrictions = Vec::new();
    for r in &raw_restrictions {
        let via = point_of
            .get(&r.via_node)
            .map(|&p| node_of[p as usize])
            .filter(|&n| n != u32::MAX);
        let Some(via) = via else {
            stats.restrictions_skipped += 1;
            continue;
        };
        let on_way = |osm: i64| {
            incident[via as usize]
                .iter()
                .copied()
                .filter(|&e| infos[edges[e as usize].way as usize].osm_id == osm)
                .collect::<Vec<_>>()
        };
        let (from, to) = (on_way(r.from_way), on_way(r.to_way));
        if from.is_empty() || to.is_empty() {
            stats.restrictions_skipped += 1;
            continue;
        }
        stats.restrictions += 1;
        for &f in &from {
            for &t in &to {
                restrictions.push(TurnRestriction {
                    via,
                    from_edge: f,
                    to_edge: t,
                    only: r.only,
                });
            }
        }
    }
    stats.nodes = node_point.len() as u64;
    stats.edges = edges.len() as u64;
    Ok(RoadNetwork {
        profile,
        coords,
        node_point,
        edges,
        shape,
        ways: infos,
        restrictions,
        stats,
    })
}

/// Delay for passing a traffic signal (OSRM's `car.lua` uses the same 2 s), milliseconds.
pub const TRAFFIC_SIGNAL_PENALTY_MS: u32 = 2_000;

/// Great-circle distance between two `[lat, lon]` points in metres.
pub(crate) fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    GeoPoint {
        lat: a[0],
        lon: a[1],
    }
    .haversine(&GeoPoint {
        lat: b[0],
        lon: b[1],
    })
    .0
}
