//! The national exchange export: model records become messages with the national element names,
//! formatted dates, plate colour codes and amounts; only admins and the regulator may export.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use wuliu_app::exchange::{
    self, Document, DriverMessage, ExchangeOptions, ExchangeQuery, Operator, PaymentMessage,
    VehicleMessage, WaybillMessage,
};
use wuliu_app::{spec, AppError, Caller, Role, Service};
use wuliu_model::codes::{resident_id_check_char, uscc_check_char};
use wuliu_model::{Driver, Payment, Vehicle, Waybill};

fn credit_code(seq: u32) -> String {
    let first17 = format!("91450200MA5K{seq:04}X");
    let first17 = &first17[..17];
    format!("{first17}{}", uscc_check_char(first17).unwrap())
}

fn resident_id(seq: u32) -> String {
    let first17 = format!("450202198501{:02}{:03}", 1 + seq % 28, seq % 1000);
    format!("{first17}{}", resident_id_check_char(&first17).unwrap())
}

fn party(ext: &str, seq: u32, roles: &[&str]) -> Value {
    json!({
        "external_id": ext, "name": format!("柳州{ext}物流有限公司"), "roles": roles,
        "credit_code": credit_code(seq), "division_code": "450204", "phone": "0772-2825555",
        "transport_permit": {"number": format!("桂交运管许可柳字{seq:06}号"), "expires": "2030-12-31"}
    })
}

fn waybill(shipper: &str, carrier: &str) -> Value {
    json!({
        "external_id": "W1", "shipping_note_number": "SNW1", "business_type_code": "1002996",
        "shipper_id": shipper, "carrier_id": carrier, "consignment_time": "2026-11-02T08:00:00Z",
        "despatch_time": "2026-11-02T09:30:00Z",
        "consignor": {"name": "上汽通用五菱", "id_code": credit_code(5), "place": "柳州市柳南区河西工业园", "division_code": "450204"},
        "consignee": {"name": "南宁配送中心", "place": "南宁市西乡塘区", "division_code": "450107"},
        "vehicle": {"plate": "桂B12345", "plate_colour": "yellow"},
        "drivers": [{"name": "韦师傅", "licence_number": resident_id(7)}],
        "goods": [{"description": "汽车零部件", "cargo_type_code": "0100", "gross_weight": 8000.0, "cube": 30.5, "packages": 40}],
        "actual_carrier": {"name": "柳州运输", "business_licence": "450200001", "id_code": credit_code(99)},
        "insurance": {"policy_number": "none", "company_code": "none"},
        "total_amount": 2600.0,
        "status": "confirmed"
    })
}

fn payment(shipper: &str, carrier: &str, waybill_id: &str) -> Value {
    json!({"document_number": "P1", "carrier_id": carrier, "shipper_id": shipper,
        "actual_carrier_id_code": credit_code(99), "plate": "桂B12345", "plate_colour": "yellow",
        "waybills": [{"waybill_id": waybill_id, "shipping_note_number": "SNW1", "amount": 2600.0}],
        "payments": [{"means_code": "32", "recipient": "柳州运输", "account": "6222000011112222",
            "bank_code": "ICBKCNBJ", "serial": "B0001", "amount": 2599.5, "time": "2026-11-03T08:00:00Z"}]})
}

fn vehicle(carrier: &str, plate_colour: &str, certificate: bool) -> Value {
    let mut v = json!({
        "external_id": "V1", "carrier_id": carrier, "plate": "桂B12345", "plate_colour": plate_colour, "body_type": "box",
        "rated_load": 18000.0, "cargo_volume": 40.0,
        "transport_certificate": {"number": "450200V1", "expires": "2028-06-30"}
    });
    if !certificate {
        v["rated_load"] = json!(1495.0);
        v.as_object_mut().unwrap().remove("transport_certificate");
    }
    v
}

fn driver(carrier: &str) -> Value {
    json!({"external_id": "D1", "carrier_id": carrier, "name": "韦师傅", "id_number": resident_id(7), "phone": "13800138000",
        "licence": {"number": resident_id(7), "class": "A2", "expires": "2031-01-01"},
        "qualification": {"number": "Q450200001", "expires": "2031-01-01"}})
}

