//! Demands and supply: post, edit, close, read and list (rules in [`super`]).
//!
//! A post is stored as its [`DemandPost`] or [`SupplyPost`] fields plus `status` (`open`,
//! `closed`), `posted_by` and a short `history` of changes (the last [`MAX_HISTORY`]); the
//! owning party is the record's `owner_party`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use wuliu_match::talent::{Demand, DemandPost, Supply, SupplyPost};
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository};

use super::{reads_region, Side};
use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::gov::{
    checked, column_eq, commit_audited, fetch, insert_op, list_capped, now_text, parse, step_error,
    update_op, view,
};

/// The most posts a listing answers, and the most open posts matching and statistics weigh.
pub const MAX_POSTS: usize = wuliu_match::talent::input::MAX_CANDIDATES;

/// The most open posts one party may have on one side in a region (so that one party cannot
/// crowd the others out of the [`MAX_POSTS`] that matching weighs). Checked before the insert:
/// requests racing at the limit may pass it by their number.
pub const MAX_OPEN_PER_PARTY: usize = 100;

/// The most history entries a post keeps.
pub const MAX_HISTORY: usize = 50;

/// The fields the platform sets, never the body.
const META: [&str; 3] = ["status", "posted_by", "history"];

/// One change of a post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// `posted`, `edited`, `closed`.
    pub action: String,
    /// When.
    pub at: String,
    /// Who (`user:…`).
    pub by: String,
    /// Why, if given.
    pub note: Option<String>,
}

/// What closing a post sends.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    /// The version the caller read.
    pub version: i64,
    /// Why (at most 500 characters).
    #[serde(default)]
    pub note: Option<String>,
}

/// Every problem of a post as posted on `side`.
fn validate(side: Side, body: &Value) -> Result<Value, AppError> {
    let mut v = Violations::default();
    let post = match side {
        Side::Demand => {
            let p: DemandPost = parse("talent.demand", body.clone())?;
            p.validate_into(&mut v);
            serde_json::to_value(p)
        }
        Side::Supply => {
            let p: SupplyPost = parse("talent.supply", body.clone())?;
            p.validate_into(&mut v);
            serde_json::to_value(p)
        }
    };
    checked(v)?;
    Ok(post.expect("a post serialises"))
}

/// `body` as an object, or a 400.
fn object(body: Value) -> Result<Map<String, Value>, AppError> {
    match body {
        Value::Object(m) => Ok(m),
        _ => Err(AppError::bad("talent.body", "body", "body: a JSON object")),
    }
}

/// Takes `key` out of `m` as text (a 400 when it is there but not text).
fn take_text(m: &mut Map<String, Value>, key: &str) -> Result<Option<String>, AppError> {
    match m.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(AppError::bad("talent.body", key, format!("{key}: text"))),
    }
}

/// The party a new post is owned by: the caller's own for the posting role, the named party
/// (which must exist in `region` with the side's role) for an admin; refused otherwise.
async fn owner(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    on_behalf_of: Option<String>,
) -> Result<(String, String), AppError> {
    match (caller.role, on_behalf_of) {
        (Role::Admin, Some(party)) => {
            let rec = repo.get(Kind::Party, &party).await?;
            let ok = rec.as_ref().is_some_and(|r| {
                r.body["roles"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == side.party_role()))
            });
            match rec {
                Some(r) if ok => Ok((party, r.region)),
                _ => Err(AppError::invalid(
                    "unknown",
                    "on_behalf_of",
                    format!(
                        "on_behalf_of: no party '{party}' with the {} role",
                        side.party_role()
                    ),
                )),
            }
        }
        (Role::Admin, None) => Err(AppError::invalid(
            "required",
            "on_behalf_of",
            "on_behalf_of: an admin posts on behalf of a party; name it",
        )),
        (role, None) if role == side.role() => match &caller.party_id {
            Some(p) => Ok((p.clone(), caller.region.clone())),
            None => Err(AppError::forbidden("party", "the account acts for no party")),
        },
        (role, Some(_)) if role == side.role() => Err(AppError::forbidden(
            "on_behalf_of",
            "on_behalf_of: only admins post on behalf of another party; your posts are your party's",
        )),
        (role, _) => Err(AppError::Forbidden {
            field: None,
            message: format!(
                "a {} may not post {} ({} accounts and admins may)",
                role.name(),
                side.what(),
                side.party_role()
            ),
        }),
    }
}

