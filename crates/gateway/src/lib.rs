//! Wuliu's JT/T 808 gateway: trucks' GNSS terminals connect over TCP, register and authenticate,
//! and report positions; the gateway acknowledges each position only once it is durable.
//!
//! - [`serve`] accepts connections up to [`GatewayConfig::max_connections`]; each is served by
//!   [`session::serve_connection`]: frames are decoded with `wuliu-jt808`, bad frames are counted
//!   and a connection that keeps sending them is dropped, idle or unauthenticated connections time
//!   out, slow readers are cut off.
//! - Registration binds a terminal to a vehicle by plate and colour through a
//!   [`TerminalDirectory`] (the platform's store, shared by all gateways).
//! - Positions go through a [`GroupCommitter`] to a [`PositionSink`]: the track store directly
//!   ([`platform::StoreSink`]), or NATS JetStream ([`jetstream::JetStreamSink`]) when several
//!   gateways feed one platform and [`jetstream::run_writer`] stores them.
//!
//! ```no_run
//! # async fn run(directory: std::sync::Arc<dyn wuliu_gateway::TerminalDirectory>,
//! #              sink: std::sync::Arc<dyn wuliu_gateway::PositionSink>) -> std::io::Result<()> {
//! use wuliu_gateway::{serve, Gateway, GatewayConfig};
//!
//! let gateway = Gateway::start(GatewayConfig::default(), directory, sink);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:7611").await?;
//! serve(listener, gateway, std::future::pending()).await;
//! # Ok(()) }
//! ```
#![warn(missing_docs)]
pub mod commit;
pub mod config;
pub mod convert;
pub mod directory;
pub mod jetstream;
pub mod platform;
pub mod session;
pub mod sink;
pub mod stats;
pub mod terminal;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use commit::GroupCommitter;
pub use config::GatewayConfig;
pub use directory::{Binding, DirectoryError, RegisterOutcome, Registration, TerminalDirectory};
pub use sink::{Fix, PositionSink, SinkError};
pub use stats::GatewayStats;

/// A running gateway's shared parts.
pub struct Gateway {
    /// Limits and timings.
    pub config: GatewayConfig,
    /// Terminal bindings.
    pub directory: Arc<dyn TerminalDirectory>,
    /// Group commit of positions.
    pub committer: GroupCommitter,
    /// Counters.
    pub stats: Arc<GatewayStats>,
}

impl Gateway {
    /// Starts the commit tasks over `sink` (needs a Tokio runtime).
    pub fn start(
        config: GatewayConfig,
        directory: Arc<dyn TerminalDirectory>,
        sink: Arc<dyn PositionSink>,
    ) -> Arc<Gateway> {
        let (committer, _tasks) = GroupCommitter::start(
            sink,
            config.commit_writers,
            config.commit_batch,
            config.commit_linger,
        );
        Arc::new(Gateway {
            config,
            directory,
            committer,
            stats: Arc::new(GatewayStats::default()),
        })
    }
}

/// Accepts terminals on `listener` until `shutdown` resolves. A connection beyond
/// `max_connections` is closed at once and counted as refused.
pub async fn serve(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(gateway.config.max_connections));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _peer)) = accepted else {
            // Out of file descriptors or similar: back off briefly instead of spinning.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            continue;
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            GatewayStats::add(&gateway.stats.refused, 1);
            drop(stream);
            continue;
        };
        let gw = gateway.clone();
        tokio::spawn(async move {
            GatewayStats::add(&gw.stats.accepted, 1);
            GatewayStats::add(&gw.stats.open, 1);
            let ended = session::serve_connection(gw.clone(), stream).await;
            if ended == session::Ended::TimedOut {
                GatewayStats::add(&gw.stats.timed_out, 1);
            }
            gw.stats
                .open
                .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            drop(permit);
        });
    }
}
