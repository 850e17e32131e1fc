//! Every storage test runs on SQLite and, when `WULIU_TEST_DATABASE_URL` is set, on PostgreSQL.
//! Tests use a fresh random region each, so they can share one PostgreSQL database.

use serde_json::json;
use wuliu_store::{
    Field, FieldType, Filter, Kind, ListQuery, Literal, NewRecord, Op, Repository, SqlStore,
    StoreError, StoredToken, UpsertOutcome,
};

fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{prefix}{t}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn rec(region: &str, ext: &str, owner: &str, load: f64) -> NewRecord {
    NewRecord {
        id: unique("veh_"),
        region: region.into(),
        external_id: Some(ext.into()),
        owner_party: Some(owner.into()),
        partner_party: None,
        status: Some("available".into()),
        body: json!({"plate": format!("桂B{ext}"), "rated_load": load, "nested": {"kind": "box"}}),
    }
}

/// The query for a region's records whose `field` lies in `[from, to)`.
fn half_open(region: &str, field: Field, from: Literal, to: Literal) -> ListQuery {
    ListQuery {
        region: Some(region.into()),
        filters: vec![
            Filter {
                field: field.clone(),
                op: Op::Gte,
                value: from,
            },
            Filter {
                field,
                op: Op::Lt,
                value: to,
            },
        ],
        ..Default::default()
    }
}

/// Runs `body` against each configured backend.
async fn on_each_backend<F, Fut>(body: F)
where
    F: Fn(SqlStore, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let sqlite = SqlStore::open(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    body(sqlite, unique("R")).await;
    match std::env::var("WULIU_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let pg = SqlStore::open(&url)
                .await
                .expect("WULIU_TEST_DATABASE_URL is set but PostgreSQL cannot be opened");
            eprintln!("postgres: running against {url}");
            body(pg, unique("R")).await;
        }
        _ => eprintln!(
            "postgres: SKIPPED (set WULIU_TEST_DATABASE_URL to run storage tests on PostgreSQL)"
        ),
    }
}

#[tokio::test]
async fn insert_get_and_duplicate_external_id() {
    on_each_backend(|s, region| async move {
        let r = rec(&region, "001", "pty_a", 1000.0);
        let stored = s.insert(Kind::Vehicle, r.clone()).await.unwrap();
        assert_eq!(stored.version, 1);
        assert_eq!(stored.body["nested"]["kind"], "box");
        let got = s.get(Kind::Vehicle, &r.id).await.unwrap().unwrap();
        assert_eq!(got, stored);
        let dup = NewRecord {
            id: unique("veh_"),
            ..r.clone()
        };
        match s.insert(Kind::Vehicle, dup).await {
            Err(StoreError::Conflict {
                field: "external_id",
                value,
            }) => assert_eq!(value, "001"),
            other => panic!("expected conflict, got {other:?}"),
        }
        // The same external ID in another region is a different record.
        let other_region = NewRecord {
            id: unique("veh_"),
            region: format!("{region}x"),
            ..r.clone()
        };
        s.insert(Kind::Vehicle, other_region).await.unwrap();
        assert!(s.get(Kind::Vehicle, "veh_missing").await.unwrap().is_none());
        let by_ext = s
            .get_by_external_id(Kind::Vehicle, &region, "001")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_ext.id, r.id);
    })
    .await;
}

#[tokio::test]
async fn replace_bumps_version_and_missing_is_not_found() {
    on_each_backend(|s, region| async move {
        let r = rec(&region, "002", "pty_a", 1000.0);
        s.insert(Kind::Vehicle, r.clone()).await.unwrap();
        let mut changed = r.clone();
        changed.body["rated_load"] = json!(2000.0);
        changed.status = Some("busy".into());
        let after = s.replace(Kind::Vehicle, changed).await.unwrap();
        assert_eq!(after.version, 2);
        assert_eq!(after.status.as_deref(), Some("busy"));
        assert_eq!(after.body["rated_load"], 2000.0);
        let ghost = NewRecord {
            id: "veh_ghost".into(),
            ..r
        };
        assert!(matches!(
            s.replace(Kind::Vehicle, ghost).await,
            Err(StoreError::NotFound { .. })
        ));
    })
    .await;
}

