//! Payload, centre of gravity and axle loads.

use super::{Resolved, Sink};
use crate::model::{CogEnvelope, Container};

/// Weight-weighted centre of the placements, or `None` when they weigh nothing.
pub(crate) fn centre_of_gravity(items: &[Resolved<'_>]) -> Option<(f64, [f64; 3])> {
    let mut w = 0.0;
    let mut m = [0.0; 3];
    for r in items {
        let wi = r.spec.weight.0;
        w += wi;
        for (a, ma) in m.iter_mut().enumerate() {
            *ma += wi * (f64::from(r.p.position[a]) + f64::from(r.p.size[a]) / 2.0);
        }
    }
    (w > 0.0).then(|| (w, m.map(|v| v / w)))
}

/// Total weight within the payload.
pub(crate) fn check_weight(c: &Container, items: &[Resolved<'_>], sink: &mut Sink) {
    if let Some(max) = c.max_payload {
        let w: f64 = items.iter().map(|r| r.spec.weight.0).sum();
        if w > max.0 + 1e-9 {
            sink.push(
                "weight_limit",
                Vec::new(),
                format!("load weighs {w:.2} kg, payload is {:.2} kg", max.0),
            );
        }
    }
}

/// Centre of gravity within the envelope.
pub(crate) fn check_cog(c: &Container, env: &CogEnvelope, items: &[Resolved<'_>], sink: &mut Sink) {
    let Some((_, g)) = centre_of_gravity(items) else {
        return;
    };
    let (l, w, h) = (f64::from(c.length), f64::from(c.width), f64::from(c.height));
    let eps = 1e-6;
    let bad_x = g[0] < env.x[0] * l - eps || g[0] > env.x[1] * l + eps;
    let bad_y = g[1] < env.y[0] * w - eps || g[1] > env.y[1] * w + eps;
    let bad_z = g[2] > env.z_max * h + eps;
    if bad_x || bad_y || bad_z {
        sink.push(
            "centre_of_gravity",
            Vec::new(),
            format!(
                "centre of gravity ({:.0}, {:.0}, {:.0}) mm is outside x {:?}·{l}, y {:?}·{w}, z ≤ {}·{h}",
                g[0], g[1], g[2], env.x, env.y, env.z_max
            ),
        );
    }
}

/// Axle loads (lever rule on the centre of gravity) within limits.
pub(crate) fn check_axles(c: &Container, items: &[Resolved<'_>], sink: &mut Sink) {
    let (Some(ax), Some((w, g))) = (c.axles, centre_of_gravity(items)) else {
        return;
    };
    let (front, rear) = axle_loads(ax.front_x, ax.rear_x, w, g[0]);
    if front > ax.front_max.0 + 1e-6 || rear > ax.rear_max.0 + 1e-6 {
        sink.push(
            "axle_load",
            Vec::new(),
            format!(
                "axle loads front {front:.1} kg (max {:.1}), rear {rear:.1} kg (max {:.1})",
                ax.front_max.0, ax.rear_max.0
            ),
        );
    }
}

/// Front and rear axle shares of weight `w` whose centre is at `x` (lever rule).
pub(crate) fn axle_loads(front_x: i64, rear_x: i64, w: f64, x: f64) -> (f64, f64) {
    let span = (rear_x - front_x) as f64;
    let rear = w * (x - front_x as f64) / span;
    (w - rear, rear)
}
