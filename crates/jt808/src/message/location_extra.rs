//! Additional information items (id, length, value) that follow the fixed
//! part of a location report.

use crate::error::Result;
use crate::reader::Reader;

/// One additional item of a location report.
///
/// Known ids decode to typed variants when their length is the standard
/// one; anything else (including a known id with an odd length) is kept as
/// [`LocationExtra::Raw`], so re-encoding reproduces the input bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LocationExtra {
    /// 0x01: odometer, DWORD in 0.1 km.
    Mileage(u32),
    /// 0x02: fuel, WORD in 0.1 L.
    Fuel(u16),
    /// 0x03: speed from the driving recorder, WORD in 0.1 km/h.
    RecorderSpeed(u16),
    /// 0x04: id of an alarm event that needs manual confirmation.
    ManualAlarmId(u16),
    /// 0x25: extended vehicle signal status bits.
    ExtendedSignals(u32),
    /// 0x2A: IO status bits.
    IoStatus(u16),
    /// 0x2B: analog values (bits 0-15 AD0, 16-31 AD1).
    Analog(u32),
    /// 0x30: wireless network signal strength.
    SignalStrength(u8),
    /// 0x31: number of GNSS satellites in use.
    Satellites(u8),
    /// Any other item, kept as bytes.
    Raw {
        /// Item id.
        id: u8,
        /// Item value (at most 255 bytes are encoded).
        value: Vec<u8>,
    },
}

impl LocationExtra {
    /// The item id.
    pub fn id(&self) -> u8 {
        match self {
            LocationExtra::Mileage(_) => 0x01,
            LocationExtra::Fuel(_) => 0x02,
            LocationExtra::RecorderSpeed(_) => 0x03,
            LocationExtra::ManualAlarmId(_) => 0x04,
            LocationExtra::ExtendedSignals(_) => 0x25,
            LocationExtra::IoStatus(_) => 0x2A,
            LocationExtra::Analog(_) => 0x2B,
            LocationExtra::SignalStrength(_) => 0x30,
            LocationExtra::Satellites(_) => 0x31,
            LocationExtra::Raw { id, .. } => *id,
        }
    }

    /// Decodes one item from its id and value.
    pub fn from_parts(id: u8, v: &[u8]) -> Self {
        let u16v = |v: &[u8]| u16::from_be_bytes([v[0], v[1]]);
        let u32v = |v: &[u8]| u32::from_be_bytes([v[0], v[1], v[2], v[3]]);
        match (id, v.len()) {
            (0x01, 4) => LocationExtra::Mileage(u32v(v)),
            (0x02, 2) => LocationExtra::Fuel(u16v(v)),
            (0x03, 2) => LocationExtra::RecorderSpeed(u16v(v)),
            (0x04, 2) => LocationExtra::ManualAlarmId(u16v(v)),
            (0x25, 4) => LocationExtra::ExtendedSignals(u32v(v)),
            (0x2A, 2) => LocationExtra::IoStatus(u16v(v)),
            (0x2B, 4) => LocationExtra::Analog(u32v(v)),
            (0x30, 1) => LocationExtra::SignalStrength(v[0]),
            (0x31, 1) => LocationExtra::Satellites(v[0]),
            _ => LocationExtra::Raw {
                id,
                value: v.to_vec(),
            },
        }
    }

    /// The value bytes.
    pub fn value(&self) -> Vec<u8> {
        match self {
            LocationExtra::Mileage(x)
            | LocationExtra::ExtendedSignals(x)
            | LocationExtra::Analog(x) => x.to_be_bytes().to_vec(),
            LocationExtra::Fuel(x)
            | LocationExtra::RecorderSpeed(x)
            | LocationExtra::ManualAlarmId(x)
            | LocationExtra::IoStatus(x) => x.to_be_bytes().to_vec(),
            LocationExtra::SignalStrength(x) | LocationExtra::Satellites(x) => vec![*x],
            LocationExtra::Raw { value, .. } => value.clone(),
        }
    }

    /// Reads items until the reader is empty.
    pub(crate) fn decode_all(r: &mut Reader<'_>) -> Result<Vec<LocationExtra>> {
        let mut items = Vec::new();
        while r.remaining() > 0 {
            let id = r.u8("additional item id")?;
            let len = r.u8("additional item length")?;
            let value = r.bytes(len.into(), "additional item value")?;
            items.push(LocationExtra::from_parts(id, value));
        }
        Ok(items)
    }

    /// Appends id, length and value (value cut to 255 bytes).
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let value = self.value();
        let n = value.len().min(usize::from(u8::MAX));
        out.push(self.id());
        out.push(n as u8);
        out.extend_from_slice(&value[..n]);
    }
}
