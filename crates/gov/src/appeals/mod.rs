//! The foreign-enterprise appeal desk of 柳政办〔2022〕65号 (柳州市服务外资企业工作专班): Form 1
//! (外资企业问题诉求收集表, [`form`]), the appeal's life cycle and who may move it ([`workflow`]),
//! the reporting cadence ([`cadence`]), the weekly Form 2 and the monthly report with overdue
//! flags ([`summary`]), and the desk's configuration ([`config`]).
//!
//! # Who may do what
//!
//! Leadership (专班领导; admins and regulators in the platform) may do everything. A unit's
//! officials act with the groups its name sits in ([`config::Groups`], defaults from 组织架构):
//!
//! | action | from | groups |
//! |---|---|---|
//! | submit Form 1 | — | 成员单位, 信息采集组, 综合组, 协调促进组 |
//! | collect (enter in the database) | received | 信息采集组 |
//! | reject (with the reason) | received, collected | 信息采集组, 综合组 |
//! | classify (level, industry, category) | collected, classified | 信息采集组, 综合组 |
//! | assign to the competent unit (city level only) | classified, assigned, answered (not resolved) | 协调促进组 |
//! | escalate to 广西服务外资企业工作专班 (raises a city level to regional) | classified, assigned, answered (not resolved) | 综合组, 协调促进组 |
//! | forward to 中国贸促会 (raises the level to national) | escalated | 综合组, 协调促进组 |
//! | record the outcome (resolved / partly resolved / unresolved) | assigned, escalated, forwarded | 协调促进组, 综合组; the competent unit of an assigned appeal |
//! | feed back to the enterprise (progress; result once answered) | collected … answered | 信息采集组 |
//! | close | answered, after the result was fed back | 信息采集组, 综合组 |
//!
//! # Where the document is ambiguous, and what the desk chose (all configurable)
//!
//! | ambiguity | choice | setting |
//! |---|---|---|
//! | "成员单位" never enumerated | 市贸促会, 市发展改革委, 市商务局, 市投资促进局, 柳州海关 (from the membership) | `groups.members` |
//! | groups named 综合服务组/信息采编组 elsewhere | the headings' 综合组, 信息采集组, 协调促进组 | `groups.*` |
//! | "上午下班前" has no clock time | 12:00 Liuzhou time (fixed UTC+08:00: China has no daylight saving) | `cadence.cutoff` |
//! | "21日前" / "24日前": is the day included? | on or before (due by the end of the 21st / 24th) | `cadence.day_reading` |
//! | holidays and 调休 not addressed | a due day that is not a working day moves to the next working day (顺延); lists of holidays and adjusted working days | `cadence.holiday_shift`, `cadence.holidays`, `cadence.working_days` |
//! | which appeals a monthly report covers | those received since the previous month's M1 due, so each is in exactly one report | `cadence.monthly_period` |
//! | item 1 calls the summary table 附件1 | it is 附件2 (Form 2); 附件1 is the collection form | — |
//! | "外贸" vs "外资" 工作专班 | one body, 广西服务外资企业工作专班 | — |
//! | which Form 1 fields are required | H1–H4, F1, F2, F7, F9 (the spec's suggestion) | — |
//! | may an appeal close before the result is fed back? | no: a `result` feedback entry must follow the outcome | `close_needs_result_feedback` |
//! | when is an item overdue beyond the weekly/monthly dues? | escalated 30 days without outcome, assigned 15 days, 10 days without news to the enterprise | `limits.*` |
//! | the industry list ends in "等" | free text; the 13 printed examples are offered (化工作能源 read as 化工能源) | — |
//!
//! # Cadence
//!
//! Appeals received in a collection window `[previous W1, W1)` (Thursday 12:00 → Monday 12:00 →
//! Thursday 12:00 by default) are due from the member units at the W1 that closes it and at the
//! regional task force on the next W4 (Tuesday or Friday 12:00). A weekly report of a date carries
//! the last window closed by the end of that day. An appeal whose W4 passed without an approved
//! weekly report carrying it is flagged `not_summarised`.
//!
//! ```
//! use chrono::NaiveDate;
//! use wuliu_gov::appeals::config::Cadence;
//! use wuliu_gov::appeals::cadence::Step;
//!
//! let c = Cadence::default();
//! // Monday 2026-12-07: member units' Form 1 by 12:00 (04:00 UTC).
//! let d = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
//! let dues = c.dues_on(d);
//! assert_eq!(dues[0].step, Step::W1);
//! assert_eq!(dues[0].at.to_rfc3339(), "2026-12-07T04:00:00+00:00");
//! ```

pub mod cadence;
pub mod config;
pub mod form;
pub mod summary;
pub mod workflow;

pub use config::DeskConfig;
pub use form::{Channel, CollectionForm};
pub use workflow::{
    Action, ActionKind, Actor, Appeal, Category, Classification, FeedbackKind, Group, Level,
    Resolution, Status, WorkflowError,
};
