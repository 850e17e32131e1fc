//! Plan supervision over HTTP: the regulator enters indicator values and project progress reports
//! (audited, refused to parties), the targets show them with a status from the trajectory, the
//! platform measures road freight itself, and the report downloads as CSV.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{json, Value};
use wuliu_server::Role;

/// The demo's 22 plan targets, posted by the admin as the demo seeds them (comparator as written,
/// `target_text` as written, no single value for the range T18).
async fn seed_targets(api: &Api, admin: &str) {
    let text = include_str!("../../demo/data/plan_targets_2025.csv");
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    for row in rd.records() {
        let r = row.unwrap();
        let num = |i: usize| r[i].trim().parse::<f64>().ok();
        let body = json!({
            "external_id": &r[0], "indicator_zh": &r[1], "indicator_en": &r[2],
            "target_value": if &r[5] == "range" { None } else { num(3) }, "target_text": &r[3],
            "unit": &r[4], "comparator": &r[5], "year": r[6].parse::<i32>().unwrap(),
            "baseline_value": num(7), "baseline_year": r[8].parse::<i32>().ok(), "source_quote": &r[9],
        });
        let res = api.post("/api/v1/plan_targets", admin, body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}: {}", &r[0], res.text);
    }
}

struct Plan {
    api: Api,
    admin: String,
    regulator: String,
}

async fn plan() -> Plan {
    let api = Api::new().await;
    let admin = api.token(Role::Admin, None, "450200").await;
    let regulator = api.token(Role::Regulator, None, "450200").await;
    seed_targets(&api, &admin).await;
    Plan {
        api,
        admin,
        regulator,
    }
}

async fn targets(api: &Api, token: &str, as_of: &str) -> Vec<Value> {
    let r = api
        .get(&format!("/api/v1/plan/targets?as_of={as_of}"), token)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["as_of"], as_of);
    r.json()["targets"].as_array().unwrap().clone()
}

fn target<'a>(list: &'a [Value], id: &str) -> &'a Value {
    list.iter().find(|t| t["id"] == id).unwrap()
}

async fn enter(api: &Api, token: &str, id: &str, value: f64, as_of: &str) -> (StatusCode, Value) {
    let body = json!({"target_id": id, "value": value, "as_of": as_of,
        "source": "市统计局 测试快报", "note": "测试"});
    let r = api.post("/api/v1/indicator_values", token, body).await;
    let v = serde_json::from_str(&r.text).unwrap_or(Value::Null);
    (r.status, v)
}

#[tokio::test]
async fn a_value_the_regulator_enters_is_assessed_against_the_trajectory() {
    let p = plan().await;
    let shipper = p.api.token(Role::Shipper, Some("pty_x"), "450200").await;
    let before = targets(&p.api, &shipper, "2025-03-01").await;
    assert_eq!(before.len(), 22);
    let t03 = target(&before, "T03");
    assert_eq!(
        (t03["status"].as_str(), &t03["current"]),
        (Some("no_data"), &Value::Null)
    );
    assert_eq!(
        (
            t03["baseline_value"].as_f64(),
            t03["baseline_year"].as_i64()
        ),
        (Some(4698.0), Some(2020))
    );

    // Ahead of the straight line from 4698 (2020) to 7603 (2025): on track.
    let (status, _) = enter(&p.api, &p.regulator, "T03", 6500.0, "2023-12-31").await;
    assert_eq!(status, StatusCode::CREATED);
    let list = targets(&p.api, &p.regulator, "2025-03-01").await;
    let t03 = target(&list, "T03");
    assert_eq!(t03["status"], "on_track", "{t03}");
    assert_eq!(t03["current"]["value"], 6500.0);
    assert_eq!(t03["current"]["source"], "manual");
    assert_eq!(t03["current"]["as_of"], "2023-12-31");
    assert_eq!(t03["current"]["cited_source"], "市统计局 测试快报");
    assert_eq!(t03["current"]["recorded_by"], "token:test");
    let expected = 4698.0 + 2905.0 * 1095.0 / 1826.0;
    assert!(
        (t03["expected_now"].as_f64().unwrap() - expected).abs() < 0.01,
        "{t03}"
    );
    let progress = (6500.0 - 4698.0) / 2905.0;
    assert!((t03["progress"].as_f64().unwrap() - progress).abs() < 1e-9);

    // A fall a year later, far below the line: off track.
    enter(&p.api, &p.regulator, "T03", 5000.0, "2024-12-31").await;
    let list = targets(&p.api, &shipper, "2025-03-01").await;
    let t03 = target(&list, "T03");
    assert_eq!(t03["status"], "off_track", "{t03}");
    assert_eq!(t03["history"].as_array().unwrap().len(), 2);
    assert_eq!(
        t03["current"]["recorded_by"],
        Value::Null,
        "parties do not see who"
    );
    assert_eq!(target(&list, "T05")["status"], "no_data");
}

