//! The dispatcher's workbench (`#/dispatch`) in a real browser against `wuliu serve --demo`.
//!
//! demo-shipper posts twelve city deliveries of 450 kg (plus one of 5 t that no van can carry) for
//! one day, opens the page with three hired 2-tonne vans, selects the orders and plans. Three vans
//! of four stops each is the only feasible answer, so the test knows what to expect: the map draws
//! one polyline per route (more vertices than stops when the server routed on roads; dashed
//! straight lines and a visible note when it had no network), every stop shows its arrival and
//! load, the 5 t order is unassigned with its reason. Then a stop is moved to another route with
//! the keyboard menu and another by drag and drop: the server re-checks and the page shows the
//! new loads and the capacity violation at the overloaded route.
//!
//! Screenshots: `target/console-screenshots/dispatch-*.png`.

mod browser;

use std::time::Duration;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

const DAY: &str = "2026-12-10";

/// A load of `weight` kg from the demo shipper to a point in the city, deliverable 09:00–18:00.
fn load(ext: &str, lat: f64, lon: f64, weight: f64, shipper: &str) -> Value {
    json!({
        "external_id": ext,
        "shipper_id": shipper,
        "origin": {"address": "柳州市柳南区柳邕路307号", "division_code": "450204", "point": {"lat": 24.299022, "lon": 109.390395}},
        "destination": {"address": format!("柳州市城中区 {ext} 号门店"), "division_code": "450202", "point": {"lat": lat, "lon": lon}},
        "goods": "日用百货",
        "cargo": {"kind": "general"},
        "packages": 10,
        "weight": weight,
        "volume": 1.5,
        "pickup_window": {"start": format!("{DAY}T00:00:00Z"), "end": format!("{DAY}T01:00:00Z")},
        "delivery_window": {"start": format!("{DAY}T01:00:00Z"), "end": format!("{DAY}T10:00:00Z")},
        "price_offered": 200.0
    })
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// The page's state: routes on the map, their vertex and stop counts, the result's state.
async fn drawn(c: &Client) -> Value {
    js(c, "const m = document.getElementById('dispatch-map').dataset;
           const r = document.getElementById('dispatch-result').dataset;
           return { routes: Number(m.routes || 0), vertices: (m.vertices || '').split(',').filter(Boolean).map(Number),
                    stops: (m.stops || '').split(',').filter(Boolean).map(Number), geometry: m.geometry,
                    state: r.state, violations: Number(r.violations || 0),
                    lists: [...document.querySelectorAll('.dsp-route')].map(e => ({
                      vehicle: Number(e.dataset.vehicle),
                      jobs: [...e.querySelectorAll('.dsp-stop')].map(li => Number(li.dataset.job)),
                      loads: [...e.querySelectorAll('.dsp-stop .dsp-load')].map(x => x.textContent),
                      arrivals: [...e.querySelectorAll('.dsp-stop .dsp-arrival')].map(x => x.textContent),
                      bad: [...e.querySelectorAll('.badge-bad')].map(x => x.textContent) })),
                    timing: window.__dispatchTiming || null };").await
}

async fn wait_state(c: &Client, want: &str) -> Value {
    for _ in 0..300 {
        let d = drawn(c).await;
        if d["state"] == want {
            return d;
        }
        assert_ne!(d["state"], "error", "the page shows an error: {d}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the result never reached state {want}: {}", drawn(c).await);
}

#[tokio::test]
async fn a_dispatcher_plans_a_round_and_rechecks_a_moved_stop() {
    let Some(session) = Session::start("console_dispatch") else {
        return;
    };
    let base = session.demo.base.clone();
    let c = session.login_as("demo-shipper").await;
    viewport(&c, 1366, 768).await;
    let (_, me) = fetch(&c, "/api/v1/me").await;
    let shipper = me["party_id"].as_str().unwrap().to_string();
    // Twelve 450 kg drops around the city centre, and one 5 t drop.
    for i in 0..12 {
        let a = f64::from(i) * std::f64::consts::TAU / 12.0;
        let body = load(
            &format!("dsp-test-{i:02}"),
            24.33 + 0.04 * a.sin(),
            109.41 + 0.05 * a.cos(),
            450.0,
            &shipper,
        );
        let (status, out) = call(&c, "POST", "/api/v1/loads", Some(body)).await;
        assert_eq!(status, 201, "{out}");
    }
    let body = load("dsp-test-heavy", 24.31, 109.43, 5000.0, &shipper);
    let (status, out) = call(&c, "POST", "/api/v1/loads", Some(body)).await;
    assert_eq!(status, 201, "{out}");

    open(
        &c,
        &base,
        &format!("dispatch?q=dsp-test&hired=3&hired_kg=2000&date={DAY}&time=1&service=10"),
    )
    .await;
    wait_text(&c, "#dispatch-selected", "13").await;
    screenshot(&c, "dispatch-select").await;
    wait_css(&c, "#dispatch-plan").await.click().await.unwrap();
    let d = wait_state(&c, "planned").await;
    screenshot(&c, "dispatch-planned").await;

    // One polyline per route of the answer; along roads they have more vertices than stops.
    assert_eq!(d["routes"], 3, "{d}");
    let vertices: Vec<u64> = serde_json::from_value(d["vertices"].clone()).unwrap();
    let stops: Vec<u64> = serde_json::from_value(d["stops"].clone()).unwrap();
    assert_eq!(vertices.len(), 3);
    if d["geometry"] == "road" {
        for (v, s) in vertices.iter().zip(&stops) {
            assert!(
                v > s,
                "a road route has more vertices ({v}) than stops ({s})"
            );
        }
    } else {
        assert_eq!(vertices, stops, "straight lines join the stops");
        wait_text(&c, ".dsp-geo-straight", "直线").await;
    }
    // Stop lists: four stops per van with arrival times and loads going down by 450 kg.
    let lists = d["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 3);
    for l in lists {
        assert_eq!(l["jobs"].as_array().unwrap().len(), 4, "{l}");
        let loads: Vec<String> = serde_json::from_value(l["loads"].clone()).unwrap();
        assert_eq!(loads.last().unwrap(), "余载 0 kg", "{loads:?}");
        assert!(loads[0].contains("1,350"), "{loads:?}");
        assert!(
            l["arrivals"][0].as_str().unwrap().starts_with("到达 "),
            "{l}"
        );
    }
    assert_eq!(d["violations"], 0);
    let unassigned = wait_text(&c, "#dispatch-unassigned", "dsp-test-heavy").await;
    assert!(
        unassigned.contains("超过所有可用车辆的载重"),
        "{unassigned}"
    );
    let timing = &d["timing"];
    assert!(
        timing["solve_ms"].as_f64().unwrap() > 0.0 && timing["draw_ms"].as_f64().is_some(),
        "{timing}"
    );

    // Keyboard: move the first stop of route 1 to route 2 with its menu.
    let moved = lists[0]["jobs"][0].as_u64().unwrap();
    let target = lists[1]["vehicle"].as_u64().unwrap();
    js(
        &c,
        &format!(
            "const s = document.querySelector('.dsp-route[data-vehicle=\"{}\"] .dsp-move');
         s.value = 'v{target}'; s.dispatchEvent(new Event('change'));",
            lists[0]["vehicle"]
        ),
    )
    .await;
    let d = wait_state(&c, "rechecked").await;
    js(
        &c,
        "document.querySelector('.dsp-route-bad').scrollIntoView({ block: 'center' });",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(&c, "dispatch-rechecked").await;
    let l2 = d["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["vehicle"] == target)
        .unwrap()
        .clone();
    assert_eq!(l2["jobs"].as_array().unwrap().len(), 5, "{l2}");
    assert_eq!(l2["jobs"][4], moved, "appended at the end: {l2}");
    // Five drops of 450 kg on a 2 t van: over capacity when it leaves, shown on that route.
    assert!(d["violations"].as_u64().unwrap() >= 1, "{d}");
    assert!(
        l2["bad"].as_array().unwrap().iter().any(|b| b == "超载"),
        "{l2}"
    );
    let l1 = d["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["vehicle"] == lists[0]["vehicle"])
        .unwrap()
        .clone();
    assert_eq!(l1["loads"][0], "余载 900 kg", "three left: {l1}");
    assert_eq!(d["routes"], 3);

    // Drag and drop: bring it back before the first stop of route 1; the plan is feasible again.
    let first = l1["jobs"][0].as_u64().unwrap();
    js(&c, &format!(
        "const from = document.querySelector('.dsp-stop[data-job=\"{moved}\"]');
         const to = document.querySelector('.dsp-stop[data-job=\"{first}\"]');
         const dt = new DataTransfer();
         from.dispatchEvent(new DragEvent('dragstart', {{ dataTransfer: dt, bubbles: true }}));
         to.dispatchEvent(new DragEvent('dragover', {{ dataTransfer: dt, bubbles: true, cancelable: true }}));
         to.dispatchEvent(new DragEvent('drop', {{ dataTransfer: dt, bubbles: true, cancelable: true }}));
         from.dispatchEvent(new DragEvent('dragend', {{ dataTransfer: dt, bubbles: true }}));
         document.getElementById('dispatch-result').dataset.state = 'dragged';"
    ))
    .await;
    let d = wait_state(&c, "rechecked").await;
    let l1 = d["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["vehicle"] == lists[0]["vehicle"])
        .unwrap()
        .clone();
    assert_eq!(l1["jobs"][0], moved, "dropped before the first stop: {l1}");
    assert_eq!(l1["jobs"].as_array().unwrap().len(), 4);
    assert_eq!(d["violations"], 0, "{d}");
    screenshot(&c, "dispatch-dragged").await;

    assert_no_console_errors(&session.driver, &c, "dispatch").await;
}
