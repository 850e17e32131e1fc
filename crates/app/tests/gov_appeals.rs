//! The appeal desk (65号) against the store, on SQLite and on PostgreSQL when
//! `WULIU_TEST_DATABASE_URL` names one: forged fields at intake (attack tests first), who reads
//! what by group, two officials racing on one appeal, the whole life cycle with its audit trail,
//! reports generated from the data and approved once, the configuration, and bounds.

mod common;

use chrono::{Datelike, Duration, Utc};
use common::{stores, unique, Repo};
use serde_json::{json, Value};
use wuliu_app::gov::{appeals, units};
use wuliu_app::{AppError, Caller, Role};
use wuliu_gov::appeals::cadence::local_date;
use wuliu_gov::appeals::DeskConfig;
use wuliu_store::{AuditQuery, Kind};

struct Desk {
    region: String,
    lead: Caller,
    /// 市商务局: 信息采集组 and member.
    collection: Caller,
    /// 市发展改革委: 协调促进组 and member.
    coordination: Caller,
    /// 市贸促会: 综合组 and member.
    general: Caller,
    /// 市投资促进局: member only.
    member: Caller,
    /// 柳州海关: member only.
    customs: Caller,
    /// 市交通运输局: in no group (a competent unit).
    transport: Caller,
    transport_id: String,
}

async fn desk(repo: &Repo) -> Desk {
    let region = unique("A");
    let lead = Caller::new(Role::Regulator, None, &region, "user:lead");
    let admin = Caller::system(&region, "test");
    let mut ids = Vec::new();
    for name in [
        "市商务局",
        "市发展改革委",
        "市贸促会",
        "市投资促进局",
        "柳州海关",
        "市交通运输局",
    ] {
        ids.push(units::ensure(repo.as_ref(), &admin, name).await.unwrap());
    }
    let official =
        |k: usize, who: &str| Caller::new(Role::Official, Some(ids[k].clone()), &region, who);
    Desk {
        collection: official(0, "user:wen"),
        coordination: official(1, "user:yang"),
        general: official(2, "user:feng"),
        member: official(3, "user:mo"),
        customs: official(4, "user:lv"),
        transport: official(5, "user:jiao"),
        transport_id: ids[5].clone(),
        region,
        lead,
    }
}