/// Stored body: the post's fields with the platform's.
fn stored(post: Value, status: &str, posted_by: &str, history: Vec<Change>) -> Value {
    let mut m = match post {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    m.insert("status".into(), json!(status));
    m.insert("posted_by".into(), json!(posted_by));
    m.insert("history".into(), json!(history));
    Value::Object(m)
}

fn change(caller: &Caller, action: &str, note: Option<String>) -> Change {
    Change {
        action: action.into(),
        at: now_text(),
        by: caller.actor.clone(),
        note,
    }
}

/// Posts a demand or supply (see the table in [`super`]); it starts `open`. Audited.
pub async fn create(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    body: Value,
) -> Result<Value, AppError> {
    let mut m = object(body)?;
    let on_behalf_of = take_text(&mut m, "on_behalf_of")?;
    let post = validate(side, &Value::Object(m))?;
    let (party, region) = owner(repo, caller, side, on_behalf_of).await?;
    let open = vec![column_eq("status", "open")];
    let kind = side.kind();
    let (mine, _) = list_capped(
        repo,
        kind,
        Some(&region),
        Some(&party),
        open,
        MAX_OPEN_PER_PARTY,
    )
    .await?;
    if mine.len() >= MAX_OPEN_PER_PARTY {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!(
                "party '{party}' has {MAX_OPEN_PER_PARTY} open {} posts, the most allowed; close some first",
                side.what()
            ),
        });
    }
    let body = stored(
        post,
        "open",
        &caller.actor,
        vec![change(caller, "posted", None)],
    );
    let op = insert_op(side.kind(), &region, None, Some(party), body);
    let action = format!("{}.post", side.action());
    let rec = commit_audited(repo, caller, &action, vec![(op, None)])
        .await
        .map_err(step_error)?;
    Ok(view(&rec[0]))
}

/// Whether `caller` may read post `rec` of `side` (see the table in [`super`]).
pub fn can_read(caller: &Caller, side: Side, rec: &Record) -> bool {
    if caller.sees_all() {
        return true;
    }
    if rec.region != caller.region {
        return false;
    }
    let own = caller.party_id.is_some() && rec.owner_party == caller.party_id;
    let other_side = caller.role == side.other().role() && rec.status.as_deref() == Some("open");
    own || other_side || caller.role == Role::Official
}

/// Whether `caller` may edit or close `rec`: its owning party, or an admin.
fn can_change(caller: &Caller, rec: &Record) -> bool {
    caller.role == Role::Admin || (caller.party_id.is_some() && rec.owner_party == caller.party_id)
}

/// Post `id` of `side` if `caller` may read it (a 404 otherwise, existence not revealed).
pub async fn readable(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    id: &str,
) -> Result<Record, AppError> {
    let rec = fetch(repo, side.kind(), id, side.what()).await?;
    if !can_read(caller, side, &rec) {
        return Err(AppError::NotFound(format!(
            "no {} with id '{id}'",
            side.what()
        )));
    }
    Ok(rec)
}

/// Post `id` of `side` as answered.
pub async fn get(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    id: &str,
) -> Result<Value, AppError> {
    Ok(view(&readable(repo, caller, side, id).await?))
}

/// The record to change, checked: readable, the caller's to change, at `version`, still open.
async fn changeable(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    id: &str,
    version: i64,
) -> Result<Record, AppError> {
    let rec = readable(repo, caller, side, id).await?;
    if !can_change(caller, &rec) {
        return Err(AppError::forbidden(
            "id",
            format!(
                "only the posting party or an admin may change {} '{id}'",
                side.what()
            ),
        ));
    }
    if rec.version != version {
        return Err(AppError::Conflict {
            field: "version".into(),
            message: format!(
                "{} '{id}' is at version {}, not {version}: someone changed it since you read it",
                side.what(),
                rec.version
            ),
        });
    }
    if rec.status.as_deref() != Some("open") {
        return Err(AppError::Conflict {
            field: "status".into(),
            message: format!("{} '{id}' is closed", side.what()),
        });
    }
    Ok(rec)
}

fn history_of(rec: &Record, add: Change) -> Vec<Change> {
    let mut h: Vec<Change> =
        serde_json::from_value(rec.body["history"].clone()).unwrap_or_default();
    h.push(add);
    let drop = h.len().saturating_sub(MAX_HISTORY);
    h.drain(..drop);
    h
}

/// The version in an edit's body, taken out of it (a 400 when missing or not a number).
fn take_version(m: &mut Map<String, Value>) -> Result<i64, AppError> {
    m.remove("version").and_then(|v| v.as_i64()).ok_or_else(|| {
        AppError::bad(
            "talent.version",
            "version",
            "version: the version you read (a number) is required to edit",
        )
    })
}

