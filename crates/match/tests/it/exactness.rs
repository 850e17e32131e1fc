//! Exactness: the assignment equals brute force on random small instances.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_match::assignment::{max_weight_matching, Edge};
use wuliu_match::{check, match_batch, MatchRequest};
use wuliu_model::{BodyType, StraightLine};

use crate::fixtures::*;

/// Best total weight over all partial matchings (rows in order, each takes a free column or none).
fn brute(rows: usize, w: &[Vec<Option<f64>>], used: &mut Vec<bool>, r: usize) -> f64 {
    if r == rows {
        return 0.0;
    }
    let mut best = brute(rows, w, used, r + 1);
    for c in 0..used.len() {
        if let (false, Some(x)) = (used[c], w[r][c]) {
            used[c] = true;
            best = best.max(x + brute(rows, w, used, r + 1));
            used[c] = false;
        }
    }
    best
}

#[test]
fn assignment_equals_brute_force_on_random_graphs() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for case in 0..400 {
        let rows = rng.gen_range(1..=7);
        let cols = rng.gen_range(1..=6);
        let density = rng.gen_range(0.2..1.0);
        let mut w = vec![vec![None; cols]; rows];
        let mut edges = Vec::new();
        for (r, row) in w.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                if rng.gen_bool(density) {
                    // Integer weights make ties (several optima) common; some are negative.
                    let x = rng.gen_range(-5..40) as f64;
                    edges.push(Edge {
                        row: r,
                        col: c,
                        weight: x,
                    });
                    if x > 0.0 {
                        *cell = Some(x);
                    }
                }
            }
        }
        let m = max_weight_matching(rows, cols, &edges);
        let mut used = vec![false; cols];
        let mut total = 0.0;
        for (r, c) in m.iter().enumerate() {
            if let Some(c) = c {
                assert!(!used[*c], "case {case}: column {c} used twice");
                used[*c] = true;
                total += w[r][*c].unwrap_or_else(|| panic!("case {case}: non-edge {r}-{c} chosen"));
            }
        }
        let best = brute(rows, &w, &mut vec![false; cols], 0);
        assert!(
            (total - best).abs() < 1e-9,
            "case {case}: got {total}, brute force {best}; edges {edges:?}"
        );
    }
}

/// Random request around Liuzhou with mixed trucks, loads and windows.
pub fn random_request(rng: &mut ChaCha8Rng, n_loads: usize, n_veh: usize) -> MatchRequest {
    let pt = |rng: &mut ChaCha8Rng| {
        off(
            LIUZHOU,
            rng.gen_range(-40.0..40.0),
            rng.gen_range(-40.0..40.0),
        )
    };
    let loads = (0..n_loads)
        .map(|i| {
            let from = pt(rng);
            let to = if rng.gen_bool(0.3) { NANNING } else { pt(rng) };
            let w = rng.gen_range(1000.0..16000.0);
            let mut l = load(
                &format!("lod_{i}"),
                from,
                to,
                w,
                rng.gen_range(300.0..3000.0),
            );
            let s = rng.gen_range(0.0..10.0);
            l.load.pickup_window.start = at(s);
            l.load.pickup_window.end = at(s + rng.gen_range(0.5..3.0));
            l.load.delivery_window.end = at(s + rng.gen_range(3.0..10.0));
            l
        })
        .collect();
    let bodies = [
        BodyType::Box,
        BodyType::Flatbed,
        BodyType::HighSided,
        BodyType::Tanker,
    ];
    let vehicles = (0..n_veh)
        .map(|i| {
            let mut v = vehicle(
                &format!("veh_{i}"),
                pt(rng),
                bodies[rng.gen_range(0..bodies.len())],
                rng.gen_range(4000.0..18000.0),
            );
            v.free_from = at(rng.gen_range(0.0..6.0));
            v.vehicle.home_base = Some(pt(rng));
            v
        })
        .collect();
    request(loads, vehicles)
}

#[test]
fn batch_plan_equals_brute_force_over_pair_objectives() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let costs = StraightLine::default();
    for case in 0..30 {
        let (nl, nv) = (rng.gen_range(1..=6), rng.gen_range(1..=5));
        let mut req = random_request(&mut rng, nl, nv);
        req.config.max_chain = 1;
        req.config.candidates_per_load = 0;
        // Weight of each pair on its own, through the public API.
        let mut w = vec![vec![None; req.vehicles.len()]; req.loads.len()];
        for (i, l) in req.loads.iter().enumerate() {
            for (j, v) in req.vehicles.iter().enumerate() {
                let mut one = req.clone();
                one.loads = vec![l.clone()];
                one.vehicles = vec![v.clone()];
                let p = match_batch(&one, &costs).unwrap();
                if p.totals.served == 1 {
                    w[i][j] = Some(p.totals.objective);
                }
            }
        }
        let plan = match_batch(&req, &costs).unwrap();
        let report = check(&req, &plan, &costs);
        assert!(report.is_ok(), "case {case}: {:?}", report.violations);
        let best = brute(req.loads.len(), &w, &mut vec![false; req.vehicles.len()], 0);
        assert!(plan.bound.exact);
        assert!(
            (plan.totals.objective - best).abs() < 1e-6,
            "case {case}: plan {} brute {best}",
            plan.totals.objective
        );
    }
}
