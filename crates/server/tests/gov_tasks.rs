//! The task-division tracker over HTTP (issue 29, 61号/69号/63号): the office loads a task, the
//! units' officials report with attachments, the status, timeline and attachment downloads follow
//! the rules (only a lead unit completes; outsiders read no reports), bad input names the field,
//! listings, summaries and the county targets answer. On SQLite, and on PostgreSQL too when
//! `WULIU_TEST_DATABASE_URL` names one.

mod common;

use axum::http::StatusCode;
use base64::Engine;
use common::{unique, Api};
use serde_json::{json, Value};
use wuliu_server::Role;

const G: &str = "/api/v1/gov";

struct Desk {
    admin: String,
    lead: String,
    coop: String,
    outsider: String,
    task: String,
    doc: String,
}

fn task_row(doc: &str, seq: u32, deadline: &str) -> Value {
    json!({
        "external_id": format!("{doc}-{seq:02}"),
        "document": {"number": format!("柳政办〔2022〕{doc}号"), "title": "柳州市国家产教融合试点城市建设工作方案", "issued": "2022-07-31"},
        "seq": seq,
        "text": "瞄准柳州产业基础，率先在先进制造业、战略性新兴产业等领域开展产教融合型行业试点。",
        "lead_units": {"text": "市工业和信息化局、教育局", "units": ["市工业和信息化局", "市教育局"]},
        "cooperating_units": {"text": "市科技局", "units": ["市科技局"]},
        "deadline": if deadline.is_empty() { json!({"kind": "ongoing"}) } else { json!({"kind": "date", "date": deadline}) },
        "deadline_text": deadline,
    })
}

