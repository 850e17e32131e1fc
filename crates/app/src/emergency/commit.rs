//! Approving a plan (issue 28): the office commits the flows of a `POST /emergency/plan` answer,
//! and the stock is held for the requests they serve.
//!
//! The body is `{"flows": [{"stockpile", "request", "item", "quantity"}, …]}`, the plan answer's
//! `allocation.flows`. The whole plan answer may be posted as it is: when the body has no
//! `flows` but has `allocation`, `allocation.flows` is taken (and named `flows[k]` in errors).
//!
//! Every flow is checked before anything is written: at most [`MAX_FLOWS`] (else 413 naming
//! `flows`); a quantity ≤ 0, an unknown stockpile, request or item, or the same (stockpile,
//! request, item) twice is a 400 naming `flows[k].quantity`, `flows[k].stockpile`, … Then, per
//! request named (in ID order):
//!
//! 1. the request is claimed: `triaged → allocated` through [`requests::transition`], a write
//!    made with the version read. Of two commits of the same plan, only one claims each request;
//!    the other finds it `allocated` and reports it `already_allocated`, reserving nothing for it.
//!    A request neither triaged nor allocated is reported `not_triaged` and left as it is.
//! 2. one reservation per (stockpile, request) with the request's lines from that stockpile
//!    (split in parts of [`MAX_LINES`] lines when there are more), through [`movement::reserve`],
//!    tied to the request, with its default expiry (24 hours).
//! 3. when stock was taken meanwhile, the reserve answers 409 naming the line: that line is left
//!    out with the reason and the rest of the reservation is made without it. The workflow does
//!    not allow `allocated → triaged` ([`requests::Status::may_become`]), so the request stays
//!    `allocated` and is reported `partly_reserved` (or `not_reserved` when no line was held).
//!    The engine plans only triaged requests, so the office holds the rest by hand (`POST
//!    /emergency/reservations` with the `request_id`, allowed while it is allocated) or cancels
//!    the request.
//!
//! A claim that fails for another reason (other writers kept changing the request) is reported
//! `failed` with the reason, and nothing is reserved for that request.
//!
//! Admins and regulators only; every write is audited by the transition and the reserve.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_store::{Kind, Repository};

use super::movement::{self, Line};
use super::requests;
use super::{authorise_manage, parse, MAX_LINES};
use crate::caller::Caller;
use crate::error::AppError;

/// The most flows a commit may name.
pub const MAX_FLOWS: usize = 20_000;

/// One flow of a plan: units of an item from a stockpile to a request.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
pub struct Flow {
    /// The stockpile's ID.
    pub stockpile: String,
    /// The relief request's ID.
    pub request: String,
    /// The catalogue item's ID.
    pub item: String,
    /// Units (> 0).
    pub quantity: i64,
}

/// A commit as asked for: the plan answer's `allocation.flows`.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitInput {
    /// The flows to hold stock for.
    pub flows: Vec<Flow>,
}

/// A flow line that could not be reserved, and why.
#[derive(Debug, Clone)]
struct Missed {
    stockpile: String,
    line: Line,
    reason: String,
}

/// Commits the flows of a plan (admins and regulators): claims each request named and holds its
/// stock. Answers per request its outcome, reservation IDs and the lines not reserved.
pub async fn commit(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "commit emergency plans")?;
    let input = read_input(body)?;
    check_flows(repo, &input.flows).await?;
    let mut by_request: BTreeMap<&str, BTreeMap<&str, Vec<Line>>> = BTreeMap::new();
    for f in &input.flows {
        by_request
            .entry(&f.request)
            .or_default()
            .entry(&f.stockpile)
            .or_default()
            .push(Line {
                item_id: f.item.clone(),
                quantity: f.quantity,
                lot_id: None,
            });
    }
    let mut out = Vec::new();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (request, piles) in by_request {
        let answer = commit_request(repo, caller, request, piles).await?;
        let status = answer["status"].as_str().unwrap_or_default();
        *counts.entry(outcome_name(status)).or_default() += 1;
        out.push(answer);
    }
    Ok(json!({ "requests": out, "counts": counts }))
}

fn outcome_name(s: &str) -> &'static str {
    match s {
        "allocated" => "allocated",
        "already_allocated" => "already_allocated",
        "not_triaged" => "not_triaged",
        "partly_reserved" => "partly_reserved",
        "not_reserved" => "not_reserved",
        _ => "failed",
    }
}

/// The body as [`CommitInput`]: `{"flows": […]}`, or a whole plan answer's `allocation.flows`.
fn read_input(body: Value) -> Result<CommitInput, AppError> {
    let body = match body {
        Value::Object(mut m) if !m.contains_key("flows") && m.contains_key("allocation") => {
            let flows = m
                .remove("allocation")
                .and_then(|mut a| a.get_mut("flows").map(Value::take))
                .unwrap_or(Value::Null);
            json!({ "flows": flows })
        }
        other => other,
    };
    let n = body
        .get("flows")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if n > MAX_FLOWS {
        return Err(AppError::too_large(
            "flows",
            format!("flows: at most {MAX_FLOWS} in one commit ({n} given)"),
        ));
    }
    parse("emergency.commit", body)
}

