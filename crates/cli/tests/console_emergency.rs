//! Emergency logistics (`#/emergency`, issue 28) in a real browser against `wuliu serve --demo` (see
//! `browser/mod.rs`), as the demo regulator:
//! - the reserves table has one row per stockpile the API lists, each item's available stock as the
//!   stockpile's API answer says, and the expired lots the lots API reports; the map has a marker
//!   per stockpile;
//! - the requests list has a row per request of the API; a request with an empty name and a bad
//!   phone is refused with the API's messages at those two fields; a good one appears in the list
//!   as submitted, and its triage button makes it triaged (the API agrees);
//! - the plan: the map has one priority pin per triaged request of the API and one dashed line per
//!   truck trip of the answer; the page's figures (status, gap, the exact and greedy objectives,
//!   unmet kilograms by priority, the flows) equal its answer, which has the status, counts and
//!   nearly the objective of a plan the test asks the API for itself;
//! - a closed area drawn by clicking the map is sent with the next plan and drawn as a red polygon;
//! - the English page; no browser console errors.
//!
//! Screenshots: `target/console-screenshots/emergency-*.png`.

mod browser;

use std::collections::HashMap;
use std::time::Duration;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

const NEW_POINT: &str = "柳江区进德镇临时安置点（测试）";

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn count(c: &Client, css: &str) -> u64 {
    c.execute(
        "return document.querySelectorAll(arguments[0]).length;",
        vec![json!(css)],
    )
    .await
    .unwrap()
    .as_u64()
    .unwrap()
}

