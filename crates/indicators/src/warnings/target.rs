//! Rules `plan.off_track` and `plan.at_risk`: a plan target's assessment is not on track.

use chrono::NaiveDate;
use serde_json::json;

use super::{Severity, Warning};
use crate::plan::{Status, TargetAssessment};

/// The rule for a target off track (critical).
pub const OFF_TRACK: &str = "plan.off_track";
/// The rule for a target at risk (warning).
pub const AT_RISK: &str = "plan.at_risk";

/// A critical warning when the assessment of target `target_id` (named `name_zh`/`name_en`) is
/// off track, a warning when at risk, nothing when on track or without data. The message carries
/// the assessment's reason; the evidence its numbers.
pub fn target_status(
    target_id: &str,
    name_zh: &str,
    name_en: &str,
    day: NaiveDate,
    a: &TargetAssessment,
) -> Vec<Warning> {
    let (rule, severity, zh, en) = match a.status {
        Status::OffTrack => (
            OFF_TRACK,
            Severity::Critical,
            "偏离规划进度",
            "is off track",
        ),
        Status::AtRisk => (AT_RISK, Severity::Warning, "存在未完成风险", "is at risk"),
        Status::OnTrack | Status::NoData => return vec![],
    };
    vec![Warning {
        rule: rule.to_string(),
        severity,
        message_zh: format!("规划目标 {target_id}（{name_zh}）{zh}：{}", a.reason_zh),
        message_en: format!("Plan target {target_id} ({name_en}) {en}: {}", a.reason_en),
        subject: target_id.to_string(),
        day,
        evidence: json!({
            "target_id": target_id,
            "status": a.status,
            "current": a.current,
            "expected_now": a.expected_now,
            "progress": a.progress,
            "projected_at_target_year": a.projected_at_target_year,
        }),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Observation;

    fn assessment(status: Status) -> TargetAssessment {
        let as_of = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        TargetAssessment {
            current: Some(Observation {
                as_of,
                value: 6900.0,
            }),
            expected_now: Some(7000.0),
            progress: Some(0.76),
            status,
            projected_at_target_year: Some(7300.0),
            reason_zh: "理由".into(),
            reason_en: "reason".into(),
        }
    }

    fn run(status: Status) -> Vec<Warning> {
        let day = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        target_status(
            "T03",
            "铁路货运量",
            "Rail freight volume",
            day,
            &assessment(status),
        )
    }

    #[test]
    fn off_track_is_critical_and_at_risk_a_warning() {
        let off = run(Status::OffTrack);
        assert_eq!(
            (off[0].rule.as_str(), off[0].severity),
            (OFF_TRACK, Severity::Critical)
        );
        assert_eq!(off[0].evidence["status"], "off_track");
        assert_eq!(off[0].evidence["expected_now"], 7000.0);
        assert!(off[0].message_zh.contains("铁路货运量") && off[0].message_en.contains("reason"));
        let risk = run(Status::AtRisk);
        assert_eq!(
            (risk[0].rule.as_str(), risk[0].severity),
            (AT_RISK, Severity::Warning)
        );
        assert_eq!(risk[0].subject, "T03");
    }

    #[test]
    fn on_track_and_no_data_are_quiet() {
        assert!(run(Status::OnTrack).is_empty());
        assert!(run(Status::NoData).is_empty());
    }
}
