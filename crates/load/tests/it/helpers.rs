//! Shared builders and the "solve then check" helper.

use wuliu_load::{
    check, solve, Constraints, Container, ItemSpec, LoadConfig, LoadPlan, LoadRequest, Orientation,
    Placement,
};

pub fn container(l: u32, w: u32, h: u32) -> Container {
    Container {
        id: "c".into(),
        length: l,
        width: w,
        height: h,
        max_payload: None,
        door: Default::default(),
        axles: None,
    }
}

pub fn item(id: &str, dims: [u32; 3], qty: u32) -> ItemSpec {
    let mut it = ItemSpec::new(id, dims[0], dims[1], dims[2]);
    it.quantity = qty;
    it
}

pub fn request(c: Container, items: Vec<ItemSpec>, constraints: Constraints) -> LoadRequest {
    LoadRequest {
        container: c,
        items,
        constraints,
    }
}

/// A reproducible, quick config: a few beam passes, a generous time cap.
pub fn quick() -> LoadConfig {
    LoadConfig {
        time_limit_s: 20.0,
        max_passes: Some(3),
        ..LoadConfig::default()
    }
}

/// Solves and asserts that the independent checker accepts the plan.
pub fn solve_checked(req: &LoadRequest, cfg: &LoadConfig) -> LoadPlan {
    let plan = solve(req, cfg).expect("valid request");
    let report = check(req, &plan);
    assert!(
        report.ok,
        "checker rejected the plan: {:#?}",
        report.violations
    );
    assert_eq!(report.loaded_volume, plan.stats.loaded_volume);
    plan
}

/// An upright placement of `item` copy `copy` at `pos`.
pub fn put(req: &LoadRequest, item: &str, copy: u32, pos: [u32; 3]) -> Placement {
    let spec = req.items.iter().find(|i| i.id == item).expect("item");
    Placement {
        item: item.into(),
        copy,
        position: pos,
        size: spec.dims(),
        orientation: Orientation::Lwh,
    }
}

pub fn plan_of(placements: Vec<Placement>) -> LoadPlan {
    LoadPlan {
        container: "c".into(),
        placements,
        steps: Vec::new(),
        unloaded: Vec::new(),
        stats: wuliu_load::PlanStats {
            items_loaded: 0,
            items_unloaded: 0,
            loaded_volume: 0,
            container_volume: 0,
            utilisation: 0.0,
            loaded_weight: wuliu_model::Kg(0.0),
            centre_of_gravity: None,
            elapsed_ms: 0,
            passes: 0,
        },
    }
}
