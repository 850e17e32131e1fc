//! The message header (2013 and 2019 layouts) and its body-properties word.

use crate::bcd;
use crate::error::{Error, Result};

/// Largest body one packet can carry: the 10-bit length field.
pub const MAX_BODY_LEN: usize = 0x03FF;

const LEN_MASK: u16 = 0x03FF;
const ENCRYPTION_SHIFT: u16 = 10;
const SUBPACKAGE_BIT: u16 = 1 << 13;
const VERSION_BIT: u16 = 1 << 14;
const RESERVED_BIT: u16 = 1 << 15;

/// Which edition of JT/T 808 a header follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// JT/T 808-2013 (also 2011): 6-byte BCD phone, no version byte.
    V2013,
    /// JT/T 808-2019: version flag set, a protocol version byte, 10-byte BCD phone.
    V2019 {
        /// The protocol version byte (1 for the first 2019 revision).
        protocol: u8,
    },
}

impl Version {
    /// The 2019 layout with protocol version 1.
    pub const V2019_1: Version = Version::V2019 { protocol: 1 };

    /// Bytes of BCD phone number in this layout.
    pub fn phone_len(self) -> usize {
        match self {
            Version::V2013 => 6,
            Version::V2019 { .. } => 10,
        }
    }

    /// True for the 2019 layout.
    pub fn is_2019(self) -> bool {
        matches!(self, Version::V2019 { .. })
    }
}

/// Position of one packet in a message split into several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subpackage {
    /// Number of packets in the message.
    pub total: u16,
    /// This packet's number, starting at 1.
    pub index: u16,
}

/// A decoded message header. The body length is not stored: it is the body's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header {
    /// Message id, e.g. 0x0200.
    pub msg_id: u16,
    /// 2013 or 2019 layout.
    pub version: Version,
    /// Encryption bits 10..=12 of the body properties (0 = none, 1 = RSA).
    pub encryption: u8,
    /// Reserved bit 15 of the body properties, kept for lossless re-encoding.
    pub reserved: bool,
    /// Terminal phone number as BCD digits (12 digits in 2013, 20 in 2019,
    /// leading zeros included when decoded).
    pub phone: String,
    /// Message serial number.
    pub serial: u16,
    /// Set when this packet is one part of a split message.
    pub subpackage: Option<Subpackage>,
}

impl Header {
    /// A header without encryption or sub-packaging.
    pub fn new(msg_id: u16, version: Version, phone: impl Into<String>, serial: u16) -> Self {
        Header {
            msg_id,
            version,
            encryption: 0,
            reserved: false,
            phone: phone.into(),
            serial,
            subpackage: None,
        }
    }

    /// Encoded length of this header in bytes.
    pub fn encoded_len(&self) -> usize {
        let base = 2 + 2 + self.version.phone_len() + 2;
        let version = usize::from(self.version.is_2019());
        let sub = if self.subpackage.is_some() { 4 } else { 0 };
        base + version + sub
    }

    /// The phone number without its leading zeros (as many tools print it).
    pub fn phone_trimmed(&self) -> &str {
        let t = self.phone.trim_start_matches('0');
        if t.is_empty() && !self.phone.is_empty() {
            "0"
        } else {
            t
        }
    }

    /// Decodes a header from the start of an unescaped frame.
    ///
    /// Returns the header, its length in bytes and the body length it declares.
    pub fn decode(data: &[u8]) -> Result<(Header, usize, usize)> {
        let short = |need: usize| Error::FrameTooShort {
            len: data.len(),
            need,
        };
        if data.len() < 4 {
            return Err(short(4 + 6 + 2));
        }
        let msg_id = u16::from_be_bytes([data[0], data[1]]);
        let props = u16::from_be_bytes([data[2], data[3]]);
        let (version, mut pos) = if props & VERSION_BIT != 0 {
            let protocol = *data.get(4).ok_or(short(5))?;
            (Version::V2019 { protocol }, 5)
        } else {
            (Version::V2013, 4)
        };
        let has_sub = props & SUBPACKAGE_BIT != 0;
        let need = pos + version.phone_len() + 2 + if has_sub { 4 } else { 0 };
        if data.len() < need {
            return Err(short(need));
        }
        let phone_bytes = &data[pos..pos + version.phone_len()];
        let phone = bcd::decode_digits(phone_bytes, "phone")?;
        pos += version.phone_len();
        let serial = u16::from_be_bytes([data[pos], data[pos + 1]]);
        pos += 2;
        let subpackage = has_sub.then(|| Subpackage {
            total: u16::from_be_bytes([data[pos], data[pos + 1]]),
            index: u16::from_be_bytes([data[pos + 2], data[pos + 3]]),
        });
        let header = Header {
            msg_id,
            version,
            encryption: ((props >> ENCRYPTION_SHIFT) & 0x07) as u8,
            reserved: props & RESERVED_BIT != 0,
            phone,
            serial,
            subpackage,
        };
        Ok((header, need, usize::from(props & LEN_MASK)))
    }

    /// The body-properties word for a body of `body_len` bytes (masked to 10 bits).
    pub fn body_props(&self, body_len: usize) -> u16 {
        let mut props = (body_len as u16) & LEN_MASK;
        props |= (u16::from(self.encryption) & 0x07) << ENCRYPTION_SHIFT;
        if self.subpackage.is_some() {
            props |= SUBPACKAGE_BIT;
        }
        if self.version.is_2019() {
            props |= VERSION_BIT;
        }
        if self.reserved {
            props |= RESERVED_BIT;
        }
        props
    }

    /// Appends the encoded header for a body of `body_len` bytes.
    pub fn encode(&self, body_len: usize, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.msg_id.to_be_bytes());
        out.extend_from_slice(&self.body_props(body_len).to_be_bytes());
        if let Version::V2019 { protocol } = self.version {
            out.push(protocol);
        }
        bcd::encode_digits(&self.phone, self.version.phone_len(), out);
        out.extend_from_slice(&self.serial.to_be_bytes());
        if let Some(sub) = self.subpackage {
            out.extend_from_slice(&sub.total.to_be_bytes());
            out.extend_from_slice(&sub.index.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_2013_header() {
        let data = hex("0200001c0123456789017fff");
        let (h, len, body) = Header::decode(&data).unwrap();
        assert_eq!(
            (h.msg_id, h.version, len, body),
            (0x0200, Version::V2013, 12, 28)
        );
        assert_eq!(h.phone, "012345678901");
        assert_eq!(h.phone_trimmed(), "12345678901");
        assert_eq!(h.serial, 0x7fff);
        let mut out = Vec::new();
        h.encode(28, &mut out);
        assert_eq!(out, data);
    }

    #[test]
    fn decodes_2019_header_with_subpackage() {
        let data = hex("0200 6005 01 00000000013800138000 0007 0003 0002");
        let (h, len, body) = Header::decode(&data).unwrap();
        assert_eq!(h.version, Version::V2019 { protocol: 1 });
        assert_eq!(h.phone, "00000000013800138000");
        assert_eq!(h.subpackage, Some(Subpackage { total: 3, index: 2 }));
        assert_eq!((len, body, h.encoded_len()), (21, 5, 21));
        let mut out = Vec::new();
        h.encode(5, &mut out);
        assert_eq!(out, data);
    }

    #[test]
    fn short_header_is_an_error_not_a_panic() {
        for n in 0..12 {
            let data = hex("0200001c0123456789017fff");
            assert!(Header::decode(&data[..n]).is_err(), "{n}");
        }
    }

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
