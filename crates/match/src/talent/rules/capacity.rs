//! Rule `capacity`: the supply offers at least the fewest people the demand takes from one
//! supplier (`min_headcount`, default 1). A supply smaller than the whole headcount still
//! matches; the score's `headcount` criterion counts how much of it is covered.

use super::{Reason, TalentPair, TalentRule};

/// The fewest people the demand takes from one supplier.
pub fn min_take(p: &TalentPair) -> u32 {
    p.demand.post.min_headcount.unwrap_or(1)
}

/// Fails when the supply offers fewer than the demand's minimum per supplier.
pub fn check(p: &TalentPair) -> Result<(), Reason> {
    let (min, cap) = (min_take(p), p.supply.post.capacity);
    if cap >= min {
        return Ok(());
    }
    Err(Reason::new(
        TalentRule::Capacity,
        "capacity.short",
        format!(
            "the demand takes at least {min} from one supplier (of {} wanted); this supply offers {cap}",
            p.demand.post.headcount
        ),
    ))
}
