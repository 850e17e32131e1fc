//! The industry–education platform over HTTP (issue 29, 69号): an enterprise posts a demand and
//! reads the ranked supplies with their reasons, a college reads the same pair from its side with
//! the same score; forged owners, stale versions and racing edits are refused; bad input names
//! the field; the education bureau reads the statistics, enterprises may not. On SQLite, and on
//! PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{unique, Api};
use serde_json::{json, Value};
use wuliu_server::Role;

const T: &str = "/api/v1/gov/talent";

struct Desk {
    ent: String,
    col: String,
    edu: String,
    ent_party: String,
}

async fn desk(api: &Api, seq: u32) -> Desk {
    let region = unique("tl");
    let admin = api.token(Role::Admin, None, &region).await;
    let ent_party = api.party(&admin, &unique("E"), seq, &["enterprise"]).await;
    let col_party = api.party(&admin, &unique("C"), seq + 1, &["college"]).await;
    Desk {
        ent: api.token(Role::Enterprise, Some(&ent_party), &region).await,
        col: api.token(Role::College, Some(&col_party), &region).await,
        edu: api.token(Role::Official, Some("gun_edu"), &region).await,
        ent_party,
    }
}

fn demand() -> Value {
    json!({"kind": "job", "title": "智能仓储运维员（示例）", "industry_tags": ["logistics"],
        "skill_tags": ["smart_warehousing", "logistics_systems", "industrial_robots"], "headcount": 8,
        "start": "2026-07-15", "on_site": true, "max_km": 40,
        "location": {"division_code": "450206", "point": {"lat": 24.36, "lon": 109.51}}})
}

fn supply(skills: Value, at: Value) -> Value {
    json!({"kind": "graduates", "title": "物流管理专业毕业生（示例）", "industry_tags": ["logistics"],
        "skill_tags": skills, "capacity": 25, "education": "higher_vocational",
        "available_from": "2026-07-01", "location": at})
}

async fn put(api: &Api, uri: &str, token: &str, body: Value) -> common::Reply {
    api.call("PUT", uri, token, "application/json", body.to_string())
        .await
}

