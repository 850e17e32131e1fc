//! When a ban is in force: an `opening_hours` expression (`Mo-Fr 07:00-09:00,17:00-19:00`,
//! `Jan-Mar Sa,Su 10:00-16:00`), evaluated with the `opening-hours` crate in the network's
//! local time.
//!
//! "Open" means *the ban applies*. Public holidays (`PH`) are never matched: the crate needs a
//! country's holiday calendar for that, which we do not ship; a rule `PH off` therefore never
//! lifts a ban, and `PH 07:00-09:00` never adds one.

use std::str::FromStr;

use chrono::{Duration, NaiveDateTime};
use opening_hours::OpeningHours;

/// How far ahead of a departure ban intervals are evaluated; a route arriving later treats every
/// ban as lifted after this horizon.
pub const HORIZON_MS: u32 = 7 * 24 * 3_600_000;

/// A parsed `opening_hours` expression saying when a ban applies.
#[derive(Debug, Clone, PartialEq)]
pub struct BanHours {
    text: String,
    hours: OpeningHours,
}

impl BanHours {
    /// Parses `text`; the error is the parser's message.
    pub fn parse(text: &str) -> Result<BanHours, String> {
        let hours = OpeningHours::from_str(text).map_err(|e| e.to_string())?;
        Ok(BanHours {
            text: text.to_string(),
            hours,
        })
    }

    /// The expression as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the ban applies at local time `at`.
    pub fn active_at(&self, at: NaiveDateTime) -> bool {
        self.hours.is_open(at)
    }

    /// When the state at `at` next changes (a ban in force lifts, or one starts), if ever.
    pub fn next_change(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        self.hours.next_change(at)
    }

    /// The intervals `[start, end)` in milliseconds after `depart` (local time) during which the
    /// ban applies, within [`HORIZON_MS`]; sorted and disjoint.
    pub fn intervals_after(&self, depart: NaiveDateTime) -> Vec<(u32, u32)> {
        let end = depart + Duration::milliseconds(i64::from(HORIZON_MS));
        let ms = |t: NaiveDateTime| {
            (t - depart)
                .num_milliseconds()
                .clamp(0, i64::from(HORIZON_MS)) as u32
        };
        let mut out: Vec<(u32, u32)> = Vec::new();
        for r in self.hours.iter_range(depart, end) {
            if r.kind != opening_hours::RuleKind::Open {
                continue;
            }
            let (a, b) = (ms(r.range.start), ms(r.range.end));
            match out.last_mut() {
                Some(last) if last.1 >= a => last.1 = last.1.max(b),
                _ if b > a => out.push((a, b)),
                _ => {}
            }
        }
        out
    }
}

/// The earliest time `>= t` outside every interval of `intervals` (sorted, disjoint).
pub(crate) fn lift(intervals: &[(u32, u32)], t: u32) -> u32 {
    let i = intervals.partition_point(|&(_, end)| end <= t);
    match intervals.get(i) {
        Some(&(start, end)) if start <= t => end,
        _ => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn weekday_peaks_from_a_monday_morning() {
        let h = BanHours::parse("Mo-Fr 07:00-09:00,17:00-19:00").unwrap();
        // 2026-12-07 is a Monday.
        assert!(h.active_at(at("2026-12-07 08:00")));
        assert!(!h.active_at(at("2026-12-07 09:00")));
        assert!(!h.active_at(at("2026-12-05 08:00")), "Saturday");
        let iv = h.intervals_after(at("2026-12-07 06:00"));
        let hour = 3_600_000;
        assert_eq!(iv[0], (hour, 3 * hour));
        assert_eq!(iv[1], (11 * hour, 13 * hour));
        assert_eq!(iv.len(), 10, "two a day on five weekdays");
    }

    #[test]
    fn departing_inside_a_ban_starts_at_zero() {
        let h = BanHours::parse("07:00-09:00").unwrap();
        let iv = h.intervals_after(at("2026-12-07 08:30"));
        assert_eq!(iv[0], (0, 30 * 60_000));
    }

    #[test]
    fn lift_waits_to_the_end_of_the_interval_covering_t() {
        let iv = [(10, 20), (30, 40)];
        assert_eq!(lift(&iv, 5), 5);
        assert_eq!(lift(&iv, 10), 20);
        assert_eq!(lift(&iv, 19), 20);
        assert_eq!(lift(&iv, 20), 20);
        assert_eq!(lift(&iv, 35), 40);
        assert_eq!(lift(&iv, 45), 45);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(BanHours::parse("every other tuesday").is_err());
    }
}
