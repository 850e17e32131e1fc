//! Approving a plan (issue 28): the flows of a plan are committed as reservations for the
//! requests they serve, each request claimed `triaged → allocated` once. Attack first: two
//! commits of the same plan at once hold the stock once; stock issued meanwhile is reported, never
//! overdrawn; other callers and bad flows are refused before anything is written. On SQLite, and
//! on PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use std::collections::BTreeMap;

use common::emergency::{id, office, request_body, stockpile, triaged, truck, water, with_pass};
use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::emergency::{commit, plan, requests, stock};
use wuliu_app::{AppError, Caller, Role};
use wuliu_model::StraightLine;
use wuliu_store::Kind;

/// A region of its own for each city, so that other tests' records stay out of its plan.
fn region() -> String {
    format!("4{}", &unique("")[..5])
}

struct City {
    office: Caller,
    water: String,
    north: String,
    south: String,
    requests: Vec<String>,
}

/// Two stockpiles of water (north 40, south 50), two triaged requests (a hospital near the north
/// asking 30, a village near the south asking 20) and two trucks with passes: a plan sends 50.
async fn city(repo: &Repo) -> City {
    let office = office(&region());
    let r = repo.as_ref();
    let water = water(repo, &office).await;
    let mut piles = Vec::new();
    for (name, lat, qty) in [("北库", 24.40, 40), ("南库", 24.20, 50)] {
        let pile = stockpile(repo, &office, name, [109.40, lat]).await;
        stock::receive_lot(
            r,
            &office,
            &pile,
            json!({"item_id": water, "lot_number": "L1",
            "quantity": qty, "expiry_date": "2099-01-01"}),
        )
        .await
        .unwrap();
        piles.push(pile);
    }
    let mut reqs = Vec::new();
    for (name, lat, qty) in [("医院", 24.41, 30), ("村", 24.19, 20)] {
        let body = request_body(&water, (name, lat, 109.41), qty, 2);
        reqs.push(triaged(repo, &office, body, 1).await);
    }
    for n in 0..2 {
        let plate = format!("桂B6{n}{}", &unique("")[..3]);
        let vid = truck(repo, &office, &plate, [109.40, 24.40 - 0.2 * n as f64]).await;
        with_pass(repo, &office, &vid).await;
    }
    City {
        office,
        water,
        north: piles[0].clone(),
        south: piles[1].clone(),
        requests: reqs,
    }
}

async fn run_plan(repo: &Repo, c: &City) -> Value {
    let input: plan::PlanInput =
        serde_json::from_value(json!({"time_limit_s": 5, "routes": false})).unwrap();
    let mut snap = plan::snapshot(repo.as_ref(), &c.office, chrono::Utc::now())
        .await
        .unwrap();
    plan::fill_travel(&mut snap.problem, &StraightLine::default(), &[]).unwrap();
    let out = plan::solve(&snap, &input).unwrap();
    assert!(
        !out["allocation"]["flows"].as_array().unwrap().is_empty(),
        "{out}"
    );
    out
}

/// The plan's units per (stockpile, request).
fn planned(plan: &Value) -> BTreeMap<(String, String), i64> {
    let mut out = BTreeMap::new();
    for f in plan["allocation"]["flows"].as_array().unwrap() {
        let key = (
            f["stockpile"].as_str().unwrap().to_string(),
            f["request"].as_str().unwrap().to_string(),
        );
        *out.entry(key).or_default() += f["quantity"].as_i64().unwrap();
    }
    out
}

/// The reservations of `request` as stored.
async fn reservations(repo: &Repo, c: &City, request: &str) -> Vec<Value> {
    let v = stock::list_movements(
        repo.as_ref(),
        &c.office,
        Kind::StockReservation,
        None,
        Some(request),
    )
    .await
    .unwrap();
    v["records"].as_array().unwrap().clone()
}

/// Units held per (stockpile, request) by the city's held reservations.
async fn held(repo: &Repo, c: &City) -> BTreeMap<(String, String), i64> {
    let mut out = BTreeMap::new();
    for req in &c.requests {
        for r in reservations(repo, c, req).await {
            assert_eq!(r["status"], "held", "{r}");
            let key = (r["stockpile_id"].as_str().unwrap().to_string(), req.clone());
            for l in r["lines"].as_array().unwrap() {
                *out.entry(key.clone()).or_default() += l["quantity"].as_i64().unwrap();
            }
        }
    }
    out
}

