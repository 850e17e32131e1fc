//! Stockpiles (government reserves and enterprises' agreement reserves, 协议储备) and their stock
//! by lot: receiving lots, and reading stock, lots, reservations and issues. Moving stock out
//! (reserve, release, issue) is in [`crate::emergency::movement`], re-exported here.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_model::{GeoPoint, Violations};
use wuliu_store::{Kind, Record, Repository};

use super::{
    authorise_manage, catalogue, checked, commit_audited, fetch, insert_op, list_capped,
    list_region, parse, step_error, text_eq, typed, view, MAX_LIST,
};
use crate::caller::Caller;
use crate::error::AppError;

pub use super::movement::{issue, release, reserve};

/// Who holds a reserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReserveKind {
    /// A government reserve (政府储备).
    Government,
    /// An agreement reserve held by an enterprise for the government (协议储备).
    Agreement,
}

/// A stockpile as submitted and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stockpile {
    /// The office's own code, unique in the region.
    pub code: String,
    /// Name, in Chinese (e.g. `柳州市市级应急物资储备库`).
    pub name: String,
    /// Government or agreement reserve.
    pub kind: ReserveKind,
    /// The enterprise holding an agreement reserve (a party ID); required for agreement reserves,
    /// absent for government ones.
    #[serde(default)]
    pub holder_party_id: Option<String>,
    /// The agreement's number (agreement reserves).
    #[serde(default)]
    pub agreement_number: Option<String>,
    /// Last day the agreement runs (agreement reserves).
    #[serde(default)]
    pub agreement_valid_to: Option<NaiveDate>,
    /// The facility the stock is kept in, when it is a registered facility.
    #[serde(default)]
    pub facility_id: Option<String>,
    /// Where the stock is.
    pub location: GeoPoint,
    /// Street address.
    #[serde(default)]
    pub address: Option<String>,
    /// GB/T 2260 code of the county-level unit.
    #[serde(default)]
    pub division_code: Option<String>,
}

/// One reservation's claim on a lot, until it is issued, released or expires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hold {
    /// The reservation.
    pub reservation_id: String,
    /// Units held.
    pub quantity: i64,
    /// When the hold lapses.
    pub expires_at: DateTime<Utc>,
}

/// Stock of one item at one stockpile with one lot number, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Lot {
    /// The stockpile.
    pub stockpile_id: String,
    /// The catalogue item.
    pub item_id: String,
    /// The supplier's lot (batch) number.
    pub lot_number: String,
    /// Units on hand (never below the units held).
    pub quantity: i64,
    /// Last day the lot may be used; none for goods that do not expire.
    pub expiry_date: Option<NaiveDate>,
    /// Day the lot was received.
    pub received_date: NaiveDate,
    /// Reservations' holds on the lot.
    #[serde(default)]
    pub holds: Vec<Hold>,
}

impl Lot {
    /// Units held by reservations not yet expired at `now`.
    pub fn held(&self, now: DateTime<Utc>) -> i64 {
        self.holds
            .iter()
            .filter(|h| h.expires_at > now)
            .map(|h| h.quantity)
            .sum()
    }
    /// Units that may be issued or reserved: on hand − held.
    pub fn available(&self, now: DateTime<Utc>) -> i64 {
        self.quantity - self.held(now)
    }
    /// Whether the lot is past its expiry date on `today` (the expiry day itself still counts).
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.expiry_date.is_some_and(|d| d < today)
    }
    /// Drops the holds that lapsed before `now`.
    pub fn prune(&mut self, now: DateTime<Utc>) {
        self.holds.retain(|h| h.expires_at > now);
    }
}

/// A lot as received.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The catalogue item.
    pub item_id: String,
    /// The supplier's lot number, unique per stockpile and item.
    pub lot_number: String,
    /// Units received (> 0).
    pub quantity: i64,
    /// Last day of use; defaults to the received day + the item's shelf life.
    #[serde(default)]
    pub expiry_date: Option<NaiveDate>,
    /// Day received; defaults to today (Liuzhou time).
    #[serde(default)]
    pub received_date: Option<NaiveDate>,
}

/// Whether `caller` may read stockpile `rec`: admins, regulators, and the holder of an agreement
/// reserve.
pub fn can_read(caller: &Caller, rec: &Record) -> bool {
    caller.sees_all()
        || (rec.region == caller.region
            && caller
                .party_id
                .as_deref()
                .is_some_and(|p| rec.owner_party.as_deref() == Some(p)))
}

