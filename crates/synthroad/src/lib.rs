//! # wuliu-synthroad: a synthetic road network for Liuzhou
//!
//! **Synthetic, not real roads.** No Liuzhou OpenStreetMap extract ships with Wuliu (see
//! `shared/data/osm/PROVENANCE.md`), so the demo routes on a network *generated* here: plausible in
//! shape, placed on the demo's districts and county seats, but no street in it exists as drawn. Names
//! are borrowed from the demo's street lists; the river, bridges, ring and national roads are drawn by
//! hand after the city's general layout. Anything that shows these roads must say so (the map layer
//! reports `synthetic: true`, recognised by the negative OSM IDs, which in OSM mean "not in the
//! database"). Use the real Guangxi extract for a deployment.
//!
//! ## What is generated (deterministic for a seed)
//! - **Urban core** (城中, 鱼峰, 柳南, 柳北): a perturbed grid — rotated, warped, jittered, with denser
//!   blocks at the centre (`core_spacing_m`, growing outwards), ~3 % of lattice points and ~6 % of
//!   residential links missing, a few diagonal lanes; every 8th line a primary road (60 km/h, 6 lanes),
//!   every 4th a secondary, every 2nd a tertiary, the rest residential; one-way couplets (30 km/h) within
//!   2.5 km of the centre; some residential streets closed to trucks (`hgv=no`) or `maxweight=10`;
//!   traffic signals where major roads cross.
//! - **The Liu river** (柳江), looping round the 城中 peninsula: only primary roads, the ring and the
//!   national roads cross it, each crossing a `bridge=yes` way.
//! - **Expressway ring** (柳州环城高速, `motorway`, 100 km/h, two one-way carriageways) with
//!   interchanges (`motorway_link` ramps) where the national and provincial roads cross it.
//! - **Zones** for 柳江 (拉堡), 柳东新区 and the five county seats, smaller grids covering each
//!   district's square in [`wuliu_demo::places::DISTRICTS`], so every demo place snaps to a road.
//! - **National roads** G322 (柳江 – city – 柳东 – 鹿寨) and G209 (city – 柳城 – 融水 – 融安 – 三江) as
//!   `trunk` (80/70 km/h), provincial roads east, south (`maxweight=30`) and west.
//! - A clean-up keeps it strongly connected for cars and for 40 t trucks.
//!
//! Output: [`SynthNetwork::write_pbf`] (standard OSM PBF, read back by `wuliu_road`'s importer like a
//! real extract) or [`SynthNetwork::to_osm_data`] (in memory).
//!
//! # Province networks
//!
//! **Also synthetic, not real roads.** [`ProvinceNetwork`] generates a whole Guangxi-sized
//! province (an irregular outline of ~155 000 km² within 22.2–25.9° N, 104.6–112.0° E) so that road
//! engines — ours, OSRM, Valhalla — can be benchmarked on the same file. Its size is chosen by
//! [`ProvinceConfig::target_nodes`] (100 000 to 3 000 000 OSM nodes, shape nodes included; the
//! result lands within a fraction of a per cent), its content by [`ProvinceConfig::seed`]
//! (ChaCha8; the same configuration gives the same bytes). Places and street names are made up
//! (any likeness to a real name is a coincidence).
//!
//! - **Cities** (a dozen by default, Zipf-like sizes): perturbed grids — rotated, warped, jittered,
//!   blocks growing outwards, a few lattice points and residential links missing, diagonal lanes.
//!   A primary road every ~1.4 km, a secondary every ~700 m, a tertiary every ~350 m, residential
//!   streets between; one-way couplets (`oneway=yes`, 30 km/h) near the centre; traffic signals where
//!   major roads cross; turn restrictions (`type=restriction`, `no_left_turn` or `only_straight_on`,
//!   via a node, with every member way ending there) at some arterial crossings. In the core: truck
//!   bans `hgv=no` and `maxweight=10` on some residential streets, a rush-hour ban
//!   `hgv:conditional=no @ (07:00-09:00,17:00-19:00)` ([`RUSH_HOUR_BAN`]) on some secondary and
//!   tertiary streets, `maxweight:conditional=10 @ (07:00-20:00)` ([`DAYTIME_WEIGHT_LIMIT`]) on
//!   others; outside it a few `maxweight=10` streets and `maxheight=3.5`/`4.5` underpasses.
//! - **County towns** (25 to 110 with the target): small grids, a secondary main street, tertiary
//!   roads every ~500 m.
//! - **Villages** (one per 150 target nodes): a main street and a few lanes, `residential`.
//! - **Expressways** joining the cities and two thirds of the county towns (a spanning tree of the
//!   shortest links plus nearest neighbours): `motorway`, two one-way carriageways 30 m apart,
//!   `motorway_link` ramps at interchanges at both ends (a connector road into the place) and near
//!   the county towns passed.
//! - **National roads** (`trunk` when one end is among the five biggest cities, else `primary`,
//!   `ref=G3…`) between neighbouring cities, through the county towns on the way; **provincial
//!   roads** (`secondary`, `S…`) joining every other town, shortest first; **county roads**
//!   (`tertiary`, `X…`, some `maxweight=30`) to each town's nearest neighbours.
//! - **Rural roads** (`unclassified`): every village, nearest to the network first, is joined to the
//!   nearest town edge, road or earlier village; some get a second road closing a loop (a few of
//!   those `maxweight=20` or `hgv=no`).
//! - Open-country roads follow meandering curves with small bends; what the target leaves after all
//!   junction, street and control nodes becomes **shape nodes** along them, denser on rural roads.
//! - A clean-up makes the network **strongly connected** for cars and for a 40 t, 4 m truck (with the
//!   conditional limits taken as always in force): stranded one-way streets become two-way, islands
//!   go, truck limits that would cut a pocket off are lifted.
//!
//! Negative IDs throughout, as for the city. Generation is single-threaded and takes about a second
//! per million nodes and well under a GiB at 3 M nodes; [`ProvinceNetwork::write_pbf`] streams the
//! file block by block. Progress arrives through a callback ([`ProvinceProgress`] prints as one line).
//!
//! ```no_run
//! use wuliu_synthroad::{ProvinceConfig, ProvinceNetwork};
//!
//! let config = ProvinceConfig { seed: 7, target_nodes: 1_000_000, ..Default::default() };
//! let net = ProvinceNetwork::generate(&config, |p| eprintln!("{p}"))?;
//! let bytes = net.write_pbf("province-1m.osm.pbf", |p| eprintln!("{p}"))?;
//! println!("{} nodes, {} ways, {} restrictions, {bytes} bytes", net.node_count(), net.way_count(), net.relation_count());
//! # Ok::<(), wuliu_synthroad::ProvinceError>(())
//! ```

