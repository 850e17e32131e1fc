//! The diffusion arithmetic, the composite and the weights.

use super::*;

fn unit(name: &str, previous: Option<f64>, current: Option<f64>) -> UnitChange {
    UnitChange {
        unit: name.to_string(),
        previous,
        current,
    }
}

fn moved(n: usize, from: f64, to: f64) -> Vec<UnitChange> {
    (0..n)
        .map(|i| unit(&format!("u{i}"), Some(from), Some(to)))
        .collect()
}

fn one(key: ComponentKey, units: Vec<UnitChange>) -> ComponentValue {
    let index = compute(&[ComponentInput { key, units }], &IndexConfig::default()).unwrap();
    index.components.into_iter().find(|c| c.key == key).unwrap()
}

#[test]
fn weights_sum_to_one_and_keys_are_unique() {
    let sum: f64 = COMPONENTS.iter().map(|c| c.weight).sum();
    assert!((sum - 1.0).abs() < 1e-12, "weights sum to {sum}");
    let keys: BTreeSet<_> = COMPONENTS.iter().map(|c| c.key).collect();
    assert_eq!(keys.len(), 6);
    assert_eq!(ComponentKey::DeliveryTime.def().name_zh, "配送时间");
}

#[test]
fn all_up_is_100_all_down_is_0_all_same_is_50() {
    let k = ComponentKey::BusinessVolume;
    assert_eq!(one(k, moved(4, 100.0, 110.0)).value, 100.0);
    assert_eq!(one(k, moved(4, 100.0, 90.0)).value, 0.0);
    assert_eq!(one(k, moved(4, 100.0, 100.5)).value, 50.0);
}

#[test]
fn mixed_counts_follow_the_formula() {
    // 12 up, 3 same, 5 down: 100 × (12 + 1.5) / 20 = 67.5.
    let mut units = moved(12, 100.0, 120.0);
    units.extend((0..3).map(|i| unit(&format!("s{i}"), Some(50.0), Some(50.0))));
    units.extend((0..5).map(|i| unit(&format!("d{i}"), Some(50.0), Some(10.0))));
    let c = one(ComponentKey::NewOrders, units);
    assert_eq!((c.up, c.same, c.down, c.units), (12, 3, 5, 20));
    assert!((c.value - 67.5).abs() < 1e-12);
    assert!(!c.no_data);
}

#[test]
fn the_tolerance_is_relative_and_strict() {
    let def = ComponentKey::BusinessVolume.def();
    assert_eq!(
        classify(def, Some(100.0), Some(101.0), 0.01),
        Some(Movement::Same)
    );
    assert_eq!(
        classify(def, Some(100.0), Some(101.5), 0.01),
        Some(Movement::Up)
    );
    assert_eq!(
        classify(def, Some(100.0), Some(98.5), 0.01),
        Some(Movement::Down)
    );
    assert_eq!(
        classify(def, Some(0.0), Some(0.1), 0.01),
        Some(Movement::Up)
    );
    assert_eq!(
        classify(def, Some(0.0), Some(0.0), 0.01),
        Some(Movement::Same)
    );
}

#[test]
fn delivery_time_up_means_faster() {
    let c = one(ComponentKey::DeliveryTime, moved(3, 10.0, 8.0));
    assert_eq!((c.up, c.down, c.value), (3, 0, 100.0));
    let slower = one(ComponentKey::DeliveryTime, moved(3, 8.0, 10.0));
    assert_eq!(slower.value, 0.0);
}

#[test]
fn new_and_gone_units_count_for_quantities_only() {
    let units = vec![
        unit("new", None, Some(5.0)),
        unit("gone", Some(5.0), None),
        unit("none", None, None),
    ];
    let volume = one(ComponentKey::WarehouseThroughput, units.clone());
    assert_eq!(
        (volume.up, volume.down, volume.units, volume.skipped),
        (1, 1, 2, 1)
    );
    let rate = one(ComponentKey::VehicleUtilisation, units);
    assert_eq!(
        (rate.units, rate.skipped, rate.no_data, rate.value),
        (0, 3, true, 50.0)
    );
}

