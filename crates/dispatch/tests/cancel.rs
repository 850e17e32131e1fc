//! A cancelled search stops early with a feasible plan (the HTTP layer cancels when the client
//! that asked goes away).

use std::path::Path;
use std::time::{Duration, Instant};

use wuliu_dispatch::{check, solomon, solve, Rounding, SolverConfig};

#[test]
fn a_cancelled_search_stops_long_before_its_budget_with_a_feasible_plan() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/homberger/r1_2_1.txt");
    let p = solomon::parse(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .to_problem(Rounding::Exact);
    let config = SolverConfig {
        time_limit_s: 120.0,
        ..SolverConfig::default()
    };
    let cancel = config.cancel.clone();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        cancel.cancel();
    });
    let start = Instant::now();
    let s = solve(&p, &config).unwrap();
    stopper.join().unwrap();
    // Not a timing test: a search that ignored the flag would run its full 120 s budget.
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    assert!(check(&p, &s).feasible);
    assert_eq!(s.summary.served, 200);
}
