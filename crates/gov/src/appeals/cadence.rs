//! The reporting cadence: the weekly collection windows and the due instants W1 (member units'
//! Form 1, Monday and Thursday), W4 (综合组's Form 2, Tuesday and Friday), M1 (member units'
//! monthly submission, before the 21st) and M4 (the monthly summary, before the 24th), with
//! holidays and adjusted working days moving a due day.
//!
//! Times are Liuzhou's, a fixed UTC+08:00: China keeps no daylight saving, so no time-zone
//! database is needed. A weekly due falls at the configured cut-off of its (moved) day; a monthly
//! due at the end of its (moved) day, since "21日前" names no hour.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::config::{Cadence, DayReading, HolidayShift, MonthlyPeriod};
use super::workflow::Group;

/// Liuzhou's offset from UTC (+08:00 all year).
pub fn liuzhou() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// The day in Liuzhou at instant `t`.
pub fn local_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&liuzhou()).date_naive()
}

/// The instant of `time` on `date` in Liuzhou.
pub fn local_instant(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    liuzhou()
        .from_local_datetime(&date.and_time(time))
        .single()
        .expect("a fixed offset has one instant per local time")
        .with_timezone(&Utc)
}

/// A step of the cadence.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Step {
    /// Member units send Form 1 (每周一、四上午下班前).
    W1,
    /// 综合组 sends Form 2 to the regional task force (每周二、五上午下班前).
    W4,
    /// Member units send the month's appeals and their resolution (每月21日前).
    M1,
    /// 综合组 sends the monthly summary (当月24日前).
    M4,
}

impl Step {
    /// Whether a unit in `groups` answers for this step: member units and 信息采集组 (which
    /// enters what they send) for W1 and M1, 综合组 for W4 and M4, leadership for every step;
    /// 协调促进组 alone for none.
    pub fn owed_by(self, groups: &[Group]) -> bool {
        groups.iter().any(|g| match g {
            Group::Leadership => true,
            Group::Member | Group::Collection => matches!(self, Step::W1 | Step::M1),
            Group::General => matches!(self, Step::W4 | Step::M4),
            Group::Coordination => false,
        })
    }
}

/// A due instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Due {
    /// Which step.
    pub step: Step,
    /// The day the document names (before any holiday move).
    pub nominal: NaiveDate,
    /// The day it falls on after a holiday move.
    pub day: NaiveDate,
    /// The instant by which it is due.
    pub at: DateTime<Utc>,
}

/// A weekly collection window: appeals received in `[opens, closes)` are due from the member
/// units at `closes` (W1) and at the regional task force at `summary_due` (W4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Window {
    /// The previous W1 due (inclusive).
    pub opens: DateTime<Utc>,
    /// This window's W1 due (exclusive).
    pub closes: DateTime<Utc>,
    /// The W4 due of the Form 2 that carries it: the first summary due after `closes`.
    pub summary_due: DateTime<Utc>,
}

/// A month's dues and the period its report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month (1–12).
    pub month: u32,
    /// M1 (member units).
    pub m1: Due,
    /// M4 (the summary to the regional task force).
    pub m4: Due,
    /// The report covers appeals received from here (inclusive) …
    pub period_from: DateTime<Utc>,
    /// … to here (exclusive).
    pub period_to: DateTime<Utc>,
}

