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
}

impl GatewayArgs {
    fn config(&self, writers: usize) -> GatewayConfig {
        GatewayConfig {
            max_connections: self.max_connections,
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout),
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
    Ok(gateway)
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
