//! The Li & Lim PDPTW reader and best-known table, on the benchmark's copies of the real files.

use std::path::{Path, PathBuf};

use wuliu_dispatch::lilim::{self, BestKnown};
use wuliu_dispatch::problem::Objective;
use wuliu_dispatch::solution::Visit;
use wuliu_dispatch::{check, solve, DispatchError, Rounding, Solution, SolverConfig};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/dispatch/data/pdptw")
}

fn data(rel: &str) -> String {
    let p = data_dir().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn parse_error(text: &str) -> (usize, String) {
    match lilim::parse_instance(text) {
        Err(DispatchError::Parse { line, message }) => (line, message),
        other => panic!("expected a parse error, got {other:?}"),
    }
}

#[test]
fn reads_lc101_into_shipments_with_windows_service_and_fleet() {
    let scaled = Rounding::CeilScaled { scale: 100.0 };
    let p = lilim::parse(&data("li_lim_100/lc101.txt"), scaled).unwrap();
    p.validate().unwrap();
    // 106 tasks and the depot: 107 locations, 53 pairs, no plain jobs.
    assert_eq!(p.matrix.size(), 107);
    assert!(p.jobs.is_empty());
    assert_eq!(p.shipments.len(), 53);
    // Fleet: 25 vehicles of capacity 200, at the depot, shift = depot window 0..1236 (x100).
    assert_eq!(p.vehicles.len(), 25);
    for v in &p.vehicles {
        assert_eq!((v.start, v.end), (Some(0), Some(0)));
        assert_eq!(v.capacity.weight.0, 200.0);
        assert_eq!((v.shift.start.0, v.shift.end.0), (0.0, 123_600.0));
        assert_eq!(v.speed_factor, 1.0);
    }
    // Task 1 (45,68), demand -10, window 912..967, service 90, is the delivery of task 11
    // (35,69), demand 10, window 448..505: the shipment starting at the lowest pickup id.
    let s = p
        .shipments
        .iter()
        .find(|s| s.delivery.location == 1)
        .unwrap();
    assert_eq!((s.id.as_str(), s.pickup.id.as_str()), ("11", "11"));
    assert_eq!((s.pickup.location, s.delivery.id.as_str()), (11, "1"));
    assert_eq!(s.load.weight.0, 10.0);
    let w = |st: &wuliu_dispatch::problem::ShipmentStop| {
        (
            st.time_windows[0].start.0,
            st.time_windows[0].end.0,
            st.service.0,
        )
    };
    assert_eq!(w(&s.pickup), (44_800.0, 50_500.0, 9_000.0));
    assert_eq!(w(&s.delivery), (91_200.0, 96_700.0, 9_000.0));
    // ceil(100 × |(35,69)-(45,68)|) = ceil(1004.987…) = 1005, both ways, as distance and duration.
    assert_eq!(p.matrix.distance(11, 1), 1005.0);
    assert_eq!(p.matrix.duration(1, 11), 1005.0);
    // Every task is exactly one stop of one shipment.
    let mut seen = vec![0; 107];
    for s in &p.shipments {
        seen[s.pickup.location] += 1;
        seen[s.delivery.location] += 1;
    }
    assert_eq!(seen[0], 0);
    assert!(seen[1..].iter().all(|&c| c == 1));
}

#[test]
fn speed_zero_is_read_as_one_and_task_visits_map_every_task() {
    let inst = lilim::parse_instance(&data("li_lim_100/lc104.txt")).unwrap();
    assert_eq!(inst.speed, 1.0);
    let p = inst.to_problem(Rounding::Exact);
    assert_eq!(p.vehicles[0].speed_factor, 1.0);
    let visits = inst.task_visits();
    assert_eq!(visits[0], None);
    for (k, (pk, dl)) in inst.pairs().into_iter().enumerate() {
        assert_eq!(visits[pk], Some(Visit::Pickup(k)));
        assert_eq!(visits[dl], Some(Visit::Delivery(k)));
        assert_eq!(p.shipments[k].pickup.location, pk);
        assert_eq!(p.shipments[k].delivery.location, dl);
        assert!(inst.tasks[pk].demand > 0.0 && inst.tasks[dl].demand < 0.0);
    }
}

#[test]
fn reads_all_116_files_and_the_best_known_table() {
    let bks = lilim::parse_bks(&data("bks.csv")).unwrap();
    assert_eq!(bks.len(), 116);
    assert_eq!(
        bks[0],
        BestKnown {
            instance: "lc101".into(),
            vehicles: 10,
            distance: 828.9369
        }
    );
    for (dir, fleet, lo, hi) in [("li_lim_100", 25, 100, 110), ("li_lim_200", 50, 200, 214)] {
        let mut n = 0;
        for e in std::fs::read_dir(data_dir().join(dir)).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_stem().unwrap().to_str().unwrap().to_string();
            let inst = lilim::parse_instance(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let tasks = inst.tasks.len() - 1;
            assert!((lo..=hi).contains(&tasks), "{name}: {tasks} tasks");
            assert_eq!(inst.vehicles, fleet, "{name}");
            assert_eq!(inst.pairs().len() * 2, tasks, "{name}");
            let b = bks.iter().find(|b| b.instance == name).unwrap();
            assert!(b.vehicles <= fleet && b.distance > 0.0, "{name}");
            n += 1;
        }
        assert_eq!(n, if fleet == 25 { 56 } else { 60 });
    }
}

#[test]
fn a_solved_instance_passes_the_checker_on_exact_distances() {
    // Solve on the rounded-up matrix the benchmark uses, replay on the exact one: every pair served.
    let inst = lilim::parse_instance(&data("li_lim_100/lr101.txt")).unwrap();
    let mut scaled = inst.to_problem(Rounding::CeilScaled { scale: 100.0 });
    scaled.objective = Objective::MinVehicles;
    let sol = solve(&scaled, &SolverConfig::iterations(3000, 1, 1)).unwrap();
    assert!(sol.unassigned.is_empty());
    let exact = inst.to_problem(Rounding::Exact);
    let routes: Vec<(usize, Vec<Visit>)> =
        sol.routes.iter().map(|r| (r.vehicle, r.visits())).collect();
    let replay = Solution::from_visits(&exact, &routes, vec![]);
    let report = check(&exact, &replay);
    assert!(report.feasible, "{:?}", report.violations);
    assert_eq!(replay.summary.served, inst.pairs().len());
    // Rounding up only lengthens: the exact length is at most the solver's (scaled back).
    assert!(report.distance.0 <= sol.summary.distance.0 / 100.0 + 1e-6);
}

const TINY: &str = "2\t10\t1\r\n\
0\t0\t0\t0\t0\t100\t0\t0\t0\r\n\
1\t10\t0\t5\t0\t100\t1\t0\t2\r\n\
2\t20\t0\t-5\t0\t100\t1\t1\t0\r\n";

#[test]
fn a_plan_must_pick_up_before_delivering() {
    let p = lilim::parse(TINY, Rounding::Exact).unwrap();
    assert_eq!(p.shipments.len(), 1);
    let ok = Solution::from_visits(
        &p,
        &[(0, vec![Visit::Pickup(0), Visit::Delivery(0)])],
        vec![],
    );
    let report = check(&p, &ok);
    assert!(report.feasible, "{:?}", report.violations);
    assert!((report.distance.0 - 40.0).abs() < 1e-9);
    let reversed = Solution::from_visits(
        &p,
        &[(0, vec![Visit::Delivery(0), Visit::Pickup(0)])],
        vec![],
    );
    assert!(!check(&p, &reversed).feasible);
}

#[test]
fn malformed_lines_are_reported_with_line_and_field() {
    // A letter in the `ready` field of task 2 (line 4).
    let bad = TINY.replace("2\t20\t0\t-5\t0", "2\t20\t0\t-5\tzero");
    let (line, msg) = parse_error(&bad);
    assert_eq!(line, 4);
    assert!(msg.contains("`ready`") && msg.contains("zero"), "{msg}");
    // A missing field on line 3.
    let (line, msg) =
        parse_error(&TINY.replace("1\t10\t0\t5\t0\t100\t1\t0\t2", "1\t10\t0\t5\t0\t100\t1\t0"));
    assert_eq!(line, 3);
    assert!(msg.contains("expected 9 fields"), "{msg}");
    // A delivery that does not point back to its pickup.
    let (line, msg) = parse_error(&TINY.replace("\t1\t1\t0\r\n", "\t1\t0\t0\r\n"));
    assert_eq!(line, 3, "{msg}");
    assert!(
        msg.contains("`delivery`") && msg.contains("task 2"),
        "{msg}"
    );
    // Demands that do not cancel.
    let (line, msg) = parse_error(&TINY.replace("\t-5\t", "\t-4\t"));
    assert_eq!(line, 3);
    assert!(msg.contains("`demand`"), "{msg}");
    // A window closing before it opens.
    let (line, msg) = parse_error(&TINY.replace("1\t10\t0\t5\t0\t100", "1\t10\t0\t5\t50\t40"));
    assert_eq!(line, 3);
    assert!(msg.contains("`due`"), "{msg}");
    // Ids out of order, a bad header, an empty file.
    let (line, msg) = parse_error(&TINY.replace("2\t20", "3\t20"));
    assert_eq!(line, 4);
    assert!(msg.contains("`id`"), "{msg}");
    let (line, msg) = parse_error(&TINY.replace("2\t10\t1", "2\tten\t1"));
    assert_eq!(line, 1);
    assert!(msg.contains("`capacity`"), "{msg}");
    assert_eq!(parse_error("").0, 1);
    assert!(lilim::parse_bks("instance,vehicles\nlc101,10\n").is_err());
    match lilim::parse_bks("instance,vehicles,distance\nlc101,ten,1.0\n") {
        Err(DispatchError::Parse { line, message }) => {
            assert_eq!(line, 2);
            assert!(message.contains("`vehicles`"));
        }
        other => panic!("{other:?}"),
    }
}
