//! Emergency reserves and requests (issue 28) against the store: stock never goes negative under
//! concurrent issues and reservations (tokio tasks), roles, fields named in errors, FEFO, expired
//! lots, request workflow, fleet passes, and the audit trail. On SQLite, and on PostgreSQL too
//! when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::emergency::{catalogue, fleet, requests, stock};
use wuliu_app::{AppError, Caller, Role};
use wuliu_store::{AuditQuery, Kind, NewRecord};

fn office() -> Caller {
    Caller::new(Role::Regulator, None, "450200", "user:office")
}

fn carrier(party: &str) -> Caller {
    Caller::new(Role::Carrier, Some(party.into()), "450200", "user:carrier")
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

async fn item(repo: &Repo, shelf: Option<u32>) -> String {
    let body = json!({"code": unique("W"), "name": "饮用水（5升桶装）", "unit": "桶",
        "unit_weight_kg": 5.2, "unit_volume_m3": 0.006, "shelf_life_days": shelf, "category": "water"});
    id(&catalogue::create_item(repo.as_ref(), &office(), body)
        .await
        .unwrap())
}

async fn stockpile(repo: &Repo) -> String {
    let body = json!({"code": unique("S"), "name": "柳州市市级应急物资储备库", "kind": "government",
        "location": {"lat": 24.33, "lon": 109.42}});
    id(&stock::create_stockpile(repo.as_ref(), &office(), body)
        .await
        .unwrap())
}

async fn lot(
    repo: &Repo,
    pile: &str,
    item: &str,
    number: &str,
    qty: i64,
    expiry: Option<&str>,
) -> String {
    let body = json!({"item_id": item, "lot_number": number, "quantity": qty, "expiry_date": expiry,
        "received_date": "2019-06-01"});
    id(&stock::receive_lot(repo.as_ref(), &office(), pile, body)
        .await
        .unwrap())
}

async fn lot_state(repo: &Repo, lot: &str) -> (i64, i64) {
    let rec = repo.get(Kind::StockLot, lot).await.unwrap().unwrap();
    let l: stock::Lot = serde_json::from_value(rec.body).unwrap();
    (l.quantity, l.held(chrono::Utc::now()))
}

fn conflict_field(e: &AppError) -> &str {
    match e {
        AppError::Conflict { field, .. } => field,
        other => panic!("expected a 409, got {other:?}"),
    }
}

/// 40 tasks each issue 7 from 100 units in two lots while 10 more reserve 3: no lot goes below
/// its holds, what was issued plus what is left is what there was, and the stock ran out as far
/// as the requests allowed (what is left is less than any one request).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_issues_and_reservations_never_go_negative() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let a = lot(&repo, &pile, &it, "A", 60, Some("2031-01-01")).await;
        let b = lot(&repo, &pile, &it, "B", 40, Some("2032-01-01")).await;
        let started = std::time::Instant::now();
        let mut tasks = Vec::new();
        for n in 0..50 {
            let (repo, pile, it) = (repo.clone(), pile.clone(), it.clone());
            tasks.push(tokio::spawn(async move {
                if n % 5 == 0 {
                    let body =
                        json!({"stockpile_id": pile, "lines": [{"item_id": it, "quantity": 3}]});
                    (
                        3,
                        stock::reserve(repo.as_ref(), &office(), body)
                            .await
                            .map(|_| ()),
                    )
                } else {
                    let body = json!({"lines": [{"item_id": it, "quantity": 7}]});
                    (
                        7,
                        stock::issue(repo.as_ref(), &office(), &pile, body)
                            .await
                            .map(|_| ()),
                    )
                }
            }));
        }
        let (mut issued, mut held, mut least_refused) = (0, 0, i64::MAX);
        for t in tasks {
            match t.await.unwrap() {
                (7, Ok(())) => issued += 7,
                (3, Ok(())) => held += 3,
                (need, Err(e)) => {
                    assert_eq!(conflict_field(&e), "lines[0].quantity", "{db}: {e}");
                    least_refused = least_refused.min(need);
                }
                _ => unreachable!(),
            }
        }
        let ((qa, ha), (qb, hb)) = (lot_state(&repo, &a).await, lot_state(&repo, &b).await);
        assert!(
            qa >= ha && qb >= hb && ha >= 0 && hb >= 0,
            "{db}: A {qa}/{ha}, B {qb}/{hb}"
        );
        assert_eq!(
            issued + qa + qb,
            100,
            "{db}: issued {issued}, left {qa} + {qb}"
        );
        assert_eq!(ha + hb, held, "{db}: holds");
        eprintln!(
            "{db}: 50 concurrent issues and reservations in {:?}",
            started.elapsed()
        );
        // Stock only shrinks here (holds last a day), so a refusal means what is left is less.
        let available = qa + qb - held;
        assert!(
            available < least_refused,
            "{db}: {available} left though a task asking {least_refused} was refused"
        );
        assert!(
            issued > 0 && least_refused < i64::MAX,
            "{db}: issued {issued}"
        );
    }
}

