//! Rule `declined`: the vehicle's carrier has not declined the load (拒单). A declined pair is
//! never offered again, in batch matching or in suggestions.

use super::{Pair, Reason, RuleName};

/// Fails when the vehicle is in the load's `declined_by` list.
pub fn check(p: &Pair) -> Result<(), Reason> {
    if p.load.declined_by.contains(&p.vehicle.id) {
        return Err(Reason::new(
            RuleName::Declined,
            "declined.by_carrier",
            format!(
                "the carrier of vehicle {} declined this load",
                p.vehicle.id.as_str()
            ),
        ));
    }
    Ok(())
}
