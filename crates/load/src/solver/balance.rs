//! Centre-of-gravity and axle-load repair: removes top items (nothing rests on them, so support,
//! load-bearing and multi-drop stay valid) from the heavy side until the load is balanced.

use crate::model::{CogEnvelope, Container};
use crate::plan::Placement;

/// How far the load is from balanced (0 when balanced), and the direction to move the centre of
/// gravity (-1, 0, +1 per axis).
fn imbalance(
    c: &Container,
    env: Option<&CogEnvelope>,
    axles: bool,
    items: &[(Placement, f64)],
) -> (f64, [f64; 3]) {
    let w: f64 = items.iter().map(|(_, w)| w).sum();
    if w <= 0.0 {
        return (0.0, [0.0; 3]);
    }
    let mut g = [0.0; 3];
    for (p, wi) in items {
        for (a, ga) in g.iter_mut().enumerate() {
            *ga += wi * (f64::from(p.position[a]) + f64::from(p.size[a]) / 2.0);
        }
    }
    let g = g.map(|v| v / w);
    let lim = [f64::from(c.length), f64::from(c.width), f64::from(c.height)];
    let mut bad = 0.0;
    let mut dir = [0.0; 3];
    if let Some(e) = env {
        let ranges = [e.x, e.y, [0.0, e.z_max]];
        for a in 0..3 {
            let (lo, hi) = (ranges[a][0] * lim[a], ranges[a][1] * lim[a]);
            if g[a] < lo - 1e-6 {
                bad += lo - g[a];
                dir[a] = 1.0;
            } else if g[a] > hi + 1e-6 {
                bad += g[a] - hi;
                dir[a] = -1.0;
            }
        }
    }
    if let (true, Some(ax)) = (axles, c.axles) {
        let span = (ax.rear_x - ax.front_x) as f64;
        let rear = w * (g[0] - ax.front_x as f64) / span;
        let front = w - rear;
        if rear > ax.rear_max.0 + 1e-6 {
            bad += (rear - ax.rear_max.0) * span.abs() / w;
            dir[0] = -span.signum();
        } else if front > ax.front_max.0 + 1e-6 {
            bad += (front - ax.front_max.0) * span.abs() / w;
            dir[0] = span.signum();
        }
    }
    (bad, dir)
}

/// Removes items until balanced; returns the removed ones.
pub(crate) fn repair(
    c: &Container,
    env: Option<&CogEnvelope>,
    axles: bool,
    items: &mut Vec<(Placement, f64)>,
) -> Vec<Placement> {
    let mut removed = Vec::new();
    loop {
        let (bad, dir) = imbalance(c, env, axles, items);
        if bad <= 0.0 || items.is_empty() {
            break;
        }
        // Top items: nothing rests on them.
        let top = |k: usize| {
            let (p, _) = &items[k];
            let m = p.max();
            !items.iter().any(|(q, _)| {
                q.position[2] == m[2]
                    && q.position[0] < m[0]
                    && p.position[0] < q.max()[0]
                    && q.position[1] < m[1]
                    && p.position[1] < q.max()[1]
            })
        };
        let score = |k: usize| {
            let (p, w) = &items[k];
            let centre = [0, 1, 2].map(|a| f64::from(p.position[a]) + f64::from(p.size[a]) / 2.0);
            // Removing weight on the side opposite to `dir` moves the centre towards `dir`.
            -w * (0..3).map(|a| dir[a] * centre[a]).sum::<f64>()
        };
        let pick = (0..items.len())
            .filter(|&k| top(k) && items[k].1 > 0.0)
            .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)));
        match pick {
            Some(k) => removed.push(items.remove(k).0),
            None => break,
        }
    }
    removed
}
