//! The web console in a real browser: Debian's headless Chromium driven through chromedriver with
//! fantoccini, against `wuliu serve --demo` on a temporary SQLite database.
//!
//! For each demo account (admin, regulator, shipper, carrier) it logs in through the login form,
//! checks the menu follows the role, compares every number of the overview (`data-metric`,
//! `data-block`) with `/api/v1/stats/overview` fetched in the same session, opens every page the
//! role may see in Chinese and in English (the labels must change), fails on any browser console
//! error, and saves screenshots to `target/console-screenshots/<page>-<lang>.png` (the admin's; the
//! other roles' as `<role>-<page>-<lang>.png`).
//!
//! Without `/usr/bin/chromedriver` (or `WULIU_CHROMEDRIVER`) the test says why and passes, unless
//! `WULIU_REQUIRE_BROWSER=1` (CI sets it).

mod browser;

use std::path::Path;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

/// How the overview formats a metric: decimals, and whether it is a rate shown in %.
fn format_of(metric: &str) -> (usize, bool) {
    match metric {
        "tonnes" => (1, false),
        "empty_running_rate" | "cold_chain_share" | "on_time_rate" => (1, true),
        _ => (0, false),
    }
}

const METRICS: [&str; 9] = [
    "waybills",
    "tonnes",
    "tonne_km",
    "active_vehicles",
    "online_vehicles",
    "empty_running_rate",
    "cold_chain_share",
    "on_time_rate",
    "open_alerts",
];

/// Every KPI on the page against the API's overview; `Err` names the first difference.
async fn compare_overview(c: &Client, api: &Value) -> Result<usize, String> {
    let shown = c
        .execute(
            "return [...document.querySelectorAll('[data-metric][data-block]')].map(e =>
               [e.dataset.metric, e.dataset.block, e.dataset.value, e.textContent]);",
            vec![],
        )
        .await
        .unwrap();
    let shown: Vec<(String, String, String, String)> = serde_json::from_value(shown).unwrap();
    let mut checked = 0;
    for block in ["today", "month_to_date"] {
        for metric in METRICS {
            let expected = &api[block][metric];
            let Some((_, _, raw, text)) =
                shown.iter().find(|(m, b, _, _)| m == metric && b == block)
            else {
                return Err(format!("no element for {metric} / {block}"));
            };
            if expected.is_null() {
                if raw != "null" || text != "—" {
                    return Err(format!("{metric}/{block}: API null, page {raw:?} {text:?}"));
                }
                checked += 1;
                continue;
            }
            let want = expected
                .as_f64()
                .ok_or_else(|| format!("{metric}/{block}: API value {expected}"))?;
            let got: f64 = raw
                .parse()
                .map_err(|_| format!("{metric}/{block}: data-value {raw:?}"))?;
            if (got - want).abs() > 1e-9 * want.abs().max(1.0) {
                return Err(format!("{metric}/{block}: API {want}, page {got}"));
            }
            // The text is the same number, rounded as the page rounds it.
            let (digits, pct) = format_of(metric);
            let scaled = if pct { want * 100.0 } else { want };
            let digits_only: String = text
                .chars()
                .filter(|ch| ch.is_ascii_digit() || *ch == '.' || *ch == '-')
                .collect();
            let shown: f64 = digits_only
                .parse()
                .map_err(|_| format!("{metric}/{block}: text {text:?}"))?;
            if (shown - scaled).abs() > 0.5 * 10f64.powi(-(digits as i32)) + 1e-9 {
                return Err(format!("{metric}/{block}: API {want} shows as {text:?}"));
            }
            checked += 1;
        }
    }
    Ok(checked)
}

/// (hash path, screenshot name, a CSS selector that must be on it) per page.
const STAFF_PAGES: [(&str, &str); 9] = [
    ("overview", "overview"),
    ("plan", "plan"),
    ("plan/report", "plan-report"),
    ("trends", "trends"),
    ("warnings", "warnings"),
    ("index", "index"),
    ("index/method", "index-method"),
    ("map", "map"),
    ("emergency", "emergency"),
];
const PARTY_PAGES: [(&str, &str); 2] = [("overview", "overview"), ("map", "map")];