/// Types `text` into the request form's input `name` (clearing it first).
async fn type_into(c: &Client, name: &str, text: &str) {
    let el = wait_css(c, &format!("#em-request-form [name=\"{name}\"]")).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// Waits until `#em-plan` is `done` (panics on `error`) and gives the page's answer.
async fn planned(c: &Client) -> Value {
    for _ in 0..900 {
        let state = js(
            c,
            "return document.getElementById('em-plan').dataset.state;",
        )
        .await;
        if state == "done" {
            return js(c, "return window.__emergencyPlan;").await;
        }
        if state == "error" {
            let text = text_of(c, "#em-plan").await;
            panic!("the plan failed on the page: {text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the plan never finished on the page");
}

/// Waits until the last toast has gone (so it is not in a screenshot).
async fn no_toast(c: &Client) {
    wait_css(c, "#toast[hidden]").await;
}

/// `data-value` of every `[data-figure]` on the page.
async fn figures(c: &Client) -> HashMap<String, String> {
    let v = js(
        c,
        "const out = {}; document.querySelectorAll('[data-figure]').forEach(e => { out[e.dataset.figure] = e.dataset.value; }); return out;",
    )
    .await;
    serde_json::from_value(v).unwrap()
}

fn num(figs: &HashMap<String, String>, key: &str) -> f64 {
    figs.get(key)
        .unwrap_or_else(|| panic!("no figure {key}: {figs:?}"))
        .parse()
        .unwrap_or_else(|_| panic!("figure {key} is not a number: {figs:?}"))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
}

/// The reserves table against the stockpile and lot endpoints.
async fn check_reserves(c: &Client) {
    let (status, piles) = fetch(c, "/api/v1/emergency/stockpiles").await;
    assert_eq!(status, 200, "{piles}");
    let piles = list(&piles, "stockpiles").clone();
    assert!(!piles.is_empty(), "the demo has stockpiles");
    assert_eq!(
        count(c, "#em-stockpiles tbody tr").await,
        piles.len() as u64
    );
    assert_eq!(
        count(c, "#em-map .em-depot[data-stockpile]").await,
        piles.len() as u64
    );
    let (mut expired_api, mut agreements) = (0, 0);
    for p in &piles {
        let id = p["id"].as_str().unwrap();
        let row = format!("#em-stockpiles tr[data-stockpile=\"{id}\"]");
        let shown = text_of(c, &row).await;
        assert!(shown.contains(p["name"].as_str().unwrap()), "{shown}");
        if p["kind"] == "agreement" {
            agreements += 1;
            assert!(shown.contains("协议储备"), "{shown}");
        }
        let (_, detail) = fetch(c, &format!("/api/v1/emergency/stockpiles/{id}")).await;
        for s in list(&detail, "stock") {
            let cell = format!("{row} td[data-item=\"{}\"]", s["item_id"].as_str().unwrap());
            let got = wait_css(c, &cell)
                .await
                .attr("data-available")
                .await
                .unwrap();
            assert_eq!(
                got.as_deref(),
                Some(s["available"].to_string().as_str()),
                "{cell}"
            );
        }
        let (_, lots) = fetch(c, &format!("/api/v1/emergency/stockpiles/{id}/lots")).await;
        let expired = list(&lots, "lots")
            .iter()
            .filter(|l| l["expired"] == true && l["quantity"].as_i64() > Some(0))
            .count();
        expired_api += expired;
        let flagged = wait_css(c, &format!("{row} td.em-flags"))
            .await
            .attr("data-expired")
            .await
            .unwrap();
        assert_eq!(flagged, Some(expired.to_string()), "{row}");
    }
    assert!(expired_api >= 1, "the demo has an expired lot");
    assert!(agreements >= 1, "the demo has an agreement reserve");
}

/// Submits a bad request (field errors), then a good one; gives the new request's id.
async fn submit_request(driver: &str, c: &Client) -> String {
    type_into(c, "lat", "24.255").await;
    type_into(c, "lon", "109.335").await;
    type_into(c, "quantity", "200").await;
    type_into(c, "contact_name", "值班员（测试）").await;
    type_into(c, "phone", "call me").await;
    js(
        c,
        "document.querySelector('#em-request-form [name=\"priority\"]').value = '1';",
    )
    .await;
    wait_css(c, "#em-submit").await.click().await.unwrap();
    let name_err = wait_text(
        c,
        "[data-path=\"demand_point.name\"] .em-field-error",
        "demand_point.name",
    )
    .await;
    assert!(!name_err.is_empty());
    wait_text(c, "[data-path=\"contact.phone\"] .em-field-error", "digits").await;
    screenshot(c, "emergency-form-errors").await;
    // Chromium logs the refused submission as a failed load; nothing else may be logged.
    let refused = console_errors(driver, c).await;
    assert!(
        refused.len() == 1
            && refused[0].contains("emergency/requests")
            && refused[0].contains("422"),
        "{refused:#?}"
    );

    type_into(c, "name", NEW_POINT).await;
    type_into(c, "phone", "0772-1234567").await;
    wait_css(c, "#em-submit").await.click().await.unwrap();
    wait_text(c, "#em-request-list", NEW_POINT).await;
    let (_, all) = fetch(c, "/api/v1/emergency/requests").await;
    let mine = list(&all, "requests")
        .iter()
        .find(|r| r["demand_point"]["name"] == NEW_POINT)
        .expect("the API has the submitted request")
        .clone();
    assert_eq!(mine["status"], "submitted");
    assert_eq!(mine["priority"], 1);
    assert_eq!(
        count(c, "#em-request-list tbody tr").await,
        list(&all, "requests").len() as u64
    );
    mine["id"].as_str().unwrap().to_string()
}

async fn triage(c: &Client, id: &str) {
    wait_css(c, &format!(".em-triage[data-id=\"{id}\"]"))
        .await
        .click()
        .await
        .unwrap();
    wait_css(
        c,
        &format!("#em-request-list tr[data-request=\"{id}\"][data-status=\"triaged\"]"),
    )
    .await;
    let (_, r) = fetch(c, &format!("/api/v1/emergency/requests/{id}")).await;
    assert_eq!(r["status"], "triaged", "{r}");
}

/// Unmet kilograms by priority of an allocation, from the catalogue and the requests.
fn unmet_kg(allocation: &Value, items: &Value, requests: &Value) -> HashMap<i64, f64> {
    let weight: HashMap<&str, f64> = list(items, "items")
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap(),
                i["unit_weight_kg"].as_f64().unwrap(),
            )
        })
        .collect();
    let priority: HashMap<&str, i64> = list(requests, "requests")
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["priority"].as_i64().unwrap()))
        .collect();
    let mut out = HashMap::new();
    for u in list(allocation, "unmet") {
        let p = priority[u["request"].as_str().unwrap()];
        let kg = weight[u["item"].as_str().unwrap()] * u["quantity"].as_f64().unwrap();
        *out.entry(p).or_insert(0.0) += kg;
    }
    out
}

