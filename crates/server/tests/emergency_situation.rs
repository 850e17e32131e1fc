//! `GET /api/v1/emergency/situation` over HTTP (issue 28, part 3), with no road network loaded: a
//! flood polygon stored as a road change comes back as a GeoJSON `FeatureCollection` of closed
//! polygon rings, the request inside it is `cut_off`, each stockpile's reachable area is a
//! straight-line circle; bad `minutes` are named and a shipper is refused. On SQLite, and on
//! PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use common::emergency::{region, stockpile, village_request, water, E};
use common::{unique, Api};
use serde_json::{json, Value};
use wuliu_server::Role;

/// A place of its own on the globe (stored road changes are not per region, and PostgreSQL is
/// shared with other tests): `[lon, lat]` in a 0.6° × 0.8° cell.
fn place() -> [f64; 2] {
    let k: u64 = unique("").split('-').next().unwrap().parse().unwrap();
    let k = k / 7 % 10_000;
    [
        75.3 + 0.6 * (k % 100) as f64,
        -39.6 + 0.8 * (k / 100) as f64,
    ]
}

fn closed_ring(ring: &Value) {
    let ring = ring.as_array().unwrap();
    assert!(ring.len() >= 4, "{ring:?}");
    assert_eq!(ring.first(), ring.last(), "not closed: {ring:?}");
    for p in ring {
        assert_eq!(p.as_array().unwrap().len(), 2, "{p}");
    }
}

#[tokio::test]
async fn the_situation_answers_geojson_with_the_stored_flood() {
    for (db, api) in Api::each_backend().await {
        let region = region();
        let office = api.token(Role::Regulator, None, &region).await;
        let [lon, lat] = place();
        let item = water(&api, &office).await;
        let pile = stockpile(&api, &office, lat, lon).await;
        let req = village_request(&api, &office, &item, [lon, lat]).await;
        // The flood around the village, stored as a road change (no network is loaded: the
        // app function, as `wuliu road close --polygon` does).
        let cid = unique("flood-");
        let caller = wuliu_app::Caller::new(wuliu_app::Role::Regulator, None, &region, "cli");
        let ring = json!([
            [lon - 0.01, lat + 0.04],
            [lon + 0.01, lat + 0.04],
            [lon + 0.01, lat + 0.06],
            [lon - 0.01, lat + 0.06]
        ]);
        let change = wuliu_app::road_changes::parse_change(
            &cid,
            json!({"target": {"polygon": ring}, "effect": {"kind": "closed"}}),
        )
        .unwrap();
        wuliu_app::road_changes::store_change(api.repo.as_ref(), &caller, &change)
            .await
            .unwrap();

        let r = api
            .get(&format!("{E}/situation?minutes=30,60"), &office)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let s = r.json();
        assert_eq!(s["model"], "straight_line", "{db}");
        assert_eq!(s["closed_areas"]["type"], "FeatureCollection", "{db}");
        let features = s["closed_areas"]["features"].as_array().unwrap();
        let flood = features
            .iter()
            .find(|f| f["id"] == cid.as_str())
            .unwrap_or_else(|| panic!("{db}: {cid} not in {features:?}"));
        assert_eq!(flood["type"], "Feature", "{db}");
        assert_eq!(flood["geometry"]["type"], "Polygon", "{db}");
        for ring in flood["geometry"]["coordinates"].as_array().unwrap() {
            closed_ring(ring);
        }
        assert_eq!(s["requests"][0]["id"], req.as_str(), "{db}");
        assert_eq!(s["requests"][0]["cut_off"], true, "{db}: {}", s["requests"]);
        let p = &s["stockpiles"][0];
        assert_eq!(p["id"], pile.as_str(), "{db}");
        assert_eq!(p["cut_requests"], json!([req]), "{db}: {p}");
        let area = &p["reachable_area"];
        assert_eq!(area["type"], "FeatureCollection", "{db}");
        let contours: Vec<f64> = area["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                assert_eq!(f["geometry"]["type"], "Polygon", "{db}");
                closed_ring(&f["geometry"]["coordinates"][0]);
                f["properties"]["contour"].as_f64().unwrap()
            })
            .collect();
        assert_eq!(contours, vec![60.0, 30.0], "{db}: largest first");

        for bad in ["0", "500", "30,abc"] {
            let r = api
                .get(&format!("{E}/situation?minutes={bad}"), &office)
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
            assert_eq!(r.violation_fields(), vec!["minutes"], "{db}: {}", r.text);
        }
        let shipper = api.token(Role::Shipper, Some("pty_s"), &region).await;
        let r = api.get(&format!("{E}/situation"), &shipper).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);

        wuliu_app::road_changes::delete_change(api.repo.as_ref(), &caller, &cid)
            .await
            .unwrap();
        let r = api.get(&format!("{E}/situation"), &office).await;
        assert_eq!(
            r.json()["requests"][0]["cut_off"],
            false,
            "{db}: {}",
            r.text
        );
    }
}
