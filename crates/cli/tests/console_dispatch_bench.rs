//! Benchmark (issue 26): the dispatcher's page plans and draws 200 orders × 20 vehicles; time from
//! the click on "plan" to the last route drawn, split into the solve request (click → answer in the
//! page) and drawing (answer → last polyline on the map), from the page's own `performance.mark`s.
//!
//! Ignored by default; run it with `bench/console-dispatch/run.sh` (or
//! `cargo test --release -p wuliu --test console_dispatch_bench -- --ignored --nocapture`).
//! `RUNS` (default 7) plans are timed after one warm-up; `SOLVE_TIME` (default 2) is the solver's
//! budget in seconds, the page's default. With `BENCH_APPEND=1` the result table is appended to
//! BENCHMARKS.md. Needs Debian's chromium and chromium-driver.

mod browser;

use std::io::Write;
use std::time::{Duration, Instant};

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

const DAY: &str = "2026-12-10";
const ORDERS: usize = 200;
const VEHICLES: usize = 20;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A deterministic spread of drops over the city: a sunflower pattern in a 14 km disc.
fn order(i: usize, shipper: &str) -> Value {
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let r = 0.13 * ((i as f64 + 0.5) / ORDERS as f64).sqrt();
    let a = i as f64 * golden;
    let (lat, lon) = (24.33 + r * a.sin(), 109.41 + r * 1.1 * a.cos());
    let weight = 80.0 + (i * 37 % 160) as f64;
    json!({
        "external_id": format!("bench-dsp-{i:03}"),
        "shipper_id": shipper,
        "origin": {"address": "柳州市柳南区柳邕路307号", "division_code": "450204", "point": {"lat": 24.299022, "lon": 109.390395}},
        "destination": {"address": format!("柳州市 bench-dsp-{i:03} 门店"), "division_code": "450202", "point": {"lat": lat, "lon": lon}},
        "goods": "日用百货", "cargo": {"kind": "general"}, "packages": 4, "weight": weight, "volume": 0.6,
        "pickup_window": {"start": format!("{DAY}T00:00:00Z"), "end": format!("{DAY}T01:00:00Z")},
        "delivery_window": {"start": format!("{DAY}T01:00:00Z"), "end": format!("{DAY}T11:00:00Z")},
        "price_offered": 120.0
    })
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let idx = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

async fn one_plan(c: &Client) -> Value {
    c.execute(
        "document.getElementById('dispatch-result').dataset.state = 'idle'; window.__dispatchTiming = null;
         document.getElementById('dispatch-plan').click();",
        vec![],
    )
    .await
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = c
            .execute(
                "const r = document.getElementById('dispatch-result').dataset; const m = document.getElementById('dispatch-map').dataset;
                 return { state: r.state, timing: window.__dispatchTiming, geometry: m.geometry,
                          vertices: (m.vertices || '').split(',').filter(Boolean).map(Number).reduce((a, b) => a + b, 0),
                          served: Number((document.querySelector('[data-stat=served] strong') || {}).textContent || 0) };",
                vec![],
            )
            .await
            .unwrap();
        if v["state"] == "planned" {
            return v;
        }
        assert_ne!(v["state"], "error", "the page shows an error");
        assert!(Instant::now() < deadline, "no plan drawn in 120 s: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
#[ignore = "benchmark: bench/console-dispatch/run.sh"]
async fn dispatch_page_plans_and_draws_200_orders_and_20_vehicles() {
    let runs: usize = env_or("RUNS", 7);
    let budget: f64 = env_or("SOLVE_TIME", 2.0);
    let Some(session) = Session::start("console_dispatch_bench") else {
        return;
    };
    let base = session.demo.base.clone();
    let c = session.login_as("demo-shipper").await;
    viewport(&c, 1366, 768).await;
    let (_, me) = fetch(&c, "/api/v1/me").await;
    let shipper = me["party_id"].as_str().unwrap().to_string();
    eprintln!("bench: posting {ORDERS} orders as demo-shipper");
    for i in 0..ORDERS {
        let (status, out) = call(&c, "POST", "/api/v1/loads", Some(order(i, &shipper))).await;
        assert_eq!(status, 201, "{out}");
        if (i + 1) % 50 == 0 {
            eprintln!("bench: {}/{ORDERS} orders", i + 1);
        }
    }
    open(
        &c,
        &base,
        &format!("dispatch?q=bench-dsp&hired={VEHICLES}&hired_kg=2500&date={DAY}&time={budget}&service=5"),
    )
    .await;
    wait_text(&c, "#dispatch-selected", &format!("{ORDERS}")).await;
    eprintln!("bench: warm-up plan");
    let warm = one_plan(&c).await;
    eprintln!("bench: warm-up: {warm}");
    let (mut total, mut solve, mut draw) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = Value::Null;
    for run in 1..=runs {
        let v = one_plan(&c).await;
        let t = &v["timing"];
        let (s, d) = (
            t["solve_ms"].as_f64().unwrap(),
            t["draw_ms"].as_f64().unwrap(),
        );
        eprintln!(
            "bench: run {run}/{runs}: click→drawn {:.0} ms (solve {s:.0}, draw {d:.1}), {} routes, {} served, {} vertices, geometry {}",
            s + d, t["routes"], v["served"], v["vertices"], v["geometry"]
        );
        total.push(s + d);
        solve.push(s);
        draw.push(d);
        last = v;
    }
    screenshot(&c, "dispatch-bench").await;
    for v in [&mut total, &mut solve, &mut draw] {
        v.sort_by(f64::total_cmp);
    }
    let row = |name: &str, v: &[f64]| {
        format!(
            "| {name} | {:.0} | {:.0} | {:.0} | {:.0} |",
            quantile(v, 0.5),
            quantile(v, 0.9),
            v[0],
            v[v.len() - 1]
        )
    };
    let date = chrono::Utc::now().format("%Y-%m-%d");
    let table = [
        "| step (ms) | median | p90 | min | max |".to_string(),
        "|---|---|---|---|---|".to_string(),
        row("click → routes drawn", &total),
        row("solve request (click → answer in the page)", &solve),
        row("drawing (answer → last route on the map)", &draw),
    ]
    .join("\n");
    let section = format!(
        "\n## Dispatcher's page: 200 orders × 20 vehicles, click → routes drawn (issue 26)\n\n\
         `bench/console-dispatch/run.sh` ({date}; machine: 2 cores, 24 GiB; headless Chromium 1366×768): \
         demo-shipper posts {ORDERS} city orders (80–240 kg, one day's windows), opens `#/dispatch` with \
         {VEHICLES} hired 2.5 t vans, and plans {runs} times after a warm-up (solver budget {budget} s, the \
         page's default; 5 min service per stop). Times come from the page's `performance.mark`s at the \
         click, at the answer and after the last polyline is added to the map. Last run: {} routes, {} \
         orders served, {} polyline vertices in all, geometry `{}` (`road` = along the road network the \
         server has loaded; `straight_line` = no network loaded, dashed straight segments).\n\n{table}\n\n\
         The solve request is the solver's budget plus the travel matrix, the checker and the route \
         geometry on the server; drawing is decoding the polylines and drawing them with Leaflet's \
         canvas renderer, plus the stop lists.\n",
        last["timing"]["routes"], last["served"], last["vertices"], last["geometry"].as_str().unwrap_or("none")
    );
    println!("{section}");
    if std::env::var("BENCH_APPEND").is_ok_and(|v| v == "1") {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../BENCHMARKS.md");
        let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(section.as_bytes()).unwrap();
        eprintln!("bench: appended to BENCHMARKS.md");
    }
}
