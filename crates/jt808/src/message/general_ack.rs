//! 0x0001 terminal and 0x8001 platform general responses (same layout).

use crate::error::Result;
use crate::reader::Reader;

/// Result codes of a general response.
pub mod ack_result {
    /// Success / acknowledged.
    pub const SUCCESS: u8 = 0;
    /// Failure.
    pub const FAILURE: u8 = 1;
    /// Message has errors.
    pub const BAD_MESSAGE: u8 = 2;
    /// Not supported.
    pub const UNSUPPORTED: u8 = 3;
    /// Alarm handling confirmed (platform only).
    pub const ALARM_CONFIRMED: u8 = 4;
}

/// Body of 0x0001 / 0x8001: which message is answered, and the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GeneralAck {
    /// Serial of the message answered.
    pub reply_serial: u16,
    /// Id of the message answered.
    pub reply_id: u16,
    /// One of [`ack_result`]'s codes.
    pub result: u8,
}

impl GeneralAck {
    pub(crate) fn decode(msg_id: u16, body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(msg_id, body);
        let ack = GeneralAck {
            reply_serial: r.u16("reply serial")?,
            reply_id: r.u16("reply id")?,
            result: r.u8("result")?,
        };
        r.finish()?;
        Ok(ack)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.reply_serial.to_be_bytes());
        out.extend_from_slice(&self.reply_id.to_be_bytes());
        out.push(self.result);
    }
}
