//! The registry of API collections: for each entity kind, how to validate it, who owns it, what can be
//! filtered and sorted, and its lifecycle.

use std::sync::OnceLock;

use schemars::{JsonSchema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use wuliu_model::{
    Alert, AlertStatus, Baseline, County, Driver, Facility, IndicatorValue, Load, LoadStatus,
    Party, Payment, PlanTarget, ProjectReport, Terminal, TransportEvent, Validate, Vehicle,
    Violations, Waybill, WaybillStatus,
};
use wuliu_store::{FieldType, Kind};

/// A JSON field that can be filtered or sorted on: query name, path in the body, type.
pub type FieldSpec = (&'static str, &'static [&'static str], FieldType);

/// Everything the API needs to know about one collection.
pub struct EntitySpec {
    /// Storage kind (its table name is the URL collection).
    pub kind: Kind,
    /// Name of the schema in `/openapi.json`.
    pub schema_name: &'static str,
    /// One-line description for the API docs.
    pub description: &'static str,
    /// Body field holding the owning party's ID.
    pub owner: Option<&'static str>,
    /// Body field holding a second party with access.
    pub partner: Option<&'static str>,
    /// Readable by every caller of the region (facilities, reference data).
    pub public_read: bool,
    /// Only admins may write.
    pub admin_write: bool,
    /// The entity has a `status` field.
    pub has_status: bool,
    /// Fields usable as `?name=`, `?name.gte=`, `?name.lte=` filters.
    pub filters: &'static [FieldSpec],
    /// Fields usable in `?sort=name` / `?sort=-name` besides `created_at`, `updated_at`, `id`.
    pub sorts: &'static [FieldSpec],
    /// Body fields that must name an existing record of the given kind in the same region.
    pub references: &'static [(&'static str, Kind)],
    /// Parses, validates and canonicalises a body.
    pub normalize: fn(Value) -> Result<Value, Violations>,
    /// Whether the lifecycle allows `from → to`; `None` when the entity has no lifecycle.
    pub transition: Option<fn(&str, &str) -> bool>,
    /// The JSON Schema (draft 2020-12, with `$defs`) of the body, used for CSV typing.
    pub json_schema: fn() -> &'static Value,
    /// Adds the schema to an OpenAPI generator and returns its reference.
    pub openapi_schema: fn(&mut SchemaGenerator) -> schemars::Schema,
}

/// Deserialises with field paths in errors, validates, and re-serialises with defaults filled in.
fn normalize<T: DeserializeOwned + Serialize + Validate>(body: Value) -> Result<Value, Violations> {
    let typed: T = serde_path_to_error::deserialize(body).map_err(|e| {
        let mut v = Violations::default();
        let path = e.path().to_string();
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        let msg = e.into_inner().to_string();
        let code = if msg.starts_with("missing field") {
            "required"
        } else {
            "invalid_value"
        };
        // serde reports a missing field at its parent; name the field itself.
        let field = match (code, msg.split('`').nth(1)) {
            ("required", Some(name)) if field == "body" => name.to_string(),
            ("required", Some(name)) => format!("{field}.{name}"),
            _ => field,
        };
        v.push(code, field, msg);
        v
    })?;
    typed.validate()?;
    Ok(serde_json::to_value(&typed).expect("model types serialise"))
}

fn schema_of<T: JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).expect("schema serialises")
}

fn openapi_of<T: JsonSchema>(g: &mut SchemaGenerator) -> schemars::Schema {
    g.subschema_for::<T>()
}

fn status_step<S: DeserializeOwned + PartialEq>(
    from: &str,
    to: &str,
    next: fn(S) -> &'static [S],
) -> bool {
    let parse = |s: &str| serde_json::from_value::<S>(Value::String(s.to_string())).ok();
    match (parse(from), parse(to)) {
        (Some(f), Some(t)) => next(f).contains(&t),
        _ => false,
    }
}

fn load_step(from: &str, to: &str) -> bool {
    status_step::<LoadStatus>(from, to, LoadStatus::next)
}

fn alert_step(from: &str, to: &str) -> bool {
    status_step::<AlertStatus>(from, to, AlertStatus::next)
}

fn waybill_step(from: &str, to: &str) -> bool {
    status_step::<WaybillStatus>(from, to, WaybillStatus::next)
}

