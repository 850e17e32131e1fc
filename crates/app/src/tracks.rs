//! Vehicle positions through the platform: uploads by platforms that already collect tracks, and
//! the track queries (a vehicle's track, the last known position of every vehicle, positions in a
//! box), each as GeoJSON and each limited to what the caller may see.
//!
//! Who may do what:
//! - upload: an admin (any vehicle of the region) or a carrier (its own vehicles only); every
//!   uploaded fix is marked `source: upload` whatever the row says, so an upload cannot pass for a
//!   terminal's report;
//! - read: admins and regulators see the region's vehicles; a carrier sees its own; shippers see
//!   tracks through their waybills (not yet: refused).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use wuliu_model::{Position, PositionSource, Validate, Violation};
use wuliu_store::{GeoBox, Kind, Record, MAX_READ_ROWS};

use crate::caller::{Caller, Role};
use crate::error::AppError;
use crate::import::InputRow;
use crate::service::Service;

/// Positions one upload may carry.
pub const MAX_UPLOAD_POSITIONS: usize = 50_000;
/// How far ahead of the server's clock a fix may be (terminal clocks drift a little).
pub const MAX_FUTURE_SKEW_S: i64 = 300;
/// Longest window of one track or box query.
pub const MAX_WINDOW_DAYS: i64 = 31;

/// What an upload did, row by row.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UploadReport {
    /// Rows received.
    pub received: usize,
    /// Fixes stored now.
    pub stored: u64,
    /// Fixes already stored (the same vehicle and time), ignored.
    pub duplicates: u64,
    /// Rows refused, each with every problem found.
    pub rejected: Vec<RejectedRow>,
}

/// A refused row.
#[derive(Debug, Clone, Serialize)]
pub struct RejectedRow {
    /// 1-based row.
    pub row: usize,
    /// Line in a CSV file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// What is wrong, by field.
    pub problems: Vec<Violation>,
}

/// Stores uploaded positions of the caller's vehicles in `region`. Good rows are stored even when
/// others are refused; the report names each refused row and why.
pub async fn upload(
    svc: &Service,
    caller: &Caller,
    region: &str,
    rows: Vec<InputRow>,
) -> Result<UploadReport, AppError> {
    if !matches!(caller.role, Role::Admin | Role::Carrier) {
        return Err(AppError::forbidden(
            "role",
            "only carriers (for their own vehicles) and admins upload positions",
        ));
    }
    if rows.len() > MAX_UPLOAD_POSITIONS {
        return Err(AppError::too_large(
            "body",
            format!("an upload holds at most {MAX_UPLOAD_POSITIONS} positions; split it"),
        ));
    }
    let mut report = UploadReport {
        received: rows.len(),
        ..Default::default()
    };
    let parsed: Vec<_> = rows.into_iter().map(parse_row).collect();
    let owned = usable_vehicles(svc, caller, region, &parsed).await?;
    let now = Utc::now();
    let mut good = Vec::new();
    for (row, line, result) in parsed {
        match result.and_then(|p| check_fix(p, &owned, now)) {
            Ok(p) => good.push(p),
            Err(problems) => report.rejected.push(RejectedRow {
                row,
                line,
                problems,
            }),
        }
    }
    if !good.is_empty() {
        let outcome = svc.repo.append_positions(region, &good).await?;
        report.stored = outcome.inserted;
        report.duplicates = outcome.duplicates;
    }
    Ok(report)
}

type ParsedRow = (usize, Option<u64>, Result<Position, Vec<Violation>>);

fn parse_row(row: InputRow) -> ParsedRow {
    let position = row.body.and_then(|body| {
        serde_path_to_error::deserialize::<_, Position>(body).map_err(|e| {
            let field = e.path().to_string();
            vec![Violation {
                code: "invalid_value".into(),
                field: if field == "." { "body".into() } else { field },
                message: e.into_inner().to_string(),
            }]
        })
    });
    (row.row, row.line, position)
}

/// The IDs among the rows' vehicles that exist in `region` and that the caller may report for.
async fn usable_vehicles(
    svc: &Service,
    caller: &Caller,
    region: &str,
    rows: &[ParsedRow],
) -> Result<HashSet<String>, AppError> {
    let wanted: HashSet<&str> = rows
        .iter()
        .filter_map(|(_, _, r)| r.as_ref().ok())
        .map(|p| p.vehicle_id.as_str())
        .collect();
    let mut usable = HashSet::new();
    for id in wanted {
        if let Some(rec) = svc.repo.get(Kind::Vehicle, id).await? {
            if rec.region == region && may_use(caller, &rec) {
                usable.insert(id.to_string());
            }
        }
    }
    Ok(usable)
}

fn may_use(caller: &Caller, vehicle: &Record) -> bool {
    match caller.role {
        Role::Admin | Role::Regulator => true,
        Role::Carrier => caller.party_id.is_some() && vehicle.owner_party == caller.party_id,
        Role::Shipper | Role::Official | Role::Enterprise | Role::College => false,
    }
}

fn check_fix(
    mut p: Position,
    usable: &HashSet<String>,
    now: DateTime<Utc>,
) -> Result<Position, Vec<Violation>> {
    let mut problems = p.validate().err().map(|v| v.0).unwrap_or_default();
    if !usable.contains(p.vehicle_id.as_str()) {
        problems.push(Violation {
            code: "position.unknown_vehicle".into(),
            field: "vehicle_id".into(),
            message: format!("no vehicle '{}' of yours in this region", p.vehicle_id),
        });
    }
    if p.time > now + Duration::seconds(MAX_FUTURE_SKEW_S) {
        problems.push(Violation {
            code: "position.time_in_future".into(),
            field: "time".into(),
            message: format!(
                "time {} is more than {MAX_FUTURE_SKEW_S} s ahead of the platform's clock",
                p.time.to_rfc3339()
            ),
        });
    }
    p.source = PositionSource::Upload;
    if problems.is_empty() {
        Ok(p)
    } else {
        Err(problems)
    }
}