/// Many tasks hammer one named lot: never below zero, sum issued equals the lot.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_issues_of_a_named_lot() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let l = lot(&repo, &pile, &it, "ONLY", 50, None).await;
        let tasks: Vec<_> = (0..30)
            .map(|_| {
                let (repo, pile, it, l) = (repo.clone(), pile.clone(), it.clone(), l.clone());
                tokio::spawn(async move {
                    let body = json!({"lines": [{"item_id": it, "quantity": 4, "lot_id": l}]});
                    stock::issue(repo.as_ref(), &office(), &pile, body).await
                })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(_) => ok += 1,
                Err(e) => assert_eq!(conflict_field(&e), "lines[0].quantity", "{db}: {e}"),
            }
        }
        let (q, _) = lot_state(&repo, &l).await;
        assert_eq!((ok, q), (12, 2), "{db}: 12 issues of 4 fit in 50");
    }
}

#[tokio::test]
async fn callers_without_the_role_cannot_manage_stock_or_triage() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let l = lot(&repo, &pile, &it, "A", 10, None).await;
        let c = carrier("pty_someone");
        let issue = json!({"lines": [{"item_id": it, "quantity": 1}]});
        let forbidden = |r: Result<Value, AppError>| matches!(r, Err(AppError::Forbidden { .. }));
        assert!(
            forbidden(stock::issue(repo.as_ref(), &c, &pile, issue).await),
            "{db}"
        );
        let rsv = json!({"stockpile_id": pile, "lines": [{"item_id": it, "quantity": 1}]});
        assert!(
            forbidden(stock::reserve(repo.as_ref(), &c, rsv).await),
            "{db}"
        );
        let rcv = json!({"item_id": it, "lot_number": "X", "quantity": 5});
        assert!(
            forbidden(stock::receive_lot(repo.as_ref(), &c, &pile, rcv).await),
            "{db}"
        );
        let body = json!({"code": "X", "name": "x", "unit": "个", "unit_weight_kg": 1.0,
            "unit_volume_m3": 0.1, "category": "other"});
        assert!(
            forbidden(catalogue::create_item(repo.as_ref(), &c, body).await),
            "{db}"
        );
        assert_eq!(lot_state(&repo, &l).await.0, 10, "{db}: nothing issued");
        // A shipper may submit a request but not triage it, not even its own.
        let shipper = Caller::new(
            Role::Shipper,
            Some("pty_shelter".into()),
            "450200",
            "user:s",
        );
        let req = id(
            &requests::submit(repo.as_ref(), &shipper, request_body(&it, 5))
                .await
                .unwrap(),
        );
        let t = requests::triage(repo.as_ref(), &shipper, &req, json!({"priority": 1})).await;
        assert!(forbidden(t), "{db}");
        let t =
            requests::transition(repo.as_ref(), &shipper, &req, json!({"to": "rejected"})).await;
        assert!(forbidden(t), "{db}");
        // Nor may it read the stockpile.
        let r = stock::list_lots(repo.as_ref(), &shipper, &pile, None).await;
        assert!(matches!(r, Err(AppError::NotFound(_))), "{db}");
    }
}

