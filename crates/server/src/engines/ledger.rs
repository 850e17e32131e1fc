//! Cold-chain traceability over HTTP.
//!
//! EPCIS 2.0: `POST /epcis/capture` (a capture document, stored atomically and durably before the
//! answer) and `GET /epcis/events` (query parameters `eventType`, `MATCH_anyEPC`, `GE_eventTime`,
//! `LT_eventTime`, `EQ_bizStep`, `EQ_disposition`, `EQ_bizLocation`, `limit`; lists comma-separated).
//!
//! Ledger: `GET /ledger/tree-head`, `/ledger/public-key`,
//! `/ledger/proofs/inclusion?leaf_index=&tree_size=`, `/ledger/proofs/consistency?old_size=&new_size=`,
//! `/ledger/events/{event_id}/proof`, `/ledger/lots/{lot}/bundle`, `/ledger/lots/{lot}/custody`,
//! `POST /ledger/lots/report`.
//!
//! # Who may do what
//!
//! * **Capture** (`POST /epcis/capture`): admin, shipper and carrier; the regulator is read-only.
//!   The caller's party and role are passed to the ledger, which records them in every event
//!   and applies its per-lot rule (see `wuliu_ledger::record`): a party may capture into a lot
//!   it claimed first or was handed over (`destinationList` naming its party id as
//!   `owning_party` or `possessing_party` in an event by a custodian); admins into any lot. A
//!   refused capture is a 403 naming the field (`$.epcisBody.eventList[i]...epcClass`), and
//!   nothing of the document is stored.
//! * **Public** (no token): the tree head, the public key, inclusion and consistency proofs.
//!   They reveal only hashes and sizes, and anyone must be able to check the log.
//! * **Share code**: a lot's bundle, with `?share=` its share code (from
//!   `GET /ledger/lots/{lot}/share`, for callers who see the lot): what a buyer scanning the
//!   lot's QR code reads. The code is derived from the ledger's signing key, so a lot's
//!   (guessable) identifier alone opens nothing.
//! * **Token and visibility**: bundles, custody, event queries, lot reports and single-event
//!   proofs (which carry the event itself). Admin and regulator see every lot. A shipper or
//!   carrier sees a lot only if it captured into it or holds or held custody of it (owner or
//!   hand-over recipient); other lots answer 404, as if unknown, and event queries return only
//!   events naming a lot it may see. Custody follows identifiers: holding a pallet shows the
//!   pallet, not the lots packed on it.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use wuliu_ledger::{CaptureError, Capturer, EventQuery, Ledger, LedgerError, LotReportRequest};

use super::{blocking, parse_request};
use crate::auth::{Caller, Role};
use crate::error::{ApiError, AppError};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

/// Query parameters that take a comma-separated list.
const LIST_PARAMS: &[&str] = &[
    "eventType",
    "MATCH_anyEPC",
    "EQ_bizStep",
    "EQ_disposition",
    "EQ_bizLocation",
];

fn ledger(state: &AppState) -> Result<Arc<Ledger>, ApiError> {
    state.ledger.clone().ok_or_else(|| {
        ApiError::not_found(
            "this server runs without a traceability ledger (start it with --ledger-dir)",
        )
    })
}

fn ledger_error(e: LedgerError) -> ApiError {
    ApiError::invalid("ledger.request", "body", e.to_string())
}

fn num(params: &[(String, String)], name: &str) -> Result<Option<u64>, ApiError> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| {
            v.parse().map_err(|_| {
                ApiError::bad(
                    "param.invalid",
                    name,
                    format!("{name} must be a non-negative integer"),
                )
            })
        })
        .transpose()
}

