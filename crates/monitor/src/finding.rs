//! Findings: what a rule reports about one waybill, with its evidence.

use serde::{Deserialize, Serialize};
use wuliu_model::WaybillId;

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; does not make a waybill abnormal.
    #[default]
    Info,
    /// Abnormal: the record needs an explanation.
    Warning,
    /// Abnormal and likely false or unlawful.
    Critical,
}

impl Severity {
    /// Whether a finding of this severity makes its waybill abnormal (warning or critical).
    pub fn is_abnormal(self) -> bool {
        self >= Severity::Warning
    }

    /// The stable name (`info`, `warning`, `critical`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

/// One problem a rule found with one waybill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, e.g. `track.gap`.
    pub rule: String,
    /// Severity of the rule.
    pub severity: Severity,
    /// The waybill concerned.
    pub waybill_id: WaybillId,
    /// One English sentence with the figures, for lists and logs.
    pub message: String,
    /// Structured evidence: the times, points, distances and amounts involved.
    pub evidence: serde_json::Value,
}
