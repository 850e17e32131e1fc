//! The tracker's settings record: one `desk_configs` record per region with external ID `tasks`
//! holding a [`TrackerConfig`] (warning window, cadence and grace of periodic reports, and the
//! day tracking started). Until an admin or regulator stores one, the engine's defaults apply:
//! warn 15 days ahead, quarterly reports due 10 days after the quarter, owed from each
//! document's issue date.

use chrono::NaiveDate;
use serde_json::{json, Value};
pub use wuliu_gov::tasks::TrackerConfig;
use wuliu_store::{Record, Repository};

use crate::caller::Caller;
use crate::emergency::authorise_manage;
use crate::error::AppError;
use crate::gov::settings::{self, IfStored};
use crate::gov::{checked, parse};

/// The external ID of the tracker's settings record.
pub const CONFIG_KEY: &str = "tasks";

/// The stored settings of `region` (with the record when there is one), else the defaults.
pub async fn load(
    repo: &dyn Repository,
    region: &str,
) -> Result<(TrackerConfig, Option<Record>), AppError> {
    settings::load(repo, region, CONFIG_KEY).await
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
    store(repo, caller, &config, IfStored::Replace).await
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
    let stored = store(repo, caller, &config, IfStored::Keep).await?;
    Ok(stored["stored"] == json!(true))
}

async fn store(
    repo: &dyn Repository,
    caller: &Caller,
    config: &TrackerConfig,
    if_stored: IfStored,
) -> Result<Value, AppError> {
    settings::store(
        repo,
        caller,
        CONFIG_KEY,
        "gov.tasks.config",
        config,
        if_stored,
    )
    .await
}