/// `POST /epcis/capture`
pub async fn capture(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<Response, ApiError> {
    if caller.role == Role::Regulator {
        return Err(AppError::Forbidden {
            field: None,
            message: "the regulator role is read-only".into(),
        }
        .into());
    }
    let ledger = ledger(&state)?;
    let capturer = Capturer {
        party_id: caller.party_id.clone(),
        role: caller.role.name().into(),
        admin: caller.role == Role::Admin,
    };
    match blocking(move || ledger.capture(&body, &capturer)).await? {
        Ok(receipt) => Ok((
            StatusCode::CREATED,
            Json(serde_json::to_value(receipt).expect("receipt")),
        )
            .into_response()),
        Err(e @ (CaptureError::Invalid(_) | CaptureError::Duplicate { .. })) => {
            let status = if matches!(e, CaptureError::Duplicate { .. }) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let issues = serde_json::to_value(e.issues()).expect("issues");
            let violations: Vec<Value> = e
                .issues()
                .iter()
                .map(|i| json!({ "code": i.code, "field": i.path, "message": i.to_string() }))
                .collect();
            Ok((status, Json(json!({ "error": { "code": "epcis.rejected", "message": e.to_string(), "violations": violations, "issues": issues } })))
                .into_response())
        }
        Err(CaptureError::Forbidden {
            path, lot, reason, ..
        }) => Err(AppError::Forbidden {
            field: Some(path),
            message: format!("capture refused for lot {lot}: {reason}"),
        }
        .into()),
        Err(CaptureError::Ledger(e)) if e.is_storage_failure() => {
            Err(AppError::Unavailable(format!("the ledger cannot write now: {e}")).into())
        }
        Err(other) => Err(AppError::Internal(other.to_string()).into()),
    }
}

/// The party whose visibility limits `caller` (`None`: admin and regulator see everything).
fn restricted_party(caller: &Caller) -> Option<String> {
    match caller.role {
        Role::Admin | Role::Regulator => None,
        // Every other role sees its own party's lots only (desk roles own none); without a party it
        // sees nothing: the empty id matches no lot.
        _ => Some(caller.party_id.clone().unwrap_or_default()),
    }
}

/// 404 unless `caller` may see `subject`'s history (see the module docs).
async fn ensure_visible(
    ledger: &Arc<Ledger>,
    caller: &Caller,
    subject: &str,
) -> Result<(), ApiError> {
    let Some(party) = restricted_party(caller) else {
        return Ok(());
    };
    let (ledger, subject_owned) = (ledger.clone(), subject.to_string());
    let visible = blocking(move || ledger.visible_to(&subject_owned, &party))
        .await?
        .map_err(ledger_error)?;
    if visible {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "no lot {subject} that this caller may see (it neither captured into it nor holds or held it)"
        )))
    }
}

/// `GET /epcis/events`
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let mut obj = Map::new();
    for (k, v) in &params {
        let value =
            if LIST_PARAMS.contains(&k.as_str()) {
                Value::Array(
                    v.split(',')
                        .map(|s| Value::String(s.trim().to_string()))
                        .collect(),
                )
            } else if k == "limit" {
                Value::from(v.parse::<u64>().map_err(|_| {
                    ApiError::bad("param.invalid", "limit", "limit must be an integer")
                })?)
            } else {
                Value::String(v.clone())
            };
        obj.insert(k.clone(), value);
    }
    let query: EventQuery = serde_path_to_error::deserialize(Value::Object(obj)).map_err(|e| {
        ApiError::bad(
            "param.invalid",
            e.path().to_string(),
            e.into_inner().to_string(),
        )
    })?;
    let ledger = ledger(&state)?;
    let party = restricted_party(&caller);
    let result = blocking(move || match party {
        None => ledger.query(&query),
        Some(p) => ledger.query_visible_to(&query, &p),
    })
    .await?
    .map_err(ledger_error)?;
    Ok(Json(serde_json::to_value(result).expect("result")))
}

/// `GET /ledger/tree-head`
pub async fn tree_head(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        serde_json::to_value(ledger(&state)?.tree_head()).expect("tree head"),
    ))
}

/// `GET /ledger/public-key`
pub async fn public_key(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({ "algorithm": "Ed25519", "public_key_hex": ledger(&state)?.public_key_hex() }),
    ))
}

/// `GET /ledger/proofs/inclusion`
pub async fn inclusion(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let leaf = num(&params, "leaf_index")?
        .ok_or_else(|| ApiError::bad("required", "leaf_index", "leaf_index is required"))?;
    let size = num(&params, "tree_size")?;
    let proof = ledger(&state)?
        .inclusion_proof(leaf, size)
        .map_err(ledger_error)?;
    Ok(Json(serde_json::to_value(proof).expect("proof")))
}