macro_rules! schema_cache {
    ($name:ident, $ty:ty) => {
        fn $name() -> &'static Value {
            static S: OnceLock<Value> = OnceLock::new();
            S.get_or_init(schema_of::<$ty>)
        }
    };
}
schema_cache!(party_schema, Party);
schema_cache!(vehicle_schema, Vehicle);
schema_cache!(driver_schema, Driver);
schema_cache!(load_schema, Load);
schema_cache!(waybill_schema, Waybill);
schema_cache!(payment_schema, Payment);
schema_cache!(facility_schema, Facility);
schema_cache!(event_schema, TransportEvent);
schema_cache!(county_schema, County);
schema_cache!(target_schema, PlanTarget);
schema_cache!(baseline_schema, Baseline);
schema_cache!(terminal_schema, Terminal);
schema_cache!(alert_schema, Alert);
schema_cache!(indicator_value_schema, IndicatorValue);
schema_cache!(project_report_schema, ProjectReport);

const T: FieldType = FieldType::Text;
const N: FieldType = FieldType::Number;

/// All collections served under `/api/v1/`.
pub static SPECS: &[EntitySpec] = &[
    EntitySpec {
        kind: Kind::Party,
        schema_name: "Party",
        description: "Shippers, carriers, consignees and platform operators",
        owner: None,
        partner: None,
        public_read: false,
        admin_write: true,
        has_status: false,
        filters: &[
            ("name", &["name"], T),
            ("credit_code", &["credit_code"], T),
            ("division_code", &["division_code"], T),
        ],
        sorts: &[("name", &["name"], T)],
        references: &[],
        normalize: normalize::<Party>,
        transition: None,
        json_schema: party_schema,
        openapi_schema: openapi_of::<Party>,
    },
    EntitySpec {
        kind: Kind::Vehicle,
        schema_name: "Vehicle",
        description: "Goods vehicles with plates, bodies, capacities and certificates",
        owner: Some("carrier_id"),
        partner: None,
        public_read: false,
        admin_write: false,
        has_status: true,
        filters: &[
            ("carrier_id", &["carrier_id"], T),
            ("plate", &["plate"], T),
            ("body_type", &["body_type"], T),
            ("rated_load", &["rated_load"], N),
            ("cargo_volume", &["cargo_volume"], N),
        ],
        sorts: &[
            ("plate", &["plate"], T),
            ("rated_load", &["rated_load"], N),
            ("cargo_volume", &["cargo_volume"], N),
        ],
        references: &[("carrier_id", Kind::Party)],
        normalize: normalize::<Vehicle>,
        transition: None,
        json_schema: vehicle_schema,
        openapi_schema: openapi_of::<Vehicle>,
    },
    EntitySpec {
        kind: Kind::Driver,
        schema_name: "Driver",
        description: "Drivers with identity, licence and qualification",
        owner: Some("carrier_id"),
        partner: None,
        public_read: false,
        admin_write: false,
        has_status: false,
        filters: &[
            ("carrier_id", &["carrier_id"], T),
            ("name", &["name"], T),
            ("licence_class", &["licence", "class"], T),
        ],
        sorts: &[("name", &["name"], T)],
        references: &[("carrier_id", Kind::Party)],
        normalize: normalize::<Driver>,
        transition: None,
        json_schema: driver_schema,
        openapi_schema: openapi_of::<Driver>,
    },
    EntitySpec {
        kind: Kind::Load,
        schema_name: "Load",
        description: "Freight orders posted by shippers",
        owner: Some("shipper_id"),
        partner: None,
        public_read: false,
        admin_write: false,
        has_status: true,
        filters: &[
            ("shipper_id", &["shipper_id"], T),
            ("cargo_kind", &["cargo", "kind"], T),
            ("origin_division", &["origin", "division_code"], T),
            ("destination_division", &["destination", "division_code"], T),
            ("weight", &["weight"], N),
            ("price_offered", &["price_offered"], N),
            ("pickup_start", &["pickup_window", "start"], T),
        ],
        sorts: &[
            ("weight", &["weight"], N),
            ("price_offered", &["price_offered"], N),
            ("pickup_start", &["pickup_window", "start"], T),
        ],
        references: &[("shipper_id", Kind::Party)],
        normalize: normalize::<Load>,
        transition: Some(load_step),
        json_schema: load_schema,
        openapi_schema: openapi_of::<Load>,
    },
    EntitySpec {
        kind: Kind::Waybill,
        schema_name: "Waybill",
        description: "Electronic waybills with the national network-freight record fields",
        owner: Some("shipper_id"),
        partner: Some("carrier_id"),
        public_read: false,
        admin_write: false,
        has_status: true,
        filters: &[
            ("shipper_id", &["shipper_id"], T),
            ("carrier_id", &["carrier_id"], T),
            ("shipping_note_number", &["shipping_note_number"], T),
            ("plate", &["vehicle", "plate"], T),
            ("business_type_code", &["business_type_code"], T),
            ("total_amount", &["total_amount"], N),
            ("consignment_time", &["consignment_time"], T),
        ],
        sorts: &[
            ("consignment_time", &["consignment_time"], T),
            ("total_amount", &["total_amount"], N),
        ],
        references: &[
            ("shipper_id", Kind::Party),
            ("carrier_id", Kind::Party),
            ("load_id", Kind::Load),
        ],
        normalize: normalize::<Waybill>,
        transition: Some(waybill_step),
        json_schema: waybill_schema,
        openapi_schema: openapi_of::<Waybill>,
    },
    EntitySpec {
        kind: Kind::Payment,
        schema_name: "Payment",
        description: "Fund-flow records paying waybills",
        owner: Some("shipper_id"),
        partner: Some("carrier_id"),
        public_read: false,
        admin_write: false,
        has_status: false,
        filters: &[
            ("shipper_id", &["shipper_id"], T),
            ("carrier_id", &["carrier_id"], T),
            ("document_number", &["document_number"], T),
            ("plate", &["plate"], T),
        ],
        sorts: &[("document_number", &["document_number"], T)],
        references: &[("shipper_id", Kind::Party), ("carrier_id", Kind::Party)],
        normalize: normalize::<Payment>,
        transition: None,
        json_schema: payment_schema,
        openapi_schema: openapi_of::<Payment>,
    },
    EntitySpec {
        kind: Kind::Facility,
        schema_name: "Facility",
        description: "Logistics parks, warehouses, depots, ports and rail yards",
        owner: Some("operator_id"),
        partner: None,
        public_read: true,
        admin_write: false,
        has_status: true,
        filters: &[
            ("kind", &["kind"], T),
            ("division_code", &["division_code"], T),
            ("name", &["name"], T),
            ("land_area_mu", &["land_area_mu"], N),
        ],
        sorts: &[("name", &["name"], T)],
        references: &[("operator_id", Kind::Party)],
        normalize: normalize::<Facility>,
        transition: None,
        json_schema: facility_schema,
        openapi_schema: openapi_of::<Facility>,
    },
    EntitySpec {
        kind: Kind::Event,
        schema_name: "TransportEvent",
        description: "Transport and warehouse events",
        owner: Some("reporter_id"),
        partner: None,
        public_read: false,
        admin_write: false,
        has_status: false,
        filters: &[
            ("kind", &["kind"], T),
            ("waybill_id", &["waybill_id"], T),
            ("vehicle_id", &["vehicle_id"], T),
            ("time", &["time"], T),
        ],
        sorts: &[("time", &["time"], T)],
        references: &[
            ("reporter_id", Kind::Party),
            ("waybill_id", Kind::Waybill),
            ("vehicle_id", Kind::Vehicle),
            ("facility_id", Kind::Facility),
        ],
        normalize: normalize::<TransportEvent>,
        transition: None,
        json_schema: event_schema,
        openapi_schema: openapi_of::<TransportEvent>,
    },
    EntitySpec {
        kind: Kind::Terminal,
        schema_name: "Terminal",
        description:
            "JT/T 808 terminals bound to vehicles (written by the gateway; admins may unbind)",
        owner: Some("carrier_id"),
        partner: None,
        public_read: false,
        admin_write: true,
        has_status: true,
        filters: &[
            ("phone", &["phone"], T),
            ("vehicle_id", &["vehicle_id"], T),
            ("plate", &["plate"], T),
        ],
        sorts: &[("registered_at", &["registered_at"], T)],
        references: &[("vehicle_id", Kind::Vehicle), ("carrier_id", Kind::Party)],
        normalize: normalize::<Terminal>,
        transition: None,
        json_schema: terminal_schema,
        openapi_schema: openapi_of::<Terminal>,
    },
    EntitySpec {
        kind: Kind::Alert,
        schema_name: "Alert",
        description:
            "Monitoring alerts raised by the network-freight rules (open, acknowledged, resolved)",
        owner: Some("carrier_id"),
        partner: None,
        public_read: false,
        admin_write: true,
        has_status: true,
        filters: &[
            ("rule", &["rule"], T),
            ("severity", &["severity"], T),
            ("waybill_id", &["waybill_id"], T),
            ("carrier_id", &["carrier_id"], T),
            ("vehicle_id", &["vehicle_id"], T),
            ("day", &["day"], T),
        ],
        sorts: &[("day", &["day"], T), ("detected_at", &["detected_at"], T)],
        references: &[],
        normalize: normalize::<Alert>,
        transition: Some(alert_step),
        json_schema: alert_schema,
        openapi_schema: openapi_of::<Alert>,
    },
    EntitySpec {
        kind: Kind::County,
        schema_name: "County",
        description: "County-level units of Liuzhou (reference data)",
        owner: None,
        partner: None,
        public_read: true,
        admin_write: true,
        has_status: false,
        filters: &[("division_type", &["division_type"], T)],
        sorts: &[("division_code", &["division_code"], T)],
        references: &[],
        normalize: normalize::<County>,
        transition: None,
        json_schema: county_schema,
        openapi_schema: openapi_of::<County>,
    },
    EntitySpec {
        kind: Kind::PlanTarget,
        schema_name: "PlanTarget",
        description: "The logistics plan's 2025 targets (reference data)",
        owner: None,
        partner: None,
        public_read: true,
        admin_write: true,
        has_status: false,
        filters: &[("year", &["year"], N)],
        sorts: &[("external_id", &["external_id"], T)],
        references: &[],
        normalize: normalize::<PlanTarget>,
        transition: None,
        json_schema: target_schema,
        openapi_schema: openapi_of::<PlanTarget>,
    },
    EntitySpec {
        kind: Kind::Baseline,
        schema_name: "Baseline",
        description: "The plan's 2020 baseline figures (reference data)",
        owner: None,
        partner: None,
        public_read: true,
        admin_write: true,
        has_status: false,
        filters: &[("year", &["year"], T)],
        sorts: &[],
        references: &[],
        normalize: normalize::<Baseline>,
        transition: None,
        json_schema: baseline_schema,
        openapi_schema: openapi_of::<Baseline>,
    },
    EntitySpec {
        kind: Kind::IndicatorValue,
        schema_name: "IndicatorValue",
        description: "Plan indicator values entered by the regulator with their source and date",
        owner: None,
        partner: None,
        public_read: true,
        admin_write: true,
        has_status: false,
        filters: &[("target_id", &["target_id"], T), ("as_of", &["as_of"], T)],
        sorts: &[("as_of", &["as_of"], T)],
        references: &[],
        normalize: normalize::<IndicatorValue>,
        transition: None,
        json_schema: indicator_value_schema,
        openapi_schema: openapi_of::<IndicatorValue>,
    },
    EntitySpec {
        kind: Kind::ProjectReport,
        schema_name: "ProjectReport",
        description: "Progress reports on the plan's key logistics projects",
        owner: None,
        partner: None,
        public_read: true,
        admin_write: true,
        has_status: false,
        filters: &[
            ("project_id", &["project_id"], T),
            ("reported_on", &["reported_on"], T),
        ],
        sorts: &[("reported_on", &["reported_on"], T)],
        references: &[("project_id", Kind::Facility)],
        normalize: normalize::<ProjectReport>,
        transition: None,
        json_schema: project_report_schema,
        openapi_schema: openapi_of::<ProjectReport>,
    },
];

