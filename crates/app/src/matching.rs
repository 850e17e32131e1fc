//! Matching on the platform's stored records: the region's open loads and available vehicles (with
//! their carriers' drivers) as the matching engine's input, and the outlook learned from past loads.

use std::sync::Arc;

use chrono::Utc;
use wuliu_match::{AvailableVehicle, OpenLoad};
use wuliu_model::{Driver, Load, LoadId, TravelCosts, Vehicle, VehicleId};
use wuliu_store::{Field, Filter, Kind, ListQuery, Literal, Op, Record};

use crate::error::AppError;
use crate::service::Service;

/// Every record of `kind` in `region` matching `filters`.
pub async fn all(
    svc: &Service,
    kind: Kind,
    region: &str,
    filters: Vec<Filter>,
) -> Result<Vec<Record>, AppError> {
    let q = ListQuery {
        region: Some(region.to_string()),
        filters,
        ..Default::default()
    };
    svc.list_all(kind, q).await
}

/// A filter on the status column.
pub fn status_is(status: &str) -> Filter {
    Filter {
        field: Field::Column("status"),
        op: Op::Eq,
        value: Literal::Text(status.into()),
    }
}

/// A stored record as its model type.
pub fn typed<T: serde::de::DeserializeOwned>(rec: &Record) -> Result<T, AppError> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| AppError::Internal(format!("stored {} is not readable: {e}", rec.id)))
}

/// A stored load as a matching input.
pub fn open_load(rec: &Record) -> Result<OpenLoad, AppError> {
    Ok(OpenLoad {
        id: LoadId::new(rec.id.clone()),
        load: typed::<Load>(rec)?,
    })
}

/// Available vehicles of a region with their drivers; vehicles without a home base have no known
/// position and are left out.
pub async fn available_vehicles(
    svc: &Service,
    region: &str,
    free_from: chrono::DateTime<Utc>,
) -> Result<Vec<AvailableVehicle>, AppError> {
    let vehicles = all(svc, Kind::Vehicle, region, vec![status_is("available")]).await?;
    let drivers = all(svc, Kind::Driver, region, vec![]).await?;
    let mut out = Vec::new();
    for rec in &vehicles {
        out.extend(as_available(rec, &drivers, free_from)?);
    }
    Ok(out)
}

/// One stored vehicle as a matching input, crewed by up to two of its carrier's drivers; `None` when it
/// has no home base (no known position).
pub fn as_available(
    rec: &Record,
    drivers: &[Record],
    free_from: chrono::DateTime<Utc>,
) -> Result<Option<AvailableVehicle>, AppError> {
    let vehicle: Vehicle = typed(rec)?;
    let Some(position) = vehicle.home_base else {
        return Ok(None);
    };
    let crew: Vec<Driver> = drivers
        .iter()
        .filter(|d| d.owner_party.as_deref() == Some(vehicle.carrier_id.as_str()))
        .filter_map(|d| typed::<Driver>(d).ok())
        .take(2)
        .collect();
    Ok(Some(AvailableVehicle {
        id: VehicleId::new(rec.id.clone()),
        vehicle,
        position,
        free_from,
        drivers: crew,
        remaining_driving: wuliu_model::Seconds(wuliu_match::input::DEFAULT_DRIVING_S),
        available_until: None,
    }))
}

/// Where vehicles pile up and how far they then run empty, learned from the region's loads whose
/// pickup window opened in the `days` days before `start` (any status: posted loads are demand).
/// The store selects those loads ([`pickup_starts_within`]), through its index on the region and
/// the pickup start (`loads_pickup_start`, migration 3).
pub async fn learned_outlook(
    svc: &Service,
    travel: Arc<dyn TravelCosts>,
    region: &str,
    start: chrono::DateTime<Utc>,
    days: i64,
) -> Result<Vec<wuliu_match::outlook::SiteOutlook>, AppError> {
    let from = start - chrono::Duration::days(days);
    let past: Vec<(wuliu_model::GeoPoint, wuliu_model::GeoPoint)> =
        all(svc, Kind::Load, region, pickup_starts_within(from, start))
            .await?
            .iter()
            .filter_map(|rec| typed::<Load>(rec).ok())
            .map(|l| (l.origin.point, l.destination.point))
            .collect();
    tokio::task::spawn_blocking(move || {
        wuliu_match::outlook::learn_outlook(&past, travel.as_ref(), OUTLOOK_SITE_KM)
    })
    .await
    .map_err(|e| AppError::Internal(format!("outlook task failed: {e}")))?
    .map_err(|e| AppError::invalid("matching.invalid_request", "body", e.to_string()))
}

/// Load ends closer than this share one site when the outlook is learned, km.
pub const OUTLOOK_SITE_KM: f64 = 1.0;

