//! `wuliu road prepare|route|table|synth`: import an OSM extract and query it from the command line;
//! generate the synthetic Liuzhou network (or, with `--province`, a synthetic province) as a PBF file.
//! `wuliu road close|open|changes`: the live road changes stored in the database (see
//! [`changes`]).

#[path = "road_changes.rs"]
mod live;
pub use live::{changes, start_changes};

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use wuliu_road::osrm::{self, RouteOptions, TableOptions};
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, Vehicle};

/// Road subcommands.
#[derive(Subcommand)]
pub enum RoadCommand {
    /// Import an OSM PBF extract and build the routing hierarchy; writes one file.
    Prepare {
        /// The `.osm.pbf` extract.
        pbf: PathBuf,
        /// `car` or `truck`.
        #[arg(long, default_value = "truck")]
        profile: String,
        /// Truck class the hierarchy is built for (roads whose limits it exceeds are left out):
        /// gross weight in tonnes.
        #[arg(long)]
        weight_t: Option<f64>,
        /// Truck height in metres.
        #[arg(long)]
        height_m: Option<f64>,
        /// Output file.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Write the synthetic road network of Liuzhou (the demo's; synthetic, NOT real roads) as an
    /// OSM PBF file, e.g. for `wuliu road prepare` or benchmarks; with `--province`, a synthetic
    /// Guangxi-sized province instead (cities, towns, villages, expressways, rural roads).
    Synth {
        /// Seed: the same seed always gives the same file.
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        /// Distance between parallel streets at the city centre, metres (smaller: denser).
        #[arg(long, default_value_t = 280.0, conflicts_with = "province")]
        core_spacing_m: f64,
        /// Generate a whole synthetic province, sized by `--nodes`, to benchmark road engines.
        #[arg(long)]
        province: bool,
        /// With `--province`: OSM nodes to generate, shape nodes included (100000 to 3000000;
        /// default 1000000).
        #[arg(long, requires = "province")]
        nodes: Option<u64>,
        /// With `--province`: number the OSM objects 1, 2, 3, … instead of -1, -2, … (OSRM
        /// refuses negative node IDs).
        #[arg(long, requires = "province")]
        positive_ids: bool,
        /// Output `.osm.pbf` file.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Route through `lon,lat;lon,lat;…` (OSRM `route/v1` JSON on standard output).
    Route {
        /// Prepared network file.
        #[arg(long)]
        network: PathBuf,
        /// Coordinates, OSRM style.
        coordinates: String,
        /// Include turn-by-turn steps.
        #[arg(long)]
        steps: bool,
    },
    /// Close (or, with `--slow`, slow) roads on every server using the database: stored, audited,
    /// and in force on running servers within a second (they poll the database).
    Close {
        /// The change's ID (setting an existing ID replaces that change).
        #[arg(long)]
        id: String,
        /// OSM way IDs, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            allow_hyphen_values = true,
            group = "target"
        )]
        ways: Vec<i64>,
        /// A GeoJSON file with a Polygon (geometry, Feature or FeatureCollection): every road
        /// with a point inside it or crossing it.
        #[arg(long, group = "target")]
        polygon: Option<PathBuf>,
        /// Road-edge indices of the prepared network (as `nearest` and `match` report them),
        /// comma-separated.
        #[arg(long, value_delimiter = ',', group = "target")]
        edges: Vec<u32>,
        /// Slow the roads instead: multiply their speed by FACTOR (0 < FACTOR ≤ 1).
        #[arg(long, value_name = "FACTOR", conflicts_with = "ban_hours")]
        slow: Option<f64>,
        /// Ban trucks instead, during HOURS only (`opening_hours` syntax, local time), e.g.
        /// "Mo-Fr 07:00-09:00,17:00-19:30" (货车限行): routes and matrices with a departure honour it.
        #[arg(long, value_name = "HOURS")]
        ban_hours: Option<String>,
        /// With --ban-hours: the classes banned, comma-separated (light, medium, heavy; default all).
        #[arg(long, value_delimiter = ',', requires = "ban_hours")]
        vehicles: Vec<String>,
        /// Prepared network to check edge indices against before storing.
        #[arg(long)]
        network: Option<PathBuf>,
    },
    /// Store a city's truck-ban zones from a GeoJSON FeatureCollection (properties `id`,
    /// `hours`, `vehicles`, `name`; Polygon or MultiPolygon geometry), one road change per zone.
    BanZones {
        /// The GeoJSON file.
        file: PathBuf,
    },
    /// Lift a road change (by ID) on every server using the database.
    Open {
        /// The change's ID.
        #[arg(long)]
        id: String,
    },
    /// List the stored road changes (JSON on standard output).
    Changes,
    /// Duration and distance matrix between `lon,lat;…` (OSRM `table/v1` JSON).
    Table {
        /// Prepared network file.
        #[arg(long)]
        network: PathBuf,
        /// Coordinates, OSRM style.
        coordinates: String,
    },
}

fn load(path: &PathBuf) -> Result<PreparedNetwork> {
    let t = Instant::now();
    let net = PreparedNetwork::load(path)
        .with_context(|| format!("cannot load road network {}", path.display()))?;
    eprintln!(
        "wuliu road: loaded {} in {:.0} ms",
        net.label(),
        t.elapsed().as_secs_f64() * 1e3
    );
    Ok(net)
}

