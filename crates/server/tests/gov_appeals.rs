//! The appeal desk over HTTP (`/api/v1/gov/appeals…`), on SQLite and on PostgreSQL when
//! `WULIU_TEST_DATABASE_URL` names one: submission with forged fields refused, the workflow
//! through its routes with the groups' rights, the weekly Form 2 as JSON and as CSV with exactly
//! the 13 printed columns, approval once, the monthly report, and the configuration.

mod common;

use axum::http::StatusCode;
use chrono::{Datelike, Duration, Utc};
use common::Api;
use serde_json::{json, Value};
use wuliu_app::gov::appeals::DeskConfig;
use wuliu_app::gov::units;
use wuliu_app::Caller;
use wuliu_server::Role;

const A: &str = "/api/v1/gov/appeals";

/// Form 2's columns as printed in 附件2.
const FORM2_COLUMNS: [&str; 13] = [
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
    "备注",
];

/// The day in Liuzhou (UTC+8) at `t`.
fn local_date(t: chrono::DateTime<Utc>) -> chrono::NaiveDate {
    (t + Duration::hours(8)).date_naive()
}

fn region() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("9{:05}", n % 100_000)
}

fn form(name: &str) -> Value {
    json!({
        "reporting_unit": "", "reporting_date": local_date(Utc::now()).to_string(),
        "reporting_contact_name": "示例联系人", "reporting_contact": "0772-0000000",
        "enterprise_name": name, "industry": "医疗健康", "location_province": "北京",
        "parent_country": "美国", "registered_capital_10k_usd": 1000, "enterprise_contact_name": "姓名",
        "enterprise_contact": "13800000000 a@example.com",
        "enterprise_profile": "XX公司拥有XXXX等业务板块", "issue": "上海浦东机场长航线货运航班数量少，公司将面临进口产品供应中断风险。建议增开上海浦东机场长航线货运航班。",
        "suggestions": "其他方面建议"
    })
}

struct Tokens {
    lead: String,
    collection: String,
    general: String,
    member: String,
}

async fn tokens(api: &Api, region: &str) -> Tokens {
    let admin = Caller::system(region, "test");
    let mut ids = Vec::new();
    for name in ["市商务局", "市贸促会", "市投资促进局"] {
        ids.push(
            units::ensure(api.repo.as_ref(), &admin, name)
                .await
                .unwrap(),
        );
    }
    Tokens {
        lead: api.token(Role::Regulator, None, region).await,
        collection: api.token(Role::Official, Some(&ids[0]), region).await,
        general: api.token(Role::Official, Some(&ids[1]), region).await,
        member: api.token(Role::Official, Some(&ids[2]), region).await,
    }
}

