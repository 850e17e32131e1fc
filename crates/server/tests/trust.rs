//! The "trust first" findings, each as an attack that must fail: takeovers of records, races,
//! lifecycle bypasses, records attached to other parties' records, unbounded input.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use wuliu_server::Role;

/// A confirmed waybill between the market's shipper and carrier, created by the shipper.
async fn waybill_of(api: &Api, m: &Market) -> String {
    let mut w = waybill(&m.shipper, &m.carrier, &unique("W"));
    w["status"] = json!("confirmed");
    let r = api.post("/api/v1/waybills", &m.ts, w).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

async fn status(api: &Api, token: &str, uri: &str, to: &str) -> Reply {
    api.post(&format!("{uri}/status"), token, json!({ "status": to }))
        .await
}

#[tokio::test]
async fn a_party_cannot_take_over_or_rewrite_a_waybill() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let other = api.party(&m.admin, &unique("C"), 77, &["carrier"]).await;
    let uri = format!("/api/v1/waybills/{}", waybill_of(&api, &m).await);
    assert_eq!(
        status(&api, &m.tc, &uri, "dispatched").await.status,
        StatusCode::OK
    );

    // The carrier names itself shipper and raises the amount: refused, naming the field.
    let r = api
        .patch(
            &uri,
            &m.tc,
            json!({"shipper_id": m.carrier, "total_amount": 999999.0}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(
        r.json()["error"]["violations"][0]["field"],
        "shipper_id",
        "{}",
        r.text
    );
    // The shipper hands the waybill to another carrier: refused.
    let r = api.patch(&uri, &m.ts, json!({"carrier_id": other})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    // Once despatched, the amount is frozen even for the waybill's own parties.
    let r = api.patch(&uri, &m.tc, json!({"total_amount": 1.0})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert!(r.text.contains("frozen"), "{}", r.text);
    // The shipper still sees it, unchanged.
    let r = api.get(&uri, &m.ts).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["shipper_id"], m.shipper.as_str());
    assert_eq!(r.json()["total_amount"], 2600.0);
    // Signed and receipted: closed for everyone but an audited admin amendment.
    assert_eq!(
        status(&api, &m.tc, &uri, "signed").await.status,
        StatusCode::OK
    );
    assert_eq!(
        status(&api, &m.tc, &uri, "receipted").await.status,
        StatusCode::OK
    );
    let r = api.patch(&uri, &m.tc, json!({"remark": "改"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = api
        .patch(&uri, &m.admin, json!({"total_amount": 2500.0}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let id = uri.rsplit('/').next().unwrap();
    let r = api
        .get(&format!("/api/v1/audit?record_id={id}"), &m.admin)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let actions: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        actions,
        ["create", "transition", "transition", "transition", "amend"]
    );
    let last = &r.json()["items"][4];
    assert_eq!(
        last["diff"]["total_amount"],
        json!([2600.0, 2500.0]),
        "{last}"
    );
}

#[tokio::test]
async fn fifty_simultaneous_accepts_of_one_load_have_one_winner() {
    for (backend, api) in Api::each_backend().await {
        let api = Arc::new(api);
        let m = Arc::new(Market::new(&api).await);
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (api, m) = (api.clone(), m.clone());
                tokio::spawn(
                    async move { api.post("/api/v1/matching/accept", &m.tc, m.accept()).await },
                )
            })
            .collect();
        let mut codes = Vec::new();
        for t in tasks {
            codes.push(t.await.unwrap().status);
        }
        let won = codes.iter().filter(|s| **s == StatusCode::CREATED).count();
        assert_eq!(won, 1, "{backend}: {codes:?}");
        assert!(
            codes
                .iter()
                .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
            "{backend}: {codes:?}"
        );
        let r = api
            .get(
                &format!("/api/v1/waybills?shipper_id={}", m.shipper),
                &m.admin,
            )
            .await;
        assert_eq!(
            r.json()["items"].as_array().unwrap().len(),
            1,
            "{backend}: one waybill"
        );
        let load = api
            .get(&format!("/api/v1/loads/{}", m.load), &m.ts)
            .await
            .json();
        assert_eq!(load["status"], "matched", "{backend}");
    }
}

#[tokio::test]
async fn racing_dispatch_and_cancel_end_in_one_consistent_state() {
    for (backend, api) in Api::each_backend().await {
        let api = Arc::new(api);
        let m = Arc::new(Market::new(&api).await);
        for _ in 0..5 {
            let uri = format!("/api/v1/waybills/{}", waybill_of(&api, &m).await);
            let (a, b) = tokio::join!(
                status(&api, &m.tc, &uri, "dispatched"),
                status(&api, &m.ts, &uri, "cancelled")
            );
            let ok: Vec<bool> = [&a, &b]
                .iter()
                .map(|r| r.status == StatusCode::OK)
                .collect();
            assert_eq!(
                ok.iter().filter(|x| **x).count(),
                1,
                "{backend}: {} / {}",
                a.text,
                b.text
            );
            let end = api.get(&uri, &m.ts).await.json();
            let winner = if ok[0] { "dispatched" } else { "cancelled" };
            assert_eq!(end["status"], winner, "{backend}");
            assert_eq!(end["version"], 2, "{backend}: one write only");
        }
    }
}

#[tokio::test]
async fn if_match_refuses_stale_writes_and_concurrent_patches_lose_nothing() {
    for (backend, api) in Api::each_backend().await {
        let api = Arc::new(api);
        let m = Arc::new(Market::new(&api).await);
        let uri = format!("/api/v1/waybills/{}", waybill_of(&api, &m).await);
        let r = api.get(&uri, &m.ts).await;
        assert_eq!(r.headers["etag"], "\"1\"", "{backend}");
        let patch = json!({"remark": "first"}).to_string();
        let hdrs = [("content-type", "application/json"), ("if-match", "\"1\"")];
        let r = api
            .call_with("PATCH", &uri, &m.ts, &hdrs, patch.clone())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        assert_eq!(r.headers["etag"], "\"2\"");
        // The same If-Match again is stale now.
        let r = api.call_with("PATCH", &uri, &m.ts, &hdrs, patch).await;
        assert_eq!(
            r.status,
            StatusCode::PRECONDITION_FAILED,
            "{backend}: {}",
            r.text
        );
        assert_eq!(
            r.headers["etag"], "\"2\"",
            "the answer says the current version"
        );

        // Ten PATCHes of ten different goods lines at once, without If-Match: none is lost.
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                let (api, m, uri) = (api.clone(), m.clone(), uri.clone());
                tokio::spawn(async move {
                    let body = json!({ "original_document_number": format!("OD{i}") });
                    api.patch(&uri, &m.ts, body).await
                })
            })
            .collect();
        for t in tasks {
            let r = t.await.unwrap();
            assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        }
        let end = api.get(&uri, &m.ts).await.json();
        assert_eq!(
            end["version"], 12,
            "{backend}: every patch was applied on top of the last"
        );
    }
}

#[tokio::test]
async fn accept_applies_the_matching_rules_and_the_load_follows_its_waybill() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    // A 28,750 kg load does not go onto an 18 t truck.
    let heavy = Market::post_load(&api, &m.ts, &m.shipper, 28_750.0).await;
    let body = json!({"load_id": heavy, "vehicle_id": m.vehicle, "driver_id": m.driver});
    let r = api.post("/api/v1/matching/accept", &m.tc, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.json()["error"]["violations"][0]["code"],
        "capacity.weight",
        "{}",
        r.text
    );
    let r = api.get(&format!("/api/v1/loads/{heavy}"), &m.ts).await;
    assert_eq!(r.json()["status"], "open", "nothing changed");

    // The fitting load: accepted, then the load and vehicle follow the waybill.
    let r = api.post("/api/v1/matching/accept", &m.tc, m.accept()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let uri = format!(
        "/api/v1/waybills/{}",
        r.json()["waybill"]["id"].as_str().unwrap()
    );
    let load_uri = format!("/api/v1/loads/{}", m.load);
    let vehicle_uri = format!("/api/v1/vehicles/{}", m.vehicle);
    for (to, load, vehicle) in [
        ("confirmed", "matched", "busy"),
        ("dispatched", "in_transit", "busy"),
        ("signed", "delivered", "available"),
    ] {
        let r = status(&api, &m.tc, &uri, to).await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.text);
        assert_eq!(
            api.get(&load_uri, &m.ts).await.json()["status"],
            load,
            "{to}"
        );
        assert_eq!(
            api.get(&vehicle_uri, &m.tc).await.json()["status"],
            vehicle,
            "{to}"
        );
    }
    // A shipper cannot move its load along by hand.
    let other = Market::post_load(&api, &m.ts, &m.shipper, 1000.0).await;
    let r = status(&api, &m.ts, &format!("/api/v1/loads/{other}"), "matched").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
}

#[tokio::test]
async fn import_follows_the_lifecycle() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let import = |rows: Value| {
        let api = &api;
        let token = m.ts.clone();
        async move { api.post("/api/v1/waybills/import", &token, rows).await }
    };
    let ext = unique("W");
    let mut w = waybill(&m.shipper, &m.carrier, &ext);
    w["status"] = json!("receipted");
    let r = import(json!([w.clone()])).await;
    assert_eq!(r.json()["rejected"], 1, "born receipted: {}", r.text);
    assert_eq!(
        r.json()["rows"][0]["errors"][0]["field"],
        "status",
        "{}",
        r.text
    );
    w["status"] = json!("draft");
    assert_eq!(import(json!([w.clone()])).await.json()["created"], 1);
    w["status"] = json!("receipted");
    let r = import(json!([w.clone()])).await;
    assert_eq!(
        r.json()["rejected"],
        1,
        "draft → receipted by re-import: {}",
        r.text
    );
    // Loads: open → delivered by re-import is refused too.
    let load = api
        .get(&format!("/api/v1/loads/{}", m.load), &m.ts)
        .await
        .json();
    let mut row = load.clone();
    row["status"] = json!("delivered");
    let r = api.post("/api/v1/loads/import", &m.ts, json!([row])).await;
    assert_eq!(r.json()["rejected"], 1, "{}", r.text);
    // Parties re-imported as exported are unchanged.
    let parties = api.get("/api/v1/parties/export", &m.admin).await.json();
    let r = api
        .post("/api/v1/parties/import", &m.admin, parties.clone())
        .await;
    let n = parties.as_array().unwrap().len();
    assert_eq!(r.json()["unchanged"], n, "{}", r.text);
}

#[tokio::test]
async fn records_cannot_be_attached_to_other_parties_records() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let wid = waybill_of(&api, &m).await;
    let rival = api.party(&m.admin, &unique("S"), 31, &["shipper"]).await;
    let other_carrier = api.party(&m.admin, &unique("C"), 32, &["carrier"]).await;
    // A payment naming another shipper as payer.
    let pay = |shipper: &str| {
        json!({"document_number": unique("P"), "carrier_id": m.carrier, "shipper_id": shipper,
            "actual_carrier_id_code": credit_code(99), "plate": "桂B12345", "plate_colour": "yellow",
            "waybills": [{"waybill_id": wid, "shipping_note_number": "SN1", "amount": 2600.0}],
            "payments": [{"means_code": "32", "recipient": "柳州运输", "account": "6222000011112222",
                "bank_code": "ICBKCNBJ", "serial": unique("B"), "amount": 2600.0, "time": "2026-11-03T08:00:00Z"}]})
    };
    let r = api.post("/api/v1/payments", &m.tc, pay(&rival)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(
        r.json()["error"]["violations"][0]["field"],
        "shipper_id",
        "{}",
        r.text
    );
    let r = api.post("/api/v1/payments", &m.tc, pay(&m.shipper)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // Fund-flow records are append-only.
    let pid = r.json()["id"].as_str().unwrap().to_string();
    let r = api
        .patch(
            &format!("/api/v1/payments/{pid}"),
            &m.tc,
            json!({"remark": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // Another carrier reports an event on this carrier's vehicle and waybill.
    let tx = api
        .token(Role::Carrier, Some(&other_carrier), "450200")
        .await;
    let ev = json!({"reporter_id": other_carrier, "kind": "departed", "time": "2026-11-03T08:00:00Z",
        "waybill_id": wid, "vehicle_id": m.vehicle});
    let r = api.post("/api/v1/events", &tx, ev).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let fields = r.violation_fields();
    assert!(fields.contains(&"waybill_id".to_string()), "{}", r.text);
    assert!(fields.contains(&"vehicle_id".to_string()), "{}", r.text);
}

#[tokio::test]
async fn oversized_and_malformed_input_is_refused_by_name() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    // A CSV header naming index 200,000,000: refused before anything is allocated.
    let csv = "external_id,carrier_id,dangerous_goods_classes[200000000]\nV9,x,3\n";
    let r = api
        .call(
            "POST",
            "/api/v1/vehicles/import",
            &m.tc,
            "text/csv",
            csv.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert!(
        r.text.contains("dangerous_goods_classes[200000000]"),
        "{}",
        r.text
    );
    // Field limits: a 2 MB external_id, a NUL byte, a load of 1e308 kg, a plate taken.
    let mut v = vehicle(&m.carrier, "X1", "桂B0X001", 18000.0);
    v["external_id"] = json!("x".repeat(2_000_000));
    let r = api.post("/api/v1/vehicles", &m.tc, v.clone()).await;
    assert_eq!(
        r.violation_fields(),
        ["external_id"],
        "{}",
        &r.text[..300.min(r.text.len())]
    );
    v["external_id"] = json!("ok\u{0}nul");
    assert_eq!(
        api.post("/api/v1/vehicles", &m.tc, v.clone())
            .await
            .violation_fields(),
        ["external_id"]
    );
    v["external_id"] = json!("X1");
    v["rated_load"] = json!(1e308);
    assert_eq!(
        api.post("/api/v1/vehicles", &m.tc, v.clone())
            .await
            .violation_fields(),
        ["rated_load"]
    );
    v["rated_load"] = json!(18000.0);
    assert_eq!(
        api.post("/api/v1/vehicles", &m.tc, v.clone()).await.status,
        StatusCode::CREATED
    );
    v["external_id"] = json!(unique("V"));
    let r = api.post("/api/v1/vehicles", &m.tc, v).await;
    assert_eq!(
        r.violation_fields(),
        ["plate"],
        "duplicate plate: {}",
        r.text
    );
    // A body over the limit is refused with a JSON error.
    let big = "x".repeat(wuliu_server::MAX_BODY + 1);
    let r = api
        .call("POST", "/api/v1/vehicles", &m.tc, "application/json", big)
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json()["error"]["message"].is_string());
}

#[tokio::test]
async fn filters_with_impossible_values_are_refused() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    for (query, field) in [
        ("status=flying", "status"),
        ("total_amount=NaN", "total_amount"),
        ("total_amount.gte=inf", "total_amount.gte"),
        ("consignment_time.gte=yesterday", "consignment_time.gte"),
        ("region=null", "region"),
    ] {
        let r = api.get(&format!("/api/v1/waybills?{query}"), &m.ts).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.text);
        assert_eq!(r.violation_fields(), [field], "{query}");
    }
    let r = api
        .get("/api/v1/waybills?consignment_time.gte=2026-11-01", &m.ts)
        .await;
    assert_eq!(r.status, StatusCode::OK, "a date is a time: {}", r.text);
}

#[tokio::test]
async fn csv_is_safe_to_open_and_reads_gbk_and_crlf() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let mut v = vehicle(&m.carrier, "=cmd|' /C calc'!A0", "桂B0F001", 18000.0);
    v["external_id"] = json!("@SUM(A1:A9)");
    assert_eq!(
        api.post("/api/v1/vehicles", &m.tc, v).await.status,
        StatusCode::CREATED
    );
    let r = api.get("/api/v1/vehicles/export?format=csv", &m.tc).await;
    assert!(r.text.contains("'@SUM(A1:A9)"), "{}", r.text);
    assert!(!r.text.contains(",@SUM"), "{}", r.text);
    // Re-importing the export changes nothing.
    let r = api
        .call(
            "POST",
            "/api/v1/vehicles/import",
            &m.tc,
            "text/csv",
            r.text.clone(),
        )
        .await;
    assert_eq!(r.json()["unchanged"], 2, "{}", r.text);

    // CRLF line ends: the bad row is reported on its own line.
    let csv = format!(
        "external_id,carrier_id,plate,plate_colour,body_type,rated_load,cargo_volume\r\n\
         G1,{c},桂B0G001,yellow,box,18000,40\r\nG2,{c},桂B0G002,yellow,box,heavy,40\r\n",
        c = m.carrier
    );
    let r = api
        .call("POST", "/api/v1/vehicles/import", &m.tc, "text/csv", csv)
        .await;
    assert_eq!(r.json()["rows"][1]["line"], 3, "{}", r.text);
}

#[tokio::test]
async fn engine_work_is_bounded() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let cases = [
        (
            "/api/v1/matching/batch",
            json!({"loads": [], "vehicles": [], "date": "2026-11-02", "config": {"search_threads": 200}}),
            "config.search_threads",
        ),
        (
            "/api/v1/matching/batch",
            json!({"loads": [], "vehicles": [], "date": "2026-11-02", "config": {"search_time_s": 1e9}}),
            "config.search_time_s",
        ),
        (
            "/api/v1/loading/solve?time=1",
            json!({"container": {"id": "40ft", "length": 12000, "width": 2330, "height": 2690, "max_payload": 26000},
                "items": [{"id": "box", "length": 10, "width": 10, "height": 10, "weight": 1, "quantity": 1_000_000_000u64}]}),
            "items",
        ),
        (
            "/api/v1/road/table",
            json!({"sources": vec![json!({"lat": 24.3, "lon": 109.4}); 3500]}),
            "coordinates",
        ),
    ];
    for (uri, body, field) in cases {
        let r = api.post(uri, &m.tc, body).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{uri}: {}", r.text);
        assert_eq!(r.violation_fields(), [field], "{uri}");
    }
}

