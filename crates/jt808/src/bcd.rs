//! Packed BCD: the terminal phone number and the 6-byte GMT+8 timestamp.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike};

use crate::error::{Error, Result};

/// Decodes packed BCD into a digit string, two digits a byte, high nibble first.
///
/// `field` names the field in the error (e.g. "phone").
pub fn decode_digits(bytes: &[u8], field: &'static str) -> Result<String> {
    let mut s = String::with_capacity(bytes.len() * 2);
    for (byte, &b) in bytes.iter().enumerate() {
        for nibble in [b >> 4, b & 0x0F] {
            if nibble > 9 {
                return Err(Error::Bcd {
                    field,
                    byte,
                    nibble,
                });
            }
            s.push(char::from(b'0' + nibble));
        }
    }
    Ok(s)
}

/// Encodes a digit string into `width` bytes of packed BCD.
///
/// Shorter strings are padded with leading zeros; longer ones keep their last
/// `2 * width` digits. Characters other than ASCII digits count as `0`.
pub fn encode_digits(digits: &str, width: usize, out: &mut Vec<u8>) {
    let want = width * 2;
    let bytes = digits.as_bytes();
    let skip = bytes.len().saturating_sub(want);
    let pad = want.saturating_sub(bytes.len());
    let nibbles = std::iter::repeat_n(0u8, pad).chain(bytes[skip..].iter().map(|&c| {
        if c.is_ascii_digit() {
            c - b'0'
        } else {
            0
        }
    }));
    let mut high = None;
    for n in nibbles {
        match high.take() {
            None => high = Some(n),
            Some(h) => out.push((h << 4) | n),
        }
    }
}

/// Packs a number 0..=99 into one BCD byte (values above 99 wrap modulo 100).
pub fn to_bcd_byte(v: u8) -> u8 {
    let v = v % 100;
    ((v / 10) << 4) | (v % 10)
}

/// The 6-byte BCD time of JT/T 808: `YY MM DD hh mm ss`, local time GMT+8.
///
/// Kept as the raw fields so that a terminal's placeholder time (all zeros
/// before the first fix) still decodes and re-encodes unchanged; use
/// [`BcdTime::to_datetime`] for a checked calendar value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BcdTime {
    /// Year within the century, 0..=99 (20YY).
    pub year: u8,
    /// Month 1..=12 (0 in placeholder times).
    pub month: u8,
    /// Day of month 1..=31.
    pub day: u8,
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=59.
    pub second: u8,
}

impl BcdTime {
    /// Decodes the 6 bytes (errors on a nibble above 9).
    pub fn decode(bytes: &[u8; 6]) -> Result<Self> {
        let mut v = [0u8; 6];
        for (i, &b) in bytes.iter().enumerate() {
            let (hi, lo) = (b >> 4, b & 0x0F);
            if hi > 9 || lo > 9 {
                let nibble = if hi > 9 { hi } else { lo };
                return Err(Error::Bcd {
                    field: "time",
                    byte: i,
                    nibble,
                });
            }
            v[i] = hi * 10 + lo;
        }
        let [year, month, day, hour, minute, second] = v;
        Ok(BcdTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The 6 BCD bytes.
    pub fn encode(&self) -> [u8; 6] {
        [
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        ]
        .map(to_bcd_byte)
    }

    /// The time zone of the wire format (GMT+8, China Standard Time).
    pub fn china_offset() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).expect("8 hours is a valid offset")
    }

    /// The calendar time in GMT+8, or `None` when the fields are no real date.
    pub fn to_datetime(&self) -> Option<DateTime<FixedOffset>> {
        let date = NaiveDate::from_ymd_opt(
            2000 + i32::from(self.year),
            self.month.into(),
            self.day.into(),
        )?;
        let naive = date.and_hms_opt(self.hour.into(), self.minute.into(), self.second.into())?;
        Self::china_offset().from_local_datetime(&naive).single()
    }

    /// Converts any time (years 2000..=2099 are representable) into GMT+8 fields.
    pub fn from_datetime<Tz: TimeZone>(t: &DateTime<Tz>) -> Self {
        let t = t.with_timezone(&Self::china_offset());
        BcdTime {
            year: (t.year().rem_euclid(100)) as u8,
            month: t.month() as u8,
            day: t.day() as u8,
            hour: t.hour() as u8,
            minute: t.minute() as u8,
            second: t.second() as u8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_round_trip_and_padding() {
        let mut out = Vec::new();
        encode_digits("13800138000", 6, &mut out);
        assert_eq!(out, [0x01, 0x38, 0x00, 0x13, 0x80, 0x00]);
        assert_eq!(decode_digits(&out, "phone").unwrap(), "013800138000");
        let mut long = Vec::new();
        encode_digits("99123456789012", 6, &mut long);
        assert_eq!(decode_digits(&long, "phone").unwrap(), "123456789012");
    }

    #[test]
    fn bad_phone_nibble_names_the_byte() {
        let err = decode_digits(&[0x01, 0x23, 0x45, 0x67, 0x89, 0x0F], "phone").unwrap_err();
        assert_eq!(err.to_string(), "BCD digit 0xF at byte 5 of the phone");
    }

    #[test]
    fn time_decodes_to_gmt8() {
        let t = BcdTime::decode(&[0x24, 0x10, 0x01, 0x23, 0x59, 0x59]).unwrap();
        let dt = t.to_datetime().unwrap();
        assert_eq!(dt.to_rfc3339(), "2024-10-01T23:59:59+08:00");
        assert_eq!(BcdTime::from_datetime(&dt.to_utc()), t);
        assert_eq!(t.encode(), [0x24, 0x10, 0x01, 0x23, 0x59, 0x59]);
    }

    #[test]
    fn placeholder_time_is_kept_but_not_a_date() {
        let t = BcdTime::decode(&[0; 6]).unwrap();
        assert_eq!(t.to_datetime(), None);
        assert_eq!(t.encode(), [0; 6]);
    }
}
