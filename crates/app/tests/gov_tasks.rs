//! The task-division tracker against the store (issue 29): who may report on a task and who may
//! complete it (never backdated behind the reports filed), forged unit fields, oversize text and
//! attachments (nothing half-written), two completions racing, who reads reports, listings and
//! summaries by document, unit and status on a given day, and the 63号 county targets assessed
//! from entered values. On SQLite, and on PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use base64::Engine;
use chrono::NaiveDate;
use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::gov::attachments::MAX_BYTES;
use wuliu_app::gov::tasks::{self, county, read, reports};
use wuliu_app::gov::units;
use wuliu_app::{AppError, Caller, Role};
use wuliu_model::gov_tasks::{Deadline, DivisionTask, GazetteDocument, UnitList};

/// A region of this run (tasks and targets are region-scoped: external IDs repeat per region).
fn region() -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("8{:05}", n % 100_000)
}

/// A document number no other run uses (digits, as the tracker reads it from `<doc>-<seq>`).
fn doc() -> String {
    unique("").replace('-', "")
}

fn office(region: &str) -> Caller {
    Caller::new(Role::Regulator, None, region, "user:office")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 69号 row 3 as printed, under document `doc`, with `deadline`.
fn row3(doc: &str, seq: u32, deadline: &str) -> Value {
    let t = DivisionTask {
        external_id: Some(format!("{doc}-{seq:02}")),
        document: GazetteDocument {
            number: format!("柳政办〔2022〕{doc}号"),
            title: "柳州市国家产教融合试点城市建设工作方案".into(),
            issued: NaiveDate::from_ymd_opt(2022, 7, 31),
        },
        seq,
        text: "瞄准柳州产业基础，率先在先进制造业、战略性新兴产业等领域开展产教融合型行业试点。"
            .into(),
        lead_units: UnitList::parse("市工业和信息化局、教育局、人力资源社会保障局").unwrap(),
        cooperating_units: UnitList::parse("市发展改革委、科技局、自然资源和规划局、国资委")
            .unwrap(),
        deadline: Deadline::parse(deadline),
        deadline_text: deadline.into(),
        region_units: None,
        note: None,
    };
    serde_json::to_value(t).unwrap()
}

struct Ctx {
    region: String,
    doc: String,
    task: String,
    lead: Caller,
    lead2: Caller,
    coop: Caller,
    outsider: Caller,
}

async fn official(repo: &Repo, region: &str, unit: &str) -> Caller {
    let id = units::ensure(repo.as_ref(), &office(region), unit)
        .await
        .unwrap();
    Caller::new(Role::Official, Some(id), region, &format!("user:{unit}"))
}

async fn setup(repo: &Repo, deadline: &str) -> Ctx {
    let (region, doc) = (region(), doc());
    let task = tasks::import(repo.as_ref(), &office(&region), row3(&doc, 3, deadline))
        .await
        .unwrap();
    Ctx {
        task: task["id"].as_str().unwrap().to_string(),
        lead: official(repo, &region, "市工业和信息化局").await,
        lead2: official(repo, &region, "市教育局").await,
        coop: official(repo, &region, "市科技局").await,
        outsider: official(repo, &region, "市商务局").await,
        region,
        doc,
    }
}

fn report(as_of: &str, status: &str, pct: u8) -> Value {
    json!({ "as_of": as_of, "status": status, "progress_pct": pct, "text": "已召开推进会，正在落实。" })
}

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|p| p.field.clone()).collect(),
        other => panic!("expected a 422, got {other:?}"),
    }
}

fn forbidden_field(e: &AppError) -> Option<String> {
    match e {
        AppError::Forbidden { field, .. } => field.clone(),
        other => panic!("expected a 403, got {other:?}"),
    }
}

async fn report_count(repo: &Repo, c: &Ctx) -> usize {
    let v = reports::list(repo.as_ref(), &office(&c.region), &c.task)
        .await
        .unwrap();
    v["reports"].as_array().unwrap().len()
}

