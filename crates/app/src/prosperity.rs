//! The Liuzhou logistics prosperity index (柳州物流业景气指数): China's LPI diffusion form (50 =
//! neutral) over the platform's own reporting units, month on month ([`wuliu_indicators::index`]).
//!
//! | component | units | value per unit |
//! |---|---|---|
//! | business_volume 业务总量 | carriers | tonne-km |
//! | new_orders 新订单 | shippers | waybills consigned |
//! | active_carriers 从业车辆 | carriers | distinct vehicles with a waybill |
//! | vehicle_utilisation 车辆利用率 | carriers | vehicle-days per vehicle |
//! | warehouse_throughput 仓储吞吐 | counties of loading | tonnes despatched (proxy) |
//! | delivery_time 配送时间 | carriers | mean despatch-to-receipt hours |

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate};
use serde_json::{json, Value};
use wuliu_indicators::index::{self, ComponentInput, ComponentKey, IndexConfig, UnitChange};
use wuliu_store::{UnitKind, UnitMonth};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::stats::month_start;
use crate::Service;

type Values = HashMap<String, f64>;

fn values(rows: &[UnitMonth], f: impl Fn(&UnitMonth) -> Option<f64>) -> Values {
    rows.iter()
        .filter_map(|r| f(r).map(|v| (r.unit.clone(), v)))
        .collect()
}

fn changes(prev: &Values, cur: &Values) -> Vec<UnitChange> {
    let mut units: Vec<&String> = prev.keys().chain(cur.keys()).collect();
    units.sort();
    units.dedup();
    units
        .into_iter()
        .map(|u| UnitChange {
            unit: u.clone(),
            previous: prev.get(u).copied(),
            current: cur.get(u).copied(),
        })
        .collect()
}

/// Per-kind unit months of one month.
struct Month {
    carriers: Vec<UnitMonth>,
    shippers: Vec<UnitMonth>,
    counties: Vec<UnitMonth>,
}

async fn month(svc: &Service, region: &str, m: &str) -> Result<Month, AppError> {
    let get = |k| svc.repo.unit_months(Some(region), m, k);
    Ok(Month {
        carriers: get(UnitKind::Carrier).await?,
        shippers: get(UnitKind::Shipper).await?,
        counties: get(UnitKind::County).await?,
    })
}

fn inputs(prev: &Month, cur: &Month) -> Vec<ComponentInput> {
    let per = |k: ComponentKey, f: &dyn Fn(&Month) -> Values| ComponentInput {
        key: k,
        units: changes(&f(prev), &f(cur)),
    };
    vec![
        per(ComponentKey::BusinessVolume, &|m| {
            values(&m.carriers, |r| Some(r.tonne_km))
        }),
        per(ComponentKey::NewOrders, &|m| {
            values(&m.shippers, |r| Some(r.waybills as f64))
        }),
        per(ComponentKey::ActiveCarriers, &|m| {
            values(&m.carriers, |r| Some(r.vehicles as f64))
        }),
        per(ComponentKey::VehicleUtilisation, &|m| {
            values(&m.carriers, |r| {
                (r.vehicles > 0).then(|| r.vehicle_days as f64 / r.vehicles as f64)
            })
        }),
        per(ComponentKey::WarehouseThroughput, &|m| {
            values(&m.counties, |r| Some(r.tonnes))
        }),
        per(ComponentKey::DeliveryTime, &|m| {
            values(&m.carriers, |r| r.mean_hours)
        }),
    ]
}

/// The previous month of `YYYY-MM`.
fn previous_month(m: NaiveDate) -> NaiveDate {
    month_start(m - Duration::days(1))
}

/// The index of `month` (its first day) and of the `history` months before it.
pub async fn index_of(
    svc: &Service,
    caller: &Caller,
    month_first: NaiveDate,
    history: usize,
) -> Result<Value, AppError> {
    if !matches!(caller.role, Role::Admin | Role::Regulator) {
        return Err(AppError::forbidden(
            "role",
            "the prosperity index is the regulator's (it compares every carrier)",
        ));
    }
    let mut months = vec![month_first];
    for _ in 0..history {
        months.push(previous_month(*months.last().expect("non-empty")));
    }
    months.push(previous_month(*months.last().expect("non-empty")));
    months.reverse();
    let mut data = BTreeMap::new();
    for m in &months {
        let key = m.format("%Y-%m").to_string();
        let got = month(svc, &caller.region, &key).await?;
        data.insert(key, got);
    }
    let keys: Vec<&String> = data.keys().collect();
    let mut hist = Vec::new();
    let mut latest = Value::Null;
    for w in keys.windows(2) {
        let value = index::compute(&inputs(&data[w[0]], &data[w[1]]), &IndexConfig::default())
            .map_err(|e| AppError::invalid("index.failed", "month", e.to_string()))?;
        let comps: serde_json::Map<String, Value> = value
            .components
            .iter()
            .map(|c| {
                (
                    serde_json::to_value(c.key)
                        .ok()
                        .and_then(|k| k.as_str().map(String::from))
                        .unwrap_or_default(),
                    json!(c.value),
                )
            })
            .collect();
        hist.push(json!({"month": w[1], "composite": value.composite, "has_data": value.has_data(), "components": comps}));
        latest = serde_json::to_value(&value).expect("index serialises");
    }
    Ok(json!({
        "month": month_first.format("%Y-%m").to_string(),
        "composite": latest["composite"], "components": latest["components"],
        "history": hist, "method_zh": index::METHOD_ZH, "method_en": index::METHOD_EN,
        "method_url": "/#/index/method",
    }))
}