fn form() -> Value {
    json!({
        "reporting_unit": "", "reporting_date": local_date(Utc::now()).to_string(),
        "reporting_contact_name": "示例联系人", "reporting_contact": "0772-0000000",
        "enterprise_name": "示例外资企业有限公司", "industry": "汽车", "location_province": "广西",
        "parent_country": "德国", "registered_capital_10k_usd": 500, "enterprise_contact_name": "示例",
        "enterprise_contact": "13800000000", "enterprise_profile": "示例简介",
        "issue": "上海浦东机场长航线货运航班数量太少，北美和欧洲产品无法运输至上海。", "suggestions": "建议增开航班"
    })
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn field_of(e: &AppError) -> String {
    e.violations()
        .first()
        .map(|v| v.field.clone())
        .unwrap_or_default()
}

fn status_of(e: &AppError) -> u16 {
    match e {
        AppError::BadRequest { .. } => 400,
        AppError::Forbidden { .. } => 403,
        AppError::NotFound(_) => 404,
        AppError::Conflict { .. } => 409,
        AppError::TooLarge { .. } => 413,
        AppError::Invalid(_) => 422,
        other => panic!("unexpected {other:?}"),
    }
}

async fn count(repo: &Repo, d: &Desk) -> usize {
    appeals::list(repo.as_ref(), &d.lead, None, false)
        .await
        .unwrap()["appeals"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn forged_fields_at_intake_are_refused_and_nothing_is_written() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let mut cases: Vec<(&str, Caller, Value, u16, &str)> = Vec::new();
        for (k, v) in [
            ("status", json!("closed")),
            ("assigned_unit", json!(d.transport_id)),
            ("history", json!([])),
            ("summarised_in", json!("x")),
        ] {
            cases.push((
                "forged top-level field",
                d.member.clone(),
                json!({"form": form(), k: v}),
                400,
                k,
            ));
        }
        let mut f = form();
        f["status"] = json!("closed");
        cases.push((
            "forged form field",
            d.member.clone(),
            json!({"form": f}),
            400,
            "form.status",
        ));
        let mut f = form();
        f["reporting_unit"] = json!("市发展改革委");
        cases.push((
            "another unit's H1",
            d.member.clone(),
            json!({"form": f}),
            403,
            "form.reporting_unit",
        ));
        let back = (Utc::now() - Duration::days(3)).to_rfc3339();
        cases.push((
            "official backdating",
            d.member.clone(),
            json!({"form": form(), "received_at": back}),
            403,
            "received_at",
        ));
        let future = (Utc::now() + Duration::days(3)).to_rfc3339();
        cases.push((
            "leadership dating ahead",
            d.lead.clone(),
            json!({"form": form(), "received_at": future}),
            422,
            "received_at",
        ));
        let mut f = form();
        f["enterprise_name"] = json!(" ");
        cases.push((
            "missing F1",
            d.member.clone(),
            json!({"form": f}),
            422,
            "form.enterprise_name",
        ));
        let mut f = form();
        f["issue"] = json!("长".repeat(5001));
        cases.push((
            "F9 too long",
            d.member.clone(),
            json!({"form": f}),
            422,
            "form.issue",
        ));
        let mut f = form();
        f["enterprise_contact"] = json!("ask at the gate");
        cases.push((
            "F7 not a contact",
            d.member.clone(),
            json!({"form": f}),
            422,
            "form.enterprise_contact",
        ));
        cases.push((
            "a channel that is none",
            d.member.clone(),
            json!({"form": form(), "source": "fax"}),
            400,
            "source",
        ));
        let page = json!({"file_name": "附页.pdf", "media_type": "application/pdf", "content_base64": "JVBERi0="});
        cases.push((
            "six pages at intake",
            d.member.clone(),
            json!({"form": form(), "attachments": vec![page; 6]}),
            413,
            "attachments",
        ));
        let shipper = Caller::new(Role::Shipper, Some("pty_x".into()), &d.region, "user:s");
        cases.push((
            "a shipper",
            shipper,
            json!({"form": form()}),
            403,
            "request",
        ));
        cases.push((
            "a competent unit in no group",
            d.transport.clone(),
            json!({"form": form()}),
            403,
            "form",
        ));
        for (what, who, body, code, field) in cases {
            let e = appeals::submit(r, &who, body).await.expect_err(what);
            assert_eq!(
                (status_of(&e), field_of(&e).as_str()),
                (code, field),
                "{store}: {what}: {e:?}"
            );
        }
        assert_eq!(count(&repo, &d).await, 0, "{store}: nothing written");
        // The same form honestly sent is stored as received, H1 filled with the caller's unit.
        let ok = appeals::submit(r, &d.member, json!({"form": form(), "source": "visit"}))
            .await
            .unwrap();
        assert_eq!(
            (ok["status"].as_str(), ok["source"].as_str()),
            (Some("received"), Some("visit"))
        );
        assert_eq!(ok["form"]["reporting_unit"], "市投资促进局");
        assert_eq!(ok["assigned_unit"], Value::Null);
    }
}

#[tokio::test]
async fn each_group_reads_and_moves_only_what_the_document_gives_it() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let a = id(&appeals::submit(r, &d.member, json!({"form": form()}))
            .await
            .unwrap());
        let listed = |v: Value| {
            v["appeals"]
                .as_array()
                .unwrap()
                .iter()
                .map(id)
                .collect::<Vec<_>>()
        };
        // Another member unit, the coordination group (not classified yet) and the competent unit
        // (not assigned yet) do not see it; the collection and general groups do.
        for who in [&d.customs, &d.coordination, &d.transport] {
            assert_eq!(
                status_of(&appeals::get(r, who, &a).await.unwrap_err()),
                404,
                "{store}: {}",
                who.actor
            );
            assert!(listed(appeals::list(r, who, None, false).await.unwrap()).is_empty());
        }
        for who in [&d.member, &d.collection, &d.general, &d.lead] {
            assert_eq!(
                listed(appeals::list(r, who, None, false).await.unwrap()),
                vec![a.clone()],
                "{store}: {}",
                who.actor
            );
        }
        // A member unit may not collect its own appeal; the collection group may.
        let e = appeals::act(r, &d.member, &a, "collect", json!({}))
            .await
            .unwrap_err();
        assert_eq!(status_of(&e), 403);
        let v = appeals::act(r, &d.collection, &a, "collect", json!({}))
            .await
            .unwrap();
        assert_eq!(v["allowed"], json!(["reject", "classify", "feedback"]));
        appeals::act(
            r,
            &d.collection,
            &a,
            "classify",
            json!({"level": "city", "category": "customs_logistics"}),
        )
        .await
        .unwrap();
        // Classified: now the coordination group sees it and assigns; the collection group may not.
        assert_eq!(
            listed(
                appeals::list(r, &d.coordination, None, false)
                    .await
                    .unwrap()
            ),
            vec![a.clone()]
        );
        let assign = json!({"unit_id": d.transport_id});
        assert_eq!(
            status_of(
                &appeals::act(r, &d.collection, &a, "assign", assign.clone())
                    .await
                    .unwrap_err()
            ),
            403
        );
        let bad = appeals::act(
            r,
            &d.coordination,
            &a,
            "assign",
            json!({"unit_id": "gun_nope"}),
        )
        .await
        .unwrap_err();
        assert_eq!((status_of(&bad), field_of(&bad).as_str()), (422, "unit_id"));
        let v = appeals::act(r, &d.coordination, &a, "assign", assign)
            .await
            .unwrap();
        assert_eq!(v["assigned_unit_name"], "市交通运输局");
        // The competent unit sees it now and records the outcome; then it is out of its hands.
        assert_eq!(
            appeals::get(r, &d.transport, &a).await.unwrap()["allowed"],
            json!(["outcome"])
        );
        let outcome = json!({"resolution": "resolved", "summary": "已协调解决"});
        appeals::act(r, &d.transport, &a, "outcome", outcome.clone())
            .await
            .unwrap();
        assert_eq!(
            status_of(
                &appeals::act(r, &d.transport, &a, "outcome", outcome)
                    .await
                    .unwrap_err()
            ),
            403
        );
        // No closing before the result is fed back (409), then the collection group closes it.
        assert_eq!(
            status_of(
                &appeals::act(r, &d.collection, &a, "close", json!({}))
                    .await
                    .unwrap_err()
            ),
            409
        );
        let fb = json!({"kind": "result", "text": "已电话告知企业结果", "via": "电话"});
        assert_eq!(
            status_of(
                &appeals::act(r, &d.member, &a, "feedback", fb.clone())
                    .await
                    .unwrap_err()
            ),
            403
        );
        appeals::act(r, &d.collection, &a, "feedback", fb)
            .await
            .unwrap();
        let closed = appeals::act(r, &d.general, &a, "close", json!({}))
            .await
            .unwrap();
        let steps: Vec<&str> = closed["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            steps,
            ["submit", "collect", "classify", "assign", "outcome", "feedback", "close"],
            "{store}"
        );
        // Every write is audited under the appeal.
        let trail = repo
            .audit(&AuditQuery {
                record_id: Some(a.clone()),
                limit: 100,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "gov.appeal.submit",
                "gov.appeal.collect",
                "gov.appeal.classify",
                "gov.appeal.assign",
                "gov.appeal.outcome",
                "gov.appeal.feedback",
                "gov.appeal.close"
            ],
            "{store}"
        );
    }
}

