//! Stock leaving a stockpile: reservations (held for a request until issued, released or
//! expired) and issues, each planned over a fresh read of the lots (FEFO when no lot is named,
//! never from an expired lot) and committed with the lots' versions, again from a fresh read when
//! another writer got there first. See the module docs of [`crate::emergency`].

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository, WriteOp};

use super::stock::{lots_of, Hold, Lot};
use super::{
    authorise_manage, checked, commit_audited, fetch, insert_op, parse, retrying, typed, update_op,
    view, Step, MAX_LINES,
};
use crate::caller::Caller;
use crate::error::AppError;

/// One line of a reservation or issue: an item and how many units, from a named lot or FEFO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The catalogue item.
    pub item_id: String,
    /// Units (> 0).
    pub quantity: i64,
    /// Take from this lot only; FEFO over the stockpile's lots of the item when absent.
    #[serde(default)]
    pub lot_id: Option<String>,
}

/// An issue as asked for: lines, or a reservation to issue whole.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    /// What to issue (without a reservation).
    #[serde(default)]
    pub lines: Vec<Line>,
    /// Issue this held reservation, whole (then no `lines`).
    #[serde(default)]
    pub reservation_id: Option<String>,
    /// The relief request served, if any.
    #[serde(default)]
    pub request_id: Option<String>,
    /// Free text (e.g. the truck's plate).
    #[serde(default)]
    pub note: Option<String>,
}

/// A reservation as asked for.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReserveInput {
    /// The stockpile to reserve at.
    pub stockpile_id: String,
    /// What to hold.
    pub lines: Vec<Line>,
    /// The relief request the stock is held for, if any.
    #[serde(default)]
    pub request_id: Option<String>,
    /// When the hold lapses; default 24 hours from now, at most 30 days.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Units of one lot taken by a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LotTake {
    /// The lot.
    pub lot_id: String,
    /// Its lot number.
    pub lot_number: String,
    /// Its expiry date.
    pub expiry_date: Option<NaiveDate>,
    /// Units taken.
    pub quantity: i64,
}

/// A line as reserved or issued: which lots gave what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TakenLine {
    /// The catalogue item.
    pub item_id: String,
    /// Units.
    pub quantity: i64,
    /// The lots, in the order taken.
    pub lots: Vec<LotTake>,
}

/// A reservation as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reservation {
    /// The stockpile.
    pub stockpile_id: String,
    /// The relief request served, if any.
    pub request_id: Option<String>,
    /// What is held, from which lots.
    pub lines: Vec<TakenLine>,
    /// When the holds lapse.
    pub expires_at: DateTime<Utc>,
    /// `held`, `issued` or `released` (a held reservation past `expires_at` reads as `expired`).
    pub status: String,
    /// The issue that took it, once issued.
    #[serde(default)]
    pub issue_id: Option<String>,
}

