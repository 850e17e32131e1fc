//! Beijing time (UTC+8) and second-based timestamps used inside the engine.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};

/// Offset of Beijing time from UTC, in seconds.
pub const BEIJING_OFFSET_S: i32 = 8 * 3600;

/// The Beijing (UTC+8) fixed offset.
pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(BEIJING_OFFSET_S).expect("UTC+8 is a valid offset")
}

/// The Beijing calendar date of an instant.
pub fn beijing_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&beijing()).date_naive()
}

/// Seconds since the Unix epoch to a UTC instant (saturating at the representable range).
pub fn to_utc(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The Beijing date of a Unix timestamp in seconds.
pub fn beijing_date_of(secs: i64) -> NaiveDate {
    beijing_date(to_utc(secs))
}

/// Seconds after Beijing midnight (0..86 400) of a Unix timestamp.
pub fn beijing_second_of_day(secs: i64) -> u32 {
    (secs + i64::from(BEIJING_OFFSET_S)).rem_euclid(86_400) as u32
}

/// Formats a Unix timestamp as RFC 3339 in Beijing time, for evidence.
pub fn fmt_beijing(secs: i64) -> String {
    to_utc(secs).with_timezone(&beijing()).to_rfc3339()
}

/// Hour of day (0–23) in Beijing time of an instant.
pub fn beijing_hour(t: DateTime<Utc>) -> u32 {
    t.with_timezone(&beijing()).hour()
}
