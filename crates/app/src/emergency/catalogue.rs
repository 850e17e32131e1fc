//! The relief item catalogue: what a stockpile can hold and a request can ask for, with the unit
//! it is counted in and what one unit weighs and takes up (for loading trucks).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wuliu_model::Violations;
use wuliu_store::{Kind, Record, Repository};

use super::{
    authorise_manage, checked, commit_audited, insert_op, list_capped, list_region, parse, view,
    MAX_LIST,
};
use crate::caller::Caller;
use crate::error::AppError;

/// What kind of relief an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Drinking water.
    Water,
    /// Food.
    Food,
    /// Medicine and medical supplies.
    Medicine,
    /// Tents, bedding, clothing.
    Shelter,
    /// Sandbags, pumps, life jackets.
    FloodControl,
    /// Fuel.
    Fuel,
    /// Hygiene and disinfection.
    Hygiene,
    /// Anything else.
    Other,
}

/// A catalogue item as submitted and stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The office's own code, unique in the region (e.g. `WATER-5L`).
    pub code: String,
    /// Name, in Chinese (e.g. `饮用水（5升桶装）`).
    pub name: String,
    /// The unit stock is counted in (e.g. `桶`, `箱`, `顶`).
    pub unit: String,
    /// Weight of one unit, kilograms (> 0).
    pub unit_weight_kg: f64,
    /// Volume of one unit, cubic metres (> 0).
    pub unit_volume_m3: f64,
    /// Shelf life from receipt, days; none for goods that do not expire.
    #[serde(default)]
    pub shelf_life_days: Option<u32>,
    /// Kind of relief.
    pub category: Category,
}

impl Item {
    /// Every problem of the item, by field.
    pub fn validate(&self) -> Violations {
        let mut v = Violations::default();
        v.require_text("code", &self.code);
        if self.code.chars().count() > 64 {
            v.push("too_long", "code", "code: at most 64 characters");
        }
        v.require_text("name", &self.name);
        v.require_text("unit", &self.unit);
        v.require_positive("unit_weight_kg", self.unit_weight_kg, false);
        v.require_positive("unit_volume_m3", self.unit_volume_m3, false);
        if self.shelf_life_days == Some(0) {
            v.push(
                "out_of_range",
                "shelf_life_days",
                "shelf_life_days: must be > 0",
            );
        }
        v
    }
}

/// Adds an item to the catalogue of the caller's region (admins and regulators), audited; 409
/// when the code is taken. Answers the stored item.
pub async fn create_item(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    authorise_manage(caller, "add relief items")?;
    let item: Item = parse("emergency.item", body)?;
    checked(item.validate())?;
    let body = serde_json::to_value(&item).expect("an item serialises");
    let op = insert_op(
        Kind::EmergencyItem,
        &caller.region,
        Some(item.code.clone()),
        None,
        body,
    );
    let stored = commit_audited(repo, caller, "emergency.item.create", vec![(op, None)])
        .await
        .map_err(super::step_error)?;
    Ok(view(&stored[0]))
}

/// The catalogue (any caller): its region's items, or every region's for admins and regulators.
pub async fn list_items(repo: &dyn Repository, caller: &Caller) -> Result<Value, AppError> {
    let (records, truncated) = list_capped(
        repo,
        Kind::EmergencyItem,
        list_region(caller),
        None,
        vec![],
        MAX_LIST,
    )
    .await?;
    Ok(serde_json::json!({
        "items": records.iter().map(view).collect::<Vec<_>>(),
        "truncated": truncated,
    }))
}

/// The item `id` as stored, or a 404.
pub async fn item(repo: &dyn Repository, id: &str) -> Result<(Record, Item), AppError> {
    let rec = super::fetch(repo, Kind::EmergencyItem, id, "relief item").await?;
    let item = super::typed(&rec)?;
    Ok((rec, item))
}
