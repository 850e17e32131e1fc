//! The dashboard map's layers as GeoJSON FeatureCollections, drawn without a tile server: counties
//! (their centres, with this month's waybills), the plan's key projects, the other facilities, live
//! vehicle positions and the heat of loads by origin.

use chrono::Duration;
use serde_json::{json, Value};
use wuliu_store::{Kind, ListQuery, Record, StatGroup};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::stats::{beijing_today, month_start, Scope};
use crate::Service;

/// The layers served.
pub const LAYERS: &[&str] = &[
    "counties",
    "projects",
    "facilities",
    "vehicles",
    "load_heat",
];

fn point(lat: f64, lon: f64, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties})
}

fn collection(features: Vec<Value>) -> Value {
    json!({"type": "FeatureCollection", "features": features})
}

async fn all(svc: &Service, caller: &Caller, kind: Kind) -> Result<Vec<Record>, AppError> {
    let q = ListQuery {
        region: Some(caller.region.clone()),
        limit: 1000,
        ..Default::default()
    };
    svc.list_all(kind, q).await
}

async fn counties(svc: &Service, caller: &Caller) -> Result<Value, AppError> {
    let today = beijing_today();
    let q = Scope::of(caller).query(month_start(today), today, StatGroup::County);
    let rows = svc.repo.stats(&q).await?;
    let features = all(svc, caller, Kind::County)
        .await?
        .into_iter()
        .filter_map(|r| {
            let b = &r.body;
            let code = b["division_code"].as_str()?.to_string();
            let c = b.get("centre")?;
            let waybills = rows
                .iter()
                .find(|x| x.key == code)
                .map(|x| x.waybills)
                .unwrap_or(0);
            let props = json!({"name": b["name"], "code": code, "division_type": b["division_type"],
                "waybills_month": waybills, "approximate": true});
            Some(point(c["lat"].as_f64()?, c["lon"].as_f64()?, props))
        })
        .collect();
    Ok(collection(features))
}

fn is_project(r: &Record) -> bool {
    r.external_id
        .as_deref()
        .is_some_and(|x| x.starts_with("kp-"))
}

async fn facilities(svc: &Service, caller: &Caller, projects: bool) -> Result<Value, AppError> {
    let features = all(svc, caller, Kind::Facility)
        .await?
        .into_iter()
        .filter(|r| is_project(r) == projects)
        .filter_map(|r| {
            let b = &r.body;
            let props = json!({"id": r.id, "name": b["name"], "kind": b["kind"], "status": b["status"],
                "district": b["address"], "type": b["plan_category"], "build_status": b["build_status"],
                "investment_yuan": b["investment_yuan"], "approximate": b["location_approximate"]});
            Some(point(b["location"]["lat"].as_f64()?, b["location"]["lon"].as_f64()?, props))
        })
        .collect();
    Ok(collection(features))
}

async fn load_heat(svc: &Service, caller: &Caller) -> Result<Value, AppError> {
    if !matches!(caller.role, Role::Admin | Role::Regulator) {
        return Err(AppError::forbidden(
            "role",
            "the load heat map is the regulator's",
        ));
    }
    let today = beijing_today();
    let cells = svc
        .repo
        .origin_heat(Some(&caller.region), today - Duration::days(29), today)
        .await?;
    let features = cells
        .into_iter()
        .map(|(lat, lon, n)| {
            point(
                lat,
                lon,
                json!({"name": format!("{lat:.2}, {lon:.2}"), "weight": n}),
            )
        })
        .collect();
    Ok(collection(features))
}

/// One layer by name.
pub async fn layer(svc: &Service, caller: &Caller, name: &str) -> Result<Value, AppError> {
    match name {
        "counties" => counties(svc, caller).await,
        "projects" => facilities(svc, caller, true).await,
        "facilities" => facilities(svc, caller, false).await,
        "vehicles" => crate::tracks::latest(svc, caller).await,
        "load_heat" => load_heat(svc, caller).await,
        _ => Err(AppError::NotFound(format!(
            "no map layer '{name}'; layers: {}",
            LAYERS.join(", ")
        ))),
    }
}