#[tokio::test]
async fn two_officials_racing_on_one_appeal_one_wins() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let a = id(&appeals::submit(r, &d.member, json!({"form": form()}))
            .await
            .unwrap());
        // Two officials of the collection group collect the received appeal at once: exactly one
        // wins, the other is a 409 (it is no longer received).
        let mut second = d.collection.clone();
        second.actor = "user:wen2".into();
        let (x, y) = tokio::join!(
            appeals::act(r, &d.collection, &a, "collect", json!({})),
            appeals::act(r, &second, &a, "collect", json!({})),
        );
        let wins = [x.is_ok(), y.is_ok()].iter().filter(|w| **w).count();
        assert_eq!(wins, 1, "{store}: {x:?} / {y:?}");
        let loser = x.err().or(y.err()).unwrap();
        assert_eq!(status_of(&loser), 409, "{store}: {loser:?}");
        let now = appeals::get(r, &d.lead, &a).await.unwrap();
        assert_eq!(
            now["history"].as_array().unwrap().len(),
            2,
            "{store}: one step recorded"
        );
        // A caller naming the version it read is refused once another moved the appeal.
        let b = appeals::submit(r, &d.member, json!({"form": form()}))
            .await
            .unwrap();
        let read = b["version"].as_i64().unwrap();
        appeals::act(
            r,
            &d.collection,
            &id(&b),
            "collect",
            json!({"version": read}),
        )
        .await
        .unwrap();
        let stale = appeals::act(
            r,
            &d.general,
            &id(&b),
            "reject",
            json!({"version": read, "note": "x"}),
        )
        .await
        .unwrap_err();
        assert_eq!(
            (status_of(&stale), field_of(&stale).as_str()),
            (409, "version")
        );
        // Twenty concurrent feedback entries on one appeal: all kept, none lost.
        let bid = id(&b);
        let tasks: Vec<_> = (0..20)
            .map(|k| {
                let (repo, who, bid) = (repo.clone(), d.collection.clone(), bid.clone());
                tokio::spawn(async move {
                    appeals::act(
                        repo.as_ref(),
                        &who,
                        &bid,
                        "feedback",
                        json!({"kind": "progress", "text": format!("进展{k}")}),
                    )
                    .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let fb = appeals::get(r, &d.lead, &bid).await.unwrap();
        assert_eq!(fb["feedback"].as_array().unwrap().len(), 20, "{store}");
    }
}

#[tokio::test]
async fn weekly_report_from_the_data_is_approved_once_and_frozen() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        // Leadership enters two paper appeals received 8 days ago (a closed window), one a
        // regional issue that gets escalated.
        let when = Utc::now() - Duration::days(8);
        let mut ids = Vec::new();
        // A second apart: Form 2 lists by receipt time (ties by record ID, which is random).
        for (name, early) in [("示例企业甲", 1), ("示例企业乙", 0)] {
            let mut f = form();
            f["enterprise_name"] = json!(name);
            f["reporting_unit"] = json!("市投资促进局");
            let received = (when - Duration::seconds(early)).to_rfc3339();
            let v = appeals::submit(
                r,
                &d.lead,
                json!({"form": f, "received_at": received, "source": "hotline"}),
            )
            .await
            .unwrap();
            ids.push(id(&v));
        }
        for (a, level) in ids.iter().zip(["city", "regional"]) {
            appeals::act(r, &d.collection, a, "collect", json!({}))
                .await
                .unwrap();
            appeals::act(
                r,
                &d.general,
                a,
                "classify",
                json!({"level": level, "category": "policy"}),
            )
            .await
            .unwrap();
        }
        appeals::act(
            r,
            &d.general,
            &ids[1],
            "escalate",
            json!({"note": "报自治区专班"}),
        )
        .await
        .unwrap();
        let window = DeskConfig::default().cadence.window_at(when);
        let date = local_date(window.closes).to_string();
        // Member units and competent units do not get the reports.
        for who in [&d.member, &d.transport, &d.coordination] {
            let e = appeals::report(r, who, appeals::ReportKind::Weekly, Some(&date))
                .await
                .unwrap_err();
            assert_eq!(status_of(&e), 403, "{store}");
        }
        let rep = appeals::report(r, &d.collection, appeals::ReportKind::Weekly, Some(&date))
            .await
            .unwrap();
        let names: Vec<&str> = rep["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["enterprise_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["示例企业甲", "示例企业乙"], "{store}");
        assert_eq!(rep["rows"][1]["remarks"], "需自治区层面解决");
        assert_eq!(rep["approved"], Value::Null);
        let flagged: Vec<&str> = rep["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["appeal_id"].as_str().unwrap())
            .collect();
        assert_eq!(
            flagged.len(),
            2,
            "{store}: both missed their W4: {flagged:?}"
        );
        // Only the leadership approves; a bad date is a 400 naming it.
        let body = json!({"date": date});
        assert_eq!(
            status_of(
                &appeals::approve(r, &d.general, appeals::ReportKind::Weekly, body.clone())
                    .await
                    .unwrap_err()
            ),
            403
        );
        let e = appeals::report(r, &d.lead, appeals::ReportKind::Weekly, Some("2026-13-01"))
            .await
            .unwrap_err();
        assert_eq!((status_of(&e), field_of(&e).as_str()), (400, "date"));
        // Two approvals racing: one stores the report, the other is a 409.
        let (x, y) = tokio::join!(
            appeals::approve(r, &d.lead, appeals::ReportKind::Weekly, body.clone()),
            appeals::approve(r, &d.lead, appeals::ReportKind::Weekly, body.clone()),
        );
        assert_eq!(
            [x.is_ok(), y.is_ok()].iter().filter(|w| **w).count(),
            1,
            "{store}: {x:?} {y:?}"
        );
        let stored = x.or(y).unwrap();
        // Its appeals are summarised; later changes leave the frozen rows alone.
        let a0 = appeals::get(r, &d.lead, &ids[0]).await.unwrap();
        assert_eq!(a0["summarised_in"], stored["id"]);
        assert_eq!(
            a0["flags"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| *f == "not_summarised")
                .count(),
            0
        );
        appeals::act(
            r,
            &d.coordination,
            &ids[0],
            "assign",
            json!({"unit_id": d.transport_id}),
        )
        .await
        .unwrap();
        let again = appeals::report(r, &d.general, appeals::ReportKind::Weekly, Some(&date))
            .await
            .unwrap();
        assert_eq!(again["approved"]["id"], stored["id"]);
        assert_eq!(again["rows"], rep["rows"], "{store}: frozen rows");
        // The CSV has exactly the 13 printed columns and one line per row.
        let (_, csv) = appeals::form2_csv(r, &d.lead, Some(&date)).await.unwrap();
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            wuliu_gov::appeals::summary::FORM2_COLUMNS.map(String::from)
        );
        let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(
            (lines.len(), &lines[1][1], &lines[1][0]),
            (2, "示例企业乙", "2")
        );
        // The monthly report of that month counts them.
        let cadence = DeskConfig::default().cadence;
        let day = local_date(when);
        let month = cadence.month(day.year(), day.month());
        let in_month = if when < month.period_to {
            day
        } else {
            day + Duration::days(20)
        };
        let m = appeals::report(
            r,
            &d.lead,
            appeals::ReportKind::Monthly,
            Some(&in_month.to_string()),
        )
        .await
        .unwrap();
        let rows: Vec<&str> = m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["appeal_id"].as_str().unwrap())
            .collect();
        assert_eq!(rows, [ids[0].as_str(), ids[1].as_str()], "{store}");
        assert_eq!(
            (
                m["counts"]["by_level"]["city"].as_u64(),
                m["counts"]["by_level"]["regional"].as_u64()
            ),
            (Some(1), Some(1))
        );
    }
}

