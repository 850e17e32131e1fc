//! Multi-container planning.

use wuliu_load::{check, plan_shipment, Constraints, ContainerOption, LoadConfig, ShipmentRequest};

use crate::helpers::*;

#[test]
fn spreads_items_over_containers_and_each_passes_the_checker() {
    let req = ShipmentRequest {
        containers: vec![ContainerOption {
            container: container(400, 200, 200),
            available: None,
        }],
        // 40 boxes of 100×100×100: 16 fit per container, so three containers.
        items: vec![item("cube", [100, 100, 100], 40)],
        constraints: Constraints::default(),
    };
    let cfg = LoadConfig {
        max_passes: Some(2),
        time_limit_s: 20.0,
        ..LoadConfig::default()
    };
    let plan = plan_shipment(&req, &cfg).unwrap();
    assert_eq!(plan.containers.len(), 3);
    assert!(plan.unloaded.is_empty());
    let loaded: usize = plan.containers.iter().map(|p| p.placements.len()).sum();
    assert_eq!(loaded, 40);
    let mut copies: Vec<u32> = plan
        .containers
        .iter()
        .flat_map(|p| p.placements.iter().map(|x| x.copy))
        .collect();
    copies.sort_unstable();
    assert_eq!(
        copies,
        (0..40).collect::<Vec<_>>(),
        "copy numbers unique across containers"
    );
    for p in &plan.containers {
        let sub = req.request_for(p).unwrap();
        let r = check(&sub, p);
        assert!(r.ok, "{:?}", r.violations);
    }
}

#[test]
fn reports_what_no_container_takes() {
    let req = ShipmentRequest {
        containers: vec![ContainerOption {
            container: container(400, 200, 200),
            available: Some(1),
        }],
        items: vec![
            item("cube", [100, 100, 100], 20),
            item("pipe", [900, 10, 10], 1),
        ],
        constraints: Constraints::default(),
    };
    let plan = plan_shipment(&req, &quick()).unwrap();
    assert_eq!(plan.containers.len(), 1);
    let left: u32 = plan.unloaded.iter().map(|u| u.quantity).sum();
    assert_eq!(left, 5);
    assert!(plan.unloaded.iter().any(|u| u.item == "pipe"));
}
