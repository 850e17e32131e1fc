//! The emergency situation (issue 28, part 3) and stored flood polygons: a polygon closure stored
//! as a road change, with no road network loaded, cuts the straight-line legs of the next plan
//! (none given with the plan) until it is lifted; the situation lists it as GeoJSON, marks the
//! request inside it `cut_off` and leaves it out of every stockpile's reach; on the Monaco road
//! network a closure shrinks a stockpile's isochrone. On SQLite, and on PostgreSQL too when
//! `WULIU_TEST_DATABASE_URL` names one.
//!
//! Stored road changes are not per region, so each test places its city in a cell of the globe
//! of its own (a shared PostgreSQL database holds other tests' polygons meanwhile) and lifts its
//! changes at the end.

mod common;

use std::sync::Arc;

use common::emergency::{
    office, receive, region, request_body, stockpile, triaged, truck, unmet, water, with_pass,
};
use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::emergency::{plan, situation};
use wuliu_app::road_changes::{self, RoadChanges};
use wuliu_app::{AppError, Caller, Role};
use wuliu_model::StraightLine;
use wuliu_road::{PreparedNetwork, RoadChange};

/// `[lon, lat]` of a cell of 0.6° × 0.8° no other run is likely to use (10 000 cells between
/// 75°E–135°E and 40°S–40°N).
fn place() -> [f64; 2] {
    let k: u64 = unique("").split('-').next().unwrap().parse().unwrap();
    let k = k / 7 % 10_000;
    [
        75.3 + 0.6 * (k % 100) as f64,
        -39.6 + 0.8 * (k / 100) as f64,
    ]
}

/// A square ring of half-side `h` degrees around `[lon, lat]`.
fn square(c: [f64; 2], h: f64) -> Value {
    json!([
        [c[0] - h, c[1] - h],
        [c[0] + h, c[1] - h],
        [c[0] + h, c[1] + h],
        [c[0] - h, c[1] + h]
    ])
}

struct City {
    office: Caller,
    base: [f64; 2],
    north: String,
    south: String,
    village: String,
    hospital: String,
}

/// South stockpile (50 units) at `base`, north (30) 0.2° north of it; a triaged village request
/// (40) 0.01° south-east of the south, a triaged hospital request (5) next to the north; a truck
/// with a pass at each stockpile.
async fn city(repo: &Repo) -> City {
    let office = office(&region());
    let base = place();
    let water = water(repo, &office).await;
    let mut piles = Vec::new();
    for (name, dlat, qty) in [("南库", 0.0, 50), ("北库", 0.2, 30)] {
        let pile = stockpile(repo, &office, name, [base[0], base[1] + dlat]).await;
        receive(repo, &office, &pile, &water, ("L1", qty, "2099-01-01")).await;
        piles.push(pile);
    }
    let mut asks = Vec::new();
    for (name, dlat, qty) in [("村", -0.01, 40), ("医院", 0.21, 5)] {
        let at = (name, base[1] + dlat, base[0] + 0.01);
        asks.push(triaged(repo, &office, request_body(&water, at, qty, 2), 2).await);
    }
    for (n, dlat) in [0.0, 0.2].into_iter().enumerate() {
        let plate = format!("桂B6678{n}");
        let vid = truck(repo, &office, &plate, [base[0], base[1] + dlat]).await;
        with_pass(repo, &office, &vid).await;
    }
    City {
        office,
        base,
        south: piles[0].clone(),
        north: piles[1].clone(),
        village: asks[0].clone(),
        hospital: asks[1].clone(),
    }
}

/// Stores a closure of `ring` through the road-changes app function (no network loaded).
async fn close(repo: &Repo, c: &City, ring: Value) -> String {
    let cid = unique("flood-");
    let change = road_changes::parse_change(
        &cid,
        json!({"target": {"polygon": ring}, "effect": {"kind": "closed"}}),
    )
    .unwrap();
    road_changes::check(&change, None).unwrap();
    road_changes::store_change(repo.as_ref(), &c.office, &change)
        .await
        .unwrap();
    cid
}

async fn lift(repo: &Repo, c: &City, cid: &str) {
    road_changes::delete_change(repo.as_ref(), &c.office, cid)
        .await
        .unwrap();
}

/// A plan with no closed area in the body, on straight lines.
async fn plan_now(repo: &Repo, c: &City) -> Value {
    let input: plan::PlanInput =
        serde_json::from_value(json!({"time_limit_s": 10, "routes": false})).unwrap();
    let mut snap = plan::snapshot(repo.as_ref(), &c.office, chrono::Utc::now())
        .await
        .unwrap();
    snap.fill_travel(&StraightLine::default(), &input.closed_areas)
        .unwrap();
    plan::solve(&snap, &input).unwrap()
}

