//! The task-division tracker (`#/tasks`, issue 29) in a real browser against `wuliu serve --demo`
//! (see `browser/mod.rs`), as the demo official of 市商务局:
//! - it lands on its to-do list (`#/todo`): the API's warned tasks of its unit and the appeals it
//!   may act on, each linking to its desk's page;
//! - the list has one row per task of the API (27 of 69号 and 35 of 61号), each row's status and
//!   warning as the API says, the counts as the API's; the document filter leaves 61号's 35;
//! - the county targets table has the 23 rows of 63号 with the API's statuses;
//! - 61-31 (led by 市商务局, no report in the demo): the official files a report with a file; the
//!   page shows it on the timeline with the status change to in progress, and the API agrees
//!   (one report, its attachment, the task in progress);
//! - on 61-33, where 市商务局 cooperates, the form offers no "completed";
//! - the English page (no untranslated key); no browser console errors;
//! - as demo-regulator: setting 69-03's deadline (持续推进) from the page; unreadable text is named,
//!   a day already past makes it overdue, and the change is kept with its reason. The test prints how long
//!   the list, the summary and the county targets take to answer in the page (demo data).
//!
//! Screenshots: `target/console-screenshots/tasks-*.png`.

mod browser;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap()
}

/// `(task, status, warning)` of every row of the task table, in page order.
async fn rows(c: &Client) -> Vec<(String, String, String)> {
    let v = js(
        c,
        "return [...document.querySelectorAll('#tasks-table tbody tr')].map(r => [r.dataset.task, r.dataset.status, r.dataset.warning]);",
        vec![],
    )
    .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: usize| r[k].as_str().unwrap_or_default().to_string();
            (s(0), s(1), s(2))
        })
        .collect()
}

async fn choose(c: &Client, name: &str, value: &str) {
    js(
        c,
        "const s = document.querySelector(`#tasks-filters [name=\"${arguments[0]}\"]`); s.value = arguments[1];
         s.dispatchEvent(new Event('change'));",
        vec![json!(name), json!(value)],
    )
    .await;
}

async fn list_checks(c: &Client) {
    let (code, api) = fetch(c, "/api/v1/gov/tasks").await;
    assert_eq!(code, 200, "{api}");
    let want: Vec<(String, String, String)> = api["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let tr = &t["tracking"];
            let w = tr["warning"].as_str().unwrap_or_default();
            (
                t["external_id"].as_str().unwrap().to_string(),
                tr["status"].as_str().unwrap().to_string(),
                w.to_string(),
            )
        })
        .collect();
    assert_eq!(want.len(), 62, "27 tasks of 69号 and 35 measures of 61号");
    assert_eq!(
        rows(c).await,
        want,
        "one row per task with the API's status and warning"
    );
    let total = text_of(c, "#tasks-stats [data-stat=\"total\"] .stat-num").await;
    assert_eq!(total, "62");
    let stale = text_of(c, "#tasks-stats [data-stat=\"stale\"] .stat-num").await;
    assert_eq!(stale, api["counts"]["stale"].to_string());
    assert!(
        want.iter().any(|w| w.2 == "stale"),
        "the demo shows missing reports"
    );
    assert!(
        want.iter().any(|w| w.1 == "completed"),
        "the demo shows a completed task"
    );
    // 63号: 23 rows with the API's statuses.
    let (_, county) = fetch(c, "/api/v1/gov/county-targets").await;
    let page = js(c, "return [...document.querySelectorAll('#tasks-county tbody tr')].map(r => r.dataset.status);", vec![]).await;
    let api_status: Vec<Value> = county["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["assessment"]["status"].clone())
        .collect();
    assert_eq!(page.as_array().unwrap().len(), 23);
    assert_eq!(page.as_array().unwrap(), &api_status);
    screenshot(c, "tasks-list").await;
    js(
        c,
        "document.getElementById('tasks-summary').scrollIntoView();",
        vec![],
    )
    .await;
    screenshot(c, "tasks-summary").await;
    choose(c, "document", "61").await;
    wait_text(c, "#tasks-stats [data-stat=\"total\"] .stat-num", "35").await;
    let r = rows(c).await;
    assert_eq!(r.len(), 35);
    assert!(r.iter().all(|(id, _, _)| id.starts_with("61-")), "{r:?}");
}