/// Every problem of `lines`, by field (`lines[2].quantity: must be > 0`), items looked up.
async fn validate_lines(repo: &dyn Repository, lines: &[Line]) -> Result<Violations, AppError> {
    let mut v = Violations::default();
    if lines.is_empty() {
        v.push("required", "lines", "lines: at least one line");
    }
    if lines.len() > MAX_LINES {
        return Err(AppError::too_large(
            "lines",
            format!("lines: at most {MAX_LINES}"),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, l) in lines.iter().enumerate() {
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

/// Which lots give line `i`: the named lot, or FEFO (earliest expiry first, lots without expiry
/// last, then the oldest received) over lots not expired on `today` with units available at `now`.
/// A 409 naming the field when the stock does not allow it.
pub fn plan_line(
    lots: &[(Record, Lot)],
    line: &Line,
    i: usize,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(usize, i64)>, AppError> {
    let short = |field: String, message: String| AppError::Conflict { field, message };
    if let Some(id) = &line.lot_id {
        let Some(k) = lots.iter().position(|(r, _)| &r.id == id) else {
            return Err(AppError::invalid(
                "unknown",
                format!("lines[{i}].lot_id"),
                format!(
                    "lines[{i}].lot_id: no lot '{id}' of item '{}' at this stockpile",
                    line.item_id
                ),
            ));
        };
        let lot = &lots[k].1;
        if lot.expired(today) {
            return Err(short(
                format!("lines[{i}].lot_id"),
                format!(
                "lines[{i}].lot_id: lot {} expired on {}; expired stock is not issued or reserved",
                lot.lot_number, lot.expiry_date.expect("expired lots have a date")),
            ));
        }
        if lot.available(now) < line.quantity {
            return Err(short(format!("lines[{i}].quantity"), format!(
                "lines[{i}].quantity: lot {} has {} units available (on hand {}, held {}); asked for {}",
                lot.lot_number, lot.available(now), lot.quantity, lot.held(now), line.quantity)));
        }
        return Ok(vec![(k, line.quantity)]);
    }
    let mut order: Vec<usize> = (0..lots.len())
        .filter(|&k| !lots[k].1.expired(today) && lots[k].1.available(now) > 0)
        .collect();
    order.sort_by_key(|&k| {
        let l = &lots[k].1;
        (
            l.expiry_date.is_none(),
            l.expiry_date,
            l.received_date,
            l.lot_number.clone(),
        )
    });
    let mut left = line.quantity;
    let mut takes = Vec::new();
    for k in order {
        if left == 0 {
            break;
        }
        let take = lots[k].1.available(now).min(left);
        takes.push((k, take));
        left -= take;
    }
    if left > 0 {
        let total = line.quantity - left;
        let expired: i64 = lots
            .iter()
            .filter(|(_, l)| l.expired(today))
            .map(|(_, l)| l.quantity)
            .sum();
        return Err(short(format!("lines[{i}].quantity"), format!(
            "lines[{i}].quantity: {total} units of item '{}' available at this stockpile (not counting {expired} in expired lots); asked for {}",
            line.item_id, line.quantity)));
    }
    Ok(takes)
}

/// Refuses to write a lot that would break the stock invariant (a last guard: plans never do).
fn guard(lot: &Lot, now: DateTime<Utc>) -> Result<(), Step> {
    if lot.quantity < 0 || lot.held(now) > lot.quantity || lot.holds.iter().any(|h| h.quantity <= 0)
    {
        return Err(Step::Fail(AppError::Internal(format!(
            "refused to write lot {} with {} on hand and {} held",
            lot.lot_number,
            lot.quantity,
            lot.held(now)
        ))));
    }
    Ok(())
}

/// The writes for taking `lines` from the stockpile's lots: `change` alters each lot taken from.
async fn take_lines(
    repo: &dyn Repository,
    stockpile_id: &str,
    lines: &[Line],
    now: DateTime<Utc>,
    mut change: impl FnMut(&mut Lot, i64),
) -> Result<(Vec<TakenLine>, Vec<(WriteOp, Option<Record>)>), Step> {
    let today = super::today();
    let (mut taken, mut ops) = (Vec::new(), Vec::new());
    for (i, line) in lines.iter().enumerate() {
        let lots = lots_of(repo, stockpile_id, Some(&line.item_id)).await?;
        let mut out = TakenLine {
            item_id: line.item_id.clone(),
            quantity: line.quantity,
            lots: vec![],
        };
        for (k, qty) in plan_line(&lots, line, i, today, now)? {
            let (rec, lot) = &lots[k];
            let mut new = lot.clone();
            new.prune(now);
            change(&mut new, qty);
            guard(&new, now)?;
            let body = serde_json::to_value(&new).expect("a lot serialises");
            ops.push((update_op(Kind::StockLot, rec, body), Some(rec.clone())));
            out.lots.push(LotTake {
                lot_id: rec.id.clone(),
                lot_number: lot.lot_number.clone(),
                expiry_date: lot.expiry_date,
                quantity: qty,
            });
        }
        taken.push(out);
    }
    Ok((taken, ops))
}

/// Holds stock at a stockpile for a request (admins and regulators): every line or nothing,
/// audited; 409 naming the line when the stock does not allow it.
pub async fn reserve(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "reserve stock")?;
    let input: ReserveInput = parse("emergency.reservation", body)?;
    let pile = fetch(repo, Kind::Stockpile, &input.stockpile_id, "stockpile").await?;
    let mut v = validate_lines(repo, &input.lines).await?;
    let now = Utc::now();
    let expires_at = input
        .expires_at
        .unwrap_or(now + chrono::Duration::hours(24));
    if expires_at <= now || expires_at > now + chrono::Duration::days(30) {
        v.push(
            "out_of_range",
            "expires_at",
            "expires_at: must be in the future and within 30 days",
        );
    }
    checked(v)?;
    retrying("reserve", || {
        reserve_attempt(repo, caller, &pile, &input, expires_at)
    })
    .await
}

async fn reserve_attempt(
    repo: &dyn Repository,
    caller: &Caller,
    pile: &Record,
    input: &ReserveInput,
    expires_at: DateTime<Utc>,
) -> Result<Value, Step> {
    let id = crate::service::new_id(Kind::StockReservation);
    let hold = |lot: &mut Lot, qty: i64| {
        lot.holds.push(Hold {
            reservation_id: id.clone(),
            quantity: qty,
            expires_at,
        });
    };
    let (lines, mut ops) = take_lines(repo, &pile.id, &input.lines, Utc::now(), hold).await?;
    let rsv = Reservation {
        stockpile_id: pile.id.clone(),
        request_id: input.request_id.clone(),
        lines,
        expires_at,
        status: "held".into(),
        issue_id: None,
    };
    let mut op = insert_op(
        Kind::StockReservation,
        &pile.region,
        None,
        pile.owner_party.clone(),
        serde_json::to_value(&rsv).expect("a reservation serialises"),
    );
    if let WriteOp::Insert { rec, .. } = &mut op {
        rec.id = id.clone();
    }
    ops.insert(0, (op, None));
    if let Some(r) = &input.request_id {
        ops.push(for_request(repo, r, &id).await?);
    }
    let stored = commit_audited(repo, caller, "emergency.stock.reserve", ops).await?;
    Ok(movement_view(&stored[0], Utc::now()))
}

/// The write that notes reservation `rsv_id` on relief request `request_id`, which must still be
/// open (submitted, triaged or allocated). Written with the request's version, so a reservation
/// and a cancellation of the same request cannot both pass: the loser starts again and sees the other.
async fn for_request(
    repo: &dyn Repository,
    request_id: &str,
    rsv_id: &str,
) -> Result<(WriteOp, Option<Record>), Step> {
    let Some(rec) = repo.get(Kind::ReliefRequest, request_id).await? else {
        return Err(Step::Fail(AppError::invalid(
            "unknown",
            "request_id",
            format!("request_id: no relief request with id '{request_id}'"),
        )));
    };
    let status = rec.status.as_deref().unwrap_or_default();
    if !matches!(status, "submitted" | "triaged" | "allocated") {
        return Err(Step::Fail(AppError::Conflict {
            field: "request_id".into(),
            message: format!(
                "relief request {request_id} is {status}; stock is reserved only for open requests"
            ),
        }));
    }
    let mut body = rec.body.clone();
    match body["reservation_ids"].as_array_mut() {
        Some(ids) => ids.push(json!(rsv_id)),
        None => body["reservation_ids"] = json!([rsv_id]),
    }
    Ok((update_op(Kind::ReliefRequest, &rec, body), Some(rec)))
}

/// Issues stock from stockpile `stockpile_id` (admins and regulators): the given lines (FEFO
/// when no lot is named), or a held reservation whole; every line or nothing, audited with each
/// lot's quantity before and after.
pub async fn issue(
    repo: &dyn Repository,
    caller: &Caller,
    stockpile_id: &str,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "issue stock")?;
    let input: IssueInput = parse("emergency.issue", body)?;
    let pile = fetch(repo, Kind::Stockpile, stockpile_id, "stockpile").await?;
    if let Some(rsv) = &input.reservation_id {
        if !input.lines.is_empty() {
            return Err(AppError::invalid("not_allowed", "lines",
                "lines: an issue of a reservation takes the reservation's lines; give one or the other"));
        }
        let rsv = rsv.clone();
        return retrying("issue", || {
            issue_reserved(repo, caller, &pile, &rsv, &input)
        })
        .await;
    }
    checked(validate_lines(repo, &input.lines).await?)?;
    retrying("issue", || issue_attempt(repo, caller, &pile, &input)).await
}

fn issue_body(pile: &Record, caller: &Caller, input: &IssueInput, lines: &[TakenLine]) -> Value {
    json!({
        "stockpile_id": pile.id, "reservation_id": input.reservation_id,
        "request_id": input.request_id, "note": input.note, "lines": lines,
        "issued_at": super::now_text(), "issued_by": caller.actor,
    })
}

async fn issue_attempt(
    repo: &dyn Repository,
    caller: &Caller,
    pile: &Record,
    input: &IssueInput,
) -> Result<Value, Step> {
    let take = |lot: &mut Lot, qty: i64| lot.quantity -= qty;
    let (lines, mut ops) = take_lines(repo, &pile.id, &input.lines, Utc::now(), take).await?;
    let body = issue_body(pile, caller, input, &lines);
    ops.insert(
        0,
        (
            insert_op(
                Kind::StockIssue,
                &pile.region,
                None,
                pile.owner_party.clone(),
                body,
            ),
            None,
        ),
    );
    let stored = commit_audited(repo, caller, "emergency.stock.issue", ops).await?;
    Ok(view(&stored[0]))
}

/// The held reservation `id` of `pile`, or a 4xx saying why it cannot be used.
async fn held_reservation(
    repo: &dyn Repository,
    pile: &Record,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(Record, Reservation), Step> {
    let rec = fetch(repo, Kind::StockReservation, id, "reservation").await?;
    let rsv: Reservation = typed(&rec)?;
    let conflict = |m: String| {
        Step::Fail(AppError::Conflict {
            field: "reservation_id".into(),
            message: m,
        })
    };
    if rsv.stockpile_id != pile.id {
        return Err(Step::Fail(AppError::invalid(
            "mismatch",
            "reservation_id",
            format!(
                "reservation_id: reservation {id} is held at stockpile {}",
                rsv.stockpile_id
            ),
        )));
    }
    if rsv.status != "held" {
        return Err(conflict(format!(
            "reservation {id} is {}, not held",
            rsv.status
        )));
    }
    if rsv.expires_at <= now {
        return Err(conflict(format!(
            "reservation {id} expired at {}; reserve again",
            rsv.expires_at
        )));
    }
    Ok((rec, rsv))
}

/// The lot writes that end reservation `id`'s holds; with `issue`, the held units leave too.
async fn end_holds(
    repo: &dyn Repository,
    rsv_id: &str,
    rsv: &Reservation,
    now: DateTime<Utc>,
    issue: bool,
) -> Result<Vec<(WriteOp, Option<Record>)>, Step> {
    let mut ops = Vec::new();
    for take in rsv.lines.iter().flat_map(|l| &l.lots) {
        let rec = fetch(repo, Kind::StockLot, &take.lot_id, "lot").await?;
        let mut lot: Lot = typed(&rec)?;
        let had = lot.holds.len();
        lot.holds.retain(|h| h.reservation_id != rsv_id);
        if lot.holds.len() == had && issue {
            return Err(Step::Fail(AppError::Conflict {
                field: "reservation_id".into(),
                message: format!(
                    "lot {} no longer holds reservation {rsv_id}",
                    lot.lot_number
                ),
            }));
        }
        if lot.holds.len() == had {
            continue;
        }
        lot.prune(now);
        if issue {
            lot.quantity -= take.quantity;
        }
        guard(&lot, now)?;
        let body = serde_json::to_value(&lot).expect("a lot serialises");
        ops.push((update_op(Kind::StockLot, &rec, body), Some(rec)));
    }
    Ok(ops)
}

async fn issue_reserved(
    repo: &dyn Repository,
    caller: &Caller,
    pile: &Record,
    rsv_id: &str,
    input: &IssueInput,
) -> Result<Value, Step> {
    let now = Utc::now();
    let (rsv_rec, mut rsv) = held_reservation(repo, pile, rsv_id, now).await?;
    let mut ops = end_holds(repo, rsv_id, &rsv, now, true).await?;
    let mut input = input.clone();
    input.request_id = input.request_id.or(rsv.request_id.clone());
    let issue = insert_op(
        Kind::StockIssue,
        &pile.region,
        None,
        pile.owner_party.clone(),
        issue_body(pile, caller, &input, &rsv.lines),
    );
    rsv.status = "issued".into();
    rsv.issue_id = Some(issue.record().id.clone());
    let rsv_body = serde_json::to_value(&rsv).expect("a reservation serialises");
    ops.insert(
        0,
        (
            update_op(Kind::StockReservation, &rsv_rec, rsv_body),
            Some(rsv_rec.clone()),
        ),
    );
    ops.insert(0, (issue, None));
    let stored = commit_audited(repo, caller, "emergency.stock.issue", ops).await?;
    Ok(view(&stored[0]))
}

/// Releases held reservation `id` (admins and regulators), audited: its holds leave the lots
/// (an expired reservation may be released too).
pub async fn release(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<Value, AppError> {
    authorise_manage(caller, "release reservations")?;
    retrying("release", || release_attempt(repo, caller, id)).await
}

async fn release_attempt(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<Value, Step> {
    let now = Utc::now();
    let rec = fetch(repo, Kind::StockReservation, id, "reservation").await?;
    let mut rsv: Reservation = typed(&rec)?;
    if rsv.status != "held" {
        return Err(Step::Fail(AppError::Conflict {
            field: "status".into(),
            message: format!("reservation {id} is {}, not held", rsv.status),
        }));
    }
    let mut ops = end_holds(repo, id, &rsv, now, false).await?;
    rsv.status = "released".into();
    let body = serde_json::to_value(&rsv).expect("a reservation serialises");
    ops.insert(
        0,
        (
            update_op(Kind::StockReservation, &rec, body),
            Some(rec.clone()),
        ),
    );
    let stored = commit_audited(repo, caller, "emergency.stock.release", ops).await?;
    Ok(movement_view(&stored[0], now))
}

/// A reservation or issue as answered; a held reservation past its expiry reads `expired`.
pub fn movement_view(rec: &Record, now: DateTime<Utc>) -> Value {
    let mut out = view(rec);
    let lapsed = out["status"] == "held"
        && out["expires_at"]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| t <= now);
    if lapsed {
        out["status"] = json!("expired");
    }
    out
}

/// The writes that release every held reservation of relief request `request_id` (when it is
/// cancelled or rejected): each lot is written once, whatever number of its reservations held it.
pub(crate) async fn release_for_request(
    repo: &dyn Repository,
    request_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<(WriteOp, Option<Record>)>, Step> {
    let filters = vec![
        super::text_eq("request_id", request_id),
        super::column_eq("status", "held"),
    ];
    let (held, _) = super::list_capped(
        repo,
        Kind::StockReservation,
        None,
        None,
        filters,
        super::MAX_LIST,
    )
    .await?;
    let (mut ops, mut lots, mut ids) = (Vec::new(), BTreeSet::new(), BTreeSet::new());
    for rec in held {
        let mut rsv: Reservation = typed(&rec)?;
        lots.extend(
            rsv.lines
                .iter()
                .flat_map(|l| l.lots.iter().map(|t| t.lot_id.clone())),
        );
        ids.insert(rec.id.clone());
        rsv.status = "released".into();
        let body = serde_json::to_value(&rsv).expect("a reservation serialises");
        ops.push((update_op(Kind::StockReservation, &rec, body), Some(rec)));
    }
    for lot_id in lots {
        let rec = fetch(repo, Kind::StockLot, &lot_id, "lot").await?;
        let mut lot: Lot = typed(&rec)?;
        lot.holds.retain(|h| !ids.contains(&h.reservation_id));
        lot.prune(now);
        guard(&lot, now)?;
        let body = serde_json::to_value(&lot).expect("a lot serialises");
        ops.push((update_op(Kind::StockLot, &rec, body), Some(rec)));
    }
    Ok(ops)
}
