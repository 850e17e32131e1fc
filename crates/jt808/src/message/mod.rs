//! Typed message bodies and the [`Message`] enum over them.

mod auth;
mod batch;
mod flags;
mod general_ack;
mod location;
mod location_extra;
mod params;
mod register;

pub use auth::Authentication;
pub use batch::BatchLocation;
pub use flags::{AlarmFlags, StatusFlags};
pub use general_ack::{ack_result, GeneralAck};
pub use location::{Location, LOCATION_FIXED_LEN};
pub use location_extra::LocationExtra;
pub use params::{param_id, Param, ParamValue, ParamsResponse, SetParams};
pub use register::{register_result, RegisterResponse, TerminalRegister};

use crate::error::Result;
use crate::header::Version;

/// Message ids this crate decodes into typed bodies.
pub mod msg_id {
    /// 0x0001 terminal general response.
    pub const TERMINAL_ACK: u16 = 0x0001;
    /// 0x0002 terminal heartbeat.
    pub const HEARTBEAT: u16 = 0x0002;
    /// 0x0003 terminal unregister (logout).
    pub const UNREGISTER: u16 = 0x0003;
    /// 0x0100 terminal register.
    pub const REGISTER: u16 = 0x0100;
    /// 0x0102 terminal authentication.
    pub const AUTHENTICATION: u16 = 0x0102;
    /// 0x0104 query terminal parameters response.
    pub const PARAMS_RESPONSE: u16 = 0x0104;
    /// 0x0200 location report.
    pub const LOCATION: u16 = 0x0200;
    /// 0x0704 batch location upload.
    pub const BATCH_LOCATION: u16 = 0x0704;
    /// 0x8001 platform general response.
    pub const PLATFORM_ACK: u16 = 0x8001;
    /// 0x8100 terminal register response.
    pub const REGISTER_RESPONSE: u16 = 0x8100;
    /// 0x8103 set terminal parameters.
    pub const SET_PARAMS: u16 = 0x8103;
}

/// A decoded message body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// 0x0001 terminal general response.
    TerminalAck(GeneralAck),
    /// 0x0002 heartbeat (empty body).
    Heartbeat,
    /// 0x0003 unregister (empty body).
    Unregister,
    /// 0x0100 terminal register.
    Register(TerminalRegister),
    /// 0x0102 authentication.
    Authentication(Authentication),
    /// 0x0104 query parameters response.
    ParamsResponse(ParamsResponse),
    /// 0x0200 location report.
    Location(Location),
    /// 0x0704 batch location upload.
    BatchLocation(BatchLocation),
    /// 0x8001 platform general response.
    PlatformAck(GeneralAck),
    /// 0x8100 register response.
    RegisterResponse(RegisterResponse),
    /// 0x8103 set terminal parameters.
    SetParams(SetParams),
    /// Any other message id, body kept as is.
    Unknown {
        /// The message id.
        msg_id: u16,
        /// The raw body.
        body: Vec<u8>,
    },
}

impl Message {
    /// The message id of this body.
    pub fn msg_id(&self) -> u16 {
        match self {
            Message::TerminalAck(_) => msg_id::TERMINAL_ACK,
            Message::Heartbeat => msg_id::HEARTBEAT,
            Message::Unregister => msg_id::UNREGISTER,
            Message::Register(_) => msg_id::REGISTER,
            Message::Authentication(_) => msg_id::AUTHENTICATION,
            Message::ParamsResponse(_) => msg_id::PARAMS_RESPONSE,
            Message::Location(_) => msg_id::LOCATION,
            Message::BatchLocation(_) => msg_id::BATCH_LOCATION,
            Message::PlatformAck(_) => msg_id::PLATFORM_ACK,
            Message::RegisterResponse(_) => msg_id::REGISTER_RESPONSE,
            Message::SetParams(_) => msg_id::SET_PARAMS,
            Message::Unknown { msg_id, .. } => *msg_id,
        }
    }

    /// Decodes the body of message `id` in the given header version.
    ///
    /// Unknown ids give [`Message::Unknown`]; known ids with a malformed body
    /// give an error naming the field. Heartbeat and unregister ignore any body.
    pub fn decode(id: u16, version: Version, body: &[u8]) -> Result<Message> {
        Ok(match id {
            msg_id::TERMINAL_ACK => Message::TerminalAck(GeneralAck::decode(id, body)?),
            msg_id::HEARTBEAT => Message::Heartbeat,
            msg_id::UNREGISTER => Message::Unregister,
            msg_id::REGISTER => Message::Register(TerminalRegister::decode(version, body)?),
            msg_id::AUTHENTICATION => {
                Message::Authentication(Authentication::decode(version, body)?)
            }
            msg_id::PARAMS_RESPONSE => Message::ParamsResponse(ParamsResponse::decode(body)?),
            msg_id::LOCATION => Message::Location(Location::decode(id, body)?),
            msg_id::BATCH_LOCATION => Message::BatchLocation(BatchLocation::decode(body)?),
            msg_id::PLATFORM_ACK => Message::PlatformAck(GeneralAck::decode(id, body)?),
            msg_id::REGISTER_RESPONSE => Message::RegisterResponse(RegisterResponse::decode(body)?),
            msg_id::SET_PARAMS => Message::SetParams(SetParams::decode(body)?),
            _ => Message::Unknown {
                msg_id: id,
                body: body.to_vec(),
            },
        })
    }

    /// Encodes the body for the given header version.
    ///
    /// Text fields longer than their fixed width are cut to it; lists longer
    /// than their count field allows are cut to the count's maximum.
    pub fn encode_body(&self, version: Version) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Message::TerminalAck(a) | Message::PlatformAck(a) => a.encode(&mut out),
            Message::Heartbeat | Message::Unregister => {}
            Message::Register(r) => r.encode(version, &mut out),
            Message::Authentication(a) => a.encode(version, &mut out),
            Message::ParamsResponse(p) => p.encode(&mut out),
            Message::Location(l) => l.encode(&mut out),
            Message::BatchLocation(b) => b.encode(&mut out),
            Message::RegisterResponse(r) => r.encode(&mut out),
            Message::SetParams(s) => s.encode(&mut out),
            Message::Unknown { body, .. } => out.extend_from_slice(body),
        }
        out
    }
}