fn shipped_from(plan: &Value, pile: &str) -> u64 {
    plan["allocation"]["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["stockpile"] == pile)
        .map(|f| f["quantity"].as_u64().unwrap())
        .sum()
}

#[tokio::test]
async fn a_stored_flood_polygon_cuts_a_stockpile_off_until_lifted() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let before = plan_now(&repo, &c).await;
        assert_eq!(unmet(&before, &c.village), 0, "{db}: {before}");
        assert!(shipped_from(&before, &c.south) > 0, "{db}: {before}");
        // A flood around the south stockpile, stored as a road change with no network loaded.
        let cid = close(&repo, &c, square(c.base, 0.005)).await;
        let flooded = plan_now(&repo, &c).await;
        assert_eq!(shipped_from(&flooded, &c.south), 0, "{db}: {flooded}");
        // Only the north's 30 can go: 45 asked in all, 15 short.
        assert_eq!(
            unmet(&flooded, &c.village) + unmet(&flooded, &c.hospital),
            15,
            "{db}: {flooded}"
        );
        lift(&repo, &c, &cid).await;
        let after = plan_now(&repo, &c).await;
        assert!(shipped_from(&after, &c.south) > 0, "{db}: {after}");
        assert_eq!(unmet(&after, &c.village), 0, "{db}: {after}");
    }
}

async fn situation_now(repo: &Repo, c: &City, minutes: &str) -> Value {
    let minutes = situation::parse_minutes(Some(minutes)).unwrap();
    let input = situation::read(repo.as_ref(), &c.office, minutes, chrono::Utc::now())
        .await
        .unwrap();
    situation::compute(&input, &StraightLine::default(), None).unwrap()
}

