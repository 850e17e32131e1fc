//! Capturing parties: every event records who captured it, and parties may capture only into
//! lots they own or were handed over; admins into anything. Refusals store nothing.

mod common;
use common::*;
use serde_json::json;
use wuliu_ledger::canonical::to_canonical_bytes;
use wuliu_ledger::hash::leaf_hash;
use wuliu_ledger::{CaptureError, Capturer, EventQuery, Ledger};

const LOT: &str = "urn:epc:class:lgtin:9521234.054321.AUTH1";
const OTHER: &str = "urn:epc:class:lgtin:9521234.054321.AUTH2";

fn shipper() -> Capturer {
    Capturer::party("pty_farm", "shipper")
}
fn carrier() -> Capturer {
    Capturer::party("pty_truck", "carrier")
}
fn buyer() -> Capturer {
    Capturer::party("pty_shop", "shipper")
}

fn ev(minute: i64, lot: &str) -> serde_json::Value {
    object(minute, "storing", PLANT, &[], &[lot])
}

/// A shipping event for `lot` handing it to `party` as `kind`.
fn hand_over(minute: i64, lot: &str, kind: &str, party: &str) -> serde_json::Value {
    let mut e = object(minute, "shipping", PLANT, &[], &[lot]);
    e["destinationList"] =
        json!([{"type": format!("urn:epcglobal:cbv:sdt:{kind}"), "destination": party}]);
    e
}

fn forbidden(r: Result<wuliu_ledger::CaptureReceipt, CaptureError>) -> (usize, String, String) {
    match r {
        Err(CaptureError::Forbidden {
            event_index,
            path,
            lot,
            reason,
        }) => {
            assert!(!reason.is_empty());
            (event_index, path, lot)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_carrier_cannot_capture_into_a_lot_it_was_not_handed() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(vec![ev(0, LOT)]), &shipper()).unwrap();
    let (i, path, lot) = forbidden(ledger.capture(&doc(vec![ev(1, LOT)]), &carrier()));
    assert_eq!(i, 0);
    assert_eq!(path, "$.epcisBody.eventList[0].quantityList[0].epcClass");
    assert_eq!(lot, LOT);
    // The refusal is reported as an issue naming the field, for HTTP and CLI.
    let e = ledger
        .capture(&ev(2, LOT).to_string(), &carrier())
        .unwrap_err();
    let issues = e.issues();
    assert_eq!(issues[0].code, "capture.forbidden");
    assert_eq!(issues[0].path, "$.quantityList[0].epcClass");
    assert!(e.to_string().contains(LOT), "{e}");
    assert!(e.to_string().contains("pty_farm"), "{e}");
    assert_eq!(ledger.len(), 1);
}

#[test]
fn a_refused_document_stores_nothing_and_claims_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(vec![ev(0, LOT)]), &shipper()).unwrap();
    // The carrier's document: a fresh lot first (allowed on its own), then the shipper's lot.
    let (i, path, _) = forbidden(ledger.capture(&doc(vec![ev(1, OTHER), ev(2, LOT)]), &carrier()));
    assert_eq!(
        (i, path.as_str()),
        (1, "$.epcisBody.eventList[1].quantityList[0].epcClass")
    );
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger.lot_access(OTHER).unwrap().owner, None);
    // OTHER was not claimed: someone else can still claim it.
    ledger.capture(&doc(vec![ev(3, OTHER)]), &buyer()).unwrap();
    assert_eq!(
        ledger.lot_access(OTHER).unwrap().owner.as_deref(),
        Some("pty_shop")
    );
}

#[test]
fn custody_is_handed_over_by_a_custodian_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let ledger = Ledger::open(dir.path()).unwrap();
        ledger.capture(&doc(vec![ev(0, LOT)]), &shipper()).unwrap();
        // The carrier cannot hand the lot to itself.
        forbidden(ledger.capture(
            &doc(vec![hand_over(1, LOT, "possessing_party", "pty_truck")]),
            &carrier(),
        ));
        // The shipper hands possession to the carrier.
        ledger
            .capture(
                &doc(vec![hand_over(2, LOT, "possessing_party", "pty_truck")]),
                &shipper(),
            )
            .unwrap();
        ledger.capture(&doc(vec![ev(3, LOT)]), &carrier()).unwrap();
        forbidden(ledger.capture(&doc(vec![ev(4, LOT)]), &buyer()));
        // The carrier, now a custodian, hands ownership to the buyer.
        ledger
            .capture(
                &doc(vec![hand_over(5, LOT, "owning_party", "pty_shop")]),
                &carrier(),
            )
            .unwrap();
    }
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(vec![ev(6, LOT)]), &buyer()).unwrap();
    forbidden(ledger.capture(&doc(vec![ev(7, LOT)]), &Capturer::party("pty_x", "carrier")));
    let access = ledger.lot_access(LOT).unwrap();
    assert_eq!(access.owner.as_deref(), Some("pty_farm"));
    assert_eq!(access.custodians, ["pty_farm", "pty_truck", "pty_shop"]);
    assert_eq!(access.recorded_events, 5);
}