/// Replaces post `id`'s content with the body (the whole post, plus the `version` read): only
/// while open, by its party or an admin; a stale version is a 409. Audited.
pub async fn update(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    let mut m = object(body)?;
    let version = take_version(&mut m)?;
    let post = validate(side, &Value::Object(m))?;
    let rec = changeable(repo, caller, side, id, version).await?;
    let posted_by = rec.body["posted_by"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let history = history_of(&rec, change(caller, "edited", None));
    let body = stored(post, "open", &posted_by, history);
    let op = update_op(side.kind(), &rec, body);
    let action = format!("{}.edit", side.action());
    let out = commit_audited(repo, caller, &action, vec![(op, Some(rec))])
        .await
        .map_err(step_error)?;
    Ok(view(&out[0]))
}

/// Closes post `id` (its party or an admin, at the `version` read). Audited.
pub async fn close(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    let c: CloseInput = parse("talent.close", body)?;
    if c.note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        return Err(AppError::invalid(
            "too_long",
            "note",
            "note: at most 500 characters",
        ));
    }
    let rec = changeable(repo, caller, side, id, c.version).await?;
    let mut body = rec.body.clone();
    body["status"] = json!("closed");
    body["history"] = json!(history_of(&rec, change(caller, "closed", c.note)));
    let op = update_op(side.kind(), &rec, body);
    let action = format!("{}.close", side.action());
    let out = commit_audited(repo, caller, &action, vec![(op, Some(rec))])
        .await
        .map_err(step_error)?;
    Ok(view(&out[0]))
}

/// The posts of `side` `caller` may read (optionally only `status`), newest first: everything
/// for admins and regulators, the region for officials, the party's own for the posting role,
/// the open ones of the region for the other side.
pub async fn list(
    repo: &dyn Repository,
    caller: &Caller,
    side: Side,
    status: Option<&str>,
) -> Result<Value, AppError> {
    let mut filters = Vec::new();
    if let Some(s) = status {
        if !matches!(s, "open" | "closed") {
            return Err(AppError::bad(
                "param.invalid",
                "status",
                "status: open or closed",
            ));
        }
        filters.push(column_eq("status", s));
    }
    let region = (!caller.sees_all()).then_some(caller.region.as_str());
    let party = if reads_region(caller) {
        None
    } else if caller.role == side.role() {
        Some(caller.party_id.as_deref().unwrap_or("-"))
    } else if caller.role == side.other().role() {
        if status == Some("closed") {
            return Ok(json!({"posts": [], "truncated": false}));
        }
        filters.push(column_eq("status", "open"));
        None
    } else {
        return Ok(json!({"posts": [], "truncated": false}));
    };
    let (records, truncated) =
        list_capped(repo, side.kind(), region, party, filters, MAX_POSTS).await?;
    let mut rows: Vec<&Record> = records
        .iter()
        .filter(|r| can_read(caller, side, r))
        .collect();
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    let posts: Vec<Value> = rows.into_iter().map(view).collect();
    Ok(json!({"posts": posts, "truncated": truncated}))
}

/// The open posts of `side` in `region`, oldest first, at most [`MAX_POSTS`]; the flag says
/// whether there were more.
pub async fn open_posts(
    repo: &dyn Repository,
    side: Side,
    region: &str,
) -> Result<(Vec<Record>, bool), AppError> {
    let filters = vec![column_eq("status", "open")];
    list_capped(repo, side.kind(), Some(region), None, filters, MAX_POSTS).await
}

/// The post's fields of a stored body (without the platform's).
fn post_of<P: DeserializeOwned>(rec: &Record) -> Result<P, AppError> {
    let mut body = rec.body.clone();
    if let Value::Object(m) = &mut body {
        for k in META {
            m.remove(k);
        }
    }
    serde_json::from_value(body)
        .map_err(|e| AppError::Internal(format!("stored {} is not readable: {e}", rec.id)))
}

/// A stored demand as the engine reads it.
pub fn demand_of(rec: &Record) -> Result<Demand, AppError> {
    Ok(Demand {
        id: rec.id.clone(),
        party: rec.owner_party.clone().unwrap_or_default(),
        post: post_of(rec)?,
    })
}

/// A stored supply as the engine reads it.
pub fn supply_of(rec: &Record) -> Result<Supply, AppError> {
    Ok(Supply {
        id: rec.id.clone(),
        party: rec.owner_party.clone().unwrap_or_default(),
        post: post_of(rec)?,
    })
}