fn entry<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e[key].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_request_inside_a_stored_flood_is_cut_off_and_out_of_reach() {
    for (db, repo, _dir) in stores().await {
        let c = city(&repo).await;
        let village = [c.base[0] + 0.01, c.base[1] - 0.01];
        let cid = close(&repo, &c, square(village, 0.004)).await;
        let s = situation_now(&repo, &c, "30,60").await;
        assert_eq!(s["model"], "straight_line", "{db}");
        assert_eq!(s["minutes"], json!([30.0, 60.0]), "{db}");
        let flood = entry(&s["closed_areas"]["features"], &cid);
        let ring = flood["geometry"]["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.len(), 5, "{db}: the ring is closed");
        assert_eq!(ring[0], ring[4], "{db}");
        let v = entry(&s["requests"], &c.village);
        assert_eq!(v["cut_off"], true, "{db}: {v}");
        assert_eq!(v["no_route"], true, "{db}: {v}");
        let h = entry(&s["requests"], &c.hospital);
        assert_eq!(h["cut_off"], false, "{db}: {h}");
        assert_eq!(
            ids(&h["reachable_from"], "stockpile").len(),
            2,
            "{db}: 1.5 and 23 km away, both within 60 min at 45 km/h over a 1.3 detour: {h}"
        );
        for pile in [&c.south, &c.north] {
            let p = entry(&s["stockpiles"], pile);
            let reached = ids(&p["reachable_requests"], "request");
            assert!(!reached.contains(&c.village), "{db}: {p}");
            assert!(reached.contains(&c.hospital), "{db}: {p}");
            assert_eq!(p["cut_requests"], json!([c.village]), "{db}: {p}");
            // Two contours, largest first: circles of 45 km/h ÷ 1.3 × time.
            let features = p["reachable_area"]["features"].as_array().unwrap();
            assert_eq!(features.len(), 2, "{db}");
            assert_eq!(features[0]["properties"]["contour"], 60.0, "{db}");
            assert_eq!(features[0]["properties"]["model"], "straight_line", "{db}");
            let r60 = features[0]["properties"]["radius_m"].as_f64().unwrap();
            assert!((r60 - 45_000.0 / 1.3).abs() < 50.0, "{db}: {r60}");
            let ring = features[1]["geometry"]["coordinates"][0]
                .as_array()
                .unwrap();
            assert_eq!(ring.len(), situation::CIRCLE_POINTS + 1, "{db}");
            assert_eq!(ring[0], ring[situation::CIRCLE_POINTS], "{db}");
        }
        // 30 minutes (17 km) do not take the south to the hospital (23 km).
        let h30 = situation_now(&repo, &c, "30").await;
        let h = entry(&h30["requests"], &c.hospital);
        assert_eq!(
            ids(&h["reachable_from"], "stockpile"),
            vec![c.north.clone()],
            "{db}: {h}"
        );
        lift(&repo, &c, &cid).await;
        let s = situation_now(&repo, &c, "60").await;
        let v = entry(&s["requests"], &c.village);
        assert_eq!(v["cut_off"], false, "{db}: {v}");
        assert!(s["closed_areas"]["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] != cid.as_str()));
    }
}

#[tokio::test]
async fn bad_minutes_are_named_and_a_shipper_is_refused() {
    for bad in ["0", "500", "30,30", "10,20,30,40,50", "soon"] {
        let e = situation::parse_minutes(Some(bad)).unwrap_err();
        match e {
            AppError::BadRequest { ref field, .. } => assert_eq!(field, "minutes", "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    for (db, repo, _dir) in stores().await {
        let shipper = Caller::new(Role::Shipper, Some("pty_s".into()), "450200", "user:s");
        let e = situation::read(repo.as_ref(), &shipper, vec![60.0], chrono::Utc::now())
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{db}: {e:?}");
    }
}

/// The area of a GeoJSON `Polygon`/`MultiPolygon` in square degrees (outer rings less holes).
fn area(geometry: &Value) -> f64 {
    let ring = |r: &Value| -> f64 {
        let p: Vec<[f64; 2]> = serde_json::from_value(r.clone()).unwrap();
        p.windows(2)
            .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
            .sum::<f64>()
            / 2.0
    };
    let polygon = |rings: &Value| -> f64 { rings.as_array().unwrap().iter().map(ring).sum() };
    match geometry["type"].as_str() {
        Some("Polygon") => polygon(&geometry["coordinates"]),
        Some("MultiPolygon") => geometry["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .map(polygon)
            .sum(),
        other => panic!("{other:?}"),
    }
}

/// On the Monaco road network (SQLite only: stored changes are not per region, and the road
/// changes tests close Monaco roads on the shared PostgreSQL database), a closure east of a
/// stockpile shrinks its isochrone, and the answer says it came from the road network.
#[tokio::test]
async fn on_a_road_network_a_closure_shrinks_the_isochrone() {
    let (_, repo, _dir) = stores().await.remove(0);
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Car, |_| {}).unwrap();
    let net = Arc::new(PreparedNetwork::prepare(net, None));
    let office = office(&region());
    let pile = stockpile(&repo, &office, "摩纳哥库", [7.4246, 43.7384]).await;
    let live = RoadChanges::new(repo.clone(), net.clone());
    let areas = |s: &Value| -> Vec<f64> {
        let p = entry(&s["stockpiles"], &pile);
        assert!(p.get("cut_requests").is_none(), "{p}");
        p["reachable_area"]["features"]
            .as_array()
            .unwrap_or_else(|| panic!("{p}"))
            .iter()
            .map(|f| {
                assert_eq!(f["properties"]["model"], "road_network");
                area(&f["geometry"])
            })
            .collect()
    };
    let now = |repo: Repo, office: Caller, net: Arc<PreparedNetwork>| async move {
        let input = situation::read(repo.as_ref(), &office, vec![2.0, 4.0], chrono::Utc::now())
            .await
            .unwrap();
        let s = situation::compute(&input, net.as_ref(), Some(net.as_ref())).unwrap();
        assert_eq!(s["model"], "road_network");
        s
    };
    let open = areas(&now(repo.clone(), office.clone(), net.clone()).await);
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open[0] > open[1] && open[1] > 0.0, "{open:?}");
    let ring = json!([
        [7.4275, 43.725],
        [7.45, 43.725],
        [7.45, 43.75],
        [7.4275, 43.75]
    ]);
    live.put(
        &office,
        "monaco-east",
        json!({"target": {"polygon": ring}, "effect": {"kind": "closed"}}),
    )
    .await
    .unwrap();
    let stored: Vec<RoadChange> = net.changes();
    assert_eq!(stored.len(), 1);
    let closed = areas(&now(repo.clone(), office.clone(), net.clone()).await);
    assert!(
        closed[0] < 0.9 * open[0],
        "the 4-minute area shrinks: {open:?} → {closed:?}"
    );
    eprintln!("isochrone areas (deg²), open {open:?}, closed {closed:?}");
    live.delete(&office, "monaco-east").await.unwrap();
    let reopened = areas(&now(repo.clone(), office.clone(), net.clone()).await);
    assert!(
        (reopened[0] - open[0]).abs() < 1e-9,
        "{open:?} → {reopened:?}"
    );
}