async fn check_role(
    driver: &str,
    chromium: &Path,
    demo: &Demo,
    profile: &Path,
    user: &str,
    role: &str,
) {
    let c = browser(driver, chromium, profile).await;
    let base = &demo.base;

    // The login page, in Chinese by default; a wrong password shows the API's refusal.
    c.goto(&format!("{base}/#/login")).await.unwrap();
    assert_eq!(text_of(&c, "#login-submit").await, "登录");
    if role == "admin" {
        screenshot(&c, "login-zh").await;
        wait_css(&c, "#username")
            .await
            .send_keys(user)
            .await
            .unwrap();
        wait_css(&c, "#password")
            .await
            .send_keys("not the password")
            .await
            .unwrap();
        wait_css(&c, "#login-submit").await.click().await.unwrap();
        let err = text_of(&c, "#login-error:not(.hidden)").await;
        assert!(err.starts_with("登录失败"), "{err}");
        // The refused login is a 401 in the console's network log, which is expected here.
        let errors = console_errors(driver, &c).await;
        assert!(
            errors
                .iter()
                .all(|e| e.contains("/api/v1/login") && e.contains("401")),
            "{errors:#?}"
        );
        wait_css(&c, "#lang").await.click().await.unwrap();
        assert_eq!(text_of(&c, "#login-submit").await, "Log in");
        screenshot(&c, "login-en").await;
        wait_css(&c, "#lang").await.click().await.unwrap();
        assert_eq!(text_of(&c, "#login-submit").await, "登录");
    }
    assert_no_console_errors(driver, &c, "login page").await;

    login(&c, base, user, &demo.passwords[user]).await;
    let who = wait_css(&c, "#who").await;
    assert_eq!(who.attr("data-role").await.unwrap().as_deref(), Some(role));

    // The menu follows the role.
    let nav: Vec<String> = serde_json::from_value(
        c.execute(
            "return [...document.querySelectorAll('#nav a')].map(a => a.dataset.page);",
            vec![],
        )
        .await
        .unwrap(),
    )
    .unwrap();
    let staff = role == "admin" || role == "regulator";
    // The menu of app.js's routes for the role (Web console II added the workbenches).
    let expected: Vec<&str> = match role {
        "shipper" => vec![
            "overview",
            "map",
            "shipper",
            "dispatch",
            "loading",
            "monitoring",
            "data",
            "lot",
        ],
        "carrier" => vec![
            "overview",
            "map",
            "carrier",
            "dispatch",
            "loading",
            "monitoring",
            "data",
            "lot",
        ],
        _ => vec![
            "overview",
            "plan",
            "trends",
            "warnings",
            "index",
            "map",
            "monitoring",
            "data",
            "emergency",
            "tasks",
            "appeals",
            "talent",
            "lot",
        ],
    };
    assert_eq!(nav, expected, "{role}'s menu");

    // The overview's numbers are the API's, in this session's scope.
    open(&c, base, "overview").await;
    let mut attempt = 0;
    loop {
        let (status, api) = fetch(&c, "/api/v1/stats/overview").await;
        if status == 404 && api_pending() {
            eprintln!("{role}: /api/v1/stats/overview is not there yet; not compared");
            break;
        }
        assert_eq!(status, 200, "{role}: /api/v1/stats/overview: {api}");
        let scope = if staff { "city" } else { "party" };
        assert_eq!(api["scope"], scope, "{role}");
        let badge = wait_css(&c, "[data-scope]").await;
        assert_eq!(
            badge.attr("data-scope").await.unwrap().as_deref(),
            Some(scope)
        );
        match compare_overview(&c, &api).await {
            Ok(n) => {
                assert_eq!(n, 18, "nine metrics, two blocks");
                break;
            }
            // A live number (online vehicles) may change between the page's fetch and ours.
            Err(e) if attempt < 2 => {
                eprintln!("{role}: overview differs, reloading: {e}");
                attempt += 1;
                c.refresh().await.unwrap();
                wait_css(&c, "main[data-page=\"overview\"][data-ready=\"yes\"]").await;
            }
            Err(e) => panic!("{role}: {e}"),
        }
    }
    assert_no_console_errors(driver, &c, &format!("{role} overview")).await;

    // A page the role may not see says so.
    if !staff {
        c.goto(&format!("{base}/#/plan")).await.unwrap();
        wait_css(&c, "[data-state=\"forbidden\"]").await;
    }

    // Every page, in Chinese and then in English; the labels change with the language.
    let pages: &[(&str, &str)] = if staff { &STAFF_PAGES } else { &PARTY_PAGES };
    for lang in ["zh", "en"] {
        if lang == "en" {
            open(&c, base, "overview").await;
            assert_eq!(
                text_of(&c, "#nav a[data-page=\"overview\"]").await,
                "指挥舱"
            );
            wait_css(&c, "#lang").await.click().await.unwrap();
            wait_css(&c, "main[data-page=\"overview\"][data-ready=\"yes\"]").await;
            assert_eq!(
                text_of(&c, "#nav a[data-page=\"overview\"]").await,
                "Overview"
            );
            assert_eq!(text_of(&c, "#logout").await, "Log out");
            let html_lang = c
                .execute("return document.documentElement.lang", vec![])
                .await
                .unwrap();
            assert_eq!(html_lang, "en-GB");
            // The numbers are still the API's after the switch.
            let (status, api) = fetch(&c, "/api/v1/stats/overview").await;
            if status != 200 {
                assert!(api_pending(), "{role}: /api/v1/stats/overview: {api}");
            } else if let Err(e) = compare_overview(&c, &api).await {
                eprintln!("{role}: overview in English differs once: {e}");
            }
        }
        for (page, name) in pages {
            open(&c, base, page).await;
            let title = text_of(&c, "main h1").await;
            assert!(!title.is_empty(), "{page}: no title");
            let has_cjk = title
                .chars()
                .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch));
            assert_eq!(has_cjk, lang == "zh", "{page} in {lang}: title {title:?}");
            if *page == "map" {
                wait_css(&c, ".leaflet-container").await;
                wait_css(&c, "#map-legend").await;
                // No tile server by default: nothing but the platform's own layers.
                let tiles = c
                    .execute(
                        "return document.querySelectorAll('.leaflet-tile').length",
                        vec![],
                    )
                    .await
                    .unwrap();
                assert_eq!(tiles, json!(0));
            }
            let shot = if role == "admin" {
                format!("{name}-{lang}")
            } else if role == "regulator" {
                String::new()
            } else {
                format!("{role}-{name}-{lang}")
            };
            if !shot.is_empty() {
                screenshot(&c, &shot).await;
            }
            assert_no_console_errors(driver, &c, &format!("{role} {page} ({lang})")).await;
        }
    }

    // Log out: back to the login page, and the API no longer knows the browser.
    wait_css(&c, "#logout").await.click().await.unwrap();
    wait_css(&c, "#login-form").await;
    let (status, _) = fetch(&c, "/api/v1/me").await;
    assert_eq!(status, 401);
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_a_real_browser() {
    let Some(session) = Session::start("console_browser") else {
        return;
    };
    let (driver, chromium, demo, dir) = (
        &session.driver,
        &session.chromium,
        &session.demo,
        session.dir.path(),
    );

    for (user, role) in [
        ("demo-admin", "admin"),
        ("demo-regulator", "regulator"),
        ("demo-shipper", "shipper"),
        ("demo-carrier", "carrier"),
    ] {
        let profile = dir.join(format!("chromium-{role}"));
        check_role(driver, chromium, demo, &profile, user, role).await;
        eprintln!("console_browser: {role} checked");
    }
    eprintln!(
        "console_browser: screenshots in {}",
        screenshot_dir().display()
    );
}
