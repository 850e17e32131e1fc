//! Road-change storage on SQLite and, when `WULIU_TEST_DATABASE_URL` is set, on PostgreSQL: every
//! write bumps the store-wide revision and is audited in its own transaction; deleting a change
//! that is not there writes nothing; concurrent writers each get their own revision.

use serde_json::json;
use wuliu_store::{AuditEntry, AuditQuery, Repository, RoadChangeStore, SqlStore};

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}{nanos}")
}

fn entry(action: &str, id: &str) -> AuditEntry {
    AuditEntry {
        seq: 0,
        at: "2026-12-04T12:00:00Z".into(),
        region: "450200".into(),
        actor: "test".into(),
        role: "admin".into(),
        party_id: None,
        address: None,
        request_id: None,
        action: action.into(),
        kind: Some("road_changes".into()),
        record_id: Some(id.into()),
        version: None,
        diff: json!({}),
    }
}

async fn body(store: std::sync::Arc<SqlStore>, backend: &str) {
    let id = unique("store-rc-");
    let change = json!({"id": id, "target": {"ways": [7]}, "effect": {"kind": "closed"}});
    let r0 = store.road_change_revision().await.unwrap();
    let put = store
        .put_road_change(&id, &change, "cli", entry("road_change.put", &id))
        .await
        .unwrap();
    assert!(put.revision > r0, "{backend}");
    let (rev, rows) = store.road_changes().await.unwrap();
    assert!(rev >= put.revision, "{backend}");
    let row = rows.iter().find(|r| r.id == id).expect("stored");
    assert_eq!(row.change, change, "{backend}");
    assert_eq!(row.set_by, "cli", "{backend}");

    // Replacing keeps one row and bumps the revision.
    let slowed = json!({"id": id, "target": {"ways": [7]}, "effect": {"kind": "slowed", "speed_factor": 0.5}});
    let again = store
        .put_road_change(&id, &slowed, "user:li", entry("road_change.put", &id))
        .await
        .unwrap();
    assert!(again.revision > put.revision, "{backend}");
    let (_, rows) = store.road_changes().await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.id == id).count(), 1, "{backend}");

    // Concurrent writers of different IDs: both stored, distinct revisions.
    let (a, b) = (unique("store-rc-a-"), unique("store-rc-b-"));
    let (ra, rb) = tokio::join!(
        store.put_road_change(&a, &change, "t", entry("road_change.put", &a)),
        store.put_road_change(&b, &change, "t", entry("road_change.put", &b))
    );
    assert_ne!(ra.unwrap().revision, rb.unwrap().revision, "{backend}");

    // Deleting: the row goes, the revision moves; deleting again writes nothing.
    for x in [&id, &a, &b] {
        let gone = store
            .delete_road_change(x, entry("road_change.delete", x))
            .await
            .unwrap();
        assert_eq!(gone.map(|g| g.id).as_ref(), Some(x), "{backend}");
    }
    let r1 = store.road_change_revision().await.unwrap();
    let none = store
        .delete_road_change(&id, entry("road_change.delete", &id))
        .await
        .unwrap();
    assert!(none.is_none(), "{backend}");
    assert_eq!(store.road_change_revision().await.unwrap(), r1, "{backend}");
    let q = AuditQuery {
        record_id: Some(id.clone()),
        limit: 100,
        ..Default::default()
    };
    let actions: Vec<String> = store
        .audit(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["road_change.put", "road_change.put", "road_change.delete"],
        "{backend}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn road_change_writes_bump_the_revision_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("rc.db").display());
    body(
        std::sync::Arc::new(SqlStore::open(&url).await.unwrap()),
        "sqlite",
    )
    .await;
    match std::env::var("WULIU_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let pg = SqlStore::open(&url).await.unwrap();
            body(std::sync::Arc::new(pg), "postgres").await;
        }
        _ => eprintln!("postgres: SKIPPED (set WULIU_TEST_DATABASE_URL)"),
    }
}
