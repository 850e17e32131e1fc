//! Appeals as `foreign_appeals` records: submission of Form 1, reading (by the caller's place on
//! the desk), the workflow's actions as versioned writes, and attached pages.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use wuliu_gov::appeals::summary::flags;
use wuliu_gov::appeals::workflow::{allowed, apply};
use wuliu_gov::appeals::{
    Action, ActionKind, Appeal, Category, Channel, Classification, CollectionForm, FeedbackKind,
    Group, Level, Resolution, Status, WorkflowError,
};
use wuliu_store::{Kind, Record, Repository};

use super::super::{
    attachments, checked, commit_audited, fetch, insert_op, list_capped, parse, retrying,
    step_error, today, typed, update_op, view, Step,
};
use super::desk::{standing, Standing};
use crate::caller::Caller;
use crate::error::AppError;

/// The most appeals a listing or a report reads in a region.
pub const MAX_APPEALS: usize = 10_000;

/// The most files attached at submission.
pub const MAX_ATTACHMENTS_AT_INTAKE: usize = 5;

/// How far back leadership may date an appeal received on paper, in days.
pub const MAX_BACKDATE_DAYS: i64 = 366;

/// Form 1 as submitted, with its source.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// Form 1. An official's H1 (报送单位) is its unit; left blank it is filled in.
    pub form: CollectionForm,
    /// The channel it came through (default `member_unit`).
    #[serde(default)]
    pub source: Option<Channel>,
    /// When it was received, for an appeal entered late (leadership only; default now).
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    /// Attached pages (备注1), at most 5, written with the appeal or not at all.
    #[serde(default)]
    pub attachments: Vec<attachments::AttachmentInput>,
}

fn refused(e: WorkflowError) -> AppError {
    match e {
        WorkflowError::Forbidden { action, reason } => AppError::forbidden(action, reason),
        WorkflowError::NotNow { reason, .. } => AppError::Conflict {
            field: "status".into(),
            message: reason,
        },
        WorkflowError::Invalid { field, reason } => {
            AppError::invalid("invalid", field, format!("{field}: {reason}"))
        }
    }
}

/// Checks what only some callers may set at intake, and fills H1 for an official.
fn intake_rules(s: &Standing, input: &mut SubmitInput, now: DateTime<Utc>) -> Result<(), AppError> {
    if let Some(name) = &s.unit_name {
        let h1 = input.form.reporting_unit.trim();
        if h1.is_empty() {
            input.form.reporting_unit = name.clone();
        } else if h1 != name {
            return Err(AppError::forbidden(
                "form.reporting_unit",
                format!("form.reporting_unit: an official reports for its own unit ({name})"),
            ));
        }
    }
    if let Some(t) = input.received_at {
        if !s.is_leadership() {
            return Err(AppError::forbidden(
                "received_at",
                "received_at: only the task force's leadership dates an appeal received earlier",
            ));
        }
        if t > now || now - t > chrono::Duration::days(MAX_BACKDATE_DAYS) {
            return Err(AppError::invalid(
                "out_of_range",
                "received_at",
                format!("received_at: not in the future, at most {MAX_BACKDATE_DAYS} days ago"),
            ));
        }
    }
    if input.attachments.len() > MAX_ATTACHMENTS_AT_INTAKE {
        return Err(AppError::too_large("attachments", format!("attachments: at most {MAX_ATTACHMENTS_AT_INTAKE} at submission; add more to the appeal")));
    }
    Ok(())
}