async fn unit(api: &Api, admin: &str, name: &str) -> String {
    let r = api
        .post(&format!("{G}/units"), admin, json!({ "name": name }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().unwrap().to_string()
}

async fn desk(api: &Api) -> Desk {
    let region = unique("tk");
    let doc = unique("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    let admin = api.token(Role::Admin, None, &region).await;
    let r = api
        .post(&format!("{G}/tasks"), &admin, task_row(&doc, 3, ""))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let task = r.json()["id"].as_str().unwrap().to_string();
    let official = |name: &'static str| {
        let (api, admin, region) = (api, admin.clone(), region.clone());
        async move {
            let id = unit(api, &admin, name).await;
            api.token(Role::Official, Some(&id), &region).await
        }
    };
    Desk {
        lead: official("市工业和信息化局").await,
        coop: official("市科技局").await,
        outsider: official("市商务局").await,
        admin,
        task,
        doc,
    }
}

fn report(status: &str, pct: u8) -> Value {
    json!({ "as_of": "2023-03-01", "status": status, "progress_pct": pct, "text": "已召开推进会。" })
}

#[tokio::test]
async fn units_report_with_files_and_the_status_timeline_and_downloads_follow() {
    for (db, api) in Api::each_backend().await {
        let d = desk(&api).await;
        let uri = format!("{G}/tasks/{}/reports", d.task);
        let pdf = b"%PDF-1.4 progress";
        let mut body = report("in_progress", 40);
        body["attachments"] = json!([{ "file_name": "一季度进展.pdf", "media_type": "application/pdf",
            "content_base64": base64::engine::general_purpose::STANDARD.encode(pdf) }]);
        let r = api.post(&uri, &d.coop, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
        let att = r.json()["report"]["attachments"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        // A cooperating unit's completion is refused; the lead's is taken once.
        let r = api.post(&uri, &d.coop, report("completed", 100)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
        assert!(r.text.contains("status"), "{db}: {}", r.text);
        let r = api.post(&uri, &d.outsider, report("in_progress", 10)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
        let r = api.post(&uri, &d.lead, report("completed", 100)).await;
        assert_eq!(
            (r.status, r.json()["task_status"].as_str()),
            (StatusCode::CREATED, Some("completed")),
            "{db}: {}",
            r.text
        );
        let r = api.post(&uri, &d.lead, report("in_progress", 100)).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{db}: {}", r.text);
        // The lead reads the task with its reports and timeline; the outsider only the status.
        let v = api
            .get(&format!("{G}/tasks/{}?at=2023-06-30", d.task), &d.lead)
            .await
            .json();
        assert_eq!(v["tracking"]["status"], "completed", "{db}");
        assert_eq!(v["reports"].as_array().unwrap().len(), 2, "{db}");
        let kinds: Vec<&str> = v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == "report").count(),
            2,
            "{db}: {kinds:?}"
        );
        assert_eq!(kinds.last(), Some(&"status_changed"), "{db}: {kinds:?}");
        let v = api
            .get(&format!("{G}/tasks/{}-03", d.doc), &d.outsider)
            .await
            .json();
        assert_eq!(
            (v["reports_readable"].as_bool(), v.get("reports")),
            (Some(false), None),
            "{db}"
        );
        let r = api
            .get(&format!("{G}/tasks/{}/reports", d.task), &d.outsider)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        // The file: the task's units download it, an outsider gets a 404.
        let r = api.get(&format!("{G}/attachments/{att}"), &d.lead).await;
        assert_eq!(
            (r.status, r.text.as_bytes()),
            (StatusCode::OK, &pdf[..]),
            "{db}"
        );
        let r = api
            .get(&format!("{G}/attachments/{att}"), &d.outsider)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{db}");
        // A signed scan added later to the cooperating unit's report: by that unit, not the lead.
        let first = v_reports(&api, &d).await[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let more = format!("{G}/tasks/{}/reports/{first}/attachments", d.task);
        let scan = json!({ "file_name": "盖章件.pdf", "media_type": "application/pdf",
            "content_base64": base64::engine::general_purpose::STANDARD.encode(b"%PDF scan") });
        let r = api.post(&more, &d.lead, scan.clone()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}: {}", r.text);
        let r = api.post(&more, &d.coop, scan).await;
        assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
        let files = &v_reports(&api, &d).await[0]["attachments"];
        assert_eq!(files.as_array().map(Vec::len), Some(2), "{db}: {files}");
        assert_eq!(files[1]["file_name"], "盖章件.pdf", "{db}");
    }
}

/// The task's reports as its lead reads them.
async fn v_reports(api: &Api, d: &Desk) -> Vec<Value> {
    let uri = format!("{G}/tasks/{}/reports", d.task);
    let v = api.get(&uri, &d.lead).await.json();
    v["reports"].as_array().unwrap().clone()
}

#[tokio::test]
async fn bad_input_is_named_and_bodies_are_bounded() {
    for (db, api) in Api::each_backend().await {
        let d = desk(&api).await;
        let uri = format!("{G}/tasks/{}/reports", d.task);
        let r = api
            .call(
                "POST",
                &uri,
                &d.lead,
                "application/json",
                "{\"as_of\":".into(),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}");
        let mut b = report("in_progress", 1);
        b["progress_pct"] = json!(300);
        let r = api.post(&uri, &d.lead, b).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
        assert_eq!(r.violation_fields(), ["progress_pct"], "{db}: {}", r.text);
        let mut b = report("in_progress", 1);
        b["text"] = json!("字".repeat(4001));
        let r = api.post(&uri, &d.lead, b).await;
        assert_eq!(
            (r.status, r.violation_fields()),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["text".to_string()]),
            "{db}"
        );
        // One file over 5 MiB is a 422 naming it; a body beyond every file at its largest a 413.
        let mut b = report("in_progress", 1);
        let big = base64::engine::general_purpose::STANDARD.encode(vec![1u8; 5 * 1024 * 1024 + 1]);
        b["attachments"] = json!([{ "file_name": "大.pdf", "media_type": "application/pdf", "content_base64": big }]);
        let r = api.post(&uri, &d.lead, b).await;
        assert_eq!(
            r.violation_fields(),
            ["attachments[0].content_base64"],
            "{db}: {}",
            &r.text[..r.text.len().min(300)]
        );
        let huge = format!(
            "{{\"text\":\"{}\"}}",
            "x".repeat(wuliu_server::gov::tasks::MAX_REPORT_BODY + 1)
        );
        let r = api
            .call("POST", &uri, &d.lead, "application/json", huge)
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{db}");
        let v = api
            .get(&format!("{G}/tasks/{}/reports", d.task), &d.lead)
            .await
            .json();
        assert_eq!(
            v["reports"].as_array().unwrap().len(),
            0,
            "{db}: nothing written"
        );
        for (q, field) in [
            ("?at=2023-13-01", "at"),
            ("?status=late", "status"),
            ("?warning=soon", "warning"),
        ] {
            let r = api.get(&format!("{G}/tasks{q}"), &d.lead).await;
            assert_eq!(
                (r.status, r.violation_fields()),
                (StatusCode::BAD_REQUEST, vec![field.to_string()]),
                "{db} {q}"
            );
        }
        let r = api
            .get(&format!("{G}/tasks/summary?by=county"), &d.lead)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}");
        let r = api.get(&format!("{G}/tasks/gtk_nothing"), &d.lead).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{db}");
        let r = api
            .post(&format!("{G}/tasks"), &d.lead, task_row(&d.doc, 9, ""))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        let mut row = task_row(&d.doc, 9, "");
        row["lead_units"] = json!({"text": "", "units": []});
        let r = api.post(&format!("{G}/tasks"), &d.admin, row).await;
        assert_eq!(r.violation_fields(), ["lead_units.units"], "{db}");
    }
}

#[tokio::test]
async fn listings_summaries_and_county_targets_answer() {
    for (db, api) in Api::each_backend().await {
        let d = desk(&api).await;
        let r = api
            .post(
                &format!("{G}/tasks"),
                &d.admin,
                task_row(&d.doc, 4, "2023-06-30"),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
        let v = api
            .get(
                &format!("{G}/tasks?document={}&status=overdue&at=2023-07-02", d.doc),
                &d.outsider,
            )
            .await
            .json();
        let ids: Vec<&str> = v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["external_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [format!("{}-04", d.doc)], "{db}");
        assert_eq!(v["counts"]["overdue"], 1, "{db}");
        let v = api
            .get(
                &format!("{G}/tasks/summary?by=document&at=2023-07-02"),
                &d.outsider,
            )
            .await
            .json();
        let row = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["document"] == d.doc.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (
                row["counts"]["total"].as_u64(),
                row["counts"]["stale"].as_u64()
            ),
            (Some(2), Some(1)),
            "{db}: {row}"
        );
        let v = api
            .get(
                &format!("{G}/tasks/summary?by=unit&at=2023-07-02"),
                &d.outsider,
            )
            .await
            .json();
        assert!(
            v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["unit_name"] == "市科技局" && r["as_cooperating"]["total"] == 2),
            "{db}: {v}"
        );
        // County targets.
        let target = json!({"external_id": "C21", "document": {"number": "柳政办〔2022〕63号", "title": "柳州市县域经济发展“十四五”规划", "issued": "2022-07-11"},
            "category": "绿色生态", "seq": 21, "indicator": "森林覆盖率(%)", "name": "森林覆盖率", "unit": "%",
            "target_2025": {"kind": "figure", "comparator": ">=", "value": 66.0, "cumulative": false, "text": "≥66"},
            "growth_or_cumulative": {"kind": "dash"}, "attribute": "binding"});
        let r = api
            .post(&format!("{G}/county-targets"), &d.admin, target)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
        let value = json!({"value": 66.4, "as_of": "2023-12-31", "source": "市林业和园林局"});
        let r = api
            .post(
                &format!("{G}/county-targets/C21/values"),
                &d.lead,
                value.clone(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        let r = api
            .post(&format!("{G}/county-targets/C21/values"), &d.admin, value)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
        let v = api
            .get(&format!("{G}/county-targets?at=2024-01-31"), &d.lead)
            .await
            .json();
        let t = &v["targets"][0];
        assert_eq!(
            (
                t["external_id"].as_str(),
                t["assessment"]["status"].as_str()
            ),
            (Some("C21"), Some("on_track")),
            "{db}: {v}"
        );
        let r = api.get(&format!("{G}/county-targets/C99"), &d.lead).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{db}");
    }
}
