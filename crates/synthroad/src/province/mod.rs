//! A synthetic province: a dozen cities, county towns, villages and the roads between them, sized by
//! a target node count, for benchmarking road engines on one file. See the crate docs, section
//! "Province networks".
//!
//! The pipeline, each step a private module: `plan` (sizes and places) → `urban` (city and town
//! grids, villages) → `roads` (expressways, national, provincial, county and rural roads) →
//! `connect` (strong connectivity for cars and 40 t trucks) → `shape` (shape nodes up to the
//! target, final numbering) → `write` (streamed PBF).

mod connect;
mod frame;
mod names;
mod net;
mod plan;
mod roads;
mod shape;
mod urban;
mod write;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `hgv:conditional` value of the rush-hour truck ban (货车限行) on some city-core streets.
pub const RUSH_HOUR_BAN: &str = "no @ (07:00-09:00,17:00-19:00)";
/// `maxweight:conditional` value of the daytime weight limit (tonnes) on other city-core streets.
pub const DAYTIME_WEIGHT_LIMIT: &str = "10 @ (07:00-20:00)";

/// Version of the province generator's output: bumped whenever the same configuration would give
/// a different file, so caches named with it are rebuilt. Independent of
/// [`GENERATOR_VERSION`](crate::GENERATOR_VERSION) (the city's).
pub const PROVINCE_GENERATOR_VERSION: u32 = 1;

/// Smallest accepted [`ProvinceConfig::target_nodes`].
pub const MIN_TARGET_NODES: u64 = 100_000;
/// Largest accepted [`ProvinceConfig::target_nodes`].
pub const MAX_TARGET_NODES: u64 = 3_000_000;

/// What province to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvinceConfig {
    /// Seed of the random generator (ChaCha8): the same configuration always gives the same file
    /// (with the same build on the same platform: the geometry uses the platform's `sin`/`cos`).
    pub seed: u64,
    /// OSM nodes to generate, shape nodes included, between [`MIN_TARGET_NODES`] and
    /// [`MAX_TARGET_NODES`]. The result is within a fraction of a per cent of it (well within the
    /// promised ±10 %). Cost: about linear; 3 M nodes take seconds and well under a GiB.
    pub target_nodes: u64,
    /// Number of cities, 4 to 30 (default 12); their sizes follow a Zipf-like law, the biggest
    /// first.
    pub cities: usize,
    /// Number the nodes, ways and relations 1, 2, 3, … instead of OSM's convention for objects
    /// not in its database, -1, -2, -3, … (the default, `false`). OSRM needs positive IDs: it
    /// packs node IDs into 40 unsigned bits and fails on negative ones.
    pub positive_ids: bool,
}

impl Default for ProvinceConfig {
    /// Seed 2025, one million nodes, twelve cities.
    fn default() -> Self {
        Self {
            seed: 2025,
            target_nodes: 1_000_000,
            cities: 12,
            positive_ids: false,
        }
    }
}

impl ProvinceConfig {
    /// The default configuration with `seed` and `target_nodes`.
    pub fn new(seed: u64, target_nodes: u64) -> Self {
        Self {
            seed,
            target_nodes,
            ..Self::default()
        }
    }

    /// Checks the configuration; [`ProvinceNetwork::generate`] does too.
    pub fn validate(&self) -> Result<(), ProvinceError> {
        if !(MIN_TARGET_NODES..=MAX_TARGET_NODES).contains(&self.target_nodes) {
            return Err(ProvinceError::TargetNodes {
                given: self.target_nodes,
                min: MIN_TARGET_NODES,
                max: MAX_TARGET_NODES,
            });
        }
        if !(4..=30).contains(&self.cities) {
            return Err(ProvinceError::Cities {
                given: self.cities,
                min: 4,
                max: 30,
            });
        }
        Ok(())
    }
}

/// Errors of the province generator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProvinceError {
    /// [`ProvinceConfig::target_nodes`] is out of range.
    #[error("target of {given} nodes is outside {min}..={max}")]
    TargetNodes {
        /// The configured target.
        given: u64,
        /// Smallest accepted.
        min: u64,
        /// Largest accepted.
        max: u64,
    },
    /// [`ProvinceConfig::cities`] is out of range.
    #[error("{given} cities is outside {min}..={max}")]
    Cities {
        /// The configured number.
        given: usize,
        /// Smallest accepted.
        min: usize,
        /// Largest accepted.
        max: usize,
    },
    /// Writing the PBF file failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// The steps of generating and writing a province, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProvincePhase {
    /// Sizes and places of the cities, towns and villages.
    Plan,
    /// City grids.
    Cities,
    /// County-town grids.
    Towns,
    /// Village streets.
    Villages,
    /// Expressways, national, provincial, county and rural roads.
    Roads,
    /// The connectivity clean-up.
    Connect,
    /// Shape nodes and the final numbering.
    Shape,
    /// Writing the PBF file (reported every 64 blocks).
    Write,
}