/// Submits Form 1 (member units, the desk's groups, leadership; audited). The appeal starts
/// `received`, owned by the submitting unit; a field the form does not have (e.g. `status`,
/// `assigned_unit`) is a 400 naming it, a bad value a 422 naming it, and nothing is written.
pub async fn submit(
    repo: &dyn Repository,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    let mut input: SubmitInput = parse("gov.appeal", body)?;
    if !s
        .actor
        .groups
        .iter()
        .any(|g| ActionKind::Submit.groups().contains(g))
        && !s.is_leadership()
    {
        return Err(AppError::forbidden(
            "form",
            "only member units, the desk's groups and its leadership submit appeals",
        ));
    }
    let now = Utc::now();
    intake_rules(&s, &mut input, now)?;
    let mut v = input.form.validate(today());
    for x in &mut v.0 {
        x.field = format!("form.{}", x.field);
    }
    checked(v)?;
    let source = input.source.unwrap_or(Channel::MemberUnit);
    let appeal = Appeal::submitted(
        input.form,
        source,
        &s.actor,
        input.received_at.unwrap_or(now),
    );
    let body = serde_json::to_value(&appeal).expect("an appeal serialises");
    let op = insert_op(
        Kind::ForeignAppeal,
        &caller.region,
        None,
        s.actor.unit.clone(),
        body,
    );
    let id = match &op {
        wuliu_store::WriteOp::Insert { rec, .. } => rec.id.clone(),
        _ => unreachable!("an insert"),
    };
    let mut ops = vec![(op, None)];
    for (i, a) in input.attachments.iter().enumerate() {
        let at = format!("attachments[{i}]");
        ops.push((
            attachments::insert(&caller.region, (Kind::ForeignAppeal, &id), a, &at)?,
            None,
        ));
    }
    let stored = commit_audited(repo, caller, "gov.appeal.submit", ops)
        .await
        .map_err(step_error)?;
    Ok(answer(&s, &stored[0], now))
}

/// Whether the caller (standing `s`) may read appeal `rec`: leadership, 综合组 and 信息采集组
/// every appeal of the region; 协调促进组 those classified or further on (it assigns and
/// escalates them); a member unit those it submitted; a competent unit those assigned to it.
pub fn can_read(s: &Standing, caller: &Caller, rec: &Record, a: &Appeal) -> bool {
    if caller.sees_all() {
        return true;
    }
    if rec.region != caller.region {
        return false;
    }
    let g = &s.actor.groups;
    let own = s.actor.unit.is_some() && a.submitted_by_unit == s.actor.unit;
    let coordination = g.contains(&Group::Coordination)
        && !matches!(
            a.status,
            Status::Received | Status::Collected | Status::Rejected
        );
    s.sees_all() || own || coordination || s.actor.is_competent_for(a)
}

/// An appeal as answered: the record with the actions the caller may take now and its overdue
/// flags.
pub(crate) fn answer(s: &Standing, rec: &Record, now: DateTime<Utc>) -> Value {
    let mut v = view(rec);
    if let Ok(a) = serde_json::from_value::<Appeal>(rec.body.clone()) {
        v["allowed"] = json!(allowed(&s.actor, &a, &s.config)
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>());
        v["flags"] = json!(flags(&a, &s.config, now));
        v["window"] = json!(s.config.cadence.window_at(a.received_at));
    }
    v
}

async fn readable(
    repo: &dyn Repository,
    caller: &Caller,
    s: &Standing,
    id: &str,
) -> Result<(Record, Appeal), AppError> {
    let rec = fetch(repo, Kind::ForeignAppeal, id, "appeal").await?;
    let a: Appeal = typed(&rec)?;
    if !can_read(s, caller, &rec, &a) {
        return Err(AppError::NotFound(format!("no appeal with id '{id}'")));
    }
    Ok((rec, a))
}

/// Appeal `id` with its history, attachments (metadata), allowed actions and flags; a 404 when
/// the caller may not read it.
pub async fn get(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    let (rec, _) = readable(repo, caller, &s, id).await?;
    let mut v = answer(&s, &rec, Utc::now());
    v["attachments"] = json!(attachments::list(repo, id).await?);
    Ok(v)
}

/// Whether `caller` may read appeal `id` (for attachment downloads).
pub async fn may_read(repo: &dyn Repository, caller: &Caller, id: &str) -> Result<bool, AppError> {
    let s = standing(repo, caller).await?;
    Ok(readable(repo, caller, &s, id).await.is_ok())
}

