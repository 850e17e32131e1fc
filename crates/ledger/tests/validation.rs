//! EPCIS capture validation: bad documents are rejected whole, with every problem located.

mod common;
use common::*;
use serde_json::json;
use wuliu_ledger::{CaptureError, EventQuery, Ledger};

fn issues_of(ledger: &Ledger, document: &str) -> Vec<(Option<usize>, String, String)> {
    match ledger.capture(document, &admin()) {
        Err(CaptureError::Invalid(issues)) => issues
            .into_iter()
            .map(|i| (i.event_index, i.path, i.code))
            .collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn all_five_event_types_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let case = "urn:epc:id:sgtin:9521234.054322.1001";
    let mut tx = object(3, "shipping", PLANT, &[case], &[]);
    tx["type"] = json!("TransactionEvent");
    tx["action"] = json!("ADD");
    tx["bizTransactionList"] =
        json!([{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:9521234000006:PO-1"}]);
    let mut assoc = aggregate(4, "ADD", TRUCK, &[PALLET], &[]);
    assoc["type"] = json!("AssociationEvent");
    let receipt = ledger
        .capture(
            &doc(vec![
                object(0, "commissioning", FARM, &[], &[RAW_LOT]),
                transform(1, &[RAW_LOT], &[CUT_LOT]),
                aggregate(2, "ADD", PALLET, &[case], &[CUT_LOT]),
                tx,
                assoc,
            ]),
            &admin(),
        )
        .unwrap();
    assert_eq!(receipt.count, 5);
    assert_eq!(ledger.len(), 5);
    // Assigned IDs are content hashes and are recorded.
    assert!(receipt
        .event_ids
        .iter()
        .all(|id| id.starts_with("ni:///sha-256;")));
    let stored = ledger.event_by_id(&receipt.event_ids[3]).unwrap().unwrap();
    assert_eq!(stored.event["type"], "TransactionEvent");
    assert!(stored.event["recordTime"].is_string());
}

#[test]
fn a_document_with_one_bad_event_is_rejected_whole_with_every_problem_located() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let good = object(0, "shipping", PLANT, &[], &[CUT_LOT]);
    let mut bad_time = object(1, "shipping", PLANT, &[], &[CUT_LOT]);
    bad_time["eventTime"] = json!("yesterday");
    let mut bad_many = object(
        2,
        "teleporting",
        PLANT,
        &["urn:epc:id:sgtin:9521234.05432.1"],
        &[],
    );
    bad_many["action"] = json!("MOVE");
    bad_many
        .as_object_mut()
        .unwrap()
        .remove("eventTimeZoneOffset");
    let got = issues_of(&ledger, &doc(vec![good, bad_time, bad_many]));
    let want = [
        (
            Some(1),
            "$.epcisBody.eventList[1].eventTime",
            "time.invalid",
        ),
        (
            Some(2),
            "$.epcisBody.eventList[2].eventTimeZoneOffset",
            "event.tz.missing",
        ),
        (Some(2), "$.epcisBody.eventList[2].action", "event.action"),
        (
            Some(2),
            "$.epcisBody.eventList[2].bizStep",
            "event.biz_step",
        ),
        (
            Some(2),
            "$.epcisBody.eventList[2].epcList[0]",
            "identifier.invalid",
        ),
    ];
    for (i, p, c) in want {
        assert!(
            got.iter()
                .any(|(gi, gp, gc)| *gi == i && gp == p && gc == c),
            "missing {i:?} {p} {c} in {got:?}"
        );
    }
    assert!(
        got.iter().all(|(i, _, _)| *i != Some(0)),
        "the good event has no problem"
    );
    // Nothing was stored, not even the good event.
    assert_eq!(ledger.len(), 0);
    assert!(ledger
        .query(&EventQuery::default())
        .unwrap()
        .events
        .is_empty());
}

#[test]
fn structural_rules_per_event_type() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut no_parent = aggregate(0, "ADD", PALLET, &[], &[CUT_LOT]);
    no_parent.as_object_mut().unwrap().remove("parentID");
    let mut empty_transform = transform(1, &[], &[]);
    empty_transform["action"] = json!("ADD");
    let mut tx = object(2, "shipping", PLANT, &[], &[CUT_LOT]);
    tx["type"] = json!("TransactionEvent");
    let mut unknown = object(3, "shipping", PLANT, &[], &[CUT_LOT]);
    unknown["type"] = json!("TeleportEvent");
    let mut bad_sensor = object(4, "shipping", PLANT, &[], &[CUT_LOT]);
    bad_sensor["sensorElementList"] = json!([{"sensorReport": [{"type": "gs1:Temperature", "value": "cold", "uom": "CEL"}, {"type": "gs1:Temperature", "value": 3, "uom": "XYZ"}]}]);
    let got = issues_of(
        &ledger,
        &doc(vec![no_parent, empty_transform, tx, unknown, bad_sensor]),
    );
    let codes: Vec<(Option<usize>, &str)> = got.iter().map(|(i, _, c)| (*i, c.as_str())).collect();
    for want in [
        (Some(0), "aggregation.parent_missing"),
        (Some(1), "transformation.empty"),
        (Some(1), "event.action"),
        (Some(2), "transaction.missing"),
        (Some(3), "event.type"),
        (Some(4), "sensor.value"),
        (Some(4), "sensor.uom"),
    ] {
        assert!(codes.contains(&want), "missing {want:?} in {codes:?}");
    }
}

#[test]
fn document_level_problems() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let got = issues_of(&ledger, "{not json");
    assert_eq!(got[0].2, "document.json");
    let got = issues_of(&ledger, &doc(vec![]));
    assert_eq!(got[0].2, "document.empty");
    let got = issues_of(&ledger, r#"{"type":"EPCISQueryDocument"}"#);
    assert_eq!(got[0].2, "document.type");
    let got = issues_of(&ledger, r#"{"type":"EPCISDocument","epcisBody":{}}"#);
    assert_eq!(got[0].1, "$.epcisBody.eventList");
}

#[test]
fn digital_link_check_digits_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let ev = object(
        0,
        "shipping",
        PLANT,
        &["https://id.gs1.org/01/09521234543214/21/7"],
        &[],
    );
    let got = issues_of(&ledger, &doc(vec![ev]));
    assert_eq!(got[0].2, "identifier.invalid");
    let ok = object(
        0,
        "shipping",
        PLANT,
        &["https://id.gs1.org/01/09521234543213/21/7"],
        &[],
    );
    ledger.capture(&doc(vec![ok]), &admin()).unwrap();
}

#[test]
fn duplicate_event_ids_are_rejected_within_and_across_documents() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut a = object(0, "shipping", PLANT, &[], &[CUT_LOT]);
    a["eventID"] = json!("urn:uuid:3f7c1a52-0d55-4b7a-9c2f-7f1d1f0c0001");
    let got = issues_of(&ledger, &doc(vec![a.clone(), a.clone()]));
    assert_eq!(got[0].2, "event.id.duplicate");
    ledger.capture(&doc(vec![a.clone()]), &admin()).unwrap();
    let b = object(5, "receiving", DC, &[], &[CUT_LOT]);
    match ledger.capture(&doc(vec![b, a]), &admin()) {
        Err(e @ CaptureError::Duplicate { event_index: 1, .. }) => {
            assert_eq!(e.issues()[0].code, "event.id.duplicate")
        }
        other => panic!("expected duplicate, got {other:?}"),
    }
    assert_eq!(
        ledger.len(),
        1,
        "the document with the duplicate stored nothing"
    );
    // The same content without an eventID gets the same content-hash ID: a replay is caught.
    let c = object(9, "receiving", DC, &[], &[CUT_LOT]);
    ledger.capture(&doc(vec![c.clone()]), &admin()).unwrap();
    assert!(matches!(
        ledger.capture(&doc(vec![c]), &admin()),
        Err(CaptureError::Duplicate { .. })
    ));
}

#[test]
fn single_event_capture_and_unit_conversion() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut ev = object(
        0,
        "urn:epcglobal:cbv:bizstep:shipping",
        PLANT,
        &[],
        &[CUT_LOT],
    );
    ev["sensorElementList"] =
        json!([{"sensorReport": [{"type": "gs1:Temperature", "value": 35.6, "uom": "FAH"}]}]);
    ledger.capture(&ev.to_string(), &admin()).unwrap();
    let q = EventQuery {
        biz_step: vec!["https://ref.gs1.org/cbv/BizStep-shipping".into()],
        ..EventQuery::default()
    };
    assert_eq!(ledger.query(&q).unwrap().events.len(), 1);
}

