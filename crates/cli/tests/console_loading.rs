//! The loading view (`#/loading`) in a real browser against `wuliu serve --demo`.
//!
//! demo-carrier opens the page: its own vehicles (with cargo-box sizes) are offered, a waybill's goods
//! lines can be imported as items, and the sample items (four lines for three orders and three
//! drops) are planned on the first vehicle with the centre-of-gravity and axle-load checks on. The
//! test records the API's answer in the page and compares: one step row and one drawn box per
//! placement, the WebGL canvas has real pixels (more with the boxes than with the empty body),
//! stepping back changes the highlighted row and box, the checks list has one row per enabled check
//! and fails exactly the codes the checker reported, the unloaded items are listed. The print button
//! prints the sheet (checked under print media emulation: only the sheet, with snapshots and every
//! step). At a phone's width the 3D view stacks above the steps. demo-shipper, who has no vehicles,
//! plans on a standard container.
//!
//! Screenshots: `target/console-screenshots/loading-*.png`.

mod browser;

use std::time::Duration;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn click(c: &Client, css: &str) {
    wait_css(c, css).await.click().await.unwrap();
}

/// A Chrome DevTools command through chromedriver (media emulation for the print view).
async fn cdp(driver: &str, c: &Client, cmd: &str, params: Value) {
    let id = c.session_id().await.unwrap().unwrap();
    let res = reqwest::Client::new()
        .post(format!("{driver}/session/{id}/goog/cdp/execute"))
        .json(&json!({ "cmd": cmd, "params": params }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{cmd}: {}", res.status());
}

/// Records the next answer of `/loading/solve` in `window.__solved`.
async fn record_solve(c: &Client) {
    js(
        c,
        "window.__solved = null;
         if (!window.__origFetch) window.__origFetch = window.fetch;
         window.fetch = (url, opts) => window.__origFetch(url, opts).then(r => {
           if (String(url).includes('/api/v1/loading/solve')) r.clone().json().then(b => { window.__solved = b; });
           return r; });
         return true;",
    )
    .await;
}

/// Presses "plan", waits for the result and returns the API's answer the page received.
async fn solve(c: &Client) -> Value {
    record_solve(c).await;
    click(c, "#loading-solve").await;
    wait_css(c, "#loading-result[data-state=\"done\"]").await;
    for _ in 0..50 {
        let v = js(c, "return window.__solved;").await;
        if !v.is_null() {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the page's solve answer was not recorded");
}

/// Pixels of the WebGL canvas that differ from its background (read back through a 2D canvas).
async fn drawn_pixels(c: &Client) -> u64 {
    js(
        c,
        "const src = document.getElementById('loading-canvas');
         const cv = document.createElement('canvas'); cv.width = src.width; cv.height = src.height;
         const g = cv.getContext('2d'); g.drawImage(src, 0, 0);
         const d = g.getImageData(0, 0, cv.width, cv.height).data; let n = 0;
         for (let i = 0; i < d.length; i += 4) {
           if (Math.abs(d[i] - 0xf6) + Math.abs(d[i + 1] - 0xf8) + Math.abs(d[i + 2] - 0xfa) > 40) n++;
         }
         return n;",
    )
    .await
    .as_u64()
    .unwrap()
}

async fn rows(c: &Client) -> u64 {
    js(
        c,
        "return document.querySelectorAll('#loading-items tr').length;",
    )
    .await
    .as_u64()
    .unwrap()
}

async fn dataset(c: &Client) -> Value {
    js(
        c,
        "const d = document.getElementById('loading-3d').dataset;
         const cur = document.querySelector('#loading-steps tr.current');
         return { webgl: d.webgl, meshes: Number(d.meshes), step: Number(d.step), current: d.current,
                  row: cur ? Number(cur.dataset.step) : 0, rowItem: cur ? cur.dataset.item : null,
                  rows: document.querySelectorAll('#loading-steps tbody tr').length };",
    )
    .await
}

#[tokio::test]
async fn a_carrier_plans_a_load_steps_through_it_and_prints_the_sheet() {
    let Some(session) = Session::start("console_loading") else {
        return;
    };
    let base = session.demo.base.clone();
    let c = session.login_as("demo-carrier").await;
    open(&c, &base, "loading").await;

    // The carrier's vehicles with a cargo box are offered first.
    let (status, vehicles) = fetch(&c, "/api/v1/vehicles?limit=100").await;
    assert_eq!(status, 200);
    let first = vehicles["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["inner_dimensions"].is_object())
        .expect("the demo carrier has a vehicle with inner dimensions")
        .clone();
    let picked = js(
        &c,
        "return document.getElementById('loading-vehicle').value;",
    )
    .await;
    assert_eq!(
        picked,
        json!(format!("veh:{}", first["id"].as_str().unwrap()))
    );
    let length = js(&c, "return document.querySelector('[name=length]').value;").await;
    let mm = (first["inner_dimensions"]["length"].as_f64().unwrap() * 1000.0).round();
    assert_eq!(length.as_str().unwrap(), format!("{mm}"));
    screenshot(&c, "loading-setup").await;

    // A waybill's goods lines become rows (sizes estimated from the volume); then back to the sample.
    assert_eq!(rows(&c).await, 4, "the sample items are filled in");
    if js(
        &c,
        "return !!document.getElementById('loading-waybill-import');",
    )
    .await
    .as_bool()
    .unwrap()
    {
        click(&c, "#loading-waybill-import").await;
        assert!(
            rows(&c).await > 4,
            "importing a waybill adds its goods lines"
        );
        let est = js(
            &c,
            "return document.querySelectorAll('#loading-items tr[data-estimated=yes]').length;",
        )
        .await;
        assert!(est.as_u64().unwrap() >= 1);
        wait_text(&c, "#loading-info", "已导入").await;
        click(&c, "#loading-sample").await;
        assert_eq!(rows(&c).await, 4);
    }

    // Centre-of-gravity envelope and axles on: the checks list grows and balance may leave items out.
    js(
        &c,
        "document.querySelector('[name=cog]').checked = true;
         document.querySelector('.loading-axles').open = true;
         const set = (n, v) => { document.querySelector(`[name=${n}]`).value = v; };
         set('front_x', -1200); set('rear_x', 6500); set('front_max', 7000); set('rear_max', 13000);
         return true;",
    )
    .await;
    let res = solve(&c).await;
    let placements = res["plan"]["placements"].as_array().unwrap().clone();
    let n = placements.len();
    assert!(n >= 4, "the plan places items: {res}");
    tokio::time::sleep(Duration::from_millis(300)).await;

    // One row and one box per placement, the last one current.
    let d = dataset(&c).await;
    assert_eq!(d["rows"], json!(n), "{d}");
    assert_eq!(d["step"], json!(n));
    let webgl = js(
        &c,
        "const c = document.createElement('canvas'); return !!(c.getContext('webgl2') || c.getContext('webgl'));",
    )
    .await;
    let last = &placements[n - 1];
    let label = |p: &Value| {
        format!(
            "{}#{}",
            p["item"].as_str().unwrap(),
            p["copy"].as_u64().unwrap() + 1
        )
    };
    assert_eq!(d["current"], json!(label(last)));
    assert_eq!(d["row"], json!(n));
    if webgl == json!(true) {
        assert_eq!(
            d["webgl"],
            json!("yes"),
            "the browser has WebGL, so the page draws"
        );
        assert_eq!(d["meshes"], json!(n));
        let full = drawn_pixels(&c).await;
        let canvas = js(
            &c,
            "const c = document.getElementById('loading-canvas'); return c.width * c.height;",
        )
        .await;
        assert!(
            full * 20 > canvas.as_u64().unwrap(),
            "the boxes cover the view: {full} of {canvas}"
        );
        // Step 0: the empty body (wireframe and floor only).
        js(&c, "const s = document.getElementById('loading-step'); s.value = 0; s.dispatchEvent(new Event('input')); return 1;").await;
        let empty = drawn_pixels(&c).await;
        assert_eq!(dataset(&c).await["meshes"], json!(0));
        assert!(
            full > empty + empty / 4,
            "boxes add pixels: {full} with, {empty} without"
        );
        js(&c, "const s = document.getElementById('loading-step'); s.value = s.max; s.dispatchEvent(new Event('input')); return 1;").await;
    } else {
        assert_eq!(d["webgl"], json!("no"));
        wait_css(&c, "#loading-3d .nodata").await;
    }

    // Stepping back moves the highlight to the previous placement, row and box alike.
    click(&c, "#loading-prev").await;
    click(&c, "#loading-prev").await;
    let d = dataset(&c).await;
    assert_eq!(d["step"], json!(n - 2));
    assert_eq!(d["row"], json!(n - 2));
    assert_eq!(d["current"], json!(label(&placements[n - 3])));
    assert_eq!(d["rowItem"], json!(label(&placements[n - 3])));
    if webgl == json!(true) {
        assert_eq!(d["meshes"], json!(n - 2));
    }
    click(&c, "#loading-next").await;
    assert_eq!(
        dataset(&c).await["current"],
        json!(label(&placements[n - 2]))
    );
    screenshot(&c, "loading-desktop-top").await;
    js(
        &c,
        "document.getElementById('loading-3d').scrollIntoView(); return 1;",
    )
    .await;
    screenshot(&c, "loading-desktop").await;

    // The checks list is the checker's verdict: enabled checks, failed exactly where it said.
    let check = &res["check"];
    let shown = js(
        &c,
        "const l = document.getElementById('loading-checks');
         return { ok: l.dataset.ok, rows: [...l.querySelectorAll(':scope > li')].map(li => li.dataset.check),
                  failed: [...l.querySelectorAll(':scope > li[data-ok=no]')].flatMap(li => li.dataset.codes.split(' ')).sort() };",
    )
    .await;
    assert_eq!(
        shown["ok"],
        json!(if check["ok"] == json!(true) {
            "yes"
        } else {
            "no"
        })
    );
    let mut codes: Vec<String> = check["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    assert_eq!(shown["failed"], json!(codes), "{shown}");
    let names: Vec<&str> = shown["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for want in [
        "outside",
        "overlap",
        "weight_limit",
        "support",
        "multi_drop",
        "centre_of_gravity",
        "axle_load",
    ] {
        assert!(names.contains(&want), "check '{want}' listed: {names:?}");
    }
    let summary = text_of(&c, "#loading-summary").await;
    let loaded = res["plan"]["stats"]["items_loaded"].as_u64().unwrap();
    assert!(summary.contains(&format!("{loaded} / 22")), "{summary}");
    let unloaded = res["plan"]["unloaded"].as_array().unwrap().len();
    let listed = js(
        &c,
        "return document.querySelectorAll('#loading-unloaded li').length;",
    )
    .await;
    assert_eq!(listed, json!(unloaded));

    // Print: the button prints; under print media only the sheet shows, with snapshots and all steps.
    js(
        &c,
        "window.__printed = 0; window.print = () => { window.__printed++; }; return 1;",
    )
    .await;
    click(&c, "#loading-print").await;
    assert_eq!(js(&c, "return window.__printed;").await, json!(1));
    cdp(
        &session.driver,
        &c,
        "Emulation.setEmulatedMedia",
        json!({ "media": "print" }),
    )
    .await;
    let sheet = js(
        &c,
        "const s = document.getElementById('loading-sheet'); const vis = (e) => e && getComputedStyle(e).display !== 'none';
         return { sheet: vis(s), grid: vis(document.querySelector('.loading-grid')), setup: vis(document.querySelector('.loading-setup')),
                  topbar: vis(document.querySelector('.topbar')), title: s.querySelector('h1').textContent,
                  rows: s.querySelectorAll('tbody tr').length,
                  images: [...s.querySelectorAll('img')].map(i => [i.src.slice(0, 22), i.naturalWidth]) };",
    )
    .await;
    assert_eq!(sheet["sheet"], json!(true), "{sheet}");
    assert_eq!(sheet["grid"], json!(false), "{sheet}");
    assert_eq!(sheet["setup"], json!(false), "{sheet}");
    assert_eq!(sheet["topbar"], json!(false), "{sheet}");
    assert_eq!(sheet["rows"], json!(n));
    assert!(
        sheet["title"]
            .as_str()
            .unwrap()
            .contains(first["plate"].as_str().unwrap()),
        "{sheet}"
    );
    if webgl == json!(true) {
        let images = sheet["images"].as_array().unwrap();
        assert!(!images.is_empty() && images.len() <= 4, "{sheet}");
        for i in images {
            assert_eq!(i[0], json!("data:image/png;base64,"));
            assert!(i[1].as_u64().unwrap() > 100, "{sheet}");
        }
    }
    js(&c, "window.scrollTo(0, 0); return 1;").await;
    screenshot(&c, "loading-print").await;
    cdp(
        &session.driver,
        &c,
        "Emulation.setEmulatedMedia",
        json!({ "media": "" }),
    )
    .await;

    // A phone: the 3D view above the steps, nothing wider than the screen.
    viewport(&c, 390, 844).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let phone = js(
        &c,
        "const v = document.getElementById('loading-3d').getBoundingClientRect();
         const s = document.getElementById('loading-steps').getBoundingClientRect();
         const wide = [...document.querySelectorAll('main *')].filter(e => !e.closest('.table-wrap')
           && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => `${e.tagName}.${e.className}`);
         return { below: s.top >= v.bottom, viewWidth: v.width, wide };",
    )
    .await;
    assert_eq!(phone["below"], json!(true), "{phone}");
    assert_eq!(
        phone["wide"],
        json!([]),
        "nothing of the page is wider than the phone"
    );
    assert!(phone["viewWidth"].as_f64().unwrap() > 300.0, "{phone}");
    js(
        &c,
        "document.getElementById('loading-3d').scrollIntoView(); return 1;",
    )
    .await;
    screenshot(&c, "loading-phone").await;
    viewport(&c, 1366, 768).await;
    assert_no_console_errors(&session.driver, &c, "loading (carrier)").await;

    // A shipper has no vehicles: a standard container.
    let s = session.login_as("demo-shipper").await;
    open(&s, &base, "loading").await;
    assert_eq!(
        js(
            &s,
            "return document.querySelectorAll('#loading-vehicle option[value^=\"veh:\"]').length;"
        )
        .await,
        json!(0)
    );
    js(
        &s,
        "const v = document.getElementById('loading-vehicle'); v.value = 'std:20GP'; v.dispatchEvent(new Event('change')); return 1;",
    )
    .await;
    assert_eq!(
        js(&s, "return document.querySelector('[name=length]').value;").await,
        json!("5898")
    );
    let res = solve(&s).await;
    assert_eq!(res["plan"]["container"], json!("20英尺标准箱 20GP"));
    let d = dataset(&s).await;
    assert_eq!(
        d["rows"],
        json!(res["plan"]["placements"].as_array().unwrap().len())
    );
    js(
        &s,
        "document.getElementById('loading-3d').scrollIntoView(); return 1;",
    )
    .await;
    screenshot(&s, "loading-shipper").await;
    assert_no_console_errors(&session.driver, &s, "loading (shipper)").await;
}