fn violation_fields(e: AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.0.into_iter().map(|v| v.field).collect(),
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_input_names_every_field() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let body = json!({"lines": [{"item_id": it, "quantity": 1}, {"item_id": "emi_nope", "quantity": 2},
            {"item_id": it, "quantity": 0}]});
        let e = stock::issue(repo.as_ref(), &office(), &pile, body)
            .await
            .unwrap_err();
        let msg = e.to_string() + &format!("{:?}", e.violations());
        assert!(
            msg.contains("lines[2].quantity: must be > 0"),
            "{db}: {msg}"
        );
        assert_eq!(
            violation_fields(e),
            ["lines[1].item_id", "lines[2].quantity", "lines[2].item_id"],
            "{db}"
        );
        // A field of the wrong type is a 400 naming it.
        let body = json!({"lines": [{"item_id": it, "quantity": "many"}]});
        match stock::issue(repo.as_ref(), &office(), &pile, body).await {
            Err(AppError::BadRequest { field, .. }) => assert_eq!(field, "lines[0].quantity"),
            other => panic!("{db}: {other:?}"),
        }
        let mut req = request_body(&it, 5);
        req["priority"] = json!(7);
        req["contact"]["phone"] = json!("call me");
        req["lines"][0]["quantity"] = json!(-1);
        let e = requests::submit(repo.as_ref(), &office(), req)
            .await
            .unwrap_err();
        assert_eq!(
            violation_fields(e),
            ["priority", "contact.phone", "lines[0].quantity"],
            "{db}"
        );
    }
}

#[tokio::test]
async fn fefo_takes_the_earliest_expiry_and_skips_expired_lots() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let none = lot(&repo, &pile, &it, "NOEXP", 10, None).await;
        let late = lot(&repo, &pile, &it, "LATE", 10, Some("2035-01-01")).await;
        let soon = lot(&repo, &pile, &it, "SOON", 10, Some("2030-01-01")).await;
        let gone = lot(&repo, &pile, &it, "GONE", 10, Some("2020-01-01")).await;
        let body = json!({"lines": [{"item_id": it, "quantity": 25}]});
        let out = stock::issue(repo.as_ref(), &office(), &pile, body)
            .await
            .unwrap();
        let taken: Vec<(String, i64)> = out["lines"][0]["lots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["lot_number"].as_str().unwrap().into(),
                    l["quantity"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            taken,
            [
                ("SOON".into(), 10),
                ("LATE".into(), 10),
                ("NOEXP".into(), 5)
            ],
            "{db}"
        );
        assert_eq!(
            lot_state(&repo, &gone).await.0,
            10,
            "{db}: the expired lot is untouched"
        );
        // Naming the expired lot is refused; asking for more than the live lots hold too.
        let body = json!({"lines": [{"item_id": it, "quantity": 1, "lot_id": gone}]});
        let e = stock::issue(repo.as_ref(), &office(), &pile, body)
            .await
            .unwrap_err();
        assert_eq!(conflict_field(&e), "lines[0].lot_id", "{db}");
        assert!(e.to_string().contains("expired"), "{db}: {e}");
        let body = json!({"lines": [{"item_id": it, "quantity": 6}]});
        let e = stock::issue(repo.as_ref(), &office(), &pile, body)
            .await
            .unwrap_err();
        assert_eq!(conflict_field(&e), "lines[0].quantity", "{db}");
        assert!(
            e.to_string().contains("5 units") && e.to_string().contains("10 in expired"),
            "{db}: {e}"
        );
        let rsv = json!({"stockpile_id": pile, "lines": [{"item_id": it, "quantity": 1, "lot_id": gone}]});
        assert!(
            stock::reserve(repo.as_ref(), &office(), rsv).await.is_err(),
            "{db}"
        );
        assert_eq!(lot_state(&repo, &none).await.0, 5);
        let _ = (late, soon);
    }
}

