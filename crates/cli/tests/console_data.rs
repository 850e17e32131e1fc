//! The data pages (`#/data`) in a real browser, as the demo shipper: a load form shows the API's
//! problems at exactly their fields and stores nothing; a valid load is created and appears in the
//! table; its lifecycle buttons and the If-Match conflict message work; filters, sort and cursor
//! paging of the waybills table give the rows the API gives for the same query; a CSV import with
//! one bad row reports that row and field, stores the good rows, and its report download holds the
//! row; export follows the filter. Screenshots: `target/console-screenshots/data-*.png`.
//!
//! Without a browser the test says why and passes, unless `WULIU_REQUIRE_BROWSER=1`.

mod browser;

use std::time::Duration;

use browser::*;
use fantoccini::{Client, Locator};
use serde_json::{json, Value};

/// Sets the form input whose `data-path` (or filter name) is `key` and fires its events.
async fn set(c: &Client, attr: &str, key: &str, value: &str) {
    let found = c
        .execute(
            "const [attr, key, value] = arguments;
             const el = [...document.querySelectorAll(`[${attr}]`)].find(e => e.getAttribute(attr) === key);
             if (!el) return false;
             el.value = value;
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));
             return true;",
            vec![json!(attr), json!(key), json!(value)],
        )
        .await
        .unwrap();
    assert_eq!(found, json!(true), "no input with {attr}={key}");
}

