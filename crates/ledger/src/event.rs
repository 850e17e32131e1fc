//! The typed view of a validated EPCIS 2.0 event, as the ledger indexes and analyses it.
//!
//! The stored and hashed form is always the canonical JSON of the event; this type is
//! derived from it and never written.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// The five EPCIS 2.0 event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// Something happened to objects (observed, commissioned, shipped, sensed…).
    ObjectEvent,
    /// Objects were packed into / removed from a parent (cases on a pallet).
    AggregationEvent,
    /// Objects were linked to a business transaction (purchase order, invoice).
    TransactionEvent,
    /// Inputs were consumed to make outputs (produce → processed product).
    TransformationEvent,
    /// Objects were associated with a physical asset (sensor, returnable container).
    AssociationEvent,
}

impl EventType {
    /// Parses the JSON `type` value.
    pub fn parse(s: &str) -> Option<EventType> {
        Some(match s {
            "ObjectEvent" => EventType::ObjectEvent,
            "AggregationEvent" => EventType::AggregationEvent,
            "TransactionEvent" => EventType::TransactionEvent,
            "TransformationEvent" => EventType::TransformationEvent,
            "AssociationEvent" => EventType::AssociationEvent,
            _ => return None,
        })
    }

    /// The JSON `type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ObjectEvent => "ObjectEvent",
            EventType::AggregationEvent => "AggregationEvent",
            EventType::TransactionEvent => "TransactionEvent",
            EventType::TransformationEvent => "TransformationEvent",
            EventType::AssociationEvent => "AssociationEvent",
        }
    }
}

/// EPCIS `action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Action {
    /// Objects come into being or into the relationship.
    Add,
    /// Objects were seen, nothing changed.
    Observe,
    /// Objects leave the relationship or cease to exist.
    Delete,
}

/// A class-level quantity (`quantityList` element), typically a lot: `urn:epc:class:lgtin:…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The class identifier.
    pub epc_class: String,
    /// Amount, when given.
    pub quantity: Option<f64>,
    /// UN/CEFACT unit code (e.g. `KGM`), when given.
    pub uom: Option<String>,
}

/// A `sourceList` / `destinationList` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// CBV source/destination type, shortened (`owning_party`, `possessing_party`, `location`).
    pub kind: String,
    /// The party or location identifier.
    pub id: String,
}

/// One sensor report from `sensorElementList`, with its time resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorReading {
    /// When the value was measured: the report's `time`, else the sensor metadata `time`,
    /// else the event time.
    pub time: DateTime<FixedOffset>,
    /// Measurement type shortened from CBV (`Temperature`, `RelativeHumidity`, …).
    pub kind: String,
    /// Single value, converted to °C for temperatures.
    pub value: Option<f64>,
    /// Minimum over the reporting period (°C for temperatures).
    pub min: Option<f64>,
    /// Maximum over the reporting period (°C for temperatures).
    pub max: Option<f64>,
    /// Mean over the reporting period (°C for temperatures).
    pub mean: Option<f64>,
    /// Unit as given (after conversion: `CEL` for temperatures).
    pub uom: Option<String>,
    /// Sensor device, when given.
    pub device_id: Option<String>,
}

impl SensorReading {
    /// Whether this is a temperature reading.
    pub fn is_temperature(&self) -> bool {
        self.kind == "Temperature"
    }

    /// Highest value this report vouches for.
    pub fn high(&self) -> Option<f64> {
        self.max.or(self.value).or(self.mean)
    }

    /// Lowest value this report vouches for.
    pub fn low(&self) -> Option<f64> {
        self.min.or(self.value).or(self.mean)
    }
}

