//! HTTP tests through the router (no server): CRUD, validation, import, export, roles and tenants.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use wuliu_server::Role;

#[tokio::test]
async fn crud_validation_and_errors() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let carrier = api.party(&admin, "C1", 1, &["carrier"]).await;
    let ct = api.token(Role::Carrier, Some(&carrier), "450200").await;

    let r = api
        .post(
            "/api/v1/vehicles",
            &ct,
            vehicle(&carrier, "V1", "桂B12345", 18000.0),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let v = r.json();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["version"], 1);
    assert_eq!(v["plate"], "桂B12345");
    assert_eq!(v["status"], "available", "defaults are filled in");

    let r = api.get(&format!("/api/v1/vehicles/{id}"), &ct).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["external_id"], "V1");

    // Merge patch changes one field and bumps the version.
    let r = api
        .call(
            "PATCH",
            &format!("/api/v1/vehicles/{id}"),
            &ct,
            "application/merge-patch+json",
            json!({"status": "busy"}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["status"], "busy");
    assert_eq!(r.json()["version"], 2);

    // Replacing with an invalid body lists every problem with its field path.
    let mut bad = vehicle(&carrier, "V1", "XX12", 18000.0);
    bad.as_object_mut().unwrap().remove("transport_certificate");
    bad["cargo_volume"] = json!(-1.0);
    let r = api
        .call(
            "PUT",
            &format!("/api/v1/vehicles/{id}"),
            &ct,
            "application/json",
            bad.to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let mut fields = r.violation_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["cargo_volume", "plate", "transport_certificate"]
    );

    // Type errors name the nested path.
    let mut bad = vehicle(&carrier, "V9", "桂B99999", 1000.0);
    bad["home_base"] = json!({"lat": "north", "lon": 109.4});
    let r = api.post("/api/v1/vehicles", &ct, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.violation_fields(), vec!["home_base.lat"]);
    let mut bad = vehicle(&carrier, "V9", "桂B99999", 1000.0);
    bad.as_object_mut().unwrap().remove("plate");
    let r = api.post("/api/v1/vehicles", &ct, bad).await;
    assert_eq!(r.violation_fields(), vec!["plate"]);
    assert_eq!(r.json()["error"]["violations"][0]["code"], "required");

    // Duplicate external ID → 409; unknown ID → 404; malformed JSON → 400; unknown collection → 404.
    let r = api
        .post(
            "/api/v1/vehicles",
            &ct,
            vehicle(&carrier, "V1", "桂B54321", 2000.0),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["violations"][0]["field"], "external_id");
    assert_eq!(
        api.get("/api/v1/vehicles/veh_nope", &ct).await.status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .call(
            "POST",
            "/api/v1/vehicles",
            &ct,
            "application/json",
            "{\"plate\": ".into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["violations"][0]["field"], "body");
    assert_eq!(
        api.get("/api/v1/spaceships", &ct).await.status,
        StatusCode::NOT_FOUND
    );
    let r = api.get("/api/v1/vehicles?colour=red", &ct).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["violations"][0]["field"], "colour");
    let r = api.get("/api/v1/vehicles?rated_load.gte=heavy", &ct).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A reference to a party that does not exist is refused, naming the field.
    let r = api
        .post(
            "/api/v1/vehicles",
            &admin,
            vehicle("pty_ghost", "V7", "桂B77777", 1000.0),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.violation_fields(), vec!["carrier_id"]);

    // Unknown fields are refused rather than silently dropped.
    let mut bad = vehicle(&carrier, "V8", "桂B88888", 1000.0);
    bad["colour_of_cab"] = json!("red");
    let r = api.post("/api/v1/vehicles", &ct, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("colour_of_cab"), "{}", r.text);
    // Extractor rejections and unknown routes are JSON too.
    let req = Request::post("/api/v1/vehicles")
        .header("authorization", format!("Bearer {ct}"))
        .body(Body::from(vec![0xff, 0xfe]))
        .unwrap();
    let res = api.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["error"]["violations"][0]["field"], "request");
    let r = api.get("/no/such/thing", &ct).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.json()["error"]["message"].is_string());
    let r = api
        .call(
            "DELETE",
            "/api/v1/vehicles",
            &ct,
            "application/json",
            String::new(),
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.json()["error"]["code"].is_string());

    // No token → 401.
    let req = Request::get("/api/v1/vehicles")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        api.router.clone().oneshot(req).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn list_filters_sort_and_cursor_pagination() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let carrier = api.party(&admin, "C1", 1, &["carrier"]).await;
    for i in 0..7 {
        let r = api
            .post(
                "/api/v1/vehicles",
                &admin,
                vehicle(
                    &carrier,
                    &format!("V{i}"),
                    &format!("桂B1000{i}"),
                    5000.0 + 1000.0 * i as f64,
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let mut uri = "/api/v1/vehicles?limit=3&sort=-rated_load&rated_load.gte=6000".to_string();
    let mut loads = Vec::new();
    loop {
        let page = api.get(&uri, &admin).await.json();
        loads.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["rated_load"].as_f64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => {
                uri = format!(
                    "/api/v1/vehicles?limit=3&sort=-rated_load&rated_load.gte=6000&cursor={c}"
                )
            }
            None => break,
        }
    }
    assert_eq!(
        loads,
        vec![11000.0, 10000.0, 9000.0, 8000.0, 7000.0, 6000.0]
    );
    let r = api.get("/api/v1/vehicles?cursor=garbage", &admin).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["violations"][0]["field"], "cursor");
}

