//! Instance readers and the VROOM format.

use std::path::Path;

use wuliu_dispatch::vroom::{Input, Output};
use wuliu_dispatch::{check, solomon, solve, Rounding, Solution, SolverConfig};

fn data(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (instance, capacity, customers, total demand) from the bks table, which was checked against the files.
fn bks_rows() -> Vec<(String, f64, usize, f64)> {
    data("bks/bks_vrptw.csv")
        .lines()
        .skip(1)
        .filter(|l| l.contains("hierarchical"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1].to_string(),
                f[4].parse().unwrap(),
                f[3].parse().unwrap(),
                f[6].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn reads_all_56_solomon_files_and_matches_the_bks_table() {
    let rows = bks_rows();
    let mut files: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/solomon"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
    files.sort();
    assert_eq!(files.len(), 56);
    for f in &files {
        let inst = solomon::parse(&data(&format!("solomon/{f}"))).unwrap();
        assert_eq!(format!("{}.txt", inst.name), *f);
        let (_, cap, customers, demand) = rows
            .iter()
            .find(|r| r.0 == format!("solomon/{f}"))
            .unwrap_or_else(|| panic!("{f} not in bks table"))
            .clone();
        assert_eq!(inst.nodes.len(), customers + 1, "{f}");
        assert_eq!(inst.capacity, cap, "{f}");
        assert_eq!(inst.vehicles, 25, "{f}");
        let total: f64 = inst.nodes.iter().map(|n| n.demand).sum();
        assert_eq!(total, demand, "{f}");
        assert_eq!(inst.nodes[0].demand, 0.0);
        let p = inst.to_problem(Rounding::Exact);
        assert_eq!(p.jobs.len(), customers);
        p.validate().unwrap();
    }
}

#[test]
fn reads_gehring_homberger_files() {
    let rows = bks_rows();
    for name in ["c1_2_1", "r1_2_1", "rc2_2_1"] {
        let inst = solomon::parse(&data(&format!("homberger/{name}.txt"))).unwrap();
        assert_eq!(inst.nodes.len(), 201);
        let row = rows
            .iter()
            .find(|r| r.0 == format!("homberger/200/{name}.txt"))
            .unwrap();
        assert_eq!(inst.capacity, row.1);
        let total: f64 = inst.nodes.iter().map(|n| n.demand).sum();
        assert_eq!(total, row.3);
    }
}

#[test]
fn solomon_reader_reports_bad_lines() {
    let bad = "X1\n\nVEHICLE\nNUMBER CAPACITY\n 2 10\n\nCUSTOMER\n 0 0 0 0 0 100 0\n 1 5 five 1 0 100 0\n";
    match solomon::parse(bad) {
        Err(wuliu_dispatch::DispatchError::Parse { line, .. }) => assert_eq!(line, 9),
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert!(solomon::parse("").is_err());
    assert!(solomon::parse("X\nVEHICLE\n2 10\nCUSTOMER\n0 0 0 0 0 100 0\n").is_err());
}

#[test]
fn rounding_conventions() {
    assert_eq!(Rounding::Exact.apply(2.0f64.sqrt()), 2.0f64.sqrt());
    assert_eq!(Rounding::TruncateOneDecimal.apply(2.0f64.sqrt()), 1.4);
    assert_eq!(
        Rounding::CeilScaled { scale: 100.0 }.apply(2.0f64.sqrt()),
        142.0
    );
    // Exact integers must not round up.
    assert_eq!(Rounding::CeilScaled { scale: 100.0 }.apply(5.0), 500.0);
}

const VROOM_DOC: &str = r#"{
  "vehicles": [
    {"id": 7, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 1000], "skills": [1]},
    {"id": 8, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 1000]}
  ],
  "jobs": [
    {"id": 101, "location_index": 1, "service": 10, "delivery": [2], "time_windows": [[0, 100], [300, 400]]},
    {"id": 102, "location_index": 2, "service": 10, "delivery": [2], "skills": [1]},
    {"id": 103, "location_index": 3, "service": 10, "pickup": [1], "priority": 5},
    {"id": 104, "location_index": 4, "service": 10, "delivery": [3]}
  ],
  "matrices": {"car": {"durations": [[0, 20, 30, 40, 25], [20, 0, 15, 30, 35], [30, 15, 0, 20, 40], [40, 30, 20, 0, 30], [25, 35, 40, 30, 0]]}}
}"#;

#[test]
fn vroom_input_round_trips_unchanged() {
    let input: Input = serde_json::from_str(VROOM_DOC).unwrap();
    let again: serde_json::Value = serde_json::to_value(&input).unwrap();
    let original: serde_json::Value = serde_json::from_str(VROOM_DOC).unwrap();
    assert_eq!(again, original);
}

#[test]
fn vroom_problem_solves_and_solution_round_trips() {
    let input: Input = serde_json::from_str(VROOM_DOC).unwrap();
    let problem = input.to_problem(None).unwrap();
    assert_eq!(problem.jobs[2].kind, wuliu_dispatch::JobKind::Pickup);
    assert_eq!(problem.jobs[0].time_windows.len(), 2);
    // VROOM's default objective is travel time: 3600 per hour.
    assert_eq!(problem.vehicles[0].costs.per_hour, 3600.0);
    let sol = solve(&problem, &SolverConfig::iterations(2_000, 1, 3)).unwrap();
    let report = check(&problem, &sol);
    assert!(report.feasible, "{:?}", report.violations);
    assert!(sol.unassigned.is_empty());
    // Job 102 needs skill 1, which only vehicle 7 has.
    let out = Output::from_solution(&input, &problem, &sol);
    let with_102 = out
        .routes
        .iter()
        .find(|r| r.steps.iter().any(|s| s.id == Some(102)))
        .unwrap();
    assert_eq!(with_102.vehicle, 7);
    assert_eq!(out.summary.cost as f64, sol.summary.cost.round());
    // Serialise, read back, and rebuild the same plan.
    let text = serde_json::to_string(&out).unwrap();
    let back: Output = serde_json::from_str(&text).unwrap();
    assert_eq!(back, out);
    let seqs = back.to_sequences(&input).unwrap();
    let rebuilt = Solution::from_sequences(&problem, &seqs, sol.unassigned.clone());
    assert_eq!(rebuilt.routes, sol.routes);
    assert!(check(&problem, &rebuilt).feasible);
}

#[test]
fn problem_to_vroom_and_back_is_lossless_for_integer_data() {
    let inst = solomon::parse(&data("solomon/R101.txt")).unwrap();
    let mut p = inst.to_problem(Rounding::CeilScaled { scale: 1.0 });
    for (i, v) in p.vehicles.iter_mut().enumerate() {
        v.id = (i + 1).to_string();
        v.costs.per_km = 1.0;
        v.costs.per_hour = 3600.0;
        v.capacity.volume = wuliu_model::M3(50.0);
    }
    let input = Input::from_problem(&p);
    let json = serde_json::to_string(&input).unwrap();
    let back = serde_json::from_str::<Input>(&json)
        .unwrap()
        .to_problem(None)
        .unwrap();
    assert!(back.matrix == p.matrix, "matrix differs");
    assert_eq!(back.vehicles, p.vehicles);
    assert_eq!(back.jobs, p.jobs);
}

#[test]
fn vroom_amounts_beyond_four_dimensions_are_refused_by_field() {
    let mut input: Input = serde_json::from_str(VROOM_DOC).unwrap();
    input.vehicles[0].capacity = Some(vec![1, 1, 1, 1, 1]);
    let Err(wuliu_dispatch::DispatchError::Invalid(v)) = input.to_problem(None) else {
        panic!("five dimensions accepted");
    };
    assert!(
        v.0.iter().any(|x| x.field == "vehicles[0].capacity"),
        "{v:?}"
    );
}
