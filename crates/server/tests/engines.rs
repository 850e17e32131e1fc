//! The engines through HTTP: requests parse, results come back checked, bad requests name the field.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_server::{app, auth, AppState, Role};
use wuliu_store::{Repository, SqlStore};

async fn setup() -> (axum::Router, String) {
    let (router, repo) = setup_with_repo().await;
    (router, token_for(&repo, "pty_x").await)
}

async fn setup_with_repo() -> (axum::Router, Arc<dyn Repository>) {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    (app(AppState::new(repo.clone())), repo)
}

async fn token_for(repo: &Arc<dyn Repository>, party: &str) -> String {
    let (secret, stored) = auth::new_token("t", Role::Carrier, Some(party.into()), "450200");
    repo.put_token(&stored).await.unwrap();
    secret
}

async fn post(router: &axum::Router, token: &str, uri: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn loading_fills_a_truck_exactly_and_the_plan_checks() {
    let (router, token) = setup().await;
    let request = json!({
        "container": {"id": "truck", "length": 2400, "width": 2000, "height": 1100},
        "items": [{"id": "pallet", "length": 1200, "width": 1000, "height": 1100, "quantity": 4}]
    });
    let (status, body) = post(&router, &token, "/api/v1/loading/solve?time=1", request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["plan"]["placements"].as_array().unwrap().len(), 4);
    assert_eq!(body["check"]["ok"], true, "{}", body["check"]);
    assert!((body["plan"]["stats"]["utilisation"].as_f64().unwrap() - 1.0).abs() < 1e-9);

    let (status, body) = post(
        &router,
        &token,
        "/api/v1/loading/solve",
        json!({"container": {"id": "c", "length": "long"}}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["violations"][0]["field"], "container.length");
    // Well-formed JSON that breaks the engine's rules: every problem with its own field path.
    let body = refused_truck_load(
        &router,
        &token,
        json!([
            {"id": "pallet", "length": 1200, "width": 1000, "height": 0, "quantity": 4},
            {"id": "pallet", "length": 1200, "width": 1000, "height": 900, "quantity": 1}
        ]),
    )
    .await;
    let fields: Vec<&str> = body["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["items[0].height", "items[1].id"], "{body}");
    // A field the model does not know is refused where it stands, not silently ignored.
    let body = refused_truck_load(
        &router,
        &token,
        json!([{"id": "glass", "length": 1200, "width": 100, "height": 900, "fragile": true}]),
    )
    .await;
    let violation = &body["error"]["violations"][0];
    assert_eq!(violation["field"], "items[0].fragile", "{body}");
    assert!(
        violation["message"]
            .as_str()
            .is_some_and(|m| m.contains("max_load_on_top")),
        "{body}"
    );
    let (status, _) = post(&router, &token, "/api/v1/loading/solve?time=-3", json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Posts `items` for a 2.4 m truck to the loading endpoint, expects it refused, and returns the body.
async fn refused_truck_load(router: &axum::Router, token: &str, items: Value) -> Value {
    let request = json!({
        "container": {"id": "truck", "length": 2400, "width": 2000, "height": 1100},
        "items": items
    });
    let (status, body) = post(router, token, "/api/v1/loading/solve", request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    body
}

#[tokio::test]
async fn a_shipment_splits_the_weight_and_every_container_checks() {
    let (router, token) = setup().await;
    // Five 200 kg coils and thirty 10 kg cartons; one truck of 1 000 kg and vans of 300 kg.
    let request = json!({
        "containers": [
            {"container": {"id": "truck", "length": 1000, "width": 200, "height": 200, "max_payload": 1000},
             "available": 1},
            {"container": {"id": "van", "length": 300, "width": 200, "height": 200, "max_payload": 300}}
        ],
        "items": [
            {"id": "coil", "length": 100, "width": 100, "height": 100, "weight": 200, "quantity": 5},
            {"id": "carton", "length": 100, "width": 100, "height": 100, "weight": 10, "quantity": 30}
        ]
    });
    let (status, body) = post(&router, &token, "/api/v1/loading/shipment?time=2", request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let used: Vec<&str> = body["plan"]["containers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["container"].as_str().unwrap())
        .collect();
    assert_eq!(used, ["truck#1", "van#1"], "{body}");
    assert_eq!(body["plan"]["unloaded"], json!([]));
    let checks = body["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    assert!(checks.iter().all(|c| c["ok"] == true), "{body}");
    // No container type on offer: refused with the field named.
    let (status, body) = post(
        &router,
        &token,
        "/api/v1/loading/shipment",
        json!({"containers": [], "items": []}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["error"]["violations"][0]["field"], "containers",
        "{body}"
    );
}

async fn get(router: &axum::Router, token: &str, uri: &str) -> (StatusCode, Value) {
    let req = Request::get(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn vroom_problem() -> Value {
    // Depot 0 and four shops; durations in seconds, symmetric.
    let d = [
        [0, 600, 900, 600, 1200],
        [600, 0, 500, 900, 1500],
        [900, 500, 0, 600, 1400],
        [600, 900, 600, 0, 800],
        [1200, 1500, 1400, 800, 0],
    ];
    json!({
        "vehicles": [{"id": 7, "start_index": 0, "end_index": 0, "capacity": [10]}],
        "jobs": (1..=4).map(|i| json!({"id": 100 + i, "location_index": i, "delivery": [2], "service": 300})).collect::<Vec<_>>(),
        "matrices": {"car": {"durations": d}}
    })
}

#[tokio::test]
async fn dispatch_speaks_vroom_and_stores_plans() {
    let (router, repo) = setup_with_repo().await;
    let token = token_for(&repo, "pty_x").await;
    let (status, out) = post(
        &router,
        &token,
        "/api/v1/dispatch/solve?time=0.5",
        vroom_problem(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["code"], 0);
    assert_eq!(out["summary"]["unassigned"], 0);
    assert_eq!(out["check"]["feasible"], true, "{}", out["check"]);
    let served: Vec<u64> = out["routes"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["type"] == "job")
        .map(|s| s["id"].as_u64().unwrap())
        .collect();
    let mut sorted = served.clone();
    sorted.sort();
    assert_eq!(sorted, vec![101, 102, 103, 104]);
    // The optimal tour 0-1-2-3-4-0 (or its reverse) costs 600+500+600+800+1200 = 3700 s of driving.
    assert_eq!(out["summary"]["cost"], 3700);

    // Submitted plans are stored and can be polled.
    let (status, plan) = post(
        &router,
        &token,
        "/api/v1/dispatch/plans?time=0.5",
        vroom_problem(),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{plan}");
    let id = plan["id"].as_str().unwrap();
    let (status, done) = get(
        &router,
        &token,
        &format!("/api/v1/dispatch/plans/{id}?wait=60"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["status"], "solved", "{done}");
    assert_eq!(done["output"]["summary"]["cost"], 3700);
    assert_eq!(done["check"]["feasible"], true);

    // Another party's token cannot see the plan.
    let other = token_for(&repo, "pty_y").await;
    let (status, _) = get(&router, &other, &format!("/api/v1/dispatch/plans/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A job pointing outside the matrix is refused up front, naming the problem.
    let mut bad = vroom_problem();
    bad["jobs"][0]["location_index"] = json!(99);
    let (status, err) = post(&router, &token, "/api/v1/dispatch/plans", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
}

fn epcis_doc(lot: &str, temps: &[(u32, f64)]) -> Value {
    let events: Vec<Value> = temps
        .iter()
        .map(|(minute, t)| {
            json!({
                "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "storing",
                "eventTime": format!("2026-05-01T08:{minute:02}:00+08:00"), "eventTimeZoneOffset": "+08:00",
                "quantityList": [{"epcClass": lot, "quantity": 100, "uom": "KGM"}],
                "sensorElementList": [{"sensorReport": [{"type": "gs1:Temperature", "value": t, "uom": "CEL"}]}]
            })
        })
        .collect();
    json!({"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-05-01T08:00:00+08:00",
           "epcisBody": {"eventList": events}})
}

#[tokio::test]
async fn ledger_captures_queries_and_exports_verifiable_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    let ledger = Arc::new(wuliu_ledger::Ledger::open(dir.path()).unwrap());
    let router = app(AppState::new(repo.clone()).with_ledger(ledger));
    let token = token_for(&repo, "pty_x").await;
    let lot = "urn:epc:class:lgtin:9521234.054321.LOT7";

    let (status, receipt) = post(
        &router,
        &token,
        "/epcis/capture",
        epcis_doc(lot, &[(0, 2.0), (5, 3.0), (10, 9.5), (15, 3.0)]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["count"], 4);

    // A bad document is refused whole, naming the event and path.
    let mut bad = epcis_doc(lot, &[(20, 2.0), (25, 2.0)]);
    bad["epcisBody"]["eventList"][1]["eventTime"] = json!("yesterday");
    let (status, err) = post(&router, &token, "/epcis/capture", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err["error"]["violations"][0]["field"]
            .as_str()
            .unwrap()
            .contains("eventTime"),
        "{err}"
    );
    let (_, head) = get(&router, &token, "/ledger/tree-head").await;
    assert_eq!(
        head["tree_size"], 4,
        "nothing of the rejected document was stored: {head}"
    );

    let (status, found) = get(
        &router,
        &token,
        &format!("/epcis/events?MATCH_anyEPC={lot}&EQ_bizStep=storing"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["events"].as_array().map(Vec::len), Some(4), "{found}");

    // The bundle verifies offline; the chilled policy flags the 9.5 °C reading.
    let (status, bundle) = get(&router, &token, &format!("/ledger/lots/{lot}/bundle")).await;
    assert_eq!(status, StatusCode::OK);
    let verdict = wuliu_ledger::verify_bundle(&bundle.to_string());
    assert!(verdict.ok, "{:?}", verdict.failures);
    let mut tampered = bundle.clone();
    let text = tampered.to_string().replacen("9.5", "3.5", 1);
    tampered = serde_json::from_str(&text).unwrap();
    assert!(
        !wuliu_ledger::verify_bundle(&tampered.to_string()).ok,
        "a changed reading must fail verification"
    );
    let (status, report) = post(
        &router,
        &token,
        "/ledger/lots/report",
        json!({"subject": lot, "policy": {"class": "chilled"}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_ne!(report["status"], "compliant", "{report}");
}

#[tokio::test]
async fn road_answers_like_osrm_and_feeds_dispatch() {
    let pbf = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../road/tests/data/monaco.osm.pbf"
    );
    let net = wuliu_road::RoadNetwork::import_pbf(pbf, wuliu_road::Profile::Car, |_| {}).unwrap();
    let net = Arc::new(wuliu_road::PreparedNetwork::prepare(net, None));
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    let router = app(AppState::new(repo.clone()).with_road(net));
    let token = token_for(&repo, "pty_x").await;
    let coords = "7.4197,43.7311;7.4283,43.7384;7.4246,43.7332";

    // OSRM clients send no token.
    let req = Request::get(format!(
        "/route/v1/driving/{coords}?steps=true&geometries=geojson"
    ))
    .body(Body::empty())
    .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let route: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(route["code"], "Ok");
    let r = &route["routes"][0];
    assert!(
        r["distance"].as_f64().unwrap() > 1000.0 && r["duration"].as_f64().unwrap() > 60.0,
        "{r}"
    );
    assert_eq!(r["geometry"]["type"], "LineString");
    assert_eq!(r["legs"].as_array().unwrap().len(), 2);
    assert!(route["waypoints"][0]["location"].as_array().unwrap().len() == 2);

    let (status, table) = get(
        &router,
        &token,
        &format!("/table/v1/driving/{coords}?annotations=duration,distance"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let d = table["durations"].as_array().unwrap();
    assert_eq!(d.len(), 3);
    assert_eq!(d[0][0], 0.0);
    assert!(d[0][1].as_f64().unwrap() > 0.0);
    // The table's leg equals the route's first leg.
    let leg = r["legs"][0]["duration"].as_f64().unwrap();
    assert!(
        (d[0][1].as_f64().unwrap() - leg).abs() < 0.5,
        "table {} vs route {leg}",
        d[0][1]
    );

    let (status, bad) = get(&router, &token, "/route/v1/driving/7.41,nonsense").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_ne!(bad["code"], "Ok");

    // Our JSON API reads points as [lon, lat], like the OSRM URL above, or as {lat, lon} objects;
    // both give the OSRM route's first leg.
    let pairs = json!([[7.4197, 43.7311], [7.4283, 43.7384]]);
    let objects = json!([{"lat": 43.7311, "lon": 7.4197}, {"lat": 43.7384, "lon": 7.4283}]);
    for points in [pairs, objects] {
        let (status, ours) = post(
            &router,
            &token,
            "/api/v1/road/route",
            json!({ "points": points }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{ours}");
        assert_eq!(ours["reachable"], true, "{ours}");
        let d = ours["route"]["duration_s"].as_f64().unwrap();
        assert!((d - leg).abs() < 0.5, "{points}: {d} vs OSRM leg {leg}");
    }
    let (status, ours) = post(
        &router,
        &token,
        "/api/v1/road/table",
        json!({ "sources": [[7.4197, 43.7311], {"lat": 43.7384, "lon": 7.4283}] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ours}");
    let ours = ours["durations_s"][0][1].as_f64().unwrap();
    assert!((ours - d[0][1].as_f64().unwrap()).abs() < 0.5, "{ours}");

    // Dispatch with coordinates uses the road network, and says so.
    let problem = json!({
        "vehicles": [{"id": 1, "start": [7.4197, 43.7311], "end": [7.4197, 43.7311]}],
        "jobs": [{"id": 1, "location": [7.4283, 43.7384]}, {"id": 2, "location": [7.4246, 43.7332]}]
    });
    let (status, out) = post(&router, &token, "/api/v1/dispatch/solve?time=0.3", problem).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["travel_costs"]["road_network"], true);
    assert_eq!(out["summary"]["unassigned"], 0);
}

#[tokio::test]
async fn plans_left_queued_by_a_crash_are_solved_after_restart() {
    // A plan acknowledged and stored as `queued` by a server that then died: nothing solved it.
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    let token = token_for(&repo, "pty_x").await;
    let input: wuliu_dispatch::vroom::Input = serde_json::from_value(vroom_problem()).unwrap();
    let config = wuliu_dispatch::SolverConfig {
        time_limit_s: 0.5,
        ..Default::default()
    };
    for (id, input) in [
        ("dsp_left_queued", serde_json::to_value(&input).unwrap()),
        ("dsp_unreadable", json!({"jobs": "not a list"})),
    ] {
        repo.insert(
            wuliu_store::Kind::DispatchPlan,
            wuliu_store::NewRecord {
                id: id.into(),
                region: "450200".into(),
                external_id: None,
                owner_party: Some("pty_x".into()),
                partner_party: None,
                status: Some("queued".into()),
                body: json!({"status": "queued", "input": input, "config": config}),
            },
        )
        .await
        .unwrap();
    }
    // The restarted server resumes it before serving.
    let state = AppState::new(repo.clone());
    let resumed = wuliu_server::engines::dispatch::resume_queued(&state)
        .await
        .unwrap();
    assert_eq!(resumed, 1);
    let router = app(state);
    let (status, done) = get(
        &router,
        &token,
        "/api/v1/dispatch/plans/dsp_left_queued?wait=60",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(done["status"], "solved", "{done}");
    assert_eq!(done["output"]["summary"]["cost"], 3700);
    let (_, bad) = get(&router, &token, "/api/v1/dispatch/plans/dsp_unreadable").await;
    assert_eq!(bad["status"], "failed", "{bad}");
    assert!(
        bad["error"].as_str().unwrap().contains("cannot be read"),
        "{bad}"
    );
}
