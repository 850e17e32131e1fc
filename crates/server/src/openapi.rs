//! The OpenAPI 3.0 document served at `/openapi.json`, generated from the entity registry
//! ([`crate::spec::SPECS`]: schemas, filters, sorts, statuses) and the engines' request types
//! (their `schemars::JsonSchema` derives).
//!
//! Every path parameter and every query parameter an endpoint reads is declared with its type,
//! bounds or enumeration; every request body has a schema; every status code a handler can answer
//! is listed. `crates/server/tests/openapi.rs` runs `openapi-spec-validator` on the document and
//! `scripts/schemathesis.sh` tests the running server against it.
//!
//! Coordinates: the road API (`POST /api/v1/road/route`, `/api/v1/road/table`) takes points as
//! `[lon, lat]` arrays (GeoJSON and OSRM order, as VROOM documents and the OSRM URLs) or as
//! `{"lat": …, "lon": …}` objects; stored records use the objects.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::service::ImportReport;

mod gov_appeals;
mod gov_talent;
mod gov_tasks;
mod gov_units;
use crate::spec::{self, EntitySpec, SPECS};

/// A JSON error answer (`{"error": {code, message, violations}}`) described by `description`.
fn error(description: &str) -> Value {
    json!({ "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

/// The error answer for a status code, as the API gives it.
fn error_for(code: u16) -> Value {
    let mut e = error(match code {
        400 => "Malformed request: bad JSON, unknown or malformed parameter, bad cursor or header; names the field",
        401 => "Missing, malformed or unknown credentials (bearer token or session cookie)",
        403 => "The caller's role or party may not do this (or a session write without its X-CSRF-Token)",
        404 => "Unknown ID, a record the caller may not see, or an engine this server runs without",
        409 => "Duplicate external_id, or a change the lifecycle or the record's state forbids",
        412 => "If-Match names a version that is no longer current; the answer's ETag is the current one",
        413 => "Body or problem too large (bytes, rows, items, seconds or threads over the server's limits)",
        422 => "Validation failed; every problem is listed with code, field and message",
        429 => "Too many requests; retry after the Retry-After header's seconds",
        503 => "Storage cannot take writes now; retry later",
        _ => "Error",
    });
    match code {
        412 => {
            e["headers"] = json!({ "ETag": { "description": "The record's current version", "schema": { "type": "string" } } })
        }
        429 => {
            e["headers"] = json!({ "Retry-After": { "description": "Seconds to wait", "schema": { "type": "integer" } } })
        }
        _ => {}
    }
    e
}

/// Error answers every authenticated operation can give.
const BASE: &[u16] = &[400, 401, 403, 429, 503];

/// `responses` of an operation: `ok` answers plus the error answers of `BASE` and `extra`.
fn responses(ok: &[(u16, Value)], extra: &[u16]) -> Value {
    let mut r = Map::new();
    for (code, v) in ok {
        r.insert(code.to_string(), v.clone());
    }
    for code in BASE.iter().chain(extra) {
        r.insert(code.to_string(), error_for(*code));
    }
    Value::Object(r)
}

/// A JSON answer with `schema`.
fn answer(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

/// A record answer: the record's JSON with its version as the `ETag`.
fn record_answer(description: &str, name: &str) -> Value {
    let mut a = answer(
        description,
        json!({ "$ref": format!("#/components/schemas/{name}Record") }),
    );
    a["headers"] = json!({ "ETag": { "description": "The record's version, for If-Match", "schema": { "type": "string" } } });
    a
}

/// A required JSON request body.
fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

/// An optional query parameter.
fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

/// A path parameter (always required).
fn path(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description, "schema": { "type": "string" } })
}

/// The `If-Match` header of conditional writes.
fn if_match() -> Value {
    json!({ "name": "If-Match", "in": "header", "required": false,
        "description": "The ETag of the record as read (e.g. \"3\"); the write is refused with 412 when the record changed since. `*` or absent: unconditional.",
        "schema": { "type": "string", "pattern": "^(\\*|(W/)?\"?[0-9]{1,18}\"?)$" } })
}

/// A GB/T 2260 region code (six digits, a province from 11 to 82).
fn region_schema() -> Value {
    json!({ "type": "string", "pattern": "^(1[1-9]|[2-7][0-9]|8[0-2])[0-9]{4}$" })
}

/// `time=` seconds of an engine's search.
fn time_param(default: f64, max: f64) -> Value {
    query(
        "time",
        json!({ "type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": max, "default": default }),
        &format!("Time budget in seconds, in (0, {max}]"),
    )
}

fn seed_param() -> Value {
    query(
        "seed",
        json!({ "type": "integer", "minimum": 0, "format": "int64" }),
        "Random seed (same request, seed and time budget: same answer)",
    )
}

fn schema_ref<T: JsonSchema>(g: &mut SchemaGenerator) -> Value {
    serde_json::to_value(g.subschema_for::<T>()).expect("schema serialises")
}

/// Security requirements: a bearer token, or the browser session (cookie, plus the CSRF header on
/// writes); `public` operations need neither.
fn security(method: &str, public: bool) -> Value {
    if public {
        return json!([]);
    }
    if matches!(method, "get" | "head") {
        json!([{ "bearer": [] }, { "session": [] }])
    } else {
        json!([{ "bearer": [] }, { "session": [], "csrf": [] }])
    }
}

/// Paths being built: path → method → operation.
#[derive(Default)]
struct Paths(Map<String, Value>);

impl Paths {
    /// Adds an operation; its `security` is set from the method unless `public`.
    fn add(&mut self, method: &str, p: &str, mut op: Value, public: bool) {
        op["security"] = security(method, public);
        let id = format!("{method}{}", p.replace(['/', '{', '}', '-', '.'], "_"));
        op["operationId"] = json!(id);
        let entry = self.0.entry(p.to_string()).or_insert_with(|| json!({}));
        entry[method] = op;
    }
}

/// The query parameters of a collection's list.
fn list_params(spec: &EntitySpec) -> Vec<Value> {
    let c = spec.kind.table();
    let mut sorts: Vec<String> = ["created_at", "updated_at", "id"]
        .iter()
        .map(|s| s.to_string())
        .chain(spec.sorts.iter().map(|s| s.0.to_string()))
        .collect();
    sorts.extend(sorts.clone().iter().map(|s| format!("-{s}")));
    let mut params = vec![
        query(
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
            "Page size",
        ),
        query(
            "cursor",
            json!({"type": "string"}),
            "`next_cursor` of the previous page (opaque; any other value is a 400)",
        ),
        query(
            "sort",
            json!({"type": "string", "enum": sorts}),
            "Sort field; prefix `-` for descending",
        ),
        query(
            "region",
            region_schema(),
            "GB/T 2260 region code (admin and regulator; others see their own region)",
        ),
        query(
            "external_id",
            json!({"type": "string"}),
            "The caller's own identifier of the record",
        ),
    ];
    if spec.has_status {
        let statuses = spec::enum_values(spec, "status").unwrap_or_default();
        params.push(query(
            "status",
            json!({"type": "string", "enum": statuses}),
            "Lifecycle status",
        ));
    }
    for (fname, _, ty) in spec.filters {
        let timeish = fname.ends_with("time") || fname.ends_with("_start");
        let (schema, what) = if *ty == wuliu_store::FieldType::Number {
            (json!({"type": "number"}), "a finite number")
        } else if timeish {
            (
                json!({"type": "string", "format": "date-time"}),
                "an RFC 3339 time (a date YYYY-MM-DD is read as its midnight UTC)",
            )
        } else {
            (json!({"type": "string"}), "text, compared exactly")
        };
        params.push(query(
            fname,
            schema.clone(),
            &format!("{c} whose {fname} equals this ({what})"),
        ));
        params.push(query(
            &format!("{fname}.gte"),
            schema.clone(),
            &format!("{fname} at least this"),
        ));
        params.push(query(
            &format!("{fname}.lte"),
            schema,
            &format!("{fname} at most this"),
        ));
    }
    params
}

fn format_param() -> Value {
    query(
        "format",
        json!({"type": "string", "enum": ["csv", "json"]}),
        "csv or json; by default from Content-Type (import) or Accept (export), else json",
    )
}

/// The export's parameters: the list's filters and sort (no paging) and the format.
fn export_params(spec: &EntitySpec) -> Vec<Value> {
    let mut params: Vec<Value> = list_params(spec)
        .into_iter()
        .filter(|p| !matches!(p["name"].as_str(), Some("limit" | "cursor")))
        .collect();
    params.insert(0, format_param());
    params
}

/// The collection operations of one entity.
fn collection_paths(paths: &mut Paths, spec: &EntitySpec, g: &mut SchemaGenerator) {
    let c = spec.kind.table();
    let name = spec.schema_name;
    let body_schema = serde_json::to_value((spec.openapi_schema)(g)).expect("schema");
    let record = json!({ "$ref": format!("#/components/schemas/{name}Record") });
    let region_param = query(
        "region",
        region_schema(),
        "Region to write into (admin only; others write into their own)",
    );
    paths.add(
        "get",
        &format!("/api/v1/{c}"),
        json!({ "tags": [c], "summary": format!("List {c}"), "description": spec.description,
            "parameters": list_params(spec),
            "responses": responses(&[(200, answer("One page", json!({ "type": "object", "required": ["items"],
                "properties": { "items": { "type": "array", "items": record },
                    "next_cursor": { "type": "string", "nullable": true } } })))], &[]) }),
        false,
    );
    let mut created = record_answer("The record as stored", name);
    created["headers"]["Location"] =
        json!({ "description": "The record's URL", "schema": { "type": "string" } });
    paths.add(
        "post",
        &format!("/api/v1/{c}"),
        json!({ "tags": [c], "summary": format!("Create one of {c}"),
            "parameters": [region_param.clone()],
            "requestBody": json_body(body_schema.clone()),
            "responses": responses(&[(201, created)], &[404, 409, 413, 422]) }),
        false,
    );
    let id = path("id", "The record's ID");
    let item = format!("/api/v1/{c}/{{id}}");
    paths.add(
        "get",
        &item,
        json!({ "tags": [c], "summary": "Read by ID", "parameters": [id],
            "responses": responses(&[(200, record_answer("The record", name))], &[404]) }),
        false,
    );
    paths.add(
        "put",
        &item,
        json!({ "tags": [c], "summary": "Replace (validated in full)", "parameters": [id, if_match()],
            "requestBody": json_body(body_schema.clone()),
            "responses": responses(&[(200, record_answer("The record as stored", name))], &[404, 409, 412, 413, 422]) }),
        false,
    );
    paths.add(
        "patch",
        &item,
        json!({ "tags": [c], "summary": "Change fields (JSON merge patch, RFC 7396); the result is validated in full",
            "parameters": [id, if_match()],
            "requestBody": { "required": true, "content": {
                "application/merge-patch+json": { "schema": patch_schema(name) },
                "application/json": { "schema": patch_schema(name) } } },
            "responses": responses(&[(200, record_answer("The record as stored", name))], &[404, 409, 412, 413, 422]) }),
        false,
    );
    if spec.transition.is_some() {
        let statuses = spec::enum_values(spec, "status").unwrap_or_default();
        paths.add(
            "post",
            &format!("/api/v1/{c}/{{id}}/status"),
            json!({ "tags": [c], "summary": "Move along the lifecycle", "parameters": [id, if_match()],
                "requestBody": json_body(json!({ "type": "object", "required": ["status"],
                    "properties": { "status": { "type": "string", "enum": statuses } } })),
                "responses": responses(&[(200, record_answer("The record as stored", name))], &[404, 409, 412, 413, 422]) }),
            false,
        );
    }
    paths.add(
        "post",
        &format!("/api/v1/{c}/import"),
        json!({ "tags": [c], "summary": "Bulk import (idempotent by external_id), with a report per row",
            "parameters": [format_param(), region_param],
            "requestBody": { "required": true, "content": {
                "application/json": { "schema": { "type": "array", "items": { "type": "object",
                    "description": format!("One {name} per row; each row is validated on its own and a bad row is reported in the answer, not refused as a whole") } } },
                "text/csv": { "schema": { "type": "string", "description": "Header row of dotted field paths, e.g. origin.point.lat" } } } },
            "responses": responses(&[(200, answer("Per-row report", json!({ "$ref": "#/components/schemas/ImportReport" })))], &[404, 413, 422]) }),
        false,
    );
    paths.add(
        "get",
        &format!("/api/v1/{c}/export"),
        json!({ "tags": [c], "summary": "Export everything the caller may see that the list's filters select, in the list's sort order",
            "parameters": export_params(spec),
            "responses": responses(&[(200, json!({ "description": "All records", "content": {
                "application/json": { "schema": { "type": "array", "items": record } },
                "text/csv": { "schema": { "type": "string" } } } }))], &[]) }),
        false,
    );
}

/// A loosely described JSON object answer (engines' plans and reports, documented in each engine
/// crate) with the named top-level properties.
fn object_with(props: &[&str]) -> Value {
    let p: Map<String, Value> = props.iter().map(|k| (k.to_string(), json!({}))).collect();
    json!({ "type": "object", "properties": p })
}

/// A `points` item of the road API: `[lon, lat]` or `{"lat", "lon"}`.
fn road_point() -> Value {
    json!({ "oneOf": [
        { "type": "array", "description": "[lon, lat] in degrees (GeoJSON and OSRM order)",
          "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
        { "$ref": "#/components/schemas/GeoPoint" } ] })
}

/// The engines, the ledger, the audit trail and the service endpoints.
fn engine_paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    let any = json!({ "type": "object" });
    // Matching.
    paths.add("post", "/api/v1/matching/batch", json!({ "tags": ["matching"],
        "summary": "Vehicle–cargo matching of an explicit request (loads × vehicles), with the checker's report",
        "requestBody": json_body(schema_ref::<wuliu_match::MatchRequest>(g)),
        "responses": responses(&[(200, answer("The plan and the independent checker's report", object_with(&["plan", "check"])))], &[413, 422]) }), false);
    paths.add("post", "/api/v1/matching/run", json!({ "tags": ["matching"],
        "summary": "Match the caller's region's open loads against its available vehicles (admin)",
        "parameters": [
            query("date", json!({"type": "string", "format": "date"}), "Trip date YYYY-MM-DD (today when absent)"),
            query("sequencing", json!({"type": "string", "enum": ["time_slices", "successors", "search"]}), "How chains of loads are built"),
            query("max_chain", json!({"type": "integer", "minimum": 1, "maximum": 100}), "Loads one vehicle may take in sequence"),
            query("time", json!({"type": "number", "exclusiveMinimum": true, "minimum": 0, "maximum": 300}), "Search seconds, in (0, 300]"),
            query("outlook_days", json!({"type": "integer", "minimum": 1, "maximum": 90}), "Learn where vehicles pile up from this many days of past loads") ],
        "responses": responses(&[(200, answer("The plan, the checker's report and, with outlook_days, the learned outlook", object_with(&["plan", "check", "outlook"])))], &[413, 422]) }), false);
    let n = query(
        "n",
        json!({"type": "integer", "minimum": 1, "maximum": 100, "default": 10}),
        "How many suggestions",
    );
    paths.add("get", "/api/v1/matching/loads/{id}/vehicles", json!({ "tags": ["matching"],
        "summary": "Best vehicles for a stored load, with scores and reasons; an empty list comes with `nearest`, the nearest vehicles and the rules that exclude each",
        "parameters": [path("id", "The load's ID"), n],
        "responses": responses(&[(200, answer("Suggestions", object_with(&["load", "road_network", "suggestions", "nearest"])))], &[404, 422]) }), false);
    paths.add("get", "/api/v1/matching/vehicles/{id}/loads", json!({ "tags": ["matching"],
        "summary": "Best open loads for a stored vehicle: available at its home base, or after the trip it is on (`after_waybill`: return loads); `loads` describes each suggested load; an empty list comes with `nearest`",
        "parameters": [path("id", "The vehicle's ID"), n,
            query("free_from", json!({"type": "string", "format": "date-time"}), "When the vehicle is free (RFC 3339; now when absent)"),
            query("after_waybill", json!({"type": "string"}), "The vehicle's own unfinished waybill: look from its consignee, when that trip ends")],
        "responses": responses(&[(200, answer("Suggestions", object_with(&["vehicle", "road_network", "free", "loads", "suggestions", "nearest"])))], &[400, 404, 409, 422]) }), false);
    paths.add("get", "/api/v1/waybills/{id}/tracking", json!({ "tags": ["monitoring"],
        "summary": "Follow a shipment: its vehicle's track between despatch and receipt only, the last fix, and the ETA at the consignee by the travel costs (whoever may read the waybill)",
        "parameters": [path("id", "The waybill's ID")],
        "responses": responses(&[(200, answer("The shipment", object_with(&["waybill_id", "status", "plate", "track", "last", "eta", "road_network"])))], &[404]) }), false);
    let outcome = object_with(&["load", "vehicle", "waybill", "waybill_cancelled", "reason"]);
    paths.add("post", "/api/v1/matching/accept", json!({ "tags": ["matching"],
        "summary": "The vehicle's carrier takes a load: load matched, vehicle busy, draft waybill",
        "requestBody": json_body(schema_ref::<wuliu_app::workflows::Accept>(g)),
        "responses": responses(&[(201, answer("The load, the vehicle and the draft waybill", outcome.clone()))], &[404, 409, 413, 422]) }), false);
    paths.add("post", "/api/v1/matching/decline", json!({ "tags": ["matching"],
        "summary": "The vehicle's carrier declines a load: never offered again; a draft match is undone",
        "requestBody": json_body(schema_ref::<wuliu_app::workflows::Decline>(g)),
        "responses": responses(&[(200, answer("The load, the vehicle and the cancelled waybill if any", outcome))], &[404, 409, 413, 422]) }), false);

    // Loading.
    paths.add("post", "/api/v1/loading/solve", json!({ "tags": ["loading"],
        "summary": "3D loading of one container or truck body, with the checker's report",
        "parameters": [time_param(5.0, 60.0), seed_param()],
        "requestBody": json_body(schema_ref::<wuliu_load::LoadRequest>(g)),
        "responses": responses(&[(200, answer("The plan and the checker's report", json!({ "type": "object", "properties": {
            "plan": schema_ref::<wuliu_load::LoadPlan>(g), "check": schema_ref::<wuliu_load::CheckReport>(g) } })))], &[413, 422]) }), false);
    paths.add("post", "/api/v1/loading/shipment", json!({ "tags": ["loading"],
        "summary": "Spread a shipment over as few containers as possible, with a checker report per container",
        "parameters": [time_param(5.0, 60.0), seed_param()],
        "requestBody": json_body(schema_ref::<wuliu_load::ShipmentRequest>(g)),
        "responses": responses(&[(200, answer("The shipment plan and one report per container", json!({ "type": "object", "properties": {
            "plan": schema_ref::<wuliu_load::ShipmentPlan>(g),
            "checks": { "type": "array", "items": schema_ref::<wuliu_load::CheckReport>(g) } } })))], &[413, 422]) }), false);

    // Dispatch (VROOM's JSON format).
    let vroom = schema_ref::<wuliu_dispatch::vroom::Input>(g);
    let dispatch_params = || {
        vec![
            time_param(5.0, 300.0),
            seed_param(),
            query(
                "threads",
                json!({"type": "integer", "minimum": 1, "maximum": 64}),
                "Search threads",
            ),
        ]
    };
    let mut solve_params = dispatch_params();
    solve_params.push(query(
        "geometry",
        json!({"type": "boolean"}),
        "Add each route's line (`routes[i].geometry`, encoded polyline precision 5, along the road network when loaded; `geometry_source` says road or straight_line)",
    ));
    paths.add("post", "/api/v1/dispatch/solve", json!({ "tags": ["dispatch"],
        "summary": "Solve a VROOM-format problem now: VROOM-format answer plus the checker's report and the travel-cost source",
        "parameters": solve_params,
        "requestBody": json_body(vroom.clone()),
        "responses": responses(&[(200, answer("VROOM output (code, summary, routes, unassigned) with `check` and `travel_costs`",
            object_with(&["code", "summary", "routes", "unassigned", "check", "travel_costs"])))], &[413, 422]) }), false);
    paths.add("post", "/api/v1/dispatch/check", json!({ "tags": ["dispatch"],
        "summary": "Re-check routes as a user ordered them (`routes`: job ids or VROOM steps), or without `routes` the vehicles' `steps` as VROOM's plan mode (`vroom -c`, violations with VROOM's causes such as `delay` with its `duration`): per-step times, loads and violations (`routes[i].steps[k].violations`, each `{cause, description}`), unassigned jobs with the checker's reason, the checker's report and each route's geometry (`geometry`, encoded polyline precision 5; `geometry_source` road or straight_line). At most 2000 jobs and 200 vehicles; unknown or repeated vehicles and jobs are refused with their field path",
        "requestBody": json_body(schema_ref::<wuliu_dispatch::CheckRequest>(g)),
        "responses": responses(&[(200, answer("VROOM output with violations per step, `check`, `travel_costs` and `geometry_source`",
            object_with(&["code", "summary", "routes", "unassigned", "check", "travel_costs", "geometry_source"])))], &[413, 422]) }), false);
    let mut submit_params = dispatch_params();
    submit_params.push(query(
        "wait",
        json!({"type": "boolean"}),
        "Answer when solved instead of at once",
    ));
    let plan = json!({ "$ref": "#/components/schemas/DispatchPlanRecord" });
    let mut accepted = answer("Stored and queued; solved in the background", plan.clone());
    accepted["headers"] =
        json!({ "Location": { "description": "The plan's URL", "schema": { "type": "string" } } });
    paths.add("post", "/api/v1/dispatch/plans", json!({ "tags": ["dispatch"],
        "summary": "Submit a VROOM-format plan: stored, solved in the background",
        "parameters": submit_params,
        "requestBody": json_body(vroom),
        "responses": responses(&[(202, accepted), (200, answer("Solved (with wait=true)", plan.clone()))], &[413, 422]) }), false);
    paths.add("get", "/api/v1/dispatch/plans/{id}", json!({ "tags": ["dispatch"],
        "summary": "A stored plan with its state (queued, solved, failed) and routes",
        "parameters": [path("id", "The plan's ID"),
            query("wait", json!({"type": "number", "minimum": 0, "maximum": 600}), "Seconds to wait while it is queued")],
        "responses": responses(&[(200, answer("The plan", plan))], &[404]) }), false);

    // Road.
    let osrm_answer = answer(
        "OSRM answer; `code` is Ok or names the problem",
        object_with(&["code", "message"]),
    );
    let osrm_errors = json!({ "description": "OSRM error (code and message)", "content": { "application/json": { "schema": object_with(&["code", "message"]) } } });
    for (kind, summary, extra) in [
        (
            "route",
            "OSRM-compatible route between lon,lat;lon,lat…",
            vec![
                query("steps", json!({"type": "boolean"}), "Turn-by-turn steps"),
                query(
                    "geometries",
                    json!({"type": "string", "enum": ["polyline", "polyline6", "geojson"]}),
                    "Geometry format",
                ),
                query(
                    "overview",
                    json!({"type": "string", "enum": ["simplified", "full", "false"]}),
                    "Geometry detail",
                ),
                query(
                    "alternatives",
                    json!({"type": "string"}),
                    "Accepted for compatibility; one route is answered",
                ),
                query(
                    "annotations",
                    json!({"type": "string"}),
                    "Accepted for compatibility",
                ),
            ],
        ),
        (
            "table",
            "OSRM-compatible duration/distance matrix",
            vec![
                query(
                    "sources",
                    json!({"type": "string"}),
                    "Indices `0;2` or `all`",
                ),
                query(
                    "destinations",
                    json!({"type": "string"}),
                    "Indices `1;3` or `all`",
                ),
                query(
                    "annotations",
                    json!({"type": "string", "enum": ["duration", "distance", "duration,distance", "distance,duration"]}),
                    "Matrices to answer",
                ),
            ],
        ),
    ] {
        let mut params = vec![
            path(
                "profile",
                "Profile name (the loaded network's; any name is accepted)",
            ),
            path(
                "coordinates",
                "`lon,lat;lon,lat…` (optionally ending in `.json`)",
            ),
        ];
        params.extend(extra);
        paths.add("get", &format!("/{kind}/v1/{{profile}}/{{coordinates}}"), json!({ "tags": ["road"], "summary": summary,
            "parameters": params,
            "responses": { "200": osrm_answer, "400": osrm_errors, "503": { "description": "No road network is loaded (OSRM-style code NoNetwork)",
                "content": { "application/json": { "schema": object_with(&["code", "message"]) } } } } }), true);
    }
    // Registers the request schemas; `road_points` then lets their points be `[lon, lat]` too.
    schema_ref::<wuliu_road::RouteRequest>(g);
    schema_ref::<wuliu_road::TableRequest>(g);
    paths.add("post", "/api/v1/road/route", json!({ "tags": ["road"],
        "summary": "Route through points with the requesting vehicle's weight and dimensions",
        "description": "`points` are `[lon, lat]` arrays (GeoJSON and OSRM order) or `{\"lat\", \"lon\"}` objects.",
        "requestBody": json_body(json!({ "$ref": "#/components/schemas/RouteRequest" })),
        "responses": responses(&[(200, answer("`reachable`, and the route when it is", object_with(&["reachable", "route"])))], &[404, 413, 422]) }), false);
    paths.add("post", "/api/v1/road/table", json!({ "tags": ["road"],
        "summary": "Many-to-many matrix; unreachable pairs are null",
        "description": "`sources` and `targets` are `[lon, lat]` arrays (GeoJSON and OSRM order) or `{\"lat\", \"lon\"}` objects.",
        "requestBody": json_body(json!({ "$ref": "#/components/schemas/TableRequest" })),
        "responses": responses(&[(200, answer("Durations (s) and distances (m)", object_with(&["durations_s", "distances_m", "sources", "targets"])))], &[404, 413, 422]) }), false);

    // Ledger.
    paths.add("post", "/epcis/capture", json!({ "tags": ["ledger"],
        "summary": "EPCIS 2.0 capture document, stored atomically and durably before the answer",
        "requestBody": json_body(json!({ "$ref": "#/components/schemas/EpcisDocument" })),
        "responses": responses(&[(201, answer("Capture receipt", object_with(&["capture_id", "event_ids", "tree_head"])))], &[404, 409, 413, 422]) }), false);
    let csv = |d: &str| query_list(d);
    paths.add("get", "/epcis/events", json!({ "tags": ["ledger"],
        "summary": "EPCIS events the caller may see",
        "parameters": [
            csv("eventType"), csv("MATCH_anyEPC"), csv("EQ_bizStep"), csv("EQ_disposition"), csv("EQ_bizLocation"),
            query("GE_eventTime", json!({"type": "string", "format": "date-time"}), "Events at or after this time"),
            query("LT_eventTime", json!({"type": "string", "format": "date-time"}), "Events before this time"),
            query("limit", json!({"type": "integer", "minimum": 0}), "At most this many events") ],
        "responses": responses(&[(200, answer("The events", any.clone()))], &[404, 422]) }), false);
    let public = |paths: &mut Paths, p: &str, summary: &str, params: Value| {
        paths.add("get", p, json!({ "tags": ["ledger"], "summary": summary, "parameters": params,
            "responses": { "200": answer("Result", json!({ "type": "object" })), "400": error_for(400), "404": error_for(404),
                "422": error_for(422), "429": error_for(429) } }), true);
    };
    public(
        paths,
        "/ledger/tree-head",
        "Signed tree head (Ed25519, RFC 9162 hashing)",
        json!([]),
    );
    public(
        paths,
        "/ledger/public-key",
        "The ledger's public key",
        json!([]),
    );
    let size = json!({"type": "integer", "minimum": 0, "format": "int64"});
    public(
        paths,
        "/ledger/proofs/inclusion",
        "Inclusion proof of a leaf in a tree size",
        json!([
        { "name": "leaf_index", "in": "query", "required": true, "schema": size },
        query("tree_size", size.clone(), "Tree size (current when absent)") ]),
    );
    public(
        paths,
        "/ledger/proofs/consistency",
        "Consistency proof between two tree sizes",
        json!([
        { "name": "old_size", "in": "query", "required": true, "schema": size },
        query("new_size", size.clone(), "Later size (current when absent)") ]),
    );
    for (p, summary, param) in [
        (
            "/ledger/events/{event_id}/proof",
            "An event with its inclusion proof and signed head",
            path("event_id", "The event's ID"),
        ),
        (
            "/ledger/lots/{lot}/bundle",
            "A lot's history with proofs, verifiable offline",
            path("lot", "Lot, item or container identifier"),
        ),
        (
            "/ledger/lots/{lot}/custody",
            "Chain of custody through aggregations and transformations",
            path("lot", "Lot, item or container identifier"),
        ),
        (
            "/ledger/lots/{lot}/share",
            "A lot's share code: opens its bundle without a login (the lot's QR code)",
            path("lot", "Lot, item or container identifier"),
        ),
    ] {
        paths.add(
            "get",
            p,
            json!({ "tags": ["ledger"], "summary": summary, "parameters": [param],
            "responses": responses(&[(200, answer("Result", any.clone()))], &[404, 422]) }),
            false,
        );
    }
    // A bundle is also readable without a login, with the lot's share code.
    let bundle = &mut paths.0["/ledger/lots/{lot}/bundle"]["get"];
    bundle["parameters"]
        .as_array_mut()
        .expect("parameters")
        .push(query(
            "share",
            json!({"type": "string"}),
            "The lot's share code (GET /ledger/lots/{lot}/share): no login needed",
        ));
    bundle["security"]
        .as_array_mut()
        .expect("security")
        .push(json!({}));
    paths.add(
        "post",
        "/ledger/lots/report",
        json!({ "tags": ["ledger"],
        "summary": "Cold-chain report of a lot: gaps, excursions, status",
        "requestBody": json_body(schema_ref::<wuliu_ledger::LotReportRequest>(g)),
        "responses": responses(&[(200, answer("The report", any.clone()))], &[404, 413, 422]) }),
        false,
    );

    // Service endpoints.
    paths.add(
        "get",
        "/api/v1/exchange/{document}",
        crate::exchange::openapi_operation(),
        false,
    );
    paths.add("get", "/health", json!({ "tags": ["service"], "summary": "Liveness and the storage backend",
        "responses": { "200": answer("Up", object_with(&["status", "database"])), "503": error_for(503) } }), true);
    paths.add(
        "get",
        "/openapi.json",
        json!({ "tags": ["service"], "summary": "This document",
        "responses": { "200": answer("OpenAPI 3.0 document", any.clone()) } }),
        true,
    );
    paths.add("get", "/api/v1", json!({ "tags": ["service"], "summary": "The collections",
        "responses": { "200": answer("Collections with links", object_with(&["collections", "openapi"])) } }), true);
    paths.add("get", "/api/v1/me", json!({ "tags": ["service"], "summary": "Who the credentials are",
        "responses": responses(&[(200, answer("Role, party and region", object_with(&["role", "party_id", "region"])))], &[]) }), false);
    paths.add("get", "/api/v1/audit", json!({ "tags": ["service"],
        "summary": "The audit trail, oldest first: all of it for admins and the regulator, a party's own entries for shippers and carriers",
        "parameters": [
            query("record_id", json!({"type": "string"}), "Entries of this record"),
            query("actor", json!({"type": "string"}), "Entries by this actor (`token:NAME`, `user:NAME`, `cli`, `system`)"),
            query("region", region_schema(), "Entries of this region"),
            query("party_id", json!({"type": "string"}), "Entries of this party"),
            query("after", json!({"type": "integer", "format": "int64"}), "Entries after this `seq` (the previous page's `next_after`)"),
            query("limit", json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}), "Page size") ],
        "responses": responses(&[(200, answer("One page", json!({ "type": "object", "properties": {
            "items": { "type": "array", "items": schema_ref::<wuliu_store::AuditEntry>(g) },
            "next_after": { "type": "integer", "format": "int64", "nullable": true } } })))], &[]) }), false);
}