/// The stockpile `id` if `caller` may read it (a 404 otherwise, as for an unknown ID).
pub async fn readable(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<Record, AppError> {
    let rec = fetch(repo, Kind::Stockpile, id, "stockpile").await?;
    if !can_read(caller, &rec) {
        return Err(AppError::NotFound(format!("no stockpile with id '{id}'")));
    }
    Ok(rec)
}

/// Every problem of a stockpile, by field (the references are checked by [`create_stockpile`]).
pub fn validate_stockpile(s: &Stockpile) -> Violations {
    let mut v = Violations::default();
    v.require_text("code", &s.code);
    v.require_text("name", &s.name);
    if !s.location.is_valid() {
        v.push(
            "out_of_range",
            "location",
            "location: latitude or longitude out of range",
        );
    }
    match s.kind {
        ReserveKind::Agreement => {
            if s.holder_party_id.is_none() {
                v.push(
                    "required",
                    "holder_party_id",
                    "holder_party_id: an agreement reserve names the enterprise holding it",
                );
            }
            if s.agreement_number
                .as_deref()
                .unwrap_or("")
                .trim()
                .is_empty()
            {
                v.push(
                    "required",
                    "agreement_number",
                    "agreement_number: an agreement reserve names its agreement",
                );
            }
        }
        ReserveKind::Government => {
            if s.holder_party_id.is_some() {
                v.push(
                    "not_allowed",
                    "holder_party_id",
                    "holder_party_id: only agreement reserves have a holding enterprise",
                );
            }
        }
    }
    v
}

/// Adds a stockpile in the caller's region (admins and regulators), audited. The holder of an
/// agreement reserve must be a known party, and `facility_id` a known facility.
pub async fn create_stockpile(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "add stockpiles")?;
    let s: Stockpile = parse("emergency.stockpile", body)?;
    let mut v = validate_stockpile(&s);
    if let Some(p) = &s.holder_party_id {
        if repo.get(Kind::Party, p).await?.is_none() {
            v.push(
                "unknown",
                "holder_party_id",
                format!("holder_party_id: no party with id '{p}'"),
            );
        }
    }
    if let Some(f) = &s.facility_id {
        if repo.get(Kind::Facility, f).await?.is_none() {
            v.push(
                "unknown",
                "facility_id",
                format!("facility_id: no facility with id '{f}'"),
            );
        }
    }
    checked(v)?;
    let body = serde_json::to_value(&s).expect("a stockpile serialises");
    let op = insert_op(
        Kind::Stockpile,
        &caller.region,
        Some(s.code.clone()),
        s.holder_party_id.clone(),
        body,
    );
    let stored = commit_audited(repo, caller, "emergency.stockpile.create", vec![(op, None)])
        .await
        .map_err(step_error)?;
    Ok(view(&stored[0]))
}

/// The stockpiles `caller` may read.
pub async fn list_stockpiles(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    if !caller.sees_all() && caller.party_id.is_none() {
        return Ok(json!({ "stockpiles": [], "truncated": false }));
    }
    let party = (!caller.sees_all()).then(|| caller.party());
    let (records, truncated) = list_capped(
        repo,
        Kind::Stockpile,
        list_region(caller),
        party,
        vec![],
        MAX_LIST,
    )
    .await?;
    let visible: Vec<Value> = records
        .iter()
        .filter(|r| can_read(caller, r))
        .map(view)
        .collect();
    Ok(json!({ "stockpiles": visible, "truncated": truncated }))
}

/// The lots of `item_id` at stockpile `stockpile_id` (every item when `None`), oldest first.
pub(crate) async fn lots_of(
    repo: &dyn Repository,
    stockpile_id: &str,
    item_id: Option<&str>,
) -> Result<Vec<(Record, Lot)>, AppError> {
    let mut filters = vec![text_eq("stockpile_id", stockpile_id)];
    if let Some(item) = item_id {
        filters.push(text_eq("item_id", item));
    }
    let (records, truncated) =
        list_capped(repo, Kind::StockLot, None, None, filters, MAX_LIST * 10).await?;
    if truncated {
        return Err(AppError::too_large(
            "lots",
            format!(
                "stockpile {stockpile_id} has more than {} lots",
                MAX_LIST * 10
            ),
        ));
    }
    records
        .into_iter()
        .map(|r| typed::<Lot>(&r).map(|l| (r, l)))
        .collect()
}

/// A lot as answered: the stored lot with `held`, `available` and `expired` worked out now.
pub fn lot_view(rec: &Record, lot: &Lot) -> Value {
    let now = Utc::now();
    let mut out = view(rec);
    out["held"] = json!(lot.held(now));
    out["available"] = json!(lot.available(now));
    out["expired"] = json!(lot.expired(super::today()));
    out
}

