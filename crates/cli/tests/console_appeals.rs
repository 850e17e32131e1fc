//! The appeal desk (`#/appeals`, issue 29, 65号) in a real browser against `wuliu serve --demo`
//! (see `browser/mod.rs`):
//! - as demo-official (市商务局, the collection group): the list has a row per appeal the API
//!   lists; the collection form refuses a bad enterprise contact with the API's message at that
//!   field, then submits; the new appeal is listed as received, its detail offers collect, and
//!   collecting it moves it to collected (the API agrees, with the step in its history); the
//!   weekly Form 2 of today has the 13 printed columns and the rows the API's report has, and no
//!   approve button for an official;
//! - as demo-regulator (专班领导): the weekly report is approved from the page and reads approved;
//! - the English page; no browser console errors.
//!
//! Screenshots: `target/console-screenshots/appeals-*.png`.

mod browser;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

const NAME: &str = "示例浏览器测试外资企业有限公司（示例）";

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

async fn type_into(c: &Client, name: &str, text: &str) {
    let el = wait_css(c, &format!("#ap-form [name=\"{name}\"]")).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// Scrolls `css` to the middle of the viewport (clear of the sticky navigation) and clicks it.
/// Clicks a report button and waits until the report it asked for is on the page.
async fn report(c: &Client, kind: &str) {
    click(c, &format!("#ap-{kind}-btn")).await;
    wait_css(
        c,
        &format!("#ap-report[data-state=\"done\"][data-kind=\"{kind}\"]"),
    )
    .await;
}

async fn click(c: &Client, css: &str) {
    let el = wait_css(c, css).await;
    c.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        vec![json!(css)],
    )
    .await
    .unwrap();
    el.click().await.unwrap();
}

fn list(v: &Value, key: &str) -> Vec<Value> {
    v[key].as_array().cloned().unwrap_or_default()
}