#[tokio::test]
async fn the_configuration_is_the_admins_and_moves_the_groups() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let cfg = appeals::desk::get(r, &d.member).await.unwrap();
        assert_eq!(cfg["me"]["groups"], json!(["member"]), "{store}");
        assert_eq!(cfg["config"]["cadence"]["cutoff"], "12:00");
        let mut c = cfg["config"].clone();
        assert_eq!(
            status_of(
                &appeals::desk::put(r, &d.collection, c.clone())
                    .await
                    .unwrap_err()
            ),
            403
        );
        c["cadence"]["cutoff"] = json!("noon");
        let e = appeals::desk::put(r, &d.lead, c.clone()).await.unwrap_err();
        assert_eq!(
            (status_of(&e), field_of(&e).as_str()),
            (422, "cadence.cutoff")
        );
        c["cadence"]["cutoff"] = json!("11:30");
        c["groups"]["collection"] = json!(["市投资促进局"]);
        c["unknown"] = json!(1);
        let e = appeals::desk::put(r, &d.lead, c.clone()).await.unwrap_err();
        assert_eq!((status_of(&e), field_of(&e).as_str()), (400, "unknown"));
        c.as_object_mut().unwrap().remove("unknown");
        appeals::desk::put(r, &d.lead, c).await.unwrap();
        // 市投资促进局 now collects; 市商务局 no longer does.
        let a = id(&appeals::submit(r, &d.customs, json!({"form": form()}))
            .await
            .unwrap());
        assert_eq!(
            status_of(
                &appeals::act(r, &d.collection, &a, "collect", json!({}))
                    .await
                    .unwrap_err()
            ),
            404,
            "{store}: 市商务局 no longer reads every appeal"
        );
        appeals::act(r, &d.member, &a, "collect", json!({}))
            .await
            .unwrap();
        let trail = repo
            .audit(&AuditQuery {
                region: Some(d.region.clone()),
                actor: Some("user:lead".into()),
                limit: 100,
                ..AuditQuery::default()
            })
            .await
            .unwrap();
        assert!(
            trail.iter().any(|e| e.action == "gov.appeals.config"
                && e.kind.as_deref() == Some(Kind::DeskConfig.table())),
            "{store}"
        );
    }
}

