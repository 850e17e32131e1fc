//! `wuliu road close|open|changes` over the database given by `--database-url`, and `wuliu serve`'s
//! start-up load of the stored changes (then kept in sync by polling).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde_json::Value;
use wuliu_app::road_changes::{self, POLL_EVERY};
use wuliu_road::{
    zones_from_geojson, ChangeEffect, ChangeTarget, PreparedNetwork, RoadChange, VehicleClass,
};
use wuliu_server::{AppState, Caller};
use wuliu_store::Repository;

use super::RoadCommand;

/// Applies the stored road changes to the server's network (saying how many on standard error)
/// and keeps them in sync with the database every [`POLL_EVERY`]. Nothing without a network.
pub async fn start_changes(state: &AppState) -> Result<()> {
    let Some(live) = state.road_changes.clone() else {
        return Ok(());
    };
    let s = live
        .apply()
        .await
        .map_err(|e| anyhow::anyhow!("cannot apply the stored road changes: {e}"))?;
    eprintln!(
        "wuliu: {} stored road change(s) in force (revision {}): {} road edges closed, {} slowed, {} under truck bans by time, in {:.0} ms",
        s.report.changes,
        s.revision,
        s.report.edges_closed,
        s.report.edges_slowed,
        s.report.edges_banned,
        s.report.seconds * 1e3
    );
    for skip in &s.skipped {
        eprintln!(
            "wuliu: stored road change {:?} left out: {}",
            skip.id, skip.reason
        );
    }
    live.spawn_poller(POLL_EVERY);
    Ok(())
}

/// The outer ring of the first Polygon in a GeoJSON geometry, Feature or FeatureCollection.
fn polygon_ring(v: &Value) -> Option<Vec<[f64; 2]>> {
    match v["type"].as_str()? {
        "FeatureCollection" => v["features"].as_array()?.iter().find_map(polygon_ring),
        "Feature" => polygon_ring(&v["geometry"]),
        "Polygon" => v["coordinates"][0]
            .as_array()?
            .iter()
            .map(|p| Some([p[0].as_f64()?, p[1].as_f64()?]))
            .collect(),
        _ => None,
    }
}

fn read_polygon(path: &Path) -> Result<Vec<[f64; 2]>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let v: Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    polygon_ring(&v).with_context(|| {
        format!(
            "{}: no GeoJSON Polygon (a geometry, Feature or FeatureCollection with one)",
            path.display()
        )
    })
}

/// What `road close` does to its roads.
fn effect(
    slow: Option<f64>,
    ban_hours: Option<String>,
    vehicles: &[String],
) -> Result<ChangeEffect> {
    Ok(match (slow, ban_hours) {
        (Some(speed_factor), _) => ChangeEffect::Slowed { speed_factor },
        (None, Some(hours)) => ChangeEffect::Banned {
            hours,
            vehicles: if vehicles.is_empty() {
                VehicleClass::ALL.to_vec()
            } else {
                vehicles
                    .iter()
                    .map(|v| {
                        serde_json::from_value(Value::String(v.trim().to_string())).map_err(|_| {
                            anyhow::anyhow!("--vehicles: {v:?} is not light, medium or heavy")
                        })
                    })
                    .collect::<Result<_>>()?
            },
        },
        (None, None) => ChangeEffect::Closed,
    })
}

/// The change `road close` describes.
fn close_change(
    id: String,
    ways: Vec<i64>,
    polygon: Option<PathBuf>,
    edges: Vec<u32>,
    effect: ChangeEffect,
) -> Result<RoadChange> {
    let target = match (ways.is_empty(), polygon, edges.is_empty()) {
        (false, None, true) => ChangeTarget::Ways(ways),
        (true, Some(file), true) => ChangeTarget::Polygon(read_polygon(&file)?),
        (true, None, false) => ChangeTarget::Edges(edges),
        _ => bail!("give exactly one of --ways, --polygon or --edges"),
    };
    Ok(RoadChange { id, target, effect })
}

/// `road close|open|changes` on `repo`, as the CLI (an admin of `region`).
pub async fn changes(repo: Arc<dyn Repository>, region: &str, cmd: RoadCommand) -> Result<()> {
    let caller = Caller::system(region, "cli");
    let fail = |e: wuliu_app::AppError| match &e {
        wuliu_app::AppError::BadRequest { field, .. } => anyhow::anyhow!("{field}: {e}"),
        _ => anyhow::anyhow!("{e}"),
    };
    match cmd {
        RoadCommand::Close {
            id,
            ways,
            polygon,
            edges,
            slow,
            ban_hours,
            vehicles,
            network,
        } => {
            let effect = effect(slow, ban_hours, &vehicles)?;
            let change = close_change(id, ways, polygon, edges, effect)?;
            let edge_count = match network {
                Some(path) => Some(
                    PreparedNetwork::load(&path)
                        .with_context(|| format!("cannot load road network {}", path.display()))?
                        .network()
                        .edge_count(),
                ),
                None => None,
            };
            road_changes::check(&change, edge_count).map_err(fail)?;
            let stored = road_changes::store_change(repo.as_ref(), &caller, &change)
                .await
                .map_err(fail)?;
            eprintln!(
                "wuliu road: change {:?} stored (revision {}); running servers apply it within a second",
                stored.id, stored.revision
            );
        }
        RoadCommand::Open { id } => {
            let gone = road_changes::delete_change(repo.as_ref(), &caller, &id)
                .await
                .map_err(fail)?;
            eprintln!(
                "wuliu road: change {:?} lifted; running servers drop it within a second",
                gone.id
            );
        }
        RoadCommand::BanZones { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let doc: Value = serde_json::from_str(&text)
                .with_context(|| format!("{}: not JSON", file.display()))?;
            let zones =
                zones_from_geojson(&doc).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            // Every zone is checked before any is stored.
            let changes: Vec<RoadChange> = zones.into_iter().map(|z| z.into_change()).collect();
            for c in &changes {
                road_changes::check(c, None).map_err(fail)?;
            }
            for c in &changes {
                road_changes::store_change(repo.as_ref(), &caller, c)
                    .await
                    .map_err(fail)?;
            }
            eprintln!(
                "wuliu road: {} ban zone(s) from {} stored; running servers apply them within a second",
                changes.len(),
                file.display()
            );
        }
        RoadCommand::Changes => {
            let list = road_changes::list(repo.as_ref()).await.map_err(fail)?;
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
        _ => unreachable!("only the road changes use the database"),
    }
    Ok(())
}
