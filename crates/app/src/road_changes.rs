//! Live road changes (closures and slowdowns) kept in the database and in force on the loaded
//! road network, for HTTP and the CLI alike.
//!
//! Regulators and admins set and lift changes; every caller may read them. A write is validated
//! first (against the loaded network when there is one: edge indices must exist; without one
//! only polygons are taken, see [`check_without_network`]: stored polygon closures then cut the
//! straight-line legs of emergency plans), then stored with
//! its audit entry in one transaction, then applied: [`RoadChanges::sync`] re-reads the whole
//! stored set and installs it on the network under one lock, so two writers can never leave the
//! network without the other's change. Servers poll the store's revision
//! ([`RoadChanges::spawn_poller`]) so a write by the CLI or by another server on the same database
//! is in force within a poll.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::{json, Value};
use wuliu_road::{ChangeEffect, ChangeReport, ChangeTarget, PreparedNetwork, RoadChange};
use wuliu_store::{AuditEntry, Repository, StoredRoadChange};

use crate::audit;
use crate::caller::{Caller, Role};
use crate::error::AppError;

/// How often [`RoadChanges::spawn_poller`] asks the store for a new revision.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

/// One change in force as listed: the change and who set it when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedChange {
    /// The change.
    #[serde(flatten)]
    pub change: Value,
    /// Who set it last (`user:…`, `token:…`, `cli`).
    pub set_by: String,
    /// When, RFC 3339.
    pub set_at: String,
    /// The store revision of its last write.
    pub revision: i64,
}

/// The answer of a listing: the store's revision and the changes, by ID.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeList {
    /// The store-wide revision of road changes.
    pub revision: i64,
    /// The changes stored (and so in force, once applied).
    pub changes: Vec<ListedChange>,
}

fn bad(field: impl Into<String>, message: impl Into<String>) -> AppError {
    AppError::bad("road.change", field, message)
}

/// Refuses callers other than admins and regulators.
pub fn authorise_write(caller: &Caller) -> Result<(), AppError> {
    match caller.role {
        Role::Admin | Role::Regulator => Ok(()),
        other => Err(AppError::Forbidden {
            field: None,
            message: format!(
                "a {} may read road changes but not set or lift them (regulators and admins may)",
                other.name()
            ),
        }),
    }
}

/// Reads a change body for ID `id`: the body may omit `id` or repeat the same one. A field of
/// the wrong shape is a 400 naming it (e.g. `effect.speed_factor`).
pub fn parse_change(id: &str, body: Value) -> Result<RoadChange, AppError> {
    let Value::Object(mut obj) = body else {
        return Err(bad("body", "a road change is a JSON object"));
    };
    match obj.get("id") {
        None => {}
        Some(Value::String(s)) if s == id => {}
        Some(other) => {
            return Err(bad(
                "id",
                format!("body id {other} differs from the path's id {id:?}"),
            ))
        }
    }
    obj.insert("id".into(), Value::String(id.into()));
    serde_path_to_error::deserialize(Value::Object(obj)).map_err(|e| {
        let field = match e.path().to_string() {
            p if p == "." => "body".to_string(),
            p => p,
        };
        bad(field, e.into_inner().to_string())
    })
}

/// Checks one change with the road engine's own rules, naming the offending field; edge indices
/// are checked against `edge_count` when a network is known.
pub fn check(change: &RoadChange, edge_count: Option<usize>) -> Result<(), AppError> {
    change
        .check(edge_count)
        .map_err(|e| bad(e.field, e.message))
}

/// The rule without a loaded network: a polygon is geography and is checked as with a network;
/// a change naming edges (indices of one network) or ways (OSM IDs of one import) cannot be
/// checked nor applied, so it is refused naming `target.edges` or `target.ways`.
pub fn check_without_network(change: &RoadChange) -> Result<(), AppError> {
    check(change, None)?;
    let field = match &change.target {
        ChangeTarget::Polygon(_) => return Ok(()),
        ChangeTarget::Edges(_) => "target.edges",
        ChangeTarget::Ways(_) => "target.ways",
    };
    Err(bad(
        field,
        "no road network is loaded, so roads named by edge or way cannot be checked or closed \
         here: close a polygon (`target.polygon`), or start the server with --road FILE",
    ))
}

