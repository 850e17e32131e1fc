//! Multi-drop order: an earlier stop's items must be reachable from the door.

use super::{overlap, Resolved, Sink};
use crate::model::Door;

/// Whether `blocker` stands between `item` and the door (it lies entirely door-wards of `item` and
/// their projections on the door plane overlap).
pub(crate) fn blocks(
    door: Door,
    item: ([u32; 3], [u32; 3]),
    blocker: ([u32; 3], [u32; 3]),
) -> bool {
    let (lo, hi) = item;
    let (blo, bhi) = blocker;
    let (depth, a, b) = match door {
        Door::Rear => (0, 1, 2),
        Door::Side => (1, 0, 2),
    };
    blo[depth] >= hi[depth]
        && overlap(lo[a], hi[a], blo[a], bhi[a]) > 0
        && overlap(lo[b], hi[b], blo[b], bhi[b]) > 0
}

/// No item of a later stop blocks an item of an earlier stop.
pub(crate) fn check_multi_drop(door: Door, items: &[Resolved<'_>], sink: &mut Sink) {
    for (i, a) in items.iter().enumerate() {
        for (j, b) in items.iter().enumerate() {
            if b.spec.stop > a.spec.stop
                && blocks(door, (a.p.position, a.p.max()), (b.p.position, b.p.max()))
            {
                sink.push(
                    "multi_drop",
                    vec![i, j],
                    format!(
                        "placement {j} ({}, stop {}) blocks placement {i} ({}, stop {}) from the door",
                        b.spec.id, b.spec.stop, a.spec.id, a.spec.stop
                    ),
                );
            }
        }
    }
}