#[tokio::test]
async fn reservations_hold_stock_until_issued_or_released() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, Some(365)).await, stockpile(&repo).await);
        let l = lot(&repo, &pile, &it, "A", 10, Some("2035-01-01")).await;
        let rsv = json!({"stockpile_id": pile, "lines": [{"item_id": it, "quantity": 8}]});
        let r1 = id(&stock::reserve(repo.as_ref(), &office(), rsv.clone())
            .await
            .unwrap());
        assert_eq!(lot_state(&repo, &l).await, (10, 8), "{db}");
        // Only 2 are free now, for issues and reservations alike.
        let body = json!({"lines": [{"item_id": it, "quantity": 3}]});
        assert!(
            stock::issue(repo.as_ref(), &office(), &pile, body)
                .await
                .is_err(),
            "{db}"
        );
        assert!(
            stock::reserve(repo.as_ref(), &office(), rsv.clone())
                .await
                .is_err(),
            "{db}"
        );
        // Issuing the reservation takes its 8 and ends the hold; it cannot be issued twice.
        let out = stock::issue(
            repo.as_ref(),
            &office(),
            &pile,
            json!({"reservation_id": r1}),
        )
        .await
        .unwrap();
        assert_eq!(out["reservation_id"], json!(r1), "{db}");
        assert_eq!(lot_state(&repo, &l).await, (2, 0), "{db}");
        let again = stock::issue(
            repo.as_ref(),
            &office(),
            &pile,
            json!({"reservation_id": r1}),
        )
        .await;
        assert_eq!(
            conflict_field(&again.unwrap_err()),
            "reservation_id",
            "{db}"
        );
        // A released reservation frees its units.
        let small = json!({"stockpile_id": pile, "lines": [{"item_id": it, "quantity": 2}]});
        let r2 = id(&stock::reserve(repo.as_ref(), &office(), small.clone())
            .await
            .unwrap());
        assert_eq!(lot_state(&repo, &l).await, (2, 2), "{db}");
        let rel = stock::release(repo.as_ref(), &office(), &r2).await.unwrap();
        assert_eq!(rel["status"], "released", "{db}");
        assert_eq!(lot_state(&repo, &l).await, (2, 0), "{db}");
        // A hold past its expiry no longer counts.
        let mut short = small;
        short["expires_at"] =
            json!((chrono::Utc::now() + chrono::Duration::milliseconds(300)).to_rfc3339());
        let r3 = id(&stock::reserve(repo.as_ref(), &office(), short)
            .await
            .unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
        assert_eq!(lot_state(&repo, &l).await, (2, 0), "{db}");
        let e = stock::issue(
            repo.as_ref(),
            &office(),
            &pile,
            json!({"reservation_id": r3}),
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("expired"), "{db}: {e}");
        let body = json!({"lines": [{"item_id": it, "quantity": 2}]});
        stock::issue(repo.as_ref(), &office(), &pile, body)
            .await
            .unwrap();
        assert_eq!(lot_state(&repo, &l).await, (0, 0), "{db}");
    }
}

fn request_body(item: &str, qty: i64) -> Value {
    json!({"demand_point": {"kind": "shelter", "name": "融安县长安镇第一安置点",
            "location": {"lat": 25.22, "lon": 109.40}, "division_code": "450224"},
        "lines": [{"item_id": item, "quantity": qty}], "priority": 2,
        "deadline": "2026-07-01T12:00:00Z", "contact": {"name": "韦主任", "phone": "0772-8123456"}})
}