/// Positions, tracks, the rules and alerts (`crate::monitoring`).
fn monitoring_paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    let any = json!({ "type": "object" });
    let geojson = json!({ "type": "object", "description": "GeoJSON ([lon, lat] order)" });
    let window = [
        query(
            "from",
            json!({"type": "string", "format": "date-time"}),
            "Start (default: 24 h before `to`)",
        ),
        query(
            "to",
            json!({"type": "string", "format": "date-time"}),
            "End, excluded (default: now); a window spans at most 31 days",
        ),
    ];
    let positions = json!({ "type": "array", "items": schema_ref::<wuliu_model::Position>(g), "maxItems": wuliu_app::tracks::MAX_UPLOAD_POSITIONS });
    paths.add("post", "/api/v1/positions", json!({ "tags": ["monitoring"],
        "summary": "Upload positions (JSON array, or CSV with columns vehicle_id,time,point.lat,point.lon,…): carriers for their own vehicles, admins for the region; good rows are stored, refused rows named",
        "requestBody": { "required": true, "content": { "application/json": { "schema": positions }, "text/csv": { "schema": { "type": "string" } } } },
        "responses": responses(&[(200, answer("Per-row report", object_with(&["received", "stored", "duplicates", "rejected"])))], &[403, 413, 422]) }), false);
    paths.add("get", "/api/v1/positions", json!({ "tags": ["monitoring"], "summary": "Fixes inside a box (admins and regulators)",
        "parameters": [query("bbox", json!({"type": "string"}), "minLon,minLat,maxLon,maxLat"), window[0].clone(), window[1].clone(),
            query("limit", json!({"type": "integer", "minimum": 1, "maximum": wuliu_store::MAX_READ_ROWS}), "Most fixes")],
        "responses": responses(&[(200, answer("FeatureCollection of points", geojson.clone()))], &[403]) }), false);
    paths.add("get", "/api/v1/positions/latest", json!({ "tags": ["monitoring"],
        "summary": "Last known position of every vehicle the caller may see, with `online` (a fix in the last 10 minutes)",
        "responses": responses(&[(200, answer("FeatureCollection of points", geojson.clone()))], &[403]) }), false);
    paths.add("get", "/api/v1/vehicles/{id}/track", json!({ "tags": ["monitoring"], "summary": "A vehicle's track as a GeoJSON LineString, optionally simplified",
        "parameters": [path("id", "Vehicle ID"), window[0].clone(), window[1].clone(),
            query("simplify", json!({"type": "number", "minimum": 0}), "Douglas–Peucker tolerance in metres")],
        "responses": responses(&[(200, answer("Feature with times and speeds", geojson))], &[404]) }), false);
    paths.add("get", "/api/v1/monitoring/rules", json!({ "tags": ["monitoring"], "summary": "The rule catalogue: code, category, severity, description (zh, en)",
        "responses": responses(&[(200, answer("Rules", json!({"type": "array", "items": any.clone()})))], &[]) }), false);
    paths.add("post", "/api/v1/monitoring/run", json!({ "tags": ["monitoring"],
        "summary": "Run every rule over a Beijing day's waybills, raise alerts once per (waybill, rule); admins and regulators",
        "parameters": [query("day", json!({"type": "string", "format": "date"}), "The day (default: today, Beijing time)")],
        "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "description": "Ignored" } } } },
        "responses": responses(&[(200, answer("Counts, roll-ups and the waybills with findings", any.clone()))], &[403, 413]) }), false);
    paths.add("get", "/api/v1/monitoring/onboarding", json!({ "tags": ["monitoring"],
        "summary": "The onboarding check: 10 consecutive days, ≥ 5 waybills a day, abnormal rate < 1 %",
        "parameters": [query("carrier_id", json!({"type": "string"}), "The carrier"), query("to", json!({"type": "string", "format": "date"}), "Last day"),
            query("days", json!({"type": "integer", "minimum": 1, "maximum": wuliu_app::monitoring::MAX_ONBOARDING_DAYS}), "Days looked at (default 10)")],
        "responses": responses(&[(200, answer("Passed or not, with each day's figures", any.clone()))], &[403]) }), false);
    paths.add("get", "/api/v1/waybills/{id}/checks", json!({ "tags": ["monitoring"], "summary": "The rules' verdict on one waybill now, with evidence",
        "parameters": [path("id", "Waybill ID")],
        "responses": responses(&[(200, answer("Findings, risk score, track completeness", any.clone()))], &[404]) }), false);
    paths.add("get", "/api/v1/alerts/stream", json!({ "tags": ["monitoring"], "summary": "Server-sent events: one `alert` event per alert raised after the stream opened",
        "responses": { "200": { "description": "text/event-stream", "content": { "text/event-stream": { "schema": { "type": "string" } } } } } }), false);
    for (step, summary) in [
        ("acknowledge", "Acknowledge an open alert"),
        ("resolve", "Resolve an alert"),
    ] {
        paths.add("post", &format!("/api/v1/alerts/{{id}}/{step}"), json!({ "tags": ["monitoring"], "summary": format!("{summary} (admins and regulators), with an optional note"),
            "parameters": [path("id", "Alert ID")], "requestBody": json_body(object_with(&["note"])),
            "responses": responses(&[(200, record_answer("The alert", "Alert"))], &[403, 404, 409]) }), false);
    }
}

