//! EPCIS-style event queries (a subset of the EPCIS 2.0 `SimpleEventQuery` parameters).

use crate::event::EventType;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An event query. Field names follow EPCIS 2.0 query parameters, so a REST query string or a
/// JSON body deserialises directly. All given filters must match (AND); values within one
/// filter are alternatives (OR). Identifiers match in any syntax (EPC URN or Digital Link) and
/// in any role (epcList, quantityList, parentID, children, inputs, outputs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventQuery {
    /// `eventType`: only these event types.
    #[serde(rename = "eventType", default, skip_serializing_if = "Vec::is_empty")]
    pub event_types: Vec<EventType>,
    /// `MATCH_anyEPC`: events mentioning any of these identifiers (instances or classes).
    #[serde(
        rename = "MATCH_anyEPC",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub any_epc: Vec<String>,
    /// `GE_eventTime`: event time at or after.
    #[serde(
        rename = "GE_eventTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ge_event_time: Option<DateTime<FixedOffset>>,
    /// `LT_eventTime`: event time strictly before.
    #[serde(
        rename = "LT_eventTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub lt_event_time: Option<DateTime<FixedOffset>>,
    /// `EQ_bizStep`: business step (CBV word, URN or URI).
    #[serde(rename = "EQ_bizStep", default, skip_serializing_if = "Vec::is_empty")]
    pub biz_step: Vec<String>,
    /// `EQ_disposition`.
    #[serde(
        rename = "EQ_disposition",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub disposition: Vec<String>,
    /// `EQ_bizLocation` or `EQ_readPoint`: the event happened at one of these places.
    #[serde(
        rename = "EQ_bizLocation",
        alias = "EQ_readPoint",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub location: Vec<String>,
    /// `perPage`-style cap on the number of events returned (default 1000).
    #[serde(rename = "limit", default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// One stored event as returned by queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEvent {
    /// Position in the log (the Merkle leaf index).
    pub leaf_index: u64,
    /// `eventID`.
    pub event_id: String,
    /// The stored event (canonical JSON, including `recordTime`).
    pub event: Value,
}

/// Query answer, ordered by event time then log position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResult {
    /// Matching events (at most the limit).
    pub events: Vec<LedgerEvent>,
    /// Whether more events matched than were returned.
    pub truncated: bool,
}

impl QueryResult {
    /// The answer as an EPCIS 2.0 `EPCISQueryDocument`.
    pub fn to_epcis_query_document(&self, query_name: &str) -> Value {
        serde_json::json!({
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISQueryDocument",
            "schemaVersion": "2.0",
            "creationDate": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "epcisBody": {
                "queryResults": {
                    "queryName": query_name,
                    "resultsBody": {
                        "eventList": self.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>()
                    }
                }
            }
        })
    }
}

/// Sorted union of several ascending posting lists.
pub(crate) fn union(lists: &[&[u32]]) -> Vec<u32> {
    let mut out: Vec<u32> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Intersection of two ascending lists.
pub(crate) fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialises_epcis_parameter_names() {
        let q: EventQuery = serde_json::from_str(
            r#"{"MATCH_anyEPC":["urn:epc:id:sgtin:9521234.054321.1"],"EQ_bizStep":["shipping"],
                "GE_eventTime":"2024-05-01T00:00:00+08:00","eventType":["ObjectEvent"],"EQ_readPoint":["urn:x:1"]}"#,
        )
        .unwrap();
        assert_eq!(q.any_epc.len(), 1);
        assert_eq!(q.biz_step, vec!["shipping"]);
        assert_eq!(q.location, vec!["urn:x:1"]);
        assert_eq!(q.event_types, vec![EventType::ObjectEvent]);
        assert!(q.ge_event_time.is_some());
    }

    #[test]
    fn set_operations() {
        assert_eq!(union(&[&[1, 4, 9], &[2, 4]]), vec![1, 2, 4, 9]);
        assert_eq!(intersect(&[1, 2, 4, 9], &[2, 3, 9]), vec![2, 9]);
    }
}