/// `GET /ledger/proofs/consistency`
pub async fn consistency(
    State(state): State<AppState>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let old = num(&params, "old_size")?
        .ok_or_else(|| ApiError::bad("required", "old_size", "old_size is required"))?;
    let new = num(&params, "new_size")?;
    let proof = ledger(&state)?
        .consistency_proof(old, new)
        .map_err(ledger_error)?;
    Ok(Json(serde_json::to_value(proof).expect("proof")))
}

/// `GET /ledger/events/{event_id}/proof`
pub async fn event_proof(
    State(state): State<AppState>,
    caller: Caller,
    Path(event_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ledger = ledger(&state)?;
    if let Some(party) = restricted_party(&caller) {
        let (l, id) = (ledger.clone(), event_id.clone());
        let visible = blocking(move || l.event_visible_to(&id, &party))
            .await?
            .map_err(ledger_error)?;
        if !visible {
            return Err(ApiError::not_found(format!(
                "no event {event_id} that this caller may see"
            )));
        }
    }
    let proof = ledger
        .prove_event(&event_id)
        .map_err(|e| ApiError::not_found(e.to_string()))?;
    Ok(Json(serde_json::to_value(proof).expect("proof")))
}

/// `GET /ledger/lots/{lot}/bundle`: the lot's history with proofs, checkable offline by `wuliu ledger verify`.
///
/// With `?share=<the lot's share code>` no login is needed (a buyer who scanned the lot's QR
/// code); a wrong code answers 404 like an unknown lot. Without one, the caller must see the lot.
pub async fn bundle(
    State(state): State<AppState>,
    caller: Result<Caller, ApiError>,
    Path(lot): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let ledger = ledger(&state)?;
    match params.iter().find(|(k, _)| k == "share") {
        Some((_, code)) => {
            let (l, subject, code) = (ledger.clone(), lot.clone(), code.clone());
            let ok = blocking(move || l.check_share_code(&subject, &code))
                .await?
                .unwrap_or(false);
            if !ok {
                return Err(ApiError::not_found(format!(
                    "no lot {lot} with this share code"
                )));
            }
        }
        None => ensure_visible(&ledger, &caller?, &lot).await?,
    }
    let b = blocking(move || ledger.export_bundle(&lot))
        .await?
        .map_err(ledger_error)?;
    Ok(Json(serde_json::to_value(b).expect("bundle")))
}

/// `GET /ledger/lots/{lot}/share`: the lot's share code, for a caller who may see the lot; it
/// opens the lot's bundle without a login (`/ledger/lots/{lot}/bundle?share=…`) and goes into
/// the lot's QR code (`/#/lot?id=…&share=…`).
pub async fn share(
    State(state): State<AppState>,
    caller: Caller,
    Path(lot): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ledger = ledger(&state)?;
    ensure_visible(&ledger, &caller, &lot).await?;
    let subject = lot.clone();
    let code = blocking(move || ledger.share_code(&subject))
        .await?
        .map_err(ledger_error)?;
    Ok(Json(json!({ "subject": lot, "share": code })))
}

/// `GET /ledger/lots/{lot}/custody`: chain of custody through aggregations and transformations.
pub async fn custody(
    State(state): State<AppState>,
    caller: Caller,
    Path(lot): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ledger = ledger(&state)?;
    ensure_visible(&ledger, &caller, &lot).await?;
    let c = blocking(move || ledger.chain_of_custody(&lot))
        .await?
        .map_err(ledger_error)?;
    Ok(Json(serde_json::to_value(c).expect("custody")))
}

/// `POST /ledger/lots/report` with `{"subject": "...", "policy": {"class": "frozen"}}`.
pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    body: String,
) -> Result<Json<Value>, ApiError> {
    let req: LotReportRequest = parse_request(&body)?;
    let ledger = ledger(&state)?;
    ensure_visible(&ledger, &caller, &req.subject).await?;
    let r = blocking(move || ledger.lot_report(&req.subject, &req.policy))
        .await?
        .map_err(ledger_error)?;
    Ok(Json(serde_json::to_value(r).expect("report")))
}