/// Filters for loads whose `pickup_window.start` lies in `[from, to)`; both bounds are whole
/// seconds (the outlook's bounds are midnights).
///
/// The store compares the stored text. Stored times are normalised through the model, so they
/// read `YYYY-MM-DDTHH:MM:SS[.fraction]Z`. A bound written as its first 19 characters, without
/// fraction or `Z`, sorts before every stored time of that second and after every earlier one,
/// so the text comparison agrees with comparing the times (`.` sorts before `Z`, so a bound
/// written with its `Z` would wrongly put `…:00.5Z` before `…:00Z`).
pub fn pickup_starts_within(from: chrono::DateTime<Utc>, to: chrono::DateTime<Utc>) -> Vec<Filter> {
    let bound = |op, t: chrono::DateTime<Utc>| {
        debug_assert_eq!(t.timestamp_subsec_nanos(), 0, "whole-second bound");
        Filter {
            field: Field::Json(vec!["pickup_window", "start"], wuliu_store::FieldType::Text),
            op,
            value: Literal::Text(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        }
    };
    vec![bound(Op::Gte, from), bound(Op::Lt, to)]
}

/// Unloading time assumed at the end of a trip before the vehicle takes new work.
pub const UNLOADING_S: i64 = 30 * 60;

/// Where and when a vehicle busy on `waybill` is free again: at the consignee, after the trip from
/// the consignor (by `travel`, from the despatch time or else the consignment time) plus
/// [`UNLOADING_S`], and never before `now`. This is where the carrier looks for a return load
/// (回程货). Fails when the waybill is finished or does not say where the goods go.
pub fn free_after_waybill(
    waybill: &wuliu_model::Waybill,
    travel: &dyn TravelCosts,
    now: chrono::DateTime<Utc>,
) -> Result<(wuliu_model::GeoPoint, chrono::DateTime<Utc>), AppError> {
    use wuliu_model::WaybillStatus::{Cancelled, Receipted, Signed};
    if matches!(waybill.status, Signed | Receipted | Cancelled) {
        return Err(AppError::Conflict {
            field: "after_waybill".into(),
            message: "the waybill is finished: the vehicle is not on that trip".into(),
        });
    }
    let to = waybill.consignee.point.ok_or_else(|| AppError::Conflict {
        field: "after_waybill".into(),
        message: "the waybill has no consignee point: where the vehicle ends is unknown".into(),
    })?;
    let start = waybill.despatch_time.unwrap_or(waybill.consignment_time);
    let drive = match waybill.consignor.point {
        Some(from) => travel
            .leg(from, to)
            .map_err(|e| AppError::Internal(format!("travel costs: {e}")))?
            .map(|leg| leg.duration.0 as i64)
            .unwrap_or(0),
        None => 0,
    };
    let free = start + chrono::Duration::seconds(drive + UNLOADING_S);
    Ok((to, free.max(now)))
}

/// What a suggestion's other side needs to decide, for records the caller may not read itself: a
/// carrier sees the suggested load's places, goods, windows and price (not the shipper's other
/// data); a shipper sees the suggested vehicle's plate, type, capacity and carrier's name. Keyed by
/// record ID; IDs that no longer exist are left out.
pub async fn describe(
    svc: &Service,
    kind: Kind,
    ids: impl IntoIterator<Item = String>,
) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    let mut out = serde_json::Map::new();
    for id in ids {
        if out.contains_key(&id) {
            continue;
        }
        let Some(rec) = svc.repo.get(kind, &id).await? else {
            continue;
        };
        let b = &rec.body;
        let pick = |keys: &[&str]| -> serde_json::Map<String, serde_json::Value> {
            keys.iter()
                .map(|k| (k.to_string(), b[*k].clone()))
                .collect()
        };
        let (mut summary, party) = match kind {
            Kind::Load => (
                pick(&[
                    "origin",
                    "destination",
                    "pickup_window",
                    "delivery_window",
                    "goods",
                    "cargo",
                    "weight",
                    "volume",
                    "packages",
                    "price_offered",
                    "shipper_id",
                ]),
                b["shipper_id"].as_str(),
            ),
            _ => (
                pick(&[
                    "plate",
                    "body_type",
                    "rated_load",
                    "cargo_volume",
                    "refrigeration",
                    "carrier_id",
                ]),
                b["carrier_id"].as_str(),
            ),
        };
        summary.insert("status".into(), serde_json::json!(rec.status));
        if let Some(party) = party {
            let name = svc
                .repo
                .get(Kind::Party, party)
                .await?
                .map(|p| p.body["name"].clone());
            summary.insert("party_name".into(), name.unwrap_or_default());
        }
        out.insert(id, serde_json::Value::Object(summary));
    }
    Ok(out)
}