#[tokio::test]
async fn bounds_on_notes_and_actions() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let a = id(&appeals::submit(r, &d.member, json!({"form": form()}))
            .await
            .unwrap());
        let e = appeals::act(
            r,
            &d.collection,
            &a,
            "reject",
            json!({"note": "长".repeat(2001)}),
        )
        .await
        .unwrap_err();
        assert_eq!(
            (status_of(&e), field_of(&e).as_str()),
            (422, "note"),
            "{store}"
        );
        let e = appeals::act(r, &d.collection, &a, "reject", json!({}))
            .await
            .unwrap_err();
        assert_eq!((status_of(&e), field_of(&e).as_str()), (422, "note"));
        let e = appeals::act(r, &d.collection, &a, "teleport", json!({}))
            .await
            .unwrap_err();
        assert_eq!(status_of(&e), 404);
        let e = appeals::act(r, &d.collection, &a, "collect", json!({"status": "closed"}))
            .await
            .unwrap_err();
        assert_eq!((status_of(&e), field_of(&e).as_str()), (400, "status"));
        let e = appeals::act(
            r,
            &d.general,
            &a,
            "classify",
            json!({"level": "galactic", "category": "policy"}),
        )
        .await
        .unwrap_err();
        assert_eq!((status_of(&e), field_of(&e).as_str()), (400, "level"));
        let e = appeals::list(r, &d.lead, Some("lost"), false)
            .await
            .unwrap_err();
        assert_eq!((status_of(&e), field_of(&e).as_str()), (400, "status"));
        assert_eq!(
            appeals::get(r, &d.lead, &a).await.unwrap()["status"],
            "received",
            "{store}: nothing moved"
        );
    }
}

