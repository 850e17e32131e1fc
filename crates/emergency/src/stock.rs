//! Lots seen from a later plan, and taking stock first-expiry-first: shared by the drill and
//! re-planning.

use crate::model::Lot;

const DAY: f64 = 86_400.0;

/// The lots left as seen from a plan made at `t`: expiry days counted from then (rounded down,
/// so never later than the truth), lots that are out or expired by then left out.
pub(crate) fn lots_at(lots: &[Lot], t: u64) -> Vec<Lot> {
    lots.iter()
        .filter(|l| l.quantity > 0)
        .filter_map(|l| match l.expires_day {
            None => Some(l.clone()),
            Some(e) => {
                let days = ((e as f64 * DAY - t as f64) / DAY).floor();
                (days >= 1.0).then(|| Lot {
                    expires_day: Some(days as u32),
                    ..l.clone()
                })
            }
        })
        .collect()
}

/// Takes `quantity` of `item` from the lots still good at `arrives_s`, first expiry first.
pub(crate) fn take_fefo(lots: &mut [Lot], item: &str, mut quantity: u64, arrives_s: f64) {
    let mut usable: Vec<usize> = (0..lots.len())
        .filter(|&i| lots[i].item == item && lots[i].quantity > 0)
        .filter(|&i| {
            lots[i]
                .expires_day
                .is_none_or(|e| arrives_s < e as f64 * DAY)
        })
        .collect();
    usable.sort_by_key(|&i| lots[i].expires_day.unwrap_or(u32::MAX));
    for i in usable {
        let take = quantity.min(lots[i].quantity);
        lots[i].quantity -= take;
        quantity -= take;
        if quantity == 0 {
            break;
        }
    }
}