fn sent_at() -> DateTime<Utc> {
    "2026-11-04T01:02:03Z".parse().unwrap()
}

#[test]
fn exchange_a_waybill_becomes_an_electronic_waybill_message() {
    let w: Waybill = serde_json::from_value(waybill("pty_s", "pty_c")).unwrap();
    let operator = Operator {
        name: "柳州网络货运有限公司".into(),
        credit_code: credit_code(2),
        permit_number: Some("桂交运管许可柳字000002号".into()),
    };
    let m = serde_json::to_value(WaybillMessage::from_model(&w, &operator, sent_at())).unwrap();
    assert_eq!(m["originalDocumentNumber"], "SNW1");
    assert_eq!(m["shippingNoteNumber"], "SNW1");
    assert_eq!(m["serialNumber"], "0000");
    assert_eq!(m["vehicleAmount"], 1);
    assert_eq!(m["transportTypeCode"], 1);
    // Beijing time, YYYYMMDDhhmmss.
    assert_eq!(m["sendToProDateTime"], "20261104090203");
    assert_eq!(m["consignmentDateTime"], "20261102160000");
    assert_eq!(m["despatchActualDateTime"], "20261102173000");
    assert!(m.get("goodsReceiptDateTime").is_none());
    assert_eq!(m["carrier"], "柳州网络货运有限公司");
    assert_eq!(m["unifiedSocialCreditIdentifier"], credit_code(2));
    assert_eq!(m["permitNumber"], "桂交运管许可柳字000002号");
    assert_eq!(m["businessTypeCode"], "1002996");
    assert_eq!(m["consignorInfo"]["consignor"], "上汽通用五菱");
    assert_eq!(m["consignorInfo"]["consignorID"], credit_code(5));
    assert_eq!(
        m["consignorInfo"]["placeOfLoading"],
        "柳州市柳南区河西工业园"
    );
    assert_eq!(m["consignorInfo"]["countrySubdivisionCode"], "450204");
    assert!(m["consigneeInfo"].get("consigneeID").is_none());
    assert_eq!(m["consigneeInfo"]["goodsReceiptPlace"], "南宁市西乡塘区");
    assert_eq!(m["consigneeInfo"]["countrySubdivisionCode"], "450107");
    assert_eq!(m["totalMonetaryAmount"], "2600.000");
    let v = &m["vehicleInfo"][0];
    assert_eq!(v["vehiclePlateColorCode"], "2");
    assert_eq!(v["vehicleNumber"], "桂B12345");
    assert_eq!(v["loadingCountrySubdivisionCode"], "450204");
    assert_eq!(v["receiptCountrySubdivisionCode"], "450107");
    assert_eq!(v["driver"][0]["driverName"], "韦师傅");
    assert_eq!(v["driver"][0]["drivingLicense"], resident_id(7));
    let g = &v["goodsInfo"][0];
    assert_eq!(g["descriptionOfGoods"], "汽车零部件");
    assert_eq!(g["cargoTypeClassificationCode"], "0100");
    assert_eq!(g["goodsItemGrossWeight"], "8000.000");
    assert_eq!(g["cube"], "30.5000");
    assert_eq!(g["totalNumberOfPackages"], 40);
    assert_eq!(m["actualCarrierInfo"]["actualCarrierName"], "柳州运输");
    assert_eq!(
        m["actualCarrierInfo"]["actualCarrierBusinessLicense"],
        "450200001"
    );
    assert_eq!(m["actualCarrierInfo"]["actualCarrierID"], credit_code(99));
    assert_eq!(m["insuranceInformation"]["policyNumber"], "none");
    assert_eq!(m["insuranceInformation"]["insuranceCompanyCode"], "none");
    assert!(m.get("remark").is_none());
}

