//! Files attached to records of the government desks: the documents a unit attaches to a
//! progress report, the attached pages of an appeal (65号 附件1 备注1: 内容较多可另附页).
//!
//! An attachment is its own `attachments` record: the owner (`owner_kind`, `owner_id`), the file
//! name and media type as sent, the size and SHA-256 of the content, and the content itself
//! (base64, at most [`MAX_BYTES`] decoded). Attachments are written once and never changed; a
//! wrong file is replaced by attaching another.
//!
//! Reading rights are the owner's: the module that owns the record checks them before it calls
//! [`list`] or [`content`]; the HTTP download asks [`crate::gov::attachments::owner_of`] which
//! record to check.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository, WriteOp};

use super::{checked, insert_op, list_capped, view};
use crate::caller::Caller;
use crate::error::AppError;

/// The largest attachment, in bytes (decoded).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The most attachments one record may have.
pub const MAX_PER_RECORD: usize = 20;

/// The longest file name, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// Media types an attachment may have: documents, spreadsheets, images and archives a unit
/// sends with a report.
pub const MEDIA_TYPES: &[&str] = &[
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
    "image/png",
    "image/jpeg",
    "text/plain",
    "text/csv",
];

/// An attachment as sent: the file's name, its media type and its content in base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    /// File name, e.g. `第三季度进展.pdf` (no path separators).
    pub file_name: String,
    /// Media type, one of [`MEDIA_TYPES`].
    pub media_type: String,
    /// The content, standard base64.
    pub content_base64: String,
}

impl AttachmentInput {
    /// The decoded content, or the 422 listing every problem of the input by field (prefixed
    /// with `at`, e.g. `attachments[1].media_type`).
    pub fn decode(&self, at: &str) -> Result<Vec<u8>, AppError> {
        let mut v = Violations::default();
        let field = |f: &str| format!("{at}.{f}");
        let name = self.file_name.trim();
        if name.is_empty() {
            v.push("required", field("file_name"), "file_name: required");
        } else if name.chars().count() > MAX_NAME_CHARS {
            v.push(
                "too_long",
                field("file_name"),
                format!("file_name: at most {MAX_NAME_CHARS} characters"),
            );
        } else if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
            v.push(
                "invalid",
                field("file_name"),
                "file_name: a plain name, without path separators or control characters",
            );
        }
        if !MEDIA_TYPES.contains(&self.media_type.as_str()) {
            v.push(
                "invalid",
                field("media_type"),
                format!("media_type: one of {}", MEDIA_TYPES.join(", ")),
            );
        }
        let bytes = self.content_base64.len() / 4 * 3;
        let content = if bytes > MAX_BYTES + 3 {
            v.push(
                "too_large",
                field("content_base64"),
                format!("content_base64: at most {MAX_BYTES} bytes once decoded"),
            );
            None
        } else {
            match base64::engine::general_purpose::STANDARD.decode(&self.content_base64) {
                Ok(c) if c.is_empty() => {
                    v.push(
                        "required",
                        field("content_base64"),
                        "content_base64: empty file",
                    );
                    None
                }
                Ok(c) if c.len() > MAX_BYTES => {
                    v.push(
                        "too_large",
                        field("content_base64"),
                        format!("content_base64: at most {MAX_BYTES} bytes once decoded"),
                    );
                    None
                }
                Ok(c) => Some(c),
                Err(e) => {
                    v.push(
                        "invalid",
                        field("content_base64"),
                        format!("content_base64: not base64 ({e})"),
                    );
                    None
                }
            }
        };
        match (content, checked(v)) {
            (Some(c), Ok(())) => Ok(c),
            (_, Err(e)) => Err(e),
            (None, Ok(())) => unreachable!("a missing content is recorded as a problem"),
        }
    }
}

/// The insert of an attachment to `owner` (kind, record ID) of `region`, to commit in the same
/// transaction as the owner when both are new: a bad file then writes neither. Checks the input
/// (422 naming `at`'s fields).
pub fn insert(
    region: &str,
    owner: (Kind, &str),
    input: &AttachmentInput,
    at: &str,
) -> Result<WriteOp, AppError> {
    let content = input.decode(at)?;
    let body = json!({
        "owner_kind": owner.0.table(),
        "owner_id": owner.1,
        "file_name": input.file_name.trim(),
        "media_type": input.media_type,
        "size": content.len(),
        "sha256": hex::encode(Sha256::digest(&content)),
        "content_base64": input.content_base64,
    });
    Ok(insert_op(Kind::Attachment, region, None, None, body))
}

