//! Isochrones (our GET and Valhalla's POST) and OSRM's trip service over HTTP, on Monaco.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_server::{app, AppState};
use wuliu_store::{Repository, SqlStore};

async fn router() -> axum::Router {
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Car, |_| {}).unwrap();
    let net = Arc::new(wuliu_road::PreparedNetwork::prepare(net, None));
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    app(AppState::new(repo).with_road(net))
}

/// Sends a request without a token (these services, like OSRM's, need none).
async fn send(router: &axum::Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(router: &axum::Router, uri: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    send(router, req).await
}

fn violation_field(body: &Value) -> String {
    body["error"]["violations"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn isochrones_answer_geojson_and_name_bad_fields() {
    let router = router().await;
    let (status, fc) = get(
        &router,
        "/isochrone/v1/driving/7.4246,43.7384?contours_minutes=1,2&polygons=true",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{fc}");
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["contour"], 2.0, "largest first");
    assert_eq!(features[1]["properties"]["contour"], 1.0);
    let kind = features[0]["geometry"]["type"].as_str().unwrap();
    assert!(kind == "Polygon" || kind == "MultiPolygon", "{kind}");

    let (status, bad) = get(
        &router,
        "/isochrone/v1/driving/7.4246,43.7384?contours_minutes=5,200",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(violation_field(&bad), "contours_minutes[1]", "{bad}");
    let (status, bad) = get(
        &router,
        "/isochrone/v1/driving/7.4246,43.7384?contours_minutes=5,ten",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(violation_field(&bad), "contours_minutes[1]", "{bad}");

    // Valhalla's body gives the same answer as our URL.
    let (status, valhalla) = post(
        &router,
        "/isochrone",
        json!({"locations": [{"lat": 43.7384, "lon": 7.4246}], "costing": "auto",
               "contours": [{"time": 1}, {"time": 2}], "polygons": true, "id": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{valhalla}");
    assert_eq!(valhalla["features"], fc["features"]);
    assert_eq!(valhalla["id"], "x");
    // Without `polygons`, Valhalla answers the outlines as lines.
    let (status, lines) = post(
        &router,
        "/isochrone",
        json!({"locations": [{"lat": 43.7384, "lon": 7.4246}], "contours": [{"time": 2}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{lines}");
    let kind = lines["features"][0]["geometry"]["type"].as_str().unwrap();
    assert!(kind.ends_with("LineString"), "{kind}");
    let (status, bad) = post(
        &router,
        "/isochrone",
        json!({"locations": [{"lat": 43.7384, "lon": 7.4246}], "contours": [{"time": 500}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(violation_field(&bad), "contours[0].time", "{bad}");
}

#[tokio::test]
async fn trip_answers_like_osrm() {
    let router = router().await;
    let coords = "7.4197,43.7311;7.4283,43.7384;7.4246,43.7332;7.4160,43.7350";
    let (status, body) = get(
        &router,
        &format!("/trip/v1/driving/{coords}?source=first&destination=last&roundtrip=false&geometries=geojson&steps=true"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code"], "Ok");
    let trip = &body["trips"][0];
    assert_eq!(trip["legs"].as_array().unwrap().len(), 3);
    assert_eq!(trip["geometry"]["type"], "LineString");
    assert!(trip["duration"].as_f64().unwrap() > 0.0);
    assert!(!trip["legs"][0]["steps"].as_array().unwrap().is_empty());
    let waypoints = body["waypoints"].as_array().unwrap();
    assert_eq!(waypoints.len(), 4);
    assert_eq!(waypoints[0]["waypoint_index"], 0);
    assert_eq!(waypoints[3]["waypoint_index"], 3);
    assert!(waypoints.iter().all(|w| w["trips_index"] == 0));

    // A round trip has a leg back to the start.
    let (status, body) = get(&router, &format!("/trip/v1/driving/{coords}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["trips"][0]["legs"].as_array().unwrap().len(), 4);

    let (status, bad) = get(&router, &format!("/trip/v1/driving/{coords}?source=middle")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["code"], "InvalidOptions");
    let many = vec!["7.42,43.73"; 101].join(";");
    let (status, bad) = get(&router, &format!("/trip/v1/driving/{many}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["code"], "TooBig");
}
