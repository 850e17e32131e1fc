//! Shared set-up of the application-layer tests: the stores to run on, and unique codes.
#![allow(dead_code)]

pub mod emergency;

use std::sync::Arc;

use wuliu_store::{Repository, SqlStore};

/// A store as the tests hold it.
pub type Repo = Arc<dyn Repository>;

/// The stores to run on: a fresh SQLite file, and PostgreSQL when `WULIU_TEST_DATABASE_URL` names
/// one. The temporary directory keeps the SQLite file alive.
pub async fn stores() -> Vec<(&'static str, Repo, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("app.db").display());
    let mut out: Vec<(&'static str, Repo, Option<tempfile::TempDir>)> = vec![(
        "sqlite",
        Arc::new(SqlStore::open(&url).await.unwrap()),
        Some(dir),
    )];
    if let Ok(pg) = std::env::var("WULIU_TEST_DATABASE_URL") {
        out.push((
            "postgres",
            Arc::new(SqlStore::open(&pg).await.unwrap()),
            None,
        ));
    }
    out
}

/// A code no other test run uses: `prefix`, the clock's nanoseconds and a counter.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}{nanos:09}-{}", N.fetch_add(1, Ordering::Relaxed))
}
