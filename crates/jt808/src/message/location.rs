//! 0x0200 location report.

use crate::bcd::BcdTime;
use crate::error::Result;
use crate::reader::Reader;

use super::{AlarmFlags, LocationExtra, StatusFlags};

/// Bytes of the fixed part of a location report.
pub const LOCATION_FIXED_LEN: usize = 28;

/// Body of 0x0200 (also the items of 0x0704).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// Alarm bits.
    pub alarm: AlarmFlags,
    /// Status bits.
    pub status: StatusFlags,
    /// Latitude in 1e-6 degrees, unsigned; south when `status.south()`.
    pub latitude: u32,
    /// Longitude in 1e-6 degrees, unsigned; west when `status.west()`.
    pub longitude: u32,
    /// Altitude in metres.
    pub altitude: u16,
    /// Speed in 0.1 km/h.
    pub speed: u16,
    /// Heading 0..=359 degrees, 0 = north, clockwise.
    pub heading: u16,
    /// Fix time, GMT+8.
    pub time: BcdTime,
    /// Additional items, in wire order.
    pub extras: Vec<LocationExtra>,
}

impl Location {
    /// Decodes a location body; `msg_id` is only used in error messages.
    pub(crate) fn decode(msg_id: u16, body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(msg_id, body);
        let mut loc = Location {
            alarm: AlarmFlags(r.u32("alarm flags")?),
            status: StatusFlags(r.u32("status flags")?),
            latitude: r.u32("latitude")?,
            longitude: r.u32("longitude")?,
            altitude: r.u16("altitude")?,
            speed: r.u16("speed")?,
            heading: r.u16("heading")?,
            time: BcdTime::decode(&r.array("time")?)?,
            extras: Vec::new(),
        };
        loc.extras = LocationExtra::decode_all(&mut r)?;
        Ok(loc)
    }

    /// Appends the encoded body.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.alarm.0.to_be_bytes());
        out.extend_from_slice(&self.status.0.to_be_bytes());
        out.extend_from_slice(&self.latitude.to_be_bytes());
        out.extend_from_slice(&self.longitude.to_be_bytes());
        out.extend_from_slice(&self.altitude.to_be_bytes());
        out.extend_from_slice(&self.speed.to_be_bytes());
        out.extend_from_slice(&self.heading.to_be_bytes());
        out.extend_from_slice(&self.time.encode());
        for extra in &self.extras {
            extra.encode(out);
        }
    }

    /// Signed latitude in degrees (negative in the southern hemisphere).
    pub fn latitude_deg(&self) -> f64 {
        let v = f64::from(self.latitude) / 1e6;
        if self.status.south() {
            -v
        } else {
            v
        }
    }

    /// Signed longitude in degrees (negative west of Greenwich).
    pub fn longitude_deg(&self) -> f64 {
        let v = f64::from(self.longitude) / 1e6;
        if self.status.west() {
            -v
        } else {
            v
        }
    }

    /// Speed in km/h.
    pub fn speed_kmh(&self) -> f64 {
        f64::from(self.speed) / 10.0
    }

    /// Odometer in km from item 0x01, if present.
    pub fn mileage_km(&self) -> Option<f64> {
        self.extras.iter().find_map(|e| match e {
            LocationExtra::Mileage(v) => Some(f64::from(*v) / 10.0),
            _ => None,
        })
    }

    /// Fuel in litres from item 0x02, if present.
    pub fn fuel_l(&self) -> Option<f64> {
        self.extras.iter().find_map(|e| match e {
            LocationExtra::Fuel(v) => Some(f64::from(*v) / 10.0),
            _ => None,
        })
    }

    /// The first additional item with this id.
    pub fn extra(&self, id: u8) -> Option<&LocationExtra> {
        self.extras.iter().find(|e| e.id() == id)
    }
}
