//! Chain of custody across aggregation (pallet ↔ cases) and transformation (produce →
//! processed product → meal), with containment windows.

mod common;
use common::*;
use std::collections::HashSet;
use wuliu_ledger::{EventQuery, Ledger, Relation};

const CASE: &str = "urn:epc:id:sgtin:9521234.054322.1001";
const MEAL_LOT: &str = "urn:epc:class:lgtin:9521234.054323.MEAL1";
const CUT_LOT_DL: &str = "https://id.gs1.org/01/09521234543220/10/CUT1";

/// Captures the scenario and returns the ledger and the event ID per minute mark.
fn scenario(dir: &std::path::Path) -> (Ledger, std::collections::HashMap<i64, String>) {
    let ledger = Ledger::open(dir).unwrap();
    let events = vec![
        (0, object(0, "commissioning", FARM, &[], &[RAW_LOT])),
        (
            10,
            to_destination(object(10, "shipping", FARM, &[], &[RAW_LOT]), PLANT),
        ),
        (60, object(60, "receiving", PLANT, &[], &[RAW_LOT])),
        (120, transform(120, &[RAW_LOT], &[CUT_LOT])),
        (125, object(125, "commissioning", PLANT, &[], &[OTHER_LOT])),
        (130, aggregate(130, "ADD", PALLET, &[CASE], &[CUT_LOT])),
        (131, aggregate(131, "ADD", PALLET, &[], &[OTHER_LOT])),
        (
            140,
            to_destination(object(140, "shipping", PLANT, &[PALLET], &[]), DC),
        ),
        (200, object(200, "receiving", DC, &[PALLET], &[])),
        (210, aggregate(210, "DELETE", PALLET, &[CASE], &[CUT_LOT])),
        (220, object(220, "shipping", DC, &[PALLET], &[])),
        (230, object(230, "retail_selling", SHOP, &[], &[OTHER_LOT])),
        (240, transform(240, &[CUT_LOT], &[MEAL_LOT])),
        (250, object(250, "shipping", PLANT, &[], &[MEAL_LOT])),
        (300, object(300, "destroying", PLANT, &[], &[RAW_LOT])),
    ];
    let mut ids = std::collections::HashMap::new();
    // Captured in several documents, out of time order, to show order does not matter.
    for chunk in events.chunks(4).rev() {
        let r = ledger
            .capture(
                &doc(chunk.iter().map(|(_, e)| e.clone()).collect()),
                &admin(),
            )
            .unwrap();
        for ((m, _), id) in chunk.iter().zip(r.event_ids) {
            ids.insert(*m, id);
        }
    }
    (ledger, ids)
}

fn minutes_in(
    chain: &wuliu_ledger::ChainOfCustody,
    ids: &std::collections::HashMap<i64, String>,
) -> Vec<i64> {
    let got: HashSet<&str> = chain.events.iter().map(|e| e.event_id.as_str()).collect();
    let mut m: Vec<i64> = ids
        .iter()
        .filter(|(_, id)| got.contains(id.as_str()))
        .map(|(m, _)| *m)
        .collect();
    m.sort();
    m
}

#[test]
fn processed_lot_history_follows_inputs_containers_and_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, ids) = scenario(dir.path());
    let chain = ledger.chain_of_custody(CUT_LOT).unwrap();
    let minutes = minutes_in(&chain, &ids);
    // Raw lot upstream until the transformation; pallet while the lot was on it (the other
    // lot being packed onto it at 131 is a pallet event in that window); meal downstream.
    assert_eq!(
        minutes,
        vec![0, 10, 60, 120, 130, 131, 140, 200, 210, 240, 250]
    );
    // Events are in time order.
    let times: Vec<String> = chain
        .events
        .iter()
        .map(|e| e.event["eventTime"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by_key(|s| chrono::DateTime::parse_from_rfc3339(s).unwrap());
    assert_eq!(times, sorted);
    let relation = |r: Relation| -> Vec<&str> {
        chain
            .links
            .iter()
            .filter(|l| l.relation == r)
            .map(|l| l.identifier.as_str())
            .collect()
    };
    assert_eq!(relation(Relation::Subject), vec![CUT_LOT]);
    assert_eq!(relation(Relation::Input), vec![RAW_LOT]);
    assert_eq!(relation(Relation::Container), vec![PALLET]);
    assert_eq!(relation(Relation::Output), vec![MEAL_LOT]);
    let pallet = chain
        .links
        .iter()
        .find(|l| l.relation == Relation::Container)
        .unwrap();
    assert_eq!(pallet.via_event.as_deref(), Some(ids[&130].as_str()));
    assert!(pallet.from.is_some() && pallet.until.is_some());
}

#[test]
fn digital_link_and_epc_urn_give_the_same_history() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, ids) = scenario(dir.path());
    let a = minutes_in(&ledger.chain_of_custody(CUT_LOT).unwrap(), &ids);
    let b = minutes_in(&ledger.chain_of_custody(CUT_LOT_DL).unwrap(), &ids);
    assert_eq!(a, b);
}

