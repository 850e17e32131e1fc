//! Emergency logistics (应急物流, issue 28): the relief item catalogue, stockpiles with stock by lot,
//! reservations and issues, the emergency fleet's green-channel passes (应急通行证), and relief
//! requests from demand points with their triage workflow. Allocation itself lives in the
//! `wuliu-emergency` engine; this module keeps the records it plans over.
//!
//! # Who may do what
//!
//! | action | roles |
//! |---|---|
//! | read the item catalogue | every caller |
//! | add items, stockpiles and lots; reserve, release, issue; register and revoke passes | `admin`, `regulator` (the city's emergency office acts with the regulator role) |
//! | read a stockpile, its lots, reservations and issues | `admin`, `regulator`; the enterprise holding an agreement reserve (协议储备), its own |
//! | read passes and the fleet | `admin`, `regulator`; a carrier, its own vehicles |
//! | submit a relief request | every caller |
//! | read requests | `admin`, `regulator` all; other callers those their party submitted |
//! | triage, reject, and move a request along | `admin`, `regulator` |
//! | cancel a request | `admin`, `regulator`; the submitting party while it is submitted or triaged |
//!
//! # Stock never goes negative
//!
//! A lot's body holds its quantity on hand and the holds of the reservations on it; available =
//! on hand − the holds not yet expired. Every stock write reads the lots it touches, checks the
//! quantities, and commits the changed lots with the versions it read (plus the new issue or
//! reservation record and one audit entry per record, in the same transaction). When another
//! writer changed a lot in between, the whole commit fails and the write starts again from a
//! fresh read, at most [`RETRIES`] times, then answers 409. Issues without a named lot take the
//! lots that expire first (FEFO); expired lots are never issued or reserved.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use serde_json::json;
//! use wuliu_app::{emergency, Caller};
//!
//! let repo = wuliu_store::SqlStore::open("sqlite::memory:").await.unwrap();
//! let office = Caller::system("450200", "doc");
//! let water = emergency::catalogue::create_item(&repo, &office, json!({"code": "W5",
//!     "name": "饮用水（5升）", "unit": "桶", "unit_weight_kg": 5.2, "unit_volume_m3": 0.006,
//!     "shelf_life_days": 365, "category": "water"})).await.unwrap();
//! let depot = emergency::stock::create_stockpile(&repo, &office, json!({"code": "LZ-01",
//!     "name": "柳州市应急物资储备库", "kind": "government",
//!     "location": {"lat": 24.33, "lon": 109.42}})).await.unwrap();
//! let (item, depot) = (water["id"].as_str().unwrap(), depot["id"].as_str().unwrap());
//! for (lot, expiry) in [("B", "2030-06-30"), ("A", "2029-01-31")] {
//!     emergency::stock::receive_lot(&repo, &office, depot, json!({"item_id": item,
//!         "lot_number": lot, "quantity": 100, "expiry_date": expiry})).await.unwrap();
//! }
//! let issue = emergency::stock::issue(&repo, &office, depot,
//!     json!({"lines": [{"item_id": item, "quantity": 120}]})).await.unwrap();
//! // First expiry first out: all of lot A, then 20 of lot B.
//! let lots = &issue["lines"][0]["lots"];
//! assert_eq!((lots[0]["lot_number"].as_str(), lots[0]["quantity"].as_i64()), (Some("A"), Some(100)));
//! assert_eq!((lots[1]["lot_number"].as_str(), lots[1]["quantity"].as_i64()), (Some("B"), Some(20)));
//! # });
//! ```

pub mod catalogue;
pub mod commit;
pub mod drill;
pub mod fleet;
pub mod movement;
pub mod plan;
pub mod replan;
pub mod requests;
pub mod situation;
pub mod stock;

use std::future::Future;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use wuliu_model::Violations;
use wuliu_store::{
    Field, FieldType, Filter, Kind, ListQuery, Literal, NewRecord, Op, Record, Repository,
    StoreError, WriteOp,
};

use crate::caller::{Caller, Role};
use crate::error::AppError;

/// How many times a write starts again from a fresh read when another writer changed the same
/// records first, before it answers 409.
pub const RETRIES: u32 = 40;

/// The most records a listing answers (it says `truncated` when there were more).
pub const MAX_LIST: usize = 1000;