#[test]
fn exchange_a_payment_becomes_a_fund_flow_message() {
    let p: Payment = serde_json::from_value(payment("pty_s", "pty_c", "wyb_1")).unwrap();
    let m = serde_json::to_value(PaymentMessage::from_model(&p, "柳州运输", sent_at())).unwrap();
    assert_eq!(m["documentNumber"], "P1");
    assert_eq!(m["sendToProDateTime"], "20261104090203");
    assert_eq!(m["carrier"], "柳州运输");
    assert_eq!(m["actualCarrierID"], credit_code(99));
    assert_eq!(m["vehicleNumber"], "桂B12345");
    assert_eq!(m["vehiclePlateColorCode"], "2");
    assert_eq!(
        m["shippingNoteList"],
        json!([{"shippingNoteNumber": "SNW1", "serialNumber": "0000", "totalMonetaryAmount": "2600.000"}])
    );
    assert_eq!(
        m["financiallist"],
        json!([{"paymentMeansCode": "32", "recipient": "柳州运输", "receiptAccount": "6222000011112222",
            "bankCode": "ICBKCNBJ", "sequenceCode": "B0001", "monetaryAmount": "2599.500", "dateTime": "20261103160000"}])
    );
}

#[test]
fn exchange_vehicles_and_drivers_become_their_messages() {
    let v: Vehicle = serde_json::from_value(vehicle("pty_c", "yellow", true)).unwrap();
    let m = serde_json::to_value(VehicleMessage::from_model(&v, "450200")).unwrap();
    assert_eq!(
        m,
        json!({"vehicleNumber": "桂B12345", "vehiclePlateColorCode": "2", "vehicleTonnage": "18.00",
            "roadTransportCertificateNumber": "450200V1"})
    );
    // A light vehicle without a certificate: region + 000000, as the format allows; new-energy plate colour.
    let v: Vehicle = serde_json::from_value(vehicle("pty_c", "gradient_green", false)).unwrap();
    let m = serde_json::to_value(VehicleMessage::from_model(&v, "450200")).unwrap();
    assert_eq!(m["roadTransportCertificateNumber"], "450200000000");
    assert_eq!(m["vehiclePlateColorCode"], "94");
    assert_eq!(m["vehicleTonnage"], "1.50");

    let d: Driver = serde_json::from_value(driver("pty_c")).unwrap();
    let m = serde_json::to_value(DriverMessage::from_model(&d)).unwrap();
    assert_eq!(
        m,
        json!({"driverName": "韦师傅", "drivingLicense": resident_id(7), "vehicleClass": "A2",
            "validPeriodTo": "20310101", "qualificationCertificate": "Q450200001", "telephone": "13800138000"})
    );
}

async fn create(service: &Service, collection: &str, body: Value) -> String {
    let admin = Caller::system("450200", "test");
    let rec = service
        .create(
            &admin,
            spec::by_collection(collection).unwrap(),
            body,
            "450200",
        )
        .await
        .unwrap_or_else(|e| panic!("{collection}: {e:?}"));
    rec.id
}

