//! Benchmark: exact allocation against the greedy baseline on a generated Liuzhou flood instance.
//!
//! `cargo run --release -p wuliu-emergency --example bench_emergency -- [--seed N] [--runs N]
//! [--requests N] [--stockpiles N] [--items N] [--vehicles N] [--time-limit S] [--horizon-h H]
//! [--json FILE] [--replan N]`
//!
//! The instance is seeded: stockpiles and requests scattered over the Liuzhou area (around 109.4E
//! 24.3N), travel = straight line × 1.3 at 40 km/h, 10 % of pairs cut by floods, supply about 75 %
//! of demand, some lots expiring on day 1. Progress goes to stderr; one summary line per run and the
//! median go to stdout.
//!
//! `--replan N`: after the runs, the last plan is put in force; one hour later a flood closes a
//! disc of 6 km around the busiest request (every straight leg entering it is cut), and
//! [`replan`] runs N times (median reported), against a full re-plan of everything not yet on the
//! road (`keep_pending` off) on the same instance.

use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use wuliu_emergency::*;

struct Args {
    seed: u64,
    runs: usize,
    requests: usize,
    stockpiles: usize,
    items: usize,
    vehicles: usize,
    time_limit_s: f64,
    horizon_h: u64,
    json: Option<String>,
    replan: usize,
}

