//! OpenAPI paths of the government desks: the task-division tracker (issue 29), tag `gov`.

use schemars::SchemaGenerator;
use serde_json::{json, Value};
use wuliu_app::gov::tasks::config::TrackerConfig;
use wuliu_app::gov::tasks::{county, deadline, reports};
use wuliu_model::gov_tasks::{CountyTarget, DivisionTask};

use super::{answer, json_body, object_with, path, query, responses, schema_ref, Paths};

fn at() -> Value {
    query(
        "at",
        json!({ "type": "string", "format": "date" }),
        "The day assessed (default today, Liuzhou time); reports and values dated after it are not counted",
    )
}

fn text_query(name: &str, description: &str) -> Value {
    query(name, json!({ "type": "string" }), description)
}

/// Adds the tasks paths.
pub(super) fn paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    const G: &str = "/api/v1/gov";
    let mut add = |m: &str, p: &str, op: Value| {
        let mut op = op;
        op["tags"] = json!(["gov"]);
        paths.add(m, &format!("{G}{p}"), op, false);
    };
    let id = || {
        path(
            "id",
            "The task's record ID, or its parsed ID such as `69-03`",
        )
    };
    add(
        "get",
        "/tasks",
        json!({
        "summary": "The tasks of 61号 and 69号 with their status (`not_started`, `in_progress`, `completed`, `overdue`) and warning (`due_soon`, `overdue`, `stale`) on a day (every caller)",
        "description": "Tasks without a due date (69号's 持续推进, 61号's unstated deadlines) report quarterly: a quarter's report is due 10 days after it ends, and a task whose last due report is missing is `stale`. `tracking` holds the engine's status with its reason; `counts` counts those listed; `config` the tracker's settings.",
        "parameters": [text_query("document", "`61` or `69`"), text_query("unit", "A unit's ID: tasks it leads or cooperates on"),
            text_query("status", "not_started, in_progress, completed or overdue"), text_query("warning", "due_soon, overdue, stale, or any"), at()],
        "responses": responses(&[(200, answer("`at`, `tasks`, `counts`, `truncated`, `config`", object_with(&["at", "tasks", "counts", "truncated"])))], &[]) }),
    );
    add(
        "post",
        "/tasks",
        json!({
        "summary": "Load a task of a division table, as parsed (admins and regulators; audited; idempotent by `external_id`); its units are added to the directory",
        "requestBody": json_body(schema_ref::<DivisionTask>(g)),
        "responses": responses(&[(201, answer("The task", object_with(&["id", "document", "lead_units", "status"])))], &[422]) }),
    );
    add(
        "get",
        "/tasks/summary",
        json!({
        "summary": "Summaries on a day: per unit (tasks led and cooperated on, by status; lead tasks overdue, stale, due soon) or per document",
        "parameters": [query("by", json!({ "type": "string", "enum": ["unit", "document"], "default": "unit" }), "unit or document"), at()],
        "responses": responses(&[(200, answer("`at`, `by`, `rows`, `truncated`", object_with(&["at", "by", "rows"])))], &[]) }),
    );
    add(
        "get",
        "/tasks/config",
        json!({
        "summary": "The tracker's settings in force for the caller's region: `due_soon_days`, `cadence` and `grace_days` of periodic reports, `undated_periodic`, and `tracking_from` (reports are owed from the later of a document's issue date and that day); the defaults until one is stored (every caller)",
        "responses": responses(&[(200, answer("`config`, `stored`, `version`", object_with(&["config", "stored"])))], &[]) }),
    );
    add(
        "put",
        "/tasks/config",
        json!({
        "summary": "Replace the tracker's settings (admins and regulators; audited); absent fields take their defaults, an unknown field is a 400 and an out-of-range value a 422, each naming the field",
        "requestBody": json_body(schema_ref::<TrackerConfig>(g)),
        "responses": responses(&[(200, answer("`config`, `version`", object_with(&["config", "version"])))], &[403, 422]) }),
    );
    add(
        "put",
        "/tasks/{id}/deadline",
        json!({
        "summary": "Set or move a task's deadline (督办时限; admins and regulators; audited): `deadline_text` a day, month or year (`2027年6月30日`, `2027-06-30`, `2027年6月`, `2027年底`) or `持续推进`, a `reason`, and the `version` read (409 when the task changed meanwhile or is completed); the task keeps each change in `deadline_changes`",
        "parameters": [id()],
        "requestBody": json_body(schema_ref::<deadline::DeadlineInput>(g)),
        "responses": responses(&[(200, answer("The task as stored", object_with(&["id", "deadline", "deadline_text", "deadline_changes", "version"])))], &[403, 404, 409, 422]) }),
    );
    add(
        "get",
        "/tasks/{id}",
        json!({
        "summary": "One task with its status on a day; to admins, regulators and the officials of its units also its reports (with attachments' metadata) and its timeline",
        "parameters": [id(), at()],
        "responses": responses(&[(200, answer("The task, `tracking`, `reports_readable`, and `reports`, `timeline` when readable", object_with(&["id", "tracking", "reports_readable"])))], &[404]) }),
    );
    add(
        "get",
        "/tasks/{id}/reports",
        json!({
        "summary": "A task's progress reports, oldest first, with their attachments' metadata (admins, regulators, the officials of its units)",
        "parameters": [id()],
        "responses": responses(&[(200, answer("`reports`, `truncated`", object_with(&["reports", "truncated"])))], &[404]) }),
    );
    add(
        "post",
        "/tasks/{id}/reports",
        json!({
        "summary": "Report progress on a task, with attachments: an official of a lead or cooperating unit for its own unit; admins and regulators on behalf of a unit they name (audited)",
        "description": "Only a lead unit may report `completed` (a cooperating unit's is a 403 naming `status`); a completed task takes no more reports (409), and of two completions racing one wins. An official naming another unit in `unit_id` is a 403; a unit not on the task is a 403. `as_of` may not be in the future, before the document's issue date, or before the task's latest report (422 naming `as_of`). `text` at most 4000 characters, at most 5 attachments of at most 5 MiB each (422 naming `attachments[k].content_base64`); nothing is written when any part is refused.",
        "parameters": [id()],
        "requestBody": json_body(schema_ref::<reports::ReportInput>(g)),
        "responses": responses(&[(201, answer("`report` (with `attachments`) and `task_status`", object_with(&["report", "task_status"])))], &[404, 409, 413, 422]) }),
    );
    add(
        "post",
        "/tasks/{id}/reports/{report}/attachments",
        json!({
        "summary": "Add a file to a filed report (a signed scan that came later): the reporting unit's officials, admins and regulators (audited)",
        "description": "Another unit's official is a 403; a report that is not the task's is a 404. At most 20 files per report (409, racing adds included), 5 MiB each, media types as for reports (422 naming `attachment.<field>`).",
        "parameters": [id(), path("report", "The report's record ID")],
        "requestBody": json_body(json!({"type": "object", "required": ["file_name", "media_type", "content_base64"],
            "properties": {"file_name": {"type": "string"}, "media_type": {"type": "string"}, "content_base64": {"type": "string"}}})),
        "responses": responses(&[(201, answer("The attachment's metadata", object_with(&["id", "file_name", "size", "sha256"])))], &[403, 404, 409, 422]) }),
    );
    let target = || path("id", "The target's record ID, or its row ID such as `C03`");
    add(
        "get",
        "/county-targets",
        json!({
        "summary": "The county-economy targets of 63号 表2 with their goal, values and assessment on a day (every caller)",
        "description": "A 2025 level is assessed like the logistics plan's targets (trajectory and projection: `on_track`, `at_risk`, `off_track`, `no_data`); a yearly rate against each year's value; rows assigned by the region (按自治区下达指标) or without a figure are `no_target`.",
        "parameters": [at()],
        "responses": responses(&[(200, answer("`at`, `targets`, `truncated`", object_with(&["at", "targets", "truncated"])))], &[]) }),
    );
    add(
        "post",
        "/county-targets",
        json!({
        "summary": "Load a 63号 row, as parsed (admins and regulators; audited; idempotent by `external_id`)",
        "requestBody": json_body(schema_ref::<CountyTarget>(g)),
        "responses": responses(&[(201, answer("The target", object_with(&["id", "indicator", "goal"])))], &[422]) }),
    );
    add(
        "get",
        "/county-targets/{id}",
        json!({
        "summary": "One county target with its values and assessment on a day",
        "parameters": [target(), at()],
        "responses": responses(&[(200, answer("The target with `goal`, `values`, `assessment`", object_with(&["id", "goal", "values", "assessment"])))], &[404]) }),
    );
    add(
        "post",
        "/county-targets/{id}/values",
        json!({
        "summary": "Enter a value against a county target, with its source (admins and regulators; audited)",
        "parameters": [target()],
        "requestBody": json_body(schema_ref::<county::ValueInput>(g)),
        "responses": responses(&[(201, answer("The value", object_with(&["id", "value", "as_of", "source"])))], &[404, 409, 422]) }),
    );
}
