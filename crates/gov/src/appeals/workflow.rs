//! The appeal's life cycle as a state machine, and who may move an appeal where.
//!
//! ```text
//! received ─collect→ collected ─classify→ classified ─assign (city)→ assigned ─┐
//!    │                   │                    │                        │        │ outcome
//!    └──reject──→ rejected ←──reject──┘       └─escalate→ escalated ←──┘        ▼
//!                                                 │  └──────outcome─────→ answered ─close→ closed
//!                                                 └─forward→ forwarded ─outcome─┘ │
//!                                   answered (not resolved) ─assign / escalate────┘
//! ```
//!
//! Feedback entries to the enterprise (progress, result) are added from `collected` until the
//! appeal is closed; a `result` entry only once an outcome is recorded.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::config::DeskConfig;
use super::form::{Channel, CollectionForm};

/// The longest note, outcome summary or feedback text, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The most feedback entries and history steps an appeal keeps.
pub const MAX_ENTRIES: usize = 200;

/// Where an appeal is in its life cycle.
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
pub enum Status {
    /// Received from a member unit or a channel, not yet entered in the database.
    Received,
    /// Entered in the appeal database by 信息采集组.
    Collected,
    /// Classified: industry, level (city / regional / national), category.
    Classified,
    /// City level: assigned to the competent unit; 协调促进组 follows up.
    Assigned,
    /// Reported to 广西服务外资企业工作专班 (the regional task force).
    Escalated,
    /// Major national issue forwarded on to 中国贸促会 (CCPIT).
    Forwarded,
    /// An outcome is recorded (resolved, partly resolved, unresolved).
    Answered,
    /// Closed after the result was fed back to the enterprise (final).
    Closed,
    /// Not an appeal for the desk (duplicate, out of scope), with the reason (final).
    Rejected,
}

impl Status {
    /// Every status, in life-cycle order.
    pub const ALL: [Status; 9] = [
        Status::Received,
        Status::Collected,
        Status::Classified,
        Status::Assigned,
        Status::Escalated,
        Status::Forwarded,
        Status::Answered,
        Status::Closed,
        Status::Rejected,
    ];

    /// The status's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Collected => "collected",
            Status::Classified => "classified",
            Status::Assigned => "assigned",
            Status::Escalated => "escalated",
            Status::Forwarded => "forwarded",
            Status::Answered => "answered",
            Status::Closed => "closed",
            Status::Rejected => "rejected",
        }
    }

    /// Whether the appeal is still being worked on.
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Closed | Status::Rejected)
    }
}

/// The level of government that can resolve an appeal.
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
pub enum Level {
    /// The city (协调促进组 with the competent units).
    City,
    /// The autonomous region (广西服务外资企业工作专班).
    Regional,
    /// The nation (forwarded to 中国贸促会).
    National,
}

impl Level {
    /// The level's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Level::City => "city",
            Level::Regional => "regional",
            Level::National => "national",
        }
    }
}

/// What an appeal is about (the desk's categories; the document names none).
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
pub enum Category {
    /// 政策咨询 (policy questions).
    Policy,
    /// 审批服务 (approvals and permits).
    Approval,
    /// 通关物流 (customs, transport and logistics).
    CustomsLogistics,
    /// 用工人才 (labour and talent).
    Labour,
    /// 融资金融 (finance).
    Finance,
    /// 用地能源 (land, energy, utilities).
    LandEnergy,
    /// 市场准入 (market access).
    MarketAccess,
    /// 知识产权 (intellectual property).
    IntellectualProperty,
    /// 其他 (other).
    Other,
}

/// How an appeal was classified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The level that can resolve it.
    pub level: Level,
    /// The industry sector (defaults to the form's F2 when left out).
    #[serde(default)]
    pub industry: Option<String>,
    /// What it is about.
    pub category: Category,
}

/// The result of an appeal.
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
pub enum Resolution {
    /// 已解决.
    Resolved,
    /// 部分解决.
    PartlyResolved,
    /// 未解决 (with the reason in the summary).
    Unresolved,
}

impl Resolution {
    /// The resolution's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Resolution::Resolved => "resolved",
            Resolution::PartlyResolved => "partly_resolved",
            Resolution::Unresolved => "unresolved",
        }
    }
}

/// An outcome as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outcome {
    /// The result.
    pub resolution: Resolution,
    /// What was done or decided.
    pub summary: String,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub by: String,
}

