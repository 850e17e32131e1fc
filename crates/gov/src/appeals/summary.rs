//! Reports generated from the appeals: the weekly Form 2 (外资企业问题诉求汇总表, 附件2) of a
//! collection window, the monthly report (the month's appeals with their resolution status and
//! counts), and the overdue flags of each open appeal.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::cadence::{local_date, Month, Window};
use super::config::DeskConfig;
use super::workflow::{result_fed_back, Appeal, Level, Status};

/// Form 2's columns, as printed.
pub const FORM2_COLUMNS: [&str; 13] = [
    "序号",
    "企业名称",
    "母公司国别/地区",
    "行业领域",
    "所在省市区",
    "注册资本(万美元)",
    "企业简介",
    "问题和诉求",
    "相关建议",
    "企业联系人和联系方式",
    "报送单位",
    "报送日期",
    "备注",
];

/// Why an appeal is flagged overdue.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Its window's W4 due passed and no approved weekly report carried it.
    NotSummarised,
    /// Escalated longer than `limits.escalation_outcome_days` without an outcome.
    EscalationNoOutcome,
    /// Assigned longer than `limits.coordination_days` without an outcome.
    CoordinationNoOutcome,
    /// Open, and the enterprise heard nothing for `limits.feedback_days`.
    FeedbackOverdue,
    /// Answered, and the result not fed back within `limits.feedback_days`.
    ResultNotFedBack,
}

/// The overdue flags of `appeal` at `now`.
pub fn flags(appeal: &Appeal, config: &DeskConfig, now: DateTime<Utc>) -> Vec<Flag> {
    let l = &config.limits;
    let days = |n: u32| Duration::days(n.into());
    let mut out = Vec::new();
    if appeal.status == Status::Rejected {
        return out;
    }
    let window = config.cadence.window_at(appeal.received_at);
    if appeal.summarised_at.is_none() && now > window.summary_due {
        out.push(Flag::NotSummarised);
    }
    if appeal.escalation_waiting(now, l.escalation_outcome_days) {
        out.push(Flag::EscalationNoOutcome);
    }
    if appeal.status == Status::Assigned
        && appeal
            .assigned_at
            .is_some_and(|t| now - t > days(l.coordination_days))
    {
        out.push(Flag::CoordinationNoOutcome);
    }
    let working = !matches!(appeal.status, Status::Answered | Status::Closed);
    if working && now - appeal.last_feedback_or_receipt() > days(l.feedback_days) {
        out.push(Flag::FeedbackOverdue);
    }
    if appeal.status == Status::Answered
        && !result_fed_back(appeal)
        && appeal
            .outcome
            .as_ref()
            .is_some_and(|o| now - o.at > days(l.feedback_days))
    {
        out.push(Flag::ResultNotFedBack);
    }
    out
}

/// Form 2's header (报送单位, 报送日期, 报送单位联系人和联系方式).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Form2Header {
    /// 报送单位: the 综合组's unit.
    pub reporting_unit: String,
    /// 报送日期: the report's date.
    pub reporting_date: NaiveDate,
    /// 报送单位联系人和联系方式.
    pub reporting_contact: String,
}

/// One row of Form 2, in printed column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Form2Row {
    /// The appeal's ID (not a printed column).
    pub appeal_id: String,
    /// 1 序号.
    pub seq: usize,
    /// 2 企业名称 (F1).
    pub enterprise_name: String,
    /// 3 母公司国别/地区 (F4).
    pub parent_country: String,
    /// 4 行业领域 (F2, or the classification's industry).
    pub industry: String,
    /// 5 所在省市区 (F3).
    pub location: String,
    /// 6 注册资本(万美元) (F5).
    pub registered_capital: String,
    /// 7 企业简介 (F8).
    pub profile: String,
    /// 8 问题和诉求 (F9).
    pub issue: String,
    /// 9 相关建议 (F10).
    pub suggestions: String,
    /// 10 企业联系人和联系方式 (F6 + F7).
    pub enterprise_contact: String,
    /// 11 报送单位 (H1 of the form).
    pub reporting_unit: String,
    /// 12 报送日期 (H2 of the form, as 2022年5月26日).
    pub reporting_date: String,
    /// 13 备注: the level when it needs the region or the nation, else blank.
    pub remarks: String,
}

impl Form2Row {
    /// The 13 printed columns as text.
    pub fn cells(&self) -> [String; 13] {
        [
            self.seq.to_string(),
            self.enterprise_name.clone(),
            self.parent_country.clone(),
            self.industry.clone(),
            self.location.clone(),
            self.registered_capital.clone(),
            self.profile.clone(),
            self.issue.clone(),
            self.suggestions.clone(),
            self.enterprise_contact.clone(),
            self.reporting_unit.clone(),
            self.reporting_date.clone(),
            self.remarks.clone(),
        ]
    }
}

