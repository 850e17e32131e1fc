//! Rule `delivery_window`: after loading and the loaded drive, the goods arrive before the
//! delivery window closes.

use super::{two_instants, Pair, Reason, RuleName, Timing, VehicleState};

/// Fails when the arrival at the destination is after the delivery window ends.
pub fn check(p: &Pair, _s: &VehicleState, t: &Timing) -> Result<(), Reason> {
    if t.arrive_delivery > p.load.delivery_window.end {
        let (arrive, close) = two_instants(t.arrive_delivery, p.load.delivery_window.end);
        return Err(Reason::new(
            RuleName::DeliveryWindow,
            "delivery.too_late",
            format!("arrives at destination {arrive}, delivery window closes {close}"),
        ));
    }
    Ok(())
}
