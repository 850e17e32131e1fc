//! HTTP handlers for `/api/v1/{collection}`: CRUD, lifecycle, import and export.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};
use wuliu_store::{Cursor, Field, Filter, Literal, Op};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::service::{parse_csv, parse_json_rows, record_json, records_csv};
use crate::spec::{self, EntitySpec, FieldSpec};
use crate::AppState;

type Params = Query<Vec<(String, String)>>;

fn spec_of(collection: &str) -> Result<&'static EntitySpec, ApiError> {
    spec::by_collection(collection).ok_or_else(|| {
        let known: Vec<&str> = spec::SPECS.iter().map(|s| s.kind.table()).collect();
        ApiError::not_found(format!(
            "no collection '{collection}'; known: {}",
            known.join(", ")
        ))
    })
}

/// The version an `If-Match` header names (`"3"`, `W/"3"` or `3`); 400 when it names none.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Some)
        .map_err(|_| {
            ApiError::bad(
                "header.invalid",
                "If-Match",
                format!(
                    "If-Match must be the ETag of the record as read, e.g. \"3\"; got {text:?}"
                ),
            )
        })
}

/// A record as the answer: its JSON with its version as the `ETag`.
fn with_etag(rec: &wuliu_store::Record) -> Response {
    let etag = format!("\"{}\"", rec.version);
    ([(header::ETAG, etag)], Json(record_json(rec))).into_response()
}

/// A request body as JSON, or a 400 naming the position of the mistake.
pub(crate) fn parse_json(text: &str) -> Result<Value, ApiError> {
    serde_json::from_str(text).map_err(|e| {
        ApiError::bad(
            "json.malformed",
            "body",
            format!(
                "body is not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// A query parameter's RFC 3339 time, or a 400 naming the parameter.
pub(crate) fn time_value(
    name: &str,
    value: &str,
) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| {
            ApiError::bad(
                "param.invalid",
                name,
                format!("'{value}' is not an RFC 3339 time, e.g. 2026-11-02T08:00:00Z"),
            )
        })
}

pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn find_field(fields: &'static [FieldSpec], name: &str) -> Option<Field> {
    fields
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, path, ty)| Field::Json(path.to_vec(), *ty))
}

/// The value of a filter, checked: numbers must be finite, times RFC 3339 or a date
/// (`YYYY-MM-DD`, read as its midnight UTC).
fn filter_literal(
    field: &Field,
    name: &str,
    param: &str,
    value: &str,
) -> Result<Literal, ApiError> {
    let refuse =
        |what: &str| ApiError::bad("param.invalid", param, format!("'{value}' is not {what}"));
    if let Field::Json(_, wuliu_store::FieldType::Number) = field {
        let n: f64 = value.parse().map_err(|_| refuse("a number"))?;
        return if n.is_finite() {
            Ok(Literal::Number(n))
        } else {
            Err(refuse("a finite number"))
        };
    }
    if name.ends_with("time") || name.ends_with("_start") {
        let ok = chrono::DateTime::parse_from_rfc3339(value).is_ok()
            || chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok();
        if !ok {
            return Err(refuse(
                "a time (RFC 3339, e.g. 2026-11-02T08:00:00Z, or a date 2026-11-02)",
            ));
        }
    }
    Ok(Literal::Text(value.to_string()))
}

/// Builds the list query from `?limit=&cursor=&sort=&region=&status=&external_id=&<filter>[.gte|.lte]=`.
fn list_query(
    state: &AppState,
    caller: &Caller,
    spec: &EntitySpec,
    params: &[(String, String)],
) -> Result<wuliu_store::ListQuery, ApiError> {
    let mut q =
        state
            .service
            .visible_query(caller, spec, param(params, "region").map(String::from))?;
    for (key, value) in params {
        match key.as_str() {
            "region" => {}
            "limit" => {
                q.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad(
                            "param.invalid",
                            "limit",
                            "limit must be an integer from 1 to 1000",
                        )
                    })?;
            }
            "cursor" => {
                let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(value)
                    .map_err(|_| {
                        ApiError::bad(
                            "param.invalid",
                            "cursor",
                            "cursor is not one this API issued",
                        )
                    })?;
                let c: Cursor = serde_json::from_slice(&bytes).map_err(|_| {
                    ApiError::bad(
                        "param.invalid",
                        "cursor",
                        "cursor is not one this API issued",
                    )
                })?;
                q.after = Some(c);
            }
            "sort" => {
                let (desc, name) = match value.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, value.as_str()),
                };
                q.descending = desc;
                q.sort = match name {
                    "created_at" => Field::Column("created_at"),
                    "updated_at" => Field::Column("updated_at"),
                    "id" => Field::Column("id"),
                    other => find_field(spec.sorts, other).ok_or_else(|| {
                        let mut names = vec!["created_at", "updated_at", "id"];
                        names.extend(spec.sorts.iter().map(|s| s.0));
                        ApiError::bad(
                            "param.unknown_sort",
                            "sort",
                            format!("cannot sort by '{other}'; use one of {}", names.join(", ")),
                        )
                    })?,
                };
            }
            "status" if spec.has_status => {
                let known = spec::enum_values(spec, "status").unwrap_or_default();
                if !known.contains(value) {
                    return Err(ApiError::bad(
                        "param.invalid",
                        "status",
                        format!("status '{value}' is not one of {}", known.join(", ")),
                    ));
                }
                q.filters.push(Filter {
                    field: Field::Column("status"),
                    op: Op::Eq,
                    value: Literal::Text(value.clone()),
                })
            }
            "external_id" => q.filters.push(Filter {
                field: Field::Column("external_id"),
                op: Op::Eq,
                value: Literal::Text(value.clone()),
            }),
            other => {
                let (name, op) = match other.rsplit_once('.') {
                    Some((n, "gte")) => (n, Op::Gte),
                    Some((n, "lte")) => (n, Op::Lte),
                    _ => (other, Op::Eq),
                };
                let field = find_field(spec.filters, name).ok_or_else(|| {
                    let names: Vec<&str> = spec.filters.iter().map(|f| f.0).collect();
                    ApiError::bad(
                        "param.unknown",
                        other,
                        format!(
                            "unknown parameter '{other}'; filters for {}: {}",
                            spec.kind.table(),
                            names.join(", ")
                        ),
                    )
                })?;
                let literal = filter_literal(&field, name, other, value)?;
                q.filters.push(Filter {
                    field,
                    op,
                    value: literal,
                });
            }
        }
    }
    Ok(q)
}

