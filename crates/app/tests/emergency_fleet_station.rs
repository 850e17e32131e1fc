//! Green-channel passes that station their vehicle at a stockpile (`stockpile_id`, issue 28): an
//! unknown stockpile or one of another region is refused naming the field; the station is stored
//! on the pass, listed with it and shown by the fleet; a plan bases the vehicle there even when
//! its home base is nearer another stockpile. On SQLite, and on PostgreSQL too when
//! `WULIU_TEST_DATABASE_URL` names one.

mod common;

use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::emergency::{fleet, plan, stock};
use wuliu_app::{AppError, Caller, Role};
use wuliu_store::{Kind, NewRecord};

/// A region of its own for each call, so that records of other tests sharing the PostgreSQL
/// database stay out of the plan.
fn region() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("46{:04}", nanos % 10_000)
}

fn office(region: &str) -> Caller {
    Caller::new(Role::Regulator, None, region, "user:office")
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

async fn stockpile(repo: &Repo, office: &Caller, name: &str, lat: f64) -> String {
    let body = json!({"code": unique("S"), "name": name, "kind": "government",
        "location": {"lat": lat, "lon": 109.40}});
    id(&stock::create_stockpile(repo.as_ref(), office, body)
        .await
        .unwrap())
}

/// An available 8 t truck of `office`'s region kept at `lat`, 109.40.
async fn truck(repo: &Repo, office: &Caller, lat: f64) -> String {
    let vid = unique("veh_");
    let body = json!({"carrier_id": "pty_c", "plate": unique("桂B"), "rated_load": 8000.0,
        "cargo_volume": 40.0, "home_base": {"lat": lat, "lon": 109.40}});
    let rec = NewRecord {
        id: vid.clone(),
        region: office.region.clone(),
        external_id: None,
        owner_party: Some("pty_c".into()),
        partner_party: None,
        status: Some("available".into()),
        body,
    };
    repo.insert(Kind::Vehicle, rec).await.unwrap();
    vid
}

fn pass(vehicle: &str, stockpile: Option<&str>) -> Value {
    let now = chrono::Utc::now();
    json!({"pass_number": unique("应急"), "vehicle_id": vehicle,
        "valid_from": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "valid_to": (now + chrono::Duration::hours(48)).to_rfc3339(),
        "stockpile_id": stockpile})
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
        let (here, there) = (office(&region()), office(&format!("47{}", &region()[2..])));
        let mine = stockpile(&repo, &here, "城区库", 24.33).await;
        let theirs = stockpile(&repo, &there, "邻市库", 24.33).await;
        let vid = truck(&repo, &here, 24.33).await;
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
        let here = office(&region());
        let north = stockpile(&repo, &here, "北库", 24.40).await;
        let south = stockpile(&repo, &here, "南库", 24.20).await;
        // Both trucks are kept beside the north reserve; the office stations one in the south.
        let (stationed, free) = (
            truck(&repo, &here, 24.41).await,
            truck(&repo, &here, 24.41).await,
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