/// The page's plan: its map and figures against its answer, and that answer against the API's.
async fn check_plan(c: &Client, page: &Value) {
    let (_, triaged) = fetch(c, "/api/v1/emergency/requests?status=triaged").await;
    let triaged = list(&triaged, "requests").len() as u64;
    assert!(triaged >= 5, "four demo requests and ours are triaged");
    assert_eq!(page["counts"]["requests"], triaged, "{}", page["counts"]);
    assert_eq!(count(c, "#em-map .em-pin-triaged").await, triaged);
    let trips = list(&page["routes"], "routes").len() as u64;
    assert!(trips >= 1, "the plan has truck trips");
    assert_eq!(count(c, "#em-map path.em-route").await, trips);

    let figs = figures(c).await;
    let (a, g) = (&page["allocation"], &page["greedy_baseline"]);
    assert_eq!(figs["status"], a["status"].as_str().unwrap());
    for key in ["objective", "unmet_cost", "lateness_cost", "transport_cost"] {
        assert!(
            close(
                num(&figs, &format!("exact.{key}")),
                a[key].as_f64().unwrap(),
                1e-12
            ),
            "{key}"
        );
        assert!(
            close(
                num(&figs, &format!("greedy.{key}")),
                g[key].as_f64().unwrap(),
                1e-12
            ),
            "{key}"
        );
    }
    if let Some(gap) = a["gap"].as_f64() {
        assert!(close(num(&figs, "gap"), gap, 1e-12));
    }
    assert!(
        num(&figs, "greedy.objective") >= num(&figs, "exact.objective") * (1.0 - 1e-6),
        "the exact plan is at least as good as the greedy one: {figs:?}"
    );
    let (_, items) = fetch(c, "/api/v1/emergency/items").await;
    let (_, requests) = fetch(c, "/api/v1/emergency/requests").await;
    // Every priority row of the table: the unmet kilograms of the answer (none: 0).
    let unmet = unmet_kg(a, &items, &requests);
    let rows: Vec<&String> = figs.keys().filter(|k| k.starts_with("unmet_kg.")).collect();
    assert!(!rows.is_empty(), "{figs:?}");
    for key in rows {
        let p: i64 = key["unmet_kg.".len()..].parse().unwrap();
        let kg = unmet.get(&p).copied().unwrap_or(0.0);
        assert!(close(num(&figs, key), kg, 1e-6), "P{p}: {kg} kg");
    }
    assert!(unmet
        .keys()
        .all(|p| figs.contains_key(&format!("unmet_kg.{p}"))));
    assert_eq!(
        count(c, "#em-flows tr.em-flow").await,
        list(a, "flows").len() as u64
    );
    assert_eq!(
        count(c, "#em-flows tr.em-unmet").await,
        list(a, "unmet").len() as u64
    );

    // The same plan asked of the API now: same status and counts, (nearly) the same objective —
    // the deadlines have moved by the seconds between the two.
    let (status, api) = call(
        c,
        "POST",
        "/api/v1/emergency/plan",
        Some(json!({"time_limit_s": 10})),
    )
    .await;
    assert_eq!(status, 200, "{api}");
    assert_eq!(api["counts"], page["counts"]);
    assert_eq!(api["allocation"]["status"], a["status"]);
    let (x, y) = (
        api["allocation"]["objective"].as_f64().unwrap(),
        a["objective"].as_f64().unwrap(),
    );
    assert!(close(x, y, 0.01), "API objective {x}, page {y}");
}

