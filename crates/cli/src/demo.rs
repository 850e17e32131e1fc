//! Seeds the demo data set (real plan content plus seeded generated operations) into a store.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use wuliu_app::{spec, Service};
use wuliu_store::Kind;

/// Deterministic platform ID of a demo entity.
fn demo_id(table: &str, external_id: &str) -> String {
    let kind =
        Kind::from_table(table).unwrap_or_else(|| panic!("demo data names unknown table {table}"));
    let clean: String = external_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{}{clean}", kind.id_prefix())
}

fn bodies<T: Serialize>(items: &[T]) -> Vec<serde_json::Value> {
    items
        .iter()
        .map(|i| serde_json::to_value(i).expect("model types serialise"))
        .collect()
}

/// Seeds the demo into `region` when it holds no parties yet. Returns how many records were written,
/// or `None` when the region already has data.
pub async fn seed(service: &Service, region: &str, seed: u64) -> Result<Option<usize>> {
    if service.repo.count(Kind::Party, Some(region)).await? > 0 {
        return Ok(None);
    }
    let config = wuliu_demo::DemoConfig {
        seed,
        ..Default::default()
    };
    let data = wuliu_demo::generate(&config, &demo_id);
    let sets: Vec<(Kind, Vec<serde_json::Value>)> = vec![
        (Kind::County, bodies(&data.counties)),
        (Kind::PlanTarget, bodies(&data.plan_targets)),
        (Kind::Baseline, bodies(&data.baselines)),
        (Kind::Party, bodies(&data.parties)),
        (Kind::Facility, bodies(&data.facilities)),
        (Kind::Vehicle, bodies(&data.vehicles)),
        (Kind::Driver, bodies(&data.drivers)),
        (Kind::Load, bodies(&data.loads)),
        (Kind::Waybill, bodies(&data.waybills)),
        (Kind::Payment, bodies(&data.payments)),
        (Kind::Event, bodies(&data.events)),
    ];
    let total: usize = sets.iter().map(|(_, b)| b.len()).sum();
    let bar = ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template("seeding demo {bar:40} {pos}/{len} {msg}").expect("template"),
    );
    for (kind, items) in sets {
        bar.set_message(kind.table());
        let spec = spec::by_kind(kind);
        let mut recs = Vec::with_capacity(items.len());
        for body in items {
            let ext = body["external_id"]
                .as_str()
                .context("demo entity without external_id")?
                .to_string();
            let rec = service
                .prepare(spec, body, demo_id(kind.table(), &ext), region)
                .await
                .map_err(|e| anyhow::anyhow!("demo {} '{ext}' is invalid: {e}", kind.table()))?;
            recs.push(rec);
        }
        let n = recs.len() as u64;
        service.repo.upsert_batch(kind, recs, None).await?;
        bar.inc(n);
    }
    bar.finish_with_message("done");
    let history = seed_history(service, region, &data.waybills, seed).await?;
    Ok(Some(total + history))
}

/// Three years of past waybills replayed from the demo's own (see [`wuliu_demo::history`]), so the
/// dashboard's trends, forecasts and index have history; ends today.
async fn seed_history(
    service: &Service,
    region: &str,
    templates: &[wuliu_model::Waybill],
    seed: u64,
) -> Result<usize> {
    let now = chrono::Utc::now();
    let today = (now + chrono::Duration::hours(8)).date_naive();
    let config = wuliu_demo::history::HistoryConfig {
        from: today - chrono::Duration::days(1100),
        to: today,
        per_day: 22.0,
        growth: 0.12,
        seed,
        now,
    };
    let waybills = wuliu_demo::history::replay(templates, &config);
    let bar = ProgressBar::new(waybills.len() as u64).with_style(
        ProgressStyle::with_template("seeding history {bar:40} {pos}/{len} waybills")
            .expect("template"),
    );
    let spec = spec::by_kind(Kind::Waybill);
    for chunk in waybills.chunks(2000) {
        let mut recs = Vec::with_capacity(chunk.len());
        for w in chunk {
            let body = serde_json::to_value(w).expect("model types serialise");
            let ext = w.external_id.clone().unwrap_or_default();
            let rec = service
                .prepare(spec, body, demo_id("waybills", &ext), region)
                .await
                .map_err(|e| anyhow::anyhow!("history waybill '{ext}' is invalid: {e}"))?;
            recs.push(rec);
        }
        service.repo.upsert_batch(Kind::Waybill, recs, None).await?;
        bar.inc(chunk.len() as u64);
    }
    bar.finish();
    Ok(waybills.len())
}