/// What a feedback entry tells the enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    /// Processing progress (办理进展).
    Progress,
    /// The result (办理结果), once an outcome is recorded.
    Result,
}

/// A feedback entry: the desk told the enterprise something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Feedback {
    /// Progress or result.
    pub kind: FeedbackKind,
    /// What the enterprise was told.
    pub text: String,
    /// How (phone, e-mail, visit …), as written.
    pub via: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: String,
}

/// One step of an appeal's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HistoryStep {
    /// What was done (`submit`, `collect`, `classify`, `assign`, …).
    pub action: ActionKind,
    /// Status before.
    pub from: Option<Status>,
    /// Status after.
    pub to: Status,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`user:…`).
    pub by: String,
    /// The unit the actor acted for, when an official.
    pub unit: Option<String>,
    /// What was set or said.
    pub note: Option<String>,
}

/// An appeal as stored: Form 1, its source, and where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Appeal {
    /// Form 1 as submitted.
    pub form: CollectionForm,
    /// The channel it came through.
    pub source: Channel,
    /// Where it is.
    pub status: Status,
    /// When the desk received it (its weekly window is read from this).
    pub received_at: DateTime<Utc>,
    /// The unit (ID) that submitted it; none for leadership entries.
    pub submitted_by_unit: Option<String>,
    /// Who submitted it.
    pub submitted_by: String,
    /// How it was classified.
    pub classification: Option<Classification>,
    /// The competent unit (ID) a city-level appeal is assigned to.
    pub assigned_unit: Option<String>,
    /// Its name.
    pub assigned_unit_name: Option<String>,
    /// When it was assigned.
    pub assigned_at: Option<DateTime<Utc>>,
    /// When it was reported to the regional task force.
    pub escalated_at: Option<DateTime<Utc>>,
    /// When it was forwarded to 中国贸促会.
    pub forwarded_at: Option<DateTime<Utc>>,
    /// The outcome, once recorded.
    pub outcome: Option<Outcome>,
    /// Feedback given to the enterprise, oldest first.
    pub feedback: Vec<Feedback>,
    /// The approved weekly report (ID) whose Form 2 carried it.
    pub summarised_in: Option<String>,
    /// When that report was approved.
    pub summarised_at: Option<DateTime<Utc>>,
    /// Every step, oldest first.
    pub history: Vec<HistoryStep>,
}

/// A group of the task force, as an actor's standing on the desk.
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
pub enum Group {
    /// 专班领导 (task-force leadership): may do everything.
    Leadership,
    /// 综合组.
    General,
    /// 信息采集组.
    Collection,
    /// 协调促进组.
    Coordination,
    /// 成员单位.
    Member,
}

/// Who is acting: the groups of their unit and the unit itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `user:…` for the history.
    pub who: String,
    /// The unit's ID (none for leadership acting as such).
    pub unit: Option<String>,
    /// The groups the unit sits in (or leadership).
    pub groups: Vec<Group>,
}

impl Actor {
    fn in_any(&self, groups: &[Group]) -> bool {
        self.groups.contains(&Group::Leadership) || self.groups.iter().any(|g| groups.contains(g))
    }

    /// Whether the actor is the competent unit `appeal` is assigned to.
    pub fn is_competent_for(&self, appeal: &Appeal) -> bool {
        self.unit.is_some() && self.unit == appeal.assigned_unit
    }
}

/// The kinds of action, for permissions and history.
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
pub enum ActionKind {
    /// Submit Form 1.
    Submit,
    /// Enter it in the database: `received → collected`.
    Collect,
    /// Refuse it: `received | collected → rejected`.
    Reject,
    /// Set the level, industry, category: `collected | classified → classified`.
    Classify,
    /// Assign a city-level appeal to its competent unit: `classified | assigned | answered → assigned`.
    Assign,
    /// Report it to the regional task force: `classified | assigned | answered → escalated`.
    Escalate,
    /// Forward a major national issue to 中国贸促会: `escalated → forwarded`.
    Forward,
    /// Record the outcome: `assigned | escalated | forwarded → answered`.
    Outcome,
    /// Tell the enterprise about progress or the result (no status change).
    Feedback,
    /// Close after the result was fed back: `answered → closed`.
    Close,
}

impl ActionKind {
    /// Every action after submission, in life-cycle order.
    pub const ALL: [ActionKind; 9] = [
        ActionKind::Collect,
        ActionKind::Reject,
        ActionKind::Classify,
        ActionKind::Assign,
        ActionKind::Escalate,
        ActionKind::Forward,
        ActionKind::Outcome,
        ActionKind::Feedback,
        ActionKind::Close,
    ];

