//! Terminal parameters: 0x8103 set, 0x0104 query response.

use crate::error::{Error, Result};
use crate::reader::Reader;

/// Well-known parameter ids.
pub mod param_id {
    /// 0x0001 heartbeat interval, seconds (DWORD).
    pub const HEARTBEAT_INTERVAL: u32 = 0x0001;
    /// 0x0029 default time report interval, seconds (DWORD).
    pub const DEFAULT_REPORT_INTERVAL: u32 = 0x0029;
    /// 0x0055 maximum speed, km/h (DWORD).
    pub const MAX_SPEED: u32 = 0x0055;
    /// 0x0056 overspeed duration, seconds (DWORD).
    pub const OVERSPEED_DURATION: u32 = 0x0056;
    /// 0x0057 continuous driving time threshold, seconds (DWORD).
    pub const CONTINUOUS_DRIVING_LIMIT: u32 = 0x0057;
    /// 0x0058 accumulated driving time of the day threshold, seconds (DWORD).
    pub const DAILY_DRIVING_LIMIT: u32 = 0x0058;
    /// 0x0059 minimum rest time, seconds (DWORD).
    pub const MIN_REST: u32 = 0x0059;
    /// 0x005A maximum parking time, seconds (DWORD).
    pub const MAX_PARKING: u32 = 0x005A;
}

/// One terminal parameter: id, and its value bytes (length is the value's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// Parameter id.
    pub id: u32,
    /// Value bytes (at most 255 are encoded).
    pub value: Vec<u8>,
}

/// Typed view of the parameters this crate knows; see [`Param::typed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamValue<'a> {
    /// 0x0001, seconds.
    HeartbeatInterval(u32),
    /// 0x0029, seconds.
    DefaultReportInterval(u32),
    /// 0x0055, km/h.
    MaxSpeed(u32),
    /// 0x0056, seconds.
    OverspeedDuration(u32),
    /// 0x0057, seconds.
    ContinuousDrivingLimit(u32),
    /// 0x0058, seconds.
    DailyDrivingLimit(u32),
    /// 0x0059, seconds.
    MinRest(u32),
    /// 0x005A, seconds.
    MaxParking(u32),
    /// Any other id, or a known id whose value is not 4 bytes.
    Other {
        /// Parameter id.
        id: u32,
        /// Value bytes.
        value: &'a [u8],
    },
}

impl Param {
    /// A DWORD parameter.
    pub fn u32(id: u32, value: u32) -> Self {
        Param {
            id,
            value: value.to_be_bytes().to_vec(),
        }
    }

    /// The value as a DWORD, when it is 4 bytes long.
    pub fn as_u32(&self) -> Option<u32> {
        <[u8; 4]>::try_from(self.value.as_slice())
            .ok()
            .map(u32::from_be_bytes)
    }

    /// Typed view for the common ids.
    pub fn typed(&self) -> ParamValue<'_> {
        use param_id::*;
        let other = ParamValue::Other {
            id: self.id,
            value: &self.value,
        };
        let Some(v) = self.as_u32() else { return other };
        match self.id {
            HEARTBEAT_INTERVAL => ParamValue::HeartbeatInterval(v),
            DEFAULT_REPORT_INTERVAL => ParamValue::DefaultReportInterval(v),
            MAX_SPEED => ParamValue::MaxSpeed(v),
            OVERSPEED_DURATION => ParamValue::OverspeedDuration(v),
            CONTINUOUS_DRIVING_LIMIT => ParamValue::ContinuousDrivingLimit(v),
            DAILY_DRIVING_LIMIT => ParamValue::DailyDrivingLimit(v),
            MIN_REST => ParamValue::MinRest(v),
            MAX_PARKING => ParamValue::MaxParking(v),
            _ => other,
        }
    }
}

/// Reads `count` parameters, then requires the body to end.
fn decode_list(r: &mut Reader<'_>, msg_id: u16) -> Result<Vec<Param>> {
    let count = r.u8("parameter count")?;
    let mut params = Vec::new();
    for _ in 0..count {
        let id = r.u32("parameter id")?;
        let len = r.u8("parameter length")?;
        let value = r.bytes(len.into(), "parameter value")?.to_vec();
        params.push(Param { id, value });
    }
    if r.remaining() > 0 {
        return Err(Error::TrailingBytes {
            msg_id,
            offset: r.pos(),
            extra: r.remaining(),
        });
    }
    Ok(params)
}

fn encode_list(params: &[Param], out: &mut Vec<u8>) {
    let params = &params[..params.len().min(usize::from(u8::MAX))];
    out.push(params.len() as u8);
    for p in params {
        let n = p.value.len().min(usize::from(u8::MAX));
        out.extend_from_slice(&p.id.to_be_bytes());
        out.push(n as u8);
        out.extend_from_slice(&p.value[..n]);
    }
}

fn find_u32(params: &[Param], id: u32) -> Option<u32> {
    params.iter().find(|p| p.id == id).and_then(Param::as_u32)
}

/// Body of 0x8103: parameters to set (at most 255 are encoded).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SetParams {
    /// The parameters.
    pub params: Vec<Param>,
}

impl SetParams {
    pub(crate) fn decode(body: &[u8]) -> Result<Self> {
        let id = super::msg_id::SET_PARAMS;
        let mut r = Reader::new(id, body);
        Ok(SetParams {
            params: decode_list(&mut r, id)?,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        encode_list(&self.params, out);
    }

    /// The DWORD value of parameter `id`, if present and 4 bytes long.
    pub fn get_u32(&self, id: u32) -> Option<u32> {
        find_u32(&self.params, id)
    }
}

/// Body of 0x0104: the answer to a parameter query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ParamsResponse {
    /// Serial of the 0x8104/0x8106 query answered.
    pub reply_serial: u16,
    /// The parameters (at most 255 are encoded).
    pub params: Vec<Param>,
}

impl ParamsResponse {
    pub(crate) fn decode(body: &[u8]) -> Result<Self> {
        let id = super::msg_id::PARAMS_RESPONSE;
        let mut r = Reader::new(id, body);
        Ok(ParamsResponse {
            reply_serial: r.u16("reply serial")?,
            params: decode_list(&mut r, id)?,
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.reply_serial.to_be_bytes());
        encode_list(&self.params, out);
    }

    /// The DWORD value of parameter `id`, if present and 4 bytes long.
    pub fn get_u32(&self, id: u32) -> Option<u32> {
        find_u32(&self.params, id)
    }
}
