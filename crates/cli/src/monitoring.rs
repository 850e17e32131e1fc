//! The monitoring transports: the JT/T 808 gateway (inside `serve` or standalone) and the
//! JetStream track writer.

use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use wuliu_app::terminals::TerminalRegistry;
use wuliu_gateway::platform::{StoreDirectory, StoreSink};
use wuliu_gateway::{jetstream, Gateway, GatewayConfig, PositionSink};
use wuliu_store::Repository;

/// Gateway options shared by `serve --jt808` and `wuliu gateway`.
#[derive(Args, Clone, Debug, Default)]
pub struct GatewayArgs {
    /// Most terminal connections held at once.
    #[arg(long, default_value_t = 120_000)]
    pub max_connections: usize,
    /// Seconds a connection may stay silent (terminals send heartbeats) before it is closed.
    #[arg(long, default_value_t = 300)]
    pub idle_timeout: u64,
    /// Seconds a new connection has to authenticate before it is closed.
    #[arg(long, default_value_t = 60)]
    pub auth_timeout: u64,
}

impl GatewayArgs {
    fn config(&self, writers: usize) -> GatewayConfig {
        GatewayConfig {
            max_connections: self.max_connections,
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout),
            auth_timeout: std::time::Duration::from_secs(self.auth_timeout),
            commit_writers: writers,
            ..Default::default()
        }
    }
}

/// Starts a gateway on `listen` in the background. Positions go to JetStream when `nats` is
/// given, otherwise straight into the store.
pub async fn start_gateway(
    repo: Arc<dyn Repository>,
    listen: &str,
    nats: Option<&str>,
    args: &GatewayArgs,
) -> Result<Arc<Gateway>> {
    let directory = Arc::new(StoreDirectory(TerminalRegistry::new(repo.clone())));
    let (sink, writers): (Arc<dyn PositionSink>, usize) = match nats {
        Some(url) => {
            let js = jetstream::connect(url)
                .await
                .with_context(|| format!("cannot reach NATS JetStream at {url}"))?;
            (Arc::new(jetstream::JetStreamSink::new(js)), 4)
        }
        None => {
            let writers = match repo.backend() {
                wuliu_store::Backend::Sqlite => 1,
                wuliu_store::Backend::Postgres => 3,
            };
            (Arc::new(StoreSink(repo.clone())), writers)
        }
    };
    let gateway = Gateway::start(args.config(writers), directory, sink);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen for JT/T 808 terminals on {listen}"))?;
    eprintln!(
        "wuliu: JT/T 808 gateway on {} (positions to {})",
        listener.local_addr()?,
        nats.map_or("the database".to_string(), |u| format!("JetStream at {u}"))
    );
    tokio::spawn(wuliu_gateway::serve(
        listener,
        gateway.clone(),
        std::future::pending(),
    ));
    export_stats(gateway.stats.clone());
    Ok(gateway)
}