/// Plan supervision (`crate::plan`): targets, key projects, county targets, the CSV report.
fn plan_paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    use wuliu_app::plan::{CountyTargets, ProjectList, ProjectView, TargetList};
    let as_of = query(
        "as_of",
        json!({"type": "string", "format": "date"}),
        "Evaluation day (default: today, Beijing time); values dated later are left out",
    );
    paths.add("get", "/api/v1/plan/targets", json!({ "tags": ["plan"],
        "summary": "Every 2025 target of the logistics plan with baseline, current value (entered in `indicator_values`, or measured by the platform, 平台口径), history and status from the trajectory",
        "parameters": [as_of.clone()],
        "responses": responses(&[(200, answer("The targets", schema_ref::<TargetList>(g)))], &[]) }), false);
    paths.add("get", "/api/v1/plan/projects", json!({ "tags": ["plan"],
        "summary": "The plan's key logistics projects with build status, investment and their latest progress report (`project_reports`)",
        "responses": responses(&[(200, answer("The projects", schema_ref::<ProjectList>(g)))], &[]) }), false);
    paths.add("get", "/api/v1/plan/projects/{id}", json!({ "tags": ["plan"],
        "summary": "One key project with its progress report history",
        "parameters": [path("id", "Facility ID or external ID (`kp-…`)")],
        "responses": responses(&[(200, answer("The project", schema_ref::<ProjectView>(g)))], &[404]) }), false);
    paths.add("get", "/api/v1/plan/counties", json!({ "tags": ["plan"],
        "summary": "The county economy plan's 2025 targets (柳政办〔2022〕63号 表2), as printed",
        "responses": responses(&[(200, answer("The targets", schema_ref::<CountyTargets>(g)))], &[]) }), false);
    paths.add("get", "/api/v1/plan/report.csv", json!({ "tags": ["plan"],
        "summary": "The targets table as CSV (UTF-8 with BOM): id, indicator_zh, indicator_en, unit, baseline, baseline_year, target, current, as_of, source, expected_now, progress, status",
        "parameters": [as_of],
        "responses": responses(&[(200, json!({ "description": "CSV report", "content": { "text/csv": { "schema": { "type": "string" } } } }))], &[]) }), false);
    // `/api/v1/plan/targets` would get the same generated ID as the collection `/api/v1/plan_targets`.
    for (p, item) in paths
        .0
        .iter_mut()
        .filter(|(p, _)| p.starts_with("/api/v1/plan/"))
    {
        let tail = p["/api/v1/plan/".len()..].replace(['/', '{', '}', '-', '.'], "_");
        if let Some(op) = item.get_mut("get") {
            op["operationId"] = json!(format!("plan_get_{tail}"));
        }
    }
}