/// `road synth --province`: generates and writes the province, one progress line per phase.
fn synth_province(seed: u64, nodes: u64, positive_ids: bool, out: &PathBuf) -> Result<()> {
    let t = Instant::now();
    let config = wuliu_synthroad::ProvinceConfig {
        positive_ids,
        ..wuliu_synthroad::ProvinceConfig::new(seed, nodes)
    };
    let progress = |p: &wuliu_synthroad::ProvinceProgress| eprintln!("wuliu road synth: {p}");
    let net = wuliu_synthroad::ProvinceNetwork::generate(&config, progress)?;
    let bytes = net.write_pbf(out, progress)?;
    eprintln!(
        "wuliu road: wrote {} ({bytes} bytes): {} nodes, {} ways, {} relations, in {:.2} s; synthetic province, not real roads",
        out.display(),
        net.node_count(),
        net.way_count(),
        net.relation_count(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

impl RoadCommand {
    /// Whether the subcommand reads or writes the database (the live road changes).
    pub fn uses_database(&self) -> bool {
        matches!(
            self,
            RoadCommand::Close { .. }
                | RoadCommand::Open { .. }
                | RoadCommand::Changes
                | RoadCommand::BanZones { .. }
        )
    }
}

/// Runs a road subcommand that needs no database.
pub fn run(cmd: RoadCommand) -> Result<()> {
    match cmd {
        RoadCommand::Prepare {
            pbf,
            profile,
            weight_t,
            height_m,
            out,
        } => {
            let profile = Profile::parse(&profile)
                .with_context(|| format!("--profile '{profile}' is not car or truck"))?;
            let size = std::fs::metadata(&pbf)
                .with_context(|| format!("cannot read {}", pbf.display()))?
                .len();
            let bar = ProgressBar::new(size).with_style(
                ProgressStyle::with_template(
                    "importing {msg} {bar:40} {bytes}/{total_bytes} ({eta})",
                )
                .expect("template"),
            );
            let t = Instant::now();
            let net = RoadNetwork::import_pbf(&pbf, profile, |p| {
                bar.set_message(format!("{:?}", p.phase));
                bar.set_length(p.bytes_total.max(1));
                bar.set_position(p.bytes_done);
            })
            .with_context(|| format!("{}", pbf.display()))?;
            bar.finish_and_clear();
            eprintln!(
                "wuliu road: imported {} nodes, {} edges in {:.1} s",
                net.node_count(),
                net.edge_count(),
                t.elapsed().as_secs_f64()
            );
            let vehicle = match (profile, weight_t, height_m) {
                (Profile::Car, None, None) => None,
                (Profile::Car, _, _) => {
                    bail!("--weight-t and --height-m apply to the truck profile")
                }
                (Profile::Truck, w, h) => {
                    let mut v = Vehicle::heavy_truck();
                    if let Some(w) = w {
                        v.gross_weight = wuliu_model::Kg(w * 1000.0);
                    }
                    if let Some(h) = h {
                        v.height = wuliu_model::Meters(h);
                    }
                    Some(v)
                }
            };
            let t = Instant::now();
            let spinner =
                ProgressBar::new_spinner().with_message("building the contraction hierarchy");
            spinner.enable_steady_tick(std::time::Duration::from_millis(200));
            let prepared = PreparedNetwork::prepare(net, vehicle);
            spinner.finish_and_clear();
            eprintln!(
                "wuliu road: prepared {} in {:.1} s",
                prepared.label(),
                t.elapsed().as_secs_f64()
            );
            prepared
                .save(&out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            eprintln!("wuliu road: wrote {}", out.display());
            Ok(())
        }
        RoadCommand::Synth {
            seed,
            province: true,
            nodes,
            positive_ids,
            out,
            ..
        } => synth_province(seed, nodes.unwrap_or(1_000_000), positive_ids, &out),
        RoadCommand::Synth {
            seed,
            core_spacing_m,
            out,
            ..
        } => {
            if !(core_spacing_m.is_finite() && (50.0..=5_000.0).contains(&core_spacing_m)) {
                bail!("--core-spacing-m must be between 50 and 5000");
            }
            let t = Instant::now();
            let net = wuliu_synthroad::SynthNetwork::generate(&wuliu_synthroad::SynthConfig {
                seed,
                core_spacing_m,
            });
            let bytes = net.write_pbf(&out)?;
            eprintln!(
                "wuliu road: wrote {} ({bytes} bytes): {} nodes, {} ways, {:.0} km, {} bridges, {} interchanges, in {:.2} s; synthetic, not real roads",
                out.display(),
                net.nodes.len(),
                net.ways.len(),
                net.length_km(),
                net.bridges,
                net.interchanges,
                t.elapsed().as_secs_f64()
            );
            Ok(())
        }
        RoadCommand::Route {
            network,
            coordinates,
            steps,
        } => {
            let net = load(&network)?;
            let res = osrm::route(
                &net,
                &coordinates,
                &RouteOptions {
                    steps,
                    ..Default::default()
                },
            );
            println!("{}", serde_json::to_string_pretty(&res)?);
            if res.http_status() != 200 {
                bail!("route failed: {}", res.message.unwrap_or(res.code));
            }
            Ok(())
        }
        RoadCommand::Table {
            network,
            coordinates,
        } => {
            let net = load(&network)?;
            let opts = TableOptions {
                annotations: Some("duration,distance".into()),
                ..Default::default()
            };
            let res = osrm::table(&net, &coordinates, &opts);
            println!("{}", serde_json::to_string_pretty(&res)?);
            if res.http_status() != 200 {
                bail!("table failed: {}", res.message.unwrap_or(res.code));
            }
            Ok(())
        }
        RoadCommand::Close { .. }
        | RoadCommand::Open { .. }
        | RoadCommand::Changes
        | RoadCommand::BanZones { .. } => {
            unreachable!("road changes are run with the database (see `changes`)")
        }
    }
}