/// Every flow checked against the records; the first problems as one 400 naming the first.
async fn check_flows(repo: &dyn Repository, flows: &[Flow]) -> Result<(), AppError> {
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut known: HashMap<(Kind, String), bool> = HashMap::new();
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (k, f) in flows.iter().enumerate() {
        if f.quantity <= 0 {
            problems.push((
                format!("flows[{k}].quantity"),
                format!("flows[{k}].quantity: must be > 0 ({} given)", f.quantity),
            ));
        }
        for (kind, field, id, what) in [
            (Kind::Stockpile, "stockpile", &f.stockpile, "stockpile"),
            (Kind::ReliefRequest, "request", &f.request, "relief request"),
            (Kind::EmergencyItem, "item", &f.item, "relief item"),
        ] {
            let exists = match known.get(&(kind, id.clone())) {
                Some(&e) => e,
                None => {
                    let e = repo.get(kind, id).await?.is_some();
                    known.insert((kind, id.clone()), e);
                    e
                }
            };
            if !exists {
                problems.push((
                    format!("flows[{k}].{field}"),
                    format!("flows[{k}].{field}: no {what} with id '{id}'"),
                ));
            }
        }
        let key = (f.stockpile.as_str(), f.request.as_str(), f.item.as_str());
        if let Some(j) = seen.insert(key, k) {
            problems.push((
                format!("flows[{k}].item"),
                format!("flows[{k}].item: the same stockpile, request and item as flows[{j}]"),
            ));
        }
    }
    let Some((field, _)) = problems.first() else {
        return Ok(());
    };
    let shown: Vec<&str> = problems.iter().take(20).map(|(_, m)| m.as_str()).collect();
    let more = match problems.len() {
        n if n > 20 => format!(" (and {} more)", n - 20),
        _ => String::new(),
    };
    Err(AppError::bad(
        "emergency.commit",
        field.clone(),
        format!("nothing was committed: {}{more}", shown.join("; ")),
    ))
}

/// Claims request `id` and holds its lines from each stockpile.
async fn commit_request(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    piles: BTreeMap<&str, Vec<Line>>,
) -> Result<Value, AppError> {
    let claim = requests::transition(
        repo,
        caller,
        id,
        json!({"to": "allocated", "note": "plan committed"}),
    )
    .await;
    match claim {
        Ok(_) => {}
        Err(AppError::Conflict { field, .. }) if field == "status" => {
            let rec = super::fetch(repo, Kind::ReliefRequest, id, "relief request").await?;
            let now = rec.status.clone().unwrap_or_default();
            let status = if now == "allocated" {
                "already_allocated"
            } else {
                "not_triaged"
            };
            return Ok(
                json!({"request_id": id, "status": status, "request_status": now,
                "reservation_ids": [], "not_reserved": []}),
            );
        }
        Err(e @ AppError::Conflict { .. }) => {
            return Ok(
                json!({"request_id": id, "status": "failed", "reason": e.to_string(),
                "reservation_ids": [], "not_reserved": []}),
            );
        }
        Err(e) => return Err(e),
    }
    let (mut ids, mut missed) = (Vec::new(), Vec::new());
    let mut wanted = 0;
    for (pile, lines) in piles {
        wanted += lines.len();
        for part in lines.chunks(MAX_LINES) {
            let (rsv, miss) = reserve_what_fits(repo, caller, id, pile, part.to_vec()).await?;
            ids.extend(rsv);
            missed.extend(miss);
        }
    }
    let status = match missed.len() {
        0 => "allocated",
        n if n < wanted => "partly_reserved",
        _ => "not_reserved",
    };
    let not_reserved: Vec<Value> = missed
        .iter()
        .map(|m| {
            json!({"stockpile_id": m.stockpile, "item_id": m.line.item_id,
                "quantity": m.line.quantity, "reason": m.reason})
        })
        .collect();
    Ok(
        json!({"request_id": id, "status": status, "request_status": "allocated",
        "reservation_ids": ids, "not_reserved": not_reserved}),
    )
}

/// One reservation of `lines` at `pile` for `request`; a line the stock no longer allows (the
/// reserve's 409 naming `lines[i]`) is left out with the reason and the rest tried again.
async fn reserve_what_fits(
    repo: &dyn Repository,
    caller: &Caller,
    request: &str,
    pile: &str,
    mut lines: Vec<Line>,
) -> Result<(Option<String>, Vec<Missed>), AppError> {
    let mut missed = Vec::new();
    while !lines.is_empty() {
        let body = json!({"stockpile_id": pile, "lines": lines, "request_id": request});
        let err = match movement::reserve(repo, caller, body).await {
            Ok(rsv) => return Ok((rsv["id"].as_str().map(String::from), missed)),
            Err(e) => e,
        };
        let (field, reason) = match &err {
            AppError::Conflict { field, message } => (field.clone(), message.clone()),
            AppError::Invalid(_) => (String::new(), err.to_string()),
            _ => return Err(err),
        };
        match line_index(&field).filter(|&i| i < lines.len()) {
            Some(i) => {
                let line = lines.remove(i);
                missed.push(Missed {
                    stockpile: pile.to_string(),
                    line,
                    reason,
                });
            }
            None => {
                missed.extend(lines.drain(..).map(|line| Missed {
                    stockpile: pile.to_string(),
                    line,
                    reason: reason.clone(),
                }));
            }
        }
    }
    Ok((None, missed))
}

/// `i` of a field `lines[i].…`.
fn line_index(field: &str) -> Option<usize> {
    let rest = field.strip_prefix("lines[")?;
    rest[..rest.find(']')?].parse().ok()
}