impl Cadence {
    fn cutoff_or_noon(&self) -> NaiveTime {
        self.cutoff_time()
            .unwrap_or_else(|| NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
    }

    /// Whether `d` is a working day: Monday to Friday unless a listed holiday, or a listed
    /// adjusted working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.holidays.contains(&d) {
            return false;
        }
        self.working_days.contains(&d) || d.weekday().number_from_monday() <= 5
    }

    /// The day a due on `d` falls on after the holiday rule (at most 60 days away).
    pub fn shift(&self, d: NaiveDate) -> NaiveDate {
        let step = match self.holiday_shift {
            HolidayShift::None => return d,
            HolidayShift::Later => Duration::days(1),
            HolidayShift::Earlier => Duration::days(-1),
        };
        let mut day = d;
        for _ in 0..60 {
            if self.is_working_day(day) {
                return day;
            }
            day += step;
        }
        d
    }

    fn weekly_dues(&self, step: Step, days: &[u8], from: NaiveDate, to: NaiveDate) -> Vec<Due> {
        let cutoff = self.cutoff_or_noon();
        // An empty list never passes validation; read it as Monday rather than have no window.
        let days = if days.is_empty() { &[1u8][..] } else { days };
        let mut out: Vec<Due> = Vec::new();
        let mut d = from;
        while d <= to {
            if days.contains(&(d.weekday().number_from_monday() as u8)) {
                let day = self.shift(d);
                if !out.iter().any(|x| x.day == day) {
                    out.push(Due {
                        step,
                        nominal: d,
                        day,
                        at: local_instant(day, cutoff),
                    });
                }
            }
            d += Duration::days(1);
        }
        out.sort_by_key(|x| x.at);
        out
    }

    /// The W1 dues around instant `t` (three weeks either side), in time order.
    fn collection_dues_near(&self, t: DateTime<Utc>) -> Vec<Due> {
        let d = local_date(t);
        self.weekly_dues(
            Step::W1,
            &self.collection_days,
            d - Duration::days(80),
            d + Duration::days(80),
        )
    }

    /// The collection window holding instant `t`.
    pub fn window_at(&self, t: DateTime<Utc>) -> Window {
        let dues = self.collection_dues_near(t);
        let k = dues.iter().position(|x| x.at > t).unwrap_or(dues.len() - 1);
        let closes = dues[k].at;
        let opens = if k > 0 {
            dues[k - 1].at
        } else {
            closes - Duration::days(7)
        };
        Window {
            opens,
            closes,
            summary_due: self.summary_due_after(closes),
        }
    }

    /// The first W4 due after `t`.
    pub fn summary_due_after(&self, t: DateTime<Utc>) -> DateTime<Utc> {
        let d = local_date(t);
        self.weekly_dues(
            Step::W4,
            &self.summary_days,
            d - Duration::days(7),
            d + Duration::days(80),
        )
        .into_iter()
        .map(|x| x.at)
        .find(|at| *at > t)
        .unwrap_or(t + Duration::days(7))
    }

    /// The window a weekly report of `date` covers: the last one that closed by the end of that
    /// day (a report of Monday or Tuesday carries the window that closed Monday at the cut-off).
    pub fn window_for_report(&self, date: NaiveDate) -> Window {
        let end = local_instant(date + Duration::days(1), NaiveTime::MIN);
        let dues = self.collection_dues_near(end);
        let last = dues.iter().rev().find(|x| x.at <= end).map(|x| x.at);
        self.window_at(last.unwrap_or(end) - Duration::seconds(1))
    }

    fn monthly_due(&self, step: Step, year: i32, month: u32, day: u32) -> Due {
        let nominal = NaiveDate::from_ymd_opt(year, month, day).expect("days 2..=28 exist");
        let last_day = match self.day_reading {
            DayReading::Inclusive => nominal,
            DayReading::Exclusive => nominal - Duration::days(1),
        };
        let day = self.shift(last_day);
        Due {
            step,
            nominal,
            day,
            at: local_instant(day + Duration::days(1), NaiveTime::MIN),
        }
    }

    /// The dues of month `month` of `year` and the period its report covers.
    pub fn month(&self, year: i32, month: u32) -> Month {
        let m1 = self.monthly_due(Step::M1, year, month, self.monthly_member_day);
        let m4 = self.monthly_due(Step::M4, year, month, self.monthly_summary_day);
        let (py, pm) = if month == 1 {
            (year - 1, 12)
        } else {
            (year, month - 1)
        };
        let (ny, nm) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let (period_from, period_to) = match self.monthly_period {
            MonthlyPeriod::SinceLastDue => (
                self.monthly_due(Step::M1, py, pm, self.monthly_member_day)
                    .at,
                m1.at,
            ),
            MonthlyPeriod::Calendar => (
                local_instant(
                    NaiveDate::from_ymd_opt(year, month, 1).expect("day 1"),
                    NaiveTime::MIN,
                ),
                local_instant(
                    NaiveDate::from_ymd_opt(ny, nm, 1).expect("day 1"),
                    NaiveTime::MIN,
                ),
            ),
        };
        Month {
            year,
            month,
            m1,
            m4,
            period_from,
            period_to,
        }
    }

    /// Every due falling on `date` (after holiday moves), in time order.
    pub fn dues_on(&self, date: NaiveDate) -> Vec<Due> {
        let span = (date - Duration::days(40), date + Duration::days(40));
        let mut out: Vec<Due> = self
            .weekly_dues(Step::W1, &self.collection_days, span.0, span.1)
            .into_iter()
            .chain(self.weekly_dues(Step::W4, &self.summary_days, span.0, span.1))
            .filter(|x| x.day == date)
            .collect();
        let mut ym = (span.0.year(), span.0.month());
        for _ in 0..4 {
            let m = self.month(ym.0, ym.1);
            out.extend([m.m1, m.m4].into_iter().filter(|x| x.day == date));
            ym = if ym.1 == 12 {
                (ym.0 + 1, 1)
            } else {
                (ym.0, ym.1 + 1)
            };
        }
        out.sort_by_key(|x| (x.at, x.step));
        out
    }
}
