//! Limits and timings of a gateway.

use std::time::Duration;

/// How a gateway bounds its work. Defaults suit a 2-core machine holding 100,000 terminals.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Connections held at once; one more is closed on accept.
    pub max_connections: usize,
    /// Largest escaped frame accepted, in bytes (a JT/T 808 body is at most 1,023 bytes).
    pub max_frame_bytes: usize,
    /// A connection that sends nothing for this long is closed (terminals send heartbeats).
    pub idle_timeout: Duration,
    /// A connection must authenticate within this long of being accepted (heartbeats do not
    /// extend it).
    pub auth_timeout: Duration,
    /// A reply that cannot be written within this long closes the connection (slow reader).
    pub write_timeout: Duration,
    /// Bad frames (bad check code, escaping, length) after which a connection is dropped.
    pub max_bad_frames: u32,
    /// Positions gathered into one durable append at most.
    pub commit_batch: usize,
    /// How long a commit waits for more positions after the first when the queue is short.
    pub commit_linger: Duration,
    /// Commit tasks appending in parallel (1 for SQLite, a few for PostgreSQL or JetStream).
    pub commit_writers: usize,
    /// Sub-packaged messages being reassembled per connection at most.
    pub max_pending_subpackages: usize,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            max_connections: 120_000,
            max_frame_bytes: 4096,
            idle_timeout: Duration::from_secs(300),
            auth_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(10),
            max_bad_frames: 16,
            commit_batch: 4000,
            commit_linger: Duration::from_millis(2),
            commit_writers: 1,
            max_pending_subpackages: 4,
        }
    }
}
