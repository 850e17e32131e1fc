//! From a JT/T 808 location report to the platform's [`Position`].

use chrono::Utc;
use wuliu_jt808::Location;
use wuliu_model::{GeoPoint, Position, PositionSource, Validate};

use crate::directory::Binding;
use crate::sink::Fix;

/// Why a location report is not stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// The terminal had no GNSS fix (status bit 1 clear).
    #[error("no GNSS fix")]
    NotPositioned,
    /// The BCD time is not a calendar time.
    #[error("time is not a calendar time")]
    BadTime,
    /// Out of range (latitude, speed, heading …).
    #[error("{0}")]
    OutOfRange(String),
}

/// The fix a location report of a bound terminal stands for. Terminals report Beijing time
/// (GMT+8); positions are stored in UTC.
pub fn to_fix(loc: &Location, binding: &Binding) -> Result<Fix, Unusable> {
    if !loc.status.positioned() {
        return Err(Unusable::NotPositioned);
    }
    let time = loc.time.to_datetime().ok_or(Unusable::BadTime)?;
    let position = Position {
        vehicle_id: binding.vehicle_id.clone(),
        time: time.with_timezone(&Utc),
        point: GeoPoint {
            lat: loc.latitude_deg(),
            lon: loc.longitude_deg(),
        },
        speed_kmh: loc.speed_kmh(),
        heading: loc.heading,
        altitude_m: i32::from(loc.altitude),
        alarm: loc.alarm.0,
        status: loc.status.0,
        mileage_km: loc.mileage_km(),
        fuel_l: loc.fuel_l(),
        source: PositionSource::Jt808,
    };
    position
        .validate()
        .map_err(|v| Unusable::OutOfRange(v.0[0].message.clone()))?;
    Ok(Fix {
        region: binding.region.clone(),
        position,
    })
}
