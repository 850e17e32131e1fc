//! The indicator rollups follow every waybill write (insert, replace, status change, cancel, batch
//! upsert) in the same transaction, on SQLite and, when `WULIU_TEST_DATABASE_URL` is set, PostgreSQL.

use chrono::NaiveDate;
use serde_json::{json, Value};
use wuliu_store::{
    Kind, NewRecord, Repository, SqlStore, StatGroup, StatQuery, StatsStore, UnitKind, UnitMonth,
    WriteOp,
};

fn unique(prefix: &str) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}{t}_{}", std::process::id())
}

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
            let pg = SqlStore::open(&url).await.expect("PostgreSQL opens");
            eprintln!("postgres: running against {url}");
            body(pg, unique("R")).await;
        }
        _ => eprintln!("postgres: SKIPPED (set WULIU_TEST_DATABASE_URL)"),
    }
}

fn waybill(vehicle: &str, county: &str, kg: f64, status: &str, despatch: &str) -> Value {
    json!({
        "status": status, "shipper_id": "pty_s", "carrier_id": "pty_c",
        "consignment_time": despatch, "despatch_time": despatch,
        "consignor": {"division_code": county, "point": {"lat": 24.30, "lon": 109.40}},
        "consignee": {"division_code": "450100", "point": {"lat": 24.40, "lon": 109.50}},
        "vehicle": {"plate": "桂B00001", "vehicle_id": vehicle},
        "goods": [{"cargo_type_code": "0400", "gross_weight": kg}],
        "total_amount": 1000.0
    })
}

/// A waybill record; its ID is scoped by the (unique) region, because record IDs are global and
/// the tests of this file run at the same time against one PostgreSQL database.
fn rec(region: &str, id: &str, body: Value) -> NewRecord {
    let id = format!("{region}:{id}");
    NewRecord {
        id: id.clone(),
        region: region.into(),
        external_id: Some(id),
        owner_party: Some("pty_s".into()),
        partner_party: Some("pty_c".into()),
        status: body["status"].as_str().map(String::from),
        body,
    }
}

fn query(region: &str, group: StatGroup) -> StatQuery {
    StatQuery {
        region: Some(region.into()),
        from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        county: None,
        industry: None,
        party: None,
        group,
    }
}

async fn total(s: &SqlStore, region: &str) -> (u64, f64, u64) {
    let rows = s.stats(&query(region, StatGroup::Total)).await.unwrap();
    rows.first()
        .map(|r| (r.waybills, r.tonnes, r.active_vehicles))
        .unwrap_or((0, 0.0, 0))
}

#[tokio::test]
async fn rollups_follow_inserts_updates_and_cancellations() {
    on_each_backend(|s, region| async move {
        let t = "2026-12-01T02:00:00Z";
        s.insert(
            Kind::Waybill,
            rec(
                &region,
                "w1",
                waybill("v1", "450204", 10_000.0, "confirmed", t),
            ),
        )
        .await
        .unwrap();
        s.insert(
            Kind::Waybill,
            rec(
                &region,
                "w2",
                waybill("v2", "450205", 5_000.0, "confirmed", t),
            ),
        )
        .await
        .unwrap();
        s.insert(
            Kind::Waybill,
            rec(&region, "w3", waybill("v3", "450205", 1_000.0, "draft", t)),
        )
        .await
        .unwrap();
        assert_eq!(
            total(&s, &region).await,
            (2, 15.0, 2),
            "drafts do not count"
        );

        // A heavier correction replaces the old contribution instead of adding to it.
        s.replace(
            Kind::Waybill,
            rec(
                &region,
                "w1",
                waybill("v1", "450204", 12_000.0, "dispatched", t),
            ),
        )
        .await
        .unwrap();
        assert_eq!(total(&s, &region).await, (2, 17.0, 2));

        // Cancelling through a versioned commit removes the waybill from every aggregate.
        let old = s
            .get(Kind::Waybill, &format!("{region}:w2"))
            .await
            .unwrap()
            .unwrap();
        let ops = vec![WriteOp::Update {
            kind: Kind::Waybill,
            rec: rec(
                &region,
                "w2",
                waybill("v2", "450205", 5_000.0, "cancelled", t),
            ),
            expected_version: old.version,
        }];
        s.commit(ops, vec![]).await.unwrap();
        assert_eq!(total(&s, &region).await, (1, 12.0, 1));

        // A stale version changes nothing, the rollup included.
        let stale = vec![WriteOp::Update {
            kind: Kind::Waybill,
            rec: rec(
                &region,
                "w1",
                waybill("v1", "450204", 99_000.0, "signed", t),
            ),
            expected_version: 1,
        }];
        assert!(s.commit(stale, vec![]).await.is_err());
        assert_eq!(total(&s, &region).await, (1, 12.0, 1));

        // Batch upserts go through the same path; the draft becoming confirmed now counts.
        let batch = vec![rec(
            &region,
            "w3",
            waybill("v3", "450205", 1_000.0, "confirmed", t),
        )];
        s.upsert_batch(Kind::Waybill, batch, None).await.unwrap();
        assert_eq!(total(&s, &region).await, (2, 13.0, 2));

        let by_county = s.stats(&query(&region, StatGroup::County)).await.unwrap();
        let keys: Vec<(&str, u64)> = by_county
            .iter()
            .map(|r| (r.key.as_str(), r.waybills))
            .collect();
        assert_eq!(keys, vec![("450204", 1), ("450205", 1)]);
        let by_day = s.stats(&query(&region, StatGroup::Day)).await.unwrap();
        assert_eq!(by_day.len(), 1);
        assert_eq!(by_day[0].key, "2026-12-01", "02:00 UTC is 10:00 in Beijing");

        let mut party = query(&region, StatGroup::Total);
        party.party = Some("pty_c".into());
        let mine = s.stats(&party).await.unwrap();
        assert_eq!((mine[0].waybills, mine[0].active_vehicles), (2, 2));
        party.party = Some("pty_other".into());
        assert!(s.stats(&party).await.unwrap().is_empty());
    })
    .await;
}