/// What a write answers when no road network is loaded: the change as stored (or as it was when
/// lifted) and whether it cuts straight-line legs (a polygon closure does).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StoredReport {
    /// The store revision of the write.
    pub revision: i64,
    /// Always `false`: no network took the change; servers with one apply it within a second.
    pub network_loaded: bool,
    /// Whether the change closes a polygon, so that straight-line legs entering it are cut
    /// (emergency plans and the situation picture).
    pub cuts_straight_lines: bool,
    /// The change with `set_by`, `set_at` and `revision`.
    #[schemars(with = "Value")]
    pub change: ListedChange,
}

impl StoredReport {
    fn of(row: StoredRoadChange) -> Self {
        let cuts = matches!(
            serde_json::from_value::<RoadChange>(row.change.clone()),
            Ok(RoadChange {
                target: ChangeTarget::Polygon(_),
                effect: ChangeEffect::Closed,
                ..
            })
        );
        StoredReport {
            revision: row.revision,
            network_loaded: false,
            cuts_straight_lines: cuts,
            change: ListedChange {
                change: row.change,
                set_by: row.set_by,
                set_at: row.set_at,
                revision: row.revision,
            },
        }
    }
}

/// Sets (or replaces) change `id` from `body` when no road network is loaded:
/// [`check_without_network`], then stored and audited as [`store_change`] does.
pub async fn put_without_network(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<StoredReport, AppError> {
    authorise_write(caller)?;
    let change = parse_change(id, body)?;
    check_without_network(&change)?;
    Ok(StoredReport::of(store_change(repo, caller, &change).await?))
}

/// Lifts change `id` when no road network is loaded ([`delete_change`]); answers it as it was.
pub async fn delete_without_network(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<StoredReport, AppError> {
    Ok(StoredReport::of(delete_change(repo, caller, id).await?))
}

/// The audit entry of a road-change write (`road_change.put` or `road_change.delete`).
fn audit_entry(caller: &Caller, action: &str, id: &str, detail: Value) -> AuditEntry {
    let mut entry = audit::event(caller, action, detail);
    entry.kind = Some("road_changes".into());
    entry.record_id = Some(id.to_string());
    entry
}

/// Stores `change` (already checked) for `caller`, audited; refuses a new ID beyond
/// [`wuliu_road::MAX_CHANGES`]. Does not apply it to any network.
pub async fn store_change(
    repo: &dyn Repository,
    caller: &Caller,
    change: &RoadChange,
) -> Result<StoredRoadChange, AppError> {
    authorise_write(caller)?;
    let (_, stored) = repo.road_changes().await?;
    let is_new = !stored.iter().any(|s| s.id == change.id);
    if is_new && stored.len() >= wuliu_road::MAX_CHANGES {
        return Err(AppError::too_large(
            "id",
            format!(
                "at most {} road changes are in force at once",
                wuliu_road::MAX_CHANGES
            ),
        ));
    }
    let body = serde_json::to_value(change).expect("a road change serialises");
    let entry = audit_entry(
        caller,
        "road_change.put",
        &change.id,
        json!({ "change": body }),
    );
    Ok(repo
        .put_road_change(&change.id, &body, &caller.actor, entry)
        .await?)
}

/// Deletes the stored change `id` for `caller`, audited; 404 when there is none.
pub async fn delete_change(
    repo: &dyn Repository,
    caller: &Caller,
    id: &str,
) -> Result<StoredRoadChange, AppError> {
    authorise_write(caller)?;
    let entry = audit_entry(caller, "road_change.delete", id, json!({ "id": id }));
    repo.delete_road_change(id, entry)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no road change with id '{id}'")))
}

/// Every stored change, for any caller.
pub async fn list(repo: &dyn Repository) -> Result<ChangeList, AppError> {
    let (revision, rows) = repo.road_changes().await?;
    let changes = rows
        .into_iter()
        .map(|r| ListedChange {
            change: r.change,
            set_by: r.set_by,
            set_at: r.set_at,
            revision: r.revision,
        })
        .collect();
    Ok(ChangeList { revision, changes })
}

/// The stored changes as the engine reads them; those it cannot read, or that do not fit
/// `edge_count`, are left out and returned with the reason.
fn usable(rows: Vec<StoredRoadChange>, edge_count: usize) -> (Vec<RoadChange>, Vec<SkippedChange>) {
    let mut ok = Vec::with_capacity(rows.len());
    let mut skipped = Vec::new();
    for row in rows {
        let parsed = serde_json::from_value::<RoadChange>(row.change)
            .map_err(|e| e.to_string())
            .and_then(|c| match check(&c, Some(edge_count)) {
                Ok(()) if c.id == row.id => Ok(c),
                Ok(()) => Err(format!("stored under id {:?} but names {:?}", row.id, c.id)),
                Err(e) => Err(format!("{:?}: {e}", e.violations()[0].field)),
            });
        match parsed {
            Ok(c) => ok.push(c),
            Err(reason) => skipped.push(SkippedChange { id: row.id, reason }),
        }
    }
    (ok, skipped)
}

/// A stored change the network could not take.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SkippedChange {
    /// Its ID.
    pub id: String,
    /// Why: unreadable, or naming edges this network does not have.
    pub reason: String,
}

/// What applying the stored set did: the engine's [`ChangeReport`] (its fields inline), the
/// store revision now in force, and the stored changes left out.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SyncReport {
    /// The store revision now in force.
    pub revision: i64,
    /// The engine's report.
    #[serde(flatten)]
    pub report: ChangeReport,
    /// Stored changes left out.
    pub skipped: Vec<SkippedChange>,
}

