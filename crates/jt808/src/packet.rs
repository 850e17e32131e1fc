//! A packet: one header plus its raw body, with the frame-level codec.

use crate::error::{Error, Result};
use crate::escape::{check_code, escape_into, unescape, FLAG};
use crate::header::{Header, Version, MAX_BODY_LEN};
use crate::message::{ack_result, GeneralAck, Message, RegisterResponse};
use crate::subpackage;

/// Shortest possible unescaped frame: a 2013 header without sub-package
/// fields (12 bytes) plus the check code.
pub const MIN_FRAME: usize = 13;

/// One JT/T 808 packet: the header and the body bytes it carries.
///
/// For a sub-package the body is just this part; feed it to a
/// [`crate::Reassembler`] to obtain the whole message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The decoded header.
    pub header: Header,
    /// The body (after decryption, if any: this crate does not decrypt).
    pub body: Vec<u8>,
}

impl Packet {
    /// Builds a packet whose body is `message` encoded for `header.version`;
    /// `header.msg_id` is set from the message.
    pub fn new(mut header: Header, message: &Message) -> Self {
        header.msg_id = message.msg_id();
        let body = message.encode_body(header.version);
        Packet { header, body }
    }

    /// Decodes an unescaped frame (as yielded by [`crate::Framer`]): header,
    /// body and check code, without flags.
    pub fn decode(frame: &[u8]) -> Result<Packet> {
        if frame.len() < MIN_FRAME {
            return Err(Error::FrameTooShort {
                len: frame.len(),
                need: MIN_FRAME,
            });
        }
        let (content, check) = frame.split_at(frame.len() - 1);
        let computed = check_code(content);
        if computed != check[0] {
            return Err(Error::CheckCode {
                found: check[0],
                computed,
            });
        }
        let (header, header_len, declared) = Header::decode(content)?;
        let actual = content.len() - header_len;
        if declared != actual {
            return Err(Error::BodyLength { declared, actual });
        }
        let body = content[header_len..].to_vec();
        Ok(Packet { header, body })
    }

    /// Decodes one complete wire frame, `7E … 7E` with escaping.
    pub fn decode_escaped(wire: &[u8]) -> Result<Packet> {
        match wire {
            [FLAG, inner @ .., FLAG] => Packet::decode(&unescape(inner)?),
            _ => Err(Error::MissingFlag),
        }
    }

    /// Decodes the body as a typed [`Message`] for this header's id and version.
    pub fn message(&self) -> Result<Message> {
        Message::decode(self.header.msg_id, self.header.version, &self.body)
    }

    /// Header, body and check code, neither escaped nor flagged.
    ///
    /// Fails when the body is longer than [`MAX_BODY_LEN`].
    pub fn encode_unescaped(&self) -> Result<Vec<u8>> {
        if self.body.len() > MAX_BODY_LEN {
            return Err(Error::BodyTooLong {
                len: self.body.len(),
                max: MAX_BODY_LEN,
            });
        }
        let mut out = Vec::with_capacity(self.header.encoded_len() + self.body.len() + 1);
        self.header.encode(self.body.len(), &mut out);
        out.extend_from_slice(&self.body);
        out.push(check_code(&out));
        Ok(out)
    }

    /// One wire frame (flags, escaping, check code); fails when the body is
    /// longer than [`MAX_BODY_LEN`].
    pub fn try_encode(&self) -> Result<Vec<u8>> {
        let content = self.encode_unescaped()?;
        let mut out = Vec::with_capacity(content.len() + 8);
        out.push(FLAG);
        escape_into(&content, &mut out);
        out.push(FLAG);
        Ok(out)
    }

    /// The bytes to write to the socket.
    ///
    /// A body longer than [`MAX_BODY_LEN`] is split into sub-packages (serials
    /// `serial, serial+1, …`) and their frames are concatenated. A packet that
    /// is already a sub-package cannot be split again: its body is then cut
    /// to [`MAX_BODY_LEN`] bytes (use [`Packet::try_encode`] to get an error instead).
    pub fn encode(&self) -> Vec<u8> {
        if let Ok(bytes) = self.try_encode() {
            return bytes;
        }
        if self.header.subpackage.is_some() {
            let cut = Packet {
                header: self.header.clone(),
                body: self.body[..MAX_BODY_LEN].to_vec(),
            };
            return cut.encode();
        }
        subpackage::split(&self.header, &self.body, MAX_BODY_LEN)
            .iter()
            .flat_map(Packet::encode)
            .collect()
    }