/// Finds the spec of a URL collection name such as `vehicles`.
pub fn by_collection(name: &str) -> Option<&'static EntitySpec> {
    SPECS.iter().find(|s| s.kind.table() == name)
}

/// Finds the spec of a storage kind.
pub fn by_kind(kind: Kind) -> &'static EntitySpec {
    SPECS
        .iter()
        .find(|s| s.kind == kind)
        .expect("every kind has a spec")
}

/// The values an enumerated top-level field of the collection may take (e.g. its statuses), from
/// its JSON Schema; `None` when the field is not an enumeration.
pub fn enum_values(spec: &EntitySpec, field: &str) -> Option<Vec<String>> {
    let root = (spec.json_schema)();
    let mut node = root.get("properties")?.get(field)?;
    while let Some(r) = node.get("$ref").and_then(Value::as_str) {
        node = root.get("$defs")?.get(r.rsplit('/').next()?)?;
    }
    let mut out = Vec::new();
    let mut push = |v: &Value| {
        if let Some(s) = v.as_str() {
            out.push(s.to_string());
        }
    };
    if let Some(list) = node.get("enum").and_then(Value::as_array) {
        list.iter().for_each(&mut push);
    }
    for alt in node
        .get("oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        alt.get("const").into_iter().for_each(&mut push);
        for v in alt
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            push(v);
        }
    }
    (!out.is_empty()).then_some(out)
}
