//! Rule `pickup_reachable`: from where and when it is free, the vehicle reaches the pickup by road
//! before the pickup window closes.

use super::{Pair, Reason, RuleName, Timing, VehicleState};

/// Fails when the vehicle arrives after the pickup window ends.
pub fn check(p: &Pair, _s: &VehicleState, t: &Timing) -> Result<(), Reason> {
    if t.arrive_pickup > p.load.pickup_window.end {
        return Err(Reason::new(
            RuleName::PickupReachable,
            "pickup.too_late",
            format!(
                "arrives at pickup {} ({:.1} km empty), window closes {}",
                t.arrive_pickup.format("%H:%M"),
                t.deadhead.distance.0 / 1000.0,
                p.load.pickup_window.end.format("%H:%M")
            ),
        ));
    }
    Ok(())
}