/// Fills the collection form, first with a bad F7, then a good one; answers the new appeal's ID.
async fn submit(driver: &str, c: &Client) -> String {
    type_into(c, "reporting_contact_name", "示例联系人").await;
    type_into(c, "reporting_contact", "0772-0000000").await;
    type_into(c, "enterprise_name", NAME).await;
    type_into(c, "industry", "汽车").await;
    type_into(c, "parent_country", "德国").await;
    type_into(c, "registered_capital_10k_usd", "800").await;
    type_into(c, "enterprise_contact", "到门卫处找人").await;
    type_into(
        c,
        "issue",
        "示例：上海浦东机场长航线货运航班数量太少，北美和欧洲产品无法运输至上海。",
    )
    .await;
    click(c, "#ap-submit").await;
    let err = wait_text(
        c,
        "[data-path=\"form.enterprise_contact\"] .ap-field-error",
        "enterprise_contact",
    )
    .await;
    assert!(err.contains("phone") || err.contains("e-mail"), "{err}");
    screenshot(c, "appeals-zh-form-error").await;
    // The refused submission is the only console error so far (the browser logs the 422).
    let errors = console_errors(driver, c).await;
    assert!(errors.len() == 1 && errors[0].contains("422"), "{errors:?}");
    type_into(c, "enterprise_contact", "13800000000").await;
    click(c, "#ap-submit").await;
    wait_text(c, "#ap-list", NAME).await;
    let (_, v) = fetch(c, "/api/v1/gov/appeals").await;
    let mine = list(&v, "appeals")
        .into_iter()
        .find(|a| a["form"]["enterprise_name"] == NAME)
        .expect("listed by the API");
    assert_eq!(mine["status"], "received");
    assert_eq!(mine["form"]["reporting_unit"], "市商务局");
    assert_eq!(
        mine["form"]["registered_capital_10k_usd"].as_f64(),
        Some(800.0)
    );
    mine["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_official_submits_collects_and_reads_the_weekly_form2() {
    let Some(session) = Session::start("console_appeals") else {
        return;
    };
    let base = session.demo.base.clone();
    let c = session.login_as("demo-official").await;
    wait_css(&c, "#nav a[data-page=\"appeals\"]").await;
    open(&c, &base, "appeals").await;
    wait_css(&c, "#ap-list tbody tr").await;
    let (_, before) = fetch(&c, "/api/v1/gov/appeals").await;
    let n = list(&before, "appeals").len() as u64;
    assert!(n >= 7, "the demo's sample appeals: {n}");
    assert_eq!(count(&c, "#ap-list tbody tr").await, n);
    assert!(text_of(&c, "#ap-me").await.contains("信息采集组"));
    screenshot(&c, "appeals-zh-list").await;

    let id = submit(&session.driver, &c).await;
    let row = format!("#ap-list tr[data-appeal=\"{id}\"]");
    wait_css(&c, &format!("{row}[data-status=\"received\"]")).await;
    click(&c, ".ap-act[data-action=\"collect\"]").await;
    wait_css(&c, &format!("{row}[data-status=\"collected\"]")).await;
    wait_css(&c, "#ap-history li[data-action=\"collect\"]").await;
    let (_, one) = fetch(&c, &format!("/api/v1/gov/appeals/{id}")).await;
    assert_eq!(one["status"], "collected");
    let steps: Vec<&str> = one["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["submit", "collect"]);
    js(&c, "window.scrollTo(0, 0);").await;
    wait_css(&c, "#toast[hidden]").await;
    screenshot(&c, "appeals-zh-detail").await;

    // The weekly Form 2 of today: the printed columns, the API's rows, no approval for an official.
    report(&c, "weekly").await;
    let date = js(
        &c,
        "return document.getElementById('ap-report-date').value;",
    )
    .await;
    let (status, rep) = fetch(
        &c,
        &format!(
            "/api/v1/gov/appeals/reports/weekly?date={}",
            date.as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, 200, "{rep}");
    let rows = list(&rep, "rows");
    assert!(
        !rows.is_empty(),
        "the demo puts an appeal in every last-closed window"
    );
    wait_css(&c, "#ap-form2 tbody tr").await;
    let heads = js(
        &c,
        "return [...document.querySelectorAll('#ap-form2 thead th')].map(e => e.textContent);",
    )
    .await;
    assert_eq!(
        heads,
        json!([
            "序号",
            "企业名称",
            "母公司国别/地区",
            "行业领域",
            "所在省市区",
            "注册资本(万美元)",
            "企业简介",
            "问题和诉求",
            "相关建议",
            "企业联系人和联系方式",
            "报送单位",
            "报送日期",
            "备注"
        ])
    );
    let page_rows = js(
        &c,
        "return [...document.querySelectorAll('#ap-form2 tbody tr')].map(e => e.dataset.appeal);",
    )
    .await;
    let api_rows: Vec<Value> = rows.iter().map(|r| r["appeal_id"].clone()).collect();
    assert_eq!(page_rows, json!(api_rows));
    assert_eq!(
        count(&c, "#ap-approve").await,
        0,
        "an official does not approve"
    );
    js(&c, "document.getElementById('ap-report').scrollIntoView();").await;
    screenshot(&c, "appeals-zh-weekly").await;
    report(&c, "monthly").await;
    wait_css(&c, "#ap-month-head").await;
    js(&c, "document.getElementById('ap-report').scrollIntoView();").await;
    screenshot(&c, "appeals-zh-monthly").await;
    assert_no_console_errors(&session.driver, &c, "appeals (official)").await;

    // 专班领导 approves the weekly report from the page.
    let lead = session.login_as("demo-regulator").await;
    let (_, before) = fetch(&lead, "/api/v1/gov/appeals/reports").await;
    open(&lead, &base, "appeals").await;
    report(&lead, "weekly").await;
    click(&lead, "#ap-approve").await;
    wait_css(&lead, "#ap-approval[data-approved=\"yes\"]").await;
    let (_, approved) = fetch(&lead, "/api/v1/gov/appeals/reports").await;
    assert_eq!(
        list(&approved, "reports").len(),
        list(&before, "reports").len() + 1
    );
    assert_eq!(approved["reports"][0]["kind"], "weekly");
    js(
        &lead,
        "document.getElementById('ap-report').scrollIntoView();",
    )
    .await;
    wait_css(&lead, "#toast[hidden]").await;
    screenshot(&lead, "appeals-zh-approved").await;

    // English.
    click(&lead, "#lang").await;
    wait_css(&lead, "main[data-page=\"appeals\"][data-ready=\"yes\"]").await;
    wait_text(&lead, "main h1", "Foreign-enterprise appeals").await;
    wait_css(&lead, "#ap-list tbody tr").await;
    screenshot(&lead, "appeals-en").await;
    assert_no_console_errors(&session.driver, &lead, "appeals (leadership)").await;
    let _ = lead.close().await;
    let _ = c.close().await;
}