async fn report_flow(s: &Session, c: &Client) {
    let (_, task) = fetch(c, "/api/v1/gov/tasks/61-31").await;
    assert_eq!(task["tracking"]["status"], "not_started", "{task}");
    let id = task["id"].as_str().unwrap().to_string();
    wait_css(c, "#tasks-table tr[data-task=\"61-31\"] a")
        .await
        .click()
        .await
        .unwrap();
    wait_css(c, "#task-report-form").await;
    assert_eq!(text_of(c, "#task-status").await, "未开始");
    screenshot(c, "tasks-detail-before").await;
    let file = s.dir.path().join("第四季度进展.pdf");
    std::fs::write(&file, b"%PDF-1.4 progress of 61-31").unwrap();
    let form = "#task-report-form";
    wait_css(c, &format!("{form} [name=\"progress_pct\"]"))
        .await
        .clear()
        .await
        .unwrap();
    wait_css(c, &format!("{form} [name=\"progress_pct\"]"))
        .await
        .send_keys("20")
        .await
        .unwrap();
    let text = "已组织重点商贸企业开展四季促销活动，正在汇总成效。";
    wait_css(c, &format!("{form} [name=\"text\"]"))
        .await
        .send_keys(text)
        .await
        .unwrap();
    wait_css(c, &format!("{form} [name=\"files\"]"))
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    wait_css(c, &format!("{form} button[type=\"submit\"]"))
        .await
        .click()
        .await
        .unwrap();
    wait_css(c, "#task-head[data-status=\"in_progress\"]").await;
    let timeline = wait_text(c, "#task-timeline", "牵头单位报告：推进中，进度 20%").await;
    assert!(timeline.contains("状态变为：推进中"), "{timeline}");
    let kinds = js(c, "return [...document.querySelectorAll('#task-timeline li')].map(l => l.dataset.kind + ':' + l.dataset.status);", vec![]).await;
    assert_eq!(
        kinds[0], "status_changed:in_progress",
        "newest first: {kinds}"
    );
    assert_eq!(kinds[1], "report:", "{kinds}");
    wait_text(c, "#task-reports", "第四季度进展.pdf").await;
    let (_, after) = fetch(c, &format!("/api/v1/gov/tasks/{id}")).await;
    assert_eq!(after["tracking"]["status"], "in_progress");
    let reports = after["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        (
            reports[0]["text"].as_str(),
            reports[0]["progress_pct"].as_u64()
        ),
        (Some(text), Some(20))
    );
    assert_eq!(reports[0]["unit_name"], "市商务局");
    assert_eq!(
        reports[0]["attachments"][0]["media_type"],
        "application/pdf"
    );
    add_a_file_later(s, c, &id, reports[0]["id"].as_str().unwrap()).await;
    js(
        c,
        "document.getElementById('task-timeline').scrollIntoView();",
        vec![],
    )
    .await;
    screenshot(c, "tasks-detail-after").await;
}

