//! Chain of custody: which events tell the story of one lot, item or container.
//!
//! Starting from the subject, identifiers are followed breadth-first:
//! * **containers** — an `AggregationEvent`/`AssociationEvent` (ADD or OBSERVE) with the
//!   identifier among its children makes the parent a container *for the time between that
//!   event and a later DELETE of the same child from the same parent*; only the container's
//!   events inside that window count. Containers of containers are followed (case → pallet →
//!   reefer truck), each window clipped by the outer one.
//! * **contents** — when the subject itself is a parent, its children are followed too (a
//!   pallet's history includes its cases), within the same kind of window.
//! * **upstream** — a `TransformationEvent` with the identifier among its outputs makes each
//!   input part of the story up to the transformation time (produce → processed product);
//!   inputs' own inputs are followed further upstream.
//! * **downstream** — with the identifier among its inputs, each output is followed from the
//!   transformation time on.
//!
//! Each identifier is visited once (the first window found wins). A trace stops adding
//! identifiers after [`MAX_LINKS`] and events after [`MAX_EVENTS`], and says so.

use crate::error::LedgerError;
use crate::event::{Action, Event, EventType};
use crate::ident::identifier_keys;
use crate::query::LedgerEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};

/// Most identifiers one trace follows.
pub const MAX_LINKS: usize = 10_000;
/// Most events one trace returns.
pub const MAX_EVENTS: usize = 200_000;

/// How an identifier relates to the traced subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The subject itself.
    Subject,
    /// Something the subject (or one of its containers) was packed in.
    Container,
    /// Something packed in the subject.
    Content,
    /// An input of a transformation that produced the subject (upstream).
    Input,
    /// An output of a transformation that consumed the subject (downstream).
    Output,
}

/// One identifier in a chain of custody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyLink {
    /// The identifier as written in the event that linked it.
    pub identifier: String,
    /// Its normalised lookup key.
    pub key: String,
    /// Relation to the subject.
    pub relation: Relation,
    /// The event that established the link (`None` for the subject).
    pub via_event: Option<String>,
    /// Start of the window in which its events count (`None`: from the beginning).
    pub from: Option<DateTime<Utc>>,
    /// End of the window (`None`: open).
    pub until: Option<DateTime<Utc>>,
}

/// A subject's chain of custody: the identifiers followed and the events found, by event time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainOfCustody {
    /// The identifier asked about.
    pub subject: String,
    /// Identifiers followed, subject first.
    pub links: Vec<CustodyLink>,
    /// Events, ordered by event time then log position.
    pub events: Vec<LedgerEvent>,
}

pub(crate) struct Traced {
    pub links: Vec<CustodyLink>,
    pub event_indexes: Vec<u32>,
}

struct Item {
    key: String,
    raw: String,
    relation: Relation,
    via: Option<String>,
    from: Option<i64>,
    until: Option<i64>,
}

fn has_key(raw: &str, key: &str) -> bool {
    identifier_keys(raw).is_ok_and(|ks| ks.iter().any(|k| k == key))
}

fn primary_key(raw: &str) -> String {
    identifier_keys(raw)
        .ok()
        .and_then(|k| k.into_iter().next())
        .unwrap_or_else(|| raw.to_string())
}

fn ms_to_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.and_then(DateTime::from_timestamp_millis)
}

