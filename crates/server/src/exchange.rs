//! `GET /api/v1/exchange/{document}`: waybills, fund-flow records, vehicles or drivers as messages
//! of the national network-freight exchange format ([`wuliu_app::exchange`] has the layout and its
//! sources), for admins and the regulator.
//!
//! Parameters: `from` and `to` (RFC 3339) select records changed in `[from, to)`; `region` one
//! region; `limit` (1 to 10,000, default 1,000) and `cursor` (the previous answer's `next_cursor`)
//! page through the rest; `id` selects one record and goes alone. The headers' sender code is the
//! region asked for, else the caller's.

use axum::extract::{Path, Query, State};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Value};
use wuliu_app::exchange::{self, Document, ExchangeBatch, ExchangeOptions, ExchangeQuery};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

const PARAMS: &str = "id, region, from, to, limit, cursor";

fn query(params: &[(String, String)]) -> Result<ExchangeQuery, ApiError> {
    let mut q = ExchangeQuery::default();
    for (key, value) in params {
        match key.as_str() {
            "id" => q.id = Some(value.clone()),
            "region" => q.region = Some(value.clone()),
            "from" => q.from = Some(crate::routes::time_value("from", value)?),
            "to" => q.to = Some(crate::routes::time_value("to", value)?),
            "cursor" => q.cursor = Some(value.clone()),
            "limit" => {
                q.limit = Some(value.parse().map_err(|_| {
                    ApiError::bad(
                        "param.invalid",
                        "limit",
                        format!(
                            "limit must be an integer from 1 to {}",
                            exchange::MAX_EXCHANGE_RECORDS
                        ),
                    )
                })?)
            }
            other => {
                return Err(ApiError::bad(
                    "param.unknown",
                    other,
                    format!("unknown parameter '{other}'; use {PARAMS}"),
                ))
            }
        }
    }
    Ok(q)
}

/// `GET /api/v1/exchange/{document}?from=&to=&region=&limit=&cursor=` or `?id=`
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(document): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Json<ExchangeBatch>, ApiError> {
    exchange::check_access(&caller)?;
    let doc = Document::parse(&document).ok_or_else(|| {
        let known: Vec<&str> = Document::ALL.iter().map(|d| d.collection()).collect();
        ApiError::not_found(format!(
            "no exchange document '{document}'; known: {}",
            known.join(", ")
        ))
    })?;
    let q = query(&params)?;
    let options = ExchangeOptions {
        sender_code: q.region.clone().unwrap_or_else(|| caller.region.clone()),
        sent_at: Utc::now(),
    };
    let batch = exchange::export_batch(&state.service, &caller, doc, &q, &options).await?;
    Ok(Json(batch))
}

/// The OpenAPI operation of [`export`].
pub fn openapi_operation() -> Value {
    let error = |description: &str| {
        json!({ "description": description,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
    };
    let q = |name: &str, schema: Value, description: &str| json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema });
    let documents: Vec<&str> = Document::ALL.iter().map(|d| d.collection()).collect();
    json!({
        "tags": ["service"],
        "summary": "Records as national network-freight exchange messages (电子运单 WLHY_YD1001, 资金流水单 WLHY_ZJ1001, 车辆信息单 WLHY_CL1001, 驾驶员信息单 WLHY_JSY1001); admins and the regulator only",
        "parameters": [
            { "name": "document", "in": "path", "required": true, "description": "Which document",
              "schema": { "type": "string", "enum": documents } },
            q("id", json!({"type": "string"}), "One record (no other parameter with it)"),
            q("region", json!({ "type": "string", "pattern": "^(1[1-9]|[2-7][0-9]|8[0-2])[0-9]{4}$" }), "Only this region; also the headers' sender code"),
            q("from", json!({"type": "string", "format": "date-time"}), "Records changed at or after this time"),
            q("to", json!({"type": "string", "format": "date-time"}), "Records changed before this time"),
            q("limit", json!({"type": "integer", "minimum": 1, "maximum": exchange::MAX_EXCHANGE_RECORDS, "default": exchange::DEFAULT_EXCHANGE_RECORDS}), "Most records in this answer"),
            q("cursor", json!({"type": "string"}), "The previous answer's next_cursor") ],
        "responses": {
            "200": { "description": "The batch: one message {root: {header, body}} per record, records that could not be converted, and the cursor for more",
                "content": { "application/json": { "schema": { "type": "object",
                    "required": ["document", "ipc_type", "count", "messages", "skipped"],
                    "properties": {
                        "document": { "type": "string" }, "ipc_type": { "type": "string" },
                        "document_name": { "type": "string" }, "sender_code": { "type": "string" },
                        "sent_at": { "type": "string", "format": "date-time" }, "count": { "type": "integer" },
                        "messages": { "type": "array", "items": { "type": "object" } },
                        "skipped": { "type": "array", "items": { "type": "object" } },
                        "next_cursor": { "type": "string", "nullable": true } } } } } },
            "400": error("Malformed parameter, unknown parameter, or id with another selection"),
            "401": error("Missing, malformed or unknown credentials"),
            "403": error("Not an admin or regulator"),
            "404": error("Unknown document, or no record with that id"),
            "413": error("limit above 10000: page with next_cursor or narrow with from, to or region"),
            "429": error("Too many requests"),
            "503": error("Storage unavailable") }
    })
}