/// A checked query window `[from, to)`.
pub fn window(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(), AppError> {
    if to <= from {
        return Err(AppError::bad(
            "query.invalid",
            "to",
            "to must be after from",
        ));
    }
    if to - from > Duration::days(MAX_WINDOW_DAYS) {
        return Err(AppError::bad(
            "query.invalid",
            "to",
            format!("a window spans at most {MAX_WINDOW_DAYS} days"),
        ));
    }
    Ok(())
}

/// The vehicle record if the caller may see its positions; 404 otherwise (existence not revealed).
async fn visible_vehicle(svc: &Service, caller: &Caller, id: &str) -> Result<Record, AppError> {
    let rec = svc.repo.get(Kind::Vehicle, id).await?;
    match rec {
        Some(r)
            if (caller.role == Role::Admin || r.region == caller.region) && may_use(caller, &r) =>
        {
            Ok(r)
        }
        _ => Err(AppError::NotFound(format!(
            "no vehicle '{id}' visible to you"
        ))),
    }
}

/// A vehicle's track in `[from, to)` as a GeoJSON Feature (LineString, with each fix's time and
/// speed in the properties), simplified to `tolerance_m` metres when given.
pub async fn track(
    svc: &Service,
    caller: &Caller,
    vehicle_id: &str,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    tolerance_m: Option<f64>,
) -> Result<Value, AppError> {
    window(from, to)?;
    let vehicle = visible_vehicle(svc, caller, vehicle_id).await?;
    let fixes = svc.repo.track(vehicle_id, from, to, MAX_READ_ROWS).await?;
    let truncated = fixes.len() >= MAX_READ_ROWS;
    let kept = match tolerance_m {
        Some(t) if t > 0.0 => crate::simplify::douglas_peucker(&fixes, t),
        _ => (0..fixes.len()).collect(),
    };
    let coords: Vec<Value> = kept
        .iter()
        .map(|&i| json!([fixes[i].point.lon, fixes[i].point.lat]))
        .collect();
    Ok(json!({
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {
            "vehicle_id": vehicle_id,
            "plate": vehicle.body["plate"],
            "from": from.to_rfc3339(),
            "to": to.to_rfc3339(),
            "fixes": fixes.len(),
            "returned": kept.len(),
            "truncated": truncated,
            "times": kept.iter().map(|&i| fixes[i].time.to_rfc3339()).collect::<Vec<_>>(),
            "speeds_kmh": kept.iter().map(|&i| fixes[i].speed_kmh).collect::<Vec<_>>(),
        }
    }))
}

/// A vehicle is online when its last fix is this recent.
pub const ONLINE_WITHIN_S: i64 = 600;

/// The last known position of every vehicle the caller may see, as a GeoJSON FeatureCollection.
pub async fn latest(svc: &Service, caller: &Caller) -> Result<Value, AppError> {
    let region = Some(caller.region.as_str());
    let owned = match caller.role {
        Role::Admin | Role::Regulator => None,
        Role::Carrier => Some(own_vehicles(svc, caller).await?),
        Role::Shipper => {
            return Err(AppError::forbidden(
                "role",
                "shippers follow vehicles through their waybills",
            ))
        }
        role @ (Role::Official | Role::Enterprise | Role::College) => {
            return Err(AppError::forbidden(
                "role",
                format!("a {} account follows no vehicles", role.name()),
            ))
        }
    };
    let latest = svc.repo.latest_positions(region, owned.as_deref()).await?;
    let now = Utc::now();
    let features: Vec<Value> = latest.iter().map(|(_, p)| point_feature(p, now)).collect();
    Ok(json!({"type": "FeatureCollection", "features": features}))
}

async fn own_vehicles(svc: &Service, caller: &Caller) -> Result<Vec<String>, AppError> {
    let q = wuliu_store::ListQuery {
        region: Some(caller.region.clone()),
        party: caller.party_id.clone(),
        limit: 1000,
        ..Default::default()
    };
    Ok(svc
        .list_all(Kind::Vehicle, q)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

fn point_feature(p: &Position, now: DateTime<Utc>) -> Value {
    let age = (now - p.time).num_seconds();
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [p.point.lon, p.point.lat]},
        "properties": {
            "vehicle_id": p.vehicle_id, "time": p.time.to_rfc3339(), "speed_kmh": p.speed_kmh,
            "heading": p.heading, "source": p.source, "age_s": age,
            "online": (0..=ONLINE_WITHIN_S).contains(&age),
        }
    })
}

/// Fixes inside `area` in `[from, to)`, for admins and regulators, as a FeatureCollection.
pub async fn in_box(
    svc: &Service,
    caller: &Caller,
    area: &GeoBox,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    limit: usize,
) -> Result<Value, AppError> {
    if !caller.sees_all() {
        return Err(AppError::forbidden(
            "role",
            "positions by area are for admins and regulators",
        ));
    }
    window(from, to)?;
    let fixes = svc
        .repo
        .positions_in_box(
            Some(&caller.region),
            area,
            from,
            to,
            limit.min(MAX_READ_ROWS),
        )
        .await?;
    let now = Utc::now();
    let mut by_vehicle: HashMap<&str, usize> = HashMap::new();
    for f in &fixes {
        *by_vehicle.entry(f.vehicle_id.as_str()).or_default() += 1;
    }
    let features: Vec<Value> = fixes.iter().map(|p| point_feature(p, now)).collect();
    Ok(json!({"type": "FeatureCollection", "features": features, "vehicles": by_vehicle.len()}))
}
