//! Rule `pickup_reachable`: from where and when it is free, the vehicle reaches the pickup by road
//! before the pickup window closes.

use super::{two_instants, Pair, Reason, RuleName, Timing, VehicleState};

/// Fails when the vehicle arrives after the pickup window ends.
pub fn check(p: &Pair, _s: &VehicleState, t: &Timing) -> Result<(), Reason> {
    if t.arrive_pickup > p.load.pickup_window.end {
        let (arrive, close) = two_instants(t.arrive_pickup, p.load.pickup_window.end);
        return Err(Reason::new(
            RuleName::PickupReachable,
            "pickup.too_late",
            format!(
                "arrives at pickup {arrive} ({:.1} km empty), window closes {close}",
                t.deadhead.distance.0 / 1000.0,
            ),
        ));
    }
    Ok(())
}
