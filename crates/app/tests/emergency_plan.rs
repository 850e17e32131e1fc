//! Allocation over the stored records (issue 28, part 4): the plan uses only the stock available
//! now (holds and expired lots left out), only triaged requests of the caller's region, only
//! vehicles with a valid pass, and a closed area cuts straight-line legs into it.

mod common;

use common::emergency::{
    id, office, receive, region, request_body, stockpile, truck, unmet, water, with_pass,
};
use common::{stores, Repo};
use serde_json::{json, Value};
use wuliu_app::emergency::{plan, requests, stock};
use wuliu_app::{AppError, Caller, Role};
use wuliu_model::StraightLine;

struct City {
    office: Caller,
    north: String,
    south: String,
    hospital: String,
    village: String,
    pending: String,
}

/// Two stockpiles (north 40 units on hand of which 10 held, plus an expired lot; south 50),
/// a triaged hospital request (priority 1, 60 units) near the north, a triaged village request
/// (priority 3, 30 units) near the south, a request still only submitted, and two trucks with
/// passes (one more truck without a pass).
async fn city(repo: &Repo) -> City {
    let office = office(&region());
    let r = repo.as_ref();
    let water = water(repo, &office).await;
    let north = stockpile(repo, &office, "北库", [109.40, 24.40]).await;
    let south = stockpile(repo, &office, "南库", [109.40, 24.20]).await;
    receive(repo, &office, &north, &water, ("N1", 40, "2099-01-01")).await;
    receive(repo, &office, &north, &water, ("N0", 500, "2021-01-01")).await;
    receive(repo, &office, &south, &water, ("S1", 50, "2099-01-01")).await;
    stock::reserve(
        r,
        &office,
        json!({"stockpile_id": north,
        "lines": [{"item_id": water, "quantity": 10}]}),
    )
    .await
    .unwrap();
    let ask = |name: &str, lat: f64, qty: i64| request_body(&water, (name, lat, 109.41), qty, 2);
    let hospital = id(&requests::submit(r, &office, ask("医院", 24.41, 60))
        .await
        .unwrap());
    let village = id(&requests::submit(r, &office, ask("村", 24.19, 30))
        .await
        .unwrap());
    let pending = id(&requests::submit(r, &office, ask("未分诊", 24.30, 1000))
        .await
        .unwrap());
    requests::triage(r, &office, &hospital, json!({"priority": 1}))
        .await
        .unwrap();
    requests::triage(r, &office, &village, json!({"priority": 3}))
        .await
        .unwrap();
    for (n, pass) in [true, true, false].into_iter().enumerate() {
        let at = [109.40, 24.40 - 0.2 * n as f64];
        let vid = truck(repo, &office, &format!("桂B5678{n}"), at).await;
        if pass {
            with_pass(repo, &office, &vid).await;
        }
    }
    City {
        office,
        north,
        south,
        hospital,
        village,
        pending,
    }
}

fn shipped(plan: &Value, from: &str, to: &str) -> u64 {
    plan["allocation"]["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["stockpile"] == from && f["request"] == to)
        .map(|f| f["quantity"].as_u64().unwrap())
        .sum()
}

async fn run(repo: &Repo, c: &City, input: Value) -> Value {
    let input: plan::PlanInput = serde_json::from_value(input).unwrap();
    let mut snap = plan::snapshot(repo.as_ref(), &c.office, chrono::Utc::now())
        .await
        .unwrap();
    plan::fill_travel(
        &mut snap.problem,
        &StraightLine::default(),
        &input.closed_areas,
    )
    .unwrap();
    plan::solve(&snap, &input).unwrap()
}

#[tokio::test]
async fn plan_uses_only_available_stock_triaged_requests_and_vehicles_with_a_pass() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let plan = run(&repo, &c, json!({"time_limit_s": 10})).await;
        assert_eq!(
            plan["counts"]["requests"], 2,
            "{db}: only the triaged requests"
        );
        assert_eq!(
            plan["counts"]["vehicles"], 2,
            "{db}: only vehicles with a pass"
        );
        assert_eq!(plan["allocation"]["status"], "optimal", "{db}");
        // North has 30 available (40 on hand, 10 held; the expired lot is out), south 50:
        // 80 in all for 90 asked, and the life-critical hospital is served in full.
        let from_north =
            shipped(&plan, &c.north, &c.hospital) + shipped(&plan, &c.north, &c.village);
        assert!(from_north <= 30, "{db}: north shipped {from_north}");
        assert_eq!(unmet(&plan, &c.hospital), 0, "{db}: {plan}");
        assert_eq!(unmet(&plan, &c.village), 10, "{db}: {plan}");
        assert_eq!(
            shipped(&plan, &c.north, &c.pending) + shipped(&plan, &c.south, &c.pending),
            0
        );
        let left: Vec<&str> = plan["left_out"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l["reason"].as_str())
            .collect();
        assert!(left.contains(&"expired"), "{db}: {left:?}");
        // Routes deliver what was allocated, with an ETA for each request served.
        let etas = plan["routes"]["etas"].as_array().unwrap();
        let served: Vec<&str> = etas.iter().filter_map(|e| e["request"].as_str()).collect();
        assert!(
            served.contains(&c.hospital.as_str()),
            "{db}: {}",
            plan["routes"]
        );
        assert!(
            plan["routes"]["unrouted"].as_array().unwrap().is_empty(),
            "{db}"
        );
    }
}

#[tokio::test]
async fn a_closed_area_around_the_south_cuts_it_off() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        // A flood polygon around the south stockpile: nothing leaves it by straight line.
        let ring = json!([
            [109.30, 24.15],
            [109.50, 24.15],
            [109.50, 24.25],
            [109.30, 24.25]
        ]);
        let plan = run(
            &repo,
            &c,
            json!({"time_limit_s": 10, "closed_areas": [ring]}),
        )
        .await;
        assert_eq!(
            shipped(&plan, &c.south, &c.hospital) + shipped(&plan, &c.south, &c.village),
            0,
            "{db}: {plan}"
        );
        // Only the north's 30 go, to the hospital first.
        assert_eq!(unmet(&plan, &c.hospital), 30, "{db}: {plan}");
        assert_eq!(unmet(&plan, &c.village), 30, "{db}: {plan}");
    }
}

#[tokio::test]
async fn only_the_office_may_plan_and_bad_areas_are_named() {
    let (_, repo, _dir) = stores().await.remove(0);
    let shipper = Caller::new(Role::Shipper, Some("pty_s".into()), "450200", "user:s");
    let e = plan::snapshot(repo.as_ref(), &shipper, chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden { .. }), "{e:?}");
    let e = plan::check_closed_areas(&[vec![[109.0, 24.0], [109.1, 24.0], [109.1, 124.0]]])
        .unwrap_err();
    assert!(format!("{e:?}").contains("closed_areas[0][2]"), "{e:?}");
    let e = plan::check_closed_areas(&[vec![[109.0, 24.0], [109.1, 24.0]]]).unwrap_err();
    assert!(format!("{e:?}").contains("closed_areas[0]"), "{e:?}");
}