#[tokio::test]
async fn units_on_the_task_report_and_only_a_lead_unit_completes() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let r = reports::submit(
            repo.as_ref(),
            &c.coop,
            &c.task,
            report("2023-02-01", "in_progress", 20),
        )
        .await
        .unwrap();
        assert_eq!(r["task_status"], "in_progress", "{store}");
        assert_eq!(
            (
                r["report"]["as_lead"].as_bool(),
                r["report"]["on_behalf"].as_bool()
            ),
            (Some(false), Some(false))
        );
        // A cooperating unit may not mark the task completed.
        let e = reports::submit(
            repo.as_ref(),
            &c.coop,
            &c.task,
            report("2023-03-01", "completed", 100),
        )
        .await
        .unwrap_err();
        assert_eq!(forbidden_field(&e).as_deref(), Some("status"), "{store}");
        // A completion backdated before the reports already filed is refused.
        let e = reports::submit(
            repo.as_ref(),
            &c.lead,
            &c.task,
            report("2023-01-31", "completed", 100),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(&e), ["as_of"], "{store}");
        let r = reports::submit(
            repo.as_ref(),
            &c.lead,
            &c.task,
            report("2023-05-02", "completed", 100),
        )
        .await
        .unwrap();
        assert_eq!(r["task_status"], "completed", "{store}");
        // A completed task takes no more reports.
        let e = reports::submit(
            repo.as_ref(),
            &c.lead2,
            &c.task,
            report("2023-06-01", "in_progress", 100),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, AppError::Conflict { .. }), "{store}: {e:?}");
        let v = read::get(repo.as_ref(), &c.lead, &c.task, Some(d("2023-12-31")))
            .await
            .unwrap();
        assert_eq!(v["tracking"]["status"], "completed", "{store}");
        assert_eq!(v["tracking"]["completed_on"], "2023-05-02", "{store}");
        let kinds: Vec<(&str, &str)> = v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["date"].as_str().unwrap(), e["kind"].as_str().unwrap()))
            .collect();
        assert!(
            kinds.contains(&("2023-05-02", "status_changed")),
            "{store}: {kinds:?}"
        );
        // On a day before the completion the same task was in progress.
        let v = read::get(repo.as_ref(), &c.lead, &c.task, Some(d("2023-03-01")))
            .await
            .unwrap();
        assert_eq!(v["tracking"]["status"], "in_progress", "{store}");
        assert_eq!(report_count(&repo, &c).await, 2, "{store}");
    }
}

#[tokio::test]
async fn outsiders_and_forged_unit_fields_are_refused_and_write_nothing() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let body = report("2023-02-01", "in_progress", 10);
        // An official of a unit not on the task.
        let e = reports::submit(repo.as_ref(), &c.outsider, &c.task, body.clone())
            .await
            .unwrap_err();
        assert_eq!(forbidden_field(&e).as_deref(), Some("unit_id"), "{store}");
        // A cooperating official naming the lead unit to complete the task.
        let mut forged = report("2023-02-01", "completed", 100);
        forged["unit_id"] = json!(c.lead.party_id);
        let e = reports::submit(repo.as_ref(), &c.coop, &c.task, forged)
            .await
            .unwrap_err();
        assert_eq!(forbidden_field(&e).as_deref(), Some("unit_id"), "{store}");
        // Fields the body may not carry (who recorded it, whether the unit leads) are a 400.
        for (k, v) in [
            ("as_lead", json!(true)),
            ("recorded_by", json!("user:x")),
            ("on_behalf", json!(false)),
        ] {
            let mut b = body.clone();
            b[k] = v;
            let e = reports::submit(repo.as_ref(), &c.coop, &c.task, b)
                .await
                .unwrap_err();
            assert!(
                matches!(&e, AppError::BadRequest { .. }),
                "{store} {k}: {e:?}"
            );
        }
        // Freight and other desk roles report on nothing.
        for role in [Role::Shipper, Role::Enterprise, Role::College] {
            let caller = Caller::new(role, Some("pty_x".into()), &c.region, "user:x");
            let e = reports::submit(repo.as_ref(), &caller, &c.task, body.clone())
                .await
                .unwrap_err();
            assert!(matches!(e, AppError::Forbidden { .. }), "{store} {role:?}");
        }
        // Admins and regulators record on behalf of a unit of the task, which they must name.
        let e = reports::submit(repo.as_ref(), &office(&c.region), &c.task, body.clone())
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["unit_id"], "{store}");
        let mut b = body.clone();
        b["unit_id"] = json!(c.outsider.party_id);
        let e = reports::submit(repo.as_ref(), &office(&c.region), &c.task, b)
            .await
            .unwrap_err();
        assert_eq!(forbidden_field(&e).as_deref(), Some("unit_id"), "{store}");
        // An official of another region does not find the task.
        let elsewhere = Caller::new(Role::Official, c.lead.party_id.clone(), "459999", "user:y");
        let e = reports::submit(repo.as_ref(), &elsewhere, &c.task, body.clone())
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{store}: {e:?}");
        assert_eq!(report_count(&repo, &c).await, 0, "{store}: nothing written");
        let mut b = body;
        b["unit_id"] = json!(c.lead.party_id);
        let r = reports::submit(repo.as_ref(), &office(&c.region), &c.task, b)
            .await
            .unwrap();
        assert_eq!(
            (
                r["report"]["on_behalf"].as_bool(),
                r["report"]["as_lead"].as_bool()
            ),
            (Some(true), Some(true)),
            "{store}"
        );
        assert_eq!(r["report"]["recorded_by"], "user:office", "{store}");
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn file(name: &str, bytes: &[u8]) -> Value {
    json!({ "file_name": name, "media_type": "application/pdf", "content_base64": b64(bytes) })
}

