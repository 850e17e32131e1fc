//! Government desks of the city gazette, as engines with no knowledge of HTTP or SQL:
//!
//! - [`appeals`]: the foreign-enterprise appeal desk of 柳政办〔2022〕65号 (服务外资企业工作专班):
//!   the collection form (附件1) and summary form (附件2), the appeal workflow and who may move an
//!   appeal where, and the weekly and monthly reporting cadence.
//! - [`tasks`]: the task-division tracker for 61号 (incentive measures), 69号 (industry–education
//!   tasks) and 63号 (county targets): status, overdue warnings, timelines and summaries.
//!
//! The industry–education matching platform (69号) lives in `wuliu-match` (`talent`), beside the
//! freight matching engine whose rules-scores-explanations approach it shares.

pub mod appeals;
pub mod tasks;