#[tokio::test]
async fn csv_round_trips_empty_texts_and_reads_gbk_by_row() {
    let api = Api::new().await;
    let m = Market::new(&api).await;
    let baseline = json!({"external_id": "b1", "indicator_zh": "物流业增加值", "indicator_en": "Logistics value added",
        "value": 1.5, "unit": "亿元", "year": "", "source_quote": "", "source_doc": "柳政办〔2022〕59号"});
    let r = api.post("/api/v1/baselines", &m.admin, baseline).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let csv = api
        .get("/api/v1/baselines/export?format=csv", &m.admin)
        .await
        .text;
    let r = api
        .call(
            "POST",
            "/api/v1/baselines/import",
            &m.admin,
            "text/csv",
            csv,
        )
        .await;
    assert_eq!(
        r.json()["unchanged"],
        1,
        "an empty year stays an empty year: {}",
        r.text
    );

    // A file saved by Excel on Chinese Windows (GBK) reads as GBK; in a UTF-8 file, one row with a
    // stray byte is rejected on its own line and the others are stored.
    let text = format!(
        "external_id,carrier_id,plate,plate_colour,body_type,rated_load,cargo_volume\n\
         K1,{c},桂B0K001,yellow,box,4000,20\n",
        c = m.carrier
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let r = api
        .call_bytes("/api/v1/vehicles/import", &m.tc, "text/csv", gbk.to_vec())
        .await;
    assert_eq!(r.json()["created"], 1, "{}", r.text);
    let got = api
        .get("/api/v1/vehicles?external_id=K1", &m.tc)
        .await
        .json();
    assert_eq!(got["items"][0]["plate"], "桂B0K001");
    let mut bytes = format!(
        "external_id,carrier_id,plate,plate_colour,body_type,rated_load,cargo_volume\n\
         K2,{c},桂B0K002,yellow,box,4000,20\nK3,{c},B0K00",
        c = m.carrier
    )
    .into_bytes();
    bytes.extend_from_slice(b"\xff3,yellow,box,4000,20\n");
    let r = api
        .call_bytes("/api/v1/vehicles/import", &m.tc, "text/csv", bytes)
        .await;
    let report = r.json();
    assert_eq!(
        (report["created"].clone(), report["rejected"].clone()),
        (json!(1), json!(1)),
        "{}",
        r.text
    );
    assert_eq!(report["rows"][1]["line"], 3, "{}", r.text);
    assert_eq!(
        report["rows"][1]["errors"][0]["field"], "plate",
        "{}",
        r.text
    );
}
