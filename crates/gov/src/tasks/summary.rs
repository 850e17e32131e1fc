//! Summaries of task statuses per unit (as lead and as cooperating unit) and per document.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::status::{Status, TaskFacts, TaskStatus, Warning};

/// Counts of tasks by status and warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StatusCounts {
    /// Tasks counted.
    pub total: usize,
    /// `not_started`.
    pub not_started: usize,
    /// `in_progress`.
    pub in_progress: usize,
    /// `completed`.
    pub completed: usize,
    /// `overdue`.
    pub overdue: usize,
    /// With the `due_soon` warning.
    pub due_soon: usize,
    /// With the `stale` warning (periodic report missing).
    pub stale: usize,
}

impl StatusCounts {
    /// Counts one task.
    pub fn add(&mut self, s: &TaskStatus) {
        self.total += 1;
        match s.status {
            Status::NotStarted => self.not_started += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Completed => self.completed += 1,
            Status::Overdue => self.overdue += 1,
        }
        match s.warning {
            Some(Warning::DueSoon) => self.due_soon += 1,
            Some(Warning::Stale) => self.stale += 1,
            Some(Warning::Overdue) | None => {}
        }
    }
}

/// One unit's tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitSummary {
    /// The unit (as the task facts name it).
    pub unit: String,
    /// Tasks it leads.
    pub as_lead: StatusCounts,
    /// Tasks it cooperates on.
    pub as_cooperating: StatusCounts,
    /// Tasks it leads that are overdue, by ID.
    pub overdue: Vec<String>,
    /// Tasks it leads whose periodic report is missing, by ID.
    pub stale: Vec<String>,
    /// Tasks it leads that are due soon, by ID.
    pub due_soon: Vec<String>,
}

/// One document's tasks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentSummary {
    /// The document's short number, e.g. `69`.
    pub document: String,
    /// Its tasks by status.
    pub counts: StatusCounts,
    /// Overdue tasks, by ID.
    pub overdue: Vec<String>,
    /// Tasks whose periodic report is missing, by ID.
    pub stale: Vec<String>,
}

fn push_warned(s: &TaskStatus, id: &str, overdue: &mut Vec<String>, stale: &mut Vec<String>) {
    if s.status == Status::Overdue {
        overdue.push(id.to_string());
    }
    if s.warning == Some(Warning::Stale) {
        stale.push(id.to_string());
    }
}

/// Per unit: the tasks it leads and those it cooperates on, by status, and the lead tasks that
/// need attention. A unit listed both as lead and cooperating unit of a task (69号 prints some so)
/// counts it once, as lead. Ordered by unit.
pub fn by_unit(tasks: &[(TaskFacts, TaskStatus)]) -> Vec<UnitSummary> {
    let mut units: BTreeMap<&str, UnitSummary> = BTreeMap::new();
    for (task, s) in tasks {
        for unit in &task.lead_units {
            let u = units.entry(unit).or_default();
            u.as_lead.add(s);
            push_warned(s, &task.id, &mut u.overdue, &mut u.stale);
            if s.warning == Some(Warning::DueSoon) {
                u.due_soon.push(task.id.clone());
            }
        }
        for unit in task.cooperating_units.iter().filter(|u| !task.is_lead(u)) {
            units.entry(unit).or_default().as_cooperating.add(s);
        }
    }
    units
        .into_iter()
        .map(|(unit, mut u)| {
            u.unit = unit.to_string();
            u
        })
        .collect()
}

/// Per document: its tasks by status and those that need attention. Ordered by document.
pub fn by_document(tasks: &[(TaskFacts, TaskStatus)]) -> Vec<DocumentSummary> {
    let mut docs: BTreeMap<&str, DocumentSummary> = BTreeMap::new();
    for (task, s) in tasks {
        let d = docs.entry(&task.document).or_default();
        d.counts.add(s);
        push_warned(s, &task.id, &mut d.overdue, &mut d.stale);
    }
    docs.into_iter()
        .map(|(doc, mut d)| {
            d.document = doc.to_string();
            d
        })
        .collect()
}
