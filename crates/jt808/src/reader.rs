//! A bounds-checked cursor over a message body, with errors that name the field.

use crate::error::{Error, Result};

/// Reads big-endian fields from a body, never past its end.
pub(crate) struct Reader<'a> {
    msg_id: u16,
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, the body of message `msg_id`.
    pub(crate) fn new(msg_id: u16, data: &'a [u8]) -> Self {
        Reader {
            msg_id,
            data,
            pos: 0,
        }
    }

    /// Current offset in the body.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes not yet read.
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Takes the next `n` bytes.
    pub(crate) fn bytes(&mut self, n: usize, field: &'static str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let Some(end) = end else {
            return Err(Error::BodyTooShort {
                msg_id: self.msg_id,
                len: self.data.len(),
                need: self.pos.saturating_add(n),
                field,
            });
        };
        let out = &self.data[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// Takes everything left.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let out = &self.data[self.pos..];
        self.pos = self.data.len();
        out
    }

    /// Takes a fixed-size array.
    pub(crate) fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N]> {
        let b = self.bytes(N, field)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }

    /// One byte.
    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8> {
        Ok(self.array::<1>(field)?[0])
    }

    /// Big-endian u16.
    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    /// Big-endian u32.
    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    /// Fails when bytes are left over.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(Error::TrailingBytes {
                msg_id: self.msg_id,
                offset: self.pos,
                extra: self.remaining(),
            })
        }
    }
}

/// Strips trailing NUL padding from a fixed-width text field.
pub(crate) fn trim_nul(b: &[u8]) -> Vec<u8> {
    let end = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
    b[..end].to_vec()
}

/// Writes `value` into exactly `width` bytes: truncated, or right-padded with NUL.
pub(crate) fn put_fixed(out: &mut Vec<u8>, value: &[u8], width: usize) {
    let n = value.len().min(width);
    out.extend_from_slice(&value[..n]);
    out.resize(out.len() + (width - n), 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_read_names_field_and_sizes() {
        let body = [0u8; 20];
        let mut r = Reader::new(0x0200, &body);
        r.bytes(8, "flags").unwrap();
        let err = r.bytes(20, "latitude").unwrap_err();
        assert_eq!(
            err.to_string(),
            "0x0200 body is 20 bytes, needs at least 28 (latitude)"
        );
    }

    #[test]
    fn fixed_fields_pad_and_trim() {
        let mut out = Vec::new();
        put_fixed(&mut out, b"ab", 5);
        assert_eq!(out, b"ab\0\0\0");
        assert_eq!(trim_nul(&out), b"ab");
        out.clear();
        put_fixed(&mut out, b"abcdefg", 5);
        assert_eq!(out, b"abcde");
    }
}