/// The stockpile `id` with its stock per item (on hand, held, available, and on hand in expired
/// lots), for readers of the stockpile.
pub async fn stockpile(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<Value, AppError> {
    let rec = readable(repo, caller, id).await?;
    let (now, today) = (Utc::now(), super::today());
    let mut per_item: std::collections::BTreeMap<String, [i64; 4]> = Default::default();
    for (_, lot) in lots_of(repo, id, None).await? {
        let e = per_item.entry(lot.item_id.clone()).or_default();
        e[0] += lot.quantity;
        e[1] += lot.held(now);
        if lot.expired(today) {
            e[3] += lot.quantity;
        } else {
            e[2] += lot.available(now);
        }
    }
    let mut out = view(&rec);
    out["stock"] = per_item
        .into_iter()
        .map(|(item, [on_hand, held, available, expired])| {
            json!({ "item_id": item, "on_hand": on_hand, "held": held,
                    "available": available, "expired": expired })
        })
        .collect();
    Ok(out)
}

/// The lots of a stockpile (of one item when `item_id` is given), for its readers.
pub async fn list_lots(
    repo: &dyn Repository,
    caller: &Caller,
    stockpile_id: &str,
    item_id: Option<&str>,
) -> Result<Value, AppError> {
    readable(repo, caller, stockpile_id).await?;
    let lots = lots_of(repo, stockpile_id, item_id).await?;
    Ok(json!({ "lots": lots.iter().map(|(r, l)| lot_view(r, l)).collect::<Vec<_>>() }))
}

/// Receives a lot into stockpile `stockpile_id` (admins and regulators), audited. The expiry
/// defaults to the received day + the item's shelf life; 409 naming `lot_number` when that lot
/// of the item is already there.
pub async fn receive_lot(
    repo: &dyn Repository,
    caller: &Caller,
    stockpile_id: &str,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "receive stock")?;
    let r: Receipt = parse("emergency.lot", body)?;
    let pile = fetch(repo, Kind::Stockpile, stockpile_id, "stockpile").await?;
    let mut v = Violations::default();
    if r.quantity <= 0 {
        v.push("out_of_range", "quantity", "quantity: must be > 0");
    }
    v.require_text("lot_number", &r.lot_number);
    let item = match catalogue::item(repo, &r.item_id).await {
        Ok((_, item)) => Some(item),
        Err(AppError::NotFound(_)) => {
            let msg = format!("item_id: no relief item with id '{}'", r.item_id);
            v.push("unknown", "item_id", msg);
            None
        }
        Err(e) => return Err(e),
    };
    let received = r.received_date.unwrap_or_else(super::today);
    if let (Some(exp), true) = (r.expiry_date, r.expiry_date.is_some_and(|e| e < received)) {
        v.push(
            "out_of_range",
            "expiry_date",
            format!("expiry_date: {exp} is before the received day {received}"),
        );
    }
    checked(v)?;
    let shelf = item.and_then(|i| i.shelf_life_days);
    let expiry = r
        .expiry_date
        .or_else(|| shelf.map(|d| received + chrono::Days::new(u64::from(d))));
    let lot = Lot {
        stockpile_id: pile.id.clone(),
        item_id: r.item_id.clone(),
        lot_number: r.lot_number.trim().to_string(),
        quantity: r.quantity,
        expiry_date: expiry,
        received_date: received,
        holds: vec![],
    };
    let ext = format!("{}/{}/{}", pile.id, lot.item_id, lot.lot_number);
    let body = serde_json::to_value(&lot).expect("a lot serialises");
    let op = insert_op(
        Kind::StockLot,
        &pile.region,
        Some(ext),
        pile.owner_party.clone(),
        body,
    );
    let stored = commit_audited(repo, caller, "emergency.stock.receive", vec![(op, None)])
        .await
        .map_err(|e| match step_error(e) {
            AppError::Conflict { .. } => AppError::Conflict {
                field: "lot_number".into(),
                message: format!(
                    "lot {} of this item is already at this stockpile",
                    lot.lot_number
                ),
            },
            other => other,
        })?;
    Ok(lot_view(&stored[0], &lot))
}

/// Reservations (or issues, for `kind` [`Kind::StockIssue`]) of a stockpile, or of a request,
/// for the stockpile's readers; admins and regulators may list them all.
pub async fn list_movements(
    repo: &dyn Repository,
    caller: &Caller,
    kind: Kind,
    stockpile_id: Option<&str>,
    request_id: Option<&str>,
) -> Result<Value, AppError> {
    let mut filters = Vec::new();
    match stockpile_id {
        Some(id) => {
            readable(repo, caller, id).await?;
            filters.push(text_eq("stockpile_id", id));
        }
        None => authorise_manage(caller, "list every stockpile's stock movements")?,
    }
    if let Some(r) = request_id {
        filters.push(text_eq("request_id", r));
    }
    let (records, truncated) = list_capped(repo, kind, None, None, filters, MAX_LIST).await?;
    let now = Utc::now();
    let rows: Vec<Value> = records
        .iter()
        .map(|r| super::movement::movement_view(r, now))
        .collect();
    Ok(json!({ "records": rows, "truncated": truncated }))
}

/// One reservation or issue, for the stockpile's readers.
pub async fn movement(
    repo: &dyn Repository,
    caller: &Caller,
    kind: Kind,
    id: &str,
) -> Result<Value, AppError> {
    let what = if kind == Kind::StockIssue {
        "issue"
    } else {
        "reservation"
    };
    let rec = fetch(repo, kind, id, what).await?;
    let pile = rec.body["stockpile_id"].as_str().unwrap_or_default();
    readable(repo, caller, pile)
        .await
        .map_err(|_| AppError::NotFound(format!("no {what} with id '{id}'")))?;
    Ok(super::movement::movement_view(&rec, Utc::now()))
}
