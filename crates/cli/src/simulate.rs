//! `wuliu simulate`: a network-freight platform's day of trips, uploaded through the API and
//! reported by JT/T 808 terminals, with labelled injected anomalies (see the `wuliu-simulate`
//! crate).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use wuliu_simulate::api::{Api, RouteAnswer};
use wuliu_simulate::chrono::{NaiveDate, Utc};
use wuliu_simulate::labels::{self, Summary};
use wuliu_simulate::runner::{self, DriveOptions, Pace, Progress};
use wuliu_simulate::{scenario, Config, Scenario};

/// How trips are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Trips of a past day, reported as fast as the gateway acknowledges (benchmarks, tests).
    Replay,
    /// Trips starting now, reported at real time divided by `--speedup` (demos).
    Live,
}

/// `wuliu simulate` options.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    /// Base URL of the platform's API.
    #[arg(long, env = "WULIU_API", default_value = "http://127.0.0.1:8080")]
    api: String,
    /// Admin API token (`wl_…`).
    #[arg(long, env = "WULIU_TOKEN")]
    token: String,
    /// JT/T 808 gateway address (`serve --jt808 …`).
    #[arg(long, default_value = "127.0.0.1:7611")]
    gateway: String,
    /// Number of trips.
    #[arg(long, default_value_t = 40)]
    trips: usize,
    /// Share of trips with an injected anomaly (0–1), one kind per anomalous trip.
    #[arg(long, default_value_t = 0.3)]
    anomaly_share: f64,
    /// Random seed of the scenario.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Write the labels (trip → waybill, vehicle, anomaly; anomaly → rule codes) to this JSON file.
    #[arg(long)]
    labels: Option<PathBuf>,
    /// Replay a past day, or drive live from now.
    #[arg(long, value_enum, default_value = "replay")]
    mode: Mode,
    /// Day to replay (Beijing date, YYYY-MM-DD); the previous day by default.
    #[arg(long)]
    day: Option<NaiveDate>,
    /// Live mode: simulated seconds per real second.
    #[arg(long, default_value_t = 60.0)]
    speedup: f64,
    /// Replay: positions per 0x0704 batch upload (1 sends one 0x0200 each; at most 25).
    #[arg(long, default_value_t = 25)]
    batch: usize,
    /// Replay: terminals reporting at once.
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    /// Run tag prefixing external IDs and document numbers; by default from the seed, day and
    /// the current time, so reruns never collide.
    #[arg(long)]
    tag: Option<String>,
}

/// The progress bars.
struct Bars {
    upload: ProgressBar,
    positions: ProgressBar,
}

impl Progress for Bars {
    fn uploaded(&self) {
        self.upload.inc(1);
    }
    fn acked(&self, n: u64) {
        self.positions.inc(n);
    }
}

fn bar(len: u64, template: &str) -> ProgressBar {
    ProgressBar::new(len).with_style(ProgressStyle::with_template(template).expect("template"))
}

/// Runs `wuliu simulate`.
pub async fn run(args: SimulateArgs) -> Result<()> {
    if !(0.0..=1.0).contains(&args.anomaly_share) {
        bail!("--anomaly-share must be between 0 and 1");
    }
    if args.speedup <= 0.0 {
        bail!("--speedup must be positive");
    }
    let api = Api::new(&args.api, &args.token);
    let fleet = api
        .fleet()
        .await
        .with_context(|| format!("cannot read the fleet from {}", args.api))?;
    let config = config(&args);
    let mut plan = scenario::plan(&fleet, &config).context("cannot plan the trips")?;
    let geometry = routes(&api, &mut plan).await?;
    eprintln!("wuliu simulate: {geometry}");
    let fresh = runner::create_fresh_records(&api, &mut plan)
        .await
        .context("cannot create the fresh vehicles and drivers")?;
    let total: usize = plan.trips.iter().map(|t| t.fixes.len()).sum();
    let bars = Arc::new(Bars {
        upload: bar(plan.trips.len() as u64, "waybills {bar:40} {pos}/{len}"),
        positions: bar(
            total as u64,
            "positions {bar:40} {pos}/{len} ({per_sec}, eta {eta})",
        ),
    });
    let live = args.mode == Mode::Live;
    runner::upload_all(&api, &mut plan, !live, 16, bars.clone())
        .await
        .context("cannot upload the waybills")?;
    bars.upload.finish();
    let closing = live.then(|| close_live_trips(&api, &plan, pace(&args, &plan)));
    let opts = DriveOptions {
        gateway: args.gateway.clone(),
        batch: args.batch,
        concurrency: args.concurrency,
        pace: live.then(|| pace(&args, &plan)),
    };
    let report = runner::drive_all(runner::terminal_jobs(&plan), &opts, bars.clone()).await;
    bars.positions.finish();
    if let Some(tasks) = closing {
        for t in tasks {
            t.await?.context("cannot close a live trip")?;
        }
    }
    let summary = Summary {
        trips: plan.trips.len(),
        fresh_records: fresh,
        terminals: report.terminals,
        positions_acked: report.positions_acked,
        anomalies: labels::anomaly_counts(&plan),
        terminal_failures: report.failures.clone(),
    };
    print_summary(&summary, total);
    if let Some(path) = &args.labels {
        let mode = if live { "live" } else { "replay" };
        let labels = labels::labels(&plan, mode, &geometry, summary);
        let json = serde_json::to_string_pretty(&labels)?;
        std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wuliu simulate: labels written to {}", path.display());
    }
    if !report.failures.is_empty() {
        bail!("{} terminal(s) failed (see above)", report.failures.len());
    }
    Ok(())
}

