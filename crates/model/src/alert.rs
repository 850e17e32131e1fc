//! Monitoring alerts (风险预警): a rule's finding on a waybill, kept so the regulator can follow it
//! up — open, acknowledged, resolved.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::{PartyId, VehicleId, WaybillId};
use crate::validation::{Validate, Violations};

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Raised, nobody has looked at it yet.
    Open,
    /// Someone is following it up.
    Acknowledged,
    /// Closed, with a note saying how.
    Resolved,
}

impl AlertStatus {
    /// The statuses an alert may move to from this one.
    pub fn next(self) -> &'static [AlertStatus] {
        match self {
            Self::Open => &[Self::Acknowledged, Self::Resolved],
            Self::Acknowledged => &[Self::Resolved],
            Self::Resolved => &[],
        }
    }
}

/// One alert: a rule that fired on a waybill (or a carrier), with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// The rule's stable code, e.g. `track.ghost`.
    pub rule: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    /// The finding in a sentence.
    pub message: String,
    /// The waybill it is about.
    #[serde(default)]
    pub waybill_id: Option<WaybillId>,
    /// The carrier responsible.
    #[serde(default)]
    pub carrier_id: Option<PartyId>,
    /// The vehicle involved.
    #[serde(default)]
    pub vehicle_id: Option<VehicleId>,
    /// Its plate.
    #[serde(default)]
    pub plate: Option<String>,
    /// The Beijing-time day the waybill was despatched.
    pub day: NaiveDate,
    /// When the platform raised it.
    pub detected_at: DateTime<Utc>,
    /// What the rule saw: times, points, distances, amounts.
    #[serde(default)]
    pub evidence: serde_json::Value,
    /// Open, acknowledged or resolved.
    pub status: AlertStatus,
    /// The last note of whoever acknowledged or resolved it.
    #[serde(default)]
    pub note: Option<String>,
}

impl Validate for Alert {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("rule", &self.rule);
        v.require_text("message", &self.message);
        if !["info", "warning", "critical"].contains(&self.severity.as_str()) {
            v.push(
                "alert.severity_unknown",
                "severity",
                format!(
                    "severity '{}' is not info, warning or critical",
                    self.severity
                ),
            );
        }
    }
}
