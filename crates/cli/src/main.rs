//! `wuliu`: the platform's single binary.

mod accounts;
mod demo;
mod demo_emergency;
mod demo_gov;
mod demo_ledger;
mod demo_road;
mod engines;
mod gov;
mod monitoring;
mod simulate;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use wuliu_app::service::{parse_csv, parse_json_rows, record_json, records_csv, IMPORT_CHUNK};
use wuliu_server::{app, spec, AppState, Caller, Service};
use wuliu_store::{Repository, SqlStore};

/// Default embedded database.
const DEFAULT_DB: &str = "sqlite:./wuliu.db";
/// Where `serve --demo` accepts JT/T 808 terminals unless `--jt808` says otherwise.
const DEMO_JT808: &str = "127.0.0.1:7611";
/// Liuzhou's GB/T 2260 code, the default region.
const DEFAULT_REGION: &str = "450200";

#[derive(Parser)]
#[command(
    name = "wuliu",
    version,
    about = "Wuliu logistics public information platform"
)]
struct Cli {
    /// Database: `sqlite:PATH` (embedded default) or `postgres://user@host/db`.
    #[arg(long, global = true, env = "WULIU_DATABASE_URL", default_value = DEFAULT_DB)]
    database_url: String,
    /// Region (GB/T 2260 code) that writes and new tokens belong to.
    #[arg(long, global = true, default_value = DEFAULT_REGION)]
    region: String,
    /// Log lines as `json` (one object per line, with request IDs) or `text`; by default JSON
    /// when standard error is not a terminal.
    #[arg(long, global = true, env = "WULIU_LOG_FORMAT")]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

/// How log lines are written.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Text,
}

