//! `GET /api/v1/exchange/{document}`: the national network-freight messages over HTTP, for admins
//! and the regulator only.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use wuliu_server::Role;

/// The market's waybill (confirmed, by the shipper) and a fund-flow record paying it.
async fn waybill_and_payment(api: &Api, m: &Market) -> (String, String) {
    let mut w = waybill(&m.shipper, &m.carrier, &unique("W"));
    w["status"] = json!("confirmed");
    let r = api.post("/api/v1/waybills", &m.ts, w).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let wid = r.json()["id"].as_str().unwrap().to_string();
    let sn = r.json()["shipping_note_number"]
        .as_str()
        .unwrap()
        .to_string();
    let pay = json!({"document_number": unique("P"), "carrier_id": m.carrier, "shipper_id": m.shipper,
        "actual_carrier_id_code": credit_code(99), "plate": "桂B12345", "plate_colour": "yellow",
        "waybills": [{"waybill_id": wid, "shipping_note_number": sn, "amount": 2600.0}],
        "payments": [{"means_code": "32", "recipient": "柳州运输", "account": "6222000011112222",
            "bank_code": "ICBKCNBJ", "serial": unique("B"), "amount": 2600.0, "time": "2026-11-03T08:00:00Z"}]});
    let r = api.post("/api/v1/payments", &m.tc, pay).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    (wid, r.json()["id"].as_str().unwrap().to_string())
}

/// The body of the message of record `id` in a batch.
fn body_of<'a>(batch: &'a Value, id: &str) -> &'a Value {
    let item = batch["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["record_id"] == id)
        .unwrap_or_else(|| panic!("no message for {id}: {batch}"));
    &item["message"]["root"]["body"]
}

#[tokio::test]
async fn regulators_and_admins_export_national_messages_and_carriers_are_refused() {
    for (backend, api) in Api::each_backend().await {
        let m = Market::new(&api).await;
        let (wid, pid) = waybill_and_payment(&api, &m).await;
        let regulator = api.token(Role::Regulator, None, "450000").await;

        // Carriers and shippers may not export, whatever they ask for.
        for (token, uri) in [
            (&m.tc, "/api/v1/exchange/vehicles"),
            (&m.tc, "/api/v1/exchange/waybills?limit=5"),
            (&m.ts, "/api/v1/exchange/payments"),
        ] {
            let r = api.get(uri, token).await;
            assert_eq!(
                r.status,
                StatusCode::FORBIDDEN,
                "{backend} {uri}: {}",
                r.text
            );
        }

        // The regulator gets the waybill, with the envelope and national element names.
        let since = "2020-01-01T00:00:00Z";
        let r = api
            .get(
                &format!("/api/v1/exchange/waybills?from={since}&limit=10000"),
                &regulator,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{backend}: {}", r.text);
        let batch = r.json();
        assert_eq!(batch["ipc_type"], "WLHY_YD1001", "{batch}");
        assert_eq!(batch["sender_code"], "450000");
        let item = batch["messages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["record_id"] == wid.as_str())
            .unwrap();
        let header = &item["message"]["root"]["header"];
        assert_eq!(header["documentName"], "电子运单");
        assert_eq!(header["messageSendingDateTime"].as_str().unwrap().len(), 14);
        let w = body_of(&batch, &wid);
        assert_eq!(w["consignmentDateTime"], "20261102160000");
        assert_eq!(w["vehicleInfo"][0]["vehiclePlateColorCode"], "2");
        assert_eq!(
            w["vehicleInfo"][0]["goodsInfo"][0]["goodsItemGrossWeight"],
            "8000.000"
        );
        assert_eq!(w["totalMonetaryAmount"], "2600.000");
        assert_eq!(
            w["unifiedSocialCreditIdentifier"],
            credit_code(std::process::id() % 9000 + 101)
        );

        // The admin gets one record by id: payments, vehicles, drivers.
        for (doc, id, ipc) in [
            ("payments", pid.as_str(), "WLHY_ZJ1001"),
            ("vehicles", m.vehicle.as_str(), "WLHY_CL1001"),
            ("drivers", m.driver.as_str(), "WLHY_JSY1001"),
        ] {
            let r = api
                .get(&format!("/api/v1/exchange/{doc}?id={id}"), &m.admin)
                .await;
            assert_eq!(r.status, StatusCode::OK, "{backend} {doc}: {}", r.text);
            let batch = r.json();
            assert_eq!(
                (batch["count"].clone(), batch["ipc_type"].clone()),
                (json!(1), json!(ipc))
            );
            assert_eq!(batch["sender_code"], "450200");
            let body = body_of(&batch, id);
            match doc {
                "payments" => {
                    assert_eq!(body["financiallist"][0]["monetaryAmount"], "2600.000");
                    assert_eq!(body["financiallist"][0]["dateTime"], "20261103160000");
                    assert_eq!(body["actualCarrierID"], credit_code(99));
                }
                "vehicles" => {
                    assert_eq!(body["vehicleTonnage"], "18.00");
                    assert_eq!(body["vehiclePlateColorCode"], "2");
                }
                _ => {
                    assert_eq!(body["driverName"], "韦师傅");
                    assert_eq!(body["validPeriodTo"], "20310101");
                }
            }
        }

        // Bounded, and malformed requests say what is wrong.
        for (uri, status) in [
            (
                "/api/v1/exchange/waybills?limit=10001",
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
            (
                "/api/v1/exchange/waybills?from=yesterday",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/exchange/waybills?colour=red",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/v1/exchange/waybills?id=x&limit=1",
                StatusCode::BAD_REQUEST,
            ),
            ("/api/v1/exchange/loads", StatusCode::NOT_FOUND),
            (
                "/api/v1/exchange/waybills?id=wyb_missing",
                StatusCode::NOT_FOUND,
            ),
        ] {
            let r = api.get(uri, &regulator).await;
            assert_eq!(r.status, status, "{backend} {uri}: {}", r.text);
        }
        let r = api
            .get("/api/v1/exchange/waybills?limit=10001", &regulator)
            .await;
        assert!(r.text.contains("next_cursor"), "{}", r.text);
    }
}
