//! Capture-document parsing and validation: every problem is reported at once, each with the
//! event index, a JSON path and a reason; a document with any problem is rejected whole.

use crate::canonical::{object_to_canonical_bytes, object_with_slot};
use crate::event::{
    normalise_cbv, Action, Event, EventType, Party, Quantity, SensorReading, CBV_BIZ_STEPS,
    CBV_DISPOSITIONS,
};
use crate::ident::identifier_keys;
use crate::record::{LedgerRecord, RECORD_KEY};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// One problem in a capture document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationIssue {
    /// Zero-based index of the event in `eventList` (`None` for document-level problems).
    pub event_index: Option<usize>,
    /// JSON path of the offending value, e.g. `$.epcisBody.eventList[2].eventTime`.
    pub path: String,
    /// Stable code, e.g. `event.time.invalid`.
    pub code: String,
    /// Human-readable reason.
    pub reason: String,
}

impl std::fmt::Display for ValidationIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.event_index {
            Some(i) => write!(
                f,
                "event {i}: {} [{}]: {}",
                self.path, self.code, self.reason
            ),
            None => write!(f, "{} [{}]: {}", self.path, self.code, self.reason),
        }
    }
}

/// A validated event ready to append: its typed view and canonical bytes, which still lack the
/// ledger's record (see [`crate::record`]); the ledger inserts it at `record_at` when it
/// appends the event, under its writer lock, and hashes the result.
#[derive(Debug, Clone)]
pub struct PreparedEvent {
    /// Typed view.
    pub event: Event,
    /// JSON path of the event in the capture document (`$` for a bare event).
    pub path: String,
    /// Canonical JSON bytes without the ledger record.
    pub canonical: Vec<u8>,
    /// Where in `canonical` the record member goes.
    pub record_at: usize,
    /// Normalised lookup keys of every identifier the event mentions (see [`crate::ident`]).
    pub keys: Vec<String>,
}

/// Documents with at least this many events are validated on several threads.
const PARALLEL_MIN_EVENTS: usize = 256;

