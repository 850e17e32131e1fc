//! The desk's configuration record and who a caller is on the desk.
//!
//! The configuration ([`DeskConfig`]: group membership by unit name, the cadence choices, the
//! overdue limits) is one `desk_configs` record per region with external ID `appeals`; until an
//! admin or regulator stores one, the document's defaults apply.

use serde_json::{json, Value};
use wuliu_gov::appeals::{Actor, DeskConfig, Group};
use wuliu_store::{Record, Repository};

use super::super::settings::{self, IfStored};
use super::super::{checked, parse};
use crate::caller::{Caller, Role};
use crate::emergency::authorise_manage;
use crate::error::AppError;
use crate::gov::units;

/// The external ID of the appeal desk's configuration record.
pub const CONFIG_KEY: &str = "appeals";

/// The stored configuration of `region` (with its record when there is one), else the defaults.
pub async fn load(
    repo: &dyn Repository,
    region: &str,
) -> Result<(DeskConfig, Option<Record>), AppError> {
    settings::load(repo, region, CONFIG_KEY).await
}

/// A caller's standing on the desk.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The engine's actor (groups, unit ID).
    pub actor: Actor,
    /// The unit's name, for officials.
    pub unit_name: Option<String>,
    /// The desk's configuration in force.
    pub config: DeskConfig,
}

impl Standing {
    /// Whether the caller is 专班领导 (admins and regulators).
    pub fn is_leadership(&self) -> bool {
        self.actor.groups.contains(&Group::Leadership)
    }

    /// Whether the caller sees every appeal of its region (leadership, 综合组, 信息采集组).
    pub fn sees_all(&self) -> bool {
        self.actor
            .groups
            .iter()
            .any(|g| matches!(g, Group::Leadership | Group::General | Group::Collection))
    }
}

/// Who `caller` is on the desk of its region: admins and regulators are 专班领导; an official
/// acts with its unit's groups (possibly none: a competent unit); other roles may not use the
/// desk (403).
pub async fn standing(repo: &dyn Repository, caller: &Caller) -> Result<Standing, AppError> {
    let (config, _) = load(repo, &caller.region).await?;
    match caller.role {
        Role::Admin | Role::Regulator => Ok(Standing {
            actor: Actor { who: caller.actor.clone(), unit: None, groups: vec![Group::Leadership] },
            unit_name: None,
            config,
        }),
        Role::Official => {
            let unit = units::of_caller(repo, caller).await?;
            let name = unit.body["name"].as_str().unwrap_or_default().to_string();
            let groups = config.groups_of(&name);
            Ok(Standing {
                actor: Actor { who: caller.actor.clone(), unit: Some(unit.id.clone()), groups },
                unit_name: Some(name),
                config,
            })
        }
        other => Err(AppError::Forbidden {
            field: None,
            message: format!("a {} may not use the appeal desk (officials of its units, regulators and admins may)", other.name()),
        }),
    }
}

/// The configuration in force for the caller's region, the caller's standing (groups, unit) and
/// the region's unit directory (for assigning a competent unit).
pub async fn get(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    let (_, rec) = load(repo, &caller.region).await?;
    let directory = units::names(repo, &caller.region).await?;
    let mut units: Vec<Value> = directory
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    units.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(json!({
        "config": s.config,
        "stored": rec.is_some(),
        "version": rec.as_ref().map(|r| r.version),
        "me": {
            "groups": s.actor.groups,
            "unit_id": s.actor.unit,
            "unit_name": s.unit_name,
        },
        "units": units,
    }))
}

/// Replaces the configuration of the caller's region (admins and regulators; audited). The body
/// is a whole [`DeskConfig`]; a bad value is a 422 naming it.
pub async fn put(repo: &dyn Repository, caller: &Caller, body: Value) -> Result<Value, AppError> {
    authorise_manage(caller, "configure the appeal desk")?;
    let config: DeskConfig = parse("gov.appeals.config", body)?;
    checked(config.validate())?;
    let stored = settings::store(
        repo,
        caller,
        CONFIG_KEY,
        "gov.appeals.config",
        &config,
        IfStored::Replace,
    )
    .await?;
    Ok(json!({ "config": stored["config"], "version": stored["version"] }))
}
