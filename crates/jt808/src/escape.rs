//! Byte stuffing (0x7E / 0x7D) and the XOR check code.

use crate::error::{Error, Result};

/// Frame delimiter.
pub const FLAG: u8 = 0x7E;
/// Escape byte.
pub const ESCAPE: u8 = 0x7D;

/// Appends `data` to `out` with 0x7E written as `7D 02` and 0x7D as `7D 01`.
pub fn escape_into(data: &[u8], out: &mut Vec<u8>) {
    for &b in data {
        match b {
            FLAG => out.extend_from_slice(&[ESCAPE, 0x02]),
            ESCAPE => out.extend_from_slice(&[ESCAPE, 0x01]),
            _ => out.push(b),
        }
    }
}

/// Reverses [`escape_into`] for bytes found between two flags.
///
/// Fails on `7D` followed by anything but `01`/`02`, or a trailing `7D`.
pub fn unescape(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        if b != ESCAPE {
            out.push(b);
            i += 1;
            continue;
        }
        match data.get(i + 1) {
            Some(0x01) => out.push(ESCAPE),
            Some(0x02) => out.push(FLAG),
            Some(&next) => return Err(Error::BadEscape { offset: i, next }),
            None => return Err(Error::TruncatedEscape { offset: i }),
        }
        i += 2;
    }
    Ok(out)
}

/// XOR of all bytes: the check code over header and body.
pub fn check_code(data: &[u8]) -> u8 {
    data.iter().fold(0, |acc, b| acc ^ b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_both_special_bytes() {
        let mut out = Vec::new();
        escape_into(&[0x30, 0x7E, 0x08, 0x7D, 0x55], &mut out);
        assert_eq!(out, [0x30, 0x7D, 0x02, 0x08, 0x7D, 0x01, 0x55]);
        assert_eq!(unescape(&out).unwrap(), [0x30, 0x7E, 0x08, 0x7D, 0x55]);
    }

    #[test]
    fn rejects_bad_and_dangling_escapes() {
        assert_eq!(
            unescape(&[0x01, 0x7D, 0x03]),
            Err(Error::BadEscape {
                offset: 1,
                next: 0x03
            })
        );
        assert_eq!(
            unescape(&[0x01, 0x7D]),
            Err(Error::TruncatedEscape { offset: 1 })
        );
    }

    #[test]
    fn check_code_is_xor() {
        assert_eq!(check_code(&[]), 0);
        assert_eq!(check_code(&[0x01, 0x02, 0x04]), 0x07);
        assert_eq!(check_code(&[0xFF, 0xFF]), 0);
    }
}