#[test]
fn raw_lot_history_goes_downstream_to_every_product() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, ids) = scenario(dir.path());
    let chain = ledger.chain_of_custody(RAW_LOT).unwrap();
    let minutes = minutes_in(&chain, &ids);
    // Downstream products are followed from the transformation on (their containers too).
    for m in [0, 10, 60, 120, 130, 140, 200, 210, 240, 250, 300] {
        assert!(minutes.contains(&m), "minute {m} missing from {minutes:?}");
    }
    // The other lot's own life is not part of the raw lot's story.
    assert!(!minutes.contains(&125) && !minutes.contains(&230));
}

#[test]
fn pallet_history_includes_its_contents() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, ids) = scenario(dir.path());
    let chain = ledger.chain_of_custody(PALLET).unwrap();
    let minutes = minutes_in(&chain, &ids);
    for m in [130, 131, 140, 200, 210, 220, 230] {
        assert!(minutes.contains(&m), "minute {m} missing from {minutes:?}");
    }
    // Contents are followed from when they were packed, not before.
    assert!(!minutes.contains(&0) && !minutes.contains(&125));
    assert!(chain
        .links
        .iter()
        .any(|l| l.relation == Relation::Content && l.identifier == CUT_LOT));
}

#[test]
fn queries_by_identifier_step_place_time_and_type() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, ids) = scenario(dir.path());
    let ids_of = |q: &EventQuery| -> Vec<i64> {
        let r = ledger.query(q).unwrap();
        let got: HashSet<String> = r.events.into_iter().map(|e| e.event_id).collect();
        let mut m: Vec<i64> = ids
            .iter()
            .filter(|(_, id)| got.contains(*id))
            .map(|(m, _)| *m)
            .collect();
        m.sort();
        m
    };
    let q = EventQuery {
        any_epc: vec![RAW_LOT.into()],
        ..Default::default()
    };
    assert_eq!(ids_of(&q), vec![0, 10, 60, 120, 300]);
    let q = EventQuery {
        biz_step: vec!["shipping".into()],
        ..Default::default()
    };
    assert_eq!(ids_of(&q), vec![10, 140, 220, 250]);
    let q = EventQuery {
        location: vec![DC.into()],
        ..Default::default()
    };
    assert_eq!(ids_of(&q), vec![200, 220]);
    let q = EventQuery {
        biz_step: vec!["shipping".into()],
        ge_event_time: Some(chrono::DateTime::parse_from_rfc3339(&t(140)).unwrap()),
        lt_event_time: Some(chrono::DateTime::parse_from_rfc3339(&t(250)).unwrap()),
        ..Default::default()
    };
    assert_eq!(ids_of(&q), vec![140, 220]);
    let q = EventQuery {
        event_types: vec![wuliu_ledger::EventType::TransformationEvent],
        ..Default::default()
    };
    assert_eq!(ids_of(&q), vec![120, 240]);
    let q = EventQuery {
        any_epc: vec![CASE.into()],
        biz_step: vec!["packing".into()],
        ..Default::default()
    };
    assert_eq!(ids_of(&q), vec![130]);
    let q = EventQuery {
        limit: Some(3),
        ..Default::default()
    };
    let r = ledger.query(&q).unwrap();
    assert_eq!(r.events.len(), 3);
    assert!(r.truncated);
    let document = r.to_epcis_query_document("SimpleEventQuery");
    assert_eq!(
        document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn nested_containers_count_only_while_the_lot_is_inside() {
    // Lot on a pallet (10–100), pallet associated with a reefer truck (20–80): the truck's
    // readings count for the lot only inside both windows.
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    let mut attach = aggregate(20, "ADD", TRUCK, &[PALLET], &[]);
    attach["type"] = serde_json::json!("AssociationEvent");
    let mut detach = aggregate(80, "DELETE", TRUCK, &[PALLET], &[]);
    detach["type"] = serde_json::json!("AssociationEvent");
    let events = [
        (5, object(5, "sensor_reporting", PLANT, &[TRUCK], &[])),
        (10, aggregate(10, "ADD", PALLET, &[], &[CUT_LOT])),
        (20, attach),
        (
            30,
            with_temps(
                object(30, "sensor_reporting", PLANT, &[TRUCK], &[]),
                &[(30, 3.0)],
            ),
        ),
        (80, detach),
        (90, object(90, "sensor_reporting", DC, &[TRUCK], &[])),
        (100, aggregate(100, "DELETE", PALLET, &[], &[CUT_LOT])),
        (110, object(110, "sensor_reporting", DC, &[PALLET], &[])),
    ];
    let r = ledger
        .capture(
            &doc(events.iter().map(|(_, e)| e.clone()).collect()),
            &admin(),
        )
        .unwrap();
    let ids: std::collections::HashMap<i64, String> =
        events.iter().map(|(m, _)| *m).zip(r.event_ids).collect();
    let chain = ledger.chain_of_custody(CUT_LOT).unwrap();
    assert_eq!(minutes_in(&chain, &ids), vec![10, 20, 30, 80, 100]);
    let truck = chain.links.iter().find(|l| l.identifier == TRUCK).unwrap();
    assert_eq!(truck.relation, Relation::Container);
    assert_eq!(truck.via_event.as_deref(), Some(ids[&20].as_str()));
}