/// (on hand, held, available) of water at `pile`.
async fn stock_at(repo: &Repo, c: &City, pile: &str) -> (i64, i64, i64) {
    let v = stock::stockpile(repo.as_ref(), &c.office, pile)
        .await
        .unwrap();
    let s = &v["stock"][0];
    assert_eq!(s["item_id"].as_str(), Some(c.water.as_str()));
    let n = |k: &str| s[k].as_i64().unwrap();
    (n("on_hand"), n("held"), n("available"))
}

async fn status_of(repo: &Repo, c: &City, req: &str) -> String {
    let v = requests::get(repo.as_ref(), &c.office, req).await.unwrap();
    v["status"].as_str().unwrap().to_string()
}

fn outcome<'a>(answer: &'a Value, req: &str) -> &'a Value {
    answer["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["request_id"] == req)
        .unwrap_or_else(|| panic!("{req} not in {answer}"))
}

#[tokio::test]
async fn two_commits_of_the_same_plan_at_once_hold_the_stock_once() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = run_plan(&repo, &c).await;
        let body = json!({"flows": plan["allocation"]["flows"]});
        let (r, o) = (repo.as_ref(), &c.office);
        let (a, b) = tokio::join!(
            commit::commit(r, o, body.clone()),
            commit::commit(r, o, body.clone())
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        for req in &c.requests {
            let mut got = [
                outcome(&a, req)["status"].clone(),
                outcome(&b, req)["status"].clone(),
            ];
            got.sort_by_key(|s| s.to_string());
            assert_eq!(
                got,
                [json!("allocated"), json!("already_allocated")],
                "{db}: {a} {b}"
            );
            let loser = if outcome(&a, req)["status"] == "allocated" {
                &b
            } else {
                &a
            };
            assert_eq!(outcome(loser, req)["reservation_ids"], json!([]), "{db}");
            assert_eq!(status_of(&repo, &c, req).await, "allocated", "{db}");
        }
        // Held once: exactly the plan's units, one reservation per (stockpile, request).
        let want = planned(&plan);
        assert_eq!(held(&repo, &c).await, want, "{db}");
        let mut n = 0;
        for req in &c.requests {
            n += reservations(&repo, &c, req).await.len();
        }
        assert_eq!(n, want.len(), "{db}");
        let total: i64 = want.values().sum();
        let (_, h1, _) = stock_at(&repo, &c, &c.north).await;
        let (_, h2, _) = stock_at(&repo, &c, &c.south).await;
        assert_eq!(h1 + h2, total, "{db}: held twice?");
    }
}

#[tokio::test]
async fn stock_issued_meanwhile_is_reported_and_never_overdrawn() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = run_plan(&repo, &c).await;
        let want = planned(&plan);
        let from_north: i64 = want
            .iter()
            .filter(|((p, _), _)| p == &c.north)
            .map(|(_, q)| q)
            .sum();
        assert!(from_north > 0, "{db}: {plan}");
        // The north's stock leaves before the office approves, all but 40 − from_north + 1 of it.
        let gone = 40 - from_north + 1;
        stock::issue(
            repo.as_ref(),
            &c.office,
            &c.north,
            json!({"lines": [{"item_id": c.water, "quantity": gone}]}),
        )
        .await
        .unwrap();
        let answer = commit::commit(
            repo.as_ref(),
            &c.office,
            json!({"flows": plan["allocation"]["flows"]}),
        )
        .await
        .unwrap();
        let mut reported = 0;
        for ((pile, req), qty) in &want {
            let o = outcome(&answer, req);
            assert_eq!(status_of(&repo, &c, req).await, "allocated", "{db}");
            let missed: Vec<&Value> = o["not_reserved"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["stockpile_id"] == json!(pile))
                .collect();
            if pile == &c.north {
                // Each north flow either fitted or is reported with the units there were.
                if let [m] = missed[..] {
                    assert_eq!(m["quantity"], json!(qty), "{db}: {answer}");
                    assert!(
                        m["reason"].as_str().unwrap().contains("available"),
                        "{db}: {m}"
                    );
                    assert!(
                        matches!(
                            o["status"].as_str(),
                            Some("partly_reserved" | "not_reserved")
                        ),
                        "{db}: {o}"
                    );
                    reported += qty;
                }
            } else {
                assert!(missed.is_empty(), "{db}: {answer}");
            }
        }
        assert!(reported > 0, "{db}: nothing reported short: {answer}");
        for pile in [&c.north, &c.south] {
            let (on_hand, held_units, available) = stock_at(&repo, &c, pile).await;
            assert!(
                available >= 0 && held_units <= on_hand,
                "{db}: {on_hand} {held_units}"
            );
        }
        let got: i64 = held(&repo, &c).await.values().sum();
        assert_eq!(got, want.values().sum::<i64>() - reported, "{db}");
    }
}