fn config(args: &SimulateArgs) -> Config {
    let now = Utc::now();
    let day = args.day.unwrap_or_else(|| Config::previous_day(now));
    let tag = args.tag.clone().unwrap_or_else(|| {
        format!(
            "sim{}-{}-{}",
            args.seed,
            day.format("%Y%m%d"),
            now.format("%H%M%S")
        )
    });
    match args.mode {
        Mode::Replay => Config::replay(day, args.trips, args.anomaly_share, args.seed, &tag),
        Mode::Live => Config::live(now, args.trips, args.anomaly_share, args.seed, &tag),
    }
}

fn pace(args: &SimulateArgs, plan: &Scenario) -> Pace {
    Pace {
        sim_start: plan.config.start,
        wall_start: tokio::time::Instant::now(),
        speedup: args.speedup,
    }
}

/// Asks the server's road network for every route and realises the trips; returns how routes were
/// made, for the output.
async fn routes(api: &Api, plan: &mut Scenario) -> Result<String> {
    let requests = plan.route_requests();
    let mut roads = HashMap::new();
    let mut unroutable = 0;
    let bar = bar(requests.len() as u64, "routes {bar:40} {pos}/{len}");
    for (n, r) in requests.iter().enumerate() {
        match api
            .route(&r.waypoints)
            .await
            .context("cannot ask for a route")?
        {
            RouteAnswer::Geometry(g) => {
                roads.insert(r.trip, g);
            }
            RouteAnswer::NoRoute => unroutable += 1,
            RouteAnswer::NoNetwork if n == 0 => {
                bar.finish_and_clear();
                plan.realise(&roads);
                return Ok(
                    "no road network on the server: routes follow great circles with \
                           small lateral noise"
                        .to_string(),
                );
            }
            RouteAnswer::NoNetwork => unroutable += 1,
        }
        bar.inc(1);
    }
    bar.finish();
    plan.realise(&roads);
    Ok(if unroutable == 0 {
        "routes follow the server's road network".to_string()
    } else {
        format!(
            "routes follow the server's road network; {unroutable} without a route follow great circles"
        )
    })
}

/// Live trips are closed (receipt time, signed, receipted, paid) when they arrive.
fn close_live_trips(
    api: &Api,
    plan: &Scenario,
    pace: Pace,
) -> Vec<tokio::task::JoinHandle<wuliu_simulate::Result<()>>> {
    plan.trips
        .iter()
        .filter_map(|t| Some((t.clone(), t.waybill_id.clone()?)))
        .map(|(trip, id)| {
            let api = api.clone();
            tokio::spawn(async move {
                tokio::time::sleep_until(pace.wall(trip.receipt)).await;
                runner::close_trip(&api, &trip, &id, true).await
            })
        })
        .collect()
}

fn print_summary(s: &Summary, total: usize) {
    eprintln!(
        "wuliu simulate: {} trips created ({} fresh vehicle/driver records), {} terminals, {} of {} positions acknowledged",
        s.trips, s.fresh_records, s.terminals, s.positions_acked, total
    );
    let kinds: Vec<String> = s
        .anomalies
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let clean = s.trips - s.anomalies.values().sum::<usize>();
    eprintln!(
        "wuliu simulate: anomalies: {} (clean trips: {clean})",
        if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.join(", ")
        }
    );
    for f in &s.terminal_failures {
        eprintln!("wuliu simulate: {f}");
    }
}