/// The most lines a request, reservation or issue may have.
pub const MAX_LINES: usize = 100;

/// Refuses callers other than admins and regulators for `what`.
pub fn authorise_manage(caller: &Caller, what: &str) -> Result<(), AppError> {
    match caller.role {
        Role::Admin | Role::Regulator => Ok(()),
        other => Err(AppError::Forbidden {
            field: None,
            message: format!(
                "a {} may not {what} (regulators and admins may)",
                other.name()
            ),
        }),
    }
}

/// One attempt of a write: it either commits, fails for good, or lost a race and should re-run.
pub(crate) enum Step {
    /// Another writer changed a record this attempt read; run it again from a fresh read.
    Raced,
    /// Failed for good.
    Fail(AppError),
}

impl From<AppError> for Step {
    fn from(e: AppError) -> Self {
        Step::Fail(e)
    }
}

impl From<StoreError> for Step {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::VersionMismatch { .. } => Step::Raced,
            other => Step::Fail(other.into()),
        }
    }
}

/// Runs `attempt` until it commits, again from a fresh read after each lost race (with a short
/// random pause), at most [`RETRIES`] times; then a 409 saying so.
pub(crate) async fn retrying<T, F, Fut>(what: &str, mut attempt: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Step>>,
{
    for n in 0..RETRIES {
        match attempt().await {
            Ok(v) => return Ok(v),
            Err(Step::Fail(e)) => return Err(e),
            Err(Step::Raced) => {
                let cap = 2 + 2 * u64::from(n.min(10));
                tokio::time::sleep(Duration::from_millis(rand::random::<u64>() % cap)).await;
            }
        }
    }
    Err(AppError::Conflict {
        field: "version".into(),
        message: format!(
            "{what}: other writers changed the same records {RETRIES} times while this request ran; nothing was written, try again"
        ),
    })
}

/// Reads a JSON body into `T`; a field of the wrong shape is a 400 naming it (`lines[2].quantity`).
pub(crate) fn parse<T: DeserializeOwned>(code: &'static str, body: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        let field = match e.path().to_string() {
            p if p == "." => "body".to_string(),
            p => p,
        };
        AppError::bad(code, field, e.into_inner().to_string())
    })
}

/// `Ok` when nothing was recorded, else the 422 listing every problem.
pub(crate) fn checked(v: Violations) -> Result<(), AppError> {
    v.into_result().map_err(AppError::Invalid)
}

/// A stored body as `T` (500 when it is not readable: the store was written by something else).
pub(crate) fn typed<T: DeserializeOwned>(rec: &Record) -> Result<T, AppError> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("stored {} is not readable: {e}", rec.id)))
}

/// A record as answered: its body with `id`, `version`, `created_at` and `updated_at`.
pub fn view(rec: &Record) -> Value {
    let mut out = match &rec.body {
        Value::Object(m) => m.clone(),
        other => {
            let mut m = serde_json::Map::new();
            m.insert("body".into(), other.clone());
            m
        }
    };
    out.insert("id".into(), json!(rec.id));
    out.insert("version".into(), json!(rec.version));
    out.insert("created_at".into(), json!(rec.created_at));
    out.insert("updated_at".into(), json!(rec.updated_at));
    Value::Object(out)
}

