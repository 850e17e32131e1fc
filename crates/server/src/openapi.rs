//! The OpenAPI 3 document, generated from the entity registry and the model's types.

use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

use crate::service::ImportReport;
use crate::spec::SPECS;

fn error_responses() -> Value {
    let e = json!({ "description": "", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let with = |d: &str| {
        let mut x = e.clone();
        x["description"] = json!(d);
        x
    };
    json!({
        "400": with("Malformed request: bad JSON, unknown parameter or bad cursor; names the field"),
        "401": with("Missing or unknown token"),
        "403": with("The token's role or party may not do this"),
        "404": with("Unknown ID, or a record the caller may not see"),
        "409": with("Duplicate external_id, or a status change the lifecycle forbids"),
        "422": with("Validation failed; every problem is listed with code, field and message"),
    })
}

fn record_schema(name: &str) -> Value {
    json!({ "allOf": [ { "$ref": "#/components/schemas/Envelope" }, { "$ref": format!("#/components/schemas/{name}") } ] })
}

/// Engine endpoints: (method, path, tag, summary). Their request and answer shapes are the engines'
/// serde types, documented in each engine crate.
const ENGINE_PATHS: &[(&str, &str, &str, &str)] = &[
    (
        "post",
        "/api/v1/matching/batch",
        "matching",
        "Vehicle–cargo matching of an explicit request (loads × vehicles)",
    ),
    (
        "post",
        "/api/v1/matching/run",
        "matching",
        "Match the region's stored open loads against its available vehicles: ?date=&sequencing=&max_chain=&time=&outlook_days=",
    ),
    (
        "get",
        "/api/v1/matching/loads/{id}/vehicles",
        "matching",
        "Best vehicles for a stored load, with scores and reasons: ?n=; an empty list comes with `nearest`, the nearest vehicles and the rules that exclude each",
    ),
    (
        "get",
        "/api/v1/matching/vehicles/{id}/loads",
        "matching",
        "Best open loads for a stored vehicle free from ?free_from= (RFC 3339; now when absent), at its home base: ?n=; an empty list comes with `nearest`, the nearest loads and the rules that exclude each",
    ),
    (
        "post",
        "/api/v1/matching/accept",
        "matching",
        "The vehicle's carrier takes a load: load matched, vehicle busy, draft waybill",
    ),
    (
        "post",
        "/api/v1/matching/decline",
        "matching",
        "The vehicle's carrier declines a load: never offered again; a draft match is undone",
    ),
    (
        "get",
        "/route/v1/{profile}/{coordinates}",
        "road",
        "OSRM-compatible route between lon,lat;lon,lat…",
    ),
    (
        "get",
        "/table/v1/{profile}/{coordinates}",
        "road",
        "OSRM-compatible duration/distance matrix",
    ),
    (
        "post",
        "/api/v1/road/route",
        "road",
        "Route with the requesting vehicle's weight and dimensions",
    ),
    (
        "post",
        "/api/v1/road/table",
        "road",
        "Many-to-many matrix; unreachable pairs are null",
    ),
    (
        "post",
        "/api/v1/dispatch/solve",
        "dispatch",
        "Solve a VROOM-format problem now; VROOM-format answer plus checker report",
    ),
    (
        "post",
        "/api/v1/dispatch/plans",
        "dispatch",
        "Submit a plan (stored, solved in the background; ?wait=true to wait)",
    ),
    (
        "get",
        "/api/v1/dispatch/plans/{id}",
        "dispatch",
        "A stored plan with its state and routes (?wait=SECONDS)",
    ),
    (
        "post",
        "/api/v1/loading/solve",
        "loading",
        "3D loading of one container or truck body, with checker report",
    ),
    (
        "post",
        "/api/v1/loading/shipment",
        "loading",
        "Spread a shipment over as few containers as possible, with a checker report per container",
    ),
    (
        "post",
        "/epcis/capture",
        "ledger",
        "EPCIS 2.0 capture document, stored atomically and durably",
    ),
    (
        "get",
        "/epcis/events",
        "ledger",
        "EPCIS query: eventType, MATCH_anyEPC, GE_eventTime, LT_eventTime, EQ_bizStep, …",
    ),
    (
        "get",
        "/ledger/tree-head",
        "ledger",
        "Signed tree head (Ed25519, RFC 9162 hashing)",
    ),
    (
        "get",
        "/ledger/public-key",
        "ledger",
        "The ledger's public key",
    ),
    (
        "get",
        "/ledger/proofs/inclusion",
        "ledger",
        "Inclusion proof: ?leaf_index=&tree_size=",
    ),
    (
        "get",
        "/ledger/proofs/consistency",
        "ledger",
        "Consistency proof: ?old_size=&new_size=",
    ),
    (
        "get",
        "/ledger/events/{event_id}/proof",
        "ledger",
        "An event with its inclusion proof and signed head",
    ),
    (
        "get",
        "/ledger/lots/{lot}/bundle",
        "ledger",
        "A lot's history with proofs, verifiable offline",
    ),
    (
        "get",
        "/ledger/lots/{lot}/custody",
        "ledger",
        "Chain of custody through aggregations and transformations",
    ),
    (
        "post",
        "/ledger/lots/report",
        "ledger",
        "Cold-chain report of a lot: gaps, excursions, status",
    ),
];

fn errors_ref() -> Value {
    json!({ "description": "Error naming the field", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

/// Builds `/openapi.json`.
pub fn document() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let mut paths = Map::new();
    for spec in SPECS {
        let c = spec.kind.table();
        let schema_ref =
            serde_json::to_value((spec.openapi_schema)(&mut generator)).expect("schema");
        let name = spec.schema_name;
        let mut list_params = vec![
            json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}),
            json!({"name": "cursor", "in": "query", "description": "next_cursor of the previous page", "schema": {"type": "string"}}),
            json!({"name": "sort", "in": "query", "description": format!("created_at, updated_at, id{}; prefix - for descending",
                spec.sorts.iter().map(|s| format!(", {}", s.0)).collect::<String>()), "schema": {"type": "string"}}),
            json!({"name": "region", "in": "query", "description": "GB/T 2260 region (admin and regulator)", "schema": {"type": "string"}}),
            json!({"name": "external_id", "in": "query", "schema": {"type": "string"}}),
        ];
        if spec.has_status {
            list_params
                .push(json!({"name": "status", "in": "query", "schema": {"type": "string"}}));
        }
        for (fname, _, ty) in spec.filters {
            let t = if *ty == wuliu_store::FieldType::Number {
                "number"
            } else {
                "string"
            };
            list_params.push(json!({"name": fname, "in": "query", "schema": {"type": t}}));
            list_params.push(
                json!({"name": format!("{fname}.gte"), "in": "query", "schema": {"type": t}}),
            );
            list_params.push(
                json!({"name": format!("{fname}.lte"), "in": "query", "schema": {"type": t}}),
            );
        }
        let one = json!({ "description": "The record", "content": { "application/json": { "schema": record_schema(name) } } });
        let errors = error_responses();
        paths.insert(
            format!("/api/v1/{c}"),
            json!({
                "get": { "tags": [c], "summary": format!("List {c}"), "description": spec.description, "parameters": list_params,
                    "responses": { "200": { "description": "One page", "content": { "application/json": { "schema": {
                        "type": "object", "properties": { "items": { "type": "array", "items": record_schema(name) },
                        "next_cursor": { "type": "string", "nullable": true } } } } } } } },
                "post": { "tags": [c], "summary": format!("Create one of {c}"),
                    "requestBody": { "required": true, "content": { "application/json": { "schema": schema_ref } } },
                    "responses": { "201": one.clone(), "400": errors["400"], "401": errors["401"], "403": errors["403"], "409": errors["409"], "422": errors["422"] } }
            }),
        );
        let id_param =
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
        paths.insert(
            format!("/api/v1/{c}/{{id}}"),
            json!({
                "parameters": [id_param],
                "get": { "tags": [c], "summary": "Read by ID", "responses": { "200": one.clone(), "404": errors["404"] } },
                "put": { "tags": [c], "summary": "Replace (validated in full)",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": schema_ref } } },
                    "responses": { "200": one.clone(), "404": errors["404"], "409": errors["409"], "422": errors["422"] } },
                "patch": { "tags": [c], "summary": "Change fields (JSON merge patch, RFC 7396)",
                    "requestBody": { "required": true, "content": { "application/merge-patch+json": { "schema": { "type": "object" } } } },
                    "responses": { "200": one.clone(), "404": errors["404"], "409": errors["409"], "422": errors["422"] } }
            }),
        );
        if spec.transition.is_some() {
            paths.insert(
                format!("/api/v1/{c}/{{id}}/status"),
                json!({ "post": { "tags": [c], "summary": "Move along the lifecycle", "parameters": [id_param],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object", "required": ["status"], "properties": { "status": { "type": "string" } } } } } },
                    "responses": { "200": one.clone(), "409": errors["409"] } } }),
            );
        }
        paths.insert(
            format!("/api/v1/{c}/import"),
            json!({ "post": { "tags": [c], "summary": "Bulk import (idempotent by external_id)",
                "parameters": [ {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["csv", "json"]}} ],
                "requestBody": { "required": true, "content": {
                    "application/json": { "schema": { "type": "array", "items": schema_ref } },
                    "text/csv": { "schema": { "type": "string", "description": "header row of dotted field paths, e.g. origin.point.lat" } } } },
                "responses": { "200": { "description": "Per-row report", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImportReport" } } } },
                    "400": errors["400"] } } }),
        );
        paths.insert(
            format!("/api/v1/{c}/export"),
            json!({ "get": { "tags": [c], "summary": "Export everything visible",
                "parameters": [ {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["csv", "json"]}} ],
                "responses": { "200": { "description": "All records", "content": {
                    "application/json": { "schema": { "type": "array", "items": record_schema(name) } },
                    "text/csv": { "schema": { "type": "string" } } } } } } }),
        );
    }
    for (method, path, tag, summary) in ENGINE_PATHS {
        let op = json!({ "tags": [tag], "summary": summary,
            "responses": { "200": { "description": "Result (JSON)" }, "400": errors_ref(), "422": errors_ref() } });
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    let report = serde_json::to_value(generator.subschema_for::<ImportReport>()).expect("schema");
    let mut schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    schemas.entry("ImportReport".to_string()).or_insert(report);
    schemas.insert(
        "Envelope".into(),
        json!({ "type": "object", "properties": {
            "id": {"type": "string"}, "region": {"type": "string"}, "version": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"}, "updated_at": {"type": "string", "format": "date-time"} } }),
    );
    schemas.insert(
        "Error".into(),
        json!({ "type": "object", "properties": { "error": { "type": "object", "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "violations": { "type": "array", "items": { "type": "object", "properties": {
                "code": {"type": "string"}, "field": {"type": "string"}, "message": {"type": "string"} } } } } } } }),
    );
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Wuliu logistics public information platform API", "version": env!("CARGO_PKG_VERSION"),
            "description": "Parties, vehicles, drivers, loads, electronic waybills, fund flows, facilities and events. Authenticate with 'Authorization: Bearer <token>'." },
        "paths": paths,
        "components": { "schemas": schemas, "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } } },
        "security": [ { "bearer": [] } ]
    })
}
