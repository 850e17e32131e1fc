//! The exact allocation against a brute-force enumeration of every integer allocation, on small random
//! problems, both costed by the one public `evaluate`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_emergency::*;

/// Largest number of candidate allocations one case may enumerate.
const MAX_ENUMERATION: u64 = 6_000;

fn random_problem(rng: &mut ChaCha8Rng) -> Problem {
    let n_items = rng.gen_range(1..=2);
    let items: Vec<Item> = (0..n_items)
        .map(|k| Item {
            id: format!("i{k}"),
            name: format!("物资{k}"),
            unit: "件".into(),
            unit_weight_kg: rng.gen_range(1..=20) as f64,
            unit_volume_m3: rng.gen_range(1..=10) as f64 / 100.0,
            shelf_life_days: None,
        })
        .collect();
    let n_s = rng.gen_range(2..=3);
    let stockpiles: Vec<Stockpile> = (0..n_s).map(|k| stockpile(rng, k, n_items)).collect();
    let n_r = rng.gen_range(2..=3);
    let requests: Vec<Request> = (0..n_r).map(|k| request(rng, k, n_items)).collect();
    let mut vehicles = Vec::new();
    for s in 0..n_s {
        for v in 0..rng.gen_range(0..=2) {
            vehicles.push(Vehicle {
                id: format!("v{s}_{v}"),
                stockpile: format!("s{s}"),
                capacity_kg: rng.gen_range(10..=60) as f64,
                capacity_m3: rng.gen_range(5..=50) as f64 / 100.0,
                green_pass: rng.gen_bool(0.8),
                available_from_s: rng.gen_range(0..=5) * 3600,
            });
        }
    }
    let from_stockpile = (0..n_s)
        .map(|_| (0..n_r).map(|_| leg(rng)).collect())
        .collect();
    Problem {
        items,
        stockpiles,
        requests,
        vehicles,
        travel: TravelTimes {
            from_stockpile,
            between_requests: Vec::new(),
        },
        green_pass_required: rng.gen_bool(0.3),
        horizon_s: Some(rng.gen_range(10..=60) * 3600),
        handling_s: 1800,
    }
}

fn stockpile(rng: &mut ChaCha8Rng, k: usize, n_items: usize) -> Stockpile {
    let mut lots = Vec::new();
    for i in 0..n_items {
        for _ in 0..rng.gen_range(0..=2) {
            let expires_day = [None, Some(0), Some(1), Some(2)][rng.gen_range(0..4)];
            let quantity = rng.gen_range(1..=3);
            lots.push(Lot {
                item: format!("i{i}"),
                quantity,
                expires_day,
            });
        }
    }
    let holder = if k == 0 {
        Holder::Government
    } else {
        Holder::Agreement {
            enterprise: format!("企业{k}"),
        }
    };
    Stockpile {
        id: format!("s{k}"),
        name: format!("储备库{k}"),
        lon: 109.4,
        lat: 24.3,
        holder,
        lots,
    }
}

fn request(rng: &mut ChaCha8Rng, k: usize, n_items: usize) -> Request {
    let mut lines = Vec::new();
    for i in 0..n_items {
        if rng.gen_bool(0.7) {
            lines.push(RequestLine {
                item: format!("i{i}"),
                quantity: rng.gen_range(1..=3),
            });
        }
    }
    Request {
        id: format!("r{k}"),
        name: format!("需求点{k}"),
        lon: 109.5,
        lat: 24.4,
        priority: rng.gen_range(1..=4),
        deadline_s: rng.gen_range(1..=30) * 3600,
        lines,
    }
}

fn leg(rng: &mut ChaCha8Rng) -> Option<Leg> {
    rng.gen_bool(0.8).then(|| {
        let hours = rng.gen_range(1..=40);
        Leg {
            seconds: hours * 3600,
            metres: hours * 40_000,
        }
    })
}

/// Every (stockpile, request, item) variable with its largest value (the requested quantity).
fn variables(p: &Problem) -> Vec<(usize, usize, usize, u64)> {
    let mut vars = Vec::new();
    for (s, st) in p.stockpiles.iter().enumerate() {
        for (r, req) in p.requests.iter().enumerate() {
            for line in &req.lines {
                let i = p.items.iter().position(|it| it.id == line.item).unwrap();
                if st.lots.iter().any(|l| l.item == line.item) {
                    vars.push((s, r, i, line.quantity));
                }
            }
        }
    }
    vars
}

/// Minimum objective over every feasible integer allocation, by enumeration.
fn brute_force(p: &Problem) -> Option<f64> {
    let vars = variables(p);
    let size: u64 = vars.iter().map(|v| v.3 + 1).product();
    if size > MAX_ENUMERATION {
        return None;
    }
    let mut q = vec![0u64; vars.len()];
    let mut best = f64::INFINITY;
    loop {
        let flows: Vec<Flow> = vars
            .iter()
            .zip(&q)
            .filter(|(_, &n)| n > 0)
            .map(|(&(s, r, i, _), &n)| Flow {
                stockpile: p.stockpiles[s].id.clone(),
                request: p.requests[r].id.clone(),
                item: p.items[i].id.clone(),
                quantity: n,
            })
            .collect();
        let e = evaluate(p, &flows).unwrap();
        if e.violations.is_empty() {
            best = best.min(e.objective);
        }
        // Next vector (odometer).
        let mut k = 0;
        loop {
            if k == q.len() {
                return Some(best);
            }
            if q[k] < vars[k].3 {
                q[k] += 1;
                break;
            }
            q[k] = 0;
            k += 1;
        }
    }
}

#[test]
fn exact_allocation_equals_brute_force_and_greedy_is_never_better() {
    let exact_opts = AllocateOptions {
        mip_rel_gap: 0.0,
        ..AllocateOptions::default()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(28);
    let (mut checked, mut greedy_worse, mut with_unmet) = (0, 0, 0);
    for case in 0..400 {
        let p = random_problem(&mut rng);
        let Some(best) = brute_force(&p) else {
            continue;
        };
        checked += 1;
        let exact = allocate(&p, &exact_opts).unwrap();
        let check = evaluate(&p, &exact.flows).unwrap();
        assert!(
            check.violations.is_empty(),
            "case {case}: {:?}\n{p:#?}",
            check.violations
        );
        assert!(
            (exact.objective - best).abs() <= 1e-6 * best.max(1.0),
            "case {case}: exact {} brute force {best}\n{}",
            exact.objective,
            serde_json::to_string(&p).unwrap()
        );
        assert!((check.objective - exact.objective).abs() <= 1e-9 * best.max(1.0));
        assert_eq!(exact.status, Status::Optimal);
        assert!(exact.bound.unwrap() <= exact.objective + 1e-6 * best.max(1.0));
        let base = greedy(&p).unwrap();
        let check = evaluate(&p, &base.flows).unwrap();
        assert!(
            check.violations.is_empty(),
            "case {case} greedy: {:?}",
            check.violations
        );
        assert!(
            base.objective >= best - 1e-6 * best.max(1.0),
            "case {case}: greedy beats optimum"
        );
        greedy_worse += usize::from(base.objective > best + 1e-6 * best.max(1.0));
        with_unmet += usize::from(!exact.unmet.is_empty());
    }
    // The generator must exercise the interesting cases, not only trivial ones.
    assert!(
        checked >= 100,
        "only {checked} cases small enough to enumerate"
    );
    assert!(
        greedy_worse >= 5,
        "greedy matched the optimum in all but {greedy_worse} cases"
    );
    assert!(
        with_unmet >= 20 && with_unmet < checked,
        "{with_unmet} of {checked} cases with unmet demand"
    );
}