/// Parses and validates a capture document (an `EPCISDocument` or a single event) and
/// prepares every event. `record_time` becomes each event's `recordTime`.
///
/// Large documents are validated on up to four scoped threads (results and problems keep
/// document order); the call still returns only when all work is done.
pub fn prepare_document(
    json: &str,
    record_time: DateTime<Utc>,
) -> Result<Vec<PreparedEvent>, Vec<ValidationIssue>> {
    let mut root: Value = serde_json::from_str(json).map_err(|e| {
        vec![issue(
            None,
            "$",
            "document.json",
            format!("not valid JSON: {e}"),
        )]
    })?;
    let doc_issue =
        |path: &str, code: &str, reason: String| Err(vec![issue(None, path, code, reason)]);
    let (events, base): (Vec<Value>, &str) = match root.get("type").and_then(Value::as_str) {
        Some("EPCISDocument") => {
            match root
                .pointer_mut("/epcisBody/eventList")
                .and_then(Value::as_array_mut)
            {
                Some(list) if !list.is_empty() => (std::mem::take(list), "$.epcisBody.eventList"),
                Some(_) => {
                    return doc_issue(
                        "$.epcisBody.eventList",
                        "document.empty",
                        "the document has no events".into(),
                    )
                }
                None => {
                    return doc_issue(
                        "$.epcisBody.eventList",
                        "document.event_list_missing",
                        "an EPCISDocument needs epcisBody.eventList (an array of events)".into(),
                    )
                }
            }
        }
        Some(t) if EventType::parse(t).is_some() => (vec![root.take()], ""),
        Some(t) => {
            return doc_issue(
                "$.type",
                "document.type",
                format!("expected EPCISDocument or an event type, got {t:?}"),
            )
        }
        None => {
            return doc_issue(
                "$.type",
                "document.type",
                "missing type (expected EPCISDocument or an event type)".into(),
            )
        }
    };
    let stamp = record_time.to_rfc3339_opts(SecondsFormat::Millis, true);
    let n = events.len();
    let threads = if n >= PARALLEL_MIN_EVENTS {
        std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .min(4)
    } else {
        1
    };
    let mut results: Vec<(Option<PreparedEvent>, Vec<ValidationIssue>)> = if threads <= 1 {
        events
            .into_iter()
            .enumerate()
            .map(|(i, raw)| prepare_one(i, raw, base, &stamp))
            .collect()
    } else {
        let chunk = n.div_ceil(threads);
        let mut events = events;
        let mut parts: Vec<Vec<Value>> = Vec::with_capacity(threads);
        while events.len() > chunk {
            let tail = events.split_off(chunk);
            parts.push(std::mem::replace(&mut events, tail));
        }
        parts.push(events);
        let stamp = &stamp;
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .into_iter()
                .enumerate()
                .map(|(p, part)| {
                    scope.spawn(move || {
                        part.into_iter()
                            .enumerate()
                            .map(|(k, raw)| prepare_one(p * chunk + k, raw, base, stamp))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("validation thread panicked"))
                .collect()
        })
    };
    let mut issues = Vec::new();
    let mut out = Vec::with_capacity(n);
    let mut seen_ids = HashSet::with_capacity(n);
    for (i, (prepared, mut problems)) in results.drain(..).enumerate() {
        issues.append(&mut problems);
        let Some(p) = prepared else { continue };
        if !seen_ids.insert(p.event.event_id.clone()) {
            let path = if base.is_empty() {
                "$.eventID".to_string()
            } else {
                format!("{base}[{i}].eventID")
            };
            issues.push(issue(
                Some(i),
                &path,
                "event.id.duplicate",
                format!("eventID {} appears twice in the document", p.event.event_id),
            ));
            continue;
        }
        out.push(p);
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(issues)
    }
}

/// Validates and prepares the event at index `i` of the document.
fn prepare_one(
    i: usize,
    raw: Value,
    base: &str,
    stamp: &str,
) -> (Option<PreparedEvent>, Vec<ValidationIssue>) {
    let mut issues = Vec::new();
    let path = if base.is_empty() {
        "$".to_string()
    } else {
        format!("{base}[{i}]")
    };
    let mut cx = Cx {
        issues: &mut issues,
        index: i,
        base: path.clone(),
    };
    let Value::Object(mut obj) = raw else {
        cx.err(
            "",
            "event.not_object",
            "an event must be a JSON object".into(),
        );
        return (None, issues);
    };
    // recordTime is set by the repository on capture (EPCIS 2.0 §7.4.1); so is the ledger
    // record, which a client must not be able to forge.
    obj.remove("recordTime");
    obj.remove(RECORD_KEY);
    if !obj.contains_key("eventID") {
        let digest = Sha256::digest(object_to_canonical_bytes(&obj));
        let id = format!("ni:///sha-256;{}", hex::encode(digest));
        obj.insert("eventID".into(), Value::String(id));
    }
    let Some(event) = cx.event(&obj) else {
        return (None, issues);
    };
    obj.insert("recordTime".into(), Value::String(stamp.to_string()));
    let (canonical, record_at) = object_with_slot(&obj, RECORD_KEY);
    let keys = crate::index::index_keys(&event);
    (
        Some(PreparedEvent {
            event,
            path,
            canonical,
            record_at,
            keys,
        }),
        issues,
    )
}

/// Parses stored canonical bytes back into the typed view (no identifier re-checks needed,
/// but the same rules apply, so a bundle's events are checked exactly like captures).
pub fn parse_stored_event(bytes: &[u8]) -> Result<Event, Vec<ValidationIssue>> {
    parse_stored(bytes).map(|(e, _)| e)
}

/// Parses stored canonical bytes into the typed view and the ledger record (`None` for legacy
/// events stored before records existed; a malformed record is an issue).
pub fn parse_stored(bytes: &[u8]) -> Result<(Event, Option<LedgerRecord>), Vec<ValidationIssue>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        vec![issue(
            None,
            "$",
            "event.json",
            format!("not valid JSON: {e}"),
        )]
    })?;
    let mut issues = Vec::new();
    let Value::Object(obj) = value else {
        return Err(vec![issue(
            None,
            "$",
            "event.not_object",
            "not an object".into(),
        )]);
    };
    let mut cx = Cx {
        issues: &mut issues,
        index: 0,
        base: "$".into(),
    };
    let record = match obj.get(RECORD_KEY) {
        None => None,
        Some(v) => match LedgerRecord::deserialize(v) {
            Ok(r) => Some(r),
            Err(e) => {
                cx.err(
                    &format!(".{RECORD_KEY}"),
                    "record.invalid",
                    format!("malformed ledger record: {e}"),
                );
                None
            }
        },
    };
    match cx.event(&obj) {
        Some(e) if issues.is_empty() => Ok((e, record)),
        _ => Err(issues),
    }
}