#[tokio::test]
async fn bounds_on_text_attachments_progress_and_days_write_nothing() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let with = |f: &dyn Fn(&mut Value)| {
            let mut b = report("2023-02-01", "in_progress", 10);
            f(&mut b);
            b
        };
        let tomorrow = (wuliu_app::emergency::today() + chrono::Days::new(1)).to_string();
        let cases: Vec<(Value, &str)> = vec![
            (
                with(&|b| b["text"] = json!("进".repeat(tasks::MAX_TEXT_CHARS + 1))),
                "text",
            ),
            (with(&|b| b["text"] = json!("  ")), "text"),
            (with(&|b| b["progress_pct"] = json!(101)), "progress_pct"),
            (
                with(&|b| {
                    b["status"] = json!("completed");
                    b["progress_pct"] = json!(90)
                }),
                "progress_pct",
            ),
            (with(&|b| b["as_of"] = json!(tomorrow)), "as_of"),
            (with(&|b| b["as_of"] = json!("2022-07-30")), "as_of"),
            (
                with(&|b| {
                    b["attachments"] =
                        json!(vec![file("a.pdf", b"x"); tasks::MAX_REPORT_ATTACHMENTS + 1])
                }),
                "attachments",
            ),
            (
                with(&|b| {
                    b["attachments"] = json!([
                        file("a.pdf", b"ok"),
                        file("big.pdf", &vec![7u8; MAX_BYTES + 1])
                    ])
                }),
                "attachments[1].content_base64",
            ),
            (
                with(
                    &|b| b["attachments"] = json!([{ "file_name": "x.exe", "media_type": "application/x-msdownload", "content_base64": b64(b"MZ") }]),
                ),
                "attachments[0].media_type",
            ),
            (
                with(
                    &|b| b["attachments"] = json!([{ "file_name": "../x.pdf", "media_type": "application/pdf", "content_base64": b64(b"x") }]),
                ),
                "attachments[0].file_name",
            ),
        ];
        for (body, field) in cases {
            let lead = if field == "progress_pct" {
                &c.lead
            } else {
                &c.coop
            };
            let e = reports::submit(repo.as_ref(), lead, &c.task, body)
                .await
                .unwrap_err();
            assert!(
                fields(&e).contains(&field.to_string()),
                "{store} {field}: {:?}",
                fields(&e)
            );
        }
        // A progress beyond a byte is a 400 naming it.
        let e = reports::submit(
            repo.as_ref(),
            &c.coop,
            &c.task,
            with(&|b| b["progress_pct"] = json!(300)),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest { field, .. } if field == "progress_pct"),
            "{store}: {e:?}"
        );
        assert_eq!(
            report_count(&repo, &c).await,
            0,
            "{store}: nothing half-written"
        );
        let v = read::get(repo.as_ref(), &c.lead, &c.task, None)
            .await
            .unwrap();
        assert_eq!(
            (
                v["reports"].as_array().unwrap().len(),
                v["reports"].as_u64()
            ),
            (0, None),
            "{store}"
        );
        // A good report with a file: stored with its SHA-256, readable as the task's units read it.
        let r = reports::submit(
            repo.as_ref(),
            &c.coop,
            &c.task,
            with(&|b| b["attachments"] = json!([file("进展.pdf", b"%PDF-1.4 demo")])),
        )
        .await
        .unwrap();
        let att = &r["report"]["attachments"][0];
        assert_eq!(
            (att["file_name"].as_str(), att["size"].as_u64()),
            (Some("进展.pdf"), Some(13)),
            "{store}"
        );
        assert!(
            att.get("content_base64").is_none(),
            "{store}: metadata only"
        );
        let report_id = r["report"]["id"].as_str().unwrap();
        for (caller, may) in [
            (&c.lead, true),
            (&c.coop, true),
            (&office(&c.region), true),
            (&c.outsider, false),
        ] {
            let got = tasks::may_read_report(repo.as_ref(), caller, report_id)
                .await
                .unwrap();
            assert_eq!(got, may, "{store} {}", caller.actor);
        }
    }
}

