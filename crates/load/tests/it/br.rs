//! The Bischoff–Ratcliff reader on real files, and solving real instances.

use wuliu_load::{br, LoadConfig};

use crate::helpers::*;

fn read(name: &str) -> Vec<br::BrInstance> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    br::parse(&std::fs::read_to_string(path).expect("test data")).expect("parses")
}

#[test]
fn reads_br1_and_br10() {
    let b1 = read("BR1.txt");
    assert_eq!(b1.len(), 80);
    assert!(b1
        .iter()
        .all(|p| p.boxes.len() == 3 && p.container == [587, 233, 220]));
    assert_eq!(b1[0].number, 1);
    assert_eq!(b1[79].number, 80);
    let b10 = read("BR10.txt");
    assert_eq!(b10.len(), 80);
    assert!(b10.iter().all(|p| p.boxes.len() == 50));
    // Every problem offers a little more box volume than the container holds... or close to it.
    for p in b1.iter().chain(&b10) {
        let v = p.box_volume() as f64 / (587.0 * 233.0 * 220.0);
        assert!(v > 0.9 && v < 1.2, "box volume share {v}");
    }
}

#[test]
fn rejects_malformed_text() {
    let err = br::parse("1\n 1 42\n 587 233 x\n").unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert!(br::parse("1\n 1 42\n 587 233 220\n 1\n 1 10 2 10 1 10 1 5\n").is_err());
    assert!(
        br::parse("2\n 1 42\n 587 233 220\n 0\n").is_err(),
        "second problem missing"
    );
}

#[test]
fn solves_real_instances_with_and_without_support() {
    for (file, k) in [("BR1.txt", 0usize), ("BR10.txt", 0)] {
        let inst = &read(file)[k];
        for support in [false, true] {
            let req = inst.to_request(support);
            let plan = solve_checked(&req, &quick());
            // A decent heuristic fills well over 85 % of these containers.
            assert!(
                plan.stats.utilisation > 0.85,
                "{file} #{} support={support}: {}",
                inst.number,
                plan.stats.utilisation
            );
        }
    }
}

#[test]
fn time_bounded_search_without_a_pass_limit_passes_the_checker() {
    // Without `max_passes` the beam widths follow the clock and the scoring variants rotate.
    let inst = &read("BR10.txt")[1];
    for support in [false, true] {
        let req = inst.to_request(support);
        let cfg = LoadConfig::with_time(1.0);
        let plan = solve_checked(&req, &cfg);
        // Even one greedy completion fills over 80 % of these containers.
        assert!(plan.stats.utilisation > 0.8, "{}", plan.stats.utilisation);
    }
}
