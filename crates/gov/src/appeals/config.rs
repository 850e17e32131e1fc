//! The desk's configuration: who sits in which group, and the choices the document leaves open
//! (the clock time of 上午下班前, how 21日前/24日前 read, holidays, the periods after which an
//! item is flagged). Defaults are the document's reading as explained in [`super`].

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use wuliu_model::Violations;

/// The most dates a holiday or working-day list holds.
pub const MAX_DATES: usize = 400;

/// The most units a group lists.
pub const MAX_GROUP_UNITS: usize = 50;

/// The task force's groups by unit name (组织架构; 成员单位 by inference from the membership).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Groups {
    /// 综合组 (general group): compiles Form 2 and sends it to the regional task force.
    pub general: Vec<String>,
    /// 信息采集组 (information collection group, 信息采编组 in 三、工作机制).
    pub collection: Vec<String>,
    /// 协调促进组 (coordination group): follows up city-level issues with the competent units.
    pub coordination: Vec<String>,
    /// 成员单位 (member units): send Form 1.
    pub members: Vec<String>,
}

impl Default for Groups {
    fn default() -> Self {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect();
        Groups {
            general: v(&["市贸促会"]),
            collection: v(&["市商务局"]),
            coordination: v(&["市发展改革委"]),
            members: v(&[
                "市贸促会",
                "市发展改革委",
                "市商务局",
                "市投资促进局",
                "柳州海关",
            ]),
        }
    }
}

/// How "21日前" / "24日前" read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayReading {
    /// On or before the day: due by the end of the 21st (the usual official reading; default).
    Inclusive,
    /// Strictly before the day: due by the end of the 20th.
    Exclusive,
}

/// Where a due day that is not a working day goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolidayShift {
    /// To the next working day (顺延, the usual rule for deadlines; default).
    Later,
    /// To the previous working day (提前).
    Earlier,
    /// Not moved.
    None,
}

/// Which appeals a monthly report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MonthlyPeriod {
    /// From the previous month's M1 due to this month's (each appeal in exactly one report;
    /// default).
    SinceLastDue,
    /// The calendar month (appeals after the M1 due show up only in the next generation).
    Calendar,
}

/// The reporting cadence (三、工作机制（一）).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// The end of the morning session, `HH:MM` in Liuzhou (UTC+08:00, no daylight saving):
    /// "上午下班前" has no clock time in the document; default `12:00`.
    pub cutoff: String,
    /// ISO weekdays (1 = Monday) by whose cut-off member units send Form 1 (W1): `[1, 4]`.
    pub collection_days: Vec<u8>,
    /// ISO weekdays by whose cut-off 综合组 sends Form 2 (W4): `[2, 5]`.
    pub summary_days: Vec<u8>,
    /// Day of the month of M1 (member units' monthly submission): 21.
    pub monthly_member_day: u32,
    /// Day of the month of M4 (the monthly summary to the regional task force): 24.
    pub monthly_summary_day: u32,
    /// How "21日前" reads.
    pub day_reading: DayReading,
    /// Where a due day on a holiday or weekend goes.
    pub holiday_shift: HolidayShift,
    /// Public holidays (法定节假日) falling on weekdays.
    pub holidays: Vec<NaiveDate>,
    /// Adjusted working days (调休上班) falling on weekends.
    pub working_days: Vec<NaiveDate>,
    /// Which appeals a monthly report covers.
    pub monthly_period: MonthlyPeriod,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            cutoff: "12:00".into(),
            collection_days: vec![1, 4],
            summary_days: vec![2, 5],
            monthly_member_day: 21,
            monthly_summary_day: 24,
            day_reading: DayReading::Inclusive,
            holiday_shift: HolidayShift::Later,
            holidays: vec![],
            working_days: vec![],
            monthly_period: MonthlyPeriod::SinceLastDue,
        }
    }
}

/// When open items are flagged overdue (the document sets none of these; they are the desk's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Days an escalated appeal may wait for the region's (or CCPIT's) outcome: 30.
    pub escalation_outcome_days: u32,
    /// Days a city-level appeal assigned to a competent unit may wait for its outcome: 15.
    pub coordination_days: u32,
    /// Days between feedback entries to the enterprise while an appeal is open, and from an
    /// outcome to its result feedback: 10.
    pub feedback_days: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            escalation_outcome_days: 30,
            coordination_days: 15,
            feedback_days: 10,
        }
    }
}

