//! Positions through NATS JetStream, for several gateway machines: gateways publish each durable
//! batch to a file-backed work-queue stream and acknowledge terminals once JetStream has stored it;
//! a writer consumes the stream, appends to the track store and only then acknowledges the
//! message, so a writer that dies mid-batch leaves it to be redelivered (the store ignores the
//! copies it already holds).

use std::sync::Arc;
use std::time::Duration;

use async_nats::jetstream::{self, consumer::pull, stream, AckKind};
use async_trait::async_trait;
use futures::StreamExt;

use crate::sink::{Fix, PositionSink, SinkError};

/// Stream holding positions not yet stored.
pub const STREAM: &str = "WULIU_POSITIONS";
/// Subject prefix; a batch is published to `wuliu.positions.<region>`.
pub const SUBJECT_PREFIX: &str = "wuliu.positions";
/// Durable consumer shared by every writer (each message goes to one of them).
pub const CONSUMER: &str = "wuliu-track-writer";
/// Positions per JetStream message at most (keeps messages well under NATS' 1 MiB payload limit).
pub const FIXES_PER_MESSAGE: usize = 1000;

fn nats_error(e: impl std::fmt::Display) -> SinkError {
    SinkError {
        sink: "jetstream",
        message: e.to_string(),
    }
}

/// How long one attempt to connect and find or create the stream may take.
const CONNECT_ATTEMPT: Duration = Duration::from_secs(5);
/// Attempts before [`connect`] gives up.
const CONNECT_ATTEMPTS: u32 = 6;

/// Connects to NATS and makes sure the positions stream exists (file storage, work-queue
/// retention: a message is removed once a writer has acknowledged it).
///
/// Each attempt is bounded by [`CONNECT_ATTEMPT`]: a gateway and a track writer that start
/// together both create the stream, and the loser's request may hang or fail while the winner's
/// is stored. Attempts are repeated [`CONNECT_ATTEMPTS`] times, then the last error is returned
/// with the URL and the stream named, so a process never waits silently.
pub async fn connect(url: &str) -> Result<jetstream::Context, SinkError> {
    let mut last = String::new();
    for attempt in 1..=CONNECT_ATTEMPTS {
        match tokio::time::timeout(CONNECT_ATTEMPT, connect_once(url)).await {
            Ok(Ok(js)) => return Ok(js),
            Ok(Err(e)) => last = e.message,
            Err(_) => last = format!("no answer within {} s", CONNECT_ATTEMPT.as_secs()),
        }
        if attempt < CONNECT_ATTEMPTS {
            tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
        }
    }
    Err(nats_error(format!(
        "NATS at {url}: stream {STREAM} not ready after {CONNECT_ATTEMPTS} attempts: {last}"
    )))
}

async fn connect_once(url: &str) -> Result<jetstream::Context, SinkError> {
    let client = async_nats::connect(url).await.map_err(nats_error)?;
    let js = jetstream::new(client);
    js.get_or_create_stream(stream::Config {
        name: STREAM.into(),
        subjects: vec![format!("{SUBJECT_PREFIX}.>")],
        storage: stream::StorageType::File,
        retention: stream::RetentionPolicy::WorkQueue,
        ..Default::default()
    })
    .await
    .map_err(nats_error)?;
    Ok(js)
}

/// A sink that publishes to JetStream; `append` returns once JetStream acknowledged every message.
pub struct JetStreamSink {
    js: jetstream::Context,
}

impl JetStreamSink {
    /// Wraps a JetStream context from [`connect`].
    pub fn new(js: jetstream::Context) -> Self {
        Self { js }
    }
}

#[async_trait]
impl PositionSink for JetStreamSink {
    async fn append(&self, fixes: &[Fix]) -> Result<(), SinkError> {
        let mut acks = Vec::new();
        for chunk in fixes.chunks(FIXES_PER_MESSAGE) {
            let region = &chunk[0].region;
            let payload = serde_json::to_vec(chunk).map_err(nats_error)?;
            let subject = format!("{SUBJECT_PREFIX}.{region}");
            let ack = self
                .js
                .publish(subject, payload.into())
                .await
                .map_err(nats_error)?;
            acks.push(ack);
        }
        for ack in
            futures::future::join_all(acks.into_iter().map(std::future::IntoFuture::into_future))
                .await
        {
            ack.map_err(nats_error)?;
        }
        Ok(())
    }
}

/// Consumes the positions stream into `store` until `stop` resolves. Each fetched batch of
/// messages is appended in one call and then acknowledged; a message that does not parse is
/// refused loudly (terminated, and counted in the error log) rather than dropped silently.
pub async fn run_writer(
    js: jetstream::Context,
    store: Arc<dyn PositionSink>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), SinkError> {
    let consumer = writer_consumer(&js).await?;
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => return Ok(()),
            step = write_one_batch(&consumer, store.as_ref()) => step?,
        }
    }
}

async fn writer_consumer(
    js: &jetstream::Context,
) -> Result<jetstream::consumer::Consumer<pull::Config>, SinkError> {
    let stream = js.get_stream(STREAM).await.map_err(nats_error)?;
    stream
        .get_or_create_consumer(
            CONSUMER,
            pull::Config {
                durable_name: Some(CONSUMER.into()),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: Duration::from_secs(30),
                max_ack_pending: 10_000,
                ..Default::default()
            },
        )
        .await
        .map_err(nats_error)
}

async fn write_one_batch(
    consumer: &jetstream::consumer::Consumer<pull::Config>,
    store: &dyn PositionSink,
) -> Result<(), SinkError> {
    let mut batch = consumer
        .fetch()
        .max_messages(64)
        .expires(Duration::from_millis(500))
        .messages()
        .await
        .map_err(nats_error)?;
    let (mut fixes, mut messages) = (Vec::new(), Vec::new());
    while let Some(message) = batch.next().await {
        let message = message.map_err(nats_error)?;
        match serde_json::from_slice::<Vec<Fix>>(&message.payload) {
            Ok(mut parsed) => {
                fixes.append(&mut parsed);
                messages.push(message);
            }
            Err(e) => {
                tracing::error!(subject = %message.subject, error = %e, "unreadable positions message refused");
                message.ack_with(AckKind::Term).await.map_err(nats_error)?;
            }
        }
    }
    if fixes.is_empty() {
        return Ok(());
    }
    store.append(&fixes).await?;
    for message in messages {
        message.double_ack().await.map_err(nats_error)?;
    }
    Ok(())
}
