//! JT/T 808 codec: the protocol that Chinese trucks' GNSS terminals speak to
//! a platform over TCP. Both the 2013 and the 2019 header layouts are
//! supported. Pure library: no IO, no async runtime.
//!
//! # Tour
//!
//! * [`Framer`] splits a TCP byte stream on `0x7E` flags and unescapes each
//!   frame (`7D 02` → `7E`, `7D 01` → `7D`), with a bounded buffer.
//! * [`Packet::decode`] checks the XOR check code and body length and yields a
//!   [`Header`] (message id, [`Version`], phone digits, serial, sub-package
//!   position) plus the raw body.
//! * [`Reassembler`] rebuilds messages that were split into sub-packages,
//!   within limits on pending messages and bytes, expiring by a caller-given
//!   [`std::time::Instant`]; [`subpackage::split`] does the reverse.
//! * [`Message`] decodes the body into typed structs (register, auth,
//!   location with its additional items, batch upload, general responses,
//!   terminal parameters); any other id is [`Message::Unknown`].
//! * [`Packet::encode`] writes a reply with flags, escaping and check code;
//!   [`Packet::ack_ok`], [`Packet::platform_ack`] and
//!   [`Packet::register_response`] build the usual replies.
//!
//! Decoding never panics and allocates at most in proportion to its input
//! and the configured limits. All errors are one [`Error`] enum whose text
//! names what is wrong and where.
//!
//! # A gateway's loop
//!
//! ```
//! use std::time::Instant;
//! use wuliu_jt808::{Framer, Message, Packet, Reassembler};
//!
//! // Bytes as read from a terminal's socket: a 2013 heartbeat from phone
//! // 012345678901, serial 0x7FFF, in two arbitrary chunks.
//! let chunks: [&[u8]; 2] = [
//!     &[0x00, 0x7E, 0x00, 0x02, 0x00, 0x00, 0x01, 0x23],
//!     &[0x45, 0x67, 0x89, 0x01, 0x7F, 0xFF, 0x0A, 0x7E],
//! ];
//!
//! let mut framer = Framer::default();
//! let mut reassembler = Reassembler::default();
//! let mut platform_serial = 0u16;
//! let mut replies: Vec<Vec<u8>> = Vec::new();
//!
//! for chunk in chunks {
//!     for frame in framer.feed(chunk) {
//!         let packet = match frame.and_then(|f| Packet::decode(&f)) {
//!             Ok(p) => p,
//!             Err(e) => { eprintln!("dropping frame: {e}"); continue; }
//!         };
//!         let Some(packet) = reassembler.push(packet, Instant::now())? else {
//!             continue; // waiting for more sub-packages
//!         };
//!         let reply = match packet.message()? {
//!             Message::Register(_) => packet.register_response(0, b"AUTH-1", platform_serial),
//!             Message::Location(loc) => {
//!                 println!("{} at {} {}", packet.header.phone, loc.latitude_deg(), loc.longitude_deg());
//!                 packet.ack_ok(platform_serial)
//!             }
//!             _ => packet.ack_ok(platform_serial),
//!         };
//!         platform_serial = platform_serial.wrapping_add(1);
//!         replies.push(reply.encode());
//!     }
//! }
//!
//! // One 0x8001 answering 0x0002 serial 0x7FFF with result 0 (success).
//! assert_eq!(
//!     replies,
//!     vec![vec![0x7E, 0x80, 0x01, 0x00, 0x05, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01,
//!               0x00, 0x00, 0x7F, 0xFF, 0x00, 0x02, 0x00, 0x8E, 0x7E]]
//! );
//! # Ok::<(), wuliu_jt808::Error>(())
//! ```

#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod bcd;
mod error;
pub mod escape;
mod frame;
pub mod header;
pub mod message;
mod packet;
mod reader;
pub mod subpackage;
pub mod text;

pub use bcd::BcdTime;
pub use error::{Error, Result};
pub use frame::{Framer, DEFAULT_MAX_FRAME};
pub use header::{Header, Subpackage, Version, MAX_BODY_LEN};
pub use message::{
    ack_result, msg_id, param_id, register_result, AlarmFlags, Authentication, BatchLocation,
    GeneralAck, Location, LocationExtra, Message, Param, ParamValue, ParamsResponse,
    RegisterResponse, SetParams, StatusFlags, TerminalRegister,
};
pub use packet::{Packet, MIN_FRAME};
pub use subpackage::{Reassembler, ReassemblerConfig, ReassemblerStats};