impl fmt::Display for ProvincePhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProvincePhase::Plan => "plan",
            ProvincePhase::Cities => "cities",
            ProvincePhase::Towns => "towns",
            ProvincePhase::Villages => "villages",
            ProvincePhase::Roads => "roads",
            ProvincePhase::Connect => "connect",
            ProvincePhase::Shape => "shape",
            ProvincePhase::Write => "write",
        })
    }
}

/// A progress report: the phase just finished (or, for [`ProvincePhase::Write`], under way) and
/// counts so far. Its `Display` is one line, e.g. for standard error.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvinceProgress {
    /// The phase.
    pub phase: ProvincePhase,
    /// Nodes so far (while writing: written).
    pub nodes: u64,
    /// Ways so far (while writing: written).
    pub ways: u64,
    /// Turn restrictions so far (while writing: written).
    pub relations: u64,
    /// Time since generation (or writing) started.
    pub elapsed: Duration,
    /// What the phase did, in words.
    pub detail: String,
}

impl fmt::Display for ProvinceProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<8} {:>9} nodes {:>8} ways {:>6} relations {:>7.2} s  {}",
            self.phase,
            self.nodes,
            self.ways,
            self.relations,
            self.elapsed.as_secs_f64(),
            self.detail
        )
    }
}

/// The kind of a [`Settlement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettlementKind {
    /// A city (grid with a dense core); [`Settlement::rank`] 0 is the biggest.
    City,
    /// A county town (a small grid).
    Town,
    /// A village (a main street and a few lanes).
    Village,
}

/// A generated settlement: where benchmarks may pick their points.
#[derive(Debug, Clone, PartialEq)]
pub struct Settlement {
    /// Made-up name.
    pub name: String,
    /// City, town or village.
    pub kind: SettlementKind,
    /// Size rank among the cities (0: the biggest); 0 for towns and villages.
    pub rank: usize,
    /// Centre latitude, WGS-84 degrees.
    pub lat: f64,
    /// Centre longitude.
    pub lon: f64,
    /// Approximate radius of its streets, metres.
    pub radius_m: f64,
}

/// What was generated, counted.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ProvinceStats {
    /// OSM nodes (shape nodes included).
    pub nodes: u64,
    /// Of which shape nodes along open-country roads.
    pub shape_nodes: u64,
    /// Nodes tagged `highway=traffic_signals`.
    pub traffic_signals: u64,
    /// OSM ways.
    pub ways: u64,
    /// Turn restriction relations.
    pub restrictions: u64,
    /// Cities, county towns, villages.
    pub cities: u64,
    /// County towns.
    pub towns: u64,
    /// Villages.
    pub villages: u64,
    /// Expressways (each two carriageways) between cities.
    pub expressways: u64,
    /// Expressway interchanges.
    pub interchanges: u64,
    /// National roads between cities.
    pub national_roads: u64,
    /// Provincial roads joining towns to the network.
    pub provincial_roads: u64,
    /// County roads between neighbouring towns.
    pub county_roads: u64,
    /// Rural roads to the villages.
    pub rural_roads: u64,
    /// Ways tagged `oneway=yes`.
    pub oneway_ways: u64,
    /// Ways with `hgv=no`, `maxweight`, `maxheight`, `hgv:conditional`, `maxweight:conditional`.
    pub truck_limited_ways: [u64; 5],
    /// Kilometres of road per `highway` value.
    pub length_km: Vec<(String, f64)>,
    /// Clean-up: one-way streets made two-way, ways dropped (islands), truck limits lifted.
    pub cleanup: [u64; 3],
}

/// A generated province network, ready to be written.
pub struct ProvinceNetwork {
    config: ProvinceConfig,
    fin: shape::Final,
    settlements: Vec<Settlement>,
    stats: ProvinceStats,
}

impl fmt::Debug for ProvinceNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProvinceNetwork")
            .field("config", &self.config)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

fn lat_lon(p: crate::geo::P) -> (f64, f64) {
    let (lat, lon) = frame::to_e7(p);
    (f64::from(lat) / 1e7, f64::from(lon) / 1e7)
}