#[tokio::test]
async fn list_filters_sorts_and_paginates_without_gaps() {
    on_each_backend(|s, region| async move {
        for i in 0..25 {
            let owner = if i % 2 == 0 { "pty_even" } else { "pty_odd" };
            s.insert(
                Kind::Vehicle,
                rec(&region, &format!("{i:03}"), owner, (i % 7) as f64 * 1000.0),
            )
            .await
            .unwrap();
        }
        // Walk all pages sorted by a JSON number field, descending.
        let mut q = ListQuery {
            region: Some(region.clone()),
            sort: Field::Json(vec!["rated_load"], FieldType::Number),
            descending: true,
            limit: 4,
            ..Default::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = s.list(Kind::Vehicle, &q).await.unwrap();
            seen.extend(
                page.records
                    .iter()
                    .map(|r| (r.body["rated_load"].as_f64().unwrap(), r.id.clone())),
            );
            match page.next {
                Some(c) => q.after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len(), 25, "every row exactly once");
        let mut ids: Vec<_> = seen.iter().map(|x| x.1.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 25);
        assert!(
            seen.windows(2).all(|w| w[0].0 >= w[1].0),
            "sorted descending"
        );

        // Party visibility and filters.
        let q = ListQuery {
            region: Some(region.clone()),
            party: Some("pty_even".into()),
            filters: vec![Filter {
                field: Field::Json(vec!["rated_load"], FieldType::Number),
                op: Op::Gte,
                value: Literal::Number(3000.0),
            }],
            limit: 100,
            ..Default::default()
        };
        let page = s.list(Kind::Vehicle, &q).await.unwrap();
        let expected = (0..25).filter(|i| i % 2 == 0 && (i % 7) >= 3).count();
        assert_eq!(page.records.len(), expected);
        assert!(page
            .records
            .iter()
            .all(|r| r.owner_party.as_deref() == Some("pty_even")));
        let q = ListQuery {
            region: Some(region.clone()),
            filters: vec![Filter {
                field: Field::Json(vec!["nested", "kind"], FieldType::Text),
                op: Op::Eq,
                value: Literal::Text("box".into()),
            }],
            ..Default::default()
        };
        assert_eq!(s.list(Kind::Vehicle, &q).await.unwrap().records.len(), 25);
        assert_eq!(s.count(Kind::Vehicle, Some(&region)).await.unwrap(), 25);
    })
    .await;
}

#[tokio::test]
async fn lt_with_gte_selects_a_half_open_range() {
    on_each_backend(|s, region| async move {
        for i in 0..14 {
            s.insert(
                Kind::Vehicle,
                rec(
                    &region,
                    &format!("{i:03}"),
                    "pty_1",
                    (i % 7) as f64 * 1000.0,
                ),
            )
            .await
            .unwrap();
        }
        let range = |field, from, to| half_open(&region, field, from, to);
        // Numbers: [2000, 5000) holds 2000, 3000 and 4000 (twice each), not 5000.
        let q = range(
            Field::Json(vec!["rated_load"], FieldType::Number),
            Literal::Number(2000.0),
            Literal::Number(5000.0),
        );
        let mut loads: Vec<f64> = s
            .list(Kind::Vehicle, &q)
            .await
            .unwrap()
            .records
            .iter()
            .map(|r| r.body["rated_load"].as_f64().unwrap())
            .collect();
        loads.sort_by(f64::total_cmp);
        assert_eq!(loads, [2000.0, 2000.0, 3000.0, 3000.0, 4000.0, 4000.0]);
        // Text, compared bytewise: ["桂B005", "桂B010") holds 005 to 009; a bound that is a prefix
        // sorts before the longer texts that start with it.
        let q = range(
            Field::Json(vec!["plate"], FieldType::Text),
            Literal::Text("桂B005".into()),
            Literal::Text("桂B01".into()),
        );
        let mut plates: Vec<String> = s
            .list(Kind::Vehicle, &q)
            .await
            .unwrap()
            .records
            .iter()
            .map(|r| r.body["plate"].as_str().unwrap().to_string())
            .collect();
        plates.sort();
        assert_eq!(plates, ["桂B005", "桂B006", "桂B007", "桂B008", "桂B009"]);
    })
    .await;
}

#[tokio::test]
async fn upsert_batch_is_idempotent_and_respects_ownership() {
    on_each_backend(|s, region| async move {
        let batch: Vec<_> = (0..5)
            .map(|i| rec(&region, &format!("B{i}"), "pty_a", 100.0 * i as f64))
            .collect();
        let first = s
            .upsert_batch(Kind::Vehicle, batch.clone(), Some("pty_a"))
            .await
            .unwrap();
        assert!(first
            .iter()
            .all(|o| matches!(o, UpsertOutcome::Created { .. })));
        // Same content again, with fresh IDs as a re-import would generate: nothing changes.
        let again: Vec<_> = batch
            .iter()
            .map(|r| NewRecord {
                id: unique("veh_"),
                ..r.clone()
            })
            .collect();
        let second = s
            .upsert_batch(Kind::Vehicle, again.clone(), Some("pty_a"))
            .await
            .unwrap();
        assert!(second
            .iter()
            .all(|o| matches!(o, UpsertOutcome::Unchanged { .. })));
        assert_eq!(s.count(Kind::Vehicle, Some(&region)).await.unwrap(), 5);
        // One changed row is updated in place.
        let mut third = again.clone();
        third[2].body["rated_load"] = json!(9999.0);
        let out = s
            .upsert_batch(Kind::Vehicle, third, Some("pty_a"))
            .await
            .unwrap();
        assert!(matches!(&out[2], UpsertOutcome::Updated { id } if *id == batch[2].id));
        // Another party cannot overwrite pty_a's rows.
        let hostile = vec![NewRecord {
            owner_party: Some("pty_b".into()),
            ..again[0].clone()
        }];
        let out = s
            .upsert_batch(Kind::Vehicle, hostile, Some("pty_b"))
            .await
            .unwrap();
        assert!(matches!(out[0], UpsertOutcome::Forbidden { .. }));
        let kept = s.get(Kind::Vehicle, &batch[0].id).await.unwrap().unwrap();
        assert_eq!(kept.owner_party.as_deref(), Some("pty_a"));
    })
    .await;
}

#[tokio::test]
async fn tokens_round_trip() {
    on_each_backend(|s, region| async move {
        let t = StoredToken {
            token_hash: unique("h"),
            name: "ops".into(),
            role: "carrier".into(),
            party_id: Some("pty_a".into()),
            region,
            created_at: "2026-01-01T00:00:00Z".into(),
            id: unique("tok_"),
            expires_at: Some("2026-04-01T00:00:00Z".into()),
            revoked_at: None,
            last_used_at: None,
            created_by: Some("cli".into()),
        };
        s.put_token(&t).await.unwrap();
        assert_eq!(s.token(&t.token_hash).await.unwrap(), Some(t));
        assert_eq!(s.token("nope").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn committed_sqlite_rows_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("d.db").display());
    let r = rec("450200", "P1", "pty_a", 1.0);
    {
        let s = SqlStore::open(&url).await.unwrap();
        s.insert(Kind::Vehicle, r.clone()).await.unwrap();
    }
    let s = SqlStore::open(&url).await.unwrap();
    assert_eq!(s.migrate().await.unwrap(), 0, "migrations are applied once");
    assert!(s.get(Kind::Vehicle, &r.id).await.unwrap().is_some());
}

#[tokio::test]
async fn dispatch_plans_table_exists() {
    on_each_backend(|s, region| async move {
        let r = NewRecord {
            id: unique("dsp_"),
            region,
            external_id: None,
            owner_party: None,
            partner_party: None,
            status: Some("queued".into()),
            body: json!({"input": {}}),
        };
        s.insert(Kind::DispatchPlan, r.clone()).await.unwrap();
        let done = NewRecord {
            status: Some("solved".into()),
            ..r.clone()
        };
        assert_eq!(
            s.replace(Kind::DispatchPlan, done)
                .await
                .unwrap()
                .status
                .as_deref(),
            Some("solved")
        );
    })
    .await;
}

#[tokio::test]
async fn loads_by_pickup_start_are_served_by_an_index() {
    on_each_backend(|s, region| async move {
        for (n, day) in ["2027-02-27", "2027-03-01", "2027-03-03"]
            .iter()
            .enumerate()
        {
            let r = NewRecord {
                id: unique("load_"),
                region: region.clone(),
                external_id: Some(format!("L{n}")),
                owner_party: None,
                partner_party: None,
                status: Some("open".into()),
                body: json!({"pickup_window": {"start": format!("{day}T01:00:00Z")}}),
            };
            s.insert(Kind::Load, r).await.unwrap();
        }
        // The query the matching service sends for the outlook: a region's loads whose pickup
        // opened in [from, to).
        let q = half_open(
            &region,
            Field::Json(vec!["pickup_window", "start"], FieldType::Text),
            Literal::Text("2027-02-28T00:00:00".into()),
            Literal::Text("2027-03-02T00:00:00".into()),
        );
        let page = s.list(Kind::Load, &q).await.unwrap();
        let found: Vec<_> = page.records.iter().map(|r| r.external_id.clone()).collect();
        assert_eq!(found, [Some("L1".to_string())]);
        let plan = s.list_plan(Kind::Load, &q).await.unwrap();
        // Both bounds are index conditions, not filters applied to every row of the region
        // (SQLite: `<expr>>? AND <expr><?`; PostgreSQL: the range in the `Index Cond`).
        assert!(plan.contains("loads_pickup_start"), "{plan}");
        let sqlite_range = plan.contains("(region=? AND <expr>>? AND <expr><?)");
        let pg_range = plan.lines().any(|l| {
            l.contains("Index Cond")
                && l.contains(">= '2027-02-28T00:00:00'")
                && l.contains("< '2027-03-02T00:00:00'")
        });
        assert!(sqlite_range || pg_range, "{plan}");
    })
    .await;
}
