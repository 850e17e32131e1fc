//! The demo's road network: `serve --demo` without `--road` generates Liuzhou's synthetic network
//! (`wuliu-synthroad`; synthetic, not real roads), prepares it for heavy trucks and caches the prepared
//! file next to the demo database, so later starts only load it.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use wuliu_road::{PreparedNetwork, Profile, RoadNetwork, Vehicle};
use wuliu_synthroad::{SynthConfig, SynthNetwork, GENERATOR_VERSION};

/// Seed of the demo's network (the demo data's seed).
pub const DEMO_ROAD_SEED: u64 = 2025;

/// Where the prepared network is cached for `database_url`: beside an SQLite file, else in the
/// current directory. The name carries the seed and the generator's version, so a changed generator
/// never reuses a stale file.
pub fn cache_path(database_url: &str, seed: u64) -> PathBuf {
    let name = format!("synthroad-{seed}-v{GENERATOR_VERSION}.road");
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|p| p.split('?').next().unwrap_or(p))
        .filter(|p| !p.is_empty() && !p.starts_with(":memory:"));
    match file {
        Some(db) => {
            let db = Path::new(db);
            let stem = db.file_stem().and_then(|s| s.to_str()).unwrap_or("wuliu");
            db.with_file_name(format!("{stem}.{name}"))
        }
        None => PathBuf::from(format!("wuliu-demo.{name}")),
    }
}

