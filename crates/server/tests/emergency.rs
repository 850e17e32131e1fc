//! Emergency logistics over HTTP (issue 28): a regulator builds a reserve and issues from it, a
//! carrier may not; concurrent HTTP issues never overdraw a lot; a shelter submits a request and
//! follows it through triage; bad input is answered naming the field; the fleet lists vehicles
//! with a valid green-channel pass. On SQLite, and on PostgreSQL too when
//! `WULIU_TEST_DATABASE_URL` names one.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{unique, vehicle, Api};
use serde_json::{json, Value};
use wuliu_server::Role;

const E: &str = "/api/v1/emergency";

async fn created(api: &Api, uri: &str, token: &str, body: Value) -> Value {
    let r = api.post(uri, token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{uri}: {}", r.text);
    r.json()
}

/// An item and a stockpile with one lot of `qty`: (item, stockpile, lot).
async fn reserve_of(api: &Api, office: &str, qty: i64) -> (String, String, String) {
    let item = created(api, &format!("{E}/items"), office, json!({"code": unique("TENT"),
        "name": "救灾帐篷（12平方米）", "unit": "顶", "unit_weight_kg": 25.0, "unit_volume_m3": 0.12,
        "category": "shelter"})).await["id"].as_str().unwrap().to_string();
    let pile = created(
        api,
        &format!("{E}/stockpiles"),
        office,
        json!({"code": unique("LZ"),
        "name": "柳州市市级救灾物资储备库", "kind": "government",
        "location": {"lat": 24.33, "lon": 109.39}}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let lot = created(
        api,
        &format!("{E}/stockpiles/{pile}/lots"),
        office,
        json!({"item_id": item, "lot_number": "2026-07", "quantity": qty}),
    )
    .await;
    (item, pile, lot["id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn regulator_issues_and_a_carrier_may_not() {
    for (db, api) in Api::each_backend().await {
        let office = api.token(Role::Regulator, None, "450200").await;
        let carrier = api
            .token(Role::Carrier, Some("pty_carrier"), "450200")
            .await;
        let (item, pile, _) = reserve_of(&api, &office, 20).await;
        let issue = json!({"lines": [{"item_id": item, "quantity": 5}], "note": "桂B12345"});
        let r = api
            .post(
                &format!("{E}/stockpiles/{pile}/issue"),
                &carrier,
                issue.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
        let out = created(
            &api,
            &format!("{E}/stockpiles/{pile}/issue"),
            &office,
            issue,
        )
        .await;
        assert_eq!(out["lines"][0]["lots"][0]["quantity"], 5, "{db}");
        let r = api.get(&format!("{E}/stockpiles/{pile}"), &office).await;
        assert_eq!(r.status, StatusCode::OK, "{db}");
        let stock = &r.json()["stock"][0];
        assert_eq!(
            (stock["on_hand"].as_i64(), stock["available"].as_i64()),
            (Some(15), Some(15)),
            "{db}"
        );
        let r = api.get(&format!("{E}/stockpiles/{pile}"), &carrier).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "{db}: a carrier cannot see a government reserve"
        );
        let r = api.get(&format!("{E}/items"), &carrier).await;
        assert!(r.text.contains(&item), "{db}: the catalogue is public");
        let r = api
            .get(&format!("{E}/issues?stockpile_id={pile}"), &office)
            .await;
        assert_eq!(r.json()["records"].as_array().unwrap().len(), 1, "{db}");
        // The same lot number twice is a 409 naming it; a reservation is released over HTTP.
        let lots = format!("{E}/stockpiles/{pile}/lots");
        let again = json!({"item_id": item, "lot_number": "2026-07", "quantity": 1});
        let r = api.post(&lots, &office, again).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{db}: {}", r.text);
        assert_eq!(
            r.json()["error"]["violations"][0]["field"],
            "lot_number",
            "{db}"
        );
        let hold = json!({"stockpile_id": pile, "lines": [{"item_id": item, "quantity": 15}]});
        let rsv = created(&api, &format!("{E}/reservations"), &office, hold).await;
        let r = api.get(&format!("{lots}?item_id={item}"), &office).await;
        assert_eq!(r.json()["lots"][0]["available"], 0, "{db}");
        let uri = format!("{E}/reservations/{}/release", rsv["id"].as_str().unwrap());
        let r = api.post(&uri, &carrier, json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        let r = api.post(&uri, &office, json!({})).await;
        assert_eq!(
            (r.status, r.json()["status"].clone()),
            (StatusCode::OK, json!("released")),
            "{db}"
        );
        let r = api.get(&format!("{lots}?item_id={item}"), &office).await;
        assert_eq!(r.json()["lots"][0]["available"], 15, "{db}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_http_issues_never_overdraw() {
    for (db, api) in Api::each_backend().await {
        let office = api.token(Role::Regulator, None, "450200").await;
        let (item, pile, lot) = reserve_of(&api, &office, 30).await;
        let api = Arc::new(api);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let (api, office, item, pile) =
                    (api.clone(), office.clone(), item.clone(), pile.clone());
                tokio::spawn(async move {
                    let body = json!({"lines": [{"item_id": item, "quantity": 4}]});
                    api.post(&format!("{E}/stockpiles/{pile}/issue"), &office, body)
                        .await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            let r = t.await.unwrap();
            match r.status {
                StatusCode::CREATED => ok += 1,
                StatusCode::CONFLICT => {
                    assert!(r.text.contains("lines[0].quantity"), "{db}: {}", r.text)
                }
                other => panic!("{db}: {other} {}", r.text),
            }
        }
        let r = api
            .get(&format!("{E}/stockpiles/{pile}/lots"), &office)
            .await;
        let lots = r.json()["lots"].clone();
        assert_eq!(lots[0]["id"], json!(lot));
        assert_eq!(
            (ok, lots[0]["quantity"].as_i64()),
            (7, Some(2)),
            "{db}: 7 issues of 4 fit in 30"
        );
    }
}

fn request(item: &str) -> Value {
    json!({"demand_point": {"kind": "hospital", "name": "融水苗族自治县人民医院",
            "location": {"lat": 25.07, "lon": 109.25}},
        "lines": [{"item_id": item, "quantity": 10}], "priority": 1,
        "deadline": "2026-07-02T06:00:00Z", "contact": {"name": "梁医生", "phone": "0772-5122345"}})
}

#[tokio::test]
async fn a_shelter_submits_and_the_office_triages() {
    for (db, api) in Api::each_backend().await {
        let office = api.token(Role::Regulator, None, "450200").await;
        let shelter = api
            .token(Role::Shipper, Some(&unique("pty_s")), "450200")
            .await;
        let stranger = api
            .token(Role::Shipper, Some(&unique("pty_x")), "450200")
            .await;
        let (item, pile, _) = reserve_of(&api, &office, 50).await;
        let mut bad = request(&item);
        bad["lines"] = json!([{"item_id": item, "quantity": 1}, {"item_id": "emi_x", "quantity": 1},
            {"item_id": "emi_y", "quantity": 0}]);
        let r = api.post(&format!("{E}/requests"), &shelter, bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{db}: {}",
            r.text
        );
        assert!(
            r.text.contains("lines[2].quantity: must be > 0"),
            "{db}: {}",
            r.text
        );
        assert!(
            r.violation_fields()
                .contains(&"lines[1].item_id".to_string()),
            "{db}"
        );
        let req = created(&api, &format!("{E}/requests"), &shelter, request(&item)).await;
        let rid = req["id"].as_str().unwrap();
        let uri = format!("{E}/requests/{rid}");
        assert_eq!(api.get(&uri, &shelter).await.status, StatusCode::OK, "{db}");
        assert_eq!(
            api.get(&uri, &stranger).await.status,
            StatusCode::NOT_FOUND,
            "{db}"
        );
        let r = api
            .post(&format!("{uri}/triage"), &shelter, json!({"priority": 1}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        let r = api
            .post(
                &format!("{uri}/transition"),
                &office,
                json!({"to": "in_transit"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{db}: {}", r.text);
        let r = api
            .post(
                &format!("{uri}/triage"),
                &office,
                json!({"priority": 1, "note": "透析用水"}),
            )
            .await;
        assert_eq!(
            (r.status, r.json()["status"].clone()),
            (StatusCode::OK, json!("triaged")),
            "{db}"
        );
        // Hold the goods for it, then issue the reservation.
        let rsv = created(
            &api,
            &format!("{E}/reservations"),
            &office,
            json!({"stockpile_id": pile,
            "request_id": rid, "lines": [{"item_id": item, "quantity": 10}]}),
        )
        .await;
        let r = api
            .get(&format!("{E}/reservations?request_id={rid}"), &office)
            .await;
        assert_eq!(r.json()["records"][0]["status"], "held", "{db}");
        let r = api
            .post(
                &format!("{uri}/transition"),
                &office,
                json!({"to": "allocated"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        created(
            &api,
            &format!("{E}/stockpiles/{pile}/issue"),
            &office,
            json!({"reservation_id": rsv["id"]}),
        )
        .await;
        for to in ["in_transit", "delivered"] {
            let r = api
                .post(&format!("{uri}/transition"), &office, json!({"to": to}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        }
        let r = api
            .get(&format!("{E}/requests?status=delivered"), &office)
            .await;
        assert!(r.text.contains(rid), "{db}");
        let r = api.get(&format!("{E}/requests?status=lost"), &office).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}");
        let r = api
            .get(&format!("/api/v1/audit?record_id={rid}"), &office)
            .await;
        assert!(
            r.text.contains("emergency.request.delivered"),
            "{db}: {}",
            r.text
        );
    }
}

#[tokio::test]
async fn the_fleet_lists_vehicles_with_a_valid_pass() {
    for (db, api) in Api::each_backend().await {
        let admin = api.token(Role::Admin, None, "450200").await;
        let seq = (std::process::id() % 9000) + 100;
        let carrier = api.party(&admin, &unique("C"), seq, &["carrier"]).await;
        let ext = unique("V");
        let plate = format!("桂B{:05}", seq);
        let veh = created(
            &api,
            "/api/v1/vehicles",
            &admin,
            vehicle(&carrier, &ext, &plate, 8000.0),
        )
        .await;
        let pass = json!({"pass_number": unique("柳应急"), "vehicle_id": veh["id"],
            "valid_from": "2026-01-01T00:00:00Z", "valid_to": "2030-01-01T00:00:00Z"});
        let ct = api.token(Role::Carrier, Some(&carrier), "450200").await;
        let r = api
            .post(&format!("{E}/fleet/passes"), &ct, pass.clone())
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        created(&api, &format!("{E}/fleet/passes"), &admin, pass.clone()).await;
        let r = api.post(&format!("{E}/fleet/passes"), &admin, pass).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{db}: {}", r.text);
        let r = api
            .get(&format!("{E}/fleet?at=2027-05-01T00:00:00Z"), &ct)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        assert_eq!(r.json()["vehicles"][0]["plate"], json!(plate), "{db}");
        let r = api
            .get(&format!("{E}/fleet?at=2031-05-01T00:00:00Z"), &ct)
            .await;
        assert_eq!(r.json()["vehicles"], json!([]), "{db}");
        let r = api.get(&format!("{E}/fleet?at=tomorrow"), &ct).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}");
    }
}
