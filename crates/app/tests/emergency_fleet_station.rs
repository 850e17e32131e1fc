//! Green-channel passes that station their vehicle at a stockpile (`stockpile_id`, issue 28): an
//! unknown stockpile or one of another region is refused naming the field; the station is stored
//! on the pass, listed with it and shown by the fleet; a plan bases the vehicle there even when
//! its home base is nearer another stockpile. On SQLite, and on PostgreSQL too when
//! `WULIU_TEST_DATABASE_URL` names one.

mod common;

use common::emergency::{office, pass_body, region_in, stockpile, truck};
use common::{stores, unique};
use serde_json::{json, Value};
use wuliu_app::emergency::{fleet, plan};
use wuliu_app::AppError;

/// A pass for `vehicle` stationed at `stockpile` (`null` when `None`).
fn pass(vehicle: &str, stockpile: Option<&str>) -> Value {
    let mut body = pass_body(vehicle);
    body["stockpile_id"] = json!(stockpile);
    body
}

/// The fields the violations of `e` name, and their messages.
fn violations(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(v) => v.0.into_iter().map(|x| (x.field, x.message)).collect(),
        other => panic!("expected violations, got {other:?}"),
    }
}

#[tokio::test]
async fn a_pass_is_stationed_only_at_a_stockpile_of_the_callers_region() {
    for (db, repo, _dir) in stores().await {
        let (here, there) = (
            office(&region_in("46")),
            office(&format!("47{}", &region_in("46")[2..])),
        );
        let mine = stockpile(&repo, &here, "城区库", [109.40, 24.33]).await;
        let theirs = stockpile(&repo, &there, "邻市库", [109.40, 24.33]).await;
        let vid = truck(&repo, &here, &unique("桂B"), [109.40, 24.33]).await;
        let r = repo.as_ref();

        let e = fleet::register_pass(r, &here, pass(&vid, Some("stp_nowhere")))
            .await
            .unwrap_err();
        let got = violations(e);
        assert_eq!(got.len(), 1, "{db}: {got:?}");
        assert_eq!(got[0].0, "stockpile_id", "{db}");
        assert!(got[0].1.contains("stp_nowhere"), "{db}: {got:?}");

        let e = fleet::register_pass(r, &here, pass(&vid, Some(&theirs)))
            .await
            .unwrap_err();
        let got = violations(e);
        assert_eq!(got.len(), 1, "{db}: {got:?}");
        assert_eq!(got[0].0, "stockpile_id", "{db}");
        assert!(got[0].1.contains(&there.region), "{db}: {got:?}");

        let stored = fleet::register_pass(r, &here, pass(&vid, Some(&mine)))
            .await
            .unwrap();
        assert_eq!(stored["stockpile_id"], json!(mine), "{db}");
        let listed = fleet::list_passes(r, &here).await.unwrap();
        let row = listed["passes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == stored["id"])
            .unwrap_or_else(|| panic!("{db}: the pass is listed"));
        assert_eq!(row["stockpile_id"], json!(mine), "{db}");
        let now = fleet::available_fleet(r, &here, chrono::Utc::now())
            .await
            .unwrap();
        let row = now["vehicles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["vehicle_id"] == json!(vid))
            .unwrap_or_else(|| panic!("{db}: the vehicle is in the fleet"));
        assert_eq!(row["stockpile_id"], json!(mine), "{db}");
    }
}

#[tokio::test]
async fn a_stationed_vehicle_is_based_at_its_stockpile_in_the_plan() {
    for (db, repo, _dir) in stores().await {
        let here = office(&region_in("46"));
        let north = stockpile(&repo, &here, "北库", [109.40, 24.40]).await;
        let south = stockpile(&repo, &here, "南库", [109.40, 24.20]).await;
        // Both trucks are kept beside the north reserve; the office stations one in the south.
        let (stationed, free) = (
            truck(&repo, &here, &unique("桂B"), [109.40, 24.41]).await,
            truck(&repo, &here, &unique("桂B"), [109.40, 24.41]).await,
        );
        let r = repo.as_ref();
        fleet::register_pass(r, &here, pass(&stationed, Some(&south)))
            .await
            .unwrap();
        fleet::register_pass(r, &here, pass(&free, None))
            .await
            .unwrap();
        let snap = plan::snapshot(r, &here, chrono::Utc::now()).await.unwrap();
        let base = |vid: &str| {
            snap.problem
                .vehicles
                .iter()
                .find(|v| v.id == vid)
                .unwrap_or_else(|| panic!("{db}: {vid} is in the plan"))
                .stockpile
                .clone()
        };
        assert_eq!(base(&stationed), south, "{db}: stationed at the south");
        assert_eq!(base(&free), north, "{db}: nearest its home base");
    }
}
