//! Following a shipment (货物跟踪): a waybill's vehicle track during that waybill's trip only, its
//! last position, and the arrival estimate at the consignee.
//!
//! Whoever may read the waybill (its shipper, its carrier, regulators, admins) may follow it; a
//! shipper sees the vehicle only between the waybill's despatch and its receipt (or now), never the
//! vehicle's other trips.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use wuliu_model::{GeoPoint, TravelCosts, Waybill, WaybillStatus};
use wuliu_store::{Kind, MAX_READ_ROWS};

use crate::caller::Caller;
use crate::error::AppError;
use crate::matching::{typed, UNLOADING_S};
use crate::service::{spec_of, Service};
use crate::tracks::MAX_WINDOW_DAYS;

/// Track points closer than this to the simplified line are dropped from the answer.
const SIMPLIFY_M: f64 = 10.0;

/// The shipment of waybill `id` as the caller may see it: `track` (GeoJSON LineString with each
/// kept fix's time and speed), `last` (the latest fix or null), and `eta` (when a dispatched
/// shipment should reach the consignee, from its last fix or, with none, from the consignor at the
/// despatch time; null once delivered or when the consignee has no point).
pub async fn follow(
    svc: &Service,
    caller: &Caller,
    id: &str,
    travel: &dyn TravelCosts,
    now: DateTime<Utc>,
) -> Result<Value, AppError> {
    let rec = svc.get(caller, spec_of(Kind::Waybill), id).await?;
    let waybill: Waybill = typed(&rec)?;
    let from = waybill.despatch_time.unwrap_or(waybill.consignment_time);
    let to = waybill.receipt_time.unwrap_or(now).min(now);
    let from = from.max(to - Duration::days(MAX_WINDOW_DAYS));
    let fixes = match (&waybill.vehicle.vehicle_id, from < to) {
        (Some(v), true) => svc.repo.track(v.as_str(), from, to, MAX_READ_ROWS).await?,
        _ => Vec::new(),
    };
    let kept = crate::simplify::douglas_peucker(&fixes, SIMPLIFY_M);
    let coords: Vec<Value> = kept
        .iter()
        .map(|&i| json!([fixes[i].point.lon, fixes[i].point.lat]))
        .collect();
    let last = fixes.last().map(|p| {
        json!({ "point": p.point, "time": p.time, "speed_kmh": p.speed_kmh,
                "age_s": (now - p.time).num_seconds() })
    });
    let start = fixes
        .last()
        .map(|p| (p.point, p.time.max(now), "last_position"))
        .or_else(|| {
            waybill
                .consignor
                .point
                .map(|p| (p, from.max(now), "consignor"))
        });
    let eta = match (waybill.status, start, waybill.consignee.point) {
        (WaybillStatus::Dispatched, Some(start), Some(to)) => eta(travel, start, to)?,
        _ => Value::Null,
    };
    Ok(json!({
        "waybill_id": rec.id,
        "status": waybill.status,
        "plate": waybill.vehicle.plate,
        "consignor": waybill.consignor.point,
        "consignee": waybill.consignee.point,
        "despatch_time": waybill.despatch_time,
        "receipt_time": waybill.receipt_time,
        "track": {
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {
                "from": from, "to": to, "fixes": fixes.len(), "returned": kept.len(),
                "truncated": fixes.len() >= MAX_READ_ROWS,
                "times": kept.iter().map(|&i| fixes[i].time).collect::<Vec<_>>(),
                "speeds_kmh": kept.iter().map(|&i| fixes[i].speed_kmh).collect::<Vec<_>>(),
            }
        },
        "last": last,
        "eta": eta,
        "road_network": travel.is_road_network(),
    }))
}

/// Arrival at `to` leaving `from` at `at`; `{at, remaining_m, remaining_s, from}` or null when
/// the road network has no way there.
fn eta(
    travel: &dyn TravelCosts,
    (from, at, source): (GeoPoint, DateTime<Utc>, &str),
    to: GeoPoint,
) -> Result<Value, AppError> {
    let leg = travel
        .leg(from, to)
        .map_err(|e| AppError::Internal(format!("travel costs: {e}")))?;
    Ok(match leg {
        Some(leg) => json!({
            "at": at + Duration::seconds(leg.duration.0 as i64),
            "unloaded_by": at + Duration::seconds(leg.duration.0 as i64 + UNLOADING_S),
            "remaining_m": leg.distance.0,
            "remaining_s": leg.duration.0,
            "from": source,
        }),
        None => Value::Null,
    })
}