/// Every appeal of the caller's region the caller may read, with its record, up to
/// [`MAX_APPEALS`] (the flag says when there were more).
pub async fn readable_all(
    repo: &dyn Repository,
    caller: &Caller,
    s: &Standing,
) -> Result<(Vec<(Record, Appeal)>, bool), AppError> {
    let (records, truncated) = list_capped(
        repo,
        Kind::ForeignAppeal,
        Some(&caller.region),
        None,
        vec![],
        MAX_APPEALS,
    )
    .await?;
    let mut out = Vec::with_capacity(records.len());
    for rec in records {
        let a: Appeal = typed(&rec)?;
        if can_read(s, caller, &rec, &a) {
            out.push((rec, a));
        }
    }
    Ok((out, truncated))
}

/// The appeals the caller may read, newest first, each with its flags and allowed actions
/// (`status=` one status, `overdue=true` only flagged ones), at most 1,000 answered.
pub async fn list(
    repo: &dyn Repository,
    caller: &Caller,
    status: Option<&str>,
    overdue: bool,
) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    let status: Option<Status> = match status {
        None => None,
        Some(t) => Some(parse("param.invalid", json!(t)).map_err(|_| {
            AppError::bad(
                "param.invalid",
                "status",
                format!("'{t}' is not an appeal status"),
            )
        })?),
    };
    let (mut rows, mut truncated) = readable_all(repo, caller, &s).await?;
    let now = Utc::now();
    rows.retain(|(_, a)| {
        status.is_none_or(|st| a.status == st) && (!overdue || !flags(a, &s.config, now).is_empty())
    });
    rows.sort_by(|x, y| (y.1.received_at, &y.0.id).cmp(&(x.1.received_at, &x.0.id)));
    if rows.len() > crate::emergency::MAX_LIST {
        rows.truncate(crate::emergency::MAX_LIST);
        truncated = true;
    }
    let appeals: Vec<Value> = rows.iter().map(|(rec, _)| answer(&s, rec, now)).collect();
    Ok(json!({ "appeals": appeals, "truncated": truncated }))
}

/// What an action's body may carry (every field optional; each action reads its own).
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActInput {
    /// The version the caller read; when given and the appeal moved on since, a 409.
    #[serde(default)]
    pub version: Option<i64>,
    /// Why, or what was said (required to reject).
    #[serde(default)]
    pub note: Option<String>,
    /// classify: the level.
    #[serde(default)]
    pub level: Option<Level>,
    /// classify: the category.
    #[serde(default)]
    pub category: Option<Category>,
    /// classify: the industry (default the form's F2).
    #[serde(default)]
    pub industry: Option<String>,
    /// assign: the competent unit's ID (a unit of the directory).
    #[serde(default)]
    pub unit_id: Option<String>,
    /// outcome: the resolution.
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// outcome: what was done or decided.
    #[serde(default)]
    pub summary: Option<String>,
    /// feedback: progress or result.
    #[serde(default)]
    pub kind: Option<FeedbackKind>,
    /// feedback: what the enterprise was told.
    #[serde(default)]
    pub text: Option<String>,
    /// feedback: how (phone, e-mail, visit …).
    #[serde(default)]
    pub via: Option<String>,
}

fn required<T: Clone>(v: &Option<T>, field: &str, action: &str) -> Result<T, AppError> {
    v.clone().ok_or_else(|| {
        AppError::invalid("required", field, format!("{field}: required to {action}"))
    })
}