#[tokio::test]
async fn attached_pages_go_with_the_appeal_or_not_at_all() {
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let page = |name: &str, media: &str| json!({"file_name": name, "media_type": media, "content_base64": "JVBERi0xLjQK"});
        // A bad page at intake: a 422 naming it, and neither the appeal nor the good page is stored.
        let body = json!({"form": form(), "attachments": [page("附页1.pdf", "application/pdf"), page("附页2.exe", "application/x-msdownload")]});
        let e = appeals::submit(r, &d.member, body).await.unwrap_err();
        assert_eq!(status_of(&e), 422, "{store}: {e:?}");
        assert!(field_of(&e).starts_with("attachments[1]"), "{store}: {e:?}");
        assert_eq!(count(&repo, &d).await, 0, "{store}");
        // Good pages are stored with it and listed on the appeal.
        let body = json!({"form": form(), "attachments": [page("附页1.pdf", "application/pdf")]});
        let a = id(&appeals::submit(r, &d.member, body).await.unwrap());
        let one = appeals::get(r, &d.member, &a).await.unwrap();
        let names: Vec<&str> = one["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["file_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["附页1.pdf"], "{store}");
        assert!(
            one["attachments"][0].get("content_base64").is_none(),
            "metadata only"
        );
        // The submitting unit and the collection group add pages; another member unit cannot even
        // see the appeal, and a coordination group that may not read it yet gets a 404 too.
        appeals::attach(r, &d.member, &a, page("附页2.pdf", "application/pdf"))
            .await
            .unwrap();
        appeals::attach(
            r,
            &d.collection,
            &a,
            page("核实记录.pdf", "application/pdf"),
        )
        .await
        .unwrap();
        for who in [&d.customs, &d.coordination] {
            let e = appeals::attach(r, who, &a, page("x.pdf", "application/pdf"))
                .await
                .unwrap_err();
            assert_eq!(status_of(&e), 404, "{store}: {}", who.actor);
        }
        assert!(appeals::may_read(r, &d.collection, &a).await.unwrap());
        assert!(!appeals::may_read(r, &d.customs, &a).await.unwrap());
        assert_eq!(
            appeals::get(r, &d.lead, &a).await.unwrap()["attachments"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_attachments_never_pass_the_cap() {
    use wuliu_app::gov::attachments::MAX_PER_RECORD;
    for (store, repo, _dir) in stores().await {
        let d = desk(&repo).await;
        let r = repo.as_ref();
        let page = |n: usize| json!({"file_name": format!("附页{n}.pdf"), "media_type": "application/pdf", "content_base64": "JVBERi0xLjQK"});
        let a = id(&appeals::submit(r, &d.member, json!({"form": form()}))
            .await
            .unwrap());
        let room = 3;
        for n in 0..MAX_PER_RECORD - room {
            appeals::attach(r, &d.member, &a, page(n)).await.unwrap();
        }
        // Twelve attaches race for the last three places: three go in, the rest are 409s.
        let racers = (0..12).map(|n| {
            let (repo, who, a) = (repo.clone(), d.member.clone(), a.clone());
            let body = page(100 + n);
            tokio::spawn(async move { appeals::attach(repo.as_ref(), &who, &a, body).await })
        });
        let mut stored = 0;
        for racer in racers.collect::<Vec<_>>() {
            match racer.await.unwrap() {
                Ok(_) => stored += 1,
                Err(e) => assert_eq!(status_of(&e), 409, "{store}: {e:?}"),
            }
        }
        assert_eq!(stored, room, "{store}: attaches that went in");
        let listed = appeals::get(r, &d.lead, &a).await.unwrap()["attachments"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(listed, MAX_PER_RECORD, "{store}: never more than the cap");
    }
}