#[tokio::test]
async fn exchange_stored_records_export_as_a_batch_for_admins_and_regulators_only() {
    let store = wuliu_store::SqlStore::open("sqlite::memory:")
        .await
        .unwrap();
    let service = Service::new(Arc::new(store));
    let shipper = create(&service, "parties", party("S1", 11, &["shipper"])).await;
    let carrier = create(&service, "parties", party("C1", 12, &["carrier"])).await;
    let wid = create(&service, "waybills", waybill(&shipper, &carrier)).await;
    create(&service, "payments", payment(&shipper, &carrier, &wid)).await;
    create(&service, "vehicles", vehicle(&carrier, "yellow", true)).await;
    create(&service, "drivers", driver(&carrier)).await;

    let regulator = Caller::new(Role::Regulator, None, "450000", "token:reg");
    let options = ExchangeOptions {
        sender_code: "450200".into(),
        sent_at: sent_at(),
    };
    let all = ExchangeQuery::default();
    let batch = exchange::export_batch(&service, &regulator, Document::Waybill, &all, &options)
        .await
        .unwrap();
    assert_eq!(batch.count, 1);
    assert!(batch.skipped.is_empty());
    assert_eq!(batch.next_cursor, None);
    let item = serde_json::to_value(&batch.messages[0]).unwrap();
    assert_eq!(item["record_id"], wid.as_str());
    let header = &item["message"]["root"]["header"];
    assert_eq!(header["ipcType"], "WLHY_YD1001");
    assert_eq!(header["documentName"], "电子运单");
    assert_eq!(header["senderCode"], "450200");
    assert_eq!(header["messageSendingDateTime"], "20261104090203");
    assert_eq!(header["messageReferenceNumber"].as_str().unwrap().len(), 32);
    let body = &item["message"]["root"]["body"];
    // The operator is the waybill's carrier party.
    assert_eq!(body["carrier"], "柳州C1物流有限公司");
    assert_eq!(body["unifiedSocialCreditIdentifier"], credit_code(12));
    assert_eq!(body["permitNumber"], "桂交运管许可柳字000012号");

    let batch = exchange::export_batch(&service, &regulator, Document::Payment, &all, &options)
        .await
        .unwrap();
    let body = serde_json::to_value(&batch.messages[0].message.root.body).unwrap();
    assert_eq!(body["carrier"], "柳州运输", "named by the waybill paid");
    assert_eq!(batch.ipc_type, "WLHY_ZJ1001");

    for (doc, ipc) in [
        (Document::Vehicle, "WLHY_CL1001"),
        (Document::Driver, "WLHY_JSY1001"),
    ] {
        let batch = exchange::export_batch(&service, &regulator, doc, &all, &options)
            .await
            .unwrap();
        assert_eq!((batch.count, batch.ipc_type.as_str()), (1, ipc));
    }

    // Paging: one record per answer, then the cursor; a window that ends before them is empty.
    let one = ExchangeQuery {
        limit: Some(1),
        ..Default::default()
    };
    let admin = Caller::system("450200", "test");
    let mut second = waybill(&shipper, &carrier);
    second["external_id"] = json!("W2");
    second["shipping_note_number"] = json!("SNW2");
    let wid2 = create(&service, "waybills", second).await;
    let first = exchange::export_batch(&service, &admin, Document::Waybill, &one, &options)
        .await
        .unwrap();
    assert_eq!(first.count, 1);
    let next = ExchangeQuery {
        limit: Some(1),
        cursor: first.next_cursor.clone(),
        ..Default::default()
    };
    assert!(next.cursor.is_some());
    let rest = exchange::export_batch(&service, &admin, Document::Waybill, &next, &options)
        .await
        .unwrap();
    let mut seen = vec![
        first.messages[0].record_id.clone(),
        rest.messages[0].record_id.clone(),
    ];
    seen.sort();
    let mut both = vec![wid.clone(), wid2];
    both.sort();
    assert_eq!(seen, both, "each waybill once over the two pages");
    assert_eq!(rest.next_cursor, None);
    let early = ExchangeQuery {
        to: Some("2020-01-01T00:00:00Z".parse().unwrap()),
        ..Default::default()
    };
    let none = exchange::export_batch(&service, &admin, Document::Waybill, &early, &options)
        .await
        .unwrap();
    assert_eq!(none.count, 0);
    let by_id = ExchangeQuery {
        id: Some(wid.clone()),
        ..Default::default()
    };
    let one = exchange::export_batch(&service, &admin, Document::Waybill, &by_id, &options)
        .await
        .unwrap();
    assert_eq!(one.messages[0].record_id, wid);

    // Over the limit: a 413 that says how to narrow.
    let huge = ExchangeQuery {
        limit: Some(10_001),
        ..Default::default()
    };
    let err = exchange::export_batch(&service, &admin, Document::Waybill, &huge, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::TooLarge { message, .. } if message.contains("next_cursor")),
        "{err:?}"
    );

    // A carrier may not export, not even its own records.
    let carrier_caller = Caller::new(Role::Carrier, Some(carrier), "450200", "token:c");
    let err = exchange::export_batch(&service, &carrier_caller, Document::Vehicle, &all, &options)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden { .. }), "{err:?}");
}
