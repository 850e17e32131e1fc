//! Rule `refrigeration`: for cold-chain cargo the refrigeration unit holds the whole required range.

use wuliu_model::CargoClass;

use super::{Pair, Reason, RuleName};

/// Fails when a cold-chain load's temperature range is not covered by the vehicle's unit.
pub fn check(p: &Pair) -> Result<(), Reason> {
    let CargoClass::ColdChain { temperature } = &p.load.cargo else {
        return Ok(());
    };
    match &p.vehicle.vehicle.refrigeration {
        None => Err(Reason::new(
            RuleName::Refrigeration,
            "refrigeration.missing",
            format!(
                "load needs {}..{} °C, vehicle has no refrigeration unit",
                temperature.min.0, temperature.max.0
            ),
        )),
        Some(r) if !r.covers(temperature) => Err(Reason::new(
            RuleName::Refrigeration,
            "refrigeration.range",
            format!(
                "load needs {}..{} °C, unit holds {}..{} °C",
                temperature.min.0, temperature.max.0, r.min.0, r.max.0
            ),
        )),
        Some(_) => Ok(()),
    }
}
