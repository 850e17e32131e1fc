//! Rule `working_time`: the trip's driving (deadhead + loaded) fits the crew's remaining driving
//! time for the day.

use super::{Pair, Reason, RuleName, Timing, VehicleState};

/// Fails when the trip needs more driving than the crew has left.
pub fn check(_p: &Pair, s: &VehicleState, t: &Timing) -> Result<(), Reason> {
    if t.driving.0 > s.remaining_driving.0 {
        return Err(Reason::new(
            RuleName::WorkingTime,
            "working_time.exceeded",
            format!(
                "trip needs {:.0} min of driving, crew has {:.0} min left",
                t.driving.0 / 60.0,
                s.remaining_driving.0 / 60.0
            ),
        ));
    }
    Ok(())
}