/// Draws a triangle on the map by clicking three points (the map's own click events).
async fn draw_area(c: &Client) {
    wait_css(c, "#em-draw").await.click().await.unwrap();
    js(
        c,
        "const el = document.getElementById('em-map'); const r = el.getBoundingClientRect();
         for (const [fx, fy] of [[0.30, 0.35], [0.45, 0.30], [0.40, 0.50]]) {
           const o = { bubbles: true, cancelable: true, clientX: r.left + fx * r.width, clientY: r.top + fy * r.height, button: 0 };
           el.dispatchEvent(new MouseEvent('click', o));
         }",
    )
    .await;
    wait_text(c, "#em-draw", "3").await;
    wait_css(c, "#em-draw").await.click().await.unwrap();
    wait_css(c, "#em-map[data-closed-areas=\"1\"]").await;
    assert_eq!(count(c, "#em-map path.em-closed").await, 1);
}

#[tokio::test]
async fn the_regulator_sees_reserves_submits_triages_and_plans_on_the_map() {
    let Some(session) = Session::start("console_emergency") else {
        return;
    };
    let base = session.demo.base.clone();
    let c = session.login_as("demo-regulator").await;
    wait_css(&c, "#nav a[data-page=\"emergency\"]").await;
    open(&c, &base, "emergency").await;
    wait_css(&c, "#em-map .em-depot").await;
    screenshot(&c, "emergency-zh-start").await;
    check_reserves(&c).await;
    js(
        &c,
        "document.getElementById('em-reserves').scrollIntoView();",
    )
    .await;
    screenshot(&c, "emergency-zh-reserves").await;

    let (_, before) = fetch(&c, "/api/v1/emergency/requests").await;
    assert_eq!(
        count(&c, "#em-request-list tbody tr").await,
        list(&before, "requests").len() as u64
    );
    js(
        &c,
        "document.getElementById('em-requests').scrollIntoView();",
    )
    .await;
    let id = submit_request(&session.driver, &c).await;
    triage(&c, &id).await;
    js(
        &c,
        "document.getElementById('em-requests').scrollIntoView();",
    )
    .await;
    screenshot(&c, "emergency-zh-requests").await;

    js(&c, "window.scrollTo(0, 0);").await;
    wait_css(&c, "#em-run-plan").await.click().await.unwrap();
    let page = planned(&c).await;
    no_toast(&c).await;
    screenshot(&c, "emergency-zh-plan").await;
    check_plan(&c, &page).await;
    js(
        &c,
        "document.getElementById('em-plan-detail').scrollIntoView();",
    )
    .await;
    screenshot(&c, "emergency-zh-plan-detail").await;

    // A flood polygon goes with the next plan and stays on the map.
    js(&c, "window.scrollTo(0, 0);").await;
    draw_area(&c).await;
    wait_css(&c, "#em-run-plan").await.click().await.unwrap();
    planned(&c).await;
    let sent = js(
        &c,
        "return document.getElementById('em-plan').dataset.closedAreas;",
    )
    .await;
    assert_eq!(sent, "1", "the plan was asked with the drawn area");
    assert_eq!(count(&c, "#em-map path.em-closed").await, 1);
    screenshot(&c, "emergency-zh-closed-area").await;
    assert_no_console_errors(&session.driver, &c, "emergency (zh)").await;

    // English: every label translated; the plan again.
    wait_css(&c, "#lang").await.click().await.unwrap();
    wait_css(&c, "main[data-page=\"emergency\"][data-ready=\"yes\"]").await;
    wait_text(&c, "main h1", "Emergency logistics").await;
    wait_css(&c, "#em-run-plan").await.click().await.unwrap();
    planned(&c).await;
    wait_text(&c, "#em-plan", "Greedy baseline").await;
    no_toast(&c).await;
    screenshot(&c, "emergency-en-plan").await;
    js(
        &c,
        "document.getElementById('em-reserves').scrollIntoView();",
    )
    .await;
    screenshot(&c, "emergency-en-reserves").await;
    let main = text_of(&c, "main").await;
    for key in ["emergency.", "nav."] {
        assert!(
            !main.contains(key),
            "an untranslated key on the page: {main}"
        );
    }
    assert_no_console_errors(&session.driver, &c, "emergency (en)").await;
    c.close().await.unwrap();
}
