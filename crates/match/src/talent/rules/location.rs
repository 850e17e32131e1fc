//! Rule `location`: for on-site work with a reach (`on_site` and `max_km`), the supply is within
//! `max_km` straight-line kilometres of the demand's place. Without both points, only the same
//! county-level division passes (the distance cannot be measured otherwise).

use super::{proximity, Proximity, Reason, TalentPair, TalentRule};

/// Fails when on-site work is out of the demand's reach, or the reach cannot be confirmed.
pub fn check(p: &TalentPair) -> Result<(), Reason> {
    let d = &p.demand.post;
    let Some(max) = d.max_km.filter(|_| d.on_site) else {
        return Ok(());
    };
    match proximity(&d.location, &p.supply.post.location) {
        Proximity::Km(km) if km <= max => Ok(()),
        Proximity::Km(km) => Err(Reason::new(
            TalentRule::Location,
            "location.too_far",
            format!("on-site within {max:.0} km; the supply is {km:.1} km away"),
        )),
        Proximity::SameCounty => Ok(()),
        _ => Err(Reason::new(
            TalentRule::Location,
            "location.unknown",
            format!(
                "on-site within {max:.0} km; the places have no points to measure and are not in the same county"
            ),
        )),
    }
}
