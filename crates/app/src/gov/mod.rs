//! Government desks of the city gazette (issue 29), sharing the platform's accounts, audit trail
//! and record store:
//!
//! - [`units`]: the directory of government units (市发展改革委, 市商务局, …) that gazette tasks
//!   name and `official` accounts act for;
//! - [`attachments`]: files attached to progress reports and appeals;
//! - [`settings`]: a desk's settings record per region (the appeal desk's, the tracker's);
//! - [`tasks`]: the task-division tracker (61号, 69号, 63号);
//! - [`appeals`]: the foreign-enterprise appeal desk (65号);
//! - [`talent`]: the industry–education matching platform (69号);
//! - [`todo`]: a government caller's to-do list across the appeal desk and the tracker.

pub mod appeals;
pub mod attachments;
pub mod settings;
pub mod talent;
pub mod tasks;
pub mod todo;
pub mod units;

/// The record helpers the desks share with the emergency module: parse a body (400 naming the
/// field), check (422), insert/update ops committed with one audit entry each, capped listings,
/// the retry loop for versioned writes.
#[allow(unused_imports)]
pub(crate) use crate::emergency::{
    checked, column_eq, commit_audited, fetch, insert_op, list_capped, list_region, now_text,
    parse, retrying, step_error, text_eq, today, typed, update_op, view, Step,
};

/// Whether `caller` may read the record `owner` of `kind` (so its attachments): admins and
/// regulators always; others as the desk owning the record says.
pub(crate) async fn may_read_owner(
    repo: &dyn wuliu_store::Repository,
    caller: &crate::Caller,
    kind: wuliu_store::Kind,
    owner: &str,
) -> Result<bool, crate::error::AppError> {
    if caller.sees_all() {
        return Ok(true);
    }
    match kind {
        wuliu_store::Kind::ForeignAppeal => appeals::records::may_read(repo, caller, owner).await,
        wuliu_store::Kind::TaskReport => tasks::may_read_report(repo, caller, owner).await,
        _ => Ok(false),
    }
}