#[tokio::test]
async fn submit_move_and_report_over_http() {
    for (store, api) in Api::each_backend().await {
        let region = region();
        let t = tokens(&api, &region).await;
        // Attack first: a member unit setting the status or the competent unit at intake.
        for field in ["status", "assigned_unit"] {
            let r = api
                .post(A, &t.member, json!({"form": form("示例甲"), field: "x"}))
                .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{store}: {}", r.text);
            assert_eq!(r.violation_fields(), [field]);
        }
        let mut bad = form("示例甲");
        bad["issue"] = json!("");
        let r = api.post(A, &t.member, json!({"form": bad})).await;
        assert_eq!(
            (r.status, r.violation_fields()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["form.issue".to_string()]
            )
        );
        assert_eq!(
            api.get(A, &t.lead).await.json()["appeals"],
            json!([]),
            "{store}: nothing written"
        );
        // Submitted by the member unit; collected by 市商务局; the member may not classify.
        let r = api
            .post(
                A,
                &t.member,
                json!({"form": form("示例甲"), "source": "questionnaire"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{store}: {}", r.text);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let r = api
            .call(
                "POST",
                &format!("{A}/{id}/collect"),
                &t.collection,
                "application/json",
                String::new(),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let class = json!({"level": "regional", "category": "customs_logistics"});
        assert_eq!(
            api.post(&format!("{A}/{id}/classify"), &t.member, class.clone())
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            api.post(&format!("{A}/{id}/classify"), &t.general, class)
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            api.post(&format!("{A}/{id}/teleport"), &t.general, json!({}))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let r = api
            .post(
                &format!("{A}/{id}/escalate"),
                &t.general,
                json!({"note": "报广西专班"}),
            )
            .await;
        assert_eq!(r.json()["status"], "escalated");
        let one = api.get(&format!("{A}/{id}"), &t.member).await.json();
        let steps: Vec<&str> = one["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            ["submit", "collect", "classify", "escalate"],
            "{store}"
        );
        assert_eq!(one["allowed"], json!([]), "the member unit may only watch");

        // Leadership enters a paper appeal of 8 days ago: the report of the day its window closed
        // carries it (and not the appeal received today).
        let when = Utc::now() - Duration::days(8);
        let mut f = form("示例乙");
        f["reporting_unit"] = json!("市投资促进局");
        let r = api
            .post(
                A,
                &t.lead,
                json!({"form": f, "received_at": when.to_rfc3339(), "source": "hotline"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let old = r.json()["id"].as_str().unwrap().to_string();
        let date = local_date(DeskConfig::default().cadence.window_at(when).closes).to_string();
        let r = api
            .get(&format!("{A}/reports/weekly?date={date}"), &t.collection)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let rep = r.json();
        assert_eq!(
            rep["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["appeal_id"].as_str().unwrap())
                .collect::<Vec<_>>(),
            [old.as_str()]
        );
        assert_eq!(
            api.get(&format!("{A}/reports/weekly?date={date}"), &t.member)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            api.get(&format!("{A}/reports/weekly?date=May-26"), &t.lead)
                .await
                .violation_fields(),
            ["date"]
        );

        // Form 2 as CSV: exactly the 13 printed columns, the row as the form gave it.
        let r = api
            .get(
                &format!("{A}/reports/weekly/form2.csv?date={date}"),
                &t.lead,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let text = r.text.trim_start_matches('\u{feff}');
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, FORM2_COLUMNS.map(String::from), "{store}");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].len(), 13);
        assert_eq!(
            (&rows[0][0], &rows[0][1], &rows[0][2], &rows[0][5]),
            ("1", "示例乙", "美国", "1000")
        );
        assert_eq!(
            (&rows[0][9], &rows[0][10]),
            ("姓名 13800000000 a@example.com", "市投资促进局")
        );

        // Approval: leadership only, once.
        let body = json!({"date": date});
        assert_eq!(
            api.post(
                &format!("{A}/reports/weekly/approve"),
                &t.general,
                body.clone()
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        let r = api
            .post(
                &format!("{A}/reports/weekly/approve"),
                &t.lead,
                body.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let report_id = r.json()["id"].as_str().unwrap().to_string();
        assert_eq!(
            api.post(&format!("{A}/reports/weekly/approve"), &t.lead, body)
                .await
                .status,
            StatusCode::CONFLICT
        );
        let listed = api.get(&format!("{A}/reports"), &t.general).await.json();
        assert_eq!(listed["reports"][0]["id"], json!(report_id));
        assert_eq!(
            api.get(&format!("{A}/{old}"), &t.lead).await.json()["summarised_in"],
            json!(report_id)
        );
        let frozen = api
            .get(&format!("{A}/reports/weekly?date={date}"), &t.lead)
            .await
            .json();
        assert_eq!(frozen["approved"]["id"], json!(report_id), "{store}");

        // The monthly report whose period holds now (after the M1 due: next month's) counts the
        // escalated appeal.
        let now = Utc::now();
        let today = local_date(now);
        let month = DeskConfig::default()
            .cadence
            .month(today.year(), today.month());
        let day = if now < month.period_to {
            today
        } else {
            today + Duration::days(20)
        };
        let m = api
            .get(&format!("{A}/reports/monthly?date={day}"), &t.lead)
            .await
            .json();
        let rows: Vec<&str> = m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["appeal_id"].as_str().unwrap())
            .collect();
        assert!(rows.contains(&id.as_str()), "{store}: {rows:?}");
        assert!(
            m["month"]["m1"]["at"].is_string()
                && m["counts"]["by_level"]["regional"].as_u64() >= Some(1)
        );
    }
}

async fn put(api: &Api, token: &str, body: Value) -> common::Reply {
    let uri = format!("{A}/config");
    api.call("PUT", &uri, token, "application/json", body.to_string())
        .await
}

#[tokio::test]
async fn configuration_over_http() {
    for (store, api) in Api::each_backend().await {
        let region = region();
        let t = tokens(&api, &region).await;
        let r = api.get(&format!("{A}/config"), &t.collection).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        assert_eq!(
            v["me"]["groups"],
            json!(["collection", "member"]),
            "{store}"
        );
        assert_eq!(v["me"]["unit_name"], "市商务局");
        let mut c = v["config"].clone();
        c["cadence"]["day_reading"] = json!("exclusive");
        assert_eq!(
            put(&api, &t.collection, c.clone()).await.status,
            StatusCode::FORBIDDEN
        );
        let r = put(&api, &t.lead, c.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(
            api.get(&format!("{A}/config"), &t.member).await.json()["config"]["cadence"]
                ["day_reading"],
            "exclusive"
        );
        c["limits"]["feedback_days"] = json!(0);
        let r = put(&api, &t.lead, c).await;
        assert_eq!(
            (r.status, r.violation_fields()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["limits.feedback_days".to_string()]
            )
        );
        // The dues of a fortnight from Monday 7 December 2026 with the exclusive reading just
        // stored: W1 that Monday at 12:00 (04:00 UTC), W4 on Tuesday.
        let r = api
            .get(&format!("{A}/dues?date=2026-12-07"), &t.member)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let d = r.json();
        assert_eq!(d["days"].as_array().unwrap().len(), 14);
        assert_eq!(d["days"][0]["dues"][0]["step"], "W1");
        assert_eq!(d["days"][0]["dues"][0]["at"], "2026-12-07T04:00:00Z");
        assert_eq!(d["days"][1]["dues"][0]["step"], "W4");
        // Exclusive: M4 "24日前" by the end of Wednesday 23; M1 by the end of the 20th, a Sunday,
        // so moved on to Monday 21.
        assert_eq!(d["month"]["m4"]["day"], "2026-12-23", "{store}: exclusive");
        assert_eq!(
            d["month"]["m1"]["day"], "2026-12-21",
            "{store}: off the Sunday"
        );
        assert_eq!(
            api.get(&format!("{A}/dues?date=7.12."), &t.member)
                .await
                .violation_fields(),
            ["date"]
        );
        let shipper = api.token(Role::Shipper, Some("pty_x"), &region).await;
        assert_eq!(api.get(A, &shipper).await.status, StatusCode::FORBIDDEN);
    }
}
