//! Multi-container planning.

use wuliu_load::{check, plan_shipment, Constraints, ContainerOption, LoadConfig, ShipmentRequest};
use wuliu_model::Kg;

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

#[test]
fn heavy_items_do_not_strand_one_per_small_truck_when_the_weight_can_be_split() {
    // One big truck (40 cubes, 1 000 kg) and any number of vans (12 cubes, 300 kg). Five 200 kg
    // coils and thirty 10 kg cartons: 35 cubes, 1 300 kg. Loading the truck by volume takes all
    // cartons and three coils (33 cubes, 900 kg); the last two coils weigh 400 kg and need a van
    // each. Two containers suffice: four coils and twenty cartons in the truck (1 000 kg), one coil
    // and ten cartons in a van (300 kg).
    let mut truck = container(1000, 200, 200);
    truck.id = "truck".into();
    truck.max_payload = Some(Kg(1000.0));
    let mut van = container(300, 200, 200);
    van.id = "van".into();
    van.max_payload = Some(Kg(300.0));
    let mut coil = item("coil", [100, 100, 100], 5);
    coil.weight = Kg(200.0);
    let mut carton = item("carton", [100, 100, 100], 30);
    carton.weight = Kg(10.0);
    let req = ShipmentRequest {
        containers: vec![
            ContainerOption {
                container: truck,
                available: Some(1),
            },
            ContainerOption {
                container: van,
                available: None,
            },
        ],
        items: vec![coil, carton],
        constraints: Constraints::default(),
    };
    let plan = plan_shipment(&req, &quick()).unwrap();
    let used: Vec<&str> = plan
        .containers
        .iter()
        .map(|p| p.container.as_str())
        .collect();
    assert_eq!(used, ["truck#1", "van#1"], "{:?}", plan.unloaded);
    assert!(plan.unloaded.is_empty());
    for p in &plan.containers {
        let r = check(&req.request_for(p).unwrap(), p);
        assert!(r.ok, "{:?}", r.violations);
    }
}

#[test]
fn a_shipment_is_checked_container_by_container() {
    let req = ShipmentRequest {
        containers: vec![ContainerOption {
            container: container(400, 200, 200),
            available: None,
        }],
        items: vec![item("cube", [100, 100, 100], 20)],
        constraints: Constraints::default(),
    };
    let mut plan = plan_shipment(&req, &quick()).unwrap();
    let reports = req.check(&plan);
    assert_eq!(reports.len(), plan.containers.len());
    assert!(reports.iter().all(|r| r.ok));
    // A container that was never on offer cannot be checked against anything: it fails by name.
    plan.containers[0].container = "ghost#1".into();
    let reports = req.check(&plan);
    assert!(!reports[0].ok && reports[0].has("unknown_container"));
}
