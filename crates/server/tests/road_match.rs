//! OSRM's `match/v1` and `nearest/v1` over HTTP on the Monaco extract: the body has OSRM's shape,
//! errors are OSRM error bodies naming the parameter, and both paths are in the OpenAPI document.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use wuliu_model::GeoPoint;
use wuliu_road::{PreparedNetwork, RouteRequest};
use wuliu_server::{app, AppState};
use wuliu_store::SqlStore;

async fn router() -> (axum::Router, Arc<PreparedNetwork>) {
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Car, |_| {}).unwrap();
    let net = Arc::new(PreparedNetwork::prepare(net, None));
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    (
        app(AppState::new(Arc::new(store)).with_road(net.clone())),
        net,
    )
}

/// OSRM clients send no token.
async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let res = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn match_and_nearest_answer_like_osrm() {
    let (router, net) = router().await;
    // A track along a real route: every third point of its line, 5 s apart.
    let route = net
        .route(&RouteRequest {
            points: vec![
                GeoPoint {
                    lat: 43.7311,
                    lon: 7.4197,
                },
                GeoPoint {
                    lat: 43.7384,
                    lon: 7.4283,
                },
            ],
            steps: false,
            vehicle: None,
            departure: None,
        })
        .unwrap()
        .unwrap();
    let mut track: Vec<[f64; 2]> = route.coordinates.iter().step_by(3).copied().collect();
    track.push([7.40, 43.70]); // out at sea: unmatched
    let coords: Vec<String> = track.iter().map(|c| format!("{},{}", c[0], c[1])).collect();
    let times: Vec<String> = (0..track.len())
        .map(|i| (1_700_000_000 + 5 * i).to_string())
        .collect();
    let uri = format!(
        "/match/v1/driving/{}?timestamps={}&geometries=geojson&overview=full&steps=true",
        coords.join(";"),
        times.join(";")
    );
    let (status, body) = get(&router, &uri).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code"], "Ok");
    let m = &body["matchings"][0];
    let c = m["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
    let d = m["distance"].as_f64().unwrap();
    assert!(
        (d - route.distance_m).abs() / route.distance_m < 0.1,
        "{d} vs {}",
        route.distance_m
    );
    assert!(m["duration"].as_f64().unwrap() > 0.0);
    assert_eq!(m["geometry"]["type"], "LineString");
    assert!(!m["legs"].as_array().unwrap().is_empty());
    let tps = body["tracepoints"].as_array().unwrap();
    assert_eq!(tps.len(), track.len());
    assert!(tps.last().unwrap().is_null(), "the point at sea is null");
    for key in [
        "matchings_index",
        "waypoint_index",
        "alternatives_count",
        "location",
        "name",
        "distance",
    ] {
        assert!(!tps[0][key].is_null(), "tracepoint has {key}");
    }

    // Errors are OSRM bodies naming the parameter.
    let (status, bad) = get(
        &router,
        &format!("/match/v1/driving/{}?radiuses=5;500", coords[..2].join(";")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        bad["message"].as_str().unwrap().contains("radiuses[1]"),
        "{bad}"
    );
    let many = vec![coords[0].clone(); 501].join(";");
    let (status, bad) = get(&router, &format!("/match/v1/driving/{many}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["code"], "TooBig");
    assert!(bad["message"].as_str().unwrap().contains("500"));

    let (status, near) = get(
        &router,
        &format!("/nearest/v1/driving/{}?number=3", coords[1]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{near}");
    let w = near["waypoints"].as_array().unwrap();
    assert_eq!(w.len(), 3);
    assert_eq!(w[0]["nodes"].as_array().unwrap().len(), 2);
    assert!(
        w[0]["distance"].as_f64().unwrap() < 1.0,
        "the track lies on the road"
    );
    assert!(w[0]["location"].is_array() && w[0]["name"].is_string());
    let (status, bad) = get(
        &router,
        &format!("/nearest/v1/driving/{}?number=101", coords[1]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["message"].as_str().unwrap().contains("number"));

    let (_, doc) = get(&router, "/openapi.json").await;
    for p in [
        "/match/v1/{profile}/{coordinates}",
        "/nearest/v1/{profile}/{coordinates}",
    ] {
        assert!(doc["paths"][p]["get"].is_object(), "{p} documented");
    }
}