/// The dashboard's indicators, forecasts, index, warnings and map layers (`crate::stats`). Admins and
/// regulators get their region; shippers and carriers the same shapes over their own waybills.
fn stats_paths(paths: &mut Paths) {
    let day =
        |name: &str, what: &str| query(name, json!({"type": "string", "format": "date"}), what);
    let text = |name: &str, what: &str| query(name, json!({"type": "string"}), what);
    let metrics = "waybills, tonnes, tonne_km, amount_yuan, active_vehicles, cold_chain_share, on_time_rate, mean_delivery_hours";
    let metric = text("metric", &format!("One of {metrics}"));
    let interval = query(
        "interval",
        json!({"type": "string", "enum": ["day", "month"]}),
        "Grouping",
    );
    let get = |paths: &mut Paths,
               url: &str,
               summary: &str,
               params: Value,
               props: &[&str],
               errors: &[u16]| {
        paths.add(
            "get",
            url,
            json!({ "tags": ["stats"], "summary": summary, "parameters": params,
            "responses": responses(&[(200, answer(summary, object_with(props)))], errors) }),
            false,
        );
    };
    get(paths, "/api/v1/stats/overview", "Today, yesterday, month to date, the previous month's same days and the 30-day trend of every indicator (read from the daily rollups)",
        json!([day("date", "Day (default today, Beijing)")]), &["date", "month", "scope", "today", "yesterday", "month_to_date", "previous_month", "trend"], &[400]);
    get(
        paths,
        "/api/v1/stats/breakdown",
        "Indicators by county of loading or by cargo class over a day range (at most 400 days)",
        json!([
            query(
                "by",
                json!({"type": "string", "enum": ["county", "industry"]}),
                "Dimension"
            ),
            day("from", "First day (default the month's first)"),
            day("to", "Last day (default today)")
        ]),
        &["by", "from", "to", "scope", "rows"],
        &[400],
    );
    get(
        paths,
        "/api/v1/stats/series",
        "One indicator by day or month, every period present",
        json!([
            metric.clone(),
            interval.clone(),
            day("from", "First day"),
            day("to", "Last day"),
            text("county", "County code"),
            text("industry", "Two-digit cargo class")
        ]),
        &["metric", "interval", "from", "to", "points"],
        &[400],
    );
    get(paths, "/api/v1/stats/forecast", "History and forecast with 80/95 % intervals by the model a rolling-origin backtest chose, with every model's backtest error",
        json!([metric, interval, query("horizon", json!({"type": "integer", "minimum": 1, "maximum": 36}), "Periods ahead (default 6)"), text("series", "A bundled public series instead: public:<id>")]),
        &["series", "interval", "history", "forecast", "model", "backtest"], &[400]);
    get(
        paths,
        "/api/v1/stats/public-series",
        "The bundled real public series with their sources",
        json!([]),
        &[],
        &[],
    );
    get(paths, "/api/v1/stats/index", "The logistics prosperity index (diffusion form, 50 = neutral) of a month and its history (admins and regulators)",
        json!([text("month", "YYYY-MM (default the last complete month)"), query("history", json!({"type": "integer", "minimum": 0, "maximum": 36}), "Months of history (default 12)")]),
        &["month", "composite", "components", "history"], &[400, 403]);
    get(paths, "/api/v1/stats/warnings", "Risk warnings on the indicators (alerts with rules indicator.*, county.*, plan.*), newest first (admins and regulators)",
        json!([text("status", "open, acknowledged or resolved")]), &["warnings"], &[403]);
    paths.add("post", "/api/v1/stats/warnings/run", json!({ "tags": ["stats"], "summary": "Evaluate the warning rules for a day and raise what is new (admins and regulators)",
        "parameters": [day("day", "Day (default yesterday)")],
        "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "description": "Ignored" } } } },
        "responses": responses(&[(200, answer("What was found and raised", object_with(&["day", "found", "raised", "warnings"])))], &[403]) }), false);
    paths.add("get", "/api/v1/map/layers/{layer}", json!({ "tags": ["stats"], "summary": "A map layer as GeoJSON: counties, projects, facilities, vehicles (regulator, carrier), load_heat (regulator)",
        "parameters": [path("layer", "counties, projects, facilities, vehicles or load_heat")],
        "responses": responses(&[(200, answer("A FeatureCollection", object_with(&["type", "features"])))], &[403, 404]) }), false);
    paths.add("get", "/api/v1/map/layers/roads", json!({ "tags": ["stats"], "summary": "The loaded road network's lines inside a box as GeoJSON LineStrings (any logged-in role); major roads only at low zoom, at most 4000 lines; `synthetic: true` for the demo's generated network (not real roads)",
        "parameters": [
            query("bbox", json!({"type": "string", "example": "109.35,24.28,109.47,24.38"}), "west,south,east,north in WGS-84 degrees (required)"),
            query("zoom", json!({"type": "number", "minimum": 0, "maximum": 22}), "Map zoom (default 12): below 12 only major roads")
        ],
        "responses": responses(&[(200, answer("A FeatureCollection of LineStrings (properties: highway, name, oneway, speed_kmh, maxweight_t)", object_with(&["type", "features", "road_network", "synthetic", "truncated", "zoom", "classes"])))], &[400]) }), false);
}