#[tokio::test]
async fn request_workflow_is_enforced_and_readable_by_its_owner() {
    for (db, repo, _dir) in stores().await {
        let it = item(&repo, None).await;
        let party = unique("pty_shelter");
        let shelter = Caller::new(Role::Shipper, Some(party.clone()), "450200", "user:shelter");
        let other = Caller::new(
            Role::Shipper,
            Some(unique("pty_other")),
            "450200",
            "user:other",
        );
        let req = requests::submit(repo.as_ref(), &shelter, request_body(&it, 40))
            .await
            .unwrap();
        let rid = id(&req);
        assert_eq!(req["status"], "submitted");
        assert!(
            requests::get(repo.as_ref(), &shelter, &rid).await.is_ok(),
            "{db}"
        );
        assert!(
            matches!(
                requests::get(repo.as_ref(), &other, &rid).await,
                Err(AppError::NotFound(_))
            ),
            "{db}"
        );
        let listed = requests::list(repo.as_ref(), &other, None).await.unwrap();
        assert!(!listed.to_string().contains(&rid), "{db}");
        let listed = requests::list(repo.as_ref(), &office(), Some("submitted"))
            .await
            .unwrap();
        assert!(listed.to_string().contains(&rid), "{db}");
        // Skipping steps is refused.
        let e = requests::transition(repo.as_ref(), &office(), &rid, json!({"to": "delivered"}))
            .await
            .unwrap_err();
        assert_eq!(conflict_field(&e), "status", "{db}");
        let t = requests::triage(
            repo.as_ref(),
            &office(),
            &rid,
            json!({"priority": 1, "note": "医院断水"}),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                t["status"].as_str(),
                t["priority"].as_i64(),
                t["priority_requested"].as_i64()
            ),
            (Some("triaged"), Some(1), Some(2)),
            "{db}"
        );
        let e = requests::triage(repo.as_ref(), &office(), &rid, json!({"priority": 1}))
            .await
            .unwrap_err();
        assert_eq!(conflict_field(&e), "status", "{db}");
        for to in ["allocated", "in_transit"] {
            requests::transition(repo.as_ref(), &office(), &rid, json!({"to": to}))
                .await
                .unwrap();
        }
        // The submitter may no longer cancel once goods are on the road; nor may anyone.
        let e =
            requests::transition(repo.as_ref(), &shelter, &rid, json!({"to": "cancelled"})).await;
        assert!(matches!(e, Err(AppError::Forbidden { .. })), "{db}: {e:?}");
        let e =
            requests::transition(repo.as_ref(), &office(), &rid, json!({"to": "cancelled"})).await;
        assert_eq!(conflict_field(&e.unwrap_err()), "status", "{db}");
        let done = requests::transition(repo.as_ref(), &office(), &rid, json!({"to": "delivered"}))
            .await
            .unwrap();
        assert_eq!(done["history"].as_array().unwrap().len(), 4, "{db}");
        // A submitter may cancel its own fresh request.
        let r2 = id(
            &requests::submit(repo.as_ref(), &shelter, request_body(&it, 1))
                .await
                .unwrap(),
        );
        let c = requests::transition(repo.as_ref(), &shelter, &r2, json!({"to": "cancelled"}))
            .await
            .unwrap();
        assert_eq!(c["status"], "cancelled", "{db}");
        let trail = repo
            .audit(&AuditQuery {
                record_id: Some(rid.clone()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "emergency.request.submit",
                "emergency.request.triaged",
                "emergency.request.allocated",
                "emergency.request.in_transit",
                "emergency.request.delivered"
            ],
            "{db}"
        );
        assert_eq!(trail[1].diff["priority"], json!([2, 1]), "{db}");
    }
}

