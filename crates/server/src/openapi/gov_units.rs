//! OpenAPI paths of the government desks' shared parts (issue 29), tag `gov`: the directory of
//! units and attachment downloads.

use schemars::SchemaGenerator;
use serde_json::json;

use super::{answer, json_body, object_with, path, query, responses, schema_ref, Paths};

/// Adds `/api/v1/gov/units`, `/api/v1/gov/attachments/{id}` and `/api/v1/gov/todo`.
pub(super) fn paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    paths.add(
        "get",
        "/api/v1/gov/units",
        json!({ "tags": ["gov"],
            "summary": "The directory of government units (市发展改革委, 市商务局, …) that gazette tasks name and officials act for",
            "responses": responses(&[(200, answer("`units` (each `id`, `name`, `level`) and `truncated`", object_with(&["units", "truncated"])))], &[]) }),
        false,
    );
    paths.add(
        "post",
        "/api/v1/gov/units",
        json!({ "tags": ["gov"],
            "summary": "Add a unit (admins and regulators; audited); a name already in the directory answers the unit there",
            "requestBody": json_body(schema_ref::<wuliu_app::gov::units::Unit>(g)),
            "responses": responses(&[(201, answer("The unit", object_with(&["id", "name", "level"])))], &[422]) }),
        false,
    );
    paths.add(
        "get",
        "/api/v1/gov/attachments/{id}",
        json!({ "tags": ["gov"],
            "summary": "An attachment's content with its media type and file name, to callers who may read the record it is attached to (else 404)",
            "parameters": [path("id", "The attachment's ID")],
            "responses": responses(&[(200, json!({ "description": "The file", "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } }))], &[404]) }),
        false,
    );
    paths.add(
        "get",
        "/api/v1/gov/todo",
        json!({ "tags": ["gov"],
            "summary": "The caller's to-do list (待办): appeals it may act on now (flagged ones first), its unit's tasks not completed with a warning (overdue, stale, due soon; the whole region for admins and regulators), and the appeal desk's dues of the next 7 days for callers with a duty on the desk. Officials, admins and regulators (else 403)",
            "parameters": [query("at", json!({ "type": "string", "format": "date" }), "The day assessed (default today, Liuzhou time)")],
            "responses": responses(&[(200, answer("`at`, `unit`, `counts`, `appeals`, `tasks`, `dues`, `truncated`", object_with(&["counts", "appeals", "tasks", "dues"])))], &[403]) }),
        false,
    );
}