/// The record `id` of `kind`, or a 404 naming `what`.
pub(crate) async fn fetch(
    repo: &dyn Repository,
    kind: Kind,
    id: &str,
    what: &str,
) -> Result<Record, AppError> {
    repo.get(kind, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no {what} with id '{id}'")))
}

/// A filter `body.field = value` (text).
pub(crate) fn text_eq(field: &'static str, value: &str) -> Filter {
    Filter {
        field: Field::Json(vec![field], FieldType::Text),
        op: Op::Eq,
        value: Literal::Text(value.to_string()),
    }
}

/// A filter on an indexed column.
pub(crate) fn column_eq(column: &'static str, value: &str) -> Filter {
    Filter {
        field: Field::Column(column),
        op: Op::Eq,
        value: Literal::Text(value.to_string()),
    }
}

/// Every record of `kind` matching `filters` (of `party`, when given), oldest first, up to `cap`;
/// the flag says whether there were more.
pub(crate) async fn list_capped(
    repo: &dyn Repository,
    kind: Kind,
    region: Option<&str>,
    party: Option<&str>,
    filters: Vec<Filter>,
    cap: usize,
) -> Result<(Vec<Record>, bool), AppError> {
    let mut out = Vec::new();
    let mut query = ListQuery {
        region: region.map(String::from),
        party: party.map(String::from),
        filters,
        limit: (cap + 1).min(1000) as u32,
        ..ListQuery::default()
    };
    loop {
        let page = repo.list(kind, &query).await?;
        out.extend(page.records);
        if out.len() > cap {
            out.truncate(cap);
            return Ok((out, true));
        }
        match page.next {
            Some(next) => query.after = Some(next),
            None => return Ok((out, false)),
        }
    }
}

/// The region a caller lists: every region for admins and regulators, else its own.
pub(crate) fn list_region(caller: &Caller) -> Option<&str> {
    (!caller.sees_all()).then_some(caller.region.as_str())
}

/// A new record of `kind` to insert.
pub(crate) fn insert_op(
    kind: Kind,
    region: &str,
    external_id: Option<String>,
    owner_party: Option<String>,
    body: Value,
) -> WriteOp {
    let status = body.get("status").and_then(Value::as_str).map(String::from);
    WriteOp::Insert {
        kind,
        rec: NewRecord {
            id: crate::service::new_id(kind),
            region: region.to_string(),
            external_id,
            owner_party,
            partner_party: None,
            status,
            body,
        },
    }
}

/// `rec` with a new body, written only if it is still at the version read.
pub(crate) fn update_op(kind: Kind, rec: &Record, body: Value) -> WriteOp {
    let status = body.get("status").and_then(Value::as_str).map(String::from);
    WriteOp::Update {
        kind,
        rec: NewRecord {
            id: rec.id.clone(),
            region: rec.region.clone(),
            external_id: rec.external_id.clone(),
            owner_party: rec.owner_party.clone(),
            partner_party: rec.partner_party.clone(),
            status: status.or(rec.status.clone()),
            body,
        },
        expected_version: rec.version,
    }
}

/// Commits `ops` atomically with one audit entry per op (`action`; the diff against the record
/// read, given beside each update, so before/after quantities are in the trail). Answers the
/// stored records in the order of `ops`.
pub(crate) async fn commit_audited(
    repo: &dyn Repository,
    caller: &Caller,
    action: &str,
    ops: Vec<(WriteOp, Option<Record>)>,
) -> Result<Vec<Record>, Step> {
    // Row locks are taken in one order by every commit here (new records first, then updates
    // by table and ID), so two commits over the same records cannot deadlock on PostgreSQL (a
    // reservation and a cancellation of the same request both write the request and a lot).
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by_key(|&k| match &ops[k].0 {
        WriteOp::Insert { .. } => (0, "", ""),
        WriteOp::Update { kind, rec, .. } => (1, kind.table(), rec.id.as_str()),
    });
    let mut slots: Vec<Option<(WriteOp, Option<Record>)>> = ops.into_iter().map(Some).collect();
    let sorted: Vec<(WriteOp, Option<Record>)> = order
        .iter()
        .map(|&k| slots[k].take().expect("each op once"))
        .collect();
    let audit = sorted
        .iter()
        .map(|(op, before)| {
            let after = crate::service::predicted_record(op);
            crate::audit::entry(caller, action, op.kind(), before.as_ref(), &after)
        })
        .collect();
    let stored = repo
        .commit(sorted.into_iter().map(|(op, _)| op).collect(), audit)
        .await?;
    let mut out: Vec<Option<Record>> = vec![None; stored.len()];
    for (rec, &k) in stored.into_iter().zip(&order) {
        out[k] = Some(rec);
    }
    Ok(out
        .into_iter()
        .map(|r| r.expect("every op stored"))
        .collect())
}

/// The current time, RFC 3339 UTC.
pub(crate) fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Today in Liuzhou (UTC+8), the day against which expiry dates are read.
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// A failed single-attempt write as its answer (a lost race is a 409).
pub(crate) fn step_error(step: Step) -> AppError {
    match step {
        Step::Fail(e) => e,
        Step::Raced => AppError::Conflict {
            field: "version".into(),
            message: "the record changed while this request ran (another request got there first); try again".into(),
        },
    }
}
