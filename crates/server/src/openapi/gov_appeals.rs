//! OpenAPI paths of the government desks: appeals (issue 29), tag `gov`.

use schemars::SchemaGenerator;
use serde_json::{json, Value};
use wuliu_app::gov::appeals::{ActInput, ApproveInput, DeskConfig, SubmitInput, ACTIONS};

use super::{answer, json_body, object_with, path, query, responses, schema_ref, Paths};

const A: &str = "/api/v1/gov/appeals";

fn date_param() -> Value {
    query(
        "date",
        json!({"type": "string", "format": "date"}),
        "The report's date, YYYY-MM-DD (default today in Liuzhou); a bad one is a 400 naming `date`",
    )
}

fn one() -> Value {
    answer(
        "The appeal: Form 1 (`form`), `source`, `status`, `classification`, `assigned_unit`, `outcome`, `feedback`, `history`, and for the caller `allowed` (actions it may take now), `flags` (overdue) and `window` (its weekly collection window)",
        object_with(&["id", "version", "form", "status", "history"]),
    )
}

fn action_summary(action: &str) -> &'static str {
    match action {
        "collect" => "Enter the appeal in the database: received → collected (信息采集组)",
        "reject" => "Refuse it with the reason in `note`: received | collected → rejected (信息采集组, 综合组)",
        "classify" => "Set `level` (city, regional, national), `category` and `industry`: collected | classified → classified (信息采集组, 综合组)",
        "assign" => "Assign a city-level appeal to its competent unit `unit_id`: → assigned (协调促进组)",
        "escalate" => "Report it to 广西服务外资企业工作专班 (a city level becomes regional): → escalated (综合组, 协调促进组)",
        "forward" => "Forward a major national issue to 中国贸促会 (the level becomes national): escalated → forwarded (综合组, 协调促进组)",
        "outcome" => "Record the outcome `resolution` (resolved, partly_resolved, unresolved) and `summary`: → answered (协调促进组, 综合组; the competent unit of an assigned appeal)",
        "feedback" => "Record what the enterprise was told: `kind` progress (from collected) or result (once answered), `text`, `via` (信息采集组)",
        _ => "Close the appeal once the result was fed back after the outcome: answered → closed (信息采集组, 综合组)",
    }
}

/// Adds the appeals paths.
pub(super) fn paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    let mut add = |m: &str, p: &str, summary: &str, extra: Value| {
        let mut op = json!({ "tags": ["gov"], "summary": summary });
        for (k, v) in extra.as_object().expect("an object") {
            op[k] = v.clone();
        }
        paths.add(m, &format!("{A}{p}"), op, false);
    };
    let id = || path("id", "The appeal's ID");
    add("get", "", "The appeals the caller may read, newest first: 专班领导, 综合组 and 信息采集组 all of the region; 协调促进组 those classified or further on; a member unit its own; a competent unit those assigned to it", json!({
        "parameters": [query("status", json!({"type": "string", "enum": ["received", "collected", "classified", "assigned", "escalated", "forwarded", "answered", "closed", "rejected"]}), "Only this status"),
            query("overdue", json!({"type": "string", "enum": ["true", "false"]}), "Only those flagged overdue")],
        "responses": responses(&[(200, answer("`appeals` and `truncated`", object_with(&["appeals", "truncated"])))], &[]) }));
    add("post", "", "Submit Form 1 (外资企业问题诉求收集表) with its `source` channel (member units and the desk's groups; leadership may date a paper appeal with `received_at`; audited)", json!({
        "description": "Required: H1–H4 and F1, F2, F7, F9 (422 naming `form.<field>`). An official's `form.reporting_unit` is its own unit (blank: filled in; another: 403). A field the form does not have (`status`, `assigned_unit`, …) is a 400 naming it. `attachments` (at most 5, else 413) are written with the appeal or not at all.",
        "requestBody": json_body(schema_ref::<SubmitInput>(g)),
        "responses": responses(&[(201, one())], &[413, 422]) }));
    add("get", "/{id}", "One appeal with its history, attachments (metadata), the actions the caller may take now and its overdue flags (404 when the caller may not read it)", json!({
        "parameters": [id()], "responses": responses(&[(200, one())], &[404]) }));
    for action in ACTIONS {
        add(
            "post",
            &format!("/{{id}}/{action}"),
            action_summary(action),
            json!({
            "description": "Leadership (admins, regulators) may take every action. A versioned write: of two callers moving the same appeal one wins; the other gets the workflow's answer (409 when the move is no longer possible) or a 409 naming `version` when it sent the version it read. Audited; a step in the appeal's `history`.",
            "parameters": [id()],
            "requestBody": json_body(schema_ref::<ActInput>(g)),
            "responses": responses(&[(200, one())], &[404, 409, 422]) }),
        );
    }
    add("post", "/{id}/attachments", "Attach a page to the appeal (备注1 内容较多可另附页): the submitting unit, 信息采集组, 综合组, leadership; at most 20 per appeal, 5 MiB each", json!({
        "parameters": [id()],
        "requestBody": json_body(json!({"type": "object", "required": ["file_name", "media_type", "content_base64"],
            "properties": {"file_name": {"type": "string"}, "media_type": {"type": "string"}, "content_base64": {"type": "string"}}})),
        "responses": responses(&[(201, answer("The attachment's metadata", object_with(&["id", "file_name", "size", "sha256"])))], &[404, 409, 422]) }));
    report_paths(&mut add, g);
    add("get", "/config", "The desk's configuration in force (groups by unit, cadence, limits), the caller's standing (`me`: groups, unit) and the region's units", json!({
        "responses": responses(&[(200, answer("`config`, `stored`, `version`, `me`, `units`", object_with(&["config", "me", "units"])))], &[]) }));
    add("put", "/config", "Replace the desk's configuration (admins and regulators; audited); a bad value is a 422 naming it", json!({
        "requestBody": json_body(schema_ref::<DeskConfig>(g)),
        "responses": responses(&[(200, answer("`config` and `version`", object_with(&["config", "version"])))], &[422]) }));
}

