//! Group commit: positions from many connections are gathered while the sink is busy and made
//! durable together, then every waiting connection is answered.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::sink::{Fix, PositionSink, SinkError};

struct Pending {
    fixes: Vec<Fix>,
    done: oneshot::Sender<Result<(), SinkError>>,
}

/// A handle to the group-commit task; clone it into every connection.
#[derive(Clone)]
pub struct GroupCommitter {
    tx: mpsc::Sender<Pending>,
}

impl GroupCommitter {
    /// Starts `writers` commit tasks over `sink`. Each takes what is waiting (up to `max_batch`
    /// positions) and appends it in one call, so batches grow with the load. `linger` is how long a
    /// writer waits for more after the first request when the queue is short (zero: never waits).
    pub fn start(
        sink: Arc<dyn PositionSink>,
        writers: usize,
        max_batch: usize,
        linger: Duration,
    ) -> (Self, Vec<JoinHandle<()>>) {
        let (tx, rx) = mpsc::channel::<Pending>(max_batch.max(1) * 4);
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        let tasks = (0..writers.max(1))
            .map(|_| {
                let (sink, rx) = (sink.clone(), rx.clone());
                tokio::spawn(async move { writer_loop(sink, rx, max_batch.max(1), linger).await })
            })
            .collect();
        (Self { tx }, tasks)
    }

    /// Makes `fixes` durable together with whatever other connections are committing now.
    /// Returns once they are durable, or the sink's error.
    pub async fn commit(&self, fixes: Vec<Fix>) -> Result<(), SinkError> {
        let (done, wait) = oneshot::channel();
        let closed = || SinkError {
            sink: "commit",
            message: "the commit task has stopped".into(),
        };
        self.tx
            .send(Pending { fixes, done })
            .await
            .map_err(|_| closed())?;
        wait.await.map_err(|_| closed())?
    }
}

async fn writer_loop(
    sink: Arc<dyn PositionSink>,
    rx: Arc<tokio::sync::Mutex<mpsc::Receiver<Pending>>>,
    max_batch: usize,
    linger: Duration,
) {
    loop {
        let group = {
            let mut rx = rx.lock().await;
            match gather(&mut rx, max_batch, linger).await {
                Some(group) => group,
                None => return,
            }
        };
        let fixes: Vec<Fix> = group.iter().flat_map(|p| p.fixes.iter().cloned()).collect();
        let outcome = sink.append(&fixes).await;
        for pending in group {
            let _ = pending.done.send(outcome.clone());
        }
    }
}

/// Waits for one request, then takes everything queued up to `max_batch` positions.
async fn gather(
    rx: &mut mpsc::Receiver<Pending>,
    max_batch: usize,
    linger: Duration,
) -> Option<Vec<Pending>> {
    let first = rx.recv().await?;
    let mut size = first.fixes.len();
    let mut group = vec![first];
    let deadline = tokio::time::Instant::now() + linger;
    while size < max_batch {
        let next = match rx.try_recv() {
            Ok(p) => p,
            Err(_) if linger.is_zero() => break,
            Err(_) => match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(p)) => p,
                _ => break,
            },
        };
        size += next.fixes.len();
        group.push(next);
    }
    Some(group)
}
