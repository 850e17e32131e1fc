//! `jetstream::connect` gives up with a clear error instead of waiting without end.

use std::time::{Duration, Instant};

use wuliu_gateway::jetstream;

#[tokio::test]
async fn connect_to_nothing_names_the_url_and_the_stream_and_returns() {
    // Port 9 (discard) has no NATS server on a test machine: every attempt fails.
    let url = "nats://127.0.0.1:9";
    let started = Instant::now();
    let err = jetstream::connect(url)
        .await
        .expect_err("nothing listens there");
    assert!(err.message.contains(url), "{}", err.message);
    assert!(err.message.contains(jetstream::STREAM), "{}", err.message);
    assert!(err.message.contains("6 attempts"), "{}", err.message);
    assert!(started.elapsed() < Duration::from_secs(60));
}
