//! 0x0100 terminal register and 0x8100 register response.

use crate::error::Result;
use crate::header::Version;
use crate::reader::{put_fixed, trim_nul, Reader};
use crate::text::decode_gbk;

const ID: u16 = super::msg_id::REGISTER;

/// Result codes of a register response.
pub mod register_result {
    /// Registered; an auth code follows.
    pub const SUCCESS: u8 = 0;
    /// The vehicle is already registered.
    pub const VEHICLE_REGISTERED: u8 = 1;
    /// No such vehicle in the database.
    pub const NO_SUCH_VEHICLE: u8 = 2;
    /// The terminal is already registered.
    pub const TERMINAL_REGISTERED: u8 = 3;
    /// No such terminal in the database.
    pub const NO_SUCH_TERMINAL: u8 = 4;
}

/// Body of 0x0100.
///
/// Fixed-width text fields are kept as bytes with trailing NUL padding
/// removed; encoding pads them again (2013: manufacturer 5, model 20,
/// terminal id 7 bytes; 2019: 11, 30, 30).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TerminalRegister {
    /// Province id (GB/T 2260 first two digits).
    pub province: u16,
    /// City or county id (GB/T 2260 last four digits).
    pub city: u16,
    /// Manufacturer id.
    pub manufacturer: Vec<u8>,
    /// Terminal model.
    pub model: Vec<u8>,
    /// Terminal id.
    pub terminal_id: Vec<u8>,
    /// Plate colour (JT/T 415; 0 = not yet plated, plate then holds the VIN).
    pub plate_color: u8,
    /// Plate number in GBK, or the VIN when `plate_color` is 0.
    pub plate: Vec<u8>,
}

/// (manufacturer, model, terminal id) widths for a version.
fn widths(version: Version) -> (usize, usize, usize) {
    if version.is_2019() {
        (11, 30, 30)
    } else {
        (5, 20, 7)
    }
}

impl TerminalRegister {
    pub(crate) fn decode(version: Version, body: &[u8]) -> Result<Self> {
        let (wm, wmodel, wid) = widths(version);
        let mut r = Reader::new(ID, body);
        Ok(TerminalRegister {
            province: r.u16("province")?,
            city: r.u16("city")?,
            manufacturer: trim_nul(r.bytes(wm, "manufacturer id")?),
            model: trim_nul(r.bytes(wmodel, "terminal model")?),
            terminal_id: trim_nul(r.bytes(wid, "terminal id")?),
            plate_color: r.u8("plate colour")?,
            plate: r.rest().to_vec(),
        })
    }

    pub(crate) fn encode(&self, version: Version, out: &mut Vec<u8>) {
        let (wm, wmodel, wid) = widths(version);
        out.extend_from_slice(&self.province.to_be_bytes());
        out.extend_from_slice(&self.city.to_be_bytes());
        put_fixed(out, &self.manufacturer, wm);
        put_fixed(out, &self.model, wmodel);
        put_fixed(out, &self.terminal_id, wid);
        out.push(self.plate_color);
        out.extend_from_slice(&self.plate);
    }

    /// The plate (or VIN) as text.
    pub fn plate_text(&self) -> String {
        decode_gbk(&self.plate)
    }

    /// The manufacturer id as text.
    pub fn manufacturer_text(&self) -> String {
        decode_gbk(&self.manufacturer)
    }

    /// The terminal model as text.
    pub fn model_text(&self) -> String {
        decode_gbk(&self.model)
    }

    /// The terminal id as text.
    pub fn terminal_id_text(&self) -> String {
        decode_gbk(&self.terminal_id)
    }
}

/// Body of 0x8100.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RegisterResponse {
    /// Serial of the 0x0100 answered.
    pub reply_serial: u16,
    /// One of [`register_result`]'s codes.
    pub result: u8,
    /// Auth code the terminal must present in 0x0102 (sent on success).
    pub auth_code: Vec<u8>,
}

impl RegisterResponse {
    pub(crate) fn decode(body: &[u8]) -> Result<Self> {
        let mut r = Reader::new(super::msg_id::REGISTER_RESPONSE, body);
        Ok(RegisterResponse {
            reply_serial: r.u16("reply serial")?,
            result: r.u8("result")?,
            auth_code: r.rest().to_vec(),
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.reply_serial.to_be_bytes());
        out.push(self.result);
        out.extend_from_slice(&self.auth_code);
    }
}