impl ProvinceNetwork {
    /// Generates the province for `config`, calling `progress` after each phase. Pure and
    /// deterministic; single-threaded; about a second per million nodes.
    pub fn generate(
        config: &ProvinceConfig,
        mut progress: impl FnMut(&ProvinceProgress),
    ) -> Result<ProvinceNetwork, ProvinceError> {
        config.validate()?;
        let start = Instant::now();
        let seed = config.seed;
        let target = config.target_nodes;
        let mut net = net::Net::default();
        let mut report = |phase, net: &net::Net, detail: String| {
            progress(&ProvinceProgress {
                phase,
                nodes: net.pts.len() as u64,
                ways: net.ways.len() as u64,
                relations: net.restrictions.len() as u64,
                elapsed: start.elapsed(),
                detail,
            })
        };
        let plan = plan::plan(seed, target, config.cities);
        report(
            ProvincePhase::Plan,
            &net,
            format!(
                "{} cities, {} county towns, {} villages",
                plan.cities.len(),
                plan.towns.len(),
                plan.villages.len()
            ),
        );
        let mut places: Vec<roads::Place> = Vec::new();
        let mut settlements = Vec::new();
        let mut restrictions = 0;
        for (k, c) in plan.cities.iter().enumerate() {
            let mut rng = plan::stream(seed, 1_000 + k as u64);
            let built = urban::grid(&mut net, c, true, &mut rng);
            restrictions += built.restrictions;
            places.push(roads::Place {
                name: c.name.clone(),
                centre: c.centre,
                radius: c.radius(),
                perimeter: built.perimeter,
                rank: c.rank,
            });
        }
        let biggest = &plan.cities[0];
        report(
            ProvincePhase::Cities,
            &net,
            format!(
                "biggest {} ({:.0} × {:.0} km, streets {:.0} m apart at the centre), {restrictions} turn restrictions",
                biggest.name,
                2.0 * biggest.half.0 / 1e3,
                2.0 * biggest.half.1 / 1e3,
                biggest.spacing
            ),
        );
        for (k, t) in plan.towns.iter().enumerate() {
            let mut rng = plan::stream(seed, 10_000 + k as u64);
            let built = urban::grid(&mut net, t, false, &mut rng);
            places.push(roads::Place {
                name: t.name.clone(),
                centre: t.centre,
                radius: t.radius(),
                perimeter: built.perimeter,
                rank: usize::MAX,
            });
        }
        report(
            ProvincePhase::Towns,
            &net,
            format!("{} county towns", plan.towns.len()),
        );
        let mut rng = plan::stream(seed, 3);
        let villages: Vec<roads::Place> = plan
            .villages
            .iter()
            .map(|v| roads::Place {
                name: v.name.clone(),
                centre: v.centre,
                radius: 300.0,
                perimeter: urban::village(&mut net, v, &mut rng),
                rank: usize::MAX,
            })
            .collect();
        report(
            ProvincePhase::Villages,
            &net,
            format!("{} villages", villages.len()),
        );
        let mut rng = plan::stream(seed, 4);
        let mut r = roads::Roads::new(&mut net);
        r.trunk_network(&places, plan.cities.len(), &mut rng);
        r.town_roads(&places, plan.cities.len(), &mut rng);
        r.attach_places(&places);
        r.rural_roads(&villages, places.len() as u32, &mut rng);
        let counts = r.counts;
        report(
            ProvincePhase::Roads,
            &net,
            format!(
                "{} expressways ({} interchanges), {} national, {} provincial, {} county, {} rural roads",
                counts.expressways,
                counts.interchanges,
                counts.national,
                counts.provincial,
                counts.county,
                counts.rural
            ),
        );
        let cleaned = connect::connect(&mut net);
        report(
            ProvincePhase::Connect,
            &net,
            format!(
                "{} one-way ways made two-way, {} ways dropped, {} truck limits lifted",
                cleaned.made_two_way, cleaned.ways_dropped, cleaned.limits_lifted
            ),
        );
        for (p, city) in places.iter().zip(&plan.cities) {
            let (lat, lon) = lat_lon(p.centre);
            settlements.push(Settlement {
                name: p.name.clone(),
                kind: SettlementKind::City,
                rank: city.rank,
                lat,
                lon,
                radius_m: p.radius,
            });
        }
        for (p, kind) in places[plan.cities.len()..]
            .iter()
            .map(|p| (p, SettlementKind::Town))
            .chain(villages.iter().map(|v| (v, SettlementKind::Village)))
        {
            let (lat, lon) = lat_lon(p.centre);
            settlements.push(Settlement {
                name: p.name.clone(),
                kind,
                rank: 0,
                lat,
                lon,
                radius_m: p.radius,
            });
        }
        let fin = shape::finish(net, target);
        let mut stats = ProvinceStats {
            nodes: fin.coords.len() as u64,
            shape_nodes: fin.shape_nodes,
            traffic_signals: fin.signals.iter().filter(|&&s| s).count() as u64,
            ways: fin.way_tags.len() as u64,
            restrictions: fin.restrictions.len() as u64,
            cities: plan.cities.len() as u64,
            towns: plan.towns.len() as u64,
            villages: plan.villages.len() as u64,
            expressways: counts.expressways as u64,
            interchanges: counts.interchanges as u64,
            national_roads: counts.national as u64,
            provincial_roads: counts.provincial as u64,
            county_roads: counts.county as u64,
            rural_roads: counts.rural as u64,
            length_km: fin
                .length_m
                .iter()
                .map(|(h, m)| (h.clone(), (m / 1e3 * 10.0).round() / 10.0))
                .collect(),
            cleanup: [
                cleaned.made_two_way as u64,
                cleaned.ways_dropped as u64,
                cleaned.limits_lifted as u64,
            ],
            ..ProvinceStats::default()
        };
        for &set in &fin.way_tags {
            let has = |k: &str| fin.tags.get(set, k).is_some();
            stats.oneway_ways += u64::from(fin.tags.get(set, "oneway") == Some("yes"));
            for (i, k) in [
                "hgv",
                "maxweight",
                "maxheight",
                "hgv:conditional",
                "maxweight:conditional",
            ]
            .iter()
            .enumerate()
            {
                stats.truck_limited_ways[i] += u64::from(has(k));
            }
        }
        progress(&ProvinceProgress {
            phase: ProvincePhase::Shape,
            nodes: stats.nodes,
            ways: stats.ways,
            relations: stats.restrictions,
            elapsed: start.elapsed(),
            detail: format!(
                "{} shape nodes; target {target}, {:+.2} %",
                stats.shape_nodes,
                (stats.nodes as f64 / target as f64 - 1.0) * 100.0
            ),
        });
        Ok(ProvinceNetwork {
            config: config.clone(),
            fin,
            settlements,
            stats,
        })
    }

