//! The traceability ledger over HTTP: captures carry the caller's party and are authorised per
//! lot (403 naming the field); histories are visible only to parties involved in the lot.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_server::{app, auth, AppState, Role};
use wuliu_store::{Repository, SqlStore};

const LOT: &str = "urn:epc:class:lgtin:9521234.054321.HTTP1";

struct World {
    router: axum::Router,
    _dir: tempfile::TempDir,
    shipper: String,
    carrier: String,
    stranger: String,
    regulator: String,
    admin: String,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let repo: Arc<dyn Repository> = Arc::new(store);
    let ledger = Arc::new(wuliu_ledger::Ledger::open(dir.path()).unwrap());
    let router = app(AppState::new(repo.clone()).with_ledger(ledger));
    let token = |role: Role, party: Option<&str>| {
        let repo = repo.clone();
        let party = party.map(str::to_string);
        async move {
            let (secret, stored) = auth::new_token("t", role, party, "450200");
            repo.put_token(&stored).await.unwrap();
            secret
        }
    };
    World {
        shipper: token(Role::Shipper, Some("pty_farm")).await,
        carrier: token(Role::Carrier, Some("pty_truck")).await,
        stranger: token(Role::Carrier, Some("pty_other")).await,
        regulator: token(Role::Regulator, None).await,
        admin: token(Role::Admin, None).await,
        router,
        _dir: dir,
    }
}