#[tokio::test]
async fn carriers_and_shippers_see_only_their_own_data() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let a = api.party(&admin, "CA", 1, &["carrier"]).await;
    let b = api.party(&admin, "CB", 2, &["carrier"]).await;
    let s = api.party(&admin, "S1", 3, &["shipper"]).await;
    let ta = api.token(Role::Carrier, Some(&a), "450200").await;
    let tb = api.token(Role::Carrier, Some(&b), "450200").await;
    let ts = api.token(Role::Shipper, Some(&s), "450200").await;
    let reg = api.token(Role::Regulator, None, "450100").await;

    let va = api
        .post(
            "/api/v1/vehicles",
            &ta,
            vehicle(&a, "VA", "桂B11111", 1000.0),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    api.post(
        "/api/v1/vehicles",
        &tb,
        vehicle(&b, "VB", "桂B22222", 1000.0),
    )
    .await;
    let w = api
        .post("/api/v1/waybills", &ts, waybill(&s, &a, "W1"))
        .await;
    assert_eq!(w.status, StatusCode::CREATED, "{}", w.text);
    let wid = w.json()["id"].as_str().unwrap().to_string();

    // By listing.
    let listed = api.get("/api/v1/vehicles", &tb).await.json();
    let plates: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["plate"].as_str().unwrap())
        .collect();
    assert_eq!(plates, vec!["桂B22222"]);
    assert_eq!(
        api.get("/api/v1/waybills", &tb).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // By ID: another carrier's vehicle or waybill does not exist for B.
    assert_eq!(
        api.get(&format!("/api/v1/vehicles/{va}"), &tb).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get(&format!("/api/v1/waybills/{wid}"), &tb)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // By export, in both formats.
    let exported = api
        .get("/api/v1/vehicles/export?format=json", &tb)
        .await
        .json();
    assert_eq!(exported.as_array().unwrap().len(), 1);
    let csv = api
        .get("/api/v1/vehicles/export?format=csv", &tb)
        .await
        .text;
    assert!(
        csv.contains("桂B22222") && !csv.contains("桂B11111"),
        "{csv}"
    );
    let csv = api
        .get("/api/v1/waybills/export?format=csv", &tb)
        .await
        .text;
    assert!(!csv.contains("W1"), "{csv}");
    // An export's filters select within what the caller sees; naming another party widens nothing.
    let other = api
        .get(
            &format!("/api/v1/vehicles/export?format=json&carrier_id={a}"),
            &tb,
        )
        .await
        .json();
    assert_eq!(other.as_array().unwrap().len(), 0, "{other}");
    let all = api
        .get(
            "/api/v1/vehicles/export?format=json&plate=%E6%A1%82B11111",
            &admin,
        )
        .await
        .json();
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
    assert_eq!(all[0]["plate"], "桂B11111");
    let r = api
        .get("/api/v1/vehicles/export?format=csv&nonsense=1", &tb)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The shipper and the carrier on the waybill both see it.
    assert_eq!(
        api.get(&format!("/api/v1/waybills/{wid}"), &ta)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        api.get(&format!("/api/v1/waybills/{wid}"), &ts)
            .await
            .status,
        StatusCode::OK
    );
    // The shipper sees no vehicles.
    assert_eq!(
        api.get("/api/v1/vehicles", &ts).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // B cannot write A's data, nor change A's vehicle.
    let r = api
        .post(
            "/api/v1/vehicles",
            &tb,
            vehicle(&a, "VX", "桂B33333", 1000.0),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["violations"][0]["field"], "carrier_id");
    let r = api
        .call(
            "PATCH",
            &format!("/api/v1/vehicles/{va}"),
            &tb,
            "application/json",
            json!({"carrier_id": b}).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Carriers cannot create parties, even valid ones.
    let party = json!({"external_id": "P9", "name": "柳州某物流", "roles": ["shipper"], "credit_code": credit_code(9), "division_code": "450204"});
    let r = api.post("/api/v1/parties", &ta, party).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // The regulator reads across regions and writes nothing.
    let all = api.get("/api/v1/vehicles", &reg).await.json();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        api.get(&format!("/api/v1/waybills/{wid}"), &reg)
            .await
            .status,
        StatusCode::OK
    );
    let r = api
        .post(
            "/api/v1/vehicles",
            &reg,
            vehicle(&a, "VR", "桂B44444", 1000.0),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A carrier of another region sees nothing of this one.
    let other = api.token(Role::Carrier, Some(&a), "450100").await;
    assert_eq!(
        api.get("/api/v1/vehicles", &other).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn bulk_import_reports_rows_and_is_idempotent() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let carrier = api.party(&admin, "C1", 1, &["carrier"]).await;
    let ct = api.token(Role::Carrier, Some(&carrier), "450200").await;
    let csv = format!(
        "external_id,carrier_id,plate,plate_colour,body_type,rated_load,cargo_volume,transport_certificate.number,transport_certificate.expires\n\
         I1,{carrier},桂B10001,yellow,box,18000,55,C1,2029-01-01\n\
         I2,{carrier},桂B10002,blue,van,1500,8,,\n\
         I3,{carrier},BAD,blue,van,1500,8,,\n\
         I4,{carrier},桂B10004,yellow,box,heavy,55,C4,2029-01-01\n\
         ,{carrier},桂B10005,blue,van,1500,8,,\n\
         I6,{carrier},桂B10006,blue,van,1500,8,,\n"
    );
    let r = api
        .call(
            "POST",
            "/api/v1/vehicles/import",
            &ct,
            "text/csv",
            csv.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let rep = r.json();
    assert_eq!(
        (
            rep["total"].as_u64(),
            rep["created"].as_u64(),
            rep["rejected"].as_u64()
        ),
        (Some(6), Some(3), Some(3))
    );
    let rejected: Vec<(u64, u64, String)> = rep["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "rejected")
        .map(|r| {
            (
                r["row"].as_u64().unwrap(),
                r["line"].as_u64().unwrap(),
                r["errors"][0]["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rejected,
        vec![
            (3, 4, "plate".to_string()),
            (4, 5, "rated_load".to_string()),
            (5, 6, "external_id".to_string())
        ]
    );
    // The valid rows were stored.
    assert_eq!(
        api.get("/api/v1/vehicles?limit=100", &ct).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Re-importing the same file changes nothing.
    let again = api
        .call(
            "POST",
            "/api/v1/vehicles/import",
            &ct,
            "text/csv",
            csv.clone(),
        )
        .await
        .json();
    assert_eq!(
        (
            again["created"].as_u64(),
            again["unchanged"].as_u64(),
            again["rejected"].as_u64()
        ),
        (Some(0), Some(3), Some(3))
    );
    assert_eq!(
        api.get("/api/v1/vehicles?limit=100", &ct).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // A changed row updates the record with that external ID in place.
    let changed = csv.replace("桂B10006,blue,van,1500", "桂B10006,blue,van,1600");
    let rep = api
        .call("POST", "/api/v1/vehicles/import", &ct, "text/csv", changed)
        .await
        .json();
    assert_eq!(rep["updated"].as_u64(), Some(1));
    let v = api.get("/api/v1/vehicles?external_id=I6", &ct).await.json();
    assert_eq!(v["items"][0]["rated_load"], 1600.0);
    assert_eq!(v["items"][0]["version"], 2);

    // JSON import, and an export that imports back unchanged.
    let body = json!([vehicle(&carrier, "J1", "桂B20001", 1000.0), {"external_id": "J2", "plate": "桂B20002"}]);
    let rep = api
        .call(
            "POST",
            "/api/v1/vehicles/import?format=json",
            &ct,
            "application/json",
            body.to_string(),
        )
        .await
        .json();
    assert_eq!(
        (rep["created"].as_u64(), rep["rejected"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(rep["rows"][1]["row"], 2);
    let exported = api
        .get("/api/v1/vehicles/export?format=csv", &ct)
        .await
        .text;
    let back = api
        .call("POST", "/api/v1/vehicles/import", &ct, "text/csv", exported)
        .await
        .json();
    assert_eq!(
        (back["unchanged"].as_u64(), back["rejected"].as_u64()),
        (Some(4), Some(0)),
        "{back}"
    );
}

#[tokio::test]
async fn lifecycles_are_enforced() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let s = api.party(&admin, "S1", 3, &["shipper"]).await;
    let c = api.party(&admin, "C1", 1, &["carrier"]).await;
    let ts = api.token(Role::Shipper, Some(&s), "450200").await;
    let w = api
        .post("/api/v1/waybills", &ts, waybill(&s, &c, "W1"))
        .await
        .json();
    let id = w["id"].as_str().unwrap();
    assert_eq!(w["status"], "confirmed");
    let r = api
        .post(
            &format!("/api/v1/waybills/{id}/status"),
            &ts,
            json!({"status": "receipted"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["violations"][0]["field"], "status");
    let r = api
        .post(
            &format!("/api/v1/waybills/{id}/status"),
            &ts,
            json!({"status": "dispatched"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(
        r.json()["despatch_time"].is_string(),
        "dispatch records the despatch time"
    );
    let r = api
        .post(
            &format!("/api/v1/waybills/{id}/status"),
            &ts,
            json!({"status": "signed"}),
        )
        .await;
    assert!(r.json()["receipt_time"].is_string());
    assert_eq!(
        api.post(
            &format!("/api/v1/waybills/{id}/status"),
            &ts,
            json!({"status": "cancelled"})
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn openapi_document_covers_every_collection() {
    let api = Api::new().await;
    let req = Request::get("/openapi.json").body(Body::empty()).unwrap();
    let res = api.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value =
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    for c in [
        "parties",
        "vehicles",
        "drivers",
        "loads",
        "waybills",
        "payments",
        "facilities",
        "events",
    ] {
        assert!(
            doc["paths"][format!("/api/v1/{c}")]["get"].is_object(),
            "{c}"
        );
        assert!(
            doc["paths"][format!("/api/v1/{c}/import")]["post"].is_object(),
            "{c}"
        );
    }
    for p in [
        "/route/v1/{profile}/{coordinates}",
        "/api/v1/dispatch/solve",
        "/api/v1/loading/solve",
        "/epcis/capture",
    ] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
    let vehicle = &doc["components"]["schemas"]["Vehicle"];
    assert!(vehicle["properties"]["plate"].is_object());
    assert!(vehicle["required"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "rated_load"));
    // Every $ref points at a schema that exists.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
}

/// `GET /api/v1/matching/vehicles/{vid}/loads` for a vehicle free from `free_from` (URL-encoded).
async fn loads_for_vehicle(api: &Api, vid: &str, free_from: &str, token: &str) -> Reply {
    api.get(
        &format!("/api/v1/matching/vehicles/{vid}/loads?free_from={free_from}"),
        token,
    )
    .await
}

#[tokio::test]
async fn matching_suggests_stored_vehicles_and_accept_drafts_a_waybill() {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let s = api.party(&admin, "S1", 3, &["shipper"]).await;
    let c = api.party(&admin, "C1", 1, &["carrier"]).await;
    let ts = api.token(Role::Shipper, Some(&s), "450200").await;
    let tc = api.token(Role::Carrier, Some(&c), "450200").await;
    let mut v = vehicle(&c, "V1", "桂B12345", 18000.0);
    v["home_base"] = json!({"lat": 24.30, "lon": 109.42});
    v["cargo_volume"] = json!(50.0);
    let vid = api.post("/api/v1/vehicles", &tc, v).await.json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let driver = json!({"external_id": "D1", "carrier_id": c, "name": "韦师傅", "id_number": resident_id(7), "phone": "13800138000",
        "licence": {"number": resident_id(7), "class": "A2", "expires": "2031-01-01"},
        "qualification": {"number": "Q450200001", "expires": "2031-01-01"}});
    let r = api.post("/api/v1/drivers", &tc, driver).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let did = r.json()["id"].as_str().unwrap().to_string();
    let load = json!({"external_id": "L1", "shipper_id": s, "goods": "汽车零部件", "cargo": {"kind": "general"},
        "origin": {"point": {"lat": 24.33, "lon": 109.40}, "address": "柳东新区", "division_code": "450206"},
        "destination": {"point": {"lat": 22.82, "lon": 108.37}, "address": "南宁市西乡塘区", "division_code": "450107"},
        "pickup_window": {"start": "2027-03-02T00:00:00Z", "end": "2027-03-02T04:00:00Z"},
        "delivery_window": {"start": "2027-03-02T00:00:00Z", "end": "2027-03-02T12:00:00Z"},
        "weight": 8000.0, "volume": 30.0, "packages": 20, "price_offered": 2600.0});
    let r = api.post("/api/v1/loads", &ts, load).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let lid = r.json()["id"].as_str().unwrap().to_string();

    let r = api
        .get(&format!("/api/v1/matching/loads/{lid}/vehicles?n=5"), &ts)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let sug = r.json();
    assert_eq!(sug["road_network"], false, "no network loaded: flagged");
    assert_eq!(sug["suggestions"][0]["vehicle"], vid.as_str(), "{sug}");
    // The vehicle free in the morning before the window gets the load; free after the pickup
    // window has closed, it gets none (that `+` is left unencoded, so it arrives as a space and is
    // read back as the offset); a bad time is named.
    let r = loads_for_vehicle(&api, &vid, "2027-03-02T06:00:00%2B08:00", &tc).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["suggestions"][0]["load"], lid.as_str());
    let r = loads_for_vehicle(&api, &vid, "2027-03-02T13:00:00+08:00", &tc).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["suggestions"], json!([]), "{}", r.text);
    // An empty list says why: the nearest load and the rule that excludes it.
    let why = &r.json()["nearest"][0];
    assert_eq!(why["load"], lid.as_str(), "{}", r.text);
    assert_eq!(
        why["excluded_by"][0]["code"], "pickup.too_late",
        "{}",
        r.text
    );
    let r = loads_for_vehicle(&api, &vid, "tomorrow", &tc).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("free_from"), "{}", r.text);

    // The shipper cannot accept on the carrier's behalf; the carrier can, once.
    let accept = json!({"load_id": lid, "vehicle_id": vid, "driver_id": did});
    assert_eq!(
        api.post("/api/v1/matching/accept", &ts, accept.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .post("/api/v1/matching/accept", &tc, accept.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let done = r.json();
    assert_eq!(done["waybill"]["status"], "draft");
    assert_eq!(done["waybill"]["load_id"], lid.as_str());
    assert_eq!(done["waybill"]["vehicle"]["plate"], "桂B12345");
    assert_eq!(done["load"]["status"], "matched");
    assert_eq!(done["vehicle"]["status"], "busy");
    // The shipper sees the draft waybill; a second accept is refused.
    let wid = done["waybill"]["id"].as_str().unwrap();
    assert_eq!(
        api.get(&format!("/api/v1/waybills/{wid}"), &ts)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        api.post("/api/v1/matching/accept", &tc, accept.clone())
            .await
            .status,
        StatusCode::CONFLICT
    );

    // The carrier declines: the draft is cancelled, the load open, the vehicle available, and
    // the pair is no longer suggested (the rule says why). Only the carrier may decline.
    let decline = json!({"load_id": lid, "vehicle_id": vid, "reason": "truck broke down"});
    assert_eq!(
        api.post("/api/v1/matching/decline", &ts, decline.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = api.post("/api/v1/matching/decline", &tc, decline).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let undone = r.json();
    assert_eq!(undone["waybill_cancelled"]["status"], "cancelled");
    assert_eq!(undone["load"]["status"], "open");
    assert_eq!(undone["load"]["declined_by"][0], vid.as_str());
    assert_eq!(undone["vehicle"]["status"], "available");
    let r = api
        .get(&format!("/api/v1/matching/loads/{lid}/vehicles?n=5"), &ts)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["suggestions"], json!([]), "{}", r.text);
    assert_eq!(
        r.json()["nearest"][0]["vehicle"],
        vid.as_str(),
        "{}",
        r.text
    );
    assert_eq!(
        r.json()["nearest"][0]["excluded_by"][0]["code"],
        "declined.by_carrier",
        "{}",
        r.text
    );
    let r = loads_for_vehicle(&api, &vid, "2027-03-01T22:00:00Z", &tc).await;
    assert_eq!(r.json()["suggestions"], json!([]), "{}", r.text);
    assert_eq!(
        r.json()["nearest"][0]["excluded_by"][0]["code"],
        "declined.by_carrier",
        "{}",
        r.text
    );
    // A region-wide run picks its method from the query; a bad method is named.
    let r = api
        .post(
            "/api/v1/matching/run?date=2027-03-02&sequencing=fastest",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("sequencing"), "{}", r.text);
    // The declined vehicle is the region's only one: the search plan leaves the load unmatched
    // and says why.
    let r = api
        .post(
            "/api/v1/matching/run?date=2027-03-02&sequencing=search&time=0.2",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run = r.json();
    assert_eq!(run["plan"]["totals"]["served"], 0, "{run}");
    assert_eq!(
        run["plan"]["unmatched"][0]["nearest"][0]["excluded_by"][0]["rule"], "declined",
        "{run}"
    );
    assert_eq!(
        run["check"]["violations"].as_array().unwrap().len(),
        0,
        "{run}"
    );
    // The carrier may still accept the load it declined (a change of mind).
    let r = api.post("/api/v1/matching/accept", &tc, accept).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

/// The place in 柳东新区 that the matching tests load at.
fn liuzhou() -> Value {
    json!({"point": {"lat": 24.33, "lon": 109.40}, "address": "柳东新区", "division_code": "450206"})
}

/// An 8 t load of car parts for shipper `shipper` between the places `ends` (origin, destination);
/// `window` holds the pickup start (also the delivery start), pickup end and delivery end.
fn parts_load(ext: &str, shipper: &str, ends: (&Value, &Value), window: &[String; 3]) -> Value {
    let [start, pickup_end, delivery_end] = window;
    json!({"external_id": ext, "shipper_id": shipper, "goods": "汽车零部件", "cargo": {"kind": "general"},
        "origin": ends.0, "destination": ends.1,
        "pickup_window": {"start": start, "end": pickup_end},
        "delivery_window": {"start": start, "end": delivery_end},
        "weight": 8000.0, "volume": 30.0, "packages": 20, "price_offered": 2600.0})
}

impl Api {
    /// A fresh API with a region admin, one shipper party and its user: (api, admin token, shipper
    /// id, shipper token).
    async fn with_shipper() -> (Api, String, String, String) {
        let api = Api::new().await;
        let admin = api.token(Role::Admin, None, "450200").await;
        let shipper = api.party(&admin, "S1", 3, &["shipper"]).await;
        let token = api.token(Role::Shipper, Some(&shipper), "450200").await;
        (api, admin, shipper, token)
    }
}

#[tokio::test]
async fn a_matching_run_learns_where_vehicles_pile_up_from_past_loads() {
    let (api, admin, s, ts) = Api::with_shipper().await;
    let liuzhou = liuzhou();
    let nanning = json!({"point": {"lat": 22.82, "lon": 108.37}, "address": "南宁市西乡塘区", "division_code": "450107"});
    let post = |n: usize, day: &str, from: &Value, to: &Value| {
        let window = [
            format!("{day}T01:00:00Z"),
            format!("{day}T04:00:00Z"),
            format!("{day}T12:00:00Z"),
        ];
        parts_load(&format!("H{n}"), &s, (from, to), &window)
    };
    // Yesterday three loads went Liuzhou → Nanning; a load back is three weeks old.
    let mut bodies: Vec<Value> = (0..3)
        .map(|n| post(n, "2027-03-01", &liuzhou, &nanning))
        .collect();
    bodies.push(post(3, "2027-02-08", &nanning, &liuzhou));
    for b in bodies {
        let r = api.post("/api/v1/loads", &ts, b).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = api
        .post(
            "/api/v1/matching/run?date=2027-03-02&outlook_days=0",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(r.text.contains("outlook_days"), "{}", r.text);
    let r = api
        .post(
            "/api/v1/matching/run?date=2027-03-02&sequencing=search&time=0.2&outlook_days=7",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run = r.json();
    let sites = run["outlook"].as_array().expect("the learned outlook");
    assert_eq!(sites.len(), 2, "{run}");
    let at_nanning = sites
        .iter()
        .find(|s| s["point"]["lat"].as_f64().unwrap() < 23.0)
        .expect("a site at Nanning");
    // Only last week counts: three trucks arrived and none left.
    assert_eq!(at_nanning["net_arrivals"], 3, "{run}");
    assert!(at_nanning["empty_km"].as_f64().unwrap() > 150.0, "{run}");
    let at_liuzhou = sites.iter().find(|s| s != &at_nanning).unwrap();
    assert_eq!(at_liuzhou["empty_km"], 0.0, "{run}");
}

#[tokio::test]
async fn the_outlook_learns_from_pickups_that_opened_in_the_days_before_the_run_day() {
    let (api, admin, s, ts) = Api::with_shipper().await;
    let liuzhou = liuzhou();
    // Load n goes to a place of its own, 11 km apart, so the learned sites tell which loads counted.
    let to = |n: usize| json!({"point": {"lat": 22.5 + 0.1 * n as f64, "lon": 108.37}, "address": "南宁市", "division_code": "450107"});
    // The run on 2027-03-02 with outlook_days=7 learns from pickups opening in
    // [2027-02-23T00:00Z, 2027-03-02T00:00Z): the bounds to the millisecond, fractions of the
    // boundary seconds, and times given with an offset (stored in UTC).
    let inside = [
        "2027-02-23T00:00:00Z",
        "2027-02-23T00:00:00.250Z",
        "2027-03-01T23:59:59.999Z",
        "2027-03-02T07:59:59+08:00",
    ];
    let outside = [
        "2027-02-22T23:59:59.999Z",
        "2027-03-02T00:00:00Z",
        "2027-03-02T00:00:00.001Z",
        "2027-02-23T07:30:00+08:00",
    ];
    for (n, start) in inside.iter().chain(&outside).enumerate() {
        let window = [start, "2027-03-03T04:00:00Z", "2027-03-03T12:00:00Z"].map(String::from);
        let body = parts_load(&format!("B{n}"), &s, (&liuzhou, &to(n)), &window);
        let r = api.post("/api/v1/loads", &ts, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let r = api
        .post(
            "/api/v1/matching/run?date=2027-03-02&outlook_days=7",
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let run = r.json();
    let sites = run["outlook"].as_array().expect("the learned outlook");
    assert_eq!(sites.len(), inside.len() + 1, "{run}");
    let mut learned: Vec<usize> = sites
        .iter()
        .filter(|s| s["net_arrivals"] == 1)
        .map(|s| ((s["point"]["lat"].as_f64().unwrap() - 22.5) / 0.1).round() as usize)
        .collect();
    learned.sort();
    assert_eq!(learned, (0..inside.len()).collect::<Vec<_>>(), "{run}");
    let at_liuzhou = sites
        .iter()
        .find(|s| s["point"]["lat"].as_f64().unwrap() > 24.0)
        .expect("a site at Liuzhou");
    assert_eq!(at_liuzhou["net_arrivals"], -(inside.len() as i64), "{run}");
}
