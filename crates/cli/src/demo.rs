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

/// How much past history `seed` replays from the demo's waybills (see [`wuliu_demo::history`]).
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Days of history ending today (Beijing calendar), replayed from the demo's waybills.
    #[arg(long = "history-days", default_value_t = 1100)]
    pub days: i64,
    /// Mean waybills per working day at the first day of history (weekends, the Spring Festival
    /// and growth vary it).
    #[arg(
        long = "history-per-day",
        default_value_t = 22.0,
        conflicts_with = "total"
    )]
    pub per_day: f64,
    /// About this many history waybills in all instead of `--history-per-day` (e.g. 1000000 with
    /// `--history-days 365` for the dashboard benchmark): the per-day mean is derived from it.
    #[arg(long = "history-total")]
    pub total: Option<u64>,
    /// Growth of the volume per year (0.12 = 12 %).
    #[arg(long = "history-growth", default_value_t = 0.12)]
    pub growth: f64,
    /// Waybills written per transaction.
    #[arg(long = "history-batch", default_value_t = 2000)]
    pub batch: usize,
}

impl Default for HistoryArgs {
    fn default() -> Self {
        HistoryArgs {
            days: 1100,
            per_day: 22.0,
            total: None,
            growth: 0.12,
            batch: 2000,
        }
    }
}

/// Seeds the demo into `region` when it holds no parties yet. Returns how many records were written,
/// or `None` when the region already has data.
pub async fn seed(
    service: &Service,
    region: &str,
    seed: u64,
    history: &HistoryArgs,
) -> Result<Option<usize>> {
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
    let party = |ext: &str| demo_id("parties", ext);
    let emergency = crate::demo_emergency::seed(service, region, party)
        .await
        .context("demo emergency reserves")?;
    let gov = crate::demo_gov::seed(service, region).await?;
    let history = seed_history(service, region, &data.waybills, seed, history).await?;
    Ok(Some(total + emergency + gov + history))
}

/// Past waybills replayed from the demo's own (see [`wuliu_demo::history`]), three years of them by
/// default, so the dashboard's trends, forecasts and index have history; ends today. Written through
/// the store's normal path ([`Service::prepare`], then [`wuliu_store::Repository::upsert_batch`] per
/// `batch`), so the indicator facts and rollups are maintained as for any other waybill.
async fn seed_history(
    service: &Service,
    region: &str,
    templates: &[wuliu_model::Waybill],
    seed: u64,
    args: &HistoryArgs,
) -> Result<usize> {
    if args.days <= 0 {
        return Ok(0);
    }
    let now = chrono::Utc::now();
    let today = (now + chrono::Duration::hours(8)).date_naive();
    let from = today - chrono::Duration::days(args.days - 1);
    let per_day = match args.total {
        Some(total) => wuliu_demo::history::per_day_for(total, from, today, args.growth),
        None => args.per_day,
    };
    let config = wuliu_demo::history::HistoryConfig {
        from,
        to: today,
        per_day,
        growth: args.growth,
        seed,
        now,
    };
    // The count first (cheap: same generator), so the bar has a length.
    let expected: usize = wuliu_demo::history::replay_days(templates, &config)
        .map(|d| d.len())
        .sum();
    let bar = ProgressBar::new(expected as u64).with_style(
        ProgressStyle::with_template(
            "seeding history {bar:40} {pos}/{len} waybills ({per_sec}, eta {eta}) {msg}",
        )
        .expect("template"),
    );
    let started = std::time::Instant::now();
    let spec = spec::by_kind(Kind::Waybill);
    let batch = args.batch.max(1);
    let mut pending: Vec<wuliu_model::Waybill> = Vec::with_capacity(batch);
    let mut written = 0usize;
    let mut days = wuliu_demo::history::replay_days(templates, &config).peekable();
    while let Some(day) = days.next() {
        if let Some(w) = day.first() {
            bar.set_message(
                w.external_id
                    .clone()
                    .unwrap_or_default()
                    .get(5..15)
                    .unwrap_or("")
                    .to_string(),
            );
        }
        pending.extend(day);
        while pending.len() >= batch || (days.peek().is_none() && !pending.is_empty()) {
            let take = pending.len().min(batch);
            let chunk: Vec<_> = pending.drain(..take).collect();
            let mut recs = Vec::with_capacity(chunk.len());
            for w in &chunk {
                let body = serde_json::to_value(w).expect("model types serialise");
                let ext = w.external_id.clone().unwrap_or_default();
                let rec = service
                    .prepare(spec, body, demo_id("waybills", &ext), region)
                    .await
                    .map_err(|e| anyhow::anyhow!("history waybill '{ext}' is invalid: {e}"))?;
                recs.push(rec);
            }
            service.repo.upsert_batch(Kind::Waybill, recs, None).await?;
            written += chunk.len();
            bar.inc(chunk.len() as u64);
        }
    }
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "wuliu: {written} history waybills over {} days ({from} to {today}) in {secs:.0} s ({:.0} waybills/s)",
        args.days,
        written as f64 / secs.max(1e-9)
    );
    Ok(written)
}