#[tokio::test]
async fn enterprise_and_college_see_one_pair_with_one_score_and_its_reasons() {
    for (db, api) in Api::each_backend().await {
        let d = desk(&api, 301).await;
        let near = json!({"division_code": "450206", "point": {"lat": 24.33, "lon": 109.45}});
        let far = json!({"division_code": "450226", "point": {"lat": 25.78, "lon": 109.61}});
        let mut ids = Vec::new();
        for (skills, at) in [
            (
                json!(["smart_warehousing", "logistics_systems"]),
                near.clone(),
            ),
            (json!(["smart_warehousing"]), near.clone()),
            (
                json!([
                    "smart_warehousing",
                    "logistics_systems",
                    "industrial_robots"
                ]),
                far,
            ),
        ] {
            let r = api
                .post(&format!("{T}/supplies"), &d.col, supply(skills, at))
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
            ids.push(r.json()["id"].as_str().unwrap().to_string());
        }
        // The attack first: the body cannot choose the owner.
        let mut forged = demand();
        forged["owner_party"] = json!("pty_someone_else");
        let r = api.post(&format!("{T}/demands"), &d.ent, forged).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
        assert!(r.text.contains("owner_party"), "{db}: {}", r.text);
        let r = api.post(&format!("{T}/demands"), &d.ent, demand()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{db}: {}", r.text);
        let did = r.json()["id"].as_str().unwrap().to_string();
        let got = api.get(&format!("{T}/demands/{did}"), &d.ent).await.json();
        assert_eq!(got["status"], json!("open"));
        let m = api
            .get(&format!("{T}/demands/{did}/matches?limit=5"), &d.ent)
            .await;
        assert_eq!(m.status, StatusCode::OK, "{db}: {}", m.text);
        let m = m.json();
        let ranked: Vec<&str> = m["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["supply"].as_str().unwrap())
            .collect();
        assert_eq!(
            ranked,
            [ids[0].as_str(), ids[1].as_str()],
            "{db}: best skills first, the far one excluded"
        );
        assert_eq!(
            m["matches"][0]["explanation"]["missing_skills"],
            json!(["industrial_robots"])
        );
        assert_eq!(m["excluded"][0]["supply"].as_str(), Some(ids[2].as_str()));
        assert_eq!(
            m["excluded"][0]["excluded_by"][0]["code"],
            json!("location.too_far")
        );
        // The college asks from its side: same pair, same score.
        let back = api
            .get(&format!("{T}/supplies/{}/matches", ids[0]), &d.col)
            .await
            .json();
        let pair = back["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["demand"] == json!(did))
            .unwrap();
        assert_eq!(pair["score"], m["matches"][0]["score"], "{db}");
        assert_eq!(
            pair["counterpart"]["title"],
            json!("智能仓储运维员（示例）")
        );
        // The college may not read the demand's own matches; the enterprise's record says its party.
        let r = api.get(&format!("{T}/demands/{did}/matches"), &d.col).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        let rec = api
            .repo
            .get(wuliu_store::Kind::TalentDemand, &did)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rec.owner_party.as_deref(), Some(d.ent_party.as_str()));
        // Edit at the version read; a stale version is refused; close.
        let mut edit = demand();
        edit["version"] = json!(1);
        edit["headcount"] = json!(12);
        let r = put(&api, &format!("{T}/demands/{did}"), &d.ent, edit.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let r = put(&api, &format!("{T}/demands/{did}"), &d.ent, edit).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{db}: {}", r.text);
        let r = api
            .post(
                &format!("{T}/demands/{did}/close"),
                &d.ent,
                json!({"version": 2}),
            )
            .await;
        assert_eq!(
            (r.status, r.json()["status"].clone()),
            (StatusCode::OK, json!("closed")),
            "{db}"
        );
    }
}

#[tokio::test]
async fn racing_edits_over_http_let_one_through() {
    for (db, api) in Api::each_backend().await {
        let api = Arc::new(api);
        let d = desk(&api, 311).await;
        let r = api.post(&format!("{T}/demands"), &d.ent, demand()).await;
        let did = r.json()["id"].as_str().unwrap().to_string();
        let mut tasks = Vec::new();
        for n in 0..6 {
            let (api, tok, did) = (api.clone(), d.ent.clone(), did.clone());
            tasks.push(tokio::spawn(async move {
                let mut e = demand();
                e["version"] = json!(1);
                e["headcount"] = json!(20 + n);
                put(&api, &format!("{T}/demands/{did}"), &tok, e)
                    .await
                    .status
            }));
        }
        let mut codes = Vec::new();
        for t in tasks {
            codes.push(t.await.unwrap());
        }
        let ok = codes.iter().filter(|c| **c == StatusCode::OK).count();
        assert_eq!(ok, 1, "{db}: {codes:?}");
        assert!(
            codes
                .iter()
                .all(|c| *c == StatusCode::OK || *c == StatusCode::CONFLICT),
            "{db}: {codes:?}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_named_and_nothing_is_written() {
    for (db, api) in Api::each_backend().await {
        let d = desk(&api, 321).await;
        let r = api
            .call(
                "POST",
                &format!("{T}/demands"),
                &d.ent,
                "application/json",
                "{\"kind\": ".into(),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}");
        let mut bad = demand();
        bad["skill_tags"] = json!(["smart_warehousing", "挖掘机驾驶"]);
        bad["max_km"] = json!(-1);
        let r = api.post(&format!("{T}/demands"), &d.ent, bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{db}: {}",
            r.text
        );
        assert_eq!(r.violation_fields(), ["skill_tags[1]", "max_km"], "{db}");
        let r = api
            .post(
                &format!("{T}/demands"),
                &d.ent,
                json!({"kind": "job", "title": "x", "headcount": "8", "start": "2026-07-01"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}: {}", r.text);
        assert!(r.text.contains("headcount"), "{db}: {}", r.text);
        let r = api
            .post(
                &format!("{T}/supplies"),
                &d.ent,
                supply(json!([]), json!({})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "{db}: an enterprise posting supply"
        );
        let listed = api.get(&format!("{T}/demands"), &d.ent).await.json();
        assert_eq!(listed["posts"], json!([]), "{db}: nothing written");
        let r = api.post(&format!("{T}/demands"), &d.ent, demand()).await;
        let did = r.json()["id"].as_str().unwrap().to_string();
        let r = api
            .get(&format!("{T}/demands/{did}/matches?limit=lots"), &d.ent)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{db}");
        let r = api
            .get(&format!("{T}/demands/tdm_nothing/matches"), &d.ent)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{db}");
    }
}

#[tokio::test]
async fn the_bureau_reads_statistics_and_everyone_the_tags() {
    for (db, api) in Api::each_backend().await {
        let d = desk(&api, 331).await;
        api.post(&format!("{T}/demands"), &d.ent, demand()).await;
        let at = json!({"division_code": "450206", "point": {"lat": 24.35, "lon": 109.50}});
        api.post(
            &format!("{T}/supplies"),
            &d.col,
            supply(json!(["smart_warehousing"]), at),
        )
        .await;
        let r = api.get(&format!("{T}/stats"), &d.edu).await;
        assert_eq!(r.status, StatusCode::OK, "{db}: {}", r.text);
        let s = r.json();
        assert_eq!(
            (
                s["demands"].as_u64(),
                s["supplies"].as_u64(),
                s["match_rate"].as_f64()
            ),
            (Some(1), Some(1), Some(1.0)),
            "{db}"
        );
        let gap = |t: &str| {
            s["skills"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["tag"] == json!(t))
                .unwrap()["gap"]
                .as_i64()
        };
        assert_eq!(
            (gap("industrial_robots"), gap("smart_warehousing")),
            (Some(8), Some(8 - 25)),
            "{db}"
        );
        let r = api.get(&format!("{T}/stats"), &d.ent).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{db}");
        let tags = api.get(&format!("{T}/tags"), &d.col).await.json();
        let auto = tags["tags"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == json!("automotive"))
            .unwrap();
        assert_eq!(auto["zh"], json!("汽车"));
        assert!(auto["source"].as_str().unwrap().contains("69号"));
        assert_eq!(
            tags["kinds"][3],
            json!({"demand": "rd_problem", "supplies": ["lab", "teacher"]})
        );
    }
}