#[tokio::test]
async fn a_party_cannot_write_values_and_the_regulators_write_is_audited() {
    let p = plan().await;
    let shipper = p.api.token(Role::Shipper, Some("pty_x"), "450200").await;
    let (status, body) = enter(&p.api, &shipper, "T03", 9999.0, "2025-06-30").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = enter(&p.api, &p.regulator, "T03", 6900.0, "2025-06-30").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().unwrap();

    let audit = p.api.get("/api/v1/audit?limit=1000", &p.admin).await.json();
    let writes: Vec<&Value> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "indicator_values")
        .collect();
    assert_eq!(writes.len(), 1, "only the regulator's write: {writes:?}");
    assert_eq!(writes[0]["record_id"], id);
    assert_eq!(writes[0]["actor"], "token:test");
    assert_eq!(writes[0]["role"], "regulator");
    assert_eq!(writes[0]["action"], "create");
    assert_eq!(writes[0]["diff"]["value"], 6900.0);

    let list = targets(&p.api, &p.admin, "2025-07-01").await;
    assert_eq!(target(&list, "T03")["current"]["value"], 6900.0);
}

#[tokio::test]
async fn a_progress_report_updates_its_project() {
    let p = plan().await;
    let facility = json!({"external_id": "kp-liunan-07", "name": "柳州冷链物流中心（测试）",
        "kind": "cold_store", "status": "planned", "location": {"lat": 24.3, "lon": 109.4},
        "location_approximate": true, "division_code": "450204", "address": "柳州市柳南区",
        "plan_category": "商贸服务型", "build_status": "预备", "investment_yuan": 500000000.0});
    let r = p.api.post("/api/v1/facilities", &p.admin, facility).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().unwrap().to_string();

    let list = p
        .api
        .get("/api/v1/plan/projects", &p.regulator)
        .await
        .json();
    let project = &list["projects"][0];
    assert_eq!(
        (
            project["build_status"].as_str(),
            project["reports"].as_u64()
        ),
        (Some("预备"), Some(0))
    );

    let report = json!({"project_id": id, "reported_on": "2026-10-31", "build_status": "在建",
        "progress_pct": 35.0, "invested_yuan": 120000000.0, "note": "主体结构施工"});
    let r = p
        .api
        .post("/api/v1/project_reports", &p.regulator, report)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let shipper = p.api.token(Role::Shipper, Some("pty_x"), "450200").await;
    let list = p.api.get("/api/v1/plan/projects", &shipper).await.json();
    let project = &list["projects"][0];
    assert_eq!(project["id"], id.as_str());
    assert_eq!(project["district"], "柳南区");
    assert_eq!(project["type"], "商贸服务型");
    assert_eq!(project["build_status"], "在建");
    assert_eq!(project["planned_build_status"], "预备");
    assert_eq!(project["progress_pct"], 35.0);
    assert_eq!(project["invested_yuan"], 120000000.0);
    assert_eq!(project["investment_yuan"], 500000000.0);
    assert_eq!(project["last_report_on"], "2026-10-31");
    assert_eq!(project["reports"], 1);

    let one = p
        .api
        .get("/api/v1/plan/projects/kp-liunan-07", &p.regulator)
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    let history = one.json()["history"].clone();
    assert_eq!(history[0]["note"], "主体结构施工");
    assert_eq!(history[0]["recorded_by"], "token:test");
    let missing = p
        .api
        .get("/api/v1/plan/projects/kp-none-01", &p.regulator)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_report_is_csv_with_a_bom_a_header_and_a_row_per_target() {
    let p = plan().await;
    enter(&p.api, &p.regulator, "T03", 6500.0, "2023-12-31").await;
    let r = p
        .api
        .get("/api/v1/plan/report.csv?as_of=2025-03-01", &p.regulator)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = r
        .text
        .strip_prefix('\u{FEFF}')
        .expect("a UTF-8 byte-order mark");
    let mut rd = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "indicator_zh",
            "indicator_en",
            "unit",
            "baseline",
            "baseline_year",
            "target",
            "current",
            "as_of",
            "source",
            "expected_now",
            "progress",
            "status"
        ]
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 22);
    let t03 = rows.iter().find(|r| &r[0] == "T03").unwrap();
    assert_eq!(
        (&t03[4], &t03[6], &t03[7], &t03[8]),
        ("4698", "7603", "6500", "2023-12-31")
    );
    assert_eq!(
        (&t03[9], &t03[12]),
        ("manual: 市统计局 测试快报；测试", "on_track")
    );
    assert_eq!(&rows.iter().find(|r| &r[0] == "T18").unwrap()[6], "6-8");
}

