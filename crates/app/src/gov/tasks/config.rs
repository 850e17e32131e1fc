//! The tracker's settings record: one `desk_configs` record per region with external ID `tasks`
//! holding a [`TrackerConfig`] (warning window, cadence and grace of periodic reports, and the
//! day tracking started). Until an admin or regulator stores one, the engine's defaults apply:
//! warn 15 days ahead, quarterly reports due 10 days after the quarter, owed from each
//! document's issue date.

use chrono::NaiveDate;
use serde_json::{json, Value};
pub use wuliu_gov::tasks::TrackerConfig;
use wuliu_store::{Kind, Record, Repository};

use crate::caller::Caller;
use crate::emergency::authorise_manage;
use crate::error::AppError;
use crate::gov::{checked, commit_audited, insert_op, parse, retrying, update_op, Step};

/// The external ID of the tracker's settings record.
pub const CONFIG_KEY: &str = "tasks";

/// The stored settings of `region` (with the record when there is one), else the defaults.
pub async fn load(
    repo: &dyn Repository,
    region: &str,
) -> Result<(TrackerConfig, Option<Record>), AppError> {
    match repo
        .get_by_external_id(Kind::DeskConfig, region, CONFIG_KEY)
        .await?
    {
        None => Ok((TrackerConfig::default(), None)),
        Some(rec) => {
            let config = serde_json::from_value(rec.body["config"].clone()).map_err(|e| {
                AppError::Internal(format!(
                    "stored tracker settings {} are not readable: {e}",
                    rec.id
                ))
            })?;
            Ok((config, Some(rec)))
        }
    }
}

/// The settings in force for the caller's region (every caller: statuses depend on them).
pub async fn get(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    let (config, rec) = load(repo, &caller.region).await?;
    Ok(json!({
        "config": config,
        "stored": rec.is_some(),
        "version": rec.as_ref().map(|r| r.version),
    }))
}

/// Replaces the settings of the caller's region (admins and regulators; audited). The body is a
/// whole [`TrackerConfig`] (absent fields take their defaults); an unknown field is a 400 and an
/// out-of-range value a 422, each naming the field.
pub async fn put(repo: &dyn Repository, caller: &Caller, body: Value) -> Result<Value, AppError> {
    authorise_manage(caller, "configure the task tracker")?;
    let config: TrackerConfig = parse("gov.tasks.config", body)?;
    checked(config.validate())?;
    store(repo, caller, &config, true).await
}

/// Stores `tracking_from = day` as the region's settings when it has none yet (admins and
/// regulators; audited), so a region loading the gazette's tables today is owed reports from
/// today rather than from 2022. Answers whether it stored them; settings already stored are
/// left as they are.
pub async fn start_tracking(
    repo: &dyn Repository,
    caller: &Caller,
    day: NaiveDate,
) -> Result<bool, AppError> {
    authorise_manage(caller, "configure the task tracker")?;
    if load(repo, &caller.region).await?.1.is_some() {
        return Ok(false);
    }
    let config = TrackerConfig {
        tracking_from: Some(day),
        ..TrackerConfig::default()
    };
    let stored = store(repo, caller, &config, false).await?;
    Ok(stored["stored"] == json!(true))
}

/// Writes `config` as the region's record: replacing one already there when `replace`, else
/// leaving it (answering `stored: false`).
async fn store(
    repo: &dyn Repository,
    caller: &Caller,
    config: &TrackerConfig,
    replace: bool,
) -> Result<Value, AppError> {
    retrying("tracker settings", || async move {
        let (_, rec) = load(repo, &caller.region).await?;
        let body = json!({ "desk": CONFIG_KEY, "config": config });
        let op = match &rec {
            Some(r) if replace => (update_op(Kind::DeskConfig, r, body), Some(r.clone())),
            Some(r) => {
                return Ok(json!({ "config": r.body["config"], "version": r.version, "stored": false }))
            }
            None => (
                insert_op(
                    Kind::DeskConfig,
                    &caller.region,
                    Some(CONFIG_KEY.into()),
                    None,
                    body,
                ),
                None,
            ),
        };
        let stored = commit_audited(repo, caller, "gov.tasks.config", vec![op])
            .await
            .map_err(|s| match s {
                // Another admin inserted the first record meanwhile: read it and decide again.
                Step::Fail(AppError::Conflict { .. }) => Step::Raced,
                other => other,
            })?;
        Ok::<_, Step>(
            json!({ "config": stored[0].body["config"], "version": stored[0].version, "stored": true }),
        )
    })
    .await
}