#[tokio::test]
async fn of_two_completions_racing_one_wins() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let (a, b) = tokio::join!(
            reports::submit(
                repo.as_ref(),
                &c.lead,
                &c.task,
                report("2023-05-01", "completed", 100)
            ),
            reports::submit(
                repo.as_ref(),
                &c.lead2,
                &c.task,
                report("2023-05-02", "completed", 100)
            ),
        );
        let ok = [a.is_ok(), b.is_ok()].iter().filter(|x| **x).count();
        assert_eq!(ok, 1, "{store}: {a:?} {b:?}");
        let lost = if a.is_ok() { b } else { a };
        assert!(
            matches!(lost, Err(AppError::Conflict { .. })),
            "{store}: {lost:?}"
        );
        assert_eq!(report_count(&repo, &c).await, 1, "{store}");
        let v = read::get(repo.as_ref(), &c.lead, &c.task, None)
            .await
            .unwrap();
        assert_eq!(v["reports"].as_array().unwrap().len(), 1, "{store}");
        assert_eq!(v["tracking"]["status"], "completed", "{store}");
    }
}

#[tokio::test]
async fn reports_are_read_by_the_units_on_the_task_and_the_office_only() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        reports::submit(
            repo.as_ref(),
            &c.lead,
            &c.task,
            report("2023-02-01", "in_progress", 30),
        )
        .await
        .unwrap();
        let v = read::get(repo.as_ref(), &c.outsider, &c.task, None)
            .await
            .unwrap();
        assert_eq!(v["reports_readable"], false, "{store}");
        assert!(
            v.get("reports").is_none() && v.get("timeline").is_none(),
            "{store}: {v}"
        );
        assert_eq!(
            v["tracking"]["status"], "in_progress",
            "{store}: the status is public"
        );
        let e = reports::list(repo.as_ref(), &c.outsider, &c.task)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{store}");
        for caller in [&c.lead, &c.coop, &office(&c.region)] {
            let v = read::get(repo.as_ref(), caller, &c.task, None)
                .await
                .unwrap();
            assert_eq!(
                v["reports"].as_array().unwrap().len(),
                1,
                "{store} {}",
                caller.actor
            );
        }
        // The parsed ID finds the task in the caller's region.
        let v = read::get(repo.as_ref(), &c.outsider, &format!("{}-03", c.doc), None)
            .await
            .unwrap();
        assert_eq!(v["id"].as_str(), Some(c.task.as_str()), "{store}");
        // Loading is the office's; loading again answers the task there.
        let e = tasks::import(repo.as_ref(), &c.lead, row3(&c.doc, 3, "持续推进"))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{store}");
        let again = tasks::import(
            repo.as_ref(),
            &office(&c.region),
            row3(&c.doc, 3, "持续推进"),
        )
        .await
        .unwrap();
        assert_eq!(again["id"].as_str(), Some(c.task.as_str()), "{store}");
        assert_eq!(again["report_count"], 1, "{store}");
    }
}