#[tokio::test]
async fn stock_changes_are_audited_with_quantities_before_and_after() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let l = lot(&repo, &pile, &it, "A", 30, None).await;
        let body = json!({"lines": [{"item_id": it, "quantity": 12}], "note": "桂B12345"});
        let issue = id(&stock::issue(repo.as_ref(), &office(), &pile, body)
            .await
            .unwrap());
        let trail = repo
            .audit(&AuditQuery {
                record_id: Some(l.clone()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let last = trail.last().unwrap();
        assert_eq!(
            (
                last.action.as_str(),
                last.actor.as_str(),
                last.role.as_str()
            ),
            ("emergency.stock.issue", "user:office", "regulator"),
            "{db}"
        );
        assert_eq!(last.diff["quantity"], json!([30, 18]), "{db}");
        assert_eq!(trail[0].action, "emergency.stock.receive", "{db}");
        let trail = repo
            .audit(&AuditQuery {
                record_id: Some(issue),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(trail.len(), 1, "{db}");
        assert_eq!(
            trail[0].diff["lines"][0]["lots"][0]["quantity"],
            json!(12),
            "{db}"
        );
    }
}

#[tokio::test]
async fn the_fleet_is_the_available_vehicles_with_a_valid_pass() {
    for (db, repo, _dir) in stores().await {
        let carrier_id = unique("pty_c");
        let mut vehicles = Vec::new();
        for (n, status) in ["available", "available", "busy"].into_iter().enumerate() {
            let vid = unique("veh_");
            repo.insert(Kind::Vehicle, NewRecord { id: vid.clone(), region: "450200".into(),
                external_id: None, owner_party: Some(carrier_id.clone()), partner_party: None,
                status: Some(status.into()),
                body: json!({"carrier_id": carrier_id, "plate": format!("桂B1234{n}"), "rated_load": 8000.0,
                    "cargo_volume": 40.0, "status": status}) }).await.unwrap();
            vehicles.push(vid);
        }
        let now = chrono::Utc::now();
        let pass = |v: &str, from: i64, to: i64| {
            json!({"pass_number": unique("应急"), "vehicle_id": v,
            "valid_from": (now + chrono::Duration::hours(from)).to_rfc3339(),
            "valid_to": (now + chrono::Duration::hours(to)).to_rfc3339()})
        };
        fleet::register_pass(repo.as_ref(), &office(), pass(&vehicles[0], -1, 48))
            .await
            .unwrap();
        let p1 = id(
            &fleet::register_pass(repo.as_ref(), &office(), pass(&vehicles[1], -1, 48))
                .await
                .unwrap(),
        );
        fleet::register_pass(repo.as_ref(), &office(), pass(&vehicles[2], -1, 48))
            .await
            .unwrap();
        let later = fleet::register_pass(repo.as_ref(), &office(), pass(&vehicles[0], 24, 72))
            .await
            .unwrap();
        let e = fleet::register_pass(repo.as_ref(), &office(), pass(&vehicles[0], 5, 1))
            .await
            .unwrap_err();
        assert_eq!(violation_fields(e), ["valid_to"], "{db}");
        let fleet_ids = |v: &Value| -> Vec<String> {
            let mut ids: Vec<String> = v["vehicles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["vehicle_id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        };
        let mut both = vec![vehicles[0].clone(), vehicles[1].clone()];
        both.sort();
        let c = carrier(&carrier_id);
        let now_fleet = fleet::available_fleet(repo.as_ref(), &c, now)
            .await
            .unwrap();
        assert_eq!(fleet_ids(&now_fleet), both, "{db}: busy one left out");
        fleet::revoke_pass(repo.as_ref(), &office(), &p1)
            .await
            .unwrap();
        let v = fleet::available_fleet(repo.as_ref(), &c, now)
            .await
            .unwrap();
        assert_eq!(fleet_ids(&v), [vehicles[0].clone()], "{db}: revoked pass");
        let v = fleet::available_fleet(repo.as_ref(), &c, now + chrono::Duration::hours(60))
            .await
            .unwrap();
        assert_eq!(fleet_ids(&v), [vehicles[0].clone()], "{db}");
        assert_eq!(v["vehicles"][0]["pass"]["id"], later["id"], "{db}");
        let v = fleet::available_fleet(repo.as_ref(), &c, now + chrono::Duration::hours(100))
            .await
            .unwrap();
        assert!(fleet_ids(&v).is_empty(), "{db}");
        // Another carrier sees none of them; registering needs the office.
        let other = carrier("pty_other");
        assert!(fleet_ids(
            &fleet::available_fleet(repo.as_ref(), &other, now)
                .await
                .unwrap()
        )
        .is_empty());
        let r = fleet::register_pass(repo.as_ref(), &c, pass(&vehicles[0], 0, 1)).await;
        assert!(matches!(r, Err(AppError::Forbidden { .. })), "{db}");
    }
}

/// An agreement reserve is read by its holding enterprise and the office, no one else; it must
/// name a known party; too many lines are refused before any work.
#[tokio::test]
async fn agreement_reserves_are_read_by_their_holder_only() {
    for (db, repo, _dir) in stores().await {
        let holder = unique("pty_holder");
        repo.insert(
            Kind::Party,
            NewRecord {
                id: holder.clone(),
                region: "450200".into(),
                external_id: None,
                owner_party: Some(holder.clone()),
                partner_party: None,
                status: None,
                body: json!({"name": "柳州协议储备物流有限公司"}),
            },
        )
        .await
        .unwrap();
        let body = |party: &str| {
            json!({"code": unique("AG"), "name": "柳南区协议储备点", "kind": "agreement",
            "holder_party_id": party, "agreement_number": "柳应急协储〔2026〕1号",
            "location": {"lat": 24.30, "lon": 109.38}})
        };
        let e = stock::create_stockpile(repo.as_ref(), &office(), body("pty_nobody"))
            .await
            .unwrap_err();
        assert_eq!(violation_fields(e), ["holder_party_id"], "{db}");
        let pile = id(
            &stock::create_stockpile(repo.as_ref(), &office(), body(&holder))
                .await
                .unwrap(),
        );
        let it = item(&repo, None).await;
        lot(&repo, &pile, &it, "A", 5, None).await;
        let mine = stock::list_lots(repo.as_ref(), &carrier(&holder), &pile, None)
            .await
            .unwrap();
        assert_eq!(mine["lots"][0]["available"], 5, "{db}");
        let listed = stock::list_stockpiles(repo.as_ref(), &carrier(&holder))
            .await
            .unwrap();
        assert_eq!(listed["stockpiles"].as_array().unwrap().len(), 1, "{db}");
        let theirs = stock::list_lots(repo.as_ref(), &carrier("pty_other"), &pile, None).await;
        assert!(matches!(theirs, Err(AppError::NotFound(_))), "{db}");
        let listed = stock::list_stockpiles(repo.as_ref(), &carrier("pty_other"))
            .await
            .unwrap();
        assert!(!listed.to_string().contains(&pile), "{db}");
        // The holder reads but does not issue.
        let issue = json!({"lines": [{"item_id": it, "quantity": 1}]});
        let r = stock::issue(repo.as_ref(), &carrier(&holder), &pile, issue).await;
        assert!(matches!(r, Err(AppError::Forbidden { .. })), "{db}");
        let many: Vec<Value> = (0..101)
            .map(|n| json!({"item_id": format!("emi_{n}"), "quantity": 1}))
            .collect();
        let r = stock::issue(repo.as_ref(), &office(), &pile, json!({ "lines": many })).await;
        assert!(matches!(r, Err(AppError::TooLarge { .. })), "{db}: {r:?}");
    }
}

/// Cancelling a request gives back the stock its reservations held, in the same commit; two
/// reservations on one lot are both released.
#[tokio::test]
async fn cancelling_a_request_releases_its_reservations() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let l = lot(&repo, &pile, &it, "A", 20, None).await;
        let req = id(
            &requests::submit(repo.as_ref(), &office(), request_body(&it, 9))
                .await
                .unwrap(),
        );
        let other = id(
            &requests::submit(repo.as_ref(), &office(), request_body(&it, 1))
                .await
                .unwrap(),
        );
        let hold = |r: &str, q: i64| {
            json!({"stockpile_id": pile, "request_id": r,
            "lines": [{"item_id": it, "quantity": q}]})
        };
        let r1 = id(&stock::reserve(repo.as_ref(), &office(), hold(&req, 5))
            .await
            .unwrap());
        stock::reserve(repo.as_ref(), &office(), hold(&req, 4))
            .await
            .unwrap();
        stock::reserve(repo.as_ref(), &office(), hold(&other, 1))
            .await
            .unwrap();
        assert_eq!(lot_state(&repo, &l).await, (20, 10), "{db}");
        requests::transition(repo.as_ref(), &office(), &req, json!({"to": "cancelled"}))
            .await
            .unwrap();
        assert_eq!(
            lot_state(&repo, &l).await,
            (20, 1),
            "{db}: only the other request's hold is left"
        );
        let rsv = stock::movement(repo.as_ref(), &office(), Kind::StockReservation, &r1)
            .await
            .unwrap();
        assert_eq!(rsv["status"], "released", "{db}");
        // The request lists its reservations, and a closed request takes no more.
        let got = requests::get(repo.as_ref(), &office(), &req).await.unwrap();
        assert_eq!(got["reservation_ids"].as_array().unwrap().len(), 2, "{db}");
        let e = stock::reserve(repo.as_ref(), &office(), hold(&req, 1))
            .await
            .unwrap_err();
        assert_eq!(conflict_field(&e), "request_id", "{db}");
        let e = stock::reserve(repo.as_ref(), &office(), hold("erq_nope", 1))
            .await
            .unwrap_err();
        assert_eq!(violation_fields(e), ["request_id"], "{db}");
        assert_eq!(lot_state(&repo, &l).await, (20, 1), "{db}");
    }
}

/// Reservations for a request racing its cancellation: whatever the order, no hold of the
/// cancelled request is left on the lot.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reservations_racing_a_cancellation_leave_no_hold() {
    for (db, repo, _dir) in stores().await {
        let (it, pile) = (item(&repo, None).await, stockpile(&repo).await);
        let l = lot(&repo, &pile, &it, "A", 100, None).await;
        let req = id(
            &requests::submit(repo.as_ref(), &office(), request_body(&it, 9))
                .await
                .unwrap(),
        );
        let started = std::time::Instant::now();
        let mut tasks = Vec::new();
        for n in 0..12 {
            let (repo, pile, it, req) = (repo.clone(), pile.clone(), it.clone(), req.clone());
            tasks.push(tokio::spawn(async move {
                if n == 6 {
                    let to = json!({"to": "cancelled"});
                    requests::transition(repo.as_ref(), &office(), &req, to)
                        .await
                        .map(|_| ())
                } else {
                    let body = json!({"stockpile_id": pile, "request_id": req,
                        "lines": [{"item_id": it, "quantity": 2}]});
                    stock::reserve(repo.as_ref(), &office(), body)
                        .await
                        .map(|_| ())
                }
            }));
        }
        for t in tasks {
            if let Err(e) = t.await.unwrap() {
                assert_eq!(conflict_field(&e), "request_id", "{db}: {e}");
            }
        }
        eprintln!(
            "{db}: 11 reservations and a cancellation in {:?}",
            started.elapsed()
        );
        let got = requests::get(repo.as_ref(), &office(), &req).await.unwrap();
        assert_eq!(got["status"], "cancelled", "{db}");
        assert_eq!(lot_state(&repo, &l).await, (100, 0), "{db}");
    }
}
