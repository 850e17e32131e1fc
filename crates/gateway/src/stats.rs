//! Counters a gateway keeps, read by `/metrics` and the benchmarks.

use std::sync::atomic::{AtomicU64, Ordering};

/// Monotonic counters and one gauge (`open`), updated without locks.
#[derive(Debug, Default)]
pub struct GatewayStats {
    /// Connections open now.
    pub open: AtomicU64,
    /// Connections accepted since start.
    pub accepted: AtomicU64,
    /// Connections refused because `max_connections` were open.
    pub refused: AtomicU64,
    /// Frames decoded.
    pub frames: AtomicU64,
    /// Frames refused (check code, escaping, length, oversize, unknown layout).
    pub bad_frames: AtomicU64,
    /// Connections dropped for sending too many bad frames.
    pub dropped_bad: AtomicU64,
    /// Connections closed for idling or not authenticating in time.
    pub timed_out: AtomicU64,
    /// Positions made durable and acknowledged.
    pub positions_acked: AtomicU64,
    /// Positions refused (not authenticated, out of range) or not stored (sink failure).
    pub positions_refused: AtomicU64,
}

impl GatewayStats {
    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// Reads a counter.
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}