#[tokio::test]
async fn listings_and_summaries_by_document_unit_and_status_on_a_day() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let o = office(&c.region);
        tasks::import(repo.as_ref(), &o, row3(&c.doc, 4, "2023年6月30日"))
            .await
            .unwrap();
        let done = tasks::import(repo.as_ref(), &o, row3(&c.doc, 5, "2023年12月"))
            .await
            .unwrap();
        reports::submit(
            repo.as_ref(),
            &c.lead,
            done["id"].as_str().unwrap(),
            report("2023-03-01", "completed", 100),
        )
        .await
        .unwrap();
        let q =
            |status: Option<&str>, warning: Option<&str>, unit: Option<&Caller>| read::TaskQuery {
                document: Some(c.doc.clone()),
                unit: unit.and_then(|u| u.party_id.clone()),
                status: status.map(String::from),
                warning: warning.map(String::from),
                at: Some(d("2023-07-05")),
            };
        let ids = |v: &Value| -> Vec<String> {
            v["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["external_id"].as_str().unwrap().to_string())
                .collect()
        };
        let all = read::list(repo.as_ref(), &c.outsider, q(None, None, None))
            .await
            .unwrap();
        assert_eq!(ids(&all).len(), 3, "{store}");
        let overdue = read::list(repo.as_ref(), &c.outsider, q(Some("overdue"), None, None))
            .await
            .unwrap();
        assert_eq!(ids(&overdue), [format!("{}-04", c.doc)], "{store}");
        assert_eq!(
            overdue["tasks"][0]["tracking"]["days_overdue"], 5,
            "{store}"
        );
        let stale = read::list(repo.as_ref(), &c.outsider, q(None, Some("stale"), None))
            .await
            .unwrap();
        assert_eq!(ids(&stale), [format!("{}-03", c.doc)], "{store}");
        let warned = read::list(repo.as_ref(), &c.outsider, q(None, Some("any"), None))
            .await
            .unwrap();
        assert_eq!(ids(&warned).len(), 2, "{store}");
        let of_outsider = read::list(repo.as_ref(), &c.outsider, q(None, None, Some(&c.outsider)))
            .await
            .unwrap();
        assert!(ids(&of_outsider).is_empty(), "{store}");
        let of_coop = read::list(repo.as_ref(), &c.outsider, q(None, None, Some(&c.coop)))
            .await
            .unwrap();
        assert_eq!(ids(&of_coop).len(), 3, "{store}");
        let e = read::list(repo.as_ref(), &c.outsider, q(Some("late"), None, None))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest { field, .. } if field == "status"),
            "{store}"
        );
        // Before the due date the dated task warns instead.
        let mut early = q(None, Some("due_soon"), None);
        early.at = Some(d("2023-06-20"));
        let v = read::list(repo.as_ref(), &c.outsider, early).await.unwrap();
        assert_eq!(ids(&v), [format!("{}-04", c.doc)], "{store}");
        // Summaries.
        let s = read::summary(
            repo.as_ref(),
            &c.outsider,
            "document",
            Some(d("2023-07-05")),
        )
        .await
        .unwrap();
        let row = s["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["document"] == c.doc.as_str())
            .unwrap();
        assert_eq!(
            (
                row["counts"]["total"].as_u64(),
                row["counts"]["completed"].as_u64(),
                row["counts"]["overdue"].as_u64(),
                row["counts"]["stale"].as_u64()
            ),
            (Some(3), Some(1), Some(1), Some(1)),
            "{store}"
        );
        assert_eq!(
            row["overdue"][0]["external_id"],
            format!("{}-04", c.doc),
            "{store}"
        );
        let s = read::summary(repo.as_ref(), &c.outsider, "unit", Some(d("2023-07-05")))
            .await
            .unwrap();
        let unit = |name: &str| {
            s["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["unit_name"] == name)
                .cloned()
                .unwrap()
        };
        let lead = unit("市工业和信息化局");
        assert!(lead["as_lead"]["total"].as_u64().unwrap() >= 3, "{store}");
        assert!(
            lead["overdue"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["external_id"] == format!("{}-04", c.doc)),
            "{store}"
        );
        assert!(
            unit("市科技局")["as_cooperating"]["total"]
                .as_u64()
                .unwrap()
                >= 3,
            "{store}"
        );
        let e = read::summary(repo.as_ref(), &c.outsider, "county", None)
            .await
            .unwrap_err();
        assert!(
            matches!(&e, AppError::BadRequest { field, .. } if field == "by"),
            "{store}"
        );
    }
}

fn target(ext: &str, seq: u32, indicator: &str, t2025: &str, growth: &str) -> Value {
    use wuliu_model::gov_tasks::{split_indicator_unit, CountyTarget, TargetAttribute, TargetCell};
    let (name, unit) = split_indicator_unit(indicator);
    serde_json::to_value(CountyTarget {
        external_id: Some(ext.into()),
        document: GazetteDocument {
            number: "柳政办〔2022〕63号".into(),
            title: "柳州市县域经济发展“十四五”规划".into(),
            issued: NaiveDate::from_ymd_opt(2022, 7, 11),
        },
        category: "经济发展".into(),
        seq,
        indicator: indicator.into(),
        name: name.into(),
        unit: unit.map(String::from),
        target_2025: TargetCell::parse(t2025).unwrap(),
        growth_or_cumulative: TargetCell::parse(growth).unwrap(),
        attribute: TargetAttribute::Indicative,
    })
    .unwrap()
}