fn args() -> Args {
    let mut a = Args {
        seed: 28,
        runs: 3,
        requests: 200,
        stockpiles: 30,
        items: 20,
        vehicles: 300,
        time_limit_s: 20.0,
        horizon_h: 12,
        json: None,
        replan: 0,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        let v = pair.get(1).map(String::as_str).unwrap_or("");
        let num = || {
            v.parse::<usize>()
                .unwrap_or_else(|_| panic!("{}: not a number: {v}", pair[0]))
        };
        match pair[0].as_str() {
            "--seed" => a.seed = num() as u64,
            "--runs" => a.runs = num(),
            "--requests" => a.requests = num(),
            "--stockpiles" => a.stockpiles = num(),
            "--items" => a.items = num(),
            "--vehicles" => a.vehicles = num(),
            "--time-limit" => a.time_limit_s = v.parse().expect("--time-limit: seconds"),
            "--horizon-h" => a.horizon_h = num() as u64,
            "--json" => a.json = Some(v.to_string()),
            "--replan" => a.replan = num(),
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

/// Kilometres between two points (equirectangular, fine at city scale).
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let kx = 111.32 * (24.3f64).to_radians().cos();
    ((a.0 - b.0) * kx).hypot((a.1 - b.1) * 110.57)
}

fn leg(a: (f64, f64), b: (f64, f64)) -> Leg {
    let road_km = km(a, b) * 1.3;
    Leg {
        seconds: (road_km / 40.0 * 3600.0).round() as u32 + 300,
        metres: (road_km * 1000.0) as u32,
    }
}

fn point(rng: &mut ChaCha8Rng) -> (f64, f64) {
    (
        109.4 + rng.gen_range(-0.45..0.45),
        24.3 + rng.gen_range(-0.4..0.4),
    )
}

fn generate(a: &Args) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
    let items: Vec<Item> = (0..a.items)
        .map(|k| Item {
            id: format!("item{k:02}"),
            name: format!("物资{k:02}"),
            unit: "件".into(),
            unit_weight_kg: rng.gen_range(1.0..40.0f64).round(),
            unit_volume_m3: rng.gen_range(0.005..0.15f64),
            shelf_life_days: None,
        })
        .collect();
    let requests: Vec<Request> = (0..a.requests)
        .map(|k| request(&mut rng, k, a.items))
        .collect();
    let mut demand = vec![0u64; a.items];
    for r in &requests {
        for l in &r.lines {
            demand[l.item[4..].parse::<usize>().unwrap()] += l.quantity;
        }
    }
    let stockpiles: Vec<Stockpile> = (0..a.stockpiles)
        .map(|k| stockpile(&mut rng, k, &demand, a.stockpiles))
        .collect();
    let vehicles = (0..a.vehicles)
        .map(|k| Vehicle {
            id: format!("V{k:03}"),
            stockpile: format!("S{:02}", k % a.stockpiles),
            capacity_kg: [2_000.0, 5_000.0, 10_000.0][rng.gen_range(0..3)],
            capacity_m3: [12.0, 25.0, 40.0][rng.gen_range(0..3)],
            green_pass: rng.gen_bool(0.9),
            available_from_s: rng.gen_range(0..=4) * 1800,
        })
        .collect();
    let travel = travel(&mut rng, &stockpiles, &requests);
    Problem {
        items,
        stockpiles,
        requests,
        vehicles,
        travel,
        green_pass_required: true,
        horizon_s: Some(a.horizon_h * 3600),
        handling_s: 1800,
    }
}

fn request(rng: &mut ChaCha8Rng, k: usize, n_items: usize) -> Request {
    let (lon, lat) = point(rng);
    let n_lines = rng.gen_range(3..=6).min(n_items);
    let mut chosen: Vec<usize> = (0..n_items).collect();
    for j in 0..n_lines {
        let pick = rng.gen_range(j..n_items);
        chosen.swap(j, pick);
    }
    let lines = chosen[..n_lines]
        .iter()
        .map(|i| RequestLine {
            item: format!("item{i:02}"),
            quantity: rng.gen_range(20..=400),
        })
        .collect();
    let priority = [1, 1, 2, 2, 2, 3, 3, 3, 4, 4][rng.gen_range(0..10)];
    let deadline_s = rng.gen_range(2..=10) * 3600;
    Request {
        id: format!("R{k:03}"),
        name: format!("需求点{k:03}"),
        lon,
        lat,
        priority,
        deadline_s,
        lines,
    }
}

fn stockpile(rng: &mut ChaCha8Rng, k: usize, demand: &[u64], n_stockpiles: usize) -> Stockpile {
    let (lon, lat) = point(rng);
    // Each item is held by about half the stockpiles; supply ≈ 75 % of demand overall.
    let holders = (n_stockpiles as f64 * 0.5).max(1.0);
    let mut lots = Vec::new();
    for (i, &d) in demand.iter().enumerate() {
        if !rng.gen_bool(0.5) {
            continue;
        }
        let mean = 0.75 * d as f64 / holders;
        let quantity = (mean * rng.gen_range(0.3..1.7)).round().max(1.0) as u64;
        let expires_day = rng.gen_bool(0.15).then_some(0);
        lots.push(Lot {
            item: format!("item{i:02}"),
            quantity,
            expires_day,
        });
        if rng.gen_bool(0.3) {
            lots.push(Lot {
                item: format!("item{i:02}"),
                quantity: quantity / 2 + 1,
                expires_day: None,
            });
        }
    }
    // Every third stockpile is an agreement reserve.
    let holder = match k % 3 {
        0 => Holder::Agreement {
            enterprise: format!("协议企业{k:02}"),
        },
        _ => Holder::Government,
    };
    Stockpile {
        id: format!("S{k:02}"),
        name: format!("储备库{k:02}"),
        lon,
        lat,
        holder,
        lots,
    }
}

fn travel(rng: &mut ChaCha8Rng, s: &[Stockpile], r: &[Request]) -> TravelTimes {
    let from_stockpile = s
        .iter()
        .map(|a| {
            r.iter()
                .map(|b| (!rng.gen_bool(0.1)).then(|| leg((a.lon, a.lat), (b.lon, b.lat))))
                .collect()
        })
        .collect();
    let between_requests = r
        .iter()
        .map(|a| {
            r.iter()
                .map(|b| Some(leg((a.lon, a.lat), (b.lon, b.lat))))
                .collect()
        })
        .collect();
    TravelTimes {
        from_stockpile,
        between_requests,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let a = args();
    let problem = generate(&a);
    if let Some(path) = &a.json {
        std::fs::write(path, serde_json::to_string(&problem).unwrap()).unwrap();
    }
    let options = AllocateOptions {
        time_limit_s: a.time_limit_s,
        ..AllocateOptions::default()
    };
    eprintln!(
        "instance: {} requests × {} stockpiles × {} items × {} vehicles, seed {}",
        a.requests, a.stockpiles, a.items, a.vehicles, a.seed
    );
    let (mut times, mut gaps, mut exact_obj) = (Vec::new(), Vec::new(), Vec::new());
    let mut route_times = Vec::new();
    let mut base = None;
    let mut in_force = None;
    for run in 1..=a.runs {
        let t = Instant::now();
        let g = greedy(&problem).expect("greedy");
        let greedy_ms = t.elapsed().as_secs_f64() * 1000.0;
        eprintln!("run {run}: greedy done in {greedy_ms:.0} ms, solving the exact model…");
        let x = allocate(&problem, &options).expect("allocate");
        let check = evaluate(&problem, &x.flows).expect("evaluate");
        assert!(
            check.violations.is_empty(),
            "infeasible plan: {:?}",
            check.violations
        );
        eprintln!(
            "run {run}: allocation done in {} ms, planning routes…",
            x.solve_ms
        );
        let routes = plan_routes(
            &problem,
            &x,
            &RouteOptions {
                time_limit_s: std::env::var("ROUTE_S")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(8.0),
                ..RouteOptions::default()
            },
        )
        .expect("routes");
        let late = routes.etas.iter().filter(|e| e.late_s > 0.0).count();
        let unrouted: f64 = routes.unrouted.iter().map(|u| u.weight_kg).sum();
        let routed: f64 = routes
            .routes
            .iter()
            .flat_map(|r| &r.stops)
            .map(|s| s.weight_kg)
            .sum();
        println!(
            "run {run}: routes {:.2} s: {} trips, {:.0} t routed, {:.1} t unrouted, {} of {} requests served late; allocation + routes {:.2} s",
            routes.solve_ms as f64 / 1000.0, routes.routes.len(), routed / 1000.0,
            unrouted / 1000.0, late, routes.etas.len(),
            (x.solve_ms + routes.solve_ms) as f64 / 1000.0
        );
        route_times.push((x.solve_ms + routes.solve_ms) as f64 / 1000.0);
        let gap = x.gap.unwrap_or(f64::NAN);
        println!(
            "run {run}: allocation {:.2} s ({:?}), gap {:.4} %, exact {:.1} (unmet {:.1}, late {:.1}, transport {:.1}) | greedy {:.1} (unmet {:.1}, late {:.1}, transport {:.1}) | greedy/exact {:.3}",
            x.solve_ms as f64 / 1000.0, x.status, gap * 100.0, x.objective, x.unmet_cost,
            x.lateness_cost, x.transport_cost, g.objective, g.unmet_cost, g.lateness_cost,
            g.transport_cost, g.objective / x.objective
        );
        times.push(x.solve_ms as f64 / 1000.0);
        gaps.push(gap);
        exact_obj.push(x.objective);
        base = Some(g);
        in_force = Some(PlanInForce {
            allocation: x,
            routes,
        });
    }
    let g = base.expect("at least one run");
    let x = median(exact_obj);
    println!(
        "median of {}: allocation {:.2} s, allocation + routes {:.2} s, gap {:.4} %, exact objective {:.1}, greedy objective {:.1}, greedy/exact {:.3}",
        a.runs, median(times), median(route_times), median(gaps) * 100.0, x, g.objective, g.objective / x
    );
    let in_force = in_force.expect("a plan");
    if a.replan > 0 {
        bench_replan(&problem, &in_force, a.replan);
    }
}

/// A flood one hour into the plan in force: a 6 km disc (as a 24-gon) around the request with the
/// most planned stops, every straight leg entering it cut.
fn flooded(problem: &Problem, plan: &PlanInForce) -> (Problem, usize) {
    let mut stops = std::collections::BTreeMap::<&str, usize>::new();
    for st in plan.routes.routes.iter().flat_map(|r| &r.stops) {
        *stops.entry(st.request.as_str()).or_default() += 1;
    }
    let busiest = stops.iter().max_by_key(|(_, n)| **n).map(|(id, _)| *id);
    let c = problem
        .requests
        .iter()
        .find(|r| Some(r.id.as_str()) == busiest)
        .expect("a routed request");
    let (dlon, dlat) = (6.0 / (111.32 * 24.3f64.to_radians().cos()), 6.0 / 110.57);
    let ring: Vec<[f64; 2]> = (0..24)
        .map(|k| {
            let a = k as f64 / 24.0 * std::f64::consts::TAU;
            [c.lon + dlon * a.cos(), c.lat + dlat * a.sin()]
        })
        .collect();
    let mut now = problem.clone();
    let cut = geometry::close_area(&mut now, &ring);
    (now, cut)
}

fn bench_replan(problem: &Problem, plan: &PlanInForce, runs: usize) {
    let (now, cut) = flooded(problem, plan);
    let elapsed = 3600;
    eprintln!("re-plan: a flood cuts {cut} legs one hour in; {runs} runs…");
    let keep = ReplanOptions::default();
    let full = ReplanOptions {
        keep_pending: false,
        ..ReplanOptions::default()
    };
    let (mut t_keep, mut t_full) = (Vec::new(), Vec::new());
    for run in 1..=runs {
        for (label, o, times) in [("kept", &keep, &mut t_keep), ("full", &full, &mut t_full)] {
            let r = replan(&now, plan, elapsed, o).expect("replan");
            times.push(r.solve_ms as f64 / 1000.0);
            println!("run {run}: re-plan ({label}) {}", summary(&r));
        }
    }
    println!(
        "re-plan after a closure ({cut} legs cut, 1 h in), median of {runs}: keeping trips {:.2} s, re-planning all not yet departed {:.2} s",
        median(t_keep), median(t_full)
    );
}

fn summary(r: &Replan) -> String {
    use wuliu_emergency::replan::Fate;
    let count = |f: fn(&Fate) -> bool| r.trips.iter().filter(|t| f(&t.fate)).count();
    let kept_kg: f64 = r
        .kept
        .iter()
        .flat_map(|t| &t.stops)
        .map(|s| s.weight_kg)
        .sum();
    let new_kg: f64 = r
        .routes
        .routes
        .iter()
        .flat_map(|t| &t.stops)
        .map(|s| s.weight_kg)
        .sum();
    format!(
        "{:.2} s: trips done {}, on road kept {}, on road cut {}, pending kept {}, released {}; {:.0} t kept + {:.0} t newly routed; {} requests changed; residual allocation {:?} gap {:.3} %, unmet cost {:.0}",
        r.solve_ms as f64 / 1000.0,
        count(|f| matches!(f, Fate::Done)),
        count(|f| matches!(f, Fate::OnRoadKept)),
        count(|f| matches!(f, Fate::OnRoadCut { .. })),
        count(|f| matches!(f, Fate::PendingKept)),
        count(|f| matches!(f, Fate::PendingReleased)),
        kept_kg / 1000.0,
        new_kg / 1000.0,
        r.changes.len(),
        r.allocation.status,
        r.allocation.gap.unwrap_or(f64::NAN) * 100.0,
        r.allocation.unmet_cost
    )
}