fn report_paths(add: &mut impl FnMut(&str, &str, &str, Value), g: &mut SchemaGenerator) {
    add("get", "/reports/weekly", "The weekly Form 2 (外资企业问题诉求汇总表) of the collection window closed by the end of `date`, generated from the appeals (or as frozen when approved), with the escalations and every appeal flagged overdue (综合组, 信息采集组, leadership)", json!({
        "parameters": [date_param()],
        "responses": responses(&[(200, answer("`date`, `window` (opens, closes = W1, summary_due = W4), `header`, `rows` (13 columns each), `escalations`, `overdue`, `approved`", object_with(&["window", "header", "rows", "overdue"])))], &[]) }));
    add("get", "/reports/weekly/form2.csv", "That Form 2 as CSV (UTF-8 with BOM): a header of exactly the 13 printed columns, one line per row", json!({
        "parameters": [date_param()],
        "responses": responses(&[(200, json!({"description": "The CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}))], &[]) }));
    add("get", "/reports/monthly", "The monthly report (M1–M4) of the month of `date`: the period's appeals with their resolution status, counts by level, status, industry, channel and resolution, and what is overdue", json!({
        "parameters": [date_param()],
        "responses": responses(&[(200, answer("`month` (m1, m4, period), `rows`, `counts`, `carried_over_open`, `overdue`, `approved`", object_with(&["month", "rows", "counts", "overdue"])))], &[]) }));
    for kind in ["weekly", "monthly"] {
        add("post", &format!("/reports/{kind}/approve"), "专班领导 approves the report of `date`: stored as an appeal_reports record and frozen, once per window or month (409 after); a weekly approval marks its appeals summarised (audited)", json!({
            "requestBody": json_body(schema_ref::<ApproveInput>(g)),
            "responses": responses(&[(201, answer("The stored report", object_with(&["id", "report"])))], &[409, 422]) }));
    }
    add("get", "/dues", "The reporting cadence around `date` (any desk caller): the collection window open now, every due W1 (Mon/Thu), W4 (Tue/Fri), M1 (21st), M4 (24th) on the 14 days from `date` after holiday moves, and the month's dues and report period", json!({
        "parameters": [date_param()],
        "responses": responses(&[(200, answer("`date`, `window_now`, `days` (each `date`, `working_day`, `dues`), `month`, `cutoff`", object_with(&["window_now", "days", "month"])))], &[]) }));
    add(
        "get",
        "/reports",
        "The approved reports of the region, newest first",
        json!({
        "responses": responses(&[(200, answer("`reports` and `truncated`", object_with(&["reports", "truncated"])))], &[]) }),
    );
    add(
        "get",
        "/reports/{id}",
        "An approved report as frozen",
        json!({
        "parameters": [path("id", "The report's ID")],
        "responses": responses(&[(200, answer("The stored report", object_with(&["id", "report"])))], &[404]) }),
    );
}