/// Generates, imports and prepares the network for `seed` (heavy-truck class), showing progress.
pub fn build(seed: u64) -> Result<PreparedNetwork> {
    let spinner = ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    let t = Instant::now();
    spinner.set_message(format!(
        "generating Liuzhou's synthetic road network (seed {seed})"
    ));
    let net = SynthNetwork::generate(&SynthConfig {
        seed,
        ..Default::default()
    });
    let dir = tempfile_dir()?;
    let pbf = dir.join(format!("synthroad-{seed}.osm.pbf"));
    net.write_pbf(&pbf)?;
    spinner.set_message("importing it like an OSM extract");
    let road = RoadNetwork::import_pbf(&pbf, Profile::Truck, |_| {})
        .with_context(|| format!("cannot import {}", pbf.display()))?;
    let _ = std::fs::remove_dir_all(&dir);
    spinner.set_message(format!(
        "building the contraction hierarchy ({} intersections, {} road edges)",
        road.node_count(),
        road.edge_count()
    ));
    let prepared = PreparedNetwork::prepare(road, Some(Vehicle::heavy_truck()));
    spinner.finish_and_clear();
    eprintln!(
        "wuliu: generated and prepared the synthetic road network ({} nodes, {} ways, {:.0} km) in {:.1} s",
        net.nodes.len(),
        net.ways.len(),
        net.length_km(),
        t.elapsed().as_secs_f64()
    );
    Ok(prepared)
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("wuliu-synthroad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The demo's prepared network: loaded from the cache at `path`, or built and written there (via a
/// temporary file and a rename, so a crash never leaves a half-written cache). Returns the network
/// and whether it came from the cache.
pub fn load_or_build(path: &Path, seed: u64) -> Result<(PreparedNetwork, bool)> {
    if path.exists() {
        let t = Instant::now();
        match PreparedNetwork::load(path) {
            Ok(net) => {
                eprintln!(
                    "wuliu: loaded the demo's synthetic road network from {} in {:.0} ms",
                    path.display(),
                    t.elapsed().as_secs_f64() * 1e3
                );
                return Ok((net, true));
            }
            Err(e) => eprintln!("wuliu: rebuilding {}: {e}", path.display()),
        }
    }
    let net = build(seed)?;
    let tmp = path.with_extension("road.partial");
    net.save(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "wuliu: cached the demo's road network at {}",
        path.display()
    );
    Ok((net, false))
}

/// The demo's example truck-ban zone (an example, not Liuzhou's actual rule): heavy and medium
/// trucks may not enter the city centre in the morning and evening peaks.
pub fn demo_ban_zone() -> wuliu_road::RoadChange {
    wuliu_road::BanZone {
        id: "demo-centre-truck-ban".into(),
        name: "示例：城中区高峰货车限行".into(),
        hours: "Mo-Su 07:00-09:00,17:00-19:30".into(),
        vehicles: vec![
            wuliu_road::VehicleClass::Medium,
            wuliu_road::VehicleClass::Heavy,
        ],
        polygon: vec![
            [109.395, 24.305],
            [109.435, 24.305],
            [109.435, 24.335],
            [109.395, 24.335],
        ],
    }
    .into_change()
}

/// Stores [`demo_ban_zone`] (as the demo, audited) when no road change was ever stored, so the
/// demo shows truck bans by time from its first start and an operator's removal sticks.
pub async fn seed_ban_zone(repo: &dyn wuliu_store::Repository, region: &str) -> Result<()> {
    use wuliu_app::road_changes;
    let list = road_changes::list(repo)
        .await
        .map_err(|e| anyhow::anyhow!("cannot list road changes: {e}"))?;
    if list.revision > 0 {
        return Ok(());
    }
    let caller = wuliu_server::Caller::system(region, "demo");
    road_changes::store_change(repo, &caller, &demo_ban_zone())
        .await
        .map_err(|e| anyhow::anyhow!("cannot store the demo's ban zone: {e}"))?;
    eprintln!("wuliu: demo truck-ban zone stored (city centre, peaks, medium and heavy trucks)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_sits_beside_the_sqlite_database() {
        let p = cache_path("sqlite:/tmp/x/demo.db", 7);
        assert_eq!(
            p,
            PathBuf::from(format!("/tmp/x/demo.synthroad-7-v{GENERATOR_VERSION}.road"))
        );
        let p = cache_path("sqlite://./wuliu.db?mode=rwc", 1);
        assert!(p.starts_with("./"));
        let p = cache_path("postgres://postgres@127.0.0.1/x", 1);
        assert!(p.to_string_lossy().starts_with("wuliu-demo.synthroad-1"));
    }

    #[test]
    fn first_start_builds_and_caches_later_starts_load_the_cache() {
        let dir = std::env::temp_dir().join(format!("wuliu-demo-road-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = cache_path(&format!("sqlite:{}/demo.db", dir.display()), 2025);
        let _ = std::fs::remove_file(&path);
        let (built, cached) = load_or_build(&path, 2025).unwrap();
        assert!(!cached);
        assert!(path.exists());
        let stamp = std::fs::metadata(&path).unwrap().modified().unwrap();
        let (loaded, cached) = load_or_build(&path, 2025).unwrap();
        assert!(cached, "the second start reuses the file");
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), stamp);
        assert_eq!(built.sizes(), loaded.sizes());
        assert!(loaded.network().is_synthetic());
        // The demo's ban zone covers part of the centre: a heavy truck crossing it in the
        // morning peak is slower than at noon.
        let report = loaded.set_changes(vec![demo_ban_zone()]).unwrap();
        assert!(report.edges_banned > 50, "{report:?}");
        let across = |at: &str| {
            let req = wuliu_road::RouteRequest {
                points: vec![
                    wuliu_model::GeoPoint {
                        lat: 24.32,
                        lon: 109.38,
                    },
                    wuliu_model::GeoPoint {
                        lat: 24.32,
                        lon: 109.45,
                    },
                ],
                steps: false,
                vehicle: None,
                departure: Some(at.parse().unwrap()),
            };
            loaded.route(&req).unwrap().unwrap().duration_s
        };
        assert!(across("2026-12-07T08:00:00+08:00") > across("2026-12-07T12:00:00+08:00") + 30.0);
        // A corrupt cache is rebuilt, not fatal.
        std::fs::write(&path, b"not a network").unwrap();
        let (_, cached) = load_or_build(&path, 2025).unwrap();
        assert!(!cached);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