#[test]
fn large_documents_keep_event_order_and_locate_problems() {
    // Big enough to be validated on several threads.
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let lots: Vec<String> = (0..700)
        .map(|i| format!("urn:epc:class:lgtin:9521234.054321.B{i}"))
        .collect();
    let mut events: Vec<serde_json::Value> = lots
        .iter()
        .enumerate()
        .map(|(i, l)| object(i as i64, "shipping", PLANT, &[], &[l]))
        .collect();
    events[611]["eventTime"] = json!("not a time");
    events[650]["eventID"] = json!("urn:uuid:00000000-0000-4000-8000-000000000001");
    events[20]["eventID"] = json!("urn:uuid:00000000-0000-4000-8000-000000000001");
    let got = issues_of(&ledger, &doc(events.clone()));
    assert_eq!(
        got,
        vec![
            (
                Some(611),
                "$.epcisBody.eventList[611].eventTime".to_string(),
                "time.invalid".to_string()
            ),
            (
                Some(650),
                "$.epcisBody.eventList[650].eventID".to_string(),
                "event.id.duplicate".to_string()
            ),
        ]
    );
    assert_eq!(ledger.len(), 0);
    events[611]["eventTime"] = json!(t(611));
    events[650].as_object_mut().unwrap().remove("eventID");
    let r = ledger.capture(&doc(events), &admin()).unwrap();
    assert_eq!(r.count, 700);
    for (i, l) in lots.iter().enumerate().step_by(97) {
        let e = ledger.event_at(i as u64).unwrap();
        assert_eq!(e.event_id, r.event_ids[i]);
        assert_eq!(e.event["quantityList"][0]["epcClass"], json!(l));
    }
}