#[tokio::test]
async fn county_targets_are_assessed_like_the_plan_targets() {
    for (store, repo, _dir) in stores().await {
        let region = region();
        let o = office(&region);
        let r = repo.as_ref();
        county::import(r, &o, target("C01", 1, "地区生产总值增长(%)", "—", "≥8"))
            .await
            .unwrap();
        county::import(r, &o, target("C03", 3, "财政收入(亿元)", "500", "5.5"))
            .await
            .unwrap();
        county::import(
            r,
            &o,
            target(
                "C17",
                17,
                "单位地区生产总值能源消耗降低(%)",
                "按自治区下达指标",
                "",
            ),
        )
        .await
        .unwrap();
        let value = |v: f64, as_of: &str| json!({ "value": v, "as_of": as_of, "source": "市统计局 统计公报" });
        county::add_value(r, &o, "C01", value(7.5, "2023-12-31"))
            .await
            .unwrap();
        county::add_value(r, &o, "C03", value(300.0, "2021-12-31"))
            .await
            .unwrap();
        county::add_value(r, &o, "C03", value(330.0, "2023-12-31"))
            .await
            .unwrap();
        // Officials and others do not enter values; bad values are refused naming the field.
        let official = Caller::new(Role::Official, Some("gun_x".into()), &region, "user:o");
        let e = county::add_value(r, &official, "C01", value(9.0, "2023-12-31"))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{store}");
        let e = county::add_value(
            r,
            &o,
            "C01",
            json!({ "value": 1.0, "as_of": "2099-12-31", "source": "" }),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(&e), ["source", "as_of"], "{store}");
        let e = county::add_value(r, &o, "C99", value(1.0, "2023-12-31"))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{store}");
        let v = county::list(r, &official, Some(d("2024-06-30")))
            .await
            .unwrap();
        let rows = v["targets"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "{store}");
        let by = |ext: &str| rows.iter().find(|t| t["external_id"] == ext).unwrap();
        // ≥8 a year, 7.5 entered: within 10 % of the rate.
        assert_eq!(
            (
                by("C01")["goal"]["kind"].as_str(),
                by("C01")["assessment"]["status"].as_str()
            ),
            (Some("rate"), Some("at_risk")),
            "{store}"
        );
        // 300 → 330 in two years heading for 500 by 2025: the plan's projection falls far short.
        let c03 = &by("C03")["assessment"];
        assert_eq!(
            (by("C03")["goal"]["kind"].as_str(), c03["status"].as_str()),
            (Some("level"), Some("off_track")),
            "{store}: {c03}"
        );
        assert!(c03["projected"].as_f64().unwrap() < 400.0, "{store}: {c03}");
        assert_eq!(by("C17")["assessment"]["status"], "no_target", "{store}");
        // On a day before any value, the rate has no data.
        let v = county::get(r, &official, "C01", Some(d("2023-01-01")))
            .await
            .unwrap();
        assert_eq!(v["assessment"]["status"], "no_data", "{store}");
        assert_eq!(v["values"].as_array().unwrap().len(), 1, "{store}");
    }
}

