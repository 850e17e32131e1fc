//! The task-division tracker of 柳政办〔2022〕61号 (督查激励措施分工方案), 69号 (产教融合任务分解表) and
//! 63号 (县域经济“十四五”主要指标): a task's status on a day from its deadline and its progress
//! reports ([`status`]), its timeline ([`timeline`]), summaries per unit and per document
//! ([`summary`]), and the county targets' goals ([`county`]). The tracker's settings are in
//! [`config`].
//!
//! # Status on a day
//!
//! Only reports dated on or before the day count (a status can be asked for any past day).
//!
//! | status | when |
//! |---|---|
//! | `completed` | a report of a **lead** unit claimed `completed` (a cooperating unit's report is progress only) |
//! | `overdue` | not completed and the day is past the due date |
//! | `in_progress` | at least one report, not completed, not overdue |
//! | `not_started` | no report yet, not overdue |
//!
//! Beside the status, one warning (or none):
//!
//! | warning | when |
//! |---|---|
//! | `overdue` | the status is overdue |
//! | `due_soon` | not completed, and the due date (or the due day of the current period's report) is at most [`config::TrackerConfig::due_soon_days`] days ahead and that report is still missing |
//! | `stale` | a periodic (ongoing) task whose report for the last period that has fallen due is missing |
//!
//! # Deadlines the gazette does not date
//!
//! 69号 prints only `持续推进`/`持续进行` (ongoing) and one empty cell; 61号 has no deadline
//! column. Such a task has no due date, so it can never be `overdue`; instead it reports
//! **periodically**. The tracker chose a **quarterly** cadence (the usual 季报 of a 督查 table):
//! the report for a calendar quarter is due [`config::TrackerConfig::grace_days`] (10) days after
//! the quarter ends, and a report dated on or after the quarter's first day covers it. Periods
//! start with the quarter in which tracking starts (the document's issue date, or the settings'
//! later [`config::TrackerConfig::tracking_from`]). Unstated
//! deadlines (`NotStated`) and deadlines the parser could not read (`Text`) are treated like
//! ongoing ones; all of this is configurable ([`config::Cadence`], `undated_periodic`).
//!
//! A lead unit may mark an ongoing task completed (the work is wound up); the app layer refuses
//! further reports on a completed task.

pub mod config;
pub mod county;
pub mod status;
pub mod summary;
pub mod timeline;

pub use config::{Cadence, TrackerConfig};
pub use status::{assess, Claim, Period, ReportFact, Status, TaskFacts, TaskStatus, Warning};
pub use summary::{by_document, by_unit, DocumentSummary, StatusCounts, UnitSummary};
pub use timeline::{timeline, Event, EventKind};