/// The desk's whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeskConfig {
    /// Who sits in which group.
    #[serde(default)]
    pub groups: Groups,
    /// The reporting cadence.
    #[serde(default)]
    pub cadence: Cadence,
    /// When items are flagged overdue.
    #[serde(default)]
    pub limits: Limits,
    /// Whether an appeal may be closed only after its result was fed back to the enterprise
    /// (default true: 信息采集组 "feeds back processing progress and results").
    #[serde(default = "yes")]
    pub close_needs_result_feedback: bool,
    /// Form 2's header line 报送单位联系人和联系方式 (the 综合组's contact).
    #[serde(default)]
    pub report_contact: String,
}

fn yes() -> bool {
    true
}

impl Default for DeskConfig {
    fn default() -> Self {
        DeskConfig {
            groups: Groups::default(),
            cadence: Cadence::default(),
            limits: Limits::default(),
            close_needs_result_feedback: true,
            report_contact: String::new(),
        }
    }
}

impl Cadence {
    /// The cut-off time of day.
    pub fn cutoff_time(&self) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(&self.cutoff, "%H:%M").ok()
    }
}

impl DeskConfig {
    /// Every problem of the configuration, by field.
    pub fn validate(&self) -> Violations {
        let mut v = Violations::default();
        let c = &self.cadence;
        if c.cutoff_time().is_none() {
            v.push(
                "invalid",
                "cadence.cutoff",
                "cadence.cutoff: HH:MM, e.g. 12:00",
            );
        }
        for (field, days) in [
            ("cadence.collection_days", &c.collection_days),
            ("cadence.summary_days", &c.summary_days),
        ] {
            if days.is_empty() || days.len() > 7 || days.iter().any(|d| !(1..=7).contains(d)) {
                v.push(
                    "invalid",
                    field,
                    format!("{field}: 1 to 7 ISO weekdays (1 = Monday … 7 = Sunday)"),
                );
            }
        }
        for (field, day) in [
            ("cadence.monthly_member_day", c.monthly_member_day),
            ("cadence.monthly_summary_day", c.monthly_summary_day),
        ] {
            if !(2..=28).contains(&day) {
                v.push(
                    "out_of_range",
                    field,
                    format!("{field}: 2 to 28 (a day every month has)"),
                );
            }
        }
        if c.monthly_summary_day < c.monthly_member_day {
            v.push(
                "out_of_range",
                "cadence.monthly_summary_day",
                "cadence.monthly_summary_day: not before cadence.monthly_member_day",
            );
        }
        for (field, list) in [
            ("cadence.holidays", &c.holidays),
            ("cadence.working_days", &c.working_days),
        ] {
            if list.len() > MAX_DATES {
                v.push(
                    "too_long",
                    field,
                    format!("{field}: at most {MAX_DATES} dates"),
                );
            }
        }
        self.validate_groups(&mut v);
        self.validate_limits(&mut v);
        v
    }

    fn validate_groups(&self, v: &mut Violations) {
        let g = &self.groups;
        for (field, list) in [
            ("groups.general", &g.general),
            ("groups.collection", &g.collection),
            ("groups.coordination", &g.coordination),
            ("groups.members", &g.members),
        ] {
            if list.len() > MAX_GROUP_UNITS {
                v.push(
                    "too_long",
                    field,
                    format!("{field}: at most {MAX_GROUP_UNITS} units"),
                );
            }
            for (i, name) in list.iter().enumerate() {
                if name.trim().is_empty() || name.chars().count() > 64 {
                    v.push(
                        "invalid",
                        format!("{field}[{i}]"),
                        format!("{field}[{i}]: a unit name of 1 to 64 characters"),
                    );
                }
            }
        }
        if self.report_contact.chars().count() > super::form::MAX_SHORT_CHARS {
            v.push(
                "too_long",
                "report_contact",
                "report_contact: at most 200 characters",
            );
        }
    }

    fn validate_limits(&self, v: &mut Violations) {
        let l = &self.limits;
        for (field, days) in [
            ("limits.escalation_outcome_days", l.escalation_outcome_days),
            ("limits.coordination_days", l.coordination_days),
            ("limits.feedback_days", l.feedback_days),
        ] {
            if !(1..=365).contains(&days) {
                v.push("out_of_range", field, format!("{field}: 1 to 365 days"));
            }
        }
    }

    /// The groups a unit (by name) sits in.
    pub fn groups_of(&self, unit: &str) -> Vec<super::Group> {
        use super::Group;
        let g = &self.groups;
        let mut out = Vec::new();
        for (group, list) in [
            (Group::General, &g.general),
            (Group::Collection, &g.collection),
            (Group::Coordination, &g.coordination),
            (Group::Member, &g.members),
        ] {
            if list.iter().any(|n| n == unit) {
                out.push(group);
            }
        }
        out
    }
}