#[tokio::test]
async fn the_range_target_t18_is_read_as_a_range() {
    let p = plan().await;
    let list = targets(&p.api, &p.admin, "2025-03-01").await;
    let t18 = target(&list, "T18");
    assert_eq!(
        (t18["comparator"].as_str(), t18["target_text"].as_str()),
        (Some("range"), Some("6-8"))
    );
    assert_eq!(t18["target_value"], Value::Null);
    assert_eq!(t18["status"], "no_data");
    assert!(
        !t18["reason_en"]
            .as_str()
            .unwrap()
            .contains("cannot be assessed"),
        "{t18}"
    );

    // Inside 6–8 % at the deadline is met; 5 % is not.
    enter(&p.api, &p.regulator, "T18", 7.0, "2025-12-31").await;
    let t18 = target(&targets(&p.api, &p.admin, "2026-03-01").await, "T18").clone();
    assert_eq!(t18["status"], "on_track", "{t18}");
    enter(&p.api, &p.regulator, "T18", 5.0, "2025-12-31").await;
    let t18 = target(&targets(&p.api, &p.admin, "2026-03-01").await, "T18").clone();
    assert_eq!(t18["status"], "off_track", "{t18}");
}

#[tokio::test]
async fn road_freight_is_measured_on_the_platform_and_labelled_so() {
    let p = plan().await;
    let empty = targets(&p.api, &p.admin, "2026-11-30").await;
    assert_eq!(
        target(&empty, "T04")["platform"],
        Value::Null,
        "no waybills, no value"
    );

    let m = Market::new(&p.api).await;
    for _ in 0..2 {
        let mut w = waybill(&m.shipper, &m.carrier, &unique("W"));
        w["status"] = json!("confirmed");
        let r = p.api.post("/api/v1/waybills", &m.ts, w).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let list = targets(&p.api, &m.ts, "2026-11-30").await;
    let t04 = target(&list, "T04");
    let platform = &t04["platform"];
    assert_eq!(platform["source"], "platform");
    assert_eq!(platform["scope"], "平台口径 (platform scope)");
    assert!(
        (platform["value"].as_f64().unwrap() - 16.0 / 10_000.0).abs() < 1e-12,
        "{t04}"
    );
    assert_eq!(
        t04["current"], *platform,
        "no manual value: the platform's is current"
    );
    // A year later the waybills fall out of the twelve-month window.
    let later = targets(&p.api, &p.admin, "2027-12-01").await;
    assert_eq!(target(&later, "T04")["platform"], Value::Null);
    // A manual figure takes precedence; the platform's stays beside it.
    enter(&p.api, &p.regulator, "T04", 21000.0, "2025-12-31").await;
    let t04 = target(&targets(&p.api, &p.admin, "2026-11-30").await, "T04").clone();
    assert_eq!(
        (
            t04["current"]["source"].as_str(),
            t04["platform"]["source"].as_str()
        ),
        (Some("manual"), Some("platform"))
    );
}

#[tokio::test]
async fn county_targets_are_the_63_table_as_printed_and_reading_needs_a_login() {
    let p = plan().await;
    let shipper = p.api.token(Role::Carrier, Some("pty_c"), "450200").await;
    let r = p.api.get("/api/v1/plan/counties", &shipper).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let rows = r.json()["targets"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 23);
    assert_eq!(rows[2]["indicator"], "财政收入(亿元)");
    assert_eq!(rows[2]["target_2025"], "500");
    assert_eq!(rows[5]["growth_or_cumulative"], "[2.07]");
    for path in [
        "/api/v1/plan/targets",
        "/api/v1/plan/projects",
        "/api/v1/plan/counties",
        "/api/v1/plan/report.csv",
    ] {
        let r = p.api.get(path, "wl_not_a_token").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let bad = p
        .api
        .get("/api/v1/plan/targets?as_of=yesterday", &p.admin)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