/// The fields that show a problem: `data-error-for` → text.
async fn shown_errors(c: &Client) -> Vec<(String, String)> {
    let v = c
        .execute(
            "return [...document.querySelectorAll('.df-error')].filter(e => e.textContent.trim())
               .map(e => [e.dataset.errorFor, e.textContent]);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// The IDs of the table's rows, in order.
async fn row_ids(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "return [...document.querySelectorAll('#data-table tbody tr')].map(r => r.dataset.id);",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

fn ids_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Waits until the page has re-rendered after a hash change.
async fn settle(c: &Client) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    wait_css(c, "main[data-page=\"data\"][data-ready=\"yes\"]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

async fn click(c: &Client, css: &str) {
    wait_css(c, css).await.click().await.unwrap();
}

const PLACES: [(&str, &str); 8] = [
    ("origin.address", "柳州市柳南区航岭路1号"),
    ("origin.division_code", "450204"),
    ("origin.point.lat", "24.31"),
    ("origin.point.lon", "109.39"),
    ("destination.address", "柳州市柳北区雅儒路2号"),
    ("destination.division_code", "450205"),
    ("destination.point.lat", "24.36"),
    ("destination.point.lon", "109.40"),
];

async fn fill_load(c: &Client, external_id: &str, goods: &str, weight: &str) {
    set(c, "data-path", "external_id", external_id).await;
    for (path, value) in PLACES {
        set(c, "data-path", path, value).await;
    }
    set(c, "data-path", "pickup_window.start", "2026-12-10T08:00").await;
    set(c, "data-path", "pickup_window.end", "2026-12-10T12:00").await;
    set(c, "data-path", "delivery_window.start", "2026-12-10T14:00").await;
    set(c, "data-path", "delivery_window.end", "2026-12-10T18:00").await;
    set(c, "data-path", "goods", goods).await;
    set(c, "data-path", "weight", weight).await;
    set(c, "data-path", "volume", "10").await;
    set(c, "data-path", "packages", "4").await;
    set(c, "data-path", "price_offered", "800").await;
}

async fn form_shows_field_errors_then_creates(c: &Client, base: &str) -> String {
    open(c, base, "data?c=loads&id=new").await;
    // The owner is the shipper's own party.
    let owner = c
        .execute(
            "return document.querySelector('[data-path=\"shipper_id\"]').value",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(owner, json!("pty_demo_shipper_01"));
    // A bad value (negative weight) and a missing field (no goods).
    fill_load(c, "browser-load-1", "", "-5").await;
    click(c, "#data-save").await;
    wait_css(c, ".df-error[data-error-for=\"weight\"]:not(:empty)").await;
    let errors = shown_errors(c).await;
    let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["goods", "weight"], "{errors:?}");
    assert!(errors[1].1.contains("-5"), "{errors:?}");
    let invalid = c
        .execute(
            "return [...document.querySelectorAll('[aria-invalid=true]')].map(e => e.dataset.path);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(invalid, json!(["goods", "weight"]));
    screenshot(c, "data-form-errors").await;
    let (_, none) = call(c, "GET", "/api/v1/loads?external_id=browser-load-1", None).await;
    assert_eq!(none["items"], json!([]), "nothing is stored");

    // Corrected, it is created and the page moves to the record.
    set(c, "data-path", "goods", "汽车零部件").await;
    set(c, "data-path", "weight", "1200").await;
    click(c, "#data-save").await;
    wait_css(c, "#data-lifecycle").await;
    settle(c).await;
    assert!(shown_errors(c).await.is_empty());
    let (_, stored) = call(c, "GET", "/api/v1/loads?external_id=browser-load-1", None).await;
    let rec = &stored["items"][0];
    assert_eq!(rec["weight"].as_f64(), Some(1200.0));
    assert_eq!(rec["goods"], json!("汽车零部件"));
    // The browser's local time, stored as UTC.
    let utc = c
        .execute(
            "return new Date('2026-12-10T08:00').toISOString().replace('.000Z', 'Z')",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(rec["pickup_window"]["start"], utc);
    let id = rec["id"].as_str().unwrap().to_string();
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains(&id), "{url}");
    screenshot(c, "data-record").await;

    // It appears in the table (newest first).
    open(c, base, "data?c=loads&sort=-created_at").await;
    assert_eq!(row_ids(c).await.first(), Some(&id));
    id
}

async fn lifecycle_and_conflict(c: &Client, base: &str, id: &str) {
    open(c, base, &format!("data?c=loads&id={id}")).await;
    // Someone else changes the record after the page read it: saving is refused, with a message.
    let (status, _) = call(
        c,
        "PATCH",
        &format!("/api/v1/loads/{id}"),
        Some(json!({ "price_offered": 950 })),
    )
    .await;
    assert_eq!(status, 200);
    set(c, "data-path", "price_offered", "999").await;
    click(c, "#data-save").await;
    wait_css(c, "#data-banner[data-state=\"conflict\"]").await;
    let (_, now) = call(c, "GET", &format!("/api/v1/loads/{id}"), None).await;
    assert_eq!(
        now["price_offered"].as_f64(),
        Some(950.0),
        "the stale save changed nothing"
    );
    screenshot(c, "data-conflict").await;
    // Reloaded, the lifecycle offers the next statuses of an open load; cancel it.
    click(c, "#data-reload").await;
    settle(c).await;
    let next = c
        .execute(
            "return [...document.querySelectorAll('#data-lifecycle [data-to]')].map(b => b.dataset.to);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(next, json!(["matched", "cancelled"]));
    click(c, "#data-lifecycle [data-to=\"cancelled\"]").await;
    wait_css(c, "#data-lifecycle .badge-bad").await;
    let (_, now) = call(c, "GET", &format!("/api/v1/loads/{id}"), None).await;
    assert_eq!(now["status"], json!("cancelled"));
}

async fn filter_sort_page(c: &Client, base: &str) {
    open(c, base, "data?c=waybills").await;
    set(c, "data-filter", "total_amount.gte", "1000").await;
    set(c, "data-filter", "total_amount.lte", "5000").await;
    click(c, "#data-apply").await;
    settle(c).await;
    click(c, "[data-sort=\"total_amount\"]").await;
    settle(c).await;
    click(c, "[data-sort=\"total_amount\"]").await; // again: descending
    settle(c).await;
    let url = c.current_url().await.unwrap().to_string();
    assert!(
        url.contains("total_amount.gte=1000") && url.contains("sort=-total_amount"),
        "{url}"
    );
    let query =
        "/api/v1/waybills?limit=20&total_amount.gte=1000&total_amount.lte=5000&sort=-total_amount";
    let (_, page1) = call(c, "GET", query, None).await;
    let first = ids_of(&page1);
    assert_eq!(first.len(), 20);
    assert_eq!(row_ids(c).await, first, "filtered and sorted as the API");
    let amounts: Vec<f64> = page1["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["total_amount"].as_f64().unwrap())
        .collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]) && amounts[0] <= 5000.0);
    screenshot(c, "data-list").await;

    // Next page by cursor, and back.
    click(c, "#data-next").await;
    settle(c).await;
    let cursor = page1["next_cursor"].as_str().unwrap();
    let (_, page2) = call(c, "GET", &format!("{query}&cursor={cursor}"), None).await;
    assert_eq!(
        row_ids(c).await,
        ids_of(&page2),
        "page 2 as the API's cursor gives it"
    );
    assert_eq!(text_of(c, "#data-page-no").await, "第 2 页");
    click(c, "#data-prev").await;
    settle(c).await;
    assert_eq!(row_ids(c).await, first);
    // The browser's back button returns to page 2 (the state is in the hash).
    c.back().await.unwrap();
    settle(c).await;
    assert_eq!(row_ids(c).await, ids_of(&page2));

    // On a phone the table scrolls inside its box.
    viewport(c, 390, 844).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let scrolls = c
        .execute(
            "const w = document.querySelector('.data-list .table-wrap'); return w.scrollWidth > w.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(scrolls, json!(true));
    c.execute(
        "document.querySelector('#data-table').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    screenshot(c, "data-list-phone").await;
    viewport(c, 1366, 768).await;
}

const CSV_HEAD: &str = "external_id,shipper_id,origin.address,origin.division_code,origin.point.lat,\
origin.point.lon,destination.address,destination.division_code,destination.point.lat,destination.point.lon,\
pickup_window.start,pickup_window.end,delivery_window.start,delivery_window.end,goods,cargo.kind,weight,\
volume,packages,price_offered";

fn csv_row(ext: &str, goods: &str, weight: &str) -> String {
    format!(
        "{ext},pty_demo_shipper_01,柳州市柳南区航岭路1号,450204,24.31,109.39,柳州市柳北区雅儒路2号,450205,\
         24.36,109.40,2026-12-11T00:00:00Z,2026-12-11T04:00:00Z,2026-12-11T06:00:00Z,2026-12-11T10:00:00Z,\
         {goods},general,{weight},12,10,900"
    )
}

/// Lets the browser save downloads into `dir` (Chromium's DevTools command through chromedriver).
async fn allow_downloads(c: &Client, driver: &str, dir: &std::path::Path) {
    let id = c.session_id().await.unwrap().unwrap();
    let res = reqwest::Client::new()
        .post(format!("{driver}/session/{id}/goog/cdp/execute"))
        .json(&json!({ "cmd": "Browser.setDownloadBehavior",
                       "params": { "behavior": "allow", "downloadPath": dir } }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

async fn import_with_a_bad_row(c: &Client, base: &str, driver: &str, dir: &std::path::Path) {
    let file = dir.join("loads-import.csv");
    let text = [
        CSV_HEAD.to_string(),
        csv_row("browser-imp-1", "钢材", "5000"),
        csv_row("browser-imp-2", "水泥", "-1"),
        csv_row("browser-imp-3", "玻璃", "3000"),
    ]
    .join("\n");
    std::fs::write(&file, text).unwrap();
    open(c, base, "data?c=loads").await;
    click(c, "#data-import-toggle").await;
    c.find(Locator::Css("#data-import-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    click(c, "#data-import-go").await;
    let summary = text_of(c, "#data-report-summary").await;
    assert!(summary.contains("拒绝 1"), "{summary}");
    let bad = wait_css(
        c,
        "#data-report-table tr[data-row=\"2\"][data-field=\"weight\"]",
    )
    .await;
    assert!(bad.text().await.unwrap().contains("-1"));
    let rows = c
        .execute(
            "return document.querySelectorAll('#data-report-table tbody tr').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(rows, json!(1), "only the bad row is listed");
    screenshot(c, "data-import").await;
    for (ext, stored) in [
        ("browser-imp-1", 1),
        ("browser-imp-2", 0),
        ("browser-imp-3", 1),
    ] {
        let (_, page) = call(c, "GET", &format!("/api/v1/loads?external_id={ext}"), None).await;
        assert_eq!(page["items"].as_array().unwrap().len(), stored, "{ext}");
    }
    // The report as the browser downloads it has the bad row with its field.
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    allow_downloads(c, driver, &downloads).await;
    click(c, "#data-report-download").await;
    let file = downloads.join("loads-import-report.csv");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !file.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the report was not downloaded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let report = std::fs::read_to_string(&file).unwrap();
    let report = report.trim_start_matches('\u{feff}');
    assert!(
        report.starts_with("row,line,outcome,id,field,code,message"),
        "{report}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("2,3,rejected,,weight,out_of_range,")),
        "{report}"
    );
    assert_eq!(
        report.lines().filter(|l| l.contains(",created,")).count(),
        2
    );
}

async fn export_follows_the_filter(c: &Client, base: &str, downloads: &std::path::Path) {
    open(c, base, "data?c=loads&external_id=browser-imp-3").await;
    assert_eq!(row_ids(c).await.len(), 1);
    let csv = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('#data-export-csv').href, { credentials: 'same-origin' })
               .then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    let csv = csv.as_str().unwrap();
    assert_eq!(
        csv.lines().count(),
        2,
        "header and the one filtered row: {csv}"
    );
    assert!(csv.contains("browser-imp-3"));

    // The same as Excel (written in the browser), imported back: the row is accepted.
    let file = downloads.join("loads.xlsx");
    click(c, "#data-export-xlsx").await;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !file.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the .xlsx was not downloaded"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK"), "an .xlsx is a ZIP");
    click(c, "#data-import-toggle").await;
    c.find(Locator::Css("#data-import-file"))
        .await
        .unwrap()
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    click(c, "#data-import-go").await;
    let summary = text_of(c, "#data-report-summary").await;
    assert!(
        summary.contains("共 1 行") && summary.contains("拒绝 0"),
        "{summary}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn data_pages_forms_tables_import_export() {
    let Some(session) = Session::start("console_data") else {
        return;
    };
    let base = session.demo.base.clone();
    let c = session.login_as("demo-shipper").await;

    open(&c, &base, "data").await;
    wait_css(&c, "#data-collections a[data-collection=\"loads\"]").await;
    let listed = c
        .execute(
            "return [...document.querySelectorAll('#data-collections [data-collection]')].map(a => a.dataset.collection);",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        !listed.as_array().unwrap().contains(&json!("vehicles")),
        "{listed}"
    );
    screenshot(&c, "data-index").await;

    let id = form_shows_field_errors_then_creates(&c, &base).await;
    lifecycle_and_conflict(&c, &base, &id).await;
    filter_sort_page(&c, &base).await;
    import_with_a_bad_row(&c, &base, &session.driver, session.dir.path()).await;
    export_follows_the_filter(&c, &base, &session.dir.path().join("downloads")).await;

    // In English.
    click(&c, "#lang").await;
    open(&c, &base, "data?c=waybills&sort=-total_amount").await;
    wait_text(&c, "main h1", "Waybills").await;
    wait_text(&c, "#data-table th", "Total amount").await;
    screenshot(&c, "data-list-en").await;
    open(&c, &base, "data?c=loads&id=new").await;
    wait_text(&c, "#data-form legend", "Origin").await;
    screenshot(&c, "data-form-en").await;
    // The refused saves (422, 412) are logged by Chromium as failed loads; nothing else may be.
    let errors: Vec<String> = console_errors(&session.driver, &c)
        .await
        .into_iter()
        .filter(|e| !e.contains("status of 422") && !e.contains("status of 412"))
        .collect();
    assert!(errors.is_empty(), "browser console errors: {errors:#?}");
    c.close().await.unwrap();
}
