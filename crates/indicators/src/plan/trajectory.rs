//! The planned line and the projection of the observed values.

use chrono::NaiveDate;

use super::Observation;

/// Days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64
}

/// A straight line through `(date, value)` with a slope per day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Line {
    /// A point on the line.
    pub at: NaiveDate,
    /// The value at `at`.
    pub value: f64,
    /// Change per day.
    pub slope: f64,
}

impl Line {
    /// The line's value on `date`.
    pub fn value_on(&self, date: NaiveDate) -> f64 {
        self.value + self.slope * days(self.at, date)
    }
}

/// The planned line from `start` to `aim` on `deadline`. It stays at `aim` after the deadline,
/// and is flat at `aim` when the start is not before the deadline.
pub(crate) fn planned(start: Observation, aim: f64, deadline: NaiveDate) -> Line {
    let span = days(start.as_of, deadline);
    if span <= 0.0 {
        return Line {
            at: deadline,
            value: aim,
            slope: 0.0,
        };
    }
    Line {
        at: start.as_of,
        value: start.value,
        slope: (aim - start.value) / span,
    }
}

/// The planned line's value on `date`, held at the aim after the deadline.
pub(crate) fn expected_on(line: &Line, aim: f64, deadline: NaiveDate, date: NaiveDate) -> f64 {
    if date >= deadline {
        aim
    } else {
        line.value_on(date)
    }
}

/// The least-squares line through the observations, or `None` with fewer than two distinct dates.
pub(crate) fn fit(obs: &[Observation]) -> Option<Line> {
    let first = obs.first()?.as_of;
    let n = obs.len() as f64;
    let mean_x = obs.iter().map(|o| days(first, o.as_of)).sum::<f64>() / n;
    let mean_y = obs.iter().map(|o| o.value).sum::<f64>() / n;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for o in obs {
        let dx = days(first, o.as_of) - mean_x;
        sxx += dx * dx;
        sxy += dx * (o.value - mean_y);
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(Line {
        at: first,
        value: mean_y - slope * mean_x,
        slope,
    })
}

/// The value projected on `deadline`: the fitted line when the observations span two dates or
/// more, else the latest value continued with the planned slope.
pub(crate) fn project(obs: &[Observation], plan: &Line, deadline: NaiveDate) -> Option<f64> {
    let last = obs.last()?;
    match fit(obs) {
        Some(line) => Some(line.value_on(deadline)),
        None => Some(last.value + plan.slope * days(last.as_of, deadline).max(0.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn o(date: NaiveDate, value: f64) -> Observation {
        Observation { as_of: date, value }
    }

    #[test]
    fn fit_recovers_an_exact_line() {
        let obs = [
            o(d(2024, 1, 1), 10.0),
            o(d(2024, 1, 11), 20.0),
            o(d(2024, 1, 21), 30.0),
        ];
        let line = fit(&obs).unwrap();
        assert!((line.slope - 1.0).abs() < 1e-12);
        assert!((line.value_on(d(2024, 1, 31)) - 40.0).abs() < 1e-9);
    }

    #[test]
    fn fit_needs_two_dates() {
        assert!(fit(&[o(d(2024, 1, 1), 1.0)]).is_none());
        assert!(fit(&[o(d(2024, 1, 1), 1.0), o(d(2024, 1, 1), 2.0)]).is_none());
    }

    #[test]
    fn planned_line_hits_the_aim_on_the_deadline() {
        let line = planned(o(d(2020, 12, 31), 100.0), 200.0, d(2025, 12, 31));
        assert!((line.value_on(d(2025, 12, 31)) - 200.0).abs() < 1e-9);
        let mid = expected_on(&line, 200.0, d(2025, 12, 31), d(2030, 1, 1));
        assert_eq!(mid, 200.0);
    }
}
