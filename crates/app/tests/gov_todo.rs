//! The to-do list across the desks (issue 29) against the store, on SQLite and on PostgreSQL when
//! `WULIU_TEST_DATABASE_URL` names one: each official sees the appeals it may act on now and its
//! own unit's warned tasks, never another unit's; dues go to units with a duty on the desk; roles
//! without desk duties are refused.

mod common;

use chrono::{NaiveDate, Utc};
use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::gov::{appeals, tasks, todo, units};
use wuliu_app::{AppError, Caller, Role};
use wuliu_gov::appeals::cadence::local_date;
use wuliu_model::gov_tasks::{Deadline, DivisionTask, GazetteDocument, UnitList};

fn task(doc: &str, seq: u32, lead: &str, deadline: &str) -> Value {
    let t = DivisionTask {
        external_id: Some(format!("{doc}-{seq:02}")),
        document: GazetteDocument {
            number: format!("柳政办〔2022〕{doc}号"),
            title: "示例分工方案".into(),
            issued: NaiveDate::from_ymd_opt(2022, 7, 31),
        },
        seq,
        text: format!("示例任务 {seq}"),
        lead_units: UnitList::parse(lead).unwrap(),
        cooperating_units: UnitList::parse("").unwrap(),
        deadline: Deadline::parse(deadline),
        deadline_text: deadline.into(),
        region_units: None,
        note: None,
    };
    serde_json::to_value(t).unwrap()
}

fn form() -> Value {
    json!({
        "reporting_unit": "", "reporting_date": local_date(Utc::now()).to_string(),
        "reporting_contact_name": "示例联系人", "reporting_contact": "0772-0000000",
        "enterprise_name": "示例外资企业有限公司", "industry": "汽车", "location_province": "广西",
        "parent_country": "德国", "registered_capital_10k_usd": 500, "enterprise_contact_name": "示例",
        "enterprise_contact": "13800000000", "enterprise_profile": "示例简介",
        "issue": "长航线货运航班太少，产品无法按期运出。", "suggestions": "建议增开航班"
    })
}

fn ids(v: &Value, list: &str, key: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn official(repo: &Repo, region: &str, unit: &str) -> Caller {
    let admin = Caller::system(region, "test");
    let id = units::ensure(repo.as_ref(), &admin, unit).await.unwrap();
    Caller::new(Role::Official, Some(id), region, &format!("user:{unit}"))
}

#[tokio::test]
async fn each_official_sees_what_waits_for_its_own_unit() {
    for (store, repo, _dir) in stores().await {
        let r = repo.as_ref();
        let region = unique("T");
        let office = Caller::new(Role::Regulator, None, &region, "user:office");
        let doc = unique("").replace('-', "");
        // 市商务局 leads an ongoing task (stale on the day) and one overdue since 2023; 市交通运输局
        // leads one due far ahead (no warning).
        for (seq, lead, deadline) in [
            (1, "市商务局", "持续推进"),
            (2, "市商务局", "2023年6月30日"),
            (3, "市交通运输局", "2030年底"),
        ] {
            tasks::import(r, &office, task(&doc, seq, lead, deadline))
                .await
                .unwrap();
        }
        // 市商务局 is in 信息采集组 (collects); 市投资促进局 is a member unit only; 市交通运输局 is in
        // no group.
        let commerce = official(&repo, &region, "市商务局").await;
        let invest = official(&repo, &region, "市投资促进局").await;
        let transport = official(&repo, &region, "市交通运输局").await;
        let appeal = appeals::submit(r, &invest, json!({"form": form(), "source": "visit"}))
            .await
            .unwrap();
        let day = Some(NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());

        let mine = todo::for_caller(r, &commerce, day).await.unwrap();
        assert_eq!(
            ids(&mine, "tasks", "external_id"),
            [format!("{doc}-02"), format!("{doc}-01")],
            "{store}: overdue first, then stale; never another unit's"
        );
        assert_eq!(mine["tasks"][0]["as_lead"], true, "{store}");
        assert_eq!(mine["counts"]["tasks_overdue"], 1, "{store}");
        assert_eq!(mine["counts"]["tasks_stale"], 1, "{store}");
        assert_eq!(
            ids(&mine, "appeals", "id"),
            [appeal["id"].as_str().unwrap()],
            "{store}"
        );
        let allowed = mine["appeals"][0]["allowed"].to_string();
        assert!(allowed.contains("collect"), "{store}: {allowed}");
        let steps = ids(&mine, "dues", "step");
        assert!(!steps.is_empty(), "{store}: 信息采集组 has dues");
        assert!(
            steps.iter().all(|s| s == "W1" || s == "M1"),
            "{store}: only what members and collectors send: {steps:?}"
        );

        // The submitting member unit has nothing to do on its own appeal yet, and no tasks.
        let theirs = todo::for_caller(r, &invest, day).await.unwrap();
        assert_eq!(theirs["counts"]["appeals"], 0, "{store}: {theirs}");
        assert_eq!(theirs["counts"]["tasks"], 0, "{store}");
        // A unit in no group: no dues, no appeals; its far-off task carries no warning.
        let other = todo::for_caller(r, &transport, day).await.unwrap();
        assert_eq!(other["counts"]["dues"], 0, "{store}");
        assert_eq!(other["counts"]["appeals"], 0, "{store}");
        assert_eq!(other["counts"]["tasks"], 0, "{store}");

        // Once collected, the appeal leaves the collector's list of collect actions.
        appeals::act(
            r,
            &commerce,
            appeal["id"].as_str().unwrap(),
            "collect",
            json!({}),
        )
        .await
        .unwrap();
        let after = todo::for_caller(r, &commerce, day).await.unwrap();
        let allowed = after["appeals"][0]["allowed"].to_string();
        assert!(!allowed.contains("\"collect\""), "{store}: {allowed}");

        // The office sees the whole region's warned tasks.
        let all = todo::for_caller(r, &office, day).await.unwrap();
        assert_eq!(all["counts"]["tasks"], 2, "{store}");

        for role in [
            Role::Enterprise,
            Role::College,
            Role::Shipper,
            Role::Carrier,
        ] {
            let caller = Caller::new(role, Some("pty_x".into()), &region, "user:x");
            let e = todo::for_caller(r, &caller, day).await.unwrap_err();
            assert!(matches!(e, AppError::Forbidden { .. }), "{store}: {e:?}");
        }
    }
}
