//! The industry–education platform (`#/talent`, issue 29, 69号) in a real browser against
//! `wuliu serve --demo` (see `browser/mod.rs`):
//! - as `demo-enterprise`: the page lists the party's demands as the API does; a demand without a
//!   title is refused with the API's message at the title field; a good one posted through the
//!   form appears in the list and its matches show in the API's order, each with the score, the
//!   skills matched and missing, and the near misses with the rules they fail (the API's codes);
//! - as `demo-college`: its supply's matches from the other side, with the same score for the
//!   pair the enterprise saw;
//! - as `demo-official` (the bureau's view): the statistics tiles and the per-skill supply against
//!   demand table equal `GET /stats`;
//! - the English page has no untranslated key; no browser console errors;
//! - as `demo-enterprise` again (a demo of its own): 编辑 on one of its demands fills the form with
//!   the post, 保存修改 PUTs it at the version read (the API then holds the new headcount and skill
//!   and one version more, and every field the form does not show as it was) and the list shows
//!   it; a post changed through the API behind the page's back is not overwritten by the page's
//!   stale save: the page says so and takes the latest post; a refused edit shows at the field.
//!
//! Screenshots: `target/console-screenshots/talent-*.png`.

mod browser;

use std::time::Duration;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

const TITLE: &str = "数控与机器人实习生（测试）";
/// The demo demand the edit test changes (it has fields the form does not show: a
/// `min_headcount` and a point that is not the county seat's).
const EDITED: &str = "新能源汽车电池订单班（示例）";

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

async fn open_talent(c: &Client, base: &str) {
    open(c, base, "talent").await;
    wait_css(c, "#tl-list table, #tl-list .nodata").await;
}

/// The `data-*` attribute `attr` of every element matching `css`, in page order.
async fn attrs(c: &Client, css: &str, attr: &str) -> Vec<String> {
    let v = c
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]));",
            vec![json!(css), json!(attr)],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