/// Shows the gateway's counters on `/metrics` (as `wuliu_gateway_*`), refreshed every second.
fn export_stats(stats: Arc<wuliu_gateway::GatewayStats>) {
    use std::sync::atomic::AtomicU64;
    type Read = fn(&wuliu_gateway::GatewayStats) -> &AtomicU64;
    let fields: [(&str, &str, Read); 9] = [
        ("connections_open", "Terminal connections open now", |s| {
            &s.open
        }),
        (
            "connections_accepted_total",
            "Terminal connections accepted",
            |s| &s.accepted,
        ),
        (
            "connections_refused_total",
            "Connections refused at the connection limit",
            |s| &s.refused,
        ),
        ("frames_total", "JT/T 808 frames decoded", |s| &s.frames),
        (
            "bad_frames_total",
            "Frames refused (check code, escaping, length)",
            |s| &s.bad_frames,
        ),
        (
            "dropped_bad_total",
            "Connections dropped for bad frames",
            |s| &s.dropped_bad,
        ),
        (
            "timed_out_total",
            "Connections closed for idling or not authenticating",
            |s| &s.timed_out,
        ),
        (
            "positions_acked_total",
            "Positions stored and acknowledged",
            |s| &s.positions_acked,
        ),
        (
            "positions_refused_total",
            "Positions refused or not stored",
            |s| &s.positions_refused,
        ),
    ];
    let mut gauges = Vec::new();
    for (name, help, read) in fields {
        let gauge =
            prometheus::IntGauge::new(format!("wuliu_gateway_{name}"), help).expect("metric");
        // A second gateway in one process keeps the first one's metrics.
        if wuliu_server::ops::register(Box::new(gauge.clone())).is_ok() {
            gauges.push((gauge, read));
        }
    }
    tokio::spawn(async move {
        loop {
            for (gauge, read) in &gauges {
                gauge.set(wuliu_gateway::GatewayStats::get(read(&stats)) as i64);
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    });
}

/// Starts a JetStream writer in the background: positions published by gateways are stored.
pub async fn start_writer(repo: Arc<dyn Repository>, nats: &str) -> Result<()> {
    let js = jetstream::connect(nats)
        .await
        .with_context(|| format!("cannot reach NATS JetStream at {nats}"))?;
    eprintln!("wuliu: storing positions from JetStream at {nats}");
    tokio::spawn(async move {
        let store = Arc::new(StoreSink(repo));
        loop {
            match jetstream::run_writer(js.clone(), store.clone(), std::future::pending()).await {
                Ok(()) => return,
                Err(e) => {
                    tracing::error!(error = %e, "track writer failed; retrying in 1 s");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

/// `wuliu gateway`: a standalone gateway until SIGTERM or Ctrl-C.
pub async fn run_gateway(
    repo: Arc<dyn Repository>,
    listen: &str,
    nats: Option<&str>,
    args: &GatewayArgs,
) -> Result<()> {
    let gateway = start_gateway(repo, listen, nats, args).await?;
    crate::shutdown_signal().await;
    let stats = &gateway.stats;
    eprintln!(
        "wuliu: gateway stopped; {} positions acknowledged, every one of them durable",
        wuliu_gateway::GatewayStats::get(&stats.positions_acked)
    );
    Ok(())
}

/// `wuliu track-writer`: stores what gateways publish to JetStream, until SIGTERM or Ctrl-C.
pub async fn run_writer(repo: Arc<dyn Repository>, nats: &str) -> Result<()> {
    start_writer(repo, nats).await?;
    crate::shutdown_signal().await;
    Ok(())
}

/// `wuliu monitor …`: the rules over stored records.
#[derive(clap::Subcommand, Debug)]
pub enum MonitorCommand {
    /// Run every rule over one Beijing day of the region, raise alerts, print the summary.
    Run {
        /// The day (YYYY-MM-DD, Beijing time); today by default.
        #[arg(long)]
        day: Option<chrono::NaiveDate>,
        /// Print the whole report as JSON instead of the summary.
        #[arg(long)]
        json: bool,
    },
    /// The provinces' onboarding check for a carrier: 10 consecutive days, at least 5 waybills a
    /// day, abnormal rate under 1 %.
    Onboarding {
        /// The carrier (party ID).
        #[arg(long)]
        carrier: String,
        /// Last day of the window (YYYY-MM-DD); today by default.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Days looked at.
        #[arg(long, default_value_t = 10)]
        days: i64,
    },
}

fn today() -> chrono::NaiveDate {
    wuliu_monitor::time::beijing_date(chrono::Utc::now())
}

/// Runs a `wuliu monitor` command as the platform itself (an admin of the region).
pub async fn monitor(
    service: &wuliu_app::Service,
    region: &str,
    command: MonitorCommand,
) -> Result<()> {
    let caller = wuliu_app::Caller::system(region, "cli");
    let costs: Arc<dyn wuliu_model::TravelCosts> = Arc::new(wuliu_model::StraightLine::default());
    match command {
        MonitorCommand::Run { day, json } => {
            let day = day.unwrap_or_else(today);
            eprintln!("wuliu: checking the waybills despatched on {day} (Beijing time)…");
            let run = wuliu_app::monitoring::run_day(service, costs, &caller, day)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&run)?);
                return Ok(());
            }
            print_run(&run);
            Ok(())
        }
        MonitorCommand::Onboarding { carrier, to, days } => {
            let to = to.unwrap_or_else(today);
            let report =
                wuliu_app::monitoring::onboarding(service, costs, &caller, &carrier, to, days)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            if report.passed {
                Ok(())
            } else {
                anyhow::bail!("carrier {carrier} does not pass the onboarding check")
            }
        }
    }
}

fn print_run(run: &wuliu_app::monitoring::DayRun) {
    let r = &run.report;
    println!(
        "{}: {} waybills, {} positions, {} alerts raised ({})",
        run.day, r.waybills_checked, r.positions, run.alerts_raised, r.costs
    );
    for (rule, n) in r.rule_counts.iter().filter(|(_, n)| **n > 0) {
        println!("  {rule:<24} {n}");
    }
    for d in &r.carrier_days {
        println!(
            "  carrier {} {}: {} waybills, {} abnormal ({:.1} %)",
            d.carrier_id,
            d.date,
            d.waybills,
            d.abnormal,
            d.abnormal_rate * 100.0
        );
    }
}

/// Runs the rules over today and yesterday every `every` (alerts appear without anyone asking),
/// the indicator warnings over yesterday (the last complete day) at most hourly, and drops positions
/// older than `retention_days` once a day.
pub fn start_monitor(
    service: wuliu_app::Service,
    costs: Arc<dyn wuliu_model::TravelCosts>,
    region: String,
    every: std::time::Duration,
    retention_days: Option<i64>,
) {
    tokio::spawn(async move {
        let caller = wuliu_app::Caller::system(&region, "monitor");
        let mut tick = tokio::time::interval(every);
        let mut last_warnings: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            if last_warnings.is_none_or(|t| t.elapsed() >= std::time::Duration::from_secs(3600)) {
                last_warnings = Some(std::time::Instant::now());
                let day = today() - chrono::Duration::days(1);
                match wuliu_app::risk::run(&service, &caller, day).await {
                    Ok(r) if r["raised"].as_u64() > Some(0) => {
                        tracing::info!(%day, warnings = %r["raised"], "indicator warnings raised")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(%day, error = %e, "indicator warnings failed"),
                }
            }
            for day in [today() - chrono::Duration::days(1), today()] {
                match wuliu_app::monitoring::run_day(&service, costs.clone(), &caller, day).await {
                    Ok(run) if run.alerts_raised > 0 => {
                        tracing::info!(%day, alerts = run.alerts_raised, "monitoring raised alerts")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(%day, error = %e, "monitoring run failed"),
                }
            }
            if let Some(days) = retention_days {
                let cutoff = chrono::Utc::now().date_naive() - chrono::Duration::days(days);
                match service.repo.drop_positions_before(cutoff).await {
                    Ok(n) if n > 0 => tracing::info!(%cutoff, dropped = n, "old positions dropped"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "position retention failed"),
                }
            }
        }
    });
}
