//! The directory of government units (市发展改革委, 市商务局, 柳州海关, …): the units the gazette's
//! tasks name as lead or cooperating units, the members of the appeal desk's task force, and what
//! an `official` account acts for (its `party_id` is a unit's record ID).
//!
//! A unit is stored once per region under its name as the gazette writes it (after the `市`
//! prefix expansion of the task parser), which is also its `external_id`, so adding the same name
//! twice answers the unit already there.
//!
//! | action | roles |
//! |---|---|
//! | list and read units | every caller (the directory is public) |
//! | add a unit | `admin`, `regulator` |

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wuliu_model::Violations;
use wuliu_store::{Kind, ListQuery, Record, Repository};

use super::{checked, commit_audited, insert_op, list_capped, step_error, view};
use crate::caller::Caller;
use crate::emergency::authorise_manage;
use crate::error::AppError;

/// The most units a region's directory holds.
pub const MAX_UNITS: usize = 1000;

/// The longest unit name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// The level of government a unit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A unit of the city (市…, 柳州海关 as the city's customs office).
    City,
    /// A county or district (…县, …区).
    County,
    /// The autonomous region (自治区…, 广西…).
    Region,
    /// A national body (中国贸促会).
    National,
    /// Anything else (enterprises, schools named as cooperating units).
    Other,
}

impl Level {
    /// The level a name reads as: `自治区`/`广西` → region, `中国`/`国家` → national, a name
    /// ending in 县 or 区 (not 新区 bodies of the city) → county, `市`/`柳州` → city.
    pub fn of_name(name: &str) -> Level {
        if name.starts_with("自治区") || name.starts_with("广西") {
            Level::Region
        } else if name.starts_with("中国") || name.starts_with("国家") {
            Level::National
        } else if name.starts_with('市') || name.starts_with("柳州") {
            Level::City
        } else if name.ends_with('县') || name.ends_with('区') {
            Level::County
        } else {
            Level::Other
        }
    }
}

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The name as the gazette writes it, e.g. `市商务局`; unique in the region.
    pub name: String,
    /// Level of government; read from the name when left out.
    #[serde(default)]
    pub level: Option<Level>,
}

impl Unit {
    /// Every problem of the unit, by field.
    pub fn validate(&self) -> Violations {
        let mut v = Violations::default();
        v.require_text("name", &self.name);
        if self.name.chars().count() > MAX_NAME_CHARS {
            v.push(
                "too_long",
                "name",
                format!("name: at most {MAX_NAME_CHARS} characters"),
            );
        }
        if self.name.trim() != self.name {
            v.push("untrimmed", "name", "name: no leading or trailing spaces");
        }
        v
    }
}

/// The unit named `name` in `region`, when there is one.
pub async fn by_name(
    repo: &dyn Repository,
    region: &str,
    name: &str,
) -> Result<Option<Record>, AppError> {
    Ok(repo.get_by_external_id(Kind::GovUnit, region, name).await?)
}

/// The ID of the unit `name` in the caller's region, adding it when missing (admins and
/// regulators; audited). Two callers adding the same name at once get the same unit.
pub async fn ensure(
    repo: &dyn Repository,
    caller: &Caller,
    name: &str,
) -> Result<String, AppError> {
    Ok(create(repo, caller, json!({ "name": name })).await?["id"]
        .as_str()
        .expect("a unit view has an id")
        .to_string())
}

/// Adds a unit (admins and regulators; audited) and answers it; a name already in the directory
/// answers the unit already there.
pub async fn create(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "add government units")?;
    let mut unit: Unit = super::parse("gov.unit", body)?;
    checked(unit.validate())?;
    if let Some(rec) = by_name(repo, &caller.region, &unit.name).await? {
        return Ok(view(&rec));
    }
    unit.level = Some(unit.level.unwrap_or_else(|| Level::of_name(&unit.name)));
    let body = serde_json::to_value(&unit).expect("a unit serialises");
    let op = insert_op(
        Kind::GovUnit,
        &caller.region,
        Some(unit.name.clone()),
        None,
        body,
    );
    match commit_audited(repo, caller, "gov.unit.create", vec![(op, None)]).await {
        Ok(stored) => Ok(view(&stored[0])),
        // Another caller added the same name first (the external ID is unique per region).
        Err(step) => match by_name(repo, &caller.region, &unit.name).await? {
            Some(rec) => Ok(view(&rec)),
            None => Err(step_error(step)),
        },
    }
}

/// The directory of the caller's region (every region's for admins and regulators), by name.
pub async fn list(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    let region = (!caller.sees_all()).then_some(caller.region.as_str());
    let (mut records, truncated) =
        list_capped(repo, Kind::GovUnit, region, None, vec![], MAX_UNITS).await?;
    records.sort_by(|a, b| (&a.region, unit_name(a)).cmp(&(&b.region, unit_name(b))));
    Ok(json!({
        "units": records.iter().map(view).collect::<Vec<_>>(),
        "truncated": truncated,
    }))
}

/// The name of the unit `id`, when it exists.
pub async fn name_of(repo: &dyn Repository, id: &str) -> Result<Option<String>, AppError> {
    Ok(repo
        .get(Kind::GovUnit, id)
        .await?
        .map(|rec| unit_name(&rec).to_string()))
}

/// The names of every unit of `region`, by ID (for views that show names beside IDs).
pub async fn names(
    repo: &dyn Repository,
    region: &str,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let query = ListQuery {
        region: Some(region.to_string()),
        limit: 1000,
        ..ListQuery::default()
    };
    let page = repo.list(Kind::GovUnit, &query).await?;
    Ok(page
        .records
        .iter()
        .map(|r| (r.id.clone(), unit_name(r).to_string()))
        .collect())
}

/// The unit an official acts for: its record, or a 403 when the caller is not an official of a
/// unit that exists.
pub async fn of_caller(repo: &dyn Repository, caller: &Caller) -> Result<Record, AppError> {
    let forbidden = |message: String| AppError::Forbidden {
        field: None,
        message,
    };
    let id = caller
        .party_id
        .as_deref()
        .filter(|_| caller.role == crate::caller::Role::Official)
        .ok_or_else(|| {
            forbidden(format!(
                "a {} acts for no government unit",
                caller.role.name()
            ))
        })?;
    repo.get(Kind::GovUnit, id)
        .await?
        .filter(|rec| rec.region == caller.region)
        .ok_or_else(|| forbidden(format!("the caller's unit '{id}' is not in the directory")))
}

fn unit_name(rec: &Record) -> &str {
    rec.body["name"].as_str().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_read_from_names() {
        assert_eq!(Level::of_name("市商务局"), Level::City);
        assert_eq!(Level::of_name("柳州海关"), Level::City);
        assert_eq!(Level::of_name("自治区商务厅"), Level::Region);
        assert_eq!(Level::of_name("中国贸促会"), Level::National);
        assert_eq!(Level::of_name("柳江区"), Level::County);
        assert_eq!(Level::of_name("融安县"), Level::County);
        assert_eq!(Level::of_name("柳州职业技术学院"), Level::City);
        assert_eq!(Level::of_name("各高校"), Level::Other);
    }
}
