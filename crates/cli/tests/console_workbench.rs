//! The shipper's and the carrier's workbenches in real Chromium, against `wuliu serve --demo`:
//! a shipper's load form shows the API's problems at their fields and stores nothing; a valid load
//! is posted from facilities and its suggested vehicles are those of the matching API; the carrier
//! finds that load for one of its trucks, accepts it in one tap (load matched, draft waybill), moves
//! the waybill on; the shipper follows a shipment with its ETA. Screenshots `workbench-*.png`.

mod browser;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap()
}

async fn click(c: &Client, css: &str) {
    wait_css(c, css).await.click().await.unwrap();
}

/// The first two facilities near the city centre (pickup in the city, delivery a few km away).
async fn two_facilities(c: &Client) -> (String, String) {
    let (status, page) = call(c, "GET", "/api/v1/facilities?limit=200", None).await;
    assert_eq!(status, 200, "{page}");
    let near: Vec<&Value> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let (lat, lon) = (f["location"]["lat"].as_f64(), f["location"]["lon"].as_f64());
            matches!((lat, lon), (Some(a), Some(o)) if (a - 24.33).abs() < 0.08 && (o - 109.42).abs() < 0.08)
        })
        .collect();
    let at = |f: &Value| {
        (
            f["location"]["lat"].as_f64().unwrap(),
            f["location"]["lon"].as_f64().unwrap(),
        )
    };
    // Two a few kilometres apart.
    for a in &near {
        for b in &near {
            let ((la, oa), (lb, ob)) = (at(a), at(b));
            let d = ((la - lb).powi(2) + (oa - ob).powi(2)).sqrt();
            if (0.03..0.08).contains(&d) {
                return (
                    a["id"].as_str().unwrap().into(),
                    b["id"].as_str().unwrap().into(),
                );
            }
        }
    }
    panic!("the demo has two facilities a few km apart in the city");
}

async fn choose(c: &Client, css: &str, value: &str) {
    js(
        c,
        "const s = document.querySelector(arguments[0]); s.value = arguments[1];
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(css), json!(value)],
    )
    .await;
}