/// Attaches a file to the record `owner` (kind, ID), which must exist in the caller's region;
/// audited. The owning module has checked that the caller may write to it. 409 when the record
/// already has [`MAX_PER_RECORD`] attachments. Answers the attachment's metadata.
///
/// The owner is written too (same body, next version) in the attachment's transaction: two
/// attaches racing for the last place both count the attachments at the owner's version, and
/// the loser's commit fails on that version and counts again, so the cap holds.
pub async fn add(
    repo: &dyn Repository,
    caller: &Caller,
    owner: (Kind, &str),
    input: AttachmentInput,
) -> Result<Value, AppError> {
    let op = |rec: &Record| insert(&rec.region, owner, &input, "attachment");
    super::retrying("attachment", || async {
        let rec = super::fetch(repo, owner.0, owner.1, owner.0.table()).await?;
        if rec.region != caller.region && !caller.sees_all() {
            return Err(AppError::NotFound(format!(
                "no {} with id '{}'",
                owner.0.table(),
                owner.1
            ))
            .into());
        }
        if list(repo, owner.1).await?.len() >= MAX_PER_RECORD {
            return Err(AppError::Conflict {
                field: "attachments".into(),
                message: format!("{} already has {MAX_PER_RECORD} attachments", owner.1),
            }
            .into());
        }
        let touch = super::update_op(owner.0, &rec, rec.body.clone());
        let ops = vec![(op(&rec)?, None), (touch, Some(rec))];
        let stored = super::commit_audited(repo, caller, "gov.attachment.add", ops).await?;
        Ok(metadata(&stored[0]))
    })
    .await
}

/// The attachments of the record `owner_id`, oldest first, metadata only.
pub async fn list(repo: &dyn Repository, owner_id: &str) -> Result<Vec<Value>, AppError> {
    let filter = super::text_eq("owner_id", owner_id);
    let (records, _) = list_capped(
        repo,
        Kind::Attachment,
        None,
        None,
        vec![filter],
        MAX_PER_RECORD,
    )
    .await?;
    Ok(records.iter().map(metadata).collect())
}

/// The owner (kind, record ID) of the attachment `id`, for the caller to check it may read it.
pub async fn owner_of(repo: &dyn Repository, id: &str) -> Result<(Kind, String), AppError> {
    let rec = super::fetch(repo, Kind::Attachment, id, "attachment").await?;
    let kind = rec.body["owner_kind"]
        .as_str()
        .and_then(Kind::from_table)
        .ok_or_else(|| AppError::Internal(format!("attachment {id} names no owner kind")))?;
    let owner = rec.body["owner_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok((kind, owner))
}

/// The attachment `id`: its metadata and its content. Refuses loudly when the stored content
/// does not match its SHA-256 (the file was damaged in storage).
pub async fn content(repo: &dyn Repository, id: &str) -> Result<(Value, Vec<u8>), AppError> {
    let rec = super::fetch(repo, Kind::Attachment, id, "attachment").await?;
    let text = rec.body["content_base64"].as_str().unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| {
            AppError::Internal(format!(
                "attachment {id}: stored content is not base64: {e}"
            ))
        })?;
    let sum = hex::encode(Sha256::digest(&bytes));
    if rec.body["sha256"].as_str() != Some(sum.as_str()) {
        return Err(AppError::Internal(format!(
            "attachment {id}: stored content does not match its SHA-256; refusing to serve it"
        )));
    }
    Ok((metadata(&rec), bytes))
}

/// An attachment's record without its content.
pub fn metadata(rec: &Record) -> Value {
    let mut v = view(rec);
    if let Some(m) = v.as_object_mut() {
        m.remove("content_base64");
    }
    v
}

/// The attachment `id` for `caller`: its metadata and content when the caller may read the record
/// it is attached to (its owning desk says), else a 404 that does not tell whether it exists.
pub async fn download(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<(Value, Vec<u8>), AppError> {
    let (kind, owner) = owner_of(repo, id).await?;
    if !super::may_read_owner(repo, caller, kind, &owner).await? {
        return Err(AppError::NotFound(format!("no attachment with id '{id}'")));
    }
    content(repo, id).await
}