/// Traces `subject` (already normalised to `keys`). `postings(key)` lists the events
/// mentioning a key; `load(idx)` reads one.
pub(crate) fn trace(
    subject: &str,
    keys: &[String],
    postings: impl Fn(&str) -> Vec<u32>,
    load: &mut impl FnMut(u32) -> Result<Event, LedgerError>,
) -> Result<Traced, LedgerError> {
    let mut queue: VecDeque<Item> = keys
        .iter()
        .map(|k| Item {
            key: k.clone(),
            raw: subject.to_string(),
            relation: Relation::Subject,
            via: None,
            from: None,
            until: None,
        })
        .collect();
    let mut visited: HashSet<String> = keys.iter().cloned().collect();
    let mut cache: HashMap<u32, Event> = HashMap::new();
    let mut included: HashMap<u32, i64> = HashMap::new();
    let mut links = Vec::new();

    while let Some(item) = queue.pop_front() {
        let list = postings(&item.key);
        for &idx in &list {
            if let std::collections::hash_map::Entry::Vacant(v) = cache.entry(idx) {
                v.insert(load(idx)?);
            }
        }
        let events: Vec<(u32, &Event)> = list.iter().map(|i| (*i, &cache[i])).collect();
        let in_window =
            |t: i64| item.from.is_none_or(|f| t >= f) && item.until.is_none_or(|u| t <= u);
        let mut next = Vec::new();
        for &(idx, e) in &events {
            let t = e.event_time.timestamp_millis();
            if !in_window(t) {
                continue;
            }
            if included.len() < MAX_EVENTS {
                included.insert(idx, t);
            }
            match e.kind {
                EventType::AggregationEvent | EventType::AssociationEvent
                    if e.action != Some(Action::Delete) =>
                {
                    let Some(parent) = e.parent_id.as_deref() else {
                        continue;
                    };
                    let is_parent = has_key(parent, &item.key);
                    if is_parent && item.relation == Relation::Subject {
                        for child in e.children() {
                            let ck = primary_key(child);
                            let end = removal_time(&events, parent, &ck, t);
                            next.push(Item {
                                key: ck,
                                raw: child.to_string(),
                                relation: Relation::Content,
                                via: Some(e.event_id.clone()),
                                from: Some(t),
                                until: end,
                            });
                        }
                    } else if !is_parent && e.children().any(|c| has_key(c, &item.key)) {
                        let end = removal_time(&events, parent, &item.key, t);
                        let from = item.from.map_or(t, |f| f.max(t));
                        let until = match (end, item.until) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                        next.push(Item {
                            key: primary_key(parent),
                            raw: parent.to_string(),
                            relation: Relation::Container,
                            via: Some(e.event_id.clone()),
                            from: Some(from),
                            until,
                        });
                    }
                }
                EventType::TransformationEvent => {
                    let r = item.relation;
                    if matches!(r, Relation::Subject | Relation::Input | Relation::Content)
                        && e.outputs.iter().any(|o| has_key(o, &item.key))
                    {
                        for input in &e.inputs {
                            next.push(Item {
                                key: primary_key(input),
                                raw: input.clone(),
                                relation: Relation::Input,
                                via: Some(e.event_id.clone()),
                                from: None,
                                until: Some(t),
                            });
                        }
                    }
                    if matches!(r, Relation::Subject | Relation::Output | Relation::Content)
                        && e.inputs.iter().any(|i| has_key(i, &item.key))
                    {
                        for output in &e.outputs {
                            next.push(Item {
                                key: primary_key(output),
                                raw: output.clone(),
                                relation: Relation::Output,
                                via: Some(e.event_id.clone()),
                                from: Some(t),
                                until: None,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        links.push(CustodyLink {
            identifier: item.raw,
            key: item.key,
            relation: item.relation,
            via_event: item.via,
            from: ms_to_time(item.from),
            until: ms_to_time(item.until),
        });
        for n in next {
            if links.len() + queue.len() >= MAX_LINKS {
                break;
            }
            if visited.insert(n.key.clone()) {
                queue.push_back(n);
            }
        }
    }
    let mut event_indexes: Vec<u32> = included.keys().copied().collect();
    event_indexes.sort_by_key(|i| (included[i], *i));
    Ok(Traced {
        links,
        event_indexes,
    })
}

/// Time of the first DELETE aggregation removing `child_key` from `parent` at or after `t`.
fn removal_time(events: &[(u32, &Event)], parent: &str, child_key: &str, t: i64) -> Option<i64> {
    events
        .iter()
        .filter(|(_, e)| {
            matches!(
                e.kind,
                EventType::AggregationEvent | EventType::AssociationEvent
            ) && e.action == Some(Action::Delete)
                && e.parent_id.as_deref() == Some(parent)
                && e.event_time.timestamp_millis() >= t
                && (e.children().any(|c| has_key(c, child_key)) || e.children().next().is_none())
        })
        .map(|(_, e)| e.event_time.timestamp_millis())
        .min()
}
