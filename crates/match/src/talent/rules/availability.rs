//! Rule `availability`: the supply's availability overlaps the time the demand needs it
//! (`start`..`end` against `available_from`..`available_until`; an absent end is open).

use super::{Reason, TalentPair, TalentRule};

/// Fails when the supply becomes available only after the demand ends, or stops before it
/// starts.
pub fn check(p: &TalentPair) -> Result<(), Reason> {
    let (d, s) = (&p.demand.post, &p.supply.post);
    if let Some(end) = d.end {
        if s.available_from > end {
            return Err(Reason::new(
                TalentRule::Availability,
                "availability.too_late",
                format!(
                    "needed {} to {end}; available only from {}",
                    d.start, s.available_from
                ),
            ));
        }
    }
    if let Some(until) = s.available_until {
        if until < d.start {
            return Err(Reason::new(
                TalentRule::Availability,
                "availability.ended",
                format!("needed from {}; available only until {until}", d.start),
            ));
        }
    }
    Ok(())
}
