//! The numbers behind a status, the status rules and the bilingual reasons.

use chrono::NaiveDate;

use super::trajectory::{expected_on, planned, project};
use super::{Direction, Goal, Observation, Status, Target, AT_RISK_FRACTION};
use crate::format::num;

/// Everything the status and the reason are computed from.
pub(crate) struct Facts {
    goal: Goal,
    year: i32,
    dir: Direction,
    start: Observation,
    aim: f64,
    current: Observation,
    /// The planned line's value on the current observation's date.
    pub expected: f64,
    /// The projection for the deadline.
    pub projected: Option<f64>,
    /// 10 % of the planned change (or of the fallback scale).
    tolerance: f64,
    /// Below this, a gap counts as zero (float noise).
    eps: f64,
    /// The tolerance is based on the range's width or the target's magnitude, not the change.
    fallback: bool,
}

impl Facts {
    pub fn new(
        target: &Target,
        start: Observation,
        current: Observation,
        observations: &[Observation],
        deadline: NaiveDate,
    ) -> Self {
        let goal = target.goal;
        let aim = goal.aim(start.value);
        let line = planned(start, aim, deadline);
        let change = (aim - start.value).abs();
        let scale = if change > 0.0 {
            change
        } else {
            goal.fallback_scale()
        };
        Facts {
            goal,
            year: target.year,
            dir: goal.direction(start.value),
            start,
            aim,
            current,
            expected: expected_on(&line, aim, deadline, current.as_of),
            projected: project(observations, &line, deadline),
            tolerance: AT_RISK_FRACTION * scale,
            eps: 1e-9 * scale.max(1.0),
            fallback: change == 0.0,
        }
    }

    /// (current − start) / (aim − start), or `None` without a planned change.
    pub fn progress(&self) -> Option<f64> {
        let change = self.aim - self.start.value;
        (change != 0.0).then(|| (self.current.value - self.start.value) / change)
    }

    /// How far the current value is ahead of the planned line (negative: behind).
    fn ahead(&self) -> f64 {
        match self.dir {
            Direction::Higher => self.current.value - self.expected,
            Direction::Lower => self.expected - self.current.value,
            Direction::Hold => -self.goal.shortfall(self.current.value, self.dir),
        }
    }

    fn behind(&self) -> f64 {
        let b = (-self.ahead()).max(0.0);
        if b <= self.eps {
            0.0
        } else {
            b
        }
    }

    fn miss(&self) -> f64 {
        let m = self
            .projected
            .map_or(0.0, |p| self.goal.shortfall(p, self.dir));
        if m <= self.eps {
            0.0
        } else {
            m
        }
    }

    /// The status before the deadline.
    pub fn status(&self) -> Status {
        let (behind, miss) = (self.behind(), self.miss());
        if behind == 0.0 && miss == 0.0 {
            Status::OnTrack
        } else if behind <= self.tolerance || miss <= self.tolerance {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    }

    fn final_gap(&self) -> f64 {
        let gap = self.goal.shortfall(self.current.value, self.dir);
        if gap <= self.eps {
            0.0
        } else {
            gap
        }
    }

    /// The status after the deadline: met or missed.
    pub fn final_status(&self) -> Status {
        if self.final_gap() == 0.0 {
            Status::OnTrack
        } else {
            Status::OffTrack
        }
    }

    /// The reason in Chinese and English.
    pub fn reason(&self, status: Status, passed: bool) -> (String, String) {
        if passed {
            return self.final_reason();
        }
        let (cur, day, exp) = (
            num(self.current.value),
            self.current.as_of,
            num(self.expected),
        );
        let (gap_zh, gap_en) = self.gap_text();
        let (proj_zh, proj_en) = self.projection_text();
        let (verdict_zh, verdict_en) = self.verdict(status);
        let zh = format!(
            "最新值 {cur}（{day}），按计划此时应为 {exp}，{gap_zh}；{proj_zh}（目标 {}，{} 年末）。{verdict_zh}",
            self.goal.label(),
            self.year
        );
        let en = format!(
            "Latest value {cur} ({day}); the plan expects {exp} by then, {gap_en}; {proj_en} (target {} by the end of {}). {verdict_en}",
            self.goal.label(),
            self.year
        );
        (zh, en)
    }

    fn gap_text(&self) -> (String, String) {
        let (ahead, behind) = (self.ahead(), self.behind());
        if behind > 0.0 {
            let b = num(behind);
            (format!("落后 {b}"), format!("{b} behind"))
        } else if ahead > self.eps {
            let a = num(ahead);
            (format!("领先 {a}"), format!("{a} ahead"))
        } else {
            ("与计划持平".into(), "on the planned line".into())
        }
    }

    fn projection_text(&self) -> (String, String) {
        let p = self.projected.map_or_else(|| "—".to_string(), num);
        let m = self.miss();
        if m == 0.0 {
            (
                format!("按趋势 {} 年末预计 {p}，可达到目标", self.year),
                format!(
                    "the trend projects {p} at the end of {}, meeting the target",
                    self.year
                ),
            )
        } else {
            (
                format!("按趋势 {} 年末预计 {p}，距目标差 {}", self.year, num(m)),
                format!(
                    "the trend projects {p} at the end of {}, {} short of the target",
                    self.year,
                    num(m)
                ),
            )
        }
    }

    fn verdict(&self, status: Status) -> (String, String) {
        let tol = num(self.tolerance);
        let (of_zh, of_en) = match (self.fallback, self.goal) {
            (false, _) => ("计划变化量", "the planned change"),
            (true, Goal::Range { .. }) => ("目标区间宽度", "the range's width"),
            (true, _) => ("目标值", "the target value"),
        };
        match status {
            Status::OnTrack => ("进度正常。".into(), "On track.".into()),
            Status::AtRisk => (
                format!("有风险：差距在容差 {tol}（{of_zh}的 10%）以内。"),
                format!("At risk: a gap within the tolerance of {tol} (10% of {of_en})."),
            ),
            _ => (
                format!("偏离：落后与预计差距均超过容差 {tol}（{of_zh}的 10%）。"),
                format!("Off track: both gaps exceed the tolerance of {tol} (10% of {of_en})."),
            ),
        }
    }

    fn final_reason(&self) -> (String, String) {
        let (cur, day, label, y) = (
            num(self.current.value),
            self.current.as_of,
            self.goal.label(),
            self.year,
        );
        let g = self.final_gap();
        if g == 0.0 {
            (
                format!("目标期限（{y} 年末）已过：最新值 {cur}（{day}）达到目标 {label}。"),
                format!("The deadline (end of {y}) has passed: the latest value {cur} ({day}) meets the target {label}."),
            )
        } else {
            (
                format!("目标期限（{y} 年末）已过：最新值 {cur}（{day}）未达到目标 {label}，差 {}。", num(g)),
                format!("The deadline (end of {y}) has passed: the latest value {cur} ({day}) misses the target {label} by {}.", num(g)),
            )
        }
    }
}

/// The reason when there is no observation.
pub(crate) fn no_data(target: &Target) -> (String, String) {
    let (label, y) = (target.goal.label(), target.year);
    (
        format!("尚无观测值，无法评估（目标 {label}，{y} 年末）。"),
        format!("No observed value yet; cannot assess (target {label} by the end of {y})."),
    )
}