/// A validated EPCIS event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Event type.
    pub kind: EventType,
    /// `eventID` (assigned by the ledger when the client sent none).
    pub event_id: String,
    /// `eventTime`.
    pub event_time: DateTime<FixedOffset>,
    /// `action` (absent for transformation events).
    pub action: Option<Action>,
    /// Business step, shortened to the CBV word when it is a CBV value (`shipping`).
    pub biz_step: Option<String>,
    /// Disposition, shortened likewise (`in_transit`).
    pub disposition: Option<String>,
    /// `readPoint.id`.
    pub read_point: Option<String>,
    /// `bizLocation.id`.
    pub biz_location: Option<String>,
    /// `epcList`.
    pub epcs: Vec<String>,
    /// `parentID` (aggregation and association events).
    pub parent_id: Option<String>,
    /// `childEPCs`.
    pub child_epcs: Vec<String>,
    /// `quantityList`.
    pub quantities: Vec<Quantity>,
    /// `childQuantityList`.
    pub child_quantities: Vec<Quantity>,
    /// Transformation inputs: `inputEPCList` then `inputQuantityList` classes.
    pub inputs: Vec<String>,
    /// Transformation outputs: `outputEPCList` then `outputQuantityList` classes.
    pub outputs: Vec<String>,
    /// `sourceList`.
    pub sources: Vec<Party>,
    /// `destinationList`.
    pub destinations: Vec<Party>,
    /// `bizTransactionList` values.
    pub biz_transactions: Vec<String>,
    /// All sensor reports.
    pub readings: Vec<SensorReading>,
}

impl Event {
    /// Children of an aggregation/association: `childEPCs` and `childQuantityList` classes.
    pub fn children(&self) -> impl Iterator<Item = &str> {
        self.child_epcs
            .iter()
            .map(String::as_str)
            .chain(self.child_quantities.iter().map(|q| q.epc_class.as_str()))
    }

    /// Every object identifier the event mentions, in any role.
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        self.epcs
            .iter()
            .map(String::as_str)
            .chain(self.quantities.iter().map(|q| q.epc_class.as_str()))
            .chain(self.parent_id.as_deref())
            .chain(self.children())
            .chain(self.inputs.iter().map(String::as_str))
            .chain(self.outputs.iter().map(String::as_str))
    }

    /// Temperature readings only.
    pub fn temperatures(&self) -> impl Iterator<Item = &SensorReading> {
        self.readings.iter().filter(|r| r.is_temperature())
    }
}

/// CBV 2.0 business steps (bare words).
pub const CBV_BIZ_STEPS: &[&str] = &[
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
];

/// CBV 2.0 dispositions (bare words).
pub const CBV_DISPOSITIONS: &[&str] = &[
    "active",
    "available",
    "completeness_verified",
    "completeness_inferred",
    "conformant",
    "container_closed",
    "container_open",
    "damaged",
    "destroyed",
    "dispensed",
    "disposed",
    "encoded",
    "expired",
    "in_progress",
    "in_transit",
    "inactive",
    "mismatch_instance",
    "mismatch_class",
    "mismatch_quantity",
    "needs_replacement",
    "no_pedigree_match",
    "non_conformant",
    "non_sellable_other",
    "partially_dispensed",
    "recalled",
    "reserved",
    "retail_sold",
    "returned",
    "sellable_accessible",
    "sellable_not_accessible",
    "stolen",
    "unavailable",
    "unknown",
];

/// Shortens a CBV value given as a bare word, an EPCglobal URN
/// (`urn:epcglobal:cbv:bizstep:shipping`) or a GS1 web URI
/// (`https://ref.gs1.org/cbv/BizStep-shipping`) to its bare word. Other URIs are returned
/// unchanged (they are user extensions). `None` for a bare word outside `vocabulary`.
pub fn normalise_cbv(
    value: &str,
    urn_kind: &str,
    web_kind: &str,
    vocabulary: &[&str],
) -> Option<String> {
    let v = value.trim();
    let urn_prefix = format!("urn:epcglobal:cbv:{urn_kind}:");
    let web_prefix = format!("https://ref.gs1.org/cbv/{web_kind}-");
    let word = if let Some(w) = v.strip_prefix(&urn_prefix) {
        w
    } else if let Some(w) = v.strip_prefix(&web_prefix) {
        w
    } else if v.contains(':') {
        return Some(v.to_string());
    } else {
        v
    };
    vocabulary.contains(&word).then(|| word.to_string())
}
