//! Records the regulator keeps to supervise the plan: indicator values measured outside the platform
//! (statistics bureau releases, department reports) and progress reports on the key projects.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::FacilityId;
use crate::validation::{Validate, Violations};

/// A value of a plan indicator as of a date, entered with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The plan target it measures, e.g. `T03`.
    pub target_id: String,
    /// The value, in the target's unit.
    pub value: f64,
    /// The day the value describes (end of the reported period).
    pub as_of: NaiveDate,
    /// Where the value comes from, e.g. `市统计局 2025年6月统计快报`.
    pub source: String,
    /// Remarks.
    #[serde(default)]
    pub note: Option<String>,
}

impl Validate for IndicatorValue {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("target_id", &self.target_id);
        v.require_text("source", &self.source);
        if !self.value.is_finite() {
            v.push("out_of_range", "value", "value must be a finite number");
        }
    }
}

/// A progress report on a key logistics project (a facility of the plan's project table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectReport {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The project's facility ID.
    pub project_id: FacilityId,
    /// The day of the report.
    pub reported_on: NaiveDate,
    /// 建设性质 now: 预备, 储备, 新建, 在建, 建成 or 运营.
    pub build_status: String,
    /// Share of the works completed, 0 to 100.
    #[serde(default)]
    pub progress_pct: Option<f64>,
    /// Investment completed so far, yuan.
    #[serde(default)]
    pub invested_yuan: Option<f64>,
    /// What happened since the last report.
    #[serde(default)]
    pub note: Option<String>,
}

/// The build states a report may give.
pub const BUILD_STATUSES: &[&str] = &["预备", "储备", "新建", "在建", "建成", "运营"];

impl Validate for ProjectReport {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("project_id", self.project_id.as_str());
        if !BUILD_STATUSES.contains(&self.build_status.as_str()) {
            v.push(
                "project.build_status_unknown",
                "build_status",
                format!("build status must be one of {}", BUILD_STATUSES.join(", ")),
            );
        }
        if let Some(p) = self.progress_pct {
            if !(0.0..=100.0).contains(&p) {
                v.push("out_of_range", "progress_pct", "progress must be 0 to 100");
            }
        }
        if self
            .invested_yuan
            .is_some_and(|x| !x.is_finite() || x < 0.0)
        {
            v.push(
                "out_of_range",
                "invested_yuan",
                "investment must be zero or more",
            );
        }
    }
}
