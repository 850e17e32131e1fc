//! OpenAPI paths of the government desks: talent (issue 29), tag `gov`: the industry–education
//! matching platform (产教对接, 69号).

use schemars::SchemaGenerator;
use serde_json::{json, Value};
use wuliu_app::gov::talent::posts::CloseInput;
use wuliu_match::talent::{DemandPost, SupplyPost};

use super::{answer, json_body, object_with, path, query, responses, schema_ref, Paths};

const T: &str = "/api/v1/gov/talent";

/// The body of a post or an edit: the post's schema, plus `on_behalf_of` (admins, posting) or
/// `version` (editing).
fn post_body(post: Value, extra: &str, extra_doc: &str, required: bool) -> Value {
    let mut props = serde_json::Map::new();
    props.insert(
        extra.into(),
        json!({"type": if extra == "version" {"integer"} else {"string"}, "description": extra_doc}),
    );
    let mut with = json!({"type": "object", "properties": props});
    if required {
        with["required"] = json!([extra]);
    }
    json_body(json!({"allOf": [post, with]}))
}

fn add(paths: &mut Paths, m: &str, p: &str, op: Value) {
    let mut op = op;
    op["tags"] = json!(["gov"]);
    paths.add(m, &format!("{T}{p}"), op, false);
}

fn side_paths(paths: &mut Paths, g: &mut SchemaGenerator, side: &str, post: Value) {
    let (who, other) = match side {
        "demands" => ("enterprise", "supplies"),
        _ => ("college", "demands"),
    };
    let id = || path("id", "The post's ID");
    let one = || {
        answer("The post: its fields, `status` (`open`, `closed`), `posted_by`, `history`, `id`, `version`", object_with(&["id", "version", "status"]))
    };
    add(
        paths,
        "get",
        &format!("/{side}"),
        json!({
        "summary": format!("The {side} the caller may read, newest first: admins and regulators all, officials their region, a{} {who} its own, the other side the open ones of its region", if who == "enterprise" {"n"} else {""}),
        "parameters": [query("status", json!({"type": "string", "enum": ["open", "closed"]}), "Only posts in this status")],
        "responses": responses(&[(200, answer("`posts` and `truncated`", object_with(&["posts", "truncated"])))], &[400]) }),
    );
    add(
        paths,
        "post",
        &format!("/{side}"),
        json!({
        "summary": format!("Post to {side} ({who} accounts for their own party; admins on behalf of a party with the {who} role; audited)"),
        "description": "The owner is the caller's party; a body naming another way (`owner_party`, …) is a 400, `on_behalf_of` from anyone but an admin a 403. Tags must be codes of `GET …/talent/tags` (422 naming `skill_tags[2]`); at most 12 per list, titles 120 and descriptions 2000 characters.",
        "requestBody": post_body(post.clone(), "on_behalf_of", "Admins only: the party to post for", false),
        "responses": responses(&[(201, one())], &[400, 403, 422]) }),
    );
    add(
        paths,
        "get",
        &format!("/{side}/{{id}}"),
        json!({
        "summary": "One post, if the caller may read it (else 404)",
        "parameters": [id()], "responses": responses(&[(200, one())], &[404]) }),
    );
    add(
        paths,
        "put",
        &format!("/{side}/{{id}}"),
        json!({
        "summary": "Replace an open post's content (its party or an admin; audited)",
        "description": "Send the whole post and the `version` you read: a stale version is a 409 naming `version` and nothing is written; a closed post is a 409 naming `status`.",
        "parameters": [id()],
        "requestBody": post_body(post, "version", "The version read", true),
        "responses": responses(&[(200, one())], &[400, 403, 404, 409, 422]) }),
    );
    add(
        paths,
        "post",
        &format!("/{side}/{{id}}/close"),
        json!({
        "summary": "Close a post (its party or an admin, at the version read; audited): it leaves matching and the statistics",
        "parameters": [id()], "requestBody": json_body(schema_ref::<CloseInput>(g)),
        "responses": responses(&[(200, one())], &[403, 404, 409]) }),
    );
    add(
        paths,
        "get",
        &format!("/{side}/{{id}}/matches"),
        json!({
        "summary": format!("The best open {other} of the post's region for it, with score, breakdown and explanation; and the near misses with the rules they fail (the post's party, admins, regulators, officials)"),
        "description": "Each entry: `demand`, `supply`, `score` (0–100), `breakdown` (criterion, weight, value, points, detail), `explanation` (`matched_skills`, `missing_skills`, `extra_skills`, `matched_industries`, `why`, `missing`), `excluded_by` (rule, code, message) and `counterpart` (id, title, kind, party, party_name). The same pair has the same score from either side.",
        "parameters": [id(), query("limit", json!({"type": "integer", "minimum": 1, "maximum": 50, "default": 10}), "How many matches and near misses to list")],
        "responses": responses(&[(200, answer("`direction`, `subject`, `considered`, `compatible`, `matches`, `excluded`, `truncated`", object_with(&["matches", "excluded", "considered", "compatible"])))], &[400, 403, 404]) }),
    );
}

/// Adds the talent paths.
pub(super) fn paths(paths: &mut Paths, g: &mut SchemaGenerator) {
    add(
        paths,
        "get",
        "/tags",
        json!({
        "summary": "The digital talent tags (industries and skills, each with its gazette source), the kinds of demand with the supply each can use, the education levels and the score weights",
        "responses": responses(&[(200, answer("`tags`, `kinds`, `education_levels`, `weights`", object_with(&["tags", "kinds", "education_levels"])))], &[]) }),
    );
    add(
        paths,
        "get",
        "/stats",
        json!({
        "summary": "Statistics for the education bureau over the open posts of a region: counts by kind, tag and county, supply against demand per tag with the gap, the match rate, the demands nothing serves with their nearest miss (admins, regulators, officials)",
        "parameters": [query("region", json!({"type": "string"}), "Admins and regulators: the region (default the caller's)")],
        "responses": responses(&[(200, answer("`demands`, `supplies`, `demands_by_kind`, `supplies_by_kind`, `by_county`, `industries`, `skills`, `matched_demands`, `match_rate`, `unmatched`, `region`, `truncated`", object_with(&["skills", "match_rate", "unmatched"])))], &[403]) }),
    );
    let demand = schema_ref::<DemandPost>(g);
    let supply = schema_ref::<SupplyPost>(g);
    side_paths(paths, g, "demands", demand);
    side_paths(paths, g, "supplies", supply);
}