/// A query parameter taking a comma-separated list.
fn query_list(name: &str) -> Value {
    query(name, json!({"type": "string"}), "Comma-separated list")
}

/// A merge patch of an entity: its fields, none required (`{Name}Patch`, built in [`document`]).
fn patch_schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}Patch") })
}

/// The `{Name}Record` answer schemas: the entity's fields (without its refusal of unknown fields)
/// plus the envelope the store adds (id, region, version, times).
fn record_schema(entity: &Value) -> Value {
    let mut s = entity.clone();
    if let Some(o) = s.as_object_mut() {
        o.remove("additionalProperties");
        o.remove("title");
    }
    let props = s["properties"].as_object().cloned().unwrap_or_default();
    let mut props = props;
    for (k, v) in envelope() {
        props.insert(k, v);
    }
    s["type"] = json!("object");
    s["properties"] = Value::Object(props);
    let mut required: Vec<Value> = s["required"].as_array().cloned().unwrap_or_default();
    for k in ["id", "region", "version", "created_at", "updated_at"] {
        if !required.contains(&json!(k)) {
            required.push(json!(k));
        }
    }
    s["required"] = Value::Array(required);
    s
}

fn envelope() -> Map<String, Value> {
    json!({
        "id": { "type": "string" },
        "region": { "type": "string" },
        "version": { "type": "integer", "format": "int64" },
        "created_at": { "type": "string", "format": "date-time" },
        "updated_at": { "type": "string", "format": "date-time" } })
    .as_object()
    .cloned()
    .expect("object")
}