    /// The configuration it was generated from.
    pub fn config(&self) -> &ProvinceConfig {
        &self.config
    }

    /// Counts of what was generated.
    pub fn stats(&self) -> &ProvinceStats {
        &self.stats
    }

    /// OSM nodes (IDs `-1, -2, …`, in that order in the file).
    pub fn node_count(&self) -> usize {
        self.fin.coords.len()
    }

    /// OSM ways (IDs `-1, -2, …`).
    pub fn way_count(&self) -> usize {
        self.fin.way_tags.len()
    }

    /// OSM relations: the turn restrictions (IDs `-1, -2, …`).
    pub fn relation_count(&self) -> usize {
        self.fin.restrictions.len()
    }

    /// The cities (biggest first), then the county towns, then the villages.
    pub fn settlements(&self) -> &[Settlement] {
        &self.settlements
    }

    /// Writes the network as OSM PBF to `out`, streaming block by block, calling `progress` every
    /// 64 blocks; returns the bytes written. Wrap files in a `BufWriter`.
    pub fn write_to(
        &self,
        out: impl Write,
        mut progress: impl FnMut(&ProvinceProgress),
    ) -> std::io::Result<u64> {
        let start = Instant::now();
        let (nodes, ways) = (self.node_count(), self.way_count());
        let ids = write::Ids {
            positive: self.config.positive_ids,
        };
        let w = write::write(&self.fin, ids, out, &mut |w| {
            progress(&ProvinceProgress {
                phase: ProvincePhase::Write,
                nodes: w.nodes,
                ways: w.ways,
                relations: w.relations,
                elapsed: start.elapsed(),
                detail: format!(
                    "{:.0} % of the elements, {:.1} MB",
                    100.0 * (w.nodes + w.ways) as f64 / (nodes + ways).max(1) as f64,
                    w.bytes as f64 / 1e6
                ),
            })
        })?;
        Ok(w.bytes)
    }

    /// Writes the network as an OSM PBF file; returns its size in bytes.
    pub fn write_pbf(
        &self,
        path: impl AsRef<Path>,
        progress: impl FnMut(&ProvinceProgress),
    ) -> Result<u64, ProvinceError> {
        let path = path.as_ref();
        let err = |source| ProvinceError::Write {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::create(path).map_err(err)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let bytes = self.write_to(&mut out, progress).map_err(err)?;
        out.flush().map_err(err)?;
        Ok(bytes)
    }

    /// The network as PBF bytes in memory.
    pub fn pbf_bytes(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        self.write_to(&mut buf, |_| {})
            .expect("writing to memory cannot fail");
        buf
    }
}