    /// A header for a reply to this packet: same version and phone, the given
    /// message id and serial, no sub-packaging or encryption.
    pub fn reply_header(&self, msg_id: u16, serial: u16) -> Header {
        Header::new(
            msg_id,
            self.header.version,
            self.header.phone.clone(),
            serial,
        )
    }

    /// A reply to this packet carrying `message`, with the platform's `serial`.
    pub fn reply(&self, message: &Message, serial: u16) -> Packet {
        Packet::new(self.reply_header(message.msg_id(), serial), message)
    }

    /// The 0x8001 platform general response to this packet.
    ///
    /// `result` is one of [`ack_result`]'s codes (0 = success).
    pub fn platform_ack(&self, result: u8, serial: u16) -> Packet {
        let ack = GeneralAck {
            reply_serial: self.header.serial,
            reply_id: self.header.msg_id,
            result,
        };
        self.reply(&Message::PlatformAck(ack), serial)
    }

    /// A successful 0x8001 for this packet.
    pub fn ack_ok(&self, serial: u16) -> Packet {
        self.platform_ack(ack_result::SUCCESS, serial)
    }

    /// The 0x8100 register response to this (0x0100) packet.
    pub fn register_response(&self, result: u8, auth_code: &[u8], serial: u16) -> Packet {
        let resp = RegisterResponse {
            reply_serial: self.header.serial,
            result,
            auth_code: auth_code.to_vec(),
        };
        self.reply(&Message::RegisterResponse(resp), serial)
    }

    /// True when the header uses the 2019 layout.
    pub fn is_2019(&self) -> bool {
        matches!(self.header.version, Version::V2019 { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heartbeat() -> Packet {
        Packet::new(
            Header::new(0, Version::V2013, "13800138000", 7),
            &Message::Heartbeat,
        )
    }

    #[test]
    fn encode_then_decode() {
        let p = heartbeat();
        let wire = p.encode();
        assert_eq!(wire.first(), Some(&0x7E));
        let back = Packet::decode_escaped(&wire).unwrap();
        assert_eq!(back.header.phone, "013800138000");
        assert_eq!(back.header.msg_id, 0x0002);
        assert_eq!(back.message().unwrap(), Message::Heartbeat);
    }

    #[test]
    fn bad_check_code_names_both_values() {
        let mut frame = heartbeat().encode_unescaped().unwrap();
        let last = frame.len() - 1;
        let good = frame[last];
        frame[last] ^= 0x01;
        let err = Packet::decode(&frame).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("check code 0x{:02X}, computed 0x{good:02X}", good ^ 1)
        );
    }

    #[test]
    fn body_length_mismatch_is_an_error() {
        let p = Packet {
            header: Header::new(0x0200, Version::V2013, "1", 1),
            body: vec![1, 2, 3],
        };
        let mut frame = p.encode_unescaped().unwrap();
        frame.insert(12, 0xAA); // one extra body byte, then fix the check code
        let n = frame.len() - 1;
        frame[n] = check_code(&frame[..n]);
        assert_eq!(
            Packet::decode(&frame),
            Err(Error::BodyLength {
                declared: 3,
                actual: 4
            })
        );
    }

    #[test]
    fn long_body_is_split_on_encode() {
        let p = Packet {
            header: Header::new(0x0704, Version::V2019_1, "1", 10),
            body: vec![0x7E; 2500],
        };
        assert!(p.try_encode().is_err());
        let wire = p.encode();
        let mut framer = crate::Framer::default();
        let packets: Vec<Packet> = framer
            .feed(&wire)
            .into_iter()
            .map(|f| Packet::decode(&f.unwrap()).unwrap())
            .collect();
        assert_eq!(packets.len(), 3);
        assert_eq!(packets[2].header.serial, 12);
    }

    #[test]
    fn ack_refers_to_the_request() {
        let req = heartbeat();
        let ack = req.ack_ok(99);
        assert_eq!(ack.header.msg_id, 0x8001);
        assert_eq!(ack.header.serial, 99);
        assert_eq!(ack.body, [0x00, 0x07, 0x00, 0x02, 0x00]);
    }
}