/// Lets the road API's point lists take `[lon, lat]` arrays as well as `{lat, lon}` objects.
fn road_points(schemas: &mut Map<String, Value>) {
    for (name, fields) in [
        ("RouteRequest", &["points"][..]),
        ("TableRequest", &["sources", "targets"][..]),
    ] {
        let Some(s) = schemas.get_mut(name) else {
            continue;
        };
        for f in fields {
            let Some(prop) = s["properties"].get_mut(*f) else {
                continue;
            };
            let nullable = prop.get("nullable").cloned();
            let mut list = json!({ "type": "array", "items": road_point(),
                "description": prop.get("description").cloned().unwrap_or(json!("Points")) });
            if let Some(n) = nullable {
                list["nullable"] = n;
            }
            *prop = list;
        }
    }
}

/// A minimal EPCIS 2.0 JSON document schema: the ledger checks the rest and names every problem.
fn epcis_document() -> Value {
    json!({ "type": "object", "required": ["type", "epcisBody"],
        "description": "EPCIS 2.0 JSON/JSON-LD capture document (GS1); the ledger validates each event and names the path of every problem",
        "properties": {
            "@context": {},
            "type": { "type": "string", "enum": ["EPCISDocument"] },
            "schemaVersion": { "type": "string" },
            "creationDate": { "type": "string", "format": "date-time" },
            "epcisBody": { "type": "object", "required": ["eventList"], "properties": {
                "eventList": { "type": "array", "items": { "type": "object", "required": ["type", "eventTime", "eventTimeZoneOffset"],
                    "properties": {
                        "type": { "type": "string", "enum": ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"] },
                        "eventTime": { "type": "string", "format": "date-time" },
                        "eventTimeZoneOffset": { "type": "string" } } } } } } } })
}

/// Builds `/openapi.json`.
pub fn document() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let mut paths = Paths::default();
    for spec in SPECS {
        collection_paths(&mut paths, spec, &mut generator);
    }
    engine_paths(&mut paths, &mut generator);
    monitoring_paths(&mut paths, &mut generator);
    plan_paths(&mut paths, &mut generator);
    stats_paths(&mut paths);
    road_service_paths(&mut paths, &mut generator);
    road_match_paths(&mut paths);
    road_change_paths(&mut paths, &mut generator);
    emergency_paths(&mut paths, &mut generator);
    gov_units::paths(&mut paths, &mut generator);
    gov_tasks::paths(&mut paths, &mut generator);
    gov_appeals::paths(&mut paths, &mut generator);
    gov_talent::paths(&mut paths, &mut generator);
    let report = schema_ref::<ImportReport>(&mut generator);
    generator.subschema_for::<wuliu_model::GeoPoint>();
    let mut schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    schemas.entry("ImportReport".to_string()).or_insert(report);
    for spec in SPECS {
        let entity = schemas[spec.schema_name].clone();
        schemas.insert(
            format!("{}Record", spec.schema_name),
            record_schema(&entity),
        );
        let mut patch = entity;
        if let Some(o) = patch.as_object_mut() {
            o.remove("required");
            o.remove("title");
        }
        schemas.insert(format!("{}Patch", spec.schema_name), patch);
    }
    schemas.insert(
        "DispatchPlanRecord".into(),
        json!({ "type": "object", "required": ["id", "status"], "properties": {
            "id": { "type": "string" }, "region": { "type": "string" }, "version": { "type": "integer" },
            "status": { "type": "string", "enum": ["queued", "solved", "failed"] },
            "input": { "type": "object" }, "config": { "type": "object" }, "output": { "type": "object" },
            "check": { "type": "object" }, "error": { "type": "string" }, "travel_costs": { "type": "object" } } }),
    );
    road_points(&mut schemas);
    schemas.insert("EpcisDocument".into(), epcis_document());
    schemas.insert(
        "Error".into(),
        json!({ "type": "object", "required": ["error"], "properties": { "error": { "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "violations": { "type": "array", "items": { "type": "object", "properties": {
                "code": {"type": "string"}, "field": {"type": "string"}, "message": {"type": "string"} } } } } } } }),
    );
    let paths = paths.0;
    let tags: Vec<Value> = [
        "matching",
        "loading",
        "dispatch",
        "road",
        "ledger",
        "monitoring",
        "plan",
        "service",
        "emergency",
        "gov",
    ]
    .iter()
    .copied()
    .chain(SPECS.iter().map(|s| s.kind.table()))
    .map(|t| json!({ "name": t }))
    .collect();
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Wuliu logistics public information platform API", "version": env!("CARGO_PKG_VERSION"),
            "description": "Parties, vehicles, drivers, loads, electronic waybills, fund flows, facilities and events, with the matching, loading, dispatch, road and traceability engines. Authenticate with `Authorization: Bearer <token>`, or from a browser with the `wuliu_session` cookie (writes also send the session's `X-CSRF-Token` header). Road points are `[lon, lat]` (GeoJSON/OSRM order) or `{lat, lon}` objects." },
        "tags": tags,
        "paths": paths,
        "components": { "schemas": schemas, "securitySchemes": {
            "bearer": { "type": "http", "scheme": "bearer", "description": "An API token (`wl_…`), from `wuliu token create`" },
            "session": { "type": "apiKey", "in": "cookie", "name": "wuliu_session", "description": "Browser session set at sign-in" },
            "csrf": { "type": "apiKey", "in": "header", "name": "X-CSRF-Token", "description": "The session's CSRF token; required with the session cookie on writes" } } },
        "security": [ { "bearer": [] }, { "session": [] } ]
    })
}

/// Isochrones (our GET, Valhalla's POST) and OSRM's trip service; public like OSRM's routes.
fn road_service_paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    let features = answer(
        "GeoJSON FeatureCollection: one Polygon/MultiPolygon feature per contour (LineStrings with polygons=false), largest first, properties.contour in minutes",
        object_with(&["type", "features"]),
    );
    let osrm_errors = json!({ "description": "OSRM error (code and message)", "content": { "application/json": { "schema": object_with(&["code", "message"]) } } });
    paths.add("get", "/isochrone/v1/{profile}/{point}", json!({ "tags": ["road"],
        "summary": "Area reachable from a point within minutes (or, reverse, from which it is reachable) under the roads open now",
        "description": "At most 4 contours of at most 120 minutes. Outer rings are counter-clockwise, holes clockwise (RFC 7946). A bad value is a 422 naming its field (`contours_minutes[1]`).",
        "parameters": [
            path("profile", "Profile name (the loaded network's; any name is accepted)"),
            path("point", "`lon,lat`"),
            query("contours_minutes", json!({"type": "string"}), "Comma-separated minutes, e.g. `5,10,15`"),
            query("reverse", json!({"type": "boolean"}), "`true`: the area from which the point can be reached"),
            query("polygons", json!({"type": "boolean"}), "`true` (default): polygons; `false`: outlines as lines"),
            query("denoise", json!({"type": "number", "minimum": 0, "maximum": 1}), "Drop areas smaller than this share of the largest (default 0: keep all)"),
            query("generalize", json!({"type": "number", "minimum": 0, "maximum": 1000}), "Douglas–Peucker tolerance in metres (default 40 % of the raster cell)") ],
        "responses": responses(&[(200, features.clone())], &[404, 422]) }), true);
    paths.add("post", "/isochrone", json!({ "tags": ["road"],
        "summary": "Valhalla-compatible isochrone: `{locations: [{lat, lon}], costing: auto|truck, contours: [{time}], polygons, reverse, denoise, generalize, id}`",
        "description": "Time contours only; `polygons` defaults to false (outlines as LineStrings) as in Valhalla, `denoise` to 0 (Valhalla: 1). Answered from the loaded network whatever the costing.",
        "requestBody": json_body(json!({ "type": "object", "required": ["locations", "contours"], "properties": {
            "locations": { "type": "array", "items": schema_ref::<wuliu_model::GeoPoint>(g) },
            "costing": { "type": "string", "enum": ["auto", "truck"] },
            "contours": { "type": "array", "items": { "type": "object", "properties": { "time": { "type": "number" } } } },
            "polygons": { "type": "boolean" }, "reverse": { "type": "boolean" },
            "denoise": { "type": "number" }, "generalize": { "type": "number" }, "id": {} } })),
        "responses": responses(&[(200, features)], &[400, 404, 422]) }), true);
    paths.add("get", "/trip/v1/{profile}/{coordinates}", json!({ "tags": ["road"],
        "summary": "OSRM-compatible trip: the fastest order to visit lon,lat;lon,lat… (exact up to 12 points, heuristic up to 100)",
        "parameters": [
            path("profile", "Profile name (the loaded network's; any name is accepted)"),
            path("coordinates", "`lon,lat;lon,lat…` (2 to 100, optionally ending in `.json`)"),
            query("roundtrip", json!({"type": "boolean"}), "Return to the first coordinate (default true)"),
            query("source", json!({"type": "string", "enum": ["any", "first"]}), "Start at the first coordinate"),
            query("destination", json!({"type": "string", "enum": ["any", "last"]}), "End at the last coordinate"),
            query("steps", json!({"type": "boolean"}), "Turn-by-turn steps"),
            query("geometries", json!({"type": "string", "enum": ["polyline", "polyline6", "geojson"]}), "Geometry format"),
            query("overview", json!({"type": "string", "enum": ["simplified", "full", "false"]}), "Geometry detail") ],
        "responses": { "200": answer("OSRM answer: `trips` (one route) and `waypoints` with `trips_index` and `waypoint_index`", object_with(&["code", "trips", "waypoints"])),
            "400": osrm_errors, "503": { "description": "No road network is loaded (OSRM-style code NoNetwork)",
                "content": { "application/json": { "schema": object_with(&["code", "message"]) } } } } }), true);
}