fn issue(index: Option<usize>, path: &str, code: &str, reason: String) -> ValidationIssue {
    ValidationIssue {
        event_index: index,
        path: path.to_string(),
        code: code.to_string(),
        reason,
    }
}

struct Cx<'a> {
    issues: &'a mut Vec<ValidationIssue>,
    index: usize,
    base: String,
}

impl Cx<'_> {
    fn err(&mut self, suffix: &str, code: &str, reason: String) {
        let path = format!("{}{}", self.base, suffix);
        self.issues
            .push(issue(Some(self.index), &path, code, reason));
    }

    fn opt_str<'v>(&mut self, obj: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => {
                self.err(
                    &format!(".{key}"),
                    "field.type",
                    format!("{key} must be a string"),
                );
                None
            }
        }
    }

    fn time(
        &mut self,
        suffix: impl FnOnce() -> String,
        text: &str,
    ) -> Option<DateTime<FixedOffset>> {
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => Some(t),
            Err(e) => {
                self.err(
                    &suffix(),
                    "time.invalid",
                    format!("{text:?} is not an RFC 3339 date-time with offset ({e})"),
                );
                None
            }
        }
    }

    fn identifier(&mut self, suffix: impl FnOnce() -> String, text: &str) -> Option<String> {
        match identifier_keys(text) {
            Ok(_) => Some(text.to_string()),
            Err(e) => {
                self.err(&suffix(), "identifier.invalid", e.0);
                None
            }
        }
    }

    fn id_list(&mut self, obj: &Map<String, Value>, key: &str) -> Vec<String> {
        let mut out = Vec::new();
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (j, item) in items.iter().enumerate() {
                    let suffix = || format!(".{key}[{j}]");
                    match item {
                        Value::String(s) => {
                            if let Some(id) = self.identifier(suffix, s) {
                                out.push(id);
                            }
                        }
                        _ => self.err(&suffix(), "field.type", "must be a URI string".into()),
                    }
                }
            }
            Some(_) => self.err(
                &format!(".{key}"),
                "field.type",
                format!("{key} must be an array"),
            ),
        }
        out
    }

    fn quantity_list(&mut self, obj: &Map<String, Value>, key: &str) -> Vec<Quantity> {
        let mut out = Vec::new();
        match obj.get(key) {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (j, item) in items.iter().enumerate() {
                    let suffix = || format!(".{key}[{j}]");
                    let Some(q) = item.as_object() else {
                        self.err(&suffix(), "field.type", "must be an object".into());
                        continue;
                    };
                    let class = match q.get("epcClass").and_then(Value::as_str) {
                        Some(c) => self.identifier(|| format!("{}.epcClass", suffix()), c),
                        None => {
                            self.err(
                                &format!("{}.epcClass", suffix()),
                                "quantity.class_missing",
                                "epcClass is required".into(),
                            );
                            None
                        }
                    };
                    let quantity = match q.get("quantity") {
                        None => None,
                        Some(v) => match v.as_f64() {
                            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
                            _ => {
                                self.err(
                                    &format!("{}.quantity", suffix()),
                                    "quantity.invalid",
                                    "quantity must be a number ≥ 0".into(),
                                );
                                None
                            }
                        },
                    };
                    let uom = q.get("uom").and_then(Value::as_str).map(str::to_string);
                    if let Some(epc_class) = class {
                        out.push(Quantity {
                            epc_class,
                            quantity,
                            uom,
                        });
                    }
                }
            }
            Some(_) => self.err(
                &format!(".{key}"),
                "field.type",
                format!("{key} must be an array"),
            ),
        }
        out
    }

    fn location(&mut self, obj: &Map<String, Value>, key: &str) -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Object(o)) => match o.get("id").and_then(Value::as_str) {
                Some(id) if id.contains(':') => Some(id.to_string()),
                _ => {
                    self.err(
                        &format!(".{key}.id"),
                        "location.invalid",
                        format!(
                            "{key}.id must be a URI (e.g. urn:epc:id:sgln:… or a Digital Link)"
                        ),
                    );
                    None
                }
            },
            Some(_) => {
                self.err(
                    &format!(".{key}"),
                    "field.type",
                    format!("{key} must be an object with id"),
                );
                None
            }
        }
    }

    fn parties(&mut self, obj: &Map<String, Value>, key: &str, field: &str) -> Vec<Party> {
        let mut out = Vec::new();
        let Some(v) = obj.get(key) else { return out };
        let Some(items) = v.as_array() else {
            self.err(
                &format!(".{key}"),
                "field.type",
                format!("{key} must be an array"),
            );
            return out;
        };
        for (j, item) in items.iter().enumerate() {
            let kind = item.get("type").and_then(Value::as_str);
            let id = item.get(field).and_then(Value::as_str);
            match (kind, id) {
                (Some(k), Some(id)) => {
                    let k = k.rsplit([':', '-']).next().unwrap_or(k).to_string();
                    out.push(Party {
                        kind: k,
                        id: id.to_string(),
                    })
                }
                _ => self.err(
                    &format!(".{key}[{j}]"),
                    "party.invalid",
                    format!("each {key} entry needs type and {field}"),
                ),
            }
        }
        out
    }

    fn sensors(
        &mut self,
        obj: &Map<String, Value>,
        event_time: Option<DateTime<FixedOffset>>,
    ) -> Vec<SensorReading> {
        let mut out = Vec::new();
        let Some(v) = obj.get("sensorElementList") else {
            return out;
        };
        let Some(elements) = v.as_array() else {
            self.err(
                ".sensorElementList",
                "field.type",
                "sensorElementList must be an array".into(),
            );
            return out;
        };
        for (j, el) in elements.iter().enumerate() {
            let sp = || format!(".sensorElementList[{j}]");
            let meta = el.get("sensorMetadata");
            let meta_time = match meta.and_then(|m| m.get("time")).and_then(Value::as_str) {
                Some(t) => self.time(|| format!("{}.sensorMetadata.time", sp()), t),
                None => None,
            };
            let device = meta
                .and_then(|m| m.get("deviceID"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let reports = match el.get("sensorReport").and_then(Value::as_array) {
                Some(r) if !r.is_empty() => r,
                _ => {
                    self.err(
                        &format!("{}.sensorReport", sp()),
                        "sensor.report_missing",
                        "each sensor element needs a non-empty sensorReport array".into(),
                    );
                    continue;
                }
            };
            for (k, rep) in reports.iter().enumerate() {
                let rp = || format!("{}.sensorReport[{k}]", sp());
                let Some(kind) = rep.get("type").and_then(Value::as_str) else {
                    self.err(
                        &format!("{}.type", rp()),
                        "sensor.type_missing",
                        "type is required".into(),
                    );
                    continue;
                };
                let kind = kind
                    .rsplit([':', '/', '-'])
                    .next()
                    .unwrap_or(kind)
                    .to_string();
                let time = match rep.get("time").and_then(Value::as_str) {
                    Some(t) => self.time(|| format!("{}.time", rp()), t),
                    None => meta_time.or(event_time),
                };
                let mut num = |name: &str| -> Option<f64> {
                    match rep.get(name) {
                        None | Some(Value::Null) => None,
                        Some(v) => match v.as_f64() {
                            Some(x) if x.is_finite() => Some(x),
                            _ => {
                                self.err(
                                    &format!("{}.{name}", rp()),
                                    "sensor.value",
                                    format!("{name} must be a number"),
                                );
                                None
                            }
                        },
                    }
                };
                let (mut value, mut min, mut max, mut mean) = (
                    num("value"),
                    num("minValue"),
                    num("maxValue"),
                    num("meanValue"),
                );
                let mut uom = rep.get("uom").and_then(Value::as_str).map(str::to_string);
                if kind == "Temperature" {
                    let convert: Option<fn(f64) -> f64> = match uom.as_deref() {
                        None | Some("CEL") => Some(|c| c),
                        Some("FAH") => Some(|f| (f - 32.0) * 5.0 / 9.0),
                        Some("KEL") => Some(|k| k - 273.15),
                        Some(other) => {
                            self.err(
                                &format!("{}.uom", rp()),
                                "sensor.uom",
                                format!("temperature unit {other:?} is not CEL, FAH or KEL"),
                            );
                            None
                        }
                    };
                    if let Some(c) = convert {
                        value = value.map(c);
                        min = min.map(c);
                        max = max.map(c);
                        mean = mean.map(c);
                        uom = Some("CEL".into());
                    }
                    if value.is_none() && min.is_none() && max.is_none() && mean.is_none() {
                        self.err(
                            &rp(),
                            "sensor.no_value",
                            "a temperature report needs value, minValue, maxValue or meanValue"
                                .into(),
                        );
                    }
                }
                if let Some(time) = time {
                    out.push(SensorReading {
                        time,
                        kind,
                        value,
                        min,
                        max,
                        mean,
                        uom,
                        device_id: device.clone(),
                    });
                }
            }
        }
        out
    }

    fn event(&mut self, obj: &Map<String, Value>) -> Option<Event> {
        let before = self.issues.len();
        let kind = match obj.get("type").and_then(Value::as_str) {
            Some(t) => match EventType::parse(t) {
                Some(k) => Some(k),
                None => {
                    self.err(".type", "event.type", format!("unknown event type {t:?}"));
                    None
                }
            },
            None => {
                self.err(".type", "event.type", "type is required".into());
                None
            }
        };
        let event_id = match obj.get("eventID") {
            Some(Value::String(s)) if s.contains(':') => Some(s.clone()),
            _ => {
                self.err(
                    ".eventID",
                    "event.id.invalid",
                    "eventID must be a URI string".into(),
                );
                None
            }
        };
        let event_time = match self.opt_str(obj, "eventTime") {
            Some(t) => self.time(|| ".eventTime".into(), t),
            None => {
                self.err(
                    ".eventTime",
                    "event.time.missing",
                    "eventTime is required".into(),
                );
                None
            }
        };
        match self.opt_str(obj, "eventTimeZoneOffset") {
            Some(tz) if valid_offset(tz) => {}
            Some(tz) => self.err(
                ".eventTimeZoneOffset",
                "event.tz.invalid",
                format!("{tz:?} is not an offset like +08:00"),
            ),
            None => self.err(
                ".eventTimeZoneOffset",
                "event.tz.missing",
                "eventTimeZoneOffset is required".into(),
            ),
        }
        let action = match self.opt_str(obj, "action") {
            Some("ADD") => Some(Action::Add),
            Some("OBSERVE") => Some(Action::Observe),
            Some("DELETE") => Some(Action::Delete),
            Some(a) => {
                self.err(
                    ".action",
                    "event.action",
                    format!("action must be ADD, OBSERVE or DELETE, got {a:?}"),
                );
                None
            }
            None => None,
        };
        let biz_step = self.opt_str(obj, "bizStep").and_then(|s| {
            let n = normalise_cbv(s, "bizstep", "BizStep", CBV_BIZ_STEPS);
            if n.is_none() {
                self.err(
                    ".bizStep",
                    "event.biz_step",
                    format!("{s:?} is not a CBV business step or a URI"),
                );
            }
            n
        });
        let disposition = self.opt_str(obj, "disposition").and_then(|s| {
            let n = normalise_cbv(s, "disp", "Disp", CBV_DISPOSITIONS);
            if n.is_none() {
                self.err(
                    ".disposition",
                    "event.disposition",
                    format!("{s:?} is not a CBV disposition or a URI"),
                );
            }
            n
        });
        let read_point = self.location(obj, "readPoint");
        let biz_location = self.location(obj, "bizLocation");
        let epcs = self.id_list(obj, "epcList");
        let parent_id = self
            .opt_str(obj, "parentID")
            .and_then(|p| self.identifier(|| ".parentID".into(), p));
        let child_epcs = self.id_list(obj, "childEPCs");
        let quantities = self.quantity_list(obj, "quantityList");
        let child_quantities = self.quantity_list(obj, "childQuantityList");
        let mut inputs = self.id_list(obj, "inputEPCList");
        inputs.extend(
            self.quantity_list(obj, "inputQuantityList")
                .into_iter()
                .map(|q| q.epc_class),
        );
        let mut outputs = self.id_list(obj, "outputEPCList");
        outputs.extend(
            self.quantity_list(obj, "outputQuantityList")
                .into_iter()
                .map(|q| q.epc_class),
        );
        let sources = self.parties(obj, "sourceList", "source");
        let destinations = self.parties(obj, "destinationList", "destination");
        let biz_transactions: Vec<String> = match obj.get("bizTransactionList") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .filter_map(
                    |(j, t)| match t.get("bizTransaction").and_then(Value::as_str) {
                        Some(s) => Some(s.to_string()),
                        None => {
                            self.err(
                                &format!(".bizTransactionList[{j}].bizTransaction"),
                                "transaction.invalid",
                                "bizTransaction is required".into(),
                            );
                            None
                        }
                    },
                )
                .collect(),
            Some(_) => {
                self.err(
                    ".bizTransactionList",
                    "field.type",
                    "bizTransactionList must be an array".into(),
                );
                Vec::new()
            }
        };
        let readings = self.sensors(obj, event_time);

        // Per-type structural rules (EPCIS 2.0 §7.4).
        if let Some(kind) = kind {
            let has_action = obj.contains_key("action");
            match kind {
                EventType::TransformationEvent => {
                    if has_action {
                        self.err(
                            ".action",
                            "event.action",
                            "a TransformationEvent has no action".into(),
                        );
                    }
                    if inputs.is_empty() && outputs.is_empty() {
                        self.err(
                            "",
                            "transformation.empty",
                            "a TransformationEvent needs inputs or outputs (inputEPCList, inputQuantityList, outputEPCList, outputQuantityList)".into(),
                        );
                    }
                }
                _ if !has_action => self.err(
                    ".action",
                    "event.action",
                    format!("{} requires action", kind.as_str()),
                ),
                _ => {}
            }
            match kind {
                EventType::ObjectEvent => {
                    if epcs.is_empty()
                        && quantities.is_empty()
                        && !obj.contains_key("epcList")
                        && !obj.contains_key("quantityList")
                    {
                        self.err(
                            ".epcList",
                            "object.no_objects",
                            "an ObjectEvent needs epcList or quantityList".into(),
                        );
                    }
                }
                EventType::AggregationEvent | EventType::AssociationEvent => {
                    if parent_id.is_none()
                        && action != Some(Action::Observe)
                        && !obj.contains_key("parentID")
                    {
                        self.err(
                            ".parentID",
                            "aggregation.parent_missing",
                            format!(
                                "{} with action ADD or DELETE requires parentID",
                                kind.as_str()
                            ),
                        );
                    }
                    if action == Some(Action::Add)
                        && child_epcs.is_empty()
                        && child_quantities.is_empty()
                        && !obj.contains_key("childEPCs")
                        && !obj.contains_key("childQuantityList")
                    {
                        self.err(
                            ".childEPCs",
                            "aggregation.children_missing",
                            "ADD requires childEPCs or childQuantityList".into(),
                        );
                    }
                }
                EventType::TransactionEvent => {
                    if biz_transactions.is_empty() && !obj.contains_key("bizTransactionList") {
                        self.err(
                            ".bizTransactionList",
                            "transaction.missing",
                            "a TransactionEvent requires bizTransactionList".into(),
                        );
                    }
                }
                EventType::TransformationEvent => {}
            }
        }
        if self.issues.len() != before {
            return None;
        }
        Some(Event {
            kind: kind?,
            event_id: event_id?,
            event_time: event_time?,
            action,
            biz_step,
            disposition,
            read_point,
            biz_location,
            epcs,
            parent_id,
            child_epcs,
            quantities,
            child_quantities,
            inputs,
            outputs,
            sources,
            destinations,
            biz_transactions,
            readings,
        })
    }
}

fn valid_offset(tz: &str) -> bool {
    let b = tz.as_bytes();
    tz == "Z"
        || (b.len() == 6
            && (b[0] == b'+' || b[0] == b'-')
            && b[1].is_ascii_digit()
            && b[2].is_ascii_digit()
            && b[3] == b':'
            && b[4].is_ascii_digit()
            && b[5].is_ascii_digit())
}
