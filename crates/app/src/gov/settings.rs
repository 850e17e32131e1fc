//! A desk's settings record: one `desk_configs` record per region and desk (external ID the
//! desk's key, e.g. `appeals`, `tasks`) holding `{ "desk": key, "config": … }`. Until an admin or
//! regulator stores one, the desk's defaults apply. Used by the appeal desk and the task tracker.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use wuliu_store::{Kind, Record, Repository};

use super::{commit_audited, insert_op, retrying, update_op, Step};
use crate::caller::Caller;
use crate::error::AppError;

/// The stored settings `key` of `region` (with the record when there is one), else `T`'s
/// defaults. A stored body that does not read as `T` is a 500 naming the record.
pub async fn load<T: DeserializeOwned + Default>(
    repo: &dyn Repository,
    region: &str,
    key: &str,
) -> Result<(T, Option<Record>), AppError> {
    match repo
        .get_by_external_id(Kind::DeskConfig, region, key)
        .await?
    {
        None => Ok((T::default(), None)),
        Some(rec) => {
            let config = serde_json::from_value(rec.body["config"].clone()).map_err(|e| {
                AppError::Internal(format!(
                    "stored {key} settings {} are not readable: {e}",
                    rec.id
                ))
            })?;
            Ok((config, Some(rec)))
        }
    }
}

/// How [`store`] treats settings already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfStored {
    /// Replace them.
    Replace,
    /// Leave them as they are (answer `stored: false`).
    Keep,
}

/// Writes `config` as the caller's region's settings `key` with one audit entry (`action`); the
/// caller's rights are the desk's to check. Of two first writes racing, the loser reads the
/// winner's record and decides again. Answers `config`, `version` and `stored` (whether this
/// call wrote).
pub async fn store<T: Serialize + Sync>(
    repo: &dyn Repository,
    caller: &Caller,
    key: &str,
    action: &str,
    config: &T,
    if_stored: IfStored,
) -> Result<Value, AppError> {
    retrying(action, || async move {
        let rec = repo
            .get_by_external_id(Kind::DeskConfig, &caller.region, key)
            .await?;
        let body = json!({ "desk": key, "config": config });
        let op = match &rec {
            Some(r) if if_stored == IfStored::Keep => {
                return Ok(
                    json!({ "config": r.body["config"], "version": r.version, "stored": false }),
                );
            }
            Some(r) => (update_op(Kind::DeskConfig, r, body), Some(r.clone())),
            None => {
                let op = insert_op(
                    Kind::DeskConfig,
                    &caller.region,
                    Some(key.into()),
                    None,
                    body,
                );
                (op, None)
            }
        };
        let stored = commit_audited(repo, caller, action, vec![op])
            .await
            .map_err(|s| match s {
                // Another admin inserted the first record meanwhile: read it and decide again.
                Step::Fail(AppError::Conflict { .. }) => Step::Raced,
                other => other,
            })?;
        let r = &stored[0];
        Ok::<_, Step>(json!({ "config": r.body["config"], "version": r.version, "stored": true }))
    })
    .await
}