    /// The action's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit",
            ActionKind::Collect => "collect",
            ActionKind::Reject => "reject",
            ActionKind::Classify => "classify",
            ActionKind::Assign => "assign",
            ActionKind::Escalate => "escalate",
            ActionKind::Forward => "forward",
            ActionKind::Outcome => "outcome",
            ActionKind::Feedback => "feedback",
            ActionKind::Close => "close",
        }
    }

    /// The groups that may take it (leadership always may; for [`ActionKind::Outcome`] also
    /// the competent unit of an assigned appeal).
    pub fn groups(self) -> &'static [Group] {
        use Group::*;
        match self {
            ActionKind::Submit => &[Member, Collection, General, Coordination],
            ActionKind::Collect => &[Collection],
            ActionKind::Reject | ActionKind::Classify | ActionKind::Close => &[Collection, General],
            ActionKind::Assign => &[Coordination],
            ActionKind::Escalate | ActionKind::Forward => &[General, Coordination],
            ActionKind::Outcome => &[Coordination, General],
            ActionKind::Feedback => &[Collection],
        }
    }

    /// The statuses it may start from.
    pub fn from(self) -> &'static [Status] {
        use Status::*;
        match self {
            ActionKind::Submit => &[],
            ActionKind::Collect => &[Received],
            ActionKind::Reject => &[Received, Collected],
            ActionKind::Classify => &[Collected, Classified],
            ActionKind::Assign => &[Classified, Assigned, Answered],
            ActionKind::Escalate => &[Classified, Assigned, Answered],
            ActionKind::Forward => &[Escalated],
            ActionKind::Outcome => &[Assigned, Escalated, Forwarded],
            ActionKind::Feedback => &[
                Collected, Classified, Assigned, Escalated, Forwarded, Answered,
            ],
            ActionKind::Close => &[Answered],
        }
    }
}

/// An action with what it sets.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Enter it in the database.
    Collect,
    /// Refuse it (the reason goes in the note, required).
    Reject,
    /// Classify it.
    Classify(Classification),
    /// Assign it to a competent unit (ID, name).
    Assign {
        /// The unit's ID.
        unit: String,
        /// Its name.
        name: String,
    },
    /// Report it to the regional task force.
    Escalate,
    /// Forward it to 中国贸促会.
    Forward,
    /// Record the outcome.
    Outcome {
        /// The result.
        resolution: Resolution,
        /// What was done or decided.
        summary: String,
    },
    /// Feed back to the enterprise.
    Feedback {
        /// Progress or result.
        kind: FeedbackKind,
        /// What it was told.
        text: String,
        /// How.
        via: Option<String>,
    },
    /// Close it.
    Close,
}