/// The unit adds a signed scan to the report it filed: the report's row takes the file, and the
/// API lists it after the first.
async fn add_a_file_later(s: &Session, c: &Client, task: &str, report: &str) {
    let scan = s.dir.path().join("盖章扫描件.pdf");
    std::fs::write(&scan, b"%PDF-1.4 signed scan").unwrap();
    wait_css(
        c,
        &format!("#task-reports input.add-files[data-report=\"{report}\"]"),
    )
    .await
    .send_keys(scan.to_str().unwrap())
    .await
    .unwrap();
    wait_text(c, "#task-reports", "盖章扫描件.pdf").await;
    let (_, after) = fetch(c, &format!("/api/v1/gov/tasks/{task}/reports")).await;
    let names: Vec<&str> = after["reports"][0]["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["第四季度进展.pdf", "盖章扫描件.pdf"], "{after}");
    let scroll = "document.getElementById('task-reports').scrollIntoView({block: 'center'});";
    js(c, scroll, vec![]).await;
    screenshot(c, "tasks-file-added").await;
}

async fn cooperating_form(s: &Session, c: &Client) {
    open(c, &s.demo.base, "tasks?id=61-33").await;
    wait_css(c, "#task-report-form").await;
    let options = js(c, "return [...document.querySelectorAll('#task-report-form [name=status] option')].map(o => o.value);", vec![]).await;
    assert_eq!(
        options,
        json!(["in_progress"]),
        "a cooperating unit reports progress only"
    );
    screenshot(c, "tasks-cooperating").await;
}

async fn english(s: &Session, c: &Client) {
    open(c, &s.demo.base, "tasks").await;
    wait_css(c, "#lang").await.click().await.unwrap();
    wait_css(c, "main[data-page=\"tasks\"][data-ready=\"yes\"]").await;
    wait_text(c, "main h1", "Task tracker").await;
    wait_css(c, "#tasks-table").await;
    let main = text_of(c, "main").await;
    assert!(main.contains("Report missing"), "{main}");
    for key in ["tasks.", "nav."] {
        assert!(
            !main.contains(key),
            "an untranslated key on the page: {main}"
        );
    }
    screenshot(c, "tasks-en-list").await;
    // How long the page's three reads take (median of 5, demo data: 62 tasks, 23 targets).
    for path in [
        "/api/v1/gov/tasks",
        "/api/v1/gov/tasks/summary?by=unit",
        "/api/v1/gov/county-targets",
    ] {
        let ms = c
            .execute_async(
                "const done = arguments[arguments.length - 1]; (async () => { const t = [];
                 for (let i = 0; i < 5; i++) { const s = performance.now();
                   await (await fetch(arguments[0], { credentials: 'same-origin' })).json(); t.push(performance.now() - s); }
                 t.sort((a, b) => a - b); done(t[2]); })();",
                vec![json!(path)],
            )
            .await
            .unwrap();
        eprintln!(
            "console_tasks: GET {path}: median {:.1} ms",
            ms.as_f64().unwrap()
        );
    }
}

