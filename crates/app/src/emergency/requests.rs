//! Relief requests from demand points (安置点 shelters, hospitals, villages, points on the map):
//! submitted by any caller, triaged by the emergency office (admins and regulators), then moved
//! along `submitted → triaged → allocated → in_transit → delivered`, or `rejected` / `cancelled`.
//! Every change is checked against [`Status::may_become`] and audited; the request keeps its own
//! history. Cancelling or rejecting a request releases its held reservations in the same commit.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_model::{GeoPoint, Violations};
use wuliu_store::{Filter, Kind, Record, Repository};

use super::{
    authorise_manage, checked, commit_audited, fetch, insert_op, list_capped, list_region, parse,
    retrying, text_eq, typed, update_op, view, Step, MAX_LINES, MAX_LIST,
};
use crate::caller::Caller;
use crate::error::AppError;

/// Where the need is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PointKind {
    /// A shelter (安置点).
    Shelter,
    /// A hospital.
    Hospital,
    /// A village.
    Village,
    /// Any other point on the map.
    Point,
}

/// A demand point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandPoint {
    /// Kind of place.
    pub kind: PointKind,
    /// Name, e.g. `融安县长安镇第一安置点`.
    pub name: String,
    /// Where goods are delivered.
    pub location: GeoPoint,
    /// GB/T 2260 code of the county-level unit.
    #[serde(default)]
    pub division_code: Option<String>,
}

/// Whom to call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// Phone number (digits, with `+`, `-` or spaces).
    pub phone: String,
}

/// One item asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestLine {
    /// The catalogue item.
    pub item_id: String,
    /// Units (> 0).
    pub quantity: i64,
}

/// A request as submitted.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// Where the need is.
    pub demand_point: DemandPoint,
    /// What is needed.
    pub lines: Vec<RequestLine>,
    /// 1 (life-critical) to 4 (can wait).
    pub priority: i64,
    /// When the goods must be there.
    pub deadline: DateTime<Utc>,
    /// Whom to call.
    pub contact: Contact,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a request is in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received, not yet looked at.
    Submitted,
    /// Priority confirmed by the office.
    Triaged,
    /// Stock and a vehicle assigned.
    Allocated,
    /// On the road.
    InTransit,
    /// Delivered (final).
    Delivered,
    /// Refused by the office (final).
    Rejected,
    /// Withdrawn (final).
    Cancelled,
}

impl Status {
    /// The status's name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Triaged => "triaged",
            Status::Allocated => "allocated",
            Status::InTransit => "in_transit",
            Status::Delivered => "delivered",
            Status::Rejected => "rejected",
            Status::Cancelled => "cancelled",
        }
    }

    /// Whether a request in `self` may move to `to`.
    pub fn may_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Submitted, Triaged | Rejected | Cancelled)
                | (Triaged, Allocated | Rejected | Cancelled)
                | (Allocated, InTransit | Cancelled)
                | (InTransit, Delivered)
        )
    }
}

/// One step of a request's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HistoryStep {
    /// Status before.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// When.
    pub at: String,
    /// Who (`user:…`, `token:…`).
    pub by: String,
    /// Why, if given.
    pub note: Option<String>,
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReliefRequest {
    /// Where the need is.
    pub demand_point: DemandPoint,
    /// What is needed.
    pub lines: Vec<RequestLine>,
    /// The priority the submitter asked for.
    pub priority_requested: i64,
    /// The priority in force (confirmed or changed at triage).
    pub priority: i64,
    /// When the goods must be there.
    pub deadline: DateTime<Utc>,
    /// Whom to call.
    pub contact: Contact,
    /// Free text.
    pub note: Option<String>,
    /// Where it is in its workflow.
    pub status: Status,
    /// Who submitted it.
    pub submitted_by: String,
    /// Every status change.
    pub history: Vec<HistoryStep>,
    /// The reservations made for it (each also names the request).
    #[serde(default)]
    pub reservation_ids: Vec<String>,
}