/// Sets up logging to standard error.
fn init_logs(format: Option<LogFormat>) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let json = format.map_or(!std::io::stderr().is_terminal(), |f| f == LogFormat::Json);
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        logs.json().flatten_event(true).init();
    } else {
        logs.init();
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Seed the demo data into an empty database, and create the demo users (and an admin
        /// token) once, printing their passwords when they are created.
        #[arg(long)]
        demo: bool,
        /// Mark session cookies `Secure` even on plain-HTTP requests (set it behind a TLS proxy
        /// that sends no `X-Forwarded-Proto`); requests that came over HTTPS get it anyway.
        #[arg(long, env = "WULIU_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Traceability ledger directory (created if missing).
        #[arg(long, default_value = "wuliu-ledger")]
        ledger_dir: PathBuf,
        /// Prepared road network (`wuliu road prepare`) for routing and the engines' travel costs;
        /// without it, engines use labelled straight-line estimates (with `--demo`: a synthetic
        /// network of Liuzhou, generated on first start and cached beside the database).
        #[arg(long, env = "WULIU_ROAD")]
        road: Option<PathBuf>,
        /// An origin whose web pages may call the API from a browser (CORS), e.g.
        /// `https://console.example.cn`; repeat for several. None by default: same origin only.
        #[arg(long, env = "WULIU_CORS_ORIGINS", value_delimiter = ',')]
        cors_origin: Vec<String>,
        /// Also accept JT/T 808 terminals on this address (e.g. `127.0.0.1:7611`; with `--demo`,
        /// 127.0.0.1:7611 unless given).
        #[arg(long, env = "WULIU_JT808")]
        jt808: Option<String>,
        /// NATS URL: store the positions that standalone gateways publish to JetStream.
        #[arg(long, env = "WULIU_NATS")]
        nats: Option<String>,
        #[command(flatten)]
        gateway: monitoring::GatewayArgs,
        /// Minutes between runs of the monitoring rules over today and yesterday (0: never).
        #[arg(long, default_value_t = 10)]
        monitor_every: u64,
        /// Days of vehicle positions kept; older days are dropped (PostgreSQL drops whole day
        /// partitions). Kept forever when absent.
        #[arg(long, env = "WULIU_TRACK_RETENTION_DAYS")]
        track_retention_days: Option<i64>,
    },
    /// Network-freight monitoring: run the rules over a day, or the onboarding check.
    Monitor {
        #[command(subcommand)]
        command: monitoring::MonitorCommand,
    },
    /// A standalone JT/T 808 gateway (for scale-out): terminals' positions go to NATS JetStream
    /// (`--nats`), or straight into the database without it.
    Gateway {
        /// Address terminals connect to.
        #[arg(long, default_value = "127.0.0.1:7611")]
        listen: String,
        /// NATS URL, e.g. `nats://127.0.0.1:4222`.
        #[arg(long, env = "WULIU_NATS")]
        nats: Option<String>,
        #[command(flatten)]
        gateway: monitoring::GatewayArgs,
    },
    /// Store the positions gateways publish to NATS JetStream (run one or more).
    TrackWriter {
        /// NATS URL.
        #[arg(long, env = "WULIU_NATS", default_value = "nats://127.0.0.1:4222")]
        nats: String,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Bulk-import a CSV or JSON file into a collection (idempotent by external_id).
    Import {
        /// Collection, e.g. `vehicles`.
        collection: String,
        /// The file.
        file: PathBuf,
        /// File format; by default from the extension.
        #[arg(long)]
        format: Option<Format>,
    },
    /// Export a collection as CSV or JSON.
    Export {
        /// Collection, e.g. `waybills`.
        collection: String,
        /// Output format.
        #[arg(long, default_value = "json")]
        format: Format,
        /// Output file; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Manage API tokens: create, list, revoke.
    Token {
        #[command(subcommand)]
        command: accounts::TokenCommand,
    },
    /// Manage users who log in with a password: create, password, disable, enable, list.
    User {
        #[command(subcommand)]
        command: accounts::UserCommand,
    },
    /// Vehicle routing with time windows.
    Dispatch {
        #[command(subcommand)]
        command: engines::dispatch::DispatchCommand,
    },
    /// Government desks: load the gazette's task tables, print the appeal desk's reports and
    /// the task tracker's summaries.
    Gov {
        #[command(subcommand)]
        command: gov::GovCommand,
    },
    /// Emergency logistics: drills.
    Emergency {
        #[command(subcommand)]
        command: engines::emergency::EmergencyCommand,
    },
    /// Cold-chain traceability ledger.
    Ledger {
        #[command(subcommand)]
        command: engines::ledger::LedgerCommand,
    },
    /// Road routing on OpenStreetMap data.
    Road {
        #[command(subcommand)]
        command: engines::road::RoadCommand,
    },
    /// Batch vehicle–cargo matching of a JSON request.
    Match(engines::matching::MatchArgs),
    /// Simulate a network-freight day: trips uploaded through the API, JT/T 808 terminals
    /// reporting them, labelled injected anomalies.
    Simulate(simulate::SimulateArgs),
    /// Container and truck loading.
    Load {
        #[command(subcommand)]
        command: engines::load::LoadCommand,
    },
    /// Seed the demo data without serving; `--history-*` sizes the replayed past (e.g.
    /// `--history-days 365 --history-total 1000000` for the dashboard benchmark).
    Demo {
        /// Random seed of the generated part.
        #[arg(long, default_value_t = 2025)]
        seed: u64,
        #[command(flatten)]
        history: demo::HistoryArgs,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Csv,
    Json,
}

fn admin(region: &str) -> Caller {
    Caller::system(region, "cli")
}

async fn import(
    service: &Service,
    region: &str,
    collection: &str,
    file: &PathBuf,
    format: Option<Format>,
) -> Result<()> {
    let spec =
        spec::by_collection(collection).with_context(|| format!("no collection '{collection}'"))?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let csv = match format {
        Some(f) => f == Format::Csv,
        None => file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv")),
    };
    let rows = if csv {
        parse_csv(spec, &bytes)
    } else {
        std::str::from_utf8(&bytes)
            .map_err(|e| wuliu_app::AppError::bad("json.encoding", "body", e.to_string()))
            .and_then(parse_json_rows)
    }
    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let bar = ProgressBar::new(rows.len() as u64).with_style(
        ProgressStyle::with_template("importing {bar:40} {pos}/{len} rows ({per_sec}, eta {eta})")
            .expect("template"),
    );
    let caller = admin(region);
    let mut total = wuliu_app::ImportReport::default();
    for chunk in rows.chunks(IMPORT_CHUNK) {
        let report = service
            .import(&caller, spec, chunk.to_vec(), region)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        bar.inc(chunk.len() as u64);
        for row in report.rows.iter().filter(|r| r.outcome == "rejected") {
            for e in &row.errors {
                let place = match row.line {
                    Some(l) => format!("line {l}"),
                    None => format!("row {}", row.row),
                };
                // Printed whether or not the bar is drawn (it is hidden when stderr is no terminal).
                bar.suspend(|| {
                    eprintln!(
                        "{}:{place}: {}: {} ({})",
                        file.display(),
                        e.field,
                        e.message,
                        e.code
                    )
                });
            }
        }
        total.merge(report);
    }
    bar.finish();
    eprintln!(
        "{}: {} rows: {} created, {} updated, {} unchanged, {} rejected",
        file.display(),
        total.total,
        total.created,
        total.updated,
        total.unchanged,
        total.rejected
    );
    if total.rejected > 0 {
        bail!(
            "{} of {} rows were rejected (see above); the others are stored",
            total.rejected,
            total.total
        );
    }
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish the requests in flight, then exit.
pub(crate) async fn shutdown_signal() {
    let terminate = async {
        #[cfg(unix)]
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
            return;
        }
        std::future::pending::<()>().await
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    eprintln!("wuliu: shutting down: finishing the requests in flight");
}

async fn serve(state: AppState, listen: &str) -> Result<()> {
    let repo = state.repo.clone();
    let resumed = wuliu_server::engines::dispatch::resume_queued(&state)
        .await
        .map_err(|e| anyhow::anyhow!("cannot resume queued dispatch plans: {e}"))?;
    if resumed > 0 {
        eprintln!("wuliu: resumed {resumed} dispatch plan(s) left queued by the last run");
    }
    let router = app(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    eprintln!(
        "wuliu: serving on http://{} ({} database); API docs at /openapi.json",
        listener.local_addr()?,
        repo.backend().name()
    );
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    eprintln!("wuliu: stopped; every acknowledged write is stored");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    init_logs(cli.log_format);
    if !wuliu_model::DivisionCode(cli.region.clone()).is_well_formed() {
        bail!(
            "--region '{}' is not a six-digit GB/T 2260 code",
            cli.region
        );
    }
    // Engine commands work on files and need no database.
    let command = match cli.command {
        Command::Load { command } => return engines::load::run(command),
        Command::Dispatch { command } => return engines::dispatch::run(command),
        Command::Emergency { command } => return engines::emergency::run(command),
        Command::Ledger { command } => return engines::ledger::run(command),
        Command::Road { command } if !command.uses_database() => {
            return engines::road::run(command)
        }
        Command::Match(args) => return engines::matching::run(args),
        Command::Simulate(args) => return simulate::run(args).await,
        other => other,
    };
    let store = SqlStore::open(&cli.database_url)
        .await
        .with_context(|| format!("cannot open database {}", cli.database_url))?;
    let repo: Arc<dyn Repository> = Arc::new(store);
    let service = Service::new(repo.clone());
    match command {
        Command::Serve {
            listen,
            demo,
            secure_cookies,
            ledger_dir,
            road,
            cors_origin,
            jt808,
            nats,
            gateway,
            monitor_every,
            track_retention_days,
        } => {
            if demo {
                match demo::seed(&service, &cli.region, 2025, &demo::HistoryArgs::default()).await?
                {
                    Some(n) => {
                        eprintln!("wuliu: seeded {n} demo records into region {}", cli.region)
                    }
                    None => eprintln!(
                        "wuliu: region {} already has data; demo not seeded",
                        cli.region
                    ),
                }
                accounts::demo_users(repo.clone(), &cli.region, &listen).await?;
            }
            let ledger = wuliu_ledger::Ledger::open(&ledger_dir)
                .with_context(|| format!("cannot open ledger {}", ledger_dir.display()))?;
            if let Some(torn) = &ledger.open_report().torn_tail {
                eprintln!("wuliu: ledger {}: {torn:?}", ledger_dir.display());
            }
            if demo {
                let n = demo_ledger::seed(&ledger)?;
                if n > 0 {
                    eprintln!(
                        "wuliu: recorded {n} demo cold-chain lots in the ledger (open /#/lot)"
                    );
                }
            }
            let policy = wuliu_app::accounts::Policy {
                secure_cookies,
                region: cli.region.clone(),
                ..Default::default()
            };
            let mut state = AppState::new(repo.clone())
                .with_account_policy(policy)
                .with_ledger(Arc::new(ledger))
                .with_cors(cors_origin);
            if let Some(path) = road {
                let net = wuliu_road::PreparedNetwork::load(&path)
                    .with_context(|| format!("cannot load road network {}", path.display()))?;
                eprintln!("wuliu: routing on {}", net.label());
                state = state.with_road(Arc::new(net));
            } else if demo {
                // The demo routes on a generated network (synthetic, not real roads), cached beside
                // its database.
                let path = demo_road::cache_path(&cli.database_url, demo_road::DEMO_ROAD_SEED);
                let (net, _) = tokio::task::spawn_blocking(move || {
                    demo_road::load_or_build(&path, demo_road::DEMO_ROAD_SEED)
                })
                .await??;
                eprintln!("wuliu: routing on {} (synthetic demo network)", net.label());
                state = state.with_road(Arc::new(net));
                demo_road::seed_ban_zone(repo.as_ref(), &cli.region).await?;
            }
            engines::road::start_changes(&state).await?;
            if let Some(addr) = &jt808 {
                monitoring::start_gateway(repo.clone(), addr, None, &gateway).await?;
            } else if demo {
                // The demo speaks JT/T 808 on the usual local port, when that port is free.
                if let Err(e) =
                    monitoring::start_gateway(repo.clone(), DEMO_JT808, None, &gateway).await
                {
                    eprintln!("wuliu: no JT/T 808 gateway for the demo: {e:#}");
                }
            }
            if let Some(url) = &nats {
                monitoring::start_writer(repo.clone(), url).await?;
            }
            if monitor_every > 0 {
                monitoring::start_monitor(
                    state.service.clone(),
                    state.travel.clone(),
                    cli.region.clone(),
                    std::time::Duration::from_secs(monitor_every * 60),
                    track_retention_days,
                );
            }
            serve(state, &listen).await
        }
        Command::Gateway {
            listen,
            nats,
            gateway,
        } => monitoring::run_gateway(repo, &listen, nats.as_deref(), &gateway).await,
        Command::TrackWriter { nats } => monitoring::run_writer(repo, &nats).await,
        Command::Monitor { command } => monitoring::monitor(&service, &cli.region, command).await,
        Command::Migrate => {
            // Opening the store applied every pending migration.
            eprintln!(
                "wuliu: {} database is migrated to the latest schema",
                repo.backend().name()
            );
            Ok(())
        }
        Command::Import {
            collection,
            file,
            format,
        } => import(&service, &cli.region, &collection, &file, format).await,
        Command::Export {
            collection,
            format,
            output,
        } => {
            let spec = spec::by_collection(&collection)
                .with_context(|| format!("no collection '{collection}'"))?;
            let records = service
                .export(&admin(&cli.region), spec, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let text = match format {
                Format::Csv => records_csv(&records),
                Format::Json => serde_json::to_string_pretty(
                    &records.iter().map(record_json).collect::<Vec<_>>(),
                )?,
            };
            match output {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => {
                    use std::io::Write;
                    // A reader that stops early (`| head`) is not an error.
                    match std::io::stdout().lock().write_all(text.as_bytes()) {
                        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                        other => other.context("cannot write to standard output")?,
                    }
                }
            }
            eprintln!("wuliu: exported {} {collection}", records.len());
            Ok(())
        }
        Command::Token { command } => accounts::token(repo, &cli.region, command).await,
        Command::Road { command } => engines::road::changes(repo, &cli.region, command).await,
        Command::User { command } => accounts::user(repo, &cli.region, command).await,
        Command::Gov { command } => gov::run(repo, &cli.region, command).await,
        Command::Load { .. }
        | Command::Dispatch { .. }
        | Command::Emergency { .. }
        | Command::Ledger { .. }
        | Command::Match(_)
        | Command::Simulate(_) => {
            unreachable!("handled before the database is opened")
        }
        Command::Demo { seed, history } => {
            match demo::seed(&service, &cli.region, seed, &history).await? {
                Some(n) => eprintln!("wuliu: seeded {n} demo records into region {}", cli.region),
                None => eprintln!(
                    "wuliu: region {} already has data; demo not seeded",
                    cli.region
                ),
            }
            Ok(())
        }
    }
}