/// Waits until `#tl-matches` has rendered an answer.
async fn matches_done(c: &Client) -> Value {
    wait_css(c, "#tl-matches[data-state=\"done\"]").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    js(c, "return window.__talentMatches;").await
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// The page's match blocks against the API's answer for the same post.
async fn check_matches(c: &Client, side: &str, page: &Value) -> Value {
    let id = page["subject"].as_str().unwrap();
    let (status, api) = fetch(
        c,
        &format!("/api/v1/gov/talent/{side}/{id}/matches?limit=10"),
    )
    .await;
    assert_eq!(status, 200, "{api}");
    let key = if side == "demands" {
        "supply"
    } else {
        "demand"
    };
    let want: Vec<String> = api["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[key].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        attrs(c, "#tl-match-list .tl-match", "data-id").await,
        want,
        "the page's order is the API's"
    );
    let scores: Vec<String> = api["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["score"].to_string())
        .collect();
    let shown: Vec<String> = attrs(c, "#tl-match-list .tl-match", "data-score").await;
    let shown: Vec<String> = shown
        .iter()
        .map(|s| json!(s.parse::<f64>().unwrap()).to_string())
        .collect();
    assert_eq!(shown, scores);
    let miss_codes: Vec<String> = api["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            m["excluded_by"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["code"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(
        attrs(c, "#tl-miss-list li[data-code]", "data-code").await,
        miss_codes
    );
    api
}

/// As the enterprise: a refused post, a good one, its matches.
async fn enterprise_flow(s: &Session) -> (String, Value) {
    let c = s.login_as("demo-enterprise").await;
    let base = &s.demo.base;
    open_talent(&c, base).await;
    let (_, mine) = fetch(&c, "/api/v1/gov/talent/demands").await;
    let listed = strs(&json!(attrs(&c, "#tl-demands tbody tr", "data-post").await));
    let api: Vec<String> = mine["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        api.len() >= 6,
        "the demo enterprise has its demands: {mine}"
    );
    assert_eq!(listed, api);
    screenshot(&c, "talent-enterprise").await;

    // Without a title: the API's message at the title field, nothing posted.
    js(
        &c,
        "document.querySelector('#tl-form [name=\"kind\"]').value = 'internship';",
    )
    .await;
    for code in [
        "cnc_machining",
        "industrial_robots",
        "quality_testing",
        "automotive",
    ] {
        wait_css(&c, &format!("#tl-form input[value=\"{code}\"]"))
            .await
            .click()
            .await
            .unwrap();
    }
    let headcount = wait_css(&c, "#tl-form [name=\"headcount\"]").await;
    headcount.clear().await.unwrap();
    headcount.send_keys("8").await.unwrap();
    js(&c, "const f = document.getElementById('tl-form'); f.elements.start.value = '2026-07-01'; f.elements.county.value = '450205';").await;
    wait_css(&c, "#tl-submit").await.click().await.unwrap();
    wait_text(&c, "[data-path=\"title\"] .tl-field-error", "必填").await;
    let codes = attrs(&c, "#tl-form .tl-field-error", "data-code").await;
    assert_eq!(codes, ["required"], "only the title is refused");
    screenshot(&c, "talent-form-error").await;
    let refused = console_errors(&s.driver, &c).await;
    assert!(
        refused.len() == 1 && refused[0].contains("422"),
        "{refused:#?}"
    );

    wait_css(&c, "#tl-form [name=\"title\"]")
        .await
        .send_keys(TITLE)
        .await
        .unwrap();
    wait_css(&c, "#tl-submit").await.click().await.unwrap();
    let page = matches_done(&c).await;
    wait_text(&c, "#tl-demands", TITLE).await;
    assert!(c
        .find(fantoccini::Locator::Css(
            "[data-path=\"title\"] .tl-field-error"
        ))
        .await
        .is_err());
    let api = check_matches(&c, "demands", &page).await;
    assert!(
        api["matches"].as_array().unwrap().len() >= 2,
        "the demo supply serves it: {api}"
    );
    assert!(
        !api["excluded"].as_array().unwrap().is_empty(),
        "and some supply misses: {api}"
    );
    // The best match's chips are its matched and missing skills, in Chinese.
    let first = &api["matches"][0];
    let matched = text_of(&c, "#tl-match-list .tl-match:first-child .tl-matched").await;
    let missing = text_of(&c, "#tl-match-list .tl-match:first-child .tl-missing").await;
    let (_, vocab) = fetch(&c, "/api/v1/gov/talent/tags").await;
    let zh = |code: &str| -> String {
        vocab["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == code)
            .unwrap()["zh"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for code in strs(&first["explanation"]["matched_skills"]) {
        assert!(matched.contains(&zh(&code)), "{matched} lacks {code}");
    }
    for code in strs(&first["explanation"]["missing_skills"]) {
        assert!(missing.contains(&zh(&code)), "{missing} lacks {code}");
    }
    wait_css(
        &c,
        "#tl-match-list .tl-breakdown tr[data-criterion=\"skills\"]",
    )
    .await;
    wait_css(&c, "#toast[hidden]").await;
    screenshot(&c, "talent-enterprise-matches").await;
    js(
        &c,
        "document.getElementById('tl-miss-list').scrollIntoView();",
    )
    .await;
    screenshot(&c, "talent-enterprise-near-misses").await;
    assert_no_console_errors(&s.driver, &c, "talent (enterprise)").await;

    // English: every label translated.
    js(&c, "window.scrollTo(0, 0);").await;
    wait_css(&c, "#lang").await.click().await.unwrap();
    wait_css(&c, "main[data-page=\"talent\"][data-ready=\"yes\"]").await;
    wait_text(&c, "main h1", "Industry–education matching").await;
    wait_css(&c, "#tl-demands tbody tr .tl-show")
        .await
        .click()
        .await
        .unwrap();
    matches_done(&c).await;
    let main = text_of(&c, "main").await;
    assert!(
        !main.contains("talent."),
        "an untranslated key on the page: {main}"
    );
    screenshot(&c, "talent-en-matches").await;
    wait_css(&c, "#lang").await.click().await.unwrap();
    wait_css(&c, "main[data-page=\"talent\"][data-ready=\"yes\"]").await;
    c.close().await.unwrap();
    (page["subject"].as_str().unwrap().to_string(), api)
}

/// As the college: the best supply of the enterprise's new demand, seen from its side.
async fn college_flow(s: &Session, demand: &str, seen: &Value) {
    let c = s.login_as("demo-college").await;
    open_talent(&c, &s.demo.base).await;
    let best = seen["matches"][0]["supply"].as_str().unwrap();
    wait_css(
        &c,
        &format!("#tl-supplies tr[data-post=\"{best}\"] .tl-show"),
    )
    .await
    .click()
    .await
    .unwrap();
    let page = matches_done(&c).await;
    let api = check_matches(&c, "supplies", &page).await;
    let pair = api["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["demand"] == demand)
        .unwrap_or_else(|| panic!("the college sees the new demand: {api}"));
    assert_eq!(
        pair["score"], seen["matches"][0]["score"],
        "one pair, one score"
    );
    wait_text(
        &c,
        &format!("#tl-match-list .tl-match[data-id=\"{demand}\"]"),
        TITLE,
    )
    .await;
    screenshot(&c, "talent-college-matches").await;
    assert_no_console_errors(&s.driver, &c, "talent (college)").await;
    c.close().await.unwrap();
}

/// As the bureau: the statistics equal the API's.
async fn bureau_flow(s: &Session) {
    let c = s.login_as("demo-official").await;
    open_talent(&c, &s.demo.base).await;
    wait_css(&c, "#tl-stats[data-state=\"done\"]").await;
    let (status, st) = fetch(&c, "/api/v1/gov/talent/stats").await;
    assert_eq!(status, 200, "{st}");
    let tiles = attrs(&c, "#tl-stats .stat", "data-stat").await;
    assert_eq!(tiles, ["demands", "supplies", "match_rate", "unmatched"]);
    let demands = text_of(&c, "#tl-stats .stat[data-stat=\"demands\"] .stat-num").await;
    assert_eq!(demands, st["demands"].to_string());
    let tags: Vec<String> = st["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["tag"].as_str().unwrap().to_string())
        .collect();
    let gaps: Vec<String> = st["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["gap"].to_string())
        .collect();
    assert_eq!(attrs(&c, "#tl-skills tbody tr", "data-tag").await, tags);
    assert_eq!(attrs(&c, "#tl-skills tbody tr", "data-gap").await, gaps);
    assert!(
        gaps.iter().any(|g| g.parse::<i64>().unwrap() > 0),
        "the demo shows a shortage: {gaps:?}"
    );
    let unmatched: Vec<String> = st["unmatched"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["demand"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !unmatched.is_empty(),
        "the demo has a demand nothing serves"
    );
    assert_eq!(
        attrs(&c, "#tl-unmatched tbody tr", "data-demand").await,
        unmatched
    );
    screenshot(&c, "talent-stats").await;
    js(
        &c,
        "document.getElementById('tl-unmatched').scrollIntoView();",
    )
    .await;
    screenshot(&c, "talent-stats-unmatched").await;
    assert_no_console_errors(&s.driver, &c, "talent (bureau)").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn talent_page_posts_a_demand_and_shows_matches_with_reasons() {
    let Some(session) = Session::start("console_talent") else {
        return;
    };
    let (demand, seen) = enterprise_flow(&session).await;
    college_flow(&session, &demand, &seen).await;
    bureau_flow(&session).await;
}

/// What the post form holds, as the API names the fields.
async fn form_state(c: &Client) -> Value {
    js(
        c,
        "const f = document.getElementById('tl-form');
         const tags = (n) => [...f.querySelectorAll(`input[name=\"${n}\"]:checked`)].map((x) => x.value);
         return { mode: f.dataset.mode, version: f.dataset.version || null, kind: f.elements.kind.value,
                  title: f.elements.title.value, description: f.elements.description.value,
                  industry_tags: tags('industry_tags'), skill_tags: tags('skill_tags'),
                  headcount: f.elements.headcount.value, min_education: f.elements.min_education.value,
                  start: f.elements.start.value, end: f.elements.end.value, county: f.elements.county.value,
                  on_site: f.elements.on_site.checked, max_km: f.elements.max_km.value,
                  submit: document.getElementById('tl-submit').textContent,
                  cancel_shown: !document.getElementById('tl-cancel').hidden };",
    )
    .await
}

/// Sorted copy of a list of tag codes.
fn sorted(v: &Value) -> Vec<String> {
    let mut out = strs(v);
    out.sort();
    out
}

/// GET one demand: `(status, body)`.
async fn demand(c: &Client, id: &str) -> Value {
    let (status, post) = fetch(c, &format!("/api/v1/gov/talent/demands/{id}")).await;
    assert_eq!(status, 200, "{post}");
    post
}

/// `post` without the fields the platform sets (what a PUT sends, less the version).
fn content(post: &Value) -> Value {
    let mut m = post.as_object().unwrap().clone();
    for k in [
        "id",
        "version",
        "created_at",
        "updated_at",
        "status",
        "posted_by",
        "history",
    ] {
        m.remove(k);
    }
    Value::Object(m)
}

/// Sets the form's headcount field to `n` as a user types it.
async fn type_headcount(c: &Client, n: u64) {
    let field = wait_css(c, "#tl-form [name=\"headcount\"]").await;
    field.clear().await.unwrap();
    field.send_keys(&n.to_string()).await.unwrap();
}

/// Clicks 编辑 in the list row of `id` and waits for the form to hold that post.
async fn click_edit(c: &Client, id: &str) {
    wait_css(c, &format!("#tl-demands tr[data-post=\"{id}\"] .tl-edit"))
        .await
        .click()
        .await
        .unwrap();
    wait_css(
        c,
        &format!("#tl-form[data-mode=\"edit\"][data-post=\"{id}\"]"),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn talent_page_edits_a_post_and_refuses_a_stale_save() {
    let Some(s) = Session::start("console_talent (edit)") else {
        return;
    };
    let c = s.login_as("demo-enterprise").await;
    open_talent(&c, &s.demo.base).await;
    let (_, mine) = fetch(&c, "/api/v1/gov/talent/demands").await;
    let before = mine["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == EDITED)
        .unwrap_or_else(|| panic!("the demo has '{EDITED}': {mine}"))
        .clone();
    let id = before["id"].as_str().unwrap().to_string();
    let v0 = before["version"].as_i64().unwrap();
    assert!(
        before["min_headcount"].is_number() && before["location"]["point"].is_object(),
        "the demo demand has fields the form does not show: {before}"
    );

    // 编辑: the form holds the post, in edit mode.
    click_edit(&c, &id).await;
    let form = form_state(&c).await;
    assert_eq!(form["mode"], "edit");
    assert_eq!(form["version"], v0.to_string());
    assert_eq!(form["submit"], "保存修改");
    assert_eq!(form["cancel_shown"], true);
    for k in ["kind", "title", "min_education", "start"] {
        assert_eq!(form[k], before[k], "{k}");
    }
    assert_eq!(form["description"], "");
    assert_eq!(form["end"], "");
    assert_eq!(form["max_km"], "");
    assert_eq!(form["on_site"], before["on_site"]);
    assert_eq!(form["headcount"], before["headcount"].to_string());
    assert_eq!(form["county"], before["location"]["division_code"]);
    assert_eq!(
        sorted(&form["industry_tags"]),
        sorted(&before["industry_tags"])
    );
    assert_eq!(sorted(&form["skill_tags"]), sorted(&before["skill_tags"]));
    wait_text(&c, ".card-title", "修改需求").await;
    wait_text(&c, "#tl-editing", EDITED).await;

    // A bigger headcount and one more skill, saved.
    let headcount = before["headcount"].as_u64().unwrap() + 6;
    type_headcount(&c, headcount).await;
    wait_css(
        &c,
        "#tl-form input[name=\"skill_tags\"][value=\"smart_manufacturing\"]",
    )
    .await
    .click()
    .await
    .unwrap();
    screenshot(&c, "talent-edit-form").await;
    wait_css(&c, "#tl-submit").await.click().await.unwrap();
    wait_css(
        &c,
        &format!("#tl-matches[data-state=\"done\"][data-post=\"{id}\"]"),
    )
    .await;
    wait_text(&c, "#toast", "已保存").await;
    let after = demand(&c, &id).await;
    assert_eq!(after["version"].as_i64().unwrap(), v0 + 1, "{after}");
    assert_eq!(after["headcount"], json!(headcount));
    let mut skills = strs(&before["skill_tags"]);
    skills.push("smart_manufacturing".into());
    assert_eq!(
        strs(&after["skill_tags"]),
        skills,
        "the old tags keep their order"
    );
    let mut want = content(&before);
    want["headcount"] = json!(headcount);
    want["skill_tags"] = json!(skills);
    assert_eq!(
        content(&after),
        want,
        "every other field as it was (min_headcount, the point)"
    );
    wait_text(
        &c,
        &format!("#tl-demands tr[data-post=\"{id}\"] td.num"),
        &headcount.to_string(),
    )
    .await;
    let form = form_state(&c).await;
    assert_eq!(form["mode"], "new", "back to posting");
    assert_eq!(form["title"], "");
    assert_eq!(form["submit"], "发布并查看匹配");
    assert_eq!(form["cancel_shown"], false);
    assert_eq!(text_of(&c, "#tl-form-error").await, "", "no error shown");
    let page = matches_done(&c).await;
    assert_eq!(page["subject"], json!(id));
    check_matches(&c, "demands", &page).await;
    assert_no_console_errors(&s.driver, &c, "talent (edit)").await;

    // The page reads version v0+1; someone changes the post through the API meanwhile.
    js(&c, "window.scrollTo(0, 0);").await;
    click_edit(&c, &id).await;
    assert_eq!(form_state(&c).await["version"], (v0 + 1).to_string());
    let theirs = format!("{EDITED}·他人已改");
    let mut body = content(&after);
    body["title"] = json!(theirs);
    body["headcount"] = json!(40);
    body["version"] = json!(v0 + 1);
    let (status, changed) = call(
        &c,
        "PUT",
        &format!("/api/v1/gov/talent/demands/{id}"),
        Some(body),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    // The page's stale save is refused and says so; the form takes the latest post.
    type_headcount(&c, 50).await;
    wait_css(&c, "#tl-submit").await.click().await.unwrap();
    wait_text(&c, "#tl-conflict", "已被他人修改").await;
    let stored = demand(&c, &id).await;
    assert_eq!(stored["version"].as_i64().unwrap(), v0 + 2);
    assert_eq!(stored["title"], json!(theirs), "not overwritten");
    assert_eq!(stored["headcount"], json!(40), "not overwritten");
    let form = form_state(&c).await;
    assert_eq!(form["mode"], "edit");
    assert_eq!(form["version"], (v0 + 2).to_string());
    assert_eq!(form["title"], json!(theirs));
    assert_eq!(form["headcount"], "40");
    wait_text(&c, "#tl-demands", &theirs).await;
    js(&c, "window.scrollTo(0, 0);").await;
    wait_css(&c, "#toast[hidden]").await;
    screenshot(&c, "talent-edit-conflict").await;
    let refused = console_errors(&s.driver, &c).await;
    assert!(
        refused.len() == 1 && refused[0].contains("409"),
        "{refused:#?}"
    );

    // Saved again on the latest version, it goes through.
    type_headcount(&c, 50).await;
    wait_css(&c, "#tl-submit").await.click().await.unwrap();
    wait_css(&c, "#tl-form[data-mode=\"new\"]").await;
    let stored = demand(&c, &id).await;
    assert_eq!(stored["version"].as_i64().unwrap(), v0 + 3);
    assert_eq!(stored["headcount"], json!(50));
    assert_eq!(stored["title"], json!(theirs));

    // A refused edit shows at the field as on create, and changes nothing; 取消 leaves edit mode.
    js(&c, "window.scrollTo(0, 0);").await;
    click_edit(&c, &id).await;
    wait_css(&c, "#tl-form [name=\"title\"]")
        .await
        .clear()
        .await
        .unwrap();
    wait_css(&c, "#tl-submit").await.click().await.unwrap();
    wait_text(&c, "[data-path=\"title\"] .tl-field-error", "必填").await;
    assert_eq!(
        demand(&c, &id).await["version"].as_i64().unwrap(),
        v0 + 3,
        "nothing saved"
    );
    let refused = console_errors(&s.driver, &c).await;
    assert!(
        refused.len() == 1 && refused[0].contains("422"),
        "{refused:#?}"
    );
    wait_css(&c, "#tl-cancel").await.click().await.unwrap();
    let form = form_state(&c).await;
    assert_eq!(form["mode"], "new");
    assert_eq!(form["title"], "");
    assert_eq!(form["headcount"], "5");
    assert_eq!(form["skill_tags"], json!([]));
    assert!(c
        .find(fantoccini::Locator::Css(".tl-field-error"))
        .await
        .is_err());
    assert_no_console_errors(&s.driver, &c, "talent (edit)").await;
    c.close().await.unwrap();
}
