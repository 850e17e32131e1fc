//! Rule `delivery_window`: after loading and the loaded drive, the goods arrive before the
//! delivery window closes.

use super::{Pair, Reason, RuleName, Timing, VehicleState};

/// Fails when the arrival at the destination is after the delivery window ends.
pub fn check(p: &Pair, _s: &VehicleState, t: &Timing) -> Result<(), Reason> {
    if t.arrive_delivery > p.load.delivery_window.end {
        return Err(Reason::new(
            RuleName::DeliveryWindow,
            "delivery.too_late",
            format!(
                "arrives at destination {}, delivery window closes {}",
                t.arrive_delivery.format("%H:%M"),
                p.load.delivery_window.end.format("%H:%M")
            ),
        ));
    }
    Ok(())
}
