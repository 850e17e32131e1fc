//! Support (share of the base resting on the floor or on items) and load-bearing limits.

use super::{footprint_overlap, Resolved, Sink};

/// Direct contacts: for each placement, the placements whose top touches its base, with contact area.
pub(crate) fn contacts_below(items: &[Resolved<'_>]) -> Vec<Vec<(usize, u64)>> {
    let mut below = vec![Vec::new(); items.len()];
    for (i, a) in items.iter().enumerate() {
        if a.p.position[2] == 0 {
            continue;
        }
        for (j, b) in items.iter().enumerate() {
            if i != j && b.p.max()[2] == a.p.position[2] {
                let area = footprint_overlap(a.p, b.p);
                if area > 0 {
                    below[i].push((j, area));
                }
            }
        }
    }
    below
}

/// Each item above the floor must rest on items covering at least `share` of its base.
pub(crate) fn check_support(items: &[Resolved<'_>], share: f64, sink: &mut Sink) {
    let below = contacts_below(items);
    for (i, r) in items.iter().enumerate() {
        if r.p.position[2] == 0 {
            continue;
        }
        let base = u64::from(r.p.size[0]) * u64::from(r.p.size[1]);
        let supported: u64 = below[i].iter().map(|&(_, a)| a).sum();
        if (supported as f64) < share * base as f64 - 1e-6 {
            let mut ids = vec![i];
            ids.extend(below[i].iter().map(|&(j, _)| j));
            sink.push(
                "support",
                ids,
                format!(
                    "placement {i} ({}) has {:.1} % of its base supported, {:.1} % required",
                    r.spec.id,
                    100.0 * supported as f64 / base.max(1) as f64,
                    100.0 * share
                ),
            );
        }
    }
}

/// No item carries more than its limit, and nothing rests on a non-stackable item.
///
/// Each item's own weight plus what it carries is shared among the items below it in proportion to
/// the contact areas; loads are accumulated from the top down.
pub(crate) fn check_load_bearing(items: &[Resolved<'_>], sink: &mut Sink) {
    let below = contacts_below(items);
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(items[k].p.position[2]));
    let mut carried = vec![0.0f64; items.len()];
    for &i in &order {
        let total: u64 = below[i].iter().map(|&(_, a)| a).sum();
        if total == 0 {
            continue;
        }
        let w = items[i].spec.weight.0 + carried[i];
        for &(j, a) in &below[i] {
            carried[j] += w * a as f64 / total as f64;
        }
    }
    for (j, r) in items.iter().enumerate() {
        let on_top: Vec<usize> = (0..items.len())
            .filter(|&i| below[i].iter().any(|&(b, _)| b == j))
            .collect();
        if !r.spec.stackable && !on_top.is_empty() {
            let mut ids = vec![j];
            ids.extend(on_top.iter().copied());
            sink.push(
                "not_stackable",
                ids,
                format!(
                    "placement {j} ({}) is not stackable but carries items",
                    r.spec.id
                ),
            );
        }
        if let Some(limit) = r.spec.max_load_on_top {
            if carried[j] > limit.0 + 1e-9 {
                sink.push(
                    "load_bearing",
                    vec![j],
                    format!(
                        "placement {j} ({}) carries {:.2} kg, limit {:.2} kg",
                        r.spec.id, carried[j], limit.0
                    ),
                );
            }
        }
    }
}