/// Every problem of a request, by field; items looked up.
async fn validate(repo: &dyn Repository, r: &RequestInput) -> Result<Violations, AppError> {
    let mut v = Violations::default();
    v.require_text("demand_point.name", &r.demand_point.name);
    if !r.demand_point.location.is_valid() {
        v.push(
            "out_of_range",
            "demand_point.location",
            "demand_point.location: latitude or longitude out of range",
        );
    }
    if !(1..=4).contains(&r.priority) {
        v.push(
            "out_of_range",
            "priority",
            "priority: 1 (life-critical) to 4",
        );
    }
    v.require_text("contact.name", &r.contact.name);
    let digits = r.contact.phone.chars().filter(char::is_ascii_digit).count();
    let phone_ok = r
        .contact
        .phone
        .chars()
        .all(|c| c.is_ascii_digit() || "+- ".contains(c));
    if !phone_ok || !(5..=20).contains(&digits) {
        v.push(
            "invalid",
            "contact.phone",
            "contact.phone: 5 to 20 digits, with +, - or spaces",
        );
    }
    if r.lines.is_empty() {
        v.push("required", "lines", "lines: at least one line");
    }
    if r.lines.len() > MAX_LINES {
        return Err(AppError::too_large(
            "lines",
            format!("lines: at most {MAX_LINES}"),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, l) in r.lines.iter().enumerate() {
        if l.quantity <= 0 {
            v.push(
                "out_of_range",
                format!("lines[{i}].quantity"),
                format!("lines[{i}].quantity: must be > 0"),
            );
        }
        if !seen.insert(l.item_id.as_str()) {
            v.push(
                "duplicate",
                format!("lines[{i}].item_id"),
                format!(
                    "lines[{i}].item_id: item '{}' is on an earlier line",
                    l.item_id
                ),
            );
        } else if repo.get(Kind::EmergencyItem, &l.item_id).await?.is_none() {
            v.push(
                "unknown",
                format!("lines[{i}].item_id"),
                format!("lines[{i}].item_id: no relief item with id '{}'", l.item_id),
            );
        }
    }
    Ok(v)
}

/// Submits a request (any caller), audited; it starts `submitted`, owned by the caller's party.
pub async fn submit(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    let r: RequestInput = parse("emergency.request", body)?;
    checked(validate(repo, &r).await?)?;
    let req = ReliefRequest {
        demand_point: r.demand_point,
        lines: r.lines,
        priority_requested: r.priority,
        priority: r.priority,
        deadline: r.deadline,
        contact: r.contact,
        note: r.note,
        status: Status::Submitted,
        submitted_by: caller.actor.clone(),
        history: vec![],
        reservation_ids: vec![],
    };
    let body = serde_json::to_value(&req).expect("a request serialises");
    let op = insert_op(
        Kind::ReliefRequest,
        &caller.region,
        None,
        caller.party_id.clone(),
        body,
    );
    let stored = commit_audited(repo, caller, "emergency.request.submit", vec![(op, None)])
        .await
        .map_err(super::step_error)?;
    Ok(view(&stored[0]))
}

/// Whether `caller` may read request `rec`: admins and regulators all; others their party's, or
/// their own when they act for no party.
pub fn can_read(caller: &Caller, rec: &Record) -> bool {
    if caller.sees_all() {
        return true;
    }
    match (&caller.party_id, &rec.owner_party) {
        (Some(p), Some(o)) => p == o && rec.region == caller.region,
        _ => rec.body["submitted_by"].as_str() == Some(caller.actor.as_str()),
    }
}

/// Request `id` if `caller` may read it (a 404 otherwise).
pub async fn get(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<Value, AppError> {
    let rec = readable(repo, caller, id).await?;
    Ok(view(&rec))
}

async fn readable(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<Record, AppError> {
    let rec = fetch(repo, Kind::ReliefRequest, id, "relief request").await?;
    if !can_read(caller, &rec) {
        return Err(AppError::NotFound(format!(
            "no relief request with id '{id}'"
        )));
    }
    Ok(rec)
}

/// The requests `caller` may read, optionally only those with `status`, most urgent first
/// (priority, then deadline).
pub async fn list(
    repo: &dyn Repository,
    caller: &Caller,
    status: Option<&str>,
) -> Result<Value, AppError> {
    let mut filters: Vec<Filter> = Vec::new();
    if let Some(s) = status {
        parse::<Status>("emergency.request", json!(s)).map_err(|_| {
            AppError::bad(
                "param.invalid",
                "status",
                format!("'{s}' is not a request status"),
            )
        })?;
        filters.push(super::column_eq("status", s));
    }
    let party = if caller.sees_all() {
        None
    } else {
        caller.party_id.as_deref()
    };
    if !caller.sees_all() && party.is_none() {
        filters.push(text_eq("submitted_by", &caller.actor));
    }
    let (records, truncated) = list_capped(
        repo,
        Kind::ReliefRequest,
        list_region(caller),
        party,
        filters,
        MAX_LIST,
    )
    .await?;
    let mut rows: Vec<&Record> = records.iter().filter(|r| can_read(caller, r)).collect();
    rows.sort_by_key(|r| {
        (
            r.body["priority"].as_i64(),
            r.body["deadline"].as_str().map(String::from),
        )
    });
    Ok(
        json!({ "requests": rows.into_iter().map(view).collect::<Vec<_>>(), "truncated": truncated }),
    )
}

/// What a triage sets.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageInput {
    /// The priority confirmed (1 life-critical … 4).
    pub priority: i64,
    /// Why, if the office says.
    #[serde(default)]
    pub note: Option<String>,
}

/// A status change as asked for.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    /// The new status (`triaged` goes through triage, which confirms the priority).
    pub to: Status,
    /// Why, if given.
    #[serde(default)]
    pub note: Option<String>,
}

/// Triages request `id` (admins and regulators): confirms or changes its priority and moves it
/// from `submitted` to `triaged`, audited.
pub async fn triage(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "triage relief requests")?;
    let t: TriageInput = parse("emergency.triage", body)?;
    if !(1..=4).contains(&t.priority) {
        return Err(AppError::invalid(
            "out_of_range",
            "priority",
            "priority: 1 (life-critical) to 4",
        ));
    }
    retrying("triage", || {
        change(repo, caller, id, Status::Triaged, Some(t.priority), &t.note)
    })
    .await
}

/// Moves request `id` to another status: admins and regulators along the workflow; the
/// submitting party may cancel while it is submitted or triaged. Audited; a move the workflow
/// does not allow is a 409.
pub async fn transition(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    let t: TransitionInput = parse("emergency.request", body)?;
    if t.to == Status::Triaged {
        return Err(AppError::invalid(
            "not_allowed",
            "to",
            "to: triage a request through its triage, which confirms the priority",
        ));
    }
    let rec = readable(repo, caller, id).await?;
    if t.to != Status::Cancelled || caller.sees_all() {
        authorise_manage(caller, "move relief requests along their workflow")?;
    } else if !matches!(rec.status.as_deref(), Some("submitted" | "triaged")) {
        return Err(AppError::forbidden(
            "to",
            "the submitter may cancel a request only while it is submitted or triaged",
        ));
    }
    retrying("transition", || {
        change(repo, caller, id, t.to, None, &t.note)
    })
    .await
}

async fn change(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    to: Status,
    priority: Option<i64>,
    note: &Option<String>,
) -> Result<Value, Step> {
    let rec = fetch(repo, Kind::ReliefRequest, id, "relief request").await?;
    let mut req: ReliefRequest = typed(&rec)?;
    // Checked again on this read: the office may have allocated it since the caller's check.
    let submitter_late = !matches!(req.status, Status::Submitted | Status::Triaged);
    if !caller.sees_all() && submitter_late {
        return Err(Step::Fail(AppError::forbidden(
            "to",
            "the submitter may cancel a request only while it is submitted or triaged",
        )));
    }
    if !req.status.may_become(to) {
        return Err(Step::Fail(AppError::Conflict {
            field: "status".into(),
            message: format!(
                "a {} request cannot become {}",
                req.status.name(),
                to.name()
            ),
        }));
    }
    req.history.push(HistoryStep {
        from: req.status,
        to,
        at: super::now_text(),
        by: caller.actor.clone(),
        note: note.clone(),
    });
    req.status = to;
    if let Some(p) = priority {
        req.priority = p;
    }
    let body = serde_json::to_value(&req).expect("a request serialises");
    let mut ops = vec![(update_op(Kind::ReliefRequest, &rec, body), Some(rec))];
    if matches!(to, Status::Cancelled | Status::Rejected) {
        let now = chrono::Utc::now();
        ops.extend(super::movement::release_for_request(repo, id, now).await?);
    }
    let action = format!("emergency.request.{}", to.name());
    let stored = commit_audited(repo, caller, &action, ops).await?;
    Ok(view(&stored[0]))
}