#[tokio::test]
async fn a_shipper_and_bad_flows_are_refused_before_anything_is_written() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = run_plan(&repo, &c).await;
        let flows = plan["allocation"]["flows"].clone();
        let shipper = Caller::new(
            Role::Shipper,
            Some("pty_s".into()),
            &c.office.region,
            "user:s",
        );
        let e = commit::commit(repo.as_ref(), &shipper, json!({"flows": flows}))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{db}: {e:?}");
        let mut zero = flows.clone();
        let last = zero.as_array().unwrap().len();
        zero.as_array_mut()
            .unwrap()
            .push(json!({"stockpile": c.north,
            "request": c.requests[0], "item": c.water, "quantity": 0}));
        let mut unknown = flows.clone();
        unknown
            .as_array_mut()
            .unwrap()
            .push(json!({"stockpile": "stp_nowhere",
            "request": c.requests[0], "item": c.water, "quantity": 1}));
        for (bad, field) in [
            (zero, format!("flows[{last}].quantity")),
            (unknown, format!("flows[{last}].stockpile")),
        ] {
            let e = commit::commit(repo.as_ref(), &c.office, json!({"flows": bad}))
                .await
                .unwrap_err();
            match &e {
                AppError::BadRequest { field: f, .. } => assert_eq!(f, &field, "{db}: {e:?}"),
                other => panic!("{db}: {other:?}"),
            }
        }
        let many: Vec<Value> = (0..=commit::MAX_FLOWS).map(|_| flows[0].clone()).collect();
        let e = commit::commit(repo.as_ref(), &c.office, json!({"flows": many}))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::TooLarge { field, .. } if field == "flows"),
            "{db}: {e:?}"
        );
        // Nothing was written: no reservation, both requests still triaged, stock untouched.
        for req in &c.requests {
            assert!(reservations(&repo, &c, req).await.is_empty(), "{db}");
            assert_eq!(status_of(&repo, &c, req).await, "triaged", "{db}");
        }
        assert_eq!(stock_at(&repo, &c, &c.north).await, (40, 0, 40), "{db}");
    }
}

#[tokio::test]
async fn a_committed_plan_allocates_its_requests_and_holds_exactly_its_flows() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = run_plan(&repo, &c).await;
        let before = [
            stock_at(&repo, &c, &c.north).await.2,
            stock_at(&repo, &c, &c.south).await.2,
        ];
        // The whole plan answer may be posted: its `allocation.flows` are taken.
        let answer = commit::commit(repo.as_ref(), &c.office, plan.clone())
            .await
            .unwrap();
        let want = planned(&plan);
        for req in &c.requests {
            let o = outcome(&answer, req);
            assert_eq!(o["status"], "allocated", "{db}: {answer}");
            assert_eq!(o["not_reserved"], json!([]), "{db}");
            assert_eq!(status_of(&repo, &c, req).await, "allocated", "{db}");
            let ids: Vec<String> = reservations(&repo, &c, req).await.iter().map(id).collect();
            let mut said: Vec<String> = o["reservation_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            said.sort();
            let mut ids = ids;
            ids.sort();
            assert_eq!(said, ids, "{db}");
        }
        assert_eq!(held(&repo, &c).await, want, "{db}");
        for (k, pile) in [&c.north, &c.south].into_iter().enumerate() {
            let out: i64 = want
                .iter()
                .filter(|((p, _), _)| p == pile)
                .map(|(_, q)| q)
                .sum();
            assert_eq!(stock_at(&repo, &c, pile).await.2, before[k] - out, "{db}");
        }
        assert_eq!(answer["counts"]["allocated"], 2, "{db}: {answer}");
    }
}