/// The tracker's settings: a region adopting it late starts tracking on a day of its own, so the
/// quarters since 2022 are not all owed; only admins and regulators change them; bad values are
/// named; the cadence set is the one statuses use.
#[tokio::test]
async fn tracking_starts_on_the_configured_day_and_settings_are_guarded() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let o = office(&c.region);
        let at = Some(d("2026-12-05"));
        let status = |v: &Value| v["tracking"].clone();
        let before = read::get(repo.as_ref(), &o, &c.task, at).await.unwrap();
        assert_eq!(status(&before)["warning"], "stale", "{store}");
        assert_eq!(
            status(&before)["missing_report"]["start"],
            "2026-07-01",
            "{store}"
        );
        let missed = |v: &Value| {
            v["timeline"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["kind"] == "report_missed")
                .count()
        };
        assert!(missed(&before) >= 16, "{store}: {}", missed(&before));

        let started = tasks::config::start_tracking(repo.as_ref(), &o, d("2026-11-20"));
        assert!(started.await.unwrap(), "{store}");
        let after = read::get(repo.as_ref(), &o, &c.task, at).await.unwrap();
        assert_eq!(status(&after)["warning"], Value::Null, "{store}: {after}");
        assert_eq!(
            status(&after)["next_report"]["due"],
            "2027-01-10",
            "{store}"
        );
        assert_eq!(missed(&after), 0, "{store}");
        assert_eq!(after["timeline"][0]["date"], "2026-11-20", "{store}");
        // A second start leaves the stored settings as they are.
        let again = tasks::config::start_tracking(repo.as_ref(), &o, d("2027-03-01"));
        assert!(!again.await.unwrap(), "{store}");

        for caller in [
            &c.lead,
            &Caller::new(Role::Carrier, Some("pty_x".into()), &c.region, "user:c"),
        ] {
            let e = tasks::config::put(repo.as_ref(), caller, json!({ "grace_days": 0 }))
                .await
                .unwrap_err();
            assert!(matches!(e, AppError::Forbidden { .. }), "{store}: {e:?}");
        }
        let e = tasks::config::put(
            repo.as_ref(),
            &o,
            json!({ "grace_days": 500, "due_soon_days": 3 }),
        )
        .await
        .unwrap_err();
        assert_eq!(fields(&e), ["grace_days"], "{store}");
        let e = tasks::config::put(repo.as_ref(), &o, json!({ "grace_dayz": 5 }))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::BadRequest { .. }), "{store}: {e:?}");
        assert!(e.to_string().contains("grace_dayz"), "{store}: {e}");
        let kept = tasks::config::get(repo.as_ref(), &c.lead).await.unwrap();
        assert_eq!(kept["config"]["tracking_from"], "2026-11-20", "{store}");
        assert_eq!(kept["config"]["grace_days"], 10, "{store}");

        let monthly = json!({ "cadence": "monthly", "tracking_from": "2026-11-20" });
        let put = tasks::config::put(repo.as_ref(), &o, monthly)
            .await
            .unwrap();
        assert_eq!(
            put["version"],
            kept["version"].as_i64().unwrap() + 1,
            "{store}"
        );
        let now = read::get(repo.as_ref(), &o, &c.task, at).await.unwrap();
        let t = status(&now);
        assert_eq!(
            (
                t["next_report"]["start"].clone(),
                t["next_report"]["due"].clone()
            ),
            (json!("2026-11-01"), json!("2026-12-10")),
            "{store}"
        );
        assert_eq!(t["warning"], "due_soon", "{store}");
        let listed = read::list(
            repo.as_ref(),
            &c.outsider,
            read::TaskQuery {
                at,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(listed["config"]["cadence"], "monthly", "{store}");
    }
}

async fn set(repo: &Repo, task: &str, caller: &Caller, body: Value) -> Result<Value, AppError> {
    tasks::deadline::set(repo.as_ref(), caller, task, body).await
}

fn conflict_field(e: &AppError) -> String {
    match e {
        AppError::Conflict { field, .. } => field.clone(),
        other => panic!("expected a 409, got {other:?}"),
    }
}