#![warn(missing_docs)]

mod build;
mod clean;
mod geo;
mod pbf;
pub mod province;

pub use province::{
    ProvinceConfig, ProvinceError, ProvinceNetwork, ProvincePhase, ProvinceProgress, ProvinceStats,
    Settlement, SettlementKind, DAYTIME_WEIGHT_LIMIT, MAX_TARGET_NODES, MIN_TARGET_NODES,
    PROVINCE_GENERATOR_VERSION, RUSH_HOUR_BAN,
};

use std::path::Path;

/// Version of the generator's output: bumped whenever the same seed would give a different network,
/// so caches of prepared networks (named with it) are rebuilt.
pub const GENERATOR_VERSION: u32 = 2;

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// Writing the PBF file failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Seed of the random generator (ChaCha8): the same seed always gives the same network.
    pub seed: u64,
    /// Distance between parallel streets at the city centre, metres (blocks grow larger outwards).
    /// Smaller is denser and slower to prepare.
    pub core_spacing_m: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            seed: 2025,
            core_spacing_m: 280.0,
        }
    }
}

/// A node: an intersection or a shape point.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthNode {
    /// OSM node ID (negative: not a real OSM object).
    pub id: i64,
    /// Latitude, WGS-84 degrees (1e-7 granularity).
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Tagged `highway=traffic_signals`.
    pub traffic_signals: bool,
}

