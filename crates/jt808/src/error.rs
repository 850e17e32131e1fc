//! The one error type of this crate.

/// Everything that can go wrong while framing, decoding or reassembling.
///
/// Each variant names what is wrong and where, so that a gateway can log the
/// message as is (for example `0x0200 body is 20 bytes, needs at least 28 (latitude)`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A frame grew past the configured maximum and was discarded.
    #[error("frame is longer than the limit of {max} bytes; discarded")]
    FrameTooLong {
        /// The configured maximum (unescaped bytes between the flags).
        max: usize,
    },
    /// 0x7D was followed by something other than 0x01 or 0x02.
    #[error("bad escape 0x7D 0x{next:02X} at byte {offset} of the frame")]
    BadEscape {
        /// Position of the 0x7D within the escaped frame.
        offset: usize,
        /// The byte that followed it.
        next: u8,
    },
    /// The frame ended (flag or end of input) right after a 0x7D.
    #[error("frame ends inside an escape (0x7D at byte {offset})")]
    TruncatedEscape {
        /// Position of the dangling 0x7D.
        offset: usize,
    },
    /// A frame given to [`crate::Packet::decode_escaped`] does not start and end with 0x7E.
    #[error("escaped frame must start and end with 0x7E")]
    MissingFlag,
    /// The unescaped frame is too short to hold its header and check code.
    #[error("frame is {len} bytes, needs at least {need} for its header and check code")]
    FrameTooShort {
        /// Bytes present.
        len: usize,
        /// Bytes the header (plus check code) needs.
        need: usize,
    },
    /// The XOR check code does not match.
    #[error("check code 0x{found:02X}, computed 0x{computed:02X}")]
    CheckCode {
        /// The code carried by the frame.
        found: u8,
        /// The code computed over header and body.
        computed: u8,
    },
    /// The body length in the header disagrees with the bytes present.
    #[error("header says the body is {declared} bytes, the frame carries {actual}")]
    BodyLength {
        /// Length from the body properties.
        declared: usize,
        /// Bytes actually between header and check code.
        actual: usize,
    },
    /// A BCD nibble above 9.
    #[error("BCD digit 0x{nibble:X} at byte {byte} of the {field}")]
    Bcd {
        /// Which field ("phone", "time").
        field: &'static str,
        /// Byte index within that field.
        byte: usize,
        /// The offending nibble.
        nibble: u8,
    },
    /// A message body ended before a field.
    #[error("0x{msg_id:04X} body is {len} bytes, needs at least {need} ({field})")]
    BodyTooShort {
        /// Message id being decoded.
        msg_id: u16,
        /// Body length.
        len: usize,
        /// Bytes needed to read `field`.
        need: usize,
        /// The field being read.
        field: &'static str,
    },
    /// Bytes left over after the last field of a fixed layout.
    #[error("0x{msg_id:04X} body has {extra} unexpected bytes after byte {offset}")]
    TrailingBytes {
        /// Message id being decoded.
        msg_id: u16,
        /// Where the expected content ended.
        offset: usize,
        /// How many bytes follow.
        extra: usize,
    },
    /// A field value that the layout cannot accept.
    #[error("0x{msg_id:04X} {field} at byte {offset}: {detail}")]
    BadField {
        /// Message id being decoded.
        msg_id: u16,
        /// The field.
        field: &'static str,
        /// Offset of the field in the body.
        offset: usize,
        /// What is wrong.
        detail: String,
    },
    /// Sub-package index/total out of range.
    #[error("sub-package {index} of {total} is out of range (index must be 1..=total)")]
    SubpackageIndex {
        /// Index from the header (1-based).
        index: u16,
        /// Total from the header.
        total: u16,
    },
    /// A sub-package disagrees with earlier parts of the same message.
    #[error("sub-package of 0x{msg_id:04X} says {total} parts, earlier parts said {expected}")]
    SubpackageMismatch {
        /// Message id.
        msg_id: u16,
        /// Total from this packet.
        total: u16,
        /// Total from the first packet seen.
        expected: u16,
    },
    /// One sub-package alone is larger than the reassembler's byte budget.
    #[error("sub-package body of {len} bytes exceeds the reassembly budget of {max} bytes")]
    ReassemblyBudget {
        /// Body length.
        len: usize,
        /// Configured total byte limit.
        max: usize,
    },
    /// A body too long for one frame was given to an encoder that cannot split it.
    #[error("body is {len} bytes, a header can describe at most {max}")]
    BodyTooLong {
        /// Body length.
        len: usize,
        /// The 10-bit maximum (1023).
        max: usize,
    },
}

/// Shorthand for `Result<T, Error>`.
pub type Result<T> = std::result::Result<T, Error>;
