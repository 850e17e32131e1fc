//! Rule `education`: when the demand sets a minimum education level, the graduates, programme or
//! teachers offered reach it. A lab has no level and passes; other supply without a stated level
//! fails (the demand's minimum cannot be confirmed).

use super::{Reason, TalentPair, TalentRule};
use crate::talent::input::SupplyKind;

/// Fails when the supply's level is below the demand's minimum, or unstated.
pub fn check(p: &TalentPair) -> Result<(), Reason> {
    let Some(min) = p.demand.post.min_education else {
        return Ok(());
    };
    if p.supply.post.kind == SupplyKind::Lab {
        return Ok(());
    }
    match p.supply.post.education {
        Some(level) if level >= min => Ok(()),
        Some(level) => Err(Reason::new(
            TalentRule::Education,
            "education.below",
            format!("needs {} or above; offers {}", min.name(), level.name()),
        )),
        None => Err(Reason::new(
            TalentRule::Education,
            "education.unstated",
            format!("needs {} or above; the supply states no level", min.name()),
        )),
    }
}