/// The road changes of one loaded network, kept equal to the stored set.
pub struct RoadChanges {
    repo: Arc<dyn Repository>,
    network: Arc<PreparedNetwork>,
    /// The store revision in force on the network (`None` before the first sync); held while a
    /// set is read and applied, so applies happen in store order.
    applied: tokio::sync::Mutex<Option<i64>>,
}

impl RoadChanges {
    /// Road changes of `network`, stored in `repo`; nothing is applied until [`Self::sync`].
    pub fn new(repo: Arc<dyn Repository>, network: Arc<PreparedNetwork>) -> Self {
        RoadChanges {
            repo,
            network,
            applied: tokio::sync::Mutex::new(None),
        }
    }

    /// Sets (or replaces) change `id` from `body`: checked against the network, stored and
    /// audited, then in force when this returns. Answers the engine's report of the set in force.
    pub async fn put(
        &self,
        caller: &Caller,
        id: &str,
        body: Value,
    ) -> Result<SyncReport, AppError> {
        authorise_write(caller)?;
        let change = parse_change(id, body)?;
        check(&change, Some(self.network.network().edge_count()))?;
        store_change(self.repo.as_ref(), caller, &change).await?;
        self.apply().await
    }

    /// Lifts change `id`: deleted (audited), then out of force when this returns; 404 if unknown.
    pub async fn delete(&self, caller: &Caller, id: &str) -> Result<SyncReport, AppError> {
        delete_change(self.repo.as_ref(), caller, id).await?;
        self.apply().await
    }

    /// Reads the stored set and installs it on the network when the store's revision differs from
    /// the one in force. `Ok(None)`: nothing new.
    pub async fn sync(&self) -> Result<Option<SyncReport>, AppError> {
        let mut applied = self.applied.lock().await;
        if *applied == Some(self.repo.road_change_revision().await?) {
            return Ok(None);
        }
        self.apply_locked(&mut applied).await.map(Some)
    }

    /// Reads the stored set and installs it on the network, whatever the revision.
    pub async fn apply(&self) -> Result<SyncReport, AppError> {
        let mut applied = self.applied.lock().await;
        self.apply_locked(&mut applied).await
    }

    /// [`Self::apply`] with the lock held (`applied` is its guarded revision).
    async fn apply_locked(&self, applied: &mut Option<i64>) -> Result<SyncReport, AppError> {
        let (revision, rows) = self.repo.road_changes().await?;
        let (changes, skipped) = usable(rows, self.network.network().edge_count());
        let net = self.network.clone();
        let report = tokio::task::spawn_blocking(move || net.set_changes(changes))
            .await
            .map_err(|e| AppError::Internal(format!("applying road changes: {e}")))?
            .map_err(|e| {
                AppError::Internal(format!("the road engine refused the stored changes: {e}"))
            })?;
        *applied = Some(revision);
        Ok(SyncReport {
            revision,
            report,
            skipped,
        })
    }

    /// Polls the store every `every` and applies a new revision; a failed poll is logged and
    /// retried at the next tick. The task ends with the runtime (or when aborted).
    pub fn spawn_poller(self: Arc<Self>, every: Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match self.sync().await {
                    Ok(Some(s)) => tracing::info!(
                        revision = s.revision,
                        changes = s.report.changes,
                        edges_closed = s.report.edges_closed,
                        edges_slowed = s.report.edges_slowed,
                        skipped = s.skipped.len(),
                        "road changes re-applied"
                    ),
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "road changes: poll failed, retrying"),
                }
            }
        })
    }
}