#[test]
fn composite_is_the_weighted_mean_of_components_with_data() {
    let inputs = vec![
        ComponentInput {
            key: ComponentKey::BusinessVolume,
            units: moved(2, 1.0, 2.0),
        },
        ComponentInput {
            key: ComponentKey::DeliveryTime,
            units: moved(2, 1.0, 2.0),
        },
    ];
    let index = compute(&inputs, &IndexConfig::default()).unwrap();
    assert_eq!(index.components.len(), 6);
    // Business volume 100 (weight 0.25), delivery time 0 (slower, weight 0.10); others no data.
    assert!((index.composite - 100.0 * 0.25 / 0.35).abs() < 1e-9);
    assert_eq!(index.components.iter().filter(|c| c.no_data).count(), 4);
    assert!(index.has_data());
}

#[test]
fn composite_with_every_component_is_the_plain_weighted_mean() {
    let inputs: Vec<_> = COMPONENTS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            // i units up and one unit down: 100 × i / (i + 1).
            let mut units = moved(i, 10.0, if d.lower_is_better { 5.0 } else { 20.0 });
            units.push(unit(
                "down",
                Some(10.0),
                Some(if d.lower_is_better { 20.0 } else { 5.0 }),
            ));
            ComponentInput { key: d.key, units }
        })
        .collect();
    let index = compute(&inputs, &IndexConfig::default()).unwrap();
    let expected: f64 = COMPONENTS
        .iter()
        .enumerate()
        .map(|(i, d)| d.weight * 100.0 * i as f64 / (i as f64 + 1.0))
        .sum();
    assert!(
        (index.composite - expected).abs() < 1e-9,
        "{} vs {expected}",
        index.composite
    );
}

#[test]
fn no_input_gives_neutral_no_data() {
    let index = compute(&[], &IndexConfig::default()).unwrap();
    assert_eq!(index.composite, 50.0);
    assert!(!index.has_data());
    let json = serde_json::to_value(&index).unwrap();
    assert_eq!(json["components"][0]["key"], "business_volume");
    assert_eq!(json["components"][0]["no_data"], true);
}

#[test]
fn nonsense_input_is_rejected() {
    let dup = vec![
        ComponentInput {
            key: ComponentKey::NewOrders,
            units: vec![],
        },
        ComponentInput {
            key: ComponentKey::NewOrders,
            units: vec![],
        },
    ];
    assert_eq!(
        compute(&dup, &IndexConfig::default()),
        Err(IndexError::DuplicateComponent(ComponentKey::NewOrders))
    );
    let twice = vec![ComponentInput {
        key: ComponentKey::NewOrders,
        units: [moved(1, 1.0, 2.0), moved(1, 1.0, 2.0)].concat(),
    }];
    assert!(matches!(
        compute(&twice, &IndexConfig::default()),
        Err(IndexError::DuplicateUnit { .. })
    ));
    let nan = vec![ComponentInput {
        key: ComponentKey::NewOrders,
        units: vec![unit("x", Some(f64::NAN), Some(1.0))],
    }];
    assert!(matches!(
        compute(&nan, &IndexConfig::default()),
        Err(IndexError::NotFinite { .. })
    ));
    assert!(compute(&[], &IndexConfig { tolerance: -0.1 }).is_err());
}

#[test]
fn config_and_input_deserialise_from_json() {
    let cfg: IndexConfig = serde_json::from_str("{}").unwrap();
    assert_eq!(cfg.tolerance, 0.01);
    let input: ComponentInput = serde_json::from_value(serde_json::json!({
        "key": "delivery_time", "units": [{"unit": "c1", "previous": 10.0, "current": null}]
    }))
    .unwrap();
    assert_eq!(input.key, ComponentKey::DeliveryTime);
}

#[test]
fn method_texts_name_the_weights() {
    for w in ["0.25", "0.20", "0.15", "0.10"] {
        assert!(METHOD_ZH.contains(w) && METHOD_EN.contains(w), "{w}");
    }
    assert!(METHOD_ZH.contains("扩散指数") && METHOD_EN.contains("diffusion"));
}