/// The engine's action named `name` from `input` (the unit of an assignment looked up).
async fn action_of(
    repo: &dyn Repository,
    caller: &Caller,
    name: &str,
    i: &ActInput,
) -> Result<Action, AppError> {
    Ok(match name {
        "collect" => Action::Collect,
        "reject" => Action::Reject,
        "classify" => Action::Classify(Classification {
            level: required(&i.level, "level", name)?,
            category: required(&i.category, "category", name)?,
            industry: i.industry.clone(),
        }),
        "assign" => {
            let unit = required(&i.unit_id, "unit_id", name)?;
            let rec = repo
                .get(Kind::GovUnit, &unit)
                .await?
                .filter(|r| r.region == caller.region);
            let name = rec
                .and_then(|r| r.body["name"].as_str().map(String::from))
                .ok_or_else(|| {
                    AppError::invalid(
                        "unknown",
                        "unit_id",
                        format!("unit_id: no unit '{unit}' in the directory"),
                    )
                })?;
            Action::Assign { unit, name }
        }
        "escalate" => Action::Escalate,
        "forward" => Action::Forward,
        "outcome" => Action::Outcome {
            resolution: required(&i.resolution, "resolution", name)?,
            summary: required(&i.summary, "summary", name)?,
        },
        "feedback" => Action::Feedback {
            kind: required(&i.kind, "kind", name)?,
            text: required(&i.text, "text", name)?,
            via: i.via.clone(),
        },
        "close" => Action::Close,
        other => return Err(AppError::NotFound(format!("no appeal action '{other}'"))),
    })
}

/// The action names, as routes take them.
pub const ACTIONS: [&str; 9] = [
    "collect", "reject", "classify", "assign", "escalate", "forward", "outcome", "feedback",
    "close",
];

/// Takes action `name` on appeal `id` (see the module's table for who may), audited. The write
/// is versioned: of two callers moving the same appeal at once one wins; the other reads the
/// moved appeal again and gets the workflow's answer (409 when the move is no longer possible),
/// or 409 at once when it named the `version` it read.
pub async fn act(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    name: &str,
    body: Value,
) -> Result<Value, AppError> {
    if !ACTIONS.contains(&name) {
        return Err(AppError::NotFound(format!("no appeal action '{name}'")));
    }
    let s = standing(repo, caller).await?;
    let input: ActInput = parse("gov.appeal.action", body)?;
    let action = action_of(repo, caller, name, &input).await?;
    let (s, input, action) = (&s, &input, &action);
    retrying("appeal", || async move {
        let (rec, mut a) = readable(repo, caller, s, id).await?;
        if input.version.is_some_and(|v| v != rec.version) {
            return Err(Step::Fail(AppError::Conflict {
                field: "version".into(),
                message: format!(
                    "the appeal is at version {}, not {}: another user moved it; read it again",
                    rec.version,
                    input.version.unwrap_or_default()
                ),
            }));
        }
        let now = Utc::now();
        apply(
            &mut a,
            &s.actor,
            action.clone(),
            input.note.clone(),
            now,
            &s.config,
        )
        .map_err(refused)?;
        let body = serde_json::to_value(&a).expect("an appeal serialises");
        let mut op = update_op(Kind::ForeignAppeal, &rec, body);
        if let wuliu_store::WriteOp::Update { rec: r, .. } = &mut op {
            r.partner_party = a.assigned_unit.clone();
        }
        let stored = commit_audited(
            repo,
            caller,
            &format!("gov.appeal.{name}"),
            vec![(op, Some(rec))],
        )
        .await?;
        Ok(answer(s, &stored[0], now))
    })
    .await
}

/// Attaches a page to appeal `id` (the submitting unit, 信息采集组, 综合组, leadership; audited).
pub async fn attach(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Value, AppError> {
    let s = standing(repo, caller).await?;
    let (_, a) = readable(repo, caller, &s, id).await?;
    let own = s.actor.unit.is_some() && a.submitted_by_unit == s.actor.unit;
    if !(own || s.sees_all()) {
        return Err(AppError::forbidden("attachment", "only the submitting unit, 信息采集组, 综合组 and the leadership attach pages to an appeal"));
    }
    let input: attachments::AttachmentInput = parse("gov.attachment", body)?;
    attachments::add(repo, caller, (Kind::ForeignAppeal, id), input).await
}