/// `GET /api/v1/{collection}`
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(collection): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let spec = spec_of(&collection)?;
    let q = list_query(&state, &caller, spec, &params)?;
    let page = state.repo.list(spec.kind, &q).await?;
    let next = page.next.map(|c| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&c).expect("cursor"))
    });
    let items: Vec<Value> = page.records.iter().map(record_json).collect();
    Ok(Json(json!({ "items": items, "next_cursor": next })))
}

/// `POST /api/v1/{collection}`
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(collection): Path<String>,
    Query(params): Params,
    body: String,
) -> Result<Response, ApiError> {
    let spec = spec_of(&collection)?;
    let region = state
        .service
        .write_region(&caller, param(&params, "region"))?;
    let rec = state
        .service
        .create(&caller, spec, parse_json(&body)?, &region)
        .await?;
    let location = format!("/api/v1/{collection}/{}", rec.id);
    let mut res = with_etag(&rec);
    *res.status_mut() = StatusCode::CREATED;
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// `GET /api/v1/{collection}/{id}` (the answer's `ETag` is the record's version)
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path((collection, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let spec = spec_of(&collection)?;
    Ok(with_etag(&state.service.get(&caller, spec, &id).await?))
}

/// `PUT /api/v1/{collection}/{id}`; with `If-Match: "<version>"` it is refused (412) when the
/// record changed since that version.
pub async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    let spec = spec_of(&collection)?;
    let rec = state
        .service
        .replace(&caller, spec, &id, parse_json(&body)?, if_match(&headers)?)
        .await?;
    Ok(with_etag(&rec))
}

/// `PATCH /api/v1/{collection}/{id}` (JSON merge patch; `If-Match` as for PUT)
pub async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    let spec = spec_of(&collection)?;
    let rec = state
        .service
        .patch(&caller, spec, &id, parse_json(&body)?, if_match(&headers)?)
        .await?;
    Ok(with_etag(&rec))
}