/// A date as Form 2 prints it: `2022年5月26日`.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn capital(c: Option<f64>) -> String {
    match c {
        None => String::new(),
        Some(c) if c.fract() == 0.0 => format!("{c:.0}"),
        Some(c) => format!("{c}"),
    }
}

/// The remark of a row: what level it needs (the W4 submission carries these issues).
pub fn remark(appeal: &Appeal) -> String {
    match (appeal.level(), appeal.status) {
        (_, Status::Forwarded) | (Some(Level::National), _) => "需国家层面解决".into(),
        (_, Status::Escalated) | (Some(Level::Regional), _) => "需自治区层面解决".into(),
        _ => String::new(),
    }
}

/// The Form 2 row of `appeal` at `seq`.
pub fn form2_row(id: &str, appeal: &Appeal, seq: usize) -> Form2Row {
    let f = &appeal.form;
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let industry = appeal
        .classification
        .as_ref()
        .and_then(|c| c.industry.clone())
        .unwrap_or_else(|| f.industry.clone());
    let contact = [
        f.enterprise_contact_name.as_deref().unwrap_or(""),
        &f.enterprise_contact,
    ]
    .iter()
    .filter(|s| !s.trim().is_empty())
    .map(|s| s.trim())
    .collect::<Vec<_>>()
    .join(" ");
    Form2Row {
        appeal_id: id.to_string(),
        seq,
        enterprise_name: f.enterprise_name.clone(),
        parent_country: text(&f.parent_country),
        industry,
        location: text(&f.location_province),
        registered_capital: capital(f.registered_capital_10k_usd),
        profile: text(&f.enterprise_profile),
        issue: f.issue.clone(),
        suggestions: text(&f.suggestions),
        enterprise_contact: contact,
        reporting_unit: f.reporting_unit.clone(),
        reporting_date: chinese_date(f.reporting_date),
        remarks: remark(appeal),
    }
}

/// An open appeal with its flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OverdueItem {
    /// The appeal's ID.
    pub appeal_id: String,
    /// F1.
    pub enterprise_name: String,
    /// Where it is.
    pub status: Status,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Why it is overdue.
    pub flags: Vec<Flag>,
}

/// Every appeal of `appeals` with at least one flag at `now`, oldest first.
pub fn overdue(
    appeals: &[(String, Appeal)],
    config: &DeskConfig,
    now: DateTime<Utc>,
) -> Vec<OverdueItem> {
    let mut out: Vec<OverdueItem> = appeals
        .iter()
        .filter_map(|(id, a)| {
            let flags = flags(a, config, now);
            (!flags.is_empty()).then(|| OverdueItem {
                appeal_id: id.clone(),
                enterprise_name: a.form.enterprise_name.clone(),
                status: a.status,
                received_at: a.received_at,
                flags,
            })
        })
        .collect();
    out.sort_by_key(|o| o.received_at);
    out
}

/// The weekly report: Form 2 of one collection window, the issues needing the region or the
/// nation, and what is overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WeeklyReport {
    /// The date asked for.
    pub date: NaiveDate,
    /// The window covered.
    pub window: Window,
    /// Form 2's header.
    pub header: Form2Header,
    /// Form 2's rows: the window's appeals (not rejected) in order of receipt.
    pub rows: Vec<Form2Row>,
    /// The rows' appeals that need the region or the nation (另文说明), by ID.
    pub escalations: Vec<String>,
    /// Every appeal flagged overdue at the generation instant (any window).
    pub overdue: Vec<OverdueItem>,
    /// The instant the flags were read at.
    pub generated_at: DateTime<Utc>,
}

/// The weekly report of `date` from `appeals` (any period; those of the window are picked), with
/// flags read at `now`.
pub fn weekly(
    appeals: &[(String, Appeal)],
    config: &DeskConfig,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> WeeklyReport {
    let window = config.cadence.window_for_report(date);
    let mut picked: Vec<&(String, Appeal)> = appeals
        .iter()
        .filter(|(_, a)| {
            a.status != Status::Rejected
                && a.received_at >= window.opens
                && a.received_at < window.closes
        })
        .collect();
    picked.sort_by(|x, y| (x.1.received_at, &x.0).cmp(&(y.1.received_at, &y.0)));
    let rows: Vec<Form2Row> = picked
        .iter()
        .enumerate()
        .map(|(i, (id, a))| form2_row(id, a, i + 1))
        .collect();
    let escalations = picked
        .iter()
        .filter(|(_, a)| !remark(a).is_empty())
        .map(|(id, _)| id.clone())
        .collect();
    WeeklyReport {
        date,
        header: Form2Header {
            reporting_unit: config.groups.general.first().cloned().unwrap_or_default(),
            reporting_date: date,
            reporting_contact: config.report_contact.clone(),
        },
        window,
        rows,
        escalations,
        overdue: overdue(appeals, config, now),
        generated_at: now,
    }
}

/// One appeal in the monthly report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MonthlyRow {
    /// The appeal's ID.
    pub appeal_id: String,
    /// F1.
    pub enterprise_name: String,
    /// The industry (classification, else F2).
    pub industry: String,
    /// The level, once classified.
    pub level: Option<Level>,
    /// Where it is (诉求情况).
    pub status: Status,
    /// The resolution and its summary, once answered (解决情况).
    pub resolution: Option<super::workflow::Resolution>,
    /// What was done.
    pub outcome_summary: Option<String>,
    /// The channel.
    pub source: super::form::Channel,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// Its overdue flags at generation.
    pub flags: Vec<Flag>,
}