/// A way with its OSM tags.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthWay {
    /// OSM way ID (negative).
    pub id: i64,
    /// Node IDs in order.
    pub nodes: Vec<i64>,
    /// Tags (`highway`, `name`, `ref`, `oneway`, `maxspeed`, `maxweight`, `hgv`, `bridge`, …, and
    /// `source=wuliu-synthroad`).
    pub tags: Vec<(String, String)>,
}

/// A turn restriction with a via node (`no_left_turn`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct SynthRestriction {
    /// OSM relation ID (negative).
    pub id: i64,
    /// `restriction=` value.
    pub kind: String,
    /// The way arrived on.
    pub from_way: i64,
    /// The intersection.
    pub via_node: i64,
    /// The way not to be turned into.
    pub to_way: i64,
}

/// A generated network.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthNetwork {
    /// The seed it was generated from.
    pub seed: u64,
    /// Nodes, ordered by descending (negative) ID.
    pub nodes: Vec<SynthNode>,
    /// Ways.
    pub ways: Vec<SynthWay>,
    /// Turn restrictions.
    pub restrictions: Vec<SynthRestriction>,
    /// The river's centre line, `(lat, lon)` from upstream to downstream (not written to the PBF).
    pub river: Vec<(f64, f64)>,
    /// Ways crossing the river, ring carriageways included.
    pub bridges: usize,
    /// Ring interchanges.
    pub interchanges: usize,
}

impl SynthNetwork {
    /// Generates the network for `config`. Pure and deterministic; about a second or less.
    pub fn generate(config: &SynthConfig) -> SynthNetwork {
        build::generate(config)
    }

    /// Writes the network as a standard OSM PBF file.
    pub fn write_pbf(&self, path: impl AsRef<Path>) -> Result<u64, SynthError> {
        let path = path.as_ref();
        let err = |source| SynthError::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut buf = Vec::new();
        pbf::write(self, &mut buf).map_err(err)?;
        std::fs::write(path, &buf).map_err(err)?;
        Ok(buf.len() as u64)
    }

    /// The network as PBF bytes.
    pub fn pbf_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        pbf::write(self, &mut buf).expect("writing to memory cannot fail");
        buf
    }

    /// The network as in-memory OSM elements for [`wuliu_road::RoadNetwork::from_osm`].
    pub fn to_osm_data(&self) -> wuliu_road::OsmData {
        use wuliu_road::{MemberKind, OsmData, OsmRelation, OsmWay};
        OsmData {
            nodes: self.nodes.iter().map(|n| (n.id, n.lat, n.lon)).collect(),
            ways: self
                .ways
                .iter()
                .map(|w| OsmWay {
                    id: w.id,
                    nodes: w.nodes.clone(),
                    tags: w.tags.clone(),
                })
                .collect(),
            relations: self
                .restrictions
                .iter()
                .map(|r| OsmRelation {
                    id: r.id,
                    members: vec![
                        (MemberKind::Way, r.from_way, "from".into()),
                        (MemberKind::Node, r.via_node, "via".into()),
                        (MemberKind::Way, r.to_way, "to".into()),
                    ],
                    tags: vec![
                        ("type".into(), "restriction".into()),
                        ("restriction".into(), r.kind.clone()),
                    ],
                })
                .collect(),
            traffic_signals: self
                .nodes
                .iter()
                .filter(|n| n.traffic_signals)
                .map(|n| n.id)
                .collect(),
        }
    }

    /// Total length of the ways, kilometres.
    pub fn length_km(&self) -> f64 {
        let pos: std::collections::HashMap<i64, (f64, f64)> =
            self.nodes.iter().map(|n| (n.id, (n.lat, n.lon))).collect();
        let mut m = 0.0;
        for w in &self.ways {
            for p in w.nodes.windows(2) {
                let (a, b) = (pos[&p[0]], pos[&p[1]]);
                let a = geo::P::from_deg(a.0, a.1);
                let b = geo::P::from_deg(b.0, b.1);
                m += a.dist(b);
            }
        }
        m / 1000.0
    }

    /// Number of ways with `highway=v`.
    pub fn count_highway(&self, v: &str) -> usize {
        self.ways
            .iter()
            .filter(|w| w.tags.iter().any(|(k, x)| k == "highway" && x == v))
            .count()
    }
}