/// `POST /api/v1/{collection}/{id}/status` with `{"status": "..."}` (`If-Match` as for PUT)
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path((collection, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    let spec = spec_of(&collection)?;
    let body = parse_json(&body)?;
    let to = body.get("status").and_then(Value::as_str).ok_or_else(|| {
        ApiError::bad(
            "required",
            "status",
            "body must be {\"status\": \"<next status>\"}",
        )
    })?;
    let rec = state
        .service
        .transition(&caller, spec, &id, to, if_match(&headers)?)
        .await?;
    Ok(with_etag(&rec))
}

/// Whether the import body (`import`) or the export answer is CSV: `?format=`, else the headers. An
/// import whose `format` contradicts its `Content-Type` is refused.
pub(crate) fn wants_csv(
    params: &[(String, String)],
    headers: &HeaderMap,
    import: bool,
) -> Result<bool, ApiError> {
    let declared = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.contains("csv"))
    };
    // An import's body is described by its Content-Type; an export's wish by Accept.
    let by_header = declared(header::CONTENT_TYPE).or_else(|| declared(header::ACCEPT));
    let by_param = match param(params, "format") {
        None => return Ok(by_header.unwrap_or(false)),
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError::bad(
                "param.invalid",
                "format",
                format!("format '{other}' is not csv or json"),
            ))
        }
    };
    let body_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let body_says_csv = body_type.contains("csv");
    let body_says_json = body_type.contains("json");
    if import && ((by_param && body_says_json) || (!by_param && body_says_csv)) {
        return Err(ApiError::bad(
            "param.conflict",
            "format",
            format!(
                "format={} but the body is declared as {body_type}",
                if by_param { "csv" } else { "json" }
            ),
        ));
    }
    Ok(by_param)
}

/// `POST /api/v1/{collection}/import?format=csv|json`
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    Path(collection): Path<String>,
    Query(params): Params,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let spec = spec_of(&collection)?;
    let region = state
        .service
        .write_region(&caller, param(&params, "region"))?;
    let rows = if wants_csv(&params, &headers, true)? {
        parse_csv(spec, &body)?
    } else {
        let text = std::str::from_utf8(&body).map_err(|e| {
            ApiError::bad(
                "json.encoding",
                "body",
                format!(
                    "a JSON import must be UTF-8; byte {} is not",
                    e.valid_up_to() + 1
                ),
            )
        })?;
        parse_json_rows(text)?
    };
    let report = state.service.import(&caller, spec, rows, &region).await?;
    Ok(Json(
        serde_json::to_value(report).expect("report serialises"),
    ))
}

/// `GET /api/v1/{collection}/export?format=csv|json`, with the list's filters and `sort` (every
/// matching record, not one page: `limit` and `cursor` are ignored).
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path(collection): Path<String>,
    Query(params): Params,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let spec = spec_of(&collection)?;
    let selection: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "format" | "limit" | "cursor"))
        .cloned()
        .collect();
    let q = list_query(&state, &caller, spec, &selection)?;
    let records = state.service.list_all(spec.kind, q).await?;
    if wants_csv(&params, &headers, false)? {
        Ok((
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            records_csv(&records),
        )
            .into_response())
    } else {
        let items: Vec<Value> = records.iter().map(record_json).collect();
        Ok(Json(Value::Array(items)).into_response())
    }
}

/// `GET /api/v1/me`: who the token is.
pub async fn me(caller: Caller) -> Json<Value> {
    Json(json!({ "role": caller.role, "party_id": caller.party_id, "region": caller.region }))
}

/// `GET /api/v1`: the collections.
pub async fn index() -> Json<Value> {
    let items: Vec<Value> = spec::SPECS
        .iter()
        .map(|s| json!({ "collection": s.kind.table(), "href": format!("/api/v1/{}", s.kind.table()), "description": s.description }))
        .collect();
    Json(json!({ "collections": items, "openapi": "/openapi.json" }))
}

/// `GET /api/v1/audit?record_id=&actor=&region=&after=&limit=`: the audit trail, oldest first.
/// Admins and the regulator read all of it; a shipper or carrier reads the entries of its own party.
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    let mut q = wuliu_store::AuditQuery {
        limit: 100,
        ..Default::default()
    };
    for (k, v) in &params {
        match k.as_str() {
            "record_id" => q.record_id = Some(v.clone()),
            "actor" => q.actor = Some(v.clone()),
            "region" => q.region = Some(v.clone()),
            "party_id" => q.party_id = Some(v.clone()),
            "after" => {
                q.after_seq = v.parse().map_err(|_| {
                    ApiError::bad("param.invalid", "after", "after must be an entry's seq")
                })?
            }
            "limit" => {
                q.limit = v.parse().ok().filter(|n| (1..=1000).contains(n)).ok_or_else(|| {
                    ApiError::bad("param.invalid", "limit", "limit must be an integer from 1 to 1000")
                })?
            }
            other => {
                return Err(ApiError::bad(
                    "param.unknown",
                    other,
                    format!("unknown parameter '{other}'; use record_id, actor, region, party_id, after, limit"),
                ))
            }
        }
    }
    let items = state.service.audit(&caller, q).await?;
    let next = (items.len() as u32 == q_limit(&params))
        .then(|| items.last().map(|e| e.seq))
        .flatten();
    Ok(Json(json!({ "items": items, "next_after": next })))
}

fn q_limit(params: &[(String, String)]) -> u32 {
    param(params, "limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}