async fn call(
    router: &axum::Router,
    token: Option<&str>,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = req
        .header("content-type", "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn event(minute: u32, step: &str, lot: &str) -> Value {
    json!({
        "type": "ObjectEvent", "action": "OBSERVE", "bizStep": step,
        "eventTime": format!("2026-05-01T08:{minute:02}:00+08:00"), "eventTimeZoneOffset": "+08:00",
        "quantityList": [{"epcClass": lot, "quantity": 10, "uom": "KGM"}],
        "sensorElementList": [{"sensorReport": [{"type": "gs1:Temperature", "value": 3.0, "uom": "CEL"}]}]
    })
}

fn doc(events: Vec<Value>) -> Value {
    json!({"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-05-01T08:00:00+08:00",
           "epcisBody": {"eventList": events}})
}

#[tokio::test]
async fn captures_are_authorised_per_lot_and_record_the_caller() {
    let w = world().await;
    let r = &w.router;
    let (status, body) = call(
        r,
        Some(&w.shipper),
        "POST",
        "/epcis/capture",
        Some(doc(vec![event(0, "commissioning", LOT)])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // The carrier was not handed the lot: 403 naming the field, nothing stored.
    let (status, body) = call(
        r,
        Some(&w.carrier),
        "POST",
        "/epcis/capture",
        Some(doc(vec![event(1, "storing", LOT)])),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "auth.forbidden");
    assert_eq!(
        body["error"]["violations"][0]["field"],
        "$.epcisBody.eventList[0].quantityList[0].epcClass",
        "{body}"
    );
    assert!(
        body["error"]["message"].as_str().unwrap().contains(LOT),
        "{body}"
    );
    let (_, head) = call(r, None, "GET", "/ledger/tree-head", None).await;
    assert_eq!(head["tree_size"], 1);

    // The regulator stays read-only.
    let (status, _) = call(
        r,
        Some(&w.regulator),
        "POST",
        "/epcis/capture",
        Some(doc(vec![event(2, "storing", LOT)])),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The shipper hands possession to the carrier, who may then capture.
    let mut ship = event(3, "shipping", LOT);
    ship["destinationList"] = json!([{"type": "possessing_party", "destination": "pty_truck"}]);
    let (status, body) = call(
        r,
        Some(&w.shipper),
        "POST",
        "/epcis/capture",
        Some(doc(vec![ship])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = call(
        r,
        Some(&w.carrier),
        "POST",
        "/epcis/capture",
        Some(doc(vec![event(4, "transporting", LOT)])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Admins may capture anything.
    let (status, _) = call(
        r,
        Some(&w.admin),
        "POST",
        "/epcis/capture",
        Some(doc(vec![event(5, "inspecting", LOT)])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // Each event records who captured it.
    let (status, found) = call(
        r,
        Some(&w.admin),
        "GET",
        &format!("/epcis/events?MATCH_anyEPC={LOT}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let by: Vec<(Value, Value)> = found["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"]["wuliu:record"]["capturedBy"]["party"].clone(),
                e["event"]["wuliu:record"]["capturedBy"]["role"].clone(),
            )
        })
        .collect();
    assert_eq!(
        by,
        vec![
            (json!("pty_farm"), json!("shipper")),
            (json!("pty_farm"), json!("shipper")),
            (json!("pty_truck"), json!("carrier")),
            (Value::Null, json!("admin")),
        ]
    );
}

#[tokio::test]
async fn histories_are_visible_only_to_parties_involved_in_the_lot() {
    let w = world().await;
    let r = &w.router;
    let (status, receipt) = call(
        r,
        Some(&w.shipper),
        "POST",
        "/epcis/capture",
        Some(doc(vec![
            event(0, "commissioning", LOT),
            event(1, "storing", LOT),
        ])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let event_id = receipt["event_ids"][0].as_str().unwrap().to_string();
    let bundle_uri = format!("/ledger/lots/{LOT}/bundle");
    let custody_uri = format!("/ledger/lots/{LOT}/custody");
    let encoded = event_id.replace('/', "%2F").replace(';', "%3B");
    let proof_uri = format!("/ledger/events/{encoded}/proof");
    let report = json!({"subject": LOT, "policy": {"class": "chilled"}});

    // Without a token: the bundle, custody, queries and event proofs are refused...
    for uri in [
        &bundle_uri,
        &custody_uri,
        &proof_uri,
        &format!("/epcis/events?MATCH_anyEPC={LOT}"),
    ] {
        let (status, _) = call(r, None, "GET", uri, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    // ...while the tree head, the key and Merkle proofs stay public.
    for uri in [
        "/ledger/tree-head",
        "/ledger/public-key",
        "/ledger/proofs/inclusion?leaf_index=0",
        "/ledger/proofs/consistency?old_size=1",
    ] {
        let (status, body) = call(r, None, "GET", uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    }

    // The owner, the admin and the regulator see the lot; the bundle verifies.
    for t in [&w.shipper, &w.admin, &w.regulator] {
        let (status, bundle) = call(r, Some(t), "GET", &bundle_uri, None).await;
        assert_eq!(status, StatusCode::OK, "{bundle}");
        let verdict = wuliu_ledger::verify_bundle(&bundle.to_string());
        assert!(verdict.ok, "{:?}", verdict.failures);
        for (method, uri, body) in [
            ("GET", &custody_uri, None),
            ("GET", &proof_uri, None),
            (
                "POST",
                &"/ledger/lots/report".to_string(),
                Some(report.clone()),
            ),
        ] {
            let (status, body) = call(r, Some(t), method, uri, body).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        }
    }
    // A carrier with nothing to do with the lot sees nothing of it.
    for (method, uri, body) in [
        ("GET", &bundle_uri, None),
        ("GET", &custody_uri, None),
        ("GET", &proof_uri, None),
        (
            "POST",
            &"/ledger/lots/report".to_string(),
            Some(report.clone()),
        ),
    ] {
        let (status, body) = call(r, Some(&w.carrier), method, uri, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
    }
    let (status, found) = call(
        r,
        Some(&w.carrier),
        "GET",
        &format!("/epcis/events?MATCH_anyEPC={LOT}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["events"].as_array().unwrap().len(), 0, "{found}");

    // Once handed the lot, it sees it; a stranger still does not.
    let mut ship = event(2, "shipping", LOT);
    ship["destinationList"] =
        json!([{"type": "urn:epcglobal:cbv:sdt:possessing_party", "destination": "pty_truck"}]);
    let (status, _) = call(
        r,
        Some(&w.shipper),
        "POST",
        "/epcis/capture",
        Some(doc(vec![ship])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(r, Some(&w.carrier), "GET", &bundle_uri, None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, found) = call(
        r,
        Some(&w.carrier),
        "GET",
        &format!("/epcis/events?MATCH_anyEPC={LOT}"),
        None,
    )
    .await;
    assert_eq!(found["events"].as_array().unwrap().len(), 3, "{found}");
    let (status, _) = call(r, Some(&w.stranger), "GET", &bundle_uri, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, found) = call(r, Some(&w.stranger), "GET", "/epcis/events", None).await;
    assert_eq!(found["events"].as_array().unwrap().len(), 0, "{found}");
}

#[tokio::test]
async fn a_share_code_opens_one_lots_bundle_without_a_login_and_nothing_else() {
    let w = world().await;
    let r = &w.router;
    const OTHER: &str = "urn:epc:class:lgtin:9521234.054321.HTTP2";
    let (status, receipt) = call(
        r,
        Some(&w.shipper),
        "POST",
        "/epcis/capture",
        Some(doc(vec![
            event(0, "commissioning", LOT),
            event(1, "commissioning", OTHER),
        ])),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let share_uri = format!("/ledger/lots/{LOT}/share");
    // Only callers who see the lot get its code: not anonymous callers, not strangers.
    let (status, _) = call(r, None, "GET", &share_uri, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = call(r, Some(&w.stranger), "GET", &share_uri, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, shared) = call(r, Some(&w.shipper), "GET", &share_uri, None).await;
    assert_eq!(status, StatusCode::OK, "{shared}");
    let code = shared["share"].as_str().unwrap().to_string();
    let (_, again) = call(r, Some(&w.admin), "GET", &share_uri, None).await;
    assert_eq!(
        again["share"], shared["share"],
        "the code is the same for every caller"
    );

    // With the code, anyone reads the lot's bundle, and it verifies.
    let (status, bundle) = call(
        r,
        None,
        "GET",
        &format!("/ledger/lots/{LOT}/bundle?share={code}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{bundle}");
    assert!(wuliu_ledger::verify_bundle(&bundle.to_string()).ok);
    // The code opens no other lot, a wrong or truncated code opens nothing, and a guessed
    // code is not retried as a login.
    let mut wrong = code.clone().into_bytes();
    wrong[0] = if wrong[0] == b'0' { b'1' } else { b'0' };
    for uri in [
        format!("/ledger/lots/{OTHER}/bundle?share={code}"),
        format!(
            "/ledger/lots/{LOT}/bundle?share={}",
            String::from_utf8(wrong).unwrap()
        ),
        format!("/ledger/lots/{LOT}/bundle?share={}", &code[..16]),
        format!("/ledger/lots/{LOT}/bundle?share="),
        format!("/ledger/lots/not-a-lot/bundle?share={code}"),
    ] {
        let (status, body) = call(r, None, "GET", &uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        let (status, _) = call(r, Some(&w.admin), "GET", &uri, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri} with a token");
    }
    // The code opens only the bundle: custody and event queries still need a login.
    for uri in [
        format!("/ledger/lots/{LOT}/custody?share={code}"),
        format!("/epcis/events?MATCH_anyEPC={LOT}&share={code}"),
    ] {
        let (status, _) = call(r, None, "GET", &uri, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
    }
}