/// The office sets a deadline on an ongoing task: it is then assessed against it; units may not
/// set one, unreadable text and a missing reason are named, a stale version and a second change
/// racing on the same version are refused with nothing overwritten, a completed task keeps its.
#[tokio::test]
async fn the_office_sets_a_deadline_and_races_and_outsiders_are_refused() {
    for (store, repo, _dir) in stores().await {
        let c = setup(&repo, "持续推进").await;
        let o = office(&c.region);
        let read_task = || read::get(repo.as_ref(), &o, &c.task, Some(d("2027-07-05")));
        let v0 = read_task().await.unwrap()["version"].as_i64().unwrap();
        let body = |text: &str, reason: &str, version: i64| json!({ "deadline_text": text, "reason": reason, "version": version });

        let e = set(
            &repo,
            &c.task,
            &c.lead,
            body("2027年6月30日", "推进会议定", v0),
        )
        .await
        .unwrap_err();
        assert!(matches!(e, AppError::Forbidden { .. }), "{store}: {e:?}");
        let e = set(&repo, &c.task, &o, body("第二季度", " ", v0))
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["deadline_text", "reason"], "{store}");
        let e = set(
            &repo,
            &c.task,
            &o,
            body("2027年6月30日", "推进会议定", v0 - 1),
        )
        .await
        .unwrap_err();
        assert_eq!(conflict_field(&e), "version", "{store}");
        assert_eq!(
            read_task().await.unwrap()["version"],
            v0,
            "{store}: nothing written"
        );

        let (a, b) = tokio::join!(
            set(
                &repo,
                &c.task,
                &o,
                body("2027年6月30日", "市政府推进会议定", v0)
            ),
            set(&repo, &c.task, &o, body("2027年12月", "另一份督办意见", v0)),
        );
        let (won, lost) = match (a, b) {
            (Ok(w), Err(l)) | (Err(l), Ok(w)) => (w, l),
            other => panic!("{store}: exactly one change wins: {other:?}"),
        };
        assert_eq!(conflict_field(&lost), "version", "{store}");
        let t = read_task().await.unwrap();
        assert_eq!(t["deadline_text"], won["deadline_text"], "{store}");
        let changes = t["deadline_changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "{store}");
        assert_eq!(changes[0]["from_text"], "持续推进", "{store}");
        assert_eq!(changes[0]["by"], "user:office", "{store}");
        // Assessed against the new deadline: 2027-07-05 is past June 30 (and December is not).
        let overdue = t["deadline_text"] == "2027年6月30日";
        assert_eq!(t["tracking"]["periodic"], false, "{store}");
        assert_eq!(
            t["tracking"]["status"] == "overdue",
            overdue,
            "{store}: {t}"
        );

        // Completed: the deadline stays.
        reports::submit(
            repo.as_ref(),
            &c.lead,
            &c.task,
            report("2026-11-01", "completed", 100),
        )
        .await
        .unwrap();
        let v = read_task().await.unwrap()["version"].as_i64().unwrap();
        let e = set(&repo, &c.task, &o, body("2028年底", "延期", v))
            .await
            .unwrap_err();
        assert_eq!(conflict_field(&e), "status", "{store}");
    }
}

#[tokio::test]
async fn files_are_added_to_a_filed_report_by_its_unit_and_the_office_only() {
    for (store, repo, _dir) in stores().await {
        let r = repo.as_ref();
        let c = setup(&repo, "持续推进").await;
        let filed = reports::submit(r, &c.lead, &c.task, report("2023-02-01", "in_progress", 30))
            .await
            .unwrap();
        let rid = filed["report"]["id"].as_str().unwrap().to_string();
        let other_task = tasks::import(r, &office(&c.region), row3(&c.doc, 4, "持续推进"))
            .await
            .unwrap();
        let other_task = other_task["id"].as_str().unwrap();
        // The reporting unit adds a signed scan; the office adds a table on its behalf.
        let scan = reports::attach(r, &c.lead, &c.task, &rid, file("盖章件.pdf", b"%PDF-1.4"))
            .await
            .unwrap();
        assert_eq!(scan["file_name"], "盖章件.pdf", "{store}");
        assert_eq!(scan["size"], 8, "{store}");
        reports::attach(
            r,
            &office(&c.region),
            &c.task,
            &rid,
            file("汇总表.pdf", b"x"),
        )
        .await
        .unwrap();
        // Another unit of the task reads the report but may not add to it; an outsider neither.
        for who in [&c.coop, &c.lead2, &c.outsider] {
            let e = reports::attach(r, who, &c.task, &rid, file("x.pdf", b"x"))
                .await
                .unwrap_err();
            assert_eq!(
                forbidden_field(&e).as_deref(),
                Some("report"),
                "{store}: {}",
                who.actor
            );
        }
        // A report named under another task is not found; a bad file is a 422 naming it.
        let e = reports::attach(r, &c.lead, other_task, &rid, file("x.pdf", b"x"))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{store}: {e:?}");
        let bad = json!({ "file_name": "a/b.pdf", "media_type": "application/pdf", "content_base64": b64(b"x") });
        let e = reports::attach(r, &c.lead, &c.task, &rid, bad)
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["attachment.file_name"], "{store}");
        // The listing shows the two files, oldest first.
        let v = reports::list(r, &c.coop, &c.task).await.unwrap();
        let names: Vec<&str> = v["reports"][0]["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["file_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["盖章件.pdf", "汇总表.pdf"], "{store}");
    }
}
