//! Where acknowledged positions go: a [`PositionSink`] makes a batch durable before it returns.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use wuliu_model::Position;

/// One position with the tenant (region) of the vehicle it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// The vehicle's region (GB/T 2260 code).
    pub region: String,
    /// The position.
    pub position: Position,
}

/// Why a batch could not be made durable. Nothing in the batch may be acknowledged.
#[derive(Debug, Clone, thiserror::Error)]
#[error("position sink {sink}: {message}")]
pub struct SinkError {
    /// Which sink failed (`store`, `jetstream`).
    pub sink: &'static str,
    /// What went wrong.
    pub message: String,
}

/// Durable storage for positions. `append` returns `Ok` only once every fix of the batch would
/// survive a crash of this process; a fix stored twice (the same vehicle and time) counts once.
#[async_trait]
pub trait PositionSink: Send + Sync + 'static {
    /// Makes the whole batch durable, or fails for the whole batch.
    async fn append(&self, fixes: &[Fix]) -> Result<(), SinkError>;
}