async fn carrier_month(s: &SqlStore, region: &str) -> Option<UnitMonth> {
    s.unit_months(Some(region), "2026-12", UnitKind::Carrier)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.unit == "pty_c")
}

#[tokio::test]
async fn unit_months_follow_inserts_updates_and_cancellations() {
    on_each_backend(|s, region| async move {
        let d1 = "2026-12-01T02:00:00Z";
        let d2 = "2026-12-02T02:00:00Z";
        let mut timed = waybill("v1", "450204", 10_000.0, "receipted", d1);
        timed["receipt_time"] = json!("2026-12-01T06:00:00Z");
        let recs = vec![
            rec(&region, "w1", timed),
            rec(
                &region,
                "w2",
                waybill("v2", "450205", 5_000.0, "confirmed", d1),
            ),
            rec(
                &region,
                "w3",
                waybill("v1", "450204", 1_000.0, "confirmed", d2),
            ),
        ];
        s.upsert_batch(Kind::Waybill, recs, None).await.unwrap();
        let m = carrier_month(&s, &region).await.unwrap();
        assert_eq!(
            (m.waybills, m.vehicles, m.vehicle_days),
            (3, 2, 3),
            "v1 on two days, v2 on one"
        );
        assert!((m.tonnes - 16.0).abs() < 1e-9);
        assert_eq!(m.mean_hours, Some(4.0), "only w1 has a receipt time");

        // Cancelling w2 removes v2 from the month; moving w3 to the first day merges v1's days.
        s.replace(
            Kind::Waybill,
            rec(
                &region,
                "w2",
                waybill("v2", "450205", 5_000.0, "cancelled", d1),
            ),
        )
        .await
        .unwrap();
        s.replace(
            Kind::Waybill,
            rec(
                &region,
                "w3",
                waybill("v1", "450204", 1_000.0, "confirmed", d1),
            ),
        )
        .await
        .unwrap();
        let m = carrier_month(&s, &region).await.unwrap();
        assert_eq!((m.waybills, m.vehicles, m.vehicle_days), (2, 1, 1));
        assert!((m.tonnes - 11.0).abs() < 1e-9);

        let shippers = s
            .unit_months(Some(&region), "2026-12", UnitKind::Shipper)
            .await
            .unwrap();
        assert_eq!(shippers.len(), 1);
        assert_eq!(
            (shippers[0].unit.as_str(), shippers[0].waybills),
            ("pty_s", 2)
        );
        let counties = s
            .unit_months(Some(&region), "2026-12", UnitKind::County)
            .await
            .unwrap();
        let keys: Vec<(&str, u64)> = counties
            .iter()
            .map(|u| (u.unit.as_str(), u.waybills))
            .collect();
        assert_eq!(
            keys,
            vec![("450204", 2)],
            "450205's only waybill is cancelled"
        );

        // The load heat map's cells follow the same writes (both left load at 24.30, 109.40).
        let day1 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let heat = s.origin_heat(Some(&region), day1, day1).await.unwrap();
        assert_eq!(heat, vec![(24.3, 109.4, 2)]);

        // Cancelling the rest empties the month.
        for id in ["w1", "w3"] {
            s.replace(
                Kind::Waybill,
                rec(&region, id, waybill("v1", "450204", 1.0, "cancelled", d1)),
            )
            .await
            .unwrap();
        }
        assert_eq!(carrier_month(&s, &region).await, None);
        let heat = s.origin_heat(Some(&region), day1, day1).await.unwrap();
        assert!(heat.is_empty(), "{heat:?}");
    })
    .await;
}