async fn fill(c: &Client, name: &str, value: &str) {
    let el = wait_css(c, &format!("[name=\"{name}\"]")).await;
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

/// Field errors: a bad weight and no goods are shown at exactly those inputs; nothing is stored.
async fn form_shows_field_errors(c: &Client, base: &str) -> usize {
    let (_, before) = call(c, "GET", "/api/v1/loads?limit=200", None).await;
    open(c, base, "shipper?v=post").await;
    let (from, to) = two_facilities(c).await;
    choose(c, "select[name=origin_facility]", &from).await;
    choose(c, "select[name=destination_facility]", &to).await;
    fill(c, "weight", "heavy").await;
    fill(c, "volume", "20").await;
    fill(c, "packages", "10").await;
    fill(c, "price_offered", "900").await;
    click(c, "#post-submit").await;
    wait_css(c, ".field-error").await;
    let marked = js(
        c,
        "return [...document.querySelectorAll('.field-error')].map(e => e.dataset.field);",
        vec![],
    )
    .await;
    let marked: Vec<String> = serde_json::from_value(marked).unwrap();
    assert!(marked.iter().any(|f| f == "weight"), "{marked:?}");
    let invalid = js(
        c,
        "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.name);",
        vec![],
    )
    .await;
    let invalid: Vec<String> = serde_json::from_value(invalid).unwrap();
    assert!(invalid.contains(&"weight".to_string()), "{invalid:?}");
    assert!(!invalid.contains(&"volume".to_string()), "{invalid:?}");
    screenshot(c, "workbench-shipper-form-errors").await;
    // Serde stops at the first bad field; once the weight is a number the missing goods show.
    fill(c, "weight", "5000").await;
    click(c, "#post-submit").await;
    wait_css(c, ".field-error[data-field=goods]").await;
    let (_, after) = call(c, "GET", "/api/v1/loads?limit=200", None).await;
    assert_eq!(
        before["items"].as_array().unwrap().len(),
        after["items"].as_array().unwrap().len(),
        "a refused form stores nothing"
    );
    marked.len()
}

/// Posts a valid load and checks the suggestions shown are the matching API's; returns its ID.
async fn post_load(c: &Client) -> String {
    fill(c, "goods", "汽车座椅").await;
    click(c, "#post-submit").await;
    wait_css(
        c,
        "main[data-page=\"shipper\"][data-ready=\"yes\"] #suggestions",
    )
    .await;
    let url = c.current_url().await.unwrap();
    let id = url
        .fragment()
        .and_then(|f| f.split("id=").nth(1))
        .expect("the page moved to the posted load")
        .to_string();
    let (status, load) = call(c, "GET", &format!("/api/v1/loads/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(load["status"], "open");
    assert_eq!(load["goods"], "汽车座椅");
    assert_eq!(load["weight"], 5000.0);
    let (_, ans) = call(
        c,
        "GET",
        &format!("/api/v1/matching/loads/{id}/vehicles?n=5"),
        None,
    )
    .await;
    let want: Vec<String> = ans["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["vehicle"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !want.is_empty(),
        "the demo has trucks for a city load: {ans}"
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let shown: Vec<String> = loop {
        let v = js(
            c,
            "return [...document.querySelectorAll('#suggestions .wb-card')].map(e => e.dataset.vehicle);",
            vec![],
        )
        .await;
        let v: Vec<String> = serde_json::from_value(v).unwrap();
        if !v.is_empty() || std::time::Instant::now() > deadline {
            break v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(shown, want, "the page shows the API's suggestions in order");
    let plate = ans["vehicles"][&want[0]]["plate"]
        .as_str()
        .unwrap()
        .to_string();
    wait_text(c, "#suggestions .wb-card header", &plate).await;
    screenshot(c, "workbench-shipper-suggestions").await;
    id
}

/// One of the carrier's available trucks that is offered `load`.
async fn truck_for(c: &Client, load: &str) -> String {
    let (_, trucks) = call(
        c,
        "GET",
        "/api/v1/vehicles?status=available&limit=200",
        None,
    )
    .await;
    for t in trucks["items"].as_array().unwrap() {
        let id = t["id"].as_str().unwrap();
        let (status, ans) = call(
            c,
            "GET",
            &format!("/api/v1/matching/vehicles/{id}/loads?n=100"),
            None,
        )
        .await;
        if status == 200
            && ans["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["load"] == load)
        {
            return id.to_string();
        }
    }
    panic!("no truck of the demo carrier is offered {load}");
}

/// The carrier accepts the load in one tap; load and waybill change; the waybill moves on.
async fn carrier_accepts(c: &Client, base: &str, load: &str) {
    let truck = truck_for(c, load).await;
    open(c, base, &format!("carrier?vehicle={truck}")).await;
    let card = format!("#load-suggestions .wb-card[data-load=\"{load}\"]");
    wait_css(c, &card).await;
    screenshot(c, "workbench-carrier-loads").await;
    click(c, &format!("{card} .wb-accept")).await;
    // The page reloads with the truck busy and the draft waybill in the list. (The carrier
    // cannot read the shipper's load; the shipper checks it is matched below.)
    let mut found = None;
    for _ in 0..100 {
        let (_, waybills) = call(c, "GET", "/api/v1/waybills?status=draft&limit=50", None).await;
        found = waybills["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["load_id"] == load)
            .cloned();
        if found.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let w = found.expect("accepting made a draft waybill for the load");
    let wid = w["id"].as_str().unwrap().to_string();
    let (_, v) = call(c, "GET", &format!("/api/v1/vehicles/{truck}"), None).await;
    assert_eq!(v["status"], "busy");
    let row = format!("#waybill-list [data-waybill=\"{wid}\"]");
    wait_css(c, &row).await;
    click(c, &format!("{row} button[data-to=\"confirmed\"]")).await;
    wait_css(
        c,
        &format!("#waybill-list [data-waybill=\"{wid}\"][data-status=\"confirmed\"]"),
    )
    .await;
    let (_, w) = call(c, "GET", &format!("/api/v1/waybills/{wid}"), None).await;
    assert_eq!(w["status"], "confirmed");
    screenshot(c, "workbench-carrier-accepted").await;
    // Return loads for the truck now on its trip: the page asks after the trip.
    viewport(c, 390, 844).await;
    open(c, base, &format!("carrier?vehicle={truck}&when=after_trip")).await;
    wait_css(c, "#load-suggestions > *").await;
    screenshot(c, "workbench-carrier-phone").await;
    let wide = js(
        c,
        "return [...document.querySelectorAll('main *')]
           .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
           .map(e => e.tagName + '.' + e.className).slice(0, 5);",
        vec![],
    )
    .await;
    assert_eq!(wide, json!([]), "the carrier page fits a phone");
    viewport(c, 1366, 768).await;
}

/// The shipper follows a dispatched shipment: the ETA shown is the API's.
async fn shipper_follows(c: &Client, base: &str) {
    let (_, page) = call(
        c,
        "GET",
        "/api/v1/waybills?status=dispatched&limit=20&sort=-created_at",
        None,
    )
    .await;
    let Some(w) = page["items"].as_array().unwrap().first() else {
        panic!("the demo has dispatched waybills");
    };
    let id = w["id"].as_str().unwrap();
    open(c, base, &format!("shipper?v=waybill&id={id}")).await;
    let (status, trk) = call(c, "GET", &format!("/api/v1/waybills/{id}/tracking"), None).await;
    assert_eq!(status, 200, "{trk}");
    wait_css(c, "#tracking dt").await;
    if let Some(at) = trk["eta"]["at"].as_str() {
        let shown = wait_css(c, "#tracking")
            .await
            .attr("data-eta")
            .await
            .unwrap()
            .unwrap_or_default();
        let diff = chrono::DateTime::parse_from_rfc3339(at).unwrap()
            - chrono::DateTime::parse_from_rfc3339(&shown).unwrap();
        assert!(diff.num_seconds().abs() < 120, "ETA {shown} vs {at}");
    }
    wait_css(c, "#track-map .leaflet-pane").await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    screenshot(c, "workbench-shipper-tracking").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipper_posts_and_carrier_accepts() {
    let Some(s) = Session::start("console_workbench") else {
        return;
    };
    let base = s.demo.base.clone();
    let shipper = s.login_as("demo-shipper").await;
    open(&shipper, &base, "shipper").await;
    wait_css(&shipper, "#my-loads tbody tr").await;
    screenshot(&shipper, "workbench-shipper-home").await;
    let errors = form_shows_field_errors(&shipper, &base).await;
    assert!(errors >= 1);
    // The refused posts are logged by the browser as failed requests: expected, drained here.
    let refused = console_errors(&s.driver, &shipper).await;
    assert!(refused.iter().all(|e| e.contains("422")), "{refused:#?}");
    let load = post_load(&shipper).await;
    assert_no_console_errors(&s.driver, &shipper, "shipper").await;

    let carrier = s.login_as("demo-carrier").await;
    carrier_accepts(&carrier, &base, &load).await;
    assert_no_console_errors(&s.driver, &carrier, "carrier").await;

    // The shipper sees its load matched.
    let (_, rec) = call(&shipper, "GET", &format!("/api/v1/loads/{load}"), None).await;
    assert_eq!(rec["status"], "matched");
    // Via the desk: the same URL again would not re-render the page.
    open(&shipper, &base, "shipper").await;
    open(&shipper, &base, &format!("shipper?v=load&id={load}")).await;
    wait_text(&shipper, ".page-head .badge", "已匹配").await;
    shipper_follows(&shipper, &base).await;
    assert_no_console_errors(&s.driver, &shipper, "shipper tracking").await;
    shipper.close().await.unwrap();
    carrier.close().await.unwrap();
}
