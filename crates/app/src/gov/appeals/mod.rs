//! The foreign-enterprise appeal desk (柳政办〔2022〕65号, 柳州市服务外资企业工作专班): appeals as
//! `foreign_appeals` records worked through the [`wuliu_gov::appeals`] engine's workflow, the
//! desk's configuration (`desk_configs`, external ID `appeals`), and the weekly and monthly
//! reports generated from the data and frozen as `appeal_reports` on approval.
//!
//! # Who may do what
//!
//! Admins and regulators act as 专班领导 (task-force leadership) and may do everything. An
//! `official` acts for its unit (`caller.party_id` = the unit's `gov_units` ID) with the groups the
//! desk's configuration puts that unit's name in (defaults from 组织架构: 综合组 市贸促会, 信息采集组
//! 市商务局, 协调促进组 市发展改革委; 成员单位 市贸促会, 市发展改革委, 市商务局, 市投资促进局,
//! 柳州海关). Other roles may not use the desk (403).
//!
//! | action | who |
//! |---|---|
//! | submit Form 1 (`received`) | 成员单位 and the groups (H1 must be the caller's own unit), leadership (may date a paper appeal up to 366 days back with `received_at`) |
//! | read appeals | leadership, 综合组, 信息采集组: all of the region; 协调促进组: those classified or further on; a member unit: its own submissions; a competent unit: those assigned to it (others are a 404) |
//! | collect | 信息采集组 |
//! | reject, classify, close | 信息采集组, 综合组 |
//! | assign to a competent unit (city level) | 协调促进组 |
//! | escalate to the regional task force, forward to 中国贸促会 | 综合组, 协调促进组 |
//! | record the outcome | 协调促进组, 综合组; the competent unit of an assigned appeal |
//! | feed back to the enterprise | 信息采集组 |
//! | attach pages | the submitting unit, 信息采集组, 综合组, leadership |
//! | generate the weekly Form 2 and the monthly report, list approved reports | leadership, 综合组, 信息采集组 |
//! | approve a report (freezes it; marks a weekly report's appeals summarised) | leadership |
//! | read the configuration and the cadence's dues | every desk caller (with its own standing) |
//! | change the configuration | admins, regulators |
//!
//! Fields the form does not have (`status`, `assigned_unit`, …) are a 400 naming the field at
//! submission: an appeal's state moves only through the actions. Every action is a versioned
//! write: of two callers moving one appeal at once one wins; the other reads the appeal again and
//! gets the workflow's answer (a 409 when the move is no longer possible), or a 409 at once when
//! it sent the `version` it read. Every write is audited; every step is in the appeal's
//! `history`. The document's ambiguities and the desk's choices are listed in
//! [`wuliu_gov::appeals`]; each is a setting of [`wuliu_gov::appeals::DeskConfig`].

pub mod desk;
pub mod records;
pub mod reports;

pub use records::{act, attach, get, list, may_read, submit, ActInput, SubmitInput, ACTIONS};
pub use reports::{approve, dues, form2_csv, report, ApproveInput, ReportKind};
/// The engine's configuration type, as the desk stores it.
pub use wuliu_gov::appeals::DeskConfig;
