//! Rule `capacity`: the load's weight and volume fit the vehicle's rated load and cargo volume.

use super::{Pair, Reason, RuleName};

/// Fails when the load is heavier than the rated load or bulkier than the cargo volume.
pub fn check(p: &Pair) -> Result<(), Reason> {
    let (l, v) = (p.load, &p.vehicle.vehicle);
    if l.weight.0 > v.rated_load.0 {
        return Err(Reason::new(
            RuleName::Capacity,
            "capacity.weight",
            format!(
                "load weighs {} kg, vehicle rated for {} kg",
                l.weight.0, v.rated_load.0
            ),
        ));
    }
    if l.volume.0 > v.cargo_volume.0 {
        return Err(Reason::new(
            RuleName::Capacity,
            "capacity.volume",
            format!(
                "load is {} m³, cargo space {} m³",
                l.volume.0, v.cargo_volume.0
            ),
        ));
    }
    Ok(())
}
