//! Identity, size, orientation, containment and non-overlap checks.

use std::collections::HashMap;

use super::{overlap, Resolved, Sink};
use crate::model::{Container, LoadRequest};
use crate::plan::LoadPlan;

/// Maps each placement to its item line; reports unknown items and surplus copies.
pub(crate) fn resolve<'a>(
    request: &'a LoadRequest,
    plan: &'a LoadPlan,
    sink: &mut Sink,
) -> Option<Vec<Resolved<'a>>> {
    let by_id: HashMap<&str, &crate::ItemSpec> =
        request.items.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut copies: HashMap<(&str, u32), usize> = HashMap::new();
    let mut used: HashMap<&str, u32> = HashMap::new();
    let mut out = Vec::with_capacity(plan.placements.len());
    let mut bad = false;
    for (k, p) in plan.placements.iter().enumerate() {
        let Some(spec) = by_id.get(p.item.as_str()) else {
            sink.push(
                "unknown_item",
                vec![k],
                format!("placement {k} refers to unknown item `{}`", p.item),
            );
            bad = true;
            continue;
        };
        let n = used.entry(spec.id.as_str()).or_default();
        *n += 1;
        if p.copy >= spec.quantity || *n > spec.quantity {
            sink.push(
                "too_many_copies",
                vec![k],
                format!(
                    "item `{}` copy {} placed, but its quantity is {}",
                    spec.id, p.copy, spec.quantity
                ),
            );
        }
        if let Some(prev) = copies.insert((spec.id.as_str(), p.copy), k) {
            sink.push(
                "too_many_copies",
                vec![prev, k],
                format!("item `{}` copy {} placed twice", spec.id, p.copy),
            );
        }
        out.push(Resolved { p, spec });
    }
    (!bad).then_some(out)
}

/// Each placement's size must be its item's dimensions, turned by its orientation (and allowed).
pub(crate) fn check_sizes(items: &[Resolved<'_>], orientations: bool, sink: &mut Sink) {
    for (k, r) in items.iter().enumerate() {
        if r.p.orientation.apply(r.spec.dims()) != r.p.size {
            sink.push(
                "size_mismatch",
                vec![k],
                format!(
                    "placement {k}: size {:?} is not item `{}` {:?} turned {:?}",
                    r.p.size,
                    r.spec.id,
                    r.spec.dims(),
                    r.p.orientation
                ),
            );
        }
        if orientations && !r.spec.allows(r.p.orientation) {
            sink.push(
                "orientation",
                vec![k],
                format!(
                    "placement {k}: item `{}` may not stand as {:?}",
                    r.spec.id, r.p.orientation
                ),
            );
        }
    }
}

/// Every placement lies inside the container.
pub(crate) fn check_inside(c: &Container, items: &[Resolved<'_>], sink: &mut Sink) {
    let lim = [c.length, c.width, c.height];
    for (k, r) in items.iter().enumerate() {
        let m = r.p.max();
        if (0..3).any(|a| u64::from(r.p.position[a]) + u64::from(r.p.size[a]) > u64::from(lim[a]))
            || m.iter().zip(r.p.position).any(|(&hi, lo)| hi < lo)
        {
            sink.push(
                "outside",
                vec![k],
                format!(
                    "placement {k} ({}) reaches {:?}, beyond the container {:?}",
                    r.spec.id, m, lim
                ),
            );
        }
    }
}

/// No two placements share volume. Sweeps along x, so it costs O(n log n + overlapping pairs).
pub(crate) fn check_overlap(items: &[Resolved<'_>], sink: &mut Sink) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&k| items[k].p.position[0]);
    for (i, &a) in order.iter().enumerate() {
        let pa = items[a].p;
        let ma = pa.max();
        for &b in &order[i + 1..] {
            let pb = items[b].p;
            if pb.position[0] >= ma[0] {
                break;
            }
            let mb = pb.max();
            let vol = (0..3)
                .map(|ax| overlap(pa.position[ax], ma[ax], pb.position[ax], mb[ax]))
                .product::<u64>();
            if vol > 0 {
                sink.push(
                    "overlap",
                    vec![a.min(b), a.max(b)],
                    format!(
                        "placements {a} ({}) and {b} ({}) overlap by {vol} mm³",
                        items[a].spec.id, items[b].spec.id
                    ),
                );
            }
        }
    }
}