/// Counts of the month's appeals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Counts {
    /// Every appeal of the period.
    pub total: usize,
    /// By level (`unclassified` for those not yet classified).
    pub by_level: BTreeMap<String, usize>,
    /// By status.
    pub by_status: BTreeMap<String, usize>,
    /// By industry.
    pub by_industry: BTreeMap<String, usize>,
    /// By channel.
    pub by_source: BTreeMap<String, usize>,
    /// By resolution (`pending` for those without an outcome).
    pub by_resolution: BTreeMap<String, usize>,
    /// Those flagged overdue.
    pub overdue: usize,
}

/// The monthly report (M1–M4): the period's appeals with their resolution status, counts, and
/// what is overdue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MonthlyReport {
    /// The date asked for.
    pub date: NaiveDate,
    /// The month's dues and period.
    pub month: Month,
    /// The period's appeals in order of receipt.
    pub rows: Vec<MonthlyRow>,
    /// Counts of them.
    pub counts: Counts,
    /// Appeals of earlier periods still open.
    pub carried_over_open: usize,
    /// Every appeal flagged overdue at the generation instant (any period).
    pub overdue: Vec<OverdueItem>,
    /// The instant the flags were read at.
    pub generated_at: DateTime<Utc>,
}

/// The monthly report of the month of `date`, flags read at `now`.
pub fn monthly(
    appeals: &[(String, Appeal)],
    config: &DeskConfig,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> MonthlyReport {
    let month = config.cadence.month(date.year(), date.month());
    let mut picked: Vec<&(String, Appeal)> = appeals
        .iter()
        .filter(|(_, a)| a.received_at >= month.period_from && a.received_at < month.period_to)
        .collect();
    picked.sort_by(|x, y| (x.1.received_at, &x.0).cmp(&(y.1.received_at, &y.0)));
    let rows: Vec<MonthlyRow> = picked
        .iter()
        .map(|(id, a)| monthly_row(id, a, config, now))
        .collect();
    let mut counts = Counts {
        total: rows.len(),
        ..Counts::default()
    };
    for r in &rows {
        let bump =
            |m: &mut BTreeMap<String, usize>, k: &str| *m.entry(k.to_string()).or_default() += 1;
        bump(
            &mut counts.by_level,
            r.level.map_or("unclassified", Level::name),
        );
        bump(&mut counts.by_status, r.status.name());
        bump(&mut counts.by_industry, &r.industry);
        bump(&mut counts.by_source, r.source.name());
        bump(
            &mut counts.by_resolution,
            r.resolution.map_or("pending", |x| x.name()),
        );
        counts.overdue += usize::from(!r.flags.is_empty());
    }
    let carried_over_open = appeals
        .iter()
        .filter(|(_, a)| a.received_at < month.period_from && a.status.is_open())
        .count();
    MonthlyReport {
        date,
        month,
        rows,
        counts,
        carried_over_open,
        overdue: overdue(appeals, config, now),
        generated_at: now,
    }
}

fn monthly_row(id: &str, a: &Appeal, config: &DeskConfig, now: DateTime<Utc>) -> MonthlyRow {
    MonthlyRow {
        appeal_id: id.to_string(),
        enterprise_name: a.form.enterprise_name.clone(),
        industry: a
            .classification
            .as_ref()
            .and_then(|c| c.industry.clone())
            .unwrap_or_else(|| a.form.industry.clone()),
        level: a.level(),
        status: a.status,
        resolution: a.outcome.as_ref().map(|o| o.resolution),
        outcome_summary: a.outcome.as_ref().map(|o| o.summary.clone()),
        source: a.source,
        received_at: a.received_at,
        flags: flags(a, config, now),
    }
}

/// The day in Liuzhou of `t` (re-exported for report dates).
pub fn day_of(t: DateTime<Utc>) -> NaiveDate {
    local_date(t)
}