#[test]
fn containers_and_transformations_follow_the_same_rule() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(vec![ev(0, LOT)]), &shipper()).unwrap();
    // The carrier may not pack the shipper's lot onto its own pallet…
    let (_, path, _) = forbidden(ledger.capture(
        &doc(vec![aggregate(1, "ADD", PALLET, &[], &[LOT])]),
        &carrier(),
    ));
    assert_eq!(
        path,
        "$.epcisBody.eventList[0].childQuantityList[0].epcClass"
    );
    // …nor transform it; the shipper may do both, claiming the pallet and the new lot.
    forbidden(ledger.capture(&doc(vec![transform(2, &[LOT], &[CUT_LOT])]), &carrier()));
    ledger
        .capture(
            &doc(vec![
                aggregate(3, "ADD", PALLET, &[], &[LOT]),
                transform(4, &[LOT], &[CUT_LOT]),
            ]),
            &shipper(),
        )
        .unwrap();
    assert_eq!(
        ledger.lot_access(PALLET).unwrap().owner.as_deref(),
        Some("pty_farm")
    );
    assert_eq!(
        ledger.lot_access(CUT_LOT).unwrap().owner.as_deref(),
        Some("pty_farm")
    );
}

#[test]
fn admins_capture_anything_and_parties_need_a_party() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(vec![ev(0, LOT)]), &shipper()).unwrap();
    ledger.capture(&doc(vec![ev(1, LOT)]), &admin()).unwrap();
    // A lot an admin claimed for no party is closed to parties until handed over.
    ledger.capture(&doc(vec![ev(2, OTHER)]), &admin()).unwrap();
    forbidden(ledger.capture(&doc(vec![ev(3, OTHER)]), &shipper()));
    ledger
        .capture(
            &doc(vec![hand_over(4, OTHER, "owning_party", "pty_farm")]),
            &admin(),
        )
        .unwrap();
    ledger
        .capture(&doc(vec![ev(5, OTHER)]), &shipper())
        .unwrap();
    let nobody = Capturer {
        party_id: None,
        role: "carrier".into(),
        admin: false,
    };
    forbidden(ledger.capture(
        &doc(vec![ev(6, "urn:epc:class:lgtin:9521234.054321.NEW")]),
        &nobody,
    ));
}

#[test]
fn every_event_records_its_capturer_inside_the_hashed_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    // A client trying to put words in the ledger's mouth: its record is discarded.
    let mut forged = ev(0, LOT);
    forged["wuliu:record"] =
        json!({"capturedBy": {"party": "pty_shop", "role": "admin"}, "lots": []});
    ledger
        .capture(&doc(vec![forged, ev(1, LOT)]), &shipper())
        .unwrap();
    ledger
        .capture(&doc(vec![ev(2, LOT)]), &Capturer::admin(Some("pty_ops")))
        .unwrap();
    let mut prev = None;
    for i in 0..3 {
        let e = ledger.event_at(i).unwrap();
        let record = &e.event["wuliu:record"];
        let expected_party = if i < 2 { "pty_farm" } else { "pty_ops" };
        assert_eq!(record["capturedBy"]["party"], expected_party);
        assert_eq!(
            record["capturedBy"]["role"],
            if i < 2 { "shipper" } else { "admin" }
        );
        assert_eq!(record["lots"][0]["key"], "lgtin:09521234543213:AUTH1");
        assert_eq!(record["lots"][0]["seq"], i + 1);
        assert_eq!(record["lots"][0]["prev"], json!(prev));
        // The record is part of the leaf.
        let leaf = ledger.leaf_hash(i).unwrap();
        assert_eq!(leaf_hash(&to_canonical_bytes(&e.event)), leaf);
        prev = Some(leaf.to_hex());
    }
}

#[test]
fn parties_see_only_lots_they_captured_into_or_hold() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    ledger.capture(&doc(vec![ev(0, LOT)]), &shipper()).unwrap();
    ledger.capture(&doc(vec![ev(1, OTHER)]), &buyer()).unwrap();
    assert!(ledger.visible_to(LOT, "pty_farm").unwrap());
    assert!(!ledger.visible_to(LOT, "pty_truck").unwrap());
    assert!(!ledger.visible_to(LOT, "pty_shop").unwrap());
    let all = EventQuery::default();
    assert_eq!(ledger.query(&all).unwrap().events.len(), 2);
    let mine = ledger.query_visible_to(&all, "pty_farm").unwrap();
    assert_eq!(mine.events.len(), 1);
    assert_eq!(mine.events[0].leaf_index, 0);
    assert!(ledger
        .query_visible_to(&all, "pty_truck")
        .unwrap()
        .events
        .is_empty());
    ledger
        .capture(
            &doc(vec![hand_over(2, LOT, "possessing_party", "pty_truck")]),
            &shipper(),
        )
        .unwrap();
    assert!(ledger.visible_to(LOT, "pty_truck").unwrap());
    assert_eq!(
        ledger
            .query_visible_to(&all, "pty_truck")
            .unwrap()
            .events
            .len(),
        2
    );
}