impl Action {
    /// Its kind.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Collect => ActionKind::Collect,
            Action::Reject => ActionKind::Reject,
            Action::Classify(_) => ActionKind::Classify,
            Action::Assign { .. } => ActionKind::Assign,
            Action::Escalate => ActionKind::Escalate,
            Action::Forward => ActionKind::Forward,
            Action::Outcome { .. } => ActionKind::Outcome,
            Action::Feedback { .. } => ActionKind::Feedback,
            Action::Close => ActionKind::Close,
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WorkflowError {
    /// The actor's groups may not take this action.
    #[error("{action}: {reason}")]
    Forbidden {
        /// The action.
        action: &'static str,
        /// Who may.
        reason: String,
    },
    /// The appeal's state does not allow it now.
    #[error("{action}: {reason}")]
    NotNow {
        /// The action.
        action: &'static str,
        /// Why not.
        reason: String,
    },
    /// A value given is not acceptable.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

fn group_names(groups: &[Group]) -> String {
    let mut names: Vec<&str> = vec!["专班领导 (leadership)"];
    for g in groups {
        names.push(match g {
            Group::Leadership => continue,
            Group::General => "综合组",
            Group::Collection => "信息采集组",
            Group::Coordination => "协调促进组",
            Group::Member => "成员单位",
        });
    }
    names.join(", ")
}

/// Whether `actor` may take `kind` on `appeal` as its groups stand (the status is not checked).
pub fn permitted(actor: &Actor, appeal: &Appeal, kind: ActionKind) -> Result<(), WorkflowError> {
    if actor.in_any(kind.groups()) {
        return Ok(());
    }
    if kind == ActionKind::Outcome
        && appeal.status == Status::Assigned
        && actor.is_competent_for(appeal)
    {
        return Ok(());
    }
    let mut who = group_names(kind.groups());
    if kind == ActionKind::Outcome {
        who.push_str(", the competent unit of an assigned appeal");
    }
    Err(WorkflowError::Forbidden {
        action: kind.name(),
        reason: format!("only {who} may"),
    })
}

/// Whether the appeal's state allows `kind` now (the actor is not checked).
pub fn possible(
    appeal: &Appeal,
    kind: ActionKind,
    config: &DeskConfig,
) -> Result<(), WorkflowError> {
    let not_now = |reason: String| WorkflowError::NotNow {
        action: kind.name(),
        reason,
    };
    if !kind.from().contains(&appeal.status) {
        return Err(not_now(format!(
            "not possible on a {} appeal",
            appeal.status.name()
        )));
    }
    let resolved = appeal.outcome.as_ref().map(|o| o.resolution) == Some(Resolution::Resolved);
    let level = appeal.classification.as_ref().map(|c| c.level);
    match kind {
        ActionKind::Assign | ActionKind::Escalate if appeal.status == Status::Answered && resolved => {
            Err(not_now("the appeal is resolved; close it after the result is fed back".into()))
        }
        ActionKind::Assign if level != Some(Level::City) => Err(not_now(
            "only a city-level appeal is assigned to a competent unit; a regional or national one is escalated".into(),
        )),
        ActionKind::Close if config.close_needs_result_feedback && !result_fed_back(appeal) => Err(not_now(
            "the result has not been fed back to the enterprise since the outcome was recorded".into(),
        )),
        _ => Ok(()),
    }
}

/// Whether a result feedback entry follows the outcome.
pub fn result_fed_back(appeal: &Appeal) -> bool {
    match &appeal.outcome {
        None => false,
        Some(o) => appeal
            .feedback
            .iter()
            .any(|f| f.kind == FeedbackKind::Result && f.at >= o.at),
    }
}

/// The actions `actor` may take on `appeal` now (for the console's buttons).
pub fn allowed(actor: &Actor, appeal: &Appeal, config: &DeskConfig) -> Vec<ActionKind> {
    ActionKind::ALL
        .into_iter()
        .filter(|k| permitted(actor, appeal, *k).is_ok() && possible(appeal, *k, config).is_ok())
        .collect()
}

fn text_field(field: &'static str, text: &str, required: bool) -> Result<(), WorkflowError> {
    if required && text.trim().is_empty() {
        return Err(WorkflowError::Invalid {
            field,
            reason: "must not be empty".into(),
        });
    }
    let n = text.chars().count();
    if n > MAX_NOTE_CHARS {
        return Err(WorkflowError::Invalid {
            field,
            reason: format!("at most {MAX_NOTE_CHARS} characters (got {n})"),
        });
    }
    Ok(())
}

/// Takes `action` on `appeal` for `actor` at `at`: checks who may, the state, and the values,
/// then changes the appeal and appends a history step. Nothing changes when it is refused.
pub fn apply(
    appeal: &mut Appeal,
    actor: &Actor,
    action: Action,
    note: Option<String>,
    at: DateTime<Utc>,
    config: &DeskConfig,
) -> Result<(), WorkflowError> {
    let kind = action.kind();
    permitted(actor, appeal, kind)?;
    possible(appeal, kind, config)?;
    text_field(
        "note",
        note.as_deref().unwrap_or(""),
        kind == ActionKind::Reject,
    )?;
    if appeal.history.len() >= MAX_ENTRIES || appeal.feedback.len() >= MAX_ENTRIES {
        return Err(WorkflowError::NotNow {
            action: kind.name(),
            reason: format!("the appeal holds {MAX_ENTRIES} entries already"),
        });
    }
    let from = appeal.status;
    let mut note = note;
    let to = change(appeal, actor, action, at, &mut note)?;
    appeal.status = to;
    appeal.history.push(HistoryStep {
        action: kind,
        from: Some(from),
        to,
        at,
        by: actor.who.clone(),
        unit: actor.unit.clone(),
        note,
    });
    Ok(())
}

fn change(
    appeal: &mut Appeal,
    actor: &Actor,
    action: Action,
    at: DateTime<Utc>,
    note: &mut Option<String>,
) -> Result<Status, WorkflowError> {
    let level = |a: &Appeal| a.classification.as_ref().map(|c| c.level);
    Ok(match action {
        Action::Collect => Status::Collected,
        Action::Reject => Status::Rejected,
        Action::Classify(mut c) => {
            if let Some(i) = &c.industry {
                text_field("industry", i, true)?;
            }
            c.industry = c.industry.or_else(|| Some(appeal.form.industry.clone()));
            appeal.classification = Some(c);
            Status::Classified
        }
        Action::Assign { unit, name } => {
            text_field("unit_id", &unit, true)?;
            appeal.assigned_unit = Some(unit);
            appeal.assigned_unit_name = Some(name);
            appeal.assigned_at = Some(at);
            appeal.outcome = None;
            Status::Assigned
        }
        Action::Escalate => {
            if level(appeal) == Some(Level::City) {
                raise(appeal, Level::Regional, note);
            }
            appeal.escalated_at = Some(at);
            appeal.outcome = None;
            Status::Escalated
        }
        Action::Forward => {
            raise(appeal, Level::National, note);
            appeal.forwarded_at = Some(at);
            Status::Forwarded
        }
        Action::Outcome {
            resolution,
            summary,
        } => {
            text_field("summary", &summary, true)?;
            appeal.outcome = Some(Outcome {
                resolution,
                summary,
                at,
                by: actor.who.clone(),
            });
            Status::Answered
        }
        Action::Feedback { kind, text, via } => {
            text_field("text", &text, true)?;
            text_field("via", via.as_deref().unwrap_or(""), false)?;
            if kind == FeedbackKind::Result && appeal.outcome.is_none() {
                return Err(WorkflowError::NotNow {
                    action: "feedback",
                    reason: "a result is fed back once an outcome is recorded".into(),
                });
            }
            appeal.feedback.push(Feedback {
                kind,
                text,
                via,
                at,
                by: actor.who.clone(),
            });
            appeal.status
        }
        Action::Close => Status::Closed,
    })
}

fn raise(appeal: &mut Appeal, to: Level, note: &mut Option<String>) {
    if let Some(c) = appeal.classification.as_mut() {
        if c.level < to {
            let said = format!("level {} → {}", c.level.name(), to.name());
            *note = Some(match note.take() {
                Some(n) => format!("{n} ({said})"),
                None => said,
            });
            c.level = to;
        }
    }
}

impl Appeal {
    /// A newly submitted appeal (`received`), with its first history step.
    pub fn submitted(
        form: CollectionForm,
        source: Channel,
        actor: &Actor,
        at: DateTime<Utc>,
    ) -> Appeal {
        Appeal {
            form,
            source,
            status: Status::Received,
            received_at: at,
            submitted_by_unit: actor.unit.clone(),
            submitted_by: actor.who.clone(),
            classification: None,
            assigned_unit: None,
            assigned_unit_name: None,
            assigned_at: None,
            escalated_at: None,
            forwarded_at: None,
            outcome: None,
            feedback: vec![],
            summarised_in: None,
            summarised_at: None,
            history: vec![HistoryStep {
                action: ActionKind::Submit,
                from: None,
                to: Status::Received,
                at,
                by: actor.who.clone(),
                unit: actor.unit.clone(),
                note: Some(format!("source: {}", source.name())),
            }],
        }
    }

    /// Records that the approved weekly report `report` (approved at `at`) carried it; the
    /// first approval stands.
    pub fn mark_summarised(&mut self, report: &str, at: DateTime<Utc>) {
        if self.summarised_in.is_none() {
            self.summarised_in = Some(report.to_string());
            self.summarised_at = Some(at);
        }
    }

    /// The level it is classified at, if classified.
    pub fn level(&self) -> Option<Level> {
        self.classification.as_ref().map(|c| c.level)
    }

    /// The last time the enterprise was told anything, or when the appeal was received.
    pub fn last_feedback_or_receipt(&self) -> DateTime<Utc> {
        self.feedback
            .iter()
            .map(|f| f.at)
            .max()
            .unwrap_or(self.received_at)
    }

    /// Whether it was escalated more than `days` ago and still has no outcome.
    pub fn escalation_waiting(&self, now: DateTime<Utc>, days: u32) -> bool {
        matches!(self.status, Status::Escalated | Status::Forwarded)
            && self
                .escalated_at
                .is_some_and(|t| now - t > Duration::days(days.into()))
    }
}