/// OSRM's match and nearest services; public like OSRM's routes.
fn road_match_paths(paths: &mut Paths) {
    let osrm_errors = json!({ "description": "OSRM error (code and message)", "content": { "application/json": { "schema": object_with(&["code", "message"]) } } });
    let unavailable = json!({ "description": "No road network is loaded (OSRM-style code NoNetwork)",
        "content": { "application/json": { "schema": object_with(&["code", "message"]) } } });
    paths.add("get", "/match/v1/{profile}/{coordinates}", json!({ "tags": ["road"],
        "summary": "OSRM-compatible map matching: the roads a GPS track lon,lat;lon,lat… drove (hidden Markov model, at most 500 points)",
        "description": "Codes: Ok, NoMatch, TooBig (over 500 coordinates), InvalidQuery, InvalidValue, InvalidOptions (the message names the parameter). `confidence` is the mean share of each point's probability held by the chosen road.",
        "parameters": [
            path("profile", "Profile name (the loaded network's; any name is accepted)"),
            path("coordinates", "`lon,lat;lon,lat…` (2 to 500, optionally ending in `.json`)"),
            query("timestamps", json!({"type": "string"}), "UNIX seconds per coordinate, `;`-separated, non-decreasing"),
            query("radiuses", json!({"type": "string"}), "GPS accuracy σ in metres per coordinate, `;`-separated (empty: 5), at most 100"),
            query("gaps", json!({"type": "string", "enum": ["split", "ignore"]}), "Split the track at time gaps over max(60 s, 10 × the median interval) (default split)"),
            query("tidy", json!({"type": "boolean"}), "Drop points within 15 m and 5 s of the previous kept one"),
            query("steps", json!({"type": "boolean"}), "Turn-by-turn steps"),
            query("geometries", json!({"type": "string", "enum": ["polyline", "polyline6", "geojson"]}), "Geometry format"),
            query("overview", json!({"type": "string", "enum": ["simplified", "full", "false"]}), "Geometry detail"),
            query("annotations", json!({"type": "string"}), "Accepted for compatibility") ],
        "responses": { "200": answer("OSRM answer: `matchings` (confidence, distance, duration, geometry, legs) and `tracepoints` (null for unmatched points)", object_with(&["code", "matchings", "tracepoints"])),
            "400": osrm_errors.clone(), "503": unavailable.clone() } }), true);
    paths.add("get", "/nearest/v1/{profile}/{coordinates}", json!({ "tags": ["road"],
        "summary": "OSRM-compatible nearest roads to one lon,lat",
        "description": "`nodes` are Wuliu intersection indices of the road edge's ends (not OSM node ids); `way_id` is the OSM way.",
        "parameters": [
            path("profile", "Profile name (the loaded network's; any name is accepted)"),
            path("coordinates", "One `lon,lat` (optionally ending in `.json`)"),
            query("number", json!({"type": "integer", "minimum": 1, "maximum": 100}), "How many roads (default 1)") ],
        "responses": { "200": answer("OSRM answer: `waypoints` (nodes, location, distance, name), nearest first", object_with(&["code", "waypoints"])),
            "400": osrm_errors, "503": unavailable } }), true);
}

/// `GET /api/v1/road/changes`, `PUT` and `DELETE /api/v1/road/changes/{id}`.
fn road_change_paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    let change = schema_ref::<wuliu_road::RoadChange>(g);
    let report = schema_ref::<wuliu_app::road_changes::SyncReport>(g);
    let stored = schema_ref::<wuliu_app::road_changes::StoredReport>(g);
    let either = |with: &str, without: &str| {
        answer(
            &format!("With a road network: {with}. Without one: the change stored (`StoredReport`){without}"),
            json!({ "oneOf": [report.clone(), stored.clone()] }),
        )
    };
    let id = path("id", "The change's ID (1 to 200 characters)");
    paths.add("get", "/api/v1/road/changes", json!({ "tags": ["road"],
        "summary": "The live road changes (closures and slowdowns) stored, and the store's revision (any caller; with or without a road network)",
        "responses": responses(&[(200, answer("`revision` and `changes` (each a RoadChange with `set_by`, `set_at` and `revision`)", object_with(&["revision", "changes"])))], &[]) }), false);
    paths.add("put", "/api/v1/road/changes/{id}", json!({ "tags": ["road"],
        "summary": "Close or slow roads (by OSM way IDs, a polygon of [lon, lat] points, or road-edge indices), or replace the change with this ID (regulators and admins); checked, stored, audited, and in force when this answers",
        "description": "The body is a RoadChange; its `id` may be left out or must equal the path's. A bad change is a 400 naming the field (e.g. `effect.speed_factor`, `target.edges[3]`) and nothing is stored. With a road network loaded the change is checked against it and in force on routes and matrices when this answers. Without one (the default) only polygons are taken: a polygon closure (a flood) cuts the straight-line legs of emergency plans and shows in the situation picture; a change naming `target.edges` or `target.ways` is a 400 naming that field (no road network is loaded to check or apply it). Other servers on the same database apply it within a second.",
        "parameters": [id.clone()],
        "requestBody": json_body(change),
        "responses": responses(&[(200, either("the engine's report of the changes now in force, with the store revision", " with `revision`, `network_loaded: false` and `cuts_straight_lines`"))], &[413]) }), false);
    paths.add("delete", "/api/v1/road/changes/{id}", json!({ "tags": ["road"],
        "summary": "Lift a road change (regulators and admins); audited, and out of force when this answers",
        "parameters": [id],
        "responses": responses(&[(200, either("the engine's report of the changes still in force, with the store revision", ", as it was when lifted"))], &[404]) }), false);
}