/// The official lands on its to-do list (#/todo): the rows are the API's, its unit's warned tasks
/// and the appeals it may act on; a task's link opens the task, an appeal's opens it on #/appeals.
async fn todo_checks(s: &Session, c: &Client) {
    wait_css(c, "main[data-page=\"todo\"][data-ready=\"yes\"]").await;
    let (code, api) = fetch(c, "/api/v1/gov/todo").await;
    assert_eq!(code, 200, "{api}");
    let attr = |list: &str, key: &str| {
        api[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[key].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let tasks = attr("tasks", "external_id");
    assert!(
        !tasks.is_empty(),
        "the demo's 市商务局 has warned tasks: {api}"
    );
    let shown = js(
        c,
        "return [...document.querySelectorAll('#todo-tasks tbody tr')].map(r => r.dataset.task);",
        vec![],
    )
    .await;
    assert_eq!(shown, json!(tasks));
    let appeals = attr("appeals", "id");
    assert!(
        !appeals.is_empty(),
        "the demo has appeals for 信息采集组: {api}"
    );
    let shown = js(c, "return [...document.querySelectorAll('#todo-appeals tbody tr')].map(r => r.dataset.appeal);", vec![]).await;
    assert_eq!(shown, json!(appeals));
    let stat = text_of(c, "#todo-stats [data-stat=\"tasks\"] .stat-num").await;
    assert_eq!(stat, tasks.len().to_string());
    screenshot(c, "todo-official").await;
    wait_css(
        c,
        &format!("#todo-appeals tr[data-appeal=\"{}\"] a", appeals[0]),
    )
    .await
    .click()
    .await
    .unwrap();
    wait_css(c, "main[data-page=\"appeals\"][data-ready=\"yes\"]").await;
    let head = text_of(c, "#ap-detail-head").await;
    let name = api["appeals"][0]["form"]["enterprise_name"]
        .as_str()
        .unwrap();
    assert!(head.contains(name), "{head} / {name}");
    open(c, &s.demo.base, "todo").await;
    wait_css(c, &format!("#todo-tasks tr[data-task=\"{}\"] a", tasks[0]))
        .await
        .click()
        .await
        .unwrap();
    wait_css(c, "#task-head").await;
    let head = text_of(c, "#task-head").await;
    assert!(head.starts_with(&tasks[0]), "{head}");
}

async fn fill(c: &Client, css: &str, text: &str) {
    let input = wait_css(c, css).await;
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// The regulator sets a deadline on 69-03 (持续推进): unreadable text is named in the form; a
/// day already past makes the task overdue on the page and in the API, with the change kept.
async fn office_sets_a_deadline(s: &Session) {
    let c = s.login_as("demo-regulator").await;
    viewport(&c, 1366, 900).await;
    open(&c, &s.demo.base, "tasks?id=69-03").await;
    let (_, before) = fetch(&c, "/api/v1/gov/tasks/69-03").await;
    assert_eq!(before["tracking"]["periodic"], true, "{before}");
    let form = "#task-deadline-form";
    fill(&c, &format!("{form} [name=\"deadline_text\"]"), "第二季度").await;
    fill(&c, &format!("{form} [name=\"reason\"]"), "市政府专题会议定").await;
    wait_css(&c, &format!("{form} button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    let err = wait_text(&c, "#task-deadline-errors", "deadline_text").await;
    assert!(err.contains("第二季度"), "{err}");
    // The refused PUT is the one error the browser logs.
    let refused = console_errors(&s.driver, &c).await;
    assert!(
        refused.len() == 1 && refused[0].contains("422"),
        "{refused:#?}"
    );
    fill(
        &c,
        &format!("{form} [name=\"deadline_text\"]"),
        "2026年6月30日",
    )
    .await;
    wait_css(&c, &format!("{form} button[type=submit]"))
        .await
        .click()
        .await
        .unwrap();
    wait_css(&c, "#task-head[data-status=\"overdue\"]").await;
    let head = text_of(&c, "#task-head").await;
    assert!(head.contains("时限：2026年6月30日"), "{head}");
    assert!(head.contains("由“持续推进”调整为“2026年6月30日”"), "{head}");
    let (_, after) = fetch(&c, "/api/v1/gov/tasks/69-03").await;
    assert_eq!(after["tracking"]["status"], "overdue", "{after}");
    assert_eq!(
        after["deadline_changes"][0]["reason"], "市政府专题会议定",
        "{after}"
    );
    assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
    screenshot(&c, "tasks-deadline-set").await;
    assert_no_console_errors(&s.driver, &c, "tasks deadline").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_official_files_a_report_and_sees_it_on_the_timeline() {
    let Some(s) = Session::start("console_tasks") else {
        return;
    };
    let c = s.login_as("demo-official").await;
    viewport(&c, 1366, 900).await;
    todo_checks(&s, &c).await;
    open(&c, &s.demo.base, "tasks").await;
    wait_css(&c, "#tasks-table").await;
    list_checks(&c).await;
    report_flow(&s, &c).await;
    cooperating_form(&s, &c).await;
    assert_no_console_errors(&s.driver, &c, "tasks (zh)").await;
    english(&s, &c).await;
    assert_no_console_errors(&s.driver, &c, "tasks (en)").await;
    c.close().await.unwrap();
    office_sets_a_deadline(&s).await;
}
