//! Request validation: every problem reported at once, each with a code and a field path.

use std::collections::HashSet;

use wuliu_model::Violations;

use crate::error::LoadError;
use crate::model::LoadRequest;

/// Checks a request before solving; returns every problem found.
pub fn validate(req: &LoadRequest) -> Result<(), LoadError> {
    let mut v = Violations::default();
    let c = &req.container;
    v.require_text("container.id", &c.id);
    for (name, d) in [
        ("length", c.length),
        ("width", c.width),
        ("height", c.height),
    ] {
        if d == 0 {
            v.push(
                "out_of_range",
                format!("container.{name}"),
                format!("container {name} must be positive"),
            );
        }
    }
    if let Some(p) = c.max_payload {
        v.require_positive("container.max_payload", p.0, true);
    }
    if let Some(a) = c.axles {
        if a.front_x == a.rear_x {
            v.push(
                "out_of_range",
                "container.axles",
                "front and rear axle positions must differ",
            );
        }
        v.require_positive("container.axles.front_max", a.front_max.0, true);
        v.require_positive("container.axles.rear_max", a.rear_max.0, true);
    }
    let mut ids = HashSet::new();
    for (k, it) in req.items.iter().enumerate() {
        let f = |s: &str| format!("items[{k}].{s}");
        v.require_text(&f("id"), &it.id);
        if !ids.insert(it.id.as_str()) {
            v.push(
                "duplicate",
                f("id"),
                format!("item id `{}` is used twice", it.id),
            );
        }
        for (name, d) in [
            ("length", it.length),
            ("width", it.width),
            ("height", it.height),
        ] {
            if d == 0 {
                v.push(
                    "out_of_range",
                    f(name),
                    format!("item {name} must be positive"),
                );
            }
        }
        v.require_positive(&f("weight"), it.weight.0, true);
        if let Some(m) = it.max_load_on_top {
            v.require_positive(&f("max_load_on_top"), m.0, true);
        }
        let o = it.orientations;
        if !(o.length_vertical || o.width_vertical || o.height_vertical) {
            v.push(
                "no_orientation",
                f("orientations"),
                "at least one side must be allowed to stand vertical",
            );
        }
    }
    let k = &req.constraints;
    if let Some(s) = k.support {
        if !(s > 0.0 && s <= 1.0) {
            v.push(
                "out_of_range",
                "constraints.support",
                "support share must be in (0, 1]",
            );
        }
    }
    if let Some(e) = &k.centre_of_gravity {
        let ok = |r: [f64; 2]| r[0] >= 0.0 && r[0] <= r[1] && r[1] <= 1.0;
        if !(ok(e.x) && ok(e.y) && e.z_max > 0.0 && e.z_max <= 1.0) {
            v.push(
                "out_of_range",
                "constraints.centre_of_gravity",
                "envelope shares must lie in [0, 1], low ≤ high",
            );
        }
    }
    v.into_result().map_err(LoadError::Invalid)
}