/// The emergency logistics routes (`/api/v1/emergency/…`, issue 28); see [`crate::emergency`].
fn emergency_paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    use wuliu_app::emergency::{catalogue, commit, fleet, movement, plan, replan, requests, stock};
    const E: &str = "/api/v1/emergency";
    let id = |what: &str| path("id", &format!("The {what}'s ID"));
    let list = |what: &str, key: &str| answer(what, object_with(&[key, "truncated"]));
    let one = |what: &str| {
        answer(
            what,
            json!({ "type": "object", "required": ["id", "version"] }),
        )
    };
    let none = json!({ "required": false, "content": { "application/json": { "schema": { "type": "object" } } },
        "description": "Empty, or `{}`" });
    let manage = "(admins and regulators; audited)";
    let mut add = |m: &str, p: &str, summary: String, extra: Value| {
        let mut op = json!({ "tags": ["emergency"], "summary": summary });
        for (k, v) in extra.as_object().expect("an object") {
            op[k] = v.clone();
        }
        paths.add(m, &format!("{E}{p}"), op, false);
    };
    add("post", "/plan", "Allocate the stock available now to the triaged requests of the caller's region: the exact model (HiGHS) with its gap, and the greedy nearest-stockpile baseline side by side (admins and regulators)".into(), json!({
        "description": "Stock available = on hand less live reservation holds; expired lots are left out (listed in `left_out`). The fleet is the region's available vehicles with a valid green-channel pass, based at the stockpile their pass stations them at (`stockpile_id`), else at the one nearest their home base. Travel comes from the road network with the live closures in force, or from straight lines that may not enter the given `closed_areas`.",
        "requestBody": json_body(schema_ref::<plan::PlanInput>(g)),
        "responses": responses(&[(200, answer("`allocation`, `greedy_baseline`, `counts`, `left_out`, `travel_costs`", object_with(&["allocation", "greedy_baseline", "counts"])))], &[403, 413, 422]) }));
    add("post", "/plan/commit", "Approve a plan: claim each request its flows name (`triaged → allocated`) and reserve the flows' stock for it (admins and regulators; audited)".into(), json!({
        "description": "The body is `{\"flows\": [{\"stockpile\", \"request\", \"item\", \"quantity\"}, …]}`, the `allocation.flows` of a `POST /emergency/plan` answer; the whole answer may be posted, its `allocation.flows` is taken. Every flow is checked before anything is written: more than 20,000 is a 413 naming `flows`; a quantity ≤ 0, an unknown stockpile, request or item, or the same (stockpile, request, item) twice is a 400 naming `flows[k].quantity`, `flows[k].stockpile`, …. Per request (one versioned claim, so of two commits of the same plan only one reserves): `allocated` (every flow held, one reservation per stockpile, default expiry 24 h), `partly_reserved` / `not_reserved` (stock taken meanwhile: the request stays allocated, `not_reserved` lists the lines with the reason), `already_allocated`, `not_triaged` (nothing reserved), `failed` (the claim lost to other writers every time).",
        "requestBody": json_body(schema_ref::<commit::CommitInput>(g)),
        "responses": responses(&[(200, answer("`requests` (each `request_id`, `status`, `request_status`, `reservation_ids`, `not_reserved`) and `counts` by status", object_with(&["requests", "counts"])))], &[413]) }));
    add("post", "/replan", "Re-plan the plan in force after roads close or requests arrive: trips done or on open roads are kept, cut ones turn back, only what is left is planned again (admins and regulators)".into(), json!({
        "description": "Send the answer of `POST /emergency/plan` as `in_force` (its `at`, `allocation` and `routes`; other fields are ignored). The records are read as at `in_force.at` (requests: those triaged now, new ones included), travel as it is now (live closures on a road network, else straight lines that may not enter `closed_areas`). `trips` gives the fate of every trip of the plan in force (`done`, `on_road_kept`, `on_road_cut`, `pending_kept`, `pending_released`) with its reason (`leg_closed`, `earlier_trip_changed`, `released`); `changes` every request whose delivery changed, kilograms and last arrival before and after, and why (`new_request`, `trip_changed`, `outranked`). Times in `kept` and `routes` count from `in_force.at`. 400 names the field: `in_force.at` in the future or more than 7 days ago, or the path of a trip naming an unknown vehicle, stockpile or request (`in_force.routes.routes[3]`).",
        "requestBody": json_body(schema_ref::<replan::ReplanInput>(g)),
        "responses": responses(&[(200, answer("`at`, `elapsed_s`, `kept`, `allocation`, `routes`, `trips`, `changes`, `solve_ms`, `travel_costs`, `left_out`, `counts`", object_with(&["at", "elapsed_s", "kept", "allocation", "routes", "trips", "changes"])))], &[413, 422]) }));
    add("get", "/situation", "The situation picture: closed (flooded) areas in force, each stockpile's reachable area within `minutes`, and the triaged requests no stockpile reaches (admins and regulators)".into(), json!({
        "description": "`closed_areas`: a GeoJSON `FeatureCollection` of the stored road changes that close a polygon (kept with or without a road network; set them through `PUT /api/v1/road/changes/{id}` or `wuliu road close`), `closed_roads` those closing ways or edges. Per stockpile, `reachable_area` is a `FeatureCollection`, largest contour first (`properties.contour` in minutes, `properties.model`): on a road network the road engine's isochrone from the stockpile (closed roads never entered, at most 120 minutes), else a circle of the straight-line model (haversine × 1.3 at 45 km/h) as a ring of 48 points; `reachable_requests` are the requests within the largest contour, and on straight lines `cut_requests` those whose line enters a closed polygon. Per triaged request, `reachable_from` lists the stockpiles within the largest contour; `cut_off` is true when none, `no_route` when none reaches it at all. `model` says `road_network` or `straight_line`. 400 names `minutes`; 413 names `stockpiles` beyond 200.",
        "parameters": [query("minutes", json!({"type": "string", "example": "30,60"}), "Contours in minutes: 1 to 4 distinct numbers above 0 and at most 240 (default 60)")],
        "responses": responses(&[(200, answer("`at`, `model`, `travel_costs`, `minutes`, `closed_areas`, `closed_roads`, `stockpiles`, `requests`, `counts`", object_with(&["model", "closed_areas", "stockpiles", "requests"])))], &[400, 403, 413]) }));
    add(
        "get",
        "/items",
        "The relief item catalogue (any caller)".into(),
        json!({
        "responses": responses(&[(200, list("`items`", "items"))], &[]) }),
    );
    add(
        "post",
        "/items",
        format!("Add a relief item {manage}"),
        json!({
        "requestBody": json_body(schema_ref::<catalogue::Item>(g)),
        "responses": responses(&[(201, one("The item"))], &[409, 422]) }),
    );
    add("get", "/stockpiles", "The stockpiles the caller may read (admins and regulators all; an enterprise its agreement reserves)".into(), json!({
        "responses": responses(&[(200, list("`stockpiles`", "stockpiles"))], &[]) }));
    add("post", "/stockpiles", format!("Add a stockpile: a government reserve, or an agreement reserve (协议储备) held by a party {manage}"), json!({
        "requestBody": json_body(schema_ref::<stock::Stockpile>(g)),
        "responses": responses(&[(201, one("The stockpile"))], &[409, 422]) }));
    add("get", "/stockpiles/{id}", "A stockpile with its stock per item: on hand, held by reservations, available, and in expired lots".into(), json!({
        "parameters": [id("stockpile")], "responses": responses(&[(200, one("The stockpile and `stock`"))], &[404]) }));
    add(
        "get",
        "/stockpiles/{id}/lots",
        "The stockpile's lots, each with `held`, `available` and `expired`".into(),
        json!({
        "parameters": [id("stockpile"), query("item_id", json!({"type": "string"}), "Only this item's lots")],
        "responses": responses(&[(200, list("`lots`", "lots"))], &[404]) }),
    );
    add(
        "post",
        "/stockpiles/{id}/lots",
        format!(
            "Receive a lot (expiry defaults to the received day + the item's shelf life) {manage}"
        ),
        json!({
        "parameters": [id("stockpile")], "requestBody": json_body(schema_ref::<stock::Receipt>(g)),
        "responses": responses(&[(201, one("The lot"))], &[404, 409, 422]) }),
    );
    add("post", "/stockpiles/{id}/issue", format!("Issue stock: lines (first expiry first out when no lot is named; expired lots never), or a held reservation whole; all lines or nothing, never below zero under concurrent writers {manage}"), json!({
        "description": "409 names the line (`lines[0].quantity`, `lines[0].lot_id`) when the stock does not allow it, or says the stock kept changing under concurrent writers (retry).",
        "parameters": [id("stockpile")], "requestBody": json_body(schema_ref::<movement::IssueInput>(g)),
        "responses": responses(&[(201, one("The issue, with the lots taken"))], &[404, 409, 413, 422]) }));
    for (p, what) in [("/issues", "issues"), ("/reservations", "reservations")] {
        add("get", p, format!("Stock {what} of a stockpile (its readers) or of every stockpile (admins and regulators)"), json!({
            "parameters": [query("stockpile_id", json!({"type": "string"}), "Only this stockpile's"),
                query("request_id", json!({"type": "string"}), "Only those for this relief request")],
            "responses": responses(&[(200, list("`records`", "records"))], &[404]) }));
        add(
            "get",
            &format!("{p}/{{id}}"),
            format!("One of the {what}; a held reservation past its expiry reads `expired`"),
            json!({
            "parameters": [id(what.trim_end_matches('s'))], "responses": responses(&[(200, one("The record"))], &[404]) }),
        );
    }
    add(
        "post",
        "/reservations",
        format!(
            "Hold stock at a stockpile for a request until issued, released or expired {manage}"
        ),
        json!({
        "requestBody": json_body(schema_ref::<movement::ReserveInput>(g)),
        "responses": responses(&[(201, one("The reservation, with the lots held"))], &[404, 409, 413, 422]) }),
    );
    add(
        "post",
        "/reservations/{id}/release",
        format!("Release a held reservation {manage}"),
        json!({
        "parameters": [id("reservation")], "requestBody": none.clone(),
        "responses": responses(&[(200, one("The reservation, released"))], &[404, 409]) }),
    );
    add("get", "/fleet", "The vehicles available now (or `at`) with a valid green-channel pass (应急通行证); a carrier sees its own".into(), json!({
        "parameters": [query("at", json!({"type": "string", "format": "date-time"}), "When (default now)")],
        "responses": responses(&[(200, answer("`at` and `vehicles` (plate, carrier, capacity, home base, `stockpile_id` stationed at, pass)", object_with(&["at", "vehicles"])))], &[]) }));
    add(
        "get",
        "/fleet/passes",
        "Green-channel passes (admins and regulators all; a carrier its own vehicles')".into(),
        json!({
        "responses": responses(&[(200, list("`passes`", "passes"))], &[]) }),
    );
    add(
        "post",
        "/fleet/passes",
        format!("Register a green-channel pass for a registered vehicle {manage}"),
        json!({
        "description": "An optional `stockpile_id` stations the vehicle at a stockpile of the caller's region: plans load it there. 422 names the field: `vehicle_id` or `stockpile_id` unknown, `stockpile_id` of another region, `valid_to` not after `valid_from`.",
        "requestBody": json_body(schema_ref::<fleet::PassInput>(g)),
        "responses": responses(&[(201, one("The pass"))], &[409, 422]) }),
    );
    add(
        "post",
        "/fleet/passes/{id}/revoke",
        format!("Revoke a pass {manage}"),
        json!({
        "parameters": [id("pass")], "requestBody": none,
        "responses": responses(&[(200, one("The pass, revoked"))], &[404, 409]) }),
    );
    add("get", "/requests", "Relief requests the caller may read (admins and regulators all; others their party's), most urgent first".into(), json!({
        "parameters": [query("status", json!({"type": "string", "enum": ["submitted", "triaged", "allocated", "in_transit", "delivered", "rejected", "cancelled"]}), "Only this status")],
        "responses": responses(&[(200, list("`requests`", "requests"))], &[]) }));
    add(
        "post",
        "/requests",
        "Submit a relief request from a demand point (any caller; audited)".into(),
        json!({
        "requestBody": json_body(schema_ref::<requests::RequestInput>(g)),
        "responses": responses(&[(201, one("The request, `submitted`"))], &[422]) }),
    );
    add(
        "get",
        "/requests/{id}",
        "One relief request with its history".into(),
        json!({
        "parameters": [id("request")], "responses": responses(&[(200, one("The request"))], &[404]) }),
    );
    add(
        "post",
        "/requests/{id}/triage",
        format!("Triage: confirm or change the priority, `submitted → triaged` {manage}"),
        json!({
        "parameters": [id("request")], "requestBody": json_body(schema_ref::<requests::TriageInput>(g)),
        "responses": responses(&[(200, one("The request, triaged"))], &[404, 409, 422]) }),
    );
    add("post", "/requests/{id}/transition", "Move a request along `triaged → allocated → in_transit → delivered`, or to `rejected` / `cancelled` (admins and regulators; the submitter may cancel while submitted or triaged); a move the workflow forbids is a 409".into(), json!({
        "parameters": [id("request")], "requestBody": json_body(schema_ref::<requests::TransitionInput>(g)),
        "responses": responses(&[(200, one("The request"))], &[404, 409, 422]) }));
}
